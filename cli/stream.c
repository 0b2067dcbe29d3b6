/* errata fix --jsonl: one JSON object a line in, the same line out with its
   text field repaired, for corpus pipelines (Hadoop Streaming, Spark's
   rdd.pipe, GNU parallel --pipe).  Memory is bounded by the longest line.

   Each line is read by the JSON reader (cli/json.h), which also tells where
   each top-level member's value lies in the line.  The field's string is
   repaired, and only the spans that the applied edits cover are replaced in
   the line, escaped in the style the string already used (\uXXXX for
   non-ASCII when the original was written that way); every other byte of
   the line stays as it was. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "json.h"

/* ------------------------------------------------------------ strings */

/* One byte of a string token, or one escape, and what it stands for. */
typedef struct {
    size_t raw_len;  /* bytes in the token */
    uint32_t cp;     /* the code point of an escape */
    int is_escape;
} json_unit;

static uint32_t hex4(const char *s)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 4 | (uint32_t)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
    return v;
}

/* The unit at raw[pos] of a token scanned already (so escapes are whole). */
static json_unit next_unit(const char *raw, size_t len, size_t pos)
{
    json_unit u = {1, 0, 0};
    if (raw[pos] != '\\')
        return u;
    static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    u.is_escape = 1;
    u.raw_len = 2;
    char e = raw[pos + 1];
    if (e != 'u') {
        u.cp = (unsigned char)strchr(simple, e)[1];
        return u;
    }
    u.raw_len = 6;
    u.cp = hex4(raw + pos + 2);
    int high = u.cp >= 0xD800 && u.cp <= 0xDBFF;
    uint32_t low = pos + 12 <= len && raw[pos + 6] == '\\' && raw[pos + 7] == 'u'
                       ? hex4(raw + pos + 8)
                       : 0;
    if (high && low >= 0xDC00 && low <= 0xDFFF) {
        u.cp = 0x10000 + ((u.cp - 0xD800) << 10) + (low - 0xDC00);
        u.raw_len = 12;
    }
    return u;
}

/* How many bytes a unit makes in the unescaped text. */
static size_t unit_text_len(json_unit u)
{
    char scratch[4];
    return u.is_escape ? errata_cli_utf8_put(u.cp, scratch) : 1;
}

/* Whether a string written with \uXXXX escapes for its non-ASCII
   characters and no raw non-ASCII byte (so edits are to be written so too). */
static int is_ascii_only(const char *raw, size_t raw_len, const errata_json_value *value)
{
    for (size_t i = 0; i < raw_len; i++)
        if ((unsigned char)raw[i] >= 0x80)
            return 0;
    for (size_t i = 0; i < value->string_len; i++)
        if ((unsigned char)value->string[i] >= 0x80)
            return 1;
    return 0;
}

/* ------------------------------------------------------------ lines */

/* Where the members that matter are in a line's top-level object. */
typedef struct {
    const errata_json_value *field, *edits; /* NULL: none */
    size_t after_last_member; /* where a new member goes (0: empty object) */
    size_t open_brace;
    int ascii_only; /* the field is written with \uXXXX for non-ASCII */
} line_shape;

typedef struct {
    const errata_engine *engine;
    const errata_cli_common *common;
    const errata_batch_options *options;
    const char *field;
    errata_batch_console console;
    errata_batch_stats stats;
    errata_scratch *scratch; /* the model's caches, kept from line to line */
    errata_cli_buffer field_out, edits_out, out;
    FILE *output;
} stream;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Read a line (an object, alone on its line) into *object. */
static int parse_line(const char *line, size_t len, errata_json_value *object,
                      errata_json_error *err)
{
    size_t pos = 0;
    while (pos < len && is_space(line[pos]))
        pos++;
    if (pos >= len || line[pos] != '{') {
        *err = (errata_json_error){pos, "expected '{' (one JSON object a line)"};
        return ERRATA_JSON_MALFORMED;
    }
    int rc = errata_json_parse_prefix(line, len, &pos, object, err);
    if (rc)
        return rc;
    while (pos < len && is_space(line[pos]))
        pos++;
    if (pos == len)
        return ERRATA_JSON_OK;
    errata_json_free(object);
    *err = (errata_json_error){pos, "expected the end of the line after the object"};
    return ERRATA_JSON_MALFORMED;
}

static line_shape shape_of(const stream *st, const char *line, const errata_json_value *object)
{
    line_shape shape = {errata_json_get(object, st->field), errata_json_get(object, "edits"),
                        object->count ? object->items[object->count - 1].end : 0, object->start,
                        0};
    const errata_json_value *f = shape.field;
    if (f && f->type == ERRATA_JSON_STRING)
        shape.ascii_only = is_ascii_only(line + f->start + 1, f->end - f->start - 2, f);
    return shape;
}

/* The field's string contents with each applied edit put in place of the
   span it covers, escaped like the rest of the string. */
