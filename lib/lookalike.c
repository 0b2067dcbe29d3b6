/* The OCR look-alike pass: the table of look-alike characters and the
   language-model judging of each replacement (see lookalike.h). */
#include "lookalike.h"

#include "cm.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_HEADER "errata-lookalike 1"
/* Characters of context on each side of a judged character: enough for the
   two words of trigram history on either side of it. */
#define CONTEXT_CHARS 5
/* A second replacement is looked for up to this many characters further on. */
#define PAIR_REACH 2
/* Characters of context quoted in an edit's reason, on each side. */
#define REASON_CHARS 2
/* Confidence given at the propose margin and gained per log10 above it. */
#define CONFIDENCE_AT_PROPOSE 0.50
#define CONFIDENCE_MAX 0.99
/* Below the default apply threshold: see pair_confidence(). */
#define CONFIDENCE_UNOBSERVED_MAX 0.75
/* An n-gram of formal text quoted in a reason was seen at least this often
   in one of its two forms; a longer one reads better (this much per
   character of context, in the natural log of the ratio of the counts). */
#define EVIDENCE_MIN_COUNT 3
#define EVIDENCE_CONTEXT_BONUS 0.5

typedef struct {
    uint32_t seen, original;
    double similarity;
    int observed; /* the misreading was seen more than once, or reported */
} lookalike_pair;

struct errata_lookalike_table {
    lookalike_pair *pairs; /* sorted by seen, then by falling similarity */
    size_t count, cap;
};

/* ------------------------------------------------------------ the table */

/* The next line of data[*pos..len), without its line ending. */
static size_t next_line(const char *data, size_t len, size_t *pos, const char **line)
{
    size_t start = *pos, end = start;
    while (end < len && data[end] != '\n')
        end++;
    *pos = end < len ? end + 1 : end;
    *line = data + start;
    if (end > start && data[end - 1] == '\r')
        end--;
    return end - start;
}

/* The one code point that field[0..n) holds, or 0. */
static uint32_t single_code_point(const char *field, size_t n)
{
    if (n == 0 || errata_utf8_invalid_offset(field, n) != n)
        return 0;
    size_t pos = 0;
    uint32_t cp = errata_utf8_next(field, n, &pos);
    return pos == n ? cp : 0;
}

/* A similarity written as d.dd (0..1), or -1. */
static double parse_similarity(const char *field, size_t n)
{
    if (n < 1 || field[0] < '0' || field[0] > '1')
        return -1;
    double value = field[0] - '0', scale = 1;
    if (n > 1 && field[1] != '.')
        return -1;
    for (size_t i = 2; i < n; i++) {
        if (field[i] < '0' || field[i] > '9')
            return -1;
        scale /= 10;
        value += (field[i] - '0') * scale;
    }
    return value <= 1 ? value : -1;
}

/* Where field[0..n) holds word, or NULL. */
static const char *find_word(const char *field, size_t n, const char *word)
{
    size_t m = strlen(word);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(field + i, word, m) == 0)
            return field + i;
    return NULL;
}

/* Whether a source field (e.g. "structure+ocr:3") shows the misreading
   happening: reported, or seen in OCR output more than once (a single
   sighting may be a blurred glyph read as anything). */
static int names_observation(const char *field, size_t n)
{
    if (find_word(field, n, "reported"))
        return 1;
    const char *ocr = find_word(field, n, "ocr:");
    if (!ocr)
        return 0;
    unsigned sightings = 0;
    for (const char *d = ocr + 4; d < field + n && *d >= '0' && *d <= '9' && sightings < 2; d++)
        sightings = sightings * 10 + (unsigned)(*d - '0');
    return sightings >= 2;
}

static int parse_pair(const char *line, size_t n, lookalike_pair *pair)
{
    const char *field[4];
    size_t field_len[4], f = 0, start = 0;
    for (size_t i = 0; i <= n && f < 4; i++) {
        if (i == n || line[i] == '\t') {
            field[f] = line + start;
            field_len[f++] = i - start;
            start = i + 1;
        }
    }
    if (f < 4)
        return -1;
    pair->seen = single_code_point(field[0], field_len[0]);
    pair->original = single_code_point(field[1], field_len[1]);
    pair->similarity = parse_similarity(field[2], field_len[2]);
    pair->observed = names_observation(field[3], field_len[3]);
    return pair->seen && pair->original && pair->seen != pair->original &&
                   pair->similarity >= 0
               ? 0
               : -1;
}

