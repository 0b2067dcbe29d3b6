/* Reading and writing documents in their own encodings: detection, BOMs,
   round trips, and the exact errors (with byte offsets) of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "errata.h"

/* 中文发展 and 第一章 发展\n in the encodings under test. */
#define ZHONGWEN_UTF8 "\xE4\xB8\xAD\xE6\x96\x87\xE5\x8F\x91\xE5\xB1\x95"
#define ZHONGWEN_GBK "\xD6\xD0\xCE\xC4\xB7\xA2\xD5\xB9"
#define CHAPTER_UTF8 "\xE7\xAC\xAC\xE4\xB8\x80\xE7\xAB\xA0 \xE5\x8F\x91\xE5\xB1\x95\n"
#define CHAPTER_UTF16LE ",{\0N\xE0z \0\xD1SU\\\n\0"
#define CHAPTER_UTF16BE "{,N\0z\xE0\0 S\xD1\\U\0\n"
/* U+20000, outside the BMP and outside GBK. */
#define EXT_B_UTF8 "\xF0\xA0\x80\x80"
#define EXT_B_GB18030 "\x95\x32\x82\x36"

static void expect_decoded(const char *data, size_t len, errata_encoding given,
                           errata_encoding expected_encoding, const char *expected)
{
    char *out = NULL;
    size_t out_len = 99;
    errata_encoding detected = ERRATA_ENCODING_AUTO;
    int rc = errata_decode(data, len, given, &out, &out_len, &detected);
    if (rc != ERRATA_OK)
        print_error("errata_decode: %s\n", errata_error_message());
    assert_int_equal(rc, ERRATA_OK);
    assert_int_equal(detected, expected_encoding);
    assert_int_equal(out_len, strlen(expected));
    assert_memory_equal(out, expected, out_len + 1); /* NUL-terminated too */
    errata_free(out);
}

static void expect_encoded(const char *text, errata_encoding encoding, const char *expected,
                           size_t expected_len)
{
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_encode(text, strlen(text), encoding, &out, &out_len), ERRATA_OK);
    assert_int_equal(out_len, expected_len);
    assert_memory_equal(out, expected, expected_len);
    assert_int_equal(out[out_len], '\0');
    errata_free(out);
}

static void expect_decode_error(const char *data, size_t len, errata_encoding given,
                                const char *message)
{
    char *out = (char *)"untouched";
    size_t out_len = 99;
    errata_encoding detected = ERRATA_ENCODING_UTF16BE;
    assert_int_equal(errata_decode(data, len, given, &out, &out_len, &detected), ERRATA_EENCODING);
    assert_string_equal(errata_error_message(), message);
    assert_null(out);
    assert_int_equal(out_len, 0);
    assert_int_equal(detected, ERRATA_ENCODING_UTF16BE);
}

/* Decode with detection, check what was read, encode back, get the bytes. */
static void expect_round_trip(const char *data, size_t len, errata_encoding expected_encoding,
                              const char *expected_text)
{
    expect_decoded(data, len, ERRATA_ENCODING_AUTO, expected_encoding, expected_text);
    expect_encoded(expected_text, expected_encoding, data, len);
}

static void names_and_aliases(void **state)
{
    (void)state;
    for (int e = ERRATA_ENCODING_AUTO; e <= ERRATA_ENCODING_UTF16BE_BOM; e++) {
        errata_encoding back = ERRATA_ENCODING_AUTO;
        assert_int_equal(errata_encoding_from_name(errata_encoding_name(e), &back), ERRATA_OK);
        assert_int_equal(back, e);
    }
    assert_string_equal(errata_encoding_name(ERRATA_ENCODING_UTF16LE_BOM), "UTF-16LE-BOM");
    assert_null(errata_encoding_name((errata_encoding)8));
    const struct {
        const char *name;
        errata_encoding encoding;
    } aliases[] = {{"gbk", ERRATA_ENCODING_GB18030},       {"GB2312", ERRATA_ENCODING_GB18030},
                   {"cp936", ERRATA_ENCODING_GB18030},     {"utf8", ERRATA_ENCODING_UTF8},
                   {"utf-8-sig", ERRATA_ENCODING_UTF8_BOM}, {"utf-16", ERRATA_ENCODING_UTF16LE_BOM},
                   {"utf-16be", ERRATA_ENCODING_UTF16BE}};
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++) {
        errata_encoding e = ERRATA_ENCODING_AUTO;
        assert_int_equal(errata_encoding_from_name(aliases[i].name, &e), ERRATA_OK);
        assert_int_equal(e, aliases[i].encoding);
    }
    errata_encoding e = ERRATA_ENCODING_UTF8;
    assert_int_equal(errata_encoding_from_name("latin1", &e), ERRATA_EINVAL);
    assert_string_equal(errata_error_message(), "unknown encoding 'latin1'");
    assert_int_equal(e, ERRATA_ENCODING_UTF8);
}

