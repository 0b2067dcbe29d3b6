/* The character n-gram model: loading the image written by
   scripts/build-charmodel.py (its layout is described there), counting
   n-grams by binary search in the sorted tables, and Witten-Bell scoring. */
#include "cm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define CM_MAGIC "ERRATACM"
#define CM_VERSION 2u
#define CM_SYMBOL_BITS 13
#define CM_COUNT_BITS 12
#define CM_TYPES_BITS 13 /* orders 2 and 3: how many n-grams extend it */
#define CM_EXACT_COUNTS 2048 /* counts below this are stored as they are */
#define CM_CODES_PER_OCTAVE 256.0

enum cm_section { SEC_VOCAB, SEC_UNIGRAM, SEC_INDEX2, SEC_TABLE2, SEC_INDEX3, SEC_TABLE3,
                  SEC_INDEX4, SEC_TABLE4, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {
    "VOCAB", "UNIGRAM", "INDEX2", "TABLE2", "INDEX3", "TABLE3", "INDEX4", "TABLE4"};

/* The code points whose symbols are kept in a table (the CJK extension A
   and unified ideographs blocks); others are looked up in the vocabulary. */
#define COMMON_FIRST 0x3400u
#define COMMON_LAST 0x9FFFu

#define HDR_SECTIONS 56
#define HDR_SIZE (HDR_SECTIONS + 16 * SEC_COUNT + 4)

struct errata_cm {
    const unsigned char *sec[SEC_COUNT];
    uint32_t symbols;                   /* boundary, unknown, vocabulary */
    uint32_t entries[ERRATA_CM_ORDER + 1]; /* n-grams per order (2..4) */
    uint64_t total;                     /* symbols in the training text */
    uint16_t *common;                   /* the symbol of each code point from COMMON_FIRST
                                           to COMMON_LAST, where nearly all Han text lies */
    void *mapping;                      /* the mmap()ed file, or NULL */
    size_t mapping_size;
};

/* ------------------------------------------------------------ loads */

static uint32_t load_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t load_u64(const unsigned char *p)
{
    return (uint64_t)load_u32(p) | (uint64_t)load_u32(p + 4) << 32;
}

static uint32_t vocab_code_point(const errata_cm *cm, uint32_t symbol)
{
    return load_u32(cm->sec[SEC_VOCAB] + 4 * (size_t)symbol);
}

static uint32_t index_at(const errata_cm *cm, size_t order, uint32_t symbol)
{
    return load_u32(cm->sec[SEC_INDEX2 + 2 * (order - 2)] + 4 * (size_t)symbol);
}

static uint64_t table_at(const errata_cm *cm, size_t order, size_t i)
{
    return load_u64(cm->sec[SEC_TABLE2 + 2 * (order - 2)] + 8 * i);
}

static uint64_t decode_count(uint64_t code)
{
    if (code < CM_EXACT_COUNTS)
        return code;
    double c = CM_EXACT_COUNTS * exp2((double)(code - CM_EXACT_COUNTS) / CM_CODES_PER_OCTAVE);
    return (uint64_t)(c + 0.5);
}

/* ------------------------------------------------------------ validation */

static int check_header(const unsigned char *data, size_t size, const char *name)
{
    static const errata_image_format format = {CM_MAGIC, CM_VERSION, HDR_SIZE, "character model"};
    int rc = errata_check_image_header(data, size, name, &format);
    if (rc)
        return rc;
    if (load_u32(data + 24) != ERRATA_CM_ORDER || load_u32(data + 28) != CM_SYMBOL_BITS)
        return errata_fail(ERRATA_EFORMAT, "%s: order %u with %u-bit symbols, this library reads "
                           "order %d with %d-bit symbols", name, load_u32(data + 24),
                           load_u32(data + 28), ERRATA_CM_ORDER, CM_SYMBOL_BITS);
    uint32_t symbols = load_u32(data + 32);
    if (symbols < 3 || symbols > (1u << CM_SYMBOL_BITS))
        return errata_fail(ERRATA_EFORMAT, "%s: %u symbols do not fit %d bits", name, symbols,
                           CM_SYMBOL_BITS);
    return ERRATA_OK;
}

static uint64_t expected_size(const errata_cm *cm, enum cm_section s)
{
    switch (s) {
    case SEC_VOCAB:
    case SEC_UNIGRAM: return 4 * (uint64_t)cm->symbols;
    case SEC_INDEX2:
    case SEC_INDEX3:
    case SEC_INDEX4: return 4 * ((uint64_t)cm->symbols + 1);
    default: return 8 * (uint64_t)cm->entries[2 + (s - SEC_TABLE2) / 2];
    }
}

static int check_sections(errata_cm *cm, const unsigned char *data, size_t size, const char *name)
{
    uint64_t previous_end = HDR_SIZE;
    for (int s = 0; s < SEC_COUNT; s++) {
        const unsigned char *rec = data + HDR_SECTIONS + 16 * s;
        uint64_t offset = load_u64(rec), length = load_u64(rec + 8);
        uint64_t expected = expected_size(cm, (enum cm_section)s);
        if (offset < previous_end || offset % 8 || offset > size || length > size - offset)
            return errata_fail(ERRATA_EFORMAT,
                               "%s: section %s (offset %llu, %llu bytes) lies outside the file "
                               "(%zu bytes), is misaligned or overlaps the previous section",
                               name, section_names[s], (unsigned long long)offset,
                               (unsigned long long)length, size);
        if (length != expected)
            return errata_fail(ERRATA_EFORMAT, "%s: section %s has %llu bytes, expected %llu", name,
                               section_names[s], (unsigned long long)length,
                               (unsigned long long)expected);
        cm->sec[s] = data + offset;
        previous_end = offset + length;
    }
    return ERRATA_OK;
}

/* The searches rely on these: code points increasing (symbol lookup) and
   each index rising to its table's end (table ranges). */
static int check_indexes(const errata_cm *cm, const char *name)
{
    for (uint32_t s = 3; s < cm->symbols; s++)
        if (vocab_code_point(cm, s) <= vocab_code_point(cm, s - 1))
            return errata_fail(ERRATA_EFORMAT, "%s: vocabulary not in code point order at symbol %u",
                               name, s);
    for (size_t order = 2; order <= ERRATA_CM_ORDER; order++) {
        uint32_t previous = 0;
        for (uint32_t s = 0; s <= cm->symbols; s++) {
            uint32_t at = index_at(cm, order, s);
            if (at < previous || at > cm->entries[order])
                return errata_fail(ERRATA_EFORMAT, "%s: index of order %zu corrupted at symbol %u",
                                   name, order, s);
            previous = at;
        }
        if (previous != cm->entries[order])
            return errata_fail(ERRATA_EFORMAT, "%s: index of order %zu ends at %u of %u entries",
                               name, order, previous, cm->entries[order]);
    }
    return ERRATA_OK;
}

static uint32_t search_vocabulary(const errata_cm *cm, uint32_t cp);

static int fill_common_symbols(errata_cm *cm)
{
    cm->common = malloc((COMMON_LAST - COMMON_FIRST + 1) * sizeof *cm->common);
    if (!cm->common)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (uint32_t cp = COMMON_FIRST; cp <= COMMON_LAST; cp++)
        cm->common[cp - COMMON_FIRST] =
            (uint16_t)(errata_is_han(cp) ? ERRATA_CM_UNKNOWN : ERRATA_CM_BOUNDARY);
    for (uint32_t s = 2; s < cm->symbols; s++) {
        uint32_t cp = vocab_code_point(cm, s);
        if (cp >= COMMON_FIRST && cp <= COMMON_LAST && errata_is_han(cp))
            cm->common[cp - COMMON_FIRST] = (uint16_t)s;
    }
    return ERRATA_OK;
}

static int open_image(errata_cm **out, const void *data, size_t size, const char *name)
{
    const unsigned char *bytes = data;
    *out = NULL;
    int rc = check_header(bytes, size, name);
    if (rc)
        return rc;
    errata_cm *cm = calloc(1, sizeof *cm);
    if (!cm)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    cm->symbols = load_u32(bytes + 32);
    for (size_t order = 2; order <= ERRATA_CM_ORDER; order++)
        cm->entries[order] = load_u32(bytes + 36 + 4 * (order - 2));
    cm->total = load_u64(bytes + 48);
    rc = check_sections(cm, bytes, size, name);
    if (!rc)
        rc = check_indexes(cm, name);
    if (!rc)
        rc = fill_common_symbols(cm);
    if (rc) {
        errata_cm_free(cm);
        return rc;
    }
    *out = cm;
    return ERRATA_OK;
}

int errata_cm_open_memory(errata_cm **out, const void *data, size_t size)
{
    if (!out || (!data && size))
        return errata_fail(ERRATA_EINVAL, "errata_cm_open_memory: NULL argument");
    return open_image(out, data, size, "character model in memory");
}

int errata_cm_open_file(errata_cm **out, const char *path)
{
    if (!out || !path)
        return errata_fail(ERRATA_EINVAL, "errata_cm_open_file: NULL argument");
    *out = NULL;
    void *map;
    size_t size;
    int rc = errata_map_file(path, &map, &size);
    if (!rc)
        rc = open_image(out, map, size, path);
    if (rc) {
        if (map)
            munmap(map, size);
        return rc;
    }
    (*out)->mapping = map;
    (*out)->mapping_size = size;
    return ERRATA_OK;
}

void errata_cm_free(errata_cm *cm)
{
    if (!cm)
        return;
    if (cm->mapping)
        munmap(cm->mapping, cm->mapping_size);
    free(cm->common);
    free(cm);
}

/* ------------------------------------------------------------ symbols */

uint32_t errata_cm_symbol(const errata_cm *cm, uint32_t cp)
{
    if (cp >= COMMON_FIRST && cp <= COMMON_LAST)
        return cm->common[cp - COMMON_FIRST];
    return errata_is_han(cp) ? search_vocabulary(cm, cp) : ERRATA_CM_BOUNDARY;
}

static uint32_t search_vocabulary(const errata_cm *cm, uint32_t cp)
{
    uint32_t lo = 2, hi = cm->symbols;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t at = vocab_code_point(cm, mid);
        if (at == cp)
            return mid;
        if (at < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ERRATA_CM_UNKNOWN;
}

uint32_t errata_cm_code_point(const errata_cm *cm, uint32_t symbol)
{
    return symbol >= 2 && symbol < cm->symbols ? vocab_code_point(cm, symbol) : 0;
}

/* The symbols of text[0..len), a run of non-Han code points as one
   boundary; at most max of them (returns how many the text has). */
static size_t text_symbols(const errata_cm *cm, const char *text, size_t len, uint32_t *out,
                           size_t max)
{
    size_t n = 0, pos = 0;
    uint32_t previous = UINT32_MAX;
    while (pos < len) {
        uint32_t s = errata_cm_symbol(cm, errata_utf8_next(text, len, &pos));
        if (s == ERRATA_CM_BOUNDARY && previous == ERRATA_CM_BOUNDARY)
            continue;
        if (n < max)
            out[n] = s;
        n++;
        previous = s;
    }
    return n;
}

/* ------------------------------------------------------------ counts */

/* The key of s[0..n) as it stands in the top bits of a table entry. */
static uint64_t ngram_key(const uint32_t *s, size_t n)
{
    uint64_t key = 0;
    for (size_t k = 0; k < n; k++)
        key |= (uint64_t)s[k] << (64 - CM_SYMBOL_BITS * (k + 1));
    return key;
}

/* The first entry of the order's table at or above key, searching only
   among the n-grams that start with the key's first symbol. */
static size_t lower_bound(const errata_cm *cm, size_t order, uint64_t key)
{
    uint32_t first = (uint32_t)(key >> (64 - CM_SYMBOL_BITS));
    size_t lo = index_at(cm, order, first), hi = index_at(cm, order, first + 1);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table_at(cm, order, mid) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int valid_symbols(const errata_cm *cm, const uint32_t *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] == ERRATA_CM_UNKNOWN || s[k] >= cm->symbols)
            return 0;
    return 1;
}

/* What the model holds of one n-gram: how often it occurs, and how many
   different symbols follow it (its Witten-Bell weight as a history). */
typedef struct {
    uint64_t count; /* 0: not in the model */
    uint32_t types;
} gram_info;

static gram_info unigram_info(const errata_cm *cm, uint32_t s)
{
    gram_info info = {0, 0};
    if (s < cm->symbols) {
        info.count = load_u32(cm->sec[SEC_UNIGRAM] + 4 * (size_t)s);
        info.types = index_at(cm, 2, s + 1) - index_at(cm, 2, s);
    }
    return info;
}

static gram_info lookup(const errata_cm *cm, const uint32_t *s, size_t n)
{
    gram_info info = {0, 0};
    if (n == 1)
        return unigram_info(cm, s[0]);
    if (!valid_symbols(cm, s, n))
        return info;
    uint64_t key = ngram_key(s, n);
    size_t i = lower_bound(cm, n, key);
    if (i >= cm->entries[n])
        return info;
    uint64_t entry = table_at(cm, n, i);
    unsigned shift = 64 - CM_SYMBOL_BITS * (unsigned)n;
    if (entry >> shift != key >> shift)
        return info;
    info.count = decode_count(entry & (((uint64_t)1 << CM_COUNT_BITS) - 1));
    if (n < ERRATA_CM_ORDER)
        info.types = (uint32_t)(entry >> CM_COUNT_BITS) & ((1u << CM_TYPES_BITS) - 1);
    return info;
}

/* A direct-mapped memo of lookups: a slot holds the last n-gram that
   hashed to it (key: its symbols in the top bits, its order in the lowest;
   0 for an empty slot). */
struct errata_cm_memo {
    struct {
        uint64_t key;
        gram_info info;
    } *slots;
    unsigned bits;
};

#define MEMO_MIN_BITS 8
#define MEMO_MAX_BITS 14

errata_cm_memo *errata_cm_memo_new(size_t lookups)
{
    errata_cm_memo *memo = calloc(1, sizeof *memo);
    if (!memo)
        return NULL;
    memo->bits = MEMO_MIN_BITS;
    while (memo->bits < MEMO_MAX_BITS && ((size_t)1 << memo->bits) < lookups)
        memo->bits++;
    memo->slots = calloc((size_t)1 << memo->bits, sizeof *memo->slots);
    if (!memo->slots) {
        free(memo);
        return NULL;
    }
    return memo;
}

void errata_cm_memo_free(errata_cm_memo *memo)
{
    if (memo)
        free(memo->slots);
    free(memo);
}

static gram_info lookup_memo(const errata_cm *cm, errata_cm_memo *memo, const uint32_t *s,
                             size_t n)
{
    if (!memo || !valid_symbols(cm, s, n))
        return lookup(cm, s, n);
    uint64_t key = ngram_key(s, n) | n;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> (64 - memo->bits));
    if (memo->slots[i].key != key) {
        memo->slots[i].key = key;
        memo->slots[i].info = lookup(cm, s, n);
    }
    return memo->slots[i].info;
}

