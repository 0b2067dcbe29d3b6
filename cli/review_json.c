/* The little JSON that JSON Lines of edits and review sidecars need: one
   object a line whose members are strings, numbers, booleans or null
   (nested values are skipped). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"

typedef struct {
    const char *s;
    size_t len, pos;
    char *err;
    size_t err_size;
} json_reader;

static int fail(json_reader *r, const char *what)
{
    snprintf(r->err, r->err_size, "%s at character %zu", what, r->pos + 1);
    return -1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void skip_space(json_reader *r)
{
    while (r->pos < r->len && is_space(r->s[r->pos]))
        r->pos++;
}

static int peek(json_reader *r) { return r->pos < r->len ? (unsigned char)r->s[r->pos] : -1; }

static int expect(json_reader *r, char c)
{
    skip_space(r);
    if (peek(r) != c) {
        char what[32];
        snprintf(what, sizeof what, "expected '%c'", c);
        return fail(r, what);
    }
    r->pos++;
    return 0;
}

static int put_code_point(errata_cli_buffer *b, uint32_t cp)
{
    char out[4];
    return errata_cli_buffer_append(b, out, errata_cli_utf8_put(cp, out));
}

static int read_hex4(json_reader *r, uint32_t *out)
{
    if (r->pos + 4 > r->len)
        return fail(r, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = r->s[r->pos++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return fail(r, "bad \\u escape");
    }
    *out = v;
    return 0;
}

/* \uXXXX, with a surrogate pair made into one code point. */
static int read_unicode_escape(json_reader *r, errata_cli_buffer *b)
{
    uint32_t cp;
    if (read_hex4(r, &cp))
        return -1;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(r, "lone low surrogate");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        uint32_t low;
        if (r->pos + 2 > r->len || r->s[r->pos] != '\\' || r->s[r->pos + 1] != 'u')
            return fail(r, "lone high surrogate");
        r->pos += 2;
        if (read_hex4(r, &low))
            return -1;
        if (low < 0xDC00 || low > 0xDFFF)
            return fail(r, "bad surrogate pair");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    return put_code_point(b, cp) ? fail(r, "out of memory") : 0;
}

static int read_escape(json_reader *r, errata_cli_buffer *b)
{
    if (r->pos >= r->len)
        return fail(r, "unterminated string");
    char c = r->s[r->pos++];
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit)
        return errata_cli_buffer_append(b, to + (hit - from), 1) ? fail(r, "out of memory") : 0;
    if (c == 'u')
        return read_unicode_escape(r, b);
    return fail(r, "bad escape");
}

static int read_string(json_reader *r, errata_cli_buffer *b)
{
    if (expect(r, '"'))
        return -1;
    b->len = 0;
    if (errata_cli_buffer_append(b, "", 0))
        return fail(r, "out of memory");
    for (;;) {
        if (r->pos >= r->len)
            return fail(r, "unterminated string");
        unsigned char c = (unsigned char)r->s[r->pos++];
        if (c == '"')
            return 0;
        if (c < 0x20)
            return fail(r, "control character in a string");
        if (c == '\\') {
            if (read_escape(r, b))
                return -1;
        } else if (errata_cli_buffer_append(b, (const char *)&c, 1)) {
            return fail(r, "out of memory");
        }
    }
}

static int read_literal(json_reader *r, const char *word)
{
    size_t n = strlen(word);
    if (r->pos + n > r->len || memcmp(r->s + r->pos, word, n) != 0)
        return fail(r, "unexpected character");
    r->pos += n;
    return 0;
}

static int read_number(json_reader *r, double *out)
{
    size_t start = r->pos;
    while (r->pos < r->len && r->s[r->pos] && strchr("+-0123456789.eE", r->s[r->pos]))
        r->pos++;
    char digits[64];
    size_t n = r->pos - start;
    if (n == 0 || n >= sizeof digits)
        return fail(r, "bad number");
    memcpy(digits, r->s + start, n);
    digits[n] = '\0';
    char *end;
    *out = strtod(digits, &end);
    if (*end != '\0' || !isfinite(*out))
        return fail(r, "bad number");
    return 0;
}

static int skip_value(json_reader *r, int depth);

static int skip_container(json_reader *r, int depth, char close)
{
    errata_cli_buffer scratch = {0};
    int rc = 0;
    r->pos++;
    skip_space(r);
    if (peek(r) == close) {
        r->pos++;
        return 0;
    }
    for (;;) {
        if (close == '}' && (read_string(r, &scratch) || expect(r, ':'))) {
            rc = -1;
            break;
        }
        if (skip_value(r, depth + 1)) {
            rc = -1;
            break;
        }
        skip_space(r);
        if (peek(r) == close) {
            r->pos++;
            break;
        }
        if (expect(r, ',')) {
            rc = -1;
            break;
        }
    }
    free(scratch.data);
    return rc;
}

