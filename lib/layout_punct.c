/* Punctuation: ASCII , ; : ! ? ( ) " in Chinese text become full-width
   (never inside numbers, times, URLs, addresses, code or Latin text), stand-in
   quotation marks become real ones, 〔〕 becomes （） except in a document
   number (国发〔2004〕2号), and ? standing for 《》 around a title is proposed
   back. */
#include "layout.h"

#define MAX_PAIRED 40     /* code points between paired marks on one line */
#define MAX_PARENTHESIZED 160
#define MAX_TITLE_MARKED 30
#define LATIN_TEXT 10     /* Han characters per Latin letter, at most, in mixed technical text */
#define FULL_WIDTH_LEFT 10 /* ASCII marks per full-width one, at least, in a converted text */
#define UNSURE 0.6

/* ------------------------------------------------------------ census
 *
 * Chinese writers often keep some ASCII punctuation on purpose (作者:李白,
 * mixed technical text); the site turned (nearly) all of a document's marks
 * into ASCII.  So marks are repaired with confidence only in a document with
 * other signs of the site (chunk markers, footers), or one that is not mixed
 * with Latin text and has (nearly) no full-width marks left; elsewhere they
 * are only proposed. */

static int is_ascii_mark(uint32_t cp)
{
    return cp == ',' || cp == ';' || cp == ':' || cp == '!' || cp == '?' || cp == '(';
}

static int is_full_width_mark(uint32_t cp)
{
    switch (cp) {
    case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F: case 0xFF08: /* ，；：！？（ */
        return 1;
    default:
        return 0;
    }
}

typedef struct {
    size_t ascii, full; /* marks of both forms, ASCII ones next to Han */
    size_t full_parens;
    size_t latin, han;
    int site_damage;
} punct_census;

static void count_marks(const errata_layout *lay, punct_census *c)
{
    for (size_t i = 0; i < lay->count; i++) {
        uint32_t cp = errata_layout_raw(lay, i); /* the marks and letters are below U+FFFF */
        if (errata_is_han(cp) ||
            (cp == ERRATA_LAYOUT_ASTRAL && errata_is_han(errata_layout_astral_at(lay, i)))) {
            c->han++; /* and none of the others */
            continue;
        }
        c->latin += errata_layout_is_latin(cp);
        if (is_ascii_mark(cp))
            c->ascii += errata_is_han(errata_layout_before(lay, i)) ||
                        errata_is_han(errata_layout_cp(lay, i + 1));
        c->full += is_full_width_mark(cp);
        c->full_parens += cp == 0xFF08;
    }
    c->site_damage = lay->site_damage;
}

static double mark_confidence(const punct_census *c, double sure)
{
    int systematic = c->latin * LATIN_TEXT <= c->han && c->full * FULL_WIDTH_LEFT <= c->ascii;
    if (c->site_damage || systematic)
        return sure;
    return sure < UNSURE ? sure : UNSURE;
}

/* ------------------------------------------------------------ context */

static size_t skip_spaces_back(const errata_layout *lay, size_t i)
{
    while (i > 0 && errata_layout_cp(lay, i - 1) == ' ')
        i--;
    return i;
}

/* A number (digits, '.', '%') ends just before i and Chinese precedes it. */
static int chinese_number_before(const errata_layout *lay, size_t i)
{
    size_t j = i;
    int digits = 0;
    for (; j > 0; j--) {
        uint32_t c = errata_layout_cp(lay, j - 1);
        if (errata_layout_is_digit(c))
            digits = 1;
        else if (!errata_layout_in_set(c, ".%％"))
            break;
    }
    return digits && errata_layout_is_chinese(errata_layout_before(lay, j));
}

/* Whether the mark at i sits in Chinese text: Chinese on one side, and
   Chinese or a number on the other (but never a number on both). */
static int in_chinese_text(const errata_layout *lay, size_t i)
{
    size_t p = skip_spaces_back(lay, i), q = i + 1;
    while (errata_layout_cp(lay, q) == ' ')
        q++;
    uint32_t before = errata_layout_before(lay, p), after = errata_layout_cp(lay, q);
    int before_chinese = errata_layout_is_chinese(before);
    int after_chinese = errata_layout_is_chinese(after);
    if (before_chinese)
        return after_chinese || errata_layout_is_digit(after) || after == '\n' || after == 0;
    return after_chinese && chinese_number_before(lay, p);
}

