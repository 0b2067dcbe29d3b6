/* The review page of one document: the page's skeleton, style and script
   (cli/html/review.*) and the document with its edits as JSON data, which
   the script lays out.  The document reaches the page only inside that JSON
   (escaped for a <script> element) and the file name also in the title
   (escaped for HTML); the script puts text into the page as text nodes. */
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* The page being written; failed once a string could not be escaped (out
   of memory). */
typedef struct {
    FILE *out;
    int failed;
} page;

static void put_json(page *p, const char *s, size_t len)
{
    if (!p->failed && errata_html_put_json_string(p->out, s, len))
        p->failed = 1;
}

static void put_string(page *p, const char *s) { put_json(p, s, strlen(s)); }

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* The text between the edits: count + 1 strings (edits do not overlap). */
static void put_gaps(page *p, const errata_cli_document *doc, const errata_result *result)
{
    size_t count = errata_result_count(result), at = 0;
    fputs("\"gaps\":[", p->out);
    for (size_t i = 0; i < count; i++) {
        errata_edit slot;
        const errata_edit *e = errata_cli_result_edit(result, i, &slot);
        put_json(p, doc->text + at, e->byte_start - at);
        fputc(',', p->out);
        at = e->byte_end;
    }
    put_json(p, doc->text + at, doc->len - at);
    fputc(']', p->out);
}

/* Rules, kinds, actions and reasons repeat from edit to edit: the page
   holds each once, in "strings", and the edits refer to them by number
   (a megabyte of text with 12,600 edits: 3.4 MB of page without, 2 MB with). */
typedef struct {
    const char **strings; /* by number, in order of first use */
    size_t count;
    size_t *slots;        /* open addressing: a string's number + 1, 0 for none */
    size_t mask;          /* slots - 1; slots is a power of two above twice the most */
} string_table;

enum { STRINGS_PER_EDIT = 4 };

static int string_table_init(string_table *t, size_t edits)
{
    size_t most = edits * STRINGS_PER_EDIT, slots = 16;
    while (slots < 2 * most + 1)
        slots *= 2;
    t->strings = malloc((most ? most : 1) * sizeof *t->strings);
    t->slots = calloc(slots, sizeof *t->slots);
    t->count = 0;
    t->mask = slots - 1;
    return t->strings && t->slots ? 0 : -1;
}

static void string_table_free(string_table *t)
{
    free(t->strings);
    free(t->slots);
}

/* The number of s, given it the first time. */
static size_t intern(string_table *t, const char *s)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 16777619u;
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        size_t slot = t->slots[i];
        if (slot == 0) {
            t->strings[t->count] = s;
            t->slots[i] = ++t->count;
            return t->count - 1;
        }
        if (strcmp(t->strings[slot - 1], s) == 0)
            return slot - 1;
    }
}

/* Each edit as an array: line, column, byte_start, byte_end, cp_start,
   cp_end, old, new, then the numbers of its rule, kind and action, its
   confidence and the number of its reason (the order the script reads them
   in); then the strings those numbers refer to. */
static void put_edits(page *p, const errata_result *result, string_table *strings)
{
    FILE *out = p->out;
    size_t count = errata_result_count(result);
    fputs("\"edits\":[", out);
    for (size_t i = 0; i < count; i++) {
        errata_edit slot;
        const errata_edit *e = errata_cli_result_edit(result, i, &slot);
        fprintf(out, "%s\n[%zu,%zu,%zu,%zu,%zu,%zu,", i ? "," : "", e->line, e->column,
                e->byte_start, e->byte_end, e->cp_start, e->cp_end);
        put_string(p, e->old_text);
        fputc(',', out);
        put_string(p, e->new_text);
        /* Numbered in this order (not in whatever order arguments are evaluated). */
        size_t rule = intern(strings, e->rule);
        size_t kind = intern(strings, errata_kind_name(e->kind));
        size_t action = intern(strings, errata_action_name(e->action));
        size_t reason = intern(strings, e->reason);
        fprintf(out, ",%zu,%zu,%zu,%.3f,%zu]", rule, kind, action, e->confidence, reason);
    }
    fputs("],\n\"strings\":[", out);
    for (size_t i = 0; i < strings->count; i++) {
        fputs(i ? ",\n" : "", out);
        put_string(p, strings->strings[i]);
    }
    fputs("]", out);
}

static void put_data(page *p, const char *path, const errata_cli_document *doc,
                     const errata_result *result, string_table *strings)
{
    FILE *out = p->out;
    fputs("<script type=\"application/json\" id=\"errata-data\">{\"file\":", out);
    put_string(p, path);
    fputs(",\"name\":", out);
    put_string(p, strcmp(path, "-") == 0 ? "standard-input" : base_name(path));
    fputs(",\"encoding\":", out);
    put_string(p, errata_encoding_name(doc->encoding));
    fprintf(out, ",\"bytes\":%zu,\n", doc->raw.len);
    put_gaps(p, doc, result);
    fputs(",\n", out);
    put_edits(p, result, strings);
    fputs("}</script>\n", out);
}

int errata_html_review_page(FILE *out, const char *path, const errata_cli_document *doc,
                            const errata_result *result)
{
    string_table strings;
    if (string_table_init(&strings, errata_result_count(result))) {
        string_table_free(&strings);
        fprintf(stderr, "errata: %s: out of memory\n", errata_cli_display_name(path));
        return -1;
    }
    char nonce[ERRATA_HTML_NONCE_SIZE];
    errata_html_nonce(nonce);
    const char *name = strcmp(path, "-") == 0 ? "standard input" : base_name(path);
    char title[512];
    snprintf(title, sizeof title, "%s \xe2\x80\x94 errata review", name);
    errata_html_asset css = errata_html_review_css(), body = errata_html_review_body(),
                      js = errata_html_review_js();
    errata_html_put_head(out, nonce, title, css.data, css.len);
    fwrite(body.data, 1, body.len, out);
    page p = {out, 0};
    put_data(&p, path, doc, result, &strings);
    string_table_free(&strings);
    if (p.failed) {
        fprintf(stderr, "errata: %s: out of memory\n", errata_cli_display_name(path));
        return -1;
    }
    fprintf(out, "<script nonce=\"%s\">\n", nonce);
    fwrite(js.data, 1, js.len, out);
    fputs("</script>\n</body>\n</html>\n", out);
    return 0;
}