static void utf8_with_and_without_bom(void **state)
{
    (void)state;
    expect_round_trip(ZHONGWEN_UTF8, strlen(ZHONGWEN_UTF8), ERRATA_ENCODING_UTF8, ZHONGWEN_UTF8);
    const char with_bom[] = "\xEF\xBB\xBF" ZHONGWEN_UTF8;
    expect_round_trip(with_bom, sizeof with_bom - 1, ERRATA_ENCODING_UTF8_BOM, ZHONGWEN_UTF8);
    expect_round_trip("", 0, ERRATA_ENCODING_UTF8, "");
    expect_round_trip("\xEF\xBB\xBF", 3, ERRATA_ENCODING_UTF8_BOM, "");
}

static void gbk_and_gb18030(void **state)
{
    (void)state;
    expect_round_trip(ZHONGWEN_GBK, strlen(ZHONGWEN_GBK), ERRATA_ENCODING_GB18030, ZHONGWEN_UTF8);
    /* A four-byte GB18030 sequence among ASCII and two-byte ones. */
    const char mixed[] = "A" ZHONGWEN_GBK EXT_B_GB18030 "\r\n";
    expect_round_trip(mixed, sizeof mixed - 1, ERRATA_ENCODING_GB18030,
                      "A" ZHONGWEN_UTF8 EXT_B_UTF8 "\r\n");
    /* Forced, even though these bytes would be read as UTF-8. */
    expect_decoded("abc", 3, ERRATA_ENCODING_GB18030, ERRATA_ENCODING_GB18030, "abc");
}

static void utf16_with_bom(void **state)
{
    (void)state;
    const char le[] = "\xFF\xFE" CHAPTER_UTF16LE;
    expect_round_trip(le, sizeof le - 1, ERRATA_ENCODING_UTF16LE_BOM, CHAPTER_UTF8);
    const char be[] = "\xFE\xFF" CHAPTER_UTF16BE;
    expect_round_trip(be, sizeof be - 1, ERRATA_ENCODING_UTF16BE_BOM, CHAPTER_UTF8);
    /* A surrogate pair. */
    expect_round_trip("\xFF\xFE\x40\xD8\x00\xDC", 6, ERRATA_ENCODING_UTF16LE_BOM, EXT_B_UTF8);
}

static void utf16_without_bom_by_its_nul_bytes(void **state)
{
    (void)state;
    expect_round_trip(CHAPTER_UTF16LE, sizeof CHAPTER_UTF16LE - 1, ERRATA_ENCODING_UTF16LE,
                      CHAPTER_UTF8);
    expect_round_trip(CHAPTER_UTF16BE, sizeof CHAPTER_UTF16BE - 1, ERRATA_ENCODING_UTF16BE,
                      CHAPTER_UTF8);
}

static void large_texts_round_trip(void **state)
{
    (void)state;
    /* 20,000 lines cycling through CJK, ASCII and an astral character. */
    const char line[] = CHAPTER_UTF8 ZHONGWEN_UTF8 EXT_B_UTF8 "abc 123\n";
    size_t line_len = sizeof line - 1, count = 20000;
    char *text = malloc(line_len * count + 1);
    assert_non_null(text);
    for (size_t i = 0; i < count; i++)
        memcpy(text + i * line_len, line, line_len);
    text[line_len * count] = '\0';
    const errata_encoding targets[] = {ERRATA_ENCODING_GB18030, ERRATA_ENCODING_UTF16LE,
                                       ERRATA_ENCODING_UTF16BE_BOM, ERRATA_ENCODING_UTF8_BOM};
    for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
        char *encoded = NULL;
        size_t encoded_len = 0;
        assert_int_equal(errata_encode(text, line_len * count, targets[t], &encoded, &encoded_len),
                         ERRATA_OK);
        expect_round_trip(encoded, encoded_len, targets[t], text);
        errata_free(encoded);
    }
    free(text);
}

static void invalid_gbk_reports_the_offset(void **state)
{
    (void)state;
    /* A lead byte followed by a space, which is no trail byte. */
    expect_decode_error(ZHONGWEN_GBK "\x81 x", strlen(ZHONGWEN_GBK) + 3, ERRATA_ENCODING_GB18030,
                        "invalid GB18030 at byte offset 8");
    expect_decode_error("ab\xFF" "cd", 5, ERRATA_ENCODING_GB18030, "invalid GB18030 at byte offset 2");
    expect_decode_error(ZHONGWEN_GBK "\xD6", strlen(ZHONGWEN_GBK) + 1, ERRATA_ENCODING_GB18030,
                        "truncated GB18030 sequence at byte offset 8");
    /* Detected: neither encoding fits. */
    expect_decode_error("\xD6\xD0\xFF", 3, ERRATA_ENCODING_AUTO,
                        "neither UTF-8 nor GB18030: invalid UTF-8 at byte offset 0, "
                        "invalid GB18030 at byte offset 2");
}

