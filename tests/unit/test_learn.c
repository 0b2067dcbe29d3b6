/* errata_learner: pair mining on small batches with known answers.  The
   batch is the six short documents of tests/cli/data/learn, damaged here
   the way a swap table does it, only in part: every 基础 made 根底, and
   every 发展 made 开展 in the first four documents; the dictionary knows
   根底 (so the documents show known damage) but not 开展. */
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

#define DOCUMENTS 6

static char *read_document(size_t i)
{
    char path[64];
    snprintf(path, sizeof path, "tests/cli/data/learn/%c.txt", (char)('a' + i));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 16);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

/* text with every from replaced by to (same byte length). */
static void replace_all(char *text, const char *from, const char *to)
{
    size_t n = strlen(from);
    assert_int_equal(strlen(to), n);
    for (char *p = strstr(text, from); p; p = strstr(p + n, from))
        memcpy(p, to, n);
}

static errata_engine *engine_with(const char *dictionary)
{
    return engine_on_dictionary_text(dictionary, 0);
}

static const char marker_dictionary[] = "errata-dict 1\n根底\t基础\tswap\tG\tkeep-next=下\n";

#define DAMAGED_DOCUMENTS 4

/* Add the six documents to learner: 发展 made 开展 in the first four,
   基础 made 根底 (the marker dictionary's known pair) in all. */
static void add_marker_batch(errata_learner *learner)
{
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        if (i < DAMAGED_DOCUMENTS)
            replace_all(text, "发展", "开展");
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
}

/* Learn (with opts, NULL for the defaults) from the six documents, each
   edited first by edit(i, text, arg); text has room to grow. */
static errata_learner *learn_edited(const errata_engine *engine, const errata_learn_options *opts,
                                    void (*edit)(size_t i, char *text, const void *arg),
                                    const void *arg)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, opts, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        edit(i, text, arg);
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* Learn from the six documents, damaged or not: 发展 made `swapped` in the
   first `swapped_in` of them. */
static errata_learner *learn_swapped(const errata_engine *engine, int damaged,
                                     const char *swapped, size_t swapped_in)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        if (damaged && i < swapped_in)
            replace_all(text, "发展", swapped);
        if (damaged)
            replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_document_count(learner), DOCUMENTS);
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

static errata_learner *learn(const errata_engine *engine, int damaged)
{
    return learn_swapped(engine, damaged, "开展", DAMAGED_DOCUMENTS);
}

static const errata_learned_pair *find_pair(const errata_learner *learner, const char *corrupted,
                                            const char *original)
{
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++) {
        const errata_learned_pair *p = errata_learner_pair(learner, i);
        if (strcmp(p->corrupted, corrupted) == 0 && strcmp(p->original, original) == 0)
            return p;
    }
    return NULL;
}

static size_t confident_pairs(const errata_learner *learner)
{
    size_t n = 0;
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++)
        n += errata_learner_pair(learner, i)->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD;
    return n;
}

static void the_swapped_pair_is_found_with_its_evidence(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn(engine, 1);
    /* 工作, which fills three of its contexts too, does not take them from
       发展, the filler sharing a character with 开展 (see ALIKE_PRIOR). */
    assert_int_equal(errata_learner_pair_count(learner), 1);
    const errata_learned_pair *p = errata_learner_pair(learner, 0);
    assert_string_equal(p->corrupted, "开展");
    assert_string_equal(p->original, "发展");
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    /* 17 开展 in the damaged documents, 15 of them damaged 发展 (积极开展,
       认真开展 are not); 9 stand where clean text never has 开展 on one side,
       in 9 contexts, 4 of which the two undamaged documents hold with 发展
       (one of those 4 counts only because they do: clean text lacks 发展
       between its neighbours) */
    assert_int_equal(p->occurrences, 17);
    assert_int_equal(p->documents, DAMAGED_DOCUMENTS);
    assert_int_equal(p->supported, 9);
    assert_int_equal(p->contexts, 9);
    assert_int_equal(p->survived_contexts, 4);
    assert_int_equal(p->lm_agreeing, 9);
    assert_int_equal(p->confirmed_contexts, 9);
    assert_true(p->shares_character);
    assert_int_equal(p->supported_documents, DAMAGED_DOCUMENTS);
    assert_int_equal(p->marked_documents, DAMAGED_DOCUMENTS);
    assert_int_equal(p->original_occurrences, 11); /* 发展 in the last two */
    assert_string_equal(p->fix_prev, "彻新,经济,长远,和谐");
    assert_string_equal(p->fix_next, "作为,取得,理念,目标");
    assert_string_equal(p->keep_prev, "");
    assert_int_equal(p->keep_example_count, 0);
    assert_int_equal(p->fix_example_count, 3);
    assert_string_equal(p->fix_examples[0], "把开展作为第一要务>把发展作为第一要务");
    assert_true(p->fix_example_count >= 1);
    for (size_t i = 0; i < p->fix_example_count; i++) {
        const char *arrow = strchr(p->fix_examples[i], '>');
        assert_non_null(arrow);
        assert_non_null(strstr(arrow, "发展"));
    }
    errata_learner_free(learner);
    errata_engine_free(engine);
}

static void a_clean_batch_yields_nothing(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn(engine, 0);
    assert_int_equal(confident_pairs(learner), 0);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Without a known pair the documents show no damage: the pair is still
   seen, but not with confidence. */
static void without_known_damage_nothing_is_confident(void **state)
{
    (void)state;
    errata_engine *engine = engine_with("errata-dict 1\n");
    errata_learner *learner = learn(engine, 1);
    assert_int_equal(confident_pairs(learner), 0);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

static void known_pairs_are_not_proposed(void **state)
{
    (void)state;
    errata_engine *engine = engine_with("errata-dict 1\n根底\t基础\tswap\tG\n开展\t发展\tswap\tC\n");
    errata_learner *learner = learn(engine, 1);
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++) {
        const errata_learned_pair *p = errata_learner_pair(learner, i);
        assert_false(strcmp(p->corrupted, "开展") == 0 && strcmp(p->original, "发展") == 0);
    }
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Nor the reverse of a known pair: a dictionary that says 发展 is what a
   swap makes of 开展 gets no 开展 -> 发展 from the batch (the two entries
   would undo each other), though the batch shows it (see
   the_swapped_pair_is_found_with_its_evidence). */
static void the_reverse_of_a_known_pair_is_not_proposed(void **state)
{
    (void)state;
    errata_engine *engine = engine_with("errata-dict 1\n根底\t基础\tswap\tG\tkeep-next=下\n"
                                        "发展\t开展\tswap\tC\n");
    errata_learner *learner = learn(engine, 1);
    assert_null(find_pair(learner, "开展", "发展"));
    errata_learner_free(learner);
    errata_engine_free(engine);
}

static void options_leave_out_weak_pairs(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learn_options opts = ERRATA_LEARN_OPTIONS_INIT;
    opts.min_docs = DOCUMENTS + 1;
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, &opts, &learner), ERRATA_OK);
    add_marker_batch(learner);
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    assert_int_equal(errata_learner_pair_count(learner), 0);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Learn from the four damaged documents (发展 made 开展), each read
   `copies` times, 基础 made 根底 in the first reading only. */
static errata_learner *learn_copies(const errata_engine *engine, size_t copies)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t copy = 0; copy < copies; copy++)
        for (size_t i = 0; i < DAMAGED_DOCUMENTS; i++) {
            char *text = read_document(i);
            replace_all(text, "发展", "开展");
            if (copy == 0)
                replace_all(text, "基础", "根底");
            assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
            free(text);
        }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* Learn from the six documents (each ending with endings[i] if endings is
   not NULL), original made swapped in the first `damaged` of them, and
   those added once more as copies of their texts, original made swapped
   there too or not (copy_swapped); 基础 made 根底 in all. */
