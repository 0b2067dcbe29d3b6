/* Edit lists: collecting, ordering, positioning and applying edits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "internal.h"

/* The edits' strings are kept in blocks that the list frees all at once
   (a dropped edit's strings stay until then). */
#define STRING_BLOCK_BYTES 65536

struct errata_string_block {
    struct errata_string_block *next;
    size_t used, size;
    char bytes[];
};

/* n bytes in the list's string blocks, or NULL when out of memory. */
static char *string_space(errata_edit_list *list, size_t n)
{
    struct errata_string_block *b = list->strings;
    if (!b || b->size - b->used < n) {
        size_t size = n > STRING_BLOCK_BYTES ? n : STRING_BLOCK_BYTES;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        *b = (struct errata_string_block){list->strings, 0, size};
        list->strings = b;
    }
    b->used += n;
    return b->bytes + b->used - n;
}

/* A huge document repeats a few hundred rules, replacements and damaged
   forms (and, in reasons, sentences) millions of times: a string equal to
   one already stored is shared rather than stored again.  The table of
   stored strings is kept at most half full; it grows up to
   STORED_SLOTS_MAX slots, after which new strings are only copied, so that
   a document of distinct strings costs no more than before. */
#define STORED_SLOTS_MIN 64
#define STORED_SLOTS_MAX 65536

struct errata_stored_string {
    const char *s; /* NUL-terminated, in the list's blocks */
    size_t n;
};

static size_t bytes_hash(const char *s, size_t n) /* FNV-1a */
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return (size_t)h;
}

/* The slot holding s[0..n), or the empty one where it would go. */
static struct errata_stored_string *stored_slot(struct errata_stored_string *slots, size_t count,
                                                const char *s, size_t n)
{
    size_t i = bytes_hash(s, n) & (count - 1);
    while (slots[i].s && !(slots[i].n == n && memcmp(slots[i].s, s, n) == 0))
        i = (i + 1) & (count - 1);
    return &slots[i];
}

/* Make room for one more stored string, if the table may still grow. */
static int grow_stored(errata_edit_list *list)
{
    size_t slots = list->stored_slots;
    if (slots && (2 * (list->stored_count + 1) <= slots || slots >= STORED_SLOTS_MAX))
        return ERRATA_OK;
    slots = slots ? 2 * slots : STORED_SLOTS_MIN;
    struct errata_stored_string *grown = calloc(slots, sizeof *grown);
    if (!grown)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < list->stored_slots; i++)
        if (list->stored[i].s)
            *stored_slot(grown, slots, list->stored[i].s, list->stored[i].n) = list->stored[i];
    free(list->stored);
    list->stored = grown;
    list->stored_slots = slots;
    return ERRATA_OK;
}

/* s[0..n) NUL-terminated in the list's blocks: the equal string stored
   before, or a copy; NULL when out of memory. */
