/* Allocation failures: each call below is run with its N-th allocation
   failing, for N = 1, 2, ... until the call makes fewer than N allocations
   and succeeds.  Every failure must come back as ERRATA_ENOMEM with nothing
   handed out (the library), or as exit status 2 with "out of memory" on
   standard error and no partial output file (the command line); the
   AddressSanitizer build this runs in finds leaks and bad accesses.

   malloc, calloc, realloc, strdup and strndup of the library and CLI code
   are linked through the wrappers here (-Wl,--wrap=...); what the C
   library, ICU and hunspell allocate inside themselves is not counted.

   Usage: alloc_failures REPO_DIR WORK_DIR [STRIDE]
   (ALLOC_FAILURES_TRACE=1 in the environment: a stack trace at each
   failure injected, on the standard error of the call.)
   A walk longer than MAX_FULL_WALK allocations is walked in full up to
   there, then at every STRIDE-th allocation (default 97), plus the last
   one: the report says so. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "errata.h"

#define MAX_FULL_WALK 400
#define OCR_TEXT_BYTES 1500

/* ------------------------------------------------------------ the wrappers */

static atomic_long countdown = -1; /* allocations left before the failing one; -1: off */
static atomic_long counted;        /* allocations seen while armed */
static atomic_int injected;        /* the failure happened */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void __sanitizer_print_stack_trace(void);
static int trace; /* ALLOC_FAILURES_TRACE set: show where each failure is injected */

static int fail_now(void)
{
    if (atomic_load(&countdown) < 0)
        return 0;
    atomic_fetch_add(&counted, 1);
    if (atomic_fetch_sub(&countdown, 1) == 0) {
        atomic_store(&injected, 1);
        if (trace)
            __sanitizer_print_stack_trace();
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t size) { return fail_now() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size) { return fail_now() ? NULL : __real_realloc(p, size); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }

/* Fail the n-th allocation from now on (n >= 1); 0: none. */
static void arm(long n)
{
    atomic_store(&counted, 0);
    atomic_store(&injected, 0);
    atomic_store(&countdown, n - 1);
}

static void disarm(void) { atomic_store(&countdown, -1); }

/* ------------------------------------------------------------ reporting */

static int violations;

static void violation(const char *call, long n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void violation(const char *call, long n, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "alloc_failures: %s, allocation %ld failing: ", call, n);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    violations++;
}

/* A call under test: run once with allocation n failing (0: none); returns
   0 when it behaved (succeeded, or failed as it must), else reports. */
typedef int (*call_fn)(const char *name, long n, void *context);

static long stride = 97;
static long total_allocations, total_injected;

/* Whether allocation n is one the walk visits, given the call's total. */
static int visited(long n, long total)
{
    return n <= MAX_FULL_WALK || n % stride == 0 || n == total;
}

static void walk(const char *name, call_fn call, void *context)
{
    arm(0);
    disarm();
    /* a clean run first: how many allocations there are to fail */
    atomic_store(&countdown, 1L << 62);
    atomic_store(&counted, 0);
    if (call(name, 0, context) != 0)
        return;
    long total = atomic_load(&counted);
    disarm();
    long failures = 0;
    for (long n = 1; n <= total; n++) {
        if (!visited(n, total))
            continue;
        arm(n);
        int rc = call(name, n, context);
        int happened = atomic_load(&injected);
        disarm();
        if (rc != 0)
            break;
        if (!happened) {
            violation(name, n, "no allocation %ld (the clean run made %ld)", n, total);
            break;
        }
        failures++;
    }
    total_allocations += total;
    total_injected += failures;
    printf("%-34s %6ld allocations, %6ld failures injected%s\n", name, total, failures,
           total > MAX_FULL_WALK ? " (walked in full to 400, then every stride-th)" : "");
    fflush(stdout);
}

/* ------------------------------------------------------------ files */

static char *read_file(const char *path, size_t *len)
{
    char *data = NULL;
    if (errata_cli_read_path(path, &data, len) != 0) {
        fprintf(stderr, "alloc_failures: cannot read %s\n", path);
        exit(2);
    }
    return data;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "alloc_failures: cannot write %s\n", path);
        exit(2);
    }
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = __real_malloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* ------------------------------------------------------------ the library */

typedef struct {
    const char *dictionary, *model;
} engine_context;

