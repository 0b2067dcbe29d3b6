/* errata check: list every edit, as text for people or JSON Lines for tools. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "html.h"
#include "json.h"

/* Code points shown on either side of an edit. */
#define CONTEXT_CODE_POINTS 8

static const char check_help[] =
    "Usage: errata check [OPTION...] [FILE...]\n"
    "List every edit errata finds in each FILE (standard input when there is none,\n"
    "or for '-'): where, old -> new, the rule, the kind of damage, the action\n"
    "(apply: fix would apply it; propose: for review; flag: reported only), the\n"
    "confidence and the reason.\n"
    "\n"
    "  --format=FORMAT      text (default) or jsonl: one JSON object per edit with\n"
    "                       file, line, column, byte_start, byte_end, cp_start,\n"
    "                       cp_end, old, new, rule, kind, action, confidence, reason;\n"
    "                       or html: a self-contained review page of one FILE (the\n"
    "                       document with its edits marked, decisions, downloads of\n"
    "                       the repaired text and of an edit list for errata apply)\n"
    "  --input-encoding ENC read the files as ENC instead of detecting it\n"
    "  -q, --quiet          print nothing; the exit status tells\n"
    "  --color=WHEN         auto (default: only on a terminal, not with NO_COLOR),\n"
    "                       always or never\n"
    "\n"
    "Each FILE is decoded first (UTF-8 with or without BOM, UTF-16, GB18030/GBK; see\n"
    "errata fix --help); the output is UTF-8 whatever the file's encoding, and\n"
    "byte_start and byte_end count bytes of the decoded UTF-8 text (a file's own\n"
    "offsets only when it is UTF-8 without BOM); cp_start and cp_end count code\n"
    "points, a BOM not included.  errata apply and review --edits read them so.\n"
    "\n"
    "  --dict FILE, --no-default-dict, --model FILE, --no-model, --char-model FILE,\n"
    "  --no-char-model, --threshold=X, --conservative, --aggressive, --all, --disable=RULE,...: as for errata fix\n"
    "  (the thresholds decide which edits are 'apply' and which 'propose').\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 nothing found, 1 something found, 2 error.\n";

typedef struct {
    int jsonl;
    int html;
} check_options;

static int check_option(errata_cli_args *args, void *context)
{
    check_options *o = context;
    const char *format = NULL;
    int r = errata_cli_match(args, "--format", &format);
    if (r <= 0)
        return r;
    if (strcmp(format, "jsonl") != 0 && strcmp(format, "text") != 0 && strcmp(format, "html") != 0)
        return errata_cli_usage_error("check", "--format must be text, jsonl or html, not '%s'",
                                      format);
    o->jsonl = strcmp(format, "jsonl") == 0;
    o->html = strcmp(format, "html") == 0;
    return 1;
}

/* ------------------------------------------------------------ JSON Lines */

/* Three decimals, or two when the third is 0: 0.93, 0.925, 1.00. */
static void format_confidence(char *buf, size_t size, double confidence)
{
    snprintf(buf, size, "%.3f", confidence);
    size_t len = strlen(buf);
    if (len > 0 && buf[len - 1] == '0')
        buf[len - 1] = '\0';
}

static void print_json_edit(FILE *out, const char *file, const errata_edit *e)
{
    char confidence[32];
    format_confidence(confidence, sizeof confidence, e->confidence);
    errata_json_writer w = errata_json_to_file(out);
    errata_json_begin_object(&w);
    errata_json_key(&w, "file");
    errata_json_string(&w, file);
    const char *names[] = {"line", "column", "byte_start", "byte_end", "cp_start", "cp_end"};
    const size_t numbers[] = {e->line, e->column, e->byte_start, e->byte_end, e->cp_start, e->cp_end};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        errata_json_key(&w, names[i]);
        errata_json_uint(&w, numbers[i]);
    }
    const char *texts[][2] = {{"old", e->old_text}, {"new", e->new_text}, {"rule", e->rule},
                              {"kind", errata_kind_name(e->kind)},
                              {"action", errata_action_name(e->action)}};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        errata_json_key(&w, texts[i][0]);
        errata_json_string(&w, texts[i][1]);
    }
    errata_json_key(&w, "confidence");
    errata_json_raw(&w, confidence);
    errata_json_key(&w, "reason");
    errata_json_string(&w, e->reason);
    errata_json_end_object(&w);
    fputc('\n', out);
}

/* ------------------------------------------------------------------ text */

/* Text for a terminal: control characters shown as escapes. */
static void put_visible(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
}

static int is_continuation_byte(char c) { return ((unsigned char)c & 0xc0) == 0x80; }

/* Start of the context before pos: up to CONTEXT_CODE_POINTS code points,
   not across a line break. */
static size_t context_start(const char *text, size_t pos)
{
    for (int taken = 0; pos > 0 && taken < CONTEXT_CODE_POINTS && text[pos - 1] != '\n'; taken++) {
        pos--;
        while (pos > 0 && is_continuation_byte(text[pos]))
            pos--;
    }
    return pos;
}