static int compare_pairs(const void *pa, const void *pb)
{
    const lookalike_pair *a = pa, *b = pb;
    if (a->seen != b->seen)
        return a->seen < b->seen ? -1 : 1;
    if (a->similarity != b->similarity)
        return a->similarity > b->similarity ? -1 : 1;
    return a->original < b->original ? -1 : a->original > b->original;
}

static int parse_lines(errata_lookalike_table *t, const char *data, size_t len)
{
    size_t pos = 0, line_no = 0;
    int header_seen = 0;
    while (pos < len) {
        const char *line;
        size_t n = next_line(data, len, &pos, &line);
        line_no++;
        if (n == 0 || line[0] == '#')
            continue;
        if (!header_seen) {
            if (n != strlen(TABLE_HEADER) || memcmp(line, TABLE_HEADER, n) != 0)
                return errata_fail(ERRATA_EFORMAT, "look-alike table: line %zu: expected \"%s\"",
                                   line_no, TABLE_HEADER);
            header_seen = 1;
            continue;
        }
        if (errata_grow((void **)&t->pairs, &t->cap, t->count + 1, sizeof *t->pairs))
            return ERRATA_ENOMEM;
        if (parse_pair(line, n, &t->pairs[t->count]))
            return errata_fail(ERRATA_EFORMAT,
                               "look-alike table: line %zu: expected seen<TAB>original<TAB>similarity<TAB>source",
                               line_no);
        t->count++;
    }
    if (!header_seen)
        return errata_fail(ERRATA_EFORMAT, "look-alike table: no \"%s\" header", TABLE_HEADER);
    return ERRATA_OK;
}

int errata_lookalike_table_parse(errata_lookalike_table **out, const char *data, size_t len)
{
    if (!out || (!data && len))
        return errata_fail(ERRATA_EINVAL, "look-alike table: NULL argument");
    *out = NULL;
    errata_lookalike_table *t = calloc(1, sizeof *t);
    if (!t)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    int rc = parse_lines(t, data, len);
    if (rc) {
        errata_lookalike_table_free(t);
        return rc;
    }
    qsort(t->pairs, t->count, sizeof *t->pairs, compare_pairs);
    *out = t;
    return ERRATA_OK;
}

int errata_lookalike_table_embedded(errata_lookalike_table **out)
{
    return errata_lookalike_table_parse(
        out, errata_embedded_lookalike,
        (size_t)(errata_embedded_lookalike_end - errata_embedded_lookalike));
}

void errata_lookalike_table_free(errata_lookalike_table *table)
{
    if (!table)
        return;
    free(table->pairs);
    free(table);
}

struct errata_lookalike_source {
    pthread_mutex_t lock; /* guards the parsing */
    errata_lookalike_table *table; /* NULL until parsed */
};

int errata_lookalike_source_new(errata_lookalike_source **out)
{
    errata_lookalike_source *s = calloc(1, sizeof *s);
    if (!s || pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    *out = s;
    return ERRATA_OK;
}

void errata_lookalike_source_free(errata_lookalike_source *source)
{
    if (!source)
        return;
    errata_lookalike_table_free(source->table);
    pthread_mutex_destroy(&source->lock);
    free(source);
}

int errata_lookalike_source_table(errata_lookalike_source *source,
                                  const errata_lookalike_table **out)
{
    int rc = ERRATA_OK;
    pthread_mutex_lock(&source->lock);
    if (!source->table)
        rc = errata_lookalike_table_embedded(&source->table);
    *out = source->table;
    pthread_mutex_unlock(&source->lock);
    return rc;
}

size_t errata_lookalike_table_count(const errata_lookalike_table *table)
{
    return table ? table->count : 0;
}

/* The pairs whose seen character is cp: *first, and the count returned. */
static size_t pairs_of(const errata_lookalike_table *t, uint32_t cp, const lookalike_pair **first)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->pairs[mid].seen < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < t->count && t->pairs[end].seen == cp)
        end++;
    *first = t->pairs + lo;
    return end - lo;
}

/* ------------------------------------------------------------ judging */

