/* errata lsp: a language server (LSP 3.17 over standard input and output).
 *
 * One thread, one event loop.  A change to a document is applied at once
 * and its check is due a short pause later (debounce); the loop checks a
 * document when its check is due and no message is waiting to be read, so
 * that a version the client has already replaced is never checked: its
 * work is dropped before it starts.  A check of a long document (about
 * 0.1 s for 1 MB) runs to its end; messages that arrive meanwhile wait in
 * the pipe.  A request that a $/cancelRequest read in the same batch
 * cancels is answered RequestCancelled without being worked on. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lsp.h"

/* The pause after a change before the document is checked again. */
#define DEFAULT_DEBOUNCE_MS 200

static const char lsp_help[] =
    "Usage: errata lsp [OPTION...]\n"
    "Run errata as a language server (LSP 3.17) on standard input and output, for\n"
    "editors: plain-text and Markdown documents get a diagnostic for each edit\n"
    "errata finds, and code actions that make one fix, all confident fixes, or add\n"
    "a word to the user dictionary so that it is never changed.\n"
    "\n"
    "The client may set threshold, disabledRules, dictionaries and userDictionary\n"
    "in initializationOptions or in the settings' \"errata\" section.\n"
    "\n"
    "  --dict FILE, --no-default-dict, --model FILE, --no-model, --char-model FILE,\n"
    "  --no-char-model, --threshold=X, --conservative, --aggressive,\n"
    "  --disable=RULE,...: as for errata fix (the\n"
    "  client's dictionaries and rules add to them, its threshold replaces them).\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 after a shutdown request and exit, 1 on exit without shutdown\n"
    "or at the end of input without exit, 2 error.\n";

typedef enum { STATE_NEW, STATE_RUNNING, STATE_SHUT_DOWN } server_state;

typedef struct {
    errata_lsp_server s;
    server_state state;
    int exit_status; /* -1 until exit */
} server;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int errata_lsp_send_json(errata_lsp_server *s, errata_cli_buffer *body)
{
    return errata_lsp_send(s->out_fd, body->data, body->len);
}

/* Members of a message's objects, where any level may be missing (NULL). */
static const errata_json_value *get(const errata_json_value *object, const char *key)
{
    return object ? errata_json_get(object, key) : NULL;
}

static const char *get_string(const errata_json_value *object, const char *key)
{
    return object ? errata_json_get_string(object, key) : NULL;
}

/* ------------------------------------------------------------ replies */

/* A request's id: a number or a string, as its JSON text. */
typedef struct {
    const char *json;
    size_t len;
} request_id;

static void begin_reply(errata_json_writer *w, const request_id *id)
{
    errata_json_begin_object(w);
    errata_json_key(w, "jsonrpc");
    errata_json_string(w, "2.0");
    errata_json_key(w, "id");
    if (!id || !id->json) {
        errata_json_null(w);
        return;
    }
    char *copy = strndup(id->json, id->len);
    if (copy)
        errata_json_raw(w, copy);
    else
        w->failed = 1;
    free(copy);
}

static int finish_reply(server *sv, errata_json_writer *w, errata_cli_buffer *body)
{
    errata_json_end_object(w);
    int rc = w->failed ? -1 : errata_lsp_send_json(&sv->s, body);
    free(body->data);
    return rc;
}

static int reply_error(server *sv, const request_id *id, int code, const char *message)
{
    errata_cli_buffer body = {0};
    errata_json_writer w = errata_json_to_buffer(&body, 0);
    begin_reply(&w, id);
    errata_json_key(&w, "error");
    errata_json_begin_object(&w);
    errata_json_key(&w, "code");
    char digits[16];
    snprintf(digits, sizeof digits, "%d", code);
    errata_json_raw(&w, digits);
    errata_json_key(&w, "message");
    errata_json_string(&w, message);
    errata_json_end_object(&w);
    return finish_reply(sv, &w, &body);
}

static int reply_null(server *sv, const request_id *id)
{
    errata_cli_buffer body = {0};
    errata_json_writer w = errata_json_to_buffer(&body, 0);
    begin_reply(&w, id);
    errata_json_key(&w, "result");
    errata_json_null(&w);
    return finish_reply(sv, &w, &body);
}