static int rewrite_field(stream *st, const char *raw, size_t raw_len, int ascii_only,
                         const errata_result *result)
{
    errata_cli_buffer *b = &st->field_out;
    size_t raw_pos = 0, text_pos = 0, copied = 0;
    int rc = 0;
    b->len = 0;
    for (size_t i = 0; i < errata_result_count(result) && !rc; i++) {
        errata_edit slot;
        const errata_edit *edit = errata_cli_result_edit(result, i, &slot);
        if (!errata_cli_edit_applies(st->common, edit))
            continue;
        for (json_unit u; text_pos < edit->byte_start; raw_pos += u.raw_len)
            text_pos += unit_text_len(u = next_unit(raw, raw_len, raw_pos));
        rc = errata_cli_buffer_append(b, raw + copied, raw_pos - copied) ||
             errata_json_append_escaped(b, edit->new_text, strlen(edit->new_text), ascii_only);
        for (json_unit u; text_pos < edit->byte_end; raw_pos += u.raw_len)
            text_pos += unit_text_len(u = next_unit(raw, raw_len, raw_pos));
        copied = raw_pos;
    }
    return rc || errata_cli_buffer_append(b, raw + copied, raw_len - copied);
}

/* [{"start":..,"end":..,"old":..,"new":..,"rule":..,"kind":..,"confidence":..}, ...]
   after member (the text that makes it a member of the line's object). */
static int make_edits_array(stream *st, const errata_result *result, const char *member,
                            int ascii_only)
{
    errata_cli_buffer *b = &st->edits_out;
    b->len = 0;
    if (errata_cli_buffer_append(b, member, strlen(member)))
        return -1;
    errata_json_writer w = errata_json_to_buffer(b, ascii_only);
    errata_json_begin_array(&w);
    for (size_t i = 0; i < errata_result_count(result) && !w.failed; i++) {
        errata_edit slot;
        const errata_edit *e = errata_cli_result_edit(result, i, &slot);
        if (!errata_cli_edit_applies(st->common, e))
            continue;
        char confidence[32];
        snprintf(confidence, sizeof confidence, "%.3f", e->confidence);
        errata_json_begin_object(&w);
        errata_json_key(&w, "start");
        errata_json_uint(&w, e->cp_start);
        errata_json_key(&w, "end");
        errata_json_uint(&w, e->cp_end);
        const char *texts[][2] = {{"old", e->old_text}, {"new", e->new_text}, {"rule", e->rule},
                                  {"kind", errata_kind_name(e->kind)}};
        for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
            errata_json_key(&w, texts[t][0]);
            errata_json_string(&w, texts[t][1]);
        }
        errata_json_key(&w, "confidence");
        errata_json_raw(&w, confidence);
        errata_json_end_object(&w);
    }
    return errata_json_end_array(&w);
}

/* A piece of the line replaced by a buffer's bytes. */
typedef struct {
    size_t start, end;
    const errata_cli_buffer *with;
} splice;

static int assemble(errata_cli_buffer *out, const char *line, size_t len, splice *splices, size_t n)
{
    if (n == 2 && splices[1].start < splices[0].start) {
        splice first = splices[1];
        splices[1] = splices[0];
        splices[0] = first;
    }
    size_t from = 0;
    int rc = 0;
    out->len = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = errata_cli_buffer_append(out, line + from, splices[i].start - from) ||
             errata_cli_buffer_append(out, splices[i].with->data, splices[i].with->len);
        from = splices[i].end;
    }
    return rc || errata_cli_buffer_append(out, line + from, len - from);
}

/* The edits array replaces an "edits" member's value, or becomes the last
   member. */
static splice edits_splice(stream *st, const line_shape *shape, const char **member)
{
    if (shape->edits) {
        *member = "";
        return (splice){shape->edits->start, shape->edits->end, &st->edits_out};
    }
    size_t at = shape->after_last_member ? shape->after_last_member : shape->open_brace + 1;
    *member = shape->after_last_member ? ",\"edits\":" : "\"edits\":";
    return (splice){at, at, &st->edits_out};
}

/* Repair the field of a well-formed line into st->out.  Returns 0, or with
   *problem set 1 when errata refuses the field's text, -1 when memory ran
   out. */
static int repair_line(stream *st, const char *line, size_t len, const line_shape *shape,
                       const char **problem)
{
    const errata_json_value *field = shape->field;
    const char *raw = line + field->start + 1;
    size_t raw_len = field->end - field->start - 2;
    if (field->lone_surrogate) {
        *problem = "a lone surrogate escape in the field";
        return 1;
    }
    errata_check_options opts = errata_cli_check_options(st->common);
    opts.no_reasons = 1; /* attached edits carry no reason */
    opts.no_positions = !st->options->attach_edits;
    errata_result *result = NULL;
    int checked = errata_check_scratch(st->engine, st->scratch, field->string,
                                       field->string_len, &opts, &result);
    if (checked != ERRATA_OK) {
        *problem = errata_error_message();
        return checked == ERRATA_ENOMEM ? -1 : 1;
    }
    splice splices[2] = {{field->start + 1, field->end - 1, &st->field_out}};
    size_t n = 1;
    const char *member = NULL;
    if (st->options->attach_edits)
        splices[n++] = edits_splice(st, shape, &member);
    int rc = rewrite_field(st, raw, raw_len, shape->ascii_only, result) ||
             (member && make_edits_array(st, result, member, shape->ascii_only)) ||
             assemble(&st->out, line, len, splices, n) ||
             errata_batch_stats_add_edits(&st->stats, st->common, result);
    st->stats.changed += !rc && (st->field_out.len != raw_len ||
                                 memcmp(st->field_out.data, raw, raw_len) != 0);
    errata_result_free(result);
    if (rc)
        *problem = "out of memory";
    return rc ? -1 : 0;
}

