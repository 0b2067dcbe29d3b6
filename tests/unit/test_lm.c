/* The language model: loading and validation, n-gram probabilities against
   the values of the ARPA text, segmentation, and scoring of minimal pairs. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cm.h"
#include "internal.h"
#include "lm.h"

/* Largest quantisation error of one bigram or trigram value (half a
   codebook step, see scripts/build-lm.py), plus float rounding. */
#define QUANT 0.014
#define HEADER_SIZE 356
#define SECTION_RECORD(s) (64 + 24 * (s))
#define SECTION_BIGRAM 5
#define COUNT_LONGEST_ENTRY (24 + 4 * 8) /* the header's count of bytes of the longest entry */

static const errata_lm *model;
static char temp_dir[] = "/tmp/errata-test-lm-XXXXXX";

static const char *embedded(void) { return errata_embedded_model; }
static size_t embedded_size(void)
{
    return (size_t)(errata_embedded_model_end - errata_embedded_model);
}

static int setup(void **state)
{
    (void)state;
    errata_lm *lm;
    if (errata_lm_open_memory(&lm, embedded(), embedded_size()) != ERRATA_OK)
        return -1;
    model = lm;
    return mkdtemp(temp_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    errata_lm_free((errata_lm *)model);
    return rmdir(temp_dir);
}

static uint32_t word(const char *text) { return errata_lm_word(model, text, strlen(text)); }

static double score(const char *text) { return errata_lm_score(model, text, strlen(text)); }

static double prob(const char *a, const char *b, const char *c)
{
    uint32_t ids[3] = {word(a), b ? word(b) : 0, c ? word(c) : 0};
    return errata_lm_prob(model, ids, c ? 3 : b ? 2 : 1);
}

/* The segmentation of text as its tokens joined by '|'. */
static void segment(const char *text, char *out, size_t cap)
{
    size_t ends[64], count, start = 0, used = 0;
    errata_lm_segment(model, text, strlen(text), ends, 64, &count);
    assert_true(count <= 64);
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        used += (size_t)snprintf(out + used, cap - used, "%s%.*s", i ? "|" : "",
                                 (int)(ends[i] - start), text + start);
        start = ends[i];
    }
    assert_int_equal(start, strlen(text));
}

/* ------------------------------------------------------------ vocabulary */

static void test_vocabulary(void **state)
{
    (void)state;
    assert_int_equal(errata_lm_word_count(model), 164887);
    assert_int_not_equal(word("发展"), ERRATA_LM_NO_WORD);
    assert_int_not_equal(word("可持续"), ERRATA_LM_NO_WORD);
    assert_int_equal(word("<unk>"), errata_lm_unknown(model));
    assert_int_equal(word("龘"), ERRATA_LM_NO_WORD);
    assert_int_equal(word("白居"), ERRATA_LM_NO_WORD); /* only a prefix of 白居易 */
    assert_int_not_equal(word("白居易"), ERRATA_LM_NO_WORD);
    assert_int_equal(word(""), ERRATA_LM_NO_WORD);
    assert_int_equal(word("abc"), ERRATA_LM_NO_WORD);
}

/* ------------------------------------------------------------ probabilities */

static void test_unigrams_are_exact(void **state)
{
    (void)state;
    assert_float_equal(prob("发展", NULL, NULL), -3.7306955, 1e-6);
    assert_float_equal(prob("<unk>", NULL, NULL), -6.2637887, 1e-6);
}

static void test_bigrams(void **state)
{
    (void)state;
    assert_float_equal(prob("经济", "发展", NULL), -1.7515737, QUANT);
    assert_float_equal(prob("开展", "活动", NULL), -2.029984, QUANT);
    assert_float_equal(prob("发展", "活动", NULL), -3.5230982, QUANT);
    assert_float_equal(prob("打下", "基础", NULL), -0.8686948, QUANT);
    /* no bigram: the unigram backoff of 打下 plus P(根底), both exact */
    assert_float_equal(prob("打下", "根底", NULL), -0.40506172 - 5.694047, 1e-5);
    assert_true(prob("经济", "发展", NULL) > prob("经济", "开展", NULL) + 3);
}

typedef struct {
    uint32_t v, last;
    size_t count;
    int ordered, exact;
} successor_check;

