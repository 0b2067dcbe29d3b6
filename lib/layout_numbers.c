/* Numbers: the site rewrote 20 as 2023 inside numbers (200名 → 20230名), which
   is proposed back; deleted years (年、年先后被…), deleted digits (生产总值亿元,
   人均元) and deleted dates (于月日) are flagged, never guessed; an age range
   that lost its dash (18—35岁 → 1835岁) is proposed back when only one split
   reads as a range of ages. */
#include <stdio.h>

#include "layout.h"

#define MAX_AGE 120

/* Characters that follow a count: measure words and units. */
static const char measure_words[] =
    "个名人户家元万亿多余条项次件台辆所座米吨亩岁天周倍期批类种位篇部本册份场轮级度点成组"
    "队支只头株棵斤克升角间套栋层把张块架艘列遍首字行例班幢%％千百";

static int is_code_neighbour(uint32_t c)
{
    return errata_layout_is_latin(c) || errata_layout_in_set(c, ".-/:_#+@");
}

/* ------------------------------------------------------------ 2023 */

static int propose_twenty(errata_layout *lay, size_t at, const char *why)
{
    int rc = errata_layout_edit(lay, at, at + 4, "20", "number/2023-for-20", ERRATA_KIND_NUMBER,
                                0.65, "2023 %s: the site writes 20 as 2023", why);
    return rc < 0 ? rc : ERRATA_OK;
}

static int fix_2023_in_run(errata_layout *lay, size_t start, size_t end)
{
    uint32_t before = errata_layout_before(lay, start), after = errata_layout_cp(lay, end);
    if (is_code_neighbour(before) || is_code_neighbour(after) ||
        !errata_layout_in_set(after, measure_words))
        return ERRATA_OK;
    size_t length = end - start;
    if (length == 4 && errata_layout_matches(lay, start, "2023"))
        return propose_twenty(lay, start, "before a measure word");
    if (length < 5 || length > 8)
        return ERRATA_OK;
    for (size_t k = start; k + 4 <= end; k++) {
        if (!errata_layout_matches(lay, k, "2023"))
            continue;
        int rc = propose_twenty(lay, k, "inside a larger number");
        if (rc)
            return rc;
        k += 3;
    }
    return ERRATA_OK;
}

/* ------------------------------------------------------------ age ranges */

/* Split digits[0..n) into lo and hi, both ages, lo < hi; count the splits. */
static int age_splits(const char *digits, size_t n, size_t *split)
{
    int count = 0;
    for (size_t s = 1; s < n; s++) {
        if (digits[s] == '0')
            continue;
        long lo = 0, hi = 0;
        for (size_t k = 0; k < s; k++)
            lo = lo * 10 + (digits[k] - '0');
        for (size_t k = s; k < n; k++)
            hi = hi * 10 + (digits[k] - '0');
        if (lo >= 1 && lo < hi && hi <= MAX_AGE) {
            *split = s;
            count++;
        }
    }
    return count;
}

static int fix_age_range(errata_layout *lay, size_t start, size_t end)
{
    long value;
    if (errata_layout_cp(lay, end) != 0x5C81 || end - start < 3 || end - start > 4 || /* 岁 */
        errata_layout_digits(lay, start, 4, &value) != end - start || value <= MAX_AGE ||
        errata_layout_in_set(errata_layout_before(lay, start), "-~～—至到"))
        return ERRATA_OK;
    char digits[5] = {0};
    for (size_t k = start; k < end; k++)
        digits[k - start] = (char)errata_layout_at(lay, k);
    size_t split = 0;
    int splits = age_splits(digits, end - start, &split);
    int rc = 0;
    if (splits == 1) {
        char range[16];
        snprintf(range, sizeof range, "%.*s—%s", (int)split, digits, digits + split);
        rc = errata_layout_edit(lay, start, end, range, "number/dash-dropped", ERRATA_KIND_NUMBER,
                                0.55, "no one is %ld years old: an age range that lost its dash",
                                value);
    } else if (splits > 1) {
        rc = errata_layout_flag(lay, start, end, "flag/dash-dropped", 0.6,
                                "no one is %ld years old: an age range lost its dash", value);
    }
    return rc < 0 ? rc : ERRATA_OK;
}

/* ------------------------------------------------------------ deleted digits */