/* The mark at i with the spaces after it. */
static size_t mark_end(const errata_layout *lay, size_t i)
{
    size_t q = i + 1;
    while (errata_layout_cp(lay, q) == ' ' && errata_layout_is_chinese(errata_layout_cp(lay, q + 1)))
        q++;
    return q;
}

static int replace_mark(errata_layout *lay, size_t i, const char *full_width, const char *rule,
                        double confidence, const char *why)
{
    int rc = errata_layout_edit(lay, i, mark_end(lay, i), full_width, rule,
                                ERRATA_KIND_PUNCTUATION, confidence, "%s", why);
    return rc < 0 ? rc : ERRATA_OK;
}

/* The next c on the same line within max code points, or 0. */
static size_t find_on_line(const errata_layout *lay, size_t from, uint32_t c, size_t max)
{
    for (size_t j = from; j < lay->count && j < from + max; j++) {
        if (errata_layout_at(lay, j) == c)
            return j;
        if (errata_layout_at(lay, j) == '\n')
            return 0;
    }
    return 0;
}

static int has_han(const errata_layout *lay, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (errata_is_han(errata_layout_at(lay, i)))
            return 1;
    return 0;
}

/* ------------------------------------------------------------ ? */

static int question_word_before(const errata_layout *lay, size_t i)
{
    static const char *const words[] = {"吗", "呢", "么", "如何", "为何", "是否", "哪", "谁",
                                        "几", "多少", "难道", "何"};
    for (size_t j = i; j > 0 && j + 30 > i; j--) {
        uint32_t c = errata_layout_cp(lay, j - 1);
        if (errata_layout_ends_sentence(c) || c == '\n')
            return 0;
        for (size_t w = 0; w < sizeof words / sizeof *words; w++)
            if (errata_layout_matches(lay, j - 1, words[w]))
                return 1;
    }
    return 0;
}

static int ends_with_document_kind(const errata_layout *lay, size_t end)
{
    static const char *const kinds[] = {
        "法", "条例", "规定", "办法", "通知", "意见", "纲要", "决定", "报告", "方案", "规划",
        "标准", "细则", "守则", "手册", "规程", "准则", "章程", "公约", "决议", "讲话", "文选",
        "选集", "日报", "杂志", "规范", "指南", "目录", "计划", "制度"};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t n = errata_layout_strlen(kinds[k]);
        if (end >= n && errata_layout_matches(lay, end - n, kinds[k]))
            return 1;
    }
    return 0;
}

/* ?title? where the title names a document or follows 依照, 贯彻 …: the
   marks stood for 《》.  Returns the closing ? or 0. */
static size_t title_marks_at(const errata_layout *lay, size_t i)
{
    size_t j = find_on_line(lay, i + 1, '?', MAX_PAIRED);
    if (!j || j - i < 3 || j - i > MAX_TITLE_MARKED)
        return 0;
    for (size_t k = i + 1; k < j; k++) {
        uint32_t c = errata_layout_at(lay, k);
        if (!errata_is_han(c) && !errata_layout_is_digit(c) && !errata_layout_in_set(c, "·—、（）"))
            return 0;
    }
    uint32_t before = errata_layout_before(lay, i);
    static const char *const verbs[] = {"依照", "按照", "根据", "依据", "贯彻", "学习", "落实",
                                        "执行", "遵守", "颁布", "印发", "制定", "修订", "出台",
                                        "发布", "实施", "对照", "宣传"};
    int introduced = errata_layout_in_set(before, "、和及与》");
    for (size_t v = 0; !introduced && v < sizeof verbs / sizeof *verbs; v++) {
        size_t n = errata_layout_strlen(verbs[v]);
        introduced = i >= n && errata_layout_matches(lay, i - n, verbs[v]);
    }
    return introduced || ends_with_document_kind(lay, j) ? j : 0;
}

