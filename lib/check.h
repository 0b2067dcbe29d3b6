/* Candidates between matching (check.c) and judging (judge.c). */
#ifndef ERRATA_CHECK_H
#define ERRATA_CHECK_H

#include "engine.h"

/* Ordered weakest to strongest: the strongest verdict of a key's entries wins. */
typedef enum {
    ERRATA_VERDICT_KEEP = 0,    /* a keep rule matched: never change */
    ERRATA_VERDICT_CONTEXTUAL,  /* decide from the document and the model */
    ERRATA_VERDICT_GUARDED,     /* boundary-guarded entry, no guard matched */
    ERRATA_VERDICT_UNAMBIGUOUS, /* the corrupted form is almost never legitimate */
    ERRATA_VERDICT_FIX_RULE     /* a fix rule matched */
} errata_verdict;

#define ERRATA_MAX_ALTERNATIVES 4

/* A huge document has millions of candidates, all held until they are
   judged: entries are counted in 32 bits (a dictionary of 2^32 entries would
   not fit in memory) and the small fields in bytes, 48 bytes a candidate. */
typedef struct {
    size_t start, end;      /* bytes of the corrupted form */
    const char *rule_context;
    uint32_t entry;         /* the deciding entry (KEEP: the first vetoed one) */
    uint32_t alternatives[ERRATA_MAX_ALTERNATIVES]; /* contextual entries */
    unsigned char verdict;  /* an errata_verdict */
    unsigned char alternative_count;
} errata_candidate;

/* A Han character next to an occurrence of an entry's original: before it
   (side 0) or after it (side 1). */
typedef struct {
    size_t entry;
    uint32_t side, neighbour;
} errata_original_context;

typedef struct {
    errata_candidate *items;
    size_t count, cap;
} errata_candidate_list;

/* What the whole document says about the dictionary's pairs: gathered
   over all of it before any candidate is judged. */
typedef struct {
    size_t markers;            /* certain swap candidates */
    size_t family_a, family_b; /* of which from family A / B */
    unsigned *confirmed;       /* per entry: occurrences repaired with certainty */
    unsigned *legitimate;      /* per entry: occurrences a keep rule protects */
    unsigned *originals_seen;  /* per entry: occurrences of its original in the text */
    unsigned *forms_seen;      /* per entry: occurrences of its corrupted form */
    errata_original_context *original_contexts; /* sorted by entry, side, neighbour;
                                                   each once */
    size_t original_context_count;
    uint64_t *context_keys; /* the contexts seen so far, a hash set (0: a free slot) */
    size_t context_slots, context_keys_used;
} errata_doc_evidence;

/* Note that the entry's original occurs next to the Han character
   neighbour, before it (side 0) or after it (side 1), however often. */
int errata_evidence_add_context(errata_doc_evidence *ev, size_t entry, uint32_t side,
                                uint32_t neighbour);

/* The contexts noted, each once and sorted, into ev->original_contexts. */
int errata_evidence_finish_contexts(errata_doc_evidence *ev);

/* Count the candidates' verdicts into ev (confirmed, legitimate, markers). */
void errata_evidence_add_candidates(const errata_engine *engine, errata_doc_evidence *ev,
                                    const errata_candidate_list *cands);

/* The engine a scratch was made for. */
const errata_engine *errata_scratch_engine(const errata_scratch *scratch);

/* Judging one document's candidates, window by window, with the evidence of
   the whole document (ev, complete and left in place until
   errata_judge_free); scratch (NULL: none) holds the model's caches across
   texts, else the judge keeps its own for a text of len bytes. */
typedef struct errata_judge errata_judge;
int errata_judge_new(const errata_engine *engine, errata_scratch *scratch, size_t len,
                     const errata_check_options *opts, const errata_doc_evidence *ev,
                     errata_judge **out);
void errata_judge_free(errata_judge *judge);

/* Decide the candidates of one window (a stretch of text that no match,
   cluster or context window crosses, see check.c) and add the resulting
   edits. */
int errata_judge_candidates(errata_judge *judge, const char *text, size_t len,
                            const errata_candidate_list *cands, errata_edit_list *edits);

/* errata_check_scratch(), matching and judging the words in windows of
   about window_bytes bytes (SIZE_MAX: the whole text at once); any window
   size gives the same result.  For the tests. */
int errata_check_windowed(const errata_engine *engine, errata_scratch *scratch, const char *text,
                          size_t len, const errata_check_options *opts, size_t window_bytes,
                          errata_result **out);

#endif
