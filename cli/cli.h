/* The errata command line: what its commands share.
 *
 * Conventions: a function that fails has already printed its message to
 * stderr as "errata: WHAT: why" and returns non-zero; commands exit with
 * ERRATA_CLI_EXIT_* codes.  Names here are stable: cli/review.c uses them. */
#ifndef ERRATA_CLI_H
#define ERRATA_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "errata.h"

enum {
    ERRATA_CLI_EXIT_OK = 0,    /* nothing found / done */
    ERRATA_CLI_EXIT_FOUND = 1, /* check and diff: something to repair */
    ERRATA_CLI_EXIT_ERROR = 2  /* bad usage, bad input, I/O failure */
};

/* The apply thresholds chosen by --conservative and --aggressive. */
#define ERRATA_CLI_CONSERVATIVE_THRESHOLD 0.95
#define ERRATA_CLI_AGGRESSIVE_THRESHOLD 0.50

/* --------------------------------------------------------------- files */

/* A whole input: a file's bytes, or standard input's for the name "-". */
typedef struct {
    const char *path;    /* as given ("-" for standard input) */
    char *data;          /* NUL-terminated, len bytes before the NUL */
    size_t len;
    int is_regular_file; /* not standard input, a pipe or a device */
} errata_cli_input;

/* Read path ("-": standard input) whole.  Refuses directories, unreadable
   files and binary files (a NUL byte in the first 8 KiB). */
int errata_cli_read_input(const char *path, errata_cli_input *in);

/* A document: a file's bytes and its text decoded to UTF-8. */
typedef struct {
    errata_cli_input raw;     /* the bytes as read */
    char *text;               /* NUL-terminated UTF-8, len bytes: raw.data itself when
                                 raw is UTF-8 without a BOM, else its own buffer
                                 (freed with errata_free) */
    size_t len;
    errata_encoding encoding; /* the encoding raw was read in */
} errata_cli_document;

/* Read path ("-": standard input) and decode it from encoding (AUTO:
   detect it, see errata_decode).  Refuses directories, unreadable files,
   binary files and text that cannot be decoded, naming the byte offset. */
int errata_cli_read_document(const char *path, errata_encoding encoding,
                             errata_cli_document *doc);
void errata_cli_document_free(errata_cli_document *doc);

/* Decode doc->raw into doc->text (errata_decode_file()).  0, or an ERRATA_E* code with the
   library's message; *binary_at is then the offset of a byte in the first
   8 KiB that text does not hold (a NUL or another control character), or
   SIZE_MAX when there is none or the bytes were read as UTF-16 (by
   `encoding` or a BOM), whose low bytes are text. */
int errata_cli_decode_document(errata_cli_document *doc, errata_encoding encoding,
                               size_t *binary_at);

/* The encoding to write doc in: `requested`, or (AUTO) its own. */
errata_encoding errata_cli_output_encoding(const errata_cli_document *doc,
                                           errata_encoding requested);

/* The bytes that hold text (doc's text, repaired) in `encoding`: doc's own
   bytes when neither the text nor the encoding changed (*owned NULL), else
   text encoded into *owned (free with errata_free()).  Reported on failure. */
int errata_cli_document_bytes(const errata_cli_document *doc, const char *text, size_t len,
                              errata_encoding encoding, char **owned, const char **bytes,
                              size_t *bytes_len);

/* Write text (doc's text, edited) in `encoding` (AUTO: doc's own): to
   standard output when output is "-", to the file output (replaced
   atomically), or, when output is NULL, over doc's file when that changes
   its bytes. */
int errata_cli_write_document(const errata_cli_document *doc, const char *text, size_t len,
                              errata_encoding encoding, const char *output);

/* Whether text differs from doc's text. */
int errata_cli_text_changed(const errata_cli_document *doc, const char *text, size_t len);
/* Room for one more element in *items, an array of elem-byte elements of
   which count are used in *cap, doubling it when full; 0, or -1 when out of
   memory (the array is then unchanged). */
int errata_cli_grow(void **items, size_t *cap, size_t count, size_t elem);

/* Read fd to its end into a new NUL-terminated buffer; 0 or an errno value
   (EISDIR for a directory).  is_regular_file, when not NULL, tells whether fd
   is a regular file. */
int errata_cli_read_fd(int fd, char **data, size_t *len, int *is_regular_file);

/* Read the file at path whole, like errata_cli_read_fd(); 0 or an errno
   value (ENOENT when there is no such file). */
int errata_cli_read_path(const char *path, char **data, size_t *len);

/* A growing byte string, kept NUL-terminated; {0} is an empty one. */
typedef struct {
    char *data;
    size_t len, cap;
} errata_cli_buffer;

