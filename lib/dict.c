/* Parsing substitution dictionaries (format: dictionaries/FORMAT.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"

#define DICT_HEADER "errata-dict 1"
#define MAX_FIELDS 64

typedef struct {
    errata_dictionary *dict;
    const char *source; /* as stored in dict->sources */
    size_t line;
} parse_state;

static int syntax_error(const parse_state *st, const char *why)
{
    return errata_fail(ERRATA_EFORMAT, "%s:%zu: %s", st->source, st->line, why);
}

#define DIGIT_ITEM "<digit>"

static void add_byte(uint64_t *set, unsigned char b) { set[b >> 6] |= (uint64_t)1 << (b & 63); }

static int has_byte(const uint64_t *set, unsigned char b) { return (set[b >> 6] >> (b & 63)) & 1; }

/* Record item s[0..n) in the list's byte sets (n == 0: a <digit>, which
   ends with an ASCII digit or the last byte of a full-width one, EF BC 90-99). */
static void note_item_bytes(errata_strings *list, const char *s, size_t n)
{
    if (n == 0) {
        for (unsigned char d = 0; d < 10; d++) {
            add_byte(list->last_bytes, (unsigned char)('0' + d));
            add_byte(list->last_bytes, (unsigned char)(0x90 + d));
        }
    } else {
        add_byte(list->last_bytes, (unsigned char)s[n - 1]);
    }
    if (n >= 3)
        add_byte(list->third_bytes, (unsigned char)s[2]);
    else
        list->has_short_item = 1;
}

/* Room for at least cap items. */
static int strings_reserve(errata_strings *list, size_t cap)
{
    if (cap <= list->cap)
        return ERRATA_OK;
    char **grown = realloc(list->items, cap * sizeof *grown);
    if (grown)
        list->items = grown;
    size_t *lens = realloc(list->lens, cap * sizeof *lens);
    if (lens)
        list->lens = lens;
    if (!grown || !lens)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    list->cap = cap;
    return ERRATA_OK;
}

/* Add item (s[0..n), which the list owns unless it is borrowed). */
static int strings_push(errata_strings *list, char *item, const char *s, size_t n)
{
    /* room for a few more: most lists are short */
    if (list->count == list->cap && strings_reserve(list, list->cap ? 2 * list->cap : 4))
        return ERRATA_ENOMEM;
    list->items[list->count] = item;
    int is_digit = n == strlen(DIGIT_ITEM) && memcmp(s, DIGIT_ITEM, n) == 0;
    list->lens[list->count++] = is_digit ? 0 : n;
    note_item_bytes(list, is_digit ? "" : s, is_digit ? 0 : n);
    return ERRATA_OK;
}

/* Add a copy of s[0..n). */
static int strings_add(errata_strings *list, const char *s, size_t n)
{
    char *copy = errata_strndup(s, n);
    if (!copy)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    int rc = strings_push(list, copy, s, n);
    if (rc)
        free(copy);
    return rc;
}

