/* Substitution dictionaries (format: dictionaries/FORMAT.md). */
#ifndef ERRATA_DICT_H
#define ERRATA_DICT_H

#include "internal.h"

typedef enum {
    ERRATA_FAMILY_ANY = 0, /* "swap": seen in every swap table */
    ERRATA_FAMILY_A,       /* "swap-a" */
    ERRATA_FAMILY_B,       /* "swap-b" */
    ERRATA_FAMILY_LOOKALIKE,
    ERRATA_FAMILY_USER
} errata_family;

typedef enum {
    ERRATA_CLASS_UNAMBIGUOUS = 'U',
    ERRATA_CLASS_CONTEXTUAL = 'C',
    ERRATA_CLASS_GUARDED = 'G'
} errata_class;

typedef struct {
    char **items;
    size_t *lens; /* each item's length; 0 for "<digit>", which stands for any digit */
    size_t count, cap;
    /* Byte sets that rule out most places at once (see dict.c): the last
       bytes of the items, and their third bytes (usable when no item is
       shorter than three bytes or a <digit>). */
    uint64_t last_bytes[4], third_bytes[4];
    int has_short_item;
    int borrowed; /* the items point into a text owned elsewhere (errata_entry.line) */
} errata_strings;

typedef struct {
    char *corrupted, *original;
    errata_family family;
    errata_class cls;
    errata_strings fix_prev, fix_next, keep_prev, keep_next;
    char *rule; /* "swap/开展>发展" */
    char *line; /* the entry's line, cut up: its context lists' items point into it */
} errata_entry;

typedef struct {
    errata_entry *entries;
    size_t entry_count, entry_cap;
    errata_strings keep_words;
    errata_example *examples;
    size_t example_count, example_cap;
    errata_strings sources; /* names the examples point at */
} errata_dictionary;

/* Parse one dictionary text (len bytes) named source (a path or "built-in")
   and add its entries to dict.  Errors name source:line. */
int errata_dictionary_parse(errata_dictionary *dict, const char *text, size_t len,
                            const char *source);
int errata_dictionary_load_file(errata_dictionary *dict, const char *path);
void errata_dictionary_clear(errata_dictionary *dict);

/* The string of list that text[pos..] starts with ("<digit>" matches a
   digit), or NULL. */
const char *errata_strings_match_at(const errata_strings *list, const char *text, size_t len,
                                   size_t pos);
/* The string of list that text[..end) ends with, or NULL. */
const char *errata_strings_match_before(const errata_strings *list, const char *text, size_t end);

#endif