/* ------------------------------------------------------------ documents */

static errata_lsp_document *find_document(server *sv, const char *uri)
{
    for (size_t i = 0; uri && i < sv->s.doc_count; i++)
        if (strcmp(sv->s.docs[i].uri, uri) == 0)
            return &sv->s.docs[i];
    return NULL;
}

/* The languages errata checks (VS Code, Neovim, Emacs and Helix names). */
static int checkable_language(const char *id)
{
    return id && (strcmp(id, "plaintext") == 0 || strcmp(id, "text") == 0 ||
                  strcmp(id, "markdown") == 0);
}

/* An integer member within [min, max]: 0, or -1 when missing or not one. */
static int get_integer(const errata_json_value *o, const char *key, double min, double max,
                       int64_t *out)
{
    const errata_json_value *v = get(o, key);
    if (!v || v->type != ERRATA_JSON_NUMBER || !(v->number >= min && v->number <= max) ||
        v->number != (double)(int64_t)v->number)
        return -1;
    *out = (int64_t)v->number;
    return 0;
}

/* The documents' text as a string member: NULL when missing, or holding a
   lone surrogate (text that cannot be kept). */
static const errata_json_value *get_text(const errata_json_value *o, const char *key)
{
    const errata_json_value *v = get(o, key);
    return v && v->type == ERRATA_JSON_STRING && !v->lone_surrogate ? v : NULL;
}

static const char *did_open(server *sv, const errata_json_value *params)
{
    const errata_json_value *td = get(params, "textDocument");
    const char *uri = get_string(td, "uri");
    const errata_json_value *text = get_text(td, "text");
    int64_t version;
    if (!uri || !text || get_integer(td, "version", -2147483648.0, 2147483647.0, &version))
        return "textDocument needs a uri, a version and a text";
    errata_lsp_server *s = &sv->s;
    errata_lsp_document *doc = find_document(sv, uri);
    if (!doc) {
        if (errata_cli_grow((void **)&s->docs, &s->doc_cap, s->doc_count, sizeof *s->docs))
            return "out of memory";
        doc = &s->docs[s->doc_count];
        memset(doc, 0, sizeof *doc);
        if (!(doc->uri = strdup(uri)))
            return "out of memory";
        s->doc_count++;
    }
    if (errata_lsp_document_set(doc, text->string, text->string_len))
        return "out of memory";
    doc->encoding = s->encoding;
    doc->version = version;
    doc->checkable = checkable_language(get_string(td, "languageId"));
    doc->check_due = now_ms(); /* at once, once the messages waiting are read */
    return NULL;
}

static const char *read_position(const errata_json_value *o, errata_lsp_position *p)
{
    int64_t line, character;
    if (!o || get_integer(o, "line", 0, 4294967295.0, &line) ||
        get_integer(o, "character", 0, 4294967295.0, &character))
        return "a position needs a line and a character (whole numbers from 0)";
    p->line = (size_t)line;
    p->character = (size_t)character;
    return NULL;
}

static const char *read_range(const errata_json_value *o, errata_lsp_range *r)
{
    if (!o || o->type != ERRATA_JSON_OBJECT)
        return "a range needs a start and an end";
    const char *problem = read_position(get(o, "start"), &r->start);
    return problem ? problem : read_position(get(o, "end"), &r->end);
}

static const char *position_problem(int rc)
{
    return rc == ERRATA_LSP_NO_MEMORY ? "out of memory"
                                      : "the range is not in the document (a line past its end, "
                                        "the inside of a character, or an end before its start)";
}

static const char *apply_change(errata_lsp_document *doc, const errata_json_value *change)
{
    const errata_json_value *text = get_text(change, "text");
    if (!text)
        return "a content change needs a text";
    const errata_json_value *range_value = get(change, "range");
    if (!range_value) { /* the whole text */
        return errata_lsp_document_set(doc, text->string, text->string_len) ? "out of memory"
                                                                            : NULL;
    }
    errata_lsp_range range;
    const char *problem = read_range(range_value, &range);
    if (problem)
        return problem;
    int rc = errata_lsp_document_replace(doc, range.start, range.end, text->string,
                                         text->string_len);
    return rc ? position_problem(rc) : NULL;
}

