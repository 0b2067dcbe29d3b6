/* The OCR punctuation pass: marks, parentheses, % and 〇 as tesseract
   misreads them, repaired in text that looks like OCR output and only there,
   each case with its exact result, and the cases that must stay.  The
   sentences come from corpus/ocr-tuning/ (tuning data: the held-out
   corpus/heldout/ocr/ is never used in tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "ocr_punct.h"

/* Lines cut at one page width (20 Han characters) in mid-sentence, as an
   OCR engine writes a printed page: what makes a document OCR output. */
#define OCR_PAGE                                                                                   \
    "今年以来，镇党委和镇政府紧紧围绕县委提出的目\n"                                               \
    "标，坚持稳中求进的工作总基调，全镇经济社会保\n"                                               \
    "持较快发展态势，各项工作取得了新的进展，群众\n"                                               \
    "的获得感和幸福感不断增强，农村道路、供水和电\n"                                             \
    "网改造全面完成，教育、医疗、养老等公共服务水\n"                                             \
    "平稳步提升，为明年的发展打下了坚实的基础。\n"

static char *fixed_by_pass(const char *text, const char *disabled, size_t *edit_count)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.disabled_rules = disabled;
    errata_edit_list list = {0};
    assert_int_equal(errata_ocr_punct_check(text, strlen(text), &opts, &list), ERRATA_OK);
    assert_int_equal(errata_edit_list_finish(&list, text, strlen(text), &opts), ERRATA_OK);
    errata_edit *edits = calloc(list.count + 1, sizeof *edits);
    assert_non_null(edits);
    for (size_t i = 0; i < list.count; i++) {
        errata_edit_list_get(&list, i, &edits[i]);
        assert_int_equal(edits[i].action, ERRATA_ACTION_APPLY);
    }
    char *out;
    size_t out_len;
    assert_int_equal(errata_apply(text, strlen(text), edits, list.count, &out, &out_len),
                     ERRATA_OK);
    free(edits);
    *edit_count = list.count;
    errata_edit_list_clear(&list);
    return out;
}

/* Two pages followed by `line`, repaired: the line as it comes out. */
static void assert_line_fix(const char *line, const char *expected)
{
    char text[2048], want[2048];
    snprintf(text, sizeof text, "%s%s%s\n", OCR_PAGE, OCR_PAGE, line);
    snprintf(want, sizeof want, "%s%s%s\n", OCR_PAGE, OCR_PAGE, expected);
    assert_true(errata_ocr_shows_ocr(text, strlen(text))); /* so a line that stays, stays on merit */
    size_t edits;
    char *out = fixed_by_pass(text, NULL, &edits);
    assert_string_equal(out, want);
    errata_free(out);
}

static void assert_line_stays(const char *line) { assert_line_fix(line, line); }

static void test_recognises_ocr_output(void **state)
{
    (void)state;
    assert_true(errata_ocr_shows_ocr(OCR_PAGE, strlen(OCR_PAGE)));
    /* the same text as paragraphs on one line each, as people write it */
    const char *typed = "今年以来，镇党委和镇政府紧紧围绕县委提出的目标，坚持稳中求进的工作总基调，"
                        "全镇经济社会保持较快发展态势，各项工作取得了新的进展。\n"
                        "群众的获得感和幸福感不断增强，为明年打下了基础。\n";
    assert_false(errata_ocr_shows_ocr(typed, strlen(typed)));
    /* cut lines, but ASCII commas: a converted page, not OCR output */
    const char *converted = "今年以来,镇党委和镇政府紧紧围绕县委提出的目\n"
                            "标,坚持稳中求进的工作总基调,全镇经济社会保\n"
                            "持较快发展态势,各项工作取得了新的进展,群众\n"
                            "的获得感和幸福感不断增强,为明年打下了基础。\n";
    assert_false(errata_ocr_shows_ocr(converted, strlen(converted)));
    assert_false(errata_ocr_shows_ocr("", 0));
}

static void test_repairs_marks(void **state)
{
    (void)state;
    assert_line_fix("机关各科室:", "机关各科室：");
    assert_line_fix("同比增长7.2%; 一般公共预算收入增长", "同比增长7.2%；一般公共预算收入增长");
    assert_line_fix("联系人: 李明，电话: 6235", "联系人：李明，电话：6235");
    assert_line_fix("产业发展取得新成效;", "产业发展取得新成效；");
    assert_line_fix("他问道:真的吗?是的!", "他问道：真的吗？是的！");
    assert_line_fix("各村,各社区", "各村，各社区");
    assert_line_fix("联系邮箱: safety@example.com", "联系邮箱：safety@example.com");
    assert_line_fix("网址:www.example.com", "网址：www.example.com");
    assert_line_fix("通知如下:“不得转借", "通知如下：“不得转借");
    assert_line_fix("（见附表);下同", "（见附表）；下同");
}

