/* The layout passes through the public API: chunk markers, page furniture,
   line breaks, punctuation, quotes and numbers, each case with its exact
   result, and the cases that must stay untouched.  The engine has no
   dictionaries and no model, so only the layout passes can act.  Several
   cases use sentences of the documents of corpus/ocr-tuning/ (tuning data:
   the held-out corpus/heldout/ocr/ is never used in tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errata.h"
#include "heading_texts.h"

static const char *const layout_rules[] = {
    "layout/chunk-marker",   "layout/page-footer",     "layout/page-number",
    "layout/page-header",    "layout/line-break",      "layout/title-break",
    "layout/heading-break",  "layout/item-break",      "punct/ascii-comma",
    "punct/ascii-semicolon", "punct/ascii-colon",      "punct/ascii-exclamation",
    "punct/ascii-question",  "punct/ascii-paren",      "punct/ascii-quote",
    "punct/quote-standin",   "punct/tortoise-bracket", "punct/title-mark",
    "quote/missing-close",   "quote/close-as-open",    "number/2023-for-20",
    "number/dash-dropped",   "flag/deleted-year",      "flag/deleted-digits",
    "flag/deleted-date",     "flag/dash-dropped",      "flag/unclosed-quote",
};

static int setup_engine(void **state)
{
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = 1;
    opts.no_model = 1;
    errata_engine *engine = NULL;
    if (errata_engine_new(&engine, &opts) != ERRATA_OK)
        return -1;
    *state = engine;
    return 0;
}

static int teardown_engine(void **state)
{
    errata_engine_free(*state);
    return 0;
}

static char *fix_with(const errata_engine *engine, const char *text, const char *disabled)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.disabled_rules = disabled;
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_fix(engine, text, strlen(text), &opts, &out, &out_len), ERRATA_OK);
    assert_int_equal(strlen(out), out_len);
    return out;
}

static void assert_fix(const errata_engine *engine, const char *text, const char *expected)
{
    char *out = fix_with(engine, text, "swap,lookalike");
    assert_string_equal(out, expected);
    errata_free(out);
}

/* Every layout rule but the one named switched off. */
static void assert_fix_by_rule(const errata_engine *engine, const char *rule, const char *text,
                               const char *expected)
{
    char disabled[1024] = "swap,lookalike";
    for (size_t i = 0; i < sizeof layout_rules / sizeof *layout_rules; i++) {
        if (strcmp(layout_rules[i], rule) != 0) {
            strcat(disabled, ",");
            strcat(disabled, layout_rules[i]);
        }
    }
    char *out = fix_with(engine, text, disabled);
    assert_string_equal(out, expected);
    errata_free(out);
}

/* The edits errata_check reports for text with the given rule (prefix). */
static size_t edits_of_rule(const errata_engine *engine, const char *text, const char *rule,
                            errata_result **result)
{
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, result), ERRATA_OK);
    size_t n = 0;
    for (size_t i = 0; i < errata_result_count(*result); i++)
        n += strncmp(errata_result_edit(*result, i)->rule, rule, strlen(rule)) == 0;
    return n;
}

static const errata_edit *first_edit_of_rule(const errata_result *result, const char *rule)
{
    for (size_t i = 0; i < errata_result_count(result); i++)
        if (strncmp(errata_result_edit(result, i)->rule, rule, strlen(rule)) == 0)
            return errata_result_edit(result, i);
    return NULL;
}

/* ------------------------------------------------------------ chunk markers */

#define CHUNK_ONE                                                                            \
    "镇党委深入贯彻落实科学发展观，始终坚持围绕发展抓党建，抓好党建促发展，全年实现财政收入一千多万元，" \
    "农民人均纯收入六千多元，连续三年综合目标考核居市前列。镇委一班人始终坚持把学习放在首位，同时广泛"
#define CHUNK_TWO                                                                            \
    "开展调研活动，每个班子成员负责两个调研课题，形成专题调研报告，为党委、政府决策提供依据。先后实施的" \
    "党员先锋明白卡、绩效工资制改革等，都是通过深入调研后作出的正确决策，受到群众欢迎。园区出口创汇一"
