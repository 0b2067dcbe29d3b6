/* Aho-Corasick automaton compiled to a full DFA over byte classes: the bytes
   that occur in no pattern share one class, which keeps the table small for
   UTF-8 keys (a few dozen classes instead of 256).

   A three-byte character that no pattern holds is skipped whole (one bit
   test instead of three transitions), and so is, in the start state, one
   that no pattern starts with: when every pattern is valid UTF-8, no
   occurrence can start at a continuation byte or hold part of a character,
   so the automaton would be back in the start state after it, having found
   nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ac.h"
#include "internal.h"

/* In rows, a transition is the target state's row (state * class_count),
   with this bit set when a pattern ends there or at one of its suffixes. */
#define AC_REPORT 0x80000000u

struct errata_ac {
    uint8_t byte_class[256];
    size_t class_count;
    size_t state_count;
    int32_t *next;         /* state_count * class_count transitions, while building */
    uint32_t *rows;        /* the same, for scanning (see AC_REPORT) */
    int32_t *pattern;      /* pattern ending at the state, or -1 */
    int32_t *output_link;  /* nearest proper suffix state that ends a pattern, or -1 */
    size_t *pattern_len;
    int skips;                  /* every pattern is valid UTF-8: the sets below are usable */
    uint64_t first_chars[1024]; /* three-byte characters (by their 16 payload bits) */
    uint64_t all_chars[1024];   /* that start a pattern, that occur in one */
};

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

static int add_state(errata_ac *ac, size_t *cap)
{
    size_t need = ac->state_count + 1;
    if (need > *cap) {
        size_t new_cap = *cap ? *cap * 2 : 64;
        int32_t *next = realloc(ac->next, new_cap * ac->class_count * sizeof *next);
        if (!next)
            return -1;
        ac->next = next;
        int32_t *pattern = realloc(ac->pattern, new_cap * sizeof *pattern);
        if (!pattern)
            return -1;
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
    if (add_state(ac, &cap) < 0)
        return ERRATA_ENOMEM;
    for (size_t p = 0; p < count; p++) {
        int32_t s = 0;
        for (const unsigned char *b = (const unsigned char *)patterns[p]; *b; b++) {
            int32_t *slot = &ac->next[(size_t)s * ac->class_count + ac->byte_class[*b]];
            if (*slot < 0) {
                int t = add_state(ac, &cap);
                if (t < 0)
                    return ERRATA_ENOMEM;
                slot = &ac->next[(size_t)s * ac->class_count + ac->byte_class[*b]];
                *slot = t;
            }
            s = *slot;
        }
        ac->pattern[s] = (int32_t)p;
        ac->pattern_len[p] = strlen(patterns[p]);
    }
    return ERRATA_OK;
}

/* Breadth-first: failure links become DFA transitions and output links. */
static int link_states(errata_ac *ac)
{
    size_t k = ac->class_count;
    int32_t *fail = malloc(ac->state_count * sizeof *fail);
    int32_t *queue = malloc(ac->state_count * sizeof *queue);
    ac->output_link = malloc(ac->state_count * sizeof *ac->output_link);
    if (!fail || !queue || !ac->output_link) {
        free(fail);
        free(queue);
        return ERRATA_ENOMEM;
    }
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
    free(fail);
    free(queue);
    return ERRATA_OK;
}

/* The scanning table: no multiplication per byte, and one test tells
   whether anything ends at it. */
static int make_rows(errata_ac *ac)
{
    size_t k = ac->class_count, cells = ac->state_count * k;
    if (cells >= AC_REPORT)
        return ERRATA_ENOMEM;
    ac->rows = malloc(cells * sizeof *ac->rows);
    if (!ac->rows)
        return ERRATA_ENOMEM;
    for (size_t i = 0; i < cells; i++) {
        int32_t t = ac->next[i];
        int reports = ac->pattern[t] >= 0 || ac->output_link[t] >= 0;
        ac->rows[i] = (uint32_t)((size_t)t * k) | (reports ? AC_REPORT : 0);
    }
    free(ac->next);
    ac->next = NULL;
    return ERRATA_OK;
}

int errata_ac_build(errata_ac **out, const char *const *patterns, size_t count)
{
    errata_ac *ac = calloc(1, sizeof *ac);
    if (!ac)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    ac->pattern_len = calloc(count ? count : 1, sizeof *ac->pattern_len);
    assign_byte_classes(ac, patterns, count);
    note_chars(ac, patterns, count);
    int rc = ac->pattern_len ? build_trie(ac, patterns, count) : ERRATA_ENOMEM;
    if (!rc)
        rc = link_states(ac);
    if (!rc)
        rc = make_rows(ac);
    if (rc) {
        errata_ac_free(ac);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    *out = ac;
    return ERRATA_OK;
}

void errata_ac_free(errata_ac *ac)
{
    if (!ac)
        return;
    free(ac->next);
    free(ac->rows);
    free(ac->pattern);
    free(ac->output_link);
    free(ac->pattern_len);
    free(ac);
}

/* One byte through the automaton, which ends the text's first `end` bytes:
   the callback for every pattern ending there. */
static int step(const errata_ac *ac, uint32_t *row, unsigned char byte, size_t end,
                errata_ac_callback callback, void *ctx)
{
    *row = ac->rows[(*row & ~AC_REPORT) + ac->byte_class[byte]];
    if (!(*row & AC_REPORT))
        return ERRATA_OK;
    int32_t s = (int32_t)((*row & ~AC_REPORT) / ac->class_count);
    for (int32_t o = ac->pattern[s] >= 0 ? s : ac->output_link[s]; o >= 0; o = ac->output_link[o]) {
        size_t p = (size_t)ac->pattern[o];
        int rc = callback(ctx, p, end - ac->pattern_len[p], end);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

int errata_ac_scan(const errata_ac *ac, const char *text, size_t len, errata_ac_callback callback,
                   void *ctx)
{
    const unsigned char *bytes = (const unsigned char *)text;
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
            int rc = step(ac, &row, bytes[i], i + 1, callback, ctx);
            if (rc)
                return rc;
        }
    }
    return ERRATA_OK;
}