static int call_engine_new(const char *name, long n, void *context)
{
    const engine_context *c = context;
    const char *paths[] = {c->dictionary};
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = 1; /* see main: the built-in one walks in the CLI runs */
    opts.dictionary_paths = paths;
    opts.dictionary_count = 1;
    opts.model_path = c->model;
    errata_engine *engine = (errata_engine *)1;
    int rc = errata_engine_new(&engine, &opts);
    if (n == 0 && rc != ERRATA_OK) {
        violation(name, n, "fails without a failure: %s", errata_error_message());
        return -1;
    }
    if (n > 0 && rc != ERRATA_ENOMEM && atomic_load(&injected)) {
        violation(name, n, "returned %d (%s), not ERRATA_ENOMEM", rc, errata_error_message());
        errata_engine_free(rc == ERRATA_OK ? engine : NULL);
        return -1;
    }
    if (rc != ERRATA_OK && engine != NULL) {
        violation(name, n, "left a handle on failure");
        return -1;
    }
    errata_engine_free(engine);
    return 0;
}

typedef struct {
    const errata_engine *engine; /* NULL: a new one each run, made with */
    const errata_engine_options *fresh;
    const char *text;
    size_t len;
    int fix;            /* errata_fix instead of errata_check */
    char *expected;     /* what errata_fix gives, or errata_check's edits listed */
    size_t expected_len;
} check_context;

/* A result's edits as text, to compare one run with another. */
static char *list_edits(const errata_result *result, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    for (size_t i = 0; f && i < errata_result_count(result); i++) {
        const errata_edit *e = errata_result_edit(result, i);
        fprintf(f, "%zu %zu %s %s %d %.6f %s\n", e->byte_start, e->byte_end, e->new_text, e->rule,
                (int)e->action, e->confidence, e->reason);
    }
    if (f)
        fclose(f);
    return text;
}

static int same_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a && b && a_len == b_len && memcmp(a, b, a_len) == 0;
}

static int call_check(const char *name, long n, void *context)
{
    check_context *c = context;
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    errata_result *result = (errata_result *)1;
    char *out = (char *)1;
    size_t out_len = 0;
    /* a new engine: the look-alike table it parses when first needed is
       then parsed in each run, under test */
    long keep = atomic_exchange(&countdown, -1);
    errata_engine *fresh = NULL;
    if (c->fresh && errata_engine_new(&fresh, c->fresh) != ERRATA_OK)
        exit(2);
    const errata_engine *engine = fresh ? fresh : c->engine;
    atomic_store(&countdown, keep);
    int rc = c->fix ? errata_fix(engine, c->text, c->len, &opts, &out, &out_len)
                    : errata_check(engine, c->text, c->len, &opts, &result);
    int happened = atomic_load(&injected);
    keep = atomic_exchange(&countdown, -1); /* the comparison is not under test */
    errata_engine_free(fresh);
    int ok = 1;
    if (rc == ERRATA_OK) {
        if (!c->fix) {
            out = list_edits(result, &out_len);
            errata_result_free(result);
        }
        if (n == 0) {
            c->expected = out;
            c->expected_len = out_len;
            out = NULL;
        } else if (!same_bytes(out, out_len, c->expected, c->expected_len)) {
            violation(name, n, "succeeded with another result");
            ok = 0;
        }
        free(out);
    } else if (rc != ERRATA_ENOMEM || !happened) {
        violation(name, n, "returned %d (%s), not ERRATA_ENOMEM", rc, errata_error_message());
        ok = 0;
    } else if ((c->fix && out != NULL) || (!c->fix && result != NULL)) {
        violation(name, n, "left output on failure");
        ok = 0;
    }
    atomic_store(&countdown, keep);
    return ok ? 0 : -1;
}

typedef struct {
    const char *data;
    size_t len;
    errata_encoding encoding;
    int encode; /* errata_encode instead of errata_decode */
    char *expected;
    size_t expected_len;
} coding_context;

