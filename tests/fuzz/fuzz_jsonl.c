/* errata fix --jsonl (cli/stream.c) on an arbitrary stream.  The first
   byte chooses --attach-edits, --all and the field (text or body); the
   rest is the input.  Invariants: there are as many lines out as in; a line
   whose field cannot be repaired (malformed JSON, no such string field, text
   errata refuses) comes out byte for byte; a repaired line is a JSON object
   with the same members (and "edits", an array, with --attach-edits) whose
   field holds exactly what errata_check's selected edits give applied to the
   field's text. */
#include "batch.h"
#include "fuzz.h"
#include "json.h"

static errata_engine *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    engine = fuzz_engine();
    return 0;
}

/* The field's text repaired as the command line would; NULL when it is
   left alone. */
static char *expected_field(const errata_cli_common *common, const errata_json_value *field,
                            size_t *len)
{
    if (field->lone_surrogate)
        return NULL;
    errata_check_options opts = errata_cli_check_options(common);
    errata_result *result = NULL;
    if (errata_check(engine, field->string, field->string_len, &opts, &result) != ERRATA_OK)
        return NULL;
    char *fixed = NULL;
    FUZZ_CHECK(errata_cli_apply_selected(common, result, field->string, field->string_len, &fixed,
                                         len) == ERRATA_OK,
               "apply");
    errata_result_free(result);
    return fixed;
}

static void check_line(const errata_cli_common *common, const errata_batch_options *options,
                       const char *in, size_t in_len, const char *out, size_t out_len)
{
    errata_json_value object, repaired;
    errata_json_error err;
    const errata_json_value *field = NULL;
    if (errata_json_parse(in, in_len, &object, &err) == ERRATA_JSON_OK)
        field = errata_json_get(&object, options->field);
    size_t fixed_len = 0;
    char *fixed = field && field->type == ERRATA_JSON_STRING
                      ? expected_field(common, field, &fixed_len)
                      : NULL;
    if (!fixed) {
        FUZZ_CHECK(in_len == out_len && memcmp(in, out, in_len) == 0,
                   "a line left alone came out changed");
        errata_json_free(&object);
        return;
    }
    FUZZ_CHECK(errata_json_parse(out, out_len, &repaired, &err) == ERRATA_JSON_OK &&
                   repaired.type == ERRATA_JSON_OBJECT,
               "repaired line is not an object: %s at %zu", err.what, err.offset);
    const errata_json_value *now = errata_json_get(&repaired, options->field);
    FUZZ_CHECK(now && now->type == ERRATA_JSON_STRING && now->string_len == fixed_len &&
                   memcmp(now->string, fixed, fixed_len) == 0,
               "the field is not errata's repair of it");
    int added = options->attach_edits && !errata_json_get(&object, "edits");
    FUZZ_CHECK(repaired.count == object.count + added, "%zu members, was %zu", repaired.count,
               object.count);
    if (options->attach_edits) {
        const errata_json_value *edits = errata_json_get(&repaired, "edits");
        FUZZ_CHECK(edits && edits->type == ERRATA_JSON_ARRAY, "no edits array");
    }
    errata_json_free(&repaired);
    errata_json_free(&object);
    free(fixed);
}

/* The next line of text at *pos (without its line feed). */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return 0;
    const char *nl = memchr(text + *pos, '\n', len - *pos);
    *line = text + *pos;
    *n = nl ? (size_t)(nl - *line) : len - *pos;
    *pos += *n + (nl != NULL);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *in = (const char *)data + 1;
    size_t in_len = size - 1;
    char path[64];
    fuzz_temp_template(path, sizeof path, "jsonl");
    int fd = mkstemp(path);
    FUZZ_CHECK(fd >= 0 && write(fd, in, in_len) == (ssize_t)in_len, "cannot write %s", path);
    close(fd);

    errata_cli_common common;
    errata_cli_common_init(&common);
    const char *files[] = {path};
    common.files = files;
    common.file_count = 1;
    common.quiet = 1;
    common.apply_all = data[0] >> 1 & 1;
    errata_batch_options options = {.jsonl = 1, .attach_edits = data[0] & 1,
                                    .field = data[0] & 4 ? "body" : "text"};
    char *out = NULL;
    size_t out_len = 0;
    FILE *output = open_memstream(&out, &out_len);
    int rc = errata_batch_stream(engine, &common, &options, output);
    fclose(output);
    unlink(path);
    FUZZ_CHECK(rc == 0, "the stream failed");

    size_t in_pos = 0, out_pos = 0, in_n, out_n;
    const char *in_line, *out_line;
    while (next_line(in, in_len, &in_pos, &in_line, &in_n)) {
        FUZZ_CHECK(next_line(out, out_len, &out_pos, &out_line, &out_n), "a line went missing");
        check_line(&common, &options, in_line, in_n, out_line, out_n);
    }
    FUZZ_CHECK(out_pos == out_len, "more lines out than in");
    free(out);
    return 0;
}
