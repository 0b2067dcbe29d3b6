/* Lines and paragraphs: join lines broken inside a sentence (page breaks,
   hard wrapping), and break again where the site ran a title or a heading
   into the text (镇党委典型事迹材料镇地处…, …谋发展一是立足…). */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define UNSURE_JOIN 0.75 /* a join without the site's traces: proposed */
#define WIDTH_SLOTS 201      /* line lengths counted for the wrapping width */
#define MIN_WRAPPED_LINES 5  /* lines of one length that show hard wrapping */
#define LONG_LINE 40         /* a line this long does not end without punctuation */
#define SHORT_LINE 15
#define MAX_VERSE 24         /* lines of verse (equal, ending in punctuation) are short */
#define MAX_HEADING 40       /* a heading that runs into the text is at most this long */
#define MIN_ITEM 40          /* items of an 一是/二是 series set as paragraphs */
#define MAX_TITLE 40
#define FLAT_TEXT 300        /* code points per line break, at least, in a flattened text */

/* ------------------------------------------------------------ lines */

typedef struct {
    size_t first, last; /* first code point, and one past the last, without blanks */
} line_span;

/* View positions [start, end) without the blanks at either end. */
static line_span trim_line(const errata_layout *lay, size_t start, size_t end)
{
    line_span s = {start, end};
    while (s.first < s.last && errata_layout_is_blank(errata_layout_at(lay, s.first)))
        s.first++;
    while (s.last > s.first && errata_layout_is_blank(errata_layout_at(lay, s.last - 1)))
        s.last--;
    return s;
}

/* The view's line breaks, found once for the pass. */
typedef struct {
    size_t *at; /* their positions */
    size_t count;
} line_breaks;

static int find_line_breaks(const errata_layout *lay, line_breaks *breaks)
{
    size_t cap = 0;
    for (size_t i = errata_layout_find(lay, 0, '\n'); i < lay->count;
         i = errata_layout_find(lay, i + 1, '\n')) {
        if (errata_grow((void **)&breaks->at, &cap, breaks->count + 1, sizeof *breaks->at))
            return ERRATA_ENOMEM;
        breaks->at[breaks->count++] = i;
    }
    return ERRATA_OK;
}

/* Line k: from line break k - 1 (or the start) to line break k (or the
   end), without blanks. */
static line_span line_at(const errata_layout *lay, const line_breaks *breaks, size_t k)
{
    size_t start = k == 0 ? 0 : breaks->at[k - 1] + 1;
    size_t end = k < breaks->count ? breaks->at[k] : lay->count;
    return trim_line(lay, start, end);
}

/* Table rows and aligned columns: box drawing, tabs, runs of spaces. */
static int is_tabular(const errata_layout *lay, line_span s)
{
    for (size_t i = s.first; i < s.last; i++) {
        uint32_t c = errata_layout_at(lay, i);
        if (c > 0x257F)
            continue; /* Han and most others: none of the marks below */
        if (c >= 0x2500 || c == '\t' || (c == ' ' && errata_layout_cp(lay, i + 1) == ' '))
            return 1;
    }
    return 0;
}

/* The length of most lines that end with a Han character (give or take
   one), if they show the text was wrapped at a fixed width (else 0). */
static size_t wrapping_width(const errata_layout *lay, const line_breaks *breaks)
{
    size_t counts[WIDTH_SLOTS + 1] = {0}, lines = 0;
    for (size_t k = 0; k < breaks->count; k++) {
        line_span s = line_at(lay, breaks, k);
        size_t length = s.last - s.first;
        if (length < 10 || !errata_is_han(errata_layout_at(lay, s.last - 1)) || is_tabular(lay, s))
            continue;
        lines++;
        if (length < WIDTH_SLOTS)
            counts[length]++;
    }
    size_t best = 0, best_count = 0;
    for (size_t w = 1; w < WIDTH_SLOTS; w++) {
        size_t around = counts[w - 1] + counts[w] + counts[w + 1];
        if (around > best_count) {
            best = w;
            best_count = around;
        }
    }
    return best_count >= MIN_WRAPPED_LINES && best_count * 2 >= lines ? best : 0;
}

static int is_indent(const errata_layout *lay, size_t i)
{
    uint32_t c = errata_layout_cp(lay, i);
    return c == 0x3000 || c == '\t' || (c == ' ' && errata_layout_cp(lay, i + 1) == ' ');
}