static errata_learner *learn_with_copies(const errata_engine *engine,
                                         const char *const endings[DOCUMENTS],
                                         const char *original, const char *swapped,
                                         size_t damaged, int copy_swapped)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS + damaged; i++) {
        int copy = i >= DOCUMENTS;
        size_t doc = copy ? i - DOCUMENTS : i;
        char *text = read_document(doc);
        if (endings)
            strcat(text, endings[doc]);
        if (copy ? copy_swapped : doc < damaged)
            replace_all(text, original, swapped);
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* A text uploaded again with other damage is no new evidence: the four
   damaged documents, each added once more with 基础 left alone (so
   without known damage), support the pair in four documents, not eight,
   all four marked as damaged; its places, and the replacements the models
   expect there, are those of the four documents read once (the supported
   occurrences, 16, count both copies). */
static void near_copies_count_once(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *once = learn_copies(engine, 1);
    errata_learner *twice = learn_copies(engine, 2);
    const errata_learned_pair *o = find_pair(once, "开展", "发展");
    const errata_learned_pair *p = errata_learner_pair(twice, 0);
    assert_non_null(o);
    assert_non_null(p);
    assert_string_equal(p->corrupted, "开展");
    assert_string_equal(p->original, "发展");
    assert_int_equal(p->supported_documents, DAMAGED_DOCUMENTS);
    assert_int_equal(p->marked_documents, DAMAGED_DOCUMENTS);
    assert_int_equal(o->supported, 8);
    assert_int_equal(o->places, 8);
    assert_int_equal(p->supported, 16);
    assert_int_equal(p->places, 8);
    assert_true(p->expected == o->expected);
    errata_learner_free(once);
    errata_learner_free(twice);
    errata_engine_free(engine);
}

/* --min-count counts places: the pair's 16 supported occurrences in the
   two copies of each text are 8 places, short of a minimum of 9. */
static void min_count_counts_places(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learn_options opts = ERRATA_LEARN_OPTIONS_INIT;
    for (opts.min_count = 8; opts.min_count <= 9; opts.min_count++) {
        errata_learner *learner = NULL;
        assert_int_equal(errata_learner_new(engine, &opts, &learner), ERRATA_OK);
        for (size_t copy = 0; copy < 2; copy++)
            for (size_t i = 0; i < DAMAGED_DOCUMENTS; i++) {
                char *text = read_document(i);
                replace_all(text, "发展", "开展");
                replace_all(text, "基础", "根底");
                assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
                free(text);
            }
        assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
        assert_int_equal(find_pair(learner, "开展", "发展") != NULL, opts.min_count == 8);
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* A known pair with the wrong original (开展 -> 进行 everywhere) puts
   进行 where 发展 belongs; that is the dictionary's choice, not the damage
   of an unknown pair 进行 -> 发展, and it is not proposed. */
static void words_the_dictionary_wrote_are_not_judged(void **state)
{
    (void)state;
    errata_engine *engine = engine_with("errata-dict 1\n根底\t基础\tswap\tG\n"
                                        "开展\t进行\tswap\tG\n");
    errata_learner *learner = learn(engine, 1);
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++)
        assert_string_not_equal(errata_learner_pair(learner, i)->corrupted, "进行");
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* A swapped word sharing no character with the original is confident
   only when it stands in its place in enough texts: 成长 for 发展 in the
   four damaged documents is, in three of them it is not. */
static void an_unlike_pair_needs_more_documents(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    for (size_t swapped_in = DAMAGED_DOCUMENTS - 1; swapped_in <= DAMAGED_DOCUMENTS;
         swapped_in++) {
        errata_learner *learner = learn_swapped(engine, 1, "成长", swapped_in);
        const errata_learned_pair *p = find_pair(learner, "成长", "发展");
        assert_non_null(p);
        assert_false(p->shares_character);
        assert_int_equal(p->supported_documents, swapped_in);
        assert_true(p->dominance >= 0.95);
        assert_int_equal(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD,
                         swapped_in == DAMAGED_DOCUMENTS);
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* An unlike pair in three documents (an_unlike_pair_needs_more_documents
   wants four), whose texts have copies holding the original at its places:
   the copies show the swap directly (in all twelve contexts), and the pair
   is proposed (0.95; 0.57, the unlike pair's factor 0.6, without them). */
static void copies_vouch_for_an_unlike_pair(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner =
        learn_with_copies(engine, NULL, "发展", "成长", DAMAGED_DOCUMENTS - 1, 0);
    const errata_learned_pair *p = find_pair(learner, "成长", "发展");
    assert_non_null(p);
    assert_false(p->shares_character);
    assert_int_equal(p->supported_documents, DAMAGED_DOCUMENTS - 1);
    assert_int_equal(p->copied_contexts, 12);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* One regulation issued for two cities: the four documents name 丽水 where
   their copies (and the other two) name 湖州, in three contexts.  The
   copies differ there as a swap would leave them, but the trigram model
   prefers 湖州 in none of the contexts: two names of one kind, not a word
   and its near-synonym, and the copies do not vouch for the unlike pair
   (confidence 0.37; 0.61 if they did). */
static void copies_of_a_template_do_not_vouch_for_an_unlike_pair(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *endings[DOCUMENTS] = {
        "湖州市人民政府负责本条例的实施。湖州市养犬管理条例自公布之日起施行。",
        "湖州市人民代表大会常务委员会批准。湖州市城市管理部门负责。",
        "在湖州市行政区域内适用本规定。湖州市人民政府制定实施办法。",
        "湖州市人民政府应当加强领导。湖州市公安机关负责养犬登记。",
        "湖州市人民政府负责本条例的实施。", "湖州市城市管理部门负责。"};
    errata_learner *learner =
        learn_with_copies(engine, endings, "湖州", "丽水", DAMAGED_DOCUMENTS, 0);
    const errata_learned_pair *p = find_pair(learner, "丽水", "湖州");
    assert_non_null(p);
    assert_false(p->shares_character);
    assert_int_equal(p->copied_contexts, 3);
    assert_int_equal(p->lm_agreeing, 0);
    assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Learn from the six documents, 发展 made 成长 in the first four, 基础
   made 根底 in all, the last two (undamaged) ending with `ending`. */
static errata_learner *learn_unlike_with_ending(const errata_engine *engine, const char *ending)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        if (i < DAMAGED_DOCUMENTS)
            replace_all(text, "发展", "成长");
        else
            strcat(text, ending);
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* An unlike pair is trusted only where no other word the batch holds in
   X's contexts fills them nearly as well as Y (a word of the batch's own
   subject in a generic slot, 乡镇 in 各乡镇, has several: 单位, 部门).
   With the undamaged documents holding 工作 in two of 成长's contexts,
   工作 is expected in 0.23 of 发展's replacements (trusted: confidence
   0.80); in seven of them, 0.57 (more than half): the pair keeps the lower
   confidence of words sharing no character (0.48). */
static void an_unlike_pair_needs_a_clear_original(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *endings[] = {"把工作作为第一要务。工作中还存在不少困难。",
                             "把工作作为第一要务，经济社会工作取得明显成效。工作中还存在不少困难，"
                             "要明确工作目标，贯彻新工作理念，理清工作思路，坚持以学生工作为本。"};
    for (size_t k = 0; k < 2; k++) {
        errata_learner *learner = learn_unlike_with_ending(engine, endings[k]);
        const errata_learned_pair *p = find_pair(learner, "成长", "发展");
        assert_non_null(p);
        assert_false(p->shares_character);
        assert_int_equal(p->supported_documents, DAMAGED_DOCUMENTS);
        assert_true(p->dominance == 1.0);
        assert_true(k == 0 ? p->rival > 0.22 && p->rival < 0.23 : p->rival > 0.56 && p->rival < 0.58);
        assert_int_equal(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD, k == 0);
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* Learn from the six documents, 发展 made `swapped` in the first four and
   基础 made 根底 in all, the last two (undamaged: 发展 stands there 11
   times) read `readings` times. */
static errata_learner *learn_swapped_with_more_originals(const errata_engine *engine,
                                                         const char *swapped, size_t readings)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        if (i < DAMAGED_DOCUMENTS)
            replace_all(text, "发展", swapped);
        replace_all(text, "基础", "根底");
        for (size_t r = 0; r < (i < DAMAGED_DOCUMENTS ? 1 : readings); r++)
            assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

static errata_learner *learn_with_more_originals(const errata_engine *engine, size_t readings)
{
    return learn_swapped_with_more_originals(engine, "开展", readings);
}

/* A swap tool turns a good part of Y into X; a word that stands in a few
   of the places of a word the batch has many times is no such pair,
   however many times a big batch shows it.  With the undamaged documents
   read 7 times, 开展 stands in 9 places of 发展 against 77 of 发展 itself
   (9 / 86 = 0.105, above the 0.1 below which the confidence falls: 0.83);
   read 15 times, against 165 (9 / 174 = 0.052): it falls in proportion,
   below the threshold (0.41, which would be 0.79 without this). */
static void a_pair_needs_a_share_of_the_originals_places(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *some = learn_with_more_originals(engine, 7);
    errata_learner *many = learn_with_more_originals(engine, 15);
    const errata_learned_pair *p = find_pair(some, "开展", "发展");
    const errata_learned_pair *q = find_pair(many, "开展", "发展");
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal(p->supported, 9);
    assert_int_equal(q->supported, 9);
    assert_int_equal(p->original_occurrences, 77);
    assert_int_equal(q->original_occurrences, 165);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    assert_true(q->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(some);
    errata_learner_free(many);
    errata_engine_free(engine);
}

/* An unlike pair is trusted only where X took a good part of Y's places
   (a swap tool replaces most of a word, a writer varies a few of its
   uses: 不足 for 问题, 理念 for 要求).  成长 stands in 12 places of 发展
   that count: with the undamaged documents read 4 times the batch has
   发展 44 times (12 / 56 = 0.21, trusted); read 5 times, 55 (12 / 67 =
   0.18): the pair keeps the lower confidence of words sharing no
   character. */
static void an_unlike_pair_needs_a_fifth_of_the_places(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    for (size_t readings = 4; readings <= 5; readings++) {
        errata_learner *learner = learn_swapped_with_more_originals(engine, "成长", readings);
        const errata_learned_pair *p = find_pair(learner, "成长", "发展");
        assert_non_null(p);
        assert_int_equal(p->supported, 12);
        assert_int_equal(p->original_occurrences, 11 * readings);
        assert_int_equal(p->supported_documents, DAMAGED_DOCUMENTS);
        assert_true(p->dominance >= 0.95);
        assert_int_equal(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD, readings == 4);
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* Learn from the six documents damaged as by learn(), each damaged one
   ending with `phrases` times the sentence phrase. */
static errata_learner *learn_with_phrase(const errata_engine *engine, const char *phrase,
                                         size_t phrases)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        if (i < DAMAGED_DOCUMENTS) {
            replace_all(text, "发展", "开展");
            for (size_t k = 0; k < phrases; k++)
                strcat(text, phrase);
        }
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* Most of a pair's places between the same two neighbours are one phrase
   (a heading run into the next line, repeated in every law of a batch),
   not a swap table at work.  With the phrase 6 times in each damaged
   document, 25 of the pair's 33 places are 新开展理 (0.76: learnt); 10
   times, 41 of 49 (0.84, more than 0.8: not learnt). */
static void a_pair_in_one_phrase_is_not_learnt(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    for (size_t phrases = 6; phrases <= 10; phrases += 4) {
        errata_learner *learner = learn_with_phrase(engine, "贯彻新开展理念。", phrases);
        const errata_learned_pair *p = find_pair(learner, "开展", "发展");
        if (phrases == 6) {
            assert_non_null(p);
            assert_int_equal(p->supported, 33);
            assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
        } else {
            assert_null(p);
        }
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* Learn from the six documents damaged as by learn(), each damaged one
   ending with the sentence 全体同志开展学习。 six times: there 开展 is
   legitimate, but clean text lacks it between 志 and 学, and 或者 fills
   that context best (24 places, 19 of them by the models' shares), far
   more than 发展 fills the nine places the swap took (7.8).  The batch
   never holds 或者 there, and such a generic filler of a word's
   legitimate uses says nothing against the original of its swapped
   places: 发展 is the best rival that counts, dominance 1 (0.41 against
   the best filler of all, confidence 0.56, not learnt). */
static void a_rival_the_batch_does_not_hold_does_not_count(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_with_phrase(engine, "全体同志开展学习。", 6);
    const errata_learned_pair *p = find_pair(learner, "开展", "发展");
    assert_non_null(p);
    assert_int_equal(p->occurrences, 41);
    assert_int_equal(p->supported, 9);
    assert_int_equal(p->survived_contexts, 4);
    assert_true(p->dominance == 1.0);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Learn from the six documents, 基础 made 根底 in all, each ending with
   its sentence of endings; in the first four `original` made `swapped`. */
static errata_learner *learn_with_endings(const errata_engine *engine,
                                          const char *const endings[DOCUMENTS],
                                          const char *original, const char *swapped)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DOCUMENTS; i++) {
        char *text = read_document(i);
        strcat(text, endings[i]);
        if (i < DAMAGED_DOCUMENTS)
            replace_all(text, original, swapped);
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* The trigram model prefers 回忆 to 回顾 in all three contexts of the
   swapped 回忆 (回忆一年来, 回忆过去, 认真回忆半年来); where the two
   undamaged documents hold 回顾 in them, the batch confirms the contexts
   instead, and the pair is learnt (confidence 0.66; 0.29 with the trigram
   model's word alone).  学习, which the models prefer in two of the
   contexts, has 回顾 as its rival: the batch holds 回顾 in three of
   回忆's contexts, expected in 4 places against 学习's 3 (dominance
   0.75). */
static void the_batch_confirms_what_the_word_model_doubts(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *held[DOCUMENTS] = {
        "回顾一年来的工作，成绩来之不易。", "回顾过去五年，我们深受鼓舞。",
        "认真回顾半年来的工作。", "回顾一年来的工作，我们倍感振奋。",
        "回顾一年来的工作，认真回顾半年来的工作。", "回顾过去五年，倍感振奋。"};
    errata_learner *learner = learn_with_endings(engine, held, "回顾", "回忆");
    const errata_learned_pair *p = find_pair(learner, "回忆", "回顾");
    assert_non_null(p);
    assert_int_equal(p->contexts, 3);
    assert_int_equal(p->lm_agreeing, 0);
    assert_int_equal(p->survived_contexts, 3);
    assert_int_equal(p->confirmed_contexts, 3);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    const errata_learned_pair *q = find_pair(learner, "回忆", "学习");
    assert_non_null(q);
    assert_int_equal(q->survived_contexts, 0);
    assert_true(q->dominance > 0.749 && q->dominance < 0.751);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* The batch of the_batch_confirms_what_the_word_model_doubts with the four
   damaged documents added once more, each a copy of its text: where the
   copies hold 回忆 in the same places too (copy_swapped), the 回顾 that the
   batch holds between the same neighbours comes only from other texts, the
   way a writer's own wording does, and the pair loses the survival
   evidence; where the copies hold 回顾 there, the three contexts are
   copied and count. */
static void copies_of_a_text_decide_the_survival(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *held[DOCUMENTS] = {
        "回顾一年来的工作，成绩来之不易。", "回顾过去五年，我们深受鼓舞。",
        "认真回顾半年来的工作。", "回顾一年来的工作，我们倍感振奋。",
        "回顾一年来的工作，认真回顾半年来的工作。", "回顾过去五年，倍感振奋。"};
    for (int copy_swapped = 0; copy_swapped <= 1; copy_swapped++) {
        errata_learner *learner =
            learn_with_copies(engine, held, "回顾", "回忆", DAMAGED_DOCUMENTS, copy_swapped);
        const errata_learned_pair *p = find_pair(learner, "回忆", "回顾");
        assert_non_null(p);
        assert_int_equal(p->survived_contexts, 3);
        assert_int_equal(p->copied_contexts, copy_swapped ? 0 : 3);
        assert_int_equal(p->contradicted_contexts, copy_swapped ? 3 : 0);
        /* 0.59 and 0.069; 0.23 with three contexts of survival */
        if (copy_swapped)
            assert_true(p->confidence > 0.068 && p->confidence < 0.070);
        else
            assert_true(p->confidence > 0.589 && p->confidence < 0.591);
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* The same swap, but where each of 回忆's places has a neighbour beside
   which clean text never has 回顾 (回顾桌椅, 回顾瓜果, 回顾砖瓦): though
   the batch holds 回顾 there, nothing shows a collocation of 回顾 that a
   swap table could have hit, and the pair is not learnt (the batch holds
   回顾 in three of its contexts: too few to stand in for a collocation, see
   the_batch_stands_in_for_a_collocation). */
static void a_pair_needs_a_collocation_of_the_original(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *held[DOCUMENTS] = {
        "回顾桌椅的工作。", "回顾瓜果五年。", "认真回顾砖瓦的工作。", "回顾桌椅的工作。",
        "回顾桌椅的工作，认真回顾砖瓦的工作。", "回顾瓜果五年。"};
    errata_learner *learner = learn_with_endings(engine, held, "回顾", "回忆");
    assert_null(find_pair(learner, "回忆", "回顾"));
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* The batch of a_pair_needs_a_collocation_of_the_original, with copies of
   the four damaged texts that hold 回顾 where those hold 回忆: copies of
   one text that differ at three places stand in for a collocation, and
   the pair is proposed. */
static void copies_stand_in_for_a_collocation(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *held[DOCUMENTS] = {
        "回顾桌椅的工作。", "回顾瓜果五年。", "认真回顾砖瓦的工作。", "回顾桌椅的工作。",
        "回顾桌椅的工作，认真回顾砖瓦的工作。", "回顾瓜果五年。"};
    errata_learner *learner =
        learn_with_copies(engine, held, "回顾", "回忆", DAMAGED_DOCUMENTS, 0);
    const errata_learned_pair *p = find_pair(learner, "回忆", "回顾");
    assert_non_null(p);
    assert_int_equal(p->copied_contexts, 3);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Every context of a word proposes fillers, not only its most frequent
   ones: a seventh document puts 开展 four times each between sixteen pairs
   of two-character sides made of 甲乙丙丁午未申酉 (甲乙开展甲丙, ...: wording clean text
   never has around any word, more frequent than the 开展 of the damaged
   documents, so these are the contexts that rank the fillers), and 发展
   is still found from the damaged documents' own contexts (with fillers
   from the 16 most frequent contexts only, nothing proposes it). */
static void fillers_come_from_every_context(void **state)
{
    (void)state;
    static const char characters[] = "甲乙丙丁午未申酉";
    char extra[4096] = "", pair[2][8];
    size_t made = 0;
    for (size_t a = 0; a < 8 && made < 32; a++)
        for (size_t b = 0; b < 8 && made < 32; b++) {
            if (a == b)
                continue;
            snprintf(pair[made % 2], sizeof pair[0], "%.3s%.3s", characters + 3 * a,
                     characters + 3 * b);
            if (made++ % 2)
                for (size_t k = 0; k < 4; k++)
                    snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
                             "%s开展%s。", pair[0], pair[1]);
        }
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    add_marker_batch(learner);
    assert_int_equal(errata_learner_add(learner, extra, strlen(extra)), ERRATA_OK);
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    assert_non_null(find_pair(learner, "开展", "发展"));
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* The batch stands in for clean text's collocation: 回顾 made 回忆 in
   five contexts clean text lacks 回顾 in on either side (认真回顾砖瓦,
   重新回顾桌椅, 再次回顾瓜果, 仔细回顾笔墨, 全面回顾琴棋), which vary on
   both sides and which the two undamaged documents hold with 回顾:
   回忆 -> 回顾 is learnt (three such contexts are not enough, see
   a_pair_needs_a_collocation_of_the_original). */
static void the_batch_stands_in_for_a_collocation(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *held[DOCUMENTS] = {
        "认真回顾砖瓦的工作。", "重新回顾桌椅的工作。", "再次回顾瓜果五年。",
        "仔细回顾笔墨纸张，全面回顾琴棋书画。", "认真回顾砖瓦的工作，重新回顾桌椅的工作。",
        "再次回顾瓜果五年，仔细回顾笔墨纸张，全面回顾琴棋书画。"};
    errata_learner *learner = learn_with_endings(engine, held, "回顾", "回忆");
    const errata_learned_pair *p = find_pair(learner, "回忆", "回顾");
    assert_non_null(p);
    assert_int_equal(p->survived_contexts, 5);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* The six documents with 情况 made 状况 in the first four, and endings
   where 情况 follows 执行 and 运行 (执行状况, 运行状况 after the swap):
   状况 -> 情况 is learnt (8 places), and the window 行状, a word of the
   trigram model, is a misfit at every 执行状况 and 运行状况, where 行情
   fits (执行情况).  That pair repairs nothing 状况 -> 情况 does not: it
   is left out (learnt with confidence 0.86 without the rule). */
static void a_window_straddling_a_learnt_pair_is_not_learnt(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    const char *endings[DOCUMENTS] = {
        "检查计划执行情况，掌握设备运行情况，现将有关情况报告如下。",
        "通报预算执行情况和设备运行情况，及时反映情况。",
        "报告制度执行情况，结合本地情况。",
        "了解项目执行情况，检查运行情况，现将有关情况报告如下。",
        "检查计划执行情况，及时反映情况。", "通报预算执行情况，结合本地情况。"};
    errata_learner *learner = learn_with_endings(engine, endings, "情况", "状况");
    const errata_learned_pair *p = find_pair(learner, "状况", "情况");
    assert_non_null(p);
    assert_int_equal(p->places, 8);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    assert_null(find_pair(learner, "行状", "行情"));
    errata_learner_free(learner);
    errata_engine_free(engine);
}

#define OTHER_COPIES 2

/* Learn from the six documents damaged as by learn(), and copies of the
   first two texts damaged another way: 发展 made 进展 (基础 made 根底).
   With clean_copies, the two texts are added once more, 基础 made 根底
   only. */
static errata_learner *learn_two_damages(const errata_engine *engine, int clean_copies)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    add_marker_batch(learner);
    for (size_t i = 0; i < (clean_copies ? 2 : 1) * OTHER_COPIES; i++) {
        char *text = read_document(i % OTHER_COPIES);
        if (i < OTHER_COPIES)
            replace_all(text, "发展", "进展");
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

static void assert_pair(const errata_learned_pair *p, const char *corrupted,
                        const char *original)
{
    assert_non_null(p);
    assert_string_equal(p->corrupted, corrupted);
    assert_string_equal(p->original, original);
}

/* Two copies of a text, each damaged its own way, make 进展 stand where
   the other copy has 开展: 进展 -> 开展 is a pair of two damaged forms of
   发展.  With clean copies of the texts vouching for 开展 -> 发展 (0.94)
   and 进展 -> 发展 (0.94), 进展 -> 开展 is not proposed at all (before the
   synonymy of 进展 and 发展 weighed the fillers, it came at 0.77 and
   chained_pair() left it out).  Without the clean copies, the copies
   holding 进展 contradict 开展 -> 发展 (0.37) and vouch for 进展 -> 开展
   (0.81), the more confident pair, which chained_pair() keeps.  No batch
   of these documents makes chained_pair() decide any more (see the
   twelfth session's note); the test pins the two outcomes. */
static void copies_damaged_two_ways_vouch_for_their_pairs(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_two_damages(engine, 1);
    assert_int_equal(errata_learner_pair_count(learner), 2);
    assert_pair(errata_learner_pair(learner, 0), "进展", "发展");
    assert_pair(errata_learner_pair(learner, 1), "开展", "发展");
    assert_int_equal(confident_pairs(learner), 2);
    errata_learner_free(learner);
    learner = learn_two_damages(engine, 0);
    assert_int_equal(errata_learner_pair_count(learner), 3);
    assert_pair(errata_learner_pair(learner, 0), "进展", "开展");
    assert_pair(errata_learner_pair(learner, 1), "进展", "发展");
    assert_pair(errata_learner_pair(learner, 2), "开展", "发展");
    assert_int_equal(confident_pairs(learner), 1);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Every 发展 made 开展 and every 基础 made 根底, arg (a string) appended
   to each document. */
static void swap_all_appending(size_t i, char *text, const void *arg)
{
    (void)i;
    strcat(text, arg);
    replace_all(text, "发展", "开展");
    replace_all(text, "基础", "根底");
}

/* A swap table that replaces every 发展 of the batch leaves none beside
   开展: its absence from the documents stands in for its survival (see
   absence_evidence in lib/learn.c), unless those documents hold a form the
   dictionaries restore 发展 from, left where clean text has 发展, whose
   damage may have taken it. */
static void an_absent_original_stands_in_for_its_survival(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_swapped(engine, 1, "开展", DOCUMENTS);
    const errata_learned_pair *p = find_pair(learner, "开展", "发展");
    assert_non_null(p);
    assert_int_equal(errata_learner_pair_count(learner), 1);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    assert_int_equal(p->survived_contexts, 0);
    assert_true(p->original_absence == 1.0);
    assert_int_equal(p->original_occurrences, 0);
    assert_false(p->original_restored);
    assert_true(p->substitutability > 0.2 && p->substitutability < 0.25);
    errata_learner_free(learner);
    errata_engine_free(engine);
    /* A known form of 发展 left where clean text has 发展 (进展 in 科学进展观,
       kept by the entry's rule) in 开展's documents may be why they lack 发展;
       the known pair alone is no such reason, nor is 进展 in a place of its
       own (取得新进展). */
    engine = engine_with("errata-dict 1\n根底\t基础\tswap\tG\tkeep-next=下\n"
                         "进展\t发展\tswap\tC\tkeep-next=观\n");
    learner = learn_edited(engine, NULL, swap_all_appending, "坚持科学进展观。");
    p = find_pair(learner, "开展", "发展");
    assert_non_null(p);
    assert_true(p->original_restored);
    assert_true(p->original_absence == 1.0);
    assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    static const char *const no_reason[] = {"", "项目建设取得新进展。"};
    for (size_t k = 0; k < 2; k++) {
        learner = learn_edited(engine, NULL, swap_all_appending, no_reason[k]);
        p = find_pair(learner, "开展", "发展");
        assert_non_null(p);
        assert_false(p->original_restored);
        assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
        errata_learner_free(learner);
    }
    errata_engine_free(engine);
}

/* 发展 that the repair wrote (社区进展 -> 社区发展, a known pair) is no 发展
   of the documents' own: their 开展 still stands where every 发展 was
   replaced, and 发展's absence counts. */
static void an_original_the_repair_wrote_is_no_survival(void **state)
{
    (void)state;
    errata_engine *engine = engine_with("errata-dict 1\n根底\t基础\tswap\tG\tkeep-next=下\n"
                                        "进展\t发展\tswap\tC\tfix-prev=社区\n");
    errata_learner *learner = learn_edited(engine, NULL, swap_all_appending, "推动社区进展。");
    const errata_learned_pair *p = find_pair(learner, "开展", "发展");
    assert_non_null(p);
    assert_false(p->original_restored);
    assert_true(p->original_absence == 1.0);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Every 发展 of the batch replaced, most by 开展 and those after 全面, 和谐,
   长远 and 质量 by 成长. */
static void replace_two_ways(size_t i, char *text, const void *arg)
{
    (void)i;
    (void)arg;
    static const char *const took[] = {"全面发展", "和谐发展", "长远发展", "质量发展"};
    for (size_t k = 0; k < sizeof took / sizeof *took; k++) {
        char with[32];
        snprintf(with, sizeof with, "%.6s成长", took[k]);
        replace_all(text, took[k], with);
    }
    replace_all(text, "发展", "开展");
    replace_all(text, "基础", "根底");
}

static errata_learner *learn_two_replacements(const errata_engine *engine)
{
    return learn_edited(engine, NULL, replace_two_ways, NULL);
}

/* 开展 took 13 of an absent 发展's places, 成长 4: 成长 gets 4 / 13 of the
   absence evidence (0.08; 0.27 with all of it), 开展 all of it. */
static void an_absent_original_goes_to_the_word_that_took_its_places(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_two_replacements(engine);
    const errata_learned_pair *most = find_pair(learner, "开展", "发展");
    const errata_learned_pair *few = find_pair(learner, "成长", "发展");
    assert_non_null(most);
    assert_non_null(few);
    assert_int_equal(most->supported, 13);
    assert_int_equal(few->supported, 4);
    assert_true(most->original_absence == 1.0 && few->original_absence == 1.0);
    assert_true(most->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    assert_true(few->confidence > 0.07 && few->confidence < 0.09);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* 发展 made 开展 and arg (a string) appended in the first four documents,
   every 基础 made 根底. */
static void append_to_damaged(size_t i, char *text, const void *arg)
{
    if (i < DAMAGED_DOCUMENTS) {
        strcat(text, arg);
        replace_all(text, "发展", "开展");
    }
    replace_all(text, "基础", "根底");
}

static errata_learner *learn_with_appended(const errata_engine *engine, const char *appended)
{
    return learn_edited(engine, NULL, append_to_damaged, appended);
}

/* A sentence on food safety added to each document, every 食品安全 of the
   first four made 食物平安 (two swaps side by side), every 基础 made
   根底. */
static void damage_neighbours_together(size_t i, char *text, const void *arg)
{
    (void)arg;
    strcat(text, "加强食品安全监管，落实食品安全责任，做好食品安全宣传。");
    if (i < DAMAGED_DOCUMENTS)
        replace_all(text, "食品安全", "食物平安");
    replace_all(text, "基础", "根底");
}

/* Where the dictionary knows 平安 (and leaves it after 食物, as a repair
   leaves a known form it cannot judge beside a damaged neighbour), 食物
   is judged with 安全 after it, and its rule and examples are written for
   the text as it is; where it does not, nothing fits 食物's places. */
static void a_known_form_beside_the_word_reads_as_its_original(void **state)
{
    (void)state;
    errata_engine *engine = engine_with("errata-dict 1\n根底\t基础\tswap\tG\tkeep-next=下\n"
                                        "平安\t安全\tswap\tC\tkeep-prev=食物\n");
    errata_learner *learner = learn_edited(engine, NULL, damage_neighbours_together, NULL);
    const errata_learned_pair *p = find_pair(learner, "食物", "食品");
    assert_non_null(p);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    assert_int_equal(p->supported, 12);
    assert_string_equal(p->fix_next, "安全,平安");
    assert_string_equal(p->fix_examples[0], "加强食物平安监管>加强食品安全监管");
    errata_learner_free(learner);
    errata_engine_free(engine);
    engine = engine_with(marker_dictionary);
    learner = learn_edited(engine, NULL, damage_neighbours_together, NULL);
    assert_null(find_pair(learner, "食物", "食品"));
    assert_int_equal(confident_pairs(learner), 0);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* A document whose known forms the repair leaves (the dictionaries here
   keep them all) still shows known damage when enough of them stand where
   clean text has their original and never the form (根底设施, 根底工作,
   根底教育), or the form at most a hundredth as often (运营活动 9 times
   against 经营活动's 1,998; 运营许可, 运营场所). */
static void known_forms_the_repair_leaves_mark_a_document(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"errata-dict 1\n根底\t基础\tswap\tG\tkeep-next=设,工,教,，\n",
         "加强根底设施、根底工作和根底教育。"},
        {"errata-dict 1\n运营\t经营\tswap\tC\tkeep-next=活动,许可,场所\n",
         "规范运营活动、运营许可和运营场所。"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        errata_engine *engine = engine_with(cases[k][0]);
        errata_learner *learner = learn_with_appended(engine, cases[k][1]);
        const errata_learned_pair *p = find_pair(learner, "开展", "发展");
        assert_non_null(p);
        assert_int_equal(p->supported_documents, DAMAGED_DOCUMENTS);
        assert_int_equal(p->marked_documents, DAMAGED_DOCUMENTS);
        assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
        errata_learner_free(learner);
        errata_engine_free(engine);
        /* Where the form is no known one, the documents show no damage. */
        engine = engine_with("errata-dict 1\n");
        learner = learn_with_appended(engine, cases[k][1]);
        p = find_pair(learner, "开展", "发展");
        assert_non_null(p);
        assert_int_equal(p->marked_documents, 0);
        assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
        errata_learner_free(learner);
        errata_engine_free(engine);
    }
}

/* The first four documents with every 发展 made 开展 (and in_damaged
   appended to the first), and four short texts of others on development
   that hold 发展 in other contexts. */
static errata_learner *learn_split_batch(const errata_engine *engine, const char *in_damaged)
{
    static const char *const others[] = {
        "推动高质量发展，促进城乡协调发展，实现经济社会持续健康发展。",
        "坚持创新发展，推进绿色发展，扩大开放发展，实现共享发展。",
        "统筹区域发展，加快农业发展，支持民营经济发展，保障改革发展稳定。",
        "着力推动发展方式转变，增强发展动力，拓展发展空间，提高发展质量。",
    };
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < DAMAGED_DOCUMENTS; i++) {
        char *text = read_document(i);
        replace_all(text, "发展", "开展");
        replace_all(text, "基础", "根底");
        if (i == 0)
            strcat(text, in_damaged);
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
        free(text);
    }
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        assert_int_equal(errata_learner_add(learner, others[i], strlen(others[i])), ERRATA_OK);
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* A spinner's documents beside untouched ones: 开展 in four of them, none
   holding 发展, and 发展 in four others.  The batch holds 发展 nowhere
   beside 开展, and hardly more 开展 against 发展 than general text; the
   documents splitting between the two stand in (see split_documents in
   lib/learn.c).  One 发展 in a document of 开展 and they do not. */
static void documents_split_between_the_words_stand_in_for_their_ratio(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_split_batch(engine, "");
    const errata_learned_pair *p = find_pair(learner, "开展", "发展");
    assert_non_null(p);
    assert_int_equal(p->survived_contexts, 0);
    assert_int_equal(p->original_documents, 4);
    assert_true(p->original_absence == 1.0);
    assert_true(p->inflation < 10);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    learner = learn_split_batch(engine, "促进发展。");
    p = find_pair(learner, "开展", "发展");
    assert_non_null(p);
    assert_int_equal(p->original_documents, 5);
    assert_true(p->original_absence == 0.75);
    assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Years of one decade appended to the first four documents and of another
   to the other two (every 基础 made 根底). */
static void append_years(size_t i, char *text, const void *arg)
{
    (void)arg;
    replace_all(text, "基础", "根底");
    strcat(text, i < DAMAGED_DOCUMENTS
                     ? "本规定自一九五七年六月一日起施行，一九五九年发布的规定同时废止。"
                     : "本规定自一九九七年六月一日起施行，一九九九年发布的规定同时废止。");
}

/* 九五 stands where clean text and the batch have 九九 (一九五七年,
   一九九七年), but a number is no swap, whatever the evidence (here every
   candidate is listed). */
static void numbers_are_not_learnt(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learn_options opts = ERRATA_LEARN_OPTIONS_INIT;
    opts.min_count = 1;
    opts.min_docs = 1;
    opts.min_confidence = 0;
    errata_learner *learner = learn_edited(engine, &opts, append_years, NULL);
    assert_true(errata_learner_pair_count(learner) > 0);
    assert_null(find_pair(learner, "九五", "九九"));
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Fifteen short reports on capacity building, clean (add_report damages
   them). */
static const char *const capacity_reports[] = {
    "本市将加强基层队伍建设，提高干部的履职能力，夯实基础工作，增强应急处置能力。",
    "学校坚持以学生为本，注重培养学生的创新能力和实践能力，打牢学科基础。",
    "企业要加大研发投入，提升自主创新能力，巩固产业基础，增强市场竞争能力。",
    "我们要提高服务能力，改进工作作风，把基础台账建立起来，切实增强执行能力。",
    "各部门要增强风险防范能力，完善基础设施，提高科学决策能力。",
    "卫生院着力提升医疗服务能力，加强基础医疗，提高疾病防控能力。",
    "社区加强网格员培训，提高联系群众的能力，完善基础信息，增强调解纠纷能力。",
    "农业部门推进高标准农田建设，提高粮食综合生产能力，强化农业基础，增强防灾减灾能力。",
    "要加强财政管理，提高预算执行能力，夯实财务基础，增强资金监管能力。",
    "教师队伍建设要注重提高教师的教学能力，加强基础教育，提升科研能力。",
    "公安机关要提升打击犯罪能力，加强基础工作，提高维护稳定能力。",
    "交通部门要提高道路运输保障能力，完善基础设施网络，增强应急运输能力。",
    "环保部门要提高环境监测能力，加强基础数据管理，增强污染治理能力。",
    "文化馆要提升公共文化服务能力，完善基础设施，增强文艺创作能力。",
    "水利部门要提高防汛抗旱能力，加强水利基础设施建设，增强供水保障能力。",
};

/* Five reports that use 能力 elsewhere than the capacity reports do. */
static const char *const other_capacity_uses[] = {
    "我们将适时开展能力评估工作，打牢工作基础。",
    "各单位要把能力作风建设摆在突出位置。",
    "这次培训重在能力素质的全面提升。",
    "年底前组织开展干部能力测评。",
    "要建立健全能力考核机制，夯实管理基础。",
};

/* Add text to learner, damaged (every 能力 made 才能, every 基础 made 根底)
   or not. */
static void add_report(errata_learner *learner, const char *report, int damaged)
{
    char text[512];
    snprintf(text, sizeof text, "%s", report);
    if (damaged) {
        replace_all(text, "能力", "才能");
        replace_all(text, "基础", "根底");
    }
    assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
}

/* Learn from the first `damaged` capacity reports, damaged, and the first
   `untouched` other uses, as they are. */
static errata_learner *learn_capacity_reports(const errata_engine *engine, size_t damaged,
                                              size_t untouched)
{
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < damaged; i++)
        add_report(learner, capacity_reports[i], 1);
    for (size_t i = 0; i < untouched; i++)
        add_report(learner, other_capacity_uses[i], 0);
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    return learner;
}

/* General text uses 才能 unlike 能力 (synonymy 0.09), so 能力's absence
   counts for the pair only where 才能 stands in its places in ten documents
   at least (here 12 of the 15 reports; 8 of the first 11). */
static void an_absent_original_counts_for_an_unlike_word_in_many_documents(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    size_t all = sizeof capacity_reports / sizeof *capacity_reports;
    errata_learner *learner = learn_capacity_reports(engine, all, 0);
    const errata_learned_pair *p = find_pair(learner, "才能", "能力");
    assert_non_null(p);
    assert_true(p->substitutability < 0.1);
    assert_int_equal(p->supported_documents, 12);
    assert_true(p->original_absence == 1.0);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    learner = learn_capacity_reports(engine, 11, 0);
    p = find_pair(learner, "才能", "能力");
    assert_non_null(p);
    assert_int_equal(p->supported_documents, 8);
    assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Five capacity reports damaged beside untouched ones: 才能's documents hold
   no 能力, others do, and the batch holds 才能 far more often against 能力
   than general text; the split counts for the pair, though general text
   uses the two apart, once four documents stand on each side. */
static void a_split_batch_counts_for_words_general_text_uses_apart(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_capacity_reports(engine, 5, 5);
    const errata_learned_pair *p = find_pair(learner, "才能", "能力");
    assert_non_null(p);
    assert_true(p->substitutability < 0.1);
    assert_int_equal(p->supported_documents, 4);
    assert_int_equal(p->original_documents, 5);
    assert_int_equal(p->survived_contexts, 0);
    assert_true(p->original_absence == 1.0 && p->inflation > 1);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    learner = learn_capacity_reports(engine, 5, 3);
    p = find_pair(learner, "才能", "能力");
    assert_non_null(p);
    assert_int_equal(p->original_documents, 3);
    assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* A machine spinner writes strings that are no words (沉点 for 重点): every
   发展 of the batch made 成展, which clean text never holds, is learnt from
   发展's absence, as a word standing in all its places would be. */
static void a_form_clean_text_never_holds_is_learnt(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = learn_swapped(engine, 1, "成展", DOCUMENTS);
    const errata_learned_pair *p = find_pair(learner, "成展", "发展");
    assert_non_null(p);
    assert_int_equal(p->clean_form_count, 0);
    assert_true(p->substitutability == 0);
    assert_int_equal(p->survived_contexts, 0);
    assert_true(p->original_absence == 1.0 && p->inflation > 100);
    assert_true(p->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

/* Seven reports of our own, each with 基础 (the marker dictionary's known
   pair) and with 在 in several places. */
static const char *const town_reports[] = {
    "镇政府在年初召开全体干部大会，在会上部署全年工作。目前全镇还存在基础设施薄弱的问题，"
    "我们将在三月底前完成排查，旨在消除隐患。",
    "学校在新学期开学前组织教师培训，在培训中强调师德建设。当前教学工作中存在的问题主要在"
    "基础环节，学校将在期末前加以解决。",
    "社区在国庆节前开展环境整治，在主要街道设置宣传栏。居民反映的问题集中在基础设施方面，"
    "社区将在一个月内整改到位。",
    "企业在上半年加大研发投入，在关键技术上取得突破。企业发展中存在的短板在于基础研究不足，"
    "企业将在明年设立研究中心。",
    "卫生院在春季开展义诊活动，在各村设立服务点。目前医疗服务中存在基础设备不足的困难，"
    "卫生院将在年内更新设备。",
    "农业部门在播种前组织技术人员下乡，在田间地头指导生产。当前农业生产中存在基础设施老化"
    "的问题，部门将在秋收后集中维修。",
    "交通部门在节日期间加强道路巡查，在重点路段增派人员。道路运输中存在的隐患主要在基础设施，"
    "部门将在年底前完成改造。",
};

/* A spinner wrote every 在 of the reports as 正在 (存正在, 旨正在, 正在会上):
   或者 fits a few of those places better than 正在, but 在 alone reads better
   still in most of them, so 正在>或者 is not learnt; 进行, which reads better
   than 在 in two of its four contexts, is left to the confidence. */
static void a_character_written_out_as_two_is_not_paired(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    for (size_t i = 0; i < sizeof town_reports / sizeof *town_reports; i++) {
        char text[1024] = "";
        for (const char *p = town_reports[i]; *p;)
            if (strncmp(p, "在", 3) == 0) {
                strcat(text, "正在");
                p += 3;
            } else {
                strncat(text, p++, 1);
            }
        replace_all(text, "基础", "根底");
        assert_int_equal(errata_learner_add(learner, text, strlen(text)), ERRATA_OK);
    }
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    assert_null(find_pair(learner, "正在", "或者"));
    const errata_learned_pair *p = find_pair(learner, "正在", "进行");
    assert_non_null(p);
    assert_int_equal(p->contexts, 4);
    assert_true(p->confidence < ERRATA_LEARN_DEFAULT_THRESHOLD);
    assert_int_equal(errata_learner_pair_count(learner), 1);
    errata_learner_free(learner);
    errata_engine_free(engine);
}

static void bad_arguments_and_input(void **state)
{
    (void)state;
    errata_engine *engine = engine_with(marker_dictionary);
    errata_learner *learner = NULL;
    assert_int_equal(errata_learner_new(NULL, NULL, &learner), ERRATA_EINVAL);
    assert_null(learner);
    assert_int_equal(errata_learner_new(engine, NULL, &learner), ERRATA_OK);
    assert_int_equal(errata_learner_add(learner, "\xff\xfe", 2), ERRATA_EENCODING);
    assert_int_equal(errata_learner_add(learner, "", 0), ERRATA_OK);
    assert_int_equal(errata_learner_finish(learner), ERRATA_OK);
    assert_int_equal(errata_learner_add(learner, "发展", strlen("发展")), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "errata_learner_add: the learner is finished");
    assert_null(errata_learner_pair(learner, 0));
    errata_learner_free(learner);
    errata_learner_free(NULL);
    errata_engine_free(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_swapped_pair_is_found_with_its_evidence),
        cmocka_unit_test(a_clean_batch_yields_nothing),
        cmocka_unit_test(without_known_damage_nothing_is_confident),
        cmocka_unit_test(known_pairs_are_not_proposed),
        cmocka_unit_test(options_leave_out_weak_pairs),
        cmocka_unit_test(near_copies_count_once),
        cmocka_unit_test(min_count_counts_places),
        cmocka_unit_test(words_the_dictionary_wrote_are_not_judged),
        cmocka_unit_test(an_unlike_pair_needs_a_fifth_of_the_places),
        cmocka_unit_test(the_reverse_of_a_known_pair_is_not_proposed),
        cmocka_unit_test(an_unlike_pair_needs_more_documents),
        cmocka_unit_test(copies_vouch_for_an_unlike_pair),
        cmocka_unit_test(copies_of_a_template_do_not_vouch_for_an_unlike_pair),
        cmocka_unit_test(an_unlike_pair_needs_a_clear_original),
        cmocka_unit_test(a_pair_needs_a_share_of_the_originals_places),
        cmocka_unit_test(a_pair_in_one_phrase_is_not_learnt),
        cmocka_unit_test(a_rival_the_batch_does_not_hold_does_not_count),
        cmocka_unit_test(the_batch_confirms_what_the_word_model_doubts),
        cmocka_unit_test(copies_of_a_text_decide_the_survival),
        cmocka_unit_test(a_pair_needs_a_collocation_of_the_original),
        cmocka_unit_test(copies_stand_in_for_a_collocation),
        cmocka_unit_test(fillers_come_from_every_context),
        cmocka_unit_test(the_batch_stands_in_for_a_collocation),
        cmocka_unit_test(a_window_straddling_a_learnt_pair_is_not_learnt),
        cmocka_unit_test(copies_damaged_two_ways_vouch_for_their_pairs),
        cmocka_unit_test(an_absent_original_stands_in_for_its_survival),
        cmocka_unit_test(an_original_the_repair_wrote_is_no_survival),
        cmocka_unit_test(an_absent_original_goes_to_the_word_that_took_its_places),
        cmocka_unit_test(a_known_form_beside_the_word_reads_as_its_original),
        cmocka_unit_test(known_forms_the_repair_leaves_mark_a_document),
        cmocka_unit_test(documents_split_between_the_words_stand_in_for_their_ratio),
        cmocka_unit_test(numbers_are_not_learnt),
        cmocka_unit_test(an_absent_original_counts_for_an_unlike_word_in_many_documents),
        cmocka_unit_test(a_split_batch_counts_for_words_general_text_uses_apart),
        cmocka_unit_test(a_form_clean_text_never_holds_is_learnt),
        cmocka_unit_test(a_character_written_out_as_two_is_not_paired),
        cmocka_unit_test(bad_arguments_and_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
