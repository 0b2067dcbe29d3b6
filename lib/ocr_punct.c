/* OCR punctuation (see ocr_punct.h).
 *
 * tesseract's chi_sim model reads the full-width ；：（） of a printed
 * Chinese page as ASCII, % as 96 or 9, and 〇 as the letter O, while it keeps
 * ，。、 full-width.  Writers also use ASCII marks in Chinese on purpose
 * (man pages, technical notes), so nothing is touched unless the document
 * looks like OCR output of Chinese prose: lines cut at one page width in
 * mid-sentence, few Latin letters, and commas still full-width (a 文库 site
 * turns those to ASCII too; that damage is the layout passes' business).
 * Measured on the clean corpus: no clean document passes this test, and
 * 79 of the 80 OCR readings in corpus/ocr-train/ and corpus/ocr/ do. */
#include "ocr_punct.h"

#include <stdlib.h>
#include <string.h>

#define MIN_HAN 50
#define LATIN_PER_HAN 10        /* at most one Latin letter per this many Han */
#define FULL_COMMAS_PER_ASCII 4 /* at least this many ，for each ASCII , */
#define LONG_LINE_WIDTH 20      /* display columns */
#define FULL_LINE_SHARE 0.85    /* of the widest line: a line cut at the page width */
#define MIN_WRAPPED 3
#define WRAPPED_SHARE 5         /* at least one long line in this many was cut */
#define MAX_PARENTHESIZED 40
#define RATE_REACH 8            /* characters between a rate word and its number */
#define STRONG_RATE_REACH 5
#define SURE 0.9
#define FAIRLY_SURE 0.85

typedef struct {
    uint32_t cp;
    size_t start, end; /* bytes of the text */
} ocr_char;

typedef struct {
    const char *text;
    size_t len;
    const errata_check_options *opts;
    errata_edit_list *list;
    ocr_char *chars;
    size_t count;
} ocr_doc;

static uint32_t cp_at(const ocr_doc *d, size_t i) { return i < d->count ? d->chars[i].cp : 0; }

static uint32_t cp_before(const ocr_doc *d, size_t i) { return i > 0 ? cp_at(d, i - 1) : 0; }

static int is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

