/* Files in and out of their own encodings, for batch runs: read and decode
   (telling a file that is not text from one that cannot be decoded),
   encode for writing back, create the directories of an output tree. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"

/* 0, or the error number (reported). */
static int read_file(errata_batch_console *console, const char *path, errata_cli_input *raw)
{
    const char *name = errata_cli_display_name(path);
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    raw->path = path;
    if (fd < 0) {
        int err = errno;
        errata_batch_note(console, name, "%s", strerror(err));
        return err;
    }
    int err = errata_cli_read_fd(fd, &raw->data, &raw->len, &raw->is_regular_file);
    if (!from_stdin)
        close(fd);
    if (err == EISDIR)
        errata_batch_note(console, name, "is a directory (use -r to walk it)");
    else if (err)
        errata_batch_note(console, name, "cannot read: %s", strerror(err));
    return err;
}

errata_batch_read_status errata_batch_read_document(errata_batch_console *console,
                                                    const char *path, errata_encoding encoding,
                                                    errata_cli_document *doc)
{
    memset(doc, 0, sizeof *doc);
    int err = read_file(console, path, &doc->raw);
    if (err)
        return err == ENOMEM ? ERRATA_BATCH_READ_NO_MEMORY : ERRATA_BATCH_READ_FAILED;
    const char *name = errata_cli_display_name(path);
    size_t binary_at;
    int rc = errata_cli_decode_document(doc, encoding, &binary_at);
    if (rc == ERRATA_OK)
        return ERRATA_BATCH_READ_OK;
    if (binary_at != SIZE_MAX) {
        errata_batch_skip_note(console, name, "skipped: not a text file (byte 0x%02X at offset %zu)",
                               (unsigned char)doc->raw.data[binary_at], binary_at);
        return ERRATA_BATCH_READ_SKIPPED;
    }
    errata_batch_note(console, name, "cannot decode, left alone: %s", errata_error_message());
    return rc == ERRATA_ENOMEM ? ERRATA_BATCH_READ_NO_MEMORY : ERRATA_BATCH_READ_FAILED;
}

int errata_batch_encode(errata_batch_console *console, const char *name, const char *text,
                        size_t len, errata_encoding encoding, char **out, size_t *out_len)
{
    if (errata_encode(text, len, encoding, out, out_len) == ERRATA_OK)
        return 0;
    errata_batch_note(console, name, "cannot write as %s: %s", errata_encoding_name(encoding),
                      errata_error_message());
    return -1;
}

int errata_batch_make_parents(errata_batch_console *console, const char *path)
{
    char *dir = strdup(path);
    if (!dir) {
        errata_batch_note(console, path, "out of memory");
        return -1;
    }
    int rc = 0;
    for (char *p = strchr(dir + (dir[0] == '/'), '/'); p && !rc; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            errata_batch_note(console, dir, "cannot create the directory: %s", strerror(errno));
            rc = -1;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}