static const char *store_string(errata_edit_list *list, const char *s, size_t n)
{
    if (grow_stored(list))
        return NULL;
    struct errata_stored_string *slot = stored_slot(list->stored, list->stored_slots, s, n);
    if (slot->s)
        return slot->s;
    char *copy = string_space(list, n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    if (2 * (list->stored_count + 1) <= list->stored_slots) {
        *slot = (struct errata_stored_string){copy, n};
        list->stored_count++;
    }
    return copy;
}

/* Store e's strings in the list's blocks. */
static int set_edit_strings(errata_edit_list *list, errata_edit *e, const char *old_text,
                            size_t old_len, const char *new_text, const char *rule,
                            const char *reason)
{
    if (!(e->old_text = store_string(list, old_text, old_len)) ||
        !(e->new_text = store_string(list, new_text, strlen(new_text))) ||
        !(e->rule = store_string(list, rule, strlen(rule))) ||
        !(e->reason = store_string(list, reason, strlen(reason))))
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    return ERRATA_OK;
}

int errata_edit_list_add(errata_edit_list *list, const char *text, size_t byte_start,
                         size_t byte_end, const char *new_text, const char *rule,
                         errata_kind kind, double confidence, const char *reason_fmt, ...)
{
    if (errata_grow((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items))
        return ERRATA_ENOMEM;
    char reason[512];
    reason[0] = '\0';
    if (!list->no_reasons) {
        va_list ap;
        va_start(ap, reason_fmt);
        vsnprintf(reason, sizeof reason, reason_fmt, ap);
        va_end(ap);
    }

    errata_edit *e = &list->items[list->count];
    memset(e, 0, sizeof *e);
    e->byte_start = byte_start;
    e->byte_end = byte_end;
    e->kind = kind;
    e->confidence = confidence;
    int rc = set_edit_strings(list, e, text + byte_start, byte_end - byte_start, new_text, rule, reason);
    if (rc)
        return rc;
    list->count++;
    return ERRATA_OK;
}

void errata_edit_list_clear(errata_edit_list *list)
{
    while (list->strings) {
        struct errata_string_block *next = list->strings->next;
        free(list->strings);
        list->strings = next;
    }
    free(list->items);
    free(list->stored);
    memset(list, 0, sizeof *list);
}

/* Text order; at one position insertions come first, then the more confident. */
static int compare_edits(const void *pa, const void *pb)
{
    const errata_edit *a = pa, *b = pb;
    if (a->byte_start != b->byte_start)
        return a->byte_start < b->byte_start ? -1 : 1;
    int a_insert = a->byte_end == a->byte_start, b_insert = b->byte_end == b->byte_start;
    if (a_insert != b_insert)
        return a_insert ? -1 : 1;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence ? -1 : 1;
    return strcmp(a->rule, b->rule);
}

/* The edits are large: sort_edits() orders their indexes, then moves each
   edit once, instead of merging the edits through a second array as large
   as the list. */

static int edits_in_order(const errata_edit *items, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (compare_edits(&items[i - 1], &items[i]) > 0)
            return 0;
    return 1;
}

/* Length of the run of indexes whose edits are in order, from idx[from]. */
static size_t run_length(const errata_edit *items, const size_t *idx, size_t from, size_t count)
{
    size_t end = from + 1;
    while (end < count && compare_edits(&items[idx[end - 1]], &items[idx[end]]) <= 0)
        end++;
    return end - from;
}

/* Merge the runs a[0..na) and b[0..nb) into out; a's edits come first among equals. */
static void merge_runs(const errata_edit *items, const size_t *a, size_t na, const size_t *b,
                       size_t nb, size_t *out)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb)
        *out++ = compare_edits(&items[b[j]], &items[a[i]]) < 0 ? b[j++] : a[i++];
    memcpy(out, a + i, (na - i) * sizeof *a);
    memcpy(out + (na - i), b + j, (nb - j) * sizeof *b);
}

/* Put items[order[k]] at k for every k, following the permutation's cycles
   (order is left as the identity). */
static void permute(errata_edit *items, size_t *order, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (order[k] == k)
            continue;
        errata_edit saved = items[k];
        size_t j = k;
        while (order[j] != k) {
            size_t source = order[j];
            items[j] = items[source];
            order[j] = j;
            j = source;
        }
        items[j] = saved;
        order[j] = j;
    }
}

/* A stable merge sort by compare_edits() that takes the runs already in
   order as they come: each pass adds its edits in text order, so a list is
   a few runs and two or three rounds of merging sort it. */
static int sort_edits(errata_edit_list *list)
{
    size_t n = list->count, runs;
    if (edits_in_order(list->items, n))
        return ERRATA_OK;
    size_t *from = malloc(n * sizeof *from), *to = from ? malloc(n * sizeof *to) : NULL;
    if (!to) {
        free(from);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        from[i] = i;
    do {
        runs = 0;
        for (size_t start = 0; start < n; runs++) {
            size_t na = run_length(list->items, from, start, n);
            size_t nb = start + na < n ? run_length(list->items, from, start + na, n) : 0;
            merge_runs(list->items, from + start, na, from + start + na, nb, to + start);
            start += na + nb;
        }
        size_t *merged = to;
        to = from;
        from = merged;
    } while (runs > 1);
    permute(list->items, from, n);
    free(from);
    free(to);
    return ERRATA_OK;
}

static int edits_conflict(const errata_edit *a, const errata_edit *b)
{
    if (a->byte_start == b->byte_start && a->byte_end == a->byte_start && b->byte_end == b->byte_start)
        return 1; /* two insertions at one point */
    return a->byte_start < b->byte_end && b->byte_start < a->byte_end;
}

/* Keep the edits to report: flags (see drop_overlapping_flags()), changes
   at or above the proposal threshold, and of two conflicting changes the
   more confident. */
static void select_edits(errata_edit_list *list, const errata_check_options *opts)
{
    size_t kept = 0;
    ssize_t last_change = -1; /* index (in kept) of the last non-flag edit */
    for (size_t i = 0; i < list->count; i++) {
        errata_edit *e = &list->items[i];
        int is_flag = e->kind == ERRATA_KIND_FLAG;
        if (!is_flag && e->confidence < opts->propose_threshold)
            continue;
        if (!is_flag && last_change >= 0 && edits_conflict(&list->items[last_change], e)) {
            errata_edit *prev = &list->items[last_change];
            if (e->confidence <= prev->confidence)
                continue;
            memmove(prev, prev + 1, (kept - (size_t)last_change - 1) * sizeof *prev);
            kept--;
        }
        list->items[kept] = *e;
        if (!is_flag)
            last_change = (ssize_t)kept;
        kept++;
    }
    list->count = kept;
}

/* A flag that overlaps a change is left out, as is a flag that overlaps an
   earlier flag, so that the edits reported never overlap, whatever the
   dictionaries hold (a user dictionary's swap of 年 and the flag of a year
   whose digits were deleted can fall on the same character).  The change is
   what the user can act on, and errata_fix, which never applies flags, gives
   the same text either way.  The changes kept by select_edits() do not
   overlap one another, and each kept edit ends where the next starts at the
   latest, so an edit can only overlap the last one kept. */
static void drop_overlapping_flags(errata_edit_list *list)
{
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++) {
        const errata_edit *e = &list->items[i];
        if (e->kind == ERRATA_KIND_FLAG) {
            if (kept > 0 && edits_conflict(&list->items[kept - 1], e))
                continue;
        } else {
            while (kept > 0 && list->items[kept - 1].kind == ERRATA_KIND_FLAG &&
                   edits_conflict(&list->items[kept - 1], e))
                kept--;
        }
        list->items[kept++] = *e;
    }
    list->count = kept;
}