/* Make the changes in order: all of them, or, when one fails, none, so
   that the text stays the one its findings were made on (a change that
   fails changes nothing; with several, they are made on a copy). */
static const char *apply_changes(errata_lsp_document *doc, const errata_json_value *changes)
{
    if (changes->count <= 1)
        return changes->count ? apply_change(doc, &changes->items[0]) : NULL;
    errata_lsp_document copy = {.encoding = doc->encoding};
    const char *problem =
        errata_lsp_document_set(&copy, doc->text, doc->len) ? "out of memory" : NULL;
    for (size_t i = 0; !problem && i < changes->count; i++)
        problem = apply_change(&copy, &changes->items[i]);
    if (!problem) {
        free(doc->text);
        doc->text = copy.text;
        doc->len = copy.len;
        doc->cap = copy.cap;
        doc->lines_valid = 0;
        copy.text = NULL;
    }
    errata_lsp_document_clear(&copy);
    return problem;
}

static const char *did_change(server *sv, const errata_json_value *params)
{
    const errata_json_value *td = get(params, "textDocument");
    const errata_json_value *changes = get(params, "contentChanges");
    int64_t version;
    errata_lsp_document *doc = find_document(sv, get_string(td, "uri"));
    if (!doc)
        return "no such document open";
    if (get_integer(td, "version", -2147483648.0, 2147483647.0, &version) || !changes ||
        changes->type != ERRATA_JSON_ARRAY)
        return "didChange needs a version and contentChanges";
    const char *problem = apply_changes(doc, changes);
    if (problem)
        return problem;
    doc->version = version;
    doc->check_due = now_ms() + sv->s.debounce_ms;
    return NULL;
}

static const char *did_close(server *sv, const errata_json_value *params)
{
    const errata_json_value *td = get(params, "textDocument");
    errata_lsp_document *doc = find_document(sv, get_string(td, "uri"));
    if (!doc)
        return "no such document open";
    errata_lsp_clear_diagnostics(&sv->s, doc->uri);
    errata_lsp_document_clear(doc);
    *doc = sv->s.docs[--sv->s.doc_count];
    return NULL;
}

static const char *did_change_configuration(server *sv, const errata_json_value *params,
                                            char *problem, size_t problem_size)
{
    return errata_lsp_configure(&sv->s, get(params, "settings"), problem, problem_size) ? problem
                                                                                          : NULL;
}

/* ------------------------------------------------------------ requests */

/* The names of errata_lsp_encoding's values in LSP. */
static const char *const encoding_names[] = {
    [ERRATA_LSP_UTF16] = "utf-16", [ERRATA_LSP_UTF8] = "utf-8", [ERRATA_LSP_UTF32] = "utf-32"};

/* The first of the position encodings the client offers (LSP 3.17:
   general.positionEncodings, most preferred first) that errata knows; UTF-16,
   which every client must take, when it offers none of them. */
static errata_lsp_encoding choose_encoding(const errata_json_value *caps)
{
    const errata_json_value *offered = get(get(caps, "general"), "positionEncodings");
    if (!offered || offered->type != ERRATA_JSON_ARRAY)
        return ERRATA_LSP_UTF16;
    size_t known = sizeof encoding_names / sizeof *encoding_names;
    for (size_t i = 0; i < offered->count; i++) {
        const errata_json_value *v = &offered->items[i];
        for (size_t e = 0; v->type == ERRATA_JSON_STRING && e < known; e++)
            if (strlen(encoding_names[e]) == v->string_len &&
                memcmp(encoding_names[e], v->string, v->string_len) == 0)
                return (errata_lsp_encoding)e;
    }
    return ERRATA_LSP_UTF16;
}

