/* Judging candidates: document evidence, context rules and the language
   model combined into one confidence per edit.

   Certain candidates (fix rule, unambiguous, guarded) are also the
   document's evidence: they show that a swap table was applied, to which
   pairs, and which family.  Contextual candidates are judged only in such a
   document: the language model compares each clause with and without the
   repairs, neighbouring candidates together, and each repair must carry its
   own margin.  The margin needed to apply a repair depends on what the
   document says about its pair: lower when the pair is confirmed there, or
   its form is used while its original never is; higher when its original
   occurs more often than its form, its form is mostly used legitimately
   there, or the document shows the other swap family only; and on how
   reliably the pair's choices were right on simulated damage. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cm.h"
#include "lm.h"

#define CONFIDENCE_FIX_RULE 0.97
#define CONFIDENCE_UNAMBIGUOUS 0.95
#define CONFIDENCE_GUARDED 0.90

/* Log10 margins at which a contextual repair reaches the default apply
   threshold, by what the document says about its pair. */
#define MARGIN_CONFIRMED_PAIR 0.5
#define MARGIN_UNCONFIRMED_PAIR 1.5
#define MARGIN_OTHER_FAMILY 1.5 /* added when the document shows the other family only */
#define MARGIN_LEGITIMATE_USE 1.0 /* added when the form is used legitimately more often
                                     than it is confirmed damaged (a consumer-rights text
                                     full of 消费者, a construction plan full of 工程质量) */
/* An unconfirmed pair whose original occurs in the document more often than
   its corrupted form was probably not in the swap table applied to it (the
   tool replaces most occurrences of a pair it applies, not all: a survivor
   or two is no sign either way, except where a single certain repair is the
   only sign of damage); one whose form occurs repeatedly while its original
   never does probably was. */
#define MARGIN_ORIGINAL_SURVIVES 1.0
#define MARGIN_ORIGINAL_GONE 1.0
/* Subtracted when the original occurs elsewhere in the document next to the
   same character as the candidate (项目部 beside 工程部): the damage replaces
   only some occurrences, and the survivors show what the document writes
   in that context.  Not in a document with a single certain repair. */
#define MARGIN_ORIGINAL_IN_CONTEXT 1.5
/* One certain repair in a whole document is thin evidence that a swap
   table was applied to it (a man page may say 根底 once). */
#define MARGIN_SINGLE_MARKER 2.0
/* Where a form has two originals (依照: 按照 or 根据), the chosen one must
   beat the other by at least this much, however strongly the document
   confirms its pair: both pairs belong to the same swap tables, so a
   certain 依照“ -> 按照“ says nothing about which original a later 依照
   was.  (On the tuning set 1.0 removed four wrong choices for four right
   ones lost; the unconfirmed pairs' 1.5 lost two right ones more.) */
#define MARGIN_BETWEEN_ORIGINALS 1.0
#define CONFIDENCE_SLOPE 1.5

/* Per pair, how much lower (positive) or higher (negative) its bar is than
   the document evidence alone sets it, learnt by `make pair-bars`
   (scripts/fit-pair-bars.py; dictionaries/CHARMODEL.md, "Per-pair bars"):
   how often the judge's choices for the pair were right on simulated damage
   of the State Council's work reports (neither evaluation text nor the
   character model's training text) and of the tuning documents under other
   seeds.  A bar falls only for a pair clearly more reliable than average,
   by at most 1.5.  Sorted by corrupted form, then original (bytes). */
typedef struct {
    const char *corrupted, *original;
    double offset;
} pair_bar;

static const pair_bar PAIR_BARS[] = {
    /* 732 documents, 20917 choices (17837 right); slope 0.762, intercept 1.197 */
    {"乐观", "积极", 1.50},
    {"仔细", "认真", 1.35},
    {"作业", "操作", -2.45},
    {"依照", "根据", -0.14},
    {"到达", "达到", 1.50},
    {"前方可", "后方可", -2.17},
    {"参加", "参与", -0.56},
    {"发动", "动员", 1.33},
    {"四周", "周边", 1.50},
    {"奉献", "贡献", 1.50},
    {"安康", "健康", 1.47},
    {"实在", "切实", 1.50},
    {"实行", "采取", -1.76},
    {"局部", "部分", -0.25},
    {"帮忙", "帮助", 1.50},
    {"平安", "安全", 1.50},
    {"广阔", "广大", 1.50},
    {"建立", "建设", 1.50},
    {"戒备", "警戒", 1.50},
    {"支配", "安排", 1.50},
    {"方案", "计划", 1.50},
    {"方法", "办法", 1.50},
    {"施行", "实施", 1.50},
    {"明晰", "明确", 1.50},
    {"构成", "形成", 1.50},
    {"标准", "规范", 1.50},
    {"根本", "基本", -0.77},
    {"治理", "管理", -0.13},
    {"消费", "生产", -0.49},
    {"深化", "深入", -0.82},
    {"状况", "情况", -0.06},
    {"监视", "监督", 1.50},
    {"目的", "目标", 1.50},
    {"细心", "精心", -0.44},
    {"获得", "取得", 1.50},
    {"表达", "体现", 1.32},
    {"装备", "配备", 1.50},
    {"要素", "因素", 1.50},
    {"讨论", "研究", 1.50},
    {"详细", "具体", -0.08},
    {"运营", "经营", 1.50},
    {"进展", "进行", -0.52},
    {"进步", "提高", 1.50},
    {"鼓励", "激励", -0.35},
};
/* The character model of formal text counts this much beside the
   trigram model (both log10). */
