/* Learning swap pairs from a batch of documents (errata_learner).

   A swap tool puts a word X where the text called for Y.  Clean formal text
   (the character model) knows which words fill a context; X in such a place
   is a misfit: the two characters before it followed by X, or X followed by
   the two characters after it, were never seen in the clean text.  One
   misfit proves nothing (clean text has rare phrases too); a word that is
   a misfit again and again across a batch, where one same word Y fits both
   sides of each of those contexts, and mostly in documents that show known
   swap damage, is a pair the dictionaries do not know.  The strongest sign
   is Y itself beside X in the batch (a swap tool leaving part of Y alone);
   where a tool replaced every Y, Y's absence from X's documents stands in
   for it, for a Y that general text uses like X (see synonymy.h) and in the
   other cases absence_counts() lists.

   Each document is first repaired with the loaded dictionaries (so that
   known damage around X does not hide the context, and so that the known
   repairs mark the document as damaged, as do the known forms the repair
   left undecided where clean text has their originals).  Then every
   two-character word of the repaired text (and every string of two
   characters clean text never holds) is counted, and its misfit
   contexts are kept (a bounded number of distinct ones per word; a
   neighbour that is a known form is read as its original, see
   restore_neighbour).  errata_learner_finish() looks for
   the words that fill each kept context in clean text (the model's
   continuations of the two characters before, checked against the one
   after), keeps the few that fill most of the word's contexts, scores
   each against X in each context with the character model and the word
   trigram model, and adds the evidence up per pair.  The work per word is
   bounded (contexts, fillers and documents kept are capped), so a batch
   costs time in proportion to its size and memory in proportion to the
   words it uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm.h"
#include "engine.h"
#include "lm.h"
#include "synonymy.h"

/* Distinct misfit contexts kept per word (its first ones; a common word
   such as 消费 fills 32 with its legitimate uses before the swapped ones
   come), and legitimate uses kept as examples.  At most 64: a context set
   is a 64-bit mask. */
#define MAX_CONTEXTS 64
/* Documents listed per word where it is a misfit (its first ones): bounds
   the memory of a big batch; the counts of documents a pair reports stop
   there. */
#define MAX_WORD_DOCS 256
/* Known forms left in places of their originals that mark a document as
   damaged (see shows_undecided_damage and form_misplaced). */
#define MIN_MISPLACED_FORMS 3
#define MISPLACED_FORM_SPACING 250
#define MISPLACED_RATIO 100
/* Near-copies of one text (see assign_source). */
#define SKETCH_SIZE 16
#define SHINGLE 6
#define SKETCH_MATCH 4
#define MAX_KEEP_EXAMPLES 6
/* Without a trigram model, a string must be this frequent in the clean
   text to count as a word (see tracked_word). */
#define MIN_WORD_COUNT 10
/* How much better (log10, character model) the best filler must score than
   the word in its place for the context to count for the pair. */
#define MIN_GAIN 1.0
/* In a context, a filler sharing a character with the word counts as ten
   times as probable (log10 1) when the fillers share the probability: a
   swap table pairs near-synonyms, and a generic word (快速处理 beside
   快速反应 for 快速反响) should not take the context from one. */
#define ALIKE_PRIOR 1.0
/* ... and a filler that general text uses like the word (see synonymy.h)
   up to this much (log10, at synonymy 1): the tables swap words of one
   meaning, and where the batch does not say which filler that is, the
   words that merely fit the neighbours (生产, 食品 before 安全生产隐患)
   take the context from the one that means the same (重大 for 严峻). */
#define SYNONYMY_PRIOR 6.0
/* The agreement of a second witness besides the character model scales
   the confidence down to this at the least.  A context is confirmed when
   the trigram model prefers the original there too, or when the batch
   itself holds the original between the same neighbours: the trigram
   model segments both near-synonyms as words and often has no preference
   between them (回忆/回顾 in 回忆一年来的工作), while the batch's own use
   is direct evidence. */
#define LM_AGREE_FLOOR 0.25
/* Characters of the repaired text kept either side of an example. */
#define SNIPPET_CHARS 6
/* A certain repair (fix rule, unambiguous or guarded form) has at least
   this confidence: such repairs mark a document as damaged. */
#define MARKER_CONFIDENCE 0.90
/* Fillers tried per word, and the distinct contexts a pair needs. */
#define MAX_FILLERS 4096
#define FILLER_SLOTS 8192
/* Fillers judged per word (the most proposed): bounds the work per word. */
#define MAX_CANDIDATES 64
/* The contexts of a word (its most frequent ones) in which every filler
   gathered is looked for to rank them: a big batch gives many words 64
   contexts and thousands of fillers, and ranking was most of its time. */
#define RANK_CONTEXTS 16
/* Slots of the table of symbol pairs known to be fillers or not (more
   than twice the character model's bigrams; 4 MiB). */
#define FILLER_WORD_SLOTS ((size_t)1 << 19)
/* The share of the probability the best filler of a context must take. */
#define MIN_SHARE 0.2
#define MIN_CONTEXTS 2
/* The confidence of a pair whose words share no character is this much
   lower (see pair_confidence), unless the pair is seen in this many
   documents (texts) and its original is the best filler of the word's
   contexts (at least this share of the best one's expected replacements):
   乐观/积极, 本人/自己, 觉察/发现 are swapped too. */
#define UNLIKE_FACTOR 0.6
#define UNLIKE_MIN_DOCUMENTS 4
#define UNLIKE_MIN_DOMINANCE 0.95
/* ... and if X stands in Y's place at least this share of the times the
   batch has either there or Y anywhere: a swap table turns a good part of
   Y into X, while in a big batch of one domain a legitimate word (报送
   beside 提供, 236 times against 2,021) fills a few of Y's contexts too,
   and writers vary a few uses of a word (存在的不足 beside 存在的问题,
   14%; 安全发展理念 beside 按照…要求, 18%). */
#define UNLIKE_MIN_REPLACED 0.2
/* ... and if no other filler the batch holds in the word's contexts (see
   best_rival) comes near Y (this share of Y's expected replacements): a
   swap table puts X where one word belonged, while a word of the batch's
   own subject standing in a generic slot has several generic words that
   fill it about as well (乡镇 in 各乡镇, 每个乡镇, where clean text puts
   单位 and 部门 alike). */
#define UNLIKE_MAX_RIVAL 0.5
/* Contexts where a copy of X's text holds Y at X's place (see
   filler_in_copy) that show a swap directly: they stand in for a
   collocation of Y in clean text (see batch_collocated), and, when they
   are half of the pair's contexts at least and the trigram model prefers
   Y in three quarters of them, for the evidence an unlike pair needs (see
   pair_confidence).  Copies of a text that differ there are a swap tool's
   trace, whatever the words; but one regulation issued for two cities is
   one text to the sketch too, and its copies differ legitimately
   (东营市养犬管理条例 beside 湖州市…), where the word model prefers
   neither name. */
#define MIN_COPIED 3
/* A swap tool turns a good part of Y's occurrences into X (scripts/
   corrupt.py: 55-95% where a rule is active), while a legitimate word
   standing in a few of Y's places is something a big batch of one domain
   offers beside almost every word (本村 beside 农村 in the law texts: 19
   times against 5,885).  Below this share replaced (X where Y belongs,
   against those and Y's own occurrences) the confidence falls in
   proportion: a rate, which does not grow with the batch as counts do. */
#define FULL_REPLACED_SHARE 0.1
/* The over-representation of X against Y (see inflation) at which its
   factor is one half: a swap table that replaces part of Y's occurrences
   leaves X less over-represented than the word counts of general text
   would suggest, and a batch of one kind of document uses its words in
   other proportions than general text (切实 is a word of work reports,
   实在 of speech), so the factor only drops for X far rarer than
   expected. */
#define INFLATION_HALF 0.05
/* A swap table turns many of Y's places into misfits for X; a legitimate
   word that is merely rare between some neighbours has few of its
   occurrences there (in a big batch those few add up).  Below this share
   of X's occurrences the confidence falls in proportion. */
#define FULL_MISFIT_SHARE 0.05
/* The share of a pair's occurrences that may stand between the same two
   neighbours (see one_phrase). */
#define MAX_PHRASE_SHARE 0.8
/* Context strings listed in fix-/keep- rules of a learnt entry. */
#define MAX_RULE_CONTEXTS 6
/* Contexts in which the batch must hold the original itself for the
   survival factor to count fully. */
#define MIN_SURVIVED 2
/* Where it holds none, see absence_evidence. */
#define ABSENT_MIN_SYNONYMY 0.1
/* ... unless X stands in Y's places in this many documents (texts) that
   all lack Y (see absence_counts): the tables also swap words general text
   uses apart (平安 for 安全, 觉察 for 发现, 才能 for 能力, synonymy below
   0.1), and a word that merely fits some places of an absent Y does so in
   a few documents (on the tuning batches at most 8, against 12 to 28 for
   the swapped word). */
#define ABSENT_UNLIKE_DOCUMENTS 10
#define ABSENT_FULL_INFLATION 100.0
#define ABSENT_FULL_SHARE 0.25
#define SPLIT_FULL_DOCUMENTS 4
/* Contexts in which the batch must hold the original for it to stand in
   for a collocation in clean text (see batch_collocated).  At 4, the law
   batch of `make bench` gave 二点 -> 零点 (二点五米 beside 零点五米, both
   right) at confidence 0.61. */
#define MIN_SURVIVED_UNCOLLOCATED 5
/* How often clean text must have the original beside a context for it to
   become a fix rule of the learnt entry. */
#define RULE_MIN_COUNT 5
/* How much more often than the original a legitimate form must follow a
   context for it to become a keep rule. */
#define KEEP_RATIO 10
/* Size of the Bloom filter of the batch's windows, and its hashes, all in
   one 64-bit word (32 MiB: about 1% false positives at twenty million
   distinct windows, the size of a 50 MB batch). */
#define SEEN_WINDOW_BITS ((uint64_t)1 << 28)
#define SEEN_WINDOW_HASHES 3

/* Size of the Bloom filter of the words of each document (16 MiB: a few
   per cent false positives at ten million (word, document) pairs, a 50 MB
   batch; a false positive only withholds evidence, see absence()). */
#define DOC_WORD_BITS ((uint64_t)1 << 27)

/* One side of a context: up to two symbols, the boundary counted as one. */
typedef struct {
    uint32_t sym[2];
    uint8_t n;
} side;

typedef struct {
    side left, right;
    uint32_t count;
    uint32_t places; /* count, a place repeated in near-copies of one text once */
    size_t snippet; /* offset into the learner's string pool */
    uint8_t form_at; /* byte offset of the form in the snippet */
    uint8_t restored; /* the sides that are a neighbour's original (see restore_neighbour) */
} misfit_context;

/* A document where a word was a misfit, and in which of its contexts. */
typedef struct {
    uint32_t doc;
    uint32_t source; /* the first document of its text (see assign_source) */
    uint64_t context_mask;
    uint8_t marked;
} misfit_doc;

typedef struct {
    uint64_t key; /* the two symbols; 0: empty slot */
    uint32_t occurrences, documents, last_doc;
    uint32_t misfits;
    misfit_context *contexts;
    uint8_t context_count, context_cap, keep_count;
    size_t keep_snippet[MAX_KEEP_EXAMPLES]; /* legitimate uses */
    side keep_left[MAX_KEEP_EXAMPLES];
    misfit_doc *docs;
    uint32_t doc_count, doc_cap;
} word_stats;

/* The original of a dictionary entry of two characters and its form, the
   form 0 when it is not two (three-byte) characters (see known_form_near). */
typedef struct {
    uint64_t original, form;
} original_form;

/* A known swap form of two characters and the original the dictionaries
   restore it to (see restore_neighbour). */
typedef struct {
    uint64_t form;
    uint32_t original[2];
} known_form;

enum { RESTORED_LEFT = 1, RESTORED_RIGHT = 2 };

/* A word that could fill a misfit context (see filler_pool). */
typedef struct {
    uint32_t sym[2]; /* sym[0] == 0 (the boundary, never a filler): empty */
    uint32_t proposals;
    uint32_t last_context; /* the latest context that proposed it, + 1 */
    uint64_t rank;         /* see pool_rank */
} filler;

/* A word of the batch under one of its characters (see index_batch_words). */
typedef struct {
    uint32_t character;
    uint32_t word[2];
} batch_word;

struct errata_learner {
    const errata_engine *engine;
    /* A Bloom filter of the four-symbol windows of the batch (repaired):
       whether a filler also occurs in a context in the batch itself. */
    uint64_t *seen_windows;
    /* The same for the windows of each text (a window hashed with the
       source of its document, see assign_source): whether a copy of the
       text where a word is a misfit holds a filler at that very place. */
    uint64_t *seen_source_windows;
    /* The same for the two-character words of each document (the word
       hashed with the document's number): whether a document holds a
       word anywhere. */
    uint64_t *doc_words;
    const errata_cm *cm;
    errata_cm_memo *memo; /* of the character model's lookups when finishing */
    errata_synonymy *synonymy; /* see pool_synonymy() */
    known_form *known_forms;   /* sorted by form (see restore_neighbour) */
    size_t known_form_count;
    original_form *forms_by_original; /* sorted by original (see known_form_near) */
    size_t original_form_count;
    errata_learn_options opts;
    word_stats *words;
    size_t word_cap, word_used;
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t doc_count;
    /* Near-copies (see assign_source): sketch hashes and the source of
       the document each came from first; the current document's source. */
    uint64_t *sketch_keys;
    uint32_t *sketch_sources;
    size_t sketch_cap, sketch_used;
    uint32_t source;
    /* The documents of each source, by the source's number (see
       assign_source; 0 for a document that is a copy of an earlier one). */
    uint32_t *source_sizes;
    size_t source_size_cap;
    errata_scratch *scratch;
    /* The fillers of the word being finished (see filler_pool). */
    filler *filler_table;
    uint32_t *filler_used;
    /* Which symbol pairs can be fillers (see filler_word). */
    uint64_t *filler_words;
    size_t filler_word_count;
    /* The batch's words by character (see index_batch_words). */
    batch_word *batch_words;
    size_t batch_word_count;
    /* Results. */
    errata_learned_pair *pairs;
    size_t pair_count, pair_cap;
    int finished;
    /* A document failed after its counting had begun (see
       errata_learner_add): the counts are no batch's any more. */
    int incomplete;
};

