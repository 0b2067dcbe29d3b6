/* `errata apply EDITS.jsonl`: apply a reviewed list of edits. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"

static const char apply_help[] =
    "Usage: errata apply [OPTION...] EDITS.jsonl\n"
    "Apply a list of edits in JSON Lines (as written by 'errata check --format=jsonl',\n"
    "then reviewed by hand or by a tool) to the files it names.\n"
    "\n"
    "A line with \"accept\": true is applied, with its \"new\" text (which may have been\n"
    "changed); a line with \"accept\": false is not.  A line without \"accept\" follows\n"
    "its \"action\": \"apply\" is applied, \"propose\" and \"flag\" are not.  Every line's\n"
    "\"old\" must be the file's text at its span, or nothing at all is written.\n"
    "Each file is decoded as errata fix does (byte_start and byte_end count bytes\n"
    "of its text in UTF-8), and written back in its own encoding through a\n"
    "temporary file and a rename.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE  write the result to FILE ('-': standard output) instead\n"
    "                     of replacing the file (the edits must name one file)\n"
    "  --all              also apply the proposals that have no \"accept\"\n"
    "  --input-encoding ENC   read the files as ENC instead of detecting it\n"
    "  --output-encoding ENC  write in ENC instead of each file's own encoding\n"
    "  -q, --quiet        do not report what was applied\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 done, 2 error (if an edit does not match its file, nothing is\n"
    "written).\n";

typedef struct {
    const char *output;
} apply_options;

static int apply_option(errata_cli_args *args, void *context)
{
    apply_options *opts = context;
    int r = errata_cli_match(args, "-o", &opts->output);
    return r != 0 ? r : errata_cli_match(args, "--output", &opts->output);
}

/* One file named by the edit list, with its edits applied. */
typedef struct {
    const char *path;
    errata_cli_document in;
    char *result;
    size_t result_len;
    size_t applied, listed;
} target;

static int selected(const errata_cli_common *common, const errata_review_jsonl_edit *e)
{
    if (e->edit.action == ERRATA_ACTION_FLAG)
        return 0;
    if (e->accept >= 0)
        return e->accept;
    return errata_cli_edit_applies(common, &e->edit);
}

static int by_position(const void *pa, const void *pb)
{
    const errata_review_jsonl_edit *a = *(const errata_review_jsonl_edit *const *)pa;
    const errata_review_jsonl_edit *b = *(const errata_review_jsonl_edit *const *)pb;
    if (a->edit.byte_start != b->edit.byte_start)
        return a->edit.byte_start < b->edit.byte_start ? -1 : 1;
    return a->jsonl_line < b->jsonl_line ? -1 : a->jsonl_line > b->jsonl_line;
}

static int check_overlaps(const errata_review_jsonl *list, errata_review_jsonl_edit **chosen,
                          size_t n)
{
    for (size_t i = 1; i < n; i++) {
        const errata_edit *a = &chosen[i - 1]->edit, *b = &chosen[i]->edit;
        int both_insert = a->byte_start == a->byte_end && b->byte_start == b->byte_end &&
                          a->byte_start == b->byte_start;
        if (b->byte_start < a->byte_end || both_insert) {
            fprintf(stderr, "errata: %s:%zu: %s: this edit overlaps the one of line %zu\n",
                    errata_cli_display_name(list->path), chosen[i]->jsonl_line, chosen[i]->file,
                    chosen[i - 1]->jsonl_line);
            return -1;
        }
    }
    return 0;
}

static int apply_chosen(target *t, errata_review_jsonl_edit **chosen, size_t n)
{
    errata_edit *edits = calloc(n ? n : 1, sizeof *edits);
    if (!edits) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        edits[i] = chosen[i]->edit;
    int rc = errata_apply(t->in.text, t->in.len, edits, n, &t->result, &t->result_len);
    free(edits);
    if (rc != ERRATA_OK)
        fprintf(stderr, "errata: %s: %s\n", t->path, errata_error_message());
    t->applied = n;
    return rc == ERRATA_OK ? 0 : -1;
}

/* Read the target, check every line naming it, apply the chosen ones. */
static int prepare_target(const errata_cli_common *common, const errata_review_jsonl *list,
                          target *t)
{
    if (errata_cli_read_document(t->path, common->input_encoding, &t->in))
        return -1;
    errata_review_jsonl_edit **chosen = malloc((list->count + 1) * sizeof *chosen);
    if (!chosen) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < list->count && !rc; i++) {
        errata_review_jsonl_edit *e = &list->items[i];
        if (strcmp(e->file, t->path) != 0)
            continue;
        t->listed++;
        rc = errata_review_jsonl_verify(list, e, t->in.text, t->in.len);
        if (!rc && selected(common, e))
            chosen[n++] = e;
    }
    if (!rc) {
        qsort(chosen, n, sizeof *chosen, by_position);
        rc = check_overlaps(list, chosen, n);
    }
    if (!rc)
        rc = apply_chosen(t, chosen, n);
    free(chosen);
    return rc;
}

/* The files the list names, each once, in the order they first appear. */
static target *collect_targets(const errata_review_jsonl *list, size_t *count)
{
    target *targets = calloc(list->count ? list->count : 1, sizeof *targets);
    *count = 0;
    for (size_t i = 0; targets && i < list->count; i++) {
        size_t j = 0;
        while (j < *count && strcmp(targets[j].path, list->items[i].file) != 0)
            j++;
        if (j == *count)
            targets[(*count)++].path = list->items[i].file;
    }
    return targets;
}

static int apply_list(const errata_cli_common *common, const errata_review_jsonl *list,
                      const char *output)
{
    size_t count;
    target *targets = collect_targets(list, &count);
    if (!targets) {
        fputs("errata: out of memory\n", stderr);
        return -1;
    }
    int rc = 0;
    if (output && count > 1)
        rc = errata_cli_usage_error("apply", "-o needs edits of one file; %s names %zu",
                                    errata_cli_display_name(list->path), count);
    for (size_t i = 0; i < count && !rc; i++)
        rc = prepare_target(common, list, &targets[i]);
    for (size_t i = 0; i < count && !rc; i++) {
        rc = errata_cli_write_document(&targets[i].in, targets[i].result,
                                       targets[i].result_len, common->output_encoding, output);
        if (!rc && !common->quiet)
            fprintf(stderr, "%s: %zu of %zu edits applied\n", targets[i].path,
                    targets[i].applied, targets[i].listed);
    }
    for (size_t i = 0; i < count; i++) {
        errata_cli_document_free(&targets[i].in);
        errata_free(targets[i].result);
    }
    free(targets);
    return rc;
}

int errata_cli_apply_main(int argc, char **argv)
{
    errata_cli_common common;
    apply_options opts = {NULL};
    errata_cli_remove_temporaries_on_signals();
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING | ERRATA_CLI_OUTPUT_ENCODING;
    int rc = errata_cli_parse(argc, argv, apply_help, apply_option, &opts, &common);
    if (rc == 0 && common.file_count != 1)
        rc = errata_cli_usage_error("apply", "give one list of edits (EDITS.jsonl)");
    errata_review_jsonl list = {0};
    if (rc == 0)
        rc = errata_review_jsonl_load(common.files[0], &list);
    if (rc == 0)
        rc = apply_list(&common, &list, opts.output);
    errata_review_jsonl_free(&list);
    errata_cli_common_free(&common);
    if (rc > 0)
        return ERRATA_CLI_EXIT_OK; /* --help */
    return rc ? ERRATA_CLI_EXIT_ERROR : ERRATA_CLI_EXIT_OK;
}
