/* Chunk numbering: the site cuts the text into chunks of a few hundred
   characters and starts each with a number, 1、 at the top and \nN、 at every
   cut, wherever it falls (mid-sentence, mid-word, mid-number).  The markers
   are removed with the line break before them, but only when the line-start
   numbers of the document form that one ascending series 1, 2, 3 … with
   chunk-sized gaps; a genuine list (1、 2、 at line starts, short items that
   end their sentences, or several series) stays. */
#include <stdlib.h>

#include "layout.h"

#define MIN_MEAN_CHUNK 80   /* code points: list items are shorter */
#define UNIFORM_SLACK 4     /* the site's chunks have (nearly) equal lengths */

typedef struct {
    size_t line_start;   /* the line break before the marker (or the marker at the top) */
    size_t marker_start; /* the number */
    size_t marker_end;   /* after 、 */
    long value;
    int mid_sentence;    /* the line before does not end a sentence */
    size_t best_length;  /* longest chain 1, 2, … ending here */
    size_t best_mid;
    size_t previous;     /* the candidate before in that chain, or SIZE_MAX */
} chunk_marker;

typedef struct {
    chunk_marker *items;
    size_t count, cap;
} marker_list;

static int line_ends_mid_sentence(const errata_layout *lay, size_t newline)
{
    size_t i = newline;
    while (i > 0 && errata_layout_is_blank(errata_layout_cp(lay, i - 1)))
        i--;
    return i > 0 && errata_layout_cp(lay, i - 1) != '\n' &&
           !errata_layout_ends_sentence(errata_layout_cp(lay, i - 1));
}

/* A marker N、 at the line starting at view position line (after blanks). */
static int find_marker(const errata_layout *lay, size_t line, chunk_marker *m)
{
    size_t at = line;
    while (errata_layout_is_blank(errata_layout_cp(lay, at)))
        at++;
    long value;
    size_t n = errata_layout_digits(lay, at, 4, &value);
    if (!n || value == 0 || errata_layout_cp(lay, at + n) != 0x3001) /* 、 */
        return 0;
    size_t line_start = line;
    if (line > 0) {
        line_start = line - 1; /* the \n, and a \r before it */
        if (line_start > 0 && errata_layout_cp(lay, line_start - 1) == '\r')
            line_start--;
    }
    *m = (chunk_marker){line_start, at, at + n + 1, value,
                        line > 0 && line_ends_mid_sentence(lay, line - 1), 0, 0, SIZE_MAX};
    return 1;
}

static int collect_markers(const errata_layout *lay, marker_list *markers)
{
    /* line by line: at the start and after each line break */
    for (size_t i = 0; i < lay->count; i = errata_layout_find(lay, i, '\n') + 1) {
        chunk_marker m;
        if (!find_marker(lay, i, &m))
            continue;
        if (errata_grow((void **)&markers->items, &markers->cap, markers->count + 1,
                        sizeof m))
            return ERRATA_ENOMEM;
        markers->items[markers->count++] = m;
    }
    return ERRATA_OK;
}

static int better(const chunk_marker *a, size_t length, size_t mid)
{
    return length > a->best_length || (length == a->best_length && mid > a->best_mid);
}

/* Longest chain of markers numbered 1, 2, 3 … in text order, preferring
   chains whose cuts fall mid-sentence; returns its last marker or SIZE_MAX.
   best_by_value[v] is the best chain end numbered v seen so far. */
static size_t best_chain(marker_list *markers, size_t *best_by_value)
{
    size_t best = SIZE_MAX;
    for (size_t c = 0; c < markers->count; c++) {
        chunk_marker *m = &markers->items[c];
        size_t p = m->value > 1 ? best_by_value[m->value - 1] : SIZE_MAX;
        if (m->value == 1) {
            m->best_length = 1;
        } else if (p != SIZE_MAX) {
            m->best_length = markers->items[p].best_length + 1;
            m->best_mid = markers->items[p].best_mid + (size_t)m->mid_sentence;
            m->previous = p;
        } else {
            continue;
        }
        size_t *slot = &best_by_value[m->value];
        if (*slot == SIZE_MAX || better(&markers->items[*slot], m->best_length, m->best_mid))
            *slot = c;
        if (best == SIZE_MAX || better(&markers->items[best], m->best_length, m->best_mid))
            best = c;
    }
    return best;
}

