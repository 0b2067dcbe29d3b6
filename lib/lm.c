/* The word trigram language model: loading the binary image written by
   scripts/build-lm.py, n-gram lookup with backoff, and Viterbi segmentation
   scoring.  Layout of the image: see the top of scripts/build-lm.py. */
#include "lm.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* ------------------------------------------------------------ the format */

#define LM_MAGIC "ERRATALM"
#define LM_VERSION 1u
#define LM_LEVELS 256
#define LM_PADDING 8 /* bytes after a bit-packed array, for 8-byte loads */
#define LM_EMPTY_SLOT UINT32_MAX
#define LM_SLOT_ID_BITS 20
#define LM_NONE UINT32_MAX
#define FNV_BASIS 0x811C9DC5u
#define FNV_PRIME 0x01000193u

enum lm_section {
    SEC_STRINGS, SEC_STROFF, SEC_HASH, SEC_UNIGRAM, SEC_BISTART, SEC_BIGRAM, SEC_CTXBITS,
    SEC_CTXRANK, SEC_TRISTART, SEC_CTXBO, SEC_TRIGRAM, SEC_CODEBOOK, SEC_COUNT
};

static const char *const section_names[SEC_COUNT] = {
    "STRINGS", "STROFF", "HASH", "UNIGRAM", "BISTART", "BIGRAM",
    "CTXBITS", "CTXRANK", "TRISTART", "CTXBO", "TRIGRAM", "CODEBOOK"};

enum lm_count {
    CNT_WORDS, CNT_ENTRIES, CNT_BIGRAMS, CNT_TRIGRAMS, CNT_CONTEXTS, CNT_SLOTS, CNT_UNK,
    CNT_WORD_BITS, CNT_MAX_ENTRY_BYTES, CNT_SECTIONS, CNT_COUNT
};

#define HDR_COUNTS 24
#define HDR_SECTIONS 64
#define HDR_SECTION_SIZE 24
#define HDR_SIZE (HDR_SECTIONS + HDR_SECTION_SIZE * SEC_COUNT + 4)

enum { CODEBOOK_BIGRAM, CODEBOOK_BACKOFF, CODEBOOK_TRIGRAM };

struct errata_lm {
    const unsigned char *sec[SEC_COUNT];
    uint64_t sec_size[SEC_COUNT];
    uint32_t count[CNT_COUNT];
    uint32_t width;     /* bits of a packed n-gram entry */
    uint64_t word_mask; /* the word id bits of a packed entry */
    float codebook[3][LM_LEVELS];
    void *mapping; /* the mmap()ed file, or NULL for a memory image */
    size_t mapping_size;
};

/* ------------------------------------------------------------ little-endian loads */

static uint64_t load_u64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint64_t)errata_load_le32(p) | (uint64_t)errata_load_le32(p + 4) << 32;
#endif
}

