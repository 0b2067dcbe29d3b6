/* OCR punctuation: marks and symbols that an OCR engine read in the wrong
   form (full-width ；：（） read as ASCII, % read as 96 or 9, 〇 read as O),
   repaired only in a document that shows it is OCR output (see
   ocr_punct.c). */
#ifndef ERRATA_OCR_PUNCT_H
#define ERRATA_OCR_PUNCT_H

#include "internal.h"

/* Add the edits (kind ERRATA_KIND_PUNCTUATION or ERRATA_KIND_NUMBER, rules
   "ocr/…") for text[0..len) (valid UTF-8), which looks like OCR output
   (errata_ocr_shows_ocr(): errata_check() calls it only for such text);
   nothing when the rule "ocr" is disabled. */
int errata_ocr_punct_check(const char *text, size_t len, const errata_check_options *opts,
                           errata_edit_list *list);

/* Whether text[0..len) (valid UTF-8) looks like OCR output of Chinese
   prose (lines cut at one page width, few Latin letters, full-width
   commas). */
int errata_ocr_shows_ocr(const char *text, size_t len);

#endif
