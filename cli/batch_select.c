/* Which files a walk with -r repairs: --include and --exclude globs, and by
   default only prose documents.  Data and code formats are left alone,
   known by their extension (.json, .csv, .xml, .yaml, source code...) or,
   whatever their name, by how their text starts (a JSON object or array,
   an XML or HTML document, a script's #! line): lib/documents.c tells.  A
   file that an --include glob names is taken whatever it holds. */
#include <fnmatch.h>
#include <string.h>

#include "batch.h"

/* As ripgrep has it: a glob without '/' matches the name alone, one with
   '/' the path under the walked directory. */
static int glob_matches(const char *glob, const char *relative)
{
    const char *slash = strrchr(relative, '/');
    const char *name = slash ? slash + 1 : relative;
    if (strchr(glob, '/'))
        return fnmatch(glob[0] == '/' ? glob + 1 : glob, relative, FNM_PATHNAME) == 0;
    return fnmatch(glob, name, 0) == 0;
}

static int any_glob_matches(const errata_batch_globs *globs, const char *relative)
{
    for (size_t i = 0; i < globs->count; i++)
        if (glob_matches(globs->items[i], relative))
            return 1;
    return 0;
}

errata_batch_selection errata_batch_select(const errata_batch_options *o, const char *relative,
                                           int is_directory)
{
    if (any_glob_matches(&o->exclude, relative))
        return ERRATA_BATCH_LEAVE_OUT;
    if (is_directory)
        return ERRATA_BATCH_TAKE;
    if (any_glob_matches(&o->include, relative))
        return ERRATA_BATCH_TAKE_ANY;
    if (o->include.count)
        return ERRATA_BATCH_LEAVE_OUT;
    return errata_is_data_file_name(relative) ? ERRATA_BATCH_LEAVE_OUT : ERRATA_BATCH_TAKE;
}
