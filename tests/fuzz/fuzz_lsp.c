/* The language server (errata lsp, cli/lsp*.c) on what a client writes:
   Content-Length framing, JSON-RPC requests and notifications (initialize,
   didOpen, didChange with any text and ranges, didClose, codeAction,
   executeCommand, configuration, $/cancelRequest, shutdown, exit).  The
   input is the client's bytes as they are when it starts with
   "Content-Length:" (the framing fuzzed too); otherwise one message body a
   line, framed here (so that a mutated body keeps its frame).  Reads are
   separated by "<pause>" (in the second form, a line of its own): the server
   answers the whole messages of a read as one batch (a message cut by the
   end of a read waits for the next), then, as when the client pauses,
   checks the documents that changed and publishes their diagnostics.
   Invariants: the output is Content-Length framed messages, each a JSON-RPC
   2.0 object in UTF-8: a response (an id, and a result or an error with an integer
   code and a string message) or a notification the server sends
   (publishDiagnostics, logMessage); the ranges of diagnostics and of code
   actions' edits lie inside the document as the server holds it (a line
   and an offset on a character of that line, counted in the position
   encoding the server announced, start not after end),
   a diagnostic's message starts with the text its range covers (as the
   server shows it), the version published is the document's, the edits of
   one code action do not overlap; a closed document's diagnostics are
   empty; errata lsp's exit status is -1 (no exit yet), 0 or 1.  Ranges are
   checked after a pause and after a read of one message (within a batch a
   later message may change the document).
   Files: the server gets a tiny dictionary and no model (the engine is
   built again on every initialize and configuration change), and a user
   dictionary in a temporary directory that errata.keepWord may write; any
   other path a message names (dictionaries, userDictionary) is refused as
   if unreadable, by wrappers of open, fopen, access and mkdir linked in
   with -Wl,--wrap (see the Makefile), so the fuzzer cannot touch files.
   FUZZ_LSP_SHOW=1 in the environment prints the server's output, step by
   step, on standard error (to read a finding). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "json.h"
#include "lsp.h"

static const char pause_mark[] = "<pause>";

/* The position encoding the server's initialize result announced (LSP's
   utf-16 until then); set anew for each input. */
static char announced[8];

/* ------------------------------------------------------------ files */

static char dir[64];
static char dict_path[64], user_dict_path[64];
static int sandboxed; /* set while the server runs */

static int allowed(const char *path)
{
    return path && (strcmp(path, dict_path) == 0 || strcmp(path, user_dict_path) == 0);
}

int __real_open(const char *path, int flags, ...);
FILE *__real_fopen(const char *path, const char *mode);
int __real_access(const char *path, int mode);
int __real_mkdir(const char *path, mode_t mode);

int __wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (sandboxed && !allowed(path)) {
        errno = EACCES;
        return -1;
    }
    return __real_open(path, flags, mode);
}

/* libFuzzer writes a failing input with fopen(path, "wb") from inside the
   run: writing is let through (the server opens no file so). */
FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (sandboxed && mode[0] == 'r' && !allowed(path)) {
        errno = EACCES;
        return NULL;
    }
    return __real_fopen(path, mode);
}

int __wrap_access(const char *path, int mode)
{
    if (sandboxed && !allowed(path)) {
        errno = EACCES;
        return -1;
    }
    return __real_access(path, mode);
}

/* keepWord creates the user dictionary's directories first: those exist. */
int __wrap_mkdir(const char *path, mode_t mode)
{
    if (sandboxed) {
        size_t n = strlen(path);
        errno = strncmp(path, user_dict_path, n) == 0 && user_dict_path[n] == '/' ? EEXIST
                                                                                  : EACCES;
        return -1;
    }
    return __real_mkdir(path, mode);
}

static void remove_files(void)
{
    unlink(dict_path);
    unlink(user_dict_path);
    rmdir(dir);
}