/* Append len bytes of data; 0, or -1 when out of memory (b unchanged). */
int errata_cli_buffer_append(errata_cli_buffer *b, const char *data, size_t len);

/* The length of the valid UTF-8 sequence at s (at most n bytes, n > 0), its
   code point in *cp (when cp is not NULL); 0 if the bytes are not valid
   UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short). */
size_t errata_cli_utf8_valid_length(const unsigned char *s, size_t n, uint32_t *cp);
/* Decode the code point at s[*pos] (s is valid UTF-8), advancing *pos. */
uint32_t errata_cli_utf8_next(const char *s, size_t len, size_t *pos);
/* Encode cp as UTF-8 into out (4 bytes of room); returns the byte count. */
size_t errata_cli_utf8_put(uint32_t cp, char *out);
void errata_cli_input_free(errata_cli_input *in);

/* The name of an input in messages: "standard input" for "-". */
const char *errata_cli_display_name(const char *path);

/* Replace path's contents with data through a temporary file in the same
   directory and a rename, so that an interrupted run leaves either the old
   or the new file, never a truncated one.  A symbolic link is followed (the
   link stays).  The new file gets the permission bits of the file it
   replaces, or 0666 less the umask if there is none. */
int errata_cli_write_atomic(const char *path, const char *data, size_t len);

/* What a file is rewritten with, written piece by piece: write() puts it all
   into fd and returns 0, or -1 with errno set (reported as a write error),
   or ERRATA_CLI_CONTENT_REPORTED when it failed for a reason it reported. */
#define ERRATA_CLI_CONTENT_REPORTED (-2)
typedef struct {
    int (*write)(int fd, void *context);
    void *context;
} errata_cli_content;

/* errata_cli_write_atomic() with content written as it is made, so that it
   is never held whole in memory; nothing is replaced when it fails. */
int errata_cli_write_atomic_content(const char *path, const errata_cli_content *content);

/* On SIGINT, SIGTERM and SIGHUP (unless ignored from the start), remove the
   temporary files being written and exit with 128 + the signal's number
   (cli/signals.c).  For the commands that rewrite files. */
void errata_cli_remove_temporaries_on_signals(void);
/* Enter a temporary file's path before creating it; returns its slot (-1
   when every slot is taken: then the file is not removed on a signal).
   path must stay valid until errata_cli_temporary_forget(slot). */
int errata_cli_temporary_enter(const char *path);
/* Take the path out again once the file is renamed or removed. */
void errata_cli_temporary_forget(int slot);

/* Keep data (the contents of path before a rewrite) as path+suffix, written
   like errata_cli_write_atomic() and with path's permissions. */
int errata_cli_write_backup(const char *path, const char *suffix, const char *data, size_t len);

/* Write len bytes to stream; on failure report it as "errata: NAME: why". */
int errata_cli_write(FILE *stream, const char *name, const char *data, size_t len);

/* "PATH: cannot WHAT: strerror(errno)" into err; returns -1. */
int errata_cli_fail_io(const char *path, const char *what, char *err, size_t err_size);

/* write() all len bytes to fd, retrying on EINTR; 0, or -1 with errno set. */
int errata_cli_write_fd_all(int fd, const char *data, size_t len);

/* The per-user dictionary: $ERRATA_USER_DICT, else
   ${XDG_CONFIG_HOME:-$HOME/.config}/errata/user.dict (malloc'd; NULL when
   neither variable gives a place).  The file need not exist. */
char *errata_cli_user_dict_path(void);

/* ------------------------------------------------------------- options */

typedef enum {
    ERRATA_CLI_COLOR_AUTO = 0,
    ERRATA_CLI_COLOR_ALWAYS,
    ERRATA_CLI_COLOR_NEVER
} errata_cli_color_mode;

/* The flags every command takes. */
typedef struct {
    const char **dictionaries; /* --dict, in order */
    size_t dictionary_count;
    int no_default_dictionaries;
    const char *model_path;
    int no_model;
    const char *char_model_path;
    int no_char_model;
    double apply_threshold; /* --threshold, --aggressive, --conservative */
    int apply_all;          /* --all: apply proposals too */
    char *disabled_rules;   /* --disable, joined with commas (NULL: none) */
    errata_cli_color_mode color;
    int quiet;
    /* --input-encoding and --output-encoding (AUTO: detect / the input's
       own), taken by the commands that set them in `encoding_options`. */
    errata_encoding input_encoding, output_encoding;
    unsigned encoding_options;
    const char **files; /* the operands, in order ("-": standard input) */
    size_t file_count;
} errata_cli_common;

/* errata_cli_common.encoding_options: which encoding flags a command takes. */
enum { ERRATA_CLI_INPUT_ENCODING = 1, ERRATA_CLI_OUTPUT_ENCODING = 2 };

