/* `errata lsp`, the language server: declarations shared by cli/lsp*.c.
 *
 * One thread runs an event loop (cli/lsp.c): it reads the client's messages
 * (cli/lsp_rpc.c), keeps the open documents (cli/lsp_text.c) and checks a
 * changed one once the typing has paused, answering diagnostics and code
 * actions (cli/lsp_check.c). */
#ifndef ERRATA_CLI_LSP_H
#define ERRATA_CLI_LSP_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "errata.h"
#include "json.h"

/* JSON-RPC and LSP error codes. */
enum {
    ERRATA_LSP_PARSE_ERROR = -32700,
    ERRATA_LSP_INVALID_REQUEST = -32600,
    ERRATA_LSP_METHOD_NOT_FOUND = -32601,
    ERRATA_LSP_INVALID_PARAMS = -32602,
    ERRATA_LSP_INTERNAL_ERROR = -32603,
    ERRATA_LSP_SERVER_NOT_INITIALIZED = -32002,
    ERRATA_LSP_REQUEST_CANCELLED = -32800
};

/* Failures of the document functions. */
enum { ERRATA_LSP_NO_MEMORY = -1, ERRATA_LSP_BAD_POSITION = -2 };

/* ------------------------------------------------------------ positions */

/* What a position's character counts (LSP 3.17 positionEncoding): UTF-16
   code units unless the client offered another in its capabilities. */
typedef enum {
    ERRATA_LSP_UTF16 = 0,
    ERRATA_LSP_UTF8,  /* bytes */
    ERRATA_LSP_UTF32  /* characters */
} errata_lsp_encoding;

/* A position as LSP counts it: zero-based line, code units of the
   negotiated encoding. */
typedef struct {
    size_t line, character;
} errata_lsp_position;

typedef struct {
    errata_lsp_position start, end;
} errata_lsp_range;

/* ------------------------------------------------------------ documents */

/* What a check found in one version of a document. */
typedef struct {
    errata_result *result;    /* NULL until checked */
    errata_lsp_range *ranges; /* one per edit of result */
    int64_t version;          /* the version checked */
} errata_lsp_findings;

void errata_lsp_findings_clear(errata_lsp_findings *findings);

typedef struct {
    char *uri;
    int64_t version;
    int checkable;       /* plain text or Markdown: errata checks it */
    char *text;          /* UTF-8, NUL-terminated, len bytes (cap allocated) */
    size_t len, cap;
    size_t *line_starts; /* byte offset of each line's start, when lines_valid */
    size_t line_count, line_cap;
    int lines_valid;
    int64_t check_due;   /* monotonic ms when to check it; -1 when checked */
    errata_lsp_findings findings;
    errata_lsp_encoding encoding; /* what its positions count */
} errata_lsp_document;

/* Replace the whole text.  0 or ERRATA_LSP_NO_MEMORY. */
int errata_lsp_document_set(errata_lsp_document *doc, const char *text, size_t len);

/* Replace the range [from, to) with len bytes of text: 0, or
   ERRATA_LSP_BAD_POSITION (a line past the end, a position inside a
   character, to before from) or ERRATA_LSP_NO_MEMORY. */
int errata_lsp_document_replace(errata_lsp_document *doc, errata_lsp_position from,
                                errata_lsp_position to, const char *text, size_t len);

/* The byte offset of a position (a character past the line's end means the
   end): 0, or ERRATA_LSP_BAD_POSITION / ERRATA_LSP_NO_MEMORY. */
int errata_lsp_position_to_byte(errata_lsp_document *doc, errata_lsp_position pos,
                                size_t *byte);

void errata_lsp_document_clear(errata_lsp_document *doc);

/* Turns byte offsets, in increasing order, into positions. */
typedef struct {
    const errata_lsp_document *doc;
    size_t line, byte, units; /* byte is on line, units code units after its start */
} errata_lsp_cursor;

/* 0, or -1 when out of memory. */
int errata_lsp_cursor_init(errata_lsp_cursor *cur, errata_lsp_document *doc);
/* The position of byte (the start of a character; not before the last one
   asked for). */
errata_lsp_position errata_lsp_cursor_move(errata_lsp_cursor *cur, size_t byte);

/* ------------------------------------------------------------ messages */

/* Reads Content-Length framed messages from a file descriptor. */
typedef struct {
    int fd;
    char *data; /* bytes read and not yet taken, from data[start] to data[len] */
    size_t start, len, cap;
    int eof;
} errata_lsp_reader;

/* Read what the descriptor has (at least one byte, or the end of input).
   0, or -1 on a read error. */
int errata_lsp_reader_fill(errata_lsp_reader *r);

/* The next whole message held: 1 (*body, *len point into the reader, valid
   until the next call), 0 when more input is needed, or -1 when a header is
   malformed: *problem says how, and the bytes up to the next
   "Content-Length:" are skipped. */
int errata_lsp_reader_next(errata_lsp_reader *r, const char **body, size_t *len,
                           const char **problem);