/* A colon read as ';' after a label, a month of a schedule, or the
   addressees at the head of a notice; a semicolon ending a clause stays. */
static void test_repairs_colons_read_as_semicolons(void **state)
{
    (void)state;
    assert_line_fix("讲座安排。时间; 10月16日", "讲座安排。时间：10月16日");
    assert_line_fix("报告厅; 主讲人; 王老师", "报告厅；主讲人：王老师");
    assert_line_fix("重点检查以下内容; 电气线路", "重点检查以下内容：电气线路");
    assert_line_fix("四、月份安排\n二月; 制定计划", "四、月份安排\n二月：制定计划");
    assert_line_fix("召开家长会。十二月;组织复习", "召开家长会。十二月：组织复习");
    assert_line_stays("按时足额交纳党费；四是能否");
    assert_line_fix("延长工作时间; 提高效率", "延长工作时间；提高效率"); /* not a label alone */
    assert_line_fix("协调各部门; 做好工作", "协调各部门；做好工作");     /* after the first sentence */
    const char *notice = "关于开展冬季安全检查的通知\n各车间、各部门;\n" OCR_PAGE OCR_PAGE;
    const char *expected = "关于开展冬季安全检查的通知\n各车间、各部门：\n" OCR_PAGE OCR_PAGE;
    size_t edits;
    char *out = fixed_by_pass(notice, NULL, &edits);
    assert_string_equal(out, expected);
    assert_int_equal(edits, 1);
    errata_free(out);
}

/* Item numbers at a paragraph's start keep the full-width point of Chinese
   documents (1．); a lost point only beside an item that has one. */
static void test_repairs_item_numbers(void **state)
{
    (void)state;
    assert_line_fix("1. 抓好常规管理。", "1．抓好常规管理。");
    assert_line_fix("1 抓好常规管理。\n2. 推进课堂改革。\n3加强教师培训。",
                    "1．抓好常规管理。\n2．推进课堂改革。\n3．加强教师培训。");
    assert_line_stays("3加强教师培训。");                  /* no item beside it */
    assert_line_fix("1月9日下午组织演练。\n2. 做好准备。", /* a date */
                    "1月9日下午组织演练。\n2．做好准备。");
    /* a line cut at the page width goes on with the sentence */
    assert_line_fix("1. 抓好常规管理。各组要按照分工安排到第\n2小组负责检查。",
                    "1．抓好常规管理。各组要按照分工安排到第\n2小组负责检查。");
    assert_line_stays("30. 抓好常规管理。");                 /* too high for an item */
    assert_line_stays("1.5万元用于培训。");
}

static void test_repairs_parentheses(void **state)
{
    (void)state;
    assert_line_fix("(一) 产业发展取得新成效", "（一）产业发展取得新成效");
    assert_line_fix("新设康复科(含中医馆)和药房", "新设康复科（含中医馆）和药房");
    assert_line_fix("时间：10月16日(周一)下午", "时间：10月16日（周一）下午");
    assert_line_fix("规定如下(1)不得转借", "规定如下（1）不得转借");
    /* one side read right, the other as ASCII */
    assert_line_fix("（一) 产业发展取得新成效", "（一）产业发展取得新成效");
    assert_line_fix("新设康复科(含中医馆）和药房", "新设康复科（含中医馆）和药房");
    /* the page width cut the parenthesis */
    assert_line_fix("新设康复科(含中\n医馆)和药房", "新设康复科（含中\n医馆）和药房");
    /* the opening one lost, or read as another mark */
    assert_line_fix("含中医馆)和药房", "含中医馆）和药房");
    assert_line_fix("《二)基础设施", "（二）基础设施");
    assert_line_fix("整改措施。{三)民主测评", "整改措施。（三）民主测评");
    assert_line_fix("【一) 学习", "（一）学习");
    /* marks inside a parenthesis are judged too */
    assert_line_fix("（含中医馆;药房）", "（含中医馆；药房）");
}

static void test_repairs_percentages(void **state)
{
    (void)state;
    assert_line_fix("入户率达到8396。", "入户率达到83%。");
    assert_line_fix("同比增长8.196。", "同比增长8.1%。");
    assert_line_fix("教师占92.396，", "教师占92.3%，");
    assert_line_fix("预约率要达到7096以上", "预约率要达到70%以上");
    assert_line_fix("同比增长5.89; 农村", "同比增长5.8%；农村");
    assert_line_fix("参与率不低于809，", "参与率不低于80%，");
    /* % read as 9% */
    assert_line_fix("普及率提高到969%。", "普及率提高到96%。");
    assert_line_fix("参保率达到1009%。", "参保率达到100%。");
    assert_line_fix("增长7.5%，合格率为93.19%。", "增长7.5%，合格率为93.1%。");
    assert_line_fix("增长7.5%，合格率为93.19%，优秀率22.49%。", "增长7.5%，合格率为93.1%，优秀率22.4%。");
    assert_line_stays("完成率为109%。");               /* a rate may be above 100% */
    assert_line_stays("完成率为199%。");
    assert_line_stays("合格率为99%。");
    assert_line_stays("共有969%。");                   /* no rate before it */
    assert_line_stays("合格率为93.19%。");             /* no one-decimal percentage beside it */
    assert_line_stays("增长7.55%，合格率为93.19%。"); /* the document writes two decimals */
}

