/* The character n-gram model learnt from clean formal Chinese (format:
   scripts/build-charmodel.py and dictionaries/CHARMODEL.md).  It holds the
   counts of every character n-gram up to ERRATA_CM_ORDER seen at least twice
   in the training text, each run of Han characters framed by a boundary
   symbol, and scores text with Witten-Bell interpolation over those counts.
   A loaded model is immutable: any number of threads may use one at once. */
#ifndef ERRATA_CM_H
#define ERRATA_CM_H

#include <stddef.h>
#include <stdint.h>

typedef struct errata_cm errata_cm;

#define ERRATA_CM_ORDER 4
/* The symbol that stands for any run of non-Han code points (and for the
   start and end of the text), and the one for a Han character the model
   never saw. */
#define ERRATA_CM_BOUNDARY 0u
#define ERRATA_CM_UNKNOWN 1u

/* Use the model image data[0..size), which must stay valid and unchanged
   until errata_cm_free().  The header, the section bounds and the indexes
   are checked; a malformed image fails with ERRATA_EFORMAT. */
int errata_cm_open_memory(errata_cm **out, const void *data, size_t size);

/* The same, with the tables that opening a model derives from it read in
   place from an image that errata_cm_tables_image made of this model
   (8-byte aligned, left in place until errata_cm_free()) instead of being
   made, and the indexes it checked not checked again.  ERRATA_EFORMAT
   naming tables_name and what is wrong when the tables image is truncated,
   corrupted or made of another model. */
int errata_cm_open_memory_with_tables(errata_cm **out, const void *data, size_t size,
                                      const void *tables, size_t tables_size,
                                      const char *tables_name);

/* The tables of an open model as an image (*out: malloc'd, *out_len bytes)
   for errata_cm_open_memory_with_tables. */
int errata_cm_tables_image(const errata_cm *cm, unsigned char **out, size_t *out_len);

/* Map the model file at path read-only (ERRATA_EIO if it cannot be opened
   or mapped, ERRATA_EFORMAT if it is malformed). */
int errata_cm_open_file(errata_cm **out, const char *path);

void errata_cm_free(errata_cm *cm);

/* The symbol of code point cp: ERRATA_CM_BOUNDARY for a non-Han one,
   ERRATA_CM_UNKNOWN for a Han character outside the vocabulary. */
uint32_t errata_cm_symbol(const errata_cm *cm, uint32_t cp);

/* The code point of a vocabulary symbol (0 for the boundary and unknown). */
uint32_t errata_cm_code_point(const errata_cm *cm, uint32_t symbol);

/* How often the symbols s[0..n) occur in a row in the training text
   (1 <= n <= ERRATA_CM_ORDER); 0 when fewer than twice for n >= 2, or when
   one of them is ERRATA_CM_UNKNOWN.  Counts above 2047 are approximate
   (within 0.3%). */
uint64_t errata_cm_count(const errata_cm *cm, const uint32_t *s, size_t n);

/* How often the UTF-8 text occurs (each non-Han run one boundary symbol);
   0 when it is longer than ERRATA_CM_ORDER symbols. */
uint64_t errata_cm_count_text(const errata_cm *cm, const char *text, size_t len);

/* The n-grams that extend prefix[0..n) by one symbol (n < ERRATA_CM_ORDER):
   calls visit(symbol, count, ctx) for each, in symbol order, and returns
   how many there are (visit may be NULL to count them only).  Of a
   corrupted model, those up to where the symbols stop rising. */
size_t errata_cm_continuations(const errata_cm *cm, const uint32_t *prefix, size_t n,
                               void (*visit)(uint32_t symbol, uint64_t count, void *ctx),
                               void *ctx);

/* log10 probability of the UTF-8 text as a sequence of symbols, each
   predicted from up to ERRATA_CM_ORDER - 1 symbols before it (the history
   starts afresh after a boundary).  A text that starts or ends with a
   non-Han code point has the boundary predicted at that end too. */
double errata_cm_score(const errata_cm *cm, const char *text, size_t len);

/* A memo of the symbols scored (each with the history it was predicted
   from), of the scoring states after a few symbols and of short whole texts
   scored, kept by a caller that scores many similar texts (the windows of a
   document, their words) in one thread; sized for about that many symbols
   (256 to 65536, 32 bytes each).  Scores through it are exactly those
   without it.  NULL when out of memory. */
typedef struct errata_cm_memo errata_cm_memo;
errata_cm_memo *errata_cm_memo_new(size_t lookups);
void errata_cm_memo_free(errata_cm_memo *memo);

/* The part of errata_cm_score(text) that can depend on text[from..to):
   the log10 probabilities of the symbols from the one at byte from (whose
   history is read before it) up to the ERRATA_CM_ORDER - 1 symbols from
   byte to on.  Two texts that differ only in [from, to) and agree on the
   bytes around compare by it as by their whole scores.  from and to must
   lie on code point boundaries; memo (made for this model) may be NULL. */
double errata_cm_score_range(const errata_cm *cm, errata_cm_memo *memo, const char *text,
                             size_t len, size_t from, size_t to);

#endif
