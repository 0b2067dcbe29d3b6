/* The context scorer: rules, document evidence and the language model
   together, through errata_fix() with the embedded dictionaries and model. */
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

static errata_engine *default_engine;

static int load_default_engine(void **state)
{
    (void)state;
    return errata_engine_new(&default_engine, NULL);
}

static int free_default_engine(void **state)
{
    (void)state;
    errata_engine_free(default_engine);
    return 0;
}

static void assert_fixed_by(const errata_engine *engine, const char *text, const char *expected)
{
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_fix(engine, text, strlen(text), NULL, &out, &out_len), ERRATA_OK);
    assert_string_equal(out, expected);
    errata_free(out);
}

static void assert_fixed(const char *text, const char *expected)
{
    assert_fixed_by(default_engine, text, expected);
}

static void legitimate_kaizhan_stays_and_the_swapped_one_is_repaired(void **state)
{
    (void)state;
    assert_fixed("坚持科学开展观，深入开展调研活动，开展工作。",
                 "坚持科学发展观，深入开展调研活动，开展工作。");
}

static void campaign_names_and_consumer_words_stay(void **state)
{
    (void)state;
    assert_fixed("建设平安浙江，抓好平安消费治理。", "建设平安浙江，抓好安全生产管理。");
    assert_fixed("平安消费是根底。维护消费者权益，营造放心消费环境，开展消费维权活动。",
                 "安全生产是基础。维护消费者权益，营造放心消费环境，开展消费维权活动。");
    assert_fixed("送效劳上门，鼓励有效劳动。", "送服务上门，鼓励有效劳动。");
}

static void clean_document_keeps_its_ambiguous_words(void **state)
{
    (void)state;
    /* the model prefers 发展 here, but nothing shows that a swap tool ran */
    assert_fixed("大力开展现代农业。", "大力开展现代农业。");
    assert_fixed("加快开展，标准管理，工程建设。", "加快开展，标准管理，工程建设。");
}

static void evidence_decides_how_readily_a_pair_fires(void **state)
{
    (void)state;
    /* one certain repair in the whole text is thin evidence: the unconfirmed
       pair is not even proposed */
    assert_fixed("加强根底设施建设。把开展作为要务。", "加强基础设施建设。把开展作为要务。");
    errata_result *result = NULL;
    const char *text = "加强根底设施建设，夯实根底。把开展作为要务。";
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    const errata_edit *e = errata_result_edit(result, 2);
    /* two: the context decides, and the reason quotes the formal text */
    assert_string_equal(e->new_text, "发展");
    assert_int_equal(e->action, ERRATA_ACTION_APPLY);
    assert_non_null(strstr(e->reason, "发展作为 11× vs 开展作为 0× in clean formal text; "
                                      "context prefers \"发展\""));
    errata_result_free(result);
    /* once 科学开展观 confirms the pair, a single marker is enough */
    assert_fixed("加强根底设施建设。坚持科学开展观，把开展作为要务。",
                 "加强基础设施建设。坚持科学发展观，把发展作为要务。");
}

/* What the counts of formal text decide where the trigram model cannot. */
static void formal_text_tells_common_words_apart(void **state)
{
    (void)state;
    assert_fixed("我们推进平安消费，加快投资工程建设。", "我们推进安全生产，加快投资项目建设。");
    assert_fixed("我们推进平安消费，狠抓工程质量。", "我们推进安全生产，狠抓工程质量。");
    assert_fixed("我们推进平安消费，依照规定办理。", "我们推进安全生产，按照规定办理。");
    errata_result *result = NULL;
    const char *text = "我们推进平安消费，加快投资工程建设。";
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    assert_non_null(strstr(errata_result_edit(result, 2)->reason,
                           "投资项目 497× vs 投资工程 7× in clean formal text"));
    errata_result_free(result);
}

/* The damage replaces only some occurrences: an original that survives in
   the same context shows what the document writes there. */