static void check_successor(uint32_t w, double log_prob, void *ctx)
{
    successor_check *c = ctx;
    c->ordered &= c->count == 0 || w > c->last;
    uint32_t ids[2] = {c->v, w};
    c->exact &= log_prob == errata_lm_prob(model, ids, 2);
    c->last = w;
    c->count++;
}

/* The successors of a word are its bigrams, in increasing id, each with
   the probability errata_lm_prob gives; an id outside the vocabulary has
   none. */
static void test_successors(void **state)
{
    (void)state;
    successor_check c = {word("发展"), 0, 0, 1, 1};
    errata_lm_successors(model, c.v, check_successor, &c);
    assert_true(c.count > 100);
    assert_true(c.ordered);
    assert_true(c.exact);
    successor_check none = {(uint32_t)errata_lm_word_count(model), 0, 0, 1, 1};
    errata_lm_successors(model, none.v, check_successor, &none);
    assert_int_equal(none.count, 0);
}

static void test_trigrams_and_backoff(void **state)
{
    (void)state;
    assert_float_equal(prob("经济", "发展", "战略"), -2.1141388, QUANT);
    assert_float_equal(prob("经济", "发展", "的"), -0.667765, QUANT);
    /* no trigram: backoff of the bigram 经济 发展, then P(活动 | 发展) */
    assert_float_equal(prob("经济", "发展", "活动"), -0.4555602 - 3.5230982, 2 * QUANT);
    /* neither: both backoffs, then the unigram */
    assert_float_equal(prob("经济", "发展", "根底"), -0.4555602 - 0.5798602 - 5.694047, QUANT);
    /* a history that is no bigram at all adds nothing */
    assert_float_equal(prob("根底", "经济", "发展"), prob("经济", "发展", NULL), 1e-6);
}

/* ------------------------------------------------------------ scoring */

static void test_task_pairs(void **state)
{
    (void)state;
    assert_true(score("科学发展观") > score("科学开展观"));
    assert_true(score("开展活动") > score("发展活动"));
    assert_true(score("经济发展") > score("经济开展"));
    assert_true(score("打下基础") > score("打下根底"));
    assert_true(score("安全生产管理") > score("平安消费治理"));
    assert_true(score("有效劳动") > score("有效服务动"));
}

static void test_minimal_pairs_file(void **state)
{
    (void)state;
    FILE *f = fopen("tests/unit/lm-pairs.tsv", "r");
    assert_non_null(f);
    char line[512];
    int pairs = 0, right = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *good = strtok(line, "\t\n"), *bad = strtok(NULL, "\t\n");
        assert_non_null(bad);
        pairs++;
        if (score(good) > score(bad))
            right++;
        else
            print_message("wrong: %s / %s\n", good, bad);
    }
    fclose(f);
    assert_int_equal(pairs, 40);
    assert_int_equal(right, 40);
}

static void test_score_of_simple_texts(void **state)
{
    (void)state;
    assert_float_equal(score(""), 0.0, 0);
    assert_float_equal(score("ABC 123, ok."), 0.0, 0);
    assert_float_equal(score("龘"), -6.2637887, 1e-6);
    assert_float_equal(score("发展"), -3.7306955, 1e-6);
    /* two words: the unigram, then the bigram */
    assert_float_equal(score("经济发展"), -3.930077 - 1.7515737, QUANT);
    /* a boundary restarts the history: the pieces add up */
    assert_float_equal(score("经济，发展"), -3.930077 - 3.7306955, 1e-5);
    assert_float_equal(score("abc经济x发展"), score("经济。发展"), 1e-9);
}

static void test_long_text_is_scored_in_pieces(void **state)
{
    (void)state;
    char text[4 * 3 * ERRATA_LM_WINDOW_CHARS];
    const char *unit = "坚持科学发展观促进经济社会全面协调可持续发展"; /* 22 characters */
    text[0] = '\0';
    for (int i = 0; i < 4; i++)
        strcat(text, unit);
    size_t split = 3 * ERRATA_LM_WINDOW_CHARS; /* bytes of the first 64 characters */
    double whole = score(text);
    double first = errata_lm_score(model, text, split);
    double rest = errata_lm_score(model, text + split, strlen(text) - split);
    assert_float_equal(whole, first + rest, 1e-9);
}

/* ------------------------------------------------------------ segmentation */

