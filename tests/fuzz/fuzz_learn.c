/* errata_learner on a batch of arbitrary documents.  The first byte chooses
   the options (tiny --min-count and --min-docs, so that pairs form on a
   small batch; a confidence floor; the defaults) and the engine, the rest
   is split into
   documents at each 0xFF byte (never part of UTF-8 text), at most
   MAX_DOCUMENTS of them.  Invariants: a document is refused exactly when it
   is not UTF-8, with ERRATA_EENCODING, and the others are counted;
   finishing succeeds, a second time too, and no document is taken after
   it; every pair is two different words of two Han characters that the
   options let through, best first, with counts that agree with one another
   and with the batch, shares in 0..1, and rules and examples in UTF-8
   that hold the pair's words where they should.
   The engines have the built-in dictionaries and the embedded character
   model, which learning needs, and either no word model or the tiny one of
   fuzz_model's seeds (tests/fuzz/tiny.arpa: 发展, 科学, 人民, 服务): with
   the embedded one, the index of word neighbours (synonymy.h) that each
   learner makes took 0.9 s an input under ASan.  The harness runs from the
   repository's root (as make fuzz runs it) to find that file.
   Seeds: short documents of one subject with a word swapped throughout
   (发展 made 成长, 繁荣, or 发崭, a string clean text never holds, which
   the tiny word model needs to track it), some with a known swap (效劳),
   near-copies, an empty and an invalid document. */
#include <math.h>

#include "fuzz.h"

#define MAX_DOCUMENTS 16
#define SEPARATOR 0xFF

static errata_engine *without_word_model, *with_tiny_word_model;

/* The engine of the built-in dictionaries and the given word model. */
static errata_engine *engine_with_word_model(const char *path)
{
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.model_path = path;
    opts.no_model = path == NULL;
    errata_engine *engine = NULL;
    if (errata_engine_new(&engine, &opts) != ERRATA_OK) {
        fprintf(stderr, "fuzz_learn: engine (run from the repository's root): %s\n",
                errata_error_message());
        exit(1);
    }
    return engine;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    without_word_model = engine_with_word_model(NULL);
    with_tiny_word_model = engine_with_word_model("tests/fuzz/corpus/fuzz_model/tiny.bin");
    return 0;
}

static const double min_confidences[] = {0, 0, 0.3, ERRATA_LEARN_DEFAULT_THRESHOLD};

/* Bit 6 of the first byte: the engine with the tiny word model. */
#define TINY_WORD_MODEL 64

/* opts from the flags; NULL (the defaults) when bit 7 is set. */
static const errata_learn_options *options_from(uint8_t flags, errata_learn_options *opts)
{
    *opts = (errata_learn_options)ERRATA_LEARN_OPTIONS_INIT;
    if (flags & 128)
        return NULL;
    opts->min_count = flags & 3;
    opts->min_docs = flags >> 2 & 3;
    opts->min_confidence = min_confidences[flags >> 4 & 3];
    return opts;
}

/* A word of two Han characters (three bytes each in UTF-8). */
static int two_han_characters(const char *s)
{
    return strlen(s) == 6 && fuzz_is_utf8(s, 6) && ((unsigned char)s[0] & 0xF0) == 0xE0 &&
           ((unsigned char)s[3] & 0xF0) == 0xE0;
}

static int is_share(double x) { return x >= 0 && x <= 1 + 1e-9; }

static void check_text(const char *what, const char *s)
{
    FUZZ_CHECK(s != NULL, "%s is NULL", what);
    FUZZ_CHECK(fuzz_is_utf8(s, strlen(s)), "%s is not UTF-8", what);
}

static void check_examples(const errata_learned_pair *p)
{
    FUZZ_CHECK(p->fix_example_count <= ERRATA_LEARN_MAX_EXAMPLES &&
                   p->keep_example_count <= ERRATA_LEARN_MAX_EXAMPLES,
               "%zu fix and %zu keep examples", p->fix_example_count, p->keep_example_count);
    for (size_t i = 0; i < p->fix_example_count; i++) {
        const char *ex = p->fix_examples[i];
        check_text("a fix example", ex);
        const char *arrow = strchr(ex, '>');
        FUZZ_CHECK(arrow != NULL, "fix example '%s' has no '>'", ex);
        const char *form = strstr(ex, p->corrupted);
        FUZZ_CHECK(form && form + 6 <= arrow, "fix example '%s' lacks %s", ex, p->corrupted);
        FUZZ_CHECK(strstr(arrow + 1, p->original) != NULL, "fix example '%s' lacks %s", ex,
                   p->original);
    }
    for (size_t i = 0; i < p->keep_example_count; i++) {
        check_text("a keep example", p->keep_examples[i]);
        FUZZ_CHECK(strstr(p->keep_examples[i], p->corrupted) != NULL,
                   "keep example '%s' lacks %s", p->keep_examples[i], p->corrupted);
    }
    check_text("fix_prev", p->fix_prev);
    check_text("fix_next", p->fix_next);
    check_text("keep_prev", p->keep_prev);
}

