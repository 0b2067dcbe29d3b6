/* The dictionary parser on a user dictionary's text, and an engine built on
   what it accepts.  Invariants: a refusal is ERRATA_EFORMAT naming the
   source; an accepted dictionary's entries are non-empty, different, valid
   UTF-8, their rule names them, and parsing the text again adds as much
   again; an engine made from that text alone (no built-in dictionaries, no
   model) loads, and checking each example of the dictionary gives edits
   inside the text on character boundaries, not overlapping, whose old_text
   is what the text holds there. */
#include "dict.h"
#include "fuzz.h"

#define MAX_EXAMPLES_CHECKED 4

static void check_entries(const errata_dictionary *d)
{
    for (size_t i = 0; i < d->entry_count; i++) {
        const errata_entry *e = &d->entries[i];
        const char *corrupted = errata_dict_string(d, e->corrupted);
        const char *original = errata_dict_string(d, e->original);
        const char *rule = errata_dict_string(d, e->rule);
        FUZZ_CHECK(*corrupted && *original && strcmp(corrupted, original) != 0,
                   "entry %zu: '%s' -> '%s'", i, corrupted, original);
        FUZZ_CHECK(fuzz_is_utf8(corrupted, strlen(corrupted)) &&
                       fuzz_is_utf8(original, strlen(original)),
                   "entry %zu is not UTF-8", i);
        FUZZ_CHECK(strstr(rule, corrupted) && strstr(rule, original), "rule '%s' of entry %zu",
                   rule, i);
    }
    for (size_t i = 0; i < d->item_count; i++)
        FUZZ_CHECK(d->item_lens[i] == strlen(errata_dict_string(d, d->item_offsets[i])) ||
                       d->item_lens[i] == 0,
                   "context item %zu length", i);
}

static void check_examples(const errata_engine *engine, const errata_dictionary *d)
{
    for (size_t i = 0; i < d->example_count && i < MAX_EXAMPLES_CHECKED; i++) {
        const char *text = d->examples[i].text;
        size_t len = strlen(text);
        errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
        opts.assume_damaged = 1;
        errata_result *result = NULL;
        FUZZ_CHECK(errata_check(engine, text, len, &opts, &result) == ERRATA_OK, "check: %s",
                   errata_error_message());
        size_t previous_end = 0;
        for (size_t k = 0; k < errata_result_count(result); k++) {
            const errata_edit *e = errata_result_edit(result, k);
            FUZZ_CHECK(previous_end <= e->byte_start && e->byte_start <= e->byte_end &&
                           e->byte_end <= len,
                       "span %zu..%zu of %zu", e->byte_start, e->byte_end, len);
            FUZZ_CHECK(fuzz_on_boundary(text, len, e->byte_start) &&
                           fuzz_on_boundary(text, len, e->byte_end),
                       "span %zu..%zu cuts a character", e->byte_start, e->byte_end);
            FUZZ_CHECK(strlen(e->old_text) == e->byte_end - e->byte_start &&
                           memcmp(e->old_text, text + e->byte_start, strlen(e->old_text)) == 0,
                       "old_text of %s", e->rule);
            previous_end = e->byte_end;
        }
        errata_result_free(result);
    }
}

/* An engine on the text alone, as errata --no-default-dict --no-model
   --dict FILE makes it. */
static void check_engine(const char *text, size_t len, const errata_dictionary *d)
{
    char path[64];
    fuzz_temp_template(path, sizeof path, "dict");
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0 && write(fd, text, len) == (ssize_t)len, "cannot write %s", path);
    close(fd);
    const char *paths[] = {path};
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = 1;
    opts.no_model = 1;
    opts.dictionary_paths = paths;
    opts.dictionary_count = 1;
    errata_engine *engine = NULL;
    int rc = errata_engine_new(&engine, &opts);
    unlink(path);
    FUZZ_CHECK(rc == ERRATA_OK, "the parser took it, the engine not: %s", errata_error_message());
    FUZZ_CHECK(errata_engine_entry_count(engine) == d->entry_count, "%zu entries, parsed %zu",
               errata_engine_entry_count(engine), d->entry_count);
    check_examples(engine, d);
    errata_engine_free(engine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    errata_dictionary d = {0};
    int rc = errata_dictionary_parse(&d, text, size, "fuzz.dict");
    if (rc != ERRATA_OK) {
        FUZZ_CHECK(rc == ERRATA_EFORMAT && strncmp(errata_error_message(), "fuzz.dict:", 10) == 0,
                   "refused with %d: %s", rc, errata_error_message());
        errata_dictionary_clear(&d);
        return 0;
    }
    check_entries(&d);
    size_t entries = d.entry_count, examples = d.example_count;
    FUZZ_CHECK(errata_dictionary_parse(&d, text, size, "again.dict") == ERRATA_OK &&
                   d.entry_count == 2 * entries && d.example_count == 2 * examples,
               "parsing the same text twice");
    errata_dictionary_clear(&d);
    FUZZ_CHECK(errata_dictionary_parse(&d, text, size, "fuzz.dict") == ERRATA_OK, "third parse");
    check_engine(text, size, &d);
    errata_dictionary_clear(&d);
    return 0;
}
