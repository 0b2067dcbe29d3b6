/* The loaders of the two model files on a model file's bytes: the word
   trigram model (lib/lm.c, magic ERRATALM) and the character n-gram model
   (lib/cm.c, ERRATACM; the magic chooses, the fuzzer may turn one into the
   other).  The header's checksum and declared size are set right before
   loading (otherwise almost every mutation would stop at them), so the
   fuzzer reaches the counts, the section table and the sections' contents.
   Invariants: a refusal is ERRATA_EFORMAT; for a word model accepted,
   looking words up gives ids in range, scoring with and without a memo
   gives the same value, the segmentation ends on character boundaries in
   order at the text's end with the same score; for a character model
   accepted, symbols and code points map back and forth, a single
   character's count is its unigram count, the continuations listed are as
   many as counted and in symbol order, and no score is NaN; an engine made
   with the model file loads exactly when the loader accepts it, and
   checking a damaged text with it gives edits inside the text on character
   boundaries.
   Seeds: corpus/fuzz_model/tiny.bin is scripts/build-lm.py's model of
   tests/fuzz/tiny.arpa, tiny-chars.bin scripts/build-charmodel.py's of
   tests/fuzz/tiny-chars.txt (with --eval-dir an empty directory). */
#include <math.h>

#include "cm.h"
#include "fuzz.h"
#include "lm.h"

#define HEADER_SIZE 356    /* 64 + 24 x 12 sections + 4: lib/lm.c's HDR_SIZE */
#define CM_HEADER_SIZE 172 /* 56 + 16 x 7 sections + 4: lib/cm.c's HDR_SIZE */
#define MAX_TOKENS 64

static const char *const texts[] = {
    "坚持科学发展观，为人民服务。", "科学发展", "abc 为人民效劳 123", "", "发展发展发展发展",
};

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x01000193u;
    return h;
}

static void put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int same_score(double a, double b) { return a == b || (isnan(a) && isnan(b)); }

static void check_model(const errata_lm *lm)
{
    size_t words = errata_lm_word_count(lm);
    FUZZ_CHECK(words > 0 && errata_lm_unknown(lm) < words, "%zu words, <unk> %u", words,
               errata_lm_unknown(lm));
    errata_lm_memo *memo = errata_lm_memo_new(lm, 256);
    FUZZ_CHECK(memo, "memo");
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        const char *s = texts[t];
        size_t len = strlen(s);
        uint32_t id = errata_lm_word(lm, s, len < 6 ? len : 6);
        FUZZ_CHECK(id == ERRATA_LM_NO_WORD || id < words, "word id %u of %zu", id, words);
        uint32_t history[3] = {id == ERRATA_LM_NO_WORD ? 0 : id, errata_lm_unknown(lm), 0};
        (void)errata_lm_prob(lm, history, 3);
        double score = errata_lm_score(lm, s, len);
        FUZZ_CHECK(same_score(score, errata_lm_score_memo(lm, memo, s, len)),
                   "memo changed the score");
        size_t ends[MAX_TOKENS], count = 0;
        double segmented = errata_lm_segment(lm, s, len, ends, MAX_TOKENS, &count);
        FUZZ_CHECK(same_score(score, segmented), "segment %f, score %f", segmented, score);
        FUZZ_CHECK(count <= MAX_TOKENS && (len == 0 || (count > 0 && ends[count - 1] == len)),
                   "%zu tokens", count);
        for (size_t i = 0; i < count; i++)
            FUZZ_CHECK(ends[i] <= len && (i == 0 || ends[i - 1] < ends[i]) &&
                           fuzz_on_boundary(s, len, ends[i]),
                       "token end %zu", ends[i]);
    }
    errata_lm_memo_free(memo);
}

/* A few swaps the model must judge (the built-in dictionaries would take
   0.2 s an engine under ASan). */
static const char swaps[] = "errata-dict 1\n"
                            "效劳\t服务\tswap\tC\n"
                            "原那么\t原则\tswap\tU\n"
                            "开展\t发展\tswap-a\tC\tfix-next=观\n";
static char swaps_path[64];