/* Whether the last and next code points around a line break can belong to
   one Chinese sentence; a number may be cut only in a long or full line. */
static int continues_sentence(uint32_t last, uint32_t next, int full_line)
{
    int next_ok = errata_is_han(next) || errata_layout_is_digit(next) ||
                  errata_layout_in_set(next, "“《（，、；：。）”》,;:)"); /* no line starts with a comma */
    if (!next_ok)
        return 0;
    return errata_is_han(last) || (errata_layout_is_digit(last) && full_line);
}

typedef struct {
    double confidence; /* 0: keep the line break */
    const char *reason;
} join_verdict;

/* Whether the line break at newline, between lines a and after, falls
   inside a sentence.  Without evidence of the site, joins are only proposed:
   clean texts are hard-wrapped at a fixed width too (rendered manual pages),
   and stay as they are. */
static join_verdict judge_break(const errata_layout *lay, line_span a, line_span after,
                                size_t newline, size_t width)
{
    const join_verdict keep = {0, NULL};
    size_t b = newline + 1;
    if (a.last == a.first || after.last == after.first || is_indent(lay, b))
        return keep;
    b = after.first;
    uint32_t last = errata_layout_at(lay, a.last - 1), next = errata_layout_at(lay, b);
    uint32_t after_last = errata_layout_at(lay, after.last - 1);
    size_t length = a.last - a.first, after_length = after.last - after.first;
    if (errata_layout_starts_heading(lay, b) || is_tabular(lay, a) || is_tabular(lay, after) ||
        (after_length < SHORT_LINE && !errata_layout_ends_sentence(after_last)))
        return keep; /* a heading, a table, or a short line that reads as a heading */
    int verse = after_length == length && length <= MAX_VERSE &&
                errata_layout_ends_sentence(after_last);
    double sure_or_unsure = lay->site_damage ? 0.85 : UNSURE_JOIN;
    int at_width = width && length + 1 >= width && length <= width + 1 && length >= SHORT_LINE;
    if (at_width && errata_layout_ends_sentence(last) && continues_sentence(0x4E00, next, 1))
        return errata_layout_in_set(last, "，；：、,;:")
                   ? (join_verdict){sure_or_unsure, "line broken at the wrapping width, after a comma"}
                   : (join_verdict){0.6, "line at the wrapping width ends a sentence"};
    if (errata_layout_in_set(last, "，、（“《「『【,(") && length >= SHORT_LINE && !verse &&
        continues_sentence(0x4E00, next, 1))
        return (join_verdict){lay->site_damage ? 0.9 : UNSURE_JOIN, "line broken after a comma"};
    if (!continues_sentence(last, next, at_width || length >= LONG_LINE) ||
        (errata_layout_starts_heading(lay, a.first) && length < MAX_HEADING))
        return keep;
    if (at_width)
        return (join_verdict){sure_or_unsure, "line broken at the wrapping width, mid-sentence"};
    if (length >= LONG_LINE)
        return (join_verdict){lay->site_damage ? 0.85 : 0.7, "long line broken mid-sentence"};
    if (length >= SHORT_LINE && errata_is_han(next) && a.first > 0)
        return (join_verdict){0.65, "line ends mid-sentence"};
    return keep;
}

static int join_lines(errata_layout *lay, const line_breaks *breaks)
{
    size_t width = wrapping_width(lay, breaks);
    for (size_t k = 0; k < breaks->count; k++) {
        size_t i = breaks->at[k];
        join_verdict v = judge_break(lay, line_at(lay, breaks, k), line_at(lay, breaks, k + 1), i,
                                     width);
        if (v.confidence == 0)
            continue;
        size_t from = i > 0 && errata_layout_at(lay, i - 1) == '\r' ? i - 1 : i;
        int rc = errata_layout_edit(lay, from, i + 1, "", "layout/line-break", ERRATA_KIND_LAYOUT,
                                    v.confidence, "%s", v.reason);
        if (rc < 0)
            return rc;
    }
    return ERRATA_OK;
}

int errata_layout_line_joins(errata_layout *lay)
{
    line_breaks breaks = {0};
    int rc = find_line_breaks(lay, &breaks);
    if (!rc)
        rc = join_lines(lay, &breaks);
    free(breaks.at);
    return rc;
}