#define CHAR_MODEL_WEIGHT 0.5
/* An n-gram pair is quoted in a reason when one side was seen this often. */
#define EVIDENCE_MIN_COUNT 3
#define EVIDENCE_CONTEXT_BONUS 0.5 /* per character of context, in the natural log of the ratio */

#define WINDOW_CONTEXT_CHARS 4 /* Han characters either side of a cluster */
#define CLUSTER_GAP_BYTES 12   /* candidates this close are decided together */
#define CLUSTER_MAX 4
#define WINDOW_MAX_BYTES 480
#define MEMO_BYTES_PER_SLOT 16 /* language model memo: one slot per this many bytes of text */
#define SEEN_BYTES_PER_SLOT 256 /* scored windows remembered: one per this many bytes */
#define SEEN_MIN_BITS 6
#define SEEN_MAX_BITS 11
#define SEEN_MAX_BYTES 80 /* longer window keys are always scored */

typedef errata_doc_evidence doc_evidence;

static int is_swap_family(errata_family f)
{
    return f == ERRATA_FAMILY_ANY || f == ERRATA_FAMILY_A || f == ERRATA_FAMILY_B;
}

void errata_evidence_add_candidates(const errata_engine *engine, errata_doc_evidence *ev,
                                    const errata_candidate_list *cands)
{
    for (size_t i = 0; i < cands->count; i++) {
        const errata_candidate *c = &cands->items[i];
        if (c->verdict == ERRATA_VERDICT_KEEP)
            ev->legitimate[c->entry]++;
        if (c->verdict <= ERRATA_VERDICT_CONTEXTUAL)
            continue;
        const errata_entry *e = &engine->dict.entries[c->entry];
        ev->confirmed[c->entry]++;
        if (!is_swap_family(e->family))
            continue;
        ev->markers++;
        ev->family_a += e->family == ERRATA_FAMILY_A;
        ev->family_b += e->family == ERRATA_FAMILY_B;
    }
}

static errata_kind entry_kind(const errata_entry *e)
{
    return e->family == ERRATA_FAMILY_LOOKALIKE ? ERRATA_KIND_LOOKALIKE : ERRATA_KIND_SWAP;
}

static int add_certain_edit(const errata_engine *engine, const char *text, const errata_candidate *c,
                            errata_edit_list *edits)
{
    const errata_entry *e = &engine->dict.entries[c->entry];
    const char *corrupted = errata_dict_string(&engine->dict, e->corrupted);
    const char *original = errata_dict_string(&engine->dict, e->original);
    const char *rule = errata_dict_string(&engine->dict, e->rule);
    switch (c->verdict) {
    case ERRATA_VERDICT_FIX_RULE:
        return errata_edit_list_add(edits, text, c->start, c->end, original, rule, entry_kind(e),
                                    CONFIDENCE_FIX_RULE,
                                    "context rule: next to \"%s\", \"%s\" stands for \"%s\"",
                                    c->rule_context, corrupted, original);
    case ERRATA_VERDICT_UNAMBIGUOUS:
        return errata_edit_list_add(edits, text, c->start, c->end, original, rule, entry_kind(e),
                                    CONFIDENCE_UNAMBIGUOUS,
                                    "\"%s\" is almost never legitimate: a damaged \"%s\"",
                                    corrupted, original);
    default:
        return errata_edit_list_add(edits, text, c->start, c->end, original, rule, entry_kind(e),
                                    CONFIDENCE_GUARDED,
                                    "\"%s\" is a damaged \"%s\" (no word boundary guard applies)",
                                    corrupted, original);
    }
}

/* ------------------------------------------------------------ windows */

static uint32_t code_point_before(const char *text, size_t pos, size_t *start)
{
    size_t p = pos;
    do
        p--;
    while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80);
    *start = p;
    size_t q = p;
    return errata_utf8_next(text, pos, &q);
}

/* Extend [start, end) over up to WINDOW_CONTEXT_CHARS Han characters either
   side, and over the non-Han character that ends the clause where it comes
   sooner: the character model takes it as a boundary (the trigram model
   scores nothing for it). */
static void han_window(const char *text, size_t len, size_t *start, size_t *end)
{
    for (int n = 0; n < WINDOW_CONTEXT_CHARS && *start > 0; n++) {
        size_t prev;
        int han = errata_is_han(code_point_before(text, *start, &prev));
        *start = prev;
        if (!han)
            break;
    }
    for (int n = 0; n < WINDOW_CONTEXT_CHARS && *end < len; n++) {
        size_t next = *end;
        int han = errata_is_han(errata_utf8_next(text, len, &next));
        *end = next;
        if (!han)
            break;
    }
}