static int fix_question_mark(errata_layout *lay, const punct_census *census, size_t *i)
{
    size_t close = title_marks_at(lay, *i);
    if (close) {
        int rc = errata_layout_edit(lay, *i, *i + 1, "《", "punct/title-mark",
                                    ERRATA_KIND_PUNCTUATION, 0.65, "? around a title stands for 《》");
        if (rc >= 0)
            rc = errata_layout_edit(lay, close, close + 1, "》", "punct/title-mark",
                                    ERRATA_KIND_PUNCTUATION, 0.65, "? around a title stands for 《》");
        *i = close;
        return rc < 0 ? rc : ERRATA_OK;
    }
    uint32_t after = errata_layout_cp(lay, *i + 1);
    if (!errata_layout_is_chinese(errata_layout_before(lay, *i)) ||
        !(errata_layout_is_chinese(after) || after == '\n' || after == 0))
        return ERRATA_OK;
    int question = question_word_before(lay, *i);
    return replace_mark(lay, *i, "？", "punct/ascii-question",
                        mark_confidence(census, question ? 0.85 : UNSURE),
                        question ? "ASCII ? ending a Chinese question"
                                 : "ASCII ? in Chinese text (or a character lost in conversion)");
}

/* ------------------------------------------------------------ pairs */

static int replace_pair(errata_layout *lay, size_t open, size_t close, const char *left,
                        const char *right, const char *rule, double confidence, const char *why)
{
    int rc = errata_layout_edit(lay, open, open + 1, left, rule, ERRATA_KIND_PUNCTUATION,
                                confidence, "%s", why);
    if (rc >= 0)
        rc = errata_layout_edit(lay, close, close + 1, right, rule, ERRATA_KIND_PUNCTUATION,
                                confidence, "%s", why);
    return rc < 0 ? rc : ERRATA_OK;
}

/* Short item numbers: 1, 12, 一, 十二. */
static int is_item_number(const errata_layout *lay, size_t from, size_t to)
{
    if (to - from > 3 || to == from)
        return 0;
    for (size_t k = from; k < to; k++)
        if (!errata_layout_is_digit(errata_layout_at(lay, k)) && errata_layout_cn_digit(errata_layout_at(lay, k)) < 0)
            return 0;
    return 1;
}

/* A lone ASCII parenthesis whose partner is full-width (（一), (一）):
   the site converted only one of the pair. */
static int fix_half_pair(errata_layout *lay, const punct_census *census, size_t i)
{
    uint32_t c = errata_layout_at(lay, i);
    uint32_t partner = c == '(' ? 0xFF09 : 0xFF08, same = c == '(' ? 0xFF08 : 0xFF09;
    size_t j = i;
    for (size_t steps = 0; steps < MAX_PARENTHESIZED; steps++) {
        if (c == '(' ? ++j >= lay->count : j-- == 0)
            return ERRATA_OK;
        uint32_t d = errata_layout_at(lay, j);
        if (d == '\n' || d == same || d == '(' || d == ')')
            return ERRATA_OK;
        if (d == partner)
            break;
    }
    if (errata_layout_at(lay, j) != partner)
        return ERRATA_OK;
    int rc = errata_layout_edit(lay, i, i + 1, c == '(' ? "（" : "）", "punct/ascii-paren",
                                ERRATA_KIND_PUNCTUATION, mark_confidence(census, 0.9),
                                "ASCII parenthesis paired with a full-width one");
    return rc < 0 ? rc : ERRATA_OK;
}

static int fix_parentheses(errata_layout *lay, const punct_census *census, size_t *i)
{
    size_t close = find_on_line(lay, *i + 1, ')', MAX_PARENTHESIZED);
    size_t nested = find_on_line(lay, *i + 1, '(', MAX_PARENTHESIZED);
    if (!close)
        return fix_half_pair(lay, census, *i);
    uint32_t before = errata_layout_before(lay, *i), after = errata_layout_cp(lay, close + 1);
    if (errata_layout_is_latin(before) || before == '_' || (nested && nested < close))
        return ERRATA_OK;
    int chinese_around = (*i == 0 || before == '\n' || errata_layout_is_chinese(before)) &&
                         errata_layout_is_chinese(after);
    int rc = ERRATA_OK;
    if (has_han(lay, *i + 1, close))
        rc = replace_pair(lay, *i, close, "（", "）", "punct/ascii-paren",
                          mark_confidence(census, 0.85),
                          "ASCII parentheses around Chinese text");
    else if (chinese_around && is_item_number(lay, *i + 1, close))
        rc = replace_pair(lay, *i, close, "（", "）", "punct/ascii-paren",
                          mark_confidence(census, 0.8),
                          "ASCII parentheses around an item number in Chinese text");
    *i = close;
    return rc;
}