static int is_latin(uint32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'); }

static int is_blank(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0x3000; }

static int in_set(uint32_t cp, const char *set)
{
    size_t pos = 0, n = strlen(set);
    while (pos < n)
        if (errata_utf8_next(set, n, &pos) == cp)
            return 1;
    return 0;
}

/* Whether the text at character i reads the UTF-8 string s. */
static int reads(const ocr_doc *d, size_t i, const char *s)
{
    size_t pos = 0, n = strlen(s);
    for (; pos < n; i++)
        if (errata_utf8_next(s, n, &pos) != cp_at(d, i))
            return 0;
    return 1;
}

static size_t char_count(const char *s)
{
    size_t pos = 0, n = strlen(s), count = 0;
    for (; pos < n; count++)
        errata_utf8_next(s, n, &pos);
    return count;
}

/* Columns a character takes on the page (CJK characters and marks: two). */
static size_t display_width(uint32_t cp) { return cp >= 0x2E80 ? 2 : 1; }

/* ------------------------------------------------------------ evidence */

typedef struct {
    size_t han, latin, full_commas, ascii_commas;
    size_t widest, long_lines, wrapped;
} ocr_census;

static void count_characters(const char *text, size_t len, ocr_census *c)
{
    for (size_t pos = 0; pos < len;) {
        uint32_t cp = errata_utf8_next_fast(text, len, &pos);
        c->han += errata_is_han(cp);
        c->latin += is_latin(cp);
    }
}

/* The code point that ends at text[end], or 0 at the start. */
static uint32_t code_point_before(const char *text, size_t end)
{
    if (end == 0)
        return 0;
    size_t start = end - 1;
    while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
        start--;
    return errata_utf8_next(text, end, &start);
}

/* The commas, found by their bytes: full-width ones (EF BC 8C), and ASCII
   ones counted once for each Han character next to them. */
static void count_commas(const char *text, size_t len, ocr_census *c)
{
    for (const char *p = memchr(text, ',', len); p;
         p = memchr(p + 1, ',', len - (size_t)(p + 1 - text))) {
        size_t at = (size_t)(p - text), next = at + 1;
        c->ascii_commas += errata_is_han(code_point_before(text, at));
        c->ascii_commas += next < len && errata_is_han(errata_utf8_next(text, len, &next));
    }
    for (const char *p = memchr(text, 0xEF, len); p;
         p = memchr(p + 1, 0xEF, len - (size_t)(p + 1 - text))) {
        size_t at = (size_t)(p - text);
        c->full_commas += len - at >= 3 && (unsigned char)p[1] == 0xBC && (unsigned char)p[2] == 0x8C;
    }
}

/* One line of text: its display width without blanks at either end, its
   last character but blanks, and where the next line starts. */
typedef struct {
    size_t width, next;
    uint32_t last;
} ocr_line;

static ocr_line read_line(const char *text, size_t len, size_t pos)
{
    ocr_line line = {0, len, 0};
    size_t blank_width = 0;
    while (pos < len) {
        uint32_t cp = errata_utf8_next_fast(text, len, &pos);
        if (cp == '\n') {
            line.next = pos;
            break;
        }
        if (is_blank(cp)) {
            blank_width += line.width > 0;
            continue;
        }
        line.width += blank_width + display_width(cp);
        blank_width = 0;
        line.last = cp;
    }
    return line;
}

/* A line as wide as the page that does not end a sentence, followed by
   more text: the page width cut it. */
static void count_lines(const char *text, size_t len, ocr_census *c)
{
    for (size_t pos = 0; pos < len;) {
        ocr_line line = read_line(text, len, pos);
        c->widest = line.width > c->widest ? line.width : c->widest;
        pos = line.next;
    }
    double full = c->widest * FULL_LINE_SHARE;
    for (size_t pos = 0; pos < len;) {
        ocr_line line = read_line(text, len, pos);
        pos = line.next;
        if (line.width < LONG_LINE_WIDTH)
            continue;
        c->long_lines++;
        int more = pos < len && read_line(text, len, pos).width > 0;
        c->wrapped += more && line.width >= full && !in_set(line.last, "。！？：:；;");
    }
}

int errata_ocr_shows_ocr(const char *text, size_t len)
{
    if (len == 0)
        return 0; /* and text may be NULL, which memchr() must not see */
    ocr_census c = {0};
    count_commas(text, len, &c);
    if (c.full_commas < FULL_COMMAS_PER_ASCII * c.ascii_commas)
        return 0; /* text a 文库 site converted: known without decoding it all */
    count_characters(text, len, &c);
    if (c.han < MIN_HAN || c.latin * LATIN_PER_HAN > c.han)
        return 0;
    count_lines(text, len, &c);
    return c.wrapped >= MIN_WRAPPED && c.wrapped * WRAPPED_SHARE >= c.long_lines;
}

/* ------------------------------------------------------------ edits */

static int add_edit(ocr_doc *d, size_t from, size_t to, const char *new_text, const char *rule,
                    errata_kind kind, double confidence, const char *why)
{
    if (!errata_rule_enabled(d->opts, rule))
        return ERRATA_OK;
    return errata_edit_list_add(d->list, d->text, d->chars[from].start, d->chars[to - 1].end,
                                new_text, rule, kind, confidence, "%s", why);
}

/* The first non-blank character from i on, on the same line. */
static size_t skip_blanks(const ocr_doc *d, size_t i)
{
    while (i < d->count && is_blank(d->chars[i].cp))
        i++;
    return i;
}

/* The last non-blank character before i, on the same line, or 0. */
static uint32_t before_blanks(const ocr_doc *d, size_t i)
{
    while (i > 0 && is_blank(d->chars[i - 1].cp))
        i--;
    return cp_before(d, i);
}

static size_t before_blanks_at(const ocr_doc *d, size_t i)
{
    while (i > 0 && is_blank(d->chars[i - 1].cp))
        i--;
    return i;
}

/* A number (digits, '.', '%') ends just before i, with a Han character
   before it. */
static int chinese_number_before(const ocr_doc *d, size_t i)
{
    size_t j = i;
    int digits = 0;
    for (; j > 0; j--) {
        uint32_t c = d->chars[j - 1].cp;
        if (is_digit(c))
            digits = 1;
        else if (c != '.' && c != '%')
            break;
    }
    return digits && errata_is_han(cp_before(d, j));
}

/* ------------------------------------------------------------ marks */

/* Where the clause that ends just before i starts: after the last mark
   (line breaks are where the page ended, not the clause). */
static size_t clause_start(const ocr_doc *d, size_t i)
{
    while (i > 0 && (errata_is_han(cp_before(d, i)) || is_digit(cp_before(d, i)) ||
                     cp_before(d, i) == '\n' || is_blank(cp_before(d, i))))
        i--;
    return i;
}

/* The Han characters of [from, to), blanks and line breaks left out, into
   out (at most size - 1 bytes): "" when it does not fit. */
static void clause_text(const ocr_doc *d, size_t from, size_t to, char *out, size_t size)
{
    size_t n = 0;
    for (size_t k = from; k < to; k++) {
        uint32_t c = d->chars[k].cp;
        if (c == '\n' || is_blank(c))
            continue;
        if (n + 5 > size) {
            n = 0;
            break;
        }
        n += errata_utf8_encode(c, out + n);
    }
    out[n] = '\0';
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && memcmp(s + n - m, tail, m) == 0;
}

/* A clause that is a month of a schedule: 二月, 十二月, 3月. */
static int is_month(const char *clause)
{
    size_t pos = 0, n = strlen(clause), count = 0;
    uint32_t c = 0;
    while (pos < n) {
        c = errata_utf8_next(clause, n, &pos);
        count++;
        if (pos < n && !is_digit(c) && !in_set(c, "一二三四五六七八九十"))
            return 0;
    }
    return count >= 2 && count <= 3 && c == 0x6708 /* 月 */;
}

/* Whether the document has a full stop before character i. */
static int sentence_before(const ocr_doc *d, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (d->chars[k].cp == 0x3002 /* 。 */)
            return 1;
    return 0;
}

/* Whether an ASCII ';' ending the clause [from, i) stands for a colon that
   OCR read as a semicolon: after a label (时间, 联系人, 以下内容), a month of a
   schedule (二月), or the addressees before the first sentence of a notice
   (机关各科室, 各车间、各部门). */
static int semicolon_reads_colon(const ocr_doc *d, size_t i)
{
    static const char *const labels[] = {"时间", "日期", "地点", "地址", "电话", "邮箱",
                                         "传真", "联系人", "主讲人", "主持人", "记录人",
                                         "参加人员", "主题"};
    static const char *const introductions[] = {"如下", "以下内容", "以下几点",
                                                "以下几个方面"};
    static const char *const addressees[] = {"科室", "部门", "单位", "处室", "车间", "村",
                                             "社区", "学校", "班组"};
    char clause[4 * 32 + 1], line[4 * 32 + 1];
    size_t from = clause_start(d, i), line_from = i;
    while (line_from > from && cp_before(d, line_from) != '\n')
        line_from--;
    clause_text(d, from, i, clause, sizeof clause);
    /* the part on the label's own line: a heading may stand above it */
    clause_text(d, line_from, i, line, sizeof line);
    if (!clause[0])
        return 0;
    if (is_month(clause) || is_month(line))
        return 1;
    for (size_t k = 0; k < sizeof labels / sizeof *labels; k++)
        if (strcmp(clause, labels[k]) == 0 || strcmp(line, labels[k]) == 0)
            return 1;
    for (size_t k = 0; k < sizeof introductions / sizeof *introductions; k++)
        if (ends_with(clause, introductions[k]))
            return 1;
    if (sentence_before(d, i) || !strstr(clause, "各"))
        return 0;
    for (size_t k = 0; k < sizeof addressees / sizeof *addressees; k++)
        if (ends_with(clause, addressees[k]))
            return 1;
    return 0;
}

static int fix_mark(ocr_doc *d, size_t i)
{
    static const struct {
        uint32_t ascii;
        const char *full_width, *rule;
    } marks[] = {{';', "；", "ocr/ascii-semicolon"}, {':', "：", "ocr/ascii-colon"},
                 {',', "，", "ocr/ascii-comma"},     {'!', "！", "ocr/ascii-exclamation"},
                 {'?', "？", "ocr/ascii-question"}};
    size_t m = 0;
    while (m < sizeof marks / sizeof *marks && marks[m].ascii != d->chars[i].cp)
        m++;
    if (m == sizeof marks / sizeof *marks)
        return ERRATA_OK;
    size_t p = before_blanks_at(d, i), q = skip_blanks(d, i + 1);
    uint32_t before = cp_before(d, p), after = cp_at(d, q);
    int han_before = errata_is_han(before) || in_set(before, "）》”") ||
                     (before == ')' && errata_is_han(cp_before(d, p - 1))); /* (见附表); */
    int chinese_before = han_before || chinese_number_before(d, p);
    int chinese_after = errata_is_han(after) || in_set(after, "（《“");
    /* after a Han word a colon is Chinese whatever follows (邮箱:safety@…) */
    int colon_after_han = han_before && d->chars[i].cp == ':' && (is_latin(after) || after == '(');
    int fits = han_before ? chinese_after || is_digit(after) || after == '\n' || after == 0 ||
                                colon_after_han
                          : chinese_before && chinese_after;
    if (!fits)
        return ERRATA_OK;
    size_t end = after == '\n' || after == 0 ? i + 1 : q;
    if (marks[m].ascii == ';' && han_before && semicolon_reads_colon(d, p))
        return add_edit(d, i, end, "：", "ocr/semicolon-colon", ERRATA_KIND_PUNCTUATION,
                        FAIRLY_SURE, "OCR read a full-width colon after a label as ';'");
    return add_edit(d, i, end, marks[m].full_width, marks[m].rule, ERRATA_KIND_PUNCTUATION, SURE,
                    "OCR read a full-width mark in Chinese text as ASCII");
}

/* Short item numbers: 1, 12, 一, 十二. */
static int is_item_number(const ocr_doc *d, size_t from, size_t to)
{
    if (to == from || to - from > 2)
        return 0;
    for (size_t k = from; k < to; k++)
        if (!is_digit(d->chars[k].cp) && !in_set(d->chars[k].cp, "一二三四五六七八九十"))
            return 0;
    return 1;
}

static int has_han(const ocr_doc *d, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (errata_is_han(d->chars[k].cp))
            return 1;
    return 0;
}

/* Where the closing parenthesis of the one opened at i is, or 0: the first
   ) or ） within reach, on the same line or the next (OCR cuts lines at the
   page width, so a parenthesis may wrap).  Another opening one stops it. */
static size_t closing_paren(const ocr_doc *d, size_t i)
{
    int line_breaks = 0;
    for (size_t j = i + 1; j < d->count && j <= i + MAX_PARENTHESIZED; j++) {
        uint32_t c = d->chars[j].cp;
        if (c == ')' || c == 0xFF09 /* ） */)
            return j;
        if ((c == '\n' && line_breaks++) || c == '(' || c == 0xFF08 /* （ */)
            return 0;
    }
    return 0;
}

static int is_chinese_mark(uint32_t cp) { return (cp >= 0x3000 && cp <= 0x303F) || cp >= 0xFF00; }

/* Whether the parenthesis opened at i and closed at close sits in Chinese
   text: not after a Latin word or number (printf(x), Office(2019)), Han or
   a Chinese item number inside, Chinese text on one side. */
static int parentheses_in_chinese(const ocr_doc *d, size_t i, size_t close)
{
    uint32_t before = before_blanks(d, i), after = cp_at(d, skip_blanks(d, close + 1));
    int chinese_before = before == 0 || before == '\n' || errata_is_han(before) || is_chinese_mark(before);
    int chinese_after = errata_is_han(after) || is_chinese_mark(after);
    int han_inside = has_han(d, i + 1, close) ||
                     (is_item_number(d, i + 1, close) && chinese_before);
    return !is_latin(before) && !is_digit(before) && before != '_' && han_inside &&
           (chinese_before || chinese_after);
}

static int fix_paren(ocr_doc *d, size_t from, size_t to, const char *full_width)
{
    return add_edit(d, from, to, full_width, "ocr/ascii-paren", ERRATA_KIND_PUNCTUATION, SURE,
                    "OCR read full-width parentheses in Chinese text as ASCII");
}

/* A parenthesis opened at i, ASCII or full-width, with at least one side
   ASCII: both sides made full-width ((一)、（一)、(一）). */
static int fix_parentheses(ocr_doc *d, size_t i)
{
    size_t close = closing_paren(d, i);
    if (!close || !parentheses_in_chinese(d, i, close))
        return ERRATA_OK;
    uint32_t after = cp_at(d, skip_blanks(d, close + 1));
    size_t close_end = errata_is_han(after) ? skip_blanks(d, close + 1) : close + 1;
    int rc = ERRATA_OK;
    if (d->chars[i].cp == '(')
        rc = fix_paren(d, i, i + 1, "（");
    if (!rc && d->chars[close].cp == ')')
        rc = fix_paren(d, close, close_end, "）");
    return rc;
}

/* Whether a parenthesis opens within reach before the ) at i, on the same
   line or the one before: then fix_parentheses() judged that ). */
static int has_opening_paren(const ocr_doc *d, size_t i)
{
    int line_breaks = 0;
    for (size_t j = i; j > 0 && j + MAX_PARENTHESIZED > i; j--) {
        uint32_t c = d->chars[j - 1].cp;
        if (c == '(' || c == 0xFF08 /* （ */)
            return 1;
        if ((c == '\n' && line_breaks++) || c == ')' || c == 0xFF09 /* ） */)
            return 0;
    }
    return 0;
}

/* An item number opened by a mark OCR made of （: 《二)、{三)、【一). */
static int misread_item_opening(const ocr_doc *d, size_t i, size_t *opening)
{
    size_t k = i;
    while (k > 0 && i - k < 2 && is_item_number(d, k - 1, i))
        k--;
    if (k == i || k == 0 || !in_set(cp_at(d, k - 1), "《{【[<"))
        return 0;
    uint32_t before = before_blanks(d, k - 1);
    *opening = k - 1;
    return before == 0 || before == '\n' || errata_is_han(before) || is_chinese_mark(before);
}

/* A ) that no parenthesis opens, in Chinese text: after a Han character or
   an item number whose （ OCR misread, before Chinese text or the line end. */
static int fix_lone_closing(ocr_doc *d, size_t i)
{
    if (has_opening_paren(d, i))
        return ERRATA_OK;
    size_t q = skip_blanks(d, i + 1), opening = 0;
    uint32_t before = cp_before(d, i), after = cp_at(d, q);
    int item = misread_item_opening(d, i, &opening);
    int chinese_after = errata_is_han(after) || is_chinese_mark(after) || after == '\n' || after == 0;
    if (!(errata_is_han(before) || item) || !chinese_after)
        return ERRATA_OK;
    int rc = item ? fix_paren(d, opening, opening + 1, "（") : ERRATA_OK;
    return rc ? rc : fix_paren(d, i, errata_is_han(after) ? q : i + 1, "）");
}

/* ------------------------------------------------------------ 〇 */

static int is_cn_digit(uint32_t cp) { return in_set(cp, "〇一二三四五六七八九"); }

/* The letter O (or the digit 0) inside a year written in Chinese numerals:
   二O二三年. */
static int fix_zero(ocr_doc *d, size_t i)
{
    uint32_t after = cp_at(d, i + 1);
    int in_year = is_cn_digit(after) || (after == 0x5E74 /* 年 */ && i >= 2 &&
                                         is_cn_digit(cp_before(d, i - 1)));
    if (!is_cn_digit(cp_before(d, i)) || !in_year)
        return ERRATA_OK;
    if (after == 0x3007) /* 二O〇二三: the same 〇 read twice */
        return add_edit(d, i, i + 1, "", "ocr/zero", ERRATA_KIND_NUMBER, SURE,
                        "OCR read 〇 twice, once as a Latin letter or digit");
    return add_edit(d, i, i + 1, "〇", "ocr/zero", ERRATA_KIND_NUMBER, SURE,
                    "OCR read 〇 in a year written in Chinese numerals as a Latin letter or digit");
}

/* ------------------------------------------------------------ % */

/* Whether one of the words ends within reach characters before i. */
static int word_before(const ocr_doc *d, size_t i, const char *const *words, size_t count,
                       size_t reach)
{
    for (size_t end = i; end + reach >= i && end > 0; end--) {
        uint32_t c = cp_at(d, end - 1);
        if (c == '\n' || in_set(c, "。；;，,"))
            return 0;
        for (size_t w = 0; w < count; w++) {
            size_t n = char_count(words[w]);
            if (end >= n && reads(d, end - n, words[w]))
                return 1;
        }
    }
    return 0;
}

/* Words that say a percentage follows; the strong ones rarely precede a
   plain count. */
static const char *const strong_rate_words[] = {"率", "比例", "比重", "占", "增长", "下降", "同比"};
static const char *const rate_words[] = {"率", "比例", "比重", "占", "增长", "下降", "同比",
                                         "提高", "降低", "上升", "达到", "不低于", "不少于",
                                         "不超过", "超过", "低于", "高于"};

/* What may follow a percentage: a mark, the line end, 以上, 以下, 左右. */
static int ends_percentage(const ocr_doc *d, size_t i, int words_allowed)
{
    uint32_t c = cp_at(d, i);
    if (c == 0 || c == '\n' || is_blank(c) || in_set(c, "，。；;、,：:）)"))
        return 1;
    return words_allowed && (reads(d, i, "以上") || reads(d, i, "以下") || reads(d, i, "左右"));
}

/* A number at [from, to): digits, then optionally '.' and digits.  Returns
   its integer digits and sets *decimals. */
static size_t number_shape(const ocr_doc *d, size_t from, size_t to, size_t *decimals)
{
    size_t k = from;
    while (k < to && is_digit(d->chars[k].cp))
        k++;
    *decimals = k < to && d->chars[k].cp == '.' ? to - k - 1 : 0;
    return k - from;
}

/* A percentage whose % was read as 96 (提高到8396。) or as 9 (增长5.89;):
   the value left must look like a percentage (up to two integer digits). */
static int fix_percent(ocr_doc *d, size_t from, size_t to)
{
    size_t decimals, digits;
    if (to - from >= 3 && cp_at(d, to - 2) == '9' && cp_at(d, to - 1) == '6' &&
        ends_percentage(d, to, 1) &&
        word_before(d, from, rate_words, sizeof rate_words / sizeof *rate_words, RATE_REACH)) {
        digits = number_shape(d, from, to - 2, &decimals);
        if (digits >= 1 && digits <= 2 && decimals <= 2 && cp_at(d, to - 3) != '.')
            return add_edit(d, to - 2, to, "%", "ocr/percent", ERRATA_KIND_NUMBER, SURE,
                            "OCR read % after a rate as 96");
    }
    if (to - from >= 2 && cp_at(d, to - 1) == '9' && ends_percentage(d, to, 0) &&
        word_before(d, from, strong_rate_words,
                    sizeof strong_rate_words / sizeof *strong_rate_words, STRONG_RATE_REACH)) {
        digits = number_shape(d, from, to - 1, &decimals);
        if (digits >= 1 && digits <= 2 && (decimals == 1 || (decimals == 0 && cp_at(d, to - 2) != '.')))
            return add_edit(d, to - 1, to, "%", "ocr/percent", ERRATA_KIND_NUMBER, FAIRLY_SURE,
                            "OCR read % after a rate as 9");
    }
    return ERRATA_OK;
}

/* The decimals of the percentage whose % is at i: -1 when no number stands
   right before it. */
static int percentage_decimals(const ocr_doc *d, size_t i)
{
    size_t k = i;
    while (k > 0 && is_digit(cp_at(d, k - 1)))
        k--;
    if (k == i)
        return -1;
    if (k < 2 || cp_at(d, k - 1) != '.' || !is_digit(cp_at(d, k - 2)))
        return 0;
    return (int)(i - k);
}

/* Whether the document writes its percentages with one decimal: some with
   exactly one, none with two other than those ending in 9% (which may be a
   % read as 9%). */
static int document_uses_one_decimal(const ocr_doc *d)
{
    int one = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (d->chars[i].cp != '%')
            continue;
        int decimals = percentage_decimals(d, i);
        if (decimals == 1)
            one = 1;
        else if (decimals >= 2 && !(decimals == 2 && cp_at(d, i - 1) == '9'))
            return 0;
    }
    return one;
}

