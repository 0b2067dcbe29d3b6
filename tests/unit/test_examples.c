/* Every example written in the default dictionaries is a test case: the
   text, fixed as part of a damaged document, must come out as expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "errata.h"

static void every_dictionary_example_holds(void **state)
{
    (void)state;
    errata_engine *engine = NULL;
    assert_int_equal(errata_engine_new(&engine, NULL), ERRATA_OK);
    size_t count = errata_engine_example_count(engine), failures = 0;
    assert_true(count > 0);
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.assume_damaged = 1;
    for (size_t i = 0; i < count; i++) {
        const errata_example *ex = errata_engine_example(engine, i);
        char *out = NULL;
        size_t out_len = 0;
        assert_int_equal(errata_fix(engine, ex->text, strlen(ex->text), &opts, &out, &out_len),
                         ERRATA_OK);
        if (strcmp(out, ex->expected) != 0) {
            printf("%s:%zu: %s\n    expected %s\n    got      %s\n", ex->source, ex->line, ex->text,
                   ex->expected, out);
            failures++;
        }
        errata_free(out);
    }
    printf("%zu of %zu dictionary examples hold\n", count - failures, count);
    assert_int_equal(failures, 0);
    errata_engine_free(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_dictionary_example_holds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