static int fix_ascii_quotes(errata_layout *lay, const punct_census *census, size_t *i)
{
    size_t close = find_on_line(lay, *i + 1, '"', MAX_PAIRED);
    if (!close)
        return ERRATA_OK;
    uint32_t before = errata_layout_before(lay, *i), after = errata_layout_cp(lay, close + 1);
    int outside = errata_layout_is_chinese(before) || errata_layout_is_chinese(after);
    int rc = ERRATA_OK;
    if (outside && has_han(lay, *i + 1, close))
        rc = replace_pair(lay, *i, close, "“", "”", "punct/ascii-quote",
                          mark_confidence(census, 0.85),
                          "ASCII quotation marks around Chinese text");
    *i = close;
    return rc;
}

/* 〔…〕 is （…） unless it holds the year of a document number; some
   writers use 〔〕 on purpose, so only a text without （） is sure. */
static int fix_tortoise_brackets(errata_layout *lay, const punct_census *census, size_t *i)
{
    size_t close = find_on_line(lay, *i + 1, 0x3015, MAX_PAIRED);
    if (!close)
        return ERRATA_OK;
    long year;
    size_t n = errata_layout_digits(lay, *i + 1, 4, &year);
    int rc = ERRATA_OK;
    if (!(n == 4 && *i + 5 == close && year >= 1900 && year <= 2099))
        rc = replace_pair(lay, *i, close, "（", "）", "punct/tortoise-bracket",
                          census->site_damage || !census->full_parens ? 0.85 : UNSURE,
                          "〔〕 used for （） outside a document number");
    *i = close;
    return rc;
}

/* ------------------------------------------------------------ the pass */

static int fix_simple_mark(errata_layout *lay, const punct_census *census, size_t i, uint32_t c)
{
    static const struct {
        uint32_t ascii;
        const char *full_width, *rule;
    } marks[] = {{',', "，", "punct/ascii-comma"},
                 {';', "；", "punct/ascii-semicolon"},
                 {':', "：", "punct/ascii-colon"},
                 {'!', "！", "punct/ascii-exclamation"}};
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++)
        if (marks[m].ascii == c && in_chinese_text(lay, i))
            return replace_mark(lay, i, marks[m].full_width, marks[m].rule,
                                mark_confidence(census, 0.9),
                                "ASCII punctuation in Chinese text");
    return ERRATA_OK;
}

/* 〝 opens; 〞 and 〟 close an open quotation, and otherwise open one.  Some
   clean texts use them on purpose: without the site's traces, only proposed. */
static int fix_stand_in(errata_layout *lay, size_t i, uint32_t c, int *quote_open)
{
    int opens = c == 0x301D || !*quote_open;
    *quote_open = opens;
    int rc = errata_layout_edit(lay, i, i + 1, opens ? "“" : "”", "punct/quote-standin",
                                ERRATA_KIND_PUNCTUATION, lay->site_damage ? 0.9 : UNSURE,
                                "stand-in for %s quotation mark",
                                opens ? "an opening" : "a closing");
    return rc < 0 ? rc : ERRATA_OK;
}

int errata_layout_punctuation(errata_layout *lay)
{
    punct_census census = {0};
    count_marks(lay, &census);
    int rc = ERRATA_OK, quote_open = 0;
    for (size_t i = 0; !rc && i < lay->count; i++) {
        uint32_t c = errata_layout_raw(lay, i); /* compared with marks up to U+301F */
        if (c > 0x301F)
            continue; /* above every mark this pass looks at (〔 〝 〞 〟) */
        if (c == 0x201C || c == 0x201D || c == '\n')
            quote_open = c == 0x201C;
        if (c == '?')
            rc = fix_question_mark(lay, &census, &i);
        else if (c == '(')
            rc = fix_parentheses(lay, &census, &i);
        else if (c == ')')
            rc = fix_half_pair(lay, &census, i);
        else if (c == '"')
            rc = fix_ascii_quotes(lay, &census, &i);
        else if (c == 0x3014) /* 〔 */
            rc = fix_tortoise_brackets(lay, &census, &i);
        else if (c >= 0x301D && c <= 0x301F)
            rc = fix_stand_in(lay, i, c, &quote_open);
        else if (c < 0x80)
            rc = fix_simple_mark(lay, &census, i, c);
    }
    return rc;
}
