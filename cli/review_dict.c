/* Teaching the user dictionary from the review: words to keep, pairs to fix
   (dictionaries/FORMAT.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "review.h"

static const char header[] = "errata-dict 1\n";

/* A dictionary field cannot hold a TAB or a line break. */
static int usable_field(const char *s) { return *s && !strpbrk(s, "\t\r\n"); }

char *errata_review_keep_line(const char *word, char *err, size_t err_size)
{
    if (!usable_field(word)) {
        snprintf(err, err_size, "this text cannot be kept by a dictionary entry");
        return NULL;
    }
    size_t size = strlen(word) + 8;
    char *line = malloc(size);
    if (line)
        snprintf(line, size, "!keep\t%s", word);
    return line;
}

char *errata_review_pair_line(const char *old_text, const char *new_text, char *err,
                              size_t err_size)
{
    if (!usable_field(old_text) || !usable_field(new_text) || strchr("#!", old_text[0]) ||
        strcmp(old_text, new_text) == 0) {
        snprintf(err, err_size, "this change cannot be written as a dictionary pair");
        return NULL;
    }
    size_t size = strlen(old_text) + strlen(new_text) + 10;
    char *line = malloc(size);
    if (line)
        snprintf(line, size, "%s\t%s\tuser\tU", old_text, new_text);
    return line;
}

/* mkdir -p of the directory that will hold path. */
static int make_parent_dirs(const char *path, char *err, size_t err_size)
{
    char *dir = strdup(path);
    if (!dir) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int rc = 0;
    for (char *p = dir + 1; *p && !rc; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            rc = errata_cli_fail_io(dir, "create the directory", err, err_size);
        *p = '/';
    }
    free(dir);
    return rc;
}

static int read_whole(const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int err = errata_cli_read_path(path, out, len);
    errno = err;
    return err && err != ENOENT ? -1 : 0;
}

static int has_line(const char *text, size_t len, const char *line)
{
    size_t n = strlen(line);
    for (size_t pos = 0; pos < len;) {
        const char *end = memchr(text + pos, '\n', len - pos);
        size_t line_len = end ? (size_t)(end - text) - pos : len - pos;
        if (line_len == n && memcmp(text + pos, line, n) == 0)
            return 1;
        pos += line_len + 1;
    }
    return 0;
}

static int append_bytes(const char *path, const char *bytes, size_t len, char *err,
                        size_t err_size)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return errata_cli_fail_io(path, "open", err, err_size);
    ssize_t n = write(fd, bytes, len);
    int failed = n != (ssize_t)len || fsync(fd) != 0;
    if (close(fd) != 0)
        failed = 1;
    return failed ? errata_cli_fail_io(path, "write", err, err_size) : 0;
}

int errata_review_dict_append(const char *path, const char *line, char *err, size_t err_size)
{
    char *text;
    size_t len;
    if (make_parent_dirs(path, err, err_size))
        return -1;
    if (read_whole(path, &text, &len))
        return errata_cli_fail_io(path, "read", err, err_size);
    int present = has_line(text, len, line);
    size_t size = sizeof header + strlen(line) + 2;
    char *addition = present ? NULL : malloc(size);
    if (!present && addition)
        snprintf(addition, size, "%s%s%s\n", len == 0 ? header : "",
                 len && text[len - 1] != '\n' ? "\n" : "", line);
    free(text);
    if (present)
        return 1;
    if (!addition) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int rc = append_bytes(path, addition, strlen(addition), err, err_size);
    free(addition);
    return rc;
}

/* Where the last line equal to line starts in text, or -1. */
static ssize_t find_last_line(const char *text, size_t len, const char *line)
{
    size_t n = strlen(line);
    ssize_t found = -1;
    for (size_t pos = 0; pos < len;) {
        const char *end = memchr(text + pos, '\n', len - pos);
        size_t line_len = end ? (size_t)(end - text) - pos : len - pos;
        if (line_len == n && memcmp(text + pos, line, n) == 0)
            found = (ssize_t)pos;
        pos += line_len + 1;
    }
    return found;
}

int errata_review_dict_remove(const char *path, const char *line)
{
    char *text;
    size_t len;
    if (read_whole(path, &text, &len)) {
        fprintf(stderr, "errata: %s: cannot read: %s\n", path, strerror(errno));
        return -1;
    }
    ssize_t at = find_last_line(text, len, line);
    int rc = 1;
    if (at >= 0) {
        size_t start = (size_t)at, end = start + strlen(line);
        end += end < len; /* its newline */
        memmove(text + start, text + end, len - end);
        rc = errata_cli_write_atomic(path, text, len - (end - start));
    }
    free(text);
    return rc;
}