static size_t context_end(const char *text, size_t len, size_t pos)
{
    for (int taken = 0; pos < len && taken < CONTEXT_CODE_POINTS && text[pos] != '\n'; taken++) {
        pos++;
        while (pos < len && is_continuation_byte(text[pos]))
            pos++;
    }
    return pos;
}

static void put_or_empty(FILE *out, const char *s)
{
    if (*s)
        put_visible(out, s, strlen(s));
    else
        fputs("\xe2\x88\x85", out); /* U+2205 EMPTY SET */
}

/* "old → new", or for a flag (nothing to apply) just "old". */
static void put_change(FILE *out, const errata_cli_palette *p, const errata_edit *e,
                       const char *arrow, void (*put)(FILE *, const char *))
{
    fputs(p->red, out);
    put(out, e->old_text);
    fputs(p->reset, out);
    if (e->action == ERRATA_ACTION_FLAG)
        return;
    fprintf(out, "%s%s", arrow, p->green);
    put(out, e->new_text);
    fputs(p->reset, out);
}

static void put_visible_string(FILE *out, const char *s) { put_visible(out, s, strlen(s)); }

static void print_text_edit(FILE *out, const errata_cli_palette *p, const char *file,
                            const errata_cli_document *in, const errata_edit *e)
{
    char confidence[32];
    format_confidence(confidence, sizeof confidence, e->confidence);
    fprintf(out, "%s%s:%zu:%zu:%s ", p->bold, file, e->line, e->column, p->reset);
    put_change(out, p, e, " \xe2\x86\x92 ", put_or_empty);
    fprintf(out, " (%s %s, %s, %s)\n", errata_action_name(e->action), confidence,
            errata_kind_name(e->kind), e->rule);

    size_t before = context_start(in->text, e->byte_start);
    size_t after = context_end(in->text, in->len, e->byte_end);
    fputs("    ", out);
    put_visible(out, in->text + before, e->byte_start - before);
    fputc('[', out);
    put_change(out, p, e, "\xe2\x86\x92", put_visible_string);
    fputc(']', out);
    put_visible(out, in->text + e->byte_end, after - e->byte_end);
    fputc('\n', out);
    if (*e->reason)
        fprintf(out, "    %s%s%s\n", p->dim, e->reason, p->reset);
}

/* ------------------------------------------------------------------ main */

typedef struct {
    const errata_engine *engine;
    errata_scratch *scratch; /* the model's caches, kept from file to file */
    const errata_cli_common *common;
    const check_options *options;
    errata_cli_palette palette;
} check_run;

/* Check one input and print its edits: 1 found some, 0 none, -1 error. */
static int check_one(const check_run *run, const char *path)
{
    errata_cli_document in;
    if (errata_cli_read_document(path, run->common->input_encoding, &in))
        return -1;
    errata_check_options opts = errata_cli_check_options(run->common);
    errata_result *result = NULL;
    if (errata_check_scratch(run->engine, run->scratch, in.text, in.len, &opts, &result) !=
        ERRATA_OK) {
        fprintf(stderr, "errata: %s: %s\n", errata_cli_display_name(path), errata_error_message());
        errata_cli_document_free(&in);
        return -1;
    }
    size_t count = errata_result_count(result);
    int failed = run->options->html && !run->common->quiet &&
                 errata_html_review_page(stdout, path, &in, result) != 0;
    for (size_t i = 0; i < count && !run->common->quiet && !run->options->html; i++) {
        errata_edit slot;
        const errata_edit *edit = errata_cli_result_edit(result, i, &slot);
        if (run->options->jsonl)
            print_json_edit(stdout, path, edit);
        else
            print_text_edit(stdout, &run->palette, path, &in, edit);
    }
    errata_result_free(result);
    errata_cli_document_free(&in);
    return failed ? -1 : count > 0;
}

static int check_all(const check_run *run)
{
    const errata_cli_common *common = run->common;
    size_t count = common->file_count ? common->file_count : 1;
    int found = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        int rc = check_one(run, common->file_count ? common->files[i] : "-");
        failed |= rc < 0;
        found |= rc > 0;
    }
    if (failed)
        return ERRATA_CLI_EXIT_ERROR;
    return found ? ERRATA_CLI_EXIT_FOUND : ERRATA_CLI_EXIT_OK;
}

int errata_cli_check_main(int argc, char **argv)
{
    errata_cli_common common;
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING;
    check_options options = {0};
    int rc = errata_cli_parse(argc, argv, check_help, check_option, &options, &common);
    errata_engine *engine = NULL;
    int status = rc > 0 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
    if (rc == 0 && options.html && common.file_count > 1) {
        errata_cli_usage_error("check", "--format=html makes the page of one file, not %zu",
                               common.file_count);
        rc = -1;
    }
    if (rc == 0 && errata_cli_engine_new(&common, &engine) == 0) {
        int color = !options.jsonl && errata_cli_use_color(common.color, STDOUT_FILENO);
        check_run run = {engine, NULL, &common, &options, errata_cli_palette_for(color)};
        if (errata_scratch_new(engine, &run.scratch) != ERRATA_OK)
            run.scratch = NULL; /* then every file starts with empty caches */
        status = check_all(&run);
        errata_scratch_free(run.scratch);
    }
    errata_engine_free(engine);
    errata_cli_common_free(&common);
    return status;
}
