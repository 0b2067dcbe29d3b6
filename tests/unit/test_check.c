/* Checking and applying through the public API, with a small user
   dictionary and no model, so every decision comes from the rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errata.h"
#include "dictionary_engine.h"

static const char dictionary[] =
    "errata-dict 1\n"
    "根底\t基础\tswap\tG\tkeep-next=下\n"
    "效劳\t服务\tswap\tG\tkeep-prev=有,无\n"
    "开展\t发展\tswap-a\tC\tfix-prev=科学,经济\tfix-next=观\tkeep-next=活动\n"
    "平安\t安全\tswap\tC\tfix-next=消费\n"
    "消费\t生产\tswap\tC\tfix-prev=平安,安全\n"
    "!keep\t平安浙江\n";

static errata_engine *rules_only_engine(void)
{
    errata_engine *engine = engine_on_dictionary_text(dictionary, 1);
    assert_int_equal(errata_engine_entry_count(engine), 5);
    return engine;
}

static char *fixed(const errata_engine *engine, const char *text, const errata_check_options *opts)
{
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_fix(engine, text, strlen(text), opts, &out, &out_len), ERRATA_OK);
    assert_int_equal(strlen(out), out_len);
    return out;
}

static void assert_fixed(const errata_engine *engine, const char *text, const char *expected)
{
    char *out = fixed(engine, text, NULL);
    assert_string_equal(out, expected);
    errata_free(out);
}

static void spans_count_bytes_code_points_lines_and_columns(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    const char *text = "ab 根底\nx效劳y 科学开展观";
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);

    const errata_edit *e = errata_result_edit(result, 0);
    assert_int_equal(e->byte_start, 3);
    assert_int_equal(e->byte_end, 9);
    assert_int_equal(e->cp_start, 3);
    assert_int_equal(e->cp_end, 5);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 4);
    assert_string_equal(e->old_text, "根底");
    assert_string_equal(e->new_text, "基础");
    assert_string_equal(e->rule, "swap/根底>基础");
    assert_int_equal(e->kind, ERRATA_KIND_SWAP);
    assert_int_equal(e->action, ERRATA_ACTION_APPLY);
    assert_true(e->confidence >= ERRATA_DEFAULT_APPLY_THRESHOLD);

    e = errata_result_edit(result, 1);
    assert_int_equal(e->byte_start, 11);
    assert_int_equal(e->cp_start, 7);
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 2);
    assert_string_equal(e->new_text, "服务");

    e = errata_result_edit(result, 2);
    assert_int_equal(e->cp_start, 13);
    assert_int_equal(e->cp_end, 15);
    assert_int_equal(e->column, 8);
    assert_string_equal(e->reason, "context rule: next to \"科学\", \"开展\" stands for \"发展\"");
    assert_null(errata_result_edit(result, 3));
    errata_result_free(result);
    errata_engine_free(engine);
}

/* errata_result_read_edit() copies what errata_result_edit() points at;
   the latter's edits lie in one array, as the Python package reads them. */
static void read_edit_copies_each_edit(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    const char *text = "ab 根底\nx效劳y 科学开展观";
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    errata_edit copy;
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(errata_result_read_edit(result, i, &copy), ERRATA_OK);
        const errata_edit *e = errata_result_edit(result, i);
        assert_ptr_equal(e, errata_result_edit(result, 0) + i);
        assert_int_equal(copy.byte_start, e->byte_start);
        assert_int_equal(copy.byte_end, e->byte_end);
        assert_int_equal(copy.cp_start, e->cp_start);
        assert_int_equal(copy.cp_end, e->cp_end);
        assert_int_equal(copy.line, e->line);
        assert_int_equal(copy.column, e->column);
        assert_ptr_equal(copy.old_text, e->old_text);
        assert_ptr_equal(copy.new_text, e->new_text);
        assert_ptr_equal(copy.rule, e->rule);
        assert_int_equal(copy.kind, e->kind);
        assert_int_equal(copy.action, e->action);
        assert_true(copy.confidence == e->confidence);
        assert_ptr_equal(copy.reason, e->reason);
    }
    assert_int_equal(errata_result_read_edit(result, 1, &copy), ERRATA_OK);
    assert_string_equal(copy.old_text, "效劳");
    assert_int_equal(errata_result_read_edit(result, 3, &copy), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "errata_result_read_edit: edit 3 of 3");
    assert_int_equal(errata_result_read_edit(NULL, 0, &copy), ERRATA_EINVAL);
    errata_result_free(result);
    errata_engine_free(engine);
}