static int initialize(server *sv, const request_id *id, const errata_json_value *params)
{
    char problem[512];
    const errata_json_value *caps = get(params, "capabilities");
    const errata_json_value *edit =
        get(get(caps, "workspace"), "workspaceEdit");
    const errata_json_value *changes = get(edit, "documentChanges");
    sv->s.document_changes = changes && changes->type == ERRATA_JSON_BOOL && changes->boolean;
    if (errata_lsp_configure(&sv->s, get(params, "initializationOptions"), problem,
                             sizeof problem))
        return reply_error(sv, id, ERRATA_LSP_INVALID_PARAMS, problem);
    sv->state = STATE_RUNNING;
    sv->s.encoding = choose_encoding(caps);
    errata_cli_buffer body = {0};
    errata_json_writer w = errata_json_to_buffer(&body, 0);
    begin_reply(&w, id);
    errata_json_key(&w, "result");
    char result[512];
    snprintf(result, sizeof result,
             "{\"capabilities\":{\"positionEncoding\":\"%s\","
             "\"textDocumentSync\":{\"openClose\":true,\"change\":2},"
             "\"codeActionProvider\":{\"codeActionKinds\":[\"quickfix\",\"source.fixAll\"]},"
             "\"executeCommandProvider\":{\"commands\":[\"errata.keepWord\"]}},"
             "\"serverInfo\":{\"name\":\"errata\",\"version\":\"" ERRATA_VERSION_STRING "\"}}",
             encoding_names[sv->s.encoding]);
    errata_json_raw(&w, result);
    return finish_reply(sv, &w, &body);
}

static int code_action(server *sv, const request_id *id, const errata_json_value *params)
{
    const errata_json_value *td = get(params, "textDocument");
    errata_lsp_document *doc = find_document(sv, get_string(td, "uri"));
    if (!doc)
        return reply_error(sv, id, ERRATA_LSP_INVALID_PARAMS, "no such document open");
    errata_lsp_range range;
    const char *problem = read_range(get(params, "range"), &range);
    size_t from = 0, to = 0;
    int rc = 0;
    if (!problem && (rc = errata_lsp_position_to_byte(doc, range.start, &from)) == 0)
        rc = errata_lsp_position_to_byte(doc, range.end, &to);
    if (!problem && (rc || to < from))
        problem = position_problem(rc);
    if (problem)
        return reply_error(sv, id, ERRATA_LSP_INVALID_PARAMS, problem);
    const errata_json_value *only = get(get(params, "context"), "only");
    errata_cli_buffer body = {0};
    errata_json_writer w = errata_json_to_buffer(&body, 0);
    begin_reply(&w, id);
    errata_json_key(&w, "result");
    if (errata_lsp_code_actions(&sv->s, doc, from, to, only, &w)) {
        free(body.data);
        return reply_error(sv, id, ERRATA_LSP_INTERNAL_ERROR, "out of memory");
    }
    return finish_reply(sv, &w, &body);
}

static int execute_command(server *sv, const request_id *id, const errata_json_value *params)
{
    const char *command = get_string(params, "command");
    const errata_json_value *args = get(params, "arguments");
    if (!command || strcmp(command, "errata.keepWord") != 0)
        return reply_error(sv, id, ERRATA_LSP_INVALID_PARAMS, "unknown command");
    const errata_json_value *word = args && args->type == ERRATA_JSON_ARRAY && args->count == 1
                                        ? &args->items[0]
                                        : NULL;
    if (!word || word->type != ERRATA_JSON_STRING || word->lone_surrogate ||
        strlen(word->string) != word->string_len)
        return reply_error(sv, id, ERRATA_LSP_INVALID_PARAMS,
                           "errata.keepWord takes one argument, the word");
    char problem[512];
    if (errata_lsp_keep_word(&sv->s, word->string, problem, sizeof problem))
        return reply_error(sv, id, ERRATA_LSP_INVALID_PARAMS, problem);
    return reply_null(sv, id);
}

static int request(server *sv, const request_id *id, const char *method,
                   const errata_json_value *params)
{
    if (sv->state == STATE_NEW)
        return strcmp(method, "initialize") == 0
                   ? initialize(sv, id, params)
                   : reply_error(sv, id, ERRATA_LSP_SERVER_NOT_INITIALIZED,
                                 "the server is not initialized");
    if (sv->state == STATE_SHUT_DOWN)
        return reply_error(sv, id, ERRATA_LSP_INVALID_REQUEST, "the server is shut down");
    if (strcmp(method, "initialize") == 0)
        return reply_error(sv, id, ERRATA_LSP_INVALID_REQUEST, "already initialized");
    if (strcmp(method, "shutdown") == 0) {
        sv->state = STATE_SHUT_DOWN;
        return reply_null(sv, id);
    }
    if (strcmp(method, "textDocument/codeAction") == 0)
        return code_action(sv, id, params);
    if (strcmp(method, "workspace/executeCommand") == 0)
        return execute_command(sv, id, params);
    return reply_error(sv, id, ERRATA_LSP_METHOD_NOT_FOUND, "unknown method");
}