static const errata_learn_options default_learn_options = ERRATA_LEARN_OPTIONS_INIT;

static int list_known_forms(errata_learner *l);

/* ------------------------------------------------------------ tables */

static uint64_t word_key(uint32_t a, uint32_t b) { return (uint64_t)a << 32 | b; }

static size_t hash_key(uint64_t key)
{
    key ^= key >> 29;
    key *= 0xbf58476d1ce4e5b9ULL;
    key ^= key >> 32;
    return (size_t)key;
}

static word_stats *find_word(const errata_learner *l, uint64_t key)
{
    if (!l->word_cap)
        return NULL;
    for (size_t i = hash_key(key) & (l->word_cap - 1);; i = (i + 1) & (l->word_cap - 1)) {
        if (l->words[i].key == key)
            return &l->words[i];
        if (!l->words[i].key)
            return NULL;
    }
}

static int grow_words(errata_learner *l)
{
    size_t cap = l->word_cap ? l->word_cap * 2 : 4096;
    word_stats *words = calloc(cap, sizeof *words);
    if (!words)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->word_cap; i++) {
        if (!l->words[i].key)
            continue;
        size_t j = hash_key(l->words[i].key) & (cap - 1);
        while (words[j].key)
            j = (j + 1) & (cap - 1);
        words[j] = l->words[i];
    }
    free(l->words);
    l->words = words;
    l->word_cap = cap;
    return ERRATA_OK;
}

static int add_word(errata_learner *l, uint64_t key, word_stats **out)
{
    if ((l->word_used + 1) * 4 > l->word_cap * 3 && grow_words(l))
        return ERRATA_ENOMEM;
    size_t i = hash_key(key) & (l->word_cap - 1);
    while (l->words[i].key)
        i = (i + 1) & (l->word_cap - 1);
    l->words[i].key = key;
    l->words[i].last_doc = UINT32_MAX;
    l->word_used++;
    *out = &l->words[i];
    return ERRATA_OK;
}

static uint64_t window_hash(const uint32_t *s)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < 4; i++)
        h = (h ^ s[i]) * 0xff51afd7ed558ccdULL;
    return h ^ h >> 31;
}

/* A window's bits in the filter: SEEN_WINDOW_HASHES bits of one 64-bit
   word (one memory access per window). */
static uint64_t window_bits(uint64_t h)
{
    uint64_t bits = 0;
    for (int k = 0; k < SEEN_WINDOW_HASHES; k++)
        bits |= 1ULL << ((h >> (32 + 6 * k)) & 63);
    return bits;
}

/* A window's hash within the text of one source. */
static uint64_t source_window_hash(const uint32_t *s, uint32_t source)
{
    uint64_t h = (window_hash(s) ^ source) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ h >> 29;
}

static uint64_t doc_word_hash(uint64_t key, uint32_t doc)
{
    uint64_t h = (hash_key(key) ^ doc) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ h >> 29;
}

static void remember_doc_word(errata_learner *l, uint64_t key)
{
    uint64_t h = doc_word_hash(key, l->doc_count);
    l->doc_words[h % (DOC_WORD_BITS / 64)] |= window_bits(h);
}

/* Whether document doc (probably) holds the word key. */
static int doc_has_word(const errata_learner *l, uint64_t key, uint32_t doc)
{
    uint64_t h = doc_word_hash(key, doc), bits = window_bits(h);
    return (l->doc_words[h % (DOC_WORD_BITS / 64)] & bits) == bits;
}

/* The key under which remember_doc_word notes a known form standing where
   clean text has its original (see shows_undecided_damage): apart from the
   words' keys, whose symbols never reach the top bit. */
static uint64_t misplaced_form_key(uint64_t form) { return form | (uint64_t)1 << 63; }

static void remember_window(errata_learner *l, const uint32_t *s)
{
    uint64_t h = window_hash(s);
    l->seen_windows[h % (SEEN_WINDOW_BITS / 64)] |= window_bits(h);
    h = source_window_hash(s, l->source);
    l->seen_source_windows[h % (SEEN_WINDOW_BITS / 64)] |= window_bits(h);
}

/* Whether the batch (probably) holds the four symbols s[0..4) in a row. */
static int window_seen(const errata_learner *l, const uint32_t *s)
{
    uint64_t h = window_hash(s), bits = window_bits(h);
    return (l->seen_windows[h % (SEEN_WINDOW_BITS / 64)] & bits) == bits;
}

/* Whether a document of the source (probably) holds s[0..4) in a row. */
static int window_seen_in_source(const errata_learner *l, const uint32_t *s, uint32_t source)
{
    uint64_t h = source_window_hash(s, source), bits = window_bits(h);
    return (l->seen_source_windows[h % (SEEN_WINDOW_BITS / 64)] & bits) == bits;
}

/* Copy len bytes into the pool, NUL-terminated; its offset in *at. */
static int pool_add(errata_learner *l, const char *s, size_t len, size_t *at)
{
    if (errata_grow((void **)&l->pool, &l->pool_cap, l->pool_len + len + 1, 1))
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    memcpy(l->pool + l->pool_len, s, len);
    l->pool[l->pool_len + len] = '\0';
    *at = l->pool_len;
    l->pool_len += len + 1;
    return ERRATA_OK;
}

/* ------------------------------------------------------------ public: set-up */

int errata_learner_new(const errata_engine *engine, const errata_learn_options *opts,
                       errata_learner **out)
{
    if (out)
        *out = NULL;
    if (!engine || !out)
        return errata_fail(ERRATA_EINVAL, "errata_learner_new: NULL argument");
    if (!engine->cm)
        return errata_fail(ERRATA_EINVAL, "learning pairs needs the character model");
    errata_learner *l = calloc(1, sizeof *l);
    if (!l)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    l->engine = engine;
    l->cm = engine->cm;
    l->opts = opts ? *opts : default_learn_options;
    int rc = grow_words(l);
    if (!rc && (!(l->seen_windows = calloc(SEEN_WINDOW_BITS / 64, sizeof *l->seen_windows)) ||
                !(l->seen_source_windows =
                      calloc(SEEN_WINDOW_BITS / 64, sizeof *l->seen_source_windows)) ||
                !(l->doc_words = calloc(DOC_WORD_BITS / 64, sizeof *l->doc_words))))
        rc = errata_fail(ERRATA_ENOMEM, "out of memory");
    if (!rc && (!(l->filler_table = calloc(FILLER_SLOTS, sizeof *l->filler_table)) ||
                !(l->filler_used = malloc(MAX_FILLERS * sizeof *l->filler_used)) ||
                !(l->filler_words = calloc(FILLER_WORD_SLOTS, sizeof *l->filler_words)) ||
                !(l->memo = errata_cm_memo_new(16384))))
        rc = errata_fail(ERRATA_ENOMEM, "out of memory");
    if (!rc)
        rc = errata_scratch_new(engine, &l->scratch);
    if (!rc)
        rc = list_known_forms(l);
    if (rc) {
        errata_learner_free(l);
        return rc;
    }
    *out = l;
    return ERRATA_OK;
}

static void free_pair(errata_learned_pair *p)
{
    free((char *)p->corrupted);
    free((char *)p->original);
    free((char *)p->fix_prev);
    free((char *)p->fix_next);
    free((char *)p->keep_prev);
    for (size_t i = 0; i < p->fix_example_count; i++)
        free((char *)p->fix_examples[i]);
    for (size_t i = 0; i < p->keep_example_count; i++)
        free((char *)p->keep_examples[i]);
}

void errata_learner_free(errata_learner *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->word_cap; i++) {
        free(l->words[i].contexts);
        free(l->words[i].docs);
    }
    for (size_t i = 0; i < l->pair_count; i++)
        free_pair(&l->pairs[i]);
    free(l->pairs);
    free(l->words);
    free(l->pool);
    free(l->seen_windows);
    free(l->seen_source_windows);
    free(l->doc_words);
    free(l->filler_table);
    free(l->filler_used);
    free(l->filler_words);
    free(l->batch_words);
    free(l->sketch_keys);
    free(l->sketch_sources);
    free(l->source_sizes);
    errata_cm_memo_free(l->memo);
    errata_synonymy_free(l->synonymy);
    free(l->forms_by_original);
    free(l->known_forms);
    errata_scratch_free(l->scratch);
    free(l);
}

/* ------------------------------------------------------------ one document */

/* The repaired text as model symbols, each with the byte offset where its
   code point (or its run of non-Han code points) starts. */
typedef struct {
    uint32_t *sym;
    size_t *at;
    size_t count;
} symbol_text;

static int to_symbols(const errata_cm *cm, const char *text, size_t len, symbol_text *st)
{
    st->sym = malloc((len + 2) * sizeof *st->sym);
    st->at = malloc((len + 2) * sizeof *st->at);
    st->count = 0;
    if (!st->sym || !st->at)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t pos = 0; pos < len;) {
        size_t start = pos;
        uint32_t s = errata_cm_symbol(cm, errata_utf8_next_fast(text, len, &pos));
        if (s == ERRATA_CM_BOUNDARY && st->count && st->sym[st->count - 1] == ERRATA_CM_BOUNDARY)
            continue;
        st->sym[st->count] = s;
        st->at[st->count++] = start;
    }
    st->at[st->count] = len;
    return ERRATA_OK;
}

static int is_char(uint32_t s) { return s != ERRATA_CM_BOUNDARY && s != ERRATA_CM_UNKNOWN; }

/* The up to two symbols before position i (stopping after a boundary). */
static side left_side(const symbol_text *st, size_t i)
{
    side sd = {{0, 0}, 0};
    if (i == 0 || st->sym[i - 1] == ERRATA_CM_BOUNDARY) {
        sd.n = 1; /* the start of a run */
    } else if (i == 1 || st->sym[i - 2] == ERRATA_CM_BOUNDARY) {
        sd.sym[1] = st->sym[i - 1];
        sd.n = 2;
    } else {
        sd.sym[0] = st->sym[i - 2];
        sd.sym[1] = st->sym[i - 1];
        sd.n = 2;
    }
    return sd;
}

/* The up to two symbols after position i (stopping at a boundary). */
static side right_side(const symbol_text *st, size_t i)
{
    side sd = {{0, 0}, 1};
    if (i >= st->count || st->sym[i] == ERRATA_CM_BOUNDARY)
        return sd;
    sd.sym[0] = st->sym[i];
    sd.n = 2;
    sd.sym[1] = i + 1 < st->count ? st->sym[i + 1] : ERRATA_CM_BOUNDARY;
    return sd;
}

static int has_unknown(side s)
{
    return s.sym[0] == ERRATA_CM_UNKNOWN || (s.n > 1 && s.sym[1] == ERRATA_CM_UNKNOWN);
}

static int by_form(const void *pa, const void *pb)
{
    const known_form *a = pa, *b = pb;
    return a->form < b->form ? -1 : a->form > b->form;
}

/* The symbols of s when it is two Han characters of three bytes each. */
/* A word is two characters of three bytes each: its examples and rules
   are written so (a character model may hold Han characters beyond the
   BMP, of four bytes). */
#define WORD_BYTES 6

static int six_byte_word(const errata_cm *cm, const char *s, uint32_t out[2])
{
    if (strlen(s) != WORD_BYTES)
        return 0;
    size_t pos = 0;
    out[0] = errata_cm_symbol(cm, errata_utf8_next_fast(s, WORD_BYTES, &pos));
    out[1] = errata_cm_symbol(cm, errata_utf8_next_fast(s, WORD_BYTES, &pos));
    return pos == WORD_BYTES && is_char(out[0]) && is_char(out[1]);
}

static int by_original_key(const void *pa, const void *pb)
{
    const original_form *a = pa, *b = pb;
    return a->original < b->original ? -1 : a->original > b->original;
}

/* List the dictionaries' entries whose original is two (three-byte)
   characters: all of them by original (forms_by_original), and those whose
   form is two such characters too by form (known_forms), each with the
   original clean text uses most where the form has several. */
static int list_known_forms(errata_learner *l)
{
    const errata_dictionary *d = &l->engine->dict;
    l->known_forms = malloc((d->entry_count + 1) * sizeof *l->known_forms);
    l->forms_by_original = malloc((d->entry_count + 1) * sizeof *l->forms_by_original);
    if (!l->known_forms || !l->forms_by_original)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t n = 0, m = 0;
    for (size_t i = 0; i < d->entry_count; i++) {
        uint32_t form[2], original[2];
        if (!six_byte_word(l->cm, errata_dict_string(d, d->entries[i].original), original))
            continue;
        uint64_t key = six_byte_word(l->cm, errata_dict_string(d, d->entries[i].corrupted), form)
                           ? word_key(form[0], form[1])
                           : 0;
        l->forms_by_original[m++] = (original_form){word_key(original[0], original[1]), key};
        if (key)
            l->known_forms[n++] = (known_form){key, {original[0], original[1]}};
    }
    qsort(l->forms_by_original, m, sizeof *l->forms_by_original, by_original_key);
    l->original_form_count = m;
    qsort(l->known_forms, n, sizeof *l->known_forms, by_form);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (kept && l->known_forms[kept - 1].form == l->known_forms[i].form) {
            if (errata_cm_count(l->cm, l->known_forms[i].original, 2) >
                errata_cm_count(l->cm, l->known_forms[kept - 1].original, 2))
                l->known_forms[kept - 1] = l->known_forms[i];
        } else {
            l->known_forms[kept++] = l->known_forms[i];
        }
    }
    l->known_form_count = kept;
    return ERRATA_OK;
}