/* The defaults: default dictionaries and model, default thresholds. */
void errata_cli_common_init(errata_cli_common *common);
void errata_cli_common_free(errata_cli_common *common);

/* A command line being read, one argument at a time. */
typedef struct {
    int argc;
    char **argv;
    int index;         /* of the argument being looked at */
    int options_ended; /* after "--", everything is a file name */
} errata_cli_args;

/* Whether the argument at args->index is the option `name`: "--name", or
   "--name=VALUE" / "--name VALUE" when value is not NULL (the value is then
   stored there, and the index moved past a separate value).  Reports a
   missing or unexpected value and returns -1. */
int errata_cli_match(errata_cli_args *args, const char *name, const char **value);

/* Try the argument at args->index as a common flag: 1 taken, 0 not a common
   flag, -1 a bad value (reported). */
int errata_cli_parse_common(errata_cli_args *args, errata_cli_common *common);

/* A command's own options: 1 taken, 0 not one of them, -1 bad (reported). */
typedef int (*errata_cli_option_fn)(errata_cli_args *args, void *context);

/* Read a command line (argv[0] is the command name): --help/-h (prints help
   to stdout), the command's own options through own_option (may be NULL),
   the common flags and the file operands.  Returns 0 to go on, 1 when help
   was printed, -1 after reporting a usage error. */
int errata_cli_parse(int argc, char **argv, const char *help, errata_cli_option_fn own_option,
                     void *context, errata_cli_common *common);

/* Report a usage error ("errata: COMMAND: printf-style message") and point
   to --help; returns -1. */
int errata_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The engine the common flags describe, with the per-user dictionary loaded
   first when it exists. */
int errata_cli_engine_new(const errata_cli_common *common, errata_engine **out);

/* Check options from the common flags. */
errata_check_options errata_cli_check_options(const errata_cli_common *common);

/* Whether an edit is applied: action apply, or a proposal under --all. */
int errata_cli_edit_applies(const errata_cli_common *common, const errata_edit *edit);
/* Edit i of result, copied into *slot: errata_result_read_edit(), which
   makes no array of whole edits (that of a huge document would take more
   memory than its text). */
const errata_edit *errata_cli_result_edit(const errata_result *result, size_t i,
                                          errata_edit *slot);

/* Check options for a repair that is only applied: no reasons, no
   code-point positions. */
errata_check_options errata_cli_fix_options(const errata_cli_common *common);

/* Apply the edits of result that errata_cli_edit_applies() to text:
   *fixed is malloc'd (free with errata_free()).  Returns an ERRATA_E code;
   errata_cli_failure() words it. */
int errata_cli_apply_selected(const errata_cli_common *common, const errata_result *result,
                              const char *text, size_t len, char **fixed, size_t *fixed_len);

/* What failed, for an ERRATA_E code from liberrata or from the CLI's own
   allocations (which leave liberrata's message as it was). */
const char *errata_cli_failure(int rc);

/* Check one input, then apply the edits that errata_cli_edit_applies():
   *fixed is malloc'd (free with errata_free()).  The result is handed out
   through *result when it is not NULL (free with errata_result_free()). */
int errata_cli_fix_input(const errata_engine *engine, const errata_cli_common *common,
                         const errata_cli_document *in, errata_result **result, char **fixed,
                         size_t *fixed_len);

/* Whether to colour output written to fd: --color, NO_COLOR, TERM=dumb and
   whether fd is a terminal. */
int errata_cli_use_color(errata_cli_color_mode mode, int fd);

/* SGR sequences, or "" when colour is off. */
typedef struct {
    const char *bold, *red, *green, *cyan, *dim, *reset;
} errata_cli_palette;

errata_cli_palette errata_cli_palette_for(int color);

/* ------------------------------------------------------------ commands */

int errata_cli_fix_main(int argc, char **argv);
int errata_cli_check_main(int argc, char **argv);
int errata_cli_diff_main(int argc, char **argv);
int errata_cli_selftest_main(int argc, char **argv);
int errata_cli_learn_main(int argc, char **argv); /* cli/learn.c */

/* `errata fix` with -r, -j, --output-dir, --input/--output-encoding,
   --progress or --jsonl (and their options): cli/batch.c. */
int errata_cli_batch_requested(int argc, char **argv);
int errata_cli_batch_main(int argc, char **argv);

/* `errata review` (cli/review.c) and `errata apply` (cli/review_apply.c).
   argv[0] is the command name; the return value is the exit status. */
int errata_cli_review_main(int argc, char **argv);
int errata_cli_apply_main(int argc, char **argv);

/* `errata lsp`, the language server (cli/lsp.c). */
int errata_cli_lsp_main(int argc, char **argv);

#endif