#define CHUNK_THREE "千多万美元，税收一千多万元。"

static void chunk_markers_are_removed_with_their_line_break(void **state)
{
    const char *damaged = "1、" CHUNK_ONE "\n2、" CHUNK_TWO "\n3、" CHUNK_THREE;
    const char *clean = CHUNK_ONE CHUNK_TWO CHUNK_THREE;
    assert_fix(*state, damaged, clean);
    assert_fix_by_rule(*state, "layout/chunk-marker", damaged, clean);
}

static void chunk_marker_rule_can_be_switched_off(void **state)
{
    const char *damaged = "1、" CHUNK_ONE "\n2、" CHUNK_TWO "\n3、" CHUNK_THREE;
    char *out = fix_with(*state, damaged, "layout/chunk-marker");
    assert_string_equal(out, damaged);
    errata_free(out);
}

static void genuine_numbered_lists_stay(void **state)
{
    const char *lists[] = {
        "工作要求如下：\n1、加强领导。\n2、落实责任。\n3、严格考核。\n",
        "1、加强组织领导\n2、落实工作责任\n3、严格督查考核\n",
        /* two series: the numbering starts again, so it is not the site's */
        "一、目标\n1、提高质量。\n2、降低成本。\n二、措施\n1、加强培训。\n2、完善制度。\n",
    };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        assert_fix(*state, lists[i], lists[i]);
}

/* ------------------------------------------------------------ page furniture */

#define PAGE_TEXT                                                                            \
    "近年来，镇委以加强干部作风建设为突破口，深入开展民情走访活动。镇委班子成员率先垂范，主动进位，始终坚持" \
    "把各类矛盾化解在萌芽状态，上访率大幅度下降。在加强作风建设中既达到了教育、锻炼干部的目的，也切实推动"

/* A page's worth of text (page numbers stand at least 150 characters apart). */
#define PAGE PAGE_TEXT PAGE_TEXT

/* The view keeps code points beyond U+FFFF apart (see layout.h): they must
   read as themselves before and after a commit has moved them. */
static void characters_beyond_the_basic_plane_keep_their_places(void **state)
{
    assert_fix(*state, "𠀀镇地处市东郊,全镇辖𠀁25个行政村;总面积😀223平方公里:山区占一半!",
               "𠀀镇地处市东郊，全镇辖𠀁25个行政村；总面积😀223平方公里：山区占一半！");
    assert_fix(*state, "𠀀,𠀁;𠀂:𠀃!", "𠀀，𠀁；𠀂：𠀃！");
    /* they count as Han against the Latin letters of mixed writing */
    assert_fix(*state, "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀐𠀑𠀒𠀓a𠀔,𠀕",
               "𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀐𠀑𠀒𠀓a𠀔，𠀕");
    /* the chunk markers' removal moves them before the punctuation pass */
    assert_fix(*state,
               "1、𠀀" CHUNK_ONE "\n2、" CHUNK_TWO "𠀂,𠀃\n3、千多万美元,税收😀一千多万元(𠀄)。",
               "𠀀" CHUNK_ONE CHUNK_TWO "𠀂，𠀃千多万美元，税收😀一千多万元（𠀄）。");
}

static void page_footers_are_removed(void **state)
{
    assert_fix(*state, "受到了人民群众的欢迎。第6页 共6页", "受到了人民群众的欢迎。");
    assert_fix(*state, PAGE_TEXT "了干部\n第 PAGE1 页 共 NUMPAGES2 页\n作风的转变。",
               PAGE_TEXT "了干部作风的转变。");
    assert_fix_by_rule(*state, "layout/page-footer", "干部作风的转变。\n- 3 -\n近年来，镇委",
                       "干部作风的转变。\n近年来，镇委");
    /* a page reference without the total is running text */
    assert_fix(*state, "详见第6页。", "详见第6页。");
}