typedef struct {
    size_t byte, cp, line, column;
} text_cursor;

/* Move the cursor forward to byte target (back to the start first if it
   lies behind), a line at a time. */
static void cursor_move(text_cursor *c, const char *text, size_t len, size_t target)
{
    if (target < c->byte)
        *c = (text_cursor){0, 0, 1, 1};
    if (target > len)
        target = len;
    while (c->byte < target) {
        const char *newline = memchr(text + c->byte, '\n', target - c->byte);
        size_t end = newline ? (size_t)(newline - text) : target;
        size_t n = errata_utf8_count(text + c->byte, end - c->byte);
        c->cp += n;
        c->column += n;
        c->byte = end;
        if (newline) {
            c->cp++;
            c->line++;
            c->column = 1;
            c->byte++;
        }
    }
}

static void fill_positions(errata_edit_list *list, const char *text, size_t len)
{
    text_cursor c = {0, 0, 1, 1};
    for (size_t i = 0; i < list->count; i++) {
        errata_edit *e = &list->items[i];
        cursor_move(&c, text, len, e->byte_start);
        e->cp_start = c.cp;
        e->line = c.line;
        e->column = c.column;
        text_cursor end = c;
        cursor_move(&end, text, len, e->byte_end);
        e->cp_end = end.cp;
    }
}

int errata_edit_list_finish(errata_edit_list *list, const char *text, size_t len,
                            const errata_check_options *opts)
{
    int rc = sort_edits(list);
    if (rc)
        return rc;
    select_edits(list, opts);
    drop_overlapping_flags(list);
    if (!opts->no_positions)
        fill_positions(list, text, len);
    for (size_t i = 0; i < list->count; i++) {
        errata_edit *e = &list->items[i];
        if (e->kind == ERRATA_KIND_FLAG)
            e->action = ERRATA_ACTION_FLAG;
        else
            e->action = e->confidence >= opts->apply_threshold ? ERRATA_ACTION_APPLY
                                                               : ERRATA_ACTION_PROPOSE;
    }
    return ERRATA_OK;
}

int errata_rule_enabled(const errata_check_options *opts, const char *rule)
{
    const char *list = opts ? opts->disabled_rules : NULL;
    while (list && *list) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);
        if (n > 0 && strncmp(rule, list, n) == 0 && (rule[n] == '\0' || rule[n] == '/'))
            return 0;
        list = comma ? comma + 1 : NULL;
    }
    return 1;
}

/* ------------------------------------------------------------ results */

void errata_result_free(errata_result *result)
{
    if (!result)
        return;
    errata_edit_list_clear(&result->edits);
    free(result);
}

size_t errata_result_count(const errata_result *result) { return result ? result->edits.count : 0; }

const errata_edit *errata_result_edit(const errata_result *result, size_t index)
{
    if (!result || index >= result->edits.count)
        return NULL;
    return &result->edits.items[index];
}

const char *errata_kind_name(errata_kind kind)
{
    static const char *const names[] = {"swap",     "lookalike", "layout", "punctuation",
                                        "quote",    "number",    "latin",  "flag"};
    return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "unknown";
}

const char *errata_action_name(errata_action action)
{
    static const char *const names[] = {"apply", "propose", "flag"};
    return (unsigned)action < sizeof names / sizeof *names ? names[action] : "unknown";
}

/* ------------------------------------------------------------ apply */

static int check_edit_order(const errata_edit *edits, size_t count, size_t len)
{
    size_t previous_end = 0;
    for (size_t i = 0; i < count; i++) {
        const errata_edit *e = &edits[i];
        if (e->byte_start > e->byte_end || e->byte_end > len || !e->new_text)
            return errata_fail(ERRATA_EINVAL, "edit %zu: span %zu..%zu is outside the text (%zu bytes)",
                               i, e->byte_start, e->byte_end, len);
        if (e->byte_start < previous_end)
            return errata_fail(ERRATA_EINVAL, "edit %zu at byte %zu overlaps the edit before it",
                               i, e->byte_start);
        previous_end = e->byte_end;
    }
    return ERRATA_OK;
}

