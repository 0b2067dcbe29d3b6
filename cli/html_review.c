/* The review page of one document: the page's skeleton, style and script
   (cli/html/review.*) and the document with its edits as JSON data, which
   the script lays out.  The document reaches the page only inside that JSON
   (escaped for a <script> element) and the file name also in the title
   (escaped for HTML); the script puts text into the page as text nodes. */
#include <string.h>

#include "html.h"

static void put_string(FILE *out, const char *s) { errata_html_put_json_string(out, s, strlen(s)); }

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* The text between the edits: count + 1 strings (edits do not overlap). */
static void put_gaps(FILE *out, const errata_cli_document *doc, const errata_result *result)
{
    size_t count = errata_result_count(result), at = 0;
    fputs("\"gaps\":[", out);
    for (size_t i = 0; i < count; i++) {
        const errata_edit *e = errata_result_edit(result, i);
        errata_html_put_json_string(out, doc->text + at, e->byte_start - at);
        fputc(',', out);
        at = e->byte_end;
    }
    errata_html_put_json_string(out, doc->text + at, doc->len - at);
    fputc(']', out);
}

/* Each edit as an array: line, column, byte_start, byte_end, cp_start,
   cp_end, old, new, rule, kind, action, confidence, reason (the order the
   script reads them in). */
static void put_edits(FILE *out, const errata_result *result)
{
    size_t count = errata_result_count(result);
    fputs("\"edits\":[", out);
    for (size_t i = 0; i < count; i++) {
        const errata_edit *e = errata_result_edit(result, i);
        fprintf(out, "%s\n[%zu,%zu,%zu,%zu,%zu,%zu,", i ? "," : "", e->line, e->column,
                e->byte_start, e->byte_end, e->cp_start, e->cp_end);
        put_string(out, e->old_text);
        fputc(',', out);
        put_string(out, e->new_text);
        fputc(',', out);
        put_string(out, e->rule);
        fprintf(out, ",\"%s\",\"%s\",%.3f,", errata_kind_name(e->kind),
                errata_action_name(e->action), e->confidence);
        put_string(out, e->reason);
        fputc(']', out);
    }
    fputs("]", out);
}

static void put_data(FILE *out, const char *path, const errata_cli_document *doc,
                     const errata_result *result)
{
    fputs("<script type=\"application/json\" id=\"errata-data\">{\"file\":", out);
    put_string(out, path);
    fputs(",\"name\":", out);
    put_string(out, strcmp(path, "-") == 0 ? "standard-input" : base_name(path));
    fputs(",\"encoding\":", out);
    put_string(out, errata_encoding_name(doc->encoding));
    fprintf(out, ",\"bytes\":%zu,\n", doc->raw.len);
    put_gaps(out, doc, result);
    fputs(",\n", out);
    put_edits(out, result);
    fputs("}</script>\n", out);
}

int errata_html_review_page(FILE *out, const char *path, const errata_cli_document *doc,
                            const errata_result *result)
{
    char nonce[ERRATA_HTML_NONCE_SIZE];
    errata_html_nonce(nonce);
    const char *name = strcmp(path, "-") == 0 ? "standard input" : base_name(path);
    char title[512];
    snprintf(title, sizeof title, "%s \xe2\x80\x94 errata review", name);
    errata_html_asset css = errata_html_review_css(), body = errata_html_review_body(),
                      js = errata_html_review_js();
    errata_html_put_head(out, nonce, title, css.data, css.len);
    fwrite(body.data, 1, body.len, out);
    put_data(out, path, doc, result);
    fprintf(out, "<script nonce=\"%s\">\n", nonce);
    fwrite(js.data, 1, js.len, out);
    fputs("</script>\n</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
