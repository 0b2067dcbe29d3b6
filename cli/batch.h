/* errata fix over many files at once (directories, worker threads, the
   files' own encodings) and over JSON lines: what cli/batch.c,
   cli/batch_report.c, cli/encoding_io.c and cli/stream.c share. */
#ifndef ERRATA_CLI_BATCH_H
#define ERRATA_CLI_BATCH_H

#include <pthread.h>
#include <stdint.h>

#include "cli.h"

/* --include or --exclude globs, in the order given. */
typedef struct {
    const char **items;
    size_t count, cap;
} errata_batch_globs;

/* The options of a batch run, besides the common flags. */
typedef struct {
    int recursive;          /* -r: directories are walked */
    unsigned jobs;          /* -j: worker threads (0: one per core) */
    int in_place;           /* -i */
    const char *backup_suffix;
    const char *output_dir; /* --output-dir: the tree mirrored there */
    const char *output;     /* -o, only to be refused */
    int progress_forced;    /* --progress: draw it even when not a terminal */
    int jsonl;              /* --jsonl */
    const char *field;      /* --field (default "text") */
    int attach_edits;       /* --attach-edits */
    int strict;             /* --strict */
    const char *report;     /* --report: the summary page, or a folder for it */
    int report_folder;      /* the summary goes to report/index.html, with a
                               review page per file under report/files/ */
    errata_batch_globs include, exclude; /* for files met by -r */
} errata_batch_options;

/* ------------------------------------------------------------ selection */

typedef enum {
    ERRATA_BATCH_LEAVE_OUT = 0, /* excluded, or not a prose document */
    ERRATA_BATCH_TAKE,          /* taken if its text is not data (see below) */
    ERRATA_BATCH_TAKE_ANY       /* named by --include: taken whatever it holds */
} errata_batch_selection;

/* Whether -r takes a file or directory met on the walk, by its path under
   the walked directory (cli/batch_select.c). */
errata_batch_selection errata_batch_select(const errata_batch_options *o, const char *relative,
                                           int is_directory);

/* ------------------------------------------------------------ statistics */

/* Applied edits counted by rule. */
typedef struct {
    char **rules;
    size_t *counts;
    size_t used, cap; /* open addressing: cap is 0 or a power of two */
} errata_rule_counts;

/* What a run did: for files (read, changed, skipped, failed) or for JSON
   lines (read, changed, malformed as "skipped", failed). */
typedef struct {
    size_t read, changed, skipped, failed;
    uint64_t bytes;
    errata_rule_counts rules;
} errata_batch_stats;

/* Count the edits of result that the command line applies.  -1 when out of
   memory (reported). */
int errata_batch_stats_add_edits(errata_batch_stats *stats, const errata_cli_common *common,
                                 const errata_result *result);
int errata_batch_stats_merge(errata_batch_stats *into, const errata_batch_stats *from);
void errata_batch_stats_free(errata_batch_stats *stats);

/* A rule and its count. */
typedef struct {
    const char *rule;
    size_t count;
} errata_rule_total;

/* The rules of rc, most edits first (then by name); NULL when out of memory
   (reported).  *n is set to their number. */
errata_rule_total *errata_rule_counts_sorted(const errata_rule_counts *rc, size_t *n);

/* The summary on stderr; `unit` names what was read ("file", "line"),
   `skipped_word` what skipped means for it ("skipped", "malformed"). */
void errata_batch_print_summary(const errata_batch_stats *stats, const char *unit,
                                const char *skipped_word, double seconds);

/* Seconds on a monotonic clock. */
double errata_batch_now(void);

/* ------------------------------------------------------------ messages */

/* Standard error shared by worker threads and the progress bar: messages
   go out whole, on a line of their own, the bar redrawn after them. */
typedef struct {
    pthread_mutex_t lock;
    int enabled;        /* whether the bar is drawn at all */
    int quiet;          /* --quiet: notes about skipped files left out */
    int drawn;          /* whether the bar is on the screen now */
    size_t total_files, done_files;
    uint64_t total_bytes, done_bytes;
    double started, last_drawn;
} errata_batch_console;

