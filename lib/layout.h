/* Shared by the layout passes (lib/layout*.c).
 *
 * The passes run one after another over a "view" of the text: a sequence of
 * code points, each knowing the bytes of the original text it came from.  A
 * pass proposes changes in view positions; errata_layout_edit() turns them
 * into edits of the original text, and errata_layout_commit() rebuilds the
 * view as if the applied ones had been made.  So a later pass sees the text
 * without the chunk markers and footers an earlier one removed, and can never
 * touch bytes an earlier edit already covers.
 *
 * The passes' scans read the code points, two bytes a character: the few
 * beyond U+FFFF stand there as ERRATA_LAYOUT_ASTRAL, a surrogate (never a
 * character of valid UTF-8), and are kept apart with their positions.  A
 * huge document's code points are not held at all but decoded into a few
 * windows as the passes read them (see errata_layout_window).  Where a
 * character came from is read only when an edit is made, so it is not kept
 * for each character (a huge document's view would be twice as large): it
 * is kept at "marks", positions where it does not follow from the character
 * before (the first, one after an edit's characters, one every
 * ERRATA_LAYOUT_MARK_EVERY positions at most), and worked out from the
 * nearest mark before: an original character's bytes follow the one
 * before's, whose length its code point gives; a made character has the
 * same source as the one before it.  What a position is (an original
 * character, one an edit covers, or one an edit made) is kept at the marks
 * too: the marks are also placed where that changes, so all the positions
 * from one mark to the next are of one kind (a byte a character would make
 * the view a quarter larger).
  */
#ifndef ERRATA_LAYOUT_H
#define ERRATA_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* 32 bits: commits move the view's arrays, so their size is most of the
   passes' cost; errata_layout_check() leaves texts of 4 GiB and more alone. */
typedef struct {
    uint32_t start, end; /* bytes of the original text (start == end: inserted) */
} errata_layout_span;

/* What a view position is, in errata_layout_marks.kind. */
enum {
    ERRATA_LAYOUT_FREE = 0,   /* an original character no edit covers */
    ERRATA_LAYOUT_LOCKED = 1, /* an original character a proposal or a flag covers */
    ERRATA_LAYOUT_MADE = 2,   /* a character of an applied edit's new text */
    ERRATA_LAYOUT_KIND = 3,   /* the bits of the kind, */
    /* and one more: the mark's characters are original ones whose bytes
       follow those of the characters before it (a mark that only bounds
       the walk to a source), so a window is decoded across it in one run */
    ERRATA_LAYOUT_RUNS_ON = 4
};

typedef struct errata_layout_change errata_layout_change;

/* In the view's array: a code point beyond U+FFFF, kept in
   errata_layout.astral. */
#define ERRATA_LAYOUT_ASTRAL 0xD800

typedef struct {
    size_t at;   /* view position */
    uint32_t cp; /* the code point there */
} errata_layout_astral;

/* The longest walk from a mark to the position whose source is asked for
   (apart from the characters of one edit's new text). */
#define ERRATA_LAYOUT_MARK_EVERY 32

typedef struct {
    uint32_t *at;    /* view positions, in order (the first is 0) */
    uint32_t *start; /* where the character there comes from: an original
                        one, the offset of its bytes; a made one, its span's
                        index in errata_layout.made */
    unsigned char *kind; /* ERRATA_LAYOUT_* of the positions from there to the
                            next mark (and ERRATA_LAYOUT_RUNS_ON) */
    size_t count, cap;
    size_t hint; /* the mark found last: most look-ups are near it */
} errata_layout_marks;

/* View positions [from, from + count) of the view's code points (see
   ERRATA_LAYOUT_ASTRAL). */
typedef struct {
    size_t from, count;
    uint16_t *cps;
} errata_layout_window;

/* A huge document's view keeps no array of code points (two bytes a
   character): they are decoded from the text, at the marks' sources, into
   a few windows, the one read last first.  A scan moving on past a window
   decodes the next big one; a read far away, a small one around it (a
   pass may compare two distant lines character by character). */
