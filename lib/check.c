/* The check pipeline: validate, clean layout, match, judge, decide.

   Every dictionary key is found in one pass of the automaton.  Each
   occurrence becomes a candidate, judged by three kinds of evidence:
   the entry's own context rules (keep rules veto, fix rules force), the
   document (unambiguous occurrences show that a swap table was applied, and
   to which pairs), and the language model, which compares the clause with
   and without the repair.  Neighbouring contextual candidates are decided
   together (see judge.c). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "latin.h"
#include "lookalike.h"
#include "ocr_punct.h"

static const errata_check_options default_check_options = ERRATA_CHECK_OPTIONS_INIT;

typedef struct {
    size_t start, end, key;
} key_match;

typedef struct {
    key_match *items;
    size_t count, cap;
    size_t base; /* where the scanned stretch starts in the text */
} match_list;

static int collect_match(void *ctx, size_t key, size_t start, size_t end)
{
    match_list *list = ctx;
    if (errata_grow((void **)&list->items, &list->cap, list->count + 1, sizeof *list->items))
        return ERRATA_ENOMEM;
    list->items[list->count++] = (key_match){list->base + start, list->base + end, key};
    return ERRATA_OK;
}

/* By start, the longest first at each start (a total order: two matches
   with the same bytes are the same key). */
static int match_before(const key_match *a, const key_match *b)
{
    return a->start != b->start ? a->start < b->start : a->end > b->end;
}

/* The automaton reports matches by their end; one that starts earlier but
   ends later than others (a longer key) is only a few places out of order,
   so an insertion sort is linear here. */
static void sort_matches(match_list *matches)
{
    for (size_t i = 1; i < matches->count; i++) {
        key_match m = matches->items[i];
        size_t j = i;
        for (; j > 0 && match_before(&m, &matches->items[j - 1]); j--)
            matches->items[j] = matches->items[j - 1];
        matches->items[j] = m;
    }
}

/* Whether [start, end) overlaps an occurrence of a word that must never change.
   Matches are sorted by start and none is longer than `longest` bytes, so
   only those starting after start - longest can overlap.  *first is the
   first of those for an earlier start (the calls come in text order). */
static int is_protected(const errata_engine *engine, const match_list *matches, size_t start,
                        size_t end, size_t longest, size_t *first)
{
    size_t from = start > longest ? start - longest : 0, lo = *first;
    while (lo < matches->count && matches->items[lo].start < from)
        lo++;
    *first = lo;
    for (size_t i = lo; i < matches->count; i++) {
        const key_match *m = &matches->items[i];
        if (m->start >= end)
            break;
        if (engine->keys[m->key].is_keep_word && m->end > start)
            return 1;
    }
    return 0;
}

/* Judge one entry at one occurrence by its context rules. */
static errata_verdict judge_by_rules(const errata_dictionary *d, const errata_entry *e,
                                     const char *text, size_t len, size_t start, size_t end,
                                     const char **context)
{
    if (errata_strings_match_before(d, &e->keep_prev, text, start) ||
        errata_strings_match_at(d, &e->keep_next, text, len, end))
        return ERRATA_VERDICT_KEEP;
    if ((*context = errata_strings_match_before(d, &e->fix_prev, text, start)) ||
        (*context = errata_strings_match_at(d, &e->fix_next, text, len, end)))
        return ERRATA_VERDICT_FIX_RULE;
    if (e->cls == ERRATA_CLASS_UNAMBIGUOUS)
        return ERRATA_VERDICT_UNAMBIGUOUS;
    if (e->cls == ERRATA_CLASS_GUARDED)
        return ERRATA_VERDICT_GUARDED;
    return ERRATA_VERDICT_CONTEXTUAL;
}

/* Turn one occurrence into a candidate: the strongest verdict among the
   key's entries wins; contextual entries stay as alternatives.  A candidate
   all of whose entries are vetoed stays as a KEEP verdict: it is evidence of
   the word's legitimate use in this document. */