/* A percentage whose % was read as 9% (普及率提高到969%, 增长8.19%): a rate
   above 200% ending in 9 whose value without the 9 is at most 100 (a true
   rate may well be 109%, seldom 969%), or a second decimal 9 in a document
   that writes one decimal elsewhere.  The number is from..to, the % at to. */
static int fix_percent_nine(ocr_doc *d, size_t from, size_t to)
{
    size_t decimals, digits = number_shape(d, from, to - 1, &decimals);
    if (to - from < 3 || cp_at(d, to - 1) != '9' || cp_at(d, to - 2) == '.' ||
        !word_before(d, from, rate_words, sizeof rate_words / sizeof *rate_words, RATE_REACH))
        return ERRATA_OK;
    if (decimals == 0 && digits >= 2) {
        unsigned value = 0;
        for (size_t k = from; k < to - 1 && value <= 100; k++)
            value = value * 10 + (d->chars[k].cp - '0');
        if (value >= 20 && value <= 100)
            return add_edit(d, to - 1, to, "", "ocr/percent", ERRATA_KIND_NUMBER, SURE,
                            "OCR read % after a rate as 9% (no rate above 200% ends in 9%)");
    }
    if (decimals == 1 && digits >= 1 && digits <= 2 && document_uses_one_decimal(d))
        return add_edit(d, to - 1, to, "", "ocr/percent", ERRATA_KIND_NUMBER, FAIRLY_SURE,
                        "OCR read % after a rate as 9%: the document's percentages have one "
                        "decimal");
    return ERRATA_OK;
}