/* One run of Han characters: code points, where each starts in the text,
   and whether each is suspect (see mark_suspects()). */
typedef struct {
    uint32_t *cps;
    size_t *starts;
    unsigned char *suspect;
    size_t *token_ends; /* scratch: the model's segmentation of the run */
    size_t count, cap_cps, cap_starts, cap_suspect, cap_tokens;
    size_t end; /* the byte after the run */
} han_run;

typedef struct {
    const errata_lookalike_table *table;
    const errata_lm *lm;
    const errata_cm *cm; /* NULL without a character model */
    const char *text;
    const errata_check_options *opts;
    errata_edit_list *list;
    han_run run;
} judge;

/* A replacement of run character at by pair->original. */
typedef struct {
    size_t at;
    const lookalike_pair *pair;
} change;

/* The margin a change must beat: lower similarity needs more evidence, a
   misreading seen in OCR output less. */
static double required_gain(const change *c, double margin)
{
    double required =
        margin + ERRATA_LOOKALIKE_DISSIMILARITY_MARGIN * (1.0 - c->pair->similarity);
    if (c->pair->observed)
        required -= ERRATA_LOOKALIKE_OBSERVED_BONUS + ERRATA_LOOKALIKE_DOCUMENT_RELIEF;
    return required;
}

/* Encode run characters [from, to) into buf with the changes made. */
static size_t encode_window(const han_run *run, size_t from, size_t to, const change *changes,
                            size_t change_count, char *buf)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        uint32_t cp = run->cps[i];
        for (size_t c = 0; c < change_count; c++)
            if (changes[c].at == i)
                cp = changes[c].pair->original;
        n += errata_utf8_encode(cp, buf + n);
    }
    return n;
}

/* The score (log10) of the context window around run characters
   first..last, with the changes made: the trigram model's, plus the
   weighted character model's when there is one. */
static double window_score(const judge *j, size_t first, size_t last, const change *changes,
                           size_t change_count)
{
    char window[4 * (2 * CONTEXT_CHARS + PAIR_REACH + 1)];
    size_t from = first > CONTEXT_CHARS ? first - CONTEXT_CHARS : 0;
    size_t to = last + CONTEXT_CHARS + 1 < j->run.count ? last + CONTEXT_CHARS + 1 : j->run.count;
    size_t n = encode_window(&j->run, from, to, changes, change_count, window);
    double score = errata_lm_score(j->lm, window, n);
    if (j->cm)
        score += ERRATA_LOOKALIKE_CHAR_MODEL_WEIGHT * errata_cm_score(j->cm, window, n);
    return score;
}

/* How much more frequent in formal text the changes' characters are than
   the ones they replace, wherever they stand (weighted as in window_score()):
   taken off the gain, so that the character model speaks only of how well
   a character fits its context, as the judge of swaps uses it. */
static double char_frequency_shift(const judge *j, const change *changes, size_t change_count)
{
    if (!j->cm)
        return 0;
    double shift = 0;
    for (size_t c = 0; c < change_count; c++) {
        char seen[5], original[5];
        size_t n_seen = errata_utf8_encode(j->run.cps[changes[c].at], seen);
        size_t n_original = errata_utf8_encode(changes[c].pair->original, original);
        shift += errata_cm_score(j->cm, original, n_original) - errata_cm_score(j->cm, seen, n_seen);
    }
    return ERRATA_LOOKALIKE_CHAR_MODEL_WEIGHT * shift;
}

/* The single change at position at that beats its margin by the most:
   *best, and that excess (negative when none beats it). */
static double best_single(const judge *j, size_t at, change *best, double *best_gain)
{
    const lookalike_pair *pairs;
    size_t count = pairs_of(j->table, j->run.cps[at], &pairs);
    double best_excess = -HUGE_VAL, base = window_score(j, at, at, NULL, 0);
    for (size_t p = 0; p < count; p++) {
        change c = {at, &pairs[p]};
        double gain = window_score(j, at, at, &c, 1) - base - char_frequency_shift(j, &c, 1);
        double excess = gain - required_gain(&c, ERRATA_LOOKALIKE_PROPOSE_MARGIN);
        if (excess > best_excess) {
            best_excess = excess;
            *best = c;
            *best_gain = gain;
        }
    }
    return best_excess;
}