static int all_han(const char *text, size_t from, size_t to)
{
    while (from < to)
        if (!errata_is_han(errata_utf8_next(text, to, &from)))
            return 0;
    return 1;
}

/* A place in a window where the text may change: option 0 keeps the
   corrupted form, the others are originals. */
typedef struct {
    size_t start, end;
    const char *options[ERRATA_MAX_ALTERNATIVES + 1];
    size_t option_count;
    size_t candidate; /* index in the candidate list */
} slot;

typedef struct {
    const char *text;
    size_t start, end;
    slot slots[CLUSTER_MAX * 3];
    size_t slot_count;
    size_t choice[CLUSTER_MAX * 3];
} window;

/* The window's text with each slot's chosen option, into buf. */
static size_t render_window(const window *w, char *buf)
{
    size_t out = 0, pos = w->start;
    for (size_t i = 0; i < w->slot_count; i++) {
        const slot *s = &w->slots[i];
        const char *option = w->choice[i] ? s->options[w->choice[i]] : NULL;
        size_t keep = s->start - pos;
        memcpy(buf + out, w->text + pos, keep);
        out += keep;
        size_t n = option ? strlen(option) : s->end - s->start;
        memcpy(buf + out, option ? option : w->text + s->start, n);
        out += n;
        pos = s->end;
    }
    memcpy(buf + out, w->text + pos, w->end - pos);
    return out + (w->end - pos);
}

/* The longest text render_window() can produce for w. */
static size_t longest_rendering(const window *w)
{
    size_t n = w->end - w->start;
    for (size_t i = 0; i < w->slot_count; i++)
        for (size_t o = 1; o < w->slots[i].option_count; o++)
            n += strlen(w->slots[i].options[o]);
    return n;
}

/* A window already scored, by its key (seen_key(); in this document, or
   with a scratch in any document before it): a phrase that recurs in the
   same context is scored once. */
typedef struct {
    uint64_t hash; /* 0: empty */
    double score;
    size_t len;
    char text[SEEN_MAX_BYTES];
} seen_window;

/* What scoring a document's windows needs: the model, its memo, and the
   windows seen (direct-mapped: a window evicts whatever had its slot). */
typedef struct {
    const errata_lm *lm;
    const errata_cm *cm; /* NULL without a character model */
    errata_lm_memo *memo;
    errata_cm_memo *cm_memo; /* NULL without a character model */
    seen_window *seen;
    unsigned seen_bits;
    double *pair_bars;             /* per dictionary entry: its PAIR_BARS offset, */
    unsigned char *pair_bar_known; /* once looked up */
} window_scorer;

static int scorer_init(window_scorer *sc, const errata_engine *engine, size_t len)
{
    const errata_lm *lm = engine->lm;
    sc->lm = lm;
    sc->cm = engine->cm;
    sc->memo = errata_lm_memo_new(lm, len / MEMO_BYTES_PER_SLOT);
    sc->cm_memo = sc->cm ? errata_cm_memo_new(len / MEMO_BYTES_PER_SLOT) : NULL;
    size_t windows = len / SEEN_BYTES_PER_SLOT;
    sc->seen_bits = SEEN_MIN_BITS;
    while (sc->seen_bits < SEEN_MAX_BITS && ((size_t)1 << sc->seen_bits) < windows)
        sc->seen_bits++;
    sc->seen = calloc((size_t)1 << sc->seen_bits, sizeof *sc->seen);
    sc->pair_bars = calloc(engine->dict.entry_count + 1, sizeof *sc->pair_bars);
    sc->pair_bar_known = calloc(engine->dict.entry_count + 1, sizeof *sc->pair_bar_known);
    if (!sc->memo || !sc->seen || (sc->cm && !sc->cm_memo) || !sc->pair_bars ||
        !sc->pair_bar_known)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    return ERRATA_OK;
}

static void scorer_free(window_scorer *sc)
{
    errata_lm_memo_free(sc->memo);
    errata_cm_memo_free(sc->cm_memo);
    free(sc->seen);
    free(sc->pair_bars);
    free(sc->pair_bar_known);
}

/* A hash of a window's text, mixed eight bytes at a time: byte-at-a-time
   hashing was a third of judging's own time.  The top bits pick a slot. */
static uint64_t text_hash(const char *text, size_t n)
{
    uint64_t h = n * 0x9E3779B97F4A7C15u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, text + i, sizeof word);
        h = (h ^ word) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, text + i, n - i);
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53u;
    return h ? h : 1;
}

/* What the character model says of the window's text beyond what it says
   of the slots' words alone: how well each word fits its context in formal
   text, without that text's preference for some words over others (laws
   say 生产 far more often than 消费, wherever they stand). */
