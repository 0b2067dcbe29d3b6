/* Telling documents from the other text files of a folder: data, markup
   and code by their file name's extension, and by how their text starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "errata.h"

static void data_files_are_known_by_their_extension(void **state)
{
    (void)state;
    assert_int_equal(errata_is_data_file_name("report.json"), 1);
    assert_int_equal(errata_is_data_file_name("shards/part-0001.JSONL"), 1);
    assert_int_equal(errata_is_data_file_name("table.csv"), 1);
    assert_int_equal(errata_is_data_file_name("page.html"), 1);
    assert_int_equal(errata_is_data_file_name("convert.py"), 1);
    assert_int_equal(errata_is_data_file_name("layout/a.gold.json"), 1);
}

static void documents_and_odd_names_are_not_data(void **state)
{
    (void)state;
    assert_int_equal(errata_is_data_file_name("工作报告.txt"), 0);
    assert_int_equal(errata_is_data_file_name("README"), 0);
    assert_int_equal(errata_is_data_file_name(".json"), 0);       /* a hidden name, no extension */
    assert_int_equal(errata_is_data_file_name("data.json/notes.md"), 0); /* the folder's name */
    assert_int_equal(errata_is_data_file_name("notes.jsonx"), 0);
    assert_int_equal(errata_is_data_file_name("trailing."), 0);
}

static const char *format_of(const char *text)
{
    return errata_data_format(text, strlen(text));
}

static void data_formats_are_known_by_how_the_text_starts(void **state)
{
    (void)state;
    assert_string_equal(format_of(" \n{\"text\": \"发展\"}"), "JSON");
    assert_string_equal(format_of("{}"), "JSON");
    assert_string_equal(format_of("[1, 2]"), "JSON");
    assert_string_equal(format_of("[\n  {\"a\": true}]"), "JSON");
    assert_string_equal(format_of("<?xml version=\"1.0\"?><a/>"), "XML");
    assert_string_equal(format_of("<!DOCTYPE html><p>文</p>"), "HTML");
    assert_string_equal(format_of("<HTML><body>"), "HTML");
    assert_string_equal(format_of("#!/bin/sh\necho 发展\n"), "a script");
}

static void documents_have_no_data_format(void **state)
{
    (void)state;
    assert_null(format_of("第一章 总则\n"));
    assert_null(format_of("[注] 本条所称项目，是指……"));  /* a bracketed note */
    assert_null(format_of("{发展} 是一个词"));
    assert_null(format_of("[附件1]"));
    assert_null(format_of("# 标题"));
    assert_null(format_of(""));
    /* Only len bytes are read: "{\"" cut after its brace is not JSON. */
    assert_null(errata_data_format("{\"a\": 1}", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_files_are_known_by_their_extension),
        cmocka_unit_test(documents_and_odd_names_are_not_data),
        cmocka_unit_test(data_formats_are_known_by_how_the_text_starts),
        cmocka_unit_test(documents_have_no_data_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