static int out_fd = -1;
static errata_cli_common common;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_temp_template(dir, sizeof dir, "lsp");
    if (!mkdtemp(dir))
        abort();
    snprintf(dict_path, sizeof dict_path, "%s/fuzz.dict", dir);
    snprintf(user_dict_path, sizeof user_dict_path, "%s/user.dict", dir);
    FILE *f = fopen(dict_path, "w");
    if (!f || fputs(fuzz_user_dictionary, f) < 0 || fclose(f) != 0)
        abort();
    /* the server's output, read back after each step (unlinked: gone at exit) */
    char out_path[sizeof dir + 8];
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    out_fd = open(out_path, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (out_fd < 0 || unlink(out_path) != 0)
        abort();
    atexit(remove_files);
    setenv("ERRATA_USER_DICT", user_dict_path, 1);
    static const char *dictionaries[1];
    dictionaries[0] = dict_path;
    errata_cli_common_init(&common);
    common.dictionaries = dictionaries;
    common.dictionary_count = 1;
    common.no_default_dictionaries = 1;
    common.no_model = 1;
    common.no_char_model = 1;
    return 0;
}

/* ------------------------------------------------------------ documents */

static const errata_lsp_document *find_document(const errata_lsp_server *s, const char *uri)
{
    for (size_t i = 0; uri && i < s->doc_count; i++)
        if (strcmp(s->docs[i].uri, uri) == 0)
            return &s->docs[i];
    return NULL;
}

/* The code units of a character of n UTF-8 bytes in the announced encoding. */
static size_t units_of(size_t n)
{
    if (strcmp(announced, "utf-8") == 0)
        return n;
    if (strcmp(announced, "utf-32") == 0)
        return 1;
    return n == 4 ? 2 : 1; /* outside the BMP: a surrogate pair */
}

/* The byte offset of an LSP position in doc's text, or -1 when it is not
   on a character of the line (lines end at \n, \r\n or \r).  Counted here
   afresh, not with cli/lsp_text.c's index. */
static long long byte_of(const errata_lsp_document *doc, const errata_json_value *position)
{
    size_t line, character, at = 0;
    FUZZ_CHECK(position && errata_json_get_size(position, "line", &line) == 0 &&
                   errata_json_get_size(position, "character", &character) == 0,
               "a position without a line and a character");
    const char *t = doc->text;
    for (size_t l = 0; l < line; l++) {
        while (at < doc->len && t[at] != '\n' && t[at] != '\r')
            at++;
        if (at == doc->len)
            return -1;
        at += t[at] == '\r' && at + 1 < doc->len && t[at + 1] == '\n' ? 2 : 1;
    }
    for (size_t units = 0; units < character;) {
        if (at >= doc->len || t[at] == '\n' || t[at] == '\r')
            return -1;
        unsigned char c = (unsigned char)t[at];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        units += units_of(n);
        at += n;
        if (units > character || at > doc->len)
            return -1;
    }
    return (long long)at;
}

/* The byte span of a range in doc; aborts unless it lies inside. */
static void check_range(const errata_lsp_document *doc, const errata_json_value *range,
                        size_t *start, size_t *end)
{
    FUZZ_CHECK(range && range->type == ERRATA_JSON_OBJECT, "a range that is no object");
    long long from = byte_of(doc, errata_json_get(range, "start"));
    long long to = byte_of(doc, errata_json_get(range, "end"));
    FUZZ_CHECK(from >= 0 && to >= from, "a range (bytes %lld..%lld) outside %s (%zu bytes)",
               from, to, doc->uri, doc->len);
    *start = (size_t)from;
    *end = (size_t)to;
}

/* bytes as a diagnostic shows them (cli/lsp_check.c: line breaks and
   control characters escaped, nothing as U+2205). */
static void visible(const char *s, size_t len, errata_cli_buffer *out)
{
    out->len = 0;
    if (len == 0 && errata_cli_buffer_append(out, "\xe2\x88\x85", 3))
        abort();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char escape[8] = {(char)c, 0};
        if (c == '\n' || c == '\t' || c == '\r')
            snprintf(escape, sizeof escape, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
        else if (c < 0x20 || c == 0x7f)
            snprintf(escape, sizeof escape, "\\x%02x", c);
        if (errata_cli_buffer_append(out, escape, strlen(escape)))
            abort();
    }
}