static void test_segmentation(void **state)
{
    (void)state;
    char out[512];
    segment("科学发展观", out, sizeof out);
    assert_string_equal(out, "科学|发展观");
    segment("科学开展观", out, sizeof out);
    assert_string_equal(out, "科学|开展|观");
    segment("在此基础上进一步完善", out, sizeof out);
    assert_string_equal(out, "在|此|基础|上|进一步|完善");
    segment("我们必须坚持这一原那么", out, sizeof out);
    assert_string_equal(out, "我们|必须|坚持|这|一|原|那么");
    segment("第3条，在2020年前完成ABC任务。", out, sizeof out);
    assert_string_equal(out, "第|3|条|，|在|2020|年|前|完成|ABC|任务|。");
    segment("龘龘飓风", out, sizeof out);
    assert_string_equal(out, "龘|龘|飓风");
    segment("", out, sizeof out);
    assert_string_equal(out, "");
}

static void test_segment_count_beyond_buffer(void **state)
{
    (void)state;
    size_t ends[2], count;
    const char *text = "在此基础上进一步完善";
    double s = errata_lm_segment(model, text, strlen(text), ends, 2, &count);
    assert_int_equal(count, 6);
    assert_int_equal(ends[0], 3);
    assert_int_equal(ends[1], 6);
    assert_float_equal(s, score(text), 0);
}

/* ------------------------------------------------------------ threads */

static void *score_many(void *arg)
{
    double *result = arg;
    for (int i = 0; i < 2000; i++)
        *result = score("在科学发展观的指导下深入开展安全生产管理活动");
    return NULL;
}

