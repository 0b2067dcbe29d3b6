/* errata learn: propose the swap pairs that a batch of documents shows and
   the loaded dictionaries do not hold, as a dictionary to review and pass to
   `fix --dict`, or as JSON lines. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "json.h"

static const char learn_help[] =
    "Usage: errata learn [OPTION...] FILE|DIR...\n"
    "Read a batch of documents (directories walked as by 'fix -r', encodings\n"
    "detected) and propose the swap pairs the loaded dictionaries do not hold: a\n"
    "word X that stands, again and again, where clean formal text puts a word Y.\n"
    "The pairs are written as a dictionary (dictionaries/FORMAT.md), best first,\n"
    "each with its evidence in a comment and examples from the batch; read it,\n"
    "keep what is right, and pass it to 'errata fix --dict' (or go through it with\n"
    "'errata review --pairs FILE').\n"
    "\n"
    "  --min-count N        leave out pairs seen at fewer than N places (default 3;\n"
    "                       a place repeated in copies of one text counts once)\n"
    "  --min-docs N         leave out pairs seen in fewer than N documents (default 2)\n"
    "  --min-confidence X   leave out pairs below confidence X (default 0.60;\n"
    "                       0 lists every candidate)\n"
    "  --format=FORMAT      dict (default) or jsonl (one JSON object per pair)\n"
    "  -o, --output FILE    write to FILE (replaced only once all went well)\n"
    "  --input-encoding ENC read every file as ENC instead of detecting it\n"
    "\n"
    "  --dict FILE, --no-default-dict: the dictionaries whose pairs are known\n"
    "  (their certain repairs, and their forms left where clean text has the\n"
    "  originals, also mark the documents that show swap damage).\n"
    "  --model FILE, --no-model, --char-model FILE: as for errata fix; without\n"
    "  the word model the pairs rest on the character model alone, which\n"
    "  learning needs (--no-char-model is refused).\n"
    "  -q, --quiet          no summary on standard error\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 done (whether or not pairs were found), 2 error.\n";

typedef struct {
    errata_learn_options learn;
    int jsonl;
    const char *output;
} learn_options;

static int parse_count(const char *command, const char *name, const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (end == text || *end || errno || text[0] == '-' || n < 1 || n > 1000000)
        return errata_cli_usage_error(command, "%s needs a number from 1 to 1000000, not '%s'",
                                      name, text);
    *out = (size_t)n;
    return 1;
}

static int parse_confidence(const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double x = strtod(text, &end);
    if (end == text || *end || errno || !(x >= 0 && x <= 1))
        return errata_cli_usage_error("learn", "--min-confidence needs a number from 0 to 1, "
                                               "not '%s'", text);
    *out = x;
    return 1;
}

static int learn_option(errata_cli_args *args, void *context)
{
    learn_options *o = context;
    const char *v = NULL;
    int r = errata_cli_match(args, "--min-count", &v);
    if (r > 0)
        return parse_count("learn", "--min-count", v, &o->learn.min_count);
    if (r == 0 && (r = errata_cli_match(args, "--min-docs", &v)) > 0)
        return parse_count("learn", "--min-docs", v, &o->learn.min_docs);
    if (r == 0 && (r = errata_cli_match(args, "--min-confidence", &v)) > 0)
        return parse_confidence(v, &o->learn.min_confidence);
    if (r == 0 && (r = errata_cli_match(args, "--format", &v)) > 0) {
        if (strcmp(v, "jsonl") != 0 && strcmp(v, "dict") != 0)
            return errata_cli_usage_error("learn", "--format is dict or jsonl, not '%s'", v);
        o->jsonl = strcmp(v, "jsonl") == 0;
    }
    if (r == 0 && ((r = errata_cli_match(args, "-o", &v)) > 0 ||
                   (r == 0 && (r = errata_cli_match(args, "--output", &v)) > 0)))
        o->output = v;
    return r;
}

/* ------------------------------------------------------------ reading */