static double char_model_context(window_scorer *sc, const window *w, const char *rendered,
                                 size_t n)
{
    /* Only the symbols whose history reaches the slots differ between the
       window's renderings. */
    size_t from = w->slots[0].start - w->start, to = from, shift = 0;
    double words = 0;
    for (size_t i = 0; i < w->slot_count; i++) {
        const slot *s = &w->slots[i];
        const char *word = w->choice[i] ? s->options[w->choice[i]] : w->text + s->start;
        size_t len = w->choice[i] ? strlen(word) : s->end - s->start;
        words += errata_cm_score_range(sc->cm, sc->cm_memo, word, len, 0, len);
        to = s->start - w->start + shift + len;
        shift += len - (s->end - s->start);
    }
    return errata_cm_score_range(sc->cm, sc->cm_memo, rendered, n, from, to) - words;
}

/* The window's score with its slots' current choices: the trigram model's,
   plus the character model's evidence when there is one. */
static double combined_score(window_scorer *sc, const window *w, const char *rendered, size_t n)
{
    double score = errata_lm_score_memo(sc->lm, sc->memo, rendered, n);
    if (sc->cm)
        score += CHAR_MODEL_WEIGHT * char_model_context(sc, w, rendered, n);
    return score;
}

/* The key of a rendered window in the seen windows: its text, then where
   each slot's word lies in it (the character model's score depends on
   those words, not only on the text).  0 when too long to be kept. */
static size_t seen_key(const window *w, const char *rendered, size_t n, char *key)
{
    if (n + 2 * w->slot_count > SEEN_MAX_BYTES)
        return 0;
    memcpy(key, rendered, n);
    size_t out = n, shift = 0;
    for (size_t i = 0; i < w->slot_count; i++) {
        const slot *s = &w->slots[i];
        size_t word = w->choice[i] ? strlen(s->options[w->choice[i]]) : s->end - s->start;
        key[out++] = (char)(s->start - w->start + shift); /* < SEEN_MAX_BYTES */
        key[out++] = (char)word;
        shift += word - (s->end - s->start);
    }
    return out;
}

static double score_window(window_scorer *sc, const window *w)
{
    char buf[WINDOW_MAX_BYTES], key[SEEN_MAX_BYTES];
    size_t n = render_window(w, buf);
    size_t key_len = seen_key(w, buf, n, key);
    if (key_len == 0)
        return combined_score(sc, w, buf, n);
    uint64_t h = text_hash(key, key_len);
    seen_window *slot = &sc->seen[h >> (64 - sc->seen_bits)];
    if (slot->hash != h || slot->len != key_len || memcmp(slot->text, key, key_len) != 0) {
        slot->hash = h;
        slot->len = key_len;
        memcpy(slot->text, key, key_len);
        slot->score = combined_score(sc, w, buf, n);
    }
    return slot->score;
}

/* The score of every combination of options of a window's contextual
   slots, indexed in mixed radix (the first free slot varies fastest). */
#define OPTIONS_MAX (ERRATA_MAX_ALTERNATIVES + 1)
#define COMBINATIONS_MAX (OPTIONS_MAX * OPTIONS_MAX * OPTIONS_MAX * OPTIONS_MAX)
_Static_assert(CLUSTER_MAX == 4, "COMBINATIONS_MAX is OPTIONS_MAX to the power CLUSTER_MAX");

typedef struct {
    double score[COMBINATIONS_MAX];
    size_t stride[CLUSTER_MAX];
} combination_scores;

static size_t combination_index(const window *w, const combination_scores *scores,
                                const size_t *free_slots, size_t free_count)
{
    size_t index = 0;
    for (size_t k = 0; k < free_count; k++)
        index += w->choice[free_slots[k]] * scores->stride[k];
    return index;
}

/* Try every combination of options of the contextual slots (an odometer
   over their choices), keeping each score in *scores; leave the best in
   w->choice and return its score. */
static double best_combination(window_scorer *sc, window *w, const size_t *free_slots,
                               size_t free_count, combination_scores *scores)
{
    size_t best_choice[CLUSTER_MAX * 3] = {0};
    double best = -INFINITY;
    size_t combinations = 1;
    for (size_t k = 0; k < free_count; k++) {
        w->choice[free_slots[k]] = 0;
        scores->stride[k] = combinations;
        combinations *= w->slots[free_slots[k]].option_count;
    }
    for (size_t index = 0;; index++) {
        double score = score_window(sc, w);
        scores->score[index] = score;
        if (score > best) {
            best = score;
            memcpy(best_choice, w->choice, sizeof best_choice);
        }
        size_t k = 0;
        for (; k < free_count; k++) {
            size_t i = free_slots[k];
            if (++w->choice[i] < w->slots[i].option_count)
                break;
            w->choice[i] = 0;
        }
        if (k == free_count)
            break;
    }
    memcpy(w->choice, best_choice, sizeof best_choice);
    return best;
}

/* How much better the chosen option of free slot k is than keeping the
   word, and than the best other original (INFINITY when there is none), the
   other slots held at their choices (all scored already). */
typedef struct {
    double over_keep, over_other;
    size_t other; /* the option of that other original */
} option_margins;

