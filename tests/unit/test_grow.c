/* errata_grow refuses sizes that do not fit in size_t instead of wrapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "internal.h"

static void grows_by_doubling(void **state)
{
    (void)state;
    int *items = NULL;
    size_t cap = 0;
    assert_int_equal(errata_grow((void **)&items, &cap, 17, sizeof *items), ERRATA_OK);
    assert_int_equal(cap, 32);
    items[16] = 1;
    free(items);
}

static void refuses_a_byte_count_that_would_wrap(void **state)
{
    (void)state;
    char *items = NULL;
    size_t cap = 0;
    assert_int_equal(errata_grow((void **)&items, &cap, SIZE_MAX / 16 + 1, 16), ERRATA_ENOMEM);
    assert_null(items);
    assert_int_equal(cap, 0);
}

static void refuses_a_count_past_the_last_doubling(void **state)
{
    (void)state;
    char *items = NULL;
    size_t cap = 0;
    assert_int_equal(errata_grow((void **)&items, &cap, SIZE_MAX, 2), ERRATA_ENOMEM);
    assert_null(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_by_doubling),
        cmocka_unit_test(refuses_a_byte_count_that_would_wrap),
        cmocka_unit_test(refuses_a_count_past_the_last_doubling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