static void check_diagnostic(const errata_lsp_document *doc, const errata_json_value *d)
{
    const char *message = errata_json_get_string(d, "message");
    FUZZ_CHECK(message && errata_json_get_string(d, "code") &&
                   errata_json_get(d, "severity"),
               "a diagnostic without a message, a code or a severity");
    if (!doc)
        return;
    size_t start, end;
    check_range(doc, errata_json_get(d, "range"), &start, &end);
    errata_cli_buffer shown = {0};
    visible(doc->text + start, end - start, &shown);
    FUZZ_CHECK(strncmp(message, shown.data, shown.len) == 0,
               "diagnostic \"%s\" does not start with the text of its range, \"%.*s\"", message,
               (int)shown.len, shown.data);
    free(shown.data);
}

/* ------------------------------------------------------------ messages */

static const errata_json_value *member(const errata_json_value *o, const char *key,
                                       errata_json_type type)
{
    const errata_json_value *v = errata_json_get(o, key);
    FUZZ_CHECK(v && v->type == type, "member \"%s\" missing or of the wrong type", key);
    return v;
}

static void check_publish(const errata_lsp_server *s, const errata_json_value *params,
                          int ranges_known)
{
    const char *uri = errata_json_get_string(params, "uri");
    FUZZ_CHECK(uri, "publishDiagnostics without a uri");
    const errata_json_value *diagnostics = member(params, "diagnostics", ERRATA_JSON_ARRAY);
    const errata_lsp_document *doc = ranges_known ? find_document(s, uri) : NULL;
    if (ranges_known && !doc)
        FUZZ_CHECK(diagnostics->count == 0, "diagnostics of a closed document");
    if (doc) {
        const errata_json_value *version = member(params, "version", ERRATA_JSON_NUMBER);
        FUZZ_CHECK(version->number == (double)doc->version, "version %g published, %s is %lld",
                   version->number, uri, (long long)doc->version);
    }
    for (size_t i = 0; i < diagnostics->count; i++)
        check_diagnostic(doc, &diagnostics->items[i]);
}

/* The TextEdits of a WorkspaceEdit, and the uri they edit. */
static const errata_json_value *workspace_edits(const errata_json_value *edit, const char **uri)
{
    const errata_json_value *changes = errata_json_get(edit, "changes");
    if (changes) {
        FUZZ_CHECK(changes->type == ERRATA_JSON_OBJECT && changes->count == 1,
                   "changes of one document expected");
        *uri = changes->items[0].key;
        return &changes->items[0];
    }
    const errata_json_value *list = member(edit, "documentChanges", ERRATA_JSON_ARRAY);
    FUZZ_CHECK(list->count == 1, "documentChanges of one document expected");
    *uri = errata_json_get_string(member(&list->items[0], "textDocument", ERRATA_JSON_OBJECT),
                                  "uri");
    return errata_json_get(&list->items[0], "edits");
}

static void check_text_edits(const errata_lsp_document *doc, const errata_json_value *edits)
{
    FUZZ_CHECK(edits && edits->type == ERRATA_JSON_ARRAY && edits->count > 0, "no text edits");
    size_t previous_end = 0;
    for (size_t i = 0; i < edits->count; i++) {
        member(&edits->items[i], "newText", ERRATA_JSON_STRING);
        if (!doc)
            continue;
        size_t start, end;
        check_range(doc, errata_json_get(&edits->items[i], "range"), &start, &end);
        FUZZ_CHECK(i == 0 || start >= previous_end, "text edits overlap at byte %zu", start);
        previous_end = end;
    }
}

/* A textDocument/codeAction result: the document is the one its edits
   name (an action without an edit belongs to the same one). */
static void check_code_actions(const errata_lsp_server *s, const errata_json_value *actions,
                               int ranges_known)
{
    const char *uri = NULL;
    for (size_t i = 0; i < actions->count && !uri; i++)
        if (errata_json_get(&actions->items[i], "edit"))
            workspace_edits(errata_json_get(&actions->items[i], "edit"), &uri);
    const errata_lsp_document *doc = ranges_known ? find_document(s, uri) : NULL;
    FUZZ_CHECK(!ranges_known || !uri || doc, "code actions for %s, not open", uri);
    for (size_t i = 0; i < actions->count; i++) {
        const errata_json_value *a = &actions->items[i];
        FUZZ_CHECK(errata_json_get_string(a, "title") && errata_json_get_string(a, "kind"),
                   "a code action without a title or a kind");
        const errata_json_value *edit = errata_json_get(a, "edit");
        const char *edit_uri = NULL;
        if (edit)
            check_text_edits(doc, workspace_edits(edit, &edit_uri));
        FUZZ_CHECK(!edit || (edit_uri && strcmp(edit_uri, uri) == 0), "actions on two documents");
        const errata_json_value *diagnostics = errata_json_get(a, "diagnostics");
        for (size_t k = 0; diagnostics && k < diagnostics->count; k++)
            check_diagnostic(doc, &diagnostics->items[k]);
    }
}

