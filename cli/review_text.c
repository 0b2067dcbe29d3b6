/* Small text helpers for the review: hashing, display width. */
#include "review.h"

uint64_t errata_review_hash(const char *bytes, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)bytes[i];
        h *= 0x100000001b3u;
    }
    return h;
}



typedef struct {
    uint32_t first, last;
} cp_range;

/* East Asian Wide and Fullwidth blocks (the ones Chinese text meets). */
static const cp_range wide_ranges[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Combining marks, zero-width spaces and joiners, variation selectors. */
static const cp_range zero_ranges[] = {
    {0x0300, 0x036F}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF},
};

static int in_ranges(uint32_t cp, const cp_range *ranges, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (cp >= ranges[i].first && cp <= ranges[i].last)
            return 1;
    return 0;
}

int errata_review_cp_width(uint32_t cp)
{
    if (in_ranges(cp, zero_ranges, sizeof zero_ranges / sizeof *zero_ranges))
        return 0;
    if (in_ranges(cp, wide_ranges, sizeof wide_ranges / sizeof *wide_ranges))
        return 2;
    return 1;
}

void errata_review_position(const char *text, size_t at, size_t *line, size_t *column)
{
    size_t pos = 0;
    *line = 1;
    *column = 1;
    while (pos < at) {
        if (text[pos] == '\n') {
            ++*line;
            *column = 1;
            pos++;
        } else {
            errata_cli_utf8_next(text, at, &pos);
            ++*column;
        }
    }
}
