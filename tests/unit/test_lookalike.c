/* OCR look-alikes: the look-alike table, the language-model judging of
   Chinese look-alike characters, and Latin-script words checked with
   hunspell. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cm.h"
#include "internal.h"
#include "latin.h"
#include "lm.h"
#include "lookalike.h"

static errata_lm *model;
static errata_cm *char_model;
static errata_lookalike_table *table;
static errata_latin_speller *speller;

static int setup(void **state)
{
    (void)state;
    size_t size = (size_t)(errata_embedded_model_end - errata_embedded_model);
    if (errata_lm_open_memory(&model, errata_embedded_model, size) != ERRATA_OK)
        return -1;
    if (errata_lookalike_table_embedded(&table) != ERRATA_OK)
        return -1;
    size = (size_t)(errata_embedded_char_model_end - errata_embedded_char_model);
    if (errata_cm_open_memory(&char_model, errata_embedded_char_model, size) != ERRATA_OK)
        return -1;
    return errata_latin_speller_new(&speller, NULL, NULL) == ERRATA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    errata_lm_free(model);
    errata_cm_free(char_model);
    errata_lookalike_table_free(table);
    errata_latin_speller_free(speller);
    return 0;
}

/* ------------------------------------------------------------ helpers */

/* The look-alike edits of text, judged with the trigram model and, when cm
   is not NULL, the character model of formal text. */
static void check_lookalikes_with(const errata_cm *cm, const char *text, const char *disabled,
                                  errata_edit_list *list)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.disabled_rules = disabled;
    memset(list, 0, sizeof *list);
    assert_int_equal(errata_lookalike_check(table, model, cm, text, strlen(text), &opts, list),
                     ERRATA_OK);
    assert_int_equal(errata_edit_list_finish(list, text, strlen(text), &opts), ERRATA_OK);
}

static void check_lookalikes(const char *text, const char *disabled, errata_edit_list *list)
{
    check_lookalikes_with(NULL, text, disabled, list);
}

static void check_latin(const char *text, const char *disabled, errata_edit_list *list)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.disabled_rules = disabled;
    memset(list, 0, sizeof *list);
    assert_int_equal(errata_latin_check(speller, text, strlen(text), &opts, list), ERRATA_OK);
    assert_int_equal(errata_edit_list_finish(list, text, strlen(text), &opts), ERRATA_OK);
}

/* Edit i (< 16) of a list, as the API shows it. */
static const errata_edit *item(const errata_edit_list *list, size_t i)
{
    static errata_edit copies[16];
    errata_edit_list_get(list, i, &copies[i]);
    return &copies[i];
}

/* The text with the edits of the default action applied. */
static char *applied(const char *text, const errata_edit_list *list)
{
    errata_edit chosen[16];
    size_t n = 0;
    for (size_t i = 0; i < list->count && n < 16; i++)
        if (item(list, i)->action == ERRATA_ACTION_APPLY)
            chosen[n++] = *item(list, i);
    char *out;
    size_t out_len;
    assert_int_equal(errata_apply(text, strlen(text), chosen, n, &out, &out_len), ERRATA_OK);
    return out;
}

static void assert_edit(const errata_edit *e, size_t byte_start, const char *old_text,
                        const char *new_text, const char *rule, errata_kind kind,
                        errata_action action)
{
    assert_int_equal(e->byte_start, byte_start);
    assert_int_equal(e->byte_end, byte_start + strlen(old_text));
    assert_string_equal(e->old_text, old_text);
    assert_string_equal(e->new_text, new_text);
    assert_string_equal(e->rule, rule);
    assert_int_equal(e->kind, kind);
    assert_int_equal(e->action, action);
}

static void assert_no_edits(const char *text, int latin)
{
    errata_edit_list list;
    if (latin)
        check_latin(text, NULL, &list);
    else
        check_lookalikes(text, NULL, &list);
    assert_int_equal(list.count, 0);
    errata_edit_list_clear(&list);
}

/* ------------------------------------------------------------ the table */