typedef struct {
    size_t length, mid, min_gap, max_gap, total_gap;
    int at_top; /* 1、 opens the text */
} chain_shape;

static chain_shape measure_chain(const errata_layout *lay, const marker_list *markers,
                                 size_t last)
{
    chain_shape s = {0, 0, SIZE_MAX, 0, 0, 0};
    for (size_t c = last; c != SIZE_MAX; c = markers->items[c].previous) {
        const chunk_marker *m = &markers->items[c];
        s.length++;
        s.mid += (size_t)m->mid_sentence;
        if (m->previous != SIZE_MAX) {
            size_t gap = m->line_start - markers->items[m->previous].marker_end;
            s.total_gap += gap;
            s.min_gap = gap < s.min_gap ? gap : s.min_gap;
            s.max_gap = gap > s.max_gap ? gap : s.max_gap;
        } else {
            size_t top = 0;
            while (top < lay->count && errata_layout_is_blank(errata_layout_at(lay, top)))
                top++;
            s.at_top = m->marker_start == top;
        }
    }
    return s;
}

/* Confidence that the chain is the site's numbering (0: it is not). */
static double chain_confidence(const chain_shape *s)
{
    size_t cuts = s->length - 1;
    if (s->length < 2 || s->total_gap / cuts < MIN_MEAN_CHUNK)
        return 0;
    int uniform = s->length >= 3 && s->max_gap - s->min_gap <= UNIFORM_SLACK;
    if (!uniform && s->mid * 2 < cuts)
        return 0;
    return s->at_top ? 0.95 : 0.7;
}

static int remove_chain(errata_layout *lay, const marker_list *markers, size_t last,
                        const chain_shape *shape, double confidence)
{
    for (size_t c = last; c != SIZE_MAX; c = markers->items[c].previous) {
        const chunk_marker *m = &markers->items[c];
        int rc = errata_layout_edit(
            lay, m->line_start, m->marker_end, "", "layout/chunk-marker", ERRATA_KIND_LAYOUT,
            confidence, "site chunk number %ld of an ascending series of %zu (%zu cut%s mid-sentence)",
            m->value, shape->length, shape->mid, shape->mid == 1 ? "" : "s");
        if (rc < 0)
            return rc;
    }
    return ERRATA_OK;
}

/* best_chain()'s table, for values up to the markers' largest, with the
   slots it reads set: a table for every possible value (80 KB, cleared)
   cost a small document more than the rest of the pass. */
static size_t *best_by_value_table(const marker_list *markers)
{
    long largest = 0;
    for (size_t c = 0; c < markers->count; c++)
        if (markers->items[c].value > largest)
            largest = markers->items[c].value;
    size_t *table = malloc(((size_t)largest + 1) * sizeof *table);
    for (size_t c = 0; table && c < markers->count; c++) {
        table[markers->items[c].value] = SIZE_MAX;
        table[markers->items[c].value - 1] = SIZE_MAX;
    }
    return table;
}

int errata_layout_chunk_markers(errata_layout *lay)
{
    marker_list markers = {0};
    size_t *best_by_value = NULL;
    int rc = collect_markers(lay, &markers);
    if (!rc && markers.count > 0 && !(best_by_value = best_by_value_table(&markers)))
        rc = errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t last = rc || !best_by_value ? SIZE_MAX : best_chain(&markers, best_by_value);
    if (last != SIZE_MAX) {
        chain_shape shape = measure_chain(lay, &markers, last);
        double confidence = chain_confidence(&shape);
        lay->site_damage |= confidence >= lay->opts->apply_threshold;
        if (confidence > 0)
            rc = remove_chain(lay, &markers, last, &shape, confidence);
    }
    free(markers.items);
    free(best_by_value);
    return rc;
}
