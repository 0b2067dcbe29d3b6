/* errata fix over many files at once: directories walked with -r, files
   repaired by -j worker threads sharing one engine, each written back in its
   own encoding (in place, into a mirrored tree, or to standard output in
   the order given), a progress bar and a summary on standard error.  Also
   the entry to --jsonl (cli/stream.c). */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

/* In standard-output mode, how many files the workers may finish ahead of
   the one being written, per worker. */
#define STDOUT_WINDOW_PER_WORKER 4

/* Each document needs buffers of several megabytes (the layout view is 32
   bytes a character).  By default glibc maps such blocks afresh and gives
   freed memory back, so every file paid for its pages again (a quarter of
   the time on half-megabyte files); kept in the arenas, they are reused. */
#define KEEP_BLOCKS_BELOW (32 << 20)
#define KEEP_FREE_MEMORY_BELOW (256 << 20)

static const char batch_help[] =
    "Usage: errata fix [-r] [-j N] [--in-place | --output-dir DIR] [OPTION...] FILE|DIR...\n"
    "       errata fix --jsonl [--field NAME] [--attach-edits] [--strict] [FILE...]\n"
    "Repair many files at once, in their own encodings, or a stream of JSON lines.\n"
    "\n"
    "Files:\n"
    "  -r, --recursive        walk directory operands (hidden files and directories\n"
    "                         and symbolic links inside them are left out; so are\n"
    "                         data and code files: .json, .csv, .xml, .yaml, .html,\n"
    "                         source code..., or text starting as JSON, XML, HTML\n"
    "                         or a #! script)\n"
    "  --include=GLOB         with -r, only the files GLOB matches, whatever they hold\n"
    "                         (repeatable; a GLOB without '/' matches file names)\n"
    "  --exclude=GLOB         with -r, leave out the files and directories GLOB\n"
    "                         matches (repeatable; wins over --include)\n"
    "  -j, --jobs N           worker threads (default: one per core)\n"
    "  -i, --in-place         rewrite each file that changes (temporary file + rename)\n"
    "  --backup=SUFFIX        with --in-place, first keep the original as FILE+SUFFIX\n"
    "  --output-dir DIR       write every file under DIR, mirroring the tree (a file\n"
    "                         operand goes to DIR/its-name); unchanged files copied\n"
    "  --input-encoding ENC   read every file as ENC instead of detecting it\n"
    "  --output-encoding ENC  write in ENC instead of each file's own encoding\n"
    "                         (UTF-8, UTF-8-BOM, GB18030 or GBK, UTF-16LE, UTF-16BE,\n"
    "                         UTF-16LE-BOM, UTF-16BE-BOM)\n"
    "  --progress             draw the progress bar even when stderr is no terminal\n"
    "  --report=FILE          write a summary page (HTML): the files, the edits by\n"
    "                         rule, the flagged damage not repaired\n"
    "  --report=DIR/          the summary as DIR/index.html, each file linked to its\n"
    "                         review page (as errata check --format=html makes it)\n"
    "  Without --in-place or --output-dir the files go to standard output, in order.\n"
    "  Encodings detected: UTF-8 with or without BOM, UTF-16 (BOM or NUL pattern),\n"
    "  GB18030/GBK.  Files that are not text are skipped with a note; files that\n"
    "  cannot be decoded are reported and left alone.\n"
    "\n"
    "JSON lines (standard input, or the FILEs one after the other, to standard output):\n"
    "  --jsonl                one JSON object a line; its text field repaired, the\n"
    "                         rest of the line kept byte for byte\n"
    "  --field NAME           the field to repair (default: text)\n"
    "  --attach-edits         add an \"edits\" array: the edits applied, with code-point\n"
    "                         offsets into the original field\n"
    "  --strict               stop at the first malformed line (exit 2) instead of\n"
    "                         passing it through with a note\n"
    "\n"
    "The engine and decision options of 'errata fix' apply (--dict, --model,\n"
    "--threshold, --all, --disable...).  -q: no summary, no progress bar.\n"
    "Exit status: 0 done, 2 when a file failed or the options are wrong.\n";

