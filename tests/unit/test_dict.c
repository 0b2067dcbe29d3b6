/* Dictionary parsing: entries, rules, examples, and every kind of error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "dict.h"

static int parse(errata_dictionary *d, const char *text)
{
    return errata_dictionary_parse(d, text, strlen(text), "test.dict");
}

static void parses_entries_rules_and_examples(void **state)
{
    (void)state;
    errata_dictionary d = {0};
    assert_int_equal(parse(&d, "# comment\n\nerrata-dict 1\r\n"
                               "开展\t发展\tswap-a\tC\tfix-prev=科学,经济\tkeep-next=活动\t"
                               "fix=科学开展观>科学发展观\tkeep=开展活动\n"
                               "!keep\t平安浙江\n"
                               "根底\t基础\n"),
                     ERRATA_OK);
    assert_int_equal(d.entry_count, 2);
    const errata_entry *e = &d.entries[0];
    assert_string_equal(e->corrupted, "开展");
    assert_string_equal(e->original, "发展");
    assert_int_equal(e->family, ERRATA_FAMILY_A);
    assert_int_equal(e->cls, ERRATA_CLASS_CONTEXTUAL);
    assert_string_equal(e->rule, "swap/开展>发展");
    assert_int_equal(e->fix_prev.count, 2);
    assert_string_equal(e->fix_prev.items[1], "经济");
    assert_int_equal(e->keep_next.count, 1);
    assert_int_equal(d.example_count, 2);
    assert_string_equal(d.examples[0].text, "科学开展观");
    assert_string_equal(d.examples[0].expected, "科学发展观");
    assert_int_equal(d.examples[0].line, 4);
    assert_string_equal(d.examples[1].expected, "开展活动");
    assert_int_equal(d.keep_words.count, 1);
    assert_string_equal(d.keep_words.items[0], "平安浙江");
    /* two fields: a user's own unambiguous pair */
    assert_int_equal(d.entries[1].family, ERRATA_FAMILY_USER);
    assert_int_equal(d.entries[1].cls, ERRATA_CLASS_UNAMBIGUOUS);
    errata_dictionary_clear(&d);
}

static void expect_error(const char *text, const char *message)
{
    errata_dictionary d = {0};
    assert_int_equal(parse(&d, text), ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(), message);
    errata_dictionary_clear(&d);
}

static void reports_each_error_with_its_line(void **state)
{
    (void)state;
    expect_error("开展\t发展\n", "test.dict:1: the first line must be the header 'errata-dict 1'");
    expect_error("", "test.dict: no header line 'errata-dict 1'");
    expect_error("errata-dict 1\n开展\n", "test.dict:2: expected fields separated by TAB: "
                                          "corrupted, original, kind, class");
    expect_error("errata-dict 1\n开展\t发展\tswap\n",
                 "test.dict:2: an entry has 2 fields (corrupted, original) or at least 4 "
                 "(corrupted, original, kind, class)");
    expect_error("errata-dict 1\n开展\t发展\tswop\tC\n",
                 "test.dict:2: unknown kind (swap, swap-a, swap-b, lookalike or user)");
    expect_error("errata-dict 1\n开展\t发展\tswap\tX\n", "test.dict:2: unknown class (U, C or G)");
    expect_error("errata-dict 1\n开展\t开展\tswap\tC\n",
                 "test.dict:2: the corrupted form and the original are the same");
    expect_error("errata-dict 1\n\t发展\tswap\tC\n", "test.dict:2: empty corrupted form or original");
    expect_error("errata-dict 1\n开展\t发展\tswap\tC\tbefore=科学\n",
                 "test.dict:2: unknown attribute 'before'");
    expect_error("errata-dict 1\n开展\t发展\tswap\tC\tfix-prev\n",
                 "test.dict:2: an attribute is written name=value");
    expect_error("errata-dict 1\n开展\t发展\tswap\tC\tfix-prev=科学,,经济\n",
                 "test.dict:2: empty item in a context list");
    expect_error("errata-dict 1\n开展\t发展\tswap\tC\tfix=科学开展观\n",
                 "test.dict:2: a fix example is written fix=TEXT>EXPECTED");
    expect_error("errata-dict 1\n开展\t发展\tswap\tC\tfix=科学观>科学发展观\n",
                 "test.dict:2: the fix example does not contain the corrupted form");
    expect_error("errata-dict 1\n开展\t发展\tswap\tC\tfix=科学开展观>科学观\n",
                 "test.dict:2: the expected text of the fix example does not contain the original");
    expect_error("errata-dict 1\n!keep\n", "test.dict:2: a keep line is written !keep<TAB>word");
    expect_error("errata-dict 1\n开展\t\xff\n", "test.dict: invalid UTF-8 at byte offset 21");
}

static void reports_unreadable_file(void **state)
{
    (void)state;
    errata_dictionary d = {0};
    assert_int_equal(errata_dictionary_load_file(&d, "/nonexistent/user.dict"), ERRATA_EIO);
    assert_string_equal(errata_error_message(), "/nonexistent/user.dict: No such file or directory");
    errata_dictionary_clear(&d);
}

static void matches_context_strings(void **state)
{
    (void)state;
    errata_dictionary d = {0};
    assert_int_equal(parse(&d, "errata-dict 1\n到达\t达到\tswap\tC\tfix-next=<digit>,目标\n"), ERRATA_OK);
    const errata_strings *next = &d.entries[0].fix_next;
    const char *text = "到达12家，到达１２家，到达目标，到达现场";
    assert_string_equal(errata_strings_match_at(next, text, strlen(text), 6), "<digit>");
    assert_string_equal(errata_strings_match_at(next, text, strlen(text), 20), "<digit>");
    assert_string_equal(errata_strings_match_at(next, text, strlen(text), 38), "目标");
    assert_null(errata_strings_match_at(next, text, strlen(text), 53));
    assert_string_equal(errata_strings_match_before(next, "目标", 6), "目标");
    assert_string_equal(errata_strings_match_before(next, "第3", 4), "<digit>");
    assert_null(errata_strings_match_before(next, "标", 3));
    errata_dictionary_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_entries_rules_and_examples),
        cmocka_unit_test(reports_each_error_with_its_line),
        cmocka_unit_test(reports_unreadable_file),
        cmocka_unit_test(matches_context_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