static int at_clause_start(const errata_layout *lay, size_t i)
{
    uint32_t before = errata_layout_before(lay, i);
    return i == 0 || before == '\n' || errata_layout_in_set(before, "，。、；：,;:“（(");
}

/* 年 with no number before it where a year belongs. */
static int flag_deleted_year(errata_layout *lay, size_t i)
{
    uint32_t before = errata_layout_before(lay, i), after = errata_layout_cp(lay, i + 1);
    int after_preposition = errata_layout_in_set(before, "于在至自从到") &&
                            !errata_layout_is_digit(errata_layout_before(lay, i - 1));
    if (!(at_clause_start(lay, i) || after_preposition) ||
        errata_layout_in_set(after, "轻度龄底初内终均产会薪限报鉴间份代纪级头末前后来中年味画夜关华迈"
                                    "幼少长老货利息审检金俸景成号表历刊俗假休糕"))
        return ERRATA_OK;
    int rc = errata_layout_flag(lay, i, i + 1, "flag/deleted-year", 0.7,
                                "年 with no year before it: the digits were deleted");
    return rc < 0 ? rc : ERRATA_OK;
}

/* 月日 with no numbers: a deleted date. */
static int flag_deleted_date(errata_layout *lay, size_t i)
{
    uint32_t before = errata_layout_before(lay, i);
    if (errata_layout_cp(lay, i + 1) != 0x65E5 || errata_layout_is_digit(before) || /* 日 */
        errata_layout_cn_digit(before) >= 0 ||
        !(at_clause_start(lay, i) || errata_layout_in_set(before, "年于在至自从到")))
        return ERRATA_OK;
    int rc = errata_layout_flag(lay, i, i + 2, "flag/deleted-date", 0.7,
                                "月日 with no numbers: the date was deleted");
    return rc < 0 ? rc : ERRATA_OK;
}

/* A unit right after a word that takes a quantity (总值亿元, 人均元, 增长%);
   c is the view's value at i. */
static int flag_deleted_digits(errata_layout *lay, const errata_layout_set *takes_quantity,
                               const errata_layout_set *unit_starts, size_t i, uint32_t c,
                               size_t *unit_length)
{
    static const char *const units[] = {"万美元", "亿元", "万元", "美元", "个百分点", "平方公里",
                                        "公里", "万亩", "万人", "万吨", "元", "%", "％"};
    *unit_length = 0;
    if (!errata_layout_set_has(unit_starts, c) ||
        !errata_layout_set_has(takes_quantity, errata_layout_before(lay, i)))
        return ERRATA_OK;
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        if (!errata_layout_matches(lay, i, units[u]))
            continue;
        size_t n = errata_layout_strlen(units[u]);
        if (errata_layout_matches(lay, i, "元") &&
            errata_layout_in_set(errata_layout_cp(lay, i + 1), "旦素月宵老首气帅器件代朝"))
            return ERRATA_OK;
        *unit_length = n;
        int rc = errata_layout_flag(lay, i, i + n, "flag/deleted-digits", 0.7,
                                    "%s with no number before it: the digits were deleted",
                                    units[u]);
        return rc < 0 ? rc : ERRATA_OK;
    }
    return ERRATA_OK;
}

int errata_layout_numbers(errata_layout *lay)
{
    errata_layout_set takes_quantity, unit_starts;
    errata_layout_set_init(&takes_quantity, "达共约近为值入资均长降现计额超逾至到增减占");
    errata_layout_set_init(&unit_starts, "万亿美个平公元%％"); /* first characters of the units */
    int rc = ERRATA_OK;
    for (size_t i = 0; !rc && i < lay->count; i++) {
        uint32_t c = errata_layout_raw(lay, i); /* compared with digits, 年 and 月 */
        if (errata_layout_is_digit(c)) {
            size_t end = i;
            while (errata_layout_is_digit(errata_layout_cp(lay, end)))
                end++;
            rc = fix_2023_in_run(lay, i, end);
            if (!rc)
                rc = fix_age_range(lay, i, end);
            i = end - 1;
        } else if (c == 0x5E74) { /* 年 */
            rc = flag_deleted_year(lay, i);
        } else if (c == 0x6708) { /* 月 */
            rc = flag_deleted_date(lay, i);
        } else {
            size_t unit_length;
            rc = flag_deleted_digits(lay, &takes_quantity, &unit_starts, i, c, &unit_length);
            if (unit_length)
                i += unit_length - 1;
        }
    }
    return rc;
}
