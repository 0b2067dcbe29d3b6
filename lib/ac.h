/* Aho-Corasick automaton: all dictionary keys found in one pass over a text. */
#ifndef ERRATA_AC_H
#define ERRATA_AC_H

#include <stddef.h>

typedef struct errata_ac errata_ac;

/* Build from count distinct, non-empty byte strings. */
int errata_ac_build(errata_ac **out, const char *const *patterns, size_t count);

/* The same, but failing (ERRATA_ENOMEM, with a message naming the numbers)
   when the automaton would need more than max_cells transitions;
   errata_ac_build allows all that its table can address (2^31). */
int errata_ac_build_limited(errata_ac **out, const char *const *patterns, size_t count,
                            size_t max_cells);

/* Whether the scan takes a three-byte character in one transition (every
   pattern is valid UTF-8 and the table stays small), else byte by byte. */
int errata_ac_by_chars(const errata_ac *ac);
void errata_ac_free(errata_ac *ac);

/* Called for every occurrence, in order of its end; non-zero stops the scan. */
typedef int (*errata_ac_callback)(void *ctx, size_t pattern, size_t start, size_t end);

int errata_ac_scan(const errata_ac *ac, const char *text, size_t len, errata_ac_callback callback,
                   void *ctx);

#endif
