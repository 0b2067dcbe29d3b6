/* The character n-gram model: loading the image written by
   scripts/build-charmodel.py (its layout, a trie, is described there),
   counting n-grams by searching each history's continuations, and
   Witten-Bell scoring with a memo of the symbols scored. */
#include "cm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define CM_MAGIC "ERRATACM"
#define CM_VERSION 3u
#define CM_SYMBOL_BITS 13
#define CM_COUNT_BITS 12
#define CM_TYPES_BITS 13 /* orders 2 and 3: how many n-grams extend it */
#define CM_FIRST_BITS 26 /* orders 2 and 3: where those begin in the next table */
#define CM_CODES (1u << CM_COUNT_BITS)
#define CM_EXACT_COUNTS 2048 /* counts below this are stored as they are */
#define CM_CODES_PER_OCTAVE 256.0

enum cm_section { SEC_VOCAB, SEC_UNIGRAM, SEC_INDEX2, SEC_BIGRAMS, SEC_TABLE2, SEC_TABLE3,
                  SEC_TABLE4, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {"VOCAB",  "UNIGRAM", "INDEX2", "BIGRAMS",
                                                     "TABLE2", "TABLE3",  "TABLE4"};

/* The code points whose symbols are kept in a table (the CJK extension A
   and unified ideographs blocks); others are looked up in the vocabulary. */
#define COMMON_FIRST 0x3400u
#define COMMON_LAST 0x9FFFu

#define HDR_SECTIONS 56
#define HDR_SIZE (HDR_SECTIONS + 16 * SEC_COUNT + 4)

#define COMMON_SYMBOLS (COMMON_LAST - COMMON_FIRST + 1)

/* What a model's tables derive at open: the count each count code stands
   for, and the symbol of each code point from COMMON_FIRST to COMMON_LAST,
   where nearly all Han text lies.  The built-in model's are made when the
   library is built (errata_cm_tables_image) and read in place. */
typedef struct {
    uint32_t counts[CM_CODES];
    uint16_t common[COMMON_SYMBOLS];
} cm_tables;

struct errata_cm {
    const unsigned char *sec[SEC_COUNT];
    uint32_t symbols;                   /* boundary, unknown, vocabulary */
    uint32_t entries[ERRATA_CM_ORDER + 1]; /* n-grams per order (2..4) */
    uint64_t total;                     /* symbols in the training text */
    double unigram_denominator;         /* total + symbols: add-one smoothing's */
    const cm_tables *tables;            /* own_tables, or an image's (read in place) */
    cm_tables *own_tables;
    const unsigned char *data;          /* the model image */
    size_t index_end;                   /* its bytes up to the end of INDEX2 */
    unsigned bigram_bits;               /* the bigram hash table has 2^bigram_bits slots */
    void *mapping;                      /* the mmap()ed file, or NULL */
    size_t mapping_size;
};

/* ------------------------------------------------------------ loads */

static uint64_t load_u64(const unsigned char *p)
{
    return (uint64_t)errata_load_le32(p) | (uint64_t)errata_load_le32(p + 4) << 32;
}

static uint32_t vocab_code_point(const errata_cm *cm, uint32_t symbol)
{
    return errata_load_le32(cm->sec[SEC_VOCAB] + 4 * (size_t)symbol);
}

/* Where the bigrams starting with symbol begin in TABLE2. */
static uint32_t index2_at(const errata_cm *cm, uint32_t symbol)
{
    return errata_load_le32(cm->sec[SEC_INDEX2] + 4 * (size_t)symbol);
}

/* The bytes of one entry of the order's table (TABLE4's are half as wide). */
static size_t entry_bytes(size_t order) { return order == ERRATA_CM_ORDER ? 4 : 8; }

/* The last symbol of entry i of the order's table: the top bits of either
   width, so of the entry's upper four bytes. */
static inline uint32_t symbol_at(const errata_cm *cm, size_t order, size_t i)
{
    const unsigned char *entry = cm->sec[SEC_TABLE2 + (order - 2)] + entry_bytes(order) * i;
    return errata_load_le32(entry + entry_bytes(order) - 4) >> (32 - CM_SYMBOL_BITS);
}

static void fill_counts(cm_tables *t)
{
    for (uint32_t code = 0; code < CM_EXACT_COUNTS; code++)
        t->counts[code] = code;
    for (uint32_t code = CM_EXACT_COUNTS; code < CM_CODES; code++) {
        double c = CM_EXACT_COUNTS * exp2((double)(code - CM_EXACT_COUNTS) / CM_CODES_PER_OCTAVE);
        t->counts[code] = (uint32_t)(c + 0.5);
    }
}

/* ------------------------------------------------------------ validation */

static int check_header(const unsigned char *data, size_t size, const char *name)
{
    static const errata_image_format format = {CM_MAGIC, CM_VERSION, HDR_SIZE, "character model"};
    int rc = errata_check_image_header(data, size, name, &format);
    if (rc)
        return rc;
    if (errata_load_le32(data + 24) != ERRATA_CM_ORDER || errata_load_le32(data + 28) != CM_SYMBOL_BITS)
        return errata_fail(ERRATA_EFORMAT, "%s: order %u with %u-bit symbols, this library reads "
                           "order %d with %d-bit symbols", name, errata_load_le32(data + 24),
                           errata_load_le32(data + 28), ERRATA_CM_ORDER, CM_SYMBOL_BITS);
    uint32_t symbols = errata_load_le32(data + 32);
    if (symbols < 3 || symbols > (1u << CM_SYMBOL_BITS))
        return errata_fail(ERRATA_EFORMAT, "%s: %u symbols do not fit %d bits", name, symbols,
                           CM_SYMBOL_BITS);
    for (size_t order = 3; order <= ERRATA_CM_ORDER; order++)
        if (errata_load_le32(data + 36 + 4 * (order - 2)) > (1u << CM_FIRST_BITS))
            return errata_fail(ERRATA_EFORMAT, "%s: %u n-grams of order %zu do not fit %d bits",
                               name, errata_load_le32(data + 36 + 4 * (order - 2)), order, CM_FIRST_BITS);
    return ERRATA_OK;
}

static uint64_t expected_size(const errata_cm *cm, enum cm_section s)
{
    switch (s) {
    case SEC_VOCAB:
    case SEC_UNIGRAM: return 4 * (uint64_t)cm->symbols;
    case SEC_INDEX2: return 4 * ((uint64_t)cm->symbols + 1);
    case SEC_BIGRAMS: return 4 * ((uint64_t)1 << cm->bigram_bits);
    default: {
        size_t order = 2 + (size_t)(s - SEC_TABLE2);
        return entry_bytes(order) * (uint64_t)cm->entries[order];
    }
    }
}

static int check_sections(errata_cm *cm, const unsigned char *data, size_t size, const char *name)
{
    uint64_t previous_end = HDR_SIZE;
    for (int s = 0; s < SEC_COUNT; s++) {
        const unsigned char *rec = data + HDR_SECTIONS + 16 * s;
        uint64_t offset = load_u64(rec), length = load_u64(rec + 8);
        if (s == SEC_BIGRAMS) /* the smallest power of two (>= 2) at least twice the bigrams */
            for (cm->bigram_bits = 1;
                 ((uint64_t)1 << cm->bigram_bits) < 2 * (uint64_t)cm->entries[2];)
                cm->bigram_bits++;
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
   the bigram index rising to its table's end (each symbol's bigrams).  The
   ranges of extensions within the tables are bounded where they are read
   (extension_range()), so a corrupted entry can only give a wrong count. */
static int check_indexes(const errata_cm *cm, const char *name)
{
    for (uint32_t s = 3; s < cm->symbols; s++)
        if (vocab_code_point(cm, s) <= vocab_code_point(cm, s - 1))
            return errata_fail(ERRATA_EFORMAT, "%s: vocabulary not in code point order at symbol %u",
                               name, s);
    uint32_t previous = 0;
    for (uint32_t s = 0; s <= cm->symbols; s++) {
        uint32_t at = index2_at(cm, s);
        if (at < previous || at > cm->entries[2])
            return errata_fail(ERRATA_EFORMAT, "%s: bigram index corrupted at symbol %u", name, s);
        previous = at;
    }
    if (previous != cm->entries[2])
        return errata_fail(ERRATA_EFORMAT, "%s: bigram index ends at %u of %u entries", name,
                           previous, cm->entries[2]);
    return ERRATA_OK;
}

static uint32_t search_vocabulary(const errata_cm *cm, uint32_t cp);

static void fill_common_symbols(const errata_cm *cm, cm_tables *t)
{
    for (uint32_t cp = COMMON_FIRST; cp <= COMMON_LAST; cp++)
        t->common[cp - COMMON_FIRST] =
            (uint16_t)(errata_is_han(cp) ? ERRATA_CM_UNKNOWN : ERRATA_CM_BOUNDARY);
    for (uint32_t s = 2; s < cm->symbols; s++) {
        uint32_t cp = vocab_code_point(cm, s);
        if (cp >= COMMON_FIRST && cp <= COMMON_LAST && errata_is_han(cp))
            t->common[cp - COMMON_FIRST] = (uint16_t)s;
    }
}

/* The tables of a model whose indexes are checked here. */
static int make_tables(errata_cm *cm, const char *name)
{
    int rc = check_indexes(cm, name);
    if (rc)
        return rc;
    cm->own_tables = malloc(sizeof *cm->own_tables);
    if (!cm->own_tables)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    fill_counts(cm->own_tables);
    fill_common_symbols(cm, cm->own_tables);
    cm->tables = cm->own_tables;
    return ERRATA_OK;
}

/* ------------------------------------------------------------ tables image */

/* The header (integers little-endian, checked by errata_check_image_header)
   and then cm_tables as the host lays it out, which builds it with the
   library: magic, u32 version, header size, u64 image size, u32 byte
   order, checksum of the model up to the end of INDEX2 (all the tables
   derive from, and all check_indexes() reads: a sound image stands for
   that check), symbols, count codes, first and last common code point,
   zeros, header checksum. */
#define CT_MAGIC "ERRATACT"
#define CT_VERSION 1u
#define CT_HEADER_SIZE 64
#define CT_BYTE_ORDER 0x01020304u

static const errata_image_format ct_format = {CT_MAGIC, CT_VERSION, CT_HEADER_SIZE,
                                              "character model tables image"};

/* What a tables image's header says after its byte order, for this model. */
static void table_facts(const errata_cm *cm, uint32_t facts[5])
{
    facts[0] = errata_image_checksum(cm->data, cm->index_end);
    facts[1] = cm->symbols;
    facts[2] = CM_CODES;
    facts[3] = COMMON_FIRST;
    facts[4] = COMMON_LAST;
}

int errata_cm_tables_image(const errata_cm *cm, unsigned char **out, size_t *out_len)
{
    size_t size = CT_HEADER_SIZE + sizeof(cm_tables);
    unsigned char *img = errata_image_new(&ct_format, size);
    if (!img)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    uint32_t order = CT_BYTE_ORDER, facts[5];
    memcpy(img + 24, &order, 4);
    table_facts(cm, facts);
    for (int i = 0; i < 5; i++)
        errata_store_le32(img + 28 + 4 * i, facts[i]);
    errata_image_seal_header(img, &ct_format);
    memcpy(img + CT_HEADER_SIZE, cm->tables, sizeof(cm_tables));
    *out = img;
    *out_len = size;
    return ERRATA_OK;
}

/* The tables of a tables image made from this very model, read in place. */
static int use_tables(errata_cm *cm, const unsigned char *image, size_t size, const char *name)
{
    if ((uintptr_t)image % 8 != 0)
        return errata_fail(ERRATA_EINVAL, "%s: not 8-byte aligned in memory", name);
    int rc = errata_check_image_header(image, size, name, &ct_format);
    if (rc)
        return rc;
    if (size != CT_HEADER_SIZE + sizeof(cm_tables))
        return errata_fail(ERRATA_EFORMAT, "%s: %zu bytes, expected %zu", name, size,
                           CT_HEADER_SIZE + sizeof(cm_tables));
    uint32_t order, facts[5];
    memcpy(&order, image + 24, 4);
    if (order != CT_BYTE_ORDER)
        return errata_fail(ERRATA_EFORMAT, "%s: built for another byte order", name);
    table_facts(cm, facts);
    for (int i = 0; i < 5; i++)
        if (errata_load_le32(image + 28 + 4 * i) != facts[i])
            return errata_fail(ERRATA_EFORMAT, "%s: made from another character model", name);
    cm->tables = (const cm_tables *)(const void *)(image + CT_HEADER_SIZE);
    return ERRATA_OK;
}

/* tables: a tables image (tables_size bytes) to read in place, or NULL to
   make them. */
static int open_image(errata_cm **out, const void *data, size_t size, const char *name,
                      const void *tables, size_t tables_size, const char *tables_name)
{
    const unsigned char *bytes = data;
    *out = NULL;
    int rc = check_header(bytes, size, name);
    if (rc)
        return rc;
    errata_cm *cm = calloc(1, sizeof *cm);
    if (!cm)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    cm->symbols = errata_load_le32(bytes + 32);
    for (size_t order = 2; order <= ERRATA_CM_ORDER; order++)
        cm->entries[order] = errata_load_le32(bytes + 36 + 4 * (order - 2));
    cm->total = load_u64(bytes + 48);
    cm->unigram_denominator = (double)cm->total + cm->symbols;
    rc = check_sections(cm, bytes, size, name);
    if (!rc) {
        cm->data = bytes;
        cm->index_end = (size_t)(cm->sec[SEC_INDEX2] - bytes) + expected_size(cm, SEC_INDEX2);
        rc = tables ? use_tables(cm, tables, tables_size, tables_name) : make_tables(cm, name);
    }
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
    return open_image(out, data, size, "character model in memory", NULL, 0, NULL);
}

int errata_cm_open_memory_with_tables(errata_cm **out, const void *data, size_t size,
                                      const void *tables, size_t tables_size,
                                      const char *tables_name)
{
    if (!out || (!data && size) || !tables || !tables_name)
        return errata_fail(ERRATA_EINVAL, "errata_cm_open_memory_with_tables: NULL argument");
    return open_image(out, data, size, "character model in memory", tables, tables_size,
                      tables_name);
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
        rc = open_image(out, map, size, path, NULL, 0, NULL);
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
    free(cm->own_tables);
    free(cm);
}

/* ------------------------------------------------------------ symbols */

uint32_t errata_cm_symbol(const errata_cm *cm, uint32_t cp)
{
    if (cp >= COMMON_FIRST && cp <= COMMON_LAST)
        return cm->tables->common[cp - COMMON_FIRST];
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
        uint32_t s = errata_cm_symbol(cm, errata_utf8_next_fast(text, len, &pos));
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

/* What the model holds of one n-gram: how often it occurs, how many
   different symbols follow it (its Witten-Bell weight as a history) and
   where those n-grams begin in the next order's table.  A decoded count is
   below 2^20, a unigram count below 2^32. */
typedef struct {
    uint32_t count; /* 0: not in the model */
    uint32_t types;
    uint32_t first;
} gram_info;

static inline gram_info unigram_info(const errata_cm *cm, uint32_t s)
{
    gram_info info = {0, 0, 0};
    if (s < cm->symbols) {
        info.count = errata_load_le32(cm->sec[SEC_UNIGRAM] + 4 * (size_t)s);
        info.first = index2_at(cm, s);
        info.types = index2_at(cm, s + 1) - info.first;
    }
    return info;
}

/* What entry i of the order's table (2..ORDER) holds. */
static inline gram_info entry_info(const errata_cm *cm, size_t order, size_t i)
{
    gram_info info = {0, 0, 0};
    if (order == ERRATA_CM_ORDER) {
        info.count = cm->tables->counts[errata_load_le32(cm->sec[SEC_TABLE4] + 4 * i) & (CM_CODES - 1)];
        return info;
    }
    uint64_t entry = load_u64(cm->sec[SEC_TABLE2 + (order - 2)] + 8 * i);
    info.count = cm->tables->counts[entry & (CM_CODES - 1)];
    info.types = (uint32_t)(entry >> CM_COUNT_BITS) & ((1u << CM_TYPES_BITS) - 1);
    info.first = (uint32_t)(entry >> (CM_COUNT_BITS + CM_TYPES_BITS)) & ((1u << CM_FIRST_BITS) - 1);
    return info;
}

/* The entries of the next order's table that extend an n-gram of the
   given order: [*from, *to), kept inside that table whatever the entry says. */
static void extension_range(const errata_cm *cm, size_t order, const gram_info *h, size_t *from,
                            size_t *to)
{
    size_t end = cm->entries[order + 1];
    *from = h->first < end ? h->first : end;
    *to = h->types < end - *from ? *from + h->types : end;
}

/* The first of the entries [lo, hi) of a table of entries of the given
   width whose last symbol is not below s (hi if none): a binary search
   without branches, as most ranges are short and unpredictable. */
static inline size_t first_not_below(const unsigned char *table, size_t width, size_t lo, size_t hi,
                                     uint32_t s)
{
    if (lo == hi)
        return hi;
    const unsigned char *top = table + width - 4; /* the upper four bytes of entry 0 */
    size_t n = hi - lo;
    while (n > 1) {
        size_t half = n / 2;
        lo = (errata_load_le32(top + width * (lo + half)) >> (32 - CM_SYMBOL_BITS)) < s ? lo + half : lo;
        n -= half;
    }
    return lo + ((errata_load_le32(top + width * lo) >> (32 - CM_SYMBOL_BITS)) < s);
}

/* The bigram that extends the unigram h by symbol s, through the hash
   table: a slot names a bigram of TABLE2, which is the one wanted when it
   lies among h's extensions and ends with s. */
static gram_info extend_unigram(const errata_cm *cm, const gram_info *h, uint32_t first,
                                uint32_t s)
{
    gram_info none = {0, 0, 0};
    uint32_t mask = (1u << cm->bigram_bits) - 1;
    uint32_t at = (uint32_t)((first << CM_SYMBOL_BITS | s) * 0x9E3779B1u) >> (32 - cm->bigram_bits);
    for (uint32_t probes = 0; probes <= mask; probes++, at = (at + 1) & mask) {
        uint32_t slot = errata_load_le32(cm->sec[SEC_BIGRAMS] + 4 * (size_t)at);
        if (slot == 0)
            return none;
        size_t i = slot - 1;
        if (i - h->first < h->types && i < cm->entries[2] && symbol_at(cm, 2, i) == s)
            return entry_info(cm, 2, i);
    }
    return none;
}

/* The n-gram that extends h, the n-gram of the given order (< ORDER) that
   ends with symbol last, by symbol s; count 0 when the model does not
   hold it. */
static inline gram_info extend(const errata_cm *cm, size_t order, const gram_info *h,
                               uint32_t last, uint32_t s)
{
    if (order == 1)
        return extend_unigram(cm, h, last, s);
    gram_info none = {0, 0, 0};
    size_t lo, hi, next = order + 1;
    extension_range(cm, order, h, &lo, &hi);
    const unsigned char *table = cm->sec[SEC_TABLE2 + (next - 2)];
    size_t i = next == ERRATA_CM_ORDER ? first_not_below(table, 4, lo, hi, s)
                                       : first_not_below(table, 8, lo, hi, s);
    return i < hi && symbol_at(cm, next, i) == s ? entry_info(cm, next, i) : none;
}

static int valid_symbols(const errata_cm *cm, const uint32_t *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] == ERRATA_CM_UNKNOWN || s[k] >= cm->symbols)
            return 0;
    return 1;
}

/* The n-gram s[0..n) (1 <= n <= ORDER), found from its first symbol on. */
static gram_info lookup(const errata_cm *cm, const uint32_t *s, size_t n)
{
    gram_info info = {0, 0, 0};
    if (n > 1 && !valid_symbols(cm, s, n))
        return info;
    info = unigram_info(cm, s[0]);
    for (size_t k = 1; k < n && info.count > 0; k++)
        info = extend(cm, k, &info, s[k - 1], s[k]);
    return info;
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

size_t errata_cm_continuations(const errata_cm *cm, const uint32_t *prefix, size_t n,
                               void (*visit)(uint32_t symbol, uint64_t count, void *ctx), void *ctx)
{
    if (n == 0 || n >= ERRATA_CM_ORDER || !valid_symbols(cm, prefix, n))
        return 0;
    gram_info h = lookup(cm, prefix, n);
    if (h.count == 0)
        return 0;
    size_t from, to, i;
    extension_range(cm, n, &h, &from, &to);
    /* A corrupted model's range is cut where its symbols stop rising, so
       that the order promised holds whatever the file says. */
    uint32_t previous = 0;
    for (i = from; i < to; i++) {
        uint32_t symbol = symbol_at(cm, n + 1, i);
        if (i > from && symbol <= previous)
            break;
        if (visit)
            visit(symbol, entry_info(cm, n + 1, i).count, ctx);
        previous = symbol;
    }
    return i - from;
}

/* ------------------------------------------------------------ scoring */

/* A memo of the symbols scored: a direct-mapped table whose slot holds the
   last step (step_key(): a symbol and the history it was predicted from)
   that hashed to it, with what scoring it found (key 0: an empty slot), in
   32 bytes: two slots to a cache line. */
typedef struct {
    uint64_t key;
    double log_prob;
    uint64_t ending[ERRATA_CM_ORDER - 2]; /* the n-grams of 2..ORDER-1 symbols ending with it,
                                             packed_info() */
} memo_step;

/* A gram_info in 64 bits: a count below 2^20, the types and where they
   begin (CM_TYPES_BITS and CM_FIRST_BITS wide). */
#define PACKED_COUNT_BITS 20
_Static_assert(PACKED_COUNT_BITS + CM_TYPES_BITS + CM_FIRST_BITS <= 64, "a gram_info fits 64 bits");

static uint64_t packed_info(const gram_info *g)
{
    return (uint64_t)g->count | (uint64_t)g->types << PACKED_COUNT_BITS |
           (uint64_t)g->first << (PACKED_COUNT_BITS + CM_TYPES_BITS);
}

static gram_info unpacked_info(uint64_t packed)
{
    gram_info g;
    g.count = (uint32_t)packed & ((1u << PACKED_COUNT_BITS) - 1);
    g.types = (uint32_t)(packed >> PACKED_COUNT_BITS) & ((1u << CM_TYPES_BITS) - 1);
    g.first = (uint32_t)(packed >> (PACKED_COUNT_BITS + CM_TYPES_BITS));
    return g;
}

/* A whole short text scored (the judge scores its slots' words again and
   again), direct-mapped by its bytes (len 0: an empty slot). */
#define MEMO_TEXT_BYTES 15
#define MEMO_TEXT_BITS 8
typedef struct {
    uint64_t head, tail; /* its bytes, 8 and up to 7, zero-padded */
    size_t len;
    double log_prob;
} memo_text;

/* Where scoring stands: the last symbols read (the history; it starts
   afresh after a boundary) and what the model holds of the n-grams ending
   with the last one: ending[k] of its last k symbols (k = 1..ORDER-1; zero
   beyond the history or where a shorter one is unseen). */
typedef struct {
    uint64_t history; /* its symbols, CM_SYMBOL_BITS each, the last one lowest */
    size_t n;         /* how many */
    gram_info ending[ERRATA_CM_ORDER];
} score_state;

/* The state after reading the symbols before a range (the ranges of one
   window's renderings, and of many windows, start after the same few
   symbols), direct-mapped by those symbols (key 0: an empty slot). */
#define MEMO_HISTORY_BITS 8
typedef struct {
    uint64_t key;
    score_state st;
} memo_history;

struct errata_cm_memo {
    memo_step *steps;
    unsigned bits;
    memo_text texts[1u << MEMO_TEXT_BITS];
    memo_history histories[1u << MEMO_HISTORY_BITS];
};

#define MEMO_MIN_BITS 8
#define MEMO_MAX_BITS 16

errata_cm_memo *errata_cm_memo_new(size_t lookups)
{
    errata_cm_memo *memo = calloc(1, sizeof *memo);
    if (!memo)
        return NULL;
    memo->bits = MEMO_MIN_BITS;
    while (memo->bits < MEMO_MAX_BITS && ((size_t)1 << memo->bits) < lookups)
        memo->bits++;
    memo->steps = calloc((size_t)1 << memo->bits, sizeof *memo->steps);
    if (!memo->steps) {
        free(memo);
        return NULL;
    }
    return memo;
}

void errata_cm_memo_free(errata_cm_memo *memo)
{
    if (memo)
        free(memo->steps);
    free(memo);
}

#define SYMBOL_MASK ((1u << CM_SYMBOL_BITS) - 1)
#define LOG10_E 0.43429448190325182765 /* 1 / ln 10 */
#define HISTORY_MASK (((uint64_t)1 << (CM_SYMBOL_BITS * (ERRATA_CM_ORDER - 1))) - 1)

/* log10 P(s | history) by Witten-Bell interpolation: from the unigram
   (add-one) up through each longer history seen in training, mixing its
   own count with the shorter history's estimate in proportion to how many
   different symbols followed it.  st->ending becomes that of s. */
static double interpolated_log_prob(const errata_cm *cm, score_state *st, uint32_t s)
{
    gram_info here[ERRATA_CM_ORDER] = {{0, 0, 0}};
    here[1] = unigram_info(cm, s);
    double p = ((double)here[1].count + 1.0) / cm->unigram_denominator;
    for (size_t k = 1; k <= st->n; k++) {
        const gram_info *h = &st->ending[k];
        if (h->count == 0 || h->types == 0)
            break; /* unseen, or every continuation pruned: so is every longer history */
        gram_info g = extend(cm, k, h, (uint32_t)st->history & SYMBOL_MASK, s);
        if (k + 1 < ERRATA_CM_ORDER)
            here[k + 1] = g;
        p = ((double)g.count + (double)h->types * p) / ((double)h->count + (double)h->types);
    }
    memcpy(st->ending, here, sizeof here);
    /* log10 computes the natural logarithm and scales it, at half again
       its cost: a tenth of the model's time goes to these logarithms */
    return log(p) * LOG10_E;
}

/* The memo's key of predicting s from st's history: the symbols (13 bits
   each), the history's length, and a low bit set so that no key is 0. */
static uint64_t step_key(const score_state *st, uint32_t s)
{
    return (st->history << CM_SYMBOL_BITS | s) << 3 | (uint64_t)st->n << 1 | 1;
}

/* interpolated_log_prob(), through the memo when there is one: the same
   history and symbol give the same probability and n-grams. */
static double step_log_prob(const errata_cm *cm, errata_cm_memo *memo, score_state *st, uint32_t s)
{
    if (!memo)
        return interpolated_log_prob(cm, st, s);
    uint64_t key = step_key(st, s);
    memo_step *slot = &memo->steps[(key * 0x9E3779B97F4A7C15u) >> (64 - memo->bits)];
    if (slot->key == key) {
        st->ending[1] = unigram_info(cm, s);
        for (size_t k = 2; k < ERRATA_CM_ORDER; k++)
            st->ending[k] = unpacked_info(slot->ending[k - 2]);
        return slot->log_prob;
    }
    slot->key = key;
    slot->log_prob = interpolated_log_prob(cm, st, s);
    for (size_t k = 2; k < ERRATA_CM_ORDER; k++)
        slot->ending[k - 2] = packed_info(&st->ending[k]);
    return slot->log_prob;
}

/* The code point that ends at byte pos (> 0), which starts at *start: a
   three-byte one (most of a Chinese text) decoded at once. */
static inline uint32_t code_point_before(const char *text, size_t pos, size_t *start)
{
    const unsigned char *b = (const unsigned char *)text + pos;
    if (pos >= 3 && (b[-3] & 0xF0) == 0xE0 && (b[-2] & 0xC0) == 0x80 && (b[-1] & 0xC0) == 0x80) {
        *start = pos - 3;
        return (uint32_t)(b[-3] & 0x0F) << 12 | (uint32_t)(b[-2] & 0x3F) << 6 | (b[-1] & 0x3F);
    }
    size_t at = pos;
    do
        at--;
    while (at > 0 && ((unsigned char)text[at] & 0xC0) == 0x80);
    *start = at;
    return errata_utf8_next_fast(text, pos, &at);
}

/* The symbols before byte from that the symbol at from is predicted from:
   up to ERRATA_CM_ORDER - 1 of them (a run of non-Han code points is one
   symbol), into history[0..n) in text order; returns n. */
static size_t history_symbols(const errata_cm *cm, const char *text, size_t from,
                              uint32_t *history)
{
    uint32_t backwards[ERRATA_CM_ORDER - 1];
    size_t pos = from, n = 0;
    uint32_t after = UINT32_MAX; /* the symbol at pos */
    while (pos > 0) {
        size_t prev;
        uint32_t s = errata_cm_symbol(cm, code_point_before(text, pos, &prev));
        if (!(s == ERRATA_CM_BOUNDARY && after == ERRATA_CM_BOUNDARY)) {
            if (n == ERRATA_CM_ORDER - 1)
                break;
            backwards[n++] = s;
        }
        pos = prev;
        after = s;
    }
    for (size_t k = 0; k < n; k++)
        history[k] = backwards[n - 1 - k];
    return n;
}

/* Read symbol s into the scoring state; its log10 probability (0 for a
   boundary that starts the text: nothing predicts it). */
static inline double read_symbol(const errata_cm *cm, errata_cm_memo *memo, score_state *st,
                                 uint32_t s, int first)
{
    double p = 0;
    if (s == ERRATA_CM_BOUNDARY && first)
        st->ending[1] = unigram_info(cm, s);
    else
        p = step_log_prob(cm, memo, st, s);
    if (s == ERRATA_CM_BOUNDARY) { /* the history starts afresh with it */
        st->history = ERRATA_CM_BOUNDARY;
        st->n = 1;
        memset(st->ending + 2, 0, (ERRATA_CM_ORDER - 2) * sizeof *st->ending);
    } else {
        st->history = (st->history << CM_SYMBOL_BITS | s) & HISTORY_MASK;
        st->n += st->n < ERRATA_CM_ORDER - 1;
    }
    return p;
}

/* The state after reading history[0..n) from the start, through the memo's
   histories when there is a memo. */
static void read_history(const errata_cm *cm, errata_cm_memo *memo, const uint32_t *history,
                         size_t n, score_state *st)
{
    memset(st, 0, sizeof *st);
    uint64_t key = n << 1 | 1;
    for (size_t k = 0; k < n; k++)
        key |= (uint64_t)history[k] << (3 + CM_SYMBOL_BITS * k);
    memo_history *slot =
        memo ? &memo->histories[(key * 0x9E3779B97F4A7C15u) >> (64 - MEMO_HISTORY_BITS)] : NULL;
    if (slot && slot->key == key) {
        *st = slot->st;
        return;
    }
    for (size_t k = 0; k < n; k++)
        read_symbol(cm, memo, st, history[k], k == 0);
    if (slot) {
        slot->key = key;
        slot->st = *st;
    }
}

static double score_symbols(const errata_cm *cm, errata_cm_memo *memo, const char *text,
                            size_t len, size_t from, size_t to)
{
    uint32_t history[ERRATA_CM_ORDER - 1];
    size_t count = history_symbols(cm, text, from, history), pos = from, after_to = 0;
    score_state st;
    read_history(cm, memo, history, count, &st);
    uint32_t previous = count ? history[count - 1] : UINT32_MAX;
    double logp = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t s = errata_cm_symbol(cm, errata_utf8_next_fast(text, len, &pos));
        if (s == ERRATA_CM_BOUNDARY && previous == ERRATA_CM_BOUNDARY)
            continue;
        if (at >= to && ++after_to == ERRATA_CM_ORDER)
            break; /* its history lies wholly at or after to */
        logp += read_symbol(cm, memo, &st, s, count == 0);
        previous = s;
        count++;
    }
    return logp;
}

double errata_cm_score_range(const errata_cm *cm, errata_cm_memo *memo, const char *text,
                             size_t len, size_t from, size_t to)
{
    if (!memo || from != 0 || to != len || len == 0 || len > MEMO_TEXT_BYTES)
        return score_symbols(cm, memo, text, len, from, to);
    uint64_t head = 0, tail = 0;
    memcpy(&head, text, len < 8 ? len : 8);
    if (len > 8)
        memcpy(&tail, text + 8, len - 8);
    uint64_t h = ((head * 0x9E3779B97F4A7C15u) ^ tail ^ len) * 0xFF51AFD7ED558CCDu;
    memo_text *slot = &memo->texts[h >> (64 - MEMO_TEXT_BITS)];
    if (slot->len != len || slot->head != head || slot->tail != tail) {
        slot->log_prob = score_symbols(cm, memo, text, len, 0, len);
        slot->head = head;
        slot->tail = tail;
        slot->len = len;
    }
    return slot->log_prob;
}

double errata_cm_score(const errata_cm *cm, const char *text, size_t len)
{
    return errata_cm_score_range(cm, NULL, text, len, 0, len);
}
