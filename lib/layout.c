/* Layout and character damage: the view the passes share, and the order
   they run in (see layout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define LAYOUT_SSSE3 1
#endif

enum { CLAIM_COVERED = 1, CLAIM_INSERT = 2 };

/* A huge document's passes make millions of changes: 24 bytes each. */
struct errata_layout_change {
    uint32_t from, to;  /* view positions */
    errata_layout_span bytes; /* the original bytes it replaces (an insertion:
                                 where it goes) */
    uint32_t edit;      /* the edit (of the list) whose new text goes in, or
                           LOCKED_ONLY: the span is only locked (a proposal
                           or a flag) */
    uint32_t length;    /* code points in its place: of the new text, or to - from */
};

#define LOCKED_ONLY UINT32_MAX

/* The new text of change c (not LOCKED_ONLY). */
static const char *change_text(const errata_layout *lay, const errata_layout_change *c)
{
    return errata_edit_list_new_text(lay->list, c->edit);
}

/* Make room for n more characters (in one allocation when the caller
   reserves what it will push). */
static int view_reserve(errata_layout *lay, size_t n)
{
    size_t need = lay->count + n, cap = lay->cap ? lay->cap : 16;
    if (need <= lay->cap)
        return ERRATA_OK;
    while (cap < need)
        cap *= 2;
    uint16_t *cps = realloc(lay->cps, cap * sizeof *cps);
    if (!cps)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    lay->cps = cps;
    lay->cap = cap;
    return ERRATA_OK;
}

/* ------------------------------------------------------------ marks */

/* Room for n more marks. */
static int reserve_marks(errata_layout_marks *marks, size_t n)
{
    if (marks->cap - marks->count < n) {
        size_t cap = marks->cap ? 2 * marks->cap : 64;
        while (cap - marks->count < n)
            cap *= 2;
        uint32_t *new_at = realloc(marks->at, cap * sizeof *new_at);
        if (new_at)
            marks->at = new_at;
        uint32_t *new_start = new_at ? realloc(marks->start, cap * sizeof *new_start) : NULL;
        if (new_start)
            marks->start = new_start;
        unsigned char *new_kind = new_start ? realloc(marks->kind, cap) : NULL;
        if (!new_kind)
            return errata_fail(ERRATA_ENOMEM, "out of memory");
        marks->kind = new_kind;
        marks->cap = cap;
    }
    return ERRATA_OK;
}

/* A mark of the text's own characters, every ERRATA_LAYOUT_MARK_EVERY
   positions. */
static int add_mark(errata_layout_marks *marks, size_t at, uint32_t start)
{
    if (reserve_marks(marks, 1))
        return ERRATA_ENOMEM;
    marks->at[marks->count] = (uint32_t)at;
    marks->start[marks->count] = start;
    marks->kind[marks->count++] = at > 0 ? ERRATA_LAYOUT_FREE | ERRATA_LAYOUT_RUNS_ON
                                         : ERRATA_LAYOUT_FREE;
    return ERRATA_OK;
}

/* What the positions from mark k on are (ERRATA_LAYOUT_*). */
static unsigned mark_kind(const errata_layout_marks *marks, size_t k)
{
    return marks->kind[k] & ERRATA_LAYOUT_KIND;
}

static void free_marks(errata_layout_marks *marks)
{
    free(marks->at);
    free(marks->start);
    free(marks->kind);
    memset(marks, 0, sizeof *marks);
}

/* Bytes of the UTF-8 sequence of cp (an original character's length). */
static uint32_t cp_bytes(uint32_t cp)
{
    return 1u + (cp >= 0x80) + (cp >= 0x800) + (cp >= 0x10000);
}

/* Bytes of the original character at view position i (held whole or in
   windows). */
static uint32_t char_bytes(const errata_layout *lay, size_t i)
{
    uint32_t value = errata_layout_value_any(lay, i);
    return value == ERRATA_LAYOUT_ASTRAL ? 4 : cp_bytes(value);
}

/* The lengths of UTF-8 sequences by their first byte's high bits. */
static const unsigned char utf8_lengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};

/* A walk along the view, knowing where each character comes from. */
typedef struct {
    size_t i;          /* view position */
    uint32_t start;    /* its source (see errata_layout_marks) */
    unsigned char kind; /* ERRATA_LAYOUT_* */
    size_t next_mark;  /* the first mark after i */
} source_cursor;

static void cursor_next(const errata_layout *lay, source_cursor *c)
{
    if (c->kind != ERRATA_LAYOUT_MADE)
        c->start += char_bytes(lay, c->i);
    c->i++;
    if (c->next_mark < lay->marks.count && lay->marks.at[c->next_mark] == c->i) {
        c->start = lay->marks.start[c->next_mark];
        c->kind = (unsigned char)mark_kind(&lay->marks, c->next_mark++);
    }
}

/* The last mark at or before view position i: a few steps on from the
   one found last, or a binary search. */
