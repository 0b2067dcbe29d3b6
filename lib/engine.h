/* The engine's private layout, shared by engine.c and check.c. */
#ifndef ERRATA_ENGINE_H
#define ERRATA_ENGINE_H

#include "ac.h"
#include "dict.h"

struct errata_lm;

/* One distinct string the automaton looks for: a corrupted form with its
   entries, a word that must never change, or both. */
typedef struct {
    const char *text;
    size_t len;
    size_t first_entry, entry_count; /* into errata_engine.key_entries */
    int is_keep_word;
} errata_key;

struct errata_engine {
    errata_dictionary dict;
    errata_key *keys;
    size_t key_count;
    size_t *key_entries; /* entry indices, grouped by key */
    errata_ac *automaton;
    struct errata_lm *lm; /* NULL without a model */
};

#endif