static const char small_table[] = "# two pairs\n"
                                  "errata-lookalike 1\n"
                                  "未\t末\t0.95\tstructure+ocr:7\n"
                                  "己\t已\t0.80\tstructure\r\n"
                                  "\n";

static void test_parses_a_table(void **state)
{
    (void)state;
    errata_lookalike_table *t;
    assert_int_equal(errata_lookalike_table_parse(&t, small_table, strlen(small_table)),
                     ERRATA_OK);
    assert_int_equal(errata_lookalike_table_count(t), 2);
    errata_lookalike_table_free(t);
}

static void expect_format_error(const char *data, const char *message_part)
{
    errata_lookalike_table *t = (errata_lookalike_table *)1;
    assert_int_equal(errata_lookalike_table_parse(&t, data, strlen(data)), ERRATA_EFORMAT);
    assert_null(t);
    assert_non_null(strstr(errata_error_message(), message_part));
}

static void test_rejects_malformed_tables(void **state)
{
    (void)state;
    expect_format_error("未\t末\t0.95\tstructure\n", "line 1: expected \"errata-lookalike 1\"");
    expect_format_error("# nothing\n", "no \"errata-lookalike 1\" header");
    expect_format_error("errata-lookalike 1\n未\t末\t0.95\n", "line 2: expected seen");
    expect_format_error("errata-lookalike 1\n未末\t末\t0.95\tocr:1\n", "line 2");
    expect_format_error("errata-lookalike 1\n未\t末\t1.5\tocr:1\n", "line 2");
    expect_format_error("errata-lookalike 1\n未\t未\t0.95\tocr:1\n", "line 2");
}

static void test_embedded_table_has_every_line(void **state)
{
    (void)state;
    size_t lines = 0;
    for (const char *p = errata_embedded_lookalike; p < errata_embedded_lookalike_end; p++)
        lines += *p == '\n';
    /* every line but the comment lines and the header is a pair */
    size_t comments = 0;
    for (const char *p = errata_embedded_lookalike; p < errata_embedded_lookalike_end; p++)
        comments += *p == '#' && (p == errata_embedded_lookalike || p[-1] == '\n');
    assert_int_equal(errata_lookalike_table_count(table), lines - comments - 1);
    assert_true(errata_lookalike_table_count(table) > 20000);
}

static void test_rejects_null_arguments(void **state)
{
    (void)state;
    errata_edit_list list = {0};
    assert_int_equal(errata_lookalike_check(NULL, model, NULL, "未位", 6, NULL, &list), ERRATA_EINVAL);
    assert_int_equal(errata_lookalike_check(table, NULL, NULL, "未位", 6, NULL, &list), ERRATA_EINVAL);
    assert_int_equal(errata_lookalike_check(table, model, NULL, NULL, 6, NULL, &list), ERRATA_EINVAL);
    assert_int_equal(errata_latin_check(NULL, "c1ean", 5, NULL, &list), ERRATA_EINVAL);
    assert_int_equal(errata_lookalike_table_parse(NULL, "", 0), ERRATA_EINVAL);
    assert_int_equal(list.count, 0);
}

/* ------------------------------------------------------------ Chinese */

/* OCR output: lines cut at one page width, mid-sentence.  There the model's
   evidence is enough for 绕 read as 绝 and for 末位 read as 未位.  The
   sentences come from corpus/ocr-tuning/ (tuning data: the held-out
   corpus/heldout/ocr/ is never used in tests). */
static const char ocr_text[] = "镇党委紧紧围绝县委的部署开展工作，全镇干部\n"
                               "群众积极投身各项建设。对评出的未位党员，由\n"
                               "镇委组织室派人进行谈话，落实帮带责任人，做\n"
                               "好思想工作，各项工作取得了新的进展和成效。\n";

static size_t offset_of(const char *text, const char *part)
{
    const char *at = strstr(text, part);
    assert_non_null(at);
    return (size_t)(at - text);
}

