/* The language server's findings: checking a document, its diagnostics,
   the code actions that repair it, the settings and the engine they make. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp.h"
#include "review.h"

/* LSP DiagnosticSeverity by action: apply a warning, propose information,
   flag a hint. */
static int severity(errata_action action)
{
    return action == ERRATA_ACTION_APPLY ? 2 : action == ERRATA_ACTION_PROPOSE ? 3 : 4;
}

void errata_lsp_findings_clear(errata_lsp_findings *findings)
{
    errata_result_free(findings->result);
    free(findings->ranges);
    memset(findings, 0, sizeof *findings);
}

/* ------------------------------------------------------------ messages */

/* Text as a diagnostic shows it: line breaks and control characters as
   escapes, nothing as U+2205 EMPTY SET (as errata check prints them). */
static int append_visible(errata_cli_buffer *b, const char *s)
{
    if (!*s)
        return errata_cli_buffer_append(b, "\xe2\x88\x85", 3);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char escape[8];
        if (c == '\n')
            strcpy(escape, "\\n");
        else if (c == '\t')
            strcpy(escape, "\\t");
        else if (c == '\r')
            strcpy(escape, "\\r");
        else if (c < 0x20 || c == 0x7f)
            snprintf(escape, sizeof escape, "\\x%02x", c);
        else {
            if (errata_cli_buffer_append(b, s, 1))
                return -1;
            continue;
        }
        if (errata_cli_buffer_append(b, escape, strlen(escape)))
            return -1;
    }
    return 0;
}

static int append_str(errata_cli_buffer *b, const char *s)
{
    return errata_cli_buffer_append(b, s, strlen(s));
}

/* "old → new" (a flag: "old"). */
static int append_change(errata_cli_buffer *b, const errata_edit *e)
{
    if (append_visible(b, e->old_text))
        return -1;
    if (e->action == ERRATA_ACTION_FLAG)
        return 0;
    return append_str(b, " \xe2\x86\x92 ") || append_visible(b, e->new_text);
}

/* A diagnostic's message: "old → new: reason". */
static int diagnostic_message(errata_cli_buffer *b, const errata_edit *e)
{
    b->len = 0;
    if (append_change(b, e))
        return -1;
    return *e->reason ? append_str(b, ": ") || append_str(b, e->reason) : 0;
}

/* ------------------------------------------------------------ JSON */

static void write_position(errata_json_writer *w, errata_lsp_position p)
{
    errata_json_begin_object(w);
    errata_json_key(w, "line");
    errata_json_uint(w, p.line);
    errata_json_key(w, "character");
    errata_json_uint(w, p.character);
    errata_json_end_object(w);
}

static void write_range(errata_json_writer *w, errata_lsp_range r)
{
    errata_json_begin_object(w);
    errata_json_key(w, "start");
    write_position(w, r.start);
    errata_json_key(w, "end");
    write_position(w, r.end);
    errata_json_end_object(w);
}

static int write_diagnostic(errata_json_writer *w, const errata_edit *e, errata_lsp_range range,
                            errata_cli_buffer *scratch)
{
    if (diagnostic_message(scratch, e))
        return -1;
    errata_json_begin_object(w);
    errata_json_key(w, "range");
    write_range(w, range);
    errata_json_key(w, "severity");
    errata_json_uint(w, (uintmax_t)severity(e->action));
    errata_json_key(w, "code");
    errata_json_string(w, e->rule);
    errata_json_key(w, "source");
    errata_json_string(w, "errata");
    errata_json_key(w, "message");
    errata_json_string_n(w, scratch->data, scratch->len);
    return errata_json_end_object(w);
}

static void write_int64(errata_json_writer *w, int64_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", (long long)n);
    errata_json_raw(w, digits);
}

/* Begin a notification: {"jsonrpc":"2.0","method":METHOD,"params": */
static void begin_notification(errata_json_writer *w, const char *method)
{
    errata_json_begin_object(w);
    errata_json_key(w, "jsonrpc");
    errata_json_string(w, "2.0");
    errata_json_key(w, "method");
    errata_json_string(w, method);
    errata_json_key(w, "params");
}