/* The options that make `errata fix` a batch run. */
static const char *const batch_option_names[] = {
    "-r",           "--recursive",       "-j",          "--jobs",       "--output-dir",
    "--progress",   "--jsonl",           "--field",     "--attach-edits", "--strict",
    "--report",     "--include",    "--exclude"};

static int is_batch_option(const char *arg)
{
    if (strncmp(arg, "-j", 2) == 0 && arg[2] >= '0' && arg[2] <= '9')
        return 1;
    for (size_t i = 0; i < sizeof batch_option_names / sizeof *batch_option_names; i++) {
        size_t n = strlen(batch_option_names[i]);
        if (strncmp(arg, batch_option_names[i], n) == 0 &&
            (arg[n] == '\0' || (arg[n] == '=' && arg[1] == '-')))
            return 1;
    }
    return 0;
}

int errata_cli_batch_requested(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (is_batch_option(argv[i]))
            return 1;
    return 0;
}

/* ------------------------------------------------------------ options */

static int parse_jobs(errata_cli_args *args, const char *text, unsigned *jobs)
{
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(text, &end, 10);
    if (end == text || *end || errno || n < 1 || n > 1024 || text[0] == '-')
        return errata_cli_usage_error(args->argv[0], "-j needs a number from 1 to 1024, not '%s'",
                                      text);
    *jobs = (unsigned)n;
    return 1;
}

/* The switches (no value): 1 taken, 0 not one of them, -1 bad. */
static int batch_switch(errata_cli_args *args, errata_batch_options *o)
{
    const struct {
        const char *name;
        int *flag;
    } switches[] = {{"-r", &o->recursive},        {"--recursive", &o->recursive},
                    {"-i", &o->in_place},         {"--in-place", &o->in_place},
                    {"--progress", &o->progress_forced}, {"--jsonl", &o->jsonl},
                    {"--attach-edits", &o->attach_edits}, {"--strict", &o->strict}};
    for (size_t i = 0; i < sizeof switches / sizeof *switches; i++) {
        int r = errata_cli_match(args, switches[i].name, NULL);
        if (r > 0)
            *switches[i].flag = 1;
        if (r != 0)
            return r;
    }
    return 0;
}

static int add_glob(errata_batch_globs *globs, const char *glob)
{
    if (!*glob)
        return errata_cli_usage_error("fix", "--include and --exclude need a glob");
    if (errata_cli_grow((void **)&globs->items, &globs->cap, globs->count, sizeof *globs->items)) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    globs->items[globs->count++] = glob;
    return 1;
}

static int batch_option(errata_cli_args *args, void *context)
{
    errata_batch_options *o = context;
    const char *arg = args->argv[args->index], *v = NULL;
    if (strncmp(arg, "-j", 2) == 0 && arg[2] >= '0' && arg[2] <= '9')
        return parse_jobs(args, arg + 2, &o->jobs);
    int r = batch_switch(args, o);
    if (r != 0)
        return r;
    if ((r = errata_cli_match(args, "-j", &v)) > 0 || (r == 0 && (r = errata_cli_match(args, "--jobs", &v)) > 0))
        return parse_jobs(args, v, &o->jobs);
    if (r == 0 && (r = errata_cli_match(args, "--output-dir", &v)) > 0)
        o->output_dir = v;
    else if (r == 0 && (r = errata_cli_match(args, "--field", &v)) > 0)
        o->field = v;
    else if (r == 0 && (r = errata_cli_match(args, "--backup", &v)) > 0)
        o->backup_suffix = v;
    else if (r == 0 && (r = errata_cli_match(args, "--report", &v)) > 0)
        o->report = v;
    else if (r == 0 && (r = errata_cli_match(args, "--include", &v)) > 0)
        r = add_glob(&o->include, v);
    else if (r == 0 && (r = errata_cli_match(args, "--exclude", &v)) > 0)
        r = add_glob(&o->exclude, v);
    else if (r == 0 && ((r = errata_cli_match(args, "-o", &v)) > 0 ||
                        (r == 0 && (r = errata_cli_match(args, "--output", &v)) > 0)))
        o->output = v;
    return r;
}

