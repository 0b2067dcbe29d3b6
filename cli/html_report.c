/* errata fix --report: the summary page of a batch run (its files, the
   edits by rule, the flagged damage that was not repaired) and, when the
   report is a folder, a review page for every file, linked from it.  The
   summary is static HTML: a style sheet and no script. */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "html.h"

/* ------------------------------------------------------------ one file */

static int copy_flag(errata_batch_flag *flag, const errata_edit *e)
{
    flag->line = e->line;
    flag->column = e->column;
    flag->old_text = strdup(e->old_text);
    flag->rule = strdup(e->rule);
    flag->reason = strdup(e->reason);
    return flag->old_text && flag->rule && flag->reason ? 0 : -1;
}

static int record_edits(const errata_cli_common *common, const errata_result *result,
                        errata_batch_file_report *r)
{
    size_t count = errata_result_count(result);
    for (size_t i = 0; i < count; i++) {
        errata_edit slot;
        const errata_edit *e = errata_cli_result_edit(result, i, &slot);
        if (e->action == ERRATA_ACTION_FLAG) {
            size_t cap = r->flag_count; /* grown one at a time: flags are few */
            errata_batch_flag *more = realloc(r->flags, (cap + 1) * sizeof *more);
            if (!more)
                return -1;
            r->flags = more;
            memset(&r->flags[r->flag_count], 0, sizeof *more);
            if (copy_flag(&r->flags[r->flag_count++], e))
                return -1;
        } else if (errata_cli_edit_applies(common, e)) {
            r->applied++;
        } else {
            r->proposed++;
        }
    }
    return 0;
}

/* "files/12-name.txt.html": the file's number in the run keeps names apart;
   in the name, only letters, digits, . - _ and non-ASCII are kept. */
