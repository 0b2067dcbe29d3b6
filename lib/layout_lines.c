/* Lines and paragraphs: join lines broken inside a sentence (page breaks,
   hard wrapping), and break again where the site ran a title or a heading
   into the text (镇党委典型事迹材料镇地处…, …谋发展一是立足…). */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#define WIDTH_SLOTS 201      /* line lengths counted for the wrapping width */
#define MIN_WRAPPED_LINES 3  /* lines of one length that show hard wrapping */
#define LONG_LINE 40         /* a line this long does not end without punctuation */
#define SHORT_LINE 15
#define MAX_HEADING 40       /* a heading that runs into the text is at most this long */
#define MIN_ITEM 40          /* items of an 一是/二是 series set as paragraphs */
#define MAX_TITLE 40

/* ------------------------------------------------------------ lines */

typedef struct {
    size_t first, last; /* first code point, and one past the last, without blanks */
} line_span;

static line_span line_before(const errata_layout *lay, size_t newline)
{
    size_t start = newline;
    while (start > 0 && lay->chars[start - 1].cp != '\n')
        start--;
    line_span s = {start, newline};
    while (s.first < s.last && errata_layout_is_blank(lay->chars[s.first].cp))
        s.first++;
    while (s.last > s.first && errata_layout_is_blank(lay->chars[s.last - 1].cp))
        s.last--;
    return s;
}

/* The most common length of lines that end without punctuation, if enough
   lines share it to show the text was wrapped at a fixed width (else 0). */
static size_t wrapping_width(const errata_layout *lay)
{
    size_t counts[WIDTH_SLOTS] = {0};
    for (size_t i = 0; i < lay->count; i++) {
        if (lay->chars[i].cp != '\n')
            continue;
        line_span s = line_before(lay, i);
        size_t length = s.last - s.first;
        if (length >= 10 && length < WIDTH_SLOTS &&
            !errata_layout_ends_sentence(lay->chars[s.last - 1].cp))
            counts[length]++;
    }
    size_t best = 0;
    for (size_t w = 1; w < WIDTH_SLOTS; w++)
        if (counts[w] > counts[best])
            best = w;
    return counts[best] >= MIN_WRAPPED_LINES ? best : 0;
}

static int is_indent(const errata_layout *lay, size_t i)
{
    uint32_t c = errata_layout_cp(lay, i);
    return c == 0x3000 || c == '\t' || (c == ' ' && errata_layout_cp(lay, i + 1) == ' ');
}

/* Confidence that the line break at newline is inside a sentence (0: keep). */
static double join_confidence(const errata_layout *lay, size_t newline, size_t width)
{
    line_span a = line_before(lay, newline);
    size_t b = newline + 1;
    if (a.last == a.first || b >= lay->count || is_indent(lay, b))
        return 0;
    while (errata_layout_cp(lay, b) == ' ')
        b++;
    uint32_t last = lay->chars[a.last - 1].cp, next = errata_layout_cp(lay, b);
    size_t length = a.last - a.first;
    if (next == '\n' || next == '\r' || errata_layout_starts_heading(lay, b) ||
        errata_layout_ends_sentence(last))
        return 0;
    if (errata_layout_in_set(last, "，、,（(“《「『【—"))
        return 0.9;
    if (errata_layout_starts_heading(lay, a.first) && length < MAX_HEADING)
        return 0;
    if ((width && length + 1 >= width && length <= width + 1) || length >= LONG_LINE)
        return 0.85;
    if (length >= SHORT_LINE && errata_is_han(next) && a.first > 0)
        return 0.65;
    return 0;
}

int errata_layout_line_joins(errata_layout *lay)
{
    size_t width = wrapping_width(lay);
    for (size_t i = 0; i < lay->count; i++) {
        if (lay->chars[i].cp != '\n')
            continue;
        double confidence = join_confidence(lay, i, width);
        if (confidence == 0)
            continue;
        size_t from = i > 0 && lay->chars[i - 1].cp == '\r' ? i - 1 : i;
        int words = errata_layout_is_latin(errata_layout_before(lay, from)) &&
                    errata_layout_is_latin(errata_layout_cp(lay, i + 1));
        int rc = errata_layout_edit(lay, from, i + 1, words ? " " : "", "layout/line-break",
                                    ERRATA_KIND_LAYOUT, confidence, "%s",
                                    confidence >= 0.9 ? "line broken after a comma"
                                    : width ? "line broken at the wrapping width, mid-sentence"
                                            : "long line broken mid-sentence");
        if (rc < 0)
            return rc;
    }
    return ERRATA_OK;
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
    if (after == 0x3001) /* 、 */
        return H_SECTION;
    if (after == 0x662F && !errata_layout_in_set(before, "统唯单同万划专之合归均逐不"))
        return H_ITEM; /* 是 */
    return H_TYPES;
}

