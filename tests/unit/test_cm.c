/* The character model of formal text: loading and validation, counts,
   continuations and scores of the embedded model; its tables image. */
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

#define SECTION_RECORD(s) (56 + 16 * (s))
#define SECTION_INDEX2 2
#define SECTION_BIGRAMS 3
#define SECTION_TABLE2 4

static const errata_cm *model;

static const char *embedded(void) { return errata_embedded_char_model; }
static size_t embedded_size(void)
{
    return (size_t)(errata_embedded_char_model_end - errata_embedded_char_model);
}

static int setup(void **state)
{
    (void)state;
    errata_cm *cm;
    if (errata_cm_open_memory(&cm, embedded(), embedded_size()) != ERRATA_OK)
        return -1;
    model = cm;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    errata_cm_free((errata_cm *)model);
    return 0;
}

static uint64_t count(const char *text) { return errata_cm_count_text(model, text, strlen(text)); }
static double score(const char *text) { return errata_cm_score(model, text, strlen(text)); }

static void counts_are_those_of_the_training_text(void **state)
{
    (void)state;
    assert_int_equal(count("投资项目"), 497);
    assert_int_equal(count("投资工程"), 7);
    assert_int_equal(count("工程质量"), 782);
    assert_int_equal(count("年度方案"), 0);
    /* a boundary stands for any run of non-Han code points */
    assert_int_equal(count("，依照"), count("。依照"));
    assert_true(count("，依照") > 0);
    /* longer than the model's order: not counted */
    assert_int_equal(count("依照本法规定"), 0);
}

static void symbols_map_code_points_both_ways(void **state)
{
    (void)state;
    assert_int_equal(errata_cm_symbol(model, 'a'), ERRATA_CM_BOUNDARY);
    assert_int_equal(errata_cm_symbol(model, 0x3002), ERRATA_CM_BOUNDARY); /* 。 */
    uint32_t s = errata_cm_symbol(model, 0x9879);                          /* 项 */
    assert_true(s > ERRATA_CM_UNKNOWN);
    assert_int_equal(errata_cm_code_point(model, s), 0x9879);
    assert_int_equal(errata_cm_symbol(model, 0x2A6D6), ERRATA_CM_UNKNOWN); /* never seen */
    assert_int_equal(errata_cm_code_point(model, ERRATA_CM_UNKNOWN), 0);
}

typedef struct {
    uint32_t wanted;
    uint64_t found;
    uint32_t previous;
    int ordered;
} visit_state;

static void visit(uint32_t symbol, uint64_t n, void *ctx)
{
    visit_state *v = ctx;
    if (symbol == v->wanted)
        v->found = n;
    v->ordered &= v->previous == UINT32_MAX || symbol > v->previous;
    v->previous = symbol;
}

static void continuations_are_listed_in_symbol_order(void **state)
{
    (void)state;
    uint32_t prefix[3] = {errata_cm_symbol(model, 0x6295), errata_cm_symbol(model, 0x8D44),
                          errata_cm_symbol(model, 0x9879)}; /* 投资项 */
    visit_state v = {errata_cm_symbol(model, 0x76EE), 0, UINT32_MAX, 1}; /* 目 */
    size_t n = errata_cm_continuations(model, prefix, 3, visit, &v);
    assert_true(n > 1);
    assert_true(v.ordered);
    assert_int_equal(v.found, 497);
    assert_int_equal(errata_cm_continuations(model, prefix, 3, NULL, NULL), n);
    /* the last order has no continuations */
    uint32_t four[4] = {prefix[0], prefix[1], prefix[2], v.wanted};
    assert_int_equal(errata_cm_continuations(model, four, 4, NULL, NULL), 0);
}

static void scores_prefer_the_formal_wording(void **state)
{
    (void)state;
    assert_true(score("投资项目") > score("投资工程"));
    assert_true(score("，按照规定") > score("，依照规定"));
    assert_true(score("科学发展观") > score("科学开展观"));
    /* a boundary at either end is scored once, however long the run */
    assert_true(score("，安全生产。") == score("。。安全生产，，"));
    assert_true(score("") == 0.0);
}

/* A memo changes how often the model is read, never a score: ranges whose
   histories recur (the same symbols after other bytes: a run of other code
   points is one boundary) and whose symbols recur, read twice over. */