static void rules_decide_without_a_model(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    assert_fixed(engine, "打下根底，站在树根底下", "打下基础，站在树根底下");
    assert_fixed(engine, "有效劳动和送效劳", "有效劳动和送服务");
    assert_fixed(engine, "经济开展，开展活动", "经济发展，开展活动");
    assert_fixed(engine, "抓好平安消费", "抓好安全生产");
    /* a contextual pair with no rule stays: nothing to judge it by */
    assert_fixed(engine, "平安是福", "平安是福");
    /* words that must never change */
    assert_fixed(engine, "平安浙江消费", "平安浙江消费");
    assert_fixed(engine, "", "");
    errata_engine_free(engine);
}

static void rules_can_be_switched_off(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.disabled_rules = "swap/根底>基础";
    char *out = fixed(engine, "根底和效劳", &opts);
    assert_string_equal(out, "根底和服务");
    errata_free(out);
    opts.disabled_rules = "layout,swap";
    out = fixed(engine, "根底和效劳", &opts);
    assert_string_equal(out, "根底和效劳");
    errata_free(out);
    errata_engine_free(engine);
}

static void thresholds_turn_edits_into_proposals(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.apply_threshold = 0.99;
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, "根底", 6, &opts, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 1);
    assert_int_equal(errata_result_edit(result, 0)->action, ERRATA_ACTION_PROPOSE);
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_result_apply(result, "根底", 6, NULL, &out, &out_len), ERRATA_OK);
    assert_string_equal(out, "根底");
    errata_free(out);
    unsigned char selected[] = {1};
    assert_int_equal(errata_result_apply(result, "根底", 6, selected, &out, &out_len), ERRATA_OK);
    assert_string_equal(out, "基础");
    errata_free(out);
    errata_result_free(result);
    opts.propose_threshold = 0.99;
    assert_int_equal(errata_check(engine, "根底", 6, &opts, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 0);
    errata_result_free(result);
    errata_engine_free(engine);
}

static void reasons_can_be_left_out(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.no_reasons = 1;
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, "科学开展观", 15, &opts, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 1);
    const errata_edit *e = errata_result_edit(result, 0);
    assert_string_equal(e->reason, "");
    assert_string_equal(e->new_text, "发展");
    assert_string_equal(e->rule, "swap/开展>发展");
    assert_int_equal(e->action, ERRATA_ACTION_APPLY);
    errata_result_free(result);
    errata_engine_free(engine);
}

/* A huge document repeats a few edits millions of times: each distinct
   string is stored once, and every edit still reads its own. */
static void repeated_edits_share_their_strings(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    static const char unit[] = "打下根底，送效劳，";
    size_t repeats = 300, unit_len = strlen(unit);
    char *text = malloc(repeats * unit_len + 1);
    assert_non_null(text);
    for (size_t i = 0; i < repeats; i++)
        memcpy(text + i * unit_len, unit, unit_len);
    text[repeats * unit_len] = '\0';
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 2 * repeats);
    const errata_edit *first[2] = {errata_result_edit(result, 0), errata_result_edit(result, 1)};
    assert_string_equal(first[0]->old_text, "根底");
    assert_string_equal(first[0]->new_text, "基础");
    assert_string_equal(first[1]->old_text, "效劳");
    assert_string_equal(first[1]->new_text, "服务");
    assert_string_equal(first[1]->rule, "swap/效劳>服务");
    for (size_t i = 2; i < errata_result_count(result); i++) {
        const errata_edit *e = errata_result_edit(result, i), *same = first[i % 2];
        assert_int_equal(e->byte_start, (i / 2) * unit_len + (i % 2 ? 18 : 6));
        assert_ptr_equal(e->old_text, same->old_text);
        assert_ptr_equal(e->new_text, same->new_text);
        assert_ptr_equal(e->rule, same->rule);
        assert_ptr_equal(e->reason, same->reason);
    }
    errata_result_free(result);
    free(text);
    errata_engine_free(engine);
}

static void positions_can_be_left_out(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.no_positions = 1;
    errata_result *result = NULL;
    const char *text = "第一行\n科学开展观";
    assert_int_equal(errata_check(engine, text, strlen(text), &opts, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 1);
    const errata_edit *e = errata_result_edit(result, 0);
    assert_int_equal(e->byte_start, 16);
    assert_int_equal(e->byte_end, 22);
    assert_int_equal(e->cp_start, 0);
    assert_int_equal(e->cp_end, 0);
    assert_int_equal(e->line, 0);
    assert_int_equal(e->column, 0);
    assert_string_equal(e->new_text, "发展");
    errata_result_free(result);
    opts.no_positions = 0;
    assert_int_equal(errata_check(engine, text, strlen(text), &opts, &result), ERRATA_OK);
    e = errata_result_edit(result, 0);
    assert_int_equal(e->cp_start, 6);
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 3);
    errata_result_free(result);
    errata_engine_free(engine);
}

static void assert_rule_count(const errata_rule_count *c, const char *rule, size_t count)
{
    assert_string_equal(c->rule, rule);
    assert_int_equal(c->count, count);
}