static int has_stdin_operand(const errata_cli_common *common)
{
    for (size_t i = 0; i < common->file_count; i++)
        if (strcmp(common->files[i], "-") == 0)
            return 1;
    return 0;
}

static int check_jsonl_options(const errata_batch_options *o, const errata_cli_common *common)
{
    if (o->recursive || o->jobs || o->in_place || o->output_dir || o->backup_suffix || o->output ||
        o->report || o->include.count || o->exclude.count || common->input_encoding ||
        common->output_encoding)
        return errata_cli_usage_error("fix", "--jsonl reads standard input or FILEs and writes "
                                             "standard output; it takes none of -r, -j, "
                                             "--in-place, --backup, --output-dir, -o, --report, "
                                             "--input-encoding, --output-encoding");
    if (o->field && !*o->field)
        return errata_cli_usage_error("fix", "--field needs a name");
    return 0;
}

static int check_batch_options(const errata_batch_options *o, const errata_cli_common *common)
{
    if (o->jsonl)
        return check_jsonl_options(o, common);
    if (o->field || o->attach_edits || o->strict)
        return errata_cli_usage_error("fix", "--field, --attach-edits and --strict need --jsonl");
    if ((o->include.count || o->exclude.count) && !o->recursive)
        return errata_cli_usage_error("fix", "--include and --exclude need -r");
    if (o->output)
        return errata_cli_usage_error("fix", "-o cannot go with -r, -j or --progress; "
                                             "use --output-dir");
    if (o->in_place && o->output_dir)
        return errata_cli_usage_error("fix", "--in-place and --output-dir cannot go together");
    if (o->backup_suffix && (!o->in_place || !*o->backup_suffix))
        return errata_cli_usage_error("fix", "--backup needs --in-place and a non-empty suffix");
    if (o->output_dir && !*o->output_dir)
        return errata_cli_usage_error("fix", "--output-dir needs a directory");
    if (o->report && !*o->report)
        return errata_cli_usage_error("fix", "--report needs a file or a directory");
    if ((o->in_place || o->output_dir || o->recursive) && common->file_count == 0)
        return errata_cli_usage_error("fix", "-r, --in-place and --output-dir need FILE operands");
    if ((o->in_place || o->output_dir) && has_stdin_operand(common))
        return errata_cli_usage_error("fix", "standard input cannot be written in place or "
                                             "into --output-dir");
    return 0;
}

/* ------------------------------------------------------------ the files */

typedef struct {
    char *path;     /* to read ("-": standard input) */
    char *output;   /* where to write under --output-dir, else NULL */
    uint64_t size;  /* for the progress bar */
    dev_t dev;      /* to drop a file given twice for --in-place */
    ino_t ino;
    int data_too;   /* repaired even if its text starts as data (not met by -r,
                       or named by --include) */
    /* Set by the worker that took it. */
    char *out;      /* standard-output mode: the bytes to write */
    size_t out_len;
    int done;
    errata_batch_file_report report; /* --report: what it tells of this file */
} batch_job;

typedef struct {
    batch_job *items;
    size_t count, cap;
    size_t failed;   /* operands that could not be looked at */
    size_t left_out; /* files met by -r and not taken (globs, not documents) */
} job_list;

static void job_list_free(job_list *jobs)
{
    for (size_t i = 0; i < jobs->count; i++) {
        free(jobs->items[i].path);
        free(jobs->items[i].output);
        free(jobs->items[i].out);
        errata_batch_report_file_free(&jobs->items[i].report);
    }
    free(jobs->items);
}

static char *join_path(const char *dir, const char *name)
{
    size_t dir_len = strlen(dir);
    int slash = dir_len > 0 && dir[dir_len - 1] != '/';
    char *path = malloc(dir_len + slash + strlen(name) + 1);
    if (path) {
        memcpy(path, dir, dir_len);
        path[dir_len] = '/';
        strcpy(path + dir_len + slash, name);
    }
    return path;
}

