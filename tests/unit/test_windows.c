/* A huge document's words are matched and judged in windows after a walk
   over the whole document for its evidence, and its layout view is decoded
   in windows (a quarter as many code points as the words' window has
   bytes, once the text holds 32 of them): any window size must give
   exactly the edits of checking the text at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dictionary_engine.h"

/* The damaged documents of the tuning set, one after the other: swaps of
   both families, certain and contextual repairs, layout damage. */
static const char *const documents[] = {
    "corpus/damaged/community-survey.A.txt", "corpus/damaged/construction-plan.B.txt",
    "corpus/damaged/gov-work-report.A.txt",  "corpus/damaged/party-building.B.txt",
    "corpus/damaged/safety-rules.A.txt",
};

/* Documents with layout damage of every kind (chunk markers, footers,
   broken lines, punctuation, quotes, numbers): the layout passes read their
   view, repaired pass after pass, through windows as small as one
   character. */
static const char *const layout_documents[] = {
    "corpus/damaged/layout/community-survey.AL.txt",
    "corpus/damaged/layout/construction-plan.BL.txt",
    "corpus/damaged/layout/consumer-rights-speech.AL.txt",
    "corpus/damaged/layout/gov-work-report.BL.txt",
    "corpus/damaged/layout/party-building.AL.txt",
    "corpus/damaged/layout/publicity-work-summary.BL.txt",
    "corpus/damaged/layout/safety-rules.AL.txt",
    "corpus/damaged/layout/school-teaching-summary.BL.txt",
};

static char *read_files(const char *const *paths, size_t count, size_t *len)
{
    char *text = NULL;
    *len = 0;
    for (size_t d = 0; d < count; d++) {
        FILE *f = fopen(paths[d], "rb");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        long size = ftell(f);
        assert_true(size > 0);
        rewind(f);
        text = realloc(text, *len + (size_t)size + 1);
        assert_non_null(text);
        assert_int_equal(fread(text + *len, 1, (size_t)size, f), (size_t)size);
        fclose(f);
        *len += (size_t)size;
    }
    text[*len] = '\0';
    return text;
}

static char *read_documents(size_t *len)
{
    return read_files(documents, sizeof documents / sizeof *documents, len);
}

static int same_string(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void assert_same_edits(const errata_result *whole, const errata_result *windowed)
{
    assert_int_equal(errata_result_count(windowed), errata_result_count(whole));
    for (size_t i = 0; i < errata_result_count(whole); i++) {
        errata_edit a, b;
        assert_int_equal(errata_result_read_edit(whole, i, &a), ERRATA_OK);
        assert_int_equal(errata_result_read_edit(windowed, i, &b), ERRATA_OK);
        assert_int_equal(b.byte_start, a.byte_start);
        assert_int_equal(b.byte_end, a.byte_end);
        assert_int_equal(b.cp_start, a.cp_start);
        assert_int_equal(b.line, a.line);
        assert_int_equal(b.column, a.column);
        assert_int_equal(b.kind, a.kind);
        assert_int_equal(b.action, a.action);
        assert_true(b.confidence == a.confidence);
        assert_true(same_string(b.new_text, a.new_text));
        assert_true(same_string(b.rule, a.rule));
        assert_true(same_string(b.reason, a.reason));
    }
}

/* Edits decided by the model (contextual repairs): the document's evidence
   must have reached them. */
static size_t model_decisions(const errata_result *result)
{
    size_t n = 0;
    for (size_t i = 0; i < errata_result_count(result); i++) {
        errata_edit e;
        assert_int_equal(errata_result_read_edit(result, i, &e), ERRATA_OK);
        n += strstr(e.reason, "swap markers in the document") != NULL;
    }
    return n;
}

static void check_in_windows(const errata_engine *engine, const char *text, size_t len,
                             size_t min_edits, size_t min_model_decisions)
{
    errata_result *whole = NULL;
    assert_int_equal(errata_check_windowed(engine, NULL, text, len, NULL, SIZE_MAX, &whole),
                     ERRATA_OK);
    assert_true(errata_result_count(whole) >= min_edits);
    assert_true(model_decisions(whole) >= min_model_decisions);
    const size_t sizes[] = {1, 7, 100, 1000, 5000, 40000};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        errata_result *windowed = NULL;
        assert_int_equal(errata_check_windowed(engine, NULL, text, len, NULL, sizes[k], &windowed),
                         ERRATA_OK);
        assert_same_edits(whole, windowed);
        errata_result_free(windowed);
    }
    errata_result_free(whole);
}

static void windows_give_the_edits_of_the_whole_text(void **state)
{
    const errata_engine *engine = *state;
    size_t len;
    char *text = read_documents(&len);
    check_in_windows(engine, text, len, 100, 10);
    free(text);
}

static void layout_windows_give_the_edits_of_the_whole_view(void **state)
{
    const errata_engine *engine = *state;
    size_t len;
    char *text = read_files(layout_documents, sizeof layout_documents / sizeof *layout_documents,
                            &len);
    check_in_windows(engine, text, len, 200, 0);
    free(text);
}