static void make_candidate(const errata_engine *engine, const key_match *m, const char *text,
                          size_t len, errata_candidate *out)
{
    const errata_key *key = &engine->keys[m->key];
    memset(out, 0, sizeof *out);
    out->start = m->start;
    out->end = m->end;
    out->verdict = ERRATA_VERDICT_KEEP;
    for (size_t i = 0; i < key->entry_count; i++) {
        size_t entry = engine->key_entries[key->first_entry + i];
        const char *context = NULL;
        errata_verdict v = judge_by_rules(&engine->dict, &engine->dict.entries[entry], text, len,
                                          m->start, m->end, &context);
        if (v == ERRATA_VERDICT_KEEP) {
            if (out->verdict == ERRATA_VERDICT_KEEP)
                out->entry = entry; /* a legitimate use of this pair's form */
            continue;
        }
        if (v == ERRATA_VERDICT_CONTEXTUAL && out->alternative_count < ERRATA_MAX_ALTERNATIVES)
            out->alternatives[out->alternative_count++] = entry;
        if (v > out->verdict) {
            out->verdict = v;
            out->entry = entry;
            out->rule_context = context;
        }
    }
}

static int collect_candidates(const errata_engine *engine, const match_list *matches,
                              const char *text, size_t len, errata_candidate_list *out)
{
    size_t longest = 0;
    for (size_t i = 0; i < matches->count; i++)
        if (matches->items[i].end - matches->items[i].start > longest)
            longest = matches->items[i].end - matches->items[i].start;
    size_t covered_until = 0, first_near = 0;
    for (size_t i = 0; i < matches->count; i++) {
        const key_match *m = &matches->items[i];
        if (engine->keys[m->key].entry_count == 0 || m->start < covered_until)
            continue; /* matches are sorted longest first at each start */
        if (is_protected(engine, matches, m->start, m->end, longest, &first_near))
            continue;
        if (errata_grow((void **)&out->items, &out->cap, out->count + 1, sizeof *out->items))
            return ERRATA_ENOMEM;
        make_candidate(engine, m, text, len, &out->items[out->count++]);
        covered_until = m->end;
    }
    return ERRATA_OK;
}

/* The Han character just before byte pos, or 0. */
static uint32_t han_before_pos(const char *text, size_t pos)
{
    if (pos == 0)
        return 0;
    size_t p = pos - 1;
    while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80)
        p--;
    uint32_t cp = errata_utf8_next(text, pos, &p);
    return errata_is_han(cp) ? cp : 0;
}

/* The Han character at byte pos, or 0. */
static uint32_t han_at_pos(const char *text, size_t len, size_t pos)
{
    if (pos >= len)
        return 0;
    uint32_t cp = errata_utf8_next(text, len, &pos);
    return errata_is_han(cp) ? cp : 0;
}

/* A context as one number, ordered as the contexts are (by entry, side,
   neighbour), and never 0: the neighbour is a Han character, below 2^21,
   and entries are counted in 32 bits (see errata_candidate). */
static uint64_t context_key(size_t entry, uint32_t side, uint32_t neighbour)
{
    return (uint64_t)entry << 22 | (uint64_t)side << 21 | neighbour;
}

static size_t key_slot(uint64_t key, size_t slots) /* slots: a power of two */
{
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (slots - 1);
}

static int grow_context_keys(errata_doc_evidence *ev)
{
    size_t slots = ev->context_slots ? 2 * ev->context_slots : 1024;
    uint64_t *grown = calloc(slots, sizeof *grown);
    if (!grown)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < ev->context_slots; i++) {
        uint64_t key = ev->context_keys[i];
        if (!key)
            continue;
        size_t s = key_slot(key, slots);
        while (grown[s])
            s = (s + 1) & (slots - 1);
        grown[s] = key;
    }
    free(ev->context_keys);
    ev->context_keys = grown;
    ev->context_slots = slots;
    return ERRATA_OK;
}

/* A huge document repeats most of its contexts millions of times: a hash
   set keeps each once as it comes, where a list sorted now and then would
   sort the repeats. */