static size_t mark_before(errata_layout_marks *m, size_t i)
{
    size_t k = m->hint, steps = 0;
    if (k < m->count && m->at[k] <= i) {
        while (k + 1 < m->count && m->at[k + 1] <= i && ++steps < 4)
            k++;
        if (k + 1 == m->count || m->at[k + 1] > i)
            return m->hint = k;
    }
    size_t lo = 0, hi = m->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->at[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return m->hint = lo;
}

/* The source of view position i, from the last mark at or before it (at
   position at, with source start, of that kind).  Between two marks the
   characters are either the made ones of one edit (one source) or original
   ones whose bytes follow each other. */
static uint32_t source_from_mark(const errata_layout *lay, unsigned kind, size_t at,
                                 uint32_t start, size_t i)
{
    if (kind == ERRATA_LAYOUT_MADE)
        return start;
    const unsigned char *text = (const unsigned char *)lay->text;
    for (size_t j = at; j < i; j++)
        start += utf8_lengths[text[start] >> 4];
    return start;
}

/* The cursor at view position i (< count). */
static source_cursor cursor_at(errata_layout *lay, size_t i)
{
    const errata_layout_marks *m = &lay->marks;
    size_t k = mark_before(&lay->marks, i);
    unsigned kind = mark_kind(m, k);
    uint32_t start = source_from_mark(lay, kind, m->at[k], m->start[k], i);
    return (source_cursor){i, start, (unsigned char)kind, k + 1};
}

/* What view position i is (ERRATA_LAYOUT_*). */
static unsigned kind_at(errata_layout *lay, size_t i)
{
    return mark_kind(&lay->marks, mark_before(&lay->marks, i));
}

/* The original bytes of the cursor's position: an original character's
   own bytes, a made character's replaced span. */
static errata_layout_span cursor_span(const errata_layout *lay, const source_cursor *c)
{
    if (c->kind == ERRATA_LAYOUT_MADE)
        return lay->made[c->start];
    return (errata_layout_span){c->start, c->start + char_bytes(lay, c->i)};
}

static errata_layout_span view_span(errata_layout *lay, size_t i)
{
    source_cursor c = cursor_at(lay, i);
    return cursor_span(lay, &c);
}

/* ------------------------------------------------------------ astral */

static uint32_t decode_at(errata_layout *lay, size_t i);

uint32_t errata_layout_astral_at(const errata_layout *lay, size_t i)
{
    if (lay->window_size) /* windows keep no list */
        return decode_at((errata_layout *)lay, i);
    size_t lo = 0, hi = lay->astral_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lay->astral[mid].at < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lay->astral_count && lay->astral[lo].at == i ? lay->astral[lo].cp : 0;
}

/* Append a code point beyond U+FFFF at view position at (after the others)
   to *list. */
static int push_astral(errata_layout_astral **list, size_t *count, size_t *cap, size_t at,
                       uint32_t cp)
{
    if (errata_grow((void **)list, cap, *count + 1, sizeof **list))
        return ERRATA_ENOMEM;
    (*list)[(*count)++] = (errata_layout_astral){at, cp};
    return ERRATA_OK;
}

/* Put code point cp at view position i (the positions are written in
   order). */
static int put_cp(errata_layout *lay, size_t i, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        lay->cps[i] = (uint16_t)cp;
        return ERRATA_OK;
    }
    lay->cps[i] = ERRATA_LAYOUT_ASTRAL;
    return push_astral(&lay->astral, &lay->astral_count, &lay->astral_cap, i, cp);
}

/* A view kept in windows: its marks only (see errata_layout_fetch()). */
/* Where the character n characters after the one at byte pos starts, or
   len if the text ends first.  The characters are counted by their first
   bytes, eight bytes at a time: a walk from one character to the next
   would wait for each one's length before it could read the next. */
static size_t char_after(const unsigned char *text, size_t len, size_t pos, size_t n)
{
    const uint64_t high_bits = 0x8080808080808080u;
    size_t starts = n + 1; /* the one at pos, those after it, and the one sought */
    for (; pos + 8 <= len; pos += 8) {
        uint64_t x;
        memcpy(&x, text + pos, 8);
        uint64_t first = ~(x & ~(x << 1)) & high_bits; /* bytes but 10xxxxxx */
        size_t count = (size_t)(((first >> 7) * 0x0101010101010101u) >> 56);
        if (count >= starts)
            break;
        starts -= count;
    }
    for (; pos < len; pos++)
        if ((text[pos] & 0xC0) != 0x80 && --starts == 0)
            return pos;
    return len;
}

static int view_init_windows(errata_layout *lay, size_t code_points)
{
    if (reserve_marks(&lay->marks, code_points / ERRATA_LAYOUT_MARK_EVERY + 1))
        return ERRATA_ENOMEM;
    for (size_t w = 0; w < ERRATA_LAYOUT_WINDOWS; w++)
        if (!(lay->window[w].cps = malloc(lay->window_size * sizeof *lay->window[w].cps)))
            return errata_fail(ERRATA_ENOMEM, "out of memory");
    const unsigned char *text = (const unsigned char *)lay->text;
    for (size_t pos = 0; pos < lay->len;) {
        if (add_mark(&lay->marks, lay->count, (uint32_t)pos))
            return ERRATA_ENOMEM;
        size_t next = char_after(text, lay->len, pos, ERRATA_LAYOUT_MARK_EVERY);
        if (next < lay->len) {
            lay->count += ERRATA_LAYOUT_MARK_EVERY;
            pos = next;
            continue;
        }
        for (; pos < lay->len; lay->count++) /* the last few */
            pos += utf8_lengths[text[pos] >> 4];
    }
    return ERRATA_OK;
}

static int view_init(errata_layout *lay, size_t code_points)
{
    if (lay->window_size)
        return view_init_windows(lay, code_points);
    if (view_reserve(lay, code_points) ||
        reserve_marks(&lay->marks, code_points / ERRATA_LAYOUT_MARK_EVERY + 1))
        return ERRATA_ENOMEM;
    size_t pos = 0;
    while (pos < lay->len) {
        /* A guard only: errata_check's validation counted every code point. */
        if (lay->count == lay->cap && view_reserve(lay, 1))
            return ERRATA_ENOMEM;
        size_t i = lay->count++;
        if (i % ERRATA_LAYOUT_MARK_EVERY == 0 && add_mark(&lay->marks, i, (uint32_t)pos))
            return ERRATA_ENOMEM;
        if (put_cp(lay, i, errata_utf8_next_fast(lay->text, lay->len, &pos)))
            return ERRATA_ENOMEM;
    }
    lay->window[0] = (errata_layout_window){0, lay->count, lay->cps};
    return ERRATA_OK;
}

/* ------------------------------------------------------------ windows */

