/* Layout and character damage: to be filled by the layout passes. */
#include "internal.h"

int errata_layout_check(const char *text, size_t len, const errata_check_options *opts,
                        errata_edit_list *list)
{
    (void)text;
    (void)len;
    (void)opts;
    (void)list;
    return ERRATA_OK;
}
