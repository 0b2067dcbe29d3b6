/* Page furniture: footers (第6页 共6页, Word's field codes 第 PAGE9 页 共
   NUMPAGES9 页, - 3 -), page numbers that landed inside a sentence or a word
   (科学开展3观), and filler lines repeated on every page. */
#include <stdlib.h>

#include "layout.h"

#define MIN_PAGE_GAP 150     /* code points between two page numbers, at least */
#define MIN_BARE_SERIES 3    /* bare numbers alone must count up this far */
#define MIN_FILLER_REPEATS 2 /* a page apart, in a text with footers or chunk markers */
#define MAX_FILLER_LENGTH 40

typedef struct {
    size_t pos;  /* view position */
    long value;
    int footer;  /* a footer; else a bare number inside the text */
    size_t end;  /* end of the bare number */
} page_mark;

typedef struct {
    page_mark *items;
    size_t count, cap;
} page_marks;

static int add_mark(page_marks *marks, page_mark m)
{
    if (errata_grow((void **)&marks->items, &marks->cap, marks->count + 1, sizeof m))
        return ERRATA_ENOMEM;
    marks->items[marks->count++] = m;
    return ERRATA_OK;
}

static size_t skip_blanks(const errata_layout *lay, size_t i)
{
    while (errata_layout_is_blank(errata_layout_cp(lay, i)))
        i++;
    return i;
}

static int is_dash(uint32_t cp) { return cp == '-' || cp == 0x2014 || cp == 0xFF0D || cp == 0x2013; }

/* [keyword] digits 页, blanks allowed between; returns the end or 0. */
static size_t page_field(const errata_layout *lay, size_t i, const char *keyword, long *value,
                         int *had_keyword)
{
    i = skip_blanks(lay, i);
    *had_keyword = errata_layout_matches(lay, i, keyword);
    if (*had_keyword)
        i = skip_blanks(lay, i + errata_layout_strlen(keyword));
    size_t n = errata_layout_digits(lay, i, 4, value);
    if (!n)
        return 0;
    i = skip_blanks(lay, i + n);
    return errata_layout_cp(lay, i) == 0x9875 ? i + 1 : 0; /* 页 */
}

/* 第N页 [共M页] with Word's PAGE / NUMPAGES codes; returns the end or 0. */
static size_t page_footer_at(const errata_layout *lay, size_t i, long *page)
{
    int page_code, total_code;
    long total;
    if (errata_layout_cp(lay, i) != 0x7B2C) /* 第 */
        return 0;
    size_t end = page_field(lay, i + 1, "PAGE", page, &page_code);
    if (!end)
        return 0;
    size_t k = skip_blanks(lay, end);
    if (errata_layout_in_set(errata_layout_cp(lay, k), ",，/"))
        k = skip_blanks(lay, k + 1);
    size_t total_end = errata_layout_cp(lay, k) == 0x5171 /* 共 */
                           ? page_field(lay, k + 1, "NUMPAGES", &total, &total_code)
                           : 0;
    if (total_end && total >= *page)
        return total_end;
    return page_code ? end : 0;
}

/* A line that is only "- N -". */
static size_t dash_footer_at(const errata_layout *lay, size_t i, long *page)
{
    if (i > 0 && errata_layout_cp(lay, i - 1) != '\n')
        return 0;
    size_t k = skip_blanks(lay, i);
    if (!is_dash(errata_layout_cp(lay, k)))
        return 0;
    k = skip_blanks(lay, k + 1);
    size_t n = errata_layout_digits(lay, k, 4, page);
    if (!n)
        return 0;
    k = skip_blanks(lay, k + n);
    if (!is_dash(errata_layout_cp(lay, k)))
        return 0;
    k = skip_blanks(lay, k + 1);
    return k >= lay->count || errata_layout_cp(lay, k) == '\n' ? k : 0;
}

/* Widen [*from, *to) over the blanks around it, and over one line break if
   it fills a line of its own. */
static void widen_to_line(const errata_layout *lay, size_t *from, size_t *to)
{
    while (*from > 0 && errata_layout_is_blank(errata_layout_cp(lay, *from - 1)))
        (*from)--;
    *to = skip_blanks(lay, *to);
    int line_start = *from == 0 || errata_layout_cp(lay, *from - 1) == '\n';
    int line_end = *to >= lay->count || errata_layout_cp(lay, *to) == '\n';
    if (!line_start || !line_end)
        return;
    if (*to < lay->count)
        (*to)++;
    else if (*from > 0)
        (*from)--;
}

/* A footer starting at view position i: its mark, and its removal; *next
   is set to the position after it. */