/* ------------------------------------------------------------ headings */

typedef enum { H_SECTION, H_SUBSECTION, H_ARTICLE, H_CHAPTER, H_ITEM, H_TYPES } heading_type;

typedef struct {
    size_t pos;
    int value;
    heading_type type;
    size_t series;       /* length of the 1, 2, 3 … series it belongs to (0: none) */
    size_t series_start; /* index of the series' first candidate */
    size_t next_in_series; /* position of the next item, or SIZE_MAX */
    int in_series;
} heading;

typedef struct {
    heading *items;
    size_t count, cap;
} heading_list;

/* 一、 （一） 第一条 第一章 一是 at i; returns its type or H_TYPES. */
static heading_type heading_at(const errata_layout *lay, size_t i, int *value)
{
    uint32_t c = errata_layout_cp(lay, i), before = errata_layout_before(lay, i);
    if (c != '(' && c != 0xFF08 && c != 0x7B2C && errata_layout_cn_digit(c) <= 0)
        return H_TYPES; /* most characters: no heading can start here */
    if (c == '(' || c == 0xFF08) {
        size_t n = errata_layout_cn_number(lay, i + 1, value);
        uint32_t close = errata_layout_cp(lay, i + 1 + n);
        return n && (close == ')' || close == 0xFF09) ? H_SUBSECTION : H_TYPES;
    }
    if (c == 0x7B2C) { /* 第 */
        size_t n = errata_layout_cn_number(lay, i + 1, value);
        uint32_t kind = errata_layout_cp(lay, i + 1 + n);
        if (!n)
            return H_TYPES;
        return kind == 0x6761 ? H_ARTICLE : kind == 0x7AE0 ? H_CHAPTER : H_TYPES; /* 条 章 */
    }
    if (errata_layout_cn_digit(before) >= 0 || before == 0x7B2C)
        return H_TYPES;
    size_t n = errata_layout_cn_number(lay, i, value);
    uint32_t after = errata_layout_cp(lay, i + n);
    if (!n)
        return H_TYPES;
    if (after == 0x3001) /* 、, but not an enumeration 一、二年级 */
        return errata_layout_cn_digit(errata_layout_cp(lay, i + n + 1)) < 0 ? H_SECTION : H_TYPES;
    if (after == 0x662F && !errata_layout_in_set(before, "统唯单同万划专之合归均逐不"))
        return H_ITEM; /* 是 */
    return H_TYPES;
}

static int collect_headings(const errata_layout *lay, heading_list *list)
{
    errata_layout_set starts; /* where heading_at() can find one */
    errata_layout_set_init(&starts, "(（第一二三四五六七八九十");
    for (size_t i = 0; i < lay->count; i++) {
        if (!errata_layout_set_has(&starts, errata_layout_raw(lay, i)))
            continue;
        int value;
        heading_type type = heading_at(lay, i, &value);
        if (type == H_TYPES)
            continue;
        if (errata_grow((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items))
            return ERRATA_ENOMEM;
        list->items[list->count++] = (heading){i, value, type, 0, 0, SIZE_MAX, 0};
    }
    return ERRATA_OK;
}

/* Group each type's candidates into series 1, 2, 3 … in text order; a 1
   starts a new series, a number out of turn belongs to none. */
static void find_series(heading_list *list)
{
    for (int type = 0; type < H_TYPES; type++) {
        size_t last = SIZE_MAX;
        for (size_t k = 0; k < list->count; k++) {
            heading *h = &list->items[k];
            if (h->type != (heading_type)type)
                continue;
            if (h->value == 1) {
                h->series_start = k;
            } else if (last != SIZE_MAX && h->value == list->items[last].value + 1) {
                h->series_start = list->items[last].series_start;
                list->items[last].next_in_series = h->pos;
            } else {
                continue;
            }
            h->in_series = 1;
            list->items[h->series_start].series++;
            last = k;
        }
    }
    for (size_t k = 0; k < list->count; k++)
        if (list->items[k].in_series)
            list->items[k].series = list->items[list->items[k].series_start].series;
}

/* The code point before i, over blanks; *at is set to its position. */
static uint32_t previous_visible(const errata_layout *lay, size_t i, size_t *at)
{
    while (i > 0 && errata_layout_is_blank(errata_layout_at(lay, i - 1)))
        i--;
    *at = i;
    return errata_layout_before(lay, i);
}

/* Whether a heading of a series (一、, or with subsections also （一）)
   starts shortly before i with no sentence end between: the text before i
   is that heading's title. */
static int follows_heading(const errata_layout *lay, const heading_list *list, size_t i,
                           int subsections)
{
    /* The list is in text order: skip to the headings less than
       MAX_HEADING before i. */
    size_t lo = 0, hi = list->count, from = i > MAX_HEADING ? i - MAX_HEADING : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list->items[mid].pos < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < list->count && list->items[k].pos < i; k++) {
        const heading *h = &list->items[k];
        int level = h->type == H_SECTION || (subsections && h->type == H_SUBSECTION);
        if (h->pos >= i || i - h->pos > MAX_HEADING || !level || h->series < 2)
            continue;
        size_t j = h->pos;
        while (j < i && !errata_layout_is_full_stop(errata_layout_at(lay, j)) && errata_layout_at(lay, j) != 0xFF1B)
            j++;
        if (j == i)
            return 1;
    }
    return 0;
}