/* Add every document of the batch; the number that could not be read in
   *failed.  Running out of memory for one stops it: the pairs of the
   others would be written as if they were the batch's. */
static int read_batch(errata_learner *learner, const errata_cli_common *common, size_t *failed)
{
    errata_batch_console console;
    errata_batch_console_init(&console, 0);
    console.quiet = common->quiet;
    char **paths = NULL;
    size_t count = 0;
    int rc = errata_batch_list_files(common, &console, &paths, &count, failed);
    for (size_t i = 0; !rc && i < count; i++) {
        errata_cli_document doc;
        errata_batch_read_status status =
            errata_batch_read_document(&console, paths[i], common->input_encoding, &doc);
        if (status == ERRATA_BATCH_READ_NO_MEMORY) {
            rc = -1;
        } else if (status == ERRATA_BATCH_READ_FAILED) {
            (*failed)++;
        } else if (status == ERRATA_BATCH_READ_OK &&
                   errata_learner_add(learner, doc.text, doc.len) != ERRATA_OK) {
            errata_batch_note(&console, errata_cli_display_name(paths[i]), "%s",
                              errata_error_message());
            rc = -1;
        }
        errata_cli_document_free(&doc);
    }
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
    errata_batch_console_destroy(&console);
    return rc;
}

/* ------------------------------------------------------------ the dictionary */

/* What is written of each pair: its context rules and examples can be left
   out, or the whole entry (kept as a comment), when they would make an
   example fail (see check_examples). */
typedef struct {
    unsigned char fix[ERRATA_LEARN_MAX_EXAMPLES], keep[ERRATA_LEARN_MAX_EXAMPLES];
    int without_rules, left_out;
    size_t line; /* of its entry in the text written */
} example_use;

/* Learnt pairs are contextual: the corrupted form is a real word, which the
   batch may also use legitimately. */
static char pair_class(const errata_learned_pair *p)
{
    (void)p;
    return 'C';
}