static void check_response(const errata_lsp_server *s, const errata_json_value *m,
                           int ranges_known)
{
    const errata_json_value *id = errata_json_get(m, "id");
    FUZZ_CHECK(id->type == ERRATA_JSON_NUMBER || id->type == ERRATA_JSON_STRING ||
                   id->type == ERRATA_JSON_NULL,
               "id of type %d", id->type);
    const errata_json_value *result = errata_json_get(m, "result"),
                            *error = errata_json_get(m, "error");
    FUZZ_CHECK(!result != !error && m->count == 3, "a response needs a result or an error");
    if (error) {
        const errata_json_value *code = member(error, "code", ERRATA_JSON_NUMBER);
        FUZZ_CHECK(code->number == (int)code->number && errata_json_get_string(error, "message"),
                   "an error needs an integer code and a message");
        return;
    }
    if (result->type == ERRATA_JSON_ARRAY)
        check_code_actions(s, result, ranges_known);
    const errata_json_value *capabilities = errata_json_get(result, "capabilities");
    if (capabilities) {
        const char *encoding = errata_json_get_string(capabilities, "positionEncoding");
        FUZZ_CHECK(encoding && (strcmp(encoding, "utf-16") == 0 || strcmp(encoding, "utf-8") == 0 ||
                                strcmp(encoding, "utf-32") == 0),
                   "initialize announced no known positionEncoding");
        strcpy(announced, encoding);
    }
}

static void check_message(const errata_lsp_server *s, const char *body, size_t len,
                          int ranges_known)
{
    errata_json_value m;
    errata_json_error err;
    FUZZ_CHECK(fuzz_is_utf8(body, len), "the server wrote invalid UTF-8: %.*s", (int)len, body);
    FUZZ_CHECK(errata_json_parse(body, len, &m, &err) == ERRATA_JSON_OK,
               "the server wrote invalid JSON (%s at byte %zu): %.*s", err.what, err.offset,
               (int)len, body);
    FUZZ_CHECK(m.type == ERRATA_JSON_OBJECT, "a message that is no object");
    const char *version = errata_json_get_string(&m, "jsonrpc");
    FUZZ_CHECK(version && strcmp(version, "2.0") == 0, "jsonrpc is not \"2.0\"");
    const char *method = errata_json_get_string(&m, "method");
    if (!method) {
        check_response(s, &m, ranges_known);
    } else {
        const errata_json_value *params = member(&m, "params", ERRATA_JSON_OBJECT);
        FUZZ_CHECK(!errata_json_get(&m, "id") && m.count == 3, "a notification with an id");
        if (strcmp(method, "textDocument/publishDiagnostics") == 0)
            check_publish(s, params, ranges_known);
        else
            FUZZ_CHECK(strcmp(method, "window/logMessage") == 0 &&
                           errata_json_get_string(params, "message"),
                       "the server sent %s", method);
    }
    errata_json_free(&m);
}