static int add_job(job_list *jobs, const char *path, const char *output_dir, const char *relative,
                   const struct stat *st, int data_too)
{
    if (errata_cli_grow((void **)&jobs->items, &jobs->cap, jobs->count, sizeof *jobs->items))
        return -1;
    batch_job *job = &jobs->items[jobs->count];
    memset(job, 0, sizeof *job);
    job->path = strdup(path);
    job->output = output_dir ? join_path(output_dir, relative) : NULL;
    job->data_too = data_too;
    if (!job->path || (output_dir && !job->output)) {
        free(job->path);
        free(job->output);
        return -1;
    }
    if (st) {
        job->size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
        job->dev = st->st_dev;
        job->ino = st->st_ino;
    }
    jobs->count++;
    return 0;
}

typedef struct {
    job_list *jobs;
    const errata_batch_options *options;
    const char *output_dir;
    struct stat output_dir_stat; /* st_ino 0: there is none yet */
    errata_batch_console *console;
} walker;

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int walk(walker *w, const char *dir, const char *relative);

/* One entry of a directory being walked: files become jobs, directories
   are walked, the rest (links, devices, hidden names) is left out. */
static int walk_entry(walker *w, const char *dir, const char *relative, const char *name)
{
    if (name[0] == '.')
        return 0;
    char *path = join_path(dir, name), *rel = join_path(relative, name);
    int rc = path && rel ? 0 : -1;
    struct stat st;
    errata_batch_selection selection = ERRATA_BATCH_LEAVE_OUT;
    if (!rc && lstat(path, &st) != 0) {
        errata_batch_note(w->console, path, "%s", strerror(errno));
        w->jobs->failed++;
    } else if (!rc && S_ISDIR(st.st_mode)) {
        int is_output = st.st_ino == w->output_dir_stat.st_ino &&
                        st.st_dev == w->output_dir_stat.st_dev;
        if (!is_output && errata_batch_select(w->options, rel, 1) != ERRATA_BATCH_LEAVE_OUT)
            rc = walk(w, path, rel);
    } else if (!rc && S_ISREG(st.st_mode) &&
               (selection = errata_batch_select(w->options, rel, 0)) != ERRATA_BATCH_LEAVE_OUT) {
        rc = add_job(w->jobs, path, w->output_dir, rel, &st, selection == ERRATA_BATCH_TAKE_ANY);
    } else if (!rc && S_ISREG(st.st_mode)) {
        w->jobs->left_out++;
    }
    free(path);
    free(rel);
    return rc;
}

static int walk(walker *w, const char *dir, const char *relative)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0) {
        errata_batch_note(w->console, dir, "cannot read the directory: %s", strerror(errno));
        w->jobs->failed++;
        return 0;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (!rc)
            rc = walk_entry(w, dir, relative, names[i]->d_name);
        free(names[i]);
    }
    free(names);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