/* The known form of the two symbols word, or NULL. */
static const known_form *find_known_form(const errata_learner *l, const uint32_t word[2])
{
    known_form probe = {word_key(word[0], word[1]), {0, 0}};
    return bsearch(&probe, l->known_forms, l->known_form_count, sizeof probe, by_form);
}

/* Turn a side of two (three-byte) characters that is a known swap form
   into its original; whether it was one.  A swap tool damages neighbours
   together (食品安全 made 食物平安), and the repair cannot restore the
   known form while the unknown one beside it is damaged too: as it
   stands, no word fits the unknown one's place. */
static int restore_neighbour(const errata_learner *l, side *s, size_t bytes)
{
    if (s->n != 2 || bytes != 6 || !is_char(s->sym[0]) || !is_char(s->sym[1]))
        return 0;
    const known_form *k = find_known_form(l, s->sym);
    if (!k)
        return 0;
    s->sym[0] = k->original[0];
    s->sym[1] = k->original[1];
    return 1;
}

/* Counts in clean text of left+word and word+right. */
static uint64_t count_left(const errata_cm *cm, side left, uint32_t a, uint32_t b)
{
    uint32_t s[4] = {left.sym[0], left.sym[1], a, b};
    return left.n == 2 ? errata_cm_count(cm, s, 4) : errata_cm_count(cm, s + 1, 3);
}

static uint64_t count_right(const errata_cm *cm, uint32_t a, uint32_t b, side right)
{
    uint32_t s[4] = {a, b, right.sym[0], right.sym[1]};
    return errata_cm_count(cm, s, right.n == 2 ? 4 : 3);
}

static int same_side(side a, side b)
{
    return a.n == b.n && a.sym[0] == b.sym[0] && a.sym[1] == b.sym[1];
}

/* The repaired text around st->sym[i..i+2): the snippet kept as an example. */
static int keep_snippet(errata_learner *l, const char *text, const symbol_text *st, size_t i,
                        size_t *snippet, uint8_t *form_at)
{
    size_t from = i, to = i + 2;
    for (size_t k = 0; k < SNIPPET_CHARS && from > 0 && is_char(st->sym[from - 1]); k++)
        from--;
    for (size_t k = 0; k < SNIPPET_CHARS && to < st->count && is_char(st->sym[to]); k++)
        to++;
    *form_at = (uint8_t)(st->at[i] - st->at[from]);
    return pool_add(l, text + st->at[from], st->at[to] - st->at[from], snippet);
}

static int note_misfit_doc(word_stats *w, uint32_t doc, uint32_t source, int marked,
                           size_t context)
{
    if (!w->doc_count || w->docs[w->doc_count - 1].doc != doc) {
        if (w->doc_count == MAX_WORD_DOCS)
            return ERRATA_OK;
        if (w->doc_count == w->doc_cap) {
            /* Grown as needed (2, 4, ... MAX_WORD_DOCS): most words are
               misfits in a few documents. */
            uint32_t cap = w->doc_cap ? 2 * w->doc_cap : 2;
            misfit_doc *grown = realloc(w->docs, cap * sizeof *grown);
            if (!grown)
                return errata_fail(ERRATA_ENOMEM, "out of memory");
            w->docs = grown;
            w->doc_cap = cap;
        }
        w->docs[w->doc_count++] = (misfit_doc){doc, source, 0, (uint8_t)marked};
    }
    if (context < MAX_CONTEXTS)
        w->docs[w->doc_count - 1].context_mask |= 1ull << context;
    return ERRATA_OK;
}

/* Whether a misfit in context c of the current document repeats a place
   of an earlier near-copy of its text (one of w's listed documents of the
   same source has that context): the copies of a text are one piece of
   evidence, their places as much as the text itself. */
static int repeated_place(const errata_learner *l, const word_stats *w, size_t c)
{
    if (l->source == l->doc_count)
        return 0; /* the first document of its text */
    for (size_t i = 0; i < w->doc_count; i++)
        if (w->docs[i].doc != l->doc_count && w->docs[i].source == l->source &&
            (w->docs[i].context_mask & (1ull << c)))
            return 1;
    return 0;
}

static int note_misfit(errata_learner *l, word_stats *w, const char *text, const symbol_text *st,
                       size_t i, side left, side right, uint8_t restored, int marked)
{
    w->misfits++;
    size_t c = 0;
    while (c < w->context_count &&
           !(same_side(w->contexts[c].left, left) && same_side(w->contexts[c].right, right)))
        c++;
    if (c == w->context_count && c < MAX_CONTEXTS) {
        /* Grown as needed (2, 4, ... MAX_CONTEXTS): most words have a few. */
        if (c == w->context_cap) {
            size_t cap = w->context_cap ? 2u * w->context_cap : 2;
            misfit_context *grown = realloc(w->contexts, cap * sizeof *grown);
            if (!grown)
                return errata_fail(ERRATA_ENOMEM, "out of memory");
            w->contexts = grown;
            w->context_cap = (uint8_t)cap;
        }
        misfit_context *mc = &w->contexts[c];
        memset(mc, 0, sizeof *mc);
        mc->left = left;
        mc->right = right;
        mc->restored = restored;
        if (keep_snippet(l, text, st, i, &mc->snippet, &mc->form_at))
            return ERRATA_ENOMEM;
        w->context_count++;
    }
    if (c < w->context_count) {
        w->contexts[c].count++;
        w->contexts[c].places += !repeated_place(l, w, c);
    }
    return note_misfit_doc(w, l->doc_count, l->source, marked, c);
}

static int note_legitimate(errata_learner *l, word_stats *w, const char *text,
                           const symbol_text *st, size_t i, side left)
{
    if (w->keep_count == MAX_KEEP_EXAMPLES || left.n != 2 || !is_char(left.sym[0]))
        return ERRATA_OK;
    for (size_t k = 0; k < w->keep_count; k++)
        if (same_side(w->keep_left[k], left))
            return ERRATA_OK;
    uint8_t unused;
    if (keep_snippet(l, text, st, i, &w->keep_snippet[w->keep_count], &unused))
        return ERRATA_ENOMEM;
    w->keep_left[w->keep_count++] = left;
    return ERRATA_OK;
}

/* Whether the two characters at text[at..] are a word of the trigram
   model's vocabulary (any word will do without a model). */
static int is_lm_word(const errata_engine *engine, const char *text, size_t len)
{
    return !engine->lm || errata_lm_word(engine->lm, text, len) != ERRATA_LM_NO_WORD;
}

/* The text of a context's side and a NUL: two characters of up to four
   bytes. */
#define SIDE_TEXT_SIZE 9

static int tracked_word(errata_learner *l, const char *text, const symbol_text *st, size_t i,
                        word_stats **out)
{
    uint64_t key = word_key(st->sym[i], st->sym[i + 1]);
    *out = NULL;
    if (st->at[i + 2] - st->at[i] != WORD_BYTES)
        return ERRATA_OK;
    *out = find_word(l, key);
    if (*out)
        return ERRATA_OK;
    /* A word of the trigram model's vocabulary (however rare in formal
       text: a swap tool's replacement often is); without a model, a
       string formal text uses as often as a word.  Also a string the clean
       text never holds: a machine spinner replaces single characters too,
       and writes no word at all (沉点 for 重点, 长儿 for 幼儿). */
    uint64_t clean = errata_cm_count(l->cm, st->sym + i, 2);
    int word = l->engine->lm ? is_lm_word(l->engine, text + st->at[i], st->at[i + 2] - st->at[i])
                             : clean >= MIN_WORD_COUNT;
    if (!word && clean)
        return ERRATA_OK;
    return add_word(l, key, out);
}

/* The byte ranges of the repaired text that the loaded dictionaries wrote,
   in order. */
typedef struct {
    size_t *start, *end;
    size_t count;
} repaired_spans;

/* Whether the word at text[from..to) overlaps a span the dictionaries
   wrote; *next is the first span not yet passed (words come in order). */
static int written_by_repair(const repaired_spans *spans, size_t *next, size_t from, size_t to)
{
    while (*next < spans->count && spans->end[*next] <= from)
        (*next)++;
    return *next < spans->count && spans->start[*next] < to;
}

/* Count the two-character words of the repaired text and keep their misfit
   contexts and a few legitimate uses.  A word the dictionaries wrote is
   their choice, not the damage of an unknown pair: it is counted, but not
   judged (a known pair that picks the wrong one of two originals would
   otherwise make its output look like a swap of the other). */
static int scan(errata_learner *l, const char *text, const symbol_text *st, int marked,
                const repaired_spans *spans)
{
    size_t next_span = 0;
    for (size_t i = 0; i + 4 <= st->count; i++)
        remember_window(l, st->sym + i);
    for (size_t i = 0; i + 1 < st->count; i++) {
        if (!is_char(st->sym[i]) || !is_char(st->sym[i + 1]))
            continue;
        word_stats *w;
        if (tracked_word(l, text, st, i, &w))
            return ERRATA_ENOMEM;
        if (!w)
            continue;
        w->occurrences++;
        if (w->last_doc != l->doc_count) {
            w->last_doc = l->doc_count;
            w->documents++;
        }
        /* The document holds the word as its text has it, not as the
           repair wrote it (see absence). */
        if (written_by_repair(spans, &next_span, st->at[i], st->at[i + 2]))
            continue;
        remember_doc_word(l, w->key);
        side left = left_side(st, i), right = right_side(st, i + 2);
        if (has_unknown(left) || has_unknown(right))
            continue;
        uint64_t fit_left = count_left(l->cm, left, st->sym[i], st->sym[i + 1]);
        uint64_t fit_right = count_right(l->cm, st->sym[i], st->sym[i + 1], right);
        /* A neighbour that never stands beside the word in clean text and
           is a known form is judged as its original would read. */
        uint8_t restored = 0;
        if (!fit_right && i + 4 <= st->count &&
            restore_neighbour(l, &right, st->at[i + 4] - st->at[i + 2])) {
            restored |= RESTORED_RIGHT;
            fit_right = count_right(l->cm, st->sym[i], st->sym[i + 1], right);
        }
        if (!fit_left && i >= 2 && restore_neighbour(l, &left, st->at[i] - st->at[i - 2])) {
            restored |= RESTORED_LEFT;
            fit_left = count_left(l->cm, left, st->sym[i], st->sym[i + 1]);
        }
        int rc = ERRATA_OK;
        if (!fit_left || !fit_right)
            rc = note_misfit(l, w, text, st, i, left, right, restored, marked);
        else if (fit_left && fit_right)
            rc = note_legitimate(l, w, text, st, i, left);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}

/* Where the applied edits of result (sorted, not overlapping) put their
   replacements in the repaired text. */
static int written_spans(const errata_result *result, repaired_spans *spans)
{
    size_t n = errata_result_count(result);
    spans->count = 0;
    spans->start = malloc((n + 1) * sizeof *spans->start);
    spans->end = malloc((n + 1) * sizeof *spans->end);
    if (!spans->start || !spans->end)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t shift = 0; /* bytes added before the edit, modulo 2^N */
    for (size_t i = 0; i < n; i++) {
        errata_edit e;
        errata_edit_list_get(&result->edits, i, &e);
        if (e.action != ERRATA_ACTION_APPLY)
            continue;
        size_t written = strlen(e.new_text);
        spans->start[spans->count] = e.byte_start + shift;
        spans->end[spans->count++] = e.byte_start + shift + written;
        shift += written - (e.byte_end - e.byte_start);
    }
    return ERRATA_OK;
}

/* Repair text with the loaded dictionaries; *markers counts the certain
   swap repairs, spans where the repairs are in the repaired text. */
static int repair(errata_learner *l, const char *text, size_t len, char **fixed,
                  size_t *fixed_len, size_t *markers, repaired_spans *spans)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.no_reasons = 1;
    opts.no_positions = 1;
    errata_result *result = NULL;
    int rc = errata_check_scratch(l->engine, l->scratch, text, len, &opts, &result);
    if (rc)
        return rc;
    *markers = 0;
    for (size_t i = 0; i < errata_result_count(result); i++) {
        errata_edit e;
        errata_edit_list_get(&result->edits, i, &e);
        *markers += e.kind == ERRATA_KIND_SWAP && e.action == ERRATA_ACTION_APPLY &&
                    e.confidence >= MARKER_CONFIDENCE;
    }
    rc = written_spans(result, spans);
    if (!rc)
        rc = errata_result_apply(result, text, len, NULL, fixed, fixed_len);
    errata_result_free(result);
    return rc;
}

/* Whether the known form at st->sym[i..i+2) stands where clean text has
   its original often (on one side), and the form at most a hundredth as
   often (MISPLACED_RATIO): 运营活动, 9 times against 经营活动's 1,998,
   while a form in its own use has a good share (落实平安 3 against 132). */
static int form_misplaced(const errata_learner *l, const symbol_text *st, size_t i,
                          const uint32_t original[2])
{
    side left = left_side(st, i), right = right_side(st, i + 2);
    if (has_unknown(left) || has_unknown(right))
        return 0;
    uint64_t form_before = count_left(l->cm, left, st->sym[i], st->sym[i + 1]);
    uint64_t form_after = count_right(l->cm, st->sym[i], st->sym[i + 1], right);
    uint64_t original_before = count_left(l->cm, left, original[0], original[1]);
    uint64_t original_after = count_right(l->cm, original[0], original[1], right);
    return (original_before >= RULE_MIN_COUNT && form_before * MISPLACED_RATIO < original_before) ||
           (original_after >= RULE_MIN_COUNT && form_after * MISPLACED_RATIO < original_after);
}

