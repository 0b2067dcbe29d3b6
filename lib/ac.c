/* Aho-Corasick automaton compiled to a full DFA over byte classes: the bytes
   that occur in no pattern share one class, which keeps the table small for
   UTF-8 keys (a few dozen classes instead of 256).

   When every pattern is valid UTF-8, no occurrence can start at a
   continuation byte, end inside a character or hold part of a character, so
   a three-byte character (most of a Chinese text) can take one transition
   instead of three: each state's row also holds a column per three-byte
   character that some pattern holds, and all other such characters share
   one column that leads back to the start state. Past a size cap (a big
   --dict), the table keeps byte columns only, and a character that no
   pattern holds (or, in the start state, that no pattern starts with) is
   skipped with one bit test. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ac.h"
#include "internal.h"

/* In rows, a transition is the target state's row (state * row_width),
   with this bit set when a pattern ends there or at one of its suffixes. */
#define AC_REPORT 0x80000000u

/* The most cells the table can address (the rest of a uint32_t). */
#define AC_MAX_CELLS ((size_t)AC_REPORT)

/* Character columns are added only while the whole table stays within this
   many cells (16 MB): their count grows as states times characters. */
#define AC_CHAR_TABLE_CELLS ((size_t)1 << 22)

#define AC_CHAR_BITS 65536 /* payload values of a three-byte sequence */

struct errata_ac {
    uint8_t byte_class[256];
    size_t class_count;
    size_t max_states; /* so that the table stays within the cell limit */
    size_t state_count;
    int32_t *next;        /* state_count * class_count transitions, while building */
    uint32_t *rows;       /* state_count rows of row_width, for scanning (see AC_REPORT) */
    size_t row_width;     /* class_count byte columns, then char_class_count ones */
    uint16_t *char_class; /* per three-byte character: its column after the byte
                             ones, 0 for one no pattern holds; NULL: bytes only */
    size_t char_class_count;
    int32_t *class_chars; /* the reverse (payload bits by column), while building */
    int32_t *fail;        /* each state's failure link, while building */
    int32_t *order;       /* the states but the start one, breadth first, while building */
    int32_t *pattern;     /* pattern ending at the state, or -1 */
    int32_t *output_link; /* nearest proper suffix state that ends a pattern, or -1 */
    uint32_t *pattern_len;
    size_t pattern_count;
    int skips;             /* every pattern is valid UTF-8: the sets below are usable */
    uint64_t *first_chars; /* three-byte characters (by their 16 payload bits) that */
    uint64_t *all_chars;   /* start a pattern, that occur in one: AC_CHAR_SET_WORDS each */
    int in_place;          /* the arrays lie in an image (errata_ac_open_image) */
};

#define AC_CHAR_SET_WORDS (AC_CHAR_BITS / 64)

static void assign_byte_classes(errata_ac *ac, const char *const *patterns, size_t count)
{
    memset(ac->byte_class, 0, sizeof ac->byte_class);
    ac->class_count = 1;
    for (size_t p = 0; p < count; p++)
        for (const unsigned char *b = (const unsigned char *)patterns[p]; *b; b++)
            if (!ac->byte_class[*b])
                ac->byte_class[*b] = (uint8_t)ac->class_count++;
}

/* The 16 payload bits of a three-byte sequence (lead 1110xxxx, two
   continuation bytes), or -1 if s[0..2] is none. */