/* Applied edits counted by rule, sorted by rule; proposals only when asked
   for. */
static void applied_edits_are_counted_by_rule(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    const char *text = "打下根底，有了效劳，根底牢";
    errata_result *result = NULL;
    errata_rule_count *counts = NULL;
    size_t n = 0;
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    assert_int_equal(errata_result_rule_counts(result, 0, &counts, &n), ERRATA_OK);
    assert_int_equal(n, 2);
    assert_rule_count(&counts[0], "swap/效劳>服务", 1); /* 效 U+6548 before 根 U+6839 */
    assert_rule_count(&counts[1], "swap/根底>基础", 2);
    errata_free(counts);
    errata_result_free(result);

    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.apply_threshold = 0.99;
    assert_int_equal(errata_check(engine, text, strlen(text), &opts, &result), ERRATA_OK);
    assert_int_equal(errata_result_edit(result, 0)->action, ERRATA_ACTION_PROPOSE);
    counts = (errata_rule_count *)1;
    n = 9;
    assert_int_equal(errata_result_rule_counts(result, 0, &counts, &n), ERRATA_OK);
    assert_null(counts);
    assert_int_equal(n, 0);
    assert_int_equal(errata_result_rule_counts(result, 1, &counts, &n), ERRATA_OK);
    assert_int_equal(n, 2);
    assert_rule_count(&counts[1], "swap/根底>基础", 2);
    errata_free(counts);
    errata_result_free(result);

    assert_int_equal(errata_result_rule_counts(NULL, 0, &counts, &n), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "errata_result_rule_counts: NULL argument");
    errata_engine_free(engine);
}

/* A program built against options version 1 passes a struct that ends
   before no_positions: its fields are read, nothing past them (ASan in the
   sanitizer run), and positions are counted. */
static void options_of_version_1_are_still_read(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_check_options current = ERRATA_CHECK_OPTIONS_INIT;
    current.version = 1;
    current.no_reasons = 1;
    size_t v1_size = offsetof(errata_check_options, no_positions);
    errata_check_options *v1 = malloc(v1_size);
    assert_non_null(v1);
    memcpy(v1, &current, v1_size);
    errata_result *result = NULL;
    const char *text = "第一行\n科学开展观";
    assert_int_equal(errata_check(engine, text, strlen(text), v1, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 1);
    const errata_edit *e = errata_result_edit(result, 0);
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 3);
    assert_string_equal(e->reason, "");
    errata_result_free(result);
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_fix(engine, text, strlen(text), v1, &out, &out_len), ERRATA_OK);
    assert_string_equal(out, "第一行\n科学发展观");
    errata_free(out);
    free(v1);
    errata_engine_free(engine);
}

/* A NUL byte of the text is kept in old_text, whose length is the span's
   (fuzz_check took a deleted line starting with NUL for an edit changing
   nothing when it compared old_text and new_text as C strings). */
static void old_text_keeps_nul_bytes_of_the_text(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    static const char header[] = "\0内部资料\n"; /* repeated a page apart: filler */
    const size_t header_len = sizeof header - 1;
    char text[2048];
    size_t len = 0;
    for (int page = 1; page <= 2; page++) {
        memcpy(text + len, header, header_len);
        len += header_len;
        for (int i = 0; i < 8; i++)
            len += (size_t)sprintf(text + len, "为人民服务是我们的宗旨，坚持原则是我们的本分。");
        len += (size_t)sprintf(text + len, "\n— %d —\n", page); /* a page footer */
    }
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, text, len, NULL, &result), ERRATA_OK);
    const errata_edit *e = errata_result_edit(result, 0);
    assert_non_null(e);
    assert_string_equal(e->rule, "layout/page-header");
    assert_int_equal(e->byte_start, 0);
    assert_int_equal(e->byte_end, header_len);
    assert_memory_equal(e->old_text, header, header_len + 1);
    assert_string_equal(e->new_text, "");
    errata_result_free(result);
    errata_engine_free(engine);
}

static void invalid_input_is_refused(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, "根底\xe5\x9f", 8, NULL, &result), ERRATA_EENCODING);
    assert_string_equal(errata_error_message(), "invalid UTF-8 at byte offset 6");
    assert_null(result);
    assert_int_equal(errata_check(engine, "\xc0\xaf", 2, NULL, &result), ERRATA_EENCODING);
    assert_int_equal(errata_check(engine, "\xed\xa0\x80", 3, NULL, &result), ERRATA_EENCODING);
    assert_int_equal(errata_check(NULL, "x", 1, NULL, &result), ERRATA_EINVAL);
    errata_check_options bad = ERRATA_CHECK_OPTIONS_INIT;
    bad.version = 99;
    assert_int_equal(errata_check(engine, "x", 1, &bad, &result), ERRATA_EINVAL);
    errata_engine_free(engine);
}