int errata_evidence_add_context(errata_doc_evidence *ev, size_t entry, uint32_t side,
                                uint32_t neighbour)
{
    if (2 * (ev->context_keys_used + 1) > ev->context_slots && grow_context_keys(ev))
        return ERRATA_ENOMEM;
    uint64_t key = context_key(entry, side, neighbour);
    size_t s = key_slot(key, ev->context_slots);
    for (; ev->context_keys[s]; s = (s + 1) & (ev->context_slots - 1))
        if (ev->context_keys[s] == key)
            return ERRATA_OK;
    ev->context_keys[s] = key;
    ev->context_keys_used++;
    return ERRATA_OK;
}

static int key_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Kept sorted, so that the judge finds one with a binary search however
   often the original occurs; the set is freed. */
int errata_evidence_finish_contexts(errata_doc_evidence *ev)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->context_slots; i++)
        if (ev->context_keys[i])
            ev->context_keys[n++] = ev->context_keys[i];
    if (n > 1)
        qsort(ev->context_keys, n, sizeof *ev->context_keys, key_order);
    free(ev->original_contexts);
    ev->original_contexts = malloc((n ? n : 1) * sizeof *ev->original_contexts);
    if (!ev->original_contexts)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        uint64_t key = ev->context_keys[i];
        ev->original_contexts[i] = (errata_original_context){
            (size_t)(key >> 22), (uint32_t)(key >> 21 & 1), (uint32_t)(key & 0x1FFFFF)};
    }
    ev->original_context_count = n;
    free(ev->context_keys);
    ev->context_keys = NULL;
    ev->context_slots = ev->context_keys_used = 0;
    return ERRATA_OK;
}

/* The Han characters next to each occurrence of an entry's original: an
   original that survives next to the same character as a candidate shows
   what the document writes there. */
static int collect_original_contexts(const errata_engine *engine, const match_list *matches,
                                     const char *text, size_t len, errata_doc_evidence *ev)
{
    int rc = ERRATA_OK;
    for (size_t i = 0; !rc && i < matches->count; i++) {
        const key_match *m = &matches->items[i];
        const errata_key *key = &engine->keys[m->key];
        if (key->original_count == 0)
            continue;
        uint32_t neighbours[2] = {han_before_pos(text, m->start), han_at_pos(text, len, m->end)};
        for (size_t k = 0; !rc && k < key->original_count; k++)
            for (uint32_t side = 0; !rc && side < 2; side++)
                if (neighbours[side])
                    rc = errata_evidence_add_context(
                        ev, engine->key_originals[key->first_original + k], side, neighbours[side]);
    }
    return rc;
}

/* How often each entry's original and corrupted forms occur: a pair whose
   original survives in the document was probably not in the swap table
   applied to it; one whose form is used while its original never is
   probably was. */
static void count_forms(const errata_engine *engine, const match_list *matches,
                        errata_doc_evidence *ev)
{
    for (size_t i = 0; i < matches->count; i++) {
        const errata_key *key = &engine->keys[matches->items[i].key];
        for (size_t k = 0; k < key->original_count; k++)
            ev->originals_seen[engine->key_originals[key->first_original + k]]++;
        for (size_t k = 0; k < key->entry_count; k++)
            ev->forms_seen[engine->key_entries[key->first_entry + k]]++;
    }
}

static int evidence_init(const errata_engine *engine, errata_doc_evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    size_t entries = engine->dict.entry_count + 1;
    ev->confirmed = calloc(entries, sizeof *ev->confirmed);
    ev->legitimate = calloc(entries, sizeof *ev->legitimate);
    ev->originals_seen = calloc(entries, sizeof *ev->originals_seen);
    ev->forms_seen = calloc(entries, sizeof *ev->forms_seen);
    if (!ev->confirmed || !ev->legitimate || !ev->originals_seen || !ev->forms_seen)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    return ERRATA_OK;
}

static void evidence_free(errata_doc_evidence *ev)
{
    free(ev->confirmed);
    free(ev->legitimate);
    free(ev->originals_seen);
    free(ev->forms_seen);
    free(ev->original_contexts);
    free(ev->context_keys);
}

/* ------------------------------------------------------------ windows

   A huge document's words are matched and judged in windows, so that its
   matches and candidates are never all held at once: a first walk over the
   windows gathers the document's evidence, a second judges each window with
   it.  A window ends after a character that is not Han and that no match
   covers, the first such place after about window_bytes: no match crosses
   the border, so every match is in one window and is a candidate or not as
   in the whole text; no cluster of candidates crosses it (their gaps are
   all Han) and no context window the judge builds around one (it stops
   after the first character that is not Han). */