static void invalid_utf8_and_utf16_report_the_offset(void **state)
{
    (void)state;
    expect_decode_error(ZHONGWEN_GBK, strlen(ZHONGWEN_GBK), ERRATA_ENCODING_UTF8,
                        "invalid UTF-8 at byte offset 0");
    expect_decode_error("\xEF\xBB\xBF" "ab\xE4\xB8", 7, ERRATA_ENCODING_AUTO,
                        "invalid UTF-8 at byte offset 5");
    expect_decode_error("ab", 2, ERRATA_ENCODING_UTF8_BOM, "no UTF-8-BOM byte order mark");
    /* An unpaired high surrogate, then a truncated code unit. */
    expect_decode_error("\xFF\xFE" "a\0\x00\xD8" "b\0", 8, ERRATA_ENCODING_AUTO,
                        "invalid UTF-16LE at byte offset 4");
    expect_decode_error("\xFE\xFF\0a\0", 5, ERRATA_ENCODING_AUTO,
                        "truncated UTF-16BE sequence at byte offset 4");
}

static void binary_data_is_refused(void **state)
{
    (void)state;
    /* The start of a zip archive: NUL bytes, but not UTF-16 text. */
    expect_decode_error("PK\x03\x04\x14\0\0\0\x08\0", 10, ERRATA_ENCODING_AUTO,
                        "control character U+0003 at byte offset 2 (binary data?)");
    /* Odd length: not UTF-16 whatever its NUL bytes. */
    expect_decode_error("ab\0\x01" "c", 5, ERRATA_ENCODING_AUTO,
                        "control character U+0000 at byte offset 2 (binary data?)");
    expect_decode_error("\xFF\xFE" "a\0\x01\0", 6, ERRATA_ENCODING_AUTO,
                        "control character U+0001 at byte offset 4 (binary data?)");
    /* Tabs, form feeds, SUB and ESC are text. */
    expect_decoded("a\tb\fc\x1A\x1B", 7, ERRATA_ENCODING_AUTO, ERRATA_ENCODING_UTF8,
                   "a\tb\fc\x1A\x1B");
}

static void encode_refuses_bad_arguments(void **state)
{
    (void)state;
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(errata_encode("ab\xE4", 3, ERRATA_ENCODING_GB18030, &out, &out_len),
                     ERRATA_EENCODING);
    assert_string_equal(errata_error_message(), "invalid UTF-8 at byte offset 2");
    assert_int_equal(errata_encode("ab", 2, ERRATA_ENCODING_AUTO, &out, &out_len), ERRATA_EINVAL);
    assert_int_equal(errata_encode("ab", 2, (errata_encoding)42, &out, &out_len), ERRATA_EINVAL);
    assert_int_equal(errata_decode("ab", 2, (errata_encoding)42, &out, &out_len, NULL),
                     ERRATA_EINVAL);
    assert_int_equal(errata_decode(NULL, 2, ERRATA_ENCODING_AUTO, &out, &out_len, NULL),
                     ERRATA_EINVAL);
    assert_null(out);
}

/* errata_decode_unchanged() says yes exactly when decoding gives the bytes
   back. */
static void unchanged_only_for_plain_valid_utf8(void **state)
{
    (void)state;
    static const char bom[] = "\xEF\xBB\xBF" ZHONGWEN_UTF8;
    assert_int_equal(errata_decode_unchanged(ZHONGWEN_UTF8, 12, ERRATA_ENCODING_AUTO), 1);
    assert_int_equal(errata_decode_unchanged(ZHONGWEN_UTF8, 12, ERRATA_ENCODING_UTF8), 1);
    assert_int_equal(errata_decode_unchanged("", 0, ERRATA_ENCODING_AUTO), 1);
    assert_int_equal(errata_decode_unchanged(bom, sizeof bom - 1, ERRATA_ENCODING_AUTO), 0);
    assert_int_equal(errata_decode_unchanged(ZHONGWEN_GBK, 8, ERRATA_ENCODING_AUTO), 0);
    assert_int_equal(errata_decode_unchanged(ZHONGWEN_GBK, 8, ERRATA_ENCODING_UTF8), 0);
    assert_int_equal(errata_decode_unchanged(ZHONGWEN_UTF8, 12, ERRATA_ENCODING_GB18030), 0);
    assert_int_equal(errata_decode_unchanged(CHAPTER_UTF16LE, 14, ERRATA_ENCODING_AUTO), 0);
    assert_int_equal(errata_decode_unchanged("a\x01b", 3, ERRATA_ENCODING_AUTO), 0);
    assert_int_equal(errata_decode_unchanged("a\x1A" "b\tc", 5, ERRATA_ENCODING_AUTO), 1);
    assert_int_equal(errata_decode_unchanged(ZHONGWEN_UTF8, 12, (errata_encoding)99), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_and_aliases),
        cmocka_unit_test(utf8_with_and_without_bom),
        cmocka_unit_test(gbk_and_gb18030),
        cmocka_unit_test(utf16_with_bom),
        cmocka_unit_test(utf16_without_bom_by_its_nul_bytes),
        cmocka_unit_test(large_texts_round_trip),
        cmocka_unit_test(unchanged_only_for_plain_valid_utf8),
        cmocka_unit_test(invalid_gbk_reports_the_offset),
        cmocka_unit_test(invalid_utf8_and_utf16_report_the_offset),
        cmocka_unit_test(binary_data_is_refused),
        cmocka_unit_test(encode_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