static option_margins own_margins(window *w, const size_t *free_slots, size_t free_count,
                                  size_t k, const combination_scores *scores, double best_score)
{
    size_t i = free_slots[k], chosen = w->choice[i];
    option_margins m = {INFINITY, INFINITY, 0};
    for (size_t o = 0; o < w->slots[i].option_count; o++) {
        if (o == chosen)
            continue;
        w->choice[i] = o;
        double margin = best_score - scores->score[combination_index(w, scores, free_slots,
                                                                     free_count)];
        if (o == 0)
            m.over_keep = margin;
        else if (margin < m.over_other) {
            m.over_other = margin;
            m.other = o;
        }
    }
    w->choice[i] = chosen;
    return m;
}

/* ------------------------------------------------------------ decisions */

static int has_original_context(const doc_evidence *ev, size_t entry, uint32_t side,
                                uint32_t neighbour)
{
    size_t lo = 0, hi = ev->original_context_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const errata_original_context *c = &ev->original_contexts[mid];
        if (c->entry == entry && c->side == side && c->neighbour == neighbour)
            return 1;
        if (c->entry < entry || (c->entry == entry && (c->side < side ||
                                                        (c->side == side && c->neighbour < neighbour))))
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Whether the entry's original occurs next to before or after (Han
   characters, 0 for none); the original in that context into out, as
   "项目部", unless out is NULL. */
static int original_in_context(const doc_evidence *ev, const char *original,
                               size_t entry, uint32_t before, uint32_t after, char *out,
                               size_t size)
{
    char ch[5];
    if (before && has_original_context(ev, entry, 0, before)) {
        if (out) {
            ch[errata_utf8_encode(before, ch)] = '\0';
            snprintf(out, size, "%s%s", ch, original);
        }
        return 1;
    }
    if (after && has_original_context(ev, entry, 1, after)) {
        if (out) {
            ch[errata_utf8_encode(after, ch)] = '\0';
            snprintf(out, size, "%s%s", original, ch);
        }
        return 1;
    }
    return 0;
}

/* Whether the pair's original occurs too often in the document for the
   pair to have been in the swap table applied to it: more often than the
   corrupted form, or at all where a single certain repair is the only sign
   of damage. */
static int original_outnumbers_damage(const doc_evidence *ev, size_t entry, int single_marker)
{
    return single_marker ? ev->originals_seen[entry] > 0
                         : ev->originals_seen[entry] > ev->forms_seen[entry];
}

/* Whether the form is used legitimately so often in the document that a
   repair needs more evidence: more often than the pair is confirmed there,
   and, for a pair the document never confirms, in at least half of the
   form's occurrences (one protected 工程质量 among five 工程 says little
   about the other four). */
static int mostly_legitimate(const doc_evidence *ev, size_t entry)
{
    if (ev->legitimate[entry] <= ev->confirmed[entry])
        return 0;
    return ev->confirmed[entry] > 0 || 2 * ev->legitimate[entry] >= ev->forms_seen[entry];
}

