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
    "  --output-encoding ENC\n"
    "                       write in ENC instead of each input's own encoding\n"
    "                       (UTF-8, UTF-8-BOM, GB18030 or GBK, UTF-16LE, UTF-16BE,\n"
    "                       UTF-16LE-BOM, UTF-16BE-BOM)\n"
    "  --input-encoding ENC read the inputs as ENC instead of detecting it\n"
    "  Each input is decoded (UTF-8 with or without BOM, UTF-16 by its BOM or NUL\n"
    "  pattern, else GB18030/GBK), repaired, and written in its own encoding, also\n"
    "  to standard output; an input that cannot be decoded is reported with the\n"
    "  byte offset and left alone.\n"
    "\n"
    "Engine:\n"
    "  --dict FILE          also load this dictionary (repeatable; see FORMAT.md)\n"
    "  --no-default-dict    leave out the built-in dictionaries\n"
    "  --model FILE         use this language model instead of the built-in one\n"
    "  --no-model           decide without a language model\n"
    "  --char-model FILE    use this character model of formal text instead of the\n"
    "                       built-in one\n"
    "  --no-char-model      decide without the character model\n"
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
    "Many files, directories (-r), worker threads (-j N), --output-dir and JSON\n"
    "lines (--jsonl): see 'errata fix -r --help'.\n";

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

/* One input read and repaired, and the bytes to write for it. */
typedef struct {
    errata_cli_document doc;
    char *fixed;
    size_t fixed_len;
    char *encoded;     /* NULL when the input's own bytes do */
    const char *bytes; /* in the output encoding */
    size_t len;
} repaired_input;

static void repaired_input_free(repaired_input *r)
{
    errata_free(r->encoded);
    errata_free(r->fixed);
    errata_cli_document_free(&r->doc);
}

static int repair_input(const errata_engine *engine, const errata_cli_common *common,
                        const char *path, repaired_input *r)
{
    memset(r, 0, sizeof *r);
    if (errata_cli_read_document(path, common->input_encoding, &r->doc))
        return -1;
    errata_result *result = NULL;
    errata_encoding target = errata_cli_output_encoding(&r->doc, common->output_encoding);
    int rc = errata_cli_fix_input(engine, common, &r->doc, &result, &r->fixed, &r->fixed_len);
    if (!rc) {
        note_proposals(common, path, result);
        rc = errata_cli_document_bytes(&r->doc, r->fixed, r->fixed_len, target, &r->encoded,
                                       &r->bytes, &r->len);
    }
    errata_result_free(result);
    if (rc)
        repaired_input_free(r);
    return rc;
}

static int fix_in_place(const errata_engine *engine, const errata_cli_common *common,
                        const fix_options *o, const char *path)
{
    repaired_input r;
    if (repair_input(engine, common, path, &r))
        return -1;
    int rc = 0, changed = r.encoded != NULL;
    if (changed && !r.doc.raw.is_regular_file) {
        fprintf(stderr, "errata: %s: not a regular file, cannot rewrite it in place\n", path);
        rc = -1;
    }
    if (!rc && changed && o->backup_suffix)
        rc = errata_cli_write_backup(path, o->backup_suffix, r.doc.raw.data, r.doc.raw.len);
    if (!rc && changed)
        rc = errata_cli_write_atomic(path, r.bytes, r.len);
    repaired_input_free(&r);
    return rc;
}

/* Repair one input and add its bytes to out (or, when out is NULL, write
   them straight to standard output). */
static int fix_into(const errata_engine *engine, const errata_cli_common *common,
                    const char *path, errata_cli_buffer *out)
{
    repaired_input r;
    if (repair_input(engine, common, path, &r))
        return -1;
    int rc = 0;
    if (out && errata_cli_buffer_append(out, r.bytes, r.len)) {
        fputs("errata: out of memory\n", stderr);
        rc = -1;
    } else if (!out) {
        rc = errata_cli_write(stdout, "standard output", r.bytes, r.len);
    }
    repaired_input_free(&r);
    return rc;
}

/* Every input repaired, one after the other, into out (or, when out is NULL,
   straight to standard output).  Goes on after a failed input. */
static int fix_all(const errata_engine *engine, const errata_cli_common *common,
                   errata_cli_buffer *out)
{
    static const char *const standard_input[] = {"-"};
    const char *const *files = common->file_count ? common->files : standard_input;
    size_t count = common->file_count ? common->file_count : 1;
    int failed = 0;
    for (size_t i = 0; i < count; i++)
        if (fix_into(engine, common, files[i], out))
            failed = -1;
    return failed;
}

static int fix_to_file(const errata_engine *engine, const errata_cli_common *common,
                       const char *output)
{
    errata_cli_buffer all = {0};
    int rc = fix_all(engine, common, &all);
    if (!rc)
        rc = errata_cli_write_atomic(output, all.data ? all.data : "", all.len);
    free(all.data);
    return rc;
}

static int run_fix(const errata_engine *engine, const errata_cli_common *common,
                   const fix_options *o)
{
    if (o->output && strcmp(o->output, "-") != 0)
        return fix_to_file(engine, common, o->output);
    if (!o->in_place)
        return fix_all(engine, common, NULL);
    int failed = 0;
    for (size_t i = 0; i < common->file_count; i++)
        if (fix_in_place(engine, common, o, common->files[i]))
            failed = -1;
    return failed;
}

int errata_cli_fix_main(int argc, char **argv)
{
    errata_cli_remove_temporaries_on_signals();
    if (errata_cli_batch_requested(argc, argv))
        return errata_cli_batch_main(argc, argv);
    errata_cli_common common;
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING | ERRATA_CLI_OUTPUT_ENCODING;
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