static int collect_headings(const errata_layout *lay, heading_list *list)
{
    for (size_t i = 0; i < lay->count; i++) {
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
    while (i > 0 && errata_layout_is_blank(lay->chars[i - 1].cp))
        i--;
    *at = i;
    return errata_layout_before(lay, i);
}

/* Whether a section heading (一、 （一）) starts shortly before i with no
   sentence end between: the text before i is that heading's title. */
static int follows_heading(const errata_layout *lay, const heading_list *list, size_t i)
{
    for (size_t k = 0; k < list->count; k++) {
        const heading *h = &list->items[k];
        if (h->pos >= i || i - h->pos > MAX_HEADING ||
            (h->type != H_SECTION && h->type != H_SUBSECTION) || h->series < 2)
            continue;
        size_t j = h->pos;
        while (j < i && !errata_layout_is_full_stop(lay->chars[j].cp) && lay->chars[j].cp != 0xFF1B)
            j++;
        if (j == i)
            return 1;
    }
    return 0;
}

static double heading_confidence(const errata_layout *lay, const heading_list *list,
                                 const heading *h)
{
    size_t at;
    uint32_t before = previous_visible(lay, h->pos, &at);
    if (before == '\n' || at == 0 || h->series == 0)
        return 0;
    int stop = errata_layout_is_full_stop(before);
    int after_heading = errata_is_han(before) && follows_heading(lay, list, h->pos);
    if (h->type != H_ITEM) {
        if (stop || (h->type == H_SUBSECTION && after_heading))
            return h->series >= 2 ? 0.85 : 0.6;
        return 0;
    }
    if (h->series < 2)
        return 0;
    if (after_heading)
        return 0.8;
    int long_item = h->next_in_series == SIZE_MAX || h->next_in_series - h->pos >= MIN_ITEM;
    return stop ? (long_item ? 0.8 : 0.6) : 0;
}

static const char *heading_name(heading_type type)
{
    static const char *const names[] = {"section heading", "subsection heading", "article",
                                        "chapter", "series item"};
    return names[type];
}

/* The document's paragraph break: a blank line if most of its breaks are. */
static const char *paragraph_break(const errata_layout *lay)
{
    size_t single = 0, blank = 0;
    for (size_t i = 1; i + 1 < lay->count; i++) {
        if (lay->chars[i].cp != '\n' || lay->chars[i - 1].cp == '\n')
            continue;
        if (lay->chars[i + 1].cp == '\n')
            blank++;
        else
            single++;
    }
    return blank > single ? "\n\n" : "\n";
}

static int break_headings(errata_layout *lay, const heading_list *list, const char *separator)
{
    for (size_t k = 0; k < list->count; k++) {
        const heading *h = &list->items[k];
        double confidence = heading_confidence(lay, list, h);
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

/* Whether a title word ends at view position end. */
static int title_word_ends(const errata_layout *lay, size_t end)
{
    for (size_t w = 0; w < sizeof title_words / sizeof *title_words; w++) {
        size_t n = errata_layout_strlen(title_words[w]);
        if (end >= n && errata_layout_matches(lay, end - n, title_words[w]))
            return 1;
    }
    return 0;
}

/* Where the title that opens a flattened text ends, or 0. */
static size_t title_end(const errata_layout *lay)
{
    size_t start = 0;
    while (start < lay->count && errata_layout_is_blank(lay->chars[start].cp))
        start++;
    for (size_t t = start + 4; t < lay->count && t <= start + MAX_TITLE; t++) {
        uint32_t c = lay->chars[t - 1].cp;
        if (c == '\n' || errata_layout_in_set(c, "，。；：,;:！？!?"))
            return 0;
        if (title_word_ends(lay, t) && !title_word_ends(lay, t + 1) &&
            !title_word_ends(lay, t + 2) &&
            !errata_layout_in_set(errata_layout_cp(lay, t), "的之和及与暨（(《—、\n"))
            return t;
    }
    return 0;
}

/* Evidence that the body starts at t: a salutation (各单位：), a heading,
   a body that opens with a word of the title, or a title opening with 关于. */
static int body_starts(const errata_layout *lay, size_t t)
{
    for (size_t i = t; i < lay->count && i < t + 25; i++) {
        uint32_t c = lay->chars[i].cp;
        if (c == 0xFF1A) /* ： */
            return 1;
        if (errata_layout_in_set(c, "，。,"))
            break;
    }
    for (size_t i = 0; i < t; i++)
        if (lay->chars[i].cp == lay->chars[t].cp)
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
    return rc < 0 ? rc : ERRATA_OK;
}

int errata_layout_heading_breaks(errata_layout *lay)
{
    heading_list list = {0};
    const char *separator = paragraph_break(lay);
    int rc = break_title(lay, separator);
    if (!rc)
        rc = collect_headings(lay, &list);
    if (!rc) {
        find_series(&list);
        rc = break_headings(lay, &list, separator);
    }
    free(list.items);
    return rc;
}