static void an_original_surviving_in_the_same_context_lowers_the_bar(void **state)
{
    (void)state;
    /* a construction text: 工程 is mostly legitimate here (工程质量, 工程施工) */
    assert_fixed("我们推进平安消费，狠抓工程质量和工程施工，由工程经理负责。监理组织验收，工程部编制计划。",
                 "我们推进安全生产，狠抓工程质量和工程施工，由项目经理负责。监理组织验收，工程部编制计划。");
    const char *text = "我们推进平安消费，狠抓工程质量和工程施工，由工程经理负责。项目部组织验收，"
                       "工程部编制计划。";
    assert_fixed(text, "我们推进安全生产，狠抓工程质量和工程施工，由项目经理负责。项目部组织验收，"
                       "项目部编制计划。");
    errata_result *result = NULL;
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 4);
    const char *reason = errata_result_edit(result, 3)->reason;
    assert_non_null(strstr(reason, "(log10; 0.0 needed)"));
    assert_non_null(strstr(reason, "; \"项目部\" occurs in the document"));
    errata_result_free(result);
    /* not in a document with a single certain repair */
    assert_fixed("夯实根底。项目部组织验收，工程部编制计划。", "夯实基础。项目部组织验收，工程部编制计划。");
}

/* The damage replaces only some occurrences, so an original that survives
   a few times does not show that its pair was left alone; one that occurs
   more often than the corrupted form does. */
static void an_original_outnumbering_its_form_raises_the_bar(void **state)
{
    (void)state;
    errata_result *result = NULL;
    const char *text = "加强根底设施建设，夯实根底。会上讨论分析原因，集体讨论确定措施。研究生参加会议。";
    assert_fixed(text, "加强基础设施建设，夯实基础。会上研究分析原因，集体讨论确定措施。研究生参加会议。");
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    /* 1.5 for an unconfirmed pair, less the 1.5 of the pair's own bar (PAIR_BARS) */
    assert_non_null(strstr(errata_result_edit(result, 2)->reason, "(log10; 0.0 needed)"));
    errata_result_free(result);
    text = "加强根底设施建设，夯实根底。会上讨论分析原因，集体讨论确定措施。研究生和研究员参加研究会。";
    assert_fixed(text, "加强基础设施建设，夯实基础。会上研究分析原因，集体讨论确定措施。研究生和研究员参加研究会。");
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    assert_non_null(strstr(errata_result_edit(result, 2)->reason, "by 1.90 (log10; 1.0 needed)"));
    errata_result_free(result);
}

/* One protected use of a form (实施方案) says little about its other
   occurrences where the document never confirms the pair; protected uses
   that make up half of them do. */
static void a_form_mostly_used_legitimately_raises_the_bar(void **state)
{
    (void)state;
    errata_result *result = NULL;
    const char *text = "加强根底设施建设，夯实根底。制定实施方案。全年方案完成投资十亿元，"
                       "新厂房方案于五月中旬开工。";
    assert_fixed(text, "加强基础设施建设，夯实基础。制定实施方案。全年计划完成投资十亿元，"
                       "新厂房计划于五月中旬开工。");
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 4);
    assert_non_null(strstr(errata_result_edit(result, 3)->reason,
                           "by 0.68 (log10; -1.0 needed): 2 swap markers in the document; "
                           "this pair confirmed 0 times, legitimate 1 times"));
    errata_result_free(result);
    text = "加强根底设施建设，夯实根底。制定实施方案，认真落实整改方案。全年方案完成投资十亿元，"
           "新厂房方案于五月中旬开工。";
    assert_fixed(text, "加强基础设施建设，夯实基础。制定实施方案，认真落实整改方案。全年计划完成投资十亿元，"
                       "新厂房计划于五月中旬开工。");
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 4);
    assert_non_null(strstr(errata_result_edit(result, 3)->reason,
                           "by 0.68 (log10; 0.0 needed): 2 swap markers in the document; "
                           "this pair confirmed 0 times, legitimate 2 times"));
    errata_result_free(result);
}

/* Certain rules of swaps.dict that stand on the counts of formal text
   (dictionaries/CHARMODEL.md): 按照“ 68× against 依照“ 0×, 采取加固 26× and
   采取日常 8× against 实行加固/实行日常 0×, 重大安全事故 31× against
   严重安全事故 2×; 拿不定办法/方法 never occur.  A context rule repairs them
   even where a single certain repair is the only sign of damage. */