/* The new text of the edit that made span made; *pos is set to the byte
   where its k-th character starts. */
static const char *made_text(const errata_layout *lay, uint32_t made, size_t k, size_t *pos)
{
    const char *text = errata_edit_list_new_text(lay->list, lay->made_edit[made]);
    for (*pos = 0; k-- > 0;)
        *pos += errata_utf8_seq_len((unsigned char)text[*pos]);
    return text;
}

/* The code point of a made character: the k-th of its edit's new text. */
static uint32_t made_cp(const errata_layout *lay, uint32_t made, size_t k)
{
    size_t pos;
    const char *text = made_text(lay, made, k, &pos);
    return errata_utf8_next(text, strlen(text), &pos);
}

/* The code point at view position i, from its mark's source. */
static uint32_t decode_at(errata_layout *lay, size_t i)
{
    const errata_layout_marks *m = &lay->marks;
    size_t k = mark_before(&lay->marks, i);
    unsigned kind = mark_kind(m, k);
    if (kind == ERRATA_LAYOUT_MADE)
        return made_cp(lay, m->start[k], i - m->at[k]);
    size_t pos = source_from_mark(lay, kind, m->at[k], m->start[k], i);
    return errata_utf8_next(lay->text, lay->len, &pos);
}

#ifdef LAYOUT_SSSE3
/* The sixteen bytes of a round of five three-byte characters (see
   decode_three_byte(); an AVX2 round holds two, one in each lane): the
   bits that tell a first byte from a continuation byte, and their values
   there; then, per 16-bit lane k, the first two bytes of character k (the
   first one high) and its third byte. */
#define THREE_BYTE_MASK                                                                           \
    (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0,           \
        (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0, (char)0xC0, (char)0xF0, (char)0xC0,       \
        (char)0xC0, 0
#define THREE_BYTE_WANT                                                                           \
    (char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80, (char)0x80, (char)0xE0,           \
        (char)0x80, (char)0x80, (char)0xE0, (char)0x80, (char)0x80, (char)0xE0, (char)0x80,       \
        (char)0x80, 0
#define THREE_BYTE_FIRSTS 1, 0, 4, 3, 7, 6, 10, 9, 13, 12, -1, -1, -1, -1, -1, -1
#define THREE_BYTE_THIRDS 2, -1, 5, -1, 8, -1, 11, -1, 14, -1, -1, -1, -1, -1, -1, -1

/* Decode three-byte characters (most of a Chinese text: Han and its
   punctuation) five at a time from byte *pos on, while n positions of out
   hold five and there are sixteen bytes of text before end; how many were
   decoded (*pos moved past them).  Each round reads sixteen bytes and
   checks that the first fifteen are five such characters.  A huge
   document's layout passes decode the text again for each of their dozen
   scans. */
static inline __attribute__((always_inline, target("ssse3"))) size_t
decode_three_byte(const unsigned char *text, size_t *pos, size_t end, size_t n, uint16_t *out)
{
    const __m128i mask = _mm_setr_epi8(THREE_BYTE_MASK);
    const __m128i want = _mm_setr_epi8(THREE_BYTE_WANT);
    const __m128i firsts = _mm_setr_epi8(THREE_BYTE_FIRSTS);
    const __m128i thirds = _mm_setr_epi8(THREE_BYTE_THIRDS);
    size_t j = 0;
    while (j + 5 <= n && *pos + 16 <= end) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + *pos));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, mask), want)) != 0xFFFF)
            break;
        __m128i two = _mm_shuffle_epi8(v, firsts), third = _mm_shuffle_epi8(v, thirds);
        __m128i high = _mm_slli_epi16(_mm_and_si128(two, _mm_set1_epi16(0x0F00)), 4);
        __m128i middle = _mm_slli_epi16(_mm_and_si128(two, _mm_set1_epi16(0x003F)), 6);
        __m128i low = _mm_and_si128(third, _mm_set1_epi16(0x003F));
        __m128i cps = _mm_or_si128(_mm_or_si128(high, middle), low);
        _mm_storel_epi64((__m128i *)(void *)(out + j), cps);
        out[j + 4] = (uint16_t)_mm_extract_epi16(cps, 4);
        j += 5;
        *pos += 15;
    }
    return j;
}
#endif

/* Decode the n characters from byte pos on of text (valid UTF-8) into out
   as the view holds them (ERRATA_LAYOUT_ASTRAL beyond U+FFFF); the byte
   after them.  errata_utf8_next_fast() without its length test and its
   call for two-byte characters: this is the windows' decoding outside runs
   of three-byte characters. */
static inline __attribute__((always_inline)) size_t decode_chars(const unsigned char *text,
                                                                 size_t pos, size_t n,
                                                                 uint16_t *out)
{
    for (size_t j = 0; j < n; j++) {
        unsigned c = text[pos];
        if (c < 0x80) {
            out[j] = (uint16_t)c;
            pos++;
        } else if (c >= 0xE0 && c < 0xF0) {
            out[j] = (uint16_t)((c & 0x0F) << 12 | (text[pos + 1] & 0x3Fu) << 6 |
                                (text[pos + 2] & 0x3Fu));
            pos += 3;
        } else if (c < 0xE0) {
            out[j] = (uint16_t)((c & 0x1F) << 6 | (text[pos + 1] & 0x3Fu));
            pos += 2;
        } else {
            out[j] = ERRATA_LAYOUT_ASTRAL;
            pos += 4;
        }
    }
    return pos;
}

#ifdef LAYOUT_SSSE3
/* decode_three_byte() ten at a time, the two halves of each round in the
   two lanes of an AVX2 register, while n positions of out hold sixteen
   (each half's store writes three more, overwritten after) and there are
   31 bytes of text before end. */