uint64_t errata_cm_count(const errata_cm *cm, const uint32_t *s, size_t n)
{
    return n == 0 || n > ERRATA_CM_ORDER ? 0 : lookup(cm, s, n).count;
}

uint64_t errata_cm_count_text(const errata_cm *cm, const char *text, size_t len)
{
    uint32_t s[ERRATA_CM_ORDER];
    size_t n = text_symbols(cm, text, len, s, ERRATA_CM_ORDER);
    return n <= ERRATA_CM_ORDER ? errata_cm_count(cm, s, n) : 0;
}

/* The entries of table order+1 extending prefix[0..order): [*from, *to). */
static void continuation_range(const errata_cm *cm, const uint32_t *prefix, size_t n,
                               size_t *from, size_t *to)
{
    uint64_t key = ngram_key(prefix, n);
    uint64_t step = (uint64_t)1 << (64 - CM_SYMBOL_BITS * n);
    *from = lower_bound(cm, n + 1, key);
    /* The key of the next prefix may start with the next first symbol (or
       overflow for the last symbol): bound the search by the index then. */
    uint64_t next = key + step;
    if (next >> (64 - CM_SYMBOL_BITS) != prefix[0])
        *to = index_at(cm, n + 1, prefix[0] + 1);
    else
        *to = lower_bound(cm, n + 1, next);
}