/* Whether the repaired text still shows known swap damage the repair left
   undecided: enough known forms (MIN_MISPLACED_FORMS, and one in
   MISPLACED_FORM_SPACING characters) stand where clean text has their
   originals.  A spinner whose table the dictionaries barely know leaves
   few certain repairs (食物平安: neither word can be judged beside the
   other), while clean text holds a known form in a place of its original
   now and then.  Each such form is noted for the document (see
   known_form_near). */
static int shows_undecided_damage(errata_learner *l, const symbol_text *st)
{
    size_t misplaced = 0, chars = 0;
    for (size_t i = 0; i + 1 < st->count; i++) {
        chars += is_char(st->sym[i]);
        if (!is_char(st->sym[i]) || !is_char(st->sym[i + 1]))
            continue;
        const known_form *k = find_known_form(l, st->sym + i);
        if (k && form_misplaced(l, st, i, k->original)) {
            misplaced++;
            remember_doc_word(l, misplaced_form_key(k->form));
        }
    }
    return misplaced >= MIN_MISPLACED_FORMS && misplaced * MISPLACED_FORM_SPACING >= chars;
}

/* ------------------------------------------------------------ near-copies */

/* The same text uploaded again with other damage (or none) is one piece of
   evidence, not several: documents are grouped by their text.  A
   document's sketch is the SKETCH_SIZE smallest hashes of its runs of
   SHINGLE Han characters; one that shares SKETCH_MATCH of them with
   earlier documents of one source is a copy of that text, otherwise it
   starts a source of its own.  Swaps change a few characters in a hundred,
   so most runs of six survive; two different texts share hardly any of
   their smallest hashes. */
static size_t sketch(const symbol_text *st, uint64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i + SHINGLE <= st->count; i++) {
        uint64_t h = 0x9e3779b97f4a7c15ULL;
        size_t k = 0;
        while (k < SHINGLE && is_char(st->sym[i + k]))
            h = (h ^ st->sym[i + k++]) * 0xff51afd7ed558ccdULL;
        if (k < SHINGLE)
            continue;
        h ^= h >> 31;
        /* Insert into the sorted out[0..n), keeping the smallest and no
           duplicates. */
        size_t at = n;
        while (at > 0 && out[at - 1] > h)
            at--;
        if ((at > 0 && out[at - 1] == h) || at == SKETCH_SIZE)
            continue;
        if (n < SKETCH_SIZE)
            n++;
        memmove(out + at + 1, out + at, (n - 1 - at) * sizeof *out);
        out[at] = h;
    }
    return n;
}

static size_t sketch_slot(const errata_learner *l, uint64_t key)
{
    size_t i = hash_key(key) & (l->sketch_cap - 1);
    while (l->sketch_keys[i] && l->sketch_keys[i] != key)
        i = (i + 1) & (l->sketch_cap - 1);
    return i;
}

static int grow_sketches(errata_learner *l)
{
    errata_learner old = *l;
    l->sketch_cap = old.sketch_cap ? old.sketch_cap * 2 : 1024;
    l->sketch_keys = calloc(l->sketch_cap, sizeof *l->sketch_keys);
    l->sketch_sources = malloc(l->sketch_cap * sizeof *l->sketch_sources);
    if (!l->sketch_keys || !l->sketch_sources) {
        free(l->sketch_keys);
        free(l->sketch_sources);
        l->sketch_keys = old.sketch_keys;
        l->sketch_sources = old.sketch_sources;
        l->sketch_cap = old.sketch_cap;
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < old.sketch_cap; i++)
        if (old.sketch_keys[i]) {
            size_t j = sketch_slot(l, old.sketch_keys[i]);
            l->sketch_keys[j] = old.sketch_keys[i];
            l->sketch_sources[j] = old.sketch_sources[i];
        }
    free(old.sketch_keys);
    free(old.sketch_sources);
    return ERRATA_OK;
}

/* Set l->source for the document being added (number l->doc_count). */
static int assign_source(errata_learner *l, const symbol_text *st)
{
    uint64_t keys[SKETCH_SIZE];
    size_t n = sketch(st, keys);
    uint32_t sources[SKETCH_SIZE], votes[SKETCH_SIZE];
    size_t distinct = 0;
    for (size_t i = 0; i < n && l->sketch_cap; i++) {
        size_t slot = sketch_slot(l, keys[i] | 1);
        if (!l->sketch_keys[slot])
            continue;
        size_t j = 0;
        while (j < distinct && sources[j] != l->sketch_sources[slot])
            j++;
        if (j == distinct) {
            sources[distinct] = l->sketch_sources[slot];
            votes[distinct++] = 0;
        }
        votes[j]++;
    }
    l->source = l->doc_count;
    uint32_t best = 0;
    for (size_t j = 0; j < distinct; j++)
        if (votes[j] >= SKETCH_MATCH && votes[j] > best) {
            best = votes[j];
            l->source = sources[j];
        }
    for (size_t i = 0; i < n; i++) {
        if ((l->sketch_used + 1) * 2 > l->sketch_cap && grow_sketches(l))
            return ERRATA_ENOMEM;
        size_t slot = sketch_slot(l, keys[i] | 1); /* | 1: never the empty key 0 */
        if (!l->sketch_keys[slot]) {
            l->sketch_keys[slot] = keys[i] | 1;
            l->sketch_sources[slot] = l->source;
            l->sketch_used++;
        }
    }
    return ERRATA_OK;
}

static int incomplete_batch(const char *function)
{
    return errata_fail(ERRATA_EINVAL,
                       "%s: a document failed part-way through (out of memory), so the counts "
                       "are incomplete: start a new learner",
                       function);
}

int errata_learner_add(errata_learner *l, const char *text, size_t len)
{
    if (!l || (!text && len))
        return errata_fail(ERRATA_EINVAL, "errata_learner_add: NULL argument");
    if (l->finished)
        return errata_fail(ERRATA_EINVAL, "errata_learner_add: the learner is finished");
    if (l->incomplete)
        return incomplete_batch("errata_learner_add");
    char *fixed = NULL;
    size_t fixed_len = 0, markers = 0;
    repaired_spans spans = {NULL, NULL, 0};
    int rc = repair(l, text ? text : "", len, &fixed, &fixed_len, &markers, &spans);
    symbol_text st = {0};
    if (!rc)
        rc = to_symbols(l->cm, fixed, fixed_len, &st);
    /* From here on the learner's counts change: a failure leaves part of
       the document counted. */
    int counting = rc == ERRATA_OK;
    if (!rc)
        rc = assign_source(l, &st);
    if (!rc && errata_grow((void **)&l->source_sizes, &l->source_size_cap, l->doc_count + 1,
                           sizeof *l->source_sizes))
        rc = errata_fail(ERRATA_ENOMEM, "out of memory");
    if (!rc) {
        l->source_sizes[l->doc_count] = 0;
        l->source_sizes[l->source]++;
    }
    /* Always looked for: the known forms left in place are noted for
       known_form_near as well. */
    if (!rc)
        rc = scan(l, fixed, &st, shows_undecided_damage(l, &st) || markers > 0, &spans);
    l->incomplete = counting && rc != ERRATA_OK;
    free(spans.start);
    free(spans.end);
    free(st.sym);
    free(st.at);
    errata_free(fixed);
    l->doc_count += rc == ERRATA_OK;
    return rc;
}

/* ------------------------------------------------------------ finishing */

/* The text of symbols (a boundary written as a comma). */
static size_t put_symbols(const errata_cm *cm, const uint32_t *s, size_t n, char *buf)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ERRATA_CM_BOUNDARY) {
            memcpy(buf + len, "\xef\xbc\x8c", 3); /* ， */
            len += 3;
        } else {
            len += errata_utf8_encode(errata_cm_code_point(cm, s[i]), buf + len);
        }
    }
    return len;
}

/* Character-model score of left + word (its first word_len symbols, 1 or
   2) + right. */
static double window_score(const errata_learner *l, side left, const uint32_t *word,
                           size_t word_len, side right)
{
    uint32_t s[6];
    size_t n = 0;
    for (size_t k = 2 - left.n; k < 2; k++)
        s[n++] = left.sym[k];
    for (size_t k = 0; k < word_len; k++)
        s[n++] = word[k];
    for (size_t k = 0; k < right.n; k++)
        s[n++] = right.sym[k];
    char buf[6 * 4];
    size_t len = put_symbols(l->cm, s, n, buf);
    return errata_cm_score_range(l->cm, l->memo, buf, len, 0, len);
}

/* The words that could fill a word's misfit contexts: those seen in clean
   text after the two characters before one of them, and before the first
   character after it, each with the number of contexts that proposed it.
   They are gathered in a hash table (the learner's, reused word after word)
   and the most proposed are kept, most proposed first, in items. */
typedef struct {
    filler *table;  /* FILLER_SLOTS slots */
    uint32_t *used; /* the slots in use */
    size_t used_count;
    uint32_t context; /* the context being searched, + 1 (0: none) */
    /* The word's contexts that rank the fillers (see RANK_CONTEXTS). */
    const misfit_context *ranking[RANK_CONTEXTS];
    size_t ranking_count;
    uint32_t (*items)[2];
    double *synonymy; /* of each item with the word (see synonymy.h) */
    size_t count;
    int failed;
} filler_pool;

typedef struct {
    errata_learner *l;
    const misfit_context *ctx; /* NULL: fillers from anywhere */
    uint32_t form[2];
    uint32_t first; /* of the filler being completed */
    filler_pool *pool;
} filler_search;

static void pool_add_filler(filler_pool *pool, uint32_t a, uint32_t b)
{
    size_t i = hash_key(word_key(a, b)) & (FILLER_SLOTS - 1);
    while (pool->table[i].sym[0] && !(pool->table[i].sym[0] == a && pool->table[i].sym[1] == b))
        i = (i + 1) & (FILLER_SLOTS - 1);
    filler *f = &pool->table[i];
    if (!f->sym[0]) {
        if (pool->used_count == MAX_FILLERS)
            return;
        *f = (filler){{a, b}, 0, 0, 0};
        pool->used[pool->used_count++] = (uint32_t)i;
    }
    if (pool->context && f->last_context != pool->context) {
        f->last_context = pool->context;
        f->proposals++;
    }
}

static int shares_character(const uint32_t x[2], const uint32_t y[2])
{
    return x[0] == y[0] || x[0] == y[1] || x[1] == y[0] || x[1] == y[1];
}

static int by_rank(const void *pa, const void *pb)
{
    const filler *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank > b->rank ? -1 : 1;
    uint64_t ka = word_key(a->sym[0], a->sym[1]), kb = word_key(b->sym[0], b->sym[1]);
    return ka < kb ? -1 : ka > kb;
}

static int fits_context(const errata_cm *cm, const misfit_context *ctx, const uint32_t y[2]);
static int filler_seen_in_batch(const errata_learner *l, const misfit_context *ctx,
                                const uint32_t *filler);

/* Empty the table of fillers for the next word. */
static void empty_pool(filler_pool *pool)
{
    for (size_t i = 0; i < pool->used_count; i++)
        pool->table[pool->used[i]].sym[0] = 0;
    pool->used_count = 0;
}

/* Keep the MAX_CANDIDATES best fillers of w in items and empty the table
   for the next word.  Best: filling more of w's ranking contexts (see
   RANK_CONTEXTS) on both sides
   (a swap table puts X wherever Y stood), then sharing a character with w
   (the tables swap near-synonyms, which often do), then proposed by more
   contexts. */
static void pool_rank(const errata_learner *l, const word_stats *w, filler_pool *pool)
{
    const uint32_t form[2] = {(uint32_t)(w->key >> 32), (uint32_t)w->key};
    filler *ranked = malloc((pool->used_count + 1) * sizeof *ranked);
    pool->items = malloc((pool->used_count + 1) * sizeof *pool->items);
    if (!ranked || !pool->items) {
        pool->failed = 1;
        free(ranked);
        empty_pool(pool); /* the table is the learner's: finishing may be asked again */
        return;
    }
    for (size_t i = 0; i < pool->used_count; i++) {
        filler *f = &ranked[i];
        *f = pool->table[pool->used[i]];
        uint32_t fitted = 0, seen = 0;
        int alike = shares_character(form, f->sym);
        for (size_t k = 0; k < pool->ranking_count; k++) {
            int in_batch = filler_seen_in_batch(l, pool->ranking[k], f->sym);
            seen += in_batch;
            fitted += in_batch || fits_context(l->cm, pool->ranking[k], f->sym);
        }
        f->rank = (uint64_t)seen << 48 | (uint64_t)fitted << 40 | (uint64_t)alike << 32 |
                  f->proposals;
    }
    qsort(ranked, pool->used_count, sizeof *ranked, by_rank);
    pool->count = pool->used_count < MAX_CANDIDATES ? pool->used_count : MAX_CANDIDATES;
    for (size_t i = 0; i < pool->count; i++) {
        pool->items[i][0] = ranked[i].sym[0];
        pool->items[i][1] = ranked[i].sym[1];
    }
    empty_pool(pool);
    free(ranked);
}

/* Whether (a, b) is seen before the first symbol of right (or at the end
   of a run when right is a boundary). */
static int fits_right(const errata_cm *cm, uint32_t a, uint32_t b, side right)
{
    uint32_t s[3] = {a, b, right.sym[0]};
    return errata_cm_count(cm, s, 3) > 0;
}

/* Whether (a, b) is seen after the last symbol of left. */
static int fits_left(const errata_cm *cm, side left, uint32_t a, uint32_t b)
{
    uint32_t s[3] = {left.sym[1], a, b};
    return errata_cm_count(cm, s, 3) > 0;
}