static inline __attribute__((always_inline, target("avx2"))) size_t
decode_three_byte_avx2(const unsigned char *text, size_t *pos, size_t end, size_t n, uint16_t *out)
{
    const __m256i mask = _mm256_setr_epi8(THREE_BYTE_MASK, THREE_BYTE_MASK);
    const __m256i want = _mm256_setr_epi8(THREE_BYTE_WANT, THREE_BYTE_WANT);
    const __m256i firsts = _mm256_setr_epi8(THREE_BYTE_FIRSTS, THREE_BYTE_FIRSTS);
    const __m256i thirds = _mm256_setr_epi8(THREE_BYTE_THIRDS, THREE_BYTE_THIRDS);
    size_t j = 0;
    while (j + 16 <= n && *pos + 31 <= end) {
        __m256i v = _mm256_loadu2_m128i((const __m128i *)(const void *)(text + *pos + 15),
                                        (const __m128i *)(const void *)(text + *pos));
        if (_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(v, mask), want)) != -1)
            break;
        __m256i two = _mm256_shuffle_epi8(v, firsts), third = _mm256_shuffle_epi8(v, thirds);
        __m256i high = _mm256_slli_epi16(_mm256_and_si256(two, _mm256_set1_epi16(0x0F00)), 4);
        __m256i middle = _mm256_slli_epi16(_mm256_and_si256(two, _mm256_set1_epi16(0x003F)), 6);
        __m256i low = _mm256_and_si256(third, _mm256_set1_epi16(0x003F));
        __m256i cps = _mm256_or_si256(_mm256_or_si256(high, middle), low);
        _mm_storeu_si128((__m128i *)(void *)(out + j), _mm256_castsi256_si128(cps));
        _mm_storeu_si128((__m128i *)(void *)(out + j + 5), _mm256_extracti128_si256(cps, 1));
        j += 10;
        *pos += 30;
    }
    return j;
}

/* decode_chars() taking the runs of three-byte characters ten at a time
   (the text is end bytes long). */
__attribute__((target("avx2"))) static size_t decode_chars_avx2(const unsigned char *text,
                                                               size_t end, size_t pos, size_t n,
                                                               uint16_t *out)
{
    size_t j = 0;
    while (j < n) {
        if ((text[pos] & 0xF0) == 0xE0) {
            j += decode_three_byte_avx2(text, &pos, end, n - j, out + j);
            j += decode_three_byte(text, &pos, end, n - j, out + j);
        }
        if (j < n)
            pos = decode_chars(text, pos, 1, out + j++);
    }
    return pos;
}

/* decode_chars() taking the runs of three-byte characters five at a time
   (the text is end bytes long). */
__attribute__((target("ssse3"))) static size_t decode_chars_ssse3(const unsigned char *text,
                                                                  size_t end, size_t pos,
                                                                  size_t n, uint16_t *out)
{
    size_t j = 0;
    while (j < n) {
        if ((text[pos] & 0xF0) == 0xE0)
            j += decode_three_byte(text, &pos, end, n - j, out + j);
        if (j < n)
            pos = decode_chars(text, pos, 1, out + j++);
    }
    return pos;
}
#endif

/* decode_chars() (the text is end bytes long), the fastest way the
   processor allows. */
static size_t decode_run(const unsigned char *text, size_t end, size_t pos, size_t n,
                         uint16_t *out)
{
#ifdef LAYOUT_SSSE3
    if (__builtin_cpu_supports("avx2"))
        return decode_chars_avx2(text, end, pos, n, out);
    if (__builtin_cpu_supports("ssse3"))
        return decode_chars_ssse3(text, end, pos, n, out);
#endif
    (void)end;
    return decode_chars(text, pos, n, out);
}

/* The first mark after mark k that starts a run of its own (the made
   characters of another edit, or original ones that do not follow on from
   those before them), or the first at or after view position end.  A text
   without edits yet is one run: the walk must stop at the window's end. */
static size_t next_run(const errata_layout_marks *m, size_t k, size_t end)
{
    if (mark_kind(m, k) == ERRATA_LAYOUT_MADE)
        return k + 1;
    const uint64_t runs_on = 0x0101010101010101u * ERRATA_LAYOUT_RUNS_ON;
    for (k++; k + 8 <= m->count && m->at[k + 7] < end; k += 8) { /* most run on */
        uint64_t kinds;
        memcpy(&kinds, m->kind + k, 8);
        if ((kinds & runs_on) != runs_on)
            break;
    }
    while (k < m->count && m->at[k] < end && (m->kind[k] & ERRATA_LAYOUT_RUNS_ON))
        k++;
    return k;
}

/* Decode view positions [from, from + n) into out: run by run, original
   characters from the text, made ones from their edit's new text. */
static void decode_window(errata_layout *lay, size_t from, size_t n, uint16_t *out)
{
    const errata_layout_marks *m = &lay->marks;
    size_t k = mark_before(&lay->marks, from), i = from, end = from + n;
    for (size_t next; i < end; k = next) {
        next = next_run(m, k, end);
        size_t run_end = next < m->count && m->at[next] < end ? m->at[next] : end;
        if (mark_kind(m, k) == ERRATA_LAYOUT_MADE) {
            size_t pos;
            const char *text = made_text(lay, m->start[k], i - m->at[k], &pos);
            decode_chars((const unsigned char *)text, pos, run_end - i, out + (i - from));
            i = run_end;
            continue;
        }
        size_t pos = source_from_mark(lay, mark_kind(m, k), m->at[k], m->start[k], i);
        decode_run((const unsigned char *)lay->text, lay->len, pos, run_end - i,
                   out + (i - from));
        i = run_end;
    }
}

