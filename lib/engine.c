/* The engine: dictionaries, their automaton and the model, loaded once,
   then read-only and shared between threads. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "lm.h"

static int load_dictionaries(errata_engine *engine, const errata_engine_options *opts)
{
    int rc = ERRATA_OK;
    if (!opts->no_default_dictionaries)
        rc = errata_dictionary_parse(&engine->dict, errata_embedded_swaps,
                                     (size_t)(errata_embedded_swaps_end - errata_embedded_swaps),
                                     "built-in:swaps.dict");
    for (size_t i = 0; !rc && i < opts->dictionary_count; i++)
        rc = errata_dictionary_load_file(&engine->dict, opts->dictionary_paths[i]);
    return rc;
}

static int compare_key_text(const void *a, const void *b)
{
    return strcmp(((const errata_key *)a)->text, ((const errata_key *)b)->text);
}

/* Distinct keys, sorted, each with its entries (an entry's key is its
   corrupted form; keep words are keys of their own or flags on one). */
static int collect_keys(errata_engine *engine)
{
    const errata_dictionary *d = &engine->dict;
    size_t total = d->entry_count + d->keep_words.count;
    errata_key *all = calloc(total ? total : 1, sizeof *all);
    engine->key_entries = calloc(d->entry_count ? d->entry_count : 1, sizeof *engine->key_entries);
    if (!all || !engine->key_entries) {
        free(all);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < d->entry_count; i++)
        all[i] = (errata_key){d->entries[i].corrupted, 0, i, 1, 0};
    for (size_t i = 0; i < d->keep_words.count; i++)
        all[d->entry_count + i] = (errata_key){d->keep_words.items[i], 0, 0, 0, 1};
    qsort(all, total, sizeof *all, compare_key_text);

    size_t n = 0, placed = 0;
    for (size_t i = 0; i < total; i++) {
        errata_key item = all[i]; /* the merged key may be written over it */
        if (n == 0 || strcmp(all[n - 1].text, item.text) != 0)
            all[n++] = (errata_key){item.text, strlen(item.text), placed, 0, 0};
        errata_key *k = &all[n - 1];
        if (item.is_keep_word) {
            k->is_keep_word = 1;
        } else {
            engine->key_entries[placed++] = item.first_entry;
            k->entry_count++;
        }
    }
    engine->keys = all;
    engine->key_count = n;
    return ERRATA_OK;
}

static int build_automaton(errata_engine *engine)
{
    const char **patterns = malloc((engine->key_count + 1) * sizeof *patterns);
    if (!patterns)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    for (size_t i = 0; i < engine->key_count; i++)
        patterns[i] = engine->keys[i].text;
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

int errata_engine_new(errata_engine **out, const errata_engine_options *opts)
{
    static const errata_engine_options defaults = ERRATA_ENGINE_OPTIONS_INIT;
    if (!out)
        return errata_fail(ERRATA_EINVAL, "errata_engine_new: NULL out");
    *out = NULL;
    if (!opts)
        opts = &defaults;
    if (opts->version != ERRATA_ENGINE_OPTIONS_VERSION)
        return errata_fail(ERRATA_EINVAL, "errata_engine_new: unknown options version %u", opts->version);
    errata_engine *engine = calloc(1, sizeof *engine);
    if (!engine)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    int rc = load_dictionaries(engine, opts);
    if (!rc)
        rc = collect_keys(engine);
    if (!rc)
        rc = build_automaton(engine);
    if (!rc)
        rc = load_model(engine, opts);
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
    errata_ac_free(engine->automaton);
    free(engine->keys);
    free(engine->key_entries);
    errata_dictionary_clear(&engine->dict);
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
    return &engine->dict.examples[index];
}