void errata_lsp_reader_free(errata_lsp_reader *r);

/* Write one message (body, len bytes) with its header to fd: 0 or -1. */
int errata_lsp_send(int fd, const char *body, size_t len);

/* ------------------------------------------------------------ the server */

/* What the client may set (initializationOptions, settings). */
typedef struct {
    double threshold;         /* edits at or above are "apply" */
    char *disabled_rules;     /* comma-separated, or NULL */
    char **dictionaries;      /* loaded after the user dictionary */
    size_t dictionary_count;
    char *user_dictionary;    /* where "never change this word" writes; NULL: none */
} errata_lsp_settings;

typedef struct errata_lsp_server errata_lsp_server;

/* The server's state, seen by cli/lsp_check.c. */
struct errata_lsp_server {
    int out_fd;
    const errata_cli_common *common; /* the command line's flags */
    errata_lsp_settings settings;
    char *disabled_rules; /* --disable and the settings' disabledRules, joined */
    errata_engine *engine;
    errata_scratch *scratch;
    errata_lsp_document *docs;
    size_t doc_count, doc_cap;
    int document_changes;  /* the client takes WorkspaceEdit.documentChanges */
    errata_lsp_encoding encoding; /* of positions, chosen at initialize */
    int64_t debounce_ms;
};

/* Serve one client: messages from in_fd, answers to out_fd, until the exit
   notification or the end of input.  The exit status: 0 after shutdown and
   exit, 1 after exit without shutdown or at the end of input, 2 when the
   output or memory failed (reported on stderr). */
int errata_lsp_serve(int in_fd, int out_fd, const errata_cli_common *common);

/* The server without its event loop, for the fuzzing harness
   (tests/fuzz/fuzz_lsp.c), which plays the client's reads and pauses:
   _handle answers every whole message the reader holds, as one batch (as
   the loop does after a read: how many it read, or -1 when memory or the
   output failed);
   _pause checks and publishes every document whose check is due, as the
   loop does once the client pauses long enough; _exit_status is -1 until
   the exit notification, then errata lsp's exit status. */
errata_lsp_server *errata_lsp_server_new(int out_fd, const errata_cli_common *common);
int errata_lsp_server_handle(errata_lsp_server *s, errata_lsp_reader *r);
int errata_lsp_server_pause(errata_lsp_server *s);
int errata_lsp_server_exit_status(errata_lsp_server *s);
void errata_lsp_server_free(errata_lsp_server *s);

/* Send a JSON body built in w (a buffer writer); 0 or -1 (output closed). */
int errata_lsp_send_json(errata_lsp_server *s, errata_cli_buffer *body);

/* Check doc now if it has changed since its last check, and publish its
   diagnostics.  0, or -1 when out of memory or the output failed. */
int errata_lsp_check_document(errata_lsp_server *s, errata_lsp_document *doc);

/* The two halves of errata_lsp_check_document(): check doc if it has
   changed (its findings are then those of doc->version), and publish its
   findings. */
int errata_lsp_find(errata_lsp_server *s, errata_lsp_document *doc);
int errata_lsp_publish(errata_lsp_server *s, const errata_lsp_document *doc);

/* Publish an empty list of diagnostics for uri (a closed document). */
int errata_lsp_clear_diagnostics(errata_lsp_server *s, const char *uri);

/* textDocument/codeAction's result into w: the actions for the edits
   touching the bytes [from, to] of doc (checked first if it changed), of the
   kinds that `only` (a JSON array, or NULL) lets through.  0 or -1. */
int errata_lsp_code_actions(errata_lsp_server *s, errata_lsp_document *doc, size_t from,
                            size_t to, const errata_json_value *only, errata_json_writer *w);

/* window/logMessage of type (1 error, 2 warning, 3 info, 4 log). */
int errata_lsp_log(errata_lsp_server *s, int type, const char *message);

/* Read settings from an initializationOptions or settings value (either
   the options themselves or an object with an "errata" member); members
   left out keep their values.  0, or -1 with *problem set. */
int errata_lsp_settings_read(errata_lsp_settings *settings, const errata_json_value *value,
                             const char **problem);
void errata_lsp_settings_clear(errata_lsp_settings *settings);

/* Build the engine the settings describe and re-check every open document.
   0, or -1 with *problem set (the old engine is kept). */
int errata_lsp_reload(errata_lsp_server *s, char *problem, size_t problem_size);

/* Read settings from value (as errata_lsp_settings_read()) and reload: 0,
   or -1 with *problem set; when the engine could not be built the settings
   stay as they were (a client that corrects them is not stuck with the bad
   ones, which would otherwise be merged into every later attempt). */
int errata_lsp_configure(errata_lsp_server *s, const errata_json_value *value, char *problem,
                         size_t problem_size);

/* The errata.keepWord command: add word to the user dictionary, reload,
   re-check.  0, or -1 with *problem set. */
int errata_lsp_keep_word(errata_lsp_server *s, const char *word, char *problem,
                         size_t problem_size);

#endif