static int publish(errata_lsp_server *s, const char *uri, const errata_lsp_document *doc)
{
    errata_cli_buffer body = {0}, scratch = {0};
    errata_json_writer w = errata_json_to_buffer(&body, 0);
    begin_notification(&w, "textDocument/publishDiagnostics");
    errata_json_begin_object(&w);
    errata_json_key(&w, "uri");
    errata_json_string(&w, uri);
    if (doc) {
        errata_json_key(&w, "version");
        write_int64(&w, doc->findings.version);
    }
    errata_json_key(&w, "diagnostics");
    errata_json_begin_array(&w);
    const errata_lsp_findings *f = doc ? &doc->findings : NULL;
    size_t count = f && f->result ? errata_result_count(f->result) : 0;
    int failed = 0;
    for (size_t i = 0; i < count && !failed; i++)
        failed = write_diagnostic(&w, errata_result_edit(f->result, i), f->ranges[i], &scratch);
    errata_json_end_array(&w);
    errata_json_end_object(&w);
    errata_json_end_object(&w);
    int rc = failed || w.failed ? -1 : errata_lsp_send_json(s, &body);
    free(body.data);
    free(scratch.data);
    return rc;
}

int errata_lsp_clear_diagnostics(errata_lsp_server *s, const char *uri)
{
    return publish(s, uri, NULL);
}

/* window/logMessage: what went wrong, for the client's log. */
int errata_lsp_log(errata_lsp_server *s, int type, const char *message)
{
    errata_cli_buffer body = {0};
    errata_json_writer w = errata_json_to_buffer(&body, 0);
    begin_notification(&w, "window/logMessage");
    errata_json_begin_object(&w);
    errata_json_key(&w, "type");
    errata_json_uint(&w, (uintmax_t)type);
    errata_json_key(&w, "message");
    errata_json_string(&w, message);
    errata_json_end_object(&w);
    errata_json_end_object(&w);
    int rc = w.failed ? -1 : errata_lsp_send_json(s, &body);
    free(body.data);
    return rc;
}

/* ------------------------------------------------------------ checking */

static errata_check_options check_options(const errata_lsp_server *s)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.apply_threshold = s->settings.threshold;
    if (opts.propose_threshold > opts.apply_threshold)
        opts.propose_threshold = opts.apply_threshold;
    opts.disabled_rules = s->disabled_rules;
    opts.no_positions = 1; /* the server counts its own, in UTF-16 */
    return opts;
}

/* The findings of doc's text as it is now. */
static int find(errata_lsp_server *s, errata_lsp_document *doc, const char **problem)
{
    errata_lsp_findings *f = &doc->findings;
    errata_lsp_findings_clear(f);
    f->version = doc->version;
    errata_check_options opts = check_options(s);
    int rc = errata_check_scratch(s->engine, s->scratch, doc->text, doc->len, &opts, &f->result);
    if (rc != ERRATA_OK) {
        f->result = NULL;
        *problem = errata_cli_failure(rc);
        return rc == ERRATA_ENOMEM ? -1 : 0;
    }
    size_t count = errata_result_count(f->result);
    errata_lsp_cursor cur;
    f->ranges = malloc((count ? count : 1) * sizeof *f->ranges);
    if (!f->ranges || errata_lsp_cursor_init(&cur, doc)) {
        errata_lsp_findings_clear(f);
        *problem = "out of memory";
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        const errata_edit *e = errata_result_edit(f->result, i);
        f->ranges[i].start = errata_lsp_cursor_move(&cur, e->byte_start);
        f->ranges[i].end = errata_lsp_cursor_move(&cur, e->byte_end);
    }
    return 0;
}

