/* For unit tests that include cmocka.h and errata.h: an engine on one
   dictionary's text alone, as errata --no-default-dict [--no-model]
   --dict FILE makes it, through a temporary file removed again. */
#ifndef ERRATA_TEST_DICTIONARY_ENGINE_H
#define ERRATA_TEST_DICTIONARY_ENGINE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline errata_engine *engine_on_dictionary_text(const char *dictionary, int no_model)
{
    char path[] = "/tmp/errata-test-dict-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(dictionary, f);
    assert_int_equal(fclose(f), 0);
    const char *paths[] = {path};
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = 1;
    opts.no_model = no_model;
    opts.dictionary_paths = paths;
    opts.dictionary_count = 1;
    errata_engine *engine = NULL;
    assert_int_equal(errata_engine_new(&engine, &opts), ERRATA_OK);
    assert_int_equal(remove(path), 0);
    return engine;
}

#endif