/* Confidence that a heading or series item ran into the text before it.
   Items of an 一是/二是 series are often written inline in one paragraph,
   so only one right after a heading's title is set apart with confidence;
   in a flattened text, one after a full stop is proposed. */
static double heading_confidence(const errata_layout *lay, const heading_list *list,
                                 const heading *h, int flattened)
{
    size_t at;
    uint32_t before = previous_visible(lay, h->pos, &at);
    if (before == '\n' || at == 0 || h->series == 0)
        return 0;
    int stop = errata_layout_is_full_stop(before);
    int after_heading = errata_is_han(before) &&
                        follows_heading(lay, list, h->pos, h->type == H_ITEM);
    if (h->type != H_ITEM) {
        if (!stop && !(h->type == H_SUBSECTION && after_heading))
            return 0;
        return h->series >= 2 ? 0.85 : flattened ? 0.6 : 0;
    }
    if (h->series < 2)
        return 0;
    if (after_heading)
        return 0.8;
    int long_item = h->next_in_series == SIZE_MAX || h->next_in_series - h->pos >= MIN_ITEM;
    return stop && long_item && flattened ? 0.6 : 0;
}

/* The view's line breaks: all of them, and the first of each run, followed
   by another one (a blank line) or not. */
typedef struct {
    size_t total, single, blank;
} break_census;

static break_census count_breaks(const errata_layout *lay)
{
    break_census c = {0, 0, 0};
    for (size_t i = errata_layout_find(lay, 0, '\n'); i < lay->count;
         i = errata_layout_find(lay, i + 1, '\n')) {
        c.total++;
        if (i == 0 || i + 1 == lay->count || errata_layout_at(lay, i - 1) == '\n')
            continue;
        if (errata_layout_at(lay, i + 1) == '\n')
            c.blank++;
        else
            c.single++;
    }
    return c;
}

/* Whether the text has lost its line breaks: fewer than one per FLAT_TEXT
   code points. */
static int is_flattened(const errata_layout *lay, const break_census *c)
{
    return c->total * FLAT_TEXT < lay->count;
}

static const char *heading_name(heading_type type)
{
    static const char *const names[] = {"section heading", "subsection heading", "article",
                                        "chapter", "series item"};
    return names[type];
}

/* The document's paragraph break: a blank line if most of its breaks are. */
static const char *paragraph_break(const break_census *c)
{
    return c->blank > c->single ? "\n\n" : "\n";
}

static int break_headings(errata_layout *lay, const heading_list *list, const char *separator,
                          int flattened)
{
    for (size_t k = 0; k < list->count; k++) {
        const heading *h = &list->items[k];
        double confidence = heading_confidence(lay, list, h, flattened);
        if (confidence == 0)
            continue;
        const char *rule = h->type == H_ITEM ? "layout/item-break" : "layout/heading-break";
        int rc = errata_layout_edit(lay, h->pos, h->pos, separator, rule, ERRATA_KIND_LAYOUT,
                                    confidence, "%s %d ran into the text (a series of %zu in order)",
                                    heading_name(h->type), h->value, h->series);
        if (rc < 0)
            return rc;
    }
    return ERRATA_OK;
}

/* ------------------------------------------------------------ title */

