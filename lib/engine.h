/* The engine's private layout, shared by engine.c and check.c. */
#ifndef ERRATA_ENGINE_H
#define ERRATA_ENGINE_H

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
    const char *text;
    size_t first_entry, entry_count;       /* corrupted form of: errata_engine.key_entries */
    size_t first_original, original_count; /* original of: errata_engine.key_originals */
    int is_keep_word;
} errata_key;

struct errata_engine {
    errata_dictionary dict;
    errata_key *keys;
    size_t key_count;
    size_t *key_entries;   /* entry indices, grouped by key */
    size_t *key_originals; /* entry indices, grouped by key */
    errata_ac *automaton;
    struct errata_lm *lm; /* NULL without a model */
    struct errata_cm *cm; /* the character model of formal text; NULL without one */
    struct errata_lookalike_source *lookalikes;
    struct errata_latin_speller *speller; /* NULL without hunspell's English dictionary */
};

/* FNV-1a of the keys' texts in order, each with its NUL: which keys an
   automaton image was built from. */
uint32_t errata_engine_keys_checksum(const errata_engine *engine);

#endif
