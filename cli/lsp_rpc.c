/* The language server's wire: messages framed by a Content-Length header
   ("Content-Length: N\r\n\r\n" and N bytes of JSON), as LSP 3.17 says. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp.h"

/* Headers longer than this are not headers: the stream is out of step. */
#define MAX_HEADER_BYTES 8192
/* The largest message taken (a document of some hundred megabytes). */
#define MAX_BODY_BYTES ((size_t)512 << 20)
#define READ_CHUNK 65536

static const char length_name[] = "Content-Length:";

int errata_lsp_reader_fill(errata_lsp_reader *r)
{
    if (r->start > 0 && r->start == r->len)
        r->start = r->len = 0;
    if (r->start > r->cap / 2) { /* keep the unread part at the front */
        memmove(r->data, r->data + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    if (r->cap - r->len < READ_CHUNK) {
        size_t cap = r->cap ? r->cap * 2 : READ_CHUNK * 2;
        char *grown = realloc(r->data, cap);
        if (!grown)
            return -1;
        r->data = grown;
        r->cap = cap;
    }
    ssize_t n;
    do
        n = read(r->fd, r->data + r->len, r->cap - r->len);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    r->eof = n == 0;
    r->len += (size_t)n;
    return 0;
}

/* Skip to the next "Content-Length:" after the start (a message that can
   be read again), or to the end but for a tail that may begin one. */
static void resynchronise(errata_lsp_reader *r)
{
    size_t name_len = sizeof length_name - 1;
    for (size_t i = r->start + 1; i < r->len; i++) {
        size_t n = r->len - i < name_len ? r->len - i : name_len;
        if (strncasecmp(r->data + i, length_name, n) == 0) {
            r->start = i;
            return;
        }
    }
    r->start = r->len;
}

/* The value of a Content-Length line (digits, spaces around), or -1; a
   value over MAX_BODY_BYTES is read as MAX_BODY_BYTES + 1. */
static long long parse_length(const char *value, const char *end)
{
    while (value < end && (*value == ' ' || *value == '\t'))
        value++;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (value == end)
        return -1;
    long long n = 0;
    for (; value < end; value++) {
        if (*value < '0' || *value > '9')
            return -1;
        n = n * 10 + (*value - '0');
        if (n > (long long)MAX_BODY_BYTES)
            n = (long long)MAX_BODY_BYTES + 1;
    }
    return n;
}

/* Read the header block [from, to): its Content-Length, or NULL with a
   problem. */
static const char *read_headers(const char *from, const char *to, long long *length)
{
    *length = -1;
    while (from < to) {
        const char *eol = memchr(from, '\n', (size_t)(to - from));
        const char *end = eol ? eol : to;
        const char *line_end = end > from && end[-1] == '\r' ? end - 1 : end;
        size_t name_len = sizeof length_name - 1;
        if ((size_t)(line_end - from) >= name_len &&
            strncasecmp(from, length_name, name_len) == 0) {
            *length = parse_length(from + name_len, line_end);
            if (*length < 0)
                return "bad Content-Length";
            if ((size_t)*length > MAX_BODY_BYTES)
                return "message too large";
        } else if (!memchr(from, ':', (size_t)(line_end - from))) {
            return "malformed header line";
        }
        from = end + 1;
    }
    return *length < 0 ? "no Content-Length header" : NULL;
}

/* Where the header block ends (the byte after its empty line) and where its
   lines end, or 0 when it is not complete yet. */
static size_t header_end(const errata_lsp_reader *r, size_t *lines_end)
{
    for (size_t i = r->start; i < r->len; i++) {
        if (r->data[i] != '\n')
            continue;
        if (i + 1 < r->len && r->data[i + 1] == '\n') {
            *lines_end = i;
            return i + 2;
        }
        if (i + 2 < r->len && r->data[i + 1] == '\r' && r->data[i + 2] == '\n') {
            *lines_end = i;
            return i + 3;
        }
    }
    return 0;
}

int errata_lsp_reader_next(errata_lsp_reader *r, const char **body, size_t *len,
                           const char **problem)
{
    while (r->start < r->len && (r->data[r->start] == '\r' || r->data[r->start] == '\n'))
        r->start++; /* blank lines between messages */
    size_t lines_end = 0, end = header_end(r, &lines_end);
    if (end == 0) {
        if (r->len - r->start <= MAX_HEADER_BYTES)
            return 0;
        *problem = "header too long";
        resynchronise(r);
        return -1;
    }
    long long length;
    *problem = read_headers(r->data + r->start, r->data + lines_end, &length);
    if (*problem) {
        resynchronise(r);
        return -1;
    }
    if (r->len - end < (size_t)length)
        return 0;
    *body = r->data + end;
    *len = (size_t)length;
    r->start = end + (size_t)length;
    return 1;
}

void errata_lsp_reader_free(errata_lsp_reader *r)
{
    free(r->data);
    r->data = NULL;
    r->start = r->len = r->cap = 0;
}

int errata_lsp_send(int fd, const char *body, size_t len)
{
    char header[64];
    int n = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", len);
    if (errata_cli_write_fd_all(fd, header, (size_t)n) != 0 ||
        errata_cli_write_fd_all(fd, body, len) != 0)
        return -1;
    return 0;
}