/* The default window (a window's matches and candidates take about six
   times its size). */
#define WORDS_WINDOW_BYTES ((size_t)4 << 20)
/* How far past window_bytes a border is first looked for (then twice as
   far, and so on: a text that is all Han may have none). */
#define BORDER_SEARCH_BYTES ((size_t)4 << 10)

typedef struct {
    const errata_engine *engine;
    const char *text;
    size_t len;
    size_t window_bytes;
    size_t longest_key; /* bytes; worked out when a border is first looked for */
} words_doc;

static size_t longest_key(const errata_engine *engine)
{
    size_t longest = 0;
    for (size_t i = 0; i < engine->key_count; i++) {
        size_t n = strlen(errata_dict_string(&engine->dict, engine->keys[i].text));
        if (n > longest)
            longest = n;
    }
    return longest;
}

/* The matches of text [from, end), sorted. */
static int scan_stretch(const words_doc *d, size_t from, size_t end, match_list *matches)
{
    matches->count = 0;
    matches->base = from;
    int rc = errata_ac_scan(d->engine->automaton, d->text + from, end - from, collect_match,
                            matches);
    if (!rc)
        sort_matches(matches);
    return rc;
}

/* The first border in (at, limit]: the end of a character that is not Han
   and that none of the matches (all those starting before limit) covers; 0
   if there is none. */
static size_t find_border(const words_doc *d, const match_list *matches, size_t at, size_t limit)
{
    size_t k = 0, covered = 0; /* the furthest end of the matches starting before */
    while (at < d->len && ((unsigned char)d->text[at] & 0xC0) == 0x80)
        at++;
    while (at < limit) {
        size_t next = at;
        uint32_t cp = errata_utf8_next(d->text, d->len, &next);
        for (; k < matches->count && matches->items[k].start < next; k++)
            if (matches->items[k].end > covered)
                covered = matches->items[k].end;
        if (next > limit)
            break;
        if (!errata_is_han(cp) && covered <= at)
            return next;
        at = next;
    }
    return 0;
}

/* The window starting at from: where it ends (*to), and its matches. */
static int scan_window(words_doc *d, size_t from, match_list *matches, size_t *to)
{
    *to = d->len;
    if (d->len - from <= d->window_bytes)
        return scan_stretch(d, from, d->len, matches);
    if (!d->longest_key)
        d->longest_key = longest_key(d->engine);
    size_t target = from + d->window_bytes;
    for (size_t search = BORDER_SEARCH_BYTES;; search *= 2) {
        /* a match crossing a place before limit ends before end */
        size_t end = d->len - target > search + d->longest_key ? target + search + d->longest_key
                                                               : d->len;
        size_t limit = end == d->len ? d->len : end - d->longest_key;
        int rc = scan_stretch(d, from, end, matches);
        size_t border = rc ? 0 : find_border(d, matches, target, limit);
        if (rc || border || end == d->len) {
            if (border)
                *to = border;
            while (matches->count > 0 && matches->items[matches->count - 1].start >= *to)
                matches->count--;
            return rc;
        }
    }
}

/* A window's candidates, from its matches. */
static int window_candidates(const errata_engine *engine, const match_list *matches,
                             const char *text, size_t len, errata_candidate_list *cands)
{
    cands->count = 0;
    return collect_candidates(engine, matches, text, len, cands);
}

/* ------------------------------------------------------------ kept candidates

   The first walk keeps each window's candidates for the second in a few
   bytes each (about 6, against 48 in a list), so that the second walk
   judges them without matching the window and applying the context rules
   again.  KEEP candidates are left out: judging skips them.  Per candidate:
   the gap since the previous one's end (candidates never overlap), its
   length, a byte of verdict, alternative count and whether a rule context
   follows, its entry, its alternatives and its rule context's offset in the
   dictionary's text; all numbers as varints (7 bits a byte, lowest first).
   Each window's bytes are a block of their own, freed once it is judged,
   so that the store shrinks as the edits grow. */