/* The best two changes at first and second together, judged like
   best_single() with each change carrying its own margin. */
static double best_double(const judge *j, size_t first, size_t second, change best[2],
                          double *best_gain)
{
    const lookalike_pair *pairs_a, *pairs_b;
    size_t count_a = pairs_of(j->table, j->run.cps[first], &pairs_a);
    size_t count_b = pairs_of(j->table, j->run.cps[second], &pairs_b);
    double best_excess = -HUGE_VAL, base = window_score(j, first, second, NULL, 0);
    for (size_t a = 0; a < count_a; a++) {
        for (size_t b = 0; b < count_b; b++) {
            change c[2] = {{first, &pairs_a[a]}, {second, &pairs_b[b]}};
            double gain = window_score(j, first, second, c, 2) - base - char_frequency_shift(j, c, 2);
            double excess = gain - required_gain(&c[0], ERRATA_LOOKALIKE_PROPOSE_MARGIN) -
                            required_gain(&c[1], ERRATA_LOOKALIKE_PROPOSE_MARGIN);
            if (excess > best_excess) {
                best_excess = excess;
                best[0] = c[0];
                best[1] = c[1];
                *best_gain = gain;
            }
        }
    }
    return best_excess;
}

/* Confidence from how far the gain goes past the propose margin: the
   propose threshold there, the default apply threshold at the apply margin
   (a higher one with the character model, see lookalike.h). */
static double confidence_of(const judge *j, double excess)
{
    double apply_margin =
        j->cm ? ERRATA_LOOKALIKE_CHAR_MODEL_APPLY_MARGIN : ERRATA_LOOKALIKE_APPLY_MARGIN;
    double per_log10 = (ERRATA_DEFAULT_APPLY_THRESHOLD - CONFIDENCE_AT_PROPOSE) /
                       (apply_margin - ERRATA_LOOKALIKE_PROPOSE_MARGIN);
    double confidence = CONFIDENCE_AT_PROPOSE + per_log10 * excess;
    return confidence < CONFIDENCE_MAX ? confidence : CONFIDENCE_MAX;
}

/* A pair known only from the shapes of its characters, never seen misread
   by OCR, is at most proposed: the model readily prefers a frequent phrase
   to a rare right one (抗雪救灾 read as 抗震救灾). */
static double pair_confidence(const judge *j, const lookalike_pair *pair, double excess)
{
    double confidence = confidence_of(j, excess);
    return pair->observed || confidence < CONFIDENCE_UNOBSERVED_MAX ? confidence
                                                                     : CONFIDENCE_UNOBSERVED_MAX;
}

#define EVIDENCE_BYTES (4 * ERRATA_CM_ORDER + 1) /* an n-gram of the character model, in UTF-8 */

/* The n-gram pair (the run with and without the change, up to
   ERRATA_CM_ORDER characters around it) that formal text tells apart most
   in the change's favour, as "紧紧围绕 812× vs 紧紧国绕 0× in clean formal
   text; ", or "" when no such n-gram was seen EVIDENCE_MIN_COUNT times. */
static void formal_text_evidence(const judge *j, const change *c, char *out, size_t size)
{
    out[0] = '\0';
    if (!j->cm)
        return;
    double best = 0;
    for (size_t k = 0; k < ERRATA_CM_ORDER && k <= c->at; k++) {
        for (size_t m = k == 0; k + m < ERRATA_CM_ORDER && c->at + m < j->run.count; m++) {
            size_t from = c->at - k, n = k + m + 1;
            uint32_t with_change[ERRATA_CM_ORDER], as_read[ERRATA_CM_ORDER];
            for (size_t i = 0; i < n; i++)
                with_change[i] = as_read[i] = errata_cm_symbol(j->cm, j->run.cps[from + i]);
            with_change[k] = errata_cm_symbol(j->cm, c->pair->original);
            uint64_t c1 = errata_cm_count(j->cm, with_change, n);
            uint64_t c2 = errata_cm_count(j->cm, as_read, n);
            /* A longer context reads more like the words a reviewer knows. */
            double strength = log((c1 + 1.0) / (c2 + 1.0)) + EVIDENCE_CONTEXT_BONUS * (double)(k + m);
            if (c1 >= EVIDENCE_MIN_COUNT && c1 > c2 && strength > best) {
                char changed[EVIDENCE_BYTES], read[EVIDENCE_BYTES];
                changed[encode_window(&j->run, from, from + n, c, 1, changed)] = '\0';
                read[encode_window(&j->run, from, from + n, NULL, 0, read)] = '\0';
                best = strength;
                snprintf(out, size, "%s %llu\u00d7 vs %s %llu\u00d7 in clean formal text; ", changed,
                         (unsigned long long)c1, read, (unsigned long long)c2);
            }
        }
    }
}

