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
    unsigned *originals_seen; /* per entry: occurrences of its original in the text */
    unsigned *forms_seen;     /* per entry: occurrences of its corrupted form */
    errata_original_context *original_contexts; /* sorted by entry, side, neighbour */
    size_t original_context_count;
} errata_candidate_list;

/* The engine a scratch was made for. */
const errata_engine *errata_scratch_engine(const errata_scratch *scratch);

/* Decide every candidate and add the resulting edits; scratch (NULL: none)
   holds the model's caches across texts. */
int errata_judge_candidates(const errata_engine *engine, errata_scratch *scratch, const char *text,
                            size_t len, const errata_check_options *opts,
                            const errata_candidate_list *candidates, errata_edit_list *edits);

#endif