static int call_coding(const char *name, long n, void *context)
{
    coding_context *c = context;
    char *out = (char *)1;
    size_t out_len = 0;
    int rc = c->encode ? errata_encode(c->data, c->len, c->encoding, &out, &out_len)
                       : errata_decode(c->data, c->len, c->encoding, &out, &out_len, NULL);
    int happened = atomic_load(&injected);
    int ok = 1;
    if (rc == ERRATA_OK && n == 0) {
        c->expected = out;
        c->expected_len = out_len;
        return 0;
    }
    if (rc == ERRATA_OK) {
        if (!same_bytes(out, out_len, c->expected, c->expected_len)) {
            violation(name, n, "succeeded with another result");
            ok = 0;
        }
        errata_free(out);
    } else if (rc != ERRATA_ENOMEM || !happened || out != NULL) {
        violation(name, n, "returned %d (%s)%s", rc, errata_error_message(),
                  out ? " and left output" : "");
        ok = 0;
    }
    return ok ? 0 : -1;
}

/* errata_fix_files: every file comes out written as in the clean run, or
   failed with "out of memory" (or no note, when even that failed) and
   neither its output nor a temporary file left. */
typedef struct {
    const errata_engine *engine;
    const char *out_dir;
    const char *inputs[2], *outputs[2];
    char *expected[2];
    size_t expected_len[2];
} files_context;

static int temporaries_left(const char *dir)
{
    DIR *d = opendir(dir);
    int found = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        found += strstr(e->d_name, ".errata-") != NULL;
    if (d)
        closedir(d);
    return found;
}

static int check_file_outcome(files_context *c, const char *name, long n, int i,
                              const errata_file *file)
{
    size_t len = 0;
    char *got = NULL;
    int exists = errata_cli_read_path(c->outputs[i], &got, &len) == 0, ok = 1;
    if (file->status == ERRATA_FILE_WRITTEN && n == 0) {
        c->expected[i] = got;
        c->expected_len[i] = len;
        return 1;
    }
    if (file->status == ERRATA_FILE_WRITTEN &&
        !(exists && same_bytes(got, len, c->expected[i], c->expected_len[i]))) {
        violation(name, n, "file %d written with another output", i);
        ok = 0;
    } else if (file->status != ERRATA_FILE_WRITTEN &&
               (n == 0 || exists || (file->note && strcmp(file->note, "out of memory") != 0))) {
        violation(name, n, "file %d: status %d, note \"%s\"%s", i, (int)file->status,
                  file->note ? file->note : "", exists ? ", output left" : "");
        ok = 0;
    }
    free(got);
    return ok;
}

static int call_fix_files(const char *name, long n, void *context)
{
    files_context *c = context;
    errata_file files[2];
    memset(files, 0, sizeof files);
    for (int i = 0; i < 2; i++) {
        files[i].input = c->inputs[i];
        files[i].output = c->outputs[i];
        unlink(c->outputs[i]);
    }
    int rc = errata_fix_files(c->engine, NULL, NULL, NULL, files, 2);
    long keep = atomic_exchange(&countdown, -1); /* the comparison is not under test */
    int ok = rc == ERRATA_OK;
    if (!ok)
        violation(name, n, "returned %d (%s), not ERRATA_OK", rc, errata_error_message());
    for (int i = 0; i < 2; i++) {
        if (ok && !check_file_outcome(c, name, n, i, &files[i]))
            ok = 0;
        errata_free(files[i].rules);
        errata_free(files[i].note);
    }
    if (ok && temporaries_left(c->out_dir)) {
        violation(name, n, "a temporary file left in %s", c->out_dir);
        ok = 0;
    }
    atomic_store(&countdown, keep);
    return ok ? 0 : -1;
}

/* errata_learner: new, three documents added, finish.  The documents are
   one text's three paragraphs with 发展 made 发崭 throughout (a string
   clean text never holds, so that the tiny word model of the fuzzing seeds
   tracks it) and 服务 made 效劳 (the user dictionary's pair: the known
   damage that lets a pair be confident). */
static const char *const learn_documents[] = {
    "今年以来，我们坚持以人民为中心的发崭思想，推动经济社会持续健康发崭。全县上下认真落实"
    "各项决策部署，为人民效劳，积极推进改革，不断加强基础设施建设。\n",
    "各部门要进一步提高认识，把推动高质量发崭作为当前的首要任务，加快产业转型升级，促进城乡"
    "协调发崭，切实为人民效劳。\n",
    "会议强调，要坚持新发崭理念，统筹发崭和安全，着力解决群众最关心的问题，推动各项事业全面"
    "发崭，让发崭成果更多惠及全体人民，为人民效劳。\n",
};
#define LEARN_DOCUMENTS (sizeof learn_documents / sizeof *learn_documents)