uint32_t errata_layout_fetch(const errata_layout *view, size_t i)
{
    /* The windows are a cache of the view, which this does not change. */
    errata_layout *lay = (errata_layout *)view;
    if (!lay->window_size || i >= lay->count)
        return 0;
    errata_layout_window *w = lay->window;
    for (size_t k = 1; k < ERRATA_LAYOUT_WINDOWS; k++)
        if (i - w[k].from < w[k].count) {
            errata_layout_window hit = w[k];
            w[k] = w[0];
            w[0] = hit;
            return hit.cps[i - hit.from];
        }
    /* A scan going on past window[0] gets a big window from i; a read
       elsewhere, a small one around it.  The least recently read window
       gives its room. */
    int onward = i == w[0].from + w[0].count;
    errata_layout_window fresh = w[ERRATA_LAYOUT_WINDOWS - 1];
    memmove(w + 1, w, (ERRATA_LAYOUT_WINDOWS - 1) * sizeof *w);
    size_t size = lay->window_size;
    fresh.from = i;
    if (!onward) {
        size = size < ERRATA_LAYOUT_NEAR ? size : ERRATA_LAYOUT_NEAR;
        fresh.from = i > size / 4 ? i - size / 4 : 0;
    }
    fresh.count = lay->count - fresh.from < size ? lay->count - fresh.from : size;
    decode_window(lay, fresh.from, fresh.count, fresh.cps);
    w[0] = fresh;
    return fresh.cps[i - fresh.from];
}

/* ------------------------------------------------------------ spans */

/* Room for a made span per change of the coming commit. */
static int reserve_made(errata_layout *lay)
{
    size_t need = lay->made_count + lay->change_count, cap = lay->made_cap;
    if (errata_grow((void **)&lay->made_edit, &cap, need, sizeof *lay->made_edit))
        return ERRATA_ENOMEM;
    return errata_grow((void **)&lay->made, &lay->made_cap, need, sizeof *lay->made);
}

/* Keep span (room reserved) as the one the characters of edit's new text
   replace; its index. */
static uint32_t add_made(errata_layout *lay, errata_layout_span span, uint32_t edit)
{
    lay->made[lay->made_count] = span;
    lay->made_edit[lay->made_count] = edit;
    return (uint32_t)lay->made_count++;
}

/* The CLAIM_* bits of original byte offset b (two bits an offset). */
static unsigned claim_bits(const errata_layout *lay, size_t b)
{
    return (lay->claimed[b >> 2] >> ((b & 3) * 2)) & 3u;
}

/* Whether the original bytes [start, end) are free for a new edit. */
static int bytes_free(const errata_layout *lay, size_t start, size_t end)
{
    for (size_t b = start; b < end; b++)
        if ((claim_bits(lay, b) & CLAIM_COVERED) || (b > start && (claim_bits(lay, b) & CLAIM_INSERT)))
            return 0;
    return 1;
}

/* The end of the run of view positions from `from` (before to) whose bytes
   follow each other in the original text, and those bytes; 0 if a position
   in [from, to) was made or covered by another edit, or its bytes are
   taken. */
static size_t run_end(errata_layout *lay, size_t from, size_t to, errata_layout_span *bytes)
{
    source_cursor c = cursor_at(lay, from);
    *bytes = (errata_layout_span){c.start, c.start};
    size_t i = from;
    while (i < to && c.kind == ERRATA_LAYOUT_FREE && (i == from || c.start == bytes->end)) {
        bytes->end = c.start + char_bytes(lay, i);
        cursor_next(lay, &c);
        i++;
    }
    if (i < to && c.kind != ERRATA_LAYOUT_FREE)
        return 0;
    return bytes_free(lay, bytes->start, bytes->end) ? i : 0;
}

/* Whether every run of [from, to) can be edited. */
static int span_free(errata_layout *lay, size_t from, size_t to)
{
    errata_layout_span bytes;
    for (size_t i = from; i < to;) {
        size_t end = run_end(lay, i, to, &bytes);
        if (!end)
            return 0;
        i = end;
    }
    return 1;
}

/* Where an insertion before view position at goes in the original text. */
static int insertion_byte(errata_layout *lay, size_t at, size_t *byte)
{
    if (at < lay->count && kind_at(lay, at) == ERRATA_LAYOUT_FREE)
        *byte = cursor_at(lay, at).start;
    else if (at > 0 && kind_at(lay, at - 1) == ERRATA_LAYOUT_FREE)
        *byte = view_span(lay, at - 1).end;
    else if (at == 0 && lay->count == 0)
        *byte = 0;
    else
        return 0;
    if (claim_bits(lay, *byte) & CLAIM_INSERT)
        return 0;
    return !(*byte > 0 && (claim_bits(lay, *byte - 1) & CLAIM_COVERED) &&
             (claim_bits(lay, *byte) & CLAIM_COVERED));
}

/* A change replacing [from, to) by the new text of edit (of the list), or
   locking it if the edit is not applied. */
static int record_change(errata_layout *lay, size_t from, size_t to, errata_layout_span bytes,
                         size_t edit, double confidence)
{
    if (errata_grow((void **)&lay->changes, &lay->change_cap, lay->change_count + 1,
                    sizeof *lay->changes))
        return ERRATA_ENOMEM;
    uint32_t applied = LOCKED_ONLY;
    size_t length = to - from;
    if (confidence >= lay->opts->apply_threshold && edit < LOCKED_ONLY) {
        applied = (uint32_t)edit;
        length = errata_layout_strlen(errata_edit_list_new_text(lay->list, edit));
    }
    if (length > to - from && lay->count + lay->growth + (length - (to - from)) > UINT32_MAX) {
        /* The view's positions stay in 32 bits: the edit stands, but the
           later passes see the text it replaces, as they do when the edit's
           number passes 32 bits (only a text near 4 GiB comes near). */
        applied = LOCKED_ONLY;
        length = to - from;
    }
    if (length > to - from)
        lay->growth += length - (to - from);
    lay->changes[lay->change_count++] =
        (errata_layout_change){(uint32_t)from, (uint32_t)to, bytes, applied, (uint32_t)length};
    return ERRATA_OK;
}