static inline int32_t three_byte_bits(const unsigned char *s)
{
    if ((s[0] & 0xF0) != 0xE0 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
        return -1;
    return (int32_t)((s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu));
}

static void add_char(uint64_t *set, int32_t bits) { set[bits >> 6] |= (uint64_t)1 << (bits & 63); }

static int has_char(const uint64_t *set, int32_t bits) { return (set[bits >> 6] >> (bits & 63)) & 1; }

static void note_chars(errata_ac *ac, const char *const *patterns, size_t count)
{
    ac->skips = 1;
    for (size_t p = 0; p < count; p++) {
        const unsigned char *s = (const unsigned char *)patterns[p];
        size_t n = strlen(patterns[p]);
        if (errata_utf8_invalid_offset(patterns[p], n) != n)
            ac->skips = 0;
        for (size_t i = 0; i + 3 <= n; i++) {
            int32_t bits = three_byte_bits(s + i);
            if (bits >= 0 && i == 0)
                add_char(ac->first_chars, bits);
            if (bits >= 0)
                add_char(ac->all_chars, bits);
        }
    }
}

static int too_many_states(const errata_ac *ac, size_t count)
{
    return errata_fail(ERRATA_ENOMEM,
                       "dictionary too large for the automaton: its %zu keys need more than "
                       "%zu states of %zu byte classes each (at most %zu transitions)",
                       count, ac->max_states, ac->class_count, ac->max_states * ac->class_count);
}

/* The new state's number, or an ERRATA_E* value. */
static int add_state(errata_ac *ac, size_t *cap, size_t key_count)
{
    size_t need = ac->state_count + 1;
    if (need > ac->max_states)
        return too_many_states(ac, key_count);
    if (need > *cap) {
        size_t new_cap = *cap ? *cap * 2 : 64;
        if (new_cap > ac->max_states)
            new_cap = ac->max_states;
        int32_t *next = realloc(ac->next, new_cap * ac->class_count * sizeof *next);
        if (!next)
            return errata_fail(ERRATA_ENOMEM, "out of memory");
        ac->next = next;
        int32_t *pattern = realloc(ac->pattern, new_cap * sizeof *pattern);
        if (!pattern)
            return errata_fail(ERRATA_ENOMEM, "out of memory");
        ac->pattern = pattern;
        *cap = new_cap;
    }
    size_t s = ac->state_count++;
    for (size_t c = 0; c < ac->class_count; c++)
        ac->next[s * ac->class_count + c] = -1;
    ac->pattern[s] = -1;
    return (int)s;
}

static int build_trie(errata_ac *ac, const char *const *patterns, size_t count)
{
    size_t cap = 0;
    int root = add_state(ac, &cap, count);
    if (root < 0)
        return root;
    for (size_t p = 0; p < count; p++) {
        int32_t s = 0;
        for (const unsigned char *b = (const unsigned char *)patterns[p]; *b; b++) {
            int32_t *slot = &ac->next[(size_t)s * ac->class_count + ac->byte_class[*b]];
            if (*slot < 0) {
                int t = add_state(ac, &cap, count);
                if (t < 0)
                    return t;
                slot = &ac->next[(size_t)s * ac->class_count + ac->byte_class[*b]];
                *slot = t;
            }
            s = *slot;
        }
        ac->pattern[s] = (int32_t)p;
        ac->pattern_len[p] = (uint32_t)strlen(patterns[p]);
    }
    return ERRATA_OK;
}

/* Breadth-first: failure links become DFA transitions and output links. */
static int link_states(errata_ac *ac)
{
    size_t k = ac->class_count;
    int32_t *fail = ac->fail = malloc(ac->state_count * sizeof *fail);
    int32_t *queue = ac->order = malloc(ac->state_count * sizeof *queue);
    ac->output_link = malloc(ac->state_count * sizeof *ac->output_link);
    if (!fail || !queue || !ac->output_link)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t head = 0, tail = 0;
    fail[0] = 0;
    ac->output_link[0] = -1;
    for (size_t c = 0; c < k; c++) {
        int32_t t = ac->next[c];
        if (t < 0) {
            ac->next[c] = 0;
        } else {
            fail[t] = 0;
            ac->output_link[t] = -1;
            queue[tail++] = t;
        }
    }
    while (head < tail) {
        int32_t s = queue[head++];
        for (size_t c = 0; c < k; c++) {
            int32_t t = ac->next[(size_t)s * k + c];
            int32_t via_fail = ac->next[(size_t)fail[s] * k + c];
            if (t < 0) {
                ac->next[(size_t)s * k + c] = via_fail;
                continue;
            }
            fail[t] = via_fail;
            ac->output_link[t] = ac->pattern[via_fail] >= 0 ? via_fail : ac->output_link[via_fail];
            queue[tail++] = t;
        }
    }
    return ERRATA_OK;
}

/* Number the three-byte characters that patterns hold 1, 2, ... (0 for all
   others), when their columns fit under the cap; else leave char_class NULL. */
static int number_chars(errata_ac *ac)
{
    size_t chars = 0;
    for (size_t w = 0; w < AC_CHAR_SET_WORDS; w++)
        chars += (size_t)__builtin_popcountll(ac->all_chars[w]);
    size_t width = ac->class_count + chars + 1;
    if (!ac->skips || chars >= UINT16_MAX || ac->state_count > AC_CHAR_TABLE_CELLS / width)
        return ERRATA_OK;
    ac->char_class = calloc(AC_CHAR_BITS, sizeof *ac->char_class);
    if (!ac->char_class)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    ac->class_chars = malloc((chars + 1) * sizeof *ac->class_chars);
    if (!ac->class_chars)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    ac->char_class_count = 1;
    for (size_t w = 0; w < AC_CHAR_SET_WORDS; w++) {
        for (uint64_t word = ac->all_chars[w]; word; word &= word - 1) {
            int32_t bits = (int32_t)(w * 64) + __builtin_ctzll(word);
            ac->class_chars[ac->char_class_count] = bits;
            ac->char_class[bits] = (uint16_t)ac->char_class_count++;
        }
    }
    return ERRATA_OK;
}

/* The transition of a row (as in rows) on a byte. */
static inline uint32_t byte_step(const errata_ac *ac, uint32_t row, unsigned byte)
{
    return ac->rows[(row & ~AC_REPORT) + ac->byte_class[byte]];
}

/* The start state's character columns: the transition on each character's
   three bytes; characters are numbered in code order, so those sharing
   their first two bytes come together and share the first two steps. */
static void fill_start_columns(errata_ac *ac)
{
    uint32_t *columns = ac->rows + ac->class_count;
    columns[0] = 0; /* characters that no pattern holds: the start state */
    int32_t prefix = -1;
    uint32_t after_two = 0;
    for (size_t c = 1; c < ac->char_class_count; c++) {
        unsigned bits = (unsigned)ac->class_chars[c];
        if ((int32_t)(bits >> 6) != prefix) {
            prefix = (int32_t)(bits >> 6);
            uint32_t after_lead = byte_step(ac, 0, 0xE0 | bits >> 12);
            after_two = byte_step(ac, after_lead, 0x80 | (bits >> 6 & 0x3F));
        }
        columns[c] = byte_step(ac, after_two, 0x80 | (bits & 0x3F));
    }
}

/* A step of the trie on a whole character: from the state of row `from`
   (the row's first cell) to the transition `to` in column `column`. */
typedef struct {
    uint32_t from, column, to;
} char_step;

static int by_state(const void *a, const void *b)
{
    const char_step *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* Every step of the trie on a three-byte character, by the state it leaves
   (walking the patterns; a pattern's prefix is in the trie, so the
   automaton's transitions along it are the trie's).  NULL when out of
   memory; *count steps. */
static char_step *trie_char_steps(const errata_ac *ac, const char *const *patterns,
                                  size_t pattern_count, size_t *count)
{
    size_t bytes = 0;
    for (size_t p = 0; p < pattern_count; p++)
        bytes += ac->pattern_len[p];
    char_step *steps = malloc((bytes / 3 + 1) * sizeof *steps);
    if (!steps)
        return NULL;
    size_t n = 0;
    for (size_t p = 0; p < pattern_count; p++) {
        const unsigned char *b = (const unsigned char *)patterns[p];
        size_t len = ac->pattern_len[p], i = 0;
        uint32_t row = 0;
        while (i < len) {
            size_t seq = errata_utf8_seq_len(b[i]);
            int32_t bits = seq == 3 ? three_byte_bits(b + i) : -1;
            uint32_t from = row & ~AC_REPORT;
            for (size_t end = i + seq; i < end; i++)
                row = byte_step(ac, row, b[i]);
            if (bits >= 0)
                steps[n++] = (char_step){from, ac->char_class[bits], row};
        }
    }
    qsort(steps, n, sizeof *steps, by_state);
    *count = n;
    return steps;
}

/* Every other state's character columns.  A state goes on a character
   where its failure state goes, unless the character's three bytes lead on
   through the trie from it (as on a single byte); the failure state lies
   nearer the start, so breadth first its columns are complete. */
static int fill_char_columns(errata_ac *ac, const char *const *patterns, size_t pattern_count)
{
    fill_start_columns(ac);
    size_t step_count;
    char_step *steps = trie_char_steps(ac, patterns, pattern_count, &step_count);
    if (!steps)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t columns_size = ac->char_class_count * sizeof *ac->rows;
    for (size_t k = 0; k + 1 < ac->state_count; k++) {
        uint32_t row = (uint32_t)((size_t)ac->order[k] * ac->row_width);
        uint32_t fail_row = (uint32_t)((size_t)ac->fail[ac->order[k]] * ac->row_width);
        uint32_t *columns = ac->rows + row + ac->class_count;
        memcpy(columns, ac->rows + fail_row + ac->class_count, columns_size);
        columns[0] = 0; /* characters that no pattern holds: the start state */
        char_step key = {row, 0, 0};
        char_step *step = bsearch(&key, steps, step_count, sizeof *steps, by_state);
        while (step && step > steps && step[-1].from == row)
            step--;
        for (; step && step < steps + step_count && step->from == row; step++)
            columns[step->column] = step->to;
    }
    free(steps);
    return ERRATA_OK;
}

/* The scanning table: no multiplication per byte, and one test tells
   whether anything ends at it. */
static int make_rows(errata_ac *ac)
{
    size_t k = ac->class_count;
    ac->row_width = k + ac->char_class_count;
    ac->rows = malloc(ac->state_count * ac->row_width * sizeof *ac->rows);
    uint32_t *target = malloc(ac->state_count * sizeof *target); /* a transition to each state */
    if (!ac->rows || !target) {
        free(target);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    for (size_t t = 0; t < ac->state_count; t++)
        target[t] = (uint32_t)(t * ac->row_width) |
                    (ac->pattern[t] >= 0 || ac->output_link[t] >= 0 ? AC_REPORT : 0);
    for (size_t s = 0; s < ac->state_count; s++)
        for (size_t c = 0; c < k; c++)
            ac->rows[s * ac->row_width + c] = target[ac->next[s * k + c]];
    free(target);
    free(ac->next);
    ac->next = NULL;
    return ERRATA_OK;
}

int errata_ac_build_limited(errata_ac **out, const char *const *patterns, size_t count,
                            size_t max_cells)
{
    errata_ac *ac = calloc(1, sizeof *ac);
    if (!ac)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    ac->pattern_count = count;
    ac->pattern_len = calloc(count ? count : 1, sizeof *ac->pattern_len);
    ac->first_chars = calloc(2 * AC_CHAR_SET_WORDS, sizeof *ac->first_chars);
    if (!ac->pattern_len || !ac->first_chars) {
        errata_ac_free(ac);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    ac->all_chars = ac->first_chars + AC_CHAR_SET_WORDS;
    assign_byte_classes(ac, patterns, count);
    if (max_cells > AC_MAX_CELLS)
        max_cells = AC_MAX_CELLS;
    ac->max_states = max_cells / ac->class_count;
    note_chars(ac, patterns, count);
    int rc = build_trie(ac, patterns, count);
    if (!rc)
        rc = link_states(ac);
    if (!rc)
        rc = number_chars(ac);
    if (!rc)
        rc = make_rows(ac);
    if (!rc && ac->char_class)
        rc = fill_char_columns(ac, patterns, count);
    free(ac->fail);
    free(ac->order);
    free(ac->class_chars);
    ac->fail = ac->order = ac->class_chars = NULL;
    if (rc) {
        errata_ac_free(ac);
        return rc;
    }
    *out = ac;
    return ERRATA_OK;
}

int errata_ac_build(errata_ac **out, const char *const *patterns, size_t count)
{
    return errata_ac_build_limited(out, patterns, count, AC_MAX_CELLS);
}

int errata_ac_by_chars(const errata_ac *ac) { return ac->char_class != NULL; }

void errata_ac_free(errata_ac *ac)
{
    if (!ac)
        return;
    if (ac->in_place) {
        free(ac);
        return;
    }
    free(ac->first_chars);
    free(ac->next);
    free(ac->rows);
    free(ac->char_class);
    free(ac->class_chars);
    free(ac->pattern);
    free(ac->output_link);
    free(ac->pattern_len);
    free(ac);
}

/* The callback for every pattern ending at the state of this row, which
   ends the text's first `end` bytes. */
static int report(const errata_ac *ac, uint32_t row, size_t end, errata_ac_callback callback,
                  void *ctx)
{
    int32_t s = (int32_t)((row & ~AC_REPORT) / ac->row_width);
    for (int32_t o = ac->pattern[s] >= 0 ? s : ac->output_link[s]; o >= 0; o = ac->output_link[o]) {
        size_t p = (size_t)ac->pattern[o];
        int rc = callback(ctx, p, end - ac->pattern_len[p], end);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

static int scan_by_chars(const errata_ac *ac, const unsigned char *bytes, size_t len,
                         errata_ac_callback callback, void *ctx)
{
    const uint32_t *char_rows = ac->rows + ac->class_count;
    const uint16_t *char_class = ac->char_class;
    uint32_t row = 0;
    size_t i = 0;
    while (i < len) {
        int32_t bits = len - i >= 3 ? three_byte_bits(bytes + i) : -1;
        if (bits >= 0) {
            row = char_rows[(row & ~AC_REPORT) + char_class[bits]];
            i += 3;
        } else {
            row = byte_step(ac, row, bytes[i]);
            i++;
        }
        if (row & AC_REPORT) {
            int rc = report(ac, row, i, callback, ctx);
            if (rc)
                return rc;
        }
    }
    return ERRATA_OK;
}

static int scan_by_bytes(const errata_ac *ac, const unsigned char *bytes, size_t len,
                         errata_ac_callback callback, void *ctx)
{
    uint32_t row = 0;
    size_t i = 0;
    while (i < len) {
        size_t n = 1;
        int32_t bits = ac->skips && len - i >= 3 ? three_byte_bits(bytes + i) : -1;
        if (bits >= 0) {
            if (!has_char(row == 0 ? ac->first_chars : ac->all_chars, bits)) {
                row = 0;
                i += 3;
                continue;
            }
            n = 3;
        }
        for (size_t end = i + n; i < end; i++) {
            row = byte_step(ac, row, bytes[i]);
            if (row & AC_REPORT) {
                int rc = report(ac, row, i + 1, callback, ctx);
                if (rc)
                    return rc;
            }
        }
    }
    return ERRATA_OK;
}

int errata_ac_scan(const errata_ac *ac, const char *text, size_t len, errata_ac_callback callback,
                   void *ctx)
{
    const unsigned char *bytes = (const unsigned char *)text;
    if (ac->char_class)
        return scan_by_chars(ac, bytes, len, callback, ctx);
    return scan_by_bytes(ac, bytes, len, callback, ctx);
}

/* ------------------------------------------------------------ image */

/* The automaton as an image read in place, so that the built-in
   dictionary's automaton is built with the library instead of at every
   start-up.  After the header (integers little-endian, checked by
   errata_check_image_header), each section 8-byte aligned, in the host's
   byte order (the image is built on the machine that builds the library):
   byte_class[256], first_chars and all_chars (u64, AC_CHAR_SET_WORDS each),
   pattern and output_link (i32 per state), pattern_len (u32 per pattern),
   rows (u32, states * row_width), char_class (u16 per three-byte
   character; only when there are character columns). */
#define AC_MAGIC "ERRATAAC"
#define AC_VERSION 1
#define AC_HEADER_SIZE 64
#define AC_BYTE_ORDER 0x01020304u /* as the host stores it, at offset 44 */

static const errata_image_format ac_format = {AC_MAGIC, AC_VERSION, AC_HEADER_SIZE, "automaton"};

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Offsets of the sections (and, last, the image's size) for these counts. */
typedef struct {
    size_t byte_class, char_sets, pattern, output_link, pattern_len, rows, char_class, size;
} image_layout;

static image_layout layout_of(size_t patterns, size_t states, size_t row_width, int by_chars)
{
    image_layout l;
    l.byte_class = AC_HEADER_SIZE;
    l.char_sets = align8(l.byte_class + 256);
    l.pattern = align8(l.char_sets + 2 * AC_CHAR_SET_WORDS * sizeof(uint64_t));
    l.output_link = align8(l.pattern + states * sizeof(int32_t));
    l.pattern_len = align8(l.output_link + states * sizeof(int32_t));
    l.rows = align8(l.pattern_len + patterns * sizeof(uint32_t));
    l.char_class = align8(l.rows + states * row_width * sizeof(uint32_t));
    l.size = align8(l.char_class + (by_chars ? AC_CHAR_BITS * sizeof(uint16_t) : 0));
    return l;
}

int errata_ac_image(const errata_ac *ac, uint32_t keys_checksum, unsigned char **out,
                    size_t *out_len)
{
    image_layout l = layout_of(ac->pattern_count, ac->state_count, ac->row_width,
                               ac->char_class != NULL);
    unsigned char *img = errata_image_new(&ac_format, l.size);
    if (!img)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    errata_store_le32(img + 24, (uint32_t)ac->pattern_count);
    errata_store_le32(img + 28, (uint32_t)ac->state_count);
    errata_store_le32(img + 32, (uint32_t)ac->class_count);
    errata_store_le32(img + 36, (uint32_t)ac->char_class_count);
    errata_store_le32(img + 40, keys_checksum);
    uint32_t order = AC_BYTE_ORDER;
    memcpy(img + 44, &order, 4);
    errata_store_le32(img + 48, (uint32_t)ac->skips);
    errata_image_seal_header(img, &ac_format);
    memcpy(img + l.byte_class, ac->byte_class, 256);
    memcpy(img + l.char_sets, ac->first_chars, 2 * AC_CHAR_SET_WORDS * sizeof(uint64_t));
    memcpy(img + l.pattern, ac->pattern, ac->state_count * sizeof(int32_t));
    memcpy(img + l.output_link, ac->output_link, ac->state_count * sizeof(int32_t));
    memcpy(img + l.pattern_len, ac->pattern_len, ac->pattern_count * sizeof(uint32_t));
    memcpy(img + l.rows, ac->rows, ac->state_count * ac->row_width * sizeof(uint32_t));
    if (ac->char_class)
        memcpy(img + l.char_class, ac->char_class, AC_CHAR_BITS * sizeof(uint16_t));
    *out = img;
    *out_len = l.size;
    return ERRATA_OK;
}

/* The counts of a sound header, checked against the image's size. */
static int check_ac_header(const unsigned char *data, size_t size, const char *name,
                           uint32_t keys_checksum, image_layout *l)
{
    int rc = errata_check_image_header(data, size, name, &ac_format);
    if (rc)
        return rc;
    uint32_t order;
    memcpy(&order, data + 44, 4);
    if (order != AC_BYTE_ORDER)
        return errata_fail(ERRATA_EFORMAT, "%s: built for another byte order", name);
    if (errata_load_le32(data + 40) != keys_checksum)
        return errata_fail(ERRATA_EFORMAT,
                           "%s: made for other dictionary keys (checksum %08x, the keys' %08x)",
                           name, errata_load_le32(data + 40), keys_checksum);
    size_t patterns = errata_load_le32(data + 24), states = errata_load_le32(data + 28);
    size_t classes = errata_load_le32(data + 32), char_classes = errata_load_le32(data + 36);
    if (states == 0 || classes == 0 || classes > 256 || char_classes > AC_CHAR_BITS ||
        (states + 1) * (classes + char_classes) > AC_MAX_CELLS)
        return errata_fail(ERRATA_EFORMAT,
                           "%s: impossible counts (%zu states, %zu byte and %zu character columns)",
                           name, states, classes, char_classes);
    *l = layout_of(patterns, states, classes + char_classes, char_classes > 0);
    if (l->size != size)
        return errata_fail(ERRATA_EFORMAT, "%s: %zu bytes, its counts make %zu", name, size, l->size);
    return ERRATA_OK;
}

int errata_ac_open_image(errata_ac **out, const void *data, size_t size, const char *name,
                         uint32_t keys_checksum)
{
    *out = NULL;
    const unsigned char *bytes = data;
    if ((uintptr_t)bytes % 8 != 0)
        return errata_fail(ERRATA_EINVAL, "%s: not 8-byte aligned in memory", name);
    image_layout l = {0};
    int rc = check_ac_header(bytes, size, name, keys_checksum, &l);
    if (rc)
        return rc;
    errata_ac *ac = calloc(1, sizeof *ac);
    if (!ac)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    ac->in_place = 1;
    ac->pattern_count = errata_load_le32(bytes + 24);
    ac->state_count = errata_load_le32(bytes + 28);
    ac->class_count = errata_load_le32(bytes + 32);
    ac->char_class_count = errata_load_le32(bytes + 36);
    ac->skips = errata_load_le32(bytes + 48) != 0;
    ac->row_width = ac->class_count + ac->char_class_count;
    memcpy(ac->byte_class, bytes + l.byte_class, 256);
    /* The image is read in place: its arrays are never written. */
    ac->first_chars = (uint64_t *)(uintptr_t)(bytes + l.char_sets);
    ac->all_chars = ac->first_chars + AC_CHAR_SET_WORDS;
    ac->pattern = (int32_t *)(uintptr_t)(bytes + l.pattern);
    ac->output_link = (int32_t *)(uintptr_t)(bytes + l.output_link);
    ac->pattern_len = (uint32_t *)(uintptr_t)(bytes + l.pattern_len);
    ac->rows = (uint32_t *)(uintptr_t)(bytes + l.rows);
    ac->char_class = ac->char_class_count ? (uint16_t *)(uintptr_t)(bytes + l.char_class) : NULL;
    *out = ac;
    return ERRATA_OK;
}
