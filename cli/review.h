/* Interactive review (`errata review`) and applying reviewed edits
   (`errata apply`): declarations shared by cli/review*.c. */
#ifndef ERRATA_CLI_REVIEW_H
#define ERRATA_CLI_REVIEW_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "errata.h"
#include "json.h"

/* ------------------------------------------------------------ edits as JSON Lines */

/* One line of an edit list. */
typedef struct {
    size_t jsonl_line;
    char *file;
    errata_edit edit; /* its strings are owned here; line and column are not read */
    int accept;       /* the line's "accept": 1, 0, or -1 when it has none */
} errata_review_jsonl_edit;

typedef struct {
    const char *path;
    errata_review_jsonl_edit *items;
    size_t count, cap;
} errata_review_jsonl;

/* Read an edit list ("-": standard input).  Errors are reported on stderr
   as "errata: PATH:LINE: why". */
int errata_review_jsonl_load(const char *path, errata_review_jsonl *list);
void errata_review_jsonl_free(errata_review_jsonl *list);
/* Whether e's "old" is what text holds at its span (reported if not). */
int errata_review_jsonl_verify(const errata_review_jsonl *list, const errata_review_jsonl_edit *e,
                               const char *text, size_t len);

/* ------------------------------------------------------------ text helpers */

/* 64-bit FNV-1a of the bytes, to notice that a file changed. */
uint64_t errata_review_hash(const char *bytes, size_t len);
/* Terminal columns a code point takes: 0, 1 or 2 (CJK wide and full-width). */
int errata_review_cp_width(uint32_t cp);
/* 1-based line and column (in code points) of byte offset at in text. */
void errata_review_position(const char *text, size_t at, size_t *line, size_t *column);

/* ------------------------------------------------------------ the review model */

typedef enum {
    ERRATA_REVIEW_OPEN = 0,
    ERRATA_REVIEW_ACCEPTED,
    ERRATA_REVIEW_REJECTED,
    ERRATA_REVIEW_EDITED, /* accepted with the user's own replacement */
    ERRATA_REVIEW_SEEN    /* a flag, acknowledged */
} errata_review_state;

/* One proposal, with its answer. */
typedef struct {
    size_t byte_start, byte_end, line, column;
    char *old_text, *new_text, *rule, *kind, *reason;
    errata_action action;
    double confidence;
    errata_review_state state;
    char *replacement; /* the user's text, for ERRATA_REVIEW_EDITED */
    unsigned step;     /* the file's step number that answered it; 0 while open */
} errata_review_item;

/* One file under review. */
typedef struct {
    char *path;
    char *sidecar_path;
    errata_cli_document doc; /* its bytes, and its text reviewed in UTF-8 */
    uint64_t hash;           /* of its bytes */
    errata_review_item *items;
    size_t count, cap;
    int sidecar_fd; /* -1 until the first answer is written */
    unsigned last_step;
    size_t lost_answers; /* saved changes whose proposal is gone */
} errata_review_file;

int errata_review_file_add_item(errata_review_file *file, const errata_edit *edit);
void errata_review_file_clear(errata_review_file *file);
size_t errata_review_file_open_count(const errata_review_file *file);
/* The accepted and edited items' edits, applied to the file's text. */
int errata_review_file_result(const errata_review_file *file, char **out, size_t *out_len);

/* One answered item within a step. */
typedef struct {
    size_t file, item;
} errata_review_ref;

/* What one key press did: the items it answered (in one or more files) and
   the dictionary line it added, so that `u` can take it all back. */
typedef struct {
    errata_review_ref *refs;
    size_t count, cap;
    char *dict_line; /* without its newline; NULL if none was added */
} errata_review_step;

typedef struct {
    errata_review_file *files;
    size_t file_count;
    errata_review_step *steps; /* the undo stack */
    size_t step_count, step_cap;
    const char *dict_path;
} errata_review_session;

/* Which items a key press answers besides the current one. */
typedef enum {
    ERRATA_REVIEW_SCOPE_ONE,
    ERRATA_REVIEW_SCOPE_RULE_IN_FILE, /* a, d */
    ERRATA_REVIEW_SCOPE_RULE_ALL,     /* A, D */
    ERRATA_REVIEW_SCOPE_PAIR_ALL,     /* the same old -> new everywhere (learn the pair) */
    ERRATA_REVIEW_SCOPE_WORD_ALL      /* the same old text everywhere (keep the word) */
} errata_review_scope;

/* Answer item (file_index, item_index) and the open items its scope takes in,
   record it in the sidecars (creating them as needed) and push it on the
   undo stack.  replacement is for ERRATA_REVIEW_EDITED; dict_line, if not
   NULL, was appended to the dictionary by the caller.  0 or -1 (message in err). */
int errata_review_answer(errata_review_session *session, size_t file_index, size_t item_index,
                         errata_review_state state, const char *replacement,
                         errata_review_scope scope, const char *dict_line, char *err,
                         size_t err_size);