static int add_operand(walker *w, const errata_batch_options *o, const char *operand)
{
    struct stat st;
    if (strcmp(operand, "-") == 0)
        return add_job(w->jobs, operand, NULL, NULL, NULL, 1);
    if (stat(operand, &st) != 0) {
        errata_batch_note(w->console, operand, "%s", strerror(errno));
        w->jobs->failed++;
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return add_job(w->jobs, operand, w->output_dir, base_name(operand), &st, 1);
    if (o->recursive)
        return walk(w, operand, "");
    errata_batch_note(w->console, operand, "is a directory (use -r to walk it)");
    w->jobs->failed++;
    return 0;
}

static int by_output(const void *pa, const void *pb)
{
    return strcmp((*(batch_job *const *)pa)->output, (*(batch_job *const *)pb)->output);
}

/* Pointers to the jobs, sorted by cmp (NULL when out of memory). */
static batch_job **sorted_jobs(const job_list *jobs, int (*cmp)(const void *, const void *))
{
    batch_job **sorted = malloc((jobs->count ? jobs->count : 1) * sizeof *sorted);
    for (size_t i = 0; sorted && i < jobs->count; i++)
        sorted[i] = &jobs->items[i];
    if (sorted)
        qsort(sorted, jobs->count, sizeof *sorted, cmp);
    return sorted;
}

/* Two inputs that would be written to the same place under --output-dir. */
static int check_distinct_outputs(const job_list *jobs)
{
    batch_job **sorted = sorted_jobs(jobs, by_output);
    if (!sorted) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    int rc = 0;
    for (size_t i = 1; i < jobs->count && !rc; i++)
        if (strcmp(sorted[i - 1]->output, sorted[i]->output) == 0)
            rc = errata_cli_usage_error("fix", "%s and %s would both be written to %s",
                                        sorted[i - 1]->path, sorted[i]->path, sorted[i]->output);
    free(sorted);
    return rc;
}

static int by_file_then_position(const void *pa, const void *pb)
{
    const batch_job *a = *(batch_job *const *)pa, *b = *(batch_job *const *)pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* A file given twice is rewritten in place once: the later mentions go. */
static int drop_repeated_files(job_list *jobs)
{
    batch_job **sorted = sorted_jobs(jobs, by_file_then_position);
    if (!sorted)
        return -1;
    for (size_t i = 1; i < jobs->count; i++)
        if (sorted[i]->dev == sorted[i - 1]->dev && sorted[i]->ino == sorted[i - 1]->ino &&
            strcmp(sorted[i]->path, "-") != 0) {
            free(sorted[i]->path);
            sorted[i]->path = NULL;
        }
    free(sorted);
    size_t kept = 0;
    for (size_t i = 0; i < jobs->count; i++)
        if (jobs->items[i].path)
            jobs->items[kept++] = jobs->items[i];
    jobs->count = kept;
    return 0;
}

static int collect_jobs(const errata_batch_options *o, const errata_cli_common *common,
                        errata_batch_console *console, job_list *jobs)
{
    walker w = {jobs, o, o->output_dir, {0}, console};
    if (o->output_dir && stat(o->output_dir, &w.output_dir_stat) != 0)
        memset(&w.output_dir_stat, 0, sizeof w.output_dir_stat);
    static const char *const standard_input[] = {"-"};
    const char *const *files = common->file_count ? common->files : standard_input;
    size_t count = common->file_count ? common->file_count : 1;
    int rc = 0;
    for (size_t i = 0; i < count && !rc; i++)
        rc = add_operand(&w, o, files[i]);
    if (!rc && o->in_place)
        rc = drop_repeated_files(jobs);
    if (rc) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    return o->output_dir ? check_distinct_outputs(jobs) : 0;
}

/* ------------------------------------------------------------ the work */

typedef struct {
    const errata_engine *engine;
    const errata_cli_common *common;
    const errata_batch_options *options;
    errata_batch_console console;
    job_list jobs;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t next;    /* the next job to take */
    size_t written; /* standard-output mode: jobs written, in order */
    size_t window;  /* how far past `written` the workers may go */
} batch_run;

typedef struct {
    batch_run *run;
    errata_batch_stats stats;
    errata_scratch *scratch; /* the model's caches, kept from file to file */
    pthread_t thread;
} worker;

/* Check the text and apply the edits the command line selects; *result
   is kept for the statistics, counted once the file is written, and for
   --report (which needs the edits' reasons and places). */
static int repair(worker *w, const char *name, const errata_cli_document *doc,
                  errata_result **result, char **fixed, size_t *fixed_len)
{
    batch_run *run = w->run;
    errata_check_options opts = run->options->report ? errata_cli_check_options(run->common)
                                                     : errata_cli_fix_options(run->common);
    int rc = errata_check_scratch(run->engine, w->scratch, doc->text, doc->len, &opts, result);
    if (!rc)
        rc = errata_cli_apply_selected(run->common, *result, doc->text, doc->len, fixed,
                                       fixed_len);
    if (rc)
        errata_batch_note(&run->console, name, "%s", errata_cli_failure(rc));
    return rc ? -1 : 0;
}

static int write_in_place(batch_run *run, const char *path, const errata_cli_document *doc,
                          const char *bytes, size_t len)
{
    if (!doc->raw.is_regular_file) {
        errata_batch_note(&run->console, path, "not a regular file, cannot rewrite it in place");
        return -1;
    }
    if (run->options->backup_suffix &&
        errata_cli_write_backup(path, run->options->backup_suffix, doc->raw.data, doc->raw.len))
        return -1;
    return errata_cli_write_atomic(path, bytes, len);
}

/* Write the repaired document where it goes.  bytes are the document's
   own when nothing changed and the encoding stays. */
static int deliver(batch_run *run, batch_job *job, const errata_cli_document *doc,
                   const char *bytes, size_t len, int same_bytes)
{
    if (run->options->in_place)
        return same_bytes ? 0 : write_in_place(run, job->path, doc, bytes, len);
    if (job->output) {
        if (errata_batch_make_parents(&run->console, job->output))
            return -1;
        return errata_cli_write_atomic(job->output, bytes, len);
    }
    job->out = malloc(len ? len : 1);
    if (!job->out) {
        errata_batch_note(&run->console, job->path, "out of memory");
        return -1;
    }
    memcpy(job->out, bytes, len);
    job->out_len = len;
    return 0;
}

static int repair_and_deliver(worker *w, batch_job *job, const errata_cli_document *doc)
{
    batch_run *run = w->run;
    const char *name = errata_cli_display_name(job->path);
    errata_result *result = NULL;
    char *fixed = NULL, *encoded = NULL;
    size_t fixed_len = 0, encoded_len = 0;
    int rc = repair(w, name, doc, &result, &fixed, &fixed_len);
    int changed = !rc && errata_cli_text_changed(doc, fixed, fixed_len);
    errata_encoding target = errata_cli_output_encoding(doc, run->common->output_encoding);
    int same_bytes = !changed && target == doc->encoding;
    /* The repaired text is valid UTF-8 already: plain UTF-8 output needs
       no conversion (nor another validation pass). */
    const char *bytes = same_bytes ? doc->raw.data : fixed;
    size_t bytes_len = same_bytes ? doc->raw.len : fixed_len;
    if (!rc && !same_bytes && target != ERRATA_ENCODING_UTF8) {
        rc = errata_batch_encode(&run->console, name, fixed, fixed_len, target, &encoded,
                                 &encoded_len);
        bytes = encoded;
        bytes_len = encoded_len;
    }
    if (!rc)
        rc = deliver(run, job, doc, bytes, bytes_len, same_bytes);
    /* Only a file actually written counts as changed, with its edits. */
    if (!rc && errata_batch_stats_add_edits(&w->stats, run->common, result))
        rc = -1; /* reported there */
    if (!rc)
        w->stats.changed += changed;
    job->report.changed = changed;
    if (!rc && run->options->report)
        rc = errata_batch_report_file(&run->console, run->common, run->options,
                                      (size_t)(job - run->jobs.items), doc, result, &job->report);
    errata_result_free(result);
    errata_free(fixed);
    errata_free(encoded);
    return rc;
}

static void process_job(worker *w, batch_job *job)
{
    batch_run *run = w->run;
    errata_batch_stats *stats = &w->stats;
    errata_cli_document doc;
    errata_batch_read_status status = errata_batch_read_document(
        &run->console, job->path, run->common->input_encoding, &doc);
    job->report.path = job->path;
    const char *format = NULL;
    if (status == ERRATA_BATCH_READ_OK && !job->data_too &&
        (format = errata_data_format(doc.text, doc.len)) != NULL) {
        errata_batch_skip_note(&run->console, errata_cli_display_name(job->path),
                               "skipped: %s, not a document (--include takes it)", format);
        stats->skipped++;
        job->report.status = ERRATA_BATCH_FILE_SKIPPED;
    } else if (status == ERRATA_BATCH_READ_OK) {
        stats->read++;
        stats->bytes += doc.raw.len;
        int failed = repair_and_deliver(w, job, &doc) != 0;
        stats->failed += failed;
        job->report.status = failed ? ERRATA_BATCH_FILE_FAILED : ERRATA_BATCH_FILE_DONE;
    } else if (status == ERRATA_BATCH_READ_SKIPPED) {
        stats->skipped++;
        job->report.status = ERRATA_BATCH_FILE_SKIPPED;
    } else {
        stats->failed++;
    }
    errata_cli_document_free(&doc);
}

static size_t take_job(batch_run *run)
{
    pthread_mutex_lock(&run->lock);
    while (run->next < run->jobs.count && run->next - run->written >= run->window)
        pthread_cond_wait(&run->changed, &run->lock);
    size_t i = run->next < run->jobs.count ? run->next++ : SIZE_MAX;
    pthread_mutex_unlock(&run->lock);
    return i;
}

static void *work(void *arg)
{
    worker *w = arg;
    batch_run *run = w->run;
    if (errata_scratch_new(run->engine, &w->scratch) != ERRATA_OK)
        w->scratch = NULL; /* then every file starts with empty caches */
    for (size_t i; (i = take_job(run)) != SIZE_MAX;) {
        batch_job *job = &run->jobs.items[i];
        process_job(w, job);
        errata_batch_progress(&run->console, 1, job->size, 0);
        pthread_mutex_lock(&run->lock);
        job->done = 1;
        pthread_cond_broadcast(&run->changed);
        pthread_mutex_unlock(&run->lock);
    }
    errata_scratch_free(w->scratch);
    return NULL;
}

/* Standard-output mode: each file's bytes as soon as it and all before it
   are done. */
static int write_in_order(batch_run *run)
{
    int rc = 0;
    for (size_t i = 0; i < run->jobs.count; i++) {
        batch_job *job = &run->jobs.items[i];
        pthread_mutex_lock(&run->lock);
        while (!job->done)
            pthread_cond_wait(&run->changed, &run->lock);
        pthread_mutex_unlock(&run->lock);
        if (job->out && !rc) {
            errata_batch_console_hold(&run->console);
            rc = errata_cli_write(stdout, "standard output", job->out, job->out_len);
            errata_batch_console_release(&run->console);
        }
        free(job->out);
        job->out = NULL;
        pthread_mutex_lock(&run->lock);
        run->written = i + 1;
        pthread_cond_broadcast(&run->changed);
        pthread_mutex_unlock(&run->lock);
    }
    return rc;
}

static unsigned worker_count(const errata_batch_options *o, size_t jobs)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = o->jobs ? o->jobs : cores > 0 ? (unsigned)cores : 1;
    return jobs < n ? (jobs ? (unsigned)jobs : 1) : n;
}

/* Run the workers; their statistics are merged into stats. */
static int run_workers(batch_run *run, errata_batch_stats *stats)
{
    unsigned n = worker_count(run->options, run->jobs.count);
    int to_stdout = !run->options->in_place && !run->options->output_dir;
    run->window = to_stdout ? (size_t)n * STDOUT_WINDOW_PER_WORKER : SIZE_MAX;
    worker *workers = calloc(n, sizeof *workers);
    if (!workers) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    unsigned started = 0;
    for (; started < n; started++) {
        workers[started].run = run;
        if (pthread_create(&workers[started].thread, NULL, work, &workers[started]) != 0)
            break;
    }
    int rc = started ? 0 : -1;
    if (!started)
        fputs("errata: cannot start a worker thread\n", stderr);
    else if (to_stdout)
        rc = write_in_order(run);
    for (unsigned i = 0; i < started; i++) {
        pthread_join(workers[i].thread, NULL);
        if (errata_batch_stats_merge(stats, &workers[i].stats))
            rc = -1;
        errata_batch_stats_free(&workers[i].stats);
    }
    free(workers);
    return rc;
}

static int write_report(const errata_batch_options *o, const errata_batch_stats *stats,
                        const job_list *jobs)
{
    const errata_batch_file_report **files = malloc((jobs->count + 1) * sizeof *files);
    if (!files) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    for (size_t i = 0; i < jobs->count; i++)
        files[i] = &jobs->items[i].report;
    int rc = errata_batch_report_write(o, stats, files, jobs->count);
    free(files);
    return rc;
}

static int run_files(const errata_engine *engine, const errata_cli_common *common,
                     const errata_batch_options *o)
{
    batch_run run = {.engine = engine, .common = common, .options = o};
    int progress = !common->quiet && (o->progress_forced || isatty(STDERR_FILENO));
    errata_batch_console_init(&run.console, progress);
    run.console.quiet = common->quiet;
    pthread_mutex_init(&run.lock, NULL);
    pthread_cond_init(&run.changed, NULL);
    errata_batch_stats stats = {0};
    int collected = collect_jobs(o, common, &run.console, &run.jobs) == 0, rc = -1;
    stats.failed = run.jobs.failed;
    stats.skipped = run.jobs.left_out;
    for (size_t i = 0; collected && i < run.jobs.count; i++) {
        run.console.total_files++;
        run.console.total_bytes += run.jobs.items[i].size;
    }
    if (collected)
        rc = run_workers(&run, &stats);
    errata_batch_progress_end(&run.console);
    if (collected && o->report && write_report(o, &stats, &run.jobs))
        rc = -1;
    if (collected && !common->quiet)
        errata_batch_print_summary(&stats, "file", "skipped",
                                   errata_batch_now() - run.console.started);
    if (stats.failed)
        rc = -1;
    errata_batch_stats_free(&stats);
    job_list_free(&run.jobs);
    pthread_cond_destroy(&run.changed);
    pthread_mutex_destroy(&run.lock);
    errata_batch_console_destroy(&run.console);
    return rc;
}

/* --report names a folder when it ends with a slash or is a directory. */
static int is_folder(const char *path)
{
    struct stat st;
    return path[strlen(path) - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

int errata_cli_batch_main(int argc, char **argv)
{
    errata_cli_common common;
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING | ERRATA_CLI_OUTPUT_ENCODING;
    errata_batch_options o = {0};
    int rc = errata_cli_parse(argc, argv, batch_help, batch_option, &o, &common);
    errata_engine *engine = NULL;
    mallopt(M_MMAP_THRESHOLD, KEEP_BLOCKS_BELOW);
    mallopt(M_TRIM_THRESHOLD, KEEP_FREE_MEMORY_BELOW);
    if (rc == 0)
        rc = check_batch_options(&o, &common);
    if (rc == 0 && o.report)
        o.report_folder = is_folder(o.report);
    if (rc == 0)
        rc = errata_cli_engine_new(&common, &engine);
    if (rc == 0)
        rc = o.jsonl ? errata_batch_stream(engine, &common, &o, stdout) : run_files(engine, &common, &o);
    errata_engine_free(engine);
    errata_cli_common_free(&common);
    free(o.include.items);
    free(o.exclude.items);
    return rc == 0 || rc == 1 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
}

/* ------------------------------------------------------------ for learn */

int errata_batch_list_files(const errata_cli_common *common, errata_batch_console *console,
                            char ***paths, size_t *count, size_t *failed)
{
    errata_batch_options o = {0};
    o.recursive = 1;
    job_list jobs = {0};
    int rc = collect_jobs(&o, common, console, &jobs);
    *paths = rc ? NULL : malloc((jobs.count ? jobs.count : 1) * sizeof **paths);
    if (!rc && !*paths) {
        fputs("errata: out of memory\n", stderr);
        rc = -1;
    }
    for (size_t i = 0; !rc && i < jobs.count; i++) {
        (*paths)[i] = jobs.items[i].path;
        jobs.items[i].path = NULL;
    }
    *count = rc ? 0 : jobs.count;
    *failed = jobs.failed;
    job_list_free(&jobs);
    return rc;
}
