/* The engine's private layout, shared by engine.c and check.c. */
#ifndef ERRATA_ENGINE_H
#define ERRATA_ENGINE_H

#include <pthread.h>

#include "ac.h"
#include "dict.h"

struct errata_lm;
struct errata_cm;
struct errata_lookalike_source;
struct errata_latin_speller;

/* One distinct string the automaton looks for: the corrupted form of some
   entries, the original of others (counted as document evidence), a word
   that must never change, or several of these at once. */
typedef struct {
    uint32_t text;                           /* offset in the dictionary's text */
    uint32_t first_entry, entry_count;       /* corrupted form of: errata_engine.key_entries */
    uint32_t first_original, original_count; /* original of: errata_engine.key_originals */
    uint32_t is_keep_word;
} errata_key;

struct errata_engine {
    errata_dictionary dict;
    /* The keys and their entry lists (entry_count each) lie in the built-in
       dictionary's image when dict.in_place. */
    errata_key *keys;
    size_t key_count;
    uint32_t *key_entries;   /* entry indices, grouped by key */
    uint32_t *key_originals; /* entry indices, grouped by key */
    errata_ac *automaton;
    struct errata_lm *lm; /* NULL without a model */
    struct errata_cm *cm; /* the character model of formal text; NULL without one */
    struct errata_lookalike_source *lookalikes;
    struct errata_latin_speller *speller; /* NULL without hunspell's English dictionary */
    pthread_mutex_t examples_lock; /* an image's examples are made when first asked for */
};

/* FNV-1a of the keys' texts in order, each with its NUL: which keys an
   automaton image was built from. */
uint32_t errata_engine_keys_checksum(const errata_engine *engine);

/* errata_image_checksum of the built-in dictionary's text, which its image
   was parsed from. */
uint32_t errata_built_in_dictionary_checksum(void);

/* The engine's dictionary and keys as an image (*out: malloc'd, *out_len
   bytes) that errata_dictionary_open_image reads in place; source_checksum
   tells which dictionary text they were parsed from. */
int errata_dictionary_image(const errata_engine *engine, uint32_t source_checksum,
                            unsigned char **out, size_t *out_len);

/* The dictionary and keys of engine (which has none yet) read in place
   from the image at data (8-byte aligned, size bytes, left in place while
   the engine lives); the examples name source.  ERRATA_EFORMAT naming name
   and what is wrong when the image is truncated, corrupted, or parsed from
   another text than the one source_checksum stands for. */
int errata_dictionary_open_image(errata_engine *engine, const void *data, size_t size,
                                 const char *name, const char *source, uint32_t source_checksum);

/* The same for the image built with the library from its built-in
   dictionary, at every start-up: its header, layout and counts are checked,
   its contents are not read (neither which text they were made from nor
   their checksum, work that grows with the dictionary).  The build makes
   the image from the same text it embeds beside it, and test_dict checks
   the embedded image with errata_dictionary_open_image. */
int errata_dictionary_open_built_in_image(errata_engine *engine, const void *data, size_t size,
                                          const char *name, const char *source);

/* The examples of an image's dictionary, made from its records unless made
   already (the caller holds errata_engine.examples_lock). */
int errata_dictionary_make_examples(errata_dictionary *dict);

#endif