/* Whether y is seen after the character before ctx and before the one
   after it. */
static int fits_context(const errata_cm *cm, const misfit_context *ctx, const uint32_t y[2])
{
    return fits_left(cm, ctx->left, y[0], y[1]) && fits_right(cm, y[0], y[1], ctx->right);
}

/* Whether (a, b) can be a filler at all: a word of the trigram model's
   vocabulary that clean text uses.  The answers are kept in the learner's
   table (one slot per bigram of the character model at most). */
static int filler_word(errata_learner *l, uint32_t a, uint32_t b)
{
    uint64_t key = word_key(a, b);
    size_t i = hash_key(key) & (FILLER_WORD_SLOTS - 1);
    while (l->filler_words[i] && l->filler_words[i] >> 1 != key)
        i = (i + 1) & (FILLER_WORD_SLOTS - 1);
    if (l->filler_words[i])
        return (int)(l->filler_words[i] & 1);
    uint32_t w[2] = {a, b};
    char buf[8];
    size_t len = put_symbols(l->cm, w, 2, buf);
    int word = len == WORD_BYTES && errata_cm_count(l->cm, w, 2) >= MIN_WORD_COUNT &&
               is_lm_word(l->engine, buf, len);
    if (l->filler_word_count < FILLER_WORD_SLOTS / 2) {
        l->filler_words[i] = key << 1 | (uint64_t)word;
        l->filler_word_count++;
    }
    return word;
}

static void consider_filler(filler_search *f, uint32_t a, uint32_t b)
{
    if (!is_char(a) || !is_char(b) || (a == f->form[0] && b == f->form[1]))
        return;
    if (filler_word(f->l, a, b) && (!f->ctx || fits_right(f->l->cm, a, b, f->ctx->right)))
        pool_add_filler(f->pool, a, b);
}

static void visit_second(uint32_t symbol, uint64_t count, void *ctx)
{
    (void)count;
    filler_search *f = ctx;
    consider_filler(f, f->first, symbol);
}

static void visit_first(uint32_t symbol, uint64_t count, void *ctx)
{
    (void)count;
    filler_search *f = ctx;
    if (!is_char(symbol))
        return;
    const side *left = &f->ctx->left;
    uint32_t prefix[3];
    size_t n = 0;
    for (size_t k = 2 - left->n; k < 2; k++)
        prefix[n++] = left->sym[k];
    prefix[n++] = symbol;
    f->first = symbol;
    errata_cm_continuations(f->l->cm, prefix, n, visit_second, f);
    /* Swap tables pair near-synonyms, which often share a character: a
       word that ends with one of the form's characters needs only its
       first character seen here. */
    consider_filler(f, symbol, f->form[0]);
    consider_filler(f, symbol, f->form[1]);
}

/* Add to pool the words that start with one of the form's characters (a
   near-synonym often does), wherever they fit. */
static void collect_sharing_fillers(errata_learner *l, const uint32_t form[2], filler_pool *pool)
{
    filler_search f = {l, NULL, {form[0], form[1]}, 0, pool};
    for (size_t k = 0; k < 2; k++) {
        f.first = form[k];
        errata_cm_continuations(l->cm, &form[k], 1, visit_second, &f);
    }
}

/* The first of count sorted items (each size bytes) that cmp does not
   order before key: where key would be inserted. */
static size_t lower_bound(const void *items, size_t count, size_t size, const void *key,
                          int (*cmp)(const void *, const void *))
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp((const char *)items + mid * size, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int by_character(const void *pa, const void *pb)
{
    const batch_word *a = pa, *b = pb;
    if (a->character != b->character)
        return a->character < b->character ? -1 : 1;
    uint64_t ka = word_key(a->word[0], a->word[1]), kb = word_key(b->word[0], b->word[1]);
    return ka < kb ? -1 : ka > kb;
}

/* List every word of the batch under each of its two characters, sorted
   by character: the batch's own candidates for a word (see
   collect_batch_fillers). */
static int index_batch_words(errata_learner *l)
{
    l->batch_words = malloc((2 * l->word_used + 1) * sizeof *l->batch_words);
    if (!l->batch_words)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < l->word_cap; i++) {
        uint64_t key = l->words[i].key;
        if (!key)
            continue;
        uint32_t a = (uint32_t)(key >> 32), b = (uint32_t)key;
        l->batch_words[n++] = (batch_word){a, {a, b}};
        if (b != a)
            l->batch_words[n++] = (batch_word){b, {a, b}};
    }
    l->batch_word_count = n;
    qsort(l->batch_words, n, sizeof *l->batch_words, by_character);
    return ERRATA_OK;
}

/* Add to pool the words of the batch that share a character with the
   form (either one, in either place: 细心/精心, 鼓励/激励) and that the
   batch itself has in one of w's ranking contexts.  Clean formal text
   often lacks the exact context; a swap tool leaves some of the
   original's occurrences alone. */
static void collect_batch_fillers(errata_learner *l, const word_stats *w, filler_pool *pool)
{
    const uint32_t form[2] = {(uint32_t)(w->key >> 32), (uint32_t)w->key};
    for (size_t k = 0; k < 2; k++) {
        batch_word probe = {form[k], {0, 0}};
        size_t lo = lower_bound(l->batch_words, l->batch_word_count, sizeof *l->batch_words,
                                &probe, by_character);
        for (size_t i = lo; i < l->batch_word_count && l->batch_words[i].character == form[k];
             i++) {
            const uint32_t *y = l->batch_words[i].word;
            if ((y[0] == form[0] && y[1] == form[1]) || !filler_word(l, y[0], y[1]))
                continue;
            for (size_t c = 0; c < pool->ranking_count; c++)
                if (filler_seen_in_batch(l, pool->ranking[c], y)) {
                    pool_add_filler(pool, y[0], y[1]);
                    break;
                }
        }
    }
}

/* Add to pool the words seen in clean text after the (up to two) symbols
   before ctx and before its next character. */
static void collect_fillers(errata_learner *l, const misfit_context *ctx, uint32_t a,
                            uint32_t b, filler_pool *pool)
{
    filler_search f = {l, ctx, {a, b}, 0, pool};
    uint32_t prefix[2];
    size_t n = 0;
    for (size_t k = 2 - ctx->left.n; k < 2; k++)
        prefix[n++] = ctx->left.sym[k];
    errata_cm_continuations(l->cm, prefix, n, visit_first, &f);
}

/* The trigram model's id of a two-symbol word. */
static uint32_t lm_word_of(const errata_learner *l, const uint32_t word[2])
{
    char buf[8];
    return errata_lm_word(l->engine->lm, buf, put_symbols(l->cm, word, 2, buf));
}

/* The synonymy (see synonymy.h) of each filler of pool with the word form,
   in pool->synonymy (0 without a trigram model; the index is made on the
   first call).  0 when done, ERRATA_ENOMEM. */
static int pool_synonymy(errata_learner *l, const uint32_t form[2], filler_pool *pool)
{
    pool->synonymy = calloc(pool->count + 1, sizeof *pool->synonymy);
    if (!pool->synonymy)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    if (!l->engine->lm)
        return ERRATA_OK;
    if (!l->synonymy && errata_synonymy_new(l->engine->lm, &l->synonymy))
        return ERRATA_ENOMEM;
    uint32_t x = lm_word_of(l, form);
    for (size_t i = 0; i < pool->count; i++) {
        pool->synonymy[i] = errata_synonymy_of(l->synonymy, x, lm_word_of(l, pool->items[i]));
        if (pool->synonymy[i] < 0)
            return ERRATA_ENOMEM;
    }
    return ERRATA_OK;
}

/* One candidate pair of a word: the contexts the same filler fills. */
typedef struct {
    uint32_t filler[2];
    uint64_t context_mask;
    size_t occurrences, places, contexts;
    double gain_sum;
    size_t lm_agree; /* contexts where the trigram model prefers the filler too */
    size_t survived; /* contexts where the batch holds the filler too */
    size_t copied;   /* of those, where a copy of the text holds it (see filler_seen_in_copy) */
    size_t contradicted; /* of those, where the text has copies and none holds it */
    size_t collocated; /* contexts of the filler's collocations (see collocation) */
    size_t confirmed; /* contexts with either (see LM_AGREE_FLOOR) */
    double expected; /* occurrences replaced, by the shares */
    double dominance; /* its expected replacements against the best rival's */
    double rival;     /* the best other rival's against its own */
    double synonymy;  /* of the filler with the word (see pool_synonymy) */
    size_t single_better; /* contexts where one of the word's characters alone
                             reads better (see single_character_pair) */
} candidate;

static char *symbols_text(const errata_cm *cm, const uint32_t *s, size_t n)
{
    char buf[32];
    size_t len = put_symbols(cm, s, n, buf);
    return errata_strndup(buf, len);
}

/* Whether the dictionaries already hold corrupted -> original.  A pair is
   not learnt either when they hold its reverse: they say that X is the
   original a swap turns into Y (深入 -> 深化), and where the batch has
   both in the same place, the models often prefer the damage (深化改革
   beside 深入开展); the two entries would undo each other. */
static int known_pair(const errata_engine *engine, const char *corrupted, const char *original)
{
    /* The engine's keys are sorted by text: a binary search finds the
       entries corrupted is the form of (a big user dictionary is not
       scanned for each candidate). */
    const errata_dictionary *d = &engine->dict;
    size_t lo = 0, hi = engine->key_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(errata_dict_string(d, engine->keys[mid].text), corrupted);
        if (c < 0) {
            lo = mid + 1;
        } else if (c > 0) {
            hi = mid;
        } else {
            const errata_key *k = &engine->keys[mid];
            for (uint32_t i = 0; i < k->entry_count; i++) {
                const errata_entry *e = &d->entries[engine->key_entries[k->first_entry + i]];
                if (strcmp(errata_dict_string(d, e->original), original) == 0)
                    return 1;
            }
            return 0;
        }
    }
    return 0;
}

/* Whether one of the documents where X stands in Y's places (those of
   mask) holds a form the dictionaries restore Y from, left where clean
   text has Y (see shows_undecided_damage): Y may be missing there because
   of that known damage, not because of X (进行 made 进展 leaves 进行's
   places to whatever fits them), while a known form of Y in other
   documents, or in a place of its own (消费 in 消费者), explains nothing
   here (生产 made 消费 by one spinner, 出产 by another).  A form of other
   than two characters is not looked for and counts as present. */
static int known_form_near(const errata_learner *l, const word_stats *w, uint64_t mask,
                           const uint32_t original[2])
{
    const original_form key = {word_key(original[0], original[1]), 0};
    for (size_t i = lower_bound(l->forms_by_original, l->original_form_count,
                                sizeof *l->forms_by_original, &key, by_original_key);
         i < l->original_form_count && l->forms_by_original[i].original == key.original; i++) {
        uint64_t form = l->forms_by_original[i].form;
        if (!form)
            return 1;
        for (size_t j = 0; j < w->doc_count; j++)
            if ((w->docs[j].context_mask & mask) &&
                doc_has_word(l, misplaced_form_key(form), w->docs[j].doc))
                return 1;
    }
    return 0;
}

/* The documents (and marked documents) among w's misfit documents that
   hold one of the contexts of mask, near-copies of one text counted once
   (marked when one of them is). */
static void count_docs(const word_stats *w, uint64_t mask, size_t *docs, size_t *marked)
{
    *docs = *marked = 0;
    for (size_t i = 0; i < w->doc_count; i++) {
        if (!(w->docs[i].context_mask & mask))
            continue;
        int first = 1, any_marked = w->docs[i].marked;
        for (size_t j = 0; j < w->doc_count && first; j++) {
            if (!(w->docs[j].context_mask & mask) || w->docs[j].source != w->docs[i].source)
                continue;
            first = j >= i;
            any_marked |= w->docs[j].marked;
        }
        if (first) {
            (*docs)++;
            *marked += any_marked;
        }
    }
}

/* Of w's misfit documents holding one of the contexts of mask, the share
   that hold the word original nowhere (each document counted, copies
   too): nowhere in their own text, for an original the repair wrote (社区
   发展 from a known 社区进展) shows the spinner's hand, not the writer's. */
static double absence(const errata_learner *l, const word_stats *w, uint64_t mask,
                      const uint32_t original[2])
{
    size_t absent = 0, docs = 0;
    uint64_t key = word_key(original[0], original[1]);
    for (size_t i = 0; i < w->doc_count; i++) {
        if (!(w->docs[i].context_mask & mask))
            continue;
        docs++;
        absent += !doc_has_word(l, key, w->docs[i].doc);
    }
    return docs ? (double)absent / (double)docs : 0;
}

/* How far the documents where X stands in Y's places and those holding Y
   split the batch (0..1): a spinner's documents beside untouched ones (食物
   49 times in five documents, 食品 41 times in others, never together)
   leave X's documents without Y while the batch as a whole need not hold
   X over-represented.  Only for a pair that shares a character, as the
   tables' near-synonyms mostly do: two ways of writing split documents too
   (三月上旬 in some reports, 三月一日 in others), and as the copies of a
   text all holding X do (see filler_in_copy).  Fully at
   SPLIT_FULL_DOCUMENTS on the smaller side. */
static double split_documents(const errata_learned_pair *p)
{
    if (p->original_absence < 1 || !p->shares_character || p->contradicted_contexts)
        return 0;
    size_t smaller = p->supported_documents < p->original_documents ? p->supported_documents
                                                                     : p->original_documents;
    return fmin(1, (double)smaller / SPLIT_FULL_DOCUMENTS);
}