/* Push step on the undo stack, which then owns its memory. */
int errata_review_push_step(errata_review_session *session, errata_review_step *step);
/* Take back the last step; *file_index and *item_index name the item it
   started at.  Returns 0, 1 if there is nothing to undo, -1 on error. */
int errata_review_undo(errata_review_session *session, size_t *file_index, size_t *item_index,
                       char *err, size_t err_size);
void errata_review_session_clear(errata_review_session *session);

/* ------------------------------------------------------------ sidecars */

/* FILE.errata-review (allocated). */
char *errata_review_sidecar_path(const char *path);
/* Replay file's sidecar, if there is one, into its items and the session's
   undo stack.  Returns 0, or -1 with a message (e.g. the file has changed
   since the answers were given). */
int errata_review_sidecar_load(errata_review_session *session, size_t file_index, char *err,
                               size_t err_size);
/* Append one answer / one undo record, flushed to disk. */
int errata_review_sidecar_write_answer(errata_review_file *file, const errata_review_item *item,
                                       const char *dict_line, char *err, size_t err_size);
int errata_review_sidecar_write_undo(errata_review_file *file, unsigned step, char *err,
                                     size_t err_size);
void errata_review_sidecar_close(errata_review_file *file);

/* ------------------------------------------------------------ user dictionary */

/* The line that keeps the word / learns the pair, or NULL (with a reason in
   err) if it cannot be written as a dictionary entry. */
char *errata_review_keep_line(const char *word, char *err, size_t err_size);
char *errata_review_pair_line(const char *old_text, const char *new_text, char *err,
                              size_t err_size);
/* Append line (creating the file, its directory and header as needed).
   Returns 0, 1 if the dictionary already has the line, -1 on error. */
int errata_review_dict_append(const char *path, const char *line, char *err, size_t err_size);
/* Take out the last line equal to line (through a temporary file and a
   rename): 0, 1 if there is none, -1 on error (reported on stderr). */
int errata_review_dict_remove(const char *path, const char *line);

/* errata review --pairs: the pairs of a dictionary written by errata learn,
   accepted into the user dictionary one by one (cli/review_pairs.c).  0, or
   -1 after reporting an error. */
int errata_review_pairs(const char *path, const errata_cli_common *common);

/* ------------------------------------------------------------ terminal */

typedef struct errata_review_term errata_review_term;

enum {
    ERRATA_REVIEW_KEY_EOF = -1,    /* end of input: treated like q */
    ERRATA_REVIEW_KEY_SIGNAL = -2, /* SIGINT, SIGTERM or SIGHUP arrived */
    ERRATA_REVIEW_KEY_ERROR = -3,
    ERRATA_REVIEW_KEY_ESCAPE = 0x1b,
    ERRATA_REVIEW_KEY_ENTER = '\r',
    ERRATA_REVIEW_KEY_BACKSPACE = 0x7f
};

/* Open /dev/tty in raw mode (keys one by one, no echo; Ctrl-C still a
   signal), with SIGINT/SIGTERM/SIGHUP/SIGTSTP handled through the key loop. */
int errata_review_term_open(errata_review_term **out, char *err, size_t err_size);
/* Restore the terminal as it was and close it. NULL-safe. */
void errata_review_term_close(errata_review_term *term);
/* The stream to draw on (the terminal). */
FILE *errata_review_term_out(errata_review_term *term);
int errata_review_term_columns(errata_review_term *term);
/* The next key: a code point (from UTF-8 input), or an ERRATA_REVIEW_KEY_*
   value.  Escape sequences (arrow keys…) are skipped. */
int32_t errata_review_term_key(errata_review_term *term);
/* The signal that ended the key loop (SIGINT…), 0 if none. */
int errata_review_term_signal(const errata_review_term *term);
/* Read a line, starting from initial, echoing it after prompt; Enter
   returns 0 with *out allocated, Escape returns 1, a signal or EOF -1. */
int errata_review_term_line(errata_review_term *term, const char *prompt, const char *initial,
                            char **out);

/* ------------------------------------------------------------ screen */

typedef struct {
    int columns;
    int colour;
} errata_review_style;

/* Draw one item with its context, position and details. */
void errata_review_draw_item(FILE *out, const errata_review_style *style,
                             const errata_review_session *session, size_t file_index,
                             size_t item_index);
/* The prompt line for the item. */
void errata_review_draw_prompt(FILE *out, const errata_review_style *style,
                               const errata_review_file *file, size_t item_index);
void errata_review_draw_help(FILE *out);
/* Redraw the line being edited: prompt and as much of the end of text as
   fits, control characters shown escaped. */
void errata_review_draw_edit_line(FILE *out, int columns, const char *prompt, const char *text);
/* A message, indented and wrapped to the screen. */
void errata_review_draw_message(FILE *out, const errata_review_style *style, const char *message);

#endif