static void page_numbers_inside_words_follow_the_footers(void **state)
{
    const char *damaged = PAGE "。第1页 共3页" PAGE "科学发展2观" PAGE "。第3页 共3页";
    const char *clean = PAGE "。" PAGE "科学发展观" PAGE "。";
    assert_fix(*state, damaged, clean);
    /* numbers that count something stay */
    const char *counts = PAGE "。第1页 共3页" PAGE "共2个" PAGE "。第3页 共3页";
    assert_fix_by_rule(*state, "layout/page-number", counts, counts);
}

/* The footers and the bare numbers are found in one walk: a number alone
   on its line starts a line, where a footer is looked for too. */
static void page_numbers_on_lines_of_their_own_are_removed(void **state)
{
    const char *damaged = PAGE "。\n1\n" PAGE "。\n2\n" PAGE "。\n3\n" PAGE "。";
    const char *clean = PAGE "。\n" PAGE "。\n" PAGE "。\n" PAGE "。";
    assert_fix_by_rule(*state, "layout/page-number", damaged, clean);
}

static void filler_lines_repeated_on_every_page_are_removed(void **state)
{
    const char *damaged = PAGE "。\n第1页 共3页\n精品文档 欢迎下载\n" PAGE
                          "。\n第2页 共3页\n精品文档 欢迎下载\n" PAGE
                          "。\n第3页 共3页\n精品文档 欢迎下载\n";
    const char *clean = PAGE "。\n" PAGE "。\n" PAGE "。\n";
    assert_fix(*state, damaged, clean);
    /* without signs of the site, repeated lines (提示, 注意) stay */
    const char *notes = "提示\n请先备份。\n提示\n请勿断电。\n提示\n请检查网络。\n";
    assert_fix(*state, notes, notes);
}

/* A text without line breaks skips the passes' searches for them (see
   errata_layout_find()): its one line still starts at the first character
   and ends at the last, and nothing else in it reads as a line. */
static void a_text_on_one_line_is_one_line(void **state)
{
    assert_fix_by_rule(*state, "layout/page-footer", "- 3 -", "");
    const char *filler = PAGE "。第1页 共3页精品文档 欢迎下载" PAGE "。第2页 共3页精品文档 欢迎下载" PAGE
                         "。第3页 共3页精品文档 欢迎下载";
    const char *no_footers = PAGE "。精品文档 欢迎下载" PAGE "。精品文档 欢迎下载" PAGE
                             "。精品文档 欢迎下载";
    assert_fix(*state, filler, no_footers);
    assert_fix_by_rule(*state, "layout/page-header", filler, filler);
    /* markers inside the line are no chunk markers */
    const char *inline_markers = "1、" CHUNK_ONE "2、" CHUNK_TWO "3、" CHUNK_THREE;
    assert_fix_by_rule(*state, "layout/chunk-marker", inline_markers, inline_markers);
    /* a text with no line break at all is flattened: a heading after a
       full stop is proposed a break of its own */
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, "我镇连续三年综合目标考核居市前列。一、苦练内功，夯实龙头谋发展",
                                   "layout/heading-break", &result),
                     1);
    errata_result_free(result);
}

/* ------------------------------------------------------------ lines */

static void lines_broken_mid_sentence_are_joined(void **state)
{
    /* wrapped at a fixed width of 20 */
    const char *wrapped = "关于做好冬春季安全生产工作的通知\n"
                          "冬春季节气温低天气干燥用火用电增多是火灾和\n"
                          "各类生产安全事故的易发期为切实做好今冬明春\n"
                          "安全生产工作保障职工生命财产安全现将有关事\n"
                          "项通知如下各单位负责人是本单位安全生产的第\n"
                          "一责任人要牢固树立安全发展理念克服麻痹思想\n"
                          "和侥幸心理。\n";
    const char *joined = "关于做好冬春季安全生产工作的通知\n"
                         "冬春季节气温低天气干燥用火用电增多是火灾和各类生产安全事故的易发期为切实"
                         "做好今冬明春安全生产工作保障职工生命财产安全现将有关事项通知如下各单位负"
                         "责人是本单位安全生产的第一责任人要牢固树立安全发展理念克服麻痹思想和侥幸心理。\n";
    /* the site's footer shows where the text has been: the joins are applied */
    char with_footer[1024], joined_footer_kept[1024];
    snprintf(with_footer, sizeof with_footer, "%s第1页 共1页\n", wrapped);
    snprintf(joined_footer_kept, sizeof joined_footer_kept, "%s第1页 共1页\n", joined);
    assert_fix(*state, with_footer, joined);
    assert_fix_by_rule(*state, "layout/line-break", with_footer, joined_footer_kept);
    /* without it the text may be clean and hard-wrapped on purpose: only proposed */
    assert_fix(*state, wrapped, wrapped);
}

