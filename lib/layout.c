/* Layout and character damage: the view the passes share, and the order
   they run in (see layout.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

enum { CLAIM_COVERED = 1, CLAIM_INSERT = 2 };

struct errata_layout_change {
    size_t from, to;  /* view positions */
    size_t byte;      /* where an insertion goes in the original text */
    char *new_text;   /* NULL: the span is only locked (a proposal or a flag) */
};

/* Make room for n more characters (in one allocation when the caller
   reserves what it will push). */
static int view_reserve(errata_layout *lay, size_t n)
{
    size_t need = lay->count + n, cap = lay->cap ? lay->cap : 16;
    if (need <= lay->cap)
        return ERRATA_OK;
    while (cap < need)
        cap *= 2;
    uint32_t *cps = realloc(lay->cps, cap * sizeof *cps);
    if (cps)
        lay->cps = cps;
    uint32_t *starts = cps ? realloc(lay->starts, cap * sizeof *starts) : NULL;
    if (starts)
        lay->starts = starts;
    unsigned char *fixed = starts ? realloc(lay->fixed, cap) : NULL;
    if (!fixed)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    lay->fixed = fixed;
    lay->cap = cap;
    return ERRATA_OK;
}

/* Push a character: its code point, its starts word and its ERRATA_LAYOUT_*
   kind. */
static int view_push(errata_layout *lay, uint32_t cp, uint32_t start, unsigned char fixed)
{
    if (lay->count == lay->cap && view_reserve(lay, 1))
        return ERRATA_ENOMEM;
    lay->cps[lay->count] = cp;
    lay->starts[lay->count] = start;
    lay->fixed[lay->count++] = fixed;
    return ERRATA_OK;
}

static int view_init(errata_layout *lay, size_t code_points)
{
    if (view_reserve(lay, code_points))
        return ERRATA_ENOMEM;
    size_t pos = 0;
    while (pos < lay->len) {
        /* A guard only: errata_check's validation counted every code point. */
        if (lay->count == lay->cap && view_reserve(lay, 1))
            return ERRATA_ENOMEM;
        size_t i = lay->count++;
        lay->starts[i] = (uint32_t)pos;
        lay->cps[i] = errata_utf8_next_fast(lay->text, lay->len, &pos);
    }
    if (lay->count)
        memset(lay->fixed, 0, lay->count);
    return ERRATA_OK;
}

/* ------------------------------------------------------------ spans */

/* The original bytes of position i of a view (starts, fixed): an original
   character's own bytes (their length read from the text, instead of a
   second array as large as the first), a made character's replaced span. */
static errata_layout_span span_of(const errata_layout *lay, const uint32_t *starts,
                                  const unsigned char *fixed, size_t i)
{
    if (fixed[i] == ERRATA_LAYOUT_MADE)
        return lay->made[starts[i]];
    uint32_t start = starts[i];
    return (errata_layout_span){
        start, start + (uint32_t)errata_utf8_seq_len((unsigned char)lay->text[start])};
}

static errata_layout_span view_span(const errata_layout *lay, size_t i)
{
    return span_of(lay, lay->starts, lay->fixed, i);
}

/* Room for a made span per change of the coming commit. */
static int reserve_made(errata_layout *lay)
{
    return errata_grow((void **)&lay->made, &lay->made_cap, lay->made_count + lay->change_count,
                       sizeof *lay->made);
}

/* Keep span (room reserved) as the one a change's characters replace; its index. */
static uint32_t add_made(errata_layout *lay, errata_layout_span span)
{
    lay->made[lay->made_count] = span;
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
   follow each other in the original text; 0 if a position in [from, to) was
   made or covered by another edit, or its bytes are taken. */
static size_t run_end(const errata_layout *lay, size_t from, size_t to)
{
    size_t i = from;
    while (i < to && !lay->fixed[i] &&
           (i == from || view_span(lay, i - 1).end == lay->starts[i]))
        i++;
    if (i < to && lay->fixed[i])
        return 0;
    return bytes_free(lay, lay->starts[from], view_span(lay, i - 1).end) ? i : 0;
}

/* Whether every run of [from, to) can be edited. */
static int span_free(const errata_layout *lay, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        size_t end = run_end(lay, i, to);
        if (!end)
            return 0;
        i = end;
    }
    return 1;
}

