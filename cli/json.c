/* JSON for the CLI: see json.h for the behaviour chosen where JSON leaves
   room (invalid UTF-8, control characters, lone surrogates). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* ================================================================ writing */

errata_json_writer errata_json_to_buffer(errata_cli_buffer *buffer, int ascii_only)
{
    return (errata_json_writer){.buffer = buffer, .ascii_only = ascii_only};
}

errata_json_writer errata_json_to_file(FILE *file)
{
    return (errata_json_writer){.file = file};
}

static void emit(errata_json_writer *w, const char *s, size_t n)
{
    if (w->failed || n == 0)
        return;
    if (w->buffer)
        w->failed = errata_cli_buffer_append(w->buffer, s, n) != 0;
    else
        w->failed = fwrite(s, 1, n, w->file) != n;
}

static void emit_u_escape(errata_json_writer *w, uint32_t unit)
{
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', hex[unit >> 12 & 15], hex[unit >> 8 & 15], hex[unit >> 4 & 15],
                 hex[unit & 15]};
    emit(w, e, sizeof e);
}

/* The short escape of c ('n' for a line feed), or 0. */
static char short_escape(unsigned char c)
{
    switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
    }
}

static int is_plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

/* The inside of a string, as json.h describes. */
static void put_escaped(errata_json_writer *w, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len && !w->failed;) {
        size_t run = i;
        while (run < len && is_plain(s[run]))
            run++;
        emit(w, text + i, run - i);
        if ((i = run) >= len)
            break;
        uint32_t cp = 0;
        size_t n = s[i] < 0x80 ? 1 : errata_cli_utf8_valid_length(s + i, len - i, &cp);
        char named = short_escape(s[i]);
        if (named) {
            char e[2] = {'\\', named};
            emit(w, e, 2);
        } else if (s[i] < 0x80) {
            emit_u_escape(w, s[i]); /* other controls and DEL */
        } else if (n == 0) {
            emit_u_escape(w, 0xfffd);
        } else if (w->ascii_only && cp >= 0x10000) {
            emit_u_escape(w, 0xd800 + ((cp - 0x10000) >> 10));
            emit_u_escape(w, 0xdc00 + ((cp - 0x10000) & 0x3ff));
        } else if (w->ascii_only) {
            emit_u_escape(w, cp);
        } else {
            emit(w, text + i, n);
        }
        i += n ? n : 1;
    }
}

int errata_json_append_escaped(errata_cli_buffer *b, const char *s, size_t len, int ascii_only)
{
    errata_json_writer w = errata_json_to_buffer(b, ascii_only);
    put_escaped(&w, s, len);
    return w.failed ? -1 : 0;
}

/* The comma before an item of an array or a member of an object. */
static void begin_item(errata_json_writer *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    uint64_t bit = UINT64_C(1) << w->depth;
    if (w->has_items & bit)
        emit(w, ",", 1);
    w->has_items |= bit;
}

static int open_container(errata_json_writer *w, const char *bracket)
{
    begin_item(w);
    if (w->depth + 1 >= 64)
        w->failed = 1;
    emit(w, bracket, 1);
    if (!w->failed)
        w->has_items &= ~(UINT64_C(1) << ++w->depth);
    return w->failed;
}

static int close_container(errata_json_writer *w, const char *bracket)
{
    if (w->depth == 0)
        w->failed = 1;
    emit(w, bracket, 1);
    if (!w->failed)
        w->depth--;
    return w->failed;
}

int errata_json_begin_object(errata_json_writer *w) { return open_container(w, "{"); }
int errata_json_end_object(errata_json_writer *w) { return close_container(w, "}"); }
int errata_json_begin_array(errata_json_writer *w) { return open_container(w, "["); }
int errata_json_end_array(errata_json_writer *w) { return close_container(w, "]"); }

int errata_json_string_n(errata_json_writer *w, const char *s, size_t len)
{
    begin_item(w);
    emit(w, "\"", 1);
    put_escaped(w, s, len);
    emit(w, "\"", 1);
    return w->failed;
}

