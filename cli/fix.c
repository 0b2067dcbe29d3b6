/* errata fix: write the repaired text. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char fix_help[] =
    "Usage: errata fix [OPTION...] [FILE...]\n"
    "Repair each FILE (standard input when there is none, or for '-') and write the\n"
    "result to standard output, one file after the other.\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE    write to FILE instead (replaced only once all went well;\n"
    "                       '-' is standard output)\n"
    "  -i, --in-place       rewrite each FILE (through a temporary file and a rename;\n"
    "                       permissions kept; left alone when nothing changes)\n"
    "  --backup=SUFFIX      with --in-place, first keep the original as FILE+SUFFIX\n"
    "\n"
    "Engine:\n"
    "  --dict FILE          also load this dictionary (repeatable; see FORMAT.md)\n"
    "  --no-default-dict    leave out the built-in dictionaries\n"
    "  --model FILE         use this language model instead of the built-in one\n"
    "  --no-model           decide without a language model\n"
    "\n"
    "Decisions:\n"
    "  --threshold=X        apply edits whose confidence is at least X (default 0.80)\n"
    "  --conservative       same as --threshold=0.95\n"
    "  --aggressive         same as --threshold=0.50\n"
    "  --all                also apply the proposals (what check shows as 'propose')\n"
    "  --disable=RULE,...   switch off rules (a name, or a prefix such as 'layout')\n"
    "\n"
    "  -q, --quiet          no note about proposals left unapplied\n"
    "  --color=WHEN         auto, always or never (no colour in fix's output anyway)\n"
    "  -h, --help           show this help\n"
    "\n"
    "The per-user dictionary $ERRATA_USER_DICT (default\n"
    "${XDG_CONFIG_HOME:-$HOME/.config}/errata/user.dict) is loaded when it exists.\n"
    "Exit status: 0 done, 2 error (the input files are then left as they were).\n"
    "\n"
    "Many files, directories (-r), worker threads (-j N), --output-dir, encodings\n"
    "and JSON lines (--jsonl): see 'errata fix -r --help'.\n";

typedef struct {
    const char *output;
    int in_place;
    const char *backup_suffix;
} fix_options;

static int match_either(errata_cli_args *args, const char *short_name, const char *long_name,
                        const char **value)
{
    int r = errata_cli_match(args, short_name, value);
    return r != 0 ? r : errata_cli_match(args, long_name, value);
}

static int fix_option(errata_cli_args *args, void *context)
{
    fix_options *o = context;
    int r = match_either(args, "-o", "--output", &o->output);
    if (r == 0 && (r = match_either(args, "-i", "--in-place", NULL)) > 0)
        o->in_place = 1;
    if (r == 0)
        r = errata_cli_match(args, "--backup", &o->backup_suffix);
    return r;
}

static int check_fix_options(const fix_options *o, const errata_cli_common *common)
{
    if (o->in_place && o->output)
        return errata_cli_usage_error("fix", "--in-place and --output cannot go together");
    if (o->backup_suffix && !o->in_place)
        return errata_cli_usage_error("fix", "--backup needs --in-place");
    if (o->backup_suffix && !*o->backup_suffix)
        return errata_cli_usage_error("fix", "--backup needs a non-empty suffix");
    if (o->in_place && common->file_count == 0)
        return errata_cli_usage_error("fix", "--in-place needs FILE operands");
    for (size_t i = 0; o->in_place && i < common->file_count; i++)
        if (strcmp(common->files[i], "-") == 0)
            return errata_cli_usage_error("fix", "--in-place cannot rewrite standard input");
    return 0;
}

static void note_proposals(const errata_cli_common *common, const char *path,
                           const errata_result *result)
{
    size_t left = 0;
    for (size_t i = 0; i < errata_result_count(result); i++) {
        const errata_edit *edit = errata_result_edit(result, i);
        left += edit->action == ERRATA_ACTION_PROPOSE && !errata_cli_edit_applies(common, edit);
    }
    if (left && !common->quiet)
        fprintf(stderr, "errata: %s: %zu proposed edit%s not applied (see errata check)\n",
                errata_cli_display_name(path), left, left == 1 ? "" : "s");
}

/* Read and repair one input; *fixed is the repaired text. */
static int fix_one(const errata_engine *engine, const errata_cli_common *common,
                   errata_cli_input *in, const char *path, char **fixed, size_t *fixed_len)
{
    if (errata_cli_read_input(path, in))
        return -1;
    errata_result *result = NULL;
    if (errata_cli_fix_input(engine, common, in, &result, fixed, fixed_len)) {
        errata_cli_input_free(in);
        return -1;
    }
    note_proposals(common, path, result);
    errata_result_free(result);
    return 0;
}