size_t errata_cm_continuations(const errata_cm *cm, const uint32_t *prefix, size_t n,
                               void (*visit)(uint32_t symbol, uint64_t count, void *ctx), void *ctx)
{
    if (n == 0 || n >= ERRATA_CM_ORDER || !valid_symbols(cm, prefix, n))
        return 0;
    size_t from, to;
    continuation_range(cm, prefix, n, &from, &to);
    uint64_t count_mask = ((uint64_t)1 << CM_COUNT_BITS) - 1;
    for (size_t i = from; visit && i < to; i++) {
        uint64_t entry = table_at(cm, n + 1, i);
        uint32_t symbol = (uint32_t)(entry >> (64 - CM_SYMBOL_BITS * (n + 1))) &
                          ((1u << CM_SYMBOL_BITS) - 1);
        visit(symbol, decode_count(entry & count_mask), ctx);
    }
    return to - from;
}

/* ------------------------------------------------------------ scoring */

/* log10 P(s | history) by Witten-Bell interpolation: from the unigram
   (add-one) up through each longer history seen in training, mixing its
   own count with the shorter history's estimate in proportion to how many
   different symbols followed it.  ending_before[k] is what the model holds
   of the history's last k symbols (k = 1..n); ending_here[k] is set to what
   it holds of those followed by s (k = 1..n + 1), for the next symbol. */