int errata_json_string(errata_json_writer *w, const char *s)
{
    return errata_json_string_n(w, s, strlen(s));
}

int errata_json_key_n(errata_json_writer *w, const char *name, size_t len)
{
    errata_json_string_n(w, name, len);
    emit(w, ":", 1);
    w->after_key = 1;
    return w->failed;
}

int errata_json_key(errata_json_writer *w, const char *name)
{
    return errata_json_key_n(w, name, strlen(name));
}

int errata_json_raw(errata_json_writer *w, const char *json)
{
    begin_item(w);
    emit(w, json, strlen(json));
    return w->failed;
}

int errata_json_uint(errata_json_writer *w, uintmax_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%ju", n);
    return errata_json_raw(w, digits);
}

int errata_json_bool(errata_json_writer *w, int b) { return errata_json_raw(w, b ? "true" : "false"); }
int errata_json_null(errata_json_writer *w) { return errata_json_raw(w, "null"); }

/* ================================================================ reading */

typedef struct {
    const char *s;
    size_t len, pos;
    errata_json_error *err;
} parser;

static int fail(parser *p, const char *what)
{
    p->err->offset = p->pos;
    p->err->what = what;
    return ERRATA_JSON_MALFORMED;
}

static int out_of_memory(parser *p)
{
    p->err->offset = p->pos;
    p->err->what = "out of memory";
    return ERRATA_JSON_NOMEM;
}

static int at(const parser *p) { return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1; }