static void paragraphs_headings_and_verse_keep_their_breaks(void **state)
{
    const char *texts[] = {
        "一、提高思想认识\n各单位负责人是本单位安全生产的第一责任人。\n二、开展隐患排查\n",
        "各单位要高度重视。\n\n　　冬春季节气温低、天气干燥，用火用电增多。\n",
        "满座顽云拨不开，\n天外黑风吹海立，\n浙东飞雨过江来。\n",
        "│软件│流行度 │大小│POSIX │          说明          │\n│bash│V:835, │5776│Yes   │标准│\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_fix(*state, texts[i], texts[i]);
}

static void flattened_titles_and_headings_get_their_breaks(void **state)
{
    assert_fix(*state,
               "青石镇人民政府工作报告各位代表：现在，我代表镇人民政府向大会报告工作。",
               "青石镇人民政府工作报告\n各位代表：\n现在，我代表镇人民政府向大会报告工作。");
    const char *flat = FLATTENED_HEADINGS;
    const char *broken = HEADINGS_WITH_BREAKS;
    assert_fix(*state, flat, broken);
}

static void inline_series_and_enumerations_stay(void **state)
{
    const char *texts[] = {
        "村党支部始终把班子建设放在首位。一是选好带头人。村党支部书记是返乡创业的致富能手。"
        "二是规范组织生活。严格落实组织生活会制度。\n",
        "一、二年级不布置书面家庭作业；三至六年级书面作业平均完成时间不超过60分钟。\n",
        "坚持统一是前提。\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_fix(*state, texts[i], texts[i]);
}

/* ------------------------------------------------------------ punctuation */

static void ascii_punctuation_in_chinese_text_becomes_full_width(void **state)
{
    assert_fix(*state, "镇地处市东郊,全镇辖25个行政村;总面积223平方公里:山区占一半!",
               "镇地处市东郊，全镇辖25个行政村；总面积223平方公里：山区占一半！");
    assert_fix(*state, "同比增长80.1%;外贸出口增加,开展了“二联五访(联系困难党员)活动",
               "同比增长80.1%；外贸出口增加，开展了“二联五访（联系困难党员）活动");
    assert_fix_by_rule(*state, "punct/ascii-comma", "东郊,全镇;总面积", "东郊，全镇;总面积");
}

static void ascii_punctuation_outside_chinese_text_stays(void **state)
{
    const char *texts[] = {
        "共1,200人，上午10:30开会，比例为1:2，",
        "网址http://example.com/a?b=1，邮箱safety@example.com，",
        "他说Hello, world! 然后离开，",
        "函数printf(\"你好\")输出问候，",
        "国发〔2004〕2号文件，",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_fix(*state, texts[i], texts[i]);
}

static void mixed_writing_only_gets_proposals(void **state)
{
    /* full-width marks dominate: the ASCII colon is the writer's, proposed only */
    const char *text = "作者:李白，字太白，号青莲居士，又号谪仙人，唐代伟大的浪漫主义诗人。";
    assert_fix(*state, text, text);
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, text, "punct/ascii-colon", &result), 1);
    assert_int_equal(first_edit_of_rule(result, "punct/ascii-colon")->action, ERRATA_ACTION_PROPOSE);
    errata_result_free(result);
}

static void stand_in_marks_become_real_ones(void **state)
{
    assert_fix(*state, "被授予〝平安乡镇〞称号。第1页 共1页", "被授予“平安乡镇”称号。");
    assert_fix(*state, "包含一个或多个〞期待〞字串。第1页 共1页", "包含一个或多个“期待”字串。");
    /* without the site's traces the stand-ins may be meant: only proposed */
    assert_fix(*state, "包含一个或多个〞期待〞字串", "包含一个或多个〞期待〞字串");
    assert_fix(*state, "经费〔含补助〕全部到位", "经费（含补助）全部到位");
    /* a half-converted pair, in a text the site has been through (a footer) */
    assert_fix(*state, "半数（一）和（二)两项。第1页 共1页", "半数（一）和（二）两项。");
}

static void question_marks_for_title_marks_are_proposed(void **state)
{
    const char *text = "依照?安全生产法?的规定执行。";
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, text, "punct/title-mark", &result), 2);
    const errata_edit *e = first_edit_of_rule(result, "punct/title-mark");
    assert_string_equal(e->new_text, "《");
    assert_int_equal(e->action, ERRATA_ACTION_PROPOSE);
    assert_string_equal(errata_result_edit(result, 1)->new_text, "》");
    errata_result_free(result);
}