/* The number starting at *i (digits with at most one '.'), judged as a
   percentage; *i moves to its last character. */
static int fix_number(ocr_doc *d, size_t *i)
{
    size_t end = *i;
    int dot = 0;
    while (end < d->count &&
           (is_digit(d->chars[end].cp) || (d->chars[end].cp == '.' && !dot && is_digit(cp_at(d, end + 1))))) {
        dot |= d->chars[end].cp == '.';
        end++;
    }
    uint32_t before = cp_before(d, *i);
    int rc = ERRATA_OK;
    if (!is_latin(before) && before != '.' && before != '/')
        rc = cp_at(d, end) == '%' ? fix_percent_nine(d, *i, end) : fix_percent(d, *i, end);
    *i = end - 1;
    return rc;
}

/* ------------------------------------------------------------ item numbers */

#define MAX_ITEM 20
#define NUMBER_UNITS "年月日号时点分秒个人名位次元万亿千百项条座户天周岁米吨亩家所台辆期级批类种份页章节届"

/* The item number (1..MAX_ITEM) of digits starting at i at the start of a
   line, *end after them; 0 when there is none. */
static unsigned line_item_number(const ocr_doc *d, size_t i, size_t *end)
{
    size_t line = before_blanks_at(d, i);
    if (line > 0 && cp_at(d, line - 1) != '\n')
        return 0;
    unsigned value = 0;
    size_t k = i;
    while (k < d->count && is_digit(d->chars[k].cp) && k - i < 2)
        value = value * 10 + (d->chars[k++].cp - '0');
    *end = k;
    return k > i && !is_digit(cp_at(d, k)) && value >= 1 && value <= MAX_ITEM ? value : 0;
}