typedef struct {
    const errata_engine *engine;
    errata_learn_options opts;
    char *expected; /* the pairs of the clean run, listed */
    size_t expected_len;
} learn_context;

/* A learner's pairs as text, to compare one run with another. */
static char *list_pairs(const errata_learner *learner, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    for (size_t i = 0; f && i < errata_learner_pair_count(learner); i++) {
        const errata_learned_pair *p = errata_learner_pair(learner, i);
        fprintf(f, "%s %s %.6f %zu %zu %s %s %s", p->corrupted, p->original, p->confidence,
                p->places, p->supported_documents, p->fix_prev, p->fix_next, p->keep_prev);
        for (size_t k = 0; k < p->fix_example_count; k++)
            fprintf(f, " %s", p->fix_examples[k]);
        for (size_t k = 0; k < p->keep_example_count; k++)
            fprintf(f, " %s", p->keep_examples[k]);
        fputc('\n', f);
    }
    if (f)
        fclose(f);
    return text;
}

/* Add the documents from the first-th on, then finish; the failure told. */
static int add_and_finish(errata_learner *learner, size_t first, size_t *document,
                          const char **failed)
{
    int rc = ERRATA_OK;
    for (*document = first; rc == ERRATA_OK && *document < LEARN_DOCUMENTS; ++*document) {
        rc = errata_learner_add(learner, learn_documents[*document],
                                strlen(learn_documents[*document]));
        *failed = "errata_learner_add";
        if (rc != ERRATA_OK)
            return rc;
    }
    *failed = "errata_learner_finish";
    return errata_learner_finish(learner);
}

/* new, add and finish until one fails; the failure told (and for a
   document, which). */
static int learn_steps(const learn_context *c, errata_learner **learner, size_t *document,
                       const char **failed)
{
    *learner = (errata_learner *)1;
    *failed = "errata_learner_new";
    int rc = errata_learner_new(c->engine, &c->opts, learner);
    return rc == ERRATA_OK ? add_and_finish(*learner, 0, document, failed) : rc;
}

/* The pairs of a learner that succeeded: the clean run's, or the same. */
static int check_learnt(learn_context *c, const char *name, long n, const errata_learner *learner)
{
    size_t len = 0;
    char *listed = list_pairs(learner, &len);
    int ok = 1;
    if (n == 0) {
        c->expected = listed;
        c->expected_len = len;
        return 1;
    }
    if (!same_bytes(listed, len, c->expected, c->expected_len)) {
        violation(name, n, "succeeded with other pairs");
        ok = 0;
    }
    free(listed);
    return ok;
}

/* A document that failed, added again with memory enough: the learner goes
   on as if nothing had failed (it failed before counting it), or it says
   that its counts are incomplete, and finishing says so too. */
static int add_again(learn_context *c, const char *name, long n, errata_learner *learner,
                     size_t document)
{
    const char *step = NULL;
    int rc = add_and_finish(learner, document, &document, &step);
    if (rc == ERRATA_OK)
        return check_learnt(c, name, n, learner);
    if (rc == ERRATA_EINVAL && strcmp(step, "errata_learner_add") == 0 &&
        errata_learner_finish(learner) == ERRATA_EINVAL)
        return 1;
    violation(name, n, "adding the document again: %s returned %d (%s)", step, rc,
              errata_error_message());
    return 0;
}