/* The pair's entry in PAIR_BARS: how much lower its bar is (0: none). */
static double pair_bar_offset(const char *corrupted, const char *original)
{
    size_t lo = 0, hi = sizeof PAIR_BARS / sizeof PAIR_BARS[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int order = strcmp(PAIR_BARS[mid].corrupted, corrupted);
        if (order == 0)
            order = strcmp(PAIR_BARS[mid].original, original);
        if (order == 0)
            return PAIR_BARS[mid].offset;
        if (order < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The entry's pair's PAIR_BARS offset, looked up once a scorer: a document
   judges the same pairs again and again. */
static double scorer_pair_bar(window_scorer *sc, const errata_engine *engine, size_t entry)
{
    if (!sc->pair_bar_known[entry]) {
        const errata_entry *e = &engine->dict.entries[entry];
        sc->pair_bars[entry] = pair_bar_offset(errata_dict_string(&engine->dict, e->corrupted),
                                               errata_dict_string(&engine->dict, e->original));
        sc->pair_bar_known[entry] = 1;
    }
    return sc->pair_bars[entry];
}

/* The log10 margin a repair needs; bar is its pair's PAIR_BARS offset. */
static double required_margin(const errata_entry *e, const doc_evidence *ev, size_t entry,
                              const errata_check_options *opts, int original_in_context,
                              double bar)
{
    int single_marker = ev->markers < 2 && !opts->assume_damaged;
    double margin = ev->confirmed[entry] || opts->assume_damaged ? MARGIN_CONFIRMED_PAIR
                                                                  : MARGIN_UNCONFIRMED_PAIR;
    /* The bars were learnt on damaged documents: where a single certain
       repair is all the damage shown, whether the document was damaged at
       all is the question, and a bar only rises. */
    if (bar < 0 || !single_marker)
        margin -= bar;
    if ((e->family == ERRATA_FAMILY_A && ev->family_b > 0 && ev->family_a == 0) ||
        (e->family == ERRATA_FAMILY_B && ev->family_a > 0 && ev->family_b == 0))
        margin += MARGIN_OTHER_FAMILY;
    if (single_marker)
        margin += MARGIN_SINGLE_MARKER;
    if (mostly_legitimate(ev, entry))
        margin += MARGIN_LEGITIMATE_USE;
    if (!ev->confirmed[entry] && original_outnumbers_damage(ev, entry, single_marker))
        margin += MARGIN_ORIGINAL_SURVIVES;
    else if (!ev->confirmed[entry] && !ev->originals_seen[entry] && ev->forms_seen[entry] >= 2)
        margin -= MARGIN_ORIGINAL_GONE;
    if (original_in_context && !single_marker)
        margin -= MARGIN_ORIGINAL_IN_CONTEXT;
    return margin;
}

/* Logistic in the margin, reaching the default apply threshold exactly at
   the required margin. */
static double margin_confidence(double margin, double required)
{
    double at_threshold = log(ERRATA_DEFAULT_APPLY_THRESHOLD / (1 - ERRATA_DEFAULT_APPLY_THRESHOLD));
    return 1.0 / (1.0 + exp(-(CONFIDENCE_SLOPE * (margin - required) + at_threshold)));
}

/* The start of the k Han characters before pos (fewer at a non-Han one). */
static size_t han_before(const char *text, size_t pos, size_t k)
{
    for (; k > 0 && pos > 0; k--) {
        size_t prev;
        if (!errata_is_han(code_point_before(text, pos, &prev)))
            break;
        pos = prev;
    }
    return pos;
}

/* The end of the k Han characters from pos on (fewer at a non-Han one). */
static size_t han_after(const char *text, size_t len, size_t pos, size_t k)
{
    for (; k > 0 && pos < len; k--) {
        size_t next = pos;
        if (!errata_is_han(errata_utf8_next(text, len, &next)))
            break;
        pos = next;
    }
    return pos;
}

/* How often text[from..at) + word + text[to..until) occurs in formal text;
   into buf, that string. */
static uint64_t count_in_context(const errata_cm *cm, const char *text, size_t from, size_t at,
                                 const char *word, size_t to, size_t until, char *buf, size_t *n)
{
    size_t left = at - from, wlen = strlen(word), right = until - to;
    memcpy(buf, text + from, left);
    memcpy(buf + left, word, wlen);
    memcpy(buf + left + wlen, text + to, right);
    *n = left + wlen + right;
    buf[*n] = '\0';
    return errata_cm_count_text(cm, buf, *n);
}

#define EVIDENCE_BYTES (4 * ERRATA_CM_ORDER + 1) /* an n-gram of the character model, in UTF-8 */

/* The n-gram pair (the slot's word in the option's place and in the text's,
   with up to two characters of context either side) whose counts in formal
   text differ most, as "投资项目 497× vs 投资工程 7× in clean formal text; ",
   or "" when no such n-gram was seen EVIDENCE_MIN_COUNT times. */
static void formal_text_evidence(const errata_cm *cm, const char *text, size_t len,
                                 const slot *s, const char *option, char *out, size_t size)
{
    char form[EVIDENCE_BYTES] = "";
    size_t form_len = s->end - s->start;
    out[0] = '\0';
    if (!cm || form_len >= sizeof form)
        return;
    memcpy(form, text + s->start, form_len);
    form[form_len] = '\0';
    double best = 0;
    char best_option[EVIDENCE_BYTES], best_form[EVIDENCE_BYTES];
    uint64_t best_option_count = 0, best_form_count = 0;
    for (size_t k = 0; k <= 2; k++) {
        size_t from = han_before(text, s->start, k);
        if (k > 0 && from == han_before(text, s->start, k - 1))
            break; /* fewer than k Han characters before the word */
        for (size_t m = 0; m <= 2; m++) {
            size_t until = han_after(text, len, s->end, m);
            if (k + m == 0)
                continue; /* the words alone: their frequency is no evidence here */
            if (m > 0 && until == han_after(text, len, s->end, m - 1))
                break;
            size_t word = strlen(option) > form_len ? strlen(option) : form_len;
            if (s->start - from + word + (until - s->end) >= EVIDENCE_BYTES)
                continue;
            char with_option[EVIDENCE_BYTES], with_form[EVIDENCE_BYTES];
            size_t n1, n2;
            uint64_t c1 = count_in_context(cm, text, from, s->start, option, s->end, until,
                                           with_option, &n1);
            uint64_t c2 = count_in_context(cm, text, from, s->start, form, s->end, until,
                                           with_form, &n2);
            /* A longer context reads more like the words a reviewer knows. */
            double strength = fabs(log((c1 + 1.0) / (c2 + 1.0))) + EVIDENCE_CONTEXT_BONUS * (double)(k + m);
            if ((c1 >= EVIDENCE_MIN_COUNT || c2 >= EVIDENCE_MIN_COUNT) && strength > best) {
                best = strength;
                memcpy(best_option, with_option, n1 + 1);
                memcpy(best_form, with_form, n2 + 1);
                best_option_count = c1;
                best_form_count = c2;
            }
        }
    }
    if (best > 0)
        snprintf(out, size, "%s %llu\u00d7 vs %s %llu\u00d7 in clean formal text; ", best_option,
                 (unsigned long long)best_option_count, best_form,
                 (unsigned long long)best_form_count);
}

static int add_contextual_edit(const errata_engine *engine, window_scorer *sc, const char *text,
                               size_t len, const slot *s, size_t choice, option_margins margins,
                               const doc_evidence *ev, const errata_check_options *opts,
                               errata_edit_list *edits, const errata_candidate *c)
{
    size_t entry = c->alternatives[choice - 1];
    const errata_entry *e = &engine->dict.entries[entry];
    const char *original = errata_dict_string(&engine->dict, e->original);
    const char *rule = errata_dict_string(&engine->dict, e->rule);
    if (!errata_rule_enabled(opts, rule))
        return ERRATA_OK;
    char survivor[64] = "";
    size_t before_start;
    size_t after_pos = s->end;
    uint32_t before = s->start > 0 ? code_point_before(text, s->start, &before_start) : 0;
    uint32_t after = s->end < len ? errata_utf8_next(text, len, &after_pos) : 0;
    /* the survivor's text only for a reason: formatting it costs more than the lookup */
    int in_context = original_in_context(ev, original, entry, errata_is_han(before) ? before : 0,
                                         errata_is_han(after) ? after : 0,
                                         edits->no_reasons ? NULL : survivor, sizeof survivor);
    double required = required_margin(e, ev, entry, opts, in_context,
                                      scorer_pair_bar(sc, engine, entry));
    /* the reason names the margin that falls shorter of its bar */
    double margin = margins.over_keep;
    double between = required > MARGIN_BETWEEN_ORIGINALS ? required : MARGIN_BETWEEN_ORIGINALS;
    int choice_binds = margins.over_other - between < margin - required;
    if (choice_binds) {
        margin = margins.over_other;
        required = between;
    }
    double confidence = margin_confidence(margin, required);
    if (confidence < opts->propose_threshold)
        return ERRATA_OK; /* errata_edit_list_finish() would drop it */
    char evidence[4 * EVIDENCE_BYTES + 64] = "";
    if (!edits->no_reasons) /* counting the evidence is a third of the model's cost */
        formal_text_evidence(engine->cm, text, len, s, original, evidence, sizeof evidence);
    char in_document[sizeof survivor + 64] = "";
    if (in_context)
        snprintf(in_document, sizeof in_document, "; \"%s\" occurs in the document", survivor);
    char rival[64] = "";
    if (choice_binds)
        snprintf(rival, sizeof rival, " to \"%s\"", s->options[margins.other]);
    return errata_edit_list_add(edits, text, s->start, s->end, original, rule, entry_kind(e),
                                confidence,
                                "%s%s prefers \"%s\"%s by %.2f (log10; %.1f needed%s): "
                                "%zu swap markers in the document; this pair confirmed %u times, "
                                "legitimate %u times%s",
                                evidence, engine->cm ? "context" : "language model", original,
                                rival, margin, required,
                                choice_binds ? " between two originals" : "", ev->markers,
                                ev->confirmed[entry], ev->legitimate[entry], in_document);
}

static void add_slot(window *w, const errata_engine *engine, const errata_candidate *c, size_t index)
{
    slot *s = &w->slots[w->slot_count++];
    s->start = c->start;
    s->end = c->end;
    s->candidate = index;
    s->options[0] = NULL;
    s->option_count = 1;
    if (c->verdict > ERRATA_VERDICT_CONTEXTUAL) {
        s->options[s->option_count++] =
            errata_dict_string(&engine->dict, engine->dict.entries[c->entry].original);
        return;
    }
    for (size_t a = 0; a < c->alternative_count; a++)
        s->options[s->option_count++] =
            errata_dict_string(&engine->dict, engine->dict.entries[c->alternatives[a]].original);
}

/* The cluster of contextual candidates starting at first; returns one past its last. */
static size_t cluster_end(const errata_candidate_list *cands, const char *text, size_t first)
{
    size_t last = first, n = 1;
    for (size_t i = first + 1; i < cands->count && n < CLUSTER_MAX; i++) {
        const errata_candidate *c = &cands->items[i];
        if (c->verdict != ERRATA_VERDICT_CONTEXTUAL)
            continue;
        const errata_candidate *prev = &cands->items[last];
        if (c->start - prev->end > CLUSTER_GAP_BYTES || !all_han(text, prev->end, c->start))
            break;
        last = i;
        n++;
    }
    return last + 1;
}

/* Build the window around candidates [first, stop): every candidate inside
   it gets a slot; certain ones are fixed to their original. */
static void build_window(window *w, const errata_engine *engine, const char *text, size_t len,
                         const errata_candidate_list *cands, size_t first, size_t stop)
{
    memset(w, 0, sizeof *w);
    w->text = text;
    w->start = cands->items[first].start;
    w->end = cands->items[stop - 1].end;
    han_window(text, len, &w->start, &w->end);
    /* Candidates are sorted by start: only those near the cluster can be
       inside the window. */
    size_t i = first;
    while (i > 0 && cands->items[i - 1].start >= w->start)
        i--;
    for (; i < cands->count && cands->items[i].start < w->end && w->slot_count < CLUSTER_MAX * 3;
         i++) {
        const errata_candidate *c = &cands->items[i];
        if (c->start < w->start || c->end > w->end)
            continue;
        int in_cluster = i >= first && i < stop && c->verdict == ERRATA_VERDICT_CONTEXTUAL;
        if (c->verdict == ERRATA_VERDICT_KEEP || (!in_cluster && c->verdict == ERRATA_VERDICT_CONTEXTUAL))
            continue; /* stays as it is, or judged in its own cluster */
        add_slot(w, engine, c, i);
        if (!in_cluster)
            w->choice[w->slot_count - 1] = 1;
    }
}

static int judge_cluster(const errata_engine *engine, window_scorer *sc, const char *text,
                         size_t len, const errata_check_options *opts,
                         const errata_candidate_list *cands, size_t first, size_t stop,
                         const doc_evidence *ev, errata_edit_list *edits)
{
    window w;
    build_window(&w, engine, text, len, cands, first, stop);
    if (longest_rendering(&w) > WINDOW_MAX_BYTES)
        return ERRATA_OK; /* only with absurdly long user dictionary entries */
    size_t free_slots[CLUSTER_MAX * 3] = {0}, free_count = 0;
    for (size_t i = 0; i < w.slot_count; i++)
        if (cands->items[w.slots[i].candidate].verdict == ERRATA_VERDICT_CONTEXTUAL)
            free_slots[free_count++] = i;
    combination_scores scores;
    double best = best_combination(sc, &w, free_slots, free_count, &scores);
    for (size_t k = 0; k < free_count; k++) {
        size_t i = free_slots[k];
        if (w.choice[i] == 0)
            continue;
        option_margins margins = own_margins(&w, free_slots, free_count, k, &scores, best);
        int rc = add_contextual_edit(engine, sc, text, len, &w.slots[i], w.choice[i], margins, ev,
                                     opts, edits, &cands->items[w.slots[i].candidate]);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

/* ------------------------------------------------------------ scratch */

/* A scratch's caches are sized as for a text of this many bytes. */
#define SCRATCH_TEXT_BYTES (1u << 20)

struct errata_scratch {
    const errata_engine *engine;
    window_scorer scorer; /* unused without a model */
};

int errata_scratch_new(const errata_engine *engine, errata_scratch **out)
{
    if (out)
        *out = NULL;
    if (!engine || !out)
        return errata_fail(ERRATA_EINVAL, "errata_scratch_new: NULL argument");
    errata_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    s->engine = engine;
    int rc = engine->lm ? scorer_init(&s->scorer, engine, SCRATCH_TEXT_BYTES) : ERRATA_OK;
    if (rc) {
        errata_scratch_free(s);
        return rc;
    }
    *out = s;
    return ERRATA_OK;
}

const errata_engine *errata_scratch_engine(const errata_scratch *scratch)
{
    return scratch->engine;
}

void errata_scratch_free(errata_scratch *scratch)
{
    if (!scratch)
        return;
    scorer_free(&scratch->scorer);
    free(scratch);
}

/* What judging a document's candidates, window by window, shares. */
struct errata_judge {
    const errata_engine *engine;
    const errata_check_options *opts;
    const doc_evidence *ev;
    /* Contextual pairs fire only in a document that shows swap damage, and
       only with a model to judge them. */
    int contextual;
    window_scorer own, *scorer;
};

int errata_judge_new(const errata_engine *engine, errata_scratch *scratch, size_t len,
                     const errata_check_options *opts, const errata_doc_evidence *ev,
                     errata_judge **out)
{
    errata_judge *j = calloc(1, sizeof *j);
    if (!j)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    j->engine = engine;
    j->opts = opts;
    j->ev = ev;
    j->contextual = (ev->markers > 0 || opts->assume_damaged) && engine->lm;
    j->scorer = scratch ? &scratch->scorer : &j->own;
    if (j->contextual && !scratch && scorer_init(&j->own, engine, len)) {
        errata_judge_free(j);
        return ERRATA_ENOMEM;
    }
    *out = j;
    return ERRATA_OK;
}

void errata_judge_free(errata_judge *judge)
{
    if (judge)
        scorer_free(&judge->own);
    free(judge);
}

int errata_judge_candidates(errata_judge *judge, const char *text, size_t len,
                            const errata_candidate_list *cands, errata_edit_list *edits)
{
    const errata_engine *engine = judge->engine;
    int rc = ERRATA_OK;
    for (size_t i = 0; !rc && i < cands->count; i++) {
        const errata_candidate *c = &cands->items[i];
        if (c->verdict > ERRATA_VERDICT_CONTEXTUAL &&
            errata_rule_enabled(judge->opts, errata_dict_string(&engine->dict,
                                                                engine->dict.entries[c->entry].rule)))
            rc = add_certain_edit(engine, text, c, edits);
    }
    for (size_t i = 0; !rc && judge->contextual && i < cands->count;) {
        if (cands->items[i].verdict != ERRATA_VERDICT_CONTEXTUAL) {
            i++;
            continue;
        }
        size_t stop = cluster_end(cands, text, i);
        rc = judge_cluster(engine, judge->scorer, text, len, judge->opts, cands, i, stop,
                           judge->ev, edits);
        i = stop;
    }
    return rc;
}
