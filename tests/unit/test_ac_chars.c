/* The automaton's two scans (a three-byte character in one transition, or
   byte by byte past the table-size cap or with keys that are not valid
   UTF-8) report exactly what a naive search reports, in the same order. */
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

typedef struct {
    char *text;
    size_t used, cap;
} log_buffer;

static void log_match(log_buffer *log, size_t pattern, size_t start, size_t end)
{
    char item[64];
    int n = snprintf(item, sizeof item, "%zu@%zu-%zu ", pattern, start, end);
    if (log->used + (size_t)n + 1 > log->cap) {
        log->cap = (log->used + (size_t)n + 1) * 2;
        log->text = realloc(log->text, log->cap);
        assert_non_null(log->text);
    }
    memcpy(log->text + log->used, item, (size_t)n + 1);
    log->used += (size_t)n;
}

static int record(void *ctx, size_t pattern, size_t start, size_t end)
{
    log_match(ctx, pattern, start, end);
    return 0;
}

/* Every occurrence by its end, the longest first there (what the automaton
   promises). */
static void naive_search(const char *const *patterns, size_t count, const char *text, size_t len,
                         log_buffer *log)
{
    size_t longest = 0;
    for (size_t p = 0; p < count; p++)
        if (strlen(patterns[p]) > longest)
            longest = strlen(patterns[p]);
    for (size_t end = 1; end <= len; end++)
        for (size_t n = longest; n >= 1; n--)
            for (size_t p = 0; p < count; p++)
                if (strlen(patterns[p]) == n && n <= end &&
                    memcmp(text + end - n, patterns[p], n) == 0)
                    log_match(log, p, end - n, end);
}

static void assert_same_as_naive(const char *const *patterns, size_t count, const char *text,
                                 size_t len, int by_chars)
{
    errata_ac *ac = NULL;
    assert_int_equal(errata_ac_build(&ac, patterns, count), ERRATA_OK);
    assert_int_equal(errata_ac_by_chars(ac), by_chars);
    log_buffer found = {0}, expected = {0};
    log_match(&found, 0, 0, 0); /* both logs start alike, so neither is NULL */
    log_match(&expected, 0, 0, 0);
    assert_int_equal(errata_ac_scan(ac, text, len, record, &found), 0);
    naive_search(patterns, count, text, len, &expected);
    assert_true(expected.used > 12); /* the text holds some keys */
    assert_string_equal(found.text, expected.text);
    free(found.text);
    free(expected.text);
    errata_ac_free(ac);
}

/* Keys that share prefixes, end inside one another, hold four-byte
   characters or ASCII. */
static const char *const tricky_keys[] = {
    "开", "开展", "开展观", "科学开展观", "展观", "学开", "\xF0\xA0\x80\x80", "\xF0\xA0\x80\x80开",
    "he", "hers", "a开", "。开", "根底", "底"};
#define TRICKY_COUNT (sizeof tricky_keys / sizeof *tricky_keys)

/* Characters in no key, broken sequences (a lone lead, a lone continuation,
   a truncated character before a whole one, overlong and surrogate forms)
   and a truncated character at the very end. */
static const char tricky_text[] = "科学开展观 ushers 开开展展观观 \xF0\xA0\x80\x80开 a开。开 根底底 "
                                  "他们\xE5开\x80展\xE5\xBC开展\xE0\x80\x80\xED\xA0\x80观 "
                                  "\xF0\xA0\x80开 学开展观\xE5\xBC";

static void tricky_keys_by_characters(void **state)
{
    (void)state;
    assert_same_as_naive(tricky_keys, TRICKY_COUNT, tricky_text, sizeof tricky_text - 1, 1);
}

static void text_cut_inside_a_character(void **state)
{
    (void)state;
    for (size_t cut = 1; cut < 4; cut++)
        assert_same_as_naive(tricky_keys, TRICKY_COUNT, "开展观", strlen("开展观") - cut, 1);
}

static void key_that_is_not_utf8_goes_byte_by_byte(void **state)
{
    (void)state;
    /* "\xE5\xBC" is the start of 开: found inside characters */
    const char *keys[] = {"\xE5\xBC", "展观", "\xBC\x80"};
    assert_same_as_naive(keys, 3, tricky_text, sizeof tricky_text - 1, 0);
}

static void put_char(char *out, uint32_t cp)
{
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    out[3] = '\0';
}

/* 3000 two-character keys over 3000 characters: far past the table-size cap
   for whole characters. */
#define BIG_COUNT 3000

static void big_dictionary_goes_byte_by_byte(void **state)
{
    (void)state;
    const char **keys = calloc(BIG_COUNT + TRICKY_COUNT, sizeof *keys);
    char(*storage)[8] = calloc(BIG_COUNT, sizeof *storage);
    assert_non_null(keys);
    assert_non_null(storage);
    for (uint32_t i = 0; i < BIG_COUNT; i++) {
        put_char(storage[i], 0x4E00 + i);
        put_char(storage[i] + 3, 0x4E00 + (i * 7 + 1) % BIG_COUNT);
        keys[i] = storage[i];
    }
    for (size_t i = 0; i < TRICKY_COUNT; i++)
        keys[BIG_COUNT + i] = tricky_keys[i];
    char text[3 * 400 + sizeof tricky_text];
    for (uint32_t i = 0; i < 400; i++)
        put_char(text + 3 * i, 0x4E00 + (i * i * 31 + i) % (BIG_COUNT + 100));
    memcpy(text + 3 * 400, tricky_text, sizeof tricky_text);
    assert_same_as_naive(keys, BIG_COUNT + TRICKY_COUNT, text, strlen(text), 0);
    free(keys);
    free(storage);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tricky_keys_by_characters),
        cmocka_unit_test(text_cut_inside_a_character),
        cmocka_unit_test(key_that_is_not_utf8_goes_byte_by_byte),
        cmocka_unit_test(big_dictionary_goes_byte_by_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
