/* Dictionary parsing: entries, rules, examples, and every kind of error;
   the dictionary's image (lib/dict_image.c) and its refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine.h"
#include "dictionary_engine.h"

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
    assert_string_equal(errata_dict_string(&d, e->corrupted), "开展");
    assert_string_equal(errata_dict_string(&d, e->original), "发展");
    assert_int_equal(e->family, ERRATA_FAMILY_A);
    assert_int_equal(e->cls, ERRATA_CLASS_CONTEXTUAL);
    assert_string_equal(errata_dict_string(&d, e->rule), "swap/开展>发展");
    assert_int_equal(e->fix_prev.count, 2);
    assert_string_equal(errata_dict_string(&d, d.item_offsets[e->fix_prev.first + 1]), "经济");
    assert_int_equal(e->keep_next.count, 1);
    assert_int_equal(d.example_count, 2);
    assert_string_equal(d.examples[0].text, "科学开展观");
    assert_string_equal(d.examples[0].expected, "科学发展观");
    assert_int_equal(d.examples[0].line, 4);
    assert_string_equal(d.examples[1].expected, "开展活动");
    assert_int_equal(d.keep_word_count, 1);
    assert_string_equal(errata_dict_string(&d, d.keep_words[0]), "平安浙江");
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
    assert_string_equal(errata_strings_match_at(&d, next, text, strlen(text), 6), "<digit>");
    assert_string_equal(errata_strings_match_at(&d, next, text, strlen(text), 20), "<digit>");
    assert_string_equal(errata_strings_match_at(&d, next, text, strlen(text), 38), "目标");
    assert_null(errata_strings_match_at(&d, next, text, strlen(text), 53));
    assert_string_equal(errata_strings_match_before(&d, next, "目标", 6), "目标");
    assert_string_equal(errata_strings_match_before(&d, next, "第3", 4), "<digit>");
    assert_null(errata_strings_match_before(&d, next, "标", 3));
    errata_dictionary_clear(&d);
}

/* A context list given twice in an entry is one list of all its items,
   whatever lists come between. */
static void joins_a_context_list_given_twice(void **state)
{
    (void)state;
    errata_dictionary d = {0};
    assert_int_equal(parse(&d, "errata-dict 1\n"
                               "开展\t发展\tswap\tC\tfix-prev=科学\tkeep-next=活动\tfix-prev=经济,谋\n"),
                     ERRATA_OK);
    const errata_entry *e = &d.entries[0];
    assert_int_equal(e->fix_prev.count, 3);
    assert_int_equal(e->keep_next.count, 1);
    assert_string_equal(errata_strings_match_before(&d, &e->fix_prev, "科学", 6), "科学");
    assert_string_equal(errata_strings_match_before(&d, &e->fix_prev, "经济", 6), "经济");
    assert_string_equal(errata_strings_match_before(&d, &e->fix_prev, "谋", 3), "谋");
    assert_string_equal(errata_strings_match_at(&d, &e->keep_next, "活动", 6, 0), "活动");
    assert_null(errata_strings_match_before(&d, &e->fix_prev, "活动", 6));
    errata_dictionary_clear(&d);
}

#define IMAGE_DICT                                                                                 \
    "errata-dict 1\n"                                                                              \
    "开展\t发展\tswap-a\tC\tfix-prev=科学,经济\tfix=科学开展观>科学发展观\tkeep=开展活动\n"          \
    "进展\t发展\tswap-b\tC\tfix-next=观\n"                                                           \
    "!keep\t平安浙江\n"

/* An engine with nothing loaded yet, as errata_engine_new starts one. */
static errata_engine *empty_engine(void)
{
    errata_engine *engine = calloc(1, sizeof *engine);
    assert_non_null(engine);
    pthread_mutex_init(&engine->examples_lock, NULL);
    return engine;
}

/* An engine that reads an image of engine's dictionary in place. */
static errata_engine *engine_on_image(const unsigned char *image, size_t len)
{
    errata_engine *read = empty_engine();
    assert_int_equal(errata_dictionary_open_image(read, image, len, "dict.bin", "test.dict", 42),
                     ERRATA_OK);
    return read;
}

/* The image holds the parsed dictionary and its keys as they were. */
static void image_reads_back_the_dictionary(void **state)
{
    (void)state;
    errata_engine *engine = engine_on_dictionary_text(IMAGE_DICT, 1);
    unsigned char *image = NULL;
    size_t len = 0;
    assert_int_equal(errata_dictionary_image(engine, 42, &image, &len), ERRATA_OK);
    errata_engine *read = engine_on_image(image, len);
    const errata_dictionary *d = &read->dict;
    assert_int_equal(d->entry_count, 2);
    assert_string_equal(errata_dict_string(d, d->entries[1].rule), "swap/进展>发展");
    assert_string_equal(errata_strings_match_before(d, &d->entries[0].fix_prev, "经济", 6), "经济");
    assert_int_equal(read->key_count, engine->key_count); /* 进展 开展 发展 平安浙江 */
    assert_int_equal(read->key_count, 4);
    for (size_t k = 0; k < read->key_count; k++)
        assert_string_equal(errata_dict_string(d, read->keys[k].text),
                            errata_dict_string(&engine->dict, engine->keys[k].text));
    assert_int_equal(errata_engine_keys_checksum(read), errata_engine_keys_checksum(engine));
    assert_int_equal(errata_engine_example_count(read), 2);
    assert_null(d->examples); /* made when first asked for */
    const errata_example *ex = errata_engine_example(read, 0);
    assert_string_equal(ex->text, "科学开展观");
    assert_string_equal(ex->expected, "科学发展观");
    assert_string_equal(ex->source, "test.dict");
    assert_int_equal(ex->line, 2);
    errata_engine_free(read);
    errata_engine_free(engine);
    free(image);
}