static void rules_from_formal_text_counts_repair_with_one_marker(void **state)
{
    (void)state;
    assert_fixed("夯实根底。总体依照“先地下、后地上”的顺序施工。",
                 "夯实基础。总体按照“先地下、后地上”的顺序施工。");
    assert_fixed("夯实根底。对危房实行加固处理，对市场实行日常检查。",
                 "夯实基础。对危房采取加固处理，对市场采取日常检查。");
    assert_fixed("夯实根底。杜绝严重安全事故。", "夯实基础。杜绝重大安全事故。");
    assert_fixed("夯实根底。拿不定办法，拿不定方法。", "夯实基础。拿不定主意，拿不定主意。");
}

/* 依照 has two originals.  The certain 依照“ -> 按照“ confirms the pair
   依照 -> 按照 and lowers its bar, but says nothing about which original a
   later 依照 was: 按照直径 beats 根据直径 by 0.93 only, short of the 1.0
   needed between two originals, so that repair is proposed, not applied. */
static void the_choice_between_two_originals_has_its_own_bar(void **state)
{
    (void)state;
    errata_result *result = NULL;
    const char *text = "加强根底设施建设，夯实根底。总体依照“先地下、后地上”的顺序施工。"
                       "钢筋的连接方式依照直径确定。";
    assert_fixed(text, "加强基础设施建设，夯实基础。总体按照“先地下、后地上”的顺序施工。"
                       "钢筋的连接方式依照直径确定。");
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 4);
    const errata_edit *e = errata_result_edit(result, 3);
    assert_string_equal(e->new_text, "按照");
    assert_int_equal(e->action, ERRATA_ACTION_PROPOSE);
    assert_non_null(strstr(e->reason, "context prefers \"按照\" to \"根据\" by 0.93 (log10; 1.0 "
                                      "needed between two originals): 3 swap markers in the "
                                      "document; this pair confirmed 1 times"));
    errata_result_free(result);
}

/* Each pair has a bar of its own, learnt from simulated damage
   (PAIR_BARS): 讨论 -> 研究 was right more often than most pairs, 实行 -> 采取
   less often.  A bar falls only where the document shows more damage than a
   single certain repair. */
static void pairs_have_bars_of_their_own(void **state)
{
    (void)state;
    errata_result *result = NULL;
    const char *text = "加强根底设施建设，夯实根底。会上讨论分析原因。";
    assert_fixed(text, "加强基础设施建设，夯实基础。会上研究分析原因。");
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    assert_non_null(strstr(errata_result_edit(result, 2)->reason, "by 1.90 (log10; 0.0 needed)"));
    errata_result_free(result);
    text = "夯实根底。会上讨论分析原因。";
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 1); /* 3.5 needed: not even proposed */
    errata_result_free(result);
    /* proposed with the bar of every unconfirmed pair (1.5), dropped with its own */
    text = "加强根底设施建设，夯实根底。我们实行了集中学习。";
    assert_int_equal(errata_check(default_engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 2);
    errata_result_free(result);
}

static void without_the_character_model_the_trigram_model_decides_alone(void **state)
{
    (void)state;
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_char_model = 1;
    errata_engine *engine = NULL;
    assert_int_equal(errata_engine_new(&engine, &opts), ERRATA_OK);
    errata_result *result = NULL;
    const char *text = "加强根底设施建设，夯实根底。把开展作为要务。";
    assert_int_equal(errata_check(engine, text, strlen(text), NULL, &result), ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    const errata_edit *e = errata_result_edit(result, 2);
    assert_int_equal(e->action, ERRATA_ACTION_PROPOSE);
    assert_non_null(strstr(e->reason, "language model prefers \"发展\""));
    errata_result_free(result);
    errata_engine_free(engine);
}

/* A dictionary whose contextual pairs have no rules: only the model decides. */
static errata_engine *model_only_engine(void)
{
    return engine_on_dictionary_text("errata-dict 1\n根底\t基础\tswap\tU\n平安\t安全\tswap\tC\n"
                                     "消费\t生产\tswap\tC\n治理\t管理\tswap\tC\n",
                                     0);
}

static void neighbouring_candidates_are_decided_together(void **state)
{
    (void)state;
    errata_engine *engine = model_only_engine();
    assert_fixed_by(engine, "打好根底。抓好平安消费治理工作。", "打好基础。抓好安全生产管理工作。");
    assert_fixed_by(engine, "打好根底。建设平安校园。", "打好基础。建设平安校园。");
    assert_fixed_by(engine, "打好根底。维护消费者权益。", "打好基础。维护消费者权益。");
    errata_engine_free(engine);
}

/* The repaired text of every edit errata_check_scratch() applies by default. */
static char *fixed_with(errata_scratch *scratch, const char *text)
{
    errata_result *result = NULL;
    assert_int_equal(errata_check_scratch(default_engine, scratch, text, strlen(text), NULL, &result),
                     ERRATA_OK);
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_result_apply(result, text, strlen(text), NULL, &out, &out_len), ERRATA_OK);
    errata_result_free(result);
    return out;
}

