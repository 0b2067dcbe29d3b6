/* `errata review FILE...`: go through the proposed edits one key at a time,
   like `git add -p`.  Answers go to FILE.errata-review as they are given, so
   that quitting (or a crash) loses nothing and the next run resumes; a file
   whose every proposal is answered is written at the end of the run. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "review.h"

static const char review_help[] =
    "Usage: errata review [OPTION...] FILE...\n"
    "Go through the edits proposed for each FILE one by one and answer each with\n"
    "one key; the accepted ones are written into the file when all are answered.\n"
    "\n"
    "Keys:\n"
    "  y accept   n reject   e edit the replacement   u undo   s skip the file\n"
    "  a / d  accept / reject the rest of this rule in this file\n"
    "  A / D  accept / reject the rest of this rule in all files\n"
    "  Y  accept, and always fix this pair (adds it to the user dictionary)\n"
    "  N  reject, and never change this text again (adds !keep to it)\n"
    "  q  quit: the answers are kept in FILE.errata-review; run review again\n"
    "     to go on from there      ?  help\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   write the result to FILE ('-': standard output) instead\n"
    "                      of replacing the input (one input only)\n"
    "  --edits EDITS.jsonl review these edits (as written by 'errata check\n"
    "                      --format=jsonl') instead of checking the files\n"
    "  --restart           forget the answers saved for the files and start again\n"
    "  --pairs LEARNT.dict go through the pairs 'errata learn' proposed instead:\n"
    "                      each with its evidence and examples, y adds it to the\n"
    "                      user dictionary, n leaves it out, q stops\n"
    "  --input-encoding ENC, --output-encoding ENC   as for 'errata fix': each FILE\n"
    "                      is decoded, reviewed in Unicode and written back in its\n"
    "                      own encoding (or ENC); --edits offsets count bytes of\n"
    "                      the decoded UTF-8 text\n"
    "  --dict FILE, --no-default-dict, --model FILE, --no-model, --char-model FILE,\n"
    "  --no-char-model, --threshold X,\n"
    "  --disable RULES, --color WHEN, -q   as for 'errata check'\n"
    "  -h, --help          show this help\n"
    "\n"
    "The user dictionary is $ERRATA_USER_DICT, or\n"
    "${XDG_CONFIG_HOME:-$HOME/.config}/errata/user.dict.  Keys are read from the\n"
    "terminal, so standard input may be a pipe ('-', with -o).\n"
    "\n"
    "Exit status: 0 every proposal answered (or none), 1 some left for later,\n"
    "2 error, 128+N interrupted by signal N (the answers are kept).\n";

typedef struct {
    const char *output;
    const char *edits;
    int restart;
    const char *pairs; /* --pairs: a dictionary written by errata learn */
} review_options;

static int review_option(errata_cli_args *args, void *context)
{
    review_options *opts = context;
    int r = errata_cli_match(args, "-o", &opts->output);
    if (r == 0)
        r = errata_cli_match(args, "--output", &opts->output);
    if (r == 0)
        r = errata_cli_match(args, "--edits", &opts->edits);
    if (r == 0 && (r = errata_cli_match(args, "--restart", NULL)) > 0)
        opts->restart = 1;
    if (r == 0)
        r = errata_cli_match(args, "--pairs", &opts->pairs);
    return r;
}