/* The same documents run together on one line: a window is decoded in
   runs that go on across the marks placed only to bound the walks to a
   source (ERRATA_LAYOUT_RUNS_ON), and stop where an edit was made. */
static void layout_windows_decode_a_text_on_one_line(void **state)
{
    const errata_engine *engine = *state;
    size_t len;
    char *text = read_files(layout_documents, sizeof layout_documents / sizeof *layout_documents,
                            &len);
    size_t kept = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] != '\n')
            text[kept++] = text[i];
    text[kept] = '\0';
    check_in_windows(engine, text, kept, 200, 0);
    free(text);
}

/* Edits of the layout passes that make different characters (，；：？ and
   quotes, one after the other): a later pass reading the view through
   windows must get each made character from its own edit's new text. */
static void layout_windows_read_each_edit_s_own_new_text(void **state)
{
    const errata_engine *engine = *state;
    const char *text =
        "一、会议情况\n"
        "他说:\"我们要坚持科学发展观.\"大家都同意,会议结束;下一步怎么办?大家说:\"继续努力!\"\n"
        "主任指出:\"今年的任务是:第一,抓好安全生产;第二,搞好服务.\"代表们问:\"资金从哪里来?\""
        "他回答:\"从预算中安排.\"\n"
        "二、下一步工作\n"
        "要做到三点:一是\"早\",二是\"实\",三是\"细\".要求各单位在3月15日前上报材料;"
        "逾期不报的,\"一票否决\"!\n";
    check_in_windows(engine, text, strlen(text), 17, 0);
}

/* Text that is all Han has no border: it stays one window whatever the
   size asked for. */
static void text_without_borders_is_one_window(void **state)
{
    const errata_engine *engine = *state;
    const char *text = "根据工作安排开展调查研究效劳群众平安生产根底设施";
    check_in_windows(engine, text, strlen(text), 1, 0);
    check_in_windows(engine, "", 0, 0, 0);
}

/* A border never falls inside a match: a keep word with a comma in it
   still protects the words inside it that a window starting after the
   comma would see alone. */
static void borders_keep_out_of_matches(void **state)
{
    (void)state;
    errata_engine *engine = engine_on_dictionary_text("errata-dict 1\n"
                                                      "平安\t安全\tswap\tU\n"
                                                      "效劳\t服务\tswap\tU\n"
                                                      "!keep\t浙江，平安浙江\n",
                                                      1);
    const char *text = "效劳群众。我们建设浙江，平安浙江。平安生产。";
    check_in_windows(engine, text, strlen(text), 2, 0);
    errata_result *result = NULL;
    assert_int_equal(errata_check_windowed(engine, NULL, text, strlen(text), NULL, 1, &result),
                     ERRATA_OK);
    assert_int_equal(errata_result_count(result), 2); /* 效劳 and the last 平安 */
    errata_result_free(result);
    errata_engine_free(engine);
}

/* The first walk keeps each window's candidates for the second in a few
   bytes each, every number as a varint: here the gaps between candidates
   take one, two and three bytes (a gap of 20,000 bytes inside a window of
   40,000), and each candidate must come back where it was. */
static void kept_candidates_come_back_across_long_gaps(void **state)
{
    (void)state;
    errata_engine *engine = engine_on_dictionary_text("errata-dict 1\n"
                                                      "平安\t安全\tswap\tU\n"
                                                      "效劳\t服务\tswap\tU\n",
                                                      1);
    const size_t gaps[] = {20000, 200, 5};
    char *text = malloc(32000);
    assert_non_null(text);
    size_t len = 0;
    for (size_t k = 0; k < 3; k++) {
        memcpy(text + len, k % 2 ? "平安。" : "效劳。", strlen("效劳。"));
        len += strlen("效劳。");
        memset(text + len, ' ', gaps[k]);
        len += gaps[k];
    }
    check_in_windows(engine, text, len, 3, 0);
    errata_result *result = NULL;
    assert_int_equal(errata_check_windowed(engine, NULL, text, len, NULL, 40000, &result),
                     ERRATA_OK);
    assert_int_equal(errata_result_count(result), 3);
    const size_t starts[] = {0, 9 + 20000, 18 + 20200};
    for (size_t k = 0; k < 3; k++) {
        errata_edit e;
        assert_int_equal(errata_result_read_edit(result, k, &e), ERRATA_OK);
        assert_int_equal(e.byte_start, starts[k]);
        assert_int_equal(e.byte_end, starts[k] + 6);
        assert_string_equal(e.new_text, k % 2 ? "安全" : "服务");
    }
    errata_result_free(result);
    free(text);
    errata_engine_free(engine);
}

/* The contexts of a document's originals are kept in a hash set as they
   come, each once, then listed sorted by entry, side and neighbour for the
   judge's binary search.  Here 200,000 contexts repeat 3,000 distinct ones
   in a scrambled order (entries up to 2^32 - 1, neighbours up to the last
   Han plane's), through several growths of the set. */