/* Whether an item heading "N." followed by Han starts at character i. */
static int dotted_item_at(const ocr_doc *d, size_t i, unsigned *number)
{
    size_t end;
    *number = line_item_number(d, i, &end);
    return *number && cp_at(d, end) == '.' && errata_is_han(cp_at(d, skip_blanks(d, end + 1)));
}

/* Whether the document has the item heading "number." at a line start. */
static int document_has_item(const ocr_doc *d, unsigned number)
{
    unsigned found;
    for (size_t k = 0; k < d->count; k++)
        if (is_digit(d->chars[k].cp) && dotted_item_at(d, k, &found) && found == number)
            return 1;
    return 0;
}

/* Whether an item number starts a line at i, with Han text after it (and
   its point, if it has one). */
static int item_heading_at(const ocr_doc *d, size_t i)
{
    size_t end;
    if (!line_item_number(d, i, &end))
        return 0;
    if (cp_at(d, end) == '.')
        end++;
    return errata_is_han(cp_at(d, skip_blanks(d, end)));
}

/* Display width of the line that ends just before character end. */
static size_t line_width_before(const ocr_doc *d, size_t end)
{
    size_t width = 0;
    while (end > 0 && cp_at(d, end - 1) != '\n')
        width += display_width(d->chars[--end].cp);
    return width;
}