typedef struct {
    unsigned char *bytes;
    size_t len;
} stored_window;

typedef struct {
    stored_window *windows;
    size_t count, cap;
    unsigned char *bytes; /* the window being stored */
    size_t len, bytes_cap;
    size_t last_end; /* the previous candidate's end */
} candidate_store;

#define STORED_HAS_CONTEXT 0x40 /* verdict: bits 0-2, alternatives: 3-5 */

static int store_varint(candidate_store *st, size_t value)
{
    if (errata_grow((void **)&st->bytes, &st->bytes_cap, st->len + 10, 1))
        return ERRATA_ENOMEM;
    for (; value >= 0x80; value >>= 7)
        st->bytes[st->len++] = (unsigned char)(value | 0x80);
    st->bytes[st->len++] = (unsigned char)value;
    return ERRATA_OK;
}

static size_t load_varint(const unsigned char **at)
{
    size_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
        unsigned char b = *(*at)++;
        value |= (size_t)(b & 0x7F) << shift;
        if (b < 0x80)
            return value;
    }
}

static int store_candidate(const errata_engine *engine, candidate_store *st,
                           const errata_candidate *c)
{
    unsigned flags = c->verdict | (unsigned)c->alternative_count << 3 |
                     (c->rule_context ? STORED_HAS_CONTEXT : 0);
    int rc = store_varint(st, c->start - st->last_end);
    if (!rc)
        rc = store_varint(st, c->end - c->start);
    if (!rc)
        rc = store_varint(st, flags);
    if (!rc)
        rc = store_varint(st, c->entry);
    for (size_t k = 0; !rc && k < c->alternative_count; k++)
        rc = store_varint(st, c->alternatives[k]);
    if (!rc && c->rule_context)
        rc = store_varint(st, (size_t)(c->rule_context - engine->dict.text));
    st->last_end = c->end;
    return rc;
}

static void load_candidate(const errata_engine *engine, const unsigned char **at,
                           size_t *last_end, errata_candidate *c)
{
    memset(c, 0, sizeof *c);
    c->start = *last_end + load_varint(at);
    c->end = c->start + load_varint(at);
    size_t flags = load_varint(at);
    c->verdict = (unsigned char)(flags & 7);
    c->alternative_count = (unsigned char)(flags >> 3 & 7);
    c->entry = (uint32_t)load_varint(at);
    for (size_t k = 0; k < c->alternative_count; k++)
        c->alternatives[k] = (uint32_t)load_varint(at);
    if (flags & STORED_HAS_CONTEXT)
        c->rule_context = engine->dict.text + load_varint(at);
    *last_end = c->end;
}

/* A window's block is mapped, not malloc'd: glibc puts a block below its
   mmap threshold (which rises as big blocks are freed) on the heap, where
   its pages stay held once it is freed, and the edits' big arrays, made
   after it, could not reuse them: the store would add its size to a huge
   check's peak instead of giving it back. */
static unsigned char *block_new(size_t len)
{
    void *block = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    return block == MAP_FAILED ? NULL : block;
}

static void block_free(stored_window *w)
{
    if (w->bytes)
        munmap(w->bytes, w->len ? w->len : 1);
    w->bytes = NULL;
}

/* Keep a window's candidates but the KEEP ones, in a block of their own. */
static int store_window(const errata_engine *engine, candidate_store *st,
                        const errata_candidate_list *cands)
{
    st->len = 0;
    int rc = errata_grow((void **)&st->windows, &st->cap, st->count + 1, sizeof *st->windows);
    for (size_t i = 0; !rc && i < cands->count; i++)
        if (cands->items[i].verdict != ERRATA_VERDICT_KEEP)
            rc = store_candidate(engine, st, &cands->items[i]);
    unsigned char *block = rc ? NULL : block_new(st->len);
    if (!block)
        return rc ? rc : errata_fail(ERRATA_ENOMEM, "out of memory");
    if (st->len)
        memcpy(block, st->bytes, st->len);
    st->windows[st->count++] = (stored_window){block, st->len};
    return ERRATA_OK;
}