/* A notification that goes wrong has no one to answer: it is logged. */
static int notification(server *sv, const char *method, const errata_json_value *params)
{
    if (strcmp(method, "exit") == 0) {
        sv->exit_status = sv->state == STATE_SHUT_DOWN ? 0 : 1;
        return 0;
    }
    if (sv->state != STATE_RUNNING)
        return 0; /* dropped before initialize and after shutdown */
    const char *problem = NULL;
    char reason[512];
    if (strcmp(method, "textDocument/didOpen") == 0)
        problem = did_open(sv, params);
    else if (strcmp(method, "textDocument/didChange") == 0)
        problem = did_change(sv, params);
    else if (strcmp(method, "textDocument/didClose") == 0)
        problem = did_close(sv, params);
    else if (strcmp(method, "workspace/didChangeConfiguration") == 0)
        problem = did_change_configuration(sv, params, reason, sizeof reason);
    if (!problem)
        return 0;
    errata_cli_buffer message = {0};
    int rc = errata_cli_buffer_append(&message, "errata: ", 8) ||
             errata_cli_buffer_append(&message, method, strlen(method)) ||
             errata_cli_buffer_append(&message, ": ", 2) ||
             errata_cli_buffer_append(&message, problem, strlen(problem));
    rc = rc ? -1 : errata_lsp_log(&sv->s, 1, message.data);
    free(message.data);
    return rc;
}

/* ------------------------------------------------------------ messages */

/* One message read: its JSON, or why it could not be read. */
typedef struct {
    const char *body; /* its bytes in the reader (NULL for a broken header) */
    errata_json_value json;
    int parsed;
    char problem[160];
} message;

/* The message's id when it is a request's: 1, 0 when it has none, -1 when
   it is neither a number nor a string. */
static int read_id(const char *body, const errata_json_value *json, request_id *id)
{
    const errata_json_value *v = get(json, "id");
    if (!v)
        return 0;
    if (v->type != ERRATA_JSON_NUMBER && v->type != ERRATA_JSON_STRING)
        return -1;
    id->json = body + v->start;
    id->len = v->end - v->start;
    return 1;
}

static int same_id(const request_id *a, const request_id *b)
{
    return a->json && b->json && a->len == b->len && memcmp(a->json, b->json, a->len) == 0;
}

/* Whether a $/cancelRequest among the messages names this request. */
static int cancelled(const message *msgs, size_t count, const request_id *id)
{
    for (size_t i = 0; i < count; i++) {
        const char *method = msgs[i].parsed ? get_string(&msgs[i].json, "method") : NULL;
        if (!method || strcmp(method, "$/cancelRequest") != 0)
            continue;
        request_id named = {0};
        if (read_id(msgs[i].body, get(&msgs[i].json, "params"), &named) == 1 &&
            same_id(&named, id))
            return 1;
    }
    return 0;
}

/* Answer message i (the others of its batch are read for cancellations). */
static int handle(server *sv, const message *msgs, size_t count, size_t i)
{
    const message *m = &msgs[i];
    if (!m->parsed)
        return reply_error(sv, NULL, ERRATA_LSP_PARSE_ERROR, m->problem);
    const errata_json_value *json = &m->json;
    request_id id = {0};
    int has_id = read_id(m->body, json, &id);
    const errata_json_value *method = get(json, "method");
    const errata_json_value *params = get(json, "params");
    const char *version = get_string(json, "jsonrpc");
    if (json->type != ERRATA_JSON_OBJECT || has_id < 0 || !version || strcmp(version, "2.0") != 0)
        return reply_error(sv, has_id > 0 ? &id : NULL, ERRATA_LSP_INVALID_REQUEST,
                           "not a JSON-RPC 2.0 message");
    if (!method && has_id && (get(json, "result") || get(json, "error")))
        return 0; /* a response: the server sends no requests */
    if (!method || method->type != ERRATA_JSON_STRING || method->lone_surrogate ||
        (params && params->type != ERRATA_JSON_OBJECT && params->type != ERRATA_JSON_ARRAY))
        return reply_error(sv, has_id ? &id : NULL, ERRATA_LSP_INVALID_REQUEST,
                           "a message needs a method, and params (if any) must be an object "
                           "or an array");
    if (!has_id)
        return notification(sv, method->string, params);
    if (sv->state == STATE_RUNNING && cancelled(msgs, count, &id))
        return reply_error(sv, &id, ERRATA_LSP_REQUEST_CANCELLED, "cancelled");
    return request(sv, &id, method->string, params);
}

