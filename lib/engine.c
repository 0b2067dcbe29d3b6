/* The engine: dictionaries, their automaton and the model, loaded once,
   then read-only and shared between threads. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine.h"
#include "cm.h"
#include "latin.h"
#include "lm.h"
#include "lookalike.h"

/* Whether the built-in dictionary is used alone: its image is read then. */
static int built_in_alone(const errata_engine_options *opts)
{
    return !opts->no_default_dictionaries && opts->dictionary_count == 0;
}

#define BUILT_IN_SOURCE "built-in:swaps.dict"

static int parse_dictionaries(errata_engine *engine, const errata_engine_options *opts)
{
    int rc = ERRATA_OK;
    if (!opts->no_default_dictionaries)
        rc = errata_dictionary_parse(&engine->dict, errata_embedded_swaps,
                                     (size_t)(errata_embedded_swaps_end - errata_embedded_swaps),
                                     BUILT_IN_SOURCE);
    for (size_t i = 0; !rc && i < opts->dictionary_count; i++)
        rc = errata_dictionary_load_file(&engine->dict, opts->dictionary_paths[i]);
    return rc;
}

uint32_t errata_built_in_dictionary_checksum(void)
{
    return errata_image_checksum(errata_embedded_swaps,
                                 (size_t)(errata_embedded_swaps_end - errata_embedded_swaps));
}

/* What a string is to the dictionary, before equal strings are merged. */
typedef enum { ROLE_CORRUPTED, ROLE_ORIGINAL, ROLE_KEEP } key_role;

typedef struct {
    const char *text;
    uint32_t offset; /* of text in the dictionary's text */
    key_role role;
    uint32_t entry;
} key_item;

/* By text, then role and entry, so that a key lists its entries in
   dictionary order. */