/* Whether the line of character i starts a paragraph: the line above ends
   a sentence or a heading, or was not cut at the page width (a line that
   was, ends mid-sentence: 于\n11月9日). */
static int paragraph_starts(const ocr_doc *d, size_t i)
{
    size_t line = i;
    while (line > 0 && cp_at(d, line - 1) != '\n')
        line--;
    if (line == 0)
        return 1;
    size_t above = line - 1; /* its line break */
    if (in_set(before_blanks(d, above), "。：；！？:;!?"))
        return 1;
    size_t widest = 0;
    for (size_t k = 0; k <= d->count; k++)
        if (k == d->count || d->chars[k].cp == '\n') {
            size_t width = line_width_before(d, k);
            widest = width > widest ? width : widest;
        }
    return (double)line_width_before(d, above) < FULL_LINE_SHARE * (double)widest;
}

/* An item heading of a Chinese document (1．抓好常规管理。, the full-width
   point of GB/T 9704) at a line start, read as "1. 抓好" or, the point lost,
   as "4加强" or "1 抓好" (then only when the item before or after it is in
   the document with its point). */
static int fix_item_number(ocr_doc *d, size_t i)
{
    unsigned number;
    size_t end;
    if (dotted_item_at(d, i, &number)) {
        line_item_number(d, i, &end);
        return add_edit(d, end, skip_blanks(d, end + 1), "．", "ocr/item-point",
                        ERRATA_KIND_PUNCTUATION, SURE,
                        "OCR read the full-width point of an item number as ASCII");
    }
    number = line_item_number(d, i, &end);
    size_t text = skip_blanks(d, end);
    /* a number with its unit or a date starts a paragraph too: 11月9日 */
    if (!number || !errata_is_han(cp_at(d, text)) || in_set(cp_at(d, text), NUMBER_UNITS) ||
        !paragraph_starts(d, i) ||
        !(document_has_item(d, number - 1) || document_has_item(d, number + 1)))
        return ERRATA_OK;
    if (text > end)
        return add_edit(d, end, text, "．", "ocr/item-point", ERRATA_KIND_PUNCTUATION,
                        FAIRLY_SURE, "OCR lost the point of an item number");
    return errata_edit_list_add(d->list, d->text, d->chars[end].start, d->chars[end].start, "．",
                                "ocr/item-point", ERRATA_KIND_PUNCTUATION, FAIRLY_SURE, "%s",
                                "OCR lost the point of an item number");
}

