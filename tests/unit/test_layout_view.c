/* The layout view (lib/layout.c) driven directly: edits made here instead
   of by the passes, so that a view holds what today's passes never leave
   for a later one to read (a made run of several characters of several
   lengths, a proposal locking a span across an earlier edit).  Every view
   is read in windows of several sizes, in several orders, and must read as
   the text with the applied edits made; held whole, it must read the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* Read the view as the windowed passes do, which reads a view held whole
   too. */
#define ERRATA_LAYOUT_WINDOWED
#include "heading_texts.h"
#include "layout.h"

/* Characters of the test texts: enough for windows of up to five code
   points (a view is kept in windows when it holds 32 of them). */
#define CHARACTERS 200

/* Code point i of the test texts: one, two, three and four UTF-8 bytes in
   turn, each different from the others. */
static uint32_t text_cp(size_t i)
{
    switch (i % 4) {
    case 0: return 'A' + (uint32_t)(i / 4 % 26);
    case 1: return 0xC0 + (uint32_t)i;
    case 2: return 0x4E00 + (uint32_t)i;
    default: return 0x20000 + (uint32_t)i;
    }
}

/* The text of CHARACTERS code points text_cp(0), text_cp(1), ...; *offsets
   gets where each starts (and the length at CHARACTERS). */
static char *make_text(size_t offsets[CHARACTERS + 1])
{
    char *text = malloc(4 * CHARACTERS + 1);
    assert_non_null(text);
    size_t len = 0;
    for (size_t i = 0; i < CHARACTERS; i++) {
        offsets[i] = len;
        len += errata_utf8_encode(text_cp(i), text + len);
    }
    offsets[CHARACTERS] = len;
    text[len] = '\0';
    return text;
}

/* What a view must read: code points, count of them. */
typedef struct {
    uint32_t cps[CHARACTERS + 16];
    size_t count;
} expected_view;

/* The text's code points [from, to) appended to *e. */
static void expect_original(expected_view *e, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        e->cps[e->count++] = text_cp(i);
}

static void expect_text(expected_view *e, const char *s)
{
    for (size_t pos = 0, len = strlen(s); pos < len;)
        e->cps[e->count++] = errata_utf8_next(s, len, &pos);
}

/* Every position of the view read forwards, backwards and by strides of
   seven: a window then starts at every kind of place (a fetch going on
   past the window read last starts one there, any other a little before
   the position asked for). */
static void assert_view_reads(const errata_layout *lay, const expected_view *e)
{
    assert_int_equal(lay->count, e->count);
    for (size_t i = 0; i < e->count; i++)
        assert_int_equal(errata_layout_at(lay, i), e->cps[i]);
    for (size_t i = e->count; i-- > 0;)
        assert_int_equal(errata_layout_at(lay, i), e->cps[i]);
    for (size_t k = 0; k < e->count; k++) {
        size_t i = k * 7 % e->count;
        assert_int_equal(errata_layout_at(lay, i), e->cps[i]);
    }
}

/* The window sizes a view is tried in (SIZE_MAX: held whole). */
static const size_t windows[] = {1, 2, 3, 5, SIZE_MAX};

static void open_view(errata_layout *lay, const char *text, size_t len, size_t code_points,
                      size_t window, const errata_check_options *opts, errata_edit_list *list)
{
    memset(list, 0, sizeof *list);
    assert_int_equal(errata_layout_open(lay, text, len, code_points, window, opts, list),
                     ERRATA_OK);
    assert_int_equal(lay->window_size, window == SIZE_MAX ? 0 : window);
}

static void close_view(errata_layout *lay, errata_edit_list *list)
{
    errata_layout_close(lay);
    errata_edit_list_clear(list);
}

/* A made run of four characters of three, two, four and three bytes: a
   window starting at its second, third or fourth character decodes the
   edit's new text from that character on (the k-th character of a made
   run, k > 0), and one starting among the original characters after it
   decodes them from their mark, across characters of every length. */
static void a_window_starting_inside_a_made_run_decodes_from_there(void **state)
{
    (void)state;
    size_t offsets[CHARACTERS + 1];
    char *text = make_text(offsets);
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    for (size_t w = 0; w < sizeof windows / sizeof *windows; w++) {
        errata_layout lay;
        errata_edit_list list;
        open_view(&lay, text, offsets[CHARACTERS], CHARACTERS, windows[w], &opts, &list);
        assert_int_equal(errata_layout_edit(&lay, 9, 11, "《é𠀋》", "test/made", ERRATA_KIND_LAYOUT,
                                            1.0, "four characters for two"),
                         1);
        assert_int_equal(errata_layout_commit(&lay), ERRATA_OK);
        expected_view e = {.count = 0};
        expect_original(&e, 0, 9);
        expect_text(&e, "《é𠀋》");
        expect_original(&e, 11, CHARACTERS);
        assert_view_reads(&lay, &e);
        close_view(&lay, &list);
    }
    free(text);
}

/* A proposal (below the apply threshold) over view positions [18, 22)
   after an edit removed the text's characters [20, 23): the span it locks
   holds the mark where the characters after the removed ones start, whose
   bytes do not follow those before it.  The mark stays, locked: the view
   reads on with character 23; a flag inside the span gets that
   character's bytes; nothing else can be edited there. */
