/* The CLI's JSON module (cli/json.h): the writer's one behaviour for
   control characters, DEL and invalid UTF-8; the reader's grammar, values,
   offsets and errors (invalid UTF-8 among them); write then read gives the text back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* s (len bytes) written as a JSON string, in a buffer the caller frees. */
static char *written(const char *s, size_t len, int ascii_only)
{
    errata_cli_buffer b = {0};
    errata_json_writer w = errata_json_to_buffer(&b, ascii_only);
    assert_int_equal(errata_json_string_n(&w, s, len), 0);
    return b.data;
}

static void assert_written(const char *s, size_t len, int ascii_only, const char *expected)
{
    char *got = written(s, len, ascii_only);
    assert_string_equal(got, expected);
    free(got);
}

static void strings_escape_controls_and_del(void **state)
{
    (void)state;
    assert_written("a\"b\\c/d", 7, 0, "\"a\\\"b\\\\c/d\"");
    assert_written("\b\f\n\r\t", 5, 0, "\"\\b\\f\\n\\r\\t\"");
    assert_written("\x01\x1f\x7f", 3, 0, "\"\\u0001\\u001f\\u007f\"");
    assert_written("x\0y", 3, 0, "\"x\\u0000y\"");
    assert_written("", 0, 0, "\"\"");
}

