/* How alike two words of the trigram model are in use: the cosine of their
   neighbours in the model's bigrams, each weighted by its positive
   pointwise mutual information with the word (the words that follow it,
   and the words it follows).  Near-synonyms share their neighbours
   (知识 and 学问: 安全, 丰富, 传授 before, 水平, 和 after), while a word
   that merely fits one context next to a word does not (生产 and 严峻).
   The model's text is general, so words that formal text rarely uses
   (学问, 勾当) still have neighbours there. */
#ifndef ERRATA_SYNONYMY_H
#define ERRATA_SYNONYMY_H

#include <stdint.h>

#include "lm.h"

typedef struct errata_synonymy errata_synonymy;

/* An index of the words before each word of lm (about 8 bytes per bigram
   of the model).  ERRATA_ENOMEM on failure.  Not shared between threads:
   it keeps the last word's neighbours as a scratch. */
int errata_synonymy_new(const errata_lm *lm, errata_synonymy **out);
void errata_synonymy_free(errata_synonymy *s);

/* 0 (nothing in common, or a word outside the vocabulary) to 1 (the same
   neighbours in the same proportions).  ERRATA_LM_NO_WORD gives 0.
   Returns -1 when out of memory. */
double errata_synonymy_of(errata_synonymy *s, uint32_t x, uint32_t y);

#endif