static int buffer_printf(errata_cli_buffer *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int buffer_printf(errata_cli_buffer *b, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return errata_cli_buffer_append(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = errata_cli_buffer_append(b, big, (size_t)n);
    free(big);
    return rc;
}

static int write_evidence(errata_cli_buffer *b, const errata_learned_pair *p)
{
    return buffer_printf(
        b,
        "\n# %s -> %s  confidence %.2f\n"
        "#   %s stands %zu times (of %zu; at %zu places, copies of one text counted once)\n"
        "#   where clean text puts %s (at about %.0f by the models), in %zu contexts of\n"
        "#   %zu documents, %zu of them with known swap damage.\n"
        "#   Clean text (or the batch, where clean text is silent) has %s on both sides\n"
        "#   of those contexts and %s not (the character model scores %s %.1f better,\n"
        "#   log10); the word model prefers %s in %zu of the %zu contexts; the batch\n"
        "#   itself has %s in %zu of them, and %zu times in all, in %zu documents\n"
        "#   (%.0f%% of the documents where %s stands in its places have none);\n"
        "#   %s is %.1f times as frequent against %s as in general text; the two\n"
        "#   share %s, and general text uses them alike at %.2f (0 to 1).\n",
        p->corrupted, p->original, p->confidence, p->corrupted, p->supported, p->occurrences,
        p->places, p->original, p->expected, p->contexts, p->supported_documents, p->marked_documents,
        p->original, p->corrupted, p->original, p->mean_gain, p->original, p->lm_agreeing,
        p->contexts, p->original, p->survived_contexts, p->original_occurrences,
        p->original_documents, 100 * p->original_absence, p->corrupted, p->corrupted,
        p->inflation, p->original,
        p->shares_character ? "a character" : "no character", p->substitutability);
}

static size_t count_lines(const errata_cli_buffer *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

static int write_entry(errata_cli_buffer *b, const errata_learned_pair *p, example_use *use)
{
    if (use->left_out)
        return buffer_printf(b, "# left out: it changed a dictionary example it should not\n"
                                "# %s\t%s\tswap\t%c\n",
                             p->corrupted, p->original, pair_class(p));
    use->line = count_lines(b) + 1;
    int rc = buffer_printf(b, "%s\t%s\tswap\t%c", p->corrupted, p->original, pair_class(p));
    if (!rc && *p->fix_prev && !use->without_rules)
        rc = buffer_printf(b, "\tfix-prev=%s", p->fix_prev);
    if (!rc && *p->fix_next && !use->without_rules)
        rc = buffer_printf(b, "\tfix-next=%s", p->fix_next);
    if (!rc && *p->keep_prev)
        rc = buffer_printf(b, "\tkeep-prev=%s", p->keep_prev);
    for (size_t i = 0; !rc && i < p->fix_example_count; i++)
        if (use->fix[i])
            rc = buffer_printf(b, "\tfix=%s", p->fix_examples[i]);
    for (size_t i = 0; !rc && i < p->keep_example_count; i++)
        if (use->keep[i])
            rc = buffer_printf(b, "\tkeep=%s", p->keep_examples[i]);
    return rc ? rc : errata_cli_buffer_append(b, "\n", 1);
}

static int write_dictionary(errata_cli_buffer *b, const errata_learner *learner,
                            example_use *uses)
{
    size_t count = errata_learner_pair_count(learner);
    int rc = buffer_printf(b,
                           "errata-dict 1\n"
                           "# Swap pairs learnt by errata learn from %zu documents, best first.\n"
                           "# Each is a proposal: keep the entries that are right, delete the\n"
                           "# others, then use the file with errata fix --dict.\n",
                           errata_learner_document_count(learner));
    for (size_t i = 0; !rc && i < count; i++) {
        const errata_learned_pair *p = errata_learner_pair(learner, i);
        rc = write_evidence(b, p);
        if (!rc)
            rc = write_entry(b, p, &uses[i]);
    }
    return rc;
}

/* ------------------------------------------------------------ checking the examples */

static int out_of_memory(void)
{
    fputs("errata: learn: out of memory\n", stderr);
    return -1;
}

/* Whether errata gives back what the example expects (as `errata selftest`
   runs it): 1 or 0, -1 when memory ran out (reported; an example that
   merely could not be checked would otherwise change what is written). */
static int example_passes(const errata_engine *engine, const errata_example *ex)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.assume_damaged = 1;
    char *fixed = NULL;
    size_t fixed_len = 0;
    int rc = errata_fix(engine, ex->text, strlen(ex->text), &opts, &fixed, &fixed_len);
    if (rc == ERRATA_ENOMEM)
        return out_of_memory();
    int passes = rc == ERRATA_OK && fixed_len == strlen(ex->expected) &&
                 memcmp(fixed, ex->expected, fixed_len) == 0;
    errata_free(fixed);
    return passes;
}

/* The engine of the command line with the dictionary text added (through
   a temporary file); NULL when it cannot be made (reported). */
static errata_engine *engine_with(const errata_cli_common *common, const errata_cli_buffer *text,
                                  char *path)
{
    int fd = mkstemp(path);
    if (fd < 0 || errata_cli_write_fd_all(fd, text->data, text->len)) {
        fprintf(stderr, "errata: learn: cannot write a temporary file: %s\n", strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    close(fd);
    errata_cli_common with = *common;
    const char **dicts = malloc((common->dictionary_count + 1) * sizeof *dicts);
    errata_engine *engine = NULL;
    if (dicts) {
        for (size_t i = 0; i < common->dictionary_count; i++)
            dicts[i] = common->dictionaries[i];
        dicts[common->dictionary_count] = path;
        with.dictionaries = dicts;
        with.dictionary_count++;
        if (errata_cli_engine_new(&with, &engine))
            engine = NULL;
    } else {
        out_of_memory();
    }
    free(dicts);
    return engine;
}

/* A failing example of the learnt dictionary: leave it out. */
static void drop_own_example(const errata_learner *learner, example_use *uses,
                             const errata_example *ex)
{
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++) {
        const errata_learned_pair *p = errata_learner_pair(learner, i);
        if (uses[i].left_out || uses[i].line != ex->line)
            continue;
        for (size_t k = 0; k < p->fix_example_count; k++)
            if (strncmp(p->fix_examples[k], ex->text, strlen(ex->text)) == 0 &&
                p->fix_examples[k][strlen(ex->text)] == '>')
                uses[i].fix[k] = 0;
        for (size_t k = 0; k < p->keep_example_count; k++)
            if (strcmp(p->keep_examples[k], ex->text) == 0)
                uses[i].keep[k] = 0;
    }
}

/* A failing example of another dictionary: the learnt pairs whose form it
   holds lose their context rules, or, when they had none left, their
   place in the dictionary. */
static void blame_pairs(const errata_learner *learner, example_use *uses, const errata_example *ex)
{
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++) {
        if (uses[i].left_out || !strstr(ex->text, errata_learner_pair(learner, i)->corrupted))
            continue;
        if (uses[i].without_rules)
            uses[i].left_out = 1;
        uses[i].without_rules = 1;
    }
}

/* Run every example of the dictionaries loaded with the learnt one; 1 if
   one failed (and what to leave out was marked), 0 if all passed, -1 on
   error. */
/* Whether ex is one of the examples that fail without the learnt pairs
   (those are not theirs to answer for). */
static int failed_before(const errata_example *ex, const errata_example *const *before, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (before[i]->line == ex->line && strcmp(before[i]->source, ex->source) == 0 &&
            strcmp(before[i]->text, ex->text) == 0)
            return 1;
    return 0;
}

static int check_round(const errata_cli_common *common, const errata_learner *learner,
                       example_use *uses, const errata_example *const *before, size_t before_count)
{
    errata_cli_buffer text = {0};
    char path[] = "/tmp/errata-learn-XXXXXX";
    if (write_dictionary(&text, learner, uses)) {
        free(text.data);
        return out_of_memory();
    }
    errata_engine *engine = engine_with(common, &text, path);
    free(text.data);
    int failed = engine ? 0 : -1;
    for (size_t i = 0; engine && failed >= 0 && i < errata_engine_example_count(engine); i++) {
        const errata_example *ex = errata_engine_example(engine, i);
        int passes = failed_before(ex, before, before_count) ? 1 : example_passes(engine, ex);
        if (passes < 0)
            failed = -1;
        if (passes != 0)
            continue;
        failed = 1;
        if (strcmp(ex->source, path) == 0)
            drop_own_example(learner, uses, ex);
        else
            blame_pairs(learner, uses, ex);
    }
    errata_engine_free(engine);
    unlink(path);
    return failed;
}

#define CHECK_ROUNDS 4

/* Leave out what would make `errata selftest` fail with the dictionary
   written: its own examples that do not come out as written, and the
   context rules, then the entries, of pairs that change another
   dictionary's example. */
static int check_examples(const errata_cli_common *common, const errata_learner *learner,
                          example_use *uses)
{
    for (size_t i = 0; i < errata_learner_pair_count(learner); i++) {
        memset(uses[i].fix, 1, sizeof uses[i].fix);
        memset(uses[i].keep, 1, sizeof uses[i].keep);
    }
    errata_engine *engine = NULL;
    if (errata_cli_engine_new(common, &engine))
        return -1;
    size_t count = errata_engine_example_count(engine), failed = 0;
    const errata_example **before = malloc((count + 1) * sizeof *before);
    int rc = before ? 1 : out_of_memory();
    for (size_t i = 0; rc == 1 && i < count; i++) {
        int passes = example_passes(engine, errata_engine_example(engine, i));
        if (passes < 0)
            rc = -1;
        else if (!passes)
            before[failed++] = errata_engine_example(engine, i);
    }
    for (int round = 0; round < CHECK_ROUNDS && rc == 1; round++)
        rc = check_round(common, learner, uses, before, failed);
    free(before);
    errata_engine_free(engine);
    if (rc == 1)
        fputs("errata: learn: some dictionary examples still fail with the pairs learnt\n",
              stderr);
    return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ JSON lines */

static void json_number(errata_json_writer *w, const char *key, const char *fmt, double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, x);
    errata_json_key(w, key);
    errata_json_raw(w, buf);
}

static void json_count(errata_json_writer *w, const char *key, size_t n)
{
    errata_json_key(w, key);
    errata_json_uint(w, n);
}

static void json_strings(errata_json_writer *w, const char *key, const char *const *items,
                         size_t n)
{
    errata_json_key(w, key);
    errata_json_begin_array(w);
    for (size_t i = 0; i < n; i++)
        errata_json_string(w, items[i]);
    errata_json_end_array(w);
}

static void json_text(errata_json_writer *w, const char *key, const char *value)
{
    errata_json_key(w, key);
    errata_json_string(w, value);
}

static int write_json_pair(errata_cli_buffer *b, const errata_learned_pair *p)
{
    errata_json_writer w = errata_json_to_buffer(b, 0);
    char cls[2] = {pair_class(p), '\0'};
    errata_json_begin_object(&w);
    json_text(&w, "corrupted", p->corrupted);
    json_text(&w, "original", p->original);
    json_number(&w, "confidence", "%.4f", p->confidence);
    json_text(&w, "class", cls);
    json_count(&w, "occurrences", p->occurrences);
    json_count(&w, "documents", p->documents);
    json_count(&w, "supported", p->supported);
    json_count(&w, "places", p->places);
    json_number(&w, "expected", "%.2f", p->expected);
    json_number(&w, "dominance", "%.3f", p->dominance);
    json_number(&w, "rival", "%.3f", p->rival);
    json_count(&w, "supported_documents", p->supported_documents);
    json_count(&w, "marked_documents", p->marked_documents);
    json_count(&w, "contexts", p->contexts);
    json_count(&w, "lm_agreeing", p->lm_agreeing);
    json_count(&w, "survived_contexts", p->survived_contexts);
    json_count(&w, "confirmed_contexts", p->confirmed_contexts);
    json_count(&w, "copied_contexts", p->copied_contexts);
    json_count(&w, "contradicted_contexts", p->contradicted_contexts);
    json_number(&w, "substitutability", "%.3f", p->substitutability);
    errata_json_key(&w, "shares_character");
    errata_json_bool(&w, p->shares_character);
    json_number(&w, "mean_gain", "%.3f", p->mean_gain);
    json_count(&w, "original_occurrences", p->original_occurrences);
    json_count(&w, "original_documents", p->original_documents);
    json_number(&w, "inflation", "%.2f", p->inflation);
    json_number(&w, "original_absence", "%.2f", p->original_absence);
    errata_json_key(&w, "original_restored");
    errata_json_bool(&w, p->original_restored);
    json_count(&w, "clean_form_count", p->clean_form_count);
    json_count(&w, "clean_original_count", p->clean_original_count);
    json_text(&w, "fix_prev", p->fix_prev);
    json_text(&w, "fix_next", p->fix_next);
    json_text(&w, "keep_prev", p->keep_prev);
    json_strings(&w, "fix_examples", p->fix_examples, p->fix_example_count);
    json_strings(&w, "keep_examples", p->keep_examples, p->keep_example_count);
    errata_json_end_object(&w);
    return w.failed || errata_cli_buffer_append(b, "\n", 1) ? -1 : 0;
}

static int write_jsonl(errata_cli_buffer *b, const errata_learner *learner)
{
    int rc = 0;
    for (size_t i = 0; i < errata_learner_pair_count(learner) && !rc; i++)
        rc = write_json_pair(b, errata_learner_pair(learner, i));
    return rc;
}

/* ------------------------------------------------------------ the command */

static int emit(const learn_options *o, const errata_cli_common *common,
                const errata_learner *learner)
{
    size_t count = errata_learner_pair_count(learner);
    example_use *uses = calloc(count ? count : 1, sizeof *uses);
    errata_cli_buffer out = {0};
    int rc = uses ? 0 : out_of_memory();
    if (!rc && !o->jsonl)
        rc = check_examples(common, learner, uses);
    if (!rc && (o->jsonl ? write_jsonl(&out, learner) : write_dictionary(&out, learner, uses)))
        rc = out_of_memory();
    if (!rc && o->output && strcmp(o->output, "-") != 0)
        rc = errata_cli_write_atomic(o->output, out.data ? out.data : "", out.len);
    else if (!rc)
        rc = errata_cli_write(stdout, "standard output", out.data ? out.data : "", out.len);
    free(out.data);
    free(uses);
    return rc;
}

static void print_summary(const learn_options *o, const errata_learner *learner, double seconds)
{
    size_t count = errata_learner_pair_count(learner), confident = 0;
    for (size_t i = 0; i < count; i++)
        confident += errata_learner_pair(learner, i)->confidence >= ERRATA_LEARN_DEFAULT_THRESHOLD;
    fprintf(stderr, "errata: learn: %zu document%s, %zu pair%s", errata_learner_document_count(learner),
            errata_learner_document_count(learner) == 1 ? "" : "s", count, count == 1 ? "" : "s");
    if (o->learn.min_confidence < ERRATA_LEARN_DEFAULT_THRESHOLD)
        fprintf(stderr, " (%zu at confidence %.2f or more)", confident,
                ERRATA_LEARN_DEFAULT_THRESHOLD);
    /* A small batch seldom gives a pair the evidence of the threshold, but
       its best candidates are still worth a reader's look. */
    else if (!count && o->learn.min_confidence > 0)
        fprintf(stderr, " at confidence %.2f or more (--min-confidence 0 lists the weaker "
                        "candidates, to be read before keeping any)",
                o->learn.min_confidence);
    fprintf(stderr, " in %.1f s\n", seconds);
}

int errata_cli_learn_main(int argc, char **argv)
{
    errata_cli_common common;
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING;
    learn_options o = {ERRATA_LEARN_OPTIONS_INIT, 0, NULL};
    o.learn.min_confidence = ERRATA_LEARN_DEFAULT_THRESHOLD;
    int rc = errata_cli_parse(argc, argv, learn_help, learn_option, &o, &common);
    if (rc == 0 && common.file_count == 0)
        rc = errata_cli_usage_error("learn", "needs FILE or DIR operands");
    if (rc) { /* the operands and options parsed before it are freed too */
        errata_cli_common_free(&common);
        return rc > 0 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
    }
    double started = errata_batch_now();
    errata_engine *engine = NULL;
    errata_learner *learner = NULL;
    size_t failed = 0;
    rc = errata_cli_engine_new(&common, &engine);
    if (!rc && errata_learner_new(engine, &o.learn, &learner) != ERRATA_OK) {
        fprintf(stderr, "errata: learn: %s\n", errata_error_message());
        rc = -1;
    }
    if (!rc)
        rc = read_batch(learner, &common, &failed);
    if (!rc && errata_learner_finish(learner) != ERRATA_OK) {
        fprintf(stderr, "errata: learn: %s\n", errata_error_message());
        rc = -1;
    }
    if (!rc)
        rc = emit(&o, &common, learner);
    if (!rc && !common.quiet)
        print_summary(&o, learner, errata_batch_now() - started);
    errata_learner_free(learner);
    errata_engine_free(engine);
    errata_cli_common_free(&common);
    return rc || failed ? ERRATA_CLI_EXIT_ERROR : ERRATA_CLI_EXIT_OK;
}