/* ------------------------------------------------------------ quotes */

static void missing_closing_quotes_are_proposed_at_the_end_of_the_term(void **state)
{
    static const struct {
        const char *text;
        size_t cp; /* where the ” goes, in code points */
    } cases[] = {
        {"把民主集中制作为增进班子团结的“粘合剂。结合实际", 19},
        {"坚持“工业兴镇、工程强镇的发展思路，", 12},
        {"表彰为“五好基层党组织、年先后被评为市", 11},
        {"重拳治理“六乱等集镇顽疾", 7},
        {"全镇新建“生态家园1524户。", 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        errata_result *result = NULL;
        assert_int_equal(edits_of_rule(*state, cases[i].text, "quote/missing-close", &result), 1);
        const errata_edit *e = first_edit_of_rule(result, "quote/missing-close");
        assert_int_equal(e->cp_start, cases[i].cp);
        assert_int_equal(e->cp_end, cases[i].cp);
        assert_string_equal(e->new_text, "”");
        assert_int_equal(e->kind, ERRATA_KIND_QUOTE);
        assert_int_equal(e->action, ERRATA_ACTION_PROPOSE);
        assert_true(e->confidence >= 0.5 && e->confidence < 0.8);
        errata_result_free(result);
        assert_fix(*state, cases[i].text, cases[i].text); /* never applied silently */
    }
}

static void a_closing_mark_shown_as_opening_becomes_closing(void **state)
{
    assert_fix(*state, "被评为市“红旗单位“，受到表彰", "被评为市“红旗单位”，受到表彰");
    const char *balanced = "坚持“产业强镇、生态立镇”目标，“三会一课”制度。";
    assert_fix(*state, balanced, balanced);
}

/* ------------------------------------------------------------ numbers */

static void twenty_written_as_2023_is_proposed_back(void **state)
{
    static const struct {
        const char *text, *old_text;
    } cases[] = {{"镇党代表20230名", "2023"}, {"收集到意见120230多条", "2023"},
                 {"人均纯收入620234元", "2023"}, {"完成了2023个村的改建", "2023"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        errata_result *result = NULL;
        assert_int_equal(edits_of_rule(*state, cases[i].text, "number/2023-for-20", &result), 1);
        const errata_edit *e = first_edit_of_rule(result, "number/2023-for-20");
        assert_string_equal(e->old_text, cases[i].old_text);
        assert_string_equal(e->new_text, "20");
        assert_int_equal(e->action, ERRATA_ACTION_PROPOSE);
        errata_result_free(result);
    }
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, "2023年工作总结，电话020-20231234，编号A20231号",
                                   "number/", &result), 0);
    errata_result_free(result);
}

