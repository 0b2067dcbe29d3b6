/* Edits as JSON Lines (what `errata check --format=jsonl` writes), read back
   for `errata apply` and `errata review --edits`. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"

static int report(const errata_review_jsonl *list, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int report(const errata_review_jsonl *list, size_t line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "errata: %s:%zu: ", errata_cli_display_name(list->path), line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static int parse_kind(const char *name, errata_kind *out)
{
    for (int k = ERRATA_KIND_SWAP; k <= ERRATA_KIND_FLAG; k++)
        if (strcmp(name, errata_kind_name((errata_kind)k)) == 0) {
            *out = (errata_kind)k;
            return 0;
        }
    return -1;
}

static int parse_action(const char *name, errata_action *out)
{
    for (int a = ERRATA_ACTION_APPLY; a <= ERRATA_ACTION_FLAG; a++)
        if (strcmp(name, errata_action_name((errata_action)a)) == 0) {
            *out = (errata_action)a;
            return 0;
        }
    return -1;
}

static const char *optional_string(const errata_json_value *o, const char *key,
                                   const char *fallback)
{
    const char *value = errata_json_get_string(o, key);
    return value ? value : fallback;
}

/* The optional members; a member of the wrong type is an error. */
static int read_optional(const errata_review_jsonl *list, size_t line,
                         const errata_json_value *o, errata_review_jsonl_edit *e)
{
    const char *kind = optional_string(o, "kind", "swap");
    const char *action = optional_string(o, "action", "propose");
    if (parse_kind(kind, &e->edit.kind))
        return report(list, line, "unknown kind \"%s\"", kind);
    if (parse_action(action, &e->edit.action))
        return report(list, line, "unknown action \"%s\"", action);
    const errata_json_value *m = errata_json_get(o, "confidence");
    if (m && m->type == ERRATA_JSON_NUMBER)
        e->edit.confidence = m->number;
    m = errata_json_get(o, "accept");
    e->accept = -1;
    if (m && m->type == ERRATA_JSON_BOOL)
        e->accept = m->boolean;
    else if (m && m->type != ERRATA_JSON_NULL)
        return report(list, line, "\"accept\" must be true or false");
    return 0;
}

static int read_edit(const errata_review_jsonl *list, size_t line,
                     const errata_json_value *o, errata_review_jsonl_edit *e)
{
    memset(e, 0, sizeof *e);
    e->jsonl_line = line;
    const char *file = errata_json_get_string(o, "file");
    if (!file)
        return report(list, line, "no \"file\" (a string)");
    if (errata_json_get_size(o, "byte_start", &e->edit.byte_start) ||
        errata_json_get_size(o, "byte_end", &e->edit.byte_end) ||
        e->edit.byte_end < e->edit.byte_start)
        return report(list, line, "no valid \"byte_start\" and \"byte_end\"");
    const char *old_text = errata_json_get_string(o, "old");
    if (!old_text)
        return report(list, line, "no \"old\" (a string)");
    if (read_optional(list, line, o, e))
        return -1;
    const char *new_text = optional_string(o, "new", NULL);
    if (!new_text && e->edit.action != ERRATA_ACTION_FLAG)
        return report(list, line, "no \"new\" (a string)");
    e->file = strdup(file);
    e->edit.old_text = strdup(old_text);
    e->edit.new_text = strdup(new_text ? new_text : "");
    e->edit.rule = strdup(optional_string(o, "rule", "jsonl"));
    e->edit.reason = strdup(optional_string(o, "reason", ""));
    if (!e->file || !e->edit.old_text || !e->edit.new_text || !e->edit.rule || !e->edit.reason)
        return report(list, line, "out of memory");
    return 0;
}

static void edit_clear(errata_review_jsonl_edit *e)
{
    free(e->file);
    free((char *)e->edit.old_text);
    free((char *)e->edit.new_text);
    free((char *)e->edit.rule);
    free((char *)e->edit.reason);
}