/* Where an insertion before view position at goes in the original text. */
static int insertion_byte(const errata_layout *lay, size_t at, size_t *byte)
{
    if (at < lay->count && !lay->fixed[at])
        *byte = lay->starts[at];
    else if (at > 0 && !lay->fixed[at - 1])
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

static int record_change(errata_layout *lay, size_t from, size_t to, size_t byte,
                         const char *new_text)
{
    if (errata_grow((void **)&lay->changes, &lay->change_cap, lay->change_count + 1,
                    sizeof *lay->changes))
        return ERRATA_ENOMEM;
    char *copy = NULL;
    if (new_text && !(copy = errata_strndup(new_text, strlen(new_text))))
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    lay->changes[lay->change_count++] = (errata_layout_change){from, to, byte, copy};
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
    int applied = confidence >= lay->opts->apply_threshold;
    rc = record_change(lay, at, at, byte, applied ? new_text : NULL);
    return rc ? rc : 1;
}

/* A span whose bytes lie in several runs (an earlier edit removed what was
   between them) becomes one edit per run, the new text going to the first. */
static int add_replacement(errata_layout *lay, size_t from, size_t to, const char *new_text,
                           const char *rule, errata_kind kind, double confidence,
                           const char *reason)
{
    if (!span_free(lay, from, to))
        return 0;
    for (size_t i = from; i < to;) {
        size_t end = run_end(lay, i, to);
        size_t start_byte = lay->starts[i], end_byte = view_span(lay, end - 1).end;
        const char *text = i == from ? new_text : "";
        int rc = errata_edit_list_add(lay->list, lay->text, start_byte, end_byte, text, rule, kind,
                                      confidence, "%s", reason);
        if (rc)
            return rc;
        claim(lay, start_byte, end_byte, 0);
        i = end;
    }
    int applied = confidence >= lay->opts->apply_threshold;
    int rc = record_change(lay, from, to, lay->starts[from], applied ? new_text : NULL);
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

/* Push the code points of new_text as made characters, replacing span. */
static int push_text(errata_layout *lay, const char *new_text, errata_layout_span span)
{
    size_t n = strlen(new_text), pos = 0;
    uint32_t made = n ? add_made(lay, span) : 0;
    while (pos < n) {
        uint32_t cp = errata_utf8_next(new_text, n, &pos);
        if (view_push(lay, cp, made, ERRATA_LAYOUT_MADE))
            return ERRATA_ENOMEM;
    }
    return ERRATA_OK;
}

/* The view before a commit, while the new one is built. */
typedef struct {
    const uint32_t *cps;
    const uint32_t *starts;
    const unsigned char *fixed;
} old_view;

static int copy_unchanged(errata_layout *lay, old_view old, size_t from, size_t n)
{
    if (n == 0)
        return ERRATA_OK;
    if (view_reserve(lay, n))
        return ERRATA_ENOMEM;
    memcpy(lay->cps + lay->count, old.cps + from, n * sizeof *old.cps);
    memcpy(lay->starts + lay->count, old.starts + from, n * sizeof *old.starts);
    memcpy(lay->fixed + lay->count, old.fixed + from, n);
    lay->count += n;
    return ERRATA_OK;
}

/* The changes made at view position i; *skip_to is set past the old
   characters they replace (i if none). */
static int apply_changes_at(errata_layout *lay, old_view old, size_t i, size_t *next,
                            size_t *skip_to)
{
    *skip_to = i;
    while (*next < lay->change_count && lay->changes[*next].from == i) {
        const errata_layout_change *c = &lay->changes[(*next)++];
        errata_layout_span span = {(uint32_t)c->byte, (uint32_t)c->byte}; /* an insertion */
        if (c->to > c->from)
            span = (errata_layout_span){span_of(lay, old.starts, old.fixed, c->from).start,
                                        span_of(lay, old.starts, old.fixed, c->to - 1).end};
        if (c->new_text && push_text(lay, c->new_text, span))
            return ERRATA_ENOMEM;
        for (size_t k = c->from; !c->new_text && k < c->to; k++) {
            if (view_push(lay, old.cps[k], old.starts[k], ERRATA_LAYOUT_LOCKED))
                return ERRATA_ENOMEM;
        }
        if (c->to > *skip_to)
            *skip_to = c->to;
    }
    return ERRATA_OK;
}

/* Old characters are copied in runs up to the next change.  A change that
   starts inside a span an earlier one replaced is never applied (edits
   cannot overlap, so there is none). */
static int rebuild(errata_layout *lay, old_view old, size_t old_count)
{
    size_t next = 0, i = 0;
    while (i <= old_count) {
        size_t limit = old_count;
        if (next < lay->change_count && lay->changes[next].from >= i &&
            lay->changes[next].from < old_count)
            limit = lay->changes[next].from;
        if (copy_unchanged(lay, old, i, limit - i))
            return ERRATA_ENOMEM;
        i = limit;
        size_t skip_to;
        if (apply_changes_at(lay, old, i, &next, &skip_to))
            return ERRATA_ENOMEM;
        if (skip_to > i) {
            i = skip_to;
            continue;
        }
        if (i < old_count && view_push(lay, old.cps[i], old.starts[i], old.fixed[i]))
            return ERRATA_ENOMEM;
        i++;
    }
    return ERRATA_OK;
}

/* An upper bound of the characters the rebuilt view holds. */
static size_t rebuilt_size(const errata_layout *lay, size_t old_count)
{
    size_t size = old_count;
    for (size_t i = 0; i < lay->change_count; i++)
        if (lay->changes[i].new_text)
            size += strlen(lay->changes[i].new_text);
    return size;
}

static int rebuild_view(errata_layout *lay)
{
    old_view old = {lay->cps, lay->starts, lay->fixed};
    size_t old_count = lay->count;
    lay->cps = NULL;
    lay->starts = NULL;
    lay->fixed = NULL;
    lay->count = lay->cap = 0;
    int rc = view_reserve(lay, rebuilt_size(lay, old_count));
    if (!rc)
        rc = rebuild(lay, old, old_count);
    free((void *)old.cps);
    free((void *)old.starts);
    free((void *)old.fixed);
    return rc;
}

static void clear_changes(errata_layout *lay)
{
    for (size_t i = 0; i < lay->change_count; i++)
        free(lay->changes[i].new_text);
    lay->change_count = 0;
}

/* How many code points a change puts in place of to - from. */
static size_t change_length(const errata_layout_change *c)
{
    return c->new_text ? errata_layout_strlen(c->new_text) : c->to - c->from;
}

/* Whether the (sorted) changes can be made in place, and which way: none
   starts inside the span of another, and none makes the view shorter
   (*grows) or none makes it longer (!*grows). */
static int fits_in_place(const errata_layout *lay, int *grows)
{
    size_t covered = 0;
    int longer = 0, shorter = 0;
    for (size_t k = 0; k < lay->change_count; k++) {
        const errata_layout_change *c = &lay->changes[k];
        if (c->from < covered)
            return 0;
        size_t n = change_length(c);
        longer |= n > c->to - c->from;
        shorter |= n < c->to - c->from;
        if (c->to > covered)
            covered = c->to;
    }
    *grows = longer;
    return !(longer && shorter);
}

static void move_chars(errata_layout *lay, size_t to, size_t from, size_t n)
{
    if (to == from || n == 0)
        return;
    memmove(lay->cps + to, lay->cps + from, n * sizeof *lay->cps);
    memmove(lay->starts + to, lay->starts + from, n * sizeof *lay->starts);
    memmove(lay->fixed + to, lay->fixed + from, n);
}

/* Write change c's characters at w (its old ones are at c->from): new
   text, or the old characters locked.  Returns how many. */
static size_t write_change(errata_layout *lay, const errata_layout_change *c, size_t w)
{
    size_t n = change_length(c);
    if (n == 0)
        return 0;
    if (!c->new_text) {
        move_chars(lay, w, c->from, n);
        memset(lay->fixed + w, ERRATA_LAYOUT_LOCKED, n);
        return n;
    }
    errata_layout_span span = {(uint32_t)c->byte, (uint32_t)c->byte}; /* an insertion */
    if (c->to > c->from)
        span = (errata_layout_span){view_span(lay, c->from).start, view_span(lay, c->to - 1).end};
    uint32_t made = add_made(lay, span);
    size_t len = strlen(c->new_text), pos = 0;
    for (size_t i = w; pos < len; i++) {
        lay->cps[i] = errata_utf8_next(c->new_text, len, &pos);
        lay->starts[i] = made;
        lay->fixed[i] = ERRATA_LAYOUT_MADE;
    }
    return n;
}

/* What rebuild() makes, when no change makes the view longer: front to
   back, every change writes no further than the old characters it
   replaces, so none still to be read is overwritten.  Runs before the
   first shortening change stay where they are. */
static void compact(errata_layout *lay)
{
    size_t w = 0, r = 0;
    for (size_t k = 0; k < lay->change_count; k++) {
        const errata_layout_change *c = &lay->changes[k];
        move_chars(lay, w, r, c->from - r);
        w += c->from - r;
        w += write_change(lay, c, w);
        r = c->to;
    }
    move_chars(lay, w, r, lay->count - r);
    lay->count = w + (lay->count - r);
}

/* The same when no change makes the view shorter: back to front, into the
   grown array, every change writing no lower than its old characters. */
static int expand(errata_layout *lay)
{
    size_t grown = lay->count;
    for (size_t k = 0; k < lay->change_count; k++)
        grown += change_length(&lay->changes[k]) - (lay->changes[k].to - lay->changes[k].from);
    if (view_reserve(lay, grown - lay->count))
        return ERRATA_ENOMEM;
    size_t w = grown, r = lay->count;
    for (size_t k = lay->change_count; k-- > 0;) {
        const errata_layout_change *c = &lay->changes[k];
        w -= r - c->to;
        move_chars(lay, w, c->to, r - c->to);
        w -= change_length(c);
        write_change(lay, c, w);
        r = c->from;
    }
    lay->count = grown;
    return ERRATA_OK;
}

int errata_layout_commit(errata_layout *lay)
{
    if (lay->change_count == 0)
        return ERRATA_OK;
    if (!changes_in_order(lay)) /* the passes mostly make them in order */
        qsort(lay->changes, lay->change_count, sizeof *lay->changes, compare_changes);
    int grows = 0, rc = reserve_made(lay);
    if (!rc && !fits_in_place(lay, &grows))
        rc = rebuild_view(lay);
    else if (!rc && grows)
        rc = expand(lay);
    else if (!rc)
        compact(lay);
    clear_changes(lay);
    return rc;
}

/* ------------------------------------------------------------ the passes */

typedef int (*layout_pass)(errata_layout *lay);

static const layout_pass passes[] = {
    errata_layout_chunk_markers, errata_layout_page_furniture, errata_layout_line_joins,
    errata_layout_heading_breaks, errata_layout_punctuation, errata_layout_quotes,
    errata_layout_numbers,
};

int errata_layout_check(const char *text, size_t len, size_t code_points,
                        const errata_check_options *opts, errata_edit_list *list)
{
    if (len > UINT32_MAX)
        return ERRATA_OK; /* beyond the view's 32-bit spans (and any real document) */
    errata_layout lay = {.text = text, .len = len, .opts = opts, .list = list};
    lay.claimed = calloc(len / 4 + 1, 1); /* offsets 0 to len, four a byte */
    int rc = lay.claimed ? view_init(&lay, code_points) : errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t p = 0; !rc && p < sizeof passes / sizeof *passes; p++) {
        rc = passes[p](&lay);
        if (!rc)
            rc = errata_layout_commit(&lay);
    }
    clear_changes(&lay);
    free(lay.changes);
    free(lay.cps);
    free(lay.starts);
    free(lay.made);
    free(lay.fixed);
    free(lay.claimed);
    return rc;
}