/* Whether Y's absence may count for a pair general text does not use as
   near-synonyms (synonymy below ABSENT_MIN_SYNONYMY; a word that fills an
   absent word's places is not one: 改造 and 组织 in the places of 进行):
   where X took Y's places in many documents (see ABSENT_UNLIKE_DOCUMENTS),
   or where X's documents and Y's split the batch fully (see
   split_documents) and the batch holds X more often against Y than general
   text does.  A machine spinner's own forms are words general text uses
   otherwise or not at all (查抄 for 检查, 单元 for 单位, 工做 for 工作),
   while a word that merely stands where other documents have Y is no more
   frequent for that (人和 beside 人的 on the tuning batches: 0.4 times
   general text's ratio).  A form the clean text never holds that shares a
   character with Y is no word that merely fits Y's places (沉点 for
   重点). */
static int absence_counts(const errata_learned_pair *p, double split)
{
    if (p->clean_form_count == 0 && p->shares_character)
        return 1;
    return p->substitutability >= ABSENT_MIN_SYNONYMY ||
           p->supported_documents >= ABSENT_UNLIKE_DOCUMENTS || (split >= 1 && p->inflation > 1);
}

/* How far Y's absence stands in for its survival beside X (0..1): a swap
   tool that replaces every occurrence of Y leaves none in X's documents,
   and leaves X over-represented against Y in the batch (fully at
   ABSENT_FULL_INFLATION), or X's and Y's documents apart (see
   split_documents).  Only for a pair where it counts (see absence_counts),
   where no known form of Y stands in X's documents (see known_form_near),
   and in proportion to the share of X's occurrences that stand in Y's
   places (fully at ABSENT_FULL_SHARE: a legitimate word fills a few of
   them, the replacement many). */
static double absence_evidence(const errata_learned_pair *p, double scale)
{
    double split = split_documents(p);
    if (p->original_restored || !absence_counts(p, split))
        return 0;
    double over = split;
    if (p->inflation > 1)
        over = fmax(over, fmin(1, log10(p->inflation) / log10(ABSENT_FULL_INFLATION)));
    double share = fmin(1, (double)p->supported / (double)p->occurrences / ABSENT_FULL_SHARE);
    return p->original_absence * over * share * scale;
}

/* The confidence of a pair, from its evidence (each factor in 0..1):
   first whether the batch itself holds Y between the same neighbours in
   some of those contexts (a swap table replaces only part of the
   occurrences, while a word that is merely unusual there is used the same
   way throughout; where X's text has copies, one of them must hold Y at
   X's place), or, where it holds none, whether Y is absent from X's
   documents (see absence_evidence); then how many replacements the models
   expect, whether
   a second witness confirms the contexts (see LM_AGREE_FLOOR), how much X
   is over-represented against Y, and how Y compares with the best rival
   filler of X's contexts (see best_rival), and whether
   X and Y share a character (the near-synonyms of swap tables often do:
   状况/情况, 设备/设施, 依照/按照), what share of X's occurrences
   stand where Y belongs, and what share of Y's places X took;
   all that only as far as the documents show known swap damage.  A clean
   batch has none, so it yields nothing confident. */
static double pair_confidence(const errata_learned_pair *p, double absence_scale)
{
    /* A context where X's text has copies and none holds Y is no survival
       (see filler_in_copy). */
    size_t held = p->survived_contexts - p->contradicted_contexts;
    double survival = (double)held / (double)p->contexts;
    double survived = held >= MIN_SURVIVED ? fmin(1, 0.5 + survival) : held ? 0.3 : 0.1;
    survived = fmax(survived, absence_evidence(p, absence_scale));
    double support = 1 - exp(-p->expected / 3);
    double agree = LM_AGREE_FLOOR + (1 - LM_AGREE_FLOOR) * ((double)p->confirmed_contexts + 1) /
                                        ((double)p->contexts + 1);
    double inflated = p->inflation / (p->inflation + INFLATION_HALF);
    double damaged = p->supported_documents
                         ? (double)p->marked_documents / (double)p->supported_documents
                         : 0;
    double replaced = (double)p->supported / (double)(p->supported + p->original_occurrences);
    int copied = p->copied_contexts >= MIN_COPIED && 2 * p->copied_contexts >= p->contexts &&
                 4 * p->lm_agreeing >= 3 * p->contexts;
    int trusted_unlike = copied || (p->supported_documents >= UNLIKE_MIN_DOCUMENTS &&
                                    p->dominance >= UNLIKE_MIN_DOMINANCE &&
                                    p->rival < UNLIKE_MAX_RIVAL && replaced >= UNLIKE_MIN_REPLACED);
    double alike = p->shares_character || trusted_unlike ? 1 : UNLIKE_FACTOR;
    double share = (double)p->supported / (double)p->occurrences;
    double misfit_share = fmin(1, share / FULL_MISFIT_SHARE);
    double replaced_share = fmin(1, replaced / FULL_REPLACED_SHARE);
    return damaged * survived * support * agree * inflated * alike * misfit_share *
           replaced_share * sqrt(p->dominance);
}

/* Whether a context side makes a safe rule: clean text has the original
   next to it often and the form never. */
static int rule_side(const errata_cm *cm, side s, int left, const uint32_t form[2],
                     const uint32_t original[2])
{
    if (s.n != 2 || !is_char(s.sym[0]) || !is_char(s.sym[1]))
        return 0;
    uint32_t with_form[4], with_original[4];
    const uint32_t *first = left ? s.sym : form, *second = left ? form : s.sym;
    memcpy(with_form, first, 2 * sizeof *first);
    memcpy(with_form + 2, second, 2 * sizeof *second);
    memcpy(with_original, left ? s.sym : original, 2 * sizeof *first);
    memcpy(with_original + 2, left ? original : s.sym, 2 * sizeof *second);
    return errata_cm_count(cm, with_form, 4) == 0 &&
           errata_cm_count(cm, with_original, 4) >= RULE_MIN_COUNT;
}

/* Write ctx's restored neighbours (see restore_neighbour) as their
   originals into buf, a copy of ctx's snippet whose word, at form_at, now
   takes word_len bytes (the neighbours take six each way). */
static void restore_in_copy(const errata_learner *l, const misfit_context *ctx, char *buf,
                            size_t word_len)
{
    if (ctx->restored & RESTORED_LEFT)
        put_symbols(l->cm, ctx->left.sym, 2, buf + ctx->form_at - 6);
    if (ctx->restored & RESTORED_RIGHT)
        put_symbols(l->cm, ctx->right.sym, 2, buf + ctx->form_at + word_len);
}

/* Add item to the comma-separated list (unless it holds it already). */
static void append_item(char *list, size_t cap, size_t *len, size_t *n, const char *item)
{
    if (strstr(list, item))
        return;
    *len += (size_t)snprintf(list + *len, cap - *len, "%s%s", *n ? "," : "", item);
    (*n)++;
}

/* "A,B,C": the distinct sides (as text) of the contexts in mask that make
   safe rules. */
static char *rule_contexts(const errata_learner *l, const word_stats *w, uint64_t mask,
                           const uint32_t original[2], int left)
{
    const uint32_t form[2] = {(uint32_t)(w->key >> 32), (uint32_t)w->key};
    char list[2 * MAX_RULE_CONTEXTS * 8 + 1] = "";
    size_t len = 0, n = 0;
    for (size_t c = 0; c < w->context_count && n < MAX_RULE_CONTEXTS; c++) {
        const misfit_context *ctx = &w->contexts[c];
        side s = left ? ctx->left : ctx->right;
        if (!(mask & (1ull << c)) || !rule_side(l->cm, s, left, form, original))
            continue;
        char item[SIDE_TEXT_SIZE];
        item[put_symbols(l->cm, s.sym, 2, item)] = '\0';
        append_item(list, sizeof list, &len, &n, item);
        /* A restored neighbour is written in the text as its known form
           (食物 before 平安): fix reads the text as it is. */
        if (ctx->restored & (left ? RESTORED_LEFT : RESTORED_RIGHT)) {
            const char *snip = l->pool + ctx->snippet;
            memcpy(item, snip + (left ? ctx->form_at - 6 : ctx->form_at + 6), 6);
            item[6] = '\0';
            append_item(list, sizeof list, &len, &n, item);
        }
    }
    return errata_strndup(list, len);
}

static char *replaced_snippet(const errata_learner *l, const misfit_context *ctx,
                              const char *original)
{
    const char *snip = l->pool + ctx->snippet;
    size_t len = strlen(snip), olen = strlen(original);
    char *out = malloc(2 * len + olen + 2);
    if (!out)
        return NULL;
    memcpy(out, snip, len);
    out[len] = '>';
    memcpy(out + len + 1, snip, ctx->form_at);
    memcpy(out + len + 1 + ctx->form_at, original, olen);
    strcpy(out + len + 1 + ctx->form_at + olen, snip + ctx->form_at + WORD_BYTES);
    restore_in_copy(l, ctx, out + len + 1, olen);
    return out;
}

/* Whether a legitimate use of the form makes a safe keep rule: clean text
   has the form after its left side often, and the original there far less. */
static int keep_side(const errata_cm *cm, side s, const uint32_t form[2], const uint32_t original[2])
{
    uint32_t with_form[4] = {s.sym[0], s.sym[1], form[0], form[1]};
    uint32_t with_original[4] = {s.sym[0], s.sym[1], original[0], original[1]};
    uint64_t x = errata_cm_count(cm, with_form, 4), y = errata_cm_count(cm, with_original, 4);
    return x >= RULE_MIN_COUNT && y * KEEP_RATIO < x;
}

static int add_examples(errata_learner *l, const word_stats *w, const candidate *c,
                        errata_learned_pair *p)
{
    const uint32_t form[2] = {(uint32_t)(w->key >> 32), (uint32_t)w->key};
    for (size_t k = 0; k < w->context_count && p->fix_example_count < ERRATA_LEARN_MAX_EXAMPLES;
         k++)
        if ((c->context_mask & (1ull << k)) &&
            !(p->fix_examples[p->fix_example_count++] =
                  replaced_snippet(l, &w->contexts[k], p->original)))
            return errata_fail(ERRATA_ENOMEM, "out of memory");
    char list[MAX_KEEP_EXAMPLES * 8 + 1] = "";
    size_t len = 0;
    for (size_t k = 0; k < w->keep_count && p->keep_example_count < ERRATA_LEARN_MAX_EXAMPLES;
         k++) {
        if (!keep_side(l->cm, w->keep_left[k], form, c->filler))
            continue;
        const char *snippet = l->pool + w->keep_snippet[k];
        if (!(p->keep_examples[p->keep_example_count] = errata_strndup(snippet, strlen(snippet))))
            return errata_fail(ERRATA_ENOMEM, "out of memory");
        char item[SIDE_TEXT_SIZE];
        size_t item_len = put_symbols(l->cm, w->keep_left[k].sym, 2, item);
        item[item_len] = '\0';
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                p->keep_example_count ? "," : "", item);
        p->keep_example_count++;
    }
    p->keep_prev = errata_strndup(list, len);
    return p->keep_prev ? ERRATA_OK : errata_fail(ERRATA_ENOMEM, "out of memory");
}

/* How much more often X occurs than Y in the batch than in general text
   (the trigram model's word probabilities; for a form that is no word of
   the model, the clean text's counts of the two strings): a swap table
   turns Y into X, so X is over-represented and Y under-represented where
   it was applied.  1 without a model. */
static double inflation(const errata_engine *engine, const errata_learned_pair *p)
{
    if (!engine->lm)
        return 1;
    double batch = ((double)p->occurrences + 1) / ((double)p->original_occurrences + 1);
    uint32_t wx = errata_lm_word(engine->lm, p->corrupted, strlen(p->corrupted));
    uint32_t wy = errata_lm_word(engine->lm, p->original, strlen(p->original));
    if (wx == ERRATA_LM_NO_WORD || wy == ERRATA_LM_NO_WORD)
        return batch / (((double)p->clean_form_count + 1) / ((double)p->clean_original_count + 1));
    double general = errata_lm_prob(engine->lm, &wx, 1) - errata_lm_prob(engine->lm, &wy, 1);
    return batch / pow(10, general);
}

static int add_pair(errata_learner *l, const word_stats *w, const candidate *c,
                    const char *corrupted, const char *original)
{
    if (errata_grow((void **)&l->pairs, &l->pair_cap, l->pair_count + 1, sizeof *l->pairs))
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    errata_learned_pair *p = &l->pairs[l->pair_count++];
    memset(p, 0, sizeof *p);
    p->corrupted = errata_strndup(corrupted, strlen(corrupted));
    p->original = errata_strndup(original, strlen(original));
    p->occurrences = w->occurrences;
    p->documents = w->documents;
    p->supported = c->occurrences;
    p->places = c->places;
    p->contexts = c->contexts;
    p->lm_agreeing = c->lm_agree;
    p->survived_contexts = c->survived;
    p->copied_contexts = c->copied;
    p->contradicted_contexts = c->contradicted;
    p->confirmed_contexts = c->confirmed;
    p->expected = c->expected;
    p->dominance = c->dominance;
    p->rival = c->rival;
    p->substitutability = c->synonymy;
    p->mean_gain = c->gain_sum / (double)c->contexts;
    p->shares_character = shares_character(
        (const uint32_t[]){(uint32_t)(w->key >> 32), (uint32_t)w->key}, c->filler);
    count_docs(w, c->context_mask, &p->supported_documents, &p->marked_documents);
    const word_stats *y = find_word(l, word_key(c->filler[0], c->filler[1]));
    p->original_occurrences = y ? y->occurrences : 0;
    p->original_documents = y ? y->documents : 0;
    p->clean_form_count = errata_cm_count(l->cm, (const uint32_t[]){(uint32_t)(w->key >> 32),
                                                                     (uint32_t)w->key}, 2);
    p->clean_original_count = errata_cm_count(l->cm, c->filler, 2);
    p->fix_prev = rule_contexts(l, w, c->context_mask, c->filler, 1);
    p->fix_next = rule_contexts(l, w, c->context_mask, c->filler, 0);
    if (!p->corrupted || !p->original || !p->fix_prev || !p->fix_next)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    p->inflation = inflation(l->engine, p);
    p->original_restored = known_form_near(l, w, c->context_mask, c->filler);
    p->original_absence = absence(l, w, c->context_mask, c->filler);
    return add_examples(l, w, c, p); /* the confidence comes once all pairs are in (score_pairs) */
}

