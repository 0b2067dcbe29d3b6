/* Which files are documents to repair, as batch tools choose them: data,
   markup and code are text but not documents, known by their file name's
   extension or by how their text starts.  errata fix -r and the Python
   package's Dask pipeline both ask here, so that they choose alike. */
#include <string.h>
#include <strings.h>

#include "errata.h"

/* Extensions of data, markup and code. */
static const char *const data_extensions[] = {
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

int errata_is_data_file_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    if (slash)
        name = slash + 1;
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return 0;
    for (size_t i = 0; i < sizeof data_extensions / sizeof *data_extensions; i++)
        if (strcasecmp(dot + 1, data_extensions[i]) == 0)
            return 1;
    return 0;
}

static int starts_with(const char *text, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp(text, prefix, n) == 0;
}

const char *errata_data_format(const char *text, size_t len)
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