static const char *const title_words[] = {
    "材料", "报告", "方案", "总结", "计划", "意见", "通知", "办法", "规定", "细则", "讲话",
    "汇报", "决定", "通报", "要点", "规划", "预案", "制度", "规则", "章程", "守则", "须知",
    "公告", "倡议书", "申请书", "心得体会", "发言稿", "讲话稿", "致辞", "纪要", "简报", "请示",
    "批复", "条例",
};

/* Whether a title word ends at view position end.  The character before
   end is compared with each word's last one first: this is asked for every
   position of a text's opening, and most words end otherwise. */
static int title_word_ends(const errata_layout *lay, size_t end)
{
    if (end == 0)
        return 0;
    char last[4];
    size_t last_len = errata_utf8_encode(errata_layout_cp(lay, end - 1), last);
    for (size_t w = 0; w < sizeof title_words / sizeof *title_words; w++) {
        const char *word = title_words[w];
        size_t bytes = strlen(word);
        if (bytes < last_len || memcmp(word + bytes - last_len, last, last_len) != 0)
            continue;
        size_t n = errata_layout_strlen(word);
        if (end >= n && errata_layout_matches(lay, end - n, word))
            return 1;
    }
    return 0;
}

/* Where the title that opens a flattened text ends, or 0. */
static size_t title_end(const errata_layout *lay)
{
    size_t start = 0;
    while (start < lay->count && errata_layout_is_blank(errata_layout_at(lay, start)))
        start++;
    for (size_t t = start + 4; t < lay->count && t <= start + MAX_TITLE; t++) {
        uint32_t c = errata_layout_at(lay, t - 1);
        if (!errata_is_han(c) && !errata_layout_is_digit(c) && !errata_layout_in_set(c, "《》“”（）—·、"))
            return 0; /* titles are Chinese, without sentence punctuation */
        if (title_word_ends(lay, t) && !title_word_ends(lay, t + 1) &&
            !title_word_ends(lay, t + 2) &&
            !errata_layout_in_set(errata_layout_cp(lay, t), "的之和及与暨（(《—、\n"))
            return t;
    }
    return 0;
}

/* The colon ending a salutation (各位代表：) that starts at t, or 0. */
static size_t salutation_end(const errata_layout *lay, size_t t)
{
    for (size_t i = t; i < lay->count && i < t + 25; i++) {
        uint32_t c = errata_layout_at(lay, i);
        if (c == 0xFF1A || c == ':') /* ： */
            return i;
        if (!errata_is_han(c) && c != 0x3001) /* 、 */
            return 0;
    }
    return 0;
}

/* Evidence that the body starts at t: a salutation, a heading, a body that
   opens with a word of the title, or a title opening with 关于. */
static int body_starts(const errata_layout *lay, size_t t)
{
    if (salutation_end(lay, t))
        return 1;
    for (size_t i = 0; i < t; i++)
        if (errata_layout_at(lay, i) == errata_layout_at(lay, t))
            return 1;
    return errata_layout_starts_heading(lay, t) || errata_layout_matches(lay, 0, "关于");
}

static int break_title(errata_layout *lay, const char *separator)
{
    size_t t = title_end(lay);
    if (!t || t >= lay->count)
        return ERRATA_OK;
    double confidence = body_starts(lay, t) ? 0.8 : 0.7;
    int rc = errata_layout_edit(lay, t, t, separator, "layout/title-break", ERRATA_KIND_LAYOUT,
                                confidence, "the title ran into the text");
    size_t colon = rc >= 0 ? salutation_end(lay, t) : 0;
    if (colon && errata_layout_cp(lay, colon + 1) != '\n')
        rc = errata_layout_edit(lay, colon + 1, colon + 1, separator, "layout/title-break",
                                ERRATA_KIND_LAYOUT, confidence,
                                "the salutation after the title ran into the text");
    return rc < 0 ? rc : ERRATA_OK;
}

int errata_layout_heading_breaks(errata_layout *lay)
{
    heading_list list = {0};
    break_census breaks = count_breaks(lay);
    const char *separator = paragraph_break(&breaks);
    int rc = break_title(lay, separator);
    if (!rc)
        rc = collect_headings(lay, &list);
    if (!rc) {
        find_series(&list);
        rc = break_headings(lay, &list, separator, is_flattened(lay, &breaks));
    }
    free(list.items);
    return rc;
}