static void a_locked_span_keeps_a_mark_that_does_not_follow_on(void **state)
{
    (void)state;
    size_t offsets[CHARACTERS + 1];
    char *text = make_text(offsets);
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    for (size_t w = 0; w < sizeof windows / sizeof *windows; w++) {
        errata_layout lay;
        errata_edit_list list;
        open_view(&lay, text, offsets[CHARACTERS], CHARACTERS, windows[w], &opts, &list);
        assert_int_equal(errata_layout_edit(&lay, 20, 23, "", "test/removed", ERRATA_KIND_LAYOUT,
                                            1.0, "removed"),
                         1);
        assert_int_equal(errata_layout_commit(&lay), ERRATA_OK);
        assert_int_equal(errata_layout_edit(&lay, 18, 22, "?", "test/proposed", ERRATA_KIND_LAYOUT,
                                            0.6, "proposed"),
                         1);
        assert_int_equal(errata_layout_commit(&lay), ERRATA_OK);
        expected_view e = {.count = 0};
        expect_original(&e, 0, 20);
        expect_original(&e, 23, CHARACTERS);
        assert_view_reads(&lay, &e);
        size_t before = list.count;
        assert_int_equal(errata_layout_flag(&lay, 21, 22, "test/flag", 0.6, "flagged"), 1);
        errata_edit flag;
        errata_edit_list_get(&list, before, &flag);
        assert_int_equal(flag.byte_start, offsets[24]);
        assert_int_equal(flag.byte_end, offsets[25]);
        for (size_t at = 18; at < 22; at++) {
            assert_int_equal(errata_layout_edit(&lay, at, at + 1, "!", "test/refused",
                                                ERRATA_KIND_LAYOUT, 1.0, "refused"),
                             0);
            if (at > 18)
                assert_int_equal(errata_layout_edit(&lay, at, at, "!", "test/refused",
                                                    ERRATA_KIND_LAYOUT, 1.0, "refused"),
                                 0);
        }
        close_view(&lay, &list);
    }
    free(text);
}

/* The passes skip their searches for line breaks in a view that holds
   none (errata_layout_find()).  Only the heading pass makes line breaks,
   after those that search, but nothing in the view relies on that order:
   a commit that makes a line break marks the view as holding some, and a
   search after it finds them. */
static void a_line_break_made_by_an_edit_is_found(void **state)
{
    (void)state;
    size_t offsets[CHARACTERS + 1];
    char *text = make_text(offsets);
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    for (size_t w = 0; w < sizeof windows / sizeof *windows; w++) {
        errata_layout lay;
        errata_edit_list list;
        open_view(&lay, text, offsets[CHARACTERS], CHARACTERS, windows[w], &opts, &list);
        assert_int_equal(lay.may_break, 0);
        assert_int_equal(errata_layout_find(&lay, 0, '\n'), CHARACTERS);
        assert_int_equal(errata_layout_edit(&lay, 7, 7, "\n", "test/break", ERRATA_KIND_LAYOUT,
                                            1.0, "a line break"),
                         1);
        assert_int_equal(errata_layout_edit(&lay, 40, 41, "x\ny", "test/break",
                                            ERRATA_KIND_LAYOUT, 1.0, "a line break"),
                         1);
        assert_int_equal(errata_layout_commit(&lay), ERRATA_OK);
        assert_int_equal(lay.may_break, 1);
        assert_int_equal(errata_layout_find(&lay, 0, '\n'), 7);
        assert_int_equal(errata_layout_find(&lay, 8, '\n'), 42);
        assert_int_equal(errata_layout_find(&lay, 43, '\n'), CHARACTERS + 3);
        close_view(&lay, &list);
    }
    free(text);
}

/* The heading pass run on a text on one line, as the first pass: the line
   breaks it makes (those of test_layout's
   flattened_titles_and_headings_get_their_breaks) are found by the search
   the passes before it use. */
static void line_breaks_made_by_the_heading_pass_are_found(void **state)
{
    (void)state;
    const char *flat = FLATTENED_HEADINGS;
    const char *broken = HEADINGS_WITH_BREAKS;
    expected_view e = {.count = 0};
    expect_text(&e, broken);
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    for (size_t w = 0; w < 2; w++) {
        errata_layout lay;
        errata_edit_list list;
        open_view(&lay, flat, strlen(flat), errata_utf8_count(flat, strlen(flat)),
                  w ? SIZE_MAX : 1, &opts, &list);
        assert_int_equal(errata_layout_heading_breaks(&lay), ERRATA_OK);
        assert_int_equal(errata_layout_commit(&lay), ERRATA_OK);
        assert_int_equal(lay.may_break, 1);
        assert_view_reads(&lay, &e);
        size_t found = errata_layout_find(&lay, 0, '\n');
        for (size_t i = 0; i < e.count; i++) {
            if (e.cps[i] != '\n')
                continue;
            assert_int_equal(found, i);
            found = errata_layout_find(&lay, i + 1, '\n');
        }
        assert_int_equal(found, e.count);
        close_view(&lay, &list);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_window_starting_inside_a_made_run_decodes_from_there),
        cmocka_unit_test(a_locked_span_keeps_a_mark_that_does_not_follow_on),
        cmocka_unit_test(a_line_break_made_by_an_edit_is_found),
        cmocka_unit_test(line_breaks_made_by_the_heading_pass_are_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