static int emit(const judge *j, const change *c, double gain, double excess)
{
    char old_text[5] = {0}, new_text[5] = {0}, rule[32], context[4 * (2 * REASON_CHARS + 1) + 1];
    char evidence[2 * EVIDENCE_BYTES + 64];
    errata_utf8_encode(j->run.cps[c->at], old_text);
    errata_utf8_encode(c->pair->original, new_text);
    snprintf(rule, sizeof rule, "lookalike/%s>%s", old_text, new_text);
    if (!errata_rule_enabled(j->opts, rule))
        return ERRATA_OK;
    size_t from = c->at > REASON_CHARS ? c->at - REASON_CHARS : 0;
    size_t to = c->at + REASON_CHARS + 1 < j->run.count ? c->at + REASON_CHARS + 1 : j->run.count;
    context[encode_window(&j->run, from, to, c, 1, context)] = '\0';
    formal_text_evidence(j, c, evidence, sizeof evidence);
    size_t start = j->run.starts[c->at];
    size_t end = c->at + 1 < j->run.count ? j->run.starts[c->at + 1] : j->run.end;
    return errata_edit_list_add(j->list, j->text, start, end, new_text, rule,
                                ERRATA_KIND_LOOKALIKE, pair_confidence(j, c->pair, excess),
                                "OCR look-alike (similarity %.2f): %s%s prefers \"%s\" by %.1f "
                                "(log10)",
                                c->pair->similarity, evidence, j->cm ? "context" : "the model",
                                context, gain);
}

/* Make the accepted change in the run, so that later judgements see it. */
static int accept(judge *j, const change *c, double gain, double excess)
{
    int rc = emit(j, c, gain, excess);
    j->run.cps[c->at] = c->pair->original;
    return rc;
}

static int has_pair(const judge *j, uint32_t cp)
{
    const lookalike_pair *pairs;
    return pairs_of(j->table, cp, &pairs) > 0;
}

/* Whether the character at `at` is suspect and has a look-alike. */
static int has_pairs(const judge *j, size_t at)
{
    return j->run.suspect[at] && has_pair(j, j->run.cps[at]);
}

/* A change at `at` alone, or together with one a little further on. */
static int judge_position(judge *j, size_t at, size_t *resume)
{
    change single, pair[2];
    double gain = 0, pair_gain = 0;
    double excess = best_single(j, at, &single, &gain);
    if (excess >= 0)
        return accept(j, &single, gain, excess);
    if (gain <= 0)
        return ERRATA_OK;
    for (size_t next = at + 1; next <= at + PAIR_REACH && next < j->run.count; next++) {
        if (!has_pairs(j, next))
            continue;
        double pair_excess = best_double(j, at, next, pair, &pair_gain);
        if (pair_excess >= 0) {
            int rc = accept(j, &pair[0], pair_gain, pair_excess / 2);
            if (!rc)
                rc = accept(j, &pair[1], pair_gain, pair_excess / 2);
            *resume = next + 1;
            return rc;
        }
    }
    return ERRATA_OK;
}

static int judge_run(judge *j)
{
    for (size_t at = 0; at < j->run.count;) {
        size_t resume = at + 1;
        if (has_pairs(j, at)) {
            int rc = judge_position(j, at, &resume);
            if (rc)
                return rc;
        }
        at = resume;
    }
    return ERRATA_OK;
}

/* ------------------------------------------------------------ suspicion */

/* The model's id of the token text[0..len): a word, or <unk>. */
static uint32_t token_id(const errata_lm *lm, const char *text, size_t len)
{
    uint32_t id = errata_lm_word(lm, text, len);
    return id == ERRATA_LM_NO_WORD ? errata_lm_unknown(lm) : id;
}

