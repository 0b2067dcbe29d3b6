/* errata fix: write the repaired text. */
#include <errno.h>
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
        errata_edit slot;
        const errata_edit *edit = errata_cli_result_edit(result, i, &slot);
        left += edit->action == ERRATA_ACTION_PROPOSE && !errata_cli_edit_applies(common, edit);
    }
    if (left && !common->quiet)
        fprintf(stderr, "errata: %s: %zu proposed edit%s not applied (see errata check)\n",
                errata_cli_display_name(path), left, left == 1 ? "" : "s");
}

/* One input read and checked: its repaired text is written from the text
   and the edits, as it is made, never held whole (a huge document would
   otherwise be held two or three times over). */
typedef struct {
    errata_cli_document doc;
    errata_result *result;
    errata_encoding encoding; /* to write it in */
    int changed;              /* whether its bytes change */
} repaired_input;

static void repaired_input_free(repaired_input *r)
{
    errata_result_free(r->result);
    errata_cli_document_free(&r->doc);
}

/* Whether an applied edit replaces its span by other text. */
static int edit_changes(const errata_cli_document *doc, const errata_edit *edit)
{
    size_t old_len = edit->byte_end - edit->byte_start;
    return strlen(edit->new_text) != old_len ||
           memcmp(edit->new_text, doc->text + edit->byte_start, old_len) != 0;
}

static int text_changes(const errata_cli_common *common, const repaired_input *r)
{
    for (size_t i = 0; i < errata_result_count(r->result); i++) {
        errata_edit slot;
        const errata_edit *edit = errata_cli_result_edit(r->result, i, &slot);
        if (errata_cli_edit_applies(common, edit) && edit_changes(&r->doc, edit))
            return 1;
    }
    return 0;
}

/* The engine, and the model's caches kept from file to file (NULL for a
   single input, which has nothing to share them with). */
typedef struct {
    const errata_engine *engine;
    errata_scratch *scratch;
} fixer;

static int repair_input(const fixer *f, const errata_cli_common *common, const char *path,
                        repaired_input *r)
{
    memset(r, 0, sizeof *r);
    if (errata_cli_read_document(path, common->input_encoding, &r->doc))
        return -1;
    errata_check_options opts = errata_cli_fix_options(common);
    if (errata_check_scratch(f->engine, f->scratch, r->doc.text, r->doc.len, &opts, &r->result) !=
        ERRATA_OK) {
        fprintf(stderr, "errata: %s: %s\n", errata_cli_display_name(path),
                errata_error_message());
        repaired_input_free(r);
        return -1;
    }
    note_proposals(common, path, r->result);
    r->encoding = errata_cli_output_encoding(&r->doc, common->output_encoding);
    r->changed = r->encoding != r->doc.encoding || text_changes(common, r);
    return 0;
}

/* Where the bytes go: standard output, or (stream NULL) a file being
   written. */
typedef struct {
    FILE *stream;
    int fd;
} output_sink;

/* 0, or -1 with errno set. */
static int sink_write(const output_sink *sink, const char *data, size_t len)
{
    if (sink->stream)
        return len && fwrite(data, 1, len, sink->stream) != len ? -1 : 0;
    return errata_cli_write_fd_all(sink->fd, data, len);
}

/* The repaired text goes out through a buffer of UTF-8 that is encoded
   whenever it is full, in pieces ending on a character boundary: encoding
   them one by one gives the bytes that encoding the whole text would.  Only
   the first piece carries the encoding's byte-order mark. */
#define STAGE_BYTES ((size_t)1 << 20)

typedef struct {
    const output_sink *sink;
    errata_encoding encoding; /* of the next piece */
    const char *path;         /* of the input, in messages */
    char *stage;
    size_t used;
} repaired_writer;

/* The encoding of every piece after the first: no byte-order mark. */
static errata_encoding without_bom(errata_encoding encoding)
{
    switch (encoding) {
    case ERRATA_ENCODING_UTF8_BOM: return ERRATA_ENCODING_UTF8;
    case ERRATA_ENCODING_UTF16LE_BOM: return ERRATA_ENCODING_UTF16LE;
    case ERRATA_ENCODING_UTF16BE_BOM: return ERRATA_ENCODING_UTF16BE;
    default: return encoding;
    }
}

/* 0, -1 with errno set, or ERRATA_CLI_CONTENT_REPORTED. */
static int flush_stage(repaired_writer *w)
{
    int rc;
    if (w->encoding == ERRATA_ENCODING_UTF8) {
        rc = sink_write(w->sink, w->stage, w->used);
    } else {
        char *encoded = NULL;
        size_t encoded_len = 0;
        if (errata_encode(w->stage, w->used, w->encoding, &encoded, &encoded_len) != ERRATA_OK) {
            fprintf(stderr, "errata: %s: cannot write as %s: %s\n",
                    errata_cli_display_name(w->path), errata_encoding_name(w->encoding),
                    errata_error_message());
            return ERRATA_CLI_CONTENT_REPORTED;
        }
        rc = sink_write(w->sink, encoded, encoded_len);
        errata_free(encoded);
    }
    w->encoding = without_bom(w->encoding);
    w->used = 0;
    return rc;
}

/* Stage len bytes of UTF-8 (whole characters), flushing as the stage fills. */
static int stage(repaired_writer *w, const char *data, size_t len)
{
    while (len) {
        size_t n = STAGE_BYTES - w->used;
        if (n >= len)
            n = len;
        else /* end the piece before a continuation byte */
            while (n > 0 && ((unsigned char)data[n] & 0xC0) == 0x80)
                n--;
        if (n == 0) {
            int rc = flush_stage(w);
            if (rc)
                return rc;
            continue;
        }
        memcpy(w->stage + w->used, data, n);
        w->used += n;
        data += n;
        len -= n;
    }
    return 0;
}

