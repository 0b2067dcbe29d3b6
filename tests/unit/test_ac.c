/* The multi-pattern automaton finds every key, overlapping ones included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ac.h"
#include "internal.h"

static int record(void *ctx, size_t pattern, size_t start, size_t end)
{
    char *log = ctx;
    size_t used = strlen(log);
    snprintf(log + used, 512 - used, "%zu@%zu-%zu ", pattern, start, end);
    return 0;
}

static void finds_all_occurrences_in_one_pass(void **state)
{
    (void)state;
    const char *patterns[] = {"开展", "展观", "科学开展观", "he", "she", "hers"};
    errata_ac *ac = NULL;
    assert_int_equal(errata_ac_build(&ac, patterns, 6), ERRATA_OK);
    char log[512] = "";
    const char *text = "科学开展观 ushers";
    assert_int_equal(errata_ac_scan(ac, text, strlen(text), record, log), 0);
    /* keys reported at their end, longest first there */
    assert_string_equal(log, "0@6-12 2@0-15 1@9-15 4@17-20 3@18-20 5@18-22 ");
    errata_ac_free(ac);
}

/* A character that does not go on through the trie from a state goes where
   it goes from the state's failure state: after 甲乙丙, 丁 continues 乙丙丁. */
static void characters_follow_failure_links(void **state)
{
    (void)state;
    const char *patterns[] = {"甲乙丙", "乙丙丁", "丙", "乙丙"};
    errata_ac *ac = NULL;
    assert_int_equal(errata_ac_build(&ac, patterns, 4), ERRATA_OK);
    assert_true(errata_ac_by_chars(ac));
    char log[512] = "";
    const char *text = "甲乙丙丁甲乙丙";
    assert_int_equal(errata_ac_scan(ac, text, strlen(text), record, log), 0);
    assert_string_equal(log, "0@0-9 3@3-9 2@6-9 1@3-12 0@12-21 3@15-21 2@18-21 ");
    errata_ac_free(ac);
}

static int stop_at_first(void *ctx, size_t pattern, size_t start, size_t end)
{
    (void)pattern;
    (void)end;
    *(size_t *)ctx = start;
    return 7;
}

static void callback_can_stop_the_scan(void **state)
{
    (void)state;
    const char *patterns[] = {"根底"};
    errata_ac *ac = NULL;
    assert_int_equal(errata_ac_build(&ac, patterns, 1), ERRATA_OK);
    size_t where = 0;
    const char *text = "a根底b根底";
    assert_int_equal(errata_ac_scan(ac, text, strlen(text), stop_at_first, &where), 7);
    assert_int_equal(where, 1);
    errata_ac_free(ac);
}

static void empty_automaton_finds_nothing(void **state)
{
    (void)state;
    errata_ac *ac = NULL;
    assert_int_equal(errata_ac_build(&ac, NULL, 0), ERRATA_OK);
    char log[512] = "";
    assert_int_equal(errata_ac_scan(ac, "开展", 6, record, log), 0);
    assert_string_equal(log, "");
    errata_ac_free(ac);
}

/* 开展 and 科学 need 13 states (the start, six per key) over 11 byte classes
   (ten distinct bytes and the rest). */
static void too_many_states_says_so(void **state)
{
    (void)state;
    const char *patterns[] = {"开展", "科学"};
    errata_ac *ac = NULL;
    assert_int_equal(errata_ac_build_limited(&ac, patterns, 2, 13 * 11 - 1), ERRATA_ENOMEM);
    assert_null(ac);
    assert_string_equal(errata_error_message(),
                        "dictionary too large for the automaton: its 2 keys need more than 12 "
                        "states of 11 byte classes each (at most 132 transitions)");
    assert_int_equal(errata_ac_build_limited(&ac, patterns, 2, 13 * 11), ERRATA_OK);
    char log[512] = "";
    assert_int_equal(errata_ac_scan(ac, "科学开展", strlen("科学开展"), record, log), 0);
    assert_string_equal(log, "1@0-6 0@6-12 ");
    errata_ac_free(ac);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_all_occurrences_in_one_pass),
        cmocka_unit_test(characters_follow_failure_links),
        cmocka_unit_test(callback_can_stop_the_scan),
        cmocka_unit_test(empty_automaton_finds_nothing),
        cmocka_unit_test(too_many_states_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