static void test_repairs_lookalikes_in_ocr_output(void **state)
{
    (void)state;
    errata_edit_list list;
    check_lookalikes(ocr_text, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_edit(item(&list, 0), offset_of(ocr_text, "绝"), "绝", "绕", "lookalike/绝>绕",
                ERRATA_KIND_LOOKALIKE, ERRATA_ACTION_APPLY);
    assert_edit(item(&list, 1), offset_of(ocr_text, "未位"), "未", "末", "lookalike/未>末",
                ERRATA_KIND_LOOKALIKE, ERRATA_ACTION_APPLY);
    assert_int_equal(item(&list, 1)->line, 2);
    assert_int_equal(item(&list, 1)->column, 16);
    assert_non_null(strstr(item(&list, 1)->reason, "出的末位党"));
    char *fixed = applied(ocr_text, &list);
    assert_string_equal(fixed, "镇党委紧紧围绕县委的部署开展工作，全镇干部\n"
                               "群众积极投身各项建设。对评出的末位党员，由\n"
                               "镇委组织室派人进行谈话，落实帮带责任人，做\n"
                               "好思想工作，各项工作取得了新的进展和成效。\n");
    errata_free(fixed);
    errata_edit_list_clear(&list);
}

/* The look-alike edits errata_check() makes of text, with no dictionaries. */
static size_t pipeline_lookalike_edits(const char *text)
{
    errata_engine_options engine_opts = ERRATA_ENGINE_OPTIONS_INIT;
    engine_opts.no_default_dictionaries = 1;
    errata_engine *engine = NULL;
    assert_int_equal(errata_engine_new(&engine, &engine_opts), ERRATA_OK);
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    size_t count = 0;
    for (size_t i = 0; i < errata_result_count(result); i++)
        count += errata_result_edit(result, i)->kind == ERRATA_KIND_LOOKALIKE;
    errata_result_free(result);
    errata_engine_free(engine);
    return count;
}

static void test_typed_text_is_not_judged(void **state)
{
    (void)state;
    /* the same sentences as one typed paragraph: not OCR output */
    assert_int_equal(pipeline_lookalike_edits("镇党委紧紧围绝县委的部署开展工作。"
                                              "对评出的未位党员，由镇委组织室派人进行谈话。"),
                     0);
    /* while the page of OCR output gets both repairs */
    assert_int_equal(pipeline_lookalike_edits(ocr_text), 2);
}

/* 国 read for 围 was never seen in OCR output: in OCR output it is
   proposed (the model's preference alone never applies such a pair). */
static const char unobserved_pair_text[] = "镇党委紧紧围绝县委的部署开展工作，全镇干部\n"
                                           "群众积极投身各项建设。各村在期问抓好中心任\n"
                                           "务，落实帮带责任人，做好思想工作，抓好各项\n"
                                           "工作，各项工作取得了新的进展和明显成效。\n";

static void test_proposes_unobserved_pairs(void **state)
{
    (void)state;
    errata_edit_list list;
    /* with the character model, as errata runs by default: the trigram
       model alone does not find 期间 far enough ahead of 期问 */
    check_lookalikes_with(char_model, unobserved_pair_text, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_edit(item(&list, 0), offset_of(unobserved_pair_text, "绝"), "绝", "绕",
                "lookalike/绝>绕", ERRATA_KIND_LOOKALIKE, ERRATA_ACTION_APPLY);
    assert_edit(item(&list, 1), offset_of(unobserved_pair_text, "问抓"), "问", "间",
                "lookalike/问>间", ERRATA_KIND_LOOKALIKE, ERRATA_ACTION_PROPOSE);
    assert_true(item(&list, 1)->confidence >= ERRATA_DEFAULT_PROPOSE_THRESHOLD);
    assert_true(item(&list, 1)->confidence < ERRATA_DEFAULT_APPLY_THRESHOLD);
    errata_edit_list_clear(&list);
}

/* Only characters the model segments as words of their own are judged:
   己 inside 己经 (a word of the model's vocabulary) is not. */
static void test_judges_only_suspect_characters(void **state)
{
    (void)state;
    const char *page = "镇党委紧紧围绝县委的部署开展工作，全镇干部\n"
                       "群众积极投身各项建设。他己经完成了今年的任\n"
                       "务，落实帮带责任人，做好思想工作，抓好各项\n"
                       "工作，各项工作取得了新的进展和明显成效。\n";
    errata_edit_list list;
    check_lookalikes(page, NULL, &list);
    assert_int_equal(list.count, 1);
    assert_string_equal(item(&list, 0)->rule, "lookalike/绝>绕");
    errata_edit_list_clear(&list);
}

/* The model prefers the frequent 抗震救灾 to a right 抗雪救灾: in OCR
   output (here shown by its lines, cut at one page width) the change is
   only proposed, and in other text the pair is not even judged. */
static const char rare_phrase_page[] = "今年以来，镇党委和镇政府紧紧围绕县委提出的目\n"
                                       "标，坚持稳中求进的工作总基调，全镇干部群众\n"
                                       "积极投身抗雪救灾，保障了道路畅通和群众生活\n"
                                       "的正常秩序，各项工作取得了新的进展和成效。\n";

static void test_keeps_a_rare_right_phrase(void **state)
{
    (void)state;
    const char *page = rare_phrase_page;
    errata_edit_list list;
    check_lookalikes(page, NULL, &list);
    assert_int_equal(list.count, 1);
    assert_edit(item(&list, 0), 146, "雪", "震", "lookalike/雪>震", ERRATA_KIND_LOOKALIKE,
                ERRATA_ACTION_PROPOSE);
    char *fixed = applied(page, &list);
    assert_string_equal(fixed, page);
    errata_free(fixed);
    errata_edit_list_clear(&list);
    assert_int_equal(pipeline_lookalike_edits("全镇干部群众积极投身抗雪救灾，保障了道路畅通。"), 0);
}

/* With the character model the same repairs are made, and the reason quotes
   what formal text shows. */
static void test_quotes_formal_text(void **state)
{
    (void)state;
    errata_edit_list list;
    check_lookalikes_with(char_model, ocr_text, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_edit(item(&list, 0), offset_of(ocr_text, "绝"), "绝", "绕", "lookalike/绝>绕",
                ERRATA_KIND_LOOKALIKE, ERRATA_ACTION_APPLY);
    assert_edit(item(&list, 1), offset_of(ocr_text, "未位"), "未", "末", "lookalike/未>末",
                ERRATA_KIND_LOOKALIKE, ERRATA_ACTION_APPLY);
    assert_string_equal(item(&list, 0)->reason,
                        "OCR look-alike (similarity 0.67): 围绕 257× vs 围绝 0× in clean formal "
                        "text; context prefers \"紧围绕县委\" by 10.2 (log10)");
    /* formal text has no n-gram of 末位 three times: nothing to quote */
    assert_string_equal(item(&list, 1)->reason,
                        "OCR look-alike (similarity 0.95): context prefers \"出的末位党\" by 1.7 "
                        "(log10)");
    errata_edit_list_clear(&list);
    /* a pair never seen misread stays proposed, a rare right phrase stays */
    check_lookalikes_with(char_model, unobserved_pair_text, NULL, &list);
    assert_int_equal(list.count, 2);
    assert_int_equal(item(&list, 1)->action, ERRATA_ACTION_PROPOSE);
    assert_string_equal(item(&list, 1)->reason,
                        "OCR look-alike (similarity 0.86): 期间 3756× vs 期问 0× in clean formal "
                        "text; context prefers \"在期间抓好\" by 5.4 (log10)");
    errata_edit_list_clear(&list);
    check_lookalikes_with(char_model, rare_phrase_page, NULL, &list);
    assert_int_equal(list.count, 1);
    assert_int_equal(item(&list, 0)->action, ERRATA_ACTION_PROPOSE);
    errata_edit_list_clear(&list);
}

static void test_clean_text_is_left_alone(void **state)
{
    (void)state;
    assert_no_edits("我们要紧紧围绕中心工作，认真做好各项准备。已经完成的任务要及时总结，"
                    "未完成的要抓紧落实。对测评排在末位的党员，支部书记要及时谈心谈话。",
                    0);
    assert_no_edits("全年完成地区生产总值18.6亿元，同比增长7.2%；自来水普及率提高到96%。", 0);
    assert_no_edits("", 0);
}

static void test_rules_can_be_disabled(void **state)
{
    (void)state;
    errata_edit_list list;
    check_lookalikes(ocr_text, "lookalike", &list);
    assert_int_equal(list.count, 0);
    errata_edit_list_clear(&list);
    check_lookalikes(ocr_text, "lookalike/未>末", &list);
    assert_int_equal(list.count, 1);
    assert_string_equal(item(&list, 0)->rule, "lookalike/绝>绕");
    errata_edit_list_clear(&list);
}

/* ------------------------------------------------------------ Latin */

static void expect_latin_fix(const char *text, size_t byte_start, const char *old_text,
                             const char *new_text, errata_action action)
{
    errata_edit_list list;
    char rule[64];
    check_latin(text, NULL, &list);
    assert_int_equal(list.count, 1);
    snprintf(rule, sizeof rule, "latin/%s>%s", old_text, new_text);
    assert_edit(item(&list, 0), byte_start, old_text, new_text, rule, ERRATA_KIND_LATIN, action);
    errata_edit_list_clear(&list);
}

static void test_latin_digits_among_letters_are_repaired(void **state)
{
    (void)state;
    expect_latin_fix("统一安装正版W1ndows操作系统", 18, "W1ndows", "Windows", ERRATA_ACTION_APPLY);
    expect_latin_fix("严禁使用盗版0ffice软件", 18, "0ffice", "Office", ERRATA_ACTION_APPLY);
    expect_latin_fix("a c1ean room", 2, "c1ean", "clean", ERRATA_ACTION_APPLY);
}

static void test_latin_letter_shapes_are_proposed(void **state)
{
    (void)state;
    expect_latin_fix("the rnodern world", 4, "rnodern", "modern", ERRATA_ACTION_PROPOSE);
    expect_latin_fix("(cornputer)", 1, "cornputer", "computer", ERRATA_ACTION_PROPOSE);
    expect_latin_fix("see the Iist.", 8, "Iist", "list", ERRATA_ACTION_PROPOSE);
}

static void test_latin_leaves_codes_and_addresses_alone(void **state)
{
    (void)state;
    assert_no_edits("邮箱：safety@exarnple.com，网址 http://www.exarnple.com/rnodern", 1);
    assert_no_edits("PowerPoint rnodern_name getIndex ISO9001 A4 5G Win10 0571", 1);
    assert_no_edits("at 1am, mode1 and step2; acl dvi", 1);
    assert_no_edits("Show Time admin password 123456 U盘", 1);
}

static void test_latin_rules_can_be_disabled(void **state)
{
    (void)state;
    errata_edit_list list;
    check_latin("W1ndows", "latin", &list);
    assert_int_equal(list.count, 0);
    errata_edit_list_clear(&list);
}

static void test_latin_speller_needs_its_files(void **state)
{
    (void)state;
    errata_latin_speller *s = (errata_latin_speller *)1;
    assert_int_equal(errata_latin_speller_new(&s, "/nonexistent/en.aff", "/nonexistent/en.dic"),
                     ERRATA_EIO);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_a_table),
        cmocka_unit_test(test_rejects_malformed_tables),
        cmocka_unit_test(test_embedded_table_has_every_line),
        cmocka_unit_test(test_rejects_null_arguments),
        cmocka_unit_test(test_repairs_lookalikes_in_ocr_output),
        cmocka_unit_test(test_typed_text_is_not_judged),
        cmocka_unit_test(test_proposes_unobserved_pairs),
        cmocka_unit_test(test_quotes_formal_text),
        cmocka_unit_test(test_judges_only_suspect_characters),
        cmocka_unit_test(test_keeps_a_rare_right_phrase),
        cmocka_unit_test(test_clean_text_is_left_alone),
        cmocka_unit_test(test_rules_can_be_disabled),
        cmocka_unit_test(test_latin_digits_among_letters_are_repaired),
        cmocka_unit_test(test_latin_letter_shapes_are_proposed),
        cmocka_unit_test(test_latin_leaves_codes_and_addresses_alone),
        cmocka_unit_test(test_latin_rules_can_be_disabled),
        cmocka_unit_test(test_latin_speller_needs_its_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