static double interpolated_log_prob(const errata_cm *cm, errata_cm_memo *memo,
                                    const uint32_t *history, size_t n, uint32_t s,
                                    const gram_info *ending_before, gram_info *ending_here)
{
    uint32_t gram[ERRATA_CM_ORDER];
    memset(ending_here, 0, (ERRATA_CM_ORDER + 1) * sizeof *ending_here);
    ending_here[1] = unigram_info(cm, s);
    double p = ((double)ending_here[1].count + 1.0) / ((double)cm->total + cm->symbols);
    for (size_t k = 1; k <= n; k++) {
        const gram_info *h = &ending_before[k];
        if (h->count == 0 || h->types == 0)
            break; /* unseen, or every continuation pruned: so is every longer history */
        memcpy(gram, history + n - k, k * sizeof *gram);
        gram[k] = s;
        ending_here[k + 1] = lookup_memo(cm, memo, gram, k + 1);
        p = ((double)ending_here[k + 1].count + (double)h->types * p) /
            ((double)h->count + (double)h->types);
    }
    return log10(p);
}

/* Where to start reading text so that the symbol at byte from gets its
   whole history: ERRATA_CM_ORDER - 1 symbols before it (a run of non-Han
   code points is one symbol). */
static size_t history_start(const errata_cm *cm, const char *text, size_t from)
{
    size_t pos = from, symbols = 0;
    uint32_t after = UINT32_MAX; /* the symbol at pos */
    while (pos > 0) {
        size_t prev = pos;
        do
            prev--;
        while (prev > 0 && ((unsigned char)text[prev] & 0xC0) == 0x80);
        size_t at = prev;
        uint32_t s = errata_cm_symbol(cm, errata_utf8_next(text, pos, &at));
        if (!(s == ERRATA_CM_BOUNDARY && after == ERRATA_CM_BOUNDARY) &&
            ++symbols > ERRATA_CM_ORDER - 1)
            break;
        pos = prev;
        after = s;
    }
    return pos;
}