/* NULL with no bytes is an empty text (the sanitizer run aborts if a
   pass hands the NULL to memchr() or memcpy()). */
static void empty_text_may_be_null(void **state)
{
    (void)state;
    errata_engine *engine = rules_only_engine();
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, NULL, 0, NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 0);
    errata_result_free(result);
    char *out = NULL;
    size_t out_len = 1;
    assert_int_equal(errata_fix(engine, NULL, 0, NULL, &out, &out_len), ERRATA_OK);
    assert_string_equal(out, "");
    assert_int_equal(out_len, 0);
    errata_free(out);
    errata_engine_free(engine);
}

static void apply_refuses_overlapping_or_outside_edits(void **state)
{
    (void)state;
    errata_edit edits[2] = {{0}, {0}};
    edits[0].byte_start = 0;
    edits[0].byte_end = 3;
    edits[0].new_text = "X";
    edits[1].byte_start = 2;
    edits[1].byte_end = 4;
    edits[1].new_text = "Y";
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_apply("abcdef", 6, edits, 2, &out, &out_len), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "edit 1 at byte 2 overlaps the edit before it");
    edits[1].byte_start = 5;
    edits[1].byte_end = 9;
    assert_int_equal(errata_apply("abcdef", 6, edits, 2, &out, &out_len), ERRATA_EINVAL);
    edits[1].byte_start = 3;
    edits[1].byte_end = 3;
    assert_int_equal(errata_apply("abcdef", 6, edits, 2, &out, &out_len), ERRATA_OK);
    assert_string_equal(out, "XYdef");
    assert_int_equal(out_len, 5);
    errata_free(out);
}

/* A user dictionary's swap of 年 and the flag of a year whose digits were
   deleted on the same character (fuzz_dict found it,
   corpus/fuzz_dict/regression-flag-overlaps-swap): the change is reported,
   the flag it overlaps is not; a flag elsewhere stays. */
static void a_flag_never_overlaps_a_change(void **state)
{
    (void)state;
    errata_engine *engine =
        engine_on_dictionary_text("errata-dict 1\n年\t年度\tswap\tC\tfix-next=计划\n", 1);

    const char *text = "年计划已定，年收入不变";
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 2);
    const errata_edit *e = errata_result_edit(result, 0);
    assert_int_equal(e->byte_start, 0);
    assert_int_equal(e->byte_end, 3);
    assert_string_equal(e->rule, "swap/年>年度");
    e = errata_result_edit(result, 1);
    assert_int_equal(e->byte_start, 18);
    assert_int_equal(e->byte_end, 21);
    assert_string_equal(e->rule, "flag/deleted-year");
    errata_rule_count *counts = NULL;
    size_t n = 0;
    assert_int_equal(errata_result_rule_counts(result, 1, &counts, &n), ERRATA_OK);
    assert_int_equal(n, 1); /* a flag is never counted */
    assert_rule_count(&counts[0], "swap/年>年度", 1);
    errata_free(counts);
    errata_result_free(result);
    assert_fixed(engine, text, "年度计划已定，年收入不变");
    errata_engine_free(engine);
}

static void engine_reports_bad_user_dictionary(void **state)
{
    (void)state;
    const char *paths[] = {"/nonexistent.dict"};
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_model = 1;
    opts.dictionary_paths = paths;
    opts.dictionary_count = 1;
    errata_engine *engine = (errata_engine *)1;
    assert_int_equal(errata_engine_new(&engine, &opts), ERRATA_EIO);
    assert_null(engine);
    assert_string_equal(errata_error_message(), "/nonexistent.dict: No such file or directory");
    errata_engine_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spans_count_bytes_code_points_lines_and_columns),
        cmocka_unit_test(read_edit_copies_each_edit),
        cmocka_unit_test(rules_decide_without_a_model),
        cmocka_unit_test(rules_can_be_switched_off),
        cmocka_unit_test(thresholds_turn_edits_into_proposals),
        cmocka_unit_test(reasons_can_be_left_out),
        cmocka_unit_test(positions_can_be_left_out),
        cmocka_unit_test(applied_edits_are_counted_by_rule),
        cmocka_unit_test(repeated_edits_share_their_strings),
        cmocka_unit_test(options_of_version_1_are_still_read),
        cmocka_unit_test(invalid_input_is_refused),
        cmocka_unit_test(empty_text_may_be_null),
        cmocka_unit_test(apply_refuses_overlapping_or_outside_edits),
        cmocka_unit_test(a_flag_never_overlaps_a_change),
        cmocka_unit_test(engine_reports_bad_user_dictionary),
        cmocka_unit_test(old_text_keeps_nul_bytes_of_the_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
