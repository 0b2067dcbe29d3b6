/* Which files a walk with -r repairs: --include and --exclude globs, and by
   default only prose documents.  Data and code formats are left alone,
   known by their extension (.json, .csv, .xml, .yaml, source code...) or,
   whatever their name, by how their text starts (a JSON object or array,
   an XML or HTML document, a script's #! line).  A file that an --include
   glob names is taken whatever it holds. */
#include <fnmatch.h>
#include <string.h>
#include <strings.h>

#include "batch.h"

/* Extensions of data, markup and code: text, but not documents to repair. */
static const char *const non_prose_extensions[] = {
    /* data */
    "json", "jsonl", "ndjson", "geojson", "csv", "tsv", "xml", "yaml", "yml", "toml", "ini",
    "cfg", "conf", "properties", "sql", "ipynb", "lock", "srt", "vtt", "log",
    /* markup and styles */
    "html", "htm", "xhtml", "svg", "css", "scss", "less",
    /* code */
    "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "java", "kt", "scala", "go", "rs",
    "swift", "cs", "fs", "vb", "py", "pyi", "rb", "php", "pl", "pm", "lua", "r", "jl", "js",
    "mjs", "cjs", "ts", "tsx", "jsx", "vue", "sh", "bash", "zsh", "fish", "ps1", "bat", "cmd",
    "mk", "cmake", "gradle", "el", "vim", "tex", "sty", "bib", "asm", "s", "d", "dart",
    "hs", "ml", "ex", "exs", "erl", "clj", "groovy", "proto", "patch", "diff"};

static int has_non_prose_extension(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return 0;
    for (size_t i = 0; i < sizeof non_prose_extensions / sizeof *non_prose_extensions; i++)
        if (strcasecmp(dot + 1, non_prose_extensions[i]) == 0)
            return 1;
    return 0;
}

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
    const char *slash = strrchr(relative, '/');
    return has_non_prose_extension(slash ? slash + 1 : relative) ? ERRATA_BATCH_LEAVE_OUT
                                                                 : ERRATA_BATCH_TAKE;
}

static int starts_with(const char *text, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(text, prefix, n) == 0;
}

const char *errata_batch_data_format(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    text += i;
    len -= i;
    if (len > 0 && (text[0] == '{' || text[0] == '[')) {
        /* What a JSON object or array goes on with, not a bracketed word. */
        size_t j = 1;
        while (j < len && strchr(" \t\r\n", text[j]))
            j++;
        const char *next = text[0] == '{' ? "\"}" : "{[\"]-0123456789tfn";
        if (j < len && strchr(next, text[j]))
            return "JSON";
    }
    if (starts_with(text, len, "<?xml"))
        return "XML";
    if (starts_with(text, len, "<!doctype html") || starts_with(text, len, "<html"))
        return "HTML";
    if (starts_with(text, len, "#!"))
        return "a script";
    return NULL;
}