double errata_cm_score_range(const errata_cm *cm, errata_cm_memo *memo, const char *text,
                             size_t len, size_t from, size_t to)
{
    double logp = 0;
    uint32_t history[ERRATA_CM_ORDER - 1];
    gram_info before[ERRATA_CM_ORDER + 1] = {{0, 0}}, here[ERRATA_CM_ORDER + 1];
    size_t n = 0, pos = history_start(cm, text, from), count = 0, after_to = 0;
    uint32_t previous = UINT32_MAX;
    while (pos < len) {
        size_t at = pos;
        uint32_t s = errata_cm_symbol(cm, errata_utf8_next(text, len, &pos));
        if (s == ERRATA_CM_BOUNDARY && previous == ERRATA_CM_BOUNDARY)
            continue;
        if (at >= to && ++after_to == ERRATA_CM_ORDER)
            break; /* its history lies wholly at or after to */
        if (s == ERRATA_CM_BOUNDARY && count == 0) {
            memset(here, 0, sizeof here);
            here[1] = unigram_info(cm, s);
        } else {
            double p = interpolated_log_prob(cm, memo, history, n, s, before, here);
            if (at >= from)
                logp += p;
        }
        if (s == ERRATA_CM_BOUNDARY) { /* the history starts afresh with it */
            n = 0;
            memset(here + 2, 0, (ERRATA_CM_ORDER - 1) * sizeof *here);
        } else if (n == ERRATA_CM_ORDER - 1) {
            memmove(history, history + 1, (--n) * sizeof *history);
        }
        history[n++] = s;
        memcpy(before, here, sizeof before);
        previous = s;
        count++;
    }
    return logp;
}

double errata_cm_score(const errata_cm *cm, const char *text, size_t len)
{
    return errata_cm_score_range(cm, NULL, text, len, 0, len);
}
