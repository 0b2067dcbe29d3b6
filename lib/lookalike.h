/* The OCR look-alike pass: characters that a scanner and an OCR engine
   misread as a similar-looking one (末位 read as 未位), repaired where the
   language model strongly prefers the look-alike.  The candidate pairs come
   from dictionaries/lookalike.tsv (format: dictionaries/LOOKALIKE.md). */
#ifndef ERRATA_LOOKALIKE_H
#define ERRATA_LOOKALIKE_H

#include "internal.h"
#include "cm.h"
#include "lm.h"

typedef struct errata_lookalike_table errata_lookalike_table;

/* Parse a table (header "errata-lookalike 1") from data[0..len); the table
   keeps no pointer into data.  A malformed line fails with ERRATA_EFORMAT. */
int errata_lookalike_table_parse(errata_lookalike_table **out, const char *data, size_t len);

/* The table linked into the library (dictionaries/lookalike.tsv). */
int errata_lookalike_table_embedded(errata_lookalike_table **out);

void errata_lookalike_table_free(errata_lookalike_table *table);

/* The embedded table, parsed the first time a text needs it (most texts are
   not OCR output, and parsing it costs more than the rest of loading an
   engine).  Thread-safe: engines shared between threads hold one. */
typedef struct errata_lookalike_source errata_lookalike_source;
int errata_lookalike_source_new(errata_lookalike_source **out);
void errata_lookalike_source_free(errata_lookalike_source *source);
int errata_lookalike_source_table(errata_lookalike_source *source,
                                  const errata_lookalike_table **out);

/* Number of (seen, original) pairs in the table. */
size_t errata_lookalike_table_count(const errata_lookalike_table *table);

/* How much more likely (log10) the model must find the text with a
   look-alike replaced before the replacement is proposed, and before it is
   applied by default; chosen by sweeping them over the OCR output of
   corpus/ocr-tuning/ and the clean text of corpus/clean/ and corpus/docs/
   (the highest recall with at most 1 false applied edit per 100,000
   characters of modern clean text).  corpus/ocr-tuning/ is therefore tuning
   data (observed pairs come from corpus/ocr-train/ only); `make eval`
   reports it beside corpus/heldout/ocr/, which nothing was tuned on.  A pair of lower
   similarity needs up to ERRATA_LOOKALIKE_DISSIMILARITY_MARGIN more, a pair
   seen misread in OCR output ERRATA_LOOKALIKE_OBSERVED_BONUS plus
   ERRATA_LOOKALIKE_DOCUMENT_RELIEF less (the pass runs only on documents
   that look like OCR output, errata_ocr_shows_ocr()). */
#define ERRATA_LOOKALIKE_PROPOSE_MARGIN 4.0
#define ERRATA_LOOKALIKE_APPLY_MARGIN 5.0
#define ERRATA_LOOKALIKE_DISSIMILARITY_MARGIN 4.0
#define ERRATA_LOOKALIKE_OBSERVED_BONUS 1.0
#define ERRATA_LOOKALIKE_DOCUMENT_RELIEF 3.0

/* With the character model of formal text (cm.h), a change's gain also
   counts this share of how much better that model finds the context window
   with it, less how much more frequent the new character is there anyway
   (as the judge of swaps does); and an edit is applied from a higher margin.
   Chosen on corpus/ocr-tuning/ and the clean text of corpus/clean/,
   corpus/docs/ and corpus/ocr-tuning/clean/ with the pass run on all of
   it: weights 0.25/0.5/1.0 at the old apply margin raised the false applied
   edits on clean text from 3.2 to 4.0/4.9/7.7 per 100,000 Han characters
   for no gain at moderate degradation; 0.25 with an apply margin of 5.5
   gives 2.7 per 100,000, the same moderate figure and two fewer errors at
   heavy degradation (0.5 with 6.0: 2.0 per 100,000, one more moderate
   error). */
#define ERRATA_LOOKALIKE_CHAR_MODEL_WEIGHT 0.25
#define ERRATA_LOOKALIKE_CHAR_MODEL_APPLY_MARGIN 5.5

/* Only characters the model segments as words of their own are judged, and
   of those only the ones that are, or are followed by, a word less likely
   than this (log10) in its trigram context. */
#define ERRATA_LOOKALIKE_SUSPECT_LOG10 (-3.0)

/* Judge every Han character of text[0..len) (valid UTF-8) that the table
   lists, alone and together with a look-alike one or two characters further
   on, and add an edit (kind ERRATA_KIND_LOOKALIKE, rule
   "lookalike/<old>><new>") for each replacement the model prefers by the
   margin.  Does nothing when the rule "lookalike" is disabled in opts.  For
   text that looks like OCR output (errata_ocr_shows_ocr()): errata_check()
   calls it only for such text. */
int errata_lookalike_check(const errata_lookalike_table *t, const errata_lm *lm,
                           const errata_cm *cm, const char *text, size_t len,
                           const errata_check_options *opts, errata_edit_list *list);

#endif