static char *page_name(size_t index, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash && slash[1] ? slash + 1 : path;
    if (strcmp(path, "-") == 0)
        base = "standard-input";
    size_t size = strlen(base) + 48;
    char *name = malloc(size);
    if (!name)
        return NULL;
    int n = snprintf(name, size, "files/%zu-", index + 1);
    char *out = name + n;
    for (const unsigned char *s = (const unsigned char *)base; *s; s++)
        *out++ = *s >= 0x80 || strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789.-_", *s)
                     ? (char)*s
                     : '_';
    strcpy(out, ".html");
    return name;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    char *path = malloc(n + strlen(name) + 2);
    if (path)
        sprintf(path, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
    return path;
}

/* The review page of the file, written to the report folder. */
static int write_page(errata_batch_console *console, const errata_batch_options *options,
                      const errata_cli_document *doc, const errata_result *result,
                      errata_batch_file_report *r)
{
    char *path = join(options->report, r->page), *data = NULL;
    size_t len = 0;
    FILE *page = open_memstream(&data, &len);
    int rc = path && page ? 0 : -1;
    if (rc)
        errata_batch_note(console, r->path, "out of memory");
    else
        rc = errata_html_review_page(page, r->path, doc, result); /* reports itself */
    if (page && fclose(page) != 0 && !rc) {
        errata_batch_note(console, r->path, "out of memory");
        rc = -1;
    }
    if (!rc && (errata_batch_make_parents(console, path) ||
                errata_cli_write_atomic(path, data, len)))
        rc = -1;
    free(path);
    free(data);
    return rc;
}

int errata_batch_report_file(errata_batch_console *console, const errata_cli_common *common,
                             const errata_batch_options *options, size_t index,
                             const errata_cli_document *doc, const errata_result *result,
                             errata_batch_file_report *r)
{
    r->encoding = errata_encoding_name(doc->encoding);
    r->bytes = doc->raw.len;
    if (record_edits(common, result, r) ||
        (options->report_folder && !(r->page = page_name(index, r->path)))) {
        errata_batch_note(console, r->path, "out of memory");
        return -1;
    }
    return options->report_folder ? write_page(console, options, doc, result, r) : 0;
}

void errata_batch_report_file_free(errata_batch_file_report *r)
{
    for (size_t i = 0; i < r->flag_count; i++) {
        free(r->flags[i].old_text);
        free(r->flags[i].rule);
        free(r->flags[i].reason);
    }
    free(r->flags);
    free(r->page);
    r->flags = NULL;
    r->page = NULL;
    r->flag_count = 0;
}

/* ------------------------------------------------------------ the summary */

static void put_text(FILE *out, const char *s) { errata_html_put_text(out, s, strlen(s)); }

static const char *status_word(const errata_batch_file_report *r)
{
    if (r->status == ERRATA_BATCH_FILE_FAILED)
        return "failed";
    if (r->status == ERRATA_BATCH_FILE_SKIPPED)
        return "skipped (not text)";
    return r->changed ? "repaired" : "unchanged";
}

static void put_totals(FILE *out, const errata_batch_stats *stats,
                       const errata_batch_file_report *const *files, size_t count)
{
    size_t applied = 0, proposed = 0, flagged = 0;
    for (size_t i = 0; i < count; i++) {
        applied += files[i]->applied;
        proposed += files[i]->proposed;
        flagged += files[i]->flag_count;
    }
    fprintf(out,
            "<p class=\"totals\"><b>%zu</b> files read, <b>%zu</b> changed, <b>%zu</b> skipped, "
            "<b>%zu</b> failed (%.1f MB). <b>%zu</b> edits applied, <b>%zu</b> proposed "
            "(left for review), <b>%zu</b> places flagged.</p>\n",
            stats->read, stats->changed, stats->skipped, stats->failed,
            (double)stats->bytes / 1e6, applied, proposed, flagged);
}

static void put_files(FILE *out, const errata_batch_file_report *const *files, size_t count)
{
    fputs("<h2>Files</h2>\n<table class=\"files\">\n<thead><tr><th>file</th><th>status</th>"
          "<th>encoding</th><th class=\"n\">bytes</th><th class=\"n\">applied</th>"
          "<th class=\"n\">proposed</th><th class=\"n\">flagged</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < count; i++) {
        const errata_batch_file_report *r = files[i];
        fputs("<tr><td>", out);
        if (r->page) {
            fputs("<a href=\"", out);
            put_text(out, r->page);
            fputs("\">", out);
        }
        put_text(out, errata_cli_display_name(r->path));
        static const char *const status_class[] = {"failed", "skipped", "done"};
        fprintf(out, "%s</td><td class=\"s-%s\">%s</td><td>%s</td>", r->page ? "</a>" : "",
                status_class[r->status], status_word(r),
                r->encoding ? r->encoding : "");
        if (r->status == ERRATA_BATCH_FILE_DONE)
            fprintf(out, "<td class=\"n\">%llu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                         "<td class=\"n\">%zu</td></tr>\n",
                    (unsigned long long)r->bytes, r->applied, r->proposed, r->flag_count);
        else
            fputs("<td></td><td></td><td></td><td></td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
}

static int put_rules(FILE *out, const errata_batch_stats *stats)
{
    size_t n;
    errata_rule_total *totals = errata_rule_counts_sorted(&stats->rules, &n);
    if (!totals)
        return -1;
    fputs("<h2>Edits applied, by rule</h2>\n", out);
    if (n == 0)
        fputs("<p>None.</p>\n", out);
    else
        fputs("<table class=\"rules\">\n<thead><tr><th class=\"n\">edits</th><th>rule</th></tr>"
              "</thead>\n<tbody>\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "<tr><td class=\"n\">%zu</td><td>", totals[i].count);
        put_text(out, totals[i].rule);
        fputs("</td></tr>\n", out);
    }
    if (n)
        fputs("</tbody>\n</table>\n", out);
    free(totals);
    return 0;
}

static void put_flags(FILE *out, const errata_batch_file_report *const *files, size_t count)
{
    fputs("<h2>Flagged damage, not repaired</h2>\n", out);
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += files[i]->flag_count;
    if (total == 0) {
        fputs("<p>None.</p>\n", out);
        return;
    }
    fputs("<table class=\"flags\">\n<thead><tr><th>where</th><th>text</th><th>rule</th>"
          "<th>why</th></tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < files[i]->flag_count; j++) {
            const errata_batch_flag *f = &files[i]->flags[j];
            fputs("<tr><td>", out);
            put_text(out, errata_cli_display_name(files[i]->path));
            fprintf(out, ":%zu:%zu</td><td class=\"old\">", f->line, f->column);
            put_text(out, f->old_text);
            fputs("</td><td>", out);
            put_text(out, f->rule);
            fputs("</td><td>", out);
            put_text(out, f->reason);
            fputs("</td></tr>\n", out);
        }
    fputs("</tbody>\n</table>\n", out);
}

static int put_report(FILE *out, const errata_batch_stats *stats,
                      const errata_batch_file_report *const *files, size_t count)
{
    char nonce[ERRATA_HTML_NONCE_SIZE];
    errata_html_nonce(nonce);
    errata_html_asset css = errata_html_report_css();
    errata_html_put_head(out, nonce, "errata batch report", css.data, css.len);
    fputs("<main>\n<h1>errata batch report</h1>\n", out);
    put_totals(out, stats, files, count);
    put_files(out, files, count);
    if (put_rules(out, stats))
        return -1;
    put_flags(out, files, count);
    fputs("</main>\n</body>\n</html>\n", out);
    return 0;
}

int errata_batch_report_write(const errata_batch_options *options,
                              const errata_batch_stats *stats,
                              const errata_batch_file_report *const *files, size_t count)
{
    char *path = options->report_folder ? join(options->report, "index.html")
                                        : strdup(options->report);
    char *data = NULL;
    size_t len = 0;
    FILE *page = open_memstream(&data, &len);
    int rc = path && page ? 0 : -1;
    if (!rc)
        rc = put_report(page, stats, files, count);
    if (page && fclose(page) != 0)
        rc = -1;
    if (rc)
        fputs("errata: out of memory\n", stderr);
    else
        rc = errata_cli_write_atomic(path, data, len);
    free(path);
    free(data);
    return rc;
}