/* ------------------------------------------------------------ the pass */

static int decode(ocr_doc *d)
{
    size_t cap = 0;
    for (size_t pos = 0; pos < d->len;) {
        if (errata_grow((void **)&d->chars, &cap, d->count + 1, sizeof *d->chars))
            return ERRATA_ENOMEM;
        ocr_char *c = &d->chars[d->count++];
        c->start = pos;
        c->cp = errata_utf8_next(d->text, d->len, &pos);
        c->end = pos;
    }
    return ERRATA_OK;
}

static int repair(ocr_doc *d)
{
    int rc = ERRATA_OK;
    for (size_t i = 0; !rc && i < d->count; i++) {
        uint32_t c = d->chars[i].cp;
        int starts_number = is_digit(c) && !is_digit(cp_before(d, i)) && cp_before(d, i) != '.';
        if (c == 'O' || c == 'o' || c == '0')
            rc = fix_zero(d, i);
        if (rc)
            break;
        if (c == '(' || c == 0xFF08 /* （ */)
            rc = fix_parentheses(d, i);
        else if (c == ')')
            rc = fix_lone_closing(d, i);
        else if (starts_number && item_heading_at(d, i))
            rc = fix_item_number(d, i);
        else if (starts_number)
            rc = fix_number(d, &i);
        else
            rc = fix_mark(d, i);
    }
    return rc;
}

int errata_ocr_punct_check(const char *text, size_t len, const errata_check_options *opts,
                           errata_edit_list *list)
{
    if (!list || (!text && len))
        return errata_fail(ERRATA_EINVAL, "OCR punctuation check: NULL argument");
    if (!errata_rule_enabled(opts, "ocr"))
        return ERRATA_OK;
    ocr_doc d = {text, len, opts, list, NULL, 0};
    int rc = decode(&d);
    if (!rc)
        rc = repair(&d);
    free(d.chars);
    return rc;
}