static void add_claim(errata_layout *lay, size_t b, unsigned bits)
{
    lay->claimed[b >> 2] |= (unsigned char)(bits << ((b & 3) * 2));
}

static void claim(errata_layout *lay, size_t start, size_t end, int insertion)
{
    if (insertion)
        add_claim(lay, start, CLAIM_INSERT);
    for (size_t b = start; b < end; b++)
        add_claim(lay, b, CLAIM_COVERED);
}

static int add_insertion(errata_layout *lay, size_t at, const char *new_text, const char *rule,
                         errata_kind kind, double confidence, const char *reason)
{
    size_t byte;
    if (!insertion_byte(lay, at, &byte))
        return 0;
    int rc = errata_edit_list_add(lay->list, lay->text, byte, byte, new_text, rule, kind,
                                  confidence, "%s", reason);
    if (rc)
        return rc;
    claim(lay, byte, byte, 1);
    errata_layout_span bytes = {(uint32_t)byte, (uint32_t)byte};
    rc = record_change(lay, at, at, bytes, lay->list->count - 1, confidence);
    return rc ? rc : 1;
}

/* A span whose bytes lie in several runs (an earlier edit removed what was
   between them) becomes one edit per run, the new text going to the first. */
static int add_replacement(errata_layout *lay, size_t from, size_t to, const char *new_text,
                           const char *rule, errata_kind kind, double confidence,
                           const char *reason)
{
    errata_layout_span bytes, replaced = {0, 0};
    size_t end = run_end(lay, from, to, &bytes); /* mostly the whole span */
    if (!end || (end < to && !span_free(lay, end, to)))
        return 0;
    size_t first_edit = lay->list->count;
    for (size_t i = from; i < to;) {
        if (i > from)
            end = run_end(lay, i, to, &bytes);
        const char *text = i == from ? new_text : "";
        int rc = errata_edit_list_add(lay->list, lay->text, bytes.start, bytes.end, text, rule,
                                      kind, confidence, "%s", reason);
        if (rc)
            return rc;
        claim(lay, bytes.start, bytes.end, 0);
        if (i == from)
            replaced.start = bytes.start;
        replaced.end = bytes.end;
        i = end;
    }
    int rc = record_change(lay, from, to, replaced, first_edit, confidence);
    return rc ? rc : 1;
}

static int add_edit(errata_layout *lay, size_t from, size_t to, const char *new_text,
                    const char *rule, errata_kind kind, double confidence, const char *reason)
{
    if (!errata_rule_enabled(lay->opts, rule) || from > to || to > lay->count)
        return 0;
    if (from == to)
        return add_insertion(lay, from, new_text, rule, kind, confidence, reason);
    return add_replacement(lay, from, to, new_text, rule, kind, confidence, reason);
}

/* The reason into buf, unless the list leaves reasons out. */
static void format_reason(const errata_layout *lay, char *buf, size_t size, const char *fmt,
                          va_list ap)
{
    buf[0] = '\0';
    if (!lay->list->no_reasons)
        vsnprintf(buf, size, fmt, ap);
}

int errata_layout_edit(errata_layout *lay, size_t from, size_t to, const char *new_text,
                       const char *rule, errata_kind kind, double confidence,
                       const char *reason_fmt, ...)
{
    char reason[400];
    va_list ap;
    va_start(ap, reason_fmt);
    format_reason(lay, reason, sizeof reason, reason_fmt, ap);
    va_end(ap);
    return add_edit(lay, from, to, new_text, rule, kind, confidence, reason);
}

int errata_layout_flag(errata_layout *lay, size_t from, size_t to, const char *rule,
                       double confidence, const char *reason_fmt, ...)
{
    if (!errata_rule_enabled(lay->opts, rule) || from >= to || to > lay->count)
        return 0;
    char reason[400];
    va_list ap;
    va_start(ap, reason_fmt);
    format_reason(lay, reason, sizeof reason, reason_fmt, ap);
    va_end(ap);
    size_t start = view_span(lay, from).start, end = view_span(lay, to - 1).end;
    char *same = errata_strndup(lay->text + start, end - start);
    if (!same)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    int rc = errata_edit_list_add(lay->list, lay->text, start, end, same, rule, ERRATA_KIND_FLAG,
                                  confidence, "%s", reason);
    free(same);
    return rc ? rc : 1;
}

/* ------------------------------------------------------------ commit */

static int compare_changes(const void *pa, const void *pb)
{
    const errata_layout_change *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return (a->to > a->from) - (b->to > b->from); /* insertions first */
}

static int changes_in_order(const errata_layout *lay)
{
    for (size_t i = 1; i < lay->change_count; i++)
        if (compare_changes(&lay->changes[i - 1], &lay->changes[i]) > 0)
            return 0;
    return 1;
}


/* A commit makes the new view in two walks over the old one and the sorted
   changes, each in the same order: old characters are copied in runs up to
   the next change; at a change's position its new text (or its old
   characters, locked) goes in, and the walk goes on after the characters it
   replaces.  A change that starts inside a span an earlier one replaced is
   never applied (edits cannot overlap, so there is none).  The first walk
   works out the new view's marks and the spans the new texts replace (it
   reads the old view's sources); the second moves the characters in place. */
typedef struct {
    /* Called for old positions [from, to), which go to new position at
       (locked: as a change's locked span). */
    int (*copy)(errata_layout *lay, void *state, size_t from, size_t to, size_t at, int locked);
    /* Called for change c's new text, which goes to new position at. */
    int (*make)(errata_layout *lay, void *state, errata_layout_change *c, size_t at);
} commit_walker;