static void strings_keep_utf8_and_replace_invalid_bytes(void **state)
{
    (void)state;
    assert_written("中文é😀", 12, 0, "\"中文é😀\"");
    /* a lone continuation byte, a truncated sequence, an overlong '/', a
       UTF-8-encoded surrogate, a byte never used in UTF-8: each byte one U+FFFD */
    assert_written("a\x80" "b", 3, 0, "\"a\\ufffdb\"");
    assert_written("\xe4\xb8", 2, 0, "\"\\ufffd\\ufffd\"");
    assert_written("\xc0\xaf", 2, 0, "\"\\ufffd\\ufffd\"");
    assert_written("\xed\xa0\x80", 3, 0, "\"\\ufffd\\ufffd\\ufffd\"");
    assert_written("\xff" "中", 4, 0, "\"\\ufffd中\"");
    assert_written("\xf4\x90\x80\x80", 4, 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void ascii_only_escapes_every_non_ascii_character(void **state)
{
    (void)state;
    assert_written("中a😀é", 10, 1, "\"\\u4e2da\\ud83d\\ude00\\u00e9\"");
    assert_written("\x80\x7f", 2, 1, "\"\\ufffd\\u007f\"");
}

static void writer_builds_objects_and_arrays(void **state)
{
    (void)state;
    errata_cli_buffer b = {0};
    errata_json_writer w = errata_json_to_buffer(&b, 0);
    errata_json_begin_object(&w);
    errata_json_key(&w, "id");
    errata_json_uint(&w, 18446744073709551615u);
    errata_json_key(&w, "list");
    errata_json_begin_array(&w);
    errata_json_bool(&w, 1);
    errata_json_bool(&w, 0);
    errata_json_null(&w);
    errata_json_begin_object(&w);
    errata_json_end_object(&w);
    errata_json_begin_array(&w);
    errata_json_end_array(&w);
    errata_json_raw(&w, "0.93");
    errata_json_end_array(&w);
    errata_json_key(&w, "s");
    errata_json_string(&w, "x");
    assert_int_equal(errata_json_end_object(&w), 0);
    assert_string_equal(b.data,
                        "{\"id\":18446744073709551615,\"list\":[true,false,null,{},[],0.93],\"s\":\"x\"}");
    free(b.data);
}

static void writer_refuses_unbalanced_closing(void **state)
{
    (void)state;
    errata_cli_buffer b = {0};
    errata_json_writer w = errata_json_to_buffer(&b, 0);
    assert_int_not_equal(errata_json_end_array(&w), 0);
    assert_int_not_equal(errata_json_null(&w), 0); /* failed stays set */
    assert_null(b.data);
}

static void writer_writes_to_a_file(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    errata_json_writer w = errata_json_to_file(f);
    errata_json_begin_array(&w);
    errata_json_string(&w, "a\x7f\xff");
    errata_json_uint(&w, 7);
    assert_int_equal(errata_json_end_array(&w), 0);
    fclose(f);
    assert_string_equal(text, "[\"a\\u007f\\ufffd\",7]");
    free(text);
}

/* ---------------------------------------------------------------- reading */

static int parse(const char *text, errata_json_value *v, errata_json_error *err)
{
    return errata_json_parse(text, strlen(text), v, err);
}

static void reads_nested_values_with_their_spans(void **state)
{
    (void)state;
    const char *text = " {\"a\" : [1, -0.5E-3, true, false, null, \"x\"], \"b\":{\"c\":{}} } ";
    errata_json_value v;
    errata_json_error err;
    assert_int_equal(parse(text, &v, &err), ERRATA_JSON_OK);
    assert_int_equal(v.type, ERRATA_JSON_OBJECT);
    assert_int_equal(v.start, 1);
    assert_int_equal(v.end, strlen(text) - 1);
    assert_int_equal(v.count, 2);
    const errata_json_value *a = errata_json_get(&v, "a");
    assert_non_null(a);
    assert_int_equal(a->type, ERRATA_JSON_ARRAY);
    assert_int_equal(a->count, 6);
    assert_int_equal(a->start, 8);
    assert_int_equal(text[a->end - 1], ']');
    assert_true(a->items[0].type == ERRATA_JSON_NUMBER && a->items[0].number == 1.0);
    assert_true(a->items[1].number == -0.5e-3);
    assert_true(a->items[2].type == ERRATA_JSON_BOOL && a->items[2].boolean);
    assert_true(a->items[3].type == ERRATA_JSON_BOOL && !a->items[3].boolean);
    assert_int_equal(a->items[4].type, ERRATA_JSON_NULL);
    assert_string_equal(a->items[5].string, "x");
    assert_int_equal(a->items[5].end - a->items[5].start, 3);
    const errata_json_value *c = errata_json_get(errata_json_get(&v, "b"), "c");
    assert_true(c && c->type == ERRATA_JSON_OBJECT && c->count == 0);
    assert_null(errata_json_get(&v, "nothing"));
    assert_null(errata_json_get(a, "a")); /* not an object */
    errata_json_free(&v);
}

static void reads_escapes_and_surrogate_pairs(void **state)
{
    (void)state;
    errata_json_value v;
    errata_json_error err;
    assert_int_equal(parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u4e2D\\ud83d\\ude00中\"", &v, &err), 0);
    assert_string_equal(v.string, "\"\\/\b\f\n\r\t中😀中");
    assert_false(v.lone_surrogate);
    errata_json_free(&v);

    assert_int_equal(parse("\"a\\u0000b\"", &v, &err), 0);
    assert_int_equal(v.string_len, 3);
    assert_memory_equal(v.string, "a\0b", 4);
    errata_json_free(&v);

    const char *lone[] = {"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\ud800\\u0041\""};
    const char *decoded[] = {"\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbdx", "\xef\xbf\xbd" "A"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(parse(lone[i], &v, &err), 0);
        assert_string_equal(v.string, decoded[i]);
        assert_true(v.lone_surrogate);
        errata_json_free(&v);
    }
}

static void malformed_text_is_named_with_its_offset(void **state)
{
    (void)state;
    static const struct {
        const char *text, *what;
        size_t offset;
    } cases[] = {
        {"", "expected a value", 0},
        {"  ", "expected a value", 2},
        {"{\"a\":01}", "expected ',' or '}'", 6},
        {"{\"a\":1.}", "expected a digit", 7},
        {"{\"a\":-}", "expected a digit", 6},
        {"[1e]", "expected a digit", 3},
        {"{\"a\":tru}", "expected a value", 5},
        {"+1", "expected a value", 0},
        {"\"\\x\"", "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", 2},
        {"\"\\u12\"", "expected four hexadecimal digits after \\u", 3},
        {"[1,]", "expected a value", 3},
        {"{\"a\":1,}", "expected a member name", 7},
        {"{a:1}", "expected a member name", 1},
        {"{\"a\" 1}", "expected ':'", 5},
        {"\"tab\tinside\"", "expected no control character inside a string", 4},
        {"\"open", "expected the closing '\"' of a string", 5},
        {"[1 2]", "expected ',' or ']'", 3},
        {"{} x", "expected the end of the text after the value", 3},
        {"nul", "expected a value", 0},
        /* RFC 8259: JSON text is UTF-8; the offset is the first bad byte */
        {"\"ab\xff\"", "invalid UTF-8", 3},
        {"{\"k\xe4\xb8\":1}", "invalid UTF-8", 3},
        {"[\"\xe4\xb8\xad\xe4\xb8\"]", "invalid UTF-8", 5},
        {"\"\xc0\xaf\"", "invalid UTF-8", 1},
        {"\"\xed\xa0\x80\"", "invalid UTF-8", 1},
        {"\"\xe4\xb8", "invalid UTF-8", 1},
        {"[1,\xe4\xb8\xad]", "expected a value", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        errata_json_value v;
        errata_json_error err = {0, NULL};
        assert_int_equal(parse(cases[i].text, &v, &err), ERRATA_JSON_MALFORMED);
        assert_string_equal(err.what, cases[i].what);
        assert_int_equal(err.offset, cases[i].offset);
        assert_int_equal(v.type, ERRATA_JSON_NULL);
        assert_null(v.items);
    }
}

static void nesting_is_bounded(void **state)
{
    (void)state;
    char text[2 * ERRATA_JSON_MAX_DEPTH + 3];
    memset(text, '[', ERRATA_JSON_MAX_DEPTH);
    memset(text + ERRATA_JSON_MAX_DEPTH, ']', ERRATA_JSON_MAX_DEPTH);
    errata_json_value v;
    errata_json_error err;
    assert_int_equal(errata_json_parse(text, 2 * ERRATA_JSON_MAX_DEPTH, &v, &err), 0);
    errata_json_free(&v);
    memset(text, '[', ERRATA_JSON_MAX_DEPTH + 1);
    memset(text + ERRATA_JSON_MAX_DEPTH + 1, ']', ERRATA_JSON_MAX_DEPTH + 1);
    assert_int_equal(errata_json_parse(text, 2 * ERRATA_JSON_MAX_DEPTH + 2, &v, &err),
                     ERRATA_JSON_MALFORMED);
    assert_string_equal(err.what, "expected less nesting");
    assert_int_equal(err.offset, ERRATA_JSON_MAX_DEPTH);
}

static void prefix_stops_after_the_value(void **state)
{
    (void)state;
    const char *text = "  {\"a\":[]} trailing";
    size_t pos = 0;
    errata_json_value v;
    errata_json_error err;
    assert_int_equal(errata_json_parse_prefix(text, strlen(text), &pos, &v, &err), 0);
    assert_int_equal(pos, 10);
    assert_int_equal(v.start, 2);
    errata_json_free(&v);
    /* text need not be NUL-terminated: only len bytes are read */
    assert_int_equal(errata_json_parse("123456", 3, &v, &err), 0);
    assert_true(v.number == 123.0);
    errata_json_free(&v);
}

static void typed_member_lookups(void **state)
{
    (void)state;
    errata_json_value v;
    errata_json_error err;
    assert_int_equal(parse("{\"n\":1,\"n\":2,\"big\":9007199254740992,\"bigger\":9007199254740994,"
                           "\"neg\":-1,\"half\":1.5,\"inf\":1e999,\"s\":\"x\",\"nul\":\"a\\u0000\","
                           "\"lone\":\"\\ud800\",\"e\\u0078\":3}",
                           &v, &err),
                     0);
    size_t n = 0;
    assert_int_equal(errata_json_get_size(&v, "n", &n), 0);
    assert_int_equal(n, 2); /* the last of duplicates */
    assert_int_equal(errata_json_get_size(&v, "big", &n), 0);
    assert_int_equal(n, 9007199254740992u);
    assert_int_equal(errata_json_get_size(&v, "bigger", &n), -1);
    assert_int_equal(errata_json_get_size(&v, "neg", &n), -1);
    assert_int_equal(errata_json_get_size(&v, "half", &n), -1);
    assert_int_equal(errata_json_get_size(&v, "inf", &n), -1);
    assert_int_equal(errata_json_get_size(&v, "s", &n), -1);
    assert_int_equal(errata_json_get_size(&v, "ex", &n), 0); /* an escaped name */
    assert_int_equal(n, 3);
    assert_string_equal(errata_json_get_string(&v, "s"), "x");
    assert_null(errata_json_get_string(&v, "nul"));
    assert_null(errata_json_get_string(&v, "lone"));
    assert_null(errata_json_get_string(&v, "n"));
    assert_null(errata_json_get_string(&v, "missing"));
    errata_json_free(&v);
}

/* Every string of valid UTF-8 (controls and DEL included) comes back as it
   was, written plainly or ascii_only. */
static void write_then_read_round_trips(void **state)
{
    (void)state;
    char text[256 + 64];
    size_t len = 0;
    for (int c = 0; c < 0x80; c++)
        text[len++] = (char)c;
    const char *wide = "é中文😀\xef\xbf\xbd\xf4\x8f\xbf\xbf";
    memcpy(text + len, wide, strlen(wide));
    len += strlen(wide);
    for (int ascii_only = 0; ascii_only <= 1; ascii_only++) {
        char *json = written(text, len, ascii_only);
        errata_json_value v;
        errata_json_error err;
        assert_int_equal(parse(json, &v, &err), 0);
        assert_int_equal(v.string_len, len);
        assert_memory_equal(v.string, text, len);
        errata_json_free(&v);
        free(json);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_escape_controls_and_del),
        cmocka_unit_test(strings_keep_utf8_and_replace_invalid_bytes),
        cmocka_unit_test(ascii_only_escapes_every_non_ascii_character),
        cmocka_unit_test(writer_builds_objects_and_arrays),
        cmocka_unit_test(writer_refuses_unbalanced_closing),
        cmocka_unit_test(writer_writes_to_a_file),
        cmocka_unit_test(reads_nested_values_with_their_spans),
        cmocka_unit_test(reads_escapes_and_surrogate_pairs),
        cmocka_unit_test(malformed_text_is_named_with_its_offset),
        cmocka_unit_test(nesting_is_bounded),
        cmocka_unit_test(prefix_stops_after_the_value),
        cmocka_unit_test(typed_member_lookups),
        cmocka_unit_test(write_then_read_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
