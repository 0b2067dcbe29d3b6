/* UTF-8 validation and decoding. */
#include <string.h>

#include "internal.h"

size_t errata_utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 1;
}

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Length of the valid sequence at s[0..avail), or 0 if it is invalid
   (truncated, overlong, surrogate or beyond U+10FFFF). */
static size_t valid_sequence(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = errata_utf8_seq_len(c);
    if (n == 1 || n > avail)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_continuation(s[i]))
            return 0;
    if (c == 0xE0 && s[1] < 0xA0)
        return 0; /* overlong */
    if (c == 0xED && s[1] >= 0xA0)
        return 0; /* surrogate */
    if (c == 0xF0 && s[1] < 0x90)
        return 0; /* overlong */
    if (c == 0xF4 && s[1] >= 0x90)
        return 0; /* beyond U+10FFFF */
    return n;
}

/* Whether s[0..2] is a three-byte sequence that needs no further check
   (the leads E0 and ED are restricted: see valid_sequence). */
static int plain_three_bytes(const unsigned char *s)
{
    return s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED && is_continuation(s[1]) &&
           is_continuation(s[2]);
}

size_t errata_utf8_validate(const char *text, size_t len, size_t *code_points)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t pos = 0, count = 0;
    while (pos < len) {
        if (len - pos >= 12 && plain_three_bytes(s + pos) && plain_three_bytes(s + pos + 3) &&
            plain_three_bytes(s + pos + 6) && plain_three_bytes(s + pos + 9)) {
            pos += 12; /* four Chinese characters at once: one loop test for the lot */
            count += 4;
            continue;
        }
        count++;
        if (s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (len - pos >= 3 && plain_three_bytes(s + pos)) { /* most Chinese text */
            pos += 3;
            continue;
        }
        size_t n = valid_sequence(s + pos, len - pos);
        if (n == 0)
            break;
        pos += n;
    }
    *code_points = count;
    return pos; /* len when the whole text is valid */
}

size_t errata_utf8_invalid_offset(const char *text, size_t len)
{
    size_t code_points;
    return errata_utf8_validate(text, len, &code_points);
}

/* Bytes other than continuation bytes (10xxxxxx), eight at a time: a
   continuation byte leaves its top bit in `continuation`, and the multiply
   adds those bits up in the top byte. */
size_t errata_utf8_count(const char *text, size_t len)
{
    size_t count = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t bytes;
        memcpy(&bytes, text + i, sizeof bytes);
        uint64_t continuation = bytes & ~(bytes << 1) & 0x8080808080808080u;
        count += 8 - (size_t)(((continuation >> 7) * 0x0101010101010101u) >> 56);
    }
    for (; i < len; i++)
        count += ((unsigned char)text[i] & 0xC0) != 0x80;
    return count;
}

uint32_t errata_utf8_next(const char *text, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)text + *pos;
    size_t n = errata_utf8_seq_len(s[0]);
    if (*pos + n > len)
        n = 1;
    uint32_t cp;
    switch (n) {
    case 2: cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F); break;
    case 3: cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F); break;
    case 4:
        cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
             ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        break;
    default: cp = s[0]; break;
    }
    *pos += n;
    return cp;
}

size_t errata_utf8_encode(uint32_t cp, char *buf)
{
    unsigned char *b = (unsigned char *)buf;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
