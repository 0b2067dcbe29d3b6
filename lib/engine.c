/* The engine: dictionaries and model, loaded once, then read-only. */
#include <stdlib.h>

#include "internal.h"

struct errata_engine {
    int placeholder;
};

int errata_engine_new(errata_engine **out, const errata_engine_options *opts)
{
    (void)opts;
    if (!out)
        return errata_fail(ERRATA_EINVAL, "errata_engine_new: NULL out");
    *out = calloc(1, sizeof **out);
    return *out ? ERRATA_OK : errata_fail(ERRATA_ENOMEM, "out of memory");
}

void errata_engine_free(errata_engine *engine) { free(engine); }

size_t errata_engine_entry_count(const errata_engine *engine)
{
    (void)engine;
    return 0;
}