/* Parse one message body.  LSP's messages are JSON in UTF-8: the JSON
   reader refuses one that is not whole (a string of it, a uri or an id,
   could not be sent back as it came). */
static void read_message(message *m, const char *body, size_t len)
{
    memset(m, 0, sizeof *m);
    m->body = body;
    errata_json_error err;
    if (errata_json_parse(body, len, &m->json, &err) == ERRATA_JSON_OK) {
        m->parsed = 1;
        return;
    }
    snprintf(m->problem, sizeof m->problem, "invalid JSON at byte %zu of the message: %s",
             err.offset, err.what);
}

/* Every whole message the reader holds: read them all first, so that a
   cancellation is seen before the request it cancels is worked on.  The
   number of messages (and broken headers) read, or -1 when memory or the
   output failed. */
static int handle_batch(server *sv, errata_lsp_reader *r)
{
    message *msgs = NULL;
    size_t count = 0, cap = 0;
    int failed = 0;
    for (;;) {
        const char *body, *problem;
        size_t len;
        int got = errata_lsp_reader_next(r, &body, &len, &problem);
        if (got == 0)
            break;
        if (errata_cli_grow((void **)&msgs, &cap, count, sizeof *msgs)) {
            failed = -1;
            break;
        }
        if (got > 0) {
            read_message(&msgs[count], body, len);
        } else { /* a broken header */
            memset(&msgs[count], 0, sizeof msgs[count]);
            snprintf(msgs[count].problem, sizeof msgs[count].problem,
                     "bad message header: %s", problem);
        }
        count++;
    }
    for (size_t i = 0; i < count && !failed && sv->exit_status < 0; i++)
        failed = handle(sv, msgs, count, i);
    for (size_t i = 0; i < count; i++)
        errata_json_free(&msgs[i].json);
    free(msgs);
    return failed ? -1 : (int)count;
}

/* ------------------------------------------------------------ the loop */

static int input_waiting(int fd, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int n;
    do
        n = poll(&p, 1, timeout_ms);
    while (n < 0 && errno == EINTR);
    return n > 0;
}

/* The document whose check is due first, or NULL. */
static errata_lsp_document *next_due(server *sv)
{
    errata_lsp_document *first = NULL;
    for (size_t i = 0; i < sv->s.doc_count; i++) {
        errata_lsp_document *d = &sv->s.docs[i];
        if (d->checkable && d->check_due >= 0 && (!first || d->check_due < first->check_due))
            first = d;
    }
    return first;
}

/* Read all that is there, so that changes supersede each other before
   anything is checked, and answer it. */
static int read_and_handle(server *sv, errata_lsp_reader *r)
{
    do
        if (errata_lsp_reader_fill(r))
            return -1;
    while (!r->eof && input_waiting(r->fd, 0));
    return handle_batch(sv, r) < 0 ? -1 : 0;
}

/* Check doc.  Messages that came in meanwhile are answered first: when they
   changed or closed doc, the findings are of a replaced version and are
   dropped unpublished (the document is checked again after its pause). */
static int check_due_document(server *sv, errata_lsp_reader *r, errata_lsp_document *doc)
{
    if (errata_lsp_find(&sv->s, doc))
        return -1;
    if (!input_waiting(r->fd, 0))
        return errata_lsp_publish(&sv->s, doc);
    char *uri = strdup(doc->uri);
    int64_t version = doc->version;
    if (!uri || read_and_handle(sv, r)) { /* doc may have moved or gone */
        free(uri);
        return -1;
    }
    doc = find_document(sv, uri);
    free(uri);
    if (!doc || doc->version != version || doc->check_due >= 0 || sv->exit_status >= 0)
        return 0;
    return errata_lsp_publish(&sv->s, doc);
}