static void test_threads_share_a_model(void **state)
{
    (void)state;
    pthread_t threads[2];
    double results[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, score_many, &results[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    double expected = score("在科学发展观的指导下深入开展安全生产管理活动");
    assert_float_equal(results[0], expected, 0);
    assert_float_equal(results[1], expected, 0);
}

/* ------------------------------------------------------------ loading files */

static void temp_path(char *path, size_t cap, const char *name)
{
    snprintf(path, cap, "%s/%s", temp_dir, name);
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

/* A copy of the embedded model, for corrupting. */
static unsigned char *model_copy(void)
{
    unsigned char *copy = malloc(embedded_size());
    assert_non_null(copy);
    memcpy(copy, embedded(), embedded_size());
    return copy;
}

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x01000193u;
    return h;
}

static void store_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t load_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void store_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void reseal_header(unsigned char *data)
{
    store_u32(data + HEADER_SIZE - 4, fnv1a(data, HEADER_SIZE - 4));
}

/* Write data to a temporary file, open it, expect ERRATA_EFORMAT with a
   message naming the file and containing what. */
static void expect_rejected(const char *name, const void *data, size_t size, const char *what)
{
    char path[256];
    temp_path(path, sizeof path, name);
    write_file(path, data, size);
    errata_lm *lm = (errata_lm *)1;
    assert_int_equal(errata_lm_open_file(&lm, path), ERRATA_EFORMAT);
    assert_null(lm);
    const char *message = errata_error_message();
    if (!strstr(message, path) || !strstr(message, what))
        fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", message, path, what);
    assert_int_equal(unlink(path), 0);
}

static void test_open_file(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path, "good.bin");
    write_file(path, embedded(), embedded_size());
    errata_lm *lm;
    assert_int_equal(errata_lm_open_file(&lm, path), ERRATA_OK);
    assert_float_equal(errata_lm_score(lm, "经济发展", strlen("经济发展")), score("经济发展"), 0);
    errata_lm_free(lm);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(errata_lm_open_file(&lm, path), ERRATA_EIO);
    assert_non_null(strstr(errata_error_message(), path));
    errata_lm_free(NULL);
}

static void test_rejects_empty_file(void **state)
{
    (void)state;
    expect_rejected("empty.bin", "", 0, "empty");
}

static void test_rejects_truncated_file(void **state)
{
    (void)state;
    expect_rejected("truncated.bin", embedded(), embedded_size() - 1000, "truncated");
    expect_rejected("header-only.bin", embedded(), 100, "truncated");
}

static void test_rejects_bad_magic(void **state)
{
    (void)state;
    unsigned char *copy = model_copy();
    copy[0] = 'X';
    expect_rejected("magic.bin", copy, embedded_size(), "bad magic");
    const char *arpa = "\\data\\\nngram 1=3\n";
    expect_rejected("text.bin", arpa, strlen(arpa), "bad magic");
    free(copy);
}

static void test_rejects_corrupted_header(void **state)
{
    (void)state;
    unsigned char *copy = model_copy();
    store_u64(copy + SECTION_RECORD(SECTION_BIGRAM) + 8, embedded_size());
    expect_rejected("offset-unsealed.bin", copy, embedded_size(), "checksum");
    reseal_header(copy);
    expect_rejected("offset.bin", copy, embedded_size(), "section BIGRAM");
    free(copy);
}

static void test_rejects_wrong_section_size(void **state)
{
    (void)state;
    unsigned char *copy = model_copy();
    unsigned char *size = copy + SECTION_RECORD(SECTION_BIGRAM) + 16;
    store_u64(size, load_u64(size) - 8);
    reseal_header(copy);
    expect_rejected("size.bin", copy, embedded_size(), "section BIGRAM has");
    free(copy);
}

/* A damaged model that declares its longest entry shorter than any Han
   character (fuzz_model found one, corpus/fuzz_model/regression-no-tokens):
   no word can be looked up, yet every character still becomes a token of
   its own, so the segmentation covers the text. */
static void test_segment_covers_text_when_entries_declared_short(void **state)
{
    (void)state;
    unsigned char *copy = model_copy();
    store_u32(copy + COUNT_LONGEST_ENTRY, 1);
    reseal_header(copy);
    errata_lm *lm;
    assert_int_equal(errata_lm_open_memory(&lm, copy, embedded_size()), ERRATA_OK);
    const errata_lm *real = model;
    model = lm;
    char out[64];
    segment("科学发展", out, sizeof out);
    assert_string_equal(out, "科|学|发|展");
    segment("为人民服务。", out, sizeof out);
    assert_string_equal(out, "为|人|民|服|务|。");
    model = real;
    errata_lm_free(lm);
    free(copy);
}

static void test_rejects_truncated_memory(void **state)
{
    (void)state;
    errata_lm *lm;
    assert_int_equal(errata_lm_open_memory(&lm, embedded(), embedded_size() / 2), ERRATA_EFORMAT);
    assert_non_null(strstr(errata_error_message(), "truncated"));
    assert_int_equal(errata_lm_open_memory(&lm, NULL, 0), ERRATA_EFORMAT);
    assert_non_null(strstr(errata_error_message(), "empty"));
}

/* The model seeds of tests/fuzz/fuzz_model load with today's loaders: a
   seed of an older format is refused at its header, and the fuzzer would
   then never reach the rest (rebuild them as fuzz_model.c says). */
static void test_fuzzing_seeds_load(void **state)
{
    (void)state;
    errata_lm *lm = NULL;
    errata_cm *cm = NULL;
    assert_int_equal(errata_lm_open_file(&lm, "tests/fuzz/corpus/fuzz_model/tiny.bin"), ERRATA_OK);
    assert_int_equal(errata_cm_open_file(&cm, "tests/fuzz/corpus/fuzz_model/tiny-chars.bin"),
                     ERRATA_OK);
    errata_lm_free(lm);
    errata_cm_free(cm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_unigrams_are_exact),
        cmocka_unit_test(test_bigrams),
        cmocka_unit_test(test_trigrams_and_backoff),
        cmocka_unit_test(test_successors),
        cmocka_unit_test(test_task_pairs),
        cmocka_unit_test(test_minimal_pairs_file),
        cmocka_unit_test(test_score_of_simple_texts),
        cmocka_unit_test(test_long_text_is_scored_in_pieces),
        cmocka_unit_test(test_segmentation),
        cmocka_unit_test(test_segment_count_beyond_buffer),
        cmocka_unit_test(test_threads_share_a_model),
        cmocka_unit_test(test_open_file),
        cmocka_unit_test(test_rejects_empty_file),
        cmocka_unit_test(test_rejects_truncated_file),
        cmocka_unit_test(test_rejects_bad_magic),
        cmocka_unit_test(test_rejects_corrupted_header),
        cmocka_unit_test(test_rejects_wrong_section_size),
        cmocka_unit_test(test_rejects_truncated_memory),
        cmocka_unit_test(test_segment_covers_text_when_entries_declared_short),
        cmocka_unit_test(test_fuzzing_seeds_load),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