/* log10 probability of ctx's snippet with its word (WORD_BYTES) replaced
   by filler (one character or a word), by the trigram model (0 without
   one). */
static double snippet_score(const errata_learner *l, const misfit_context *ctx, const char *filler)
{
    if (!l->engine->lm)
        return 0;
    const char *snip = l->pool + ctx->snippet;
    size_t len = strlen(snip), filler_len = strlen(filler);
    char buf[128];
    if (len + 8 > sizeof buf)
        return 0;
    memcpy(buf, snip, ctx->form_at);
    memcpy(buf + ctx->form_at, filler, filler_len);
    memcpy(buf + ctx->form_at + filler_len, snip + ctx->form_at + WORD_BYTES,
           len - ctx->form_at - WORD_BYTES);
    restore_in_copy(l, ctx, buf, filler_len);
    return errata_lm_score(l->engine->lm, buf, len - WORD_BYTES + filler_len);
}

/* How much better (log10, both models) ctx reads with one of the word's
   characters alone in its place than with the word, the better of the two
   (see single_character_pair). */
static double single_character_gain(const errata_learner *l, const misfit_context *ctx,
                                    const uint32_t form[2], double form_cm, double form_lm)
{
    double best = -HUGE_VAL;
    for (size_t k = 0; k < 2; k++) {
        char text[8];
        text[put_symbols(l->cm, &form[k], 1, text)] = '\0';
        best = fmax(best, window_score(l, ctx->left, &form[k], 1, ctx->right) - form_cm +
                              snippet_score(l, ctx, text) - form_lm);
    }
    return best;
}

/* A window of the batch seen in the whole batch (source: ANY_SOURCE) or
   in the documents of one source. */
#define ANY_SOURCE UINT32_MAX

static int seen(const errata_learner *l, const uint32_t *s, uint32_t source)
{
    return source == ANY_SOURCE ? window_seen(l, s) : window_seen_in_source(l, s, source);
}

/* Whether filler stands in ctx in the batch (or in the documents of one
   source): with the character before and after it, and with the two
   before or the two after. */
static int filler_in_context(const errata_learner *l, const misfit_context *ctx,
                             const uint32_t *filler, uint32_t source)
{
    uint32_t middle[4] = {ctx->left.sym[1], filler[0], filler[1], ctx->right.sym[0]};
    uint32_t before[4] = {ctx->left.sym[0], ctx->left.sym[1], filler[0], filler[1]};
    uint32_t after[4] = {filler[0], filler[1], ctx->right.sym[0], ctx->right.sym[1]};
    return seen(l, middle, source) && ((ctx->left.n == 2 && seen(l, before, source)) ||
                                       (ctx->right.n == 2 && seen(l, after, source)));
}

/* Whether the batch itself holds filler in ctx, between the same
   neighbours (a swap tool leaves some occurrences of the original alone). */
static int filler_seen_in_batch(const errata_learner *l, const misfit_context *ctx,
                                const uint32_t *filler)
{
    return filler_in_context(l, ctx, filler, ANY_SOURCE);
}

/* Whether a document of the same text as one where w is a misfit in its
   context k holds filler there, between the same neighbours: 1 if one
   does, 0 if the text has copies in the batch and none does, -1 if it has
   none.  Two copies of one text that differ at one place, X in one and Y
   in the other, are the trace of a swap tool run over one of them; a
   writer who merely prefers X where others write Y leaves every copy of
   the text alike, and the Y the batch holds there comes from other
   texts. */
static int filler_in_copy(const errata_learner *l, const word_stats *w, size_t k,
                          const uint32_t *filler)
{
    int found = -1;
    for (size_t i = 0; i < w->doc_count; i++) {
        uint32_t source = w->docs[i].source;
        if (!(w->docs[i].context_mask & (1ull << k)) || l->source_sizes[source] < 2)
            continue;
        if (filler_in_context(l, &w->contexts[k], filler, source))
            return 1;
        found = 0;
    }
    return found;
}

/* One filler in one context: its gain over the form (log10, both models;
   -HUGE_VAL when it cannot stand there), whether the trigram model prefers
   it, and whether the batch has it there. */
typedef struct {
    double gain, prior;
    int lm_agrees, survived;
    int in_copy; /* see filler_in_copy; -1 where the batch does not hold it here */
} filler_score;

/* Whether clean text has y beside both sides of ctx: a swap table puts X
   in the collocations of Y (科学开展观, 平安消费), which formal text knows
   on both sides in at least one of X's places; a word that a writer merely
   chose where others use another (局长任组长 beside 校长任组长, 坚持把
   beside 始终把) sits in wording formal text has with neither.  The
   batch's own use can stand in for formal text (see batch_collocated). */
static int collocation(const errata_cm *cm, const misfit_context *ctx, const uint32_t *y)
{
    return count_left(cm, ctx->left, y[0], y[1]) && count_right(cm, y[0], y[1], ctx->right);
}

/* Score the fillers of the pool in one misfit context: each one that may
   fill it is scored by both models together (where only the batch has it
   there, the character model's part counts no lower than zero: clean
   formal text does not know every phrase of a work report), and gets its
   share of the probability shared by them and the form.  A filler that
   beats the form by MIN_GAIN counts for its pair here when it takes at
   least MIN_SHARE, or when the batch itself has it between the same
   neighbours; the pair's expected replacements add up the shares (a whole
   one where the batch has the filler).  Each pair also notes whether one of
   the form's characters alone reads better here (see
   single_character_pair). */
static int judge_context(const errata_learner *l, const word_stats *w, size_t k,
                         const filler_pool *pool, candidate *cands, filler_score *scores)
{
    const misfit_context *ctx = &w->contexts[k];
    uint32_t form[2] = {(uint32_t)(w->key >> 32), (uint32_t)w->key};
    char text[8];
    text[put_symbols(l->cm, form, 2, text)] = '\0';
    double form_lm = snippet_score(l, ctx, text);
    double form_cm = window_score(l, ctx->left, form, 2, ctx->right);
    double single_gain = single_character_gain(l, ctx, form, form_cm, form_lm);
    double total = 1; /* sum of 10^(score - form_score), the form included */
    for (size_t i = 0; i < pool->count; i++) {
        const uint32_t *y = pool->items[i];
        filler_score *sc = &scores[i];
        *sc = (filler_score){-HUGE_VAL, 0, 0, filler_seen_in_batch(l, ctx, y), -1};
        if (sc->survived)
            sc->in_copy = filler_in_copy(l, w, k, y);
        int fits = fits_context(l->cm, ctx, y);
        if (!fits && !sc->survived)
            continue;
        /* The trigram model only for fillers the character model prefers
           (or that the batch has here). */
        double cm_gain = window_score(l, ctx->left, y, 2, ctx->right) - form_cm;
        if (fits && cm_gain <= 0)
            continue;
        text[put_symbols(l->cm, y, 2, text)] = '\0';
        double lm_gain = snippet_score(l, ctx, text) - form_lm;
        sc->gain = (fits ? cm_gain : fmax(cm_gain, 0)) + lm_gain;
        sc->lm_agrees = lm_gain > 0;
        sc->prior = (shares_character(form, y) ? ALIKE_PRIOR : 0) +
                    SYNONYMY_PRIOR * pool->synonymy[i];
        total += pow(10, fmin(sc->gain + sc->prior, 30));
    }
    for (size_t i = 0; i < pool->count; i++) {
        const filler_score *sc = &scores[i];
        double share = pow(10, fmin(sc->gain + sc->prior, 30)) / total;
        if (sc->gain < MIN_GAIN || (!sc->survived && share < MIN_SHARE))
            continue;
        candidate *c = &cands[i];
        c->context_mask |= 1ull << k;
        c->occurrences += ctx->count;
        c->places += ctx->places;
        c->expected += (sc->survived ? 1 : share) * ctx->places;
        c->contexts++;
        c->gain_sum += sc->gain;
        c->lm_agree += sc->lm_agrees;
        c->survived += sc->survived;
        c->copied += sc->in_copy == 1;
        c->contradicted += sc->in_copy == 0;
        c->collocated += collocation(l->cm, ctx, pool->items[i]);
        c->confirmed += sc->lm_agrees || sc->survived;
        c->single_better += !sc->survived && single_gain > sc->gain + sc->prior;
    }
    return ERRATA_OK;
}

/* Which neighbours of the word shared_wording() compares. */
enum { WORDING_BEFORE = 1, WORDING_AFTER = 2, WORDING_AROUND = 3 };

/* Whether more than MAX_PHRASE_SHARE of the occurrences in the contexts of
   mask have the same character right before the word (sides holding
   WORDING_BEFORE) and the same right after it (WORDING_AFTER), a boundary
   counting as one. */
static int shared_wording(const word_stats *w, uint64_t mask, unsigned sides)
{
    uint32_t total = 0, most = 0;
    for (size_t k = 0; k < w->context_count; k++) {
        if (!(mask & (1ull << k)))
            continue;
        const misfit_context *c = &w->contexts[k];
        uint32_t same = 0;
        for (size_t j = 0; j < w->context_count; j++) {
            const misfit_context *d = &w->contexts[j];
            if ((mask & (1ull << j)) &&
                (!(sides & WORDING_BEFORE) || d->left.sym[1] == c->left.sym[1]) &&
                (!(sides & WORDING_AFTER) || d->right.sym[0] == c->right.sym[0]))
                same += d->count;
        }
        total += c->count;
        most = same > most ? same : most;
    }
    return most > MAX_PHRASE_SHARE * total;
}

/* Whether most of the occurrences in the contexts of mask have the same
   character right before the word and the same right after it: then they
   are one phrase, such as a heading run into the next line (法律责任 before
   第二十八条, 第三十六条 ...: 1,595 times in a big law batch), not the many
   places of Y that a swap tool turns into X.  A share, so that a big batch
   repeating one phrase many times is no stronger evidence. */
static int one_phrase(const word_stats *w, uint64_t mask)
{
    return shared_wording(w, mask, WORDING_AROUND);
}

/* Whether the batch itself stands in for clean text's collocation (see
   collocation): it holds the original between the same neighbours in
   MIN_SURVIVED_UNCOLLOCATED of the pair's contexts, and those are not one
   wording on either side (a writer's choice sits in one construction:
   局长任组长 and 副局长任副组长, 坚持把 everywhere; a swap table's
   places vary on both sides: 生疏 where the batch holds 认识 in ten
   contexts, which clean text lacks with either side of any); or copies of
   X's texts hold the original at X's place in MIN_COPIED of them. */
static int batch_collocated(const word_stats *w, const candidate *c)
{
    if (c->copied >= MIN_COPIED)
        return 1;
    return c->survived >= MIN_SURVIVED_UNCOLLOCATED &&
           !shared_wording(w, c->context_mask, WORDING_BEFORE) &&
           !shared_wording(w, c->context_mask, WORDING_AFTER);
}

/* Choose the contexts of w that rank its fillers: all of them, or its
   RANK_CONTEXTS most frequent ones (the first of equally frequent). */
static void choose_ranking_contexts(const word_stats *w, filler_pool *pool)
{
    pool->ranking_count = 0;
    for (size_t k = 0; k < w->context_count; k++) {
        const misfit_context *c = &w->contexts[k];
        size_t at = pool->ranking_count;
        while (at > 0 && pool->ranking[at - 1]->count < c->count)
            at--;
        if (at == RANK_CONTEXTS)
            continue;
        if (pool->ranking_count < RANK_CONTEXTS)
            pool->ranking_count++;
        memmove(pool->ranking + at + 1, pool->ranking + at,
                (pool->ranking_count - 1 - at) * sizeof *pool->ranking);
        pool->ranking[at] = c;
    }
}

/* The expected replacements of the best rival filler of a word: the best
   of those the batch itself holds in MIN_SURVIVED of the word's contexts
   (0 if none).  A filler only the models propose is often a generic word
   that fits the word's legitimate uses (以及 for 作业 in 起重吊装作业时,
   或者 for the 实行 of rules and regulations) and says nothing against
   the original its swapped places call for; and a pair with fewer such
   contexts gets little confidence anyway (see pair_confidence). */
static double best_rival(const candidate *cands, size_t count, size_t except)
{
    double best = 0;
    for (size_t i = 0; i < count; i++)
        if (i != except && cands[i].survived >= MIN_SURVIVED)
            best = fmax(best, cands[i].expected);
    return best;
}

/* Whether one of the word's characters alone reads better than the filler
   (its prior included, see judge_context) in most of the pair's contexts
   (never where the batch itself holds the filler between the neighbours):
   the word is then a single character a spinner wrote out as two (正在 for
   在: 存正在的, 旨正在), and a word of two characters that merely fits some
   of those places is no original (或者 for 正在 in 总投资正在一千万元以上). */
static int single_character_pair(const candidate *c)
{
    return 2 * c->single_better > c->contexts;
}

/* Whether a word is written with numerals only (九五, 二十): numbers are no
   swap table's words, and a batch holds other numbers in their places as a
   matter of course (一九五七年 beside 一九九七年). */