/* Read and answer messages until exit or the end of input, checking the
   documents in the pauses. */
static int serve(server *sv, errata_lsp_reader *r)
{
    while (sv->exit_status < 0 && !r->eof) {
        errata_lsp_document *due = next_due(sv);
        int64_t wait = due ? due->check_due - now_ms() : -1;
        if (due && wait <= 0 && !input_waiting(r->fd, 0)) {
            if (check_due_document(sv, r, due))
                return -1;
            continue;
        }
        if (!input_waiting(r->fd, due ? (int)(wait > 0 ? wait : 0) : -1))
            continue;
        if (read_and_handle(sv, r))
            return -1;
    }
    return 0;
}

/* The settings before the client's: the command line's flags. */
static void init_server(server *sv, int out_fd, const errata_cli_common *common)
{
    memset(sv, 0, sizeof *sv);
    sv->exit_status = -1;
    sv->s.out_fd = out_fd;
    sv->s.common = common;
    sv->s.debounce_ms = DEFAULT_DEBOUNCE_MS;
    sv->s.settings.threshold = common->apply_threshold;
    sv->s.settings.user_dictionary = errata_cli_user_dict_path();
}

static void free_server(server *sv)
{
    for (size_t i = 0; i < sv->s.doc_count; i++)
        errata_lsp_document_clear(&sv->s.docs[i]);
    free(sv->s.docs);
    errata_lsp_settings_clear(&sv->s.settings);
    free(sv->s.disabled_rules);
    errata_scratch_free(sv->s.scratch);
    errata_engine_free(sv->s.engine);
}

/* ------------------------------------------------------------ without the loop */

errata_lsp_server *errata_lsp_server_new(int out_fd, const errata_cli_common *common)
{
    server *sv = malloc(sizeof *sv);
    if (sv)
        init_server(sv, out_fd, common);
    return sv ? &sv->s : NULL;
}

/* The server around s (s is its first member). */
static server *server_of(errata_lsp_server *s) { return (server *)(void *)s; }

int errata_lsp_server_handle(errata_lsp_server *s, errata_lsp_reader *r)
{
    return handle_batch(server_of(s), r);
}

int errata_lsp_server_pause(errata_lsp_server *s)
{
    for (size_t i = 0; i < s->doc_count; i++)
        if (errata_lsp_check_document(s, &s->docs[i]))
            return -1;
    return 0;
}

int errata_lsp_server_exit_status(errata_lsp_server *s) { return server_of(s)->exit_status; }

void errata_lsp_server_free(errata_lsp_server *s)
{
    if (!s)
        return;
    free_server(server_of(s));
    free(server_of(s));
}

int errata_lsp_serve(int in_fd, int out_fd, const errata_cli_common *common)
{
    server sv;
    errata_lsp_reader reader = {in_fd, NULL, 0, 0, 0, 0};
    init_server(&sv, out_fd, common);
    errno = 0;
    int failed = serve(&sv, &reader);
    if (failed)
        fprintf(stderr, "errata: lsp: %s\n", errno ? strerror(errno) : "out of memory");
    errata_lsp_reader_free(&reader);
    free_server(&sv);
    if (failed)
        return ERRATA_CLI_EXIT_ERROR;
    return sv.exit_status < 0 ? 1 : sv.exit_status;
}

int errata_cli_lsp_main(int argc, char **argv)
{
    errata_cli_common common;
    errata_cli_common_init(&common);
    int rc = errata_cli_parse(argc, argv, lsp_help, NULL, NULL, &common);
    if (rc == 0 && common.file_count)
        rc = errata_cli_usage_error("lsp", "takes no files: the client sends the documents");
    int status = rc > 0 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
    if (rc == 0) {
        signal(SIGPIPE, SIG_IGN); /* a client gone is a failed write, not a signal */
        status = errata_lsp_serve(STDIN_FILENO, STDOUT_FILENO, &common);
    }
    errata_cli_common_free(&common);
    return status;
}
