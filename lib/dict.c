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

/* Add s[0..n) and a NUL to the dictionary's text: *offset is where. */
static int add_text(errata_dictionary *d, const char *s, size_t n, uint32_t *offset)
{
    if (d->text_len + n + 1 > UINT32_MAX)
        return errata_fail(ERRATA_ENOMEM, "dictionaries too large: more than 4 GB of strings");
    if (errata_grow((void **)&d->text, &d->text_cap, d->text_len + n + 1, 1))
        return ERRATA_ENOMEM;
    memcpy(d->text + d->text_len, s, n);
    d->text[d->text_len + n] = '\0';
    *offset = (uint32_t)d->text_len;
    d->text_len += n + 1;
    return ERRATA_OK;
}

static int add_item(errata_dictionary *d, uint32_t offset, uint32_t len)
{
    size_t cap = d->item_cap;
    if (errata_grow((void **)&d->item_offsets, &cap, d->item_count + 1, sizeof *d->item_offsets) ||
        errata_grow((void **)&d->item_lens, &d->item_cap, d->item_count + 1, sizeof *d->item_lens))
        return ERRATA_ENOMEM;
    d->item_offsets[d->item_count] = offset;
    d->item_lens[d->item_count++] = len;
    return ERRATA_OK;
}

/* A list's items must lie together at the end of the item arrays before
   more are added (an attribute given twice in one entry). */
static int move_list_to_end(errata_dictionary *d, errata_strings *list)
{
    if (list->count == 0 || list->first + list->count == d->item_count)
        return ERRATA_OK;
    size_t first = d->item_count;
    for (uint32_t i = 0; i < list->count; i++)
        if (add_item(d, d->item_offsets[list->first + i], d->item_lens[list->first + i]))
            return ERRATA_ENOMEM;
    list->first = (uint32_t)first;
    return ERRATA_OK;
}