static float load_f32(const unsigned char *p)
{
    uint32_t bits = errata_load_le32(p);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static uint32_t array_u32(const errata_lm *lm, enum lm_section s, size_t i)
{
    return errata_load_le32(lm->sec[s] + 4 * i);
}

static uint64_t packed_entry(const errata_lm *lm, enum lm_section s, size_t i)
{
    uint64_t bit = (uint64_t)i * lm->width;
    uint64_t mask = ((uint64_t)1 << lm->width) - 1;
    return (load_u64(lm->sec[s] + (bit >> 3)) >> (bit & 7)) & mask;
}

static uint32_t fnv1a(uint32_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* ------------------------------------------------------------ validation */

static uint64_t packed_size(uint64_t n, uint32_t width) { return (n * width + 7) / 8 + LM_PADDING; }

static uint64_t expected_size(const uint32_t *c, uint32_t width, enum lm_section s)
{
    uint64_t blocks = ((uint64_t)c[CNT_BIGRAMS] + 63) / 64;
    switch (s) {
    case SEC_STROFF: return 4 * ((uint64_t)c[CNT_ENTRIES] + 1);
    case SEC_HASH: return 4 * (uint64_t)c[CNT_SLOTS];
    case SEC_UNIGRAM: return 8 * (uint64_t)c[CNT_WORDS];
    case SEC_BISTART: return 4 * ((uint64_t)c[CNT_WORDS] + 1);
    case SEC_BIGRAM: return packed_size(c[CNT_BIGRAMS], width);
    case SEC_CTXBITS: return 8 * blocks;
    case SEC_CTXRANK: return 4 * (blocks + 1);
    case SEC_TRISTART: return 4 * ((uint64_t)c[CNT_CONTEXTS] + 1);
    case SEC_CTXBO: return c[CNT_CONTEXTS];
    case SEC_TRIGRAM: return packed_size(c[CNT_TRIGRAMS], width);
    case SEC_CODEBOOK: return 3 * 4 * LM_LEVELS;
    default: return UINT64_MAX; /* STRINGS: any size */
    }
}

static int check_counts(const uint32_t *c, const char *name)
{
    uint32_t bits = c[CNT_WORD_BITS];
    if (c[CNT_SECTIONS] != SEC_COUNT)
        return errata_fail(ERRATA_EFORMAT, "%s: %u sections, expected %u", name,
                           c[CNT_SECTIONS], (unsigned)SEC_COUNT);
    if (c[CNT_WORDS] == 0 || bits == 0 || bits > 24 || (c[CNT_WORDS] - 1) >> bits != 0)
        return errata_fail(ERRATA_EFORMAT, "%s: %u words do not fit word ids of %u bits", name,
                           c[CNT_WORDS], bits);
    if (c[CNT_UNK] >= c[CNT_WORDS])
        return errata_fail(ERRATA_EFORMAT, "%s: <unk> id %u out of range", name, c[CNT_UNK]);
    if (c[CNT_ENTRIES] < c[CNT_WORDS] || c[CNT_ENTRIES] >= (1u << LM_SLOT_ID_BITS) - 1)
        return errata_fail(ERRATA_EFORMAT, "%s: bad vocabulary entry count %u", name,
                           c[CNT_ENTRIES]);
    uint32_t slots = c[CNT_SLOTS];
    if (slots <= c[CNT_ENTRIES] || (slots & (slots - 1)) != 0)
        return errata_fail(ERRATA_EFORMAT, "%s: bad hash table size %u for %u entries", name,
                           slots, c[CNT_ENTRIES]);
    if (c[CNT_MAX_ENTRY_BYTES] == 0 || c[CNT_MAX_ENTRY_BYTES] > 4 * ERRATA_LM_WINDOW_CHARS)
        return errata_fail(ERRATA_EFORMAT, "%s: bad longest entry length %u", name,
                           c[CNT_MAX_ENTRY_BYTES]);
    return ERRATA_OK;
}

static int check_header(const unsigned char *data, size_t size, const char *name)
{
    static const errata_image_format format = {LM_MAGIC, LM_VERSION, HDR_SIZE, "language model"};
    return errata_check_image_header(data, size, name, &format);
}

static int check_sections(errata_lm *lm, const unsigned char *data, size_t size, const char *name)
{
    uint64_t previous_end = HDR_SIZE;
    for (int s = 0; s < SEC_COUNT; s++) {
        const unsigned char *rec = data + HDR_SECTIONS + HDR_SECTION_SIZE * s;
        uint64_t offset = load_u64(rec + 8), length = load_u64(rec + 16);
        uint64_t expected = expected_size(lm->count, lm->width, (enum lm_section)s);
        if (errata_load_le32(rec) != (uint32_t)s)
            return errata_fail(ERRATA_EFORMAT, "%s: section record %d has id %u", name, s,
                               errata_load_le32(rec));
        if (offset < previous_end || offset > size || length > size - offset)
            return errata_fail(ERRATA_EFORMAT,
                               "%s: section %s (offset %llu, %llu bytes) lies outside the "
                               "file (%zu bytes) or overlaps the previous section",
                               name, section_names[s], (unsigned long long)offset,
                               (unsigned long long)length, size);
        if (expected != UINT64_MAX && length != expected)
            return errata_fail(ERRATA_EFORMAT, "%s: section %s has %llu bytes, expected %llu",
                               name, section_names[s], (unsigned long long)length,
                               (unsigned long long)expected);
        lm->sec[s] = data + offset;
        lm->sec_size[s] = length;
        previous_end = offset + length;
    }
    return ERRATA_OK;
}

/* The last entry of each offset array must close its target array exactly. */
static int check_totals(const errata_lm *lm, const char *name)
{
    const struct {
        enum lm_section s;
        size_t last;
        uint64_t total;
    } totals[] = {
        {SEC_STROFF, lm->count[CNT_ENTRIES], lm->sec_size[SEC_STRINGS]},
        {SEC_BISTART, lm->count[CNT_WORDS], lm->count[CNT_BIGRAMS]},
        {SEC_CTXRANK, lm->sec_size[SEC_CTXRANK] / 4 - 1, lm->count[CNT_CONTEXTS]},
        {SEC_TRISTART, lm->count[CNT_CONTEXTS], lm->count[CNT_TRIGRAMS]},
    };
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
        if (array_u32(lm, totals[i].s, totals[i].last) != totals[i].total)
            return errata_fail(ERRATA_EFORMAT, "%s: section %s ends at %u, expected %llu", name,
                               section_names[totals[i].s],
                               array_u32(lm, totals[i].s, totals[i].last),
                               (unsigned long long)totals[i].total);
    return ERRATA_OK;
}

static int open_image(errata_lm **out, const void *data, size_t size, const char *name)
{
    const unsigned char *bytes = data;
    *out = NULL;
    int rc = check_header(bytes, size, name);
    if (rc)
        return rc;
    errata_lm *lm = calloc(1, sizeof *lm);
    if (!lm)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (int i = 0; i < CNT_COUNT; i++)
        lm->count[i] = errata_load_le32(bytes + HDR_COUNTS + 4 * i);
    rc = check_counts(lm->count, name);
    if (!rc) { /* the word bits are known to be 1..24 only now */
        lm->width = lm->count[CNT_WORD_BITS] + 8;
        lm->word_mask = ((uint64_t)1 << lm->count[CNT_WORD_BITS]) - 1;
        rc = check_sections(lm, bytes, size, name);
    }
    if (!rc)
        rc = check_totals(lm, name);
    if (rc) {
        free(lm);
        return rc;
    }
    for (int book = 0; book < 3; book++)
        for (int k = 0; k < LM_LEVELS; k++)
            lm->codebook[book][k] = load_f32(lm->sec[SEC_CODEBOOK] + 4 * (book * LM_LEVELS + k));
    *out = lm;
    return ERRATA_OK;
}

int errata_lm_open_memory(errata_lm **out, const void *data, size_t size)
{
    if (!out || (!data && size))
        return errata_fail(ERRATA_EINVAL, "errata_lm_open_memory: NULL argument");
    return open_image(out, data, size, "language model in memory");
}

int errata_lm_open_file(errata_lm **out, const char *path)
{
    if (!out || !path)
        return errata_fail(ERRATA_EINVAL, "errata_lm_open_file: NULL argument");
    *out = NULL;
    void *map;
    size_t size;
    int rc = errata_map_file(path, &map, &size);
    if (rc)
        return rc;
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

void errata_lm_free(errata_lm *lm)
{
    if (!lm)
        return;
    if (lm->mapping)
        munmap(lm->mapping, lm->mapping_size);
    free(lm);
}

size_t errata_lm_word_count(const errata_lm *lm) { return lm->count[CNT_WORDS]; }

uint32_t errata_lm_unknown(const errata_lm *lm) { return lm->count[CNT_UNK]; }

/* ------------------------------------------------------------ vocabulary */

/* The entry (word or prefix-only) with these bytes and hash, or LM_NONE. */
static uint32_t find_entry(const errata_lm *lm, const unsigned char *text, size_t len,
                           uint32_t hash)
{
    uint32_t mask = lm->count[CNT_SLOTS] - 1;
    uint32_t tag = hash >> LM_SLOT_ID_BITS;
    for (uint32_t i = hash & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
        uint32_t slot = array_u32(lm, SEC_HASH, i);
        if (slot == LM_EMPTY_SLOT)
            return LM_NONE;
        uint32_t id = slot & ((1u << LM_SLOT_ID_BITS) - 1);
        if (slot >> LM_SLOT_ID_BITS != tag || id >= lm->count[CNT_ENTRIES])
            continue;
        uint32_t start = array_u32(lm, SEC_STROFF, id), end = array_u32(lm, SEC_STROFF, id + 1);
        if (start <= end && end <= lm->sec_size[SEC_STRINGS] && end - start == len &&
            memcmp(lm->sec[SEC_STRINGS] + start, text, len) == 0)
            return id;
    }
    return LM_NONE;
}

uint32_t errata_lm_word(const errata_lm *lm, const char *text, size_t len)
{
    const unsigned char *bytes = (const unsigned char *)text;
    uint32_t id = find_entry(lm, bytes, len, fnv1a(FNV_BASIS, bytes, len));
    return id < lm->count[CNT_WORDS] ? id : ERRATA_LM_NO_WORD;
}

/* ------------------------------------------------------------ n-grams */

static float unigram_prob(const errata_lm *lm, uint32_t w)
{
    return load_f32(lm->sec[SEC_UNIGRAM] + 8 * (size_t)w);
}

static float unigram_backoff(const errata_lm *lm, uint32_t w)
{
    return load_f32(lm->sec[SEC_UNIGRAM] + 8 * (size_t)w + 4);
}

/* Index of the entry for word w in the sorted packed range [lo, hi) of
   section s, or LM_NONE.  A corrupted range (hi beyond the entries) finds
   nothing rather than reading outside the section. */
static uint32_t search_packed(const errata_lm *lm, enum lm_section s, uint32_t lo, uint32_t hi,
                              uint32_t limit, uint32_t w)
{
    if (lo > hi || hi > limit)
        return LM_NONE;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t id = (uint32_t)(packed_entry(lm, s, mid) & lm->word_mask);
        if (id == w)
            return mid;
        if (id < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return LM_NONE;
}

static uint32_t find_bigram(const errata_lm *lm, uint32_t v, uint32_t w)
{
    return search_packed(lm, SEC_BIGRAM, array_u32(lm, SEC_BISTART, v),
                         array_u32(lm, SEC_BISTART, v + 1), lm->count[CNT_BIGRAMS], w);
}

static float packed_prob(const errata_lm *lm, enum lm_section s, int book, uint32_t i)
{
    return lm->codebook[book][packed_entry(lm, s, i) >> lm->count[CNT_WORD_BITS]];
}

/* The context index of bigram b, or LM_NONE if it has neither trigrams nor
   a backoff. */
static uint32_t bigram_context(const errata_lm *lm, uint32_t b)
{
    uint64_t bits = load_u64(lm->sec[SEC_CTXBITS] + 8 * (size_t)(b >> 6));
    uint64_t below = bits & (((uint64_t)1 << (b & 63)) - 1);
    if (!((bits >> (b & 63)) & 1))
        return LM_NONE;
    uint32_t c = array_u32(lm, SEC_CTXRANK, b >> 6) + (uint32_t)__builtin_popcountll(below);
    return c < lm->count[CNT_CONTEXTS] ? c : LM_NONE;
}

static float context_backoff(const errata_lm *lm, uint32_t c)
{
    return lm->codebook[CODEBOOK_BACKOFF][lm->sec[SEC_CTXBO][c]];
}

static uint32_t find_trigram(const errata_lm *lm, uint32_t c, uint32_t w)
{
    return search_packed(lm, SEC_TRIGRAM, array_u32(lm, SEC_TRISTART, c),
                         array_u32(lm, SEC_TRISTART, c + 1), lm->count[CNT_TRIGRAMS], w);
}

static int context_has_trigrams(const errata_lm *lm, uint32_t c)
{
    return array_u32(lm, SEC_TRISTART, c) != array_u32(lm, SEC_TRISTART, c + 1);
}

/* log10 P(w | v), and the bigram's index (LM_NONE if absent). */
static float bigram_prob(const errata_lm *lm, uint32_t v, uint32_t w, uint32_t *index)
{
    *index = find_bigram(lm, v, w);
    if (*index != LM_NONE)
        return packed_prob(lm, SEC_BIGRAM, CODEBOOK_BIGRAM, *index);
    return unigram_backoff(lm, v) + unigram_prob(lm, w);
}

void errata_lm_successors(const errata_lm *lm, uint32_t v, errata_lm_visit visit, void *ctx)
{
    if (v >= lm->count[CNT_WORDS])
        return;
    uint32_t lo = array_u32(lm, SEC_BISTART, v), hi = array_u32(lm, SEC_BISTART, v + 1);
    if (lo > hi || hi > lm->count[CNT_BIGRAMS])
        return; /* a corrupted range, as in search_packed */
    for (uint32_t i = lo; i < hi; i++) {
        uint32_t w = (uint32_t)(packed_entry(lm, SEC_BIGRAM, i) & lm->word_mask);
        visit(w, packed_prob(lm, SEC_BIGRAM, CODEBOOK_BIGRAM, i), ctx);
    }
}

/* ------------------------------------------------------------ memo */

#define MEMO_MIN_BITS 8
#define MEMO_MAX_BITS 14

/* A bigram's probability and the history its second word enters (see
   next_history()). */
typedef struct {
    uint64_t key; /* v << 32 | w, or MEMO_EMPTY */
    float prob, pending;
    uint32_t ctx;
} memo_bigram;

/* A trigram lookup: the trigram's probability, or (absent) the backoff of
   its context. */
typedef struct {
    uint64_t key; /* c << 32 | w, or MEMO_EMPTY */
    float prob;
    int found;
} memo_trigram;

#define MEMO_EMPTY UINT64_MAX
#define MEMO_WORD_BYTES 24 /* longer strings are looked up in the model each time */

typedef struct {
    uint32_t hash, id; /* id: the entry, or LM_NONE */
    uint8_t len;       /* 0: empty */
    unsigned char bytes[MEMO_WORD_BYTES];
} memo_word;

/* Direct-mapped: a pair or string evicts whatever had its slot. */
struct errata_lm_memo {
    const errata_lm *lm;
    unsigned bits;
    memo_bigram *bigrams;
    memo_trigram *trigrams;
    memo_word *words;
};

errata_lm_memo *errata_lm_memo_new(const errata_lm *lm, size_t lookups)
{
    unsigned bits = MEMO_MIN_BITS;
    while (bits < MEMO_MAX_BITS && ((size_t)1 << bits) < lookups)
        bits++;
    size_t slots = (size_t)1 << bits;
    errata_lm_memo *memo = malloc(sizeof *memo);
    if (!memo)
        return NULL;
    memo->lm = lm;
    memo->bits = bits;
    memo->bigrams = malloc(slots * sizeof *memo->bigrams);
    memo->trigrams = malloc(slots * sizeof *memo->trigrams);
    memo->words = malloc(slots * sizeof *memo->words);
    if (!memo->bigrams || !memo->trigrams || !memo->words) {
        errata_lm_memo_free(memo);
        return NULL;
    }
    for (size_t i = 0; i < slots; i++) {
        memo->bigrams[i].key = MEMO_EMPTY;
        memo->trigrams[i].key = MEMO_EMPTY;
        memo->words[i].len = 0;
    }
    return memo;
}

void errata_lm_memo_free(errata_lm_memo *memo)
{
    if (!memo)
        return;
    free(memo->bigrams);
    free(memo->trigrams);
    free(memo->words);
    free(memo);
}

static int same_bytes(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* find_entry(), remembered in memo (if any) for strings up to
   MEMO_WORD_BYTES long. */
static uint32_t memo_find_entry(const errata_lm *lm, errata_lm_memo *memo,
                                const unsigned char *text, size_t len, uint32_t hash)
{
    if (!memo || len > MEMO_WORD_BYTES)
        return find_entry(lm, text, len, hash);
    memo_word *slot = &memo->words[(hash * 0x9E3779B1u) >> (32 - memo->bits)];
    if (slot->len != len || slot->hash != hash || !same_bytes(slot->bytes, text, len)) {
        slot->id = find_entry(lm, text, len, hash);
        slot->hash = hash;
        slot->len = (uint8_t)len;
        memcpy(slot->bytes, text, len);
    }
    return slot->id;
}

/* log10 P(w | history of context c) given p = log10 P(w | v). */
static float trigram_prob(const errata_lm *lm, uint32_t c, uint32_t w, float p)
{
    uint32_t t = find_trigram(lm, c, w);
    if (t != LM_NONE)
        return packed_prob(lm, SEC_TRIGRAM, CODEBOOK_TRIGRAM, t);
    return context_backoff(lm, c) + p;
}

/* trigram_prob(), remembered in memo (if any). */
static float memo_trigram_prob(const errata_lm *lm, errata_lm_memo *memo, uint32_t c, uint32_t w,
                               float p)
{
    if (!memo)
        return trigram_prob(lm, c, w, p);
    uint64_t key = (uint64_t)c << 32 | w;
    uint32_t h = (c * 0x9E3779B1u) ^ (w * 0x85EBCA77u);
    memo_trigram *slot = &memo->trigrams[h >> (32 - memo->bits)];
    if (slot->key != key) {
        uint32_t t = find_trigram(lm, c, w);
        slot->key = key;
        slot->found = t != LM_NONE;
        slot->prob = slot->found ? packed_prob(lm, SEC_TRIGRAM, CODEBOOK_TRIGRAM, t)
                                 : context_backoff(lm, c);
    }
    return slot->found ? slot->prob : slot->prob + p;
}

double errata_lm_prob(const errata_lm *lm, const uint32_t *words, size_t n)
{
    uint32_t ids[3];
    size_t k = n < 3 ? n : 3;
    if (k == 0)
        return 0;
    for (size_t i = 0; i < k; i++) {
        uint32_t id = words[n - k + i];
        ids[i] = id < lm->count[CNT_WORDS] ? id : lm->count[CNT_UNK];
    }
    uint32_t w = ids[k - 1], index;
    if (k == 1)
        return unigram_prob(lm, w);
    float p = bigram_prob(lm, ids[k - 2], w, &index);
    if (k == 2)
        return p;
    uint32_t history = find_bigram(lm, ids[0], ids[1]);
    uint32_t c = history == LM_NONE ? LM_NONE : bigram_context(lm, history);
    return c == LM_NONE ? p : trigram_prob(lm, c, w, p);
}

/* ------------------------------------------------------------ segmentation */

#define MAX_EDGES (4 * ERRATA_LM_WINDOW_CHARS)
#define MAX_STATES 4
#define NO_EDGE UINT16_MAX

/* A Viterbi state: the best path ending with a given word (its edge) whose
   trigram history is context ctx (LM_NONE when the word before it does not
   matter for the next word beyond the pending backoff). */
typedef struct {
    float score;   /* log10 probability of the path */
    float pending; /* backoff owed when the next word is not a trigram of ctx */
    uint32_t ctx;
    uint16_t back_edge; /* the previous word's edge, NO_EDGE at the start */
    uint8_t back_state;
} lm_state;

typedef struct {
    uint32_t word;
    uint8_t end; /* the character after the word, in the piece */
    uint16_t next_ending; /* the next edge ending where this one does */
    uint8_t nstates;
    lm_state states[MAX_STATES];
} lm_edge;

typedef struct {
    const unsigned char *text;
    uint16_t off[ERRATA_LM_WINDOW_CHARS + 1]; /* byte offset of each character */
    size_t chars;
    lm_edge edges[MAX_EDGES];
    size_t nedges;
    uint16_t first_starting[ERRATA_LM_WINDOW_CHARS + 1];
    uint16_t first_ending[ERRATA_LM_WINDOW_CHARS + 1];
} lm_lattice;

static void add_edge(lm_lattice *lat, uint32_t word, size_t end)
{
    lm_edge *e = &lat->edges[lat->nedges];
    e->word = word;
    e->end = (uint8_t)end;
    e->nstates = 0;
    e->next_ending = lat->first_ending[end];
    lat->first_ending[end] = (uint16_t)lat->nedges++;
}

/* Every vocabulary word starting at character i, or <unk> for a character
   outside it.  The single-character edge is always added, even when the
   model declares its entries shorter than the character (a damaged model),
   and one such edge per later position stays reserved, so that the lattice
   always connects and the segmentation covers the text. */
static void add_words_at(const errata_lm *lm, errata_lm_memo *memo, lm_lattice *lat, size_t i)
{
    size_t reserve = lat->chars - i - 1;
    uint32_t hash = FNV_BASIS;
    lat->first_starting[i] = (uint16_t)lat->nedges;
    for (size_t j = i + 1; j <= lat->chars; j++) {
        size_t from = lat->off[i], to = lat->off[j];
        uint32_t id = LM_NONE;
        if (to - from <= lm->count[CNT_MAX_ENTRY_BYTES]) {
            hash = fnv1a(hash, lat->text + lat->off[j - 1], lat->off[j] - lat->off[j - 1]);
            id = memo_find_entry(lm, memo, lat->text + from, to - from, hash);
        }
        if (id < lm->count[CNT_WORDS] && (j == i + 1 || lat->nedges + reserve < MAX_EDGES))
            add_edge(lat, id, j);
        else if (j == i + 1)
            add_edge(lat, lm->count[CNT_UNK], j);
        if (id == LM_NONE)
            break;
    }
}

/* Keep the candidate if it beats the state of the same history, or takes a
   free slot, or beats the weakest state (the beam is rarely full). */
static void offer(lm_edge *e, const lm_state *cand, int final)
{
    float key = cand->score + (final ? 0 : cand->pending);
    int weakest = -1;
    float weakest_key = 0;
    for (int k = 0; k < e->nstates; k++) {
        lm_state *s = &e->states[k];
        float s_key = s->score + (final ? 0 : s->pending);
        if (s->ctx == cand->ctx) {
            if (key > s_key)
                *s = *cand;
            return;
        }
        if (weakest < 0 || s_key < weakest_key) {
            weakest = k;
            weakest_key = s_key;
        }
    }
    if (e->nstates < MAX_STATES)
        e->states[e->nstates++] = *cand;
    else if (key > weakest_key)
        e->states[weakest] = *cand;
}

/* The state that word w enters after the bigram (v, w) with index b. */
static void next_history(const errata_lm *lm, uint32_t b, lm_state *next)
{
    uint32_t c = b == LM_NONE ? LM_NONE : bigram_context(lm, b);
    next->ctx = LM_NONE;
    next->pending = 0;
    if (c != LM_NONE) {
        next->pending = context_backoff(lm, c);
        if (context_has_trigrams(lm, c))
            next->ctx = c;
    }
}

/* log10 P(w | v), and the history w enters in *next; remembered in memo
   (if any), which spares the lookups of both in the model. */
static float bigram_step(const errata_lm *lm, errata_lm_memo *memo, uint32_t v, uint32_t w,
                         lm_state *next)
{
    uint32_t b;
    if (!memo) {
        float p = bigram_prob(lm, v, w, &b);
        next_history(lm, b, next);
        return p;
    }
    uint64_t key = (uint64_t)v << 32 | w;
    uint32_t h = (v * 0x9E3779B1u) ^ (w * 0x85EBCA77u);
    memo_bigram *slot = &memo->bigrams[h >> (32 - memo->bits)];
    if (slot->key != key) {
        slot->key = key;
        slot->prob = bigram_prob(lm, v, w, &b);
        next_history(lm, b, next);
        slot->pending = next->pending;
        slot->ctx = next->ctx;
    }
    next->pending = slot->pending;
    next->ctx = slot->ctx;
    return slot->prob;
}

static void extend_from(const errata_lm *lm, errata_lm_memo *memo, lm_lattice *lat, uint16_t from,
                        lm_edge *to, int final)
{
    const lm_edge *prev = &lat->edges[from];
    lm_state next;
    float p_bigram = bigram_step(lm, memo, prev->word, to->word, &next);
    next.back_edge = from;
    for (uint8_t k = 0; k < prev->nstates; k++) {
        const lm_state *s = &prev->states[k];
        float p = s->ctx == LM_NONE ? s->pending + p_bigram
                                    : memo_trigram_prob(lm, memo, s->ctx, to->word, p_bigram);
        next.score = s->score + p;
        next.back_state = k;
        offer(to, &next, final);
    }
}

static void start_edge(const errata_lm *lm, lm_edge *e, int final)
{
    lm_state first = {unigram_prob(lm, e->word), 0, LM_NONE, NO_EDGE, 0};
    offer(e, &first, final);
}

static void run_viterbi(const errata_lm *lm, errata_lm_memo *memo, lm_lattice *lat)
{
    for (size_t i = 0; i < lat->chars; i++) {
        size_t end = i + 1 < lat->chars ? lat->first_starting[i + 1] : lat->nedges;
        for (size_t t = lat->first_starting[i]; t < end; t++) {
            lm_edge *to = &lat->edges[t];
            int final = to->end == lat->chars;
            if (i == 0)
                start_edge(lm, to, final);
            for (uint16_t f = lat->first_ending[i]; f != NO_EDGE; f = lat->edges[f].next_ending)
                extend_from(lm, memo, lat, f, to, final);
        }
    }
}

/* The best final state: its edge and state index in *edge and *state. */
static float best_final(const lm_lattice *lat, uint16_t *edge, uint8_t *state)
{
    float best = 0;
    *edge = NO_EDGE;
    for (uint16_t f = lat->first_ending[lat->chars]; f != NO_EDGE; f = lat->edges[f].next_ending)
        for (uint8_t k = 0; k < lat->edges[f].nstates; k++)
            if (*edge == NO_EDGE || lat->edges[f].states[k].score > best) {
                best = lat->edges[f].states[k].score;
                *edge = f;
                *state = k;
            }
    return best;
}

typedef struct {
    size_t *ends;
    size_t max, count;
} token_sink;

static void emit_token(token_sink *sink, size_t end)
{
    if (!sink)
        return;
    if (sink->count < sink->max)
        sink->ends[sink->count] = end;
    sink->count++;
}

/* Emit the word ends of the best path (offsets shifted by base). */
static void emit_path(const lm_lattice *lat, uint16_t edge, uint8_t state, size_t base,
                      token_sink *sink)
{
    size_t ends[ERRATA_LM_WINDOW_CHARS];
    size_t n = 0;
    while (edge != NO_EDGE && n < ERRATA_LM_WINDOW_CHARS) {
        const lm_edge *e = &lat->edges[edge];
        ends[n++] = base + lat->off[e->end];
        edge = e->states[state].back_edge;
        state = e->states[state].back_state;
    }
    while (n > 0)
        emit_token(sink, ends[--n]);
}

/* Score the characters whose byte offsets (from text) are off[0..chars]. */
static float score_piece(const errata_lm *lm, errata_lm_memo *memo, const unsigned char *text,
                         const size_t *off, size_t chars, token_sink *sink)
{
    lm_lattice lat;
    lat.text = text + off[0];
    lat.chars = chars;
    lat.nedges = 0;
    for (size_t i = 0; i <= chars; i++) {
        lat.off[i] = (uint16_t)(off[i] - off[0]);
        lat.first_ending[i] = NO_EDGE;
    }
    for (size_t i = 0; i < chars; i++)
        add_words_at(lm, memo, &lat, i);
    run_viterbi(lm, memo, &lat);
    uint16_t edge;
    uint8_t state = 0;
    float score = best_final(&lat, &edge, &state);
    if (sink)
        emit_path(&lat, edge, state, off[0], sink);
    return score;
}

/* Code points the model can have words for: CJK ideographs of every block,
   and 〇. */
static int is_model_char(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) || cp == 0x3007;
}

/* The code point at text[pos] and its length; invalid bytes are single
   non-Han units. */
static uint32_t decode(const unsigned char *s, size_t len, size_t pos, size_t *n)
{
    size_t avail = len - pos;
    unsigned char c = s[pos];
    *n = 1;
    if (c >= 0xE0 && c <= 0xEF && avail >= 3 && (s[pos + 1] & 0xC0) == 0x80 &&
        (s[pos + 2] & 0xC0) == 0x80) {
        *n = 3;
        return (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[pos + 1] & 0x3F) << 6 | (s[pos + 2] & 0x3F);
    }
    if (c >= 0xF0 && c <= 0xF4 && avail >= 4 && (s[pos + 1] & 0xC0) == 0x80 &&
        (s[pos + 2] & 0xC0) == 0x80 && (s[pos + 3] & 0xC0) == 0x80) {
        *n = 4;
        return (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[pos + 1] & 0x3F) << 12 |
               (uint32_t)(s[pos + 2] & 0x3F) << 6 | (s[pos + 3] & 0x3F);
    }
    if (c >= 0xC0 && avail >= 2 && (s[pos + 1] & 0xC0) == 0x80)
        *n = 2;
    return c < 0x80 ? c : 0xFFFD;
}

static double segment(const errata_lm *lm, errata_lm_memo *memo, const char *text, size_t len,
                      size_t *ends, size_t max_tokens, size_t *token_count)
{
    const unsigned char *s = (const unsigned char *)text;
    token_sink sink = {ends, ends ? max_tokens : 0, 0};
    token_sink *out = token_count ? &sink : NULL;
    size_t off[ERRATA_LM_WINDOW_CHARS + 1];
    size_t chars = 0, pos = 0;
    int in_other = 0; /* inside a run of non-Han code points */
    double total = 0;
    while (pos < len) {
        size_t n;
        int han = is_model_char(decode(s, len, pos, &n));
        if (han && in_other)
            emit_token(out, pos);
        in_other = !han;
        if (chars > 0 && (!han || chars == ERRATA_LM_WINDOW_CHARS)) {
            total += score_piece(lm, memo, s, off, chars, out);
            chars = 0;
        }
        if (han) {
            off[chars++] = pos;
            off[chars] = pos + n;
        }
        pos += n;
    }
    if (chars > 0)
        total += score_piece(lm, memo, s, off, chars, out);
    if (in_other)
        emit_token(out, len);
    if (token_count)
        *token_count = sink.count;
    return total;
}

double errata_lm_segment(const errata_lm *lm, const char *text, size_t len, size_t *ends,
                         size_t max_tokens, size_t *token_count)
{
    return segment(lm, NULL, text, len, ends, max_tokens, token_count);
}

double errata_lm_score(const errata_lm *lm, const char *text, size_t len)
{
    return segment(lm, NULL, text, len, NULL, 0, NULL);
}

double errata_lm_score_memo(const errata_lm *lm, errata_lm_memo *memo, const char *text,
                            size_t len)
{
    return segment(lm, memo && memo->lm == lm ? memo : NULL, text, len, NULL, 0, NULL);
}