static void test_repairs_chinese_zero(void **state)
{
    (void)state;
    assert_line_fix("二O二三年十一月二十日", "二〇二三年十一月二十日");
    assert_line_fix("二0二四年", "二〇二四年");
    assert_line_fix("二〇二O年", "二〇二〇年");
    assert_line_fix("二O〇二三年工作总结", "二〇二三年工作总结");
}

static void test_leaves_numbers_code_and_latin_alone(void **state)
{
    (void)state;
    assert_line_stays("共计1,200元");
    assert_line_stays("上午10:30开会");
    assert_line_stays("详见http://www.example.com/a;b");
    assert_line_stays("调用printf(x)输出");
    assert_line_stays("Hello, world: yes; (no)");
    assert_line_stays("截至1996，");             /* no rate before it */
    assert_line_stays("达到1.96，");             /* 96 right after the point */
    assert_line_stays("完成1996年的任务。");     /* a year */
    assert_line_stays("共有96人，比例合理");     /* no rate before it */
    assert_line_stays("增长8.196亿元");          /* a unit follows */
    assert_line_stays("电话8396，");             /* no rate before it */
    assert_line_stays("型号O2和A0");
    assert_line_stays("使用Office(2019)版");
    assert_line_stays("见图(2024)");              /* not an item number */
    assert_line_stays("（一）产业发展");            /* already full-width */
    assert_line_stays("函数f(x)和g(y)的值");
    assert_line_stays("见附件1)和附件2)");         /* a ) after a number, not after Han */
    assert_line_stays("《民法典》和《二十四史》");
    assert_line_stays("选项a) 或 b)");
    assert_line_stays("http://example.com:8080;");
    assert_line_stays("Note: see (1)");
}

static void test_clean_text_is_left_alone(void **state)
{
    (void)state;
    const char *typed = "今年以来，镇党委和镇政府紧紧围绕县委提出的目标;坚持稳中求进的工作总基调:"
                        "全镇经济社会保持较快发展态势(见附表)，入户率达到8396。\n"
                        "二O二三年十一月二十日\n";
    /* errata_check() runs the pass only on text that looks like OCR output */
    assert_false(errata_ocr_shows_ocr(typed, strlen(typed)));
    errata_engine *engine = NULL;
    assert_int_equal(errata_engine_new(&engine, NULL), ERRATA_OK);
    errata_result *result = NULL;
    assert_int_equal(errata_check(engine, typed, strlen(typed), NULL, &result), ERRATA_OK);
    for (size_t i = 0; i < errata_result_count(result); i++)
        assert_int_not_equal(strncmp(errata_result_edit(result, i)->rule, "ocr/", 4), 0);
    errata_result_free(result);
    errata_engine_free(engine);
}

static void test_rules_can_be_disabled(void **state)
{
    (void)state;
    const char *text = OCR_PAGE "机关各科室:\n(一) 产业\n二O二三年\n";
    size_t edits;
    char *out = fixed_by_pass(text, "ocr", &edits);
    assert_int_equal(edits, 0);
    errata_free(out);
    out = fixed_by_pass(text, "ocr/ascii-paren,ocr/zero", &edits);
    assert_int_equal(edits, 1);
    assert_string_equal(out, OCR_PAGE "机关各科室：\n(一) 产业\n二O二三年\n");
    errata_free(out);
}

static void test_rejects_null_arguments(void **state)
{
    (void)state;
    errata_edit_list list = {0};
    assert_int_equal(errata_ocr_punct_check(NULL, 3, NULL, &list), ERRATA_EINVAL);
    assert_int_equal(errata_ocr_punct_check("abc", 3, NULL, NULL), ERRATA_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recognises_ocr_output),
        cmocka_unit_test(test_repairs_marks),
        cmocka_unit_test(test_repairs_parentheses),
        cmocka_unit_test(test_repairs_colons_read_as_semicolons),
        cmocka_unit_test(test_repairs_item_numbers),
        cmocka_unit_test(test_repairs_percentages),
        cmocka_unit_test(test_repairs_chinese_zero),
        cmocka_unit_test(test_leaves_numbers_code_and_latin_alone),
        cmocka_unit_test(test_clean_text_is_left_alone),
        cmocka_unit_test(test_rules_can_be_disabled),
        cmocka_unit_test(test_rejects_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