/* Window w's kept candidates, into *cands; its block is freed. */
static int load_window(const errata_engine *engine, candidate_store *st, size_t w,
                       errata_candidate_list *cands)
{
    const unsigned char *at = st->windows[w].bytes, *end = at + st->windows[w].len;
    cands->count = 0;
    int rc = ERRATA_OK;
    while (!rc && at < end) {
        rc = errata_grow((void **)&cands->items, &cands->cap, cands->count + 1,
                         sizeof *cands->items);
        if (!rc)
            load_candidate(engine, &at, &st->last_end, &cands->items[cands->count++]);
    }
    block_free(&st->windows[w]);
    return rc;
}

static void store_free(candidate_store *st)
{
    for (size_t w = 0; w < st->count; w++)
        block_free(&st->windows[w]);
    free(st->windows);
    free(st->bytes);
}

/* The first walk: the evidence of every window, and its candidates kept in
   *store.  When the whole text is one window, its candidates stay in
   *cands for judging instead. */
static int gather_evidence(words_doc *d, errata_doc_evidence *ev, match_list *matches,
                           errata_candidate_list *cands, candidate_store *store, size_t *windows)
{
    *windows = 0;
    int rc = ERRATA_OK;
    for (size_t from = 0, to; !rc && (from < d->len || *windows == 0); from = to) {
        rc = scan_window(d, from, matches, &to);
        if (!rc) {
            count_forms(d->engine, matches, ev);
            rc = collect_original_contexts(d->engine, matches, d->text, d->len, ev);
        }
        if (!rc)
            rc = window_candidates(d->engine, matches, d->text, d->len, cands);
        if (!rc)
            errata_evidence_add_candidates(d->engine, ev, cands);
        if (!rc && (to < d->len || *windows > 0)) /* one of several */
            rc = store_window(d->engine, store, cands);
        ++*windows;
    }
    if (!rc)
        rc = errata_evidence_finish_contexts(ev);
    return rc;
}

/* The second walk: every window judged. */
static int judge_windows(const words_doc *d, errata_judge *judge, size_t windows,
                         candidate_store *store, errata_candidate_list *cands,
                         errata_edit_list *edits)
{
    if (windows == 1) /* its candidates are still there */
        return errata_judge_candidates(judge, d->text, d->len, cands, edits);
    int rc = ERRATA_OK;
    store->last_end = 0;
    for (size_t w = 0; !rc && w < windows; w++) {
        rc = load_window(d->engine, store, w, cands);
        if (!rc)
            rc = errata_judge_candidates(judge, d->text, d->len, cands, edits);
    }
    return rc;
}

static int check_words(const errata_engine *engine, errata_scratch *scratch, const char *text,
                       size_t len, const errata_check_options *opts, size_t window_bytes,
                       errata_edit_list *edits)
{
    words_doc doc = {engine, text, len, window_bytes ? window_bytes : 1, 0};
    match_list matches = {0};
    errata_candidate_list candidates = {0};
    candidate_store store = {0};
    errata_doc_evidence evidence;
    errata_judge *judge = NULL;
    size_t windows = 0;
    int rc = evidence_init(engine, &evidence);
    if (!rc)
        rc = gather_evidence(&doc, &evidence, &matches, &candidates, &store, &windows);
    free(matches.items); /* the candidates hold what judging needs */
    free(store.bytes);
    store.bytes = NULL;
    if (!rc)
        rc = errata_judge_new(engine, scratch, len, opts, &evidence, &judge);
    if (!rc)
        rc = judge_windows(&doc, judge, windows, &store, &candidates, edits);
    errata_judge_free(judge);
    store_free(&store);
    free(candidates.items);
    evidence_free(&evidence);
    return rc;
}

static int check_lookalikes(const errata_engine *engine, const char *text, size_t len,
                            const errata_check_options *opts, errata_edit_list *edits)
{
    const errata_lookalike_table *table;
    int rc = errata_lookalike_source_table(engine->lookalikes, &table);
    return rc ? rc : errata_lookalike_check(table, engine->lm, engine->cm, text, len, opts, edits);
}

int errata_check(const errata_engine *engine, const char *text, size_t len,
                 const errata_check_options *opts, errata_result **out)
{
    return errata_check_scratch(engine, NULL, text, len, opts, out);
}

