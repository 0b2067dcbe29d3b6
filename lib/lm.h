/* The word trigram language model (format: scripts/build-lm.py and
   dictionaries/MODEL.md).  A loaded model is immutable: any number of threads
   may use one at the same time. */
#ifndef ERRATA_LM_H
#define ERRATA_LM_H

#include <stddef.h>
#include <stdint.h>

typedef struct errata_lm errata_lm;

/* What errata_lm_word() returns for a string outside the vocabulary. */
#define ERRATA_LM_NO_WORD UINT32_MAX

/* Longest run of Han characters scored as one piece, in code points.  A
   longer run is scored as consecutive pieces of this length whose scores
   add up (the word history starts afresh in each piece). */
#define ERRATA_LM_WINDOW_CHARS 64

/* Use the model image data[0..size), which must stay valid and unchanged
   until errata_lm_free().  Only the header and the section bounds are
   checked; a malformed image fails with ERRATA_EFORMAT. */
int errata_lm_open_memory(errata_lm **out, const void *data, size_t size);

/* Map the model file at path read-only (ERRATA_EIO if it cannot be opened
   or mapped, ERRATA_EFORMAT if it is malformed). */
int errata_lm_open_file(errata_lm **out, const char *path);

void errata_lm_free(errata_lm *lm);

/* Number of words in the vocabulary, <unk> included. */
size_t errata_lm_word_count(const errata_lm *lm);

/* The id of the word text[0..len), or ERRATA_LM_NO_WORD. */
uint32_t errata_lm_word(const errata_lm *lm, const char *text, size_t len);

/* The id of <unk>, which stands for every character outside the vocabulary. */
uint32_t errata_lm_unknown(const errata_lm *lm);

/* log10 P(words[n-1] | words[n-3], words[n-2]) with ARPA backoff; only the
   last three ids count, fewer than three mean a shorter history.  n >= 1. */
double errata_lm_prob(const errata_lm *lm, const uint32_t *words, size_t n);

/* Call visit(w, log10 P(w | v), ctx) for each word w that has a bigram
   after v in the model, in increasing order of w (nothing for an id
   outside the vocabulary). */
typedef void (*errata_lm_visit)(uint32_t w, double log_prob, void *ctx);
void errata_lm_successors(const errata_lm *lm, uint32_t v, errata_lm_visit visit, void *ctx);

/* log10 probability of the best segmentation of the UTF-8 text into
   vocabulary words (trigram Viterbi keeping up to 4 histories per word,
   which matched an unbounded search on every corpus window measured: see
   dictionaries/MODEL.md).  Each Han character outside the vocabulary is one
   <unk> word.  Every run of other code points (digits, Latin, punctuation,
   spaces, invalid bytes) is a boundary: it scores nothing, and the history
   starts afresh after it.  Allocates nothing. */
double errata_lm_score(const errata_lm *lm, const char *text, size_t len);

/* errata_lm_score(), also giving the segmentation: the byte offset where
   each token ends (a word, an <unk> character, or a run of non-Han code
   points), in order, the last one len.  Writes at most max_tokens offsets
   into ends and sets *token_count to the number of tokens (which may be
   larger than max_tokens). */
double errata_lm_segment(const errata_lm *lm, const char *text, size_t len, size_t *ends,
                         size_t max_tokens, size_t *token_count);

/* A memo of vocabulary and bigram lookups for one model, kept by a caller
   that scores many similar texts (the windows of a document) in one
   thread. */
typedef struct errata_lm_memo errata_lm_memo;

/* A memo sized for about that many lookups (256 to 16384 of each kind);
   NULL when out of memory. */
errata_lm_memo *errata_lm_memo_new(const errata_lm *lm, size_t lookups);
void errata_lm_memo_free(errata_lm_memo *memo);

/* errata_lm_score() (the same value), looking words and bigrams up in memo
   first; memo must have been made for lm. */
double errata_lm_score_memo(const errata_lm *lm, errata_lm_memo *memo, const char *text,
                            size_t len);

#endif