/* The text with the applied edits made, staged piece by piece. */
static int stage_repaired(const errata_cli_common *common, const repaired_input *r,
                          repaired_writer *w)
{
    size_t at = 0;
    for (size_t i = 0; i < errata_result_count(r->result); i++) {
        errata_edit slot;
        const errata_edit *edit = errata_cli_result_edit(r->result, i, &slot);
        if (!errata_cli_edit_applies(common, edit))
            continue;
        int rc = stage(w, r->doc.text + at, edit->byte_start - at);
        if (!rc)
            rc = stage(w, edit->new_text, strlen(edit->new_text));
        if (rc)
            return rc;
        at = edit->byte_end;
    }
    int rc = stage(w, r->doc.text + at, r->doc.len - at);
    return rc ? rc : flush_stage(w);
}

/* Write r's bytes in its output encoding to sink: its own bytes when
   nothing changes.  0, -1 with errno set, or ERRATA_CLI_CONTENT_REPORTED. */
static int write_repaired(const errata_cli_common *common, const repaired_input *r,
                          const output_sink *sink)
{
    if (!r->changed)
        return sink_write(sink, r->doc.raw.data, r->doc.raw.len);
    repaired_writer w = {sink, r->encoding, r->doc.raw.path, malloc(STAGE_BYTES), 0};
    if (!w.stage) {
        fputs("errata: out of memory\n", stderr);
        return ERRATA_CLI_CONTENT_REPORTED;
    }
    int rc = stage_repaired(common, r, &w);
    free(w.stage);
    return rc;
}

typedef struct {
    const errata_cli_common *common;
    const repaired_input *input;
} repaired_content;

static int write_repaired_content(int fd, void *context)
{
    const repaired_content *c = context;
    return write_repaired(c->common, c->input, &(output_sink){NULL, fd});
}

static int fix_in_place(const fixer *f, const errata_cli_common *common, const fix_options *o,
                        const char *path)
{
    repaired_input r;
    if (repair_input(f, common, path, &r))
        return -1;
    int rc = 0;
    if (r.changed && !r.doc.raw.is_regular_file) {
        fprintf(stderr, "errata: %s: not a regular file, cannot rewrite it in place\n", path);
        rc = -1;
    }
    if (!rc && r.changed && o->backup_suffix)
        rc = errata_cli_write_backup(path, o->backup_suffix, r.doc.raw.data, r.doc.raw.len);
    if (!rc && r.changed)
        rc = errata_cli_write_atomic_content(
            path, &(errata_cli_content){write_repaired_content, &(repaired_content){common, &r}});
    repaired_input_free(&r);
    return rc;
}

/* Repair one input and write it to sink; 0, -1 when it failed (reported),
   or -1 with *write_failed set and errno when writing failed (reported when
   sink is standard output). */
static int fix_into(const fixer *f, const errata_cli_common *common, const char *path,
                    const output_sink *sink, int *write_failed)
{
    repaired_input r;
    if (repair_input(f, common, path, &r))
        return -1;
    int rc = write_repaired(common, &r, sink);
    int err = errno;
    if (rc == -1 && sink->stream)
        fprintf(stderr, "errata: standard output: write error: %s\n", strerror(err));
    if (rc == -1)
        *write_failed = 1;
    repaired_input_free(&r);
    errno = err;
    return rc ? -1 : 0;
}

/* Every input repaired, one after the other, into sink.  Goes on after a
   failed input, not after a failed write; returns 0, -1 when an input
   failed, or -1 with errno and *write_failed set when a write failed. */
static int fix_all(const fixer *f, const errata_cli_common *common, const output_sink *sink,
                   int *write_failed)
{
    static const char *const standard_input[] = {"-"};
    const char *const *files = common->file_count ? common->files : standard_input;
    size_t count = common->file_count ? common->file_count : 1;
    int failed = 0;
    for (size_t i = 0; i < count && !*write_failed; i++)
        if (fix_into(f, common, files[i], sink, write_failed))
            failed = -1;
    return failed;
}

typedef struct {
    const fixer *fixer;
    const errata_cli_common *common;
} all_inputs;

static int fix_all_content(int fd, void *context)
{
    const all_inputs *all = context;
    int write_failed = 0;
    int rc = fix_all(all->fixer, all->common, &(output_sink){NULL, fd}, &write_failed);
    return write_failed ? -1 : rc ? ERRATA_CLI_CONTENT_REPORTED : 0;
}

/* -o: every input into one file, which is replaced only if all went well. */
static int fix_to_file(const fixer *f, const errata_cli_common *common, const char *output)
{
    all_inputs all = {f, common};
    return errata_cli_write_atomic_content(output,
                                           &(errata_cli_content){fix_all_content, &all});
}

static int run_fix_with(const fixer *f, const errata_cli_common *common, const fix_options *o)
{
    if (o->output && strcmp(o->output, "-") != 0)
        return fix_to_file(f, common, o->output);
    if (!o->in_place) {
        int write_failed = 0;
        return fix_all(f, common, &(output_sink){stdout, -1}, &write_failed);
    }
    int failed = 0;
    for (size_t i = 0; i < common->file_count; i++)
        if (fix_in_place(f, common, o, common->files[i]))
            failed = -1;
    return failed;
}

static int run_fix(const errata_engine *engine, const errata_cli_common *common,
                   const fix_options *o)
{
    fixer f = {engine, NULL};
    if (common->file_count > 1 && errata_scratch_new(engine, &f.scratch) != ERRATA_OK)
        f.scratch = NULL; /* then every file starts with empty caches */
    int rc = run_fix_with(&f, common, o);
    errata_scratch_free(f.scratch);
    return rc;
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