static int skip_value(json_reader *r, int depth)
{
    if (depth > 64)
        return fail(r, "nested too deeply");
    skip_space(r);
    int c = peek(r);
    if (c == '{' || c == '[')
        return skip_container(r, depth, c == '{' ? '}' : ']');
    if (c == '"') {
        errata_cli_buffer scratch = {0};
        int rc = read_string(r, &scratch);
        free(scratch.data);
        return rc;
    }
    double ignored;
    if (c == 't')
        return read_literal(r, "true");
    if (c == 'f')
        return read_literal(r, "false");
    if (c == 'n')
        return read_literal(r, "null");
    return read_number(r, &ignored);
}

static int read_value(json_reader *r, errata_review_json_member *m)
{
    skip_space(r);
    int c = peek(r);
    if (c == '"') {
        errata_cli_buffer b = {0};
        if (read_string(r, &b)) {
            free(b.data);
            return -1;
        }
        m->type = ERRATA_REVIEW_JSON_STRING;
        m->string = b.data;
        m->string_len = b.len;
        return 0;
    }
    if (c == '{' || c == '[') {
        m->type = ERRATA_REVIEW_JSON_NESTED;
        return skip_value(r, 0);
    }
    if (c == 't' || c == 'f') {
        m->type = ERRATA_REVIEW_JSON_BOOL;
        m->boolean = c == 't';
        return read_literal(r, c == 't' ? "true" : "false");
    }
    if (c == 'n') {
        m->type = ERRATA_REVIEW_JSON_NULL;
        return read_literal(r, "null");
    }
    m->type = ERRATA_REVIEW_JSON_NUMBER;
    return read_number(r, &m->number);
}

static int add_member(json_reader *r, errata_review_json_object *o, char *key)
{
    if (errata_cli_grow((void **)&o->members, &o->cap, o->count, sizeof *o->members)) {
        free(key);
        return fail(r, "out of memory");
    }
    errata_review_json_member *m = &o->members[o->count++];
    memset(m, 0, sizeof *m);
    m->key = key;
    m->type = ERRATA_REVIEW_JSON_NULL;
    return read_value(r, m);
}

static int read_members(json_reader *r, errata_review_json_object *o)
{
    skip_space(r);
    if (peek(r) == '}') {
        r->pos++;
        return 0;
    }
    for (;;) {
        errata_cli_buffer key = {0};
        if (read_string(r, &key) || expect(r, ':')) {
            free(key.data);
            return -1;
        }
        if (add_member(r, o, key.data))
            return -1;
        skip_space(r);
        if (peek(r) == '}') {
            r->pos++;
            return 0;
        }
        if (expect(r, ','))
            return -1;
    }
}

int errata_review_json_parse(const char *text, size_t len, errata_review_json_object *out,
                             char *err, size_t err_size)
{
    json_reader r = {text, len, 0, err, err_size};
    memset(out, 0, sizeof *out);
    int rc = expect(&r, '{') ? -1 : read_members(&r, out);
    if (!rc) {
        skip_space(&r);
        if (r.pos < r.len)
            rc = fail(&r, "text after the object");
    }
    if (rc)
        errata_review_json_free(out);
    return rc;
}

void errata_review_json_free(errata_review_json_object *object)
{
    for (size_t i = 0; i < object->count; i++) {
        free(object->members[i].key);
        free(object->members[i].string);
    }
    free(object->members);
    memset(object, 0, sizeof *object);
}

const errata_review_json_member *errata_review_json_get(const errata_review_json_object *object,
                                                       const char *key)
{
    for (size_t i = object->count; i-- > 0;) /* the last of duplicate keys wins */
        if (strcmp(object->members[i].key, key) == 0)
            return &object->members[i];
    return NULL;
}

int errata_review_json_string(const errata_review_json_object *object, const char *key,
                              const char **out)
{
    const errata_review_json_member *m = errata_review_json_get(object, key);
    if (!m || m->type != ERRATA_REVIEW_JSON_STRING || strlen(m->string) != m->string_len)
        return -1;
    *out = m->string;
    return 0;
}

int errata_review_json_size(const errata_review_json_object *object, const char *key,
                            size_t *out)
{
    const errata_review_json_member *m = errata_review_json_get(object, key);
    if (!m || m->type != ERRATA_REVIEW_JSON_NUMBER || m->number < 0 || m->number > 9007199254740992.0 ||
        m->number != floor(m->number))
        return -1;
    *out = (size_t)m->number;
    return 0;
}

void errata_review_json_write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}
