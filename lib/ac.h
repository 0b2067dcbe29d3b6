/* Aho-Corasick automaton: all dictionary keys found in one pass over a text. */
#ifndef ERRATA_AC_H
#define ERRATA_AC_H

#include <stddef.h>

typedef struct errata_ac errata_ac;

/* Build from count distinct, non-empty byte strings. */
int errata_ac_build(errata_ac **out, const char *const *patterns, size_t count);
void errata_ac_free(errata_ac *ac);

/* Called for every occurrence, in order of its end; non-zero stops the scan. */
typedef int (*errata_ac_callback)(void *ctx, size_t pattern, size_t start, size_t end);

int errata_ac_scan(const errata_ac *ac, const char *text, size_t len, errata_ac_callback callback,
                   void *ctx);

#endif