/* Split a comma-separated context list into items of list. */
static int parse_context_list(const parse_state *st, errata_strings *list, const char *value)
{
    errata_dictionary *d = st->dict;
    if (!*value)
        return syntax_error(st, "empty context list");
    uint32_t at;
    if (move_list_to_end(d, list) || add_text(d, value, strlen(value), &at))
        return ERRATA_ENOMEM;
    if (list->count == 0)
        list->first = (uint32_t)d->item_count;
    while (d->text[at]) {
        char *item = d->text + at;
        char *comma = strchr(item, ',');
        size_t n = comma ? (size_t)(comma - item) : strlen(item);
        if (n == 0)
            return syntax_error(st, "empty item in a context list");
        if (comma)
            *comma = '\0';
        int is_digit = n == strlen(DIGIT_ITEM) && memcmp(item, DIGIT_ITEM, n) == 0;
        note_item_bytes(list, item, is_digit ? 0 : n);
        if (add_item(d, at, is_digit ? 0 : (uint32_t)n))
            return ERRATA_ENOMEM;
        list->count++;
        at += (uint32_t)n + (comma ? 1 : 0);
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
    int has_corrupted = strstr(text, errata_dict_string(st->dict, e->corrupted)) != NULL;
    free(text);
    if (!has_corrupted)
        return syntax_error(st, "the fix example does not contain the corrupted form");
    if (!strstr(arrow + 1, errata_dict_string(st->dict, e->original)))
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

/* The rule name of the entry, "swap/开展>发展", added to the text. */
static int add_rule(errata_dictionary *d, errata_entry *e)
{
    const char *corrupted = errata_dict_string(d, e->corrupted);
    const char *original = errata_dict_string(d, e->original);
    const char *kind = e->family == ERRATA_FAMILY_LOOKALIKE ? "lookalike" : "swap";
    size_t len = strlen(kind) + strlen(corrupted) + strlen(original) + 2;
    char *rule = malloc(len + 1);
    if (!rule)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    snprintf(rule, len + 1, "%s/%s>%s", kind, corrupted, original);
    int rc = add_text(d, rule, len, &e->rule);
    free(rule);
    return rc;
}

static int fill_entry(const parse_state *st, errata_entry *e, char **fields, size_t n)
{
    errata_dictionary *d = st->dict;
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
    if (add_text(d, fields[0], strlen(fields[0]), &e->corrupted) ||
        add_text(d, fields[1], strlen(fields[1]), &e->original) || add_rule(d, e))
        return ERRATA_ENOMEM;
    for (size_t i = 4; i < n; i++) {
        int rc = parse_attribute(st, e, fields[i]);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

/* An entry of the fields of a line.  A refused entry's strings stay in the
   dictionary's text, unused: a refusal fails the whole load. */
static int parse_entry(const parse_state *st, char **fields, size_t n)
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
    if (!rc)
        d->entry_count++;
    return rc;
}

static int add_keep_word(errata_dictionary *d, const char *word)
{
    if (errata_grow((void **)&d->keep_words, &d->keep_word_cap, d->keep_word_count + 1,
                    sizeof *d->keep_words))
        return ERRATA_ENOMEM;
    return add_text(d, word, strlen(word), &d->keep_words[d->keep_word_count++]);
}

/* One line, cut up in place. */
static int parse_line(parse_state *st, char *line, int *seen_header)
{
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
        return add_keep_word(st->dict, fields[1]);
    }
    if (count < 2)
        return syntax_error(st, "expected fields separated by TAB: corrupted, original, kind, class");
    return parse_entry(st, fields, count);
}

static int add_source(errata_dictionary *d, const char *source)
{
    if (errata_grow((void **)&d->sources, &d->source_cap, d->source_count + 1, sizeof *d->sources))
        return ERRATA_ENOMEM;
    d->sources[d->source_count] = strdup(source);
    if (!d->sources[d->source_count])
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    d->source_count++;
    return ERRATA_OK;
}

int errata_dictionary_parse(errata_dictionary *dict, const char *text, size_t len,
                            const char *source)
{
    if (dict->in_place)
        return errata_fail(ERRATA_EINVAL, "%s: the dictionary is read in place from an image",
                           source);
    size_t bad = errata_utf8_invalid_offset(text, len);
    if (bad < len)
        return errata_fail(ERRATA_EFORMAT, "%s: invalid UTF-8 at byte offset %zu", source, bad);
    int rc = add_source(dict, source);
    if (rc)
        return rc;
    parse_state st = {dict, dict->sources[dict->source_count - 1], 0};
    int seen_header = 0;
    char *line = NULL; /* a copy of each line in turn, cut up by the parse */
    size_t line_cap = 0, pos = 0;
    while (pos < len && !rc) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        st.line++;
        if ((rc = errata_grow((void **)&line, &line_cap, end - pos + 1, 1)))
            break;
        memcpy(line, text + pos, end - pos);
        line[end - pos] = '\0';
        if (memchr(text + pos, '\0', end - pos))
            rc = syntax_error(&st, "NUL byte in the line");
        else
            rc = parse_line(&st, line, &seen_header);
        pos = end + 1;
    }
    free(line);
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
    if (!dict->in_place) {
        free(dict->text);
        free(dict->entries);
        free(dict->item_offsets);
        free(dict->item_lens);
        for (size_t i = 0; i < dict->example_count; i++) {
            free((char *)dict->examples[i].text);
            free((char *)dict->examples[i].expected);
        }
    }
    free(dict->keep_words);
    free(dict->examples);
    for (size_t i = 0; i < dict->source_count; i++)
        free(dict->sources[i]);
    free(dict->sources);
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

const char *errata_strings_match_at(const errata_dictionary *dict, const errata_strings *list,
                                    const char *text, size_t len, size_t pos)
{
    if (!list->has_short_item &&
        (pos + 3 > len || !has_byte(list->third_bytes, (unsigned char)text[pos + 2])))
        return NULL; /* every item has three bytes or more, none the byte found third */
    for (size_t i = list->first; i < (size_t)list->first + list->count; i++) {
        const char *s = dict->text + dict->item_offsets[i];
        size_t n = dict->item_lens[i];
        if (n == 0 ? digit_at(text, len, pos) > 0
                   : pos + n <= len && bytes_match(text + pos, s, n))
            return s;
    }
    return NULL;
}

const char *errata_strings_match_before(const errata_dictionary *dict, const errata_strings *list,
                                        const char *text, size_t end)
{
    if (end == 0 || !has_byte(list->last_bytes, (unsigned char)text[end - 1]))
        return NULL; /* no item ends with the byte before end */
    for (size_t i = list->first; i < (size_t)list->first + list->count; i++) {
        const char *s = dict->text + dict->item_offsets[i];
        size_t n = dict->item_lens[i];
        if (n == 0 ? digit_before(text, end) > 0
                   : n <= end && bytes_match(text + end - n, s, n))
            return s;
    }
    return NULL;
}