static void skip_space(parser *p)
{
    for (int c = at(p); c == ' ' || c == '\t' || c == '\r' || c == '\n'; c = at(p))
        p->pos++;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[pos]; -1 if they are not. */
static int32_t hex4_at(const parser *p, size_t pos)
{
    int32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        int h = pos + i < p->len ? hex_value((unsigned char)p->s[pos + i]) : -1;
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

static int append(parser *p, errata_cli_buffer *b, const char *s, size_t n)
{
    return errata_cli_buffer_append(b, s, n) ? out_of_memory(p) : ERRATA_JSON_OK;
}

/* \uXXXX (p->pos just after the 'u'), a surrogate pair made one code point,
   a lone surrogate U+FFFD. */
static int read_u_escape(parser *p, errata_cli_buffer *b, int *lone_surrogate)
{
    int32_t unit = hex4_at(p, p->pos);
    if (unit < 0)
        return fail(p, "expected four hexadecimal digits after \\u");
    p->pos += 4;
    uint32_t cp = (uint32_t)unit;
    if (cp >= 0xd800 && cp <= 0xdfff) {
        int32_t low = p->pos + 1 < p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u'
                          ? hex4_at(p, p->pos + 2)
                          : -1;
        if (cp <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + ((uint32_t)low - 0xdc00);
            p->pos += 6;
        } else {
            cp = 0xfffd;
            *lone_surrogate = 1;
        }
    }
    char utf8[4];
    return append(p, b, utf8, errata_cli_utf8_put(cp, utf8));
}

static int read_escape(parser *p, errata_cli_buffer *b, int *lone_surrogate)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int c = at(p);
    const char *hit = c > 0 ? strchr(from, c) : NULL;
    if (c == 'u') {
        p->pos++;
        return read_u_escape(p, b, lone_surrogate);
    }
    if (!hit)
        return fail(p, "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
    p->pos++;
    return append(p, b, to + (hit - from), 1);
}

/* Where the bytes a string holds as they are, from p->pos, end: at a quote,
   a backslash, a control character, a byte that is not valid UTF-8 or the
   end of the text. */
static size_t plain_run(const parser *p)
{
    const unsigned char *s = (const unsigned char *)p->s;
    size_t pos = p->pos, n;
    for (; pos < p->len; pos += n) {
        if (s[pos] < 0x80)
            n = s[pos] >= 0x20 && s[pos] != '"' && s[pos] != '\\';
        else
            n = errata_cli_utf8_valid_length(s + pos, p->len - pos, NULL);
        if (n == 0)
            break;
    }
    return pos;
}

/* A string at p->pos (its opening quote) into b, NUL-terminated.  RFC 8259
   wants JSON text in UTF-8: a byte that is not part of valid UTF-8 is an
   error at its offset, as a raw control character is. */
static int read_string(parser *p, errata_cli_buffer *b, int *lone_surrogate)
{
    int rc = append(p, b, "", 0);
    p->pos++;
    while (rc == ERRATA_JSON_OK) {
        size_t run = plain_run(p);
        if ((rc = append(p, b, p->s + p->pos, run - p->pos)))
            break;
        p->pos = run;
        int c = at(p);
        if (c < 0)
            return fail(p, "expected the closing '\"' of a string");
        if (c < 0x20)
            return fail(p, "expected no control character inside a string");
        if (c >= 0x80)
            return fail(p, "invalid UTF-8");
        p->pos++;
        if (c == '"')
            return ERRATA_JSON_OK;
        rc = read_escape(p, b, lone_surrogate);
    }
    return rc;
}

static int read_digits(parser *p)
{
    size_t start = p->pos;
    while (at(p) >= '0' && at(p) <= '9')
        p->pos++;
    return p->pos > start ? ERRATA_JSON_OK : fail(p, "expected a digit");
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int scan_number(parser *p)
{
    if (at(p) == '-')
        p->pos++;
    if (at(p) == '0')
        p->pos++;
    else if (read_digits(p))
        return ERRATA_JSON_MALFORMED;
    if (at(p) == '.') {
        p->pos++;
        if (read_digits(p))
            return ERRATA_JSON_MALFORMED;
    }
    if (at(p) == 'e' || at(p) == 'E') {
        p->pos++;
        if (at(p) == '+' || at(p) == '-')
            p->pos++;
        return read_digits(p);
    }
    return ERRATA_JSON_OK;
}

static int read_number(parser *p, errata_json_value *v)
{
    size_t start = p->pos;
    if (scan_number(p))
        return ERRATA_JSON_MALFORMED;
    size_t n = p->pos - start;
    char small[64];
    char *digits = n < sizeof small ? small : malloc(n + 1);
    if (!digits)
        return out_of_memory(p);
    memcpy(digits, p->s + start, n);
    digits[n] = '\0';
    v->number = strtod(digits, NULL);
    if (digits != small)
        free(digits);
    v->type = ERRATA_JSON_NUMBER;
    return ERRATA_JSON_OK;
}

static int read_word(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, "expected a value");
    p->pos += n;
    return ERRATA_JSON_OK;
}

static int read_value(parser *p, errata_json_value *v, int depth);

/* A new item at the end of v's items, zeroed (so that v can be freed
   whatever happens to it next). */
static errata_json_value *add_item(parser *p, errata_json_value *v, size_t *cap)
{
    if (errata_cli_grow((void **)&v->items, cap, v->count, sizeof *v->items)) {
        out_of_memory(p);
        return NULL;
    }
    errata_json_value *item = &v->items[v->count++];
    memset(item, 0, sizeof *item);
    return item;
}

static int read_member_name(parser *p, errata_json_value *member)
{
    skip_space(p);
    if (at(p) != '"')
        return fail(p, "expected a member name");
    errata_cli_buffer name = {0};
    int lone = 0;
    int rc = read_string(p, &name, &lone);
    member->key = name.data;
    member->key_len = name.len;
    if (rc)
        return rc;
    skip_space(p);
    if (at(p) != ':')
        return fail(p, "expected ':'");
    p->pos++;
    return ERRATA_JSON_OK;
}

/* An array or object, its opening bracket at p->pos. */
static int read_container(parser *p, errata_json_value *v, int depth)
{
    int is_object = at(p) == '{';
    char close = is_object ? '}' : ']';
    v->type = is_object ? ERRATA_JSON_OBJECT : ERRATA_JSON_ARRAY;
    if (depth >= ERRATA_JSON_MAX_DEPTH)
        return fail(p, "expected less nesting");
    p->pos++;
    skip_space(p);
    if (at(p) == close) {
        p->pos++;
        return ERRATA_JSON_OK;
    }
    for (size_t cap = 0;;) {
        errata_json_value *item = add_item(p, v, &cap);
        if (!item)
            return ERRATA_JSON_NOMEM;
        int rc = is_object ? read_member_name(p, item) : ERRATA_JSON_OK;
        if (rc || (rc = read_value(p, item, depth + 1)))
            return rc;
        skip_space(p);
        int c = at(p);
        if (c == close) {
            p->pos++;
            return ERRATA_JSON_OK;
        }
        if (c != ',')
            return fail(p, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
        p->pos++;
    }
}

/* A value after optional white space; keeps a member's key. */
static int read_value(parser *p, errata_json_value *v, int depth)
{
    skip_space(p);
    v->start = p->pos;
    int rc, c = at(p);
    if (c == '"') {
        errata_cli_buffer b = {0};
        v->type = ERRATA_JSON_STRING;
        rc = read_string(p, &b, &v->lone_surrogate);
        v->string = b.data;
        v->string_len = b.len;
    } else if (c == '{' || c == '[') {
        rc = read_container(p, v, depth);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        rc = read_number(p, v);
    } else if (c == 't' || c == 'f') {
        v->type = ERRATA_JSON_BOOL;
        v->boolean = c == 't';
        rc = read_word(p, c == 't' ? "true" : "false");
    } else if (c == 'n') {
        rc = read_word(p, "null");
    } else {
        rc = fail(p, "expected a value");
    }
    v->end = p->pos;
    return rc;
}

int errata_json_parse_prefix(const char *text, size_t len, size_t *pos, errata_json_value *out,
                             errata_json_error *err)
{
    parser p = {text, len, *pos, err};
    memset(out, 0, sizeof *out);
    int rc = read_value(&p, out, 0);
    if (rc)
        errata_json_free(out);
    *pos = p.pos;
    return rc;
}

int errata_json_parse(const char *text, size_t len, errata_json_value *out,
                      errata_json_error *err)
{
    size_t pos = 0;
    int rc = errata_json_parse_prefix(text, len, &pos, out, err);
    if (rc)
        return rc;
    parser p = {text, len, pos, err};
    skip_space(&p);
    if (p.pos == len)
        return ERRATA_JSON_OK;
    errata_json_free(out);
    return fail(&p, "expected the end of the text after the value");
}

void errata_json_free(errata_json_value *value)
{
    for (size_t i = 0; i < value->count; i++) {
        errata_json_free(&value->items[i]);
        free(value->items[i].key);
    }
    free(value->items);
    free(value->string);
    char *key = value->key;
    size_t key_len = value->key_len;
    memset(value, 0, sizeof *value);
    value->key = key; /* a member's name belongs to its object */
    value->key_len = key_len;
}

const errata_json_value *errata_json_get(const errata_json_value *object, const char *key)
{
    if (object->type != ERRATA_JSON_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = object->count; i-- > 0;) {
        const errata_json_value *m = &object->items[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0)
            return m;
    }
    return NULL;
}

const char *errata_json_get_string(const errata_json_value *object, const char *key)
{
    const errata_json_value *m = errata_json_get(object, key);
    if (!m || m->type != ERRATA_JSON_STRING || m->lone_surrogate ||
        strlen(m->string) != m->string_len)
        return NULL;
    return m->string;
}

int errata_json_get_size(const errata_json_value *object, const char *key, size_t *out)
{
    const errata_json_value *m = errata_json_get(object, key);
    if (!m || m->type != ERRATA_JSON_NUMBER || !(m->number >= 0) ||
        m->number > 9007199254740992.0 || m->number != (double)(uint64_t)m->number)
        return -1;
    *out = (size_t)m->number;
    return 0;
}
