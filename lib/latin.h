/* Latin-script words misread by OCR (rn read as m, cl as d, O as 0, l or I
   as 1...), repaired when exactly one look-alike spelling is a dictionary
   word.  Spelling is checked with hunspell. */
#ifndef ERRATA_LATIN_H
#define ERRATA_LATIN_H

#include "internal.h"

typedef struct errata_latin_speller errata_latin_speller;

/* Debian's hunspell-en-us dictionary. */
#define ERRATA_LATIN_DEFAULT_AFF "/usr/share/hunspell/en_US.aff"
#define ERRATA_LATIN_DEFAULT_DIC "/usr/share/hunspell/en_US.dic"

/* Load a hunspell dictionary (NULL paths: the defaults above); ERRATA_EIO if
   a file cannot be read.  The speller may be shared by threads. */
int errata_latin_speller_new(errata_latin_speller **out, const char *aff_path,
                             const char *dic_path);
void errata_latin_speller_free(errata_latin_speller *speller);

/* Add an edit (kind ERRATA_KIND_LATIN, rule "latin/<old>><new>") for every
   misspelled word of text[0..len) whose only dictionary spelling among its
   look-alike variants differs from it.  Words with digits other than 0 and
   1, all-capital words, camelCase identifiers, and anything joined to a URL,
   e-mail address, path or code by punctuation are left alone.  Does
   nothing when the rule "latin" is disabled in opts. */
int errata_latin_check(const errata_latin_speller *speller, const char *text, size_t len,
                       const errata_check_options *opts, errata_edit_list *list);

#endif