static int fix_in_place(const errata_engine *engine, const errata_cli_common *common,
                        const fix_options *o, const char *path)
{
    errata_cli_input in;
    char *fixed = NULL;
    size_t fixed_len = 0;
    if (fix_one(engine, common, &in, path, &fixed, &fixed_len))
        return -1;
    int rc = 0;
    int changed = fixed_len != in.len || memcmp(fixed, in.data, in.len) != 0;
    if (changed && !in.is_regular_file) {
        fprintf(stderr, "errata: %s: not a regular file, cannot rewrite it in place\n", path);
        rc = -1;
    }
    if (changed && !rc && o->backup_suffix)
        rc = errata_cli_write_backup(path, o->backup_suffix, in.data, in.len);
    if (changed && !rc)
        rc = errata_cli_write_atomic(path, fixed, fixed_len);
    errata_free(fixed);
    errata_cli_input_free(&in);
    return rc;
}

/* Every input repaired, one after the other, into out (or, when out is NULL,
   straight to standard output).  Goes on after a failed input. */
static int fix_all(const errata_engine *engine, const errata_cli_common *common, char **out,
                   size_t *out_len)
{
    static const char *const standard_input[] = {"-"};
    const char *const *files = common->file_count ? common->files : standard_input;
    size_t count = common->file_count ? common->file_count : 1;
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        errata_cli_input in;
        char *fixed = NULL;
        size_t fixed_len = 0;
        if (fix_one(engine, common, &in, files[i], &fixed, &fixed_len)) {
            failed = -1;
            continue;
        }
        if (out) {
            char *grown = realloc(*out, *out_len + fixed_len + 1);
            if (grown) {
                memcpy(grown + *out_len, fixed, fixed_len);
                *out = grown;
                *out_len += fixed_len;
            } else {
                fputs("errata: out of memory\n", stderr);
                failed = -1;
            }
        } else if (errata_cli_write(stdout, "standard output", fixed, fixed_len)) {
            failed = -1;
        }
        errata_free(fixed);
        errata_cli_input_free(&in);
    }
    return failed;
}

static int fix_to_file(const errata_engine *engine, const errata_cli_common *common,
                       const char *output)
{
    char *all = NULL;
    size_t all_len = 0;
    int rc = fix_all(engine, common, &all, &all_len);
    if (!rc)
        rc = errata_cli_write_atomic(output, all ? all : "", all_len);
    free(all);
    return rc;
}

static int run_fix(const errata_engine *engine, const errata_cli_common *common,
                   const fix_options *o)
{
    if (o->output && strcmp(o->output, "-") != 0)
        return fix_to_file(engine, common, o->output);
    if (!o->in_place)
        return fix_all(engine, common, NULL, NULL);
    int failed = 0;
    for (size_t i = 0; i < common->file_count; i++)
        if (fix_in_place(engine, common, o, common->files[i]))
            failed = -1;
    return failed;
}

int errata_cli_fix_main(int argc, char **argv)
{
    if (errata_cli_batch_requested(argc, argv))
        return errata_cli_batch_main(argc, argv);
    errata_cli_common common;
    errata_cli_common_init(&common);
    fix_options o = {0};
    int rc = errata_cli_parse(argc, argv, fix_help, fix_option, &o, &common);
    errata_engine *engine = NULL;
    if (rc == 0)
        rc = check_fix_options(&o, &common);
    if (rc == 0)
        rc = errata_cli_engine_new(&common, &engine);
    if (rc == 0)
        rc = run_fix(engine, &common, &o);
    errata_engine_free(engine);
    errata_cli_common_free(&common);
    return rc == 0 || rc == 1 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
}
