/* Word similarity from the trigram model's bigrams (lib/synonymy.h), on the
   embedded model: near-synonyms that swap tables exchange score above the
   words that merely fill the same places, the measure is symmetric, a word
   is wholly like itself, and a word outside the vocabulary is like
   nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "lm.h"
#include "synonymy.h"

static errata_lm *model;
static errata_synonymy *synonymy;

static int setup(void **state)
{
    (void)state;
    size_t size = (size_t)(errata_embedded_model_end - errata_embedded_model);
    if (errata_lm_open_memory(&model, errata_embedded_model, size) != ERRATA_OK)
        return -1;
    return errata_synonymy_new(model, &synonymy) == ERRATA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    errata_synonymy_free(synonymy);
    errata_lm_free(model);
    return 0;
}

static double alike(const char *x, const char *y)
{
    return errata_synonymy_of(synonymy, errata_lm_word(model, x, strlen(x)),
                              errata_lm_word(model, y, strlen(y)));
}

/* The values agree, to the codebook's rounding, with the same measure
   computed independently from the ARPA text of the model's source. */
static void near_synonyms_score_above_fillers(void **state)
{
    (void)state;
    assert_true(alike("学问", "知识") > 0.100 && alike("学问", "知识") < 0.109);
    assert_true(alike("学问", "责任") > 0.070 && alike("学问", "责任") < 0.080);
    assert_true(alike("学问", "教育") > 0.040 && alike("学问", "教育") < 0.049);
    assert_true(alike("严峻", "重大") > 0.147 && alike("严峻", "重大") < 0.157);
    assert_true(alike("严峻", "生产") > 0.010 && alike("严峻", "生产") < 0.018);
    assert_true(alike("必需", "必须") > alike("必需", "应当"));
    assert_true(alike("食物", "食品") > 0.40 && alike("食物", "食品") < 0.41);
}

static void the_measure_is_symmetric_and_bounded(void **state)
{
    (void)state;
    assert_true(alike("知识", "学问") == alike("学问", "知识"));
    assert_true(alike("重大", "严峻") == alike("严峻", "重大"));
    assert_true(alike("知识", "知识") > 0.999999 && alike("知识", "知识") <= 1.000001);
}

static void a_word_outside_the_vocabulary_is_like_nothing(void **state)
{
    (void)state;
    uint32_t known = errata_lm_word(model, "知识", strlen("知识"));
    assert_true(errata_synonymy_of(synonymy, ERRATA_LM_NO_WORD, known) == 0);
    assert_true(errata_synonymy_of(synonymy, known, ERRATA_LM_NO_WORD) == 0);
    assert_true(errata_synonymy_of(synonymy, (uint32_t)errata_lm_word_count(model), known) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(near_synonyms_score_above_fillers),
        cmocka_unit_test(the_measure_is_symmetric_and_bounded),
        cmocka_unit_test(a_word_outside_the_vocabulary_is_like_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