static void deleted_numbers_are_flagged_unchanged(void **state)
{
    const char *text = "前列。年、年先后被表彰，生产总值亿元，人均元，于月日召开。年轻干部，年底完成。";
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, text, "flag/deleted-year", &result), 2);
    errata_result_free(result);
    assert_int_equal(edits_of_rule(*state, text, "flag/deleted-digits", &result), 2);
    const errata_edit *e = first_edit_of_rule(result, "flag/deleted-digits");
    assert_string_equal(e->old_text, "亿元");
    assert_string_equal(e->new_text, "亿元");
    assert_int_equal(e->kind, ERRATA_KIND_FLAG);
    assert_int_equal(e->action, ERRATA_ACTION_FLAG);
    errata_result_free(result);
    assert_int_equal(edits_of_rule(*state, text, "flag/deleted-date", &result), 1);
    errata_result_free(result);
    assert_fix(*state, text, text);
}

static void an_age_range_without_its_dash_is_proposed(void **state)
{
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, "招收1835岁的青年", "number/dash-dropped", &result), 1);
    assert_string_equal(first_edit_of_rule(result, "number/dash-dropped")->new_text, "18—35");
    errata_result_free(result);
    assert_int_equal(edits_of_rule(*state, "老人95岁", "number/", &result), 0);
    errata_result_free(result);
}

/* ------------------------------------------------------------ clean text */

static void clean_documents_come_out_unchanged(void **state)
{
    const char *text =
        "关于规范办公电脑使用和网络信息安全管理的通知\n\n机关各科室：\n\n"
        "近期，部分单位发生了因点击不明链接导致电脑感染病毒的事件。现就有关要求通知如下。\n\n"
        "一、规范账号密码管理。密码长度不少于8位，每90天至少更换一次。禁止使用123456、admin等弱口令。\n\n"
        "二、谨慎处理电子邮件。发现可疑邮件要及时报告信息中心（内线8020）。\n\n"
        "三、严格责任追究。对因工作不力导致事故发生的，将依照《安全生产法》严肃追究责任。\n\n"
        "联系人：王建国，电话：0571-8826 3145，邮箱：safety@example.com。\n\n"
        "二〇二三年十一月二十日\n";
    errata_result *result = NULL;
    assert_int_equal(edits_of_rule(*state, text, "", &result), 0);
    errata_result_free(result);
    assert_fix(*state, text, text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chunk_markers_are_removed_with_their_line_break),
        cmocka_unit_test(chunk_marker_rule_can_be_switched_off),
        cmocka_unit_test(genuine_numbered_lists_stay),
        cmocka_unit_test(characters_beyond_the_basic_plane_keep_their_places),
        cmocka_unit_test(page_footers_are_removed),
        cmocka_unit_test(page_numbers_inside_words_follow_the_footers),
        cmocka_unit_test(page_numbers_on_lines_of_their_own_are_removed),
        cmocka_unit_test(filler_lines_repeated_on_every_page_are_removed),
        cmocka_unit_test(a_text_on_one_line_is_one_line),
        cmocka_unit_test(lines_broken_mid_sentence_are_joined),
        cmocka_unit_test(paragraphs_headings_and_verse_keep_their_breaks),
        cmocka_unit_test(flattened_titles_and_headings_get_their_breaks),
        cmocka_unit_test(inline_series_and_enumerations_stay),
        cmocka_unit_test(ascii_punctuation_in_chinese_text_becomes_full_width),
        cmocka_unit_test(ascii_punctuation_outside_chinese_text_stays),
        cmocka_unit_test(mixed_writing_only_gets_proposals),
        cmocka_unit_test(stand_in_marks_become_real_ones),
        cmocka_unit_test(question_marks_for_title_marks_are_proposed),
        cmocka_unit_test(missing_closing_quotes_are_proposed_at_the_end_of_the_term),
        cmocka_unit_test(a_closing_mark_shown_as_opening_becomes_closing),
        cmocka_unit_test(twenty_written_as_2023_is_proposed_back),
        cmocka_unit_test(deleted_numbers_are_flagged_unchanged),
        cmocka_unit_test(an_age_range_without_its_dash_is_proposed),
        cmocka_unit_test(clean_documents_come_out_unchanged),
    };
    return cmocka_run_group_tests(tests, setup_engine, teardown_engine);
}