/* The caller's options (NULL: the defaults) as the current version.  A
   program built against version 1 passes a shorter struct: only its fields
   are read, the ones added since keep their defaults. */
static int read_options(const char *function, const errata_check_options *opts,
                        errata_check_options *out)
{
    *out = default_check_options;
    if (!opts)
        return ERRATA_OK;
    if (opts->version == 1) {
        memcpy(out, opts, offsetof(errata_check_options, no_positions));
        out->version = ERRATA_CHECK_OPTIONS_VERSION;
        return ERRATA_OK;
    }
    if (opts->version != ERRATA_CHECK_OPTIONS_VERSION)
        return errata_fail(ERRATA_EINVAL, "%s: unknown options version %u", function, opts->version);
    *out = *opts;
    return ERRATA_OK;
}

int errata_check_scratch(const errata_engine *engine, errata_scratch *scratch, const char *text,
                         size_t len, const errata_check_options *opts, errata_result **out)
{
    return errata_check_windowed(engine, scratch, text, len, opts, WORDS_WINDOW_BYTES, out);
}

/* The layout view's window for words windows of window_bytes: a quarter
   as many code points (most are Han, three bytes each), so that the view of
   a document of some 100 MB or more takes four windows of 2 MB instead of
   two bytes a character. */
static size_t layout_window(size_t window_bytes)
{
    return window_bytes == SIZE_MAX ? SIZE_MAX : window_bytes / 4;
}

int errata_check_windowed(const errata_engine *engine, errata_scratch *scratch, const char *text,
                          size_t len, const errata_check_options *caller_opts, size_t window_bytes,
                          errata_result **out)
{
    if (!engine || !out || (!text && len))
        return errata_fail(ERRATA_EINVAL, "errata_check: NULL argument");
    *out = NULL;
    errata_check_options options;
    if (read_options("errata_check", caller_opts, &options))
        return ERRATA_EINVAL;
    const errata_check_options *opts = &options;
    if (scratch && errata_scratch_engine(scratch) != engine)
        return errata_fail(ERRATA_EINVAL, "errata_check: the scratch was made for another engine");
    size_t code_points;
    size_t bad = errata_utf8_validate(text, len, &code_points);
    if (bad < len)
        return errata_fail(ERRATA_EENCODING, "invalid UTF-8 at byte offset %zu", bad);
    errata_result *result = calloc(1, sizeof *result);
    if (!result)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    result->edits.no_reasons = opts->no_reasons;
    int rc = errata_layout_check(text, len, code_points, layout_window(window_bytes), opts,
                                 &result->edits);
    if (!rc)
        rc = check_words(engine, scratch, text, len, opts, window_bytes, &result->edits);
    /* The OCR passes only for text that looks like OCR output: in typed
       text the model would trade rare right words for frequent ones. */
    int ocr = !rc && errata_ocr_shows_ocr(text, len);
    if (ocr && engine->lm)
        rc = check_lookalikes(engine, text, len, opts, &result->edits);
    if (!rc && ocr)
        rc = errata_ocr_punct_check(text, len, opts, &result->edits);
    if (!rc && engine->speller)
        rc = errata_latin_check(engine->speller, text, len, opts, &result->edits);
    if (!rc)
        rc = errata_edit_list_finish(&result->edits, text, len, opts);
    if (rc) {
        errata_result_free(result);
        return rc;
    }
    *out = result;
    return ERRATA_OK;
}

int errata_fix(const errata_engine *engine, const char *text, size_t len,
               const errata_check_options *opts, char **out, size_t *out_len)
{
    errata_check_options fix_opts;
    if (out && out_len) { /* cleared on every failure */
        *out = NULL;
        *out_len = 0;
    }
    if (read_options("errata_fix", opts, &fix_opts))
        return ERRATA_EINVAL;
    fix_opts.no_reasons = 1; /* nobody sees them */
    fix_opts.no_positions = 1;
    errata_result *result = NULL;
    int rc = errata_check(engine, text, len, &fix_opts, &result);
    if (!rc)
        rc = errata_result_apply(result, text, len, NULL, out, out_len);
    errata_result_free(result);
    return rc;
}
