/* The CLI's JSON reader and writer (cli/json.h) on arbitrary bytes.
   Invariants: a refusal names an offset inside the text; a value read
   spans bytes that start as its type does, and those bytes alone read as
   the same value; writing the value read (plainly, or ascii_only by the
   first byte) and reading it back gives the same value; a text that is not
   valid UTF-8 is refused (RFC 8259). */
#include <math.h>

#include "fuzz.h"
#include "json.h"

static void write_value(errata_json_writer *w, const errata_json_value *v, const char *text)
{
    char number[64];
    switch (v->type) {
    case ERRATA_JSON_NULL: errata_json_null(w); break;
    case ERRATA_JSON_BOOL: errata_json_bool(w, v->boolean); break;
    case ERRATA_JSON_NUMBER:
        if (isfinite(v->number)) {
            snprintf(number, sizeof number, "%.17g", v->number);
            errata_json_raw(w, number);
        } else { /* 1e999: as it was written, which may be long */
            char *copy = strndup(text + v->start, v->end - v->start);
            errata_json_raw(w, copy);
            free(copy);
        }
        break;
    case ERRATA_JSON_STRING: errata_json_string_n(w, v->string, v->string_len); break;
    case ERRATA_JSON_ARRAY:
    case ERRATA_JSON_OBJECT:
        if (v->type == ERRATA_JSON_ARRAY)
            errata_json_begin_array(w);
        else
            errata_json_begin_object(w);
        for (size_t i = 0; i < v->count; i++) {
            if (v->type == ERRATA_JSON_OBJECT)
                errata_json_key_n(w, v->items[i].key, v->items[i].key_len);
            write_value(w, &v->items[i], text);
        }
        if (v->type == ERRATA_JSON_ARRAY)
            errata_json_end_array(w);
        else
            errata_json_end_object(w);
        break;
    }
}

/* Arrays and objects inside one another (the writer takes at most 63). */
static unsigned depth_of(const errata_json_value *v)
{
    unsigned deepest = 0;
    for (size_t i = 0; i < v->count; i++) {
        unsigned d = depth_of(&v->items[i]);
        deepest = d > deepest ? d : deepest;
    }
    return deepest + (v->type == ERRATA_JSON_ARRAY || v->type == ERRATA_JSON_OBJECT);
}

static int same_string(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

static int same_value(const errata_json_value *a, const errata_json_value *b)
{
    if (a->type != b->type || a->count != b->count)
        return 0;
    switch (a->type) {
    case ERRATA_JSON_BOOL: return a->boolean == b->boolean;
    case ERRATA_JSON_NUMBER: return a->number == b->number;
    case ERRATA_JSON_STRING:
        return same_string(a->string, a->string_len, b->string, b->string_len);
    default: break;
    }
    for (size_t i = 0; i < a->count; i++) {
        if (a->type == ERRATA_JSON_OBJECT &&
            !same_string(a->items[i].key, a->items[i].key_len, b->items[i].key,
                         b->items[i].key_len))
            return 0;
        if (!same_value(&a->items[i], &b->items[i]))
            return 0;
    }
    return 1;
}

static int starts_as(const errata_json_value *v, char c)
{
    switch (v->type) {
    case ERRATA_JSON_NULL: return c == 'n';
    case ERRATA_JSON_BOOL: return c == (v->boolean ? 't' : 'f');
    case ERRATA_JSON_NUMBER: return c == '-' || (c >= '0' && c <= '9');
    case ERRATA_JSON_STRING: return c == '"';
    case ERRATA_JSON_ARRAY: return c == '[';
    case ERRATA_JSON_OBJECT: return c == '{';
    }
    return 0;
}

static void check_span(const char *text, size_t len, const errata_json_value *v)
{
    FUZZ_CHECK(v->start < v->end && v->end <= len && starts_as(v, text[v->start]),
               "span %zu..%zu of %zu", v->start, v->end, len);
    errata_json_value alone;
    errata_json_error err;
    FUZZ_CHECK(errata_json_parse(text + v->start, v->end - v->start, &alone, &err) == 0,
               "the span alone: %s at %zu", err.what, err.offset);
    FUZZ_CHECK(same_value(v, &alone), "the span alone reads differently");
    errata_json_free(&alone);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int ascii_only = data[0] & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    errata_json_value v;
    errata_json_error err = {0, NULL};
    int rc = errata_json_parse(text, len, &v, &err);
    if (rc != ERRATA_JSON_OK) {
        FUZZ_CHECK(rc == ERRATA_JSON_MALFORMED && err.what && err.offset <= len, "rc %d at %zu",
                   rc, err.offset);
        return 0;
    }
    FUZZ_CHECK(fuzz_is_utf8(text, len), "read a text that is not UTF-8");
    check_span(text, len, &v);
    for (size_t i = 0; i < v.count; i++)
        check_span(text, len, &v.items[i]);
    if (depth_of(&v) >= 64) {
        errata_json_free(&v);
        return 0;
    }
    errata_cli_buffer out = {0};
    errata_json_writer w = errata_json_to_buffer(&out, ascii_only);
    write_value(&w, &v, text);
    FUZZ_CHECK(!w.failed && w.depth == 0, "writing failed");
    errata_json_value again;
    FUZZ_CHECK(errata_json_parse(out.data, out.len, &again, &err) == 0, "%s at %zu in %s",
               err.what, err.offset, out.data);
    FUZZ_CHECK(same_value(&v, &again), "write then read changed the value: %s", out.data);
    if (ascii_only)
        for (size_t i = 0; i < out.len; i++)
            FUZZ_CHECK((unsigned char)out.data[i] < 0x80, "non-ASCII byte written ascii_only");
    errata_json_free(&again);
    errata_json_free(&v);
    free(out.data);
    return 0;
}