static void a_scratch_kept_across_texts_changes_no_decision(void **state)
{
    (void)state;
    static const char *const texts[][2] = {
        {"坚持科学开展观，深入开展调研活动，开展工作。", "坚持科学发展观，深入开展调研活动，开展工作。"},
        {"建设平安浙江，抓好平安消费治理。", "建设平安浙江，抓好安全生产管理。"},
        {"平安消费是根底。维护消费者权益，营造放心消费环境。",
         "安全生产是基础。维护消费者权益，营造放心消费环境。"},
        {"坚持科学开展观，深入开展调研活动，开展工作。", "坚持科学发展观，深入开展调研活动，开展工作。"},
    };
    errata_scratch *scratch = NULL;
    assert_int_equal(errata_scratch_new(default_engine, &scratch), ERRATA_OK);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char *with = fixed_with(scratch, texts[i][0]), *without = fixed_with(NULL, texts[i][0]);
        assert_string_equal(with, texts[i][1]);
        assert_string_equal(without, texts[i][1]);
        errata_free(with);
        errata_free(without);
    }
    errata_scratch_free(scratch);
}

static void a_scratch_serves_only_its_engine(void **state)
{
    (void)state;
    errata_engine *other = NULL;
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_model = 1;
    assert_int_equal(errata_engine_new(&other, &opts), ERRATA_OK);
    errata_scratch *scratch = NULL;
    assert_int_equal(errata_scratch_new(default_engine, &scratch), ERRATA_OK);
    errata_result *result = NULL;
    assert_int_equal(errata_check_scratch(other, scratch, "根底", 6, NULL, &result), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "errata_check: the scratch was made for another engine");
    assert_null(result);
    errata_scratch_free(scratch);
    assert_int_equal(errata_scratch_new(NULL, &scratch), ERRATA_EINVAL);
    assert_null(scratch);
    errata_engine_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(legitimate_kaizhan_stays_and_the_swapped_one_is_repaired),
        cmocka_unit_test(campaign_names_and_consumer_words_stay),
        cmocka_unit_test(clean_document_keeps_its_ambiguous_words),
        cmocka_unit_test(evidence_decides_how_readily_a_pair_fires),
        cmocka_unit_test(formal_text_tells_common_words_apart),
        cmocka_unit_test(an_original_surviving_in_the_same_context_lowers_the_bar),
        cmocka_unit_test(an_original_outnumbering_its_form_raises_the_bar),
        cmocka_unit_test(a_form_mostly_used_legitimately_raises_the_bar),
        cmocka_unit_test(pairs_have_bars_of_their_own),
        cmocka_unit_test(rules_from_formal_text_counts_repair_with_one_marker),
        cmocka_unit_test(the_choice_between_two_originals_has_its_own_bar),
        cmocka_unit_test(without_the_character_model_the_trigram_model_decides_alone),
        cmocka_unit_test(neighbouring_candidates_are_decided_together),
        cmocka_unit_test(a_scratch_kept_across_texts_changes_no_decision),
        cmocka_unit_test(a_scratch_serves_only_its_engine),
    };
    return cmocka_run_group_tests(tests, load_default_engine, free_default_engine);
}
