/* Word similarity from the trigram model's bigrams (see synonymy.h). */
#include "synonymy.h"

#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* A neighbour of a word and its weight (positive PMI, log10). */
typedef struct {
    uint32_t word;
    float weight;
} neighbour;

typedef struct {
    neighbour *items;
    size_t count, cap;
    int failed;
} neighbour_list;

struct errata_synonymy {
    const errata_lm *lm;
    size_t word_count;
    /* The words before each word w: before[before_start[w] ..
       before_start[w + 1]), by increasing id. */
    uint32_t *before_start;
    neighbour *before;
    /* The words after the last two words asked about (a learner asks about
       one word against many). */
    neighbour_list after[2];
    uint32_t after_of[2];
};

/* log10 P(w | v) / P(w): how much more often w follows v than anywhere. */
static float pmi(const errata_lm *lm, uint32_t w, double log_prob)
{
    return (float)(log_prob - errata_lm_prob(lm, &w, 1));
}

typedef struct {
    errata_synonymy *s;
    uint32_t v;
    int fill; /* 0: count the words before each word; 1: list them */
} index_pass;

static void index_bigram(uint32_t w, double log_prob, void *ctx)
{
    index_pass *p = ctx;
    if (w >= p->s->word_count)
        return;
    float weight = pmi(p->s->lm, w, log_prob);
    if (weight <= 0)
        return;
    if (!p->fill)
        p->s->before_start[w + 1]++;
    else /* before_start[w] is where w's next entry goes until the last pass */
        p->s->before[p->s->before_start[w]++] = (neighbour){p->v, weight};
}

static int build_index(errata_synonymy *s)
{
    index_pass p = {s, 0, 0};
    for (p.v = 0; p.v < s->word_count; p.v++)
        errata_lm_successors(s->lm, p.v, index_bigram, &p);
    for (size_t w = 0; w < s->word_count; w++)
        s->before_start[w + 1] += s->before_start[w];
    s->before = malloc((s->before_start[s->word_count] + 1) * sizeof *s->before);
    if (!s->before)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    p.fill = 1;
    for (p.v = 0; p.v < s->word_count; p.v++)
        errata_lm_successors(s->lm, p.v, index_bigram, &p);
    /* Each start has moved to the next word's: shift them back. */
    for (size_t w = s->word_count; w > 0; w--)
        s->before_start[w] = s->before_start[w - 1];
    s->before_start[0] = 0;
    return ERRATA_OK;
}

int errata_synonymy_new(const errata_lm *lm, errata_synonymy **out)
{
    *out = NULL;
    errata_synonymy *s = calloc(1, sizeof *s);
    if (!s)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    s->lm = lm;
    s->word_count = errata_lm_word_count(lm);
    s->after_of[0] = s->after_of[1] = ERRATA_LM_NO_WORD;
    s->before_start = calloc(s->word_count + 1, sizeof *s->before_start);
    int rc = s->before_start ? build_index(s) : errata_fail(ERRATA_ENOMEM, "out of memory");
    if (rc) {
        errata_synonymy_free(s);
        return rc;
    }
    *out = s;
    return ERRATA_OK;
}

void errata_synonymy_free(errata_synonymy *s)
{
    if (!s)
        return;
    free(s->before_start);
    free(s->before);
    free(s->after[0].items);
    free(s->after[1].items);
    free(s);
}

typedef struct {
    const errata_lm *lm;
    neighbour_list *list;
} after_pass;

static void list_after(uint32_t w, double log_prob, void *ctx)
{
    after_pass *p = ctx;
    float weight = pmi(p->lm, w, log_prob);
    if (weight <= 0 || p->list->failed)
        return;
    if (errata_grow((void **)&p->list->items, &p->list->cap, p->list->count + 1,
                    sizeof *p->list->items)) {
        p->list->failed = 1;
        return;
    }
    p->list->items[p->list->count++] = (neighbour){w, weight};
}

/* The words after x (kept for the next call: one slot holds the word asked
   about again and again, the other the word it is compared with). */
static const neighbour_list *words_after(errata_synonymy *s, uint32_t x, int slot)
{
    if (s->after_of[slot] == x)
        return &s->after[slot];
    neighbour_list *list = &s->after[slot];
    list->count = 0;
    list->failed = 0;
    s->after_of[slot] = ERRATA_LM_NO_WORD;
    after_pass p = {s->lm, list};
    errata_lm_successors(s->lm, x, list_after, &p);
    if (list->failed)
        return NULL;
    s->after_of[slot] = x;
    return list;
}

/* The dot product of two lists sorted by word, and their squared norms
   added to *na and *nb. */
static double dot(const neighbour *a, size_t na_count, const neighbour *b, size_t nb_count,
                  double *na, double *nb)
{
    double sum = 0;
    for (size_t i = 0; i < na_count; i++)
        *na += (double)a[i].weight * a[i].weight;
    for (size_t j = 0; j < nb_count; j++)
        *nb += (double)b[j].weight * b[j].weight;
    for (size_t i = 0, j = 0; i < na_count && j < nb_count;) {
        if (a[i].word == b[j].word)
            sum += (double)a[i++].weight * b[j++].weight;
        else if (a[i].word < b[j].word)
            i++;
        else
            j++;
    }
    return sum;
}

double errata_synonymy_of(errata_synonymy *s, uint32_t x, uint32_t y)
{
    if (x >= s->word_count || y >= s->word_count)
        return 0;
    const neighbour_list *ax = words_after(s, x, 0), *ay = words_after(s, y, 1);
    if (!ax || !ay) {
        errata_fail(ERRATA_ENOMEM, "out of memory");
        return -1;
    }
    double nx = 0, ny = 0;
    double sum = dot(ax->items, ax->count, ay->items, ay->count, &nx, &ny);
    const neighbour *bx = s->before + s->before_start[x], *by = s->before + s->before_start[y];
    sum += dot(bx, s->before_start[x + 1] - s->before_start[x], by,
               s->before_start[y + 1] - s->before_start[y], &nx, &ny);
    return nx > 0 && ny > 0 ? sum / sqrt(nx * ny) : 0;
}