/* Walk the changes as described above; *new_count is the new view's size. */
static int walk_commit(errata_layout *lay, const commit_walker *walker, void *state,
                       size_t *new_count)
{
    size_t old_count = lay->count, next = 0, i = 0, at = 0;
    int rc = ERRATA_OK;
    while (!rc && i <= old_count) {
        size_t limit = old_count;
        if (next < lay->change_count && lay->changes[next].from >= i &&
            lay->changes[next].from < old_count)
            limit = lay->changes[next].from;
        if (limit > i && (rc = walker->copy(lay, state, i, limit, at, 0)))
            break;
        at += limit - i;
        i = limit;
        size_t skip_to = i;
        while (!rc && next < lay->change_count && lay->changes[next].from == i) {
            errata_layout_change *c = &lay->changes[next++];
            if (c->edit != LOCKED_ONLY)
                rc = walker->make(lay, state, c, at);
            else if (c->to > c->from)
                rc = walker->copy(lay, state, c->from, c->to, at, 1);
            at += c->length;
            if (c->to > skip_to)
                skip_to = c->to;
        }
        if (skip_to > i) {
            i = skip_to;
            continue;
        }
        if (!rc && i < old_count)
            rc = walker->copy(lay, state, i, i + 1, at++, 0);
        i++;
    }
    *new_count = at;
    return rc;
}

/* The first walk: the new marks, one where each run of old characters
   goes, then the old ones inside it.  They are written over the old ones
   from the front while the old ones are read from further on (see
   errata_layout_commit()), so a commit needs no second array of marks. */
typedef struct {
    size_t shift;     /* old mark k is at k + shift */
    size_t old_count;
    size_t old_mark;  /* the first old mark not passed yet */
    size_t count;     /* new marks written */
} mark_walk;

static void put_mark(errata_layout *lay, mark_walk *walk, size_t at, uint32_t start,
                     unsigned kind)
{
    lay->marks.at[walk->count] = (uint32_t)at;
    lay->marks.start[walk->count] = start;
    lay->marks.kind[walk->count++] = (unsigned char)kind;
}

static int mark_copy(errata_layout *lay, void *state, size_t from, size_t to, size_t at,
                     int locked)
{
    mark_walk *walk = state;
    const uint32_t *old_at = lay->marks.at + walk->shift;
    const uint32_t *old_start = lay->marks.start + walk->shift;
    const unsigned char *old_kind = lay->marks.kind + walk->shift;
    size_t k = walk->old_mark;
    while (k < walk->old_count && old_at[k] <= from)
        k++;
    /* old_at[0] is 0 */
    unsigned kind = old_kind[k - 1] & ERRATA_LAYOUT_KIND;
    uint32_t start = source_from_mark(lay, kind, old_at[k - 1], old_start[k - 1], from);
    size_t end = k, past = walk->old_count; /* the first old mark at or after to */
    while (past - end > 1) {
        size_t mid = end + (past - end) / 2;
        if (old_at[mid] < to)
            end = mid;
        else
            past = mid;
    }
    if (end < past && old_at[end] < to)
        end = past;
    /* a locked span's characters were all free: they become locked; the
       run starts anew (its mark follows an edit, or another run) */
    put_mark(lay, walk, at, start, locked ? ERRATA_LAYOUT_LOCKED : kind);
    /* the old marks inside, in bulk (the arrays can overlap) */
    errata_layout_marks *m = &lay->marks;
    size_t n = end - k;
    for (size_t j = 0; j < n; j++)
        m->at[walk->count + j] = (uint32_t)(old_at[k + j] - from + at);
    memmove(m->start + walk->count, old_start + k, n * sizeof *m->start);
    if (locked) /* forwards: the new marks are never after the old ones */
        for (size_t j = 0; j < n; j++)
            m->kind[walk->count + j] =
                (unsigned char)(ERRATA_LAYOUT_LOCKED | (old_kind[k + j] & ERRATA_LAYOUT_RUNS_ON));
    else
        memmove(m->kind + walk->count, old_kind + k, n);
    walk->count += n;
    walk->old_mark = end;
    return ERRATA_OK;
}

static int mark_make(errata_layout *lay, void *state, errata_layout_change *c, size_t at)
{
    if (!c->length)
        return ERRATA_OK;
    put_mark(lay, state, at, add_made(lay, c->bytes, c->edit), ERRATA_LAYOUT_MADE);
    if (!lay->may_break && strchr(change_text(lay, c), '\n'))
        lay->may_break = 1;
    return ERRATA_OK;
}

static void move_chars(errata_layout *lay, size_t to, size_t from, size_t n)
{
    if (to == from || n == 0)
        return;
    memmove(lay->cps + to, lay->cps + from, n * sizeof *lay->cps);
}

/* The second walk: the old characters were moved up by shift (see
   move_view()), so no character is written over before it is read.  The
   code points beyond U+FFFF go to a new list with their new positions. */
typedef struct {
    size_t shift;
    size_t old_astral; /* the first of the old list not passed yet */
    errata_layout_astral *astral; /* the new list */
    size_t astral_count, astral_cap;
} chars_walk;

static int chars_copy(errata_layout *lay, void *state, size_t from, size_t to, size_t at,
                      int locked)
{
    (void)locked; /* the first walk's marks say so */
    chars_walk *walk = state;
    move_chars(lay, at, from + walk->shift, to - from);
    size_t k = walk->old_astral;
    for (; k < lay->astral_count && lay->astral[k].at < to; k++)
        if (lay->astral[k].at >= from && push_astral(&walk->astral, &walk->astral_count,
                                                     &walk->astral_cap,
                                                     lay->astral[k].at - from + at,
                                                     lay->astral[k].cp))
            return ERRATA_ENOMEM;
    walk->old_astral = k;
    return ERRATA_OK;
}

static int chars_make(errata_layout *lay, void *state, errata_layout_change *c, size_t at)
{
    chars_walk *walk = state;
    const char *new_text = change_text(lay, c);
    size_t len = strlen(new_text), pos = 0;
    for (size_t i = at; pos < len; i++) {
        uint32_t cp = errata_utf8_next(new_text, len, &pos);
        lay->cps[i] = cp <= 0xFFFF ? (uint16_t)cp : ERRATA_LAYOUT_ASTRAL;
        if (cp > 0xFFFF &&
            push_astral(&walk->astral, &walk->astral_count, &walk->astral_cap, i, cp))
            return ERRATA_ENOMEM;
    }
    return ERRATA_OK;
}