/* A single-character token is suspect when it, or the token after it, is
   improbable where it stands. */
static int is_suspect(double p_token, double p_next)
{
    return p_token < ERRATA_LOOKALIKE_SUSPECT_LOG10 || p_next < ERRATA_LOOKALIKE_SUSPECT_LOG10;
}

/* A misread character seldom makes a word with its neighbours: the model
   segments it as a word of its own, and it or the next word is improbable
   where it stands (末位 read as 未位: 未|位).  Only such characters are
   judged; segmenting a run once costs about what judging one character
   costs (ten or more window scores). */
static int mark_suspects(judge *j)
{
    han_run *run = &j->run;
    if (errata_grow((void **)&run->suspect, &run->cap_suspect, run->count, 1) ||
        errata_grow((void **)&run->token_ends, &run->cap_tokens, run->count,
                    sizeof *run->token_ends))
        return ERRATA_ENOMEM;
    memset(run->suspect, 0, run->count);
    size_t base = run->starts[0], tokens = 0;
    errata_lm_segment(j->lm, j->text + base, run->end - base, run->token_ends, run->count,
                      &tokens);
    uint32_t history[3] = {0};
    size_t known = 0, at = 0, single = SIZE_MAX;
    double p_single = 0;
    for (size_t t = 0; t < tokens && t < run->count; t++) {
        size_t first = at;
        while (at < run->count && run->starts[at] < base + run->token_ends[t])
            at++;
        history[0] = history[1];
        history[1] = history[2];
        history[2] = token_id(j->lm, j->text + run->starts[first],
                              base + run->token_ends[t] - run->starts[first]);
        known = known < 3 ? known + 1 : 3;
        double p = errata_lm_prob(j->lm, history + 3 - known, known);
        if (single != SIZE_MAX)
            run->suspect[single] = (unsigned char)is_suspect(p_single, p);
        single = at == first + 1 ? first : SIZE_MAX;
        p_single = p;
    }
    if (single != SIZE_MAX)
        run->suspect[single] = (unsigned char)is_suspect(p_single, 0);
    return ERRATA_OK;
}

/* Whether some character of the run has a look-alike: if none has, the run
   is not even segmented. */
static int run_has_candidates(const judge *j)
{
    for (size_t i = 0; i < j->run.count; i++)
        if (has_pair(j, j->run.cps[i]))
            return 1;
    return 0;
}

/* Read the run of Han characters starting at *pos into j->run. */
static int read_run(judge *j, size_t len, size_t *pos)
{
    han_run *run = &j->run;
    run->count = 0;
    while (*pos < len) {
        size_t start = *pos;
        uint32_t cp = errata_utf8_next(j->text, len, pos);
        if (!errata_is_han(cp)) {
            *pos = start;
            break;
        }
        if (errata_grow((void **)&run->cps, &run->cap_cps, run->count + 1, sizeof *run->cps) ||
            errata_grow((void **)&run->starts, &run->cap_starts, run->count + 1,
                        sizeof *run->starts))
            return ERRATA_ENOMEM;
        run->cps[run->count] = cp;
        run->starts[run->count++] = start;
    }
    run->end = *pos;
    return ERRATA_OK;
}

static int judge_text(judge *j, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        size_t start = pos;
        if (!errata_is_han(errata_utf8_next(j->text, len, &pos)))
            continue;
        pos = start;
        int rc = read_run(j, len, &pos);
        if (!rc && j->run.count > 1 && run_has_candidates(j)) {
            rc = mark_suspects(j);
            if (!rc)
                rc = judge_run(j);
        }
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

int errata_lookalike_check(const errata_lookalike_table *t, const errata_lm *lm,
                           const errata_cm *cm, const char *text, size_t len,
                           const errata_check_options *opts, errata_edit_list *list)
{
    if (!t || !lm || !list || (!text && len))
        return errata_fail(ERRATA_EINVAL, "look-alike check: NULL argument");
    if (!errata_rule_enabled(opts, "lookalike"))
        return ERRATA_OK;
    judge j = {t, lm, cm, text, opts, list, {0}};
    int rc = judge_text(&j, len);
    free(j.run.cps);
    free(j.run.starts);
    free(j.run.suspect);
    free(j.run.token_ends);
    return rc;
}
