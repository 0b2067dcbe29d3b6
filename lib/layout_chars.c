/* Character classes and small parsers the layout passes share. */
#include <string.h>

#include "layout.h"

int errata_layout_is_cjk_punct(uint32_t cp)
{
    return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF65) ||
           (cp >= 0x2018 && cp <= 0x201F) || cp == 0x2026 || cp == 0x2014 || cp == 0x00B7;
}

int errata_layout_is_chinese(uint32_t cp)
{
    return errata_is_han(cp) || errata_layout_is_cjk_punct(cp);
}

/* A code point's UTF-8 form can only occur in a valid UTF-8 string at a
   character boundary (a lead byte is never a continuation byte), so a
   substring search answers membership without decoding the set. */
int errata_layout_in_set(uint32_t cp, const char *set)
{
    if (cp == 0)
        return 0;
    char needle[5];
    needle[errata_utf8_encode(cp, needle)] = '\0';
    return strstr(set, needle) != NULL;
}

void errata_layout_set_init(errata_layout_set *set, const char *members)
{
    size_t n = strlen(members), pos = 0;
    memset(set, 0, sizeof *set);
    while (pos < n && set->count < ERRATA_LAYOUT_SET_MAX) {
        uint32_t cp = errata_utf8_next(members, n, &pos);
        set->members[set->count++] = cp;
        set->filter[(cp >> 6) & 15] |= (uint64_t)1 << (cp & 63);
    }
}

int errata_layout_ends_sentence(uint32_t cp)
{
    return errata_layout_in_set(cp, "。！？；：…”’」』）】》.!?;:)");
}

int errata_layout_is_full_stop(uint32_t cp) { return errata_layout_in_set(cp, "。！？"); }

size_t errata_layout_cn_number(const errata_layout *lay, size_t i, int *value)
{
    int a = errata_layout_cn_digit(errata_layout_cp(lay, i));
    int b = errata_layout_cn_digit(errata_layout_cp(lay, i + 1));
    int c = errata_layout_cn_digit(errata_layout_cp(lay, i + 2));
    if (a <= 0)
        return 0;
    if (a == 10) { /* 十, 十二 */
        *value = b >= 1 && b <= 9 ? 10 + b : 10;
        return b >= 1 && b <= 9 ? 2 : 1;
    }
    if (b == 10) { /* 二十, 二十三 */
        *value = a * 10 + (c >= 1 && c <= 9 ? c : 0);
        return c >= 1 && c <= 9 ? 3 : 2;
    }
    *value = a;
    return 1;
}

size_t errata_layout_digits(const errata_layout *lay, size_t i, size_t max_digits, long *value)
{
    size_t n = 0;
    long v = 0;
    while (errata_layout_is_digit(errata_layout_cp(lay, i + n))) {
        if (n == max_digits)
            return 0;
        v = v * 10 + (long)(errata_layout_cp(lay, i + n) - '0');
        n++;
    }
    *value = v;
    return n;
}

/* Compares UTF-8 forms: stops at the first byte that differs, so never
   reads past the end of s. */
int errata_layout_matches(const errata_layout *lay, size_t i, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char form[4];
        size_t n = errata_utf8_encode(errata_layout_cp(lay, i++), (char *)form);
        for (size_t k = 0; k < n; k++)
            if (p[k] != form[k])
                return 0;
        p += n;
    }
    return 1;
}

size_t errata_layout_strlen(const char *s)
{
    return errata_utf8_count(s, strlen(s));
}

/* 一、 二是 第三条 (Chinese numbers) */
static int starts_cn_heading(const errata_layout *lay, size_t i)
{
    int value;
    size_t n = errata_layout_cn_number(lay, i, &value);
    if (n)
        return errata_layout_in_set(errata_layout_cp(lay, i + n), "、是");
    if (errata_layout_cp(lay, i) != 0x7B2C) /* 第 */
        return 0;
    n = errata_layout_cn_number(lay, i + 1, &value);
    return n && errata_layout_in_set(errata_layout_cp(lay, i + 1 + n), "条章节部篇款");
}

/* (一) （1） 1、 1. 1) */
static int starts_numbered_item(const errata_layout *lay, size_t i)
{
    uint32_t c = errata_layout_cp(lay, i);
    size_t at = i + (c == '(' || c == 0xFF08);
    int value;
    long number;
    size_t n = errata_layout_cn_number(lay, at, &value);
    if (!n)
        n = errata_layout_digits(lay, at, 3, &number);
    if (!n)
        return 0;
    uint32_t after = errata_layout_cp(lay, at + n);
    if (at > i)
        return after == ')' || after == 0xFF09;
    return errata_layout_in_set(after, "、.．)）") &&
           !errata_layout_is_digit(errata_layout_cp(lay, at + n + 1));
}

int errata_layout_starts_heading(const errata_layout *lay, size_t i)
{
    uint32_t c = errata_layout_cp(lay, i);
    if ((c >= 0x2460 && c <= 0x2473) || errata_layout_in_set(c, "•●■◆▲★□○◇-*·"))
        return 1; /* ①…⑳ and bullets */
    return starts_cn_heading(lay, i) || starts_numbered_item(lay, i) ||
           errata_layout_matches(lay, i, "附件");
}