static int compare_key_items(const void *pa, const void *pb)
{
    const key_item *a = pa, *b = pb;
    int by_text = strcmp(a->text, b->text);
    if (by_text)
        return by_text;
    if (a->role != b->role)
        return a->role < b->role ? -1 : 1;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

/* Merge the sorted items into distinct keys, each listing the entries it is
   the corrupted form or the original of. */
static void merge_key_items(errata_engine *engine, const key_item *items, size_t total)
{
    size_t n = 0;
    uint32_t corrupted = 0, originals = 0;
    for (size_t i = 0; i < total; i++) {
        if (n == 0 || strcmp(items[i - 1].text, items[i].text) != 0)
            engine->keys[n++] = (errata_key){items[i].offset, corrupted, 0, originals, 0, 0};
        errata_key *k = &engine->keys[n - 1];
        switch (items[i].role) {
        case ROLE_CORRUPTED:
            engine->key_entries[corrupted++] = items[i].entry;
            k->entry_count++;
            break;
        case ROLE_ORIGINAL:
            engine->key_originals[originals++] = items[i].entry;
            k->original_count++;
            break;
        case ROLE_KEEP:
            k->is_keep_word = 1;
            break;
        }
    }
    engine->key_count = n;
}

static int collect_keys(errata_engine *engine)
{
    const errata_dictionary *d = &engine->dict;
    size_t total = 2 * d->entry_count + d->keep_word_count;
    key_item *items = malloc((total + 1) * sizeof *items);
    engine->keys = malloc((total + 1) * sizeof *engine->keys);
    engine->key_entries = malloc((d->entry_count + 1) * sizeof *engine->key_entries);
    engine->key_originals = malloc((d->entry_count + 1) * sizeof *engine->key_originals);
    if (!items || !engine->keys || !engine->key_entries || !engine->key_originals) {
        free(items);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    size_t n = 0;
    for (uint32_t i = 0; i < d->entry_count; i++) {
        const errata_entry *e = &d->entries[i];
        items[n++] = (key_item){errata_dict_string(d, e->corrupted), e->corrupted, ROLE_CORRUPTED, i};
        items[n++] = (key_item){errata_dict_string(d, e->original), e->original, ROLE_ORIGINAL, i};
    }
    for (size_t i = 0; i < d->keep_word_count; i++)
        items[n++] = (key_item){errata_dict_string(d, d->keep_words[i]), d->keep_words[i], ROLE_KEEP, 0};
    qsort(items, total, sizeof *items, compare_key_items);
    merge_key_items(engine, items, total);
    free(items);
    return ERRATA_OK;
}

/* The built-in dictionary alone is read in place from the image built with
   the library; other dictionaries are parsed and their keys collected here. */
static int load_dictionaries(errata_engine *engine, const errata_engine_options *opts)
{
    size_t image_size = (size_t)(errata_embedded_dictionary_end - errata_embedded_dictionary);
    if (built_in_alone(opts) && image_size > 0)
        return errata_dictionary_open_built_in_image(engine, errata_embedded_dictionary,
                                                     image_size, "built-in dictionary image",
                                                     BUILT_IN_SOURCE);
    int rc = parse_dictionaries(engine, opts);
    return rc ? rc : collect_keys(engine);
}

uint32_t errata_engine_keys_checksum(const errata_engine *engine)
{
    uint32_t h = 0x811C9DC5u;
    for (size_t i = 0; i < engine->key_count; i++)
        for (const unsigned char *b =
                 (const unsigned char *)errata_dict_string(&engine->dict, engine->keys[i].text);
             ; b++) {
            h = (h ^ *b) * 0x01000193u;
            if (!*b)
                break;
        }
    return h;
}

/* The built-in dictionary's automaton is read in place from the image
   built with the library; with other dictionaries it is built here. */
static int build_automaton(errata_engine *engine, const errata_engine_options *opts)
{
    size_t image_size = (size_t)(errata_embedded_automaton_end - errata_embedded_automaton);
    if (built_in_alone(opts) && image_size > 0)
        return errata_ac_open_image(&engine->automaton, errata_embedded_automaton, image_size,
                                    "built-in automaton", errata_engine_keys_checksum(engine));
    const char **patterns = malloc((engine->key_count + 1) * sizeof *patterns);
    if (!patterns)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < engine->key_count; i++)
        patterns[i] = errata_dict_string(&engine->dict, engine->keys[i].text);
    int rc = errata_ac_build(&engine->automaton, patterns, engine->key_count);
    free(patterns);
    return rc;
}

static int load_model(errata_engine *engine, const errata_engine_options *opts)
{
    if (opts->no_model)
        return ERRATA_OK;
    if (opts->model_path)
        return errata_lm_open_file(&engine->lm, opts->model_path);
    return errata_lm_open_memory(&engine->lm, errata_embedded_model,
                                 (size_t)(errata_embedded_model_end - errata_embedded_model));
}

static int load_char_model(errata_engine *engine, const errata_engine_options *opts)
{
    if (opts->no_char_model)
        return ERRATA_OK;
    if (opts->char_model_path)
        return errata_cm_open_file(&engine->cm, opts->char_model_path);
    size_t size = (size_t)(errata_embedded_char_model_end - errata_embedded_char_model);
    size_t tables_size = (size_t)(errata_embedded_char_tables_end - errata_embedded_char_tables);
    if (tables_size == 0)
        return errata_cm_open_memory(&engine->cm, errata_embedded_char_model, size);
    return errata_cm_open_memory_with_tables(&engine->cm, errata_embedded_char_model, size,
                                             errata_embedded_char_tables, tables_size,
                                             "built-in character model tables");
}

/* The caller's options (NULL: the defaults) as the current version; a
   version-1 struct is shorter, so only its fields are read. */
static int read_engine_options(const errata_engine_options *opts, errata_engine_options *out)
{
    static const errata_engine_options defaults = ERRATA_ENGINE_OPTIONS_INIT;
    *out = defaults;
    if (!opts)
        return ERRATA_OK;
    if (opts->version == 1) {
        memcpy(out, opts, offsetof(errata_engine_options, char_model_path));
        out->version = ERRATA_ENGINE_OPTIONS_VERSION;
        return ERRATA_OK;
    }
    if (opts->version != ERRATA_ENGINE_OPTIONS_VERSION)
        return errata_fail(ERRATA_EINVAL, "errata_engine_new: unknown options version %u", opts->version);
    *out = *opts;
    return ERRATA_OK;
}

/* The OCR passes: the look-alike table (parsed when first needed), and
   hunspell's English dictionary when it is installed (without it, Latin
   words are left alone). */
static int load_ocr_tables(errata_engine *engine)
{
    int rc = errata_lookalike_source_new(&engine->lookalikes);
    if (!rc)
        rc = errata_latin_speller_new(&engine->speller, NULL, NULL);
    if (rc == ERRATA_EIO) /* no English dictionary installed: do without */
        rc = ERRATA_OK;
    return rc;
}

#define HUGE_PAGE ((uintptr_t)2 << 20)

/* The built-in models (30 MB) are read in place from the library's file; a
   small text touches a few hundred scattered pages of them.  A page fault
   maps at most 64 KB of a file cached in small folios, a whole 2 MiB folio
   where the mapping is aligned to 2 MiB (see the Makefile).  Advised so,
   the kernel reads the parts of the models not cached yet in 2 MiB folios.
   The advice covers every 2 MiB page the models touch, whatever else lies
   in the first and the last: a fault outside it reads the megabytes around
   it in small folios (the readahead window of this machine's disk is
   8 MB), and the models' first and last parts are read first.  After a
   reboot, a 1 KB fix of the static errata takes about 100 page faults
   (155 when the advice began and ended at the 2 MiB boundaries inside the
   models; see the Makefile for how the models are kept apart from what a
   run reads before this advice).  Only advice, ignored where the kernel
   has no use for it. */
static void advise_huge_pages(void)
{
#ifdef MADV_HUGEPAGE
    uintptr_t start = (uintptr_t)errata_embedded_start & ~(HUGE_PAGE - 1);
    uintptr_t end = ((uintptr_t)errata_embedded_end + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    if (end > start)
        madvise((void *)start, end - start, MADV_HUGEPAGE);
#endif
}

int errata_engine_new(errata_engine **out, const errata_engine_options *caller_opts)
{
    if (!out)
        return errata_fail(ERRATA_EINVAL, "errata_engine_new: NULL out");
    *out = NULL;
    errata_engine_options options;
    const errata_engine_options *opts = &options;
    int rc = read_engine_options(caller_opts, &options);
    if (rc)
        return rc;
    errata_engine *engine = calloc(1, sizeof *engine);
    if (!engine)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    pthread_mutex_init(&engine->examples_lock, NULL);
    advise_huge_pages();
    rc = load_dictionaries(engine, opts);
    if (!rc)
        rc = build_automaton(engine, opts);
    if (!rc)
        rc = load_model(engine, opts);
    if (!rc)
        rc = load_char_model(engine, opts);
    if (!rc)
        rc = load_ocr_tables(engine);
    if (rc) {
        errata_engine_free(engine);
        return rc;
    }
    *out = engine;
    return ERRATA_OK;
}

void errata_engine_free(errata_engine *engine)
{
    if (!engine)
        return;
    errata_lm_free(engine->lm);
    errata_cm_free(engine->cm);
    errata_lookalike_source_free(engine->lookalikes);
    errata_latin_speller_free(engine->speller);
    errata_ac_free(engine->automaton);
    if (!engine->dict.in_place) {
        free(engine->keys);
        free(engine->key_entries);
        free(engine->key_originals);
    }
    errata_dictionary_clear(&engine->dict);
    pthread_mutex_destroy(&engine->examples_lock);
    free(engine);
}

size_t errata_engine_entry_count(const errata_engine *engine)
{
    return engine ? engine->dict.entry_count : 0;
}

size_t errata_engine_example_count(const errata_engine *engine)
{
    return engine ? engine->dict.example_count : 0;
}

const errata_example *errata_engine_example(const errata_engine *engine, size_t index)
{
    if (!engine || index >= engine->dict.example_count)
        return NULL;
    /* the only change to a loaded engine: its examples made once, locked */
    errata_engine *e = (errata_engine *)(uintptr_t)engine;
    pthread_mutex_lock(&e->examples_lock);
    int rc = errata_dictionary_make_examples(&e->dict);
    pthread_mutex_unlock(&e->examples_lock);
    return rc ? NULL : &engine->dict.examples[index];
}