static int report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int report(const char *fmt, ...)
{
    va_list ap;
    fputs("errata: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

/* ------------------------------------------------------------ the proposals */

static int add_checked_items(const errata_engine *engine, const errata_cli_common *common,
                             errata_review_file *file)
{
    errata_check_options opts = errata_cli_check_options(common);
    errata_result *result = NULL;
    if (errata_check(engine, file->doc.text, file->doc.len, &opts, &result) != ERRATA_OK)
        return report("%s: %s", errata_cli_display_name(file->path), errata_error_message());
    int rc = 0;
    for (size_t i = 0; i < errata_result_count(result) && !rc; i++)
        rc = errata_review_file_add_item(file, errata_result_edit(result, i));
    errata_result_free(result);
    return rc ? report("out of memory") : 0;
}

static int by_position(const void *pa, const void *pb)
{
    const errata_review_item *a = pa, *b = pb;
    if (a->byte_start != b->byte_start)
        return a->byte_start < b->byte_start ? -1 : 1;
    return (a->byte_end > a->byte_start) - (b->byte_end > b->byte_start);
}

static int check_no_overlap(const errata_review_file *file)
{
    for (size_t i = 1; i < file->count; i++) {
        const errata_review_item *a = &file->items[i - 1], *b = &file->items[i];
        if (b->byte_start < a->byte_end ||
            (a->byte_start == a->byte_end && b->byte_start == b->byte_end &&
             a->byte_start == b->byte_start))
            return report("%s: the edits at bytes %zu and %zu overlap", file->path, a->byte_start,
                          b->byte_start);
    }
    return 0;
}

static int add_listed_items(const errata_review_jsonl *list, errata_review_file *file)
{
    for (size_t i = 0; i < list->count; i++) {
        errata_review_jsonl_edit *e = &list->items[i];
        if (strcmp(e->file, file->path) != 0)
            continue;
        if (errata_review_jsonl_verify(list, e, file->doc.text, file->doc.len))
            return -1;
        errata_review_position(file->doc.text, e->edit.byte_start, &e->edit.line, &e->edit.column);
        if (errata_review_file_add_item(file, &e->edit))
            return report("out of memory");
    }
    if (file->count > 1)
        qsort(file->items, file->count, sizeof *file->items, by_position);
    return check_no_overlap(file);
}

/* Read one file, find its proposals and replay its saved answers. */
static int load_file(errata_review_session *session, size_t index, const char *path,
                     const errata_engine *engine, const errata_cli_common *common,
                     const errata_review_jsonl *list, int restart)
{
    errata_review_file *file = &session->files[index];
    if (errata_cli_read_document(path, common->input_encoding, &file->doc))
        return -1;
    file->hash = errata_review_hash(file->doc.raw.data, file->doc.raw.len);
    file->path = strdup(path);
    int from_stdin = strcmp(path, "-") == 0;
    file->sidecar_path = from_stdin ? NULL : errata_review_sidecar_path(path);
    if (!file->path || (!from_stdin && !file->sidecar_path))
        return report("out of memory");
    if (restart && file->sidecar_path)
        unlink(file->sidecar_path);
    int rc = list ? add_listed_items(list, file) : add_checked_items(engine, common, file);
    char err[512];
    if (!rc && errata_review_sidecar_load(session, index, err, sizeof err))
        rc = report("%s", err);
    if (!rc && file->lost_answers && !common->quiet)
        fprintf(stderr, "errata: %s: %zu accepted changes are no longer proposed: dropped\n",
                path, file->lost_answers);
    return rc;
}

/* The files to review: the operands, or with --edits and no operand every
   file the list names. */
static int collect_paths(const errata_cli_common *common, const errata_review_jsonl *list,
                         const char ***paths, size_t *count)
{
    *count = 0;
    *paths = malloc((common->file_count + (list ? list->count : 0) + 1) * sizeof **paths);
    if (!*paths)
        return report("out of memory");
    for (size_t i = 0; i < common->file_count; i++)
        (*paths)[(*count)++] = common->files[i];
    for (size_t i = 0; list && common->file_count == 0 && i < list->count; i++) {
        size_t j = 0;
        while (j < *count && strcmp((*paths)[j], list->items[i].file) != 0)
            j++;
        if (j == *count)
            (*paths)[(*count)++] = list->items[i].file;
    }
    for (size_t i = 0; i < *count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp((*paths)[i], (*paths)[j]) == 0)
                return errata_cli_usage_error("review", "%s is named twice", (*paths)[i]);
    return 0;
}

static int load_files(errata_review_session *session, const errata_cli_common *common,
                      const review_options *opts, const errata_review_jsonl *list)
{
    const char **paths;
    size_t count;
    int rc = collect_paths(common, list, &paths, &count);
    if (!rc && count == 0)
        rc = errata_cli_usage_error("review", "no file to review");
    if (!rc && opts->output && count > 1)
        rc = errata_cli_usage_error("review", "-o takes one input, not %zu", count);
    for (size_t i = 0; i < count && !rc; i++)
        if (strcmp(paths[i], "-") == 0 && !opts->output)
            rc = errata_cli_usage_error("review", "reviewing standard input needs -o");
    errata_engine *engine = NULL;
    if (!rc && !list)
        rc = errata_cli_engine_new(common, &engine);
    if (!rc && !(session->files = calloc(count ? count : 1, sizeof *session->files)))
        rc = report("out of memory");
    for (size_t i = 0; i < count && !rc; i++) {
        session->files[i].sidecar_fd = -1;
        session->file_count++;
        rc = load_file(session, i, paths[i], engine, common, list, opts->restart);
    }
    errata_engine_free(engine);
    free(paths);
    return rc;
}

/* ------------------------------------------------------------ asking */

typedef struct {
    errata_review_session *session;
    errata_review_term *term;
    FILE *out;
    errata_review_style style;
    size_t file; /* the file under review */
    int quit;
    int failed;
} reviewer;

static int first_open(const errata_review_file *file, size_t *item)
{
    for (size_t i = 0; i < file->count; i++)
        if (file->items[i].state == ERRATA_REVIEW_OPEN) {
            *item = i;
            return 1;
        }
    return 0;
}

/* What a key did: nothing, something that moves on, or something that stays
   at the same proposal (help, a message). */
typedef enum { KEY_IGNORED, KEY_DONE, KEY_STAY } key_outcome;

static void say(reviewer *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(reviewer *r, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    errata_review_draw_message(r->out, &r->style, message);
}

static const char *state_words(errata_review_state state)
{
    static const char *const words[] = {"open", "accepted", "rejected", "accepted as edited",
                                        "noted"};
    return words[state];
}

/* Answer the item and say what was done; a failure to save ends the review. */
static key_outcome answer(reviewer *r, size_t item, errata_review_state state,
                          const char *replacement, errata_review_scope scope,
                          const char *dict_line)
{
    char err[512];
    errata_review_session *s = r->session;
    if (errata_review_answer(s, r->file, item, state, replacement, scope, dict_line, err,
                             sizeof err)) {
        say(r, "error: %s", err);
        r->failed = r->quit = 1;
        return KEY_DONE;
    }
    const errata_review_step *step = &s->steps[s->step_count - 1];
    state = s->files[r->file].items[item].state;
    if (step->count > 1)
        say(r, "%s, with %zu more like it", state_words(state), step->count - 1);
    else
        say(r, "%s", state_words(state));
    return KEY_DONE;
}

static key_outcome edit_answer(reviewer *r, size_t item_index)
{
    const errata_review_item *item = &r->session->files[r->file].items[item_index];
    char *text = NULL;
    int rc = errata_review_term_line(r->term, "Replace with: ", item->new_text, &text);
    if (rc < 0) {
        r->quit = 1;
        return KEY_DONE;
    }
    if (rc > 0) {
        say(r, "(edit cancelled)");
        return KEY_STAY;
    }
    key_outcome outcome =
        strcmp(text, item->new_text) == 0
            ? answer(r, item_index, ERRATA_REVIEW_ACCEPTED, NULL, ERRATA_REVIEW_SCOPE_ONE, NULL)
            : answer(r, item_index, ERRATA_REVIEW_EDITED, text, ERRATA_REVIEW_SCOPE_ONE, NULL);
    free(text);
    return outcome;
}

/* Y and N: teach the user dictionary, then answer every proposal alike. */
static key_outcome learn(reviewer *r, size_t item_index, int keep)
{
    const errata_review_item *item = &r->session->files[r->file].items[item_index];
    const char *dict = r->session->dict_path;
    char err[512];
    if (!dict) {
        say(r, "no place for a user dictionary: set ERRATA_USER_DICT or HOME");
        return KEY_STAY;
    }
    char *line = keep ? errata_review_keep_line(item->old_text, err, sizeof err)
                      : errata_review_pair_line(item->old_text, item->new_text, err, sizeof err);
    int added = line ? errata_review_dict_append(dict, line, err, sizeof err) : -1;
    key_outcome outcome = KEY_STAY;
    if (added < 0) {
        say(r, "%s", err);
    } else {
        say(r, "%s %s", added == 0 ? "added to" : "already in", dict);
        outcome = answer(r, item_index, keep ? ERRATA_REVIEW_REJECTED : ERRATA_REVIEW_ACCEPTED,
                         NULL, keep ? ERRATA_REVIEW_SCOPE_WORD_ALL : ERRATA_REVIEW_SCOPE_PAIR_ALL,
                         added == 0 ? line : NULL);
    }
    free(line);
    return outcome;
}

static key_outcome undo(reviewer *r)
{
    size_t file, item;
    char err[512];
    int rc = errata_review_undo(r->session, &file, &item, err, sizeof err);
    if (rc == 1) {
        say(r, "nothing to undo");
        return KEY_STAY;
    }
    if (rc < 0)
        say(r, "error: %s", err);
    r->file = file;
    const errata_review_file *f = &r->session->files[file];
    say(r, "undone: back to %s:%zu:%zu", errata_cli_display_name(f->path), f->items[item].line,
        f->items[item].column);
    return KEY_DONE;
}

/* Keys that answer a flag: it has nothing to accept, only to be seen. */
static key_outcome flag_key(reviewer *r, size_t item, int32_t key)
{
    if (key == 'y' || key == 'n' || key == ' ' || key == ERRATA_REVIEW_KEY_ENTER)
        return answer(r, item, ERRATA_REVIEW_SEEN, NULL, ERRATA_REVIEW_SCOPE_ONE, NULL);
    if (key == 'e' || key == 'Y' || key == 'N') {
        say(r, "a flag has nothing to change");
        return KEY_STAY;
    }
    return KEY_IGNORED;
}

static key_outcome proposal_key(reviewer *r, size_t item, int32_t key)
{
    if (key == 'y' || key == 'n')
        return answer(r, item, key == 'y' ? ERRATA_REVIEW_ACCEPTED : ERRATA_REVIEW_REJECTED, NULL,
                      ERRATA_REVIEW_SCOPE_ONE, NULL);
    if (key == 'e')
        return edit_answer(r, item);
    if (key == 'Y' || key == 'N')
        return learn(r, item, key == 'N');
    return KEY_IGNORED;
}

/* Keys that mean the same for proposals and flags. */
static key_outcome common_key(reviewer *r, size_t item, int32_t key)
{
    errata_review_state accept = ERRATA_REVIEW_ACCEPTED, reject = ERRATA_REVIEW_REJECTED;
    switch (key) {
    case 'a':
    case 'd':
        return answer(r, item, key == 'a' ? accept : reject, NULL,
                      ERRATA_REVIEW_SCOPE_RULE_IN_FILE, NULL);
    case 'A':
    case 'D':
        return answer(r, item, key == 'A' ? accept : reject, NULL, ERRATA_REVIEW_SCOPE_RULE_ALL,
                      NULL);
    case 'u':
        return undo(r);
    case 's':
        r->file++;
        return KEY_DONE;
    case '?':
        errata_review_draw_help(r->out);
        return KEY_STAY;
    }
    if (key == 'q' || key < 0) {
        r->quit = 1;
        return KEY_DONE;
    }
    return KEY_IGNORED;
}

/* Show the item and take keys until one of them moves on. */
static void ask(reviewer *r, size_t item)
{
    const errata_review_file *file = &r->session->files[r->file];
    int flag = file->items[item].action == ERRATA_ACTION_FLAG;
    errata_review_draw_item(r->out, &r->style, r->session, r->file, item);
    key_outcome outcome = KEY_STAY;
    while (outcome != KEY_DONE) {
        errata_review_draw_prompt(r->out, &r->style, file, item);
        int32_t key = errata_review_term_key(r->term);
        if (key >= 0x20 && key < 0x7f)
            fprintf(r->out, "%c", (char)key);
        fputc('\n', r->out);
        outcome = flag ? flag_key(r, item, key) : proposal_key(r, item, key);
        if (outcome == KEY_IGNORED)
            outcome = common_key(r, item, key);
        if (outcome == KEY_IGNORED) {
            say(r, "press ? for help");
            outcome = KEY_STAY;
        }
    }
}

static void review_loop(reviewer *r)
{
    size_t item;
    while (!r->quit && r->file < r->session->file_count) {
        if (first_open(&r->session->files[r->file], &item))
            ask(r, item);
        else
            r->file++;
    }
}

static int any_open(const errata_review_session *session)
{
    for (size_t f = 0; f < session->file_count; f++)
        if (errata_review_file_open_count(&session->files[f]))
            return 1;
    return 0;
}

/* Returns the signal that ended the review, 0, or -1 on error. */
static int run_terminal(errata_review_session *session, const errata_cli_common *common)
{
    reviewer r = {session, NULL, NULL, {80, 0}, 0, 0, 0};
    char err[512];
    if (errata_review_term_open(&r.term, err, sizeof err))
        return report("%s", err);
    r.out = errata_review_term_out(r.term);
    r.style.columns = errata_review_term_columns(r.term);
    r.style.colour = errata_cli_use_color(common->color, fileno(r.out));
    review_loop(&r);
    int signal = errata_review_term_signal(r.term);
    errata_review_term_close(r.term);
    return r.failed ? -1 : signal;
}

/* ------------------------------------------------------------ finishing */

static void count_answers(const errata_review_file *file, size_t counts[5])
{
    memset(counts, 0, 5 * sizeof *counts);
    for (size_t i = 0; i < file->count; i++)
        counts[file->items[i].state]++;
}

/* Write the reviewed text in `encoding` (AUTO: the file's own). */
static int write_result(errata_review_file *file, const char *output, errata_encoding encoding)
{
    char *result = NULL;
    size_t len = 0;
    if (errata_review_file_result(file, &result, &len) != ERRATA_OK)
        return report("%s: %s", file->path, errata_error_message());
    int rc = errata_cli_write_document(&file->doc, result, len, encoding, output);
    errata_free(result);
    errata_review_sidecar_close(file);
    if (!rc && file->sidecar_path && unlink(file->sidecar_path) != 0 && access(file->sidecar_path, F_OK) == 0)
        rc = report("%s: cannot remove it", file->sidecar_path);
    return rc;
}

static int finish_file(errata_review_file *file, const char *output,
                       const errata_cli_common *common)
{
    size_t counts[5];
    count_answers(file, counts);
    const char *name = errata_cli_display_name(file->path);
    int quiet = common->quiet;
    if (counts[ERRATA_REVIEW_OPEN]) {
        if (!quiet)
            fprintf(stderr, "%s: %zu of %zu answered; run 'errata review' on it again to go on\n",
                    name, file->count - counts[ERRATA_REVIEW_OPEN], file->count);
        return 0;
    }
    /* also removes a sidecar left by an earlier run */
    int rc = write_result(file, output, common->output_encoding);
    if (!rc && !quiet && file->count == 0)
        fprintf(stderr, "%s: nothing to review\n", name);
    else if (!rc && !quiet)
        fprintf(stderr, "%s: %zu accepted, %zu edited, %zu rejected, %zu noted; written to %s\n",
                name, counts[ERRATA_REVIEW_ACCEPTED], counts[ERRATA_REVIEW_EDITED],
                counts[ERRATA_REVIEW_REJECTED], counts[ERRATA_REVIEW_SEEN],
                !output ? name : strcmp(output, "-") == 0 ? "standard output" : output);
    return rc;
}

static int finish(errata_review_session *session, const char *output,
                  const errata_cli_common *common)
{
    int rc = 0;
    for (size_t f = 0; f < session->file_count; f++)
        if (finish_file(&session->files[f], output, common))
            rc = -1;
    if (rc)
        return ERRATA_CLI_EXIT_ERROR;
    return any_open(session) ? ERRATA_CLI_EXIT_FOUND : ERRATA_CLI_EXIT_OK;
}

static int review(const errata_cli_common *common, const review_options *opts)
{
    errata_review_jsonl list = {0};
    errata_review_session session = {0};
    session.dict_path = errata_cli_user_dict_path();
    int rc = opts->edits ? errata_review_jsonl_load(opts->edits, &list) : 0;
    if (!rc)
        rc = load_files(&session, common, opts, opts->edits ? &list : NULL);
    int signal = 0;
    if (!rc && any_open(&session))
        signal = run_terminal(&session, common);
    int status = ERRATA_CLI_EXIT_ERROR;
    if (!rc && signal > 0)
        fprintf(stderr, "errata: review interrupted; the answers are kept, run it again to go on\n");
    if (!rc && signal == 0)
        status = finish(&session, opts->output, common);
    else if (!rc && signal > 0)
        status = 128 + signal;
    free((char *)session.dict_path);
    errata_review_session_clear(&session);
    errata_review_jsonl_free(&list);
    return status;
}

int errata_cli_review_main(int argc, char **argv)
{
    errata_cli_common common;
    review_options opts = {NULL, NULL, 0, NULL};
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING | ERRATA_CLI_OUTPUT_ENCODING;
    int rc = errata_cli_parse(argc, argv, review_help, review_option, &opts, &common);
    int status = rc > 0 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
    if (rc == 0 && opts.pairs)
        status = errata_review_pairs(opts.pairs, &common) ? ERRATA_CLI_EXIT_ERROR
                                                          : ERRATA_CLI_EXIT_OK;
    else if (rc == 0)
        status = review(&common, &opts);
    errata_cli_common_free(&common);
    return status;
}