/* The messages written to out_fd since *done: framed, well formed. */
static void check_output(const errata_lsp_server *s, size_t *done, int ranges_known)
{
    struct stat st;
    FUZZ_CHECK(fstat(out_fd, &st) == 0, "fstat");
    size_t size = (size_t)st.st_size - *done;
    char *out = malloc(size + 1);
    FUZZ_CHECK(out && pread(out_fd, out, size, (off_t)*done) == (ssize_t)size, "read output");
    out[size] = '\0';
    if (getenv("FUZZ_LSP_SHOW"))
        fprintf(stderr, "--- output (%s):\n%s\n", ranges_known ? "ranges checked" : "form only",
                out);
    static const char name[] = "Content-Length: ";
    for (size_t at = 0; at < size;) {
        size_t length = 0, n = sizeof name - 1;
        FUZZ_CHECK(strncmp(out + at, name, n) == 0 && out[at + n] >= '1' && out[at + n] <= '9',
                   "no Content-Length at byte %zu of the output", *done + at);
        for (at += n; out[at] >= '0' && out[at] <= '9'; at++)
            length = length * 10 + (size_t)(out[at] - '0');
        FUZZ_CHECK(strncmp(out + at, "\r\n\r\n", 4) == 0 && length <= size - at - 4,
                   "bad header or length %zu at byte %zu of the output", length, *done + at);
        at += 4;
        check_message(s, out + at, length, ranges_known);
        at += length;
    }
    free(out);
    *done += size;
}

/* ------------------------------------------------------------ the client */

static void append(errata_lsp_reader *r, const uint8_t *data, size_t n)
{
    if (n == 0)
        return;
    if (r->start == r->len)
        r->start = r->len = 0;
    if (r->len + n > r->cap) {
        r->cap = r->len + n;
        r->data = realloc(r->data, r->cap ? r->cap : 1);
        FUZZ_CHECK(r->data, "out of memory");
    }
    memcpy(r->data + r->len, data, n);
    r->len += n;
}

/* The lines form: each line but "<pause>" and empty ones framed. */
static void frame_lines(const uint8_t *data, size_t size, errata_cli_buffer *out)
{
    const char *text = (const char *)data, *end = text + size;
    for (const char *line = text; line < end;) {
        const char *newline = memchr(line, '\n', (size_t)(end - line));
        size_t n = (size_t)((newline ? newline : end) - line);
        char header[48];
        int header_len = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", n);
        int pause = n == sizeof pause_mark - 1 && memcmp(line, pause_mark, n) == 0;
        if (n > 0 && (pause ? errata_cli_buffer_append(out, pause_mark, n)
                            : errata_cli_buffer_append(out, header, (size_t)header_len) ||
                                  errata_cli_buffer_append(out, line, n)))
            abort();
        line += n + 1;
    }
}

static const uint8_t *find_pause(const uint8_t *from, const uint8_t *end)
{
    size_t n = sizeof pause_mark - 1;
    for (const uint8_t *p = from; end - p >= (ptrdiff_t)n; p++)
        if (memcmp(p, pause_mark, n) == 0)
            return p;
    return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char raw[] = "Content-Length:";
    errata_cli_buffer framed = {0};
    if (size < sizeof raw - 1 || memcmp(data, raw, sizeof raw - 1) != 0) {
        frame_lines(data, size, &framed);
        data = (const uint8_t *)(framed.data ? framed.data : "");
        size = framed.len;
    }
    FUZZ_CHECK(ftruncate(out_fd, 0) == 0 && lseek(out_fd, 0, SEEK_SET) == 0,
               "empty the output");
    unlink(user_dict_path); /* each input starts without one */
    strcpy(announced, "utf-16");
    errata_lsp_server *s = errata_lsp_server_new(out_fd, &common);
    FUZZ_CHECK(s, "out of memory");
    errata_lsp_reader r = {-1, NULL, 0, 0, 0, 0};
    size_t done = 0;
    const uint8_t *end = data + size;
    sandboxed = 1;
    for (const uint8_t *p = data;;) {
        const uint8_t *pause = find_pause(p, end);
        append(&r, p, (size_t)(pause - p));
        int handled = errata_lsp_server_handle(s, &r);
        FUZZ_CHECK(handled >= 0, "the server failed: %s", strerror(errno));
        check_output(s, &done, handled <= 1);
        if (errata_lsp_server_exit_status(s) >= 0)
            break;
        FUZZ_CHECK(errata_lsp_server_pause(s) == 0, "checking failed");
        check_output(s, &done, 1);
        if (pause == end)
            break;
        p = pause + sizeof pause_mark - 1;
    }
    sandboxed = 0;
    int status = errata_lsp_server_exit_status(s);
    FUZZ_CHECK(status >= -1 && status <= 1, "exit status %d", status);
    errata_lsp_server_free(s);
    free(r.data);
    free(framed.data);
    return 0;
}
