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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_all_occurrences_in_one_pass),
        cmocka_unit_test(callback_can_stop_the_scan),
        cmocka_unit_test(empty_automaton_finds_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