static int is_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r", line[i]) || !line[i])
            return 0;
    return 1;
}

static int write_out(const stream *st, const char *data, size_t len)
{
    return errata_cli_write(st->output, "standard output", data, len);
}

/* A line that cannot be repaired: told (what, then "; passed through"
   unless --strict) and passed through, or with --strict the end of the run.
   It counts as malformed, or as failed when memory ran out (the run then
   ends with status 2, every line written). */
static int skip_line(stream *st, int out_of_memory, const char *name, const char *line,
                     size_t len, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int skip_line(stream *st, int out_of_memory, const char *name, const char *line,
                     size_t len, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    errata_batch_note(&st->console, name, "%s%s", what,
                      st->options->strict ? "" : "; passed through");
    if (out_of_memory)
        st->stats.failed++;
    else
        st->stats.skipped++;
    return st->options->strict ? -1 : write_out(st, line, len);
}

/* One line (without its line feed); -1 ends the run (--strict, or a write
   error). */
static int process_line(stream *st, const char *name, size_t number, const char *line, size_t len)
{
    if (is_blank(line, len))
        return write_out(st, line, len);
    st->stats.read++;
    errata_json_value object;
    errata_json_error err;
    int parsed = parse_line(line, len, &object, &err);
    if (parsed == ERRATA_JSON_MALFORMED)
        return skip_line(st, 0, name, line, len, "line %zu: malformed JSON: %s at byte %zu",
                         number, err.what, err.offset);
    if (parsed == ERRATA_JSON_NOMEM)
        return skip_line(st, 1, name, line, len, "line %zu: out of memory", number);
    line_shape shape = shape_of(st, line, &object);
    const char *problem = NULL;
    int rc = 0;
    if (!shape.field || shape.field->type != ERRATA_JSON_STRING)
        rc = write_out(st, line, len);
    else if ((rc = repair_line(st, line, len, &shape, &problem)) == 0)
        rc = write_out(st, st->out.data, st->out.len);
    else
        rc = skip_line(st, rc < 0, name, line, len, "line %zu: field \"%s\": %s", number,
                       st->field, problem);
    errata_json_free(&object);
    return rc;
}

static int process_stream(stream *st, FILE *in, const char *name)
{
    char *line = NULL;
    size_t cap = 0, number = 0;
    ssize_t n;
    int rc = 0;
    while (!rc && (n = getline(&line, &cap, in)) > 0) {
        size_t len = (size_t)n, content = len - (line[len - 1] == '\n');
        st->stats.bytes += len;
        rc = process_line(st, name, ++number, line, content);
        if (!rc && content < len)
            rc = write_out(st, "\n", 1);
    }
    if (!rc && ferror(in)) {
        errata_batch_note(&st->console, name, "read error: %s", strerror(errno));
        st->stats.failed++;
    }
    free(line);
    return rc;
}

static int process_input(stream *st, const char *path)
{
    if (strcmp(path, "-") == 0)
        return process_stream(st, stdin, "standard input");
    FILE *in = fopen(path, "r");
    if (!in) {
        errata_batch_note(&st->console, path, "%s", strerror(errno));
        st->stats.failed++;
        return 0;
    }
    int rc = process_stream(st, in, path);
    fclose(in);
    return rc;
}

int errata_batch_stream(const errata_engine *engine, const errata_cli_common *common,
                        const errata_batch_options *options, FILE *output)
{
    stream st = {.engine = engine, .common = common, .options = options,
                 .field = options->field ? options->field : "text", .output = output};
    errata_batch_console_init(&st.console, 0);
    if (errata_scratch_new(engine, &st.scratch) != ERRATA_OK)
        st.scratch = NULL; /* then every line starts with empty caches */
    int rc = 0;
    if (common->file_count == 0)
        rc = process_input(&st, "-");
    for (size_t i = 0; i < common->file_count && !rc; i++)
        rc = process_input(&st, common->files[i]);
    if (!common->quiet)
        errata_batch_print_summary(&st.stats, "line", "malformed",
                                   errata_batch_now() - st.console.started);
    if (st.stats.failed)
        rc = -1;
    errata_batch_stats_free(&st.stats);
    errata_scratch_free(st.scratch);
    free(st.field_out.data);
    free(st.edits_out.data);
    free(st.out.data);
    errata_batch_console_destroy(&st.console);
    return rc;
}