#define ERRATA_LAYOUT_WINDOWS 4
#define ERRATA_LAYOUT_NEAR 256
/* A view of fewer than this many windows' characters is held whole: its two
   bytes a character fit in the memory that twice the document's size
   allows, and decoding the text again for each of the passes' scans would
   cost a tenth more time. */
#define ERRATA_LAYOUT_WHOLE_WINDOWS 32

typedef struct {
    const char *text;
    size_t len;
    const errata_check_options *opts;
    errata_edit_list *list;
    errata_layout_window window[ERRATA_LAYOUT_WINDOWS]; /* window[0]: read last;
                                  with the whole view in cps, the only one */
    size_t window_size;   /* positions a window holds; 0: the whole view is in cps */
    uint16_t *cps;        /* the whole view's code points (NULL in windows), */
    errata_layout_astral *astral; /* those beyond U+FFFF, by position */
    size_t astral_count, astral_cap;
    errata_layout_marks marks; /* and the marks (where each comes from, and
                                  whether an edit made or covers it: later
                                  edits keep off it) */
    size_t count, cap;
    errata_layout_span *made; /* the spans the applied edits replaced, */
    uint32_t *made_edit;  /* and the edits whose new text they made, */
    size_t made_count, made_cap; /* one per edit making characters */
    errata_layout_change *changes; /* made since the last commit */
    size_t change_count, change_cap;
    size_t growth; /* the most the changes can lengthen the view */
    unsigned char *claimed; /* per original byte offset: CLAIM_* bits, four
                               offsets a byte */
    int site_damage;        /* chunk markers or page footers were found */
    int may_break; /* 0: the view holds no line break (the text has none, and
                      no applied edit made one): a text on one line skips
                      the passes' searches for them.  Set by the commit
                      that makes one, whichever pass made it, so that the
                      searches stay right in any order of the passes
                      (test_layout_view) */
} errata_layout;

/* The view of text (len bytes, code_points code points) before any pass,
   in windows of `window` code points if it holds 32 windows or more (see
   errata_layout_check()); its edits go to list.  errata_layout_close()
   frees it, whether this succeeded or not.  errata_layout_check() runs the
   passes between the two; the unit tests make edits of their own. */
int errata_layout_open(errata_layout *lay, const char *text, size_t len, size_t code_points,
                       size_t window, const errata_check_options *opts, errata_edit_list *list);
void errata_layout_close(errata_layout *lay);

/* Replace view positions [from, to) by new_text (from == to: insert before
   from).  Returns 1 if the edit was added, 0 if its rule is switched off or
   its span cannot be edited (made or covered by another edit), or a negative
   error code. */
int errata_layout_edit(errata_layout *lay, size_t from, size_t to, const char *new_text,
                       const char *rule, errata_kind kind, double confidence,
                       const char *reason_fmt, ...) __attribute__((format(printf, 8, 9)));