void errata_batch_console_init(errata_batch_console *console, int progress);
void errata_batch_console_destroy(errata_batch_console *console);

/* "errata: NAME: message" on stderr, the bar cleared first. */
void errata_batch_note(errata_batch_console *console, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for a file skipped on purpose (not a document, not text):
   nothing under --quiet. */
void errata_batch_skip_note(errata_batch_console *console, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Hold stderr for a call that reports on it by itself (the bar cleared). */
void errata_batch_console_hold(errata_batch_console *console);
void errata_batch_console_release(errata_batch_console *console);

/* Count a finished file and redraw the bar when it is due (or when force). */
void errata_batch_progress(errata_batch_console *console, size_t files, uint64_t bytes, int force);
/* Clear the bar for good. */
void errata_batch_progress_end(errata_batch_console *console);

/* ------------------------------------------------------------ documents */

typedef enum {
    ERRATA_BATCH_READ_OK = 0,
    ERRATA_BATCH_READ_SKIPPED, /* not a text file: noted, left alone */
    ERRATA_BATCH_READ_FAILED,  /* unreadable or undecodable: reported */
    ERRATA_BATCH_READ_NO_MEMORY /* memory ran out reading or decoding it: reported */
} errata_batch_read_status;

/* Read path ("-": standard input) and decode it (encoding AUTO: detect). */
errata_batch_read_status errata_batch_read_document(errata_batch_console *console,
                                                    const char *path, errata_encoding encoding,
                                                    errata_cli_document *doc);

/* Encode UTF-8 text for writing; reported on failure (-1). */
int errata_batch_encode(errata_batch_console *console, const char *name, const char *text,
                        size_t len, errata_encoding encoding, char **out, size_t *out_len);

/* Create the directories leading to path (mkdir -p of its parent). */
int errata_batch_make_parents(errata_batch_console *console, const char *path);

/* ------------------------------------------------------------ --report */

/* Damage that was flagged, not repaired. */
typedef struct {
    size_t line, column;
    char *old_text, *rule, *reason;
} errata_batch_flag;

typedef enum {
    ERRATA_BATCH_FILE_FAILED = 0, /* unreadable, undecodable or not written */
    ERRATA_BATCH_FILE_SKIPPED,    /* not a text file */
    ERRATA_BATCH_FILE_DONE
} errata_batch_file_status;

/* What the report tells of one file. */
typedef struct {
    const char *path;
    errata_batch_file_status status;
    const char *encoding;
    uint64_t bytes;
    int changed;
    size_t applied, proposed;
    errata_batch_flag *flags;
    size_t flag_count;
    char *page; /* its review page, relative to the report folder (or NULL) */
} errata_batch_file_report;

/* Record the edits of a checked file (the index-th of the run) into r, and
   with a report folder write its review page there.  -1 when that failed
   (reported). */
int errata_batch_report_file(errata_batch_console *console, const errata_cli_common *common,
                             const errata_batch_options *options, size_t index,
                             const errata_cli_document *doc, const errata_result *result,
                             errata_batch_file_report *r);
void errata_batch_report_file_free(errata_batch_file_report *r);

/* Write the summary page of a run: its files (count of them), the edits by
   rule, the flagged damage.  -1 when it could not be written (reported). */
int errata_batch_report_write(const errata_batch_options *options,
                              const errata_batch_stats *stats,
                              const errata_batch_file_report *const *files, size_t count);

/* The files `fix -r` would read for the operands of common (standard input
   when there are none): directories walked, hidden names and symbolic
   links inside them left out, in order.  *paths (malloc'd strings in a
   malloc'd array) holds *count of them; *failed counts the operands that
   could not be looked at (noted on the console).  -1 when out of memory
   (reported). */
int errata_batch_list_files(const errata_cli_common *common, errata_batch_console *console,
                            char ***paths, size_t *count, size_t *failed);

/* ------------------------------------------------------------ JSON lines */

/* errata fix --jsonl: the inputs (standard input when there is none) line by
   line to output (standard output; another stream for tests/fuzz). */
int errata_batch_stream(const errata_engine *engine, const errata_cli_common *common,
                        const errata_batch_options *options, FILE *output);

#endif