static int remove_footer(errata_layout *lay, page_marks *marks, size_t i, size_t *next)
{
    long page;
    size_t end = page_footer_at(lay, i, &page);
    if (!end)
        end = dash_footer_at(lay, i, &page);
    if (!end)
        return ERRATA_OK;
    if (add_mark(marks, (page_mark){i, page, 1, end}))
        return ERRATA_ENOMEM;
    lay->site_damage = 1;
    *next = end;
    size_t from = i, to = end;
    widen_to_line(lay, &from, &to);
    int rc = errata_layout_edit(lay, from, to, "", "layout/page-footer", ERRATA_KIND_LAYOUT, 0.95,
                                "page footer (page %ld)", page);
    return rc < 0 ? rc : ERRATA_OK;
}

/* ------------------------------------------------------------ bare numbers */

/* A number of 1-3 digits between two Han characters (or alone on a line)
   that reads as no quantity, reference or ordinal. */
static size_t bare_number_at(const errata_layout *lay, size_t i, long *value)
{
    uint32_t before = errata_layout_before(lay, i);
    if (errata_layout_is_digit(before))
        return 0;
    size_t n = errata_layout_digits(lay, i, 3, value);
    if (!n || *value == 0)
        return 0;
    uint32_t after = errata_layout_cp(lay, i + n);
    if ((before == '\n' || i == 0) && (after == '\n' || i + n == lay->count))
        return n;
    if (!errata_is_han(before) || !errata_is_han(after))
        return 0;
    if (errata_layout_in_set(before, "第共约近达计图表例式件号款项条章节页版期卷每前后余合仅只有为是至到和"
                                     "及或占于增减降升超逾过等级年月日距差近达逾满〇一二三四五六七八九十百千万"))
        return 0;
    if (errata_layout_in_set(after, "个名人年月日时分秒次项条家元万亿千百多余户件台辆所座米吨亩岁天周倍届期版号"
                                    "章节款页批类种位篇部本册份场轮级度点成段组队支只头株棵斤克升角毫厘里公平立"
                                    "方间套栋层把张块架艘列趟遍首句字行路例季班期号楼室幢线型代"))
        return 0;
    return n;
}

/* A bare number starting at view position i: its mark; *next is set to
   the position after it. */
static int collect_bare_number(const errata_layout *lay, page_marks *marks, size_t i,
                               size_t *next)
{
    long value;
    size_t n = bare_number_at(lay, i, &value);
    if (!n)
        return ERRATA_OK;
    *next = i + n;
    return add_mark(marks, (page_mark){i, value, 0, i + n});
}

/* The footers, removed, and the bare numbers, in one walk over the view:
   the search for footers (which start with 第 or at a line start) goes on
   after each footer, the one for numbers after each number.  Their marks
   never share a position (a footer starts with no digit), so the order
   they are found in does not matter. */