/* Report view positions [from, to) as damage that cannot be restored. */
int errata_layout_flag(errata_layout *lay, size_t from, size_t to, const char *rule,
                       double confidence, const char *reason_fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Rebuild the view with the edits made since the last commit. */
int errata_layout_commit(errata_layout *lay);

#ifdef ERRATA_LAYOUT_WINDOWED
#define errata_layout_chunk_markers errata_layout_chunk_markers_windowed
#define errata_layout_page_furniture errata_layout_page_furniture_windowed
#define errata_layout_line_joins errata_layout_line_joins_windowed
#define errata_layout_heading_breaks errata_layout_heading_breaks_windowed
#define errata_layout_punctuation errata_layout_punctuation_windowed
#define errata_layout_quotes errata_layout_quotes_windowed
#define errata_layout_numbers errata_layout_numbers_windowed
#define errata_layout_is_cjk_punct errata_layout_is_cjk_punct_windowed
#define errata_layout_is_chinese errata_layout_is_chinese_windowed
#define errata_layout_ends_sentence errata_layout_ends_sentence_windowed
#define errata_layout_is_full_stop errata_layout_is_full_stop_windowed
#define errata_layout_cn_number errata_layout_cn_number_windowed
#define errata_layout_digits errata_layout_digits_windowed
#define errata_layout_matches errata_layout_matches_windowed
#define errata_layout_strlen errata_layout_strlen_windowed
#define errata_layout_in_set errata_layout_in_set_windowed
#define errata_layout_set_init errata_layout_set_init_windowed
#define errata_layout_starts_heading errata_layout_starts_heading_windowed
#endif

/* The passes, in the order they run. */
int errata_layout_chunk_markers(errata_layout *lay);
int errata_layout_page_furniture(errata_layout *lay);
int errata_layout_line_joins(errata_layout *lay);
int errata_layout_heading_breaks(errata_layout *lay);
int errata_layout_punctuation(errata_layout *lay);
int errata_layout_quotes(errata_layout *lay);
int errata_layout_numbers(errata_layout *lay);
/* The same over a view kept in windows. */
int errata_layout_chunk_markers_windowed(errata_layout *lay);
int errata_layout_page_furniture_windowed(errata_layout *lay);
int errata_layout_line_joins_windowed(errata_layout *lay);
int errata_layout_heading_breaks_windowed(errata_layout *lay);
int errata_layout_punctuation_windowed(errata_layout *lay);
int errata_layout_quotes_windowed(errata_layout *lay);
int errata_layout_numbers_windowed(errata_layout *lay);

/* ------------------------------------------------------------ characters */

/* The code point at view position i beyond U+FFFF (rare: kept off the
   passes' loops). */
uint32_t errata_layout_astral_at(const errata_layout *lay, size_t i) __attribute__((cold));

/* The value at view position i outside window[0] (decoding it into a
   window if the view is kept in them); 0 beyond the view. */
uint32_t errata_layout_fetch(const errata_layout *lay, size_t i);

/* The value at view position i (< count) as the view keeps it (see
   errata_layout_raw()), whether it is held whole or in windows. */
static inline uint32_t errata_layout_value_any(const errata_layout *lay, size_t i)
{
    size_t k = i - lay->window[0].from;
    return __builtin_expect(k < lay->window[0].count, 1) ? lay->window[0].cps[k]
                                                         : errata_layout_fetch(lay, i);
}

/* The passes read the view through this at every position they scan, so
   they are built twice (see the Makefile): for a view held whole, reading
   its array with no test, and with ERRATA_LAYOUT_WINDOWED for one kept in
   windows, whose functions are named *_windowed. */
static inline uint32_t errata_layout_value(const errata_layout *lay, size_t i)
{
#ifdef ERRATA_LAYOUT_WINDOWED
    return errata_layout_value_any(lay, i);
#else
    return lay->cps[i];
#endif
}

/* The code point at view position i (< count). */
static inline uint32_t errata_layout_at(const errata_layout *lay, size_t i)
{
    uint32_t cp = errata_layout_value(lay, i);
    return __builtin_expect(cp != ERRATA_LAYOUT_ASTRAL, 1) ? cp : errata_layout_astral_at(lay, i);
}

/* The value at view position i (< count) as the view keeps it: the code
   point up to U+FFFF, ERRATA_LAYOUT_ASTRAL beyond.  Exact wherever it is
   only compared with characters up to U+FFFF (line breaks, punctuation,
   digits, a set's members), which no other character equals: the passes'
   scans over the whole view use it to skip errata_layout_at()'s test. */
static inline uint32_t errata_layout_raw(const errata_layout *lay, size_t i)
{
    return errata_layout_value(lay, i);
}

/* The first view position from i on that holds c (a character up to
   U+FFFF), or count if none does.  A line break is not searched for in a
   view that holds none: the scans over the whole view for line starts and
   line breaks cost a text on one line nothing. */
static inline size_t errata_layout_find(const errata_layout *lay, size_t i, uint32_t c)
{
    if (c == '\n' && !lay->may_break)
        return i > lay->count ? i : lay->count;
    while (i < lay->count && errata_layout_raw(lay, i) != c)
        i++;
    return i;
}

/* The code point at view position i, or 0 outside the view. */
static inline uint32_t errata_layout_cp(const errata_layout *lay, size_t i)
{
    return i < lay->count ? errata_layout_at(lay, i) : 0;
}

/* The code point before view position i, or 0 at the start. */
static inline uint32_t errata_layout_before(const errata_layout *lay, size_t i)
{
    return i > 0 && i <= lay->count ? errata_layout_at(lay, i - 1) : 0;
}

static inline int errata_layout_is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

static inline int errata_layout_is_latin(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* Space within a line: ASCII space, tab, ideographic space. */
static inline int errata_layout_is_blank(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == '\r';
}

/* Chinese punctuation: CJK symbols, full-width forms, curly quotes, … and —. */
int errata_layout_is_cjk_punct(uint32_t cp);
/* A Han character or Chinese punctuation. */
int errata_layout_is_chinese(uint32_t cp);
/* Punctuation that ends a sentence or a clause for good: 。！？；：… and the
   closing marks that follow them. */
int errata_layout_ends_sentence(uint32_t cp);
/* 。！？ only. */
int errata_layout_is_full_stop(uint32_t cp);
/* Value of a Chinese numeral digit 〇一二…九 (0-9), 十 (10), or -1. */
static inline int errata_layout_cn_digit(uint32_t cp)
{
    switch (cp) {
    case 0x3007: return 0;  /* 〇 */
    case 0x4E00: return 1;  /* 一 */
    case 0x4E8C: return 2;  /* 二 */
    case 0x4E09: return 3;  /* 三 */
    case 0x56DB: return 4;  /* 四 */
    case 0x4E94: return 5;  /* 五 */
    case 0x516D: return 6;  /* 六 */
    case 0x4E03: return 7;  /* 七 */
    case 0x516B: return 8;  /* 八 */
    case 0x4E5D: return 9;  /* 九 */
    case 0x5341: return 10; /* 十 */
    default: return -1;
    }
}

/* Parse a Chinese number of 1-99 (一, 十二, 二十三) at view position i:
   returns its length in code points (0 if none) and sets *value. */
size_t errata_layout_cn_number(const errata_layout *lay, size_t i, int *value);
/* Parse ASCII digits at i (at most max_digits): length, and *value. */
size_t errata_layout_digits(const errata_layout *lay, size_t i, size_t max_digits, long *value);
/* Whether the view at i reads the UTF-8 string s. */
int errata_layout_matches(const errata_layout *lay, size_t i, const char *s);
/* Length in code points of the UTF-8 string s. */
size_t errata_layout_strlen(const char *s);
/* Whether cp is one of the code points of the UTF-8 string set. */
int errata_layout_in_set(uint32_t cp, const char *set);

/* A set of code points decoded once, for tests at every position of the
   view: a filter on the low 10 bits rejects most code points at once. */
#define ERRATA_LAYOUT_SET_MAX 128
typedef struct {
    uint64_t filter[16];
    uint32_t members[ERRATA_LAYOUT_SET_MAX];
    size_t count;
} errata_layout_set;

/* The set of the code points of the UTF-8 string members (at most
   ERRATA_LAYOUT_SET_MAX). */
void errata_layout_set_init(errata_layout_set *set, const char *members);

static inline int errata_layout_set_has(const errata_layout_set *set, uint32_t cp)
{
    if (!((set->filter[(cp >> 6) & 15] >> (cp & 63)) & 1))
        return 0;
    for (size_t i = 0; i < set->count; i++)
        if (set->members[i] == cp)
            return 1;
    return 0;
}
/* Whether a heading or list-item marker starts at view position i
   (一、 （一） (1) 1、 1. 第一条 一是 ① …). */
int errata_layout_starts_heading(const errata_layout *lay, size_t i);

#endif