static void contexts_are_kept_once_and_sorted(void **state)
{
    (void)state;
    enum { ENTRIES = 30, SIDES = 2, NEIGHBOURS = 50, SEEN = ENTRIES * SIDES * NEIGHBOURS };
    errata_doc_evidence ev;
    memset(&ev, 0, sizeof ev);
    unsigned char seen[SEEN] = {0};
    for (size_t i = 0; i < 200000; i++) {
        size_t k = (i * 7919 + i / 7) % SEEN;
        size_t entry = k / (SIDES * NEIGHBOURS), side = k / NEIGHBOURS % SIDES,
               neighbour = k % NEIGHBOURS;
        seen[k] = 1;
        assert_int_equal(errata_evidence_add_context(&ev, entry * 0x8A3D70Bu % 0xFFFFFFFFu, (uint32_t)side,
                                                     (uint32_t)(0x2A6DF - neighbour * 1000)),
                         ERRATA_OK);
    }
    size_t distinct = 0;
    for (size_t k = 0; k < SEEN; k++)
        distinct += seen[k];
    assert_int_equal(errata_evidence_finish_contexts(&ev), ERRATA_OK);
    assert_int_equal(ev.original_context_count, distinct);
    for (size_t i = 0; i < ev.original_context_count; i++) {
        const errata_original_context *c = &ev.original_contexts[i];
        int found = 0;
        for (size_t k = 0; k < SEEN && !found; k++)
            found = seen[k] && c->entry == k / (SIDES * NEIGHBOURS) * 0x8A3D70Bu % 0xFFFFFFFFu &&
                    c->side == k / NEIGHBOURS % SIDES && c->neighbour == 0x2A6DF - k % NEIGHBOURS * 1000;
        assert_true(found);
        if (i == 0)
            continue;
        const errata_original_context *p = &ev.original_contexts[i - 1];
        assert_true(p->entry < c->entry || (p->entry == c->entry && p->side < c->side) ||
                    (p->entry == c->entry && p->side == c->side && p->neighbour < c->neighbour));
    }
    assert_null(ev.context_keys);
    free(ev.original_contexts);
}

/* A huge document's list holds millions of edits in a few runs, one per
   pass, each in text order; the list is sorted by moving the edits a block
   at a time.  Here five passes' edits interleave across several blocks:
   each must come out once, in text order. */
static void many_edits_from_interleaved_passes_come_out_once_in_order(void **state)
{
    (void)state;
    enum { PASSES = 5, EDITS = 5 * 4096 + 123 };
    char *text = malloc(2 * EDITS);
    assert_non_null(text);
    memset(text, 'a', 2 * EDITS);
    errata_edit_list list;
    memset(&list, 0, sizeof list);
    for (size_t pass = 0; pass < PASSES; pass++)
        for (size_t q = 0; q < EDITS; q++) {
            if ((q * 7919 + q / 3) % PASSES != pass)
                continue;
            char number[24];
            snprintf(number, sizeof number, "%zu", q);
            assert_int_equal(errata_edit_list_add(&list, text, 2 * q, 2 * q + 1, number,
                                                  "layout/test", ERRATA_KIND_LAYOUT, 0.9, "%s",
                                                  ""),
                             ERRATA_OK);
        }
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    assert_int_equal(errata_edit_list_finish(&list, text, 2 * EDITS, &opts), ERRATA_OK);
    assert_int_equal(list.count, EDITS);
    for (size_t i = 0; i < EDITS; i++) {
        errata_edit e;
        errata_edit_list_get(&list, i, &e);
        char number[24];
        snprintf(number, sizeof number, "%zu", i);
        assert_int_equal(e.byte_start, 2 * i);
        assert_string_equal(e.new_text, number);
    }
    errata_edit_list_clear(&list);
    free(text);
}

static int load_engine(void **state)
{
    errata_engine *engine = NULL;
    assert_int_equal(errata_engine_new(&engine, NULL), ERRATA_OK);
    *state = engine;
    return 0;
}

static int free_engine(void **state)
{
    errata_engine_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(windows_give_the_edits_of_the_whole_text),
        cmocka_unit_test(layout_windows_give_the_edits_of_the_whole_view),
        cmocka_unit_test(layout_windows_decode_a_text_on_one_line),
        cmocka_unit_test(layout_windows_read_each_edit_s_own_new_text),
        cmocka_unit_test(text_without_borders_is_one_window),
        cmocka_unit_test(borders_keep_out_of_matches),
        cmocka_unit_test(kept_candidates_come_back_across_long_gaps),
        cmocka_unit_test(contexts_are_kept_once_and_sorted),
        cmocka_unit_test(many_edits_from_interleaved_passes_come_out_once_in_order),
    };
    return cmocka_run_group_tests(tests, load_engine, free_engine);
}