static void scores_through_a_memo_are_exact(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t from_chars, to_chars; /* in code points */
    } ranges[] = {
        {"严格执行投资项目管理制度", 4, 8}, {"严格执行投资工程管理制度", 4, 8},
        {"，，投资项目管理", 2, 6},          {"。投资项目管理", 1, 5},
        {"第3条投资项目", 3, 7},             {"投资项目", 0, 4},
        {"ab投资工程。", 2, 6},              {"依照本法规定执行", 2, 4},
        {"按照本法规定执行", 2, 4},          {"依照本法规定", 0, 6},
    };
    errata_cm_memo *memo = errata_cm_memo_new(256);
    assert_non_null(memo);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
            const char *t = ranges[i].text;
            size_t len = strlen(t), from = 0, to = 0;
            for (size_t k = 0; k < ranges[i].from_chars; k++)
                errata_utf8_next(t, len, &from);
            to = from;
            for (size_t k = ranges[i].from_chars; k < ranges[i].to_chars; k++)
                errata_utf8_next(t, len, &to);
            double plain = errata_cm_score_range(model, NULL, t, len, from, to);
            assert_true(plain < 0);
            assert_true(errata_cm_score_range(model, memo, t, len, from, to) == plain);
            assert_true(errata_cm_score_range(model, memo, t, len, 0, len) == score(t));
        }
    errata_cm_memo_free(memo);
}

/* ------------------------------------------------------------ bad images */

static void assert_refused(const unsigned char *data, size_t size, const char *message)
{
    errata_cm *cm = (errata_cm *)0x1;
    assert_int_equal(errata_cm_open_memory(&cm, data, size), ERRATA_EFORMAT);
    assert_null(cm);
    assert_non_null(strstr(errata_error_message(), message));
}

static size_t section_offset(const unsigned char *image, int section)
{
    uint64_t offset = 0;
    for (int i = 7; i >= 0; i--)
        offset = offset << 8 | image[SECTION_RECORD(section) + i];
    return (size_t)offset;
}

static unsigned char *copy_of_model(void)
{
    unsigned char *copy = malloc(embedded_size());
    assert_non_null(copy);
    memcpy(copy, embedded(), embedded_size());
    return copy;
}

static void truncated_and_corrupted_images_are_refused(void **state)
{
    (void)state;
    const unsigned char *data = (const unsigned char *)embedded();
    assert_refused(data, 0, "empty character model");
    assert_refused(data, 100, "truncated: 100 bytes, the header alone needs 172");
    assert_refused(data, embedded_size() - 1, "truncated");
    unsigned char *copy = copy_of_model();
    copy[0] = 'X';
    assert_refused(copy, embedded_size(), "bad magic");
    copy[0] = 'E';
    copy[40] ^= 1; /* an entry count: the header no longer matches its checksum */
    assert_refused(copy, embedded_size(), "header checksum mismatch");
    copy[40] ^= 1;
    /* an index that runs backwards would send a search out of its table */
    memset(copy + section_offset(copy, SECTION_INDEX2) + 4 * 100, 0xFF, 4);
    assert_refused(copy, embedded_size(), "bigram index corrupted at symbol 100");
    free(copy);
}

/* The tables' entries are not checked when the model is loaded (that would
   read the whole file at start-up): a corrupted one gives wrong counts, but
   never sends a lookup outside its table. */
static void corrupted_entries_give_wrong_counts_only(void **state)
{
    (void)state;
    unsigned char *copy = copy_of_model();
    errata_cm *cm;
    assert_int_equal(errata_cm_open_memory(&cm, copy, embedded_size()), ERRATA_OK);
    const char *text = "，投资项目按照规定。";
    double sound = errata_cm_score(cm, text, strlen(text));
    /* every bigram and trigram claims all continuations from the table's
       end on; the bigram hash table names no bigram at all */
    size_t bigrams = section_offset(copy, SECTION_BIGRAMS);
    size_t bigram_table = section_offset(copy, SECTION_TABLE2);
    memset(copy + bigrams, 0xFF, bigram_table - bigrams);
    uint64_t extensions = ((uint64_t)1 << 51) - ((uint64_t)1 << 12); /* bits 12..50 */
    for (size_t at = bigram_table; at < section_offset(copy, SECTION_TABLE2 + 2); at += 8)
        for (int i = 0; i < 8; i++) /* little-endian: count code and symbol kept */
            copy[at + i] |= (unsigned char)(extensions >> (8 * i));
    assert_int_equal(errata_cm_count_text(cm, "投资项目", strlen("投资项目")), 0);
    assert_int_equal(errata_cm_count_text(cm, "投", strlen("投")), count("投"));
    assert_true(errata_cm_score(cm, text, strlen(text)) < sound);
    uint32_t prefix[1] = {errata_cm_symbol(cm, 0x6295)}; /* 投 */
    assert_true(errata_cm_continuations(cm, prefix, 1, NULL, NULL) > 0);
    errata_cm_free(cm);
    free(copy);
}