static void expect_refusal(const unsigned char *image, size_t len, uint32_t checksum,
                           const char *message)
{
    errata_engine *read = empty_engine();
    assert_int_equal(errata_dictionary_open_image(read, image, len, "dict.bin", "test.dict",
                                                  checksum),
                     ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(), message);
    assert_int_equal(read->dict.entry_count, 0);
    errata_engine_free(read);
}

/* A truncated image, a corrupted header or contents, and an image of
   another text are refused, each with its own message. */
static void unsound_image_is_refused(void **state)
{
    (void)state;
    errata_engine *engine = engine_on_dictionary_text(IMAGE_DICT, 1);
    unsigned char *image = NULL;
    size_t len = 0;
    assert_int_equal(errata_dictionary_image(engine, 42, &image, &len), ERRATA_OK);
    char expected[200];

    snprintf(expected, sizeof expected, "dict.bin: truncated: %zu bytes, the header says %zu",
             len - 8, len);
    expect_refusal(image, len - 8, 42, expected);
    expect_refusal(image, 40, 42, "dict.bin: truncated: 40 bytes, the header alone needs 72");
    expect_refusal(image, len, 43,
                   "dict.bin: made from another dictionary text (checksum 0000002a, the text's "
                   "0000002b)");

    image[48] ^= 1; /* the entry count */
    expect_refusal(image, len, 42, "dict.bin: header checksum mismatch (corrupted header)");
    image[48] ^= 1;

    image[len / 2] ^= 0x40;
    expect_refusal(image, len, 42, "dict.bin: checksum mismatch (corrupted contents)");
    image[len / 2] ^= 0x40;

    memcpy(image, "ERRATAAC", 8);
    expect_refusal(image, len, 42, "dict.bin: not an errata dictionary image (bad magic)");
    errata_engine_free(engine);
    free(image);
}

/* The image built with the library is sound and made from the built-in
   text: what errata_engine_new, which opens it with
   errata_dictionary_open_built_in_image, no longer checks at start-up. */
static void built_in_image_is_sound(void **state)
{
    (void)state;
    size_t len = (size_t)(errata_embedded_dictionary_end - errata_embedded_dictionary);
    errata_engine *full = empty_engine(), *quick = empty_engine();
    assert_int_equal(errata_dictionary_open_image(full, errata_embedded_dictionary, len, "built-in",
                                                  "built-in:swaps.dict",
                                                  errata_built_in_dictionary_checksum()),
                     ERRATA_OK);
    assert_int_equal(errata_dictionary_open_built_in_image(quick, errata_embedded_dictionary, len,
                                                           "built-in", "built-in:swaps.dict"),
                     ERRATA_OK);
    errata_dictionary text = {0};
    assert_int_equal(errata_dictionary_parse(&text, errata_embedded_swaps,
                                             (size_t)(errata_embedded_swaps_end - errata_embedded_swaps),
                                             "built-in:swaps.dict"),
                     ERRATA_OK);
    assert_true(text.entry_count > 0);
    assert_int_equal(full->dict.entry_count, text.entry_count);
    assert_int_equal(quick->dict.entry_count, text.entry_count);
    errata_dictionary_clear(&text);
    assert_int_equal(errata_engine_keys_checksum(quick), errata_engine_keys_checksum(full));
    errata_engine_free(full);
    errata_engine_free(quick);
}

/* Opened as the built-in image, an image's header, layout and size are
   checked, its contents are not. */
static void built_in_opening_checks_the_layout(void **state)
{
    (void)state;
    errata_engine *engine = engine_on_dictionary_text(IMAGE_DICT, 1);
    unsigned char *image = NULL;
    size_t len = 0;
    assert_int_equal(errata_dictionary_image(engine, 42, &image, &len), ERRATA_OK);
    errata_engine *read = empty_engine();
    char expected[200];
    snprintf(expected, sizeof expected, "dict.bin: truncated: %zu bytes, the header says %zu",
             len - 8, len);
    assert_int_equal(errata_dictionary_open_built_in_image(read, image, len - 8, "dict.bin", "x"),
                     ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(), expected);
    image[48] ^= 1; /* the entry count */
    assert_int_equal(errata_dictionary_open_built_in_image(read, image, len, "dict.bin", "x"),
                     ERRATA_EFORMAT);
    assert_string_equal(errata_error_message(), "dict.bin: header checksum mismatch (corrupted header)");
    image[48] ^= 1;
    image[len / 2] ^= 0x40; /* contents: not read */
    assert_int_equal(errata_dictionary_open_built_in_image(read, image, len, "dict.bin", "x"),
                     ERRATA_OK);
    assert_int_equal(read->dict.entry_count, 2);
    errata_engine_free(read);
    errata_engine_free(engine);
    free(image);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_entries_rules_and_examples),
        cmocka_unit_test(reports_each_error_with_its_line),
        cmocka_unit_test(reports_unreadable_file),
        cmocka_unit_test(matches_context_strings),
        cmocka_unit_test(joins_a_context_list_given_twice),
        cmocka_unit_test(image_reads_back_the_dictionary),
        cmocka_unit_test(unsound_image_is_refused),
        cmocka_unit_test(built_in_image_is_sound),
        cmocka_unit_test(built_in_opening_checks_the_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