int errata_apply(const char *text, size_t len, const errata_edit *edits, size_t count,
                 char **out, size_t *out_len)
{
    if (!out || !out_len || (!text && len) || (!edits && count))
        return errata_fail(ERRATA_EINVAL, "errata_apply: NULL argument");
    *out = NULL; /* on every failure below */
    *out_len = 0;
    if (!text)
        text = ""; /* len is 0: memcpy() below must not see NULL, even for no bytes */
    int rc = check_edit_order(edits, count, len);
    if (rc)
        return rc;
    size_t size = len;
    for (size_t i = 0; i < count; i++)
        size += strlen(edits[i].new_text);
    char *buffer = malloc(size + 1);
    if (!buffer)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t from = 0, to = 0;
    for (size_t i = 0; i < count; i++) {
        size_t keep = edits[i].byte_start - from;
        memcpy(buffer + to, text + from, keep);
        to += keep;
        size_t n = strlen(edits[i].new_text);
        memcpy(buffer + to, edits[i].new_text, n);
        to += n;
        from = edits[i].byte_end;
    }
    memcpy(buffer + to, text + from, len - from);
    to += len - from;
    buffer[to] = '\0';
    *out = buffer;
    *out_len = to;
    return ERRATA_OK;
}

int errata_result_apply(const errata_result *result, const char *text, size_t len,
                        const unsigned char *selected, char **out, size_t *out_len)
{
    if (!result || !out || !out_len)
        return errata_fail(ERRATA_EINVAL, "errata_result_apply: NULL argument");
    *out = NULL; /* on every failure below */
    *out_len = 0;
    const errata_edit_list *all = &result->edits;
    errata_edit *chosen = malloc((all->count + 1) * sizeof *chosen);
    if (!chosen)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < all->count; i++) {
        const errata_edit *e = &all->items[i];
        int take = selected ? selected[i] != 0 : e->action == ERRATA_ACTION_APPLY;
        if (take && e->kind != ERRATA_KIND_FLAG)
            chosen[n++] = *e;
    }
    int rc = errata_apply(text, len, chosen, n, out, out_len);
    free(chosen);
    return rc;
}

/* ------------------------------------------------------------ rule counts */

static int by_rule(const void *a, const void *b)
{
    return strcmp(((const errata_rule_count *)a)->rule, ((const errata_rule_count *)b)->rule);
}

static int counts_as_applied(const errata_edit *e, int include_proposed)
{
    if (e->kind == ERRATA_KIND_FLAG)
        return 0;
    return e->action == ERRATA_ACTION_APPLY ||
           (include_proposed && e->action == ERRATA_ACTION_PROPOSE);
}

/* A document has hundreds of edits but a few dozen rules: each edit finds
   its rule's count in a hash table (open addressing), then the few rules
   are sorted. */
int errata_result_rule_counts(const errata_result *result, int include_proposed,
                              errata_rule_count **out, size_t *count)
{
    if (!result || !out || !count)
        return errata_fail(ERRATA_EINVAL, "errata_result_rule_counts: NULL argument");
    *out = NULL;
    *count = 0;
    const errata_edit_list *all = &result->edits;
    size_t n = 0;
    for (size_t i = 0; i < all->count; i++)
        n += (size_t)counts_as_applied(&all->items[i], include_proposed);
    if (n == 0)
        return ERRATA_OK;
    size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    errata_rule_count *rules = malloc(n * sizeof *rules);
    size_t *slot_of = calloc(slots, sizeof *slot_of); /* 1 + index into rules, 0: free */
    if (!rules || !slot_of) {
        free(rules);
        free(slot_of);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    size_t distinct = 0;
    for (size_t i = 0; i < all->count; i++) {
        const errata_edit *e = &all->items[i];
        if (!counts_as_applied(e, include_proposed))
            continue;
        size_t h = bytes_hash(e->rule, strlen(e->rule)) & (slots - 1);
        while (slot_of[h] && strcmp(rules[slot_of[h] - 1].rule, e->rule) != 0)
            h = (h + 1) & (slots - 1);
        if (slot_of[h]) {
            rules[slot_of[h] - 1].count++;
        } else {
            rules[distinct] = (errata_rule_count){e->rule, 1};
            slot_of[h] = ++distinct;
        }
    }
    free(slot_of);
    qsort(rules, distinct, sizeof *rules, by_rule);
    *out = rules;
    *count = distinct;
    return ERRATA_OK;
}