/* ------------------------------------------------------------ tables image */

static void assert_tables_refused(const unsigned char *model_data, const unsigned char *tables,
                                  size_t size, const char *message)
{
    errata_cm *cm = (errata_cm *)0x1;
    assert_int_equal(errata_cm_open_memory_with_tables(&cm, model_data, embedded_size(), tables,
                                                       size, "tables.bin"),
                     ERRATA_EFORMAT);
    assert_null(cm);
    assert_string_equal(errata_error_message(), message);
}

/* A model opened with the image of its own tables counts and scores as
   the model opened alone; the built-in tables are those of the built-in
   model. */
static void tables_image_serves_its_model(void **state)
{
    (void)state;
    unsigned char *image = NULL;
    size_t len = 0;
    assert_int_equal(errata_cm_tables_image(model, &image, &len), ERRATA_OK);
    size_t built_in = (size_t)(errata_embedded_char_tables_end - errata_embedded_char_tables);
    assert_int_equal(len, built_in);
    assert_memory_equal(image, errata_embedded_char_tables, len);
    errata_cm *cm = NULL;
    assert_int_equal(errata_cm_open_memory_with_tables(&cm, embedded(), embedded_size(), image, len,
                                                       "tables.bin"),
                     ERRATA_OK);
    const char *text = "，投资项目按照规定。㐀𠀀";
    assert_true(errata_cm_score(cm, text, strlen(text)) == errata_cm_score(model, text, strlen(text)));
    assert_int_equal(errata_cm_count_text(cm, "投资项目", strlen("投资项目")), 497);
    for (uint32_t cp = 0x3400; cp <= 0x9FFF; cp++)
        assert_int_equal(errata_cm_symbol(cm, cp), errata_cm_symbol(model, cp));
    errata_cm_free(cm);
    free(image);
}

/* A truncated or corrupted tables image, or one of another model, is
   refused, each with its own message. */
static void unsound_tables_image_is_refused(void **state)
{
    (void)state;
    const unsigned char *data = (const unsigned char *)embedded();
    unsigned char *image = NULL;
    size_t len = 0;
    assert_int_equal(errata_cm_tables_image(model, &image, &len), ERRATA_OK);
    char expected[200];
    snprintf(expected, sizeof expected, "tables.bin: truncated: %zu bytes, the header says %zu",
             len - 8, len);
    assert_tables_refused(data, image, len - 8, expected);
    assert_tables_refused(data, image, 40, "tables.bin: truncated: 40 bytes, the header alone needs 64");
    image[32] ^= 1; /* the symbol count */
    assert_tables_refused(data, image, len, "tables.bin: header checksum mismatch (corrupted header)");
    image[32] ^= 1;
    memcpy(image, "ERRATACM", 8);
    assert_tables_refused(data, image, len,
                          "tables.bin: not an errata character model tables image (bad magic)");
    memcpy(image, "ERRATACT", 8);
    /* a model whose vocabulary differs by one code point */
    unsigned char *copy = copy_of_model();
    copy[section_offset(copy, 0) + 4 * 100] ^= 1;
    assert_tables_refused(copy, image, len, "tables.bin: made from another character model");
    free(copy);
    free(image);
}

static void a_missing_file_is_an_io_error(void **state)
{
    (void)state;
    errata_cm *cm = NULL;
    assert_int_equal(errata_cm_open_file(&cm, "/nonexistent/zh-formal-chars.bin"), ERRATA_EIO);
    assert_non_null(strstr(errata_error_message(), "/nonexistent/zh-formal-chars.bin: cannot open"));
    assert_int_equal(errata_cm_open_file(&cm, "dictionaries/zh-formal-chars.bin"), ERRATA_OK);
    assert_int_equal(errata_cm_count_text(cm, "投资项目", strlen("投资项目")), 497);
    errata_cm_free(cm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_are_those_of_the_training_text),
        cmocka_unit_test(symbols_map_code_points_both_ways),
        cmocka_unit_test(continuations_are_listed_in_symbol_order),
        cmocka_unit_test(scores_prefer_the_formal_wording),
        cmocka_unit_test(scores_through_a_memo_are_exact),
        cmocka_unit_test(truncated_and_corrupted_images_are_refused),
        cmocka_unit_test(corrupted_entries_give_wrong_counts_only),
        cmocka_unit_test(tables_image_serves_its_model),
        cmocka_unit_test(unsound_tables_image_is_refused),
        cmocka_unit_test(a_missing_file_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