int errata_lsp_find(errata_lsp_server *s, errata_lsp_document *doc)
{
    if (!doc->checkable || doc->check_due < 0)
        return 0;
    doc->check_due = -1;
    const char *problem = NULL;
    int rc = find(s, doc, &problem);
    if (problem) {
        char message[512];
        snprintf(message, sizeof message, "errata: %s (version %lld): %s", doc->uri,
                 (long long)doc->version, problem);
        rc |= errata_lsp_log(s, 1, message);
    }
    return rc;
}

int errata_lsp_publish(errata_lsp_server *s, const errata_lsp_document *doc)
{
    return publish(s, doc->uri, doc);
}

int errata_lsp_check_document(errata_lsp_server *s, errata_lsp_document *doc)
{
    if (!doc->checkable || doc->check_due < 0)
        return 0;
    return errata_lsp_find(s, doc) || errata_lsp_publish(s, doc);
}

/* ------------------------------------------------------------ code actions */

/* Whether the client's "only" list (NULL: none) lets through actions of
   kind. */
static int kind_wanted(const errata_json_value *only, const char *kind)
{
    if (!only || only->type != ERRATA_JSON_ARRAY)
        return 1;
    for (size_t i = 0; i < only->count; i++) {
        const errata_json_value *o = &only->items[i];
        if (o->type != ERRATA_JSON_STRING)
            continue;
        size_t n = o->string_len;
        if (strncmp(kind, o->string, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
            return 1;
    }
    return 0;
}

/* A WorkspaceEdit making the chosen edits of doc's findings (selected[i],
   or only edit `one` when selected is NULL). */
static void write_workspace_edit(errata_lsp_server *s, errata_json_writer *w,
                                 const errata_lsp_document *doc, const unsigned char *selected,
                                 size_t one)
{
    const errata_lsp_findings *f = &doc->findings;
    errata_json_begin_object(w);
    if (s->document_changes) {
        errata_json_key(w, "documentChanges");
        errata_json_begin_array(w);
        errata_json_begin_object(w);
        errata_json_key(w, "textDocument");
        errata_json_begin_object(w);
        errata_json_key(w, "uri");
        errata_json_string(w, doc->uri);
        errata_json_key(w, "version");
        write_int64(w, doc->version);
        errata_json_end_object(w);
        errata_json_key(w, "edits");
    } else {
        errata_json_key(w, "changes");
        errata_json_begin_object(w);
        errata_json_key(w, doc->uri);
    }
    errata_json_begin_array(w);
    size_t count = errata_result_count(f->result);
    for (size_t i = 0; i < count; i++) {
        if (selected ? !selected[i] : i != one)
            continue;
        errata_json_begin_object(w);
        errata_json_key(w, "range");
        write_range(w, f->ranges[i]);
        errata_json_key(w, "newText");
        errata_json_string(w, errata_result_edit(f->result, i)->new_text);
        errata_json_end_object(w);
    }
    errata_json_end_array(w);
    errata_json_end_object(w);
    if (s->document_changes)
        errata_json_end_array(w);
    errata_json_end_object(w);
}

static void begin_action(errata_json_writer *w, const char *title, const char *kind)
{
    errata_json_begin_object(w);
    errata_json_key(w, "title");
    errata_json_string(w, title);
    errata_json_key(w, "kind");
    errata_json_string(w, kind);
}

/* The quick fix of edit i: "Fix: old → new". */
static int write_quick_fix(errata_lsp_server *s, errata_json_writer *w,
                           const errata_lsp_document *doc, size_t i, errata_cli_buffer *scratch)
{
    const errata_lsp_findings *f = &doc->findings;
    const errata_edit *e = errata_result_edit(f->result, i);
    scratch->len = 0;
    if (append_str(scratch, "Fix: ") || append_change(scratch, e))
        return -1;
    begin_action(w, scratch->data, "quickfix");
    errata_json_key(w, "diagnostics");
    errata_json_begin_array(w);
    if (write_diagnostic(w, e, f->ranges[i], scratch))
        return -1;
    errata_json_end_array(w);
    errata_json_key(w, "isPreferred");
    errata_json_bool(w, e->action == ERRATA_ACTION_APPLY);
    errata_json_key(w, "edit");
    write_workspace_edit(s, w, doc, NULL, i);
    return errata_json_end_object(w);
}

/* "Never change old": the errata.keepWord command, as review's N. */
static int write_keep_word(errata_json_writer *w, const errata_lsp_document *doc, size_t i,
                           errata_cli_buffer *scratch)
{
    const errata_lsp_findings *f = &doc->findings;
    const errata_edit *e = errata_result_edit(f->result, i);
    scratch->len = 0;
    if (append_str(scratch, "Never change \xe2\x80\x9c") || append_str(scratch, e->old_text) ||
        append_str(scratch, "\xe2\x80\x9d (add it to the user dictionary)"))
        return -1;
    begin_action(w, scratch->data, "quickfix");
    errata_json_key(w, "command");
    errata_json_begin_object(w);
    errata_json_key(w, "title");
    errata_json_string(w, scratch->data);
    errata_json_key(w, "command");
    errata_json_string(w, "errata.keepWord");
    errata_json_key(w, "arguments");
    errata_json_begin_array(w);
    errata_json_string(w, e->old_text);
    errata_json_end_array(w);
    errata_json_end_object(w);
    errata_json_key(w, "diagnostics");
    errata_json_begin_array(w);
    if (write_diagnostic(w, e, f->ranges[i], scratch))
        return -1;
    errata_json_end_array(w);
    return errata_json_end_object(w);
}

/* "Apply all confident fixes": every edit whose action is apply. */
static int write_fix_all(errata_lsp_server *s, errata_json_writer *w,
                         const errata_lsp_document *doc)
{
    const errata_result *result = doc->findings.result;
    size_t count = errata_result_count(result), chosen = 0;
    unsigned char *selected = malloc(count ? count : 1);
    if (!selected)
        return -1;
    for (size_t i = 0; i < count; i++) {
        selected[i] = errata_result_edit(result, i)->action == ERRATA_ACTION_APPLY;
        chosen += selected[i];
    }
    if (chosen) {
        char title[96];
        snprintf(title, sizeof title, "Apply all confident fixes in this document (%zu)", chosen);
        begin_action(w, title, "source.fixAll");
        errata_json_key(w, "edit");
        write_workspace_edit(s, w, doc, selected, 0);
        errata_json_end_object(w);
    }
    free(selected);
    return w->failed;
}

/* Whether a keep-word entry can stop this edit: the words of the
   dictionaries' swaps. */
static int keepable(const errata_edit *e)
{
    return e->kind == ERRATA_KIND_SWAP && *e->old_text && !strpbrk(e->old_text, "\t\r\n");
}

int errata_lsp_code_actions(errata_lsp_server *s, errata_lsp_document *doc, size_t from,
                            size_t to, const errata_json_value *only, errata_json_writer *w)
{
    errata_cli_buffer scratch = {0};
    int failed = doc->checkable ? errata_lsp_check_document(s, doc) : 0;
    errata_json_begin_array(w);
    const errata_result *result = doc->findings.result;
    size_t count = result ? errata_result_count(result) : 0;
    for (size_t i = 0; i < count && !failed; i++) {
        const errata_edit *e = errata_result_edit(result, i);
        if (e->byte_start > to || e->byte_end < from || e->action == ERRATA_ACTION_FLAG)
            continue;
        if (kind_wanted(only, "quickfix"))
            failed = write_quick_fix(s, w, doc, i, &scratch);
        if (!failed && kind_wanted(only, "quickfix") && keepable(e))
            failed = write_keep_word(w, doc, i, &scratch);
    }
    if (!failed && count && kind_wanted(only, "source.fixAll"))
        failed = write_fix_all(s, w, doc);
    errata_json_end_array(w);
    free(scratch.data);
    return failed || w->failed ? -1 : 0;
}
