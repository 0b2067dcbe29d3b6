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

/* A list of strings (a context list): items first .. first + count - 1 of
   its dictionary's item arrays.  Like everything in a dictionary it holds
   no pointers, so that the built-in dictionary can be read in place from
   an image (lib/dict_image.c). */
typedef struct {
    uint32_t first, count;
    uint32_t has_short_item;
    /* Byte sets that rule out most places at once (see dict.c): the last
       bytes of the items, and their third bytes (usable when no item is
       shorter than three bytes or a <digit>). */
    uint64_t last_bytes[4], third_bytes[4];
} errata_strings;

typedef struct {
    uint32_t corrupted, original; /* offsets of strings in errata_dictionary.text */
    uint32_t rule;                /* "swap/开展>发展" */
    errata_family family;
    errata_class cls;
    errata_strings fix_prev, fix_next, keep_prev, keep_next;
} errata_entry;

typedef struct {
    /* The dictionary's strings, each ending with a NUL, at the offsets the
       entries, the items and the keep words give. */
    char *text;
    size_t text_len, text_cap;
    errata_entry *entries;
    size_t entry_count, entry_cap;
    /* The context lists' items: offset in text and length (0 for
       "<digit>", which stands for any digit). */
    uint32_t *item_offsets, *item_lens;
    size_t item_count, item_cap;
    uint32_t *keep_words; /* offsets in text */
    size_t keep_word_count, keep_word_cap;
    errata_example *examples; /* their strings are their own (or in an image) */
    size_t example_count, example_cap;
    /* An image's examples, (text, expected, line) each, that examples is
       made from when they are first asked for (errata_engine_example):
       a start-up that never lists them does not write them. */
    const uint32_t *example_records;
    char **sources; /* names the examples point at */
    size_t source_count, source_cap;
    int in_place; /* text, entries and the item arrays lie in an image: never freed */
} errata_dictionary;

/* Parse one dictionary text (len bytes) named source (a path or "built-in")
   and add its entries to dict.  Errors name source:line. */
int errata_dictionary_parse(errata_dictionary *dict, const char *text, size_t len,
                            const char *source);
int errata_dictionary_load_file(errata_dictionary *dict, const char *path);
void errata_dictionary_clear(errata_dictionary *dict);

/* The string at offset in the dictionary's text. */
static inline const char *errata_dict_string(const errata_dictionary *dict, uint32_t offset)
{
    return dict->text + offset;
}

/* The string of list that text[pos..] starts with ("<digit>" matches a
   digit), or NULL. */
const char *errata_strings_match_at(const errata_dictionary *dict, const errata_strings *list,
                                    const char *text, size_t len, size_t pos);
/* The string of list that text[..end) ends with, or NULL. */
const char *errata_strings_match_before(const errata_dictionary *dict, const errata_strings *list,
                                        const char *text, size_t end);

#endif