static void check_counts(const errata_learned_pair *p, size_t documents)
{
    FUZZ_CHECK(p->places <= p->supported && p->supported <= p->occurrences,
               "places %zu, supported %zu, occurrences %zu", p->places, p->supported,
               p->occurrences);
    FUZZ_CHECK(p->documents <= documents && p->original_documents <= documents,
               "in %zu and %zu documents of %zu", p->documents, p->original_documents,
               documents);
    FUZZ_CHECK(p->marked_documents <= p->supported_documents &&
                   p->supported_documents <= p->documents,
               "marked %zu, supported %zu, documents %zu", p->marked_documents,
               p->supported_documents, p->documents);
    FUZZ_CHECK(p->contexts >= 2 && p->lm_agreeing <= p->contexts &&
                   p->survived_contexts <= p->contexts && p->confirmed_contexts <= p->contexts,
               "contexts %zu, lm %zu, survived %zu, confirmed %zu", p->contexts, p->lm_agreeing,
               p->survived_contexts, p->confirmed_contexts);
    FUZZ_CHECK(p->copied_contexts + p->contradicted_contexts <= p->survived_contexts,
               "copied %zu, contradicted %zu, survived %zu", p->copied_contexts,
               p->contradicted_contexts, p->survived_contexts);
    FUZZ_CHECK(p->expected >= 0 && p->expected <= (double)p->places + 1e-9,
               "expected %f of %zu places", p->expected, p->places);
}

static void check_pair(const errata_learned_pair *p, const errata_learn_options *opts,
                       size_t documents)
{
    FUZZ_CHECK(p->corrupted && p->original && two_han_characters(p->corrupted) &&
                   two_han_characters(p->original) && strcmp(p->corrupted, p->original) != 0,
               "pair '%s' -> '%s'", p->corrupted ? p->corrupted : "(null)",
               p->original ? p->original : "(null)");
    FUZZ_CHECK(is_share(p->confidence) && p->confidence >= opts->min_confidence,
               "%s -> %s: confidence %f", p->corrupted, p->original, p->confidence);
    FUZZ_CHECK(p->places >= opts->min_count && p->supported_documents >= opts->min_docs,
               "%s -> %s: %zu places in %zu documents", p->corrupted, p->original, p->places,
               p->supported_documents);
    FUZZ_CHECK(is_share(p->dominance) && is_share(p->substitutability) &&
                   is_share(p->original_absence) && p->rival >= 0 && p->inflation >= 0 &&
                   isfinite(p->mean_gain) && isfinite(p->inflation) && isfinite(p->rival),
               "%s -> %s: dominance %f, substitutability %f, absence %f, rival %f, "
               "inflation %f, gain %f",
               p->corrupted, p->original, p->dominance, p->substitutability,
               p->original_absence, p->rival, p->inflation, p->mean_gain);
    check_counts(p, documents);
    check_examples(p);
}

static void check_pairs(const errata_learner *learner, const errata_learn_options *opts)
{
    size_t count = errata_learner_pair_count(learner);
    size_t documents = errata_learner_document_count(learner);
    for (size_t i = 0; i < count; i++) {
        const errata_learned_pair *p = errata_learner_pair(learner, i);
        FUZZ_CHECK(p != NULL, "pair %zu of %zu is NULL", i, count);
        check_pair(p, opts, documents);
        FUZZ_CHECK(i == 0 || errata_learner_pair(learner, i - 1)->confidence >= p->confidence,
                   "pair %zu is better than the one before", i);
    }
    FUZZ_CHECK(errata_learner_pair(learner, count) == NULL, "a pair past the last");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    errata_learn_options given;
    const errata_learn_options *opts = options_from(data[0], &given);
    errata_learner *learner = NULL;
    const errata_engine *engine = data[0] & TINY_WORD_MODEL ? with_tiny_word_model
                                                            : without_word_model;
    FUZZ_CHECK(errata_learner_new(engine, opts, &learner) == ERRATA_OK, "new: %s",
               errata_error_message());
    size_t added = 0, documents = 0;
    for (size_t start = 1; start <= size && documents < MAX_DOCUMENTS; documents++) {
        const uint8_t *separator = memchr(data + start, SEPARATOR, size - start);
        size_t end = separator && documents + 1 < MAX_DOCUMENTS ? (size_t)(separator - data)
                                                                : size;
        const char *text = (const char *)data + start;
        size_t len = end - start;
        int rc = errata_learner_add(learner, text, len);
        if (rc == ERRATA_OK)
            added++;
        else
            FUZZ_CHECK(rc == ERRATA_EENCODING && !fuzz_is_utf8(text, len), "add: %d %s", rc,
                       errata_error_message());
        start = end + 1;
    }
    FUZZ_CHECK(errata_learner_document_count(learner) == added, "%zu documents counted of %zu",
               errata_learner_document_count(learner), added);
    FUZZ_CHECK(errata_learner_finish(learner) == ERRATA_OK, "finish: %s",
               errata_error_message());
    check_pairs(learner, opts ? opts : &given);
    FUZZ_CHECK(errata_learner_add(learner, "发展", 6) == ERRATA_EINVAL, "added after finishing");
    size_t count = errata_learner_pair_count(learner);
    FUZZ_CHECK(errata_learner_finish(learner) == ERRATA_OK &&
                   errata_learner_pair_count(learner) == count,
               "finishing again");
    errata_learner_free(learner);
    return 0;
}