/* How far the old characters must first move up so that the second walk,
   writing front to back, never overtakes what it reads: the most that the
   changes before any point make the view longer. */
static size_t needed_shift(const errata_layout *lay)
{
    size_t shift = 0, longer = 0, shorter = 0;
    for (size_t k = 0; k < lay->change_count; k++) {
        const errata_layout_change *c = &lay->changes[k];
        longer += c->length;
        shorter += c->to - c->from;
        if (longer > shorter && longer - shorter > shift)
            shift = longer - shorter;
    }
    return shift;
}

static int move_view(errata_layout *lay, size_t new_count)
{
    chars_walk walk = {needed_shift(lay), 0, NULL, 0, 0};
    size_t old_count = lay->count;
    if (view_reserve(lay, walk.shift))
        return ERRATA_ENOMEM;
    move_chars(lay, walk.shift, 0, old_count);
    static const commit_walker walker = {chars_copy, chars_make};
    size_t count;
    int rc = walk_commit(lay, &walker, &walk, &count);
    lay->count = new_count;
    free(lay->astral);
    lay->astral = walk.astral;
    lay->astral_count = walk.astral_count;
    lay->astral_cap = walk.astral_cap;
    return rc;
}

int errata_layout_commit(errata_layout *lay)
{
    if (lay->change_count == 0)
        return ERRATA_OK;
    if (!changes_in_order(lay)) /* the passes mostly make them in order */
        qsort(lay->changes, lay->change_count, sizeof *lay->changes, compare_changes);
    /* A change adds three marks at most (where its characters go, where the
       old ones after them go, and after an insertion where the next old
       character goes), so that writing the new marks from the front never
       overtakes reading the old ones (the one before a run included) when
       these are first moved that far up. */
    errata_layout_marks *marks = &lay->marks;
    mark_walk walk = {3 * lay->change_count + 2, marks->count, 0, 0};
    int rc = reserve_made(lay);
    if (!rc)
        rc = reserve_marks(marks, walk.shift);
    size_t new_count = 0;
    if (!rc) {
        memmove(marks->at + walk.shift, marks->at, marks->count * sizeof *marks->at);
        memmove(marks->start + walk.shift, marks->start, marks->count * sizeof *marks->start);
        memmove(marks->kind + walk.shift, marks->kind, marks->count);
        static const commit_walker marker = {mark_copy, mark_make};
        rc = walk_commit(lay, &marker, &walk, &new_count);
        marks->count = walk.count;
        marks->hint = 0;
    }
    if (!rc && lay->window_size) {
        lay->count = new_count;
        for (size_t w = 0; w < ERRATA_LAYOUT_WINDOWS; w++)
            lay->window[w].count = 0; /* decoded again from the new marks */
    } else if (!rc) {
        rc = move_view(lay, new_count);
        lay->window[0] = (errata_layout_window){0, lay->count, lay->cps};
    }
    lay->change_count = 0;
    lay->growth = 0;
    return rc;
}

/* ------------------------------------------------------------ the passes */

typedef int (*layout_pass)(errata_layout *lay);

#define PASS_COUNT 7
static const layout_pass passes[PASS_COUNT] = {
    errata_layout_chunk_markers, errata_layout_page_furniture, errata_layout_line_joins,
    errata_layout_heading_breaks, errata_layout_punctuation, errata_layout_quotes,
    errata_layout_numbers,
};
static const layout_pass windowed_passes[PASS_COUNT] = {
    errata_layout_chunk_markers_windowed, errata_layout_page_furniture_windowed,
    errata_layout_line_joins_windowed,    errata_layout_heading_breaks_windowed,
    errata_layout_punctuation_windowed,   errata_layout_quotes_windowed,
    errata_layout_numbers_windowed,
};

int errata_layout_open(errata_layout *lay, const char *text, size_t len, size_t code_points,
                       size_t window, const errata_check_options *opts, errata_edit_list *list)
{
    *lay = (errata_layout){.text = text, .len = len, .opts = opts, .list = list,
                           .may_break = len && memchr(text, '\n', len) != NULL};
    if (window == 0)
        window = 1;
    if (code_points / ERRATA_LAYOUT_WHOLE_WINDOWS >= window)
        lay->window_size = window;
    lay->claimed = calloc(len / 4 + 1, 1); /* offsets 0 to len, four a byte */
    return lay->claimed ? view_init(lay, code_points) : errata_fail(ERRATA_ENOMEM, "out of memory");
}

void errata_layout_close(errata_layout *lay)
{
    free(lay->changes);
    free(lay->cps);
    for (size_t w = 0; lay->window_size && w < ERRATA_LAYOUT_WINDOWS; w++)
        free(lay->window[w].cps);
    free(lay->astral);
    free_marks(&lay->marks);
    free(lay->made);
    free(lay->made_edit);
    free(lay->claimed);
}

int errata_layout_check(const char *text, size_t len, size_t code_points, size_t window,
                        const errata_check_options *opts, errata_edit_list *list)
{
    if (len > UINT32_MAX)
        return ERRATA_OK; /* beyond the view's 32-bit spans (and any real document) */
    errata_layout lay;
    int rc = errata_layout_open(&lay, text, len, code_points, window, opts, list);
    const layout_pass *run = lay.window_size ? windowed_passes : passes;
    for (size_t p = 0; !rc && p < PASS_COUNT; p++) {
        rc = run[p](&lay);
        if (!rc)
            rc = errata_layout_commit(&lay);
    }
    errata_layout_close(&lay);
    return rc;
}
