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
    uint32_t number; /* in the list's string_at */
};

/* h multiplied by an odd constant, its high half folded into the low one:
   the tables take their index from the low bits, which a product alone
   draws from the low bits of its factors only. */
static uint64_t hash_mix(uint64_t h)
{
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

/* The hash of s[0..n), eight bytes at a time: a check stores a reason, a
   sentence, for every edit, and hashing them a byte at a time was a
   twentieth of its instructions.  Equal strings hash alike; placement is
   all it decides, so the hash may differ between machines. */
static size_t bytes_hash(const char *s, size_t n)
{
    uint64_t h = hash_mix(n), w = 0;
    for (; n >= 8; n -= 8, s += 8) {
        memcpy(&w, s, 8);
        h = hash_mix(h ^ w);
    }
    uint32_t four = 0;
    uint16_t two = 0;
    if (n & 4)
        memcpy(&four, s, 4);
    if (n & 2)
        memcpy(&two, s + (n & 4), 2);
    w = (uint64_t)four << 24 | (uint64_t)two << 8 | (n & 1 ? (unsigned char)s[n - 1] : 0);
    return (size_t)hash_mix(h ^ w);
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

/* s[0..n) NUL-terminated in the list's blocks, numbered in string_at: the
   number of the equal string stored before, or of a copy.  0 or
   ERRATA_ENOMEM. */
static int store_string(errata_edit_list *list, const char *s, size_t n, uint32_t *number)
{
    if (grow_stored(list))
        return ERRATA_ENOMEM;
    struct errata_stored_string *slot = stored_slot(list->stored, list->stored_slots, s, n);
    if (slot->s) {
        *number = slot->number;
        return ERRATA_OK;
    }
    if (list->string_count == UINT32_MAX ||
        errata_grow((void **)&list->string_at, &list->string_cap, list->string_count + 1,
                    sizeof *list->string_at))
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    char *copy = string_space(list, n + 1);
    if (!copy)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    memcpy(copy, s, n);
    copy[n] = '\0';
    *number = (uint32_t)list->string_count;
    list->string_at[list->string_count++] = copy;
    if (2 * (list->stored_count + 1) <= list->stored_slots) {
        *slot = (struct errata_stored_string){copy, n, *number};
        list->stored_count++;
    }
    return ERRATA_OK;
}

/* Store e's strings in the list's blocks. */
static int set_edit_strings(errata_edit_list *list, errata_edit_record *e, const char *old_text,
                            size_t old_len, const char *new_text, const char *rule,
                            const char *reason)
{
    int rc = store_string(list, old_text, old_len, &e->old_text);
    if (!rc)
        rc = store_string(list, new_text, strlen(new_text), &e->new_text);
    if (!rc)
        rc = store_string(list, rule, strlen(rule), &e->rule);
    if (!rc)
        rc = store_string(list, reason, strlen(reason), &e->reason);
    return rc;
}

static size_t record_end(const errata_edit_record *e) { return e->byte_start + e->length; }

void errata_edit_list_get(const errata_edit_list *list, size_t i, errata_edit *out)
{
    const errata_edit_record *e = &list->items[i];
    const char *old_text = list->string_at[e->old_text];
    size_t cp_start = 0, line = 0, column = 0, cp_end = 0;
    if (list->positions) {
        cp_start = list->positions[i].cp_start;
        line = list->positions[i].line;
        column = list->positions[i].column;
    } else if (list->wide_positions) {
        cp_start = list->wide_positions[i].cp_start;
        line = list->wide_positions[i].line;
        column = list->wide_positions[i].column;
    }
    if (line) /* positions were filled */
        cp_end = cp_start + errata_utf8_count(old_text, e->length);
    *out = (errata_edit){
        .byte_start = e->byte_start,
        .byte_end = record_end(e),
        .cp_start = cp_start,
        .cp_end = cp_end,
        .line = line,
        .column = column,
        .old_text = old_text,
        .new_text = list->string_at[e->new_text],
        .rule = list->string_at[e->rule],
        .kind = (errata_kind)e->kind,
        .action = (errata_action)e->action,
        .confidence = e->confidence,
        .reason = list->string_at[e->reason],
    };
}

const char *errata_edit_list_new_text(const errata_edit_list *list, size_t i)
{
    return list->string_at[list->items[i].new_text];
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

    if (byte_end - byte_start > UINT32_MAX)
        return errata_fail(ERRATA_EINVAL, "an edit of %zu bytes at byte %zu is too long",
                           byte_end - byte_start, byte_start);
    errata_edit_record *e = &list->items[list->count];
    memset(e, 0, sizeof *e);
    e->byte_start = byte_start;
    e->length = (uint32_t)(byte_end - byte_start);
    e->kind = (unsigned char)kind;
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
    free(list->positions);
    free(list->wide_positions);
    free(list->stored);
    free(list->string_at);
    memset(list, 0, sizeof *list);
}

/* Text order; at one position insertions come first, then the more confident. */
static inline int compare_edits(const errata_edit_list *list, const errata_edit_record *a,
                                const errata_edit_record *b)
{
    if (a->byte_start != b->byte_start)
        return a->byte_start < b->byte_start ? -1 : 1;
    int a_insert = a->length == 0, b_insert = b->length == 0;
    if (a_insert != b_insert)
        return a_insert ? -1 : 1;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence ? -1 : 1;
    return a->rule == b->rule ? 0 : strcmp(list->string_at[a->rule], list->string_at[b->rule]);
}

/* sort_edits() orders the edits' indexes (32 bits: a list never holds 4
   billion edits), then moves each edit into that order, instead of merging
   the edits through a second array as large as the list. */

static int edits_in_order(const errata_edit_list *list)
{
    for (size_t i = 1; i < list->count; i++)
        if (compare_edits(list, &list->items[i - 1], &list->items[i]) > 0)
            return 0;
    return 1;
}

/* Length of the run of indexes whose edits are in order, from idx[from]. */
static size_t run_length(const errata_edit_list *list, const uint32_t *idx, size_t from,
                         size_t count)
{
    const errata_edit_record *items = list->items;
    size_t end = from + 1;
    while (end < count && compare_edits(list, &items[idx[end - 1]], &items[idx[end]]) <= 0)
        end++;
    return end - from;
}

/* Merge the runs a[0..na) and b[0..nb) into out; a's edits come first among equals. */
static void merge_runs(const errata_edit_list *list, const uint32_t *a, size_t na,
                       const uint32_t *b, size_t nb, uint32_t *out)
{
    const errata_edit_record *items = list->items;
    size_t i = 0, j = 0;
    while (i < na && j < nb)
        *out++ = compare_edits(list, &items[b[j]], &items[a[i]]) < 0 ? b[j++] : a[i++];
    memcpy(out, a + i, (na - i) * sizeof *a);
    memcpy(out + (na - i), b + j, (nb - j) * sizeof *b);
}

/* Put items[order[k]] at k for every k, following the permutation's cycles
   (order is left as the identity): for a list that fits in the caches. */
static void permute_cycles(errata_edit_record *items, uint32_t *order, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (order[k] == k)
            continue;
        errata_edit_record saved = items[k];
        size_t j = k;
        while (order[j] != k) {
            size_t source = order[j];
            items[j] = items[source];
            order[j] = (uint32_t)j;
            j = source;
        }
        items[j] = saved;
        order[j] = (uint32_t)j;
    }
}

/* The edits a block of permute_blocks() moves at once. */
#define PERMUTE_BLOCK 4096

/* The same for a list of more than PERMUTE_BLOCK edits, a block of places
   at a time.  Following a cycle waits on a cache miss an edit in a huge
   list; here the block's edits are copied out with reads that do not wait
   on one another, the edits still to be placed that sit in the block move
   to the places just emptied, and the block is written.  order[t] is where
   the edit for t sits now and where[s] the place the edit at s goes to
   (both are changed); block and emptied hold PERMUTE_BLOCK each. */
static void permute_blocks(errata_edit_record *items, uint32_t *order, uint32_t *where, size_t n,
                           errata_edit_record *block, uint32_t *emptied)
{
    for (size_t t = 0; t < n; t++)
        where[order[t]] = (uint32_t)t;
    for (size_t k = 0; k < n; k += PERMUTE_BLOCK) {
        size_t m = n - k < PERMUTE_BLOCK ? n - k : PERMUTE_BLOCK, free_count = 0;
        for (size_t i = 0; i < m; i++) {
            block[i] = items[order[k + i]];
            if (order[k + i] >= k + m)
                emptied[free_count++] = order[k + i];
        }
        for (size_t s = k; free_count > 0 && s < k + m; s++) {
            uint32_t t = where[s];
            if (t < k + m)
                continue; /* in the block already */
            uint32_t place = emptied[--free_count];
            items[place] = items[s];
            order[t] = place;
            where[place] = t;
        }
        memcpy(items + k, block, m * sizeof *items);
    }
}

/* Put items[order[k]] at k for every k (to is free room for n indexes). */
static int permute(errata_edit_record *items, uint32_t *order, uint32_t *to, size_t n)
{
    if (n <= PERMUTE_BLOCK) {
        permute_cycles(items, order, n);
        return ERRATA_OK;
    }
    errata_edit_record *block = malloc(PERMUTE_BLOCK * sizeof *block);
    uint32_t *emptied = block ? malloc(PERMUTE_BLOCK * sizeof *emptied) : NULL;
    if (emptied)
        permute_blocks(items, order, to, n, block, emptied);
    free(block);
    free(emptied);
    return emptied ? ERRATA_OK : errata_fail(ERRATA_ENOMEM, "out of memory");
}

/* A stable merge sort by compare_edits() that takes the runs already in
   order as they come: each pass adds its edits in text order, so a list is
   a few runs and two or three rounds of merging sort it. */
static int sort_edits(errata_edit_list *list)
{
    size_t n = list->count, runs;
    if (edits_in_order(list))
        return ERRATA_OK;
    if (n > UINT32_MAX)
        return errata_fail(ERRATA_ENOMEM, "%zu edits are too many to sort", n);
    /* Both index arrays in one block: freeing two of half the size set
       glibc's mmap threshold lower, and a huge check's later allocations
       then stayed on the heap (+18 MB peak at 200 MB). */
    uint32_t *indexes = malloc(2 * n * sizeof *indexes);
    if (!indexes)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    uint32_t *from = indexes, *to = indexes + n;
    for (size_t i = 0; i < n; i++)
        from[i] = (uint32_t)i;
    do {
        runs = 0;
        for (size_t start = 0; start < n; runs++) {
            size_t na = run_length(list, from, start, n);
            size_t nb = start + na < n ? run_length(list, from, start + na, n) : 0;
            merge_runs(list, from + start, na, from + start + na, nb, to + start);
            start += na + nb;
        }
        uint32_t *merged = to;
        to = from;
        from = merged;
    } while (runs > 1);
    int rc = permute(list->items, from, to, n);
    free(indexes);
    return rc;
}

static int edits_conflict(const errata_edit_record *a, const errata_edit_record *b)
{
    if (a->byte_start == b->byte_start && a->length == 0 && b->length == 0)
        return 1; /* two insertions at one point */
    return a->byte_start < record_end(b) && b->byte_start < record_end(a);
}

/* Keep the edits to report: flags (see drop_overlapping_flags()), changes
   at or above the proposal threshold, and of two conflicting changes the
   more confident. */
static void select_edits(errata_edit_list *list, const errata_check_options *opts)
{
    size_t kept = 0;
    ssize_t last_change = -1; /* index (in kept) of the last non-flag edit */
    for (size_t i = 0; i < list->count; i++) {
        errata_edit_record *e = &list->items[i];
        int is_flag = e->kind == ERRATA_KIND_FLAG;
        if (!is_flag && e->confidence < opts->propose_threshold)
            continue;
        if (!is_flag && last_change >= 0 && edits_conflict(&list->items[last_change], e)) {
            errata_edit_record *prev = &list->items[last_change];
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
        const errata_edit_record *e = &list->items[i];
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

static int fill_positions(errata_edit_list *list, const char *text, size_t len)
{
    int wide = len > UINT32_MAX; /* lines and columns are below len + 2 */
    if (wide)
        list->wide_positions = malloc((list->count + 1) * sizeof *list->wide_positions);
    else
        list->positions = malloc((list->count + 1) * sizeof *list->positions);
    if (!list->positions && !list->wide_positions)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    text_cursor c = {0, 0, 1, 1};
    for (size_t i = 0; i < list->count; i++) {
        cursor_move(&c, text, len, list->items[i].byte_start);
        if (wide)
            list->wide_positions[i] = (errata_edit_wide_position){c.cp, c.line, c.column};
        else
            list->positions[i] = (errata_edit_position){c.cp, (uint32_t)c.line, (uint32_t)c.column};
    }
    return ERRATA_OK;
}

int errata_edit_list_finish(errata_edit_list *list, const char *text, size_t len,
                            const errata_check_options *opts)
{
    int rc = sort_edits(list);
    if (rc)
        return rc;
    select_edits(list, opts);
    drop_overlapping_flags(list);
    if (!opts->no_positions && (rc = fill_positions(list, text, len)) != ERRATA_OK)
        return rc;
    for (size_t i = 0; i < list->count; i++) {
        errata_edit_record *e = &list->items[i];
        if (e->kind == ERRATA_KIND_FLAG)
            e->action = ERRATA_ACTION_FLAG;
        else
            e->action = (unsigned char)(e->confidence >= opts->apply_threshold
                                            ? ERRATA_ACTION_APPLY
                                            : ERRATA_ACTION_PROPOSE);
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
    free(atomic_load(&result->full));
    free(result);
}

size_t errata_result_count(const errata_result *result) { return result ? result->edits.count : 0; }

int errata_result_read_edit(const errata_result *result, size_t index, errata_edit *out)
{
    if (!result || !out)
        return errata_fail(ERRATA_EINVAL, "errata_result_read_edit: NULL argument");
    if (index >= result->edits.count)
        return errata_fail(ERRATA_EINVAL, "errata_result_read_edit: edit %zu of %zu", index,
                           result->edits.count);
    errata_edit_list_get(&result->edits, index, out);
    return ERRATA_OK;
}

/* The edits as errata_edit structs, made once for the result's life.  The
   result is const to its callers but was allocated writable: the copies
   are a cache, set once with a compare-and-swap (a thread that loses the
   race frees its own). */
static const errata_edit *full_edits(const errata_result *result)
{
    errata_result *writable = (errata_result *)result;
    errata_edit *full = atomic_load(&writable->full);
    if (full)
        return full;
    const errata_edit_list *list = &result->edits;
    errata_edit *made = malloc(list->count * sizeof *made);
    if (!made) {
        errata_fail(ERRATA_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < list->count; i++)
        errata_edit_list_get(list, i, &made[i]);
    errata_edit *expected = NULL;
    if (atomic_compare_exchange_strong(&writable->full, &expected, made))
        return made;
    free(made);
    return expected;
}

const errata_edit *errata_result_edit(const errata_result *result, size_t index)
{
    if (!result || index >= result->edits.count)
        return NULL;
    const errata_edit *full = full_edits(result);
    return full ? &full[index] : NULL;
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

/* A text rebuilt with edits spliced in, in text order: errata_apply() and
   errata_result_apply() share it. */
typedef struct {
    const char *text;
    size_t len;
    char *buffer;
    size_t from, to; /* the next byte of text to copy, and where it goes */
} splice;

/* A buffer for the text grown to size bytes (and a NUL). */
static int splice_begin(splice *s, const char *text, size_t len, size_t size)
{
    *s = (splice){text, len, malloc(size + 1), 0, 0};
    return s->buffer ? ERRATA_OK : errata_fail(ERRATA_ENOMEM, "out of memory");
}

static void splice_edit(splice *s, size_t byte_start, size_t byte_end, const char *new_text)
{
    size_t keep = byte_start - s->from, n = strlen(new_text);
    memcpy(s->buffer + s->to, s->text + s->from, keep);
    memcpy(s->buffer + s->to + keep, new_text, n);
    s->to += keep + n;
    s->from = byte_end;
}

/* The rest of the text, and the buffer handed to the caller. */
static void splice_end(splice *s, char **out, size_t *out_len)
{
    memcpy(s->buffer + s->to, s->text + s->from, s->len - s->from);
    s->to += s->len - s->from;
    s->buffer[s->to] = '\0';
    *out = s->buffer;
    *out_len = s->to;
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
    splice s;
    if ((rc = splice_begin(&s, text, len, size)) != ERRATA_OK)
        return rc;
    for (size_t i = 0; i < count; i++)
        splice_edit(&s, edits[i].byte_start, edits[i].byte_end, edits[i].new_text);
    splice_end(&s, out, out_len);
    return ERRATA_OK;
}

static int counts_as_applied(const errata_edit_record *e, int include_proposed)
{
    if (e->kind == ERRATA_KIND_FLAG)
        return 0;
    return e->action == ERRATA_ACTION_APPLY ||
           (include_proposed && e->action == ERRATA_ACTION_PROPOSE);
}

static int takes(const errata_edit_record *e, const unsigned char *selected, size_t i)
{
    if (e->kind == ERRATA_KIND_FLAG)
        return 0;
    return selected ? selected[i] != 0 : e->action == ERRATA_ACTION_APPLY;
}

/* The size of the text with the chosen edits applied, checking that they
   fit in it (a caller may pass another text than the one checked). */
static int applied_size(const errata_edit_list *all, size_t len, const unsigned char *selected,
                        size_t *size)
{
    size_t n = 0;
    *size = len;
    for (size_t i = 0; i < all->count; i++) {
        const errata_edit_record *e = &all->items[i];
        if (!takes(e, selected, i))
            continue;
        if (record_end(e) > len)
            return errata_fail(ERRATA_EINVAL, "edit %zu: span %zu..%zu is outside the text (%zu bytes)",
                               n, e->byte_start, record_end(e), len);
        *size += strlen(all->string_at[e->new_text]);
        n++;
    }
    return ERRATA_OK;
}

/* Like errata_apply(), from the list's records. */
int errata_result_apply(const errata_result *result, const char *text, size_t len,
                        const unsigned char *selected, char **out, size_t *out_len)
{
    if (!result || !out || !out_len || (!text && len))
        return errata_fail(ERRATA_EINVAL, "errata_result_apply: NULL argument");
    *out = NULL; /* on every failure below */
    *out_len = 0;
    if (!text)
        text = ""; /* len is 0: memcpy() below must not see NULL, even for no bytes */
    const errata_edit_list *all = &result->edits;
    size_t size;
    int rc = applied_size(all, len, selected, &size);
    if (rc)
        return rc;
    splice s;
    if ((rc = splice_begin(&s, text, len, size)) != ERRATA_OK)
        return rc;
    for (size_t i = 0; i < all->count; i++) {
        const errata_edit_record *e = &all->items[i];
        if (takes(e, selected, i))
            splice_edit(&s, e->byte_start, record_end(e), all->string_at[e->new_text]);
    }
    splice_end(&s, out, out_len);
    return ERRATA_OK;
}

int errata_result_apply_repair(const errata_result *result, int include_proposed, const char *text,
                               size_t len, char **out, size_t *out_len)
{
    if (!include_proposed)
        return errata_result_apply(result, text, len, NULL, out, out_len);
    const errata_edit_list *all = &result->edits;
    unsigned char *selected = malloc(all->count ? all->count : 1);
    if (!selected)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < all->count; i++)
        selected[i] = (unsigned char)counts_as_applied(&all->items[i], include_proposed);
    int rc = errata_result_apply(result, text, len, selected, out, out_len);
    free(selected);
    return rc;
}

/* ------------------------------------------------------------ rule counts */

static int by_rule(const void *a, const void *b)
{
    return strcmp(((const errata_rule_count *)a)->rule, ((const errata_rule_count *)b)->rule);
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
        const errata_edit_record *e = &all->items[i];
        if (!counts_as_applied(e, include_proposed))
            continue;
        const char *rule = all->string_at[e->rule];
        size_t h = bytes_hash(rule, strlen(rule)) & (slots - 1);
        while (slot_of[h] && strcmp(rules[slot_of[h] - 1].rule, rule) != 0)
            h = (h + 1) & (slots - 1);
        if (slot_of[h]) {
            rules[slot_of[h] - 1].count++;
        } else {
            rules[distinct] = (errata_rule_count){rule, 1};
            slot_of[h] = ++distinct;
        }
    }
    free(slot_of);
    qsort(rules, distinct, sizeof *rules, by_rule);
    *out = rules;
    *count = distinct;
    return ERRATA_OK;
}
