/* Aho-Corasick automaton: all dictionary keys found in one pass over a text. */
#ifndef ERRATA_AC_H
#define ERRATA_AC_H

#include <stddef.h>
#include <stdint.h>

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

/* The automaton as an image (*out: malloc'd, *out_len bytes) that
   errata_ac_open_image reads in place; keys_checksum tells which keys it
   was built from (the caller's choice of checksum). */
int errata_ac_image(const errata_ac *ac, uint32_t keys_checksum, unsigned char **out,
                    size_t *out_len);

/* An automaton reading the image at data (8-byte aligned, size bytes, left
   in place until errata_ac_free); ERRATA_EFORMAT naming name and what is
   wrong when the image is truncated, corrupted (header), made for other
   keys (keys_checksum differs) or otherwise unsound. */
int errata_ac_open_image(errata_ac **out, const void *data, size_t size, const char *name,
                         uint32_t keys_checksum);

/* Called for every occurrence, in order of its end; non-zero stops the scan. */
typedef int (*errata_ac_callback)(void *ctx, size_t pattern, size_t start, size_t end);

int errata_ac_scan(const errata_ac *ac, const char *text, size_t len, errata_ac_callback callback,
                   void *ctx);

#endif