static int numeral_word(const errata_cm *cm, const uint32_t word[2])
{
    static const char numerals[] = "〇零一二三四五六七八九十百千万亿两";
    for (size_t k = 0; k < 2; k++) {
        char c[5];
        c[errata_utf8_encode(errata_cm_code_point(cm, word[k]), c)] = '\0';
        if (!strstr(numerals, c))
            return 0;
    }
    return 1;
}

/* Find the pairs of one word: the fillers of all its misfit contexts are
   tried in each, and each context counts for the one that fills it best. */
static int learn_word(errata_learner *l, const word_stats *w)
{
    uint32_t a = (uint32_t)(w->key >> 32), b = (uint32_t)w->key;
    filler_pool pool = {l->filler_table, l->filler_used, 0, 0, {NULL}, 0, NULL, NULL, 0, 0};
    choose_ranking_contexts(w, &pool);
    /* Fillers come from all the word's contexts, and the ranking contexts
       only rank them: the original is often a continuation clean text
       knows in a few of the contexts only (with 32 contexts of 仔细, none
       of its 16 most frequent led to 认真).  After a boundary almost any
       word can follow (and the search would visit every word that starts a
       run): the ranking contexts after one add their fillers only when the
       others give none. */
    for (size_t k = 0; k < w->context_count; k++)
        if (is_char(w->contexts[k].left.sym[1])) {
            pool.context = (uint32_t)k + 1;
            collect_fillers(l, &w->contexts[k], a, b, &pool);
        }
    for (size_t k = 0; k < pool.ranking_count && !pool.used_count; k++)
        if (!is_char(pool.ranking[k]->left.sym[1])) {
            pool.context = (uint32_t)k + 1;
            collect_fillers(l, pool.ranking[k], a, b, &pool);
        }
    pool.context = 0;
    collect_sharing_fillers(l, (const uint32_t[]){a, b}, &pool);
    collect_batch_fillers(l, w, &pool);
    pool_rank(l, w, &pool);
    candidate *cands = calloc(pool.count + 1, sizeof *cands);
    char *corrupted = symbols_text(l->cm, (const uint32_t[]){a, b}, 2);
    int rc = pool.failed || !cands || !corrupted ? errata_fail(ERRATA_ENOMEM, "out of memory")
                                                 : ERRATA_OK;
    filler_score *scores = malloc((pool.count + 1) * sizeof *scores);
    if (!scores && !rc)
        rc = errata_fail(ERRATA_ENOMEM, "out of memory");
    if (!rc)
        rc = pool_synonymy(l, (const uint32_t[]){a, b}, &pool);
    for (size_t k = 0; k < w->context_count && !rc; k++)
        rc = judge_context(l, w, k, &pool, cands, scores);
    free(scores);
    /* cands is NULL when its allocation failed */
    double expected_best = rc ? 0 : best_rival(cands, pool.count, pool.count);
    for (size_t i = 0; i < pool.count && !rc; i++) {
        candidate *c = &cands[i];
        if (c->places < l->opts.min_count || c->contexts < MIN_CONTEXTS ||
            !(c->collocated || batch_collocated(w, c)) || one_phrase(w, c->context_mask) ||
            single_character_pair(c) ||
            numeral_word(l->cm, pool.items[i]))
            continue;
        c->dominance = c->expected / fmax(c->expected, expected_best);
        c->rival = best_rival(cands, pool.count, i) / fmax(c->expected, 1e-9);
        c->filler[0] = pool.items[i][0];
        c->filler[1] = pool.items[i][1];
        c->synonymy = pool.synonymy[i];
        char *original = symbols_text(l->cm, pool.items[i], 2);
        if (!original)
            rc = errata_fail(ERRATA_ENOMEM, "out of memory");
        else if (!known_pair(l->engine, corrupted, original) &&
                 !known_pair(l->engine, original, corrupted))
            rc = add_pair(l, w, c, corrupted, original);
        free(original);
    }
    free(cands);
    free(pool.items);
    free(pool.synonymy);
    free(corrupted);
    return rc;
}

/* Whether one of the documents where w is a misfit shows known damage (a
   pair gets no confidence otherwise). */
static int any_marked(const word_stats *w)
{
    for (size_t i = 0; i < w->doc_count; i++)
        if (w->docs[i].marked)
            return 1;
    return 0;
}

static int by_original(const void *pa, const void *pb)
{
    const errata_learned_pair *const *a = pa, *const *b = pb;
    return strcmp((*a)->original, (*b)->original);
}

/* Give every pair its confidence (pair_confidence), once all are in: Y's
   absence is the trace of the word that took its places, so where several
   words stand in an absent Y's places, each gets the absence evidence in
   proportion to its places against the one with most (a word that merely
   fits a few of them, 改造 beside the 建立 that replaced 建设, gets
   little). */
static int score_pairs(errata_learner *l)
{
    errata_learned_pair **by = malloc((l->pair_count + 1) * sizeof *by);
    if (!by)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->pair_count; i++)
        by[i] = &l->pairs[i];
    qsort(by, l->pair_count, sizeof *by, by_original);
    for (size_t from = 0, to; from < l->pair_count; from = to) {
        size_t most = 0;
        for (to = from; to < l->pair_count && strcmp(by[to]->original, by[from]->original) == 0; to++)
            most = by[to]->supported > most ? by[to]->supported : most;
        for (size_t i = from; i < to; i++)
            by[i]->confidence = pair_confidence(by[i], (double)by[i]->supported / (double)most);
    }
    free(by);
    return ERRATA_OK;
}

static int by_confidence(const void *pa, const void *pb)
{
    const errata_learned_pair *a = pa, *b = pb;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence ? -1 : 1;
    if (a->supported != b->supported)
        return a->supported > b->supported ? -1 : 1;
    int c = strcmp(a->corrupted, b->corrupted);
    return c ? c : strcmp(a->original, b->original);
}

static int by_words(const void *pa, const void *pb)
{
    const errata_learned_pair *a = pa, *b = pb;
    int c = strcmp(a->corrupted, b->corrupted);
    return c ? c : strcmp(a->original, b->original);
}

/* Of a pair and its reverse (X->Y and Y->X), the better supported stays,
   the first by words on a tie (pairs sorted by words, each reverse found
   by a binary search). */
static void drop_reversed(errata_learner *l)
{
    if (!l->pair_count)
        return;
    qsort(l->pairs, l->pair_count, sizeof *l->pairs, by_words);
    for (size_t i = 0; i < l->pair_count; i++) {
        errata_learned_pair *p = &l->pairs[i];
        errata_learned_pair reverse = {.corrupted = p->original, .original = p->corrupted};
        errata_learned_pair *q = bsearch(&reverse, l->pairs, l->pair_count, sizeof *l->pairs,
                                         by_words);
        if (q && (p->supported < q->supported || (p->supported == q->supported && q < p)))
            p->confidence = -1;
    }
}

/* Whether p's original is itself the form of a more confident pair
   (进展 -> 开展 beside 开展 -> 发展): such a pair is left out, its two words more
   likely two damaged forms of the same word (two copies of a text, each
   damaged in its own way) than one the original of the other.  Pairs
   sorted by words (see drop_reversed). */
static int chained_pair(const errata_learner *l, const errata_learned_pair *p)
{
    errata_learned_pair first = {.corrupted = p->original, .original = ""};
    size_t lo = lower_bound(l->pairs, l->pair_count, sizeof *l->pairs, &first, by_words);
    for (size_t j = lo; j < l->pair_count && strcmp(l->pairs[j].corrupted, p->original) == 0; j++)
        if (l->pairs[j].confidence > p->confidence)
            return 1;
    return 0;
}

/* The two symbols of a two-character word. */
static void word_symbols(const errata_cm *cm, const char *word, uint32_t out[2])
{
    size_t len = strlen(word), pos = 0;
    out[0] = errata_cm_symbol(cm, errata_utf8_next_fast(word, len, &pos));
    out[1] = pos < len ? errata_cm_symbol(cm, errata_utf8_next_fast(word, len, &pos))
                       : ERRATA_CM_BOUNDARY;
}

/* The character every misfit context of w has right after the word
   (after: 1) or right before it (after: 0), or ERRATA_CM_BOUNDARY if they
   differ. */
static uint32_t common_neighbour(const word_stats *w, int after)
{
    uint32_t found = ERRATA_CM_BOUNDARY;
    for (size_t k = 0; k < w->context_count; k++) {
        uint32_t c = after ? w->contexts[k].right.sym[0] : w->contexts[k].left.sym[1];
        if (!is_char(c) || (k && c != found))
            return ERRATA_CM_BOUNDARY;
        found = c;
    }
    return found;
}

/* Whether the more confident pair that p's change makes, seen one
   character over, exists: X and Y differ in one character, every misfit
   place of X has the same neighbour on that side, and the word made of the
   changed character and that neighbour is itself learnt as a pair making
   the same change (行状 -> 行情 where every 行状 is in 执行状况 or
   运行状况, beside 状况 -> 情况).  Such a pair is a window straddling
   the other pair's form and repairs nothing the other does not.  Pairs
   sorted by words. */
static int shifted_pair(const errata_learner *l, const errata_learned_pair *p)
{
    uint32_t x[2], y[2];
    word_symbols(l->cm, p->corrupted, x);
    word_symbols(l->cm, p->original, y);
    int changed = x[0] == y[0] && x[1] != y[1] ? 1 : x[1] == y[1] && x[0] != y[0] ? 0 : -1;
    const word_stats *w = changed < 0 ? NULL : find_word(l, word_key(x[0], x[1]));
    uint32_t n = w ? common_neighbour(w, changed) : ERRATA_CM_BOUNDARY;
    if (n == ERRATA_CM_BOUNDARY)
        return 0;
    uint32_t form[2] = {changed ? x[1] : n, changed ? n : x[0]};
    uint32_t original[2] = {changed ? y[1] : n, changed ? n : y[0]};
    char form_text[8], original_text[8];
    form_text[put_symbols(l->cm, form, 2, form_text)] = '\0';
    original_text[put_symbols(l->cm, original, 2, original_text)] = '\0';
    errata_learned_pair key = {.corrupted = form_text, .original = original_text};
    const errata_learned_pair *q =
        bsearch(&key, l->pairs, l->pair_count, sizeof *l->pairs, by_words);
    return q && q->confidence > p->confidence;
}

/* Leave out the pairs still in that drops() finds, all of them judged
   before any is left out. */
static int drop_where(errata_learner *l,
                      int (*drops)(const errata_learner *, const errata_learned_pair *))
{
    unsigned char *dropped = calloc(l->pair_count + 1, 1);
    if (!dropped)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->pair_count; i++)
        dropped[i] = l->pairs[i].confidence >= 0 && drops(l, &l->pairs[i]);
    for (size_t i = 0; i < l->pair_count; i++)
        if (dropped[i])
            l->pairs[i].confidence = -1;
    free(dropped);
    return ERRATA_OK;
}

/* Keep the pairs that pass the options, best first. */
static void select_pairs(errata_learner *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->pair_count; i++) {
        errata_learned_pair *p = &l->pairs[i];
        if (p->confidence >= 0 && p->confidence >= l->opts.min_confidence &&
            p->supported_documents >= l->opts.min_docs)
            l->pairs[kept++] = *p;
        else
            free_pair(p);
    }
    l->pair_count = kept;
    if (kept)
        qsort(l->pairs, l->pair_count, sizeof *l->pairs, by_confidence);
}

/* Whether no pair of w can reach the options' confidence: a pair's
   confidence is at most the share of its form's occurrences that are
   misfits, over FULL_MISFIT_SHARE (see pair_confidence).  In a big batch
   most words are such, and they need not be judged. */
static int below_threshold(const errata_learner *l, const word_stats *w)
{
    return (double)w->misfits < l->opts.min_confidence * FULL_MISFIT_SHARE * w->occurrences;
}

/* Drop what a call of errata_learner_finish() that failed left: it may be
   called again (when memory is freed), and starts afresh. */
static void discard_finishing(errata_learner *l)
{
    free(l->batch_words);
    l->batch_words = NULL;
    for (size_t i = 0; i < l->pair_count; i++)
        free_pair(&l->pairs[i]);
    l->pair_count = 0;
}

int errata_learner_finish(errata_learner *l)
{
    if (!l)
        return errata_fail(ERRATA_EINVAL, "errata_learner_finish: NULL argument");
    if (l->finished)
        return ERRATA_OK;
    if (l->incomplete)
        return incomplete_batch("errata_learner_finish");
    discard_finishing(l);
    if (index_batch_words(l))
        return ERRATA_ENOMEM;
    for (size_t i = 0; i < l->word_cap; i++) {
        const word_stats *w = &l->words[i];
        if (!w->key || w->misfits < l->opts.min_count || w->doc_count < l->opts.min_docs ||
            w->context_count < MIN_CONTEXTS ||
            numeral_word(l->cm, (const uint32_t[]){(uint32_t)(w->key >> 32), (uint32_t)w->key}) ||
            (l->opts.min_confidence > 0 && (!any_marked(w) || below_threshold(l, w))))
            continue;
        int rc = learn_word(l, w);
        if (rc)
            return rc;
    }
    if (score_pairs(l))
        return ERRATA_ENOMEM;
    drop_reversed(l);
    if (drop_where(l, chained_pair) || drop_where(l, shifted_pair))
        return ERRATA_ENOMEM;
    select_pairs(l);
    l->finished = 1;
    return ERRATA_OK;
}

/* No pairs until finishing succeeded: one that failed leaves them unscored. */
size_t errata_learner_pair_count(const errata_learner *l)
{
    return l && l->finished ? l->pair_count : 0;
}

const errata_learned_pair *errata_learner_pair(const errata_learner *l, size_t index)
{
    return index < errata_learner_pair_count(l) ? &l->pairs[index] : NULL;
}

size_t errata_learner_document_count(const errata_learner *l) { return l ? l->doc_count : 0; }
