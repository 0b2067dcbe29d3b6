/* The check pipeline: validate, clean layout, match, judge, decide. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const errata_check_options default_check_options = ERRATA_CHECK_OPTIONS_INIT;

int errata_check(const errata_engine *engine, const char *text, size_t len,
                 const errata_check_options *opts, errata_result **out)
{
    if (!engine || !out || (!text && len))
        return errata_fail(ERRATA_EINVAL, "errata_check: NULL argument");
    if (!opts)
        opts = &default_check_options;
    size_t bad = errata_utf8_invalid_offset(text, len);
    if (bad < len)
        return errata_fail(ERRATA_EENCODING, "invalid UTF-8 at byte offset %zu", bad);
    errata_result *result = calloc(1, sizeof *result);
    if (!result)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    int rc = errata_layout_check(text, len, opts, &result->edits);
    if (!rc)
        rc = errata_edit_list_finish(&result->edits, text, len, opts);
    if (rc) {
        errata_result_free(result);
        return rc;
    }
    *out = result;
    return ERRATA_OK;
}

int errata_fix(const errata_engine *engine, const char *text, size_t len,
               const errata_check_options *opts, char **out, size_t *out_len)
{
    errata_result *result = NULL;
    int rc = errata_check(engine, text, len, opts, &result);
    if (!rc)
        rc = errata_result_apply(result, text, len, NULL, out, out_len);
    errata_result_free(result);
    return rc;
}