static void strings_clear(errata_strings *list)
{
    for (size_t i = 0; !list->borrowed && i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    free(list->lens);
    memset(list, 0, sizeof *list);
}

/* Split a comma-separated context list (in the entry's line, which it
   cuts up) into list, whose items point into the line. */
static int parse_context_list(const parse_state *st, errata_strings *list, char *value)
{
    if (!*value)
        return syntax_error(st, "empty context list");
    size_t items = 1;
    for (const char *c = value; (c = strchr(c, ',')); c++)
        items++;
    if (strings_reserve(list, list->count + items))
        return ERRATA_ENOMEM;
    list->borrowed = 1;
    while (*value) {
        char *comma = strchr(value, ',');
        size_t n = comma ? (size_t)(comma - value) : strlen(value);
        if (n == 0)
            return syntax_error(st, "empty item in a context list");
        if (comma)
            *comma = '\0';
        int rc = strings_push(list, value, value, n);
        if (rc)
            return rc;
        value += n + (comma ? 1 : 0);
    }
    return ERRATA_OK;
}

static int add_example(const parse_state *st, const char *text, size_t text_len,
                       const char *expected, size_t expected_len)
{
    errata_dictionary *d = st->dict;
    if (errata_grow((void **)&d->examples, &d->example_cap, d->example_count + 1, sizeof *d->examples))
        return ERRATA_ENOMEM;
    errata_example *ex = &d->examples[d->example_count];
    ex->text = errata_strndup(text, text_len);
    ex->expected = errata_strndup(expected, expected_len);
    ex->source = st->source;
    ex->line = st->line;
    if (!ex->text || !ex->expected) {
        free((char *)ex->text);
        free((char *)ex->expected);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    d->example_count++;
    return ERRATA_OK;
}

/* fix=TEXT>EXPECTED: TEXT must hold the corrupted form, EXPECTED the original. */
static int parse_fix_example(const parse_state *st, const errata_entry *e, const char *value)
{
    const char *arrow = strchr(value, '>');
    if (!arrow || arrow == value || !arrow[1])
        return syntax_error(st, "a fix example is written fix=TEXT>EXPECTED");
    size_t text_len = (size_t)(arrow - value);
    char *text = errata_strndup(value, text_len);
    if (!text)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    int has_corrupted = strstr(text, e->corrupted) != NULL;
    free(text);
    if (!has_corrupted)
        return syntax_error(st, "the fix example does not contain the corrupted form");
    if (!strstr(arrow + 1, e->original))
        return syntax_error(st, "the expected text of the fix example does not contain the original");
    return add_example(st, value, text_len, arrow + 1, strlen(arrow + 1));
}

static int parse_attribute(const parse_state *st, errata_entry *e, char *field)
{
    char *eq = strchr(field, '=');
    if (!eq)
        return syntax_error(st, "an attribute is written name=value");
    *eq = '\0';
    const char *name = field;
    char *value = eq + 1;
    if (strcmp(name, "fix-prev") == 0)
        return parse_context_list(st, &e->fix_prev, value);
    if (strcmp(name, "fix-next") == 0)
        return parse_context_list(st, &e->fix_next, value);
    if (strcmp(name, "keep-prev") == 0)
        return parse_context_list(st, &e->keep_prev, value);
    if (strcmp(name, "keep-next") == 0)
        return parse_context_list(st, &e->keep_next, value);
    if (strcmp(name, "fix") == 0)
        return parse_fix_example(st, e, value);
    if (strcmp(name, "keep") == 0) {
        if (!*value)
            return syntax_error(st, "empty keep example");
        return add_example(st, value, strlen(value), value, strlen(value));
    }
    char why[160];
    snprintf(why, sizeof why, "unknown attribute '%.64s'", name);
    return syntax_error(st, why);
}

static int parse_family(const char *s, errata_family *out)
{
    static const struct {
        const char *name;
        errata_family family;
    } names[] = {{"swap", ERRATA_FAMILY_ANY},
                 {"swap-a", ERRATA_FAMILY_A},
                 {"swap-b", ERRATA_FAMILY_B},
                 {"lookalike", ERRATA_FAMILY_LOOKALIKE},
                 {"user", ERRATA_FAMILY_USER}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].family;
            return 1;
        }
    return 0;
}

static void entry_clear(errata_entry *e)
{
    free(e->corrupted);
    free(e->original);
    free(e->rule);
    strings_clear(&e->fix_prev);
    strings_clear(&e->fix_next);
    strings_clear(&e->keep_prev);
    strings_clear(&e->keep_next);
    free(e->line);
}

static int fill_entry(const parse_state *st, errata_entry *e, char **fields, size_t n)
{
    if (!*fields[0] || !*fields[1])
        return syntax_error(st, "empty corrupted form or original");
    if (strcmp(fields[0], fields[1]) == 0)
        return syntax_error(st, "the corrupted form and the original are the same");
    e->family = ERRATA_FAMILY_USER;
    e->cls = ERRATA_CLASS_UNAMBIGUOUS;
    if (n >= 3 && !parse_family(fields[2], &e->family))
        return syntax_error(st, "unknown kind (swap, swap-a, swap-b, lookalike or user)");
    if (n >= 4) {
        if (strlen(fields[3]) != 1 || !strchr("UCG", fields[3][0]))
            return syntax_error(st, "unknown class (U, C or G)");
        e->cls = (errata_class)fields[3][0];
    }
    e->corrupted = strdup(fields[0]);
    e->original = strdup(fields[1]);
    size_t rule_len = strlen(fields[0]) + strlen(fields[1]) + 16;
    e->rule = malloc(rule_len);
    if (!e->corrupted || !e->original || !e->rule)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    snprintf(e->rule, rule_len, "%s/%s>%s",
             e->family == ERRATA_FAMILY_LOOKALIKE ? "lookalike" : "swap", e->corrupted, e->original);
    for (size_t i = 4; i < n; i++) {
        int rc = parse_attribute(st, e, fields[i]);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

/* An entry of the fields of line (which it takes on success: *line NULL). */
static int parse_entry(const parse_state *st, char **line, char **fields, size_t n)
{
    if (n == 3)
        return syntax_error(st, "an entry has 2 fields (corrupted, original) or at least 4 "
                                "(corrupted, original, kind, class)");
    errata_dictionary *d = st->dict;
    if (errata_grow((void **)&d->entries, &d->entry_cap, d->entry_count + 1, sizeof *d->entries))
        return ERRATA_ENOMEM;
    errata_entry *e = &d->entries[d->entry_count];
    memset(e, 0, sizeof *e);
    int rc = fill_entry(st, e, fields, n);
    if (rc) {
        entry_clear(e);
        return rc;
    }
    e->line = *line;
    *line = NULL;
    d->entry_count++;
    return ERRATA_OK;
}

/* One line, a private copy that an entry takes (*line_copy NULL then). */
static int parse_line(parse_state *st, char **line_copy, int *seen_header)
{
    char *line = *line_copy;
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    if (n == 0 || line[0] == '#')
        return ERRATA_OK;
    if (!*seen_header) {
        if (strcmp(line, DICT_HEADER) != 0)
            return syntax_error(st, "the first line must be the header '" DICT_HEADER "'");
        *seen_header = 1;
        return ERRATA_OK;
    }
    char *fields[MAX_FIELDS];
    size_t count = 0;
    for (char *field = line; field; count++) {
        if (count == MAX_FIELDS)
            return syntax_error(st, "too many fields");
        fields[count] = field;
        field = strchr(field, '\t');
        if (field)
            *field++ = '\0';
    }
    if (strcmp(fields[0], "!keep") == 0) {
        if (count != 2 || !*fields[1])
            return syntax_error(st, "a keep line is written !keep<TAB>word");
        return strings_add(&st->dict->keep_words, fields[1], strlen(fields[1]));
    }
    if (count < 2)
        return syntax_error(st, "expected fields separated by TAB: corrupted, original, kind, class");
    return parse_entry(st, line_copy, fields, count);
}

int errata_dictionary_parse(errata_dictionary *dict, const char *text, size_t len,
                            const char *source)
{
    size_t bad = errata_utf8_invalid_offset(text, len);
    if (bad < len)
        return errata_fail(ERRATA_EFORMAT, "%s: invalid UTF-8 at byte offset %zu", source, bad);
    int rc = strings_add(&dict->sources, source, strlen(source));
    if (rc)
        return rc;
    parse_state st = {dict, dict->sources.items[dict->sources.count - 1], 0};
    int seen_header = 0;
    size_t pos = 0;
    while (pos < len && !rc) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        st.line++;
        char *line = errata_strndup(text + pos, end - pos);
        if (!line)
            return errata_fail(ERRATA_ENOMEM, "out of memory");
        if (memchr(text + pos, '\0', end - pos))
            rc = syntax_error(&st, "NUL byte in the line");
        else
            rc = parse_line(&st, &line, &seen_header);
        free(line);
        pos = end + 1;
    }
    if (!rc && !seen_header)
        rc = errata_fail(ERRATA_EFORMAT, "%s: no header line '" DICT_HEADER "'", source);
    return rc;
}

int errata_dictionary_load_file(errata_dictionary *dict, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errata_fail(ERRATA_EIO, "%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc = ERRATA_OK;
    for (;;) {
        if ((rc = errata_grow((void **)&text, &cap, len + 65536, 1)))
            break;
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                rc = errata_fail(ERRATA_EIO, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (!rc)
        rc = errata_dictionary_parse(dict, text, len, path);
    free(text);
    return rc;
}

void errata_dictionary_clear(errata_dictionary *dict)
{
    for (size_t i = 0; i < dict->entry_count; i++)
        entry_clear(&dict->entries[i]);
    free(dict->entries);
    for (size_t i = 0; i < dict->example_count; i++) {
        free((char *)dict->examples[i].text);
        free((char *)dict->examples[i].expected);
    }
    free(dict->examples);
    strings_clear(&dict->keep_words);
    strings_clear(&dict->sources);
    memset(dict, 0, sizeof *dict);
}

/* Length of the digit at text[pos] (ASCII or full-width), 0 if none. */
static size_t digit_at(const char *text, size_t len, size_t pos)
{
    if (pos < len && text[pos] >= '0' && text[pos] <= '9')
        return 1;
    /* U+FF10..U+FF19 are EF BC 90..99 */
    if (pos + 3 <= len && (unsigned char)text[pos] == 0xEF && (unsigned char)text[pos + 1] == 0xBC &&
        (unsigned char)text[pos + 2] >= 0x90 && (unsigned char)text[pos + 2] <= 0x99)
        return 3;
    return 0;
}

static size_t digit_before(const char *text, size_t end)
{
    if (end >= 1 && text[end - 1] >= '0' && text[end - 1] <= '9')
        return 1;
    if (end >= 3 && digit_at(text, end, end - 3) == 3)
        return 3;
    return 0;
}

/* Whether a[0..n) equals b[0..n) (n > 0): the first and last bytes are
   compared first, the last byte of a Chinese string (a continuation byte)
   telling most strings apart. */
static int bytes_match(const char *a, const char *b, size_t n)
{
    return a[0] == b[0] && a[n - 1] == b[n - 1] && memcmp(a, b, n) == 0;
}

const char *errata_strings_match_at(const errata_strings *list, const char *text, size_t len,
                                   size_t pos)
{
    if (!list->has_short_item &&
        (pos + 3 > len || !has_byte(list->third_bytes, (unsigned char)text[pos + 2])))
        return NULL; /* every item has three bytes or more, none the byte found third */
    for (size_t i = 0; i < list->count; i++) {
        const char *s = list->items[i];
        size_t n = list->lens[i];
        if (n == 0 ? digit_at(text, len, pos) > 0
                   : pos + n <= len && bytes_match(text + pos, s, n))
            return s;
    }
    return NULL;
}

const char *errata_strings_match_before(const errata_strings *list, const char *text, size_t end)
{
    if (end == 0 || !has_byte(list->last_bytes, (unsigned char)text[end - 1]))
        return NULL; /* no item ends with the byte before end */
    for (size_t i = 0; i < list->count; i++) {
        const char *s = list->items[i];
        size_t n = list->lens[i];
        if (n == 0 ? digit_before(text, end) > 0
                   : n <= end && bytes_match(text + end - n, s, n))
            return s;
    }
    return NULL;
}