static int call_learn(const char *name, long n, void *context)
{
    learn_context *c = context;
    errata_learner *learner = NULL;
    const char *step = NULL;
    size_t document = 0;
    int rc = learn_steps(c, &learner, &document, &step);
    int happened = atomic_load(&injected);
    long keep = atomic_exchange(&countdown, -1); /* the checks are not under test */
    int ok = 1;
    if (rc == ERRATA_OK) {
        ok = check_learnt(c, name, n, learner);
    } else if (rc != ERRATA_ENOMEM || !happened) {
        violation(name, n, "%s returned %d (%s), not ERRATA_ENOMEM", step, rc,
                  errata_error_message());
        ok = 0;
    } else if (strcmp(step, "errata_learner_new") == 0 && learner != NULL) {
        violation(name, n, "errata_learner_new left a handle on failure");
        learner = NULL; /* not one to free */
        ok = 0;
    } else if (strcmp(step, "errata_learner_add") == 0) {
        ok = add_again(c, name, n, learner, document);
    } else if (strcmp(step, "errata_learner_finish") == 0) {
        /* asked again, with memory enough, it finishes as the clean run */
        if (errata_learner_finish(learner) != ERRATA_OK) {
            violation(name, n, "finishing again failed: %s", errata_error_message());
            ok = 0;
        } else {
            ok = check_learnt(c, name, n, learner);
        }
    }
    errata_learner_free(learner);
    atomic_store(&countdown, keep);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------ the command line */

typedef struct {
    const char *work;           /* a directory of its own */
    char **argv;                /* the command line (argv[0] "fix" or "learn") */
    int argc;
    const char *output_dir;     /* compared with expected_dir when set */
    const char *stdout_path;    /* standard output goes here */
    const char *expected_stdout;
    const char *stderr_path;
} cli_context;

/* Run argv with fds 1 and 2 sent to files; returns the exit status. */
static int run_cli(const cli_context *c)
{
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int out = open(c->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(c->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    char *argv[16];
    memcpy(argv, c->argv, sizeof *argv * (size_t)(c->argc + 1));
    int status = strcmp(argv[0], "learn") == 0 ? errata_cli_learn_main(c->argc, argv)
                                               : errata_cli_fix_main(c->argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    return status;
}

static int files_equal(const char *a, const char *b)
{
    size_t a_len = 0, b_len = 0;
    char *x = read_file(a, &a_len), *y = read_file(b, &b_len);
    int same = a_len == b_len && memcmp(x, y, a_len) == 0;
    free(x);
    free(y);
    return same;
}

/* Every file of the output directory is whole (as in expected_dir) and no
   temporary file is left; a file may be missing. */
static int check_output_dir(const char *name, long n, const char *dir, const char *expected_dir,
                            int all)
{
    static const char *const names[] = {"a.txt", "b.txt", "c.txt"};
    int ok = 1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *got = path_join(dir, names[i]), *want = path_join(expected_dir, names[i]);
        int there = access(got, F_OK) == 0;
        if ((all && !there) || (there && !files_equal(got, want))) {
            violation(name, n, "%s is not whole", got);
            ok = 0;
        }
        free(got);
        free(want);
    }
    char command[512];
    snprintf(command, sizeof command, "ls -A '%s' 2>/dev/null | grep -q errata-", dir);
    if (system(command) == 0) {
        violation(name, n, "a temporary file is left in %s", dir);
        ok = 0;
    }
    return ok;
}

/* What the command said, for the report. */
static void show_stderr(const cli_context *c)
{
    size_t len = 0;
    char *text = read_file(c->stderr_path, &len);
    fprintf(stderr, "    standard error: %.*s\n", (int)(len < 600 ? len : 600), text);
    free(text);
}

static int stderr_says_out_of_memory(const cli_context *c)
{
    size_t len = 0;
    char *text = read_file(c->stderr_path, &len);
    /* errata's words, or strerror(ENOMEM)'s in a read error */
    int says = strstr(text, "out of memory") || strstr(text, "Cannot allocate memory");
    free(text);
    return says;
}

typedef struct {
    cli_context cli;
    const char *expected_dir;
} batch_context;

static int call_batch(const char *name, long n, void *context)
{
    const batch_context *b = context;
    long keep = atomic_exchange(&countdown, -1); /* the clean-up is not under test */
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", b->cli.output_dir);
    if (system(command) != 0)
        exit(2);
    atomic_store(&countdown, keep);
    int status = run_cli(&b->cli);
    int happened = atomic_load(&injected);
    keep = atomic_exchange(&countdown, -1); /* nor are the checks */
    int ok;
    if (status == 0) /* every file written, whole */
        ok = check_output_dir(name, n, b->cli.output_dir, b->expected_dir, 1);
    else /* the failure told, and no file half written */
        ok = happened && status == 2 && stderr_says_out_of_memory(&b->cli) &&
             check_output_dir(name, n, b->cli.output_dir, b->expected_dir, 0);
    if (!ok) {
        violation(name, n, "exit %d", status);
        show_stderr(&b->cli);
    }
    atomic_store(&countdown, keep);
    return ok ? 0 : -1;
}

static int call_stream(const char *name, long n, void *context)
{
    const cli_context *c = context;
    int status = run_cli(c);
    int happened = atomic_load(&injected);
    long keep = atomic_exchange(&countdown, -1); /* the checks are not under test */
    int ok = status == 0 ? files_equal(c->stdout_path, c->expected_stdout)
                         : happened && status == 2 && stderr_says_out_of_memory(c);
    if (!ok) {
        violation(name, n, "exit %d", status);
        show_stderr(c);
    }
    atomic_store(&countdown, keep);
    return ok ? 0 : -1;
}

/* errata learn -o FILE: written whole as in the clean run, or not at all
   (nor a temporary file beside it) with exit status 2 and "out of memory". */
typedef struct {
    cli_context cli;
    const char *output, *expected;
} learn_cli_context;

static int call_learn_cli(const char *name, long n, void *context)
{
    const learn_cli_context *c = context;
    long keep = atomic_exchange(&countdown, -1); /* the clean-up is not under test */
    unlink(c->output);
    atomic_store(&countdown, keep);
    int status = run_cli(&c->cli);
    int happened = atomic_load(&injected);
    keep = atomic_exchange(&countdown, -1); /* nor are the checks */
    int ok = status == 0 ? files_equal(c->output, c->expected)
                         : happened && status == 2 && stderr_says_out_of_memory(&c->cli) &&
                               access(c->output, F_OK) != 0;
    char command[512];
    snprintf(command, sizeof command, "ls -A '%s' 2>/dev/null | grep -q errata-", c->cli.work);
    if (ok && system(command) == 0) {
        violation(name, n, "a temporary file is left in %s", c->cli.work);
        ok = 0;
    }
    if (!ok) {
        violation(name, n, "exit %d", status);
        show_stderr(&c->cli);
    }
    atomic_store(&countdown, keep);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: alloc_failures REPO_DIR WORK_DIR [STRIDE]\n");
        return 2;
    }
    const char *repo = argv[1], *work = argv[2];
    if (argc > 3)
        stride = atol(argv[3]);
    mkdir(work, 0755);
    trace = getenv("ALLOC_FAILURES_TRACE") != NULL;

    /* the inputs */
    char *sample_path = path_join(repo, "corpus/wenku-sample.txt");
    char *model_path = path_join(repo, "dictionaries/zh-lm.bin");
    size_t sample_len = 0;
    char *sample = read_file(sample_path, &sample_len);
    /* an OCR-looking text: the start of a scan read back with heavy damage */
    char *ocr_path = path_join(repo, "corpus/ocr-tuning/heavy/gov-report.txt");
    size_t ocr_len = 0;
    char *ocr = read_file(ocr_path, &ocr_len);
    if (ocr_len > OCR_TEXT_BYTES) {
        ocr_len = OCR_TEXT_BYTES;
        while (ocr_len > 0 && ocr[ocr_len - 1] != '\n')
            ocr_len--; /* cut after a line */
    }
    char *dictionary = path_join(work, "user.dict");
    static const char user_dict[] = "errata-dict 1\n测式\t测试\tuser\tU\tfix-next=用例\n"
                                    "!keep\t平安浙江\n效劳\t服务\n";
    write_file(dictionary, user_dict, sizeof user_dict - 1);

    printf("allocation failures (the N-th allocation fails, N = 1, 2, ...):\n");
    engine_context ec = {dictionary, model_path};
    walk("errata_engine_new (user dict, model file)", call_engine_new, &ec);

    errata_engine *engine = NULL;
    if (errata_engine_new(&engine, NULL) != ERRATA_OK) {
        fprintf(stderr, "alloc_failures: engine: %s\n", errata_error_message());
        return 2;
    }
    /* the OCR text with an engine of its own each run (see call_check);
       without the built-in dictionary, which takes long to load under ASan */
    const char *paths[] = {dictionary};
    errata_engine_options ocr_engine = ERRATA_ENGINE_OPTIONS_INIT;
    ocr_engine.no_default_dictionaries = 1;
    ocr_engine.dictionary_paths = paths;
    ocr_engine.dictionary_count = 1;
    check_context checks[] = {
        {engine, NULL, sample, sample_len, 0, NULL, 0},
        {NULL, &ocr_engine, ocr, ocr_len, 0, NULL, 0},
        {engine, NULL, sample, sample_len, 1, NULL, 0},
        {NULL, &ocr_engine, ocr, ocr_len, 1, NULL, 0},
    };
    walk("errata_check (sample)", call_check, &checks[0]);
    walk("errata_check (OCR text)", call_check, &checks[1]);
    walk("errata_fix (sample)", call_check, &checks[2]);
    walk("errata_fix (OCR text)", call_check, &checks[3]);

    char *gb = NULL, *utf16 = NULL;
    size_t gb_len = 0, utf16_len = 0;
    if (errata_encode(sample, sample_len, ERRATA_ENCODING_GB18030, &gb, &gb_len) ||
        errata_encode(sample, sample_len, ERRATA_ENCODING_UTF16LE_BOM, &utf16, &utf16_len))
        return 2;
    coding_context codings[] = {
        {gb, gb_len, ERRATA_ENCODING_AUTO, 0, NULL, 0},
        {utf16, utf16_len, ERRATA_ENCODING_AUTO, 0, NULL, 0},
        {sample, sample_len, ERRATA_ENCODING_AUTO, 0, NULL, 0},
        {sample, sample_len, ERRATA_ENCODING_GB18030, 1, NULL, 0},
        {sample, sample_len, ERRATA_ENCODING_UTF16BE_BOM, 1, NULL, 0},
    };
    walk("errata_decode (GB18030, detected)", call_coding, &codings[0]);
    walk("errata_decode (UTF-16LE with BOM)", call_coding, &codings[1]);
    walk("errata_decode (UTF-8)", call_coding, &codings[2]);
    walk("errata_encode (GB18030)", call_coding, &codings[3]);
    walk("errata_encode (UTF-16BE with BOM)", call_coding, &codings[4]);

    /* a GB18030 file and a UTF-8 one, repaired in one errata_fix_files call */
    char *gb_path = path_join(work, "files-gb.txt"), *utf8_path = path_join(work, "files-utf8.txt"),
         *files_out = path_join(work, "files-out"), *gb_out = path_join(files_out, "gb.txt"),
         *utf8_out = path_join(files_out, "utf8.txt");
    mkdir(files_out, 0755);
    write_file(gb_path, gb, gb_len);
    write_file(utf8_path, "为人民效劳，坚持原那么。\n", strlen("为人民效劳，坚持原那么。\n"));
    files_context fc = {engine, files_out, {gb_path, utf8_path}, {gb_out, utf8_out}, {NULL, NULL},
                        {0, 0}};
    walk("errata_fix_files (GB18030, UTF-8)", call_fix_files, &fc);
    errata_engine_free(engine);

    /* learning, with the user dictionary and the tiny word model of the
       fuzzing seeds: with the embedded one, each learner's index of word
       neighbours (synonymy.h) would take most of the walk's time */
    char *tiny_model = path_join(repo, "tests/fuzz/corpus/fuzz_model/tiny.bin");
    errata_engine_options learn_engine = ocr_engine;
    learn_engine.model_path = tiny_model;
    errata_engine *learning = NULL;
    if (errata_engine_new(&learning, &learn_engine) != ERRATA_OK) {
        fprintf(stderr, "alloc_failures: engine: %s\n", errata_error_message());
        return 2;
    }
    learn_context lc = {learning, ERRATA_LEARN_OPTIONS_INIT, NULL, 0};
    lc.opts.min_count = 1;
    lc.opts.min_docs = 1;
    walk("errata_learner (3 documents)", call_learn, &lc);
    errata_engine_free(learning);

    /* the command line: a folder of three files, and a JSON Lines file */
    char *in_dir = path_join(work, "in"), *out_dir = path_join(work, "out"),
         *expected_dir = path_join(work, "expected");
    mkdir(in_dir, 0755);
    const char *texts[] = {sample, ocr, "为人民效劳。\n"};
    size_t lens[] = {sample_len, ocr_len, strlen(texts[2])};
    const char *names[] = {"a.txt", "b.txt", "c.txt"};
    for (int i = 0; i < 3; i++) {
        char *p = path_join(in_dir, names[i]);
        write_file(p, texts[i], lens[i]);
        free(p);
    }
    char *out_txt = path_join(work, "stdout"), *err_txt = path_join(work, "stderr");
    /* the built-in dictionary left out: parsing it is walked above (the
       user dictionary's parser), and its thousands of allocations would make
       each run long */
    char *batch_argv[] = {"fix", "--no-default-dict", "--dict", dictionary, "-r", "-j", "1", "-q",
                          "--output-dir", expected_dir, in_dir, NULL};
    cli_context clean = {work, batch_argv, 11, NULL, out_txt, NULL, err_txt};
    if (run_cli(&clean) != 0) {
        fprintf(stderr, "alloc_failures: the clean batch run failed\n");
        return 2;
    }
    batch_argv[9] = out_dir;
    batch_context bc = {{work, batch_argv, 11, out_dir, out_txt, NULL, err_txt}, expected_dir};
    walk("errata fix -r --output-dir (3 files)", call_batch, &bc);

    char *jsonl = path_join(work, "in.jsonl"), *expected_jsonl = path_join(work, "expected.jsonl");
    static const char lines[] = "{\"id\":1,\"text\":\"为人民效劳，坚持原那么。\"}\n"
                                "{\"id\":2,\"text\":\"\\u6548\\u52b3\",\"edits\":[]}\n"
                                "not json\n";
    write_file(jsonl, lines, sizeof lines - 1);
    char *stream_argv[] = {"fix", "--no-default-dict", "--dict", dictionary, "--jsonl",
                           "--attach-edits", "-q", jsonl, NULL};
    cli_context sc = {work, stream_argv, 8, NULL, expected_jsonl, NULL, err_txt};
    run_cli(&sc); /* the malformed line makes no failure: exit 0 */
    sc.stdout_path = out_txt;
    sc.expected_stdout = expected_jsonl;
    walk("errata fix --jsonl --attach-edits", call_stream, &sc);

    /* errata learn on the three documents, written as a dictionary (its
       examples checked with engines made for the purpose) */
    char *learn_in = path_join(work, "learn-in"), *learn_out = path_join(work, "learn-out"),
         *pairs = path_join(learn_out, "pairs.dict"),
         *expected_pairs = path_join(work, "expected-pairs.dict");
    mkdir(learn_in, 0755);
    mkdir(learn_out, 0755);
    for (size_t i = 0; i < LEARN_DOCUMENTS; i++) {
        char name[16];
        snprintf(name, sizeof name, "%zu.txt", i);
        char *p = path_join(learn_in, name);
        write_file(p, learn_documents[i], strlen(learn_documents[i]));
        free(p);
    }
    char *learn_argv[] = {"learn", "--no-default-dict", "--dict", dictionary, "--model",
                          tiny_model, "--min-count", "1", "--min-docs", "1", "-q", "-o",
                          expected_pairs, learn_in, NULL};
    cli_context learn_clean = {learn_out, learn_argv, 14, NULL, out_txt, NULL, err_txt};
    if (run_cli(&learn_clean) != 0) {
        fprintf(stderr, "alloc_failures: the clean learn run failed\n");
        return 2;
    }
    learn_argv[12] = pairs;
    learn_cli_context lcc = {{learn_out, learn_argv, 14, NULL, out_txt, NULL, err_txt}, pairs,
                             expected_pairs};
    walk("errata learn -o (3 files)", call_learn_cli, &lcc);

    free(lc.expected);
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++)
        free(checks[i].expected);
    for (size_t i = 0; i < sizeof codings / sizeof *codings; i++)
        errata_free(codings[i].expected);
    errata_free(gb);
    errata_free(utf16);
    free(sample);
    free(ocr);
    for (int i = 0; i < 2; i++)
        free(fc.expected[i]);
    char *names_to_free[] = {sample_path, model_path, ocr_path, dictionary, in_dir, out_dir, expected_dir,
                     out_txt, err_txt, jsonl, expected_jsonl, gb_path, utf8_path, files_out,
                     gb_out, utf8_out, tiny_model, learn_in, learn_out, pairs, expected_pairs};
    for (size_t i = 0; i < sizeof names_to_free / sizeof *names_to_free; i++)
        free(names_to_free[i]);
    printf("%ld allocations in the calls, %ld failures injected, %d violations\n",
           total_allocations, total_injected, violations);
    return violations ? 1 : 0;
}