static int collect_page_marks(errata_layout *lay, page_marks *marks)
{
    size_t footers_from = 0, numbers_from = 0;
    for (size_t i = 0; i < lay->count; i++) {
        uint32_t c = errata_layout_raw(lay, i);
        int footer = c == 0x7B2C || i == 0 || errata_layout_raw(lay, i - 1) == '\n';
        int digit = c >= '1' && c <= '9';
        if (!footer && !digit) /* most positions */
            continue;
        int rc = footer && i >= footers_from ? remove_footer(lay, marks, i, &footers_from)
                                             : ERRATA_OK;
        if (!rc && digit && i >= numbers_from)
            rc = collect_bare_number(lay, marks, i, &numbers_from);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

static int compare_marks(const void *pa, const void *pb)
{
    const page_mark *a = pa, *b = pb;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static int follows(const page_mark *a, const page_mark *b)
{
    return b->value == a->value + 1 && b->pos - a->pos >= MIN_PAGE_GAP;
}

static int remove_bare_run(errata_layout *lay, const page_mark *run, size_t length, int footer)
{
    double confidence = footer ? 0.85 : 0.8;
    for (size_t k = 0; k < length; k++) {
        if (run[k].footer)
            continue;
        size_t from = run[k].pos, to = run[k].end;
        if ((from == 0 || errata_layout_cp(lay, from - 1) == '\n') && to < lay->count)
            to++; /* a number on a line of its own goes with its line break */
        int rc = errata_layout_edit(lay, from, to, "", "layout/page-number", ERRATA_KIND_LAYOUT,
                                    confidence, "page number %ld in the running text (%s)",
                                    run[k].value,
                                    footer ? "the footers next to it number the pages around it"
                                           : "one of a series of page numbers");
        if (rc < 0)
            return rc;
    }
    return ERRATA_OK;
}

/* Bare numbers that continue the page numbering of a footer, or that count
   up page by page on their own, are page numbers. */
static int remove_page_numbers(errata_layout *lay, page_marks *marks)
{
    if (marks->count > 1)
        qsort(marks->items, marks->count, sizeof *marks->items, compare_marks);
    size_t start = 0;
    while (start < marks->count) {
        size_t end = start + 1;
        int footer = marks->items[start].footer;
        while (end < marks->count && follows(&marks->items[end - 1], &marks->items[end]))
            footer |= marks->items[end++].footer;
        size_t length = end - start;
        if ((footer && length >= 2) || length >= MIN_BARE_SERIES) {
            int rc = remove_bare_run(lay, marks->items + start, length, footer);
            if (rc)
                return rc;
        }
        start = end;
    }
    return ERRATA_OK;
}

/* ------------------------------------------------------------ filler lines */

typedef struct {
    size_t from, to; /* the line without its blanks */
    uint64_t hash;
} text_line;

static int is_filler_candidate(const errata_layout *lay, size_t from, size_t to)
{
    size_t letters = 0;
    if (to - from < 2 || to - from > MAX_FILLER_LENGTH || errata_layout_starts_heading(lay, from))
        return 0;
    for (size_t i = from; i < to; i++)
        letters += errata_is_han(errata_layout_at(lay, i)) || errata_layout_is_latin(errata_layout_at(lay, i));
    return letters >= 2 && !errata_layout_ends_sentence(errata_layout_at(lay, to - 1)) &&
           errata_layout_cp(lay, to - 1) != 0xFF0C;
}

static uint64_t hash_span(const errata_layout *lay, size_t from, size_t to)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = from; i < to; i++)
        h = (h ^ errata_layout_at(lay, i)) * 1099511628211u;
    return h;
}

static int same_text(const errata_layout *lay, const text_line *a, const text_line *b)
{
    if (a->to - a->from != b->to - b->from)
        return 0;
    for (size_t i = 0; i < a->to - a->from; i++)
        if (errata_layout_at(lay, a->from + i) != errata_layout_at(lay, b->from + i))
            return 0;
    return 1;
}

static int collect_lines(const errata_layout *lay, text_line **lines, size_t *count)
{
    size_t cap = 0;
    for (size_t start = 0; start < lay->count;) {
        size_t end = errata_layout_find(lay, start, '\n');
        size_t from = skip_blanks(lay, start), to = end;
        while (to > from && errata_layout_is_blank(errata_layout_at(lay, to - 1)))
            to--;
        if (is_filler_candidate(lay, from, to)) {
            if (errata_grow((void **)lines, &cap, *count + 1, sizeof **lines))
                return ERRATA_ENOMEM;
            (*lines)[(*count)++] = (text_line){from, to, hash_span(lay, from, to)};
        }
        start = end + 1;
    }
    return ERRATA_OK;
}

static int remove_filler(errata_layout *lay, const text_line *line, size_t repeats)
{
    size_t from = line->from, to = line->to;
    widen_to_line(lay, &from, &to);
    int rc = errata_layout_edit(lay, from, to, "", "layout/page-header", ERRATA_KIND_LAYOUT, 0.85,
                                "a line repeated %zu times, like a page header or footer",
                                repeats);
    return rc < 0 ? rc : ERRATA_OK;
}

static int compare_lines(const void *pa, const void *pb)
{
    const text_line *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    return (a->from > b->from) - (a->from < b->from);
}

/* Whether repeats (in text order) stand a page or more apart. */
static int spread_over_pages(const text_line *repeats, size_t count)
{
    for (size_t k = 1; k < count; k++)
        if (repeats[k].from - repeats[k - 1].from < MIN_PAGE_GAP)
            return 0;
    return 1;
}

/* Filler lines: in a document that shows the site's work (chunk markers,
   footers), a short line repeated page after page.  Lines of the same text
   are next to each other once sorted by hash. */
static int remove_repeated_lines(errata_layout *lay)
{
    if (!lay->site_damage)
        return ERRATA_OK; /* no line would count as filler */
    text_line *lines = NULL;
    size_t count = 0;
    int rc = collect_lines(lay, &lines, &count);
    if (!rc && count > 1)
        qsort(lines, count, sizeof *lines, compare_lines);
    for (size_t first = 0; !rc && first < count;) {
        size_t end = first + 1;
        while (end < count && lines[end].hash == lines[first].hash &&
               same_text(lay, &lines[first], &lines[end]))
            end++;
        int filler = lay->site_damage && end - first >= MIN_FILLER_REPEATS &&
                     spread_over_pages(lines + first, end - first);
        for (size_t k = first; !rc && filler && k < end; k++)
            rc = remove_filler(lay, &lines[k], end - first);
        first = end;
    }
    free(lines);
    return rc;
}

int errata_layout_page_furniture(errata_layout *lay)
{
    page_marks marks = {0};
    int rc = collect_page_marks(lay, &marks);
    if (!rc)
        rc = remove_page_numbers(lay, &marks);
    if (!rc)
        rc = remove_repeated_lines(lay);
    free(marks.items);
    return rc;
}