static void remove_swaps(void) { unlink(swaps_path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_temp_template(swaps_path, sizeof swaps_path, "swaps");
    int fd = mkstemp(swaps_path);
    if (fd < 0 || write(fd, swaps, sizeof swaps - 1) != (ssize_t)(sizeof swaps - 1))
        abort();
    close(fd);
    atexit(remove_swaps);
    return 0;
}

static void note_symbol(uint32_t symbol, uint64_t count, void *context)
{
    uint32_t *previous = context;
    (void)count;
    FUZZ_CHECK(previous[1] == 0 || symbol > previous[0], "continuations out of order");
    previous[0] = symbol;
    previous[1]++;
}

/* The code point at s[*pos] (the texts here are valid UTF-8). */
static uint32_t next_code_point(const char *s, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t n = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? p[0] : p[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3F);
    *pos += n;
    return cp;
}

static void check_continuations(const errata_cm *cm, const uint32_t *history, size_t n)
{
    uint32_t seen[2] = {0, 0}; /* the last symbol visited, how many */
    size_t listed = errata_cm_continuations(cm, history, n, note_symbol, seen);
    FUZZ_CHECK(listed == seen[1] && listed == errata_cm_continuations(cm, history, n, NULL, NULL),
               "%zu continuations listed, %u visited", listed, seen[1]);
}

static void check_char_model(const errata_cm *cm)
{
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        const char *s = texts[t];
        size_t len = strlen(s), n = 0;
        FUZZ_CHECK(!isnan(errata_cm_score(cm, s, len)), "score of '%s' is NaN", s);
        uint32_t history[ERRATA_CM_ORDER - 1];
        for (size_t pos = 0; pos < len;) {
            size_t start = pos;
            uint32_t cp = next_code_point(s, &pos), symbol = errata_cm_symbol(cm, cp);
            if (symbol == ERRATA_CM_BOUNDARY) {
                n = 0;
                continue;
            }
            if (symbol != ERRATA_CM_UNKNOWN) {
                FUZZ_CHECK(errata_cm_code_point(cm, symbol) == cp, "symbol %u is not U+%04X",
                           symbol, cp);
                FUZZ_CHECK(errata_cm_count_text(cm, s + start, pos - start) ==
                               errata_cm_count(cm, &symbol, 1),
                           "count of U+%04X", cp);
            }
            if (n == ERRATA_CM_ORDER - 1)
                memmove(history, history + 1, --n * sizeof *history);
            history[n++] = symbol;
            check_continuations(cm, history, n);
        }
    }
}

static void check_engine(const uint8_t *model, size_t size, int loader_rc, int char_model)
{
    char path[64];
    fuzz_temp_template(path, sizeof path, "model");
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0 && write(fd, model, size) == (ssize_t)size, "cannot write %s", path);
    close(fd);
    const char *dictionaries[] = {swaps_path};
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = 1;
    opts.dictionary_paths = dictionaries;
    opts.dictionary_count = 1;
    if (char_model)
        opts.char_model_path = path;
    else
        opts.model_path = path;
    errata_engine *engine = NULL;
    int rc = errata_engine_new(&engine, &opts);
    unlink(path);
    FUZZ_CHECK(rc == loader_rc, "engine %d, loader %d: %s", rc, loader_rc, errata_error_message());
    if (rc != ERRATA_OK)
        return;
    const char *text = "为人民效劳，坚持原那么，推进科学开展观。";
    size_t len = strlen(text);
    errata_check_options check = ERRATA_CHECK_OPTIONS_INIT;
    errata_result *result = NULL;
    FUZZ_CHECK(errata_check(engine, text, len, &check, &result) == ERRATA_OK, "check: %s",
               errata_error_message());
    for (size_t i = 0; i < errata_result_count(result); i++) {
        const errata_edit *e = errata_result_edit(result, i);
        FUZZ_CHECK(e->byte_start <= e->byte_end && e->byte_end <= len &&
                       fuzz_on_boundary(text, len, e->byte_start) &&
                       fuzz_on_boundary(text, len, e->byte_end),
                   "span %zu..%zu", e->byte_start, e->byte_end);
        FUZZ_CHECK(e->confidence >= 0 && e->confidence <= 1, "confidence %f", e->confidence);
    }
    errata_result_free(result);
    errata_engine_free(engine);
}

/* The header's declared size and checksum set right for the bytes. */
static void fix_header(uint8_t *model, size_t size, size_t header_size)
{
    if (size < header_size)
        return;
    put_le(model + 16, size, 8);
    put_le(model + header_size - 4, fnv1a(model, header_size - 4), 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *model = malloc(size ? size : 1);
    if (!model)
        return 0;
    memcpy(model, data, size);
    int char_model = size >= 8 && memcmp(data, "ERRATACM", 8) == 0;
    fix_header(model, size, char_model ? CM_HEADER_SIZE : HEADER_SIZE);
    int rc;
    if (char_model) {
        errata_cm *cm = NULL;
        rc = errata_cm_open_memory(&cm, model, size);
        FUZZ_CHECK(rc == ERRATA_OK || (rc == ERRATA_EFORMAT && cm == NULL), "open: %d %s", rc,
                   errata_error_message());
        if (rc == ERRATA_OK)
            check_char_model(cm);
        errata_cm_free(cm);
    } else {
        errata_lm *lm = NULL;
        rc = errata_lm_open_memory(&lm, model, size);
        FUZZ_CHECK(rc == ERRATA_OK || (rc == ERRATA_EFORMAT && lm == NULL), "open: %d %s", rc,
                   errata_error_message());
        if (rc == ERRATA_OK)
            check_model(lm);
        errata_lm_free(lm);
    }
    check_engine(model, size, rc, char_model);
    free(model);
    return 0;
}