static int add_line(errata_review_jsonl *list, size_t line, const char *text, size_t len)
{
    errata_json_value o;
    errata_json_error why;
    int parsed = errata_json_parse(text, len, &o, &why);
    if (parsed == ERRATA_JSON_NOMEM)
        return report(list, line, "out of memory");
    if (parsed)
        return report(list, line, "not a JSON object: %s at byte %zu", why.what, why.offset);
    if (o.type != ERRATA_JSON_OBJECT) {
        errata_json_free(&o);
        return report(list, line, "not a JSON object");
    }
    if (errata_cli_grow((void **)&list->items, &list->cap, list->count, sizeof *list->items)) {
        errata_json_free(&o);
        return report(list, line, "out of memory");
    }
    errata_review_jsonl_edit *e = &list->items[list->count];
    int rc = read_edit(list, line, &o, e);
    errata_json_free(&o);
    if (rc)
        edit_clear(e);
    else
        list->count++;
    return rc;
}

static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r", s[i]))
            return 0;
    return 1;
}

int errata_review_jsonl_load(const char *path, errata_review_jsonl *list)
{
    memset(list, 0, sizeof *list);
    list->path = path;
    errata_cli_input in;
    if (errata_cli_read_input(path, &in))
        return -1;
    size_t pos = 0, line = 0;
    int rc = 0;
    while (pos < in.len && !rc) {
        const char *end = memchr(in.data + pos, '\n', in.len - pos);
        size_t n = end ? (size_t)(end - (in.data + pos)) : in.len - pos;
        line++;
        if (!blank(in.data + pos, n))
            rc = add_line(list, line, in.data + pos, n);
        pos += n + 1;
    }
    errata_cli_input_free(&in);
    if (rc)
        errata_review_jsonl_free(list);
    return rc;
}

void errata_review_jsonl_free(errata_review_jsonl *list)
{
    for (size_t i = 0; i < list->count; i++)
        edit_clear(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

static int is_continuation_byte(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* Show at most a line's worth of the file's bytes in a message. */
static void quote_bytes(char *out, size_t size, const char *bytes, size_t len)
{
    size_t n = len < size - 5 ? len : size - 5;
    while (n > 0 && n < len && is_continuation_byte(bytes[n]))
        n--; /* do not cut a character in two */
    snprintf(out, size, "%.*s%s", (int)n, bytes, n < len ? "..." : "");
}

int errata_review_jsonl_verify(const errata_review_jsonl *list, const errata_review_jsonl_edit *e,
                               const char *text, size_t len)
{
    const errata_edit *edit = &e->edit;
    if (edit->byte_end > len)
        return report(list, e->jsonl_line,
                      "%s: bytes %zu..%zu are past the end of the file (%zu bytes); "
                      "has it changed since the edits were listed?",
                      e->file, edit->byte_start, edit->byte_end, len);
    size_t n = edit->byte_end - edit->byte_start;
    if (strlen(edit->old_text) == n && memcmp(text + edit->byte_start, edit->old_text, n) == 0)
        return 0;
    /* A span that starts or ends inside a character is widened to whole
       characters for the message: a lone byte of one says nothing. */
    size_t start = edit->byte_start, end = edit->byte_end;
    while (start > 0 && is_continuation_byte(text[start]))
        start--;
    while (end < len && is_continuation_byte(text[end]))
        end++;
    char found[96];
    quote_bytes(found, sizeof found, text + start, end - start);
    if (start != edit->byte_start || end != edit->byte_end)
        return report(list, e->jsonl_line,
                      "%s: bytes %zu..%zu cut into characters (bytes %zu..%zu are \"%s\"), "
                      "not \"%s\"; has it changed since the edits were listed?",
                      e->file, edit->byte_start, edit->byte_end, start, end, found,
                      edit->old_text);
    return report(list, e->jsonl_line,
                  "%s: bytes %zu..%zu are \"%s\", not \"%s\"; "
                  "has it changed since the edits were listed?",
                  e->file, edit->byte_start, edit->byte_end, found, edit->old_text);
}
