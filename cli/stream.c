/* errata fix --jsonl: one JSON object a line in, the same line out with its
   text field repaired, for corpus pipelines (Hadoop Streaming, Spark's
   rdd.pipe, GNU parallel --pipe).  Memory is bounded by the longest line.

   Each line is checked against the JSON grammar by a small scanner that
   records where the top-level members' values are.  The field's string is
   unescaped, repaired, and only the spans that the applied edits cover are
   replaced in the line, escaped in the style the string already used
   (\uXXXX for non-ASCII when the original was written that way); every
   other byte of the line stays as it was. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

/* Arrays and objects nested deeper than this are refused (the scanner is
   recursive). */
#define MAX_JSON_DEPTH 512

/* ------------------------------------------------------------ buffers */

static int buffer_puts(errata_cli_buffer *b, const char *s)
{
    return errata_cli_buffer_append(b, s, strlen(s));
}

static int buffer_printf(errata_cli_buffer *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int buffer_printf(errata_cli_buffer *b, const char *fmt, ...)
{
    char small[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    return n < 0 || (size_t)n >= sizeof small ? -1 : errata_cli_buffer_append(b, small, (size_t)n);
}

/* ------------------------------------------------------------ scanning */

typedef struct {
    const char *s;
    size_t len, pos;
    const char *expected; /* on failure: what should have been at pos */
} scanner;

static int expect(scanner *sc, const char *what)
{
    sc->expected = what;
    return -1;
}

static void skip_space(scanner *sc)
{
    while (sc->pos < sc->len && strchr(" \t\r\n", sc->s[sc->pos]) && sc->s[sc->pos])
        sc->pos++;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int scan_escape(scanner *sc)
{
    char e = sc->pos < sc->len ? sc->s[sc->pos] : '\0';
    if (e == 'u') {
        for (int i = 1; i <= 4; i++)
            if (sc->pos + (size_t)i >= sc->len || !is_hex(sc->s[sc->pos + (size_t)i]))
                return expect(sc, "four hexadecimal digits after \\u");
        sc->pos += 5;
        return 0;
    }
    if (!e || !strchr("\"\\/bfnrt", e))
        return expect(sc, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    sc->pos++;
    return 0;
}

static int scan_string(scanner *sc)
{
    sc->pos++; /* the opening quote */
    while (sc->pos < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->pos];
        if (c == '"') {
            sc->pos++;
            return 0;
        }
        if (c < 0x20)
            return expect(sc, "no control character inside a string");
        sc->pos++;
        if (c == '\\' && scan_escape(sc))
            return -1;
    }
    return expect(sc, "the closing '\"' of a string");
}

static int scan_digits(scanner *sc)
{
    size_t start = sc->pos;
    while (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
        sc->pos++;
    return sc->pos > start ? 0 : expect(sc, "a digit");
}

static int scan_number(scanner *sc)
{
    if (sc->s[sc->pos] == '-')
        sc->pos++;
    if (sc->pos < sc->len && sc->s[sc->pos] == '0')
        sc->pos++;
    else if (scan_digits(sc))
        return -1;
    if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
        sc->pos++;
        if (scan_digits(sc))
            return -1;
    }
    if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
        sc->pos++;
        if (sc->pos < sc->len && (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
            sc->pos++;
        return scan_digits(sc);
    }
    return 0;
}

static int scan_word(scanner *sc, const char *word)
{
    size_t n = strlen(word);
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
        return expect(sc, "a value");
    sc->pos += n;
    return 0;
}

static int scan_value(scanner *sc, int depth);

/* An array or an object (is_object), its opening bracket at pos. */
static int scan_container(scanner *sc, int depth, int is_object)
{
    char close = is_object ? '}' : ']';
    if (depth > MAX_JSON_DEPTH)
        return expect(sc, "less nesting");
    sc->pos++;
    skip_space(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == close) {
        sc->pos++;
        return 0;
    }
    for (;;) {
        if (is_object) {
            if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
                return expect(sc, "a member name");
            if (scan_string(sc))
                return -1;
            skip_space(sc);
            if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
                return expect(sc, "':'");
            sc->pos++;
            skip_space(sc);
        }
        if (scan_value(sc, depth + 1))
            return -1;
        skip_space(sc);
        char c = sc->pos < sc->len ? sc->s[sc->pos] : '\0';
        sc->pos++;
        if (c == close)
            return 0;
        if (c != ',') {
            sc->pos--;
            return expect(sc, is_object ? "',' or '}'" : "',' or ']'");
        }
        skip_space(sc);
    }
}

static int scan_value(scanner *sc, int depth)
{
    char c = sc->pos < sc->len ? sc->s[sc->pos] : '\0';
    if (c == '"')
        return scan_string(sc);
    if (c == '{' || c == '[')
        return scan_container(sc, depth, c == '{');
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(sc);
    if (c == 't')
        return scan_word(sc, "true");
    if (c == 'f')
        return scan_word(sc, "false");
    if (c == 'n')
        return scan_word(sc, "null");
    return expect(sc, "a value");
}

/* ------------------------------------------------------------ strings */

/* One byte of a string token, or one escape, and what it stands for. */
typedef struct {
    size_t raw_len;  /* bytes in the token */
    uint32_t cp;     /* the code point of an escape */
    int is_escape;
    int lone_surrogate;
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
    json_unit u = {1, 0, 0, 0};
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
    } else {
        u.lone_surrogate = u.cp >= 0xD800 && u.cp <= 0xDFFF;
    }
    return u;
}

/* How many bytes a unit makes in the unescaped text. */
static size_t unit_text_len(json_unit u)
{
    char scratch[4];
    return u.is_escape ? errata_cli_utf8_put(u.cp, scratch) : 1;
}

typedef struct {
    errata_cli_buffer text; /* the unescaped string */
    int ascii_only; /* written with \u escapes for non-ASCII, no raw bytes */
} json_string;

/* Unescape the contents of a string token (quotes excluded). */
static int unescape(const char *raw, size_t len, json_string *out, const char **problem)
{
    int raw_non_ascii = 0, escaped_non_ascii = 0;
    out->text.len = 0;
    for (size_t pos = 0; pos < len;) {
        json_unit u = next_unit(raw, len, pos);
        char utf8[4];
        size_t n = 1;
        if (u.lone_surrogate) {
            *problem = "a lone surrogate escape in the field";
            return -1;
        }
        if (u.is_escape) {
            n = errata_cli_utf8_put(u.cp, utf8);
            escaped_non_ascii |= u.cp >= 0x80;
        } else {
            utf8[0] = raw[pos];
            raw_non_ascii |= (unsigned char)raw[pos] >= 0x80;
        }
        if (errata_cli_buffer_append(&out->text, utf8, n)) {
            *problem = "out of memory";
            return -1;
        }
        pos += u.raw_len;
    }
    out->ascii_only = escaped_non_ascii && !raw_non_ascii;
    return errata_cli_buffer_append(&out->text, "", 0);
}

static int append_u_escape(errata_cli_buffer *b, uint32_t unit)
{
    return buffer_printf(b, "\\u%04x", unit);
}

/* Append text (valid UTF-8) as the inside of a JSON string. */
static int append_escaped(errata_cli_buffer *b, const char *text, size_t len, int ascii_only)
{
    static const char simple[] = "\"\"\\\\\b" "b\f" "f\n" "n\r" "r\t" "t";
    int rc = 0;
    for (size_t pos = 0; pos < len && !rc;) {
        unsigned char c = (unsigned char)text[pos];
        const char *named = c ? memchr(simple, c, sizeof simple - 1) : NULL;
        if (named && (named - simple) % 2 == 0) {
            char escape[2] = {'\\', named[1]};
            rc = errata_cli_buffer_append(b, escape, 2);
            pos++;
        } else if (c < 0x20) {
            rc = append_u_escape(b, c);
            pos++;
        } else if (c >= 0x80 && ascii_only) {
            uint32_t cp = errata_cli_utf8_next(text, len, &pos);
            if (cp >= 0x10000)
                rc = append_u_escape(b, 0xD800 + ((cp - 0x10000) >> 10)) ||
                     append_u_escape(b, 0xDC00 + ((cp - 0x10000) & 0x3FF));
            else
                rc = append_u_escape(b, cp);
        } else {
            rc = errata_cli_buffer_append(b, text + pos, 1);
            pos++;
        }
    }
    return rc;
}

static int key_is(const char *raw, size_t len, const char *name, json_string *scratch)
{
    if (!memchr(raw, '\\', len))
        return strlen(name) == len && memcmp(raw, name, len) == 0;
    const char *problem = NULL;
    return unescape(raw, len, scratch, &problem) == 0 && strcmp(scratch->text.data, name) == 0;
}

/* ------------------------------------------------------------ lines */

typedef struct {
    size_t start, end; /* a value's bytes in the line; end 0: none */
} span;

/* Where the members that matter are in a line's top-level object. */
typedef struct {
    span field, edits;
    size_t after_last_member; /* where a new member goes (0: empty object) */
    size_t open_brace;
} line_shape;

typedef struct {
    const errata_engine *engine;
    const errata_cli_common *common;
    const errata_batch_options *options;
    const char *field;
    errata_batch_console console;
    errata_batch_stats stats;
    errata_scratch *scratch; /* the model's caches, kept from line to line */
    json_string key_scratch, value;
    errata_cli_buffer field_out, edits_out, out;
} stream;

static void note_member(stream *st, const char *line, size_t key_start, size_t key_end,
                        span value, line_shape *shape)
{
    const char *key = line + key_start + 1;
    size_t key_len = key_end - key_start - 2;
    if (key_is(key, key_len, st->field, &st->key_scratch))
        shape->field = value;
    if (key_is(key, key_len, "edits", &st->key_scratch))
        shape->edits = value;
    shape->after_last_member = value.end;
}

static int scan_members(stream *st, scanner *sc, line_shape *shape)
{
    for (;;) {
        if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
            return expect(sc, "a member name");
        size_t key_start = sc->pos;
        if (scan_string(sc))
            return -1;
        size_t key_end = sc->pos;
        skip_space(sc);
        if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
            return expect(sc, "':'");
        sc->pos++;
        skip_space(sc);
        span value = {sc->pos, 0};
        if (scan_value(sc, 1))
            return -1;
        value.end = sc->pos;
        note_member(st, sc->s, key_start, key_end, value, shape);
        skip_space(sc);
        char c = sc->pos < sc->len ? sc->s[sc->pos] : '\0';
        if (c == '}')
            return 0;
        if (c != ',')
            return expect(sc, "',' or '}'");
        sc->pos++;
        skip_space(sc);
    }
}

/* Check a line against the JSON grammar (an object, alone on its line) and
   find its members. */
static int scan_line(stream *st, scanner *sc, line_shape *shape)
{
    memset(shape, 0, sizeof *shape);
    skip_space(sc);
    if (sc->pos >= sc->len || sc->s[sc->pos] != '{')
        return expect(sc, "'{' (one JSON object a line)");
    shape->open_brace = sc->pos++;
    skip_space(sc);
    if (!(sc->pos < sc->len && sc->s[sc->pos] == '}') && scan_members(st, sc, shape))
        return -1;
    sc->pos++; /* the closing brace */
    skip_space(sc);
    return sc->pos == sc->len ? 0 : expect(sc, "the end of the line after the object");
}

/* The field's string contents with each applied edit put in place of the
   span it covers, escaped like the rest of the string. */
static int rewrite_field(stream *st, const char *raw, size_t raw_len, const errata_result *result)
{
    errata_cli_buffer *b = &st->field_out;
    size_t raw_pos = 0, text_pos = 0, copied = 0;
    int rc = 0;
    b->len = 0;
    for (size_t i = 0; i < errata_result_count(result) && !rc; i++) {
        const errata_edit *edit = errata_result_edit(result, i);
        if (!errata_cli_edit_applies(st->common, edit))
            continue;
        for (json_unit u; text_pos < edit->byte_start; raw_pos += u.raw_len)
            text_pos += unit_text_len(u = next_unit(raw, raw_len, raw_pos));
        rc = errata_cli_buffer_append(b, raw + copied, raw_pos - copied) ||
             append_escaped(b, edit->new_text, strlen(edit->new_text), st->value.ascii_only);
        for (json_unit u; text_pos < edit->byte_end; raw_pos += u.raw_len)
            text_pos += unit_text_len(u = next_unit(raw, raw_len, raw_pos));
        copied = raw_pos;
    }
    return rc || errata_cli_buffer_append(b, raw + copied, raw_len - copied);
}

static int append_json_string(errata_cli_buffer *b, const char *text, int ascii_only)
{
    return buffer_puts(b, "\"") || append_escaped(b, text, strlen(text), ascii_only) ||
           buffer_puts(b, "\"");
}

/* [{"start":..,"end":..,"old":..,"new":..,"rule":..,"kind":..,"confidence":..}, ...] */
static int make_edits_array(stream *st, const errata_result *result, const char *member)
{
    errata_cli_buffer *b = &st->edits_out;
    int ascii = st->value.ascii_only, rc = 0, first = 1;
    b->len = 0;
    rc = buffer_puts(b, member) || buffer_puts(b, "[");
    for (size_t i = 0; i < errata_result_count(result) && !rc; i++) {
        const errata_edit *e = errata_result_edit(result, i);
        if (!errata_cli_edit_applies(st->common, e))
            continue;
        rc = buffer_printf(b, "%s{\"start\":%zu,\"end\":%zu,\"old\":", first ? "" : ",",
                           e->cp_start, e->cp_end) ||
             append_json_string(b, e->old_text, ascii) || buffer_puts(b, ",\"new\":") ||
             append_json_string(b, e->new_text, ascii) || buffer_puts(b, ",\"rule\":") ||
             append_json_string(b, e->rule, ascii) ||
             buffer_printf(b, ",\"kind\":\"%s\",\"confidence\":%.3f}", errata_kind_name(e->kind),
                           e->confidence);
        first = 0;
    }
    return rc || buffer_puts(b, "]");
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
    if (shape->edits.end) {
        *member = "";
        return (splice){shape->edits.start, shape->edits.end, &st->edits_out};
    }
    size_t at = shape->after_last_member ? shape->after_last_member : shape->open_brace + 1;
    *member = shape->after_last_member ? ",\"edits\":" : "\"edits\":";
    return (splice){at, at, &st->edits_out};
}

/* Repair the field of a well-formed line into st->out.  Returns -1 with
   *problem set when the field cannot be checked. */
static int repair_line(stream *st, const char *line, size_t len, const line_shape *shape,
                       const char **problem)
{
    const char *raw = line + shape->field.start + 1;
    size_t raw_len = shape->field.end - shape->field.start - 2;
    if (unescape(raw, raw_len, &st->value, problem))
        return -1;
    errata_check_options opts = errata_cli_check_options(st->common);
    opts.no_reasons = 1; /* attached edits carry no reason */
    opts.no_positions = !st->options->attach_edits;
    errata_result *result = NULL;
    if (errata_check_scratch(st->engine, st->scratch, st->value.text.data, st->value.text.len,
                             &opts, &result)) {
        *problem = errata_error_message();
        return -1;
    }
    splice splices[2] = {{shape->field.start + 1, shape->field.end - 1, &st->field_out}};
    size_t n = 1;
    const char *member = NULL;
    if (st->options->attach_edits)
        splices[n++] = edits_splice(st, shape, &member);
    int rc = rewrite_field(st, raw, raw_len, result) ||
             (member && make_edits_array(st, result, member)) ||
             assemble(&st->out, line, len, splices, n) ||
             errata_batch_stats_add_edits(&st->stats, st->common, result);
    st->stats.changed += !rc && (st->field_out.len != raw_len ||
                                 memcmp(st->field_out.data, raw, raw_len) != 0);
    errata_result_free(result);
    if (rc)
        *problem = "out of memory";
    return rc;
}

static int is_blank(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r", line[i]) || !line[i])
            return 0;
    return 1;
}

static int write_out(const char *data, size_t len)
{
    return errata_cli_write(stdout, "standard output", data, len);
}

/* One line (without its line feed); -1 ends the run (--strict, or a write
   error). */
static int process_line(stream *st, const char *name, size_t number, const char *line, size_t len)
{
    if (is_blank(line, len))
        return write_out(line, len);
    st->stats.read++;
    scanner sc = {line, len, 0, NULL};
    line_shape shape;
    const char *problem = NULL;
    if (scan_line(st, &sc, &shape)) {
        errata_batch_note(&st->console, name, "line %zu: malformed JSON: expected %s at byte %zu%s",
                          number, sc.expected, sc.pos, st->options->strict ? "" : "; passed through");
        st->stats.skipped++;
        return st->options->strict ? -1 : write_out(line, len);
    }
    if (!shape.field.end || line[shape.field.start] != '"')
        return write_out(line, len);
    if (repair_line(st, line, len, &shape, &problem) == 0)
        return write_out(st->out.data, st->out.len);
    errata_batch_note(&st->console, name, "line %zu: field \"%s\": %s%s", number, st->field,
                      problem, st->options->strict ? "" : "; passed through");
    st->stats.skipped++;
    return st->options->strict ? -1 : write_out(line, len);
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
            rc = write_out("\n", 1);
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
                        const errata_batch_options *options)
{
    stream st = {.engine = engine, .common = common, .options = options,
                 .field = options->field ? options->field : "text"};
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
    free(st.key_scratch.text.data);
    free(st.value.text.data);
    free(st.field_out.data);
    free(st.edits_out.data);
    free(st.out.data);
    errata_batch_console_destroy(&st.console);
    return rc;
}
