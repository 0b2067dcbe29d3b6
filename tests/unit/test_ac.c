/* The multi-pattern automaton finds every key, overlapping ones included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
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

/* An automaton read from its image finds what the built one finds, with
   character columns and without (a key that is not UTF-8 turns them off). */
static void image_scans_as_the_built_automaton(void **state)
{
    (void)state;
    const char *with_chars[] = {"开展", "展观", "科学开展观", "he", "she", "hers"};
    const char *bytes_only[] = {"开展", "展观", "科学开展观", "he", "she", "hers", "\xff\xfe"};
    const char *const *sets[] = {with_chars, bytes_only};
    size_t counts[] = {6, 7};
    const char *text = "科学开展观 ushers \xff\xfe展观";
    for (int k = 0; k < 2; k++) {
        errata_ac *built = NULL, *read = NULL;
        assert_int_equal(errata_ac_build(&built, sets[k], counts[k]), ERRATA_OK);
        unsigned char *image = NULL;
        size_t len = 0;
        assert_int_equal(errata_ac_image(built, 0xC0FFEEu, &image, &len), ERRATA_OK);
        assert_int_equal(errata_ac_open_image(&read, image, len, "test image", 0xC0FFEEu),
                         ERRATA_OK);
        assert_int_equal(errata_ac_by_chars(read), k == 0);
        char log_built[512] = "", log_read[512] = "";
        assert_int_equal(errata_ac_scan(built, text, strlen(text), record, log_built), 0);
        assert_int_equal(errata_ac_scan(read, text, strlen(text), record, log_read), 0);
        assert_string_equal(log_read, log_built);
        assert_string_equal(log_read, k == 0 ? "0@6-12 2@0-15 1@9-15 4@17-20 3@18-20 5@18-22 1@25-31 "
                                             : "0@6-12 2@0-15 1@9-15 4@17-20 3@18-20 5@18-22 "
                                               "6@23-25 1@25-31 ");
        errata_ac_free(read);
        errata_ac_free(built);
        free(image);
    }
}

/* A truncated image, a corrupted header and an image of other keys are
   refused, each with its own message. */
static void unsound_image_is_refused(void **state)
{
    (void)state;
    const char *patterns[] = {"开展", "科学"};
    errata_ac *ac = NULL, *read = NULL;
    assert_int_equal(errata_ac_build(&ac, patterns, 2), ERRATA_OK);
    unsigned char *image = NULL;
    size_t len = 0;
    assert_int_equal(errata_ac_image(ac, 7, &image, &len), ERRATA_OK);
    char expected[200];

    assert_int_equal(errata_ac_open_image(&read, image, len - 8, "auto.bin", 7), ERRATA_EFORMAT);
    assert_null(read);
    snprintf(expected, sizeof expected, "auto.bin: truncated: %zu bytes, the header says %zu",
             len - 8, len);
    assert_string_equal(errata_error_message(), expected);

    assert_int_equal(errata_ac_open_image(&read, image, 40, "auto.bin", 7), ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(),
                        "auto.bin: truncated: 40 bytes, the header alone needs 64");

    assert_int_equal(errata_ac_open_image(&read, image, len, "auto.bin", 8), ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(),
                        "auto.bin: made for other dictionary keys (checksum 00000007, the keys' "
                        "00000008)");

    image[28] ^= 1; /* the state count */
    assert_int_equal(errata_ac_open_image(&read, image, len, "auto.bin", 7), ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(),
                        "auto.bin: header checksum mismatch (corrupted header)");
    image[28] ^= 1;

    memcpy(image, "ERRATALM", 8);
    assert_int_equal(errata_ac_open_image(&read, image, len, "auto.bin", 7), ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(), "auto.bin: not an errata automaton (bad magic)");
    assert_null(read);
    errata_ac_free(ac);
    free(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_all_occurrences_in_one_pass),
        cmocka_unit_test(characters_follow_failure_links),
        cmocka_unit_test(callback_can_stop_the_scan),
        cmocka_unit_test(empty_automaton_finds_nothing),
        cmocka_unit_test(too_many_states_says_so),
        cmocka_unit_test(image_scans_as_the_built_automaton),
        cmocka_unit_test(unsound_image_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
