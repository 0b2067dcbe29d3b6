/* Whole files, as errata fix reads and writes them: a file's bytes decoded
   with binary files told from undecodable text (errata fix -r and
   errata_fix_files() share it), and a batch of files repaired into their
   outputs, written through a temporary file and a rename, in one call
   that never calls back (a binding releases its interpreter's lock for
   the whole batch). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Bytes looked at for a control byte, in a file that cannot be decoded,
   to tell a binary file from text in an unknown encoding. */
#define BINARY_PROBE_BYTES 8192

/* Tries at a free temporary name beside an output before giving up. */
#define TEMPORARY_ATTEMPTS 1000

/* ------------------------------------------------------------ decoding */

/* A control character that text does not hold. */
static int is_binary_byte(unsigned char c)
{
    return c < 0x20 && !(c >= '\t' && c <= '\r') && c != 0x1A && c != 0x1B;
}

/* Whether the bytes were read as UTF-16 (asked for, or by their BOM): its
   NUL and other low bytes are text, so a failure is the decoder's to name. */
static int read_as_utf16(const char *data, size_t len, errata_encoding encoding)
{
    if (encoding != ERRATA_ENCODING_AUTO)
        return encoding >= ERRATA_ENCODING_UTF16LE && encoding <= ERRATA_ENCODING_UTF16BE_BOM;
    const unsigned char *b = (const unsigned char *)data;
    return len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF));
}

/* An odd-length file without a BOM is never detected as UTF-16; when all
   but its last byte is UTF-16 text, it is one cut short, not a binary file.
   Then decoding it as that UTF-16 fails again, with the decoder's message
   naming the truncated sequence (left as the thread's message). */
static int fails_as_truncated_utf16(const char *data, size_t len)
{
    char *text = NULL;
    size_t text_len = 0;
    errata_encoding detected = ERRATA_ENCODING_AUTO;
    if (len % 2 == 0 ||
        errata_decode(data, len - 1, ERRATA_ENCODING_AUTO, &text, &text_len, &detected))
        return 0;
    errata_free(text);
    if (detected != ERRATA_ENCODING_UTF16LE && detected != ERRATA_ENCODING_UTF16BE)
        return 0;
    int rc = errata_decode(data, len, detected, &text, &text_len, NULL);
    if (rc == ERRATA_OK)
        errata_free(text);
    return rc == ERRATA_EENCODING;
}

int errata_decode_file(const char *data, size_t len, errata_encoding encoding, char **out,
                       size_t *out_len, errata_encoding *detected, size_t *binary_at)
{
    *binary_at = SIZE_MAX;
    if (errata_decode_unchanged(data, len, encoding)) {
        *out = NULL; /* the text is data itself: a huge document is held once */
        *out_len = len;
        if (detected)
            *detected = ERRATA_ENCODING_UTF8;
        return ERRATA_OK;
    }
    int rc = errata_decode(data, len, encoding, out, out_len, detected);
    size_t probe = len < BINARY_PROBE_BYTES ? len : BINARY_PROBE_BYTES;
    if (rc != ERRATA_EENCODING || read_as_utf16(data, len, encoding) ||
        (encoding == ERRATA_ENCODING_AUTO && fails_as_truncated_utf16(data, len)))
        probe = 0;
    for (size_t i = 0; i < probe && *binary_at == SIZE_MAX; i++)
        if (is_binary_byte((unsigned char)data[i]))
            *binary_at = i;
    return rc;
}

/* ------------------------------------------------------------ one file */

/* A file's bytes, its text and what is to be written of it. */
typedef struct {
    char *raw;
    size_t raw_len;
    char *decoded; /* NULL when the text is raw itself */
    const char *text;
    size_t len;
    errata_encoding encoding;
    char *fixed, *encoded;
} file_work;

static void file_work_free(file_work *w)
{
    free(w->raw);
    errata_free(w->decoded);
    errata_free(w->fixed);
    errata_free(w->encoded);
}

static void set_note(errata_file *file, errata_file_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The file's outcome when it is not written, and the note saying why (no
   note when even that memory is missing: the status says enough). */
static void set_note(errata_file *file, errata_file_status status, const char *fmt, ...)
{
    char note[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note, sizeof note, fmt, ap);
    va_end(ap);
    file->status = status;
    file->note = errata_strndup(note, strlen(note));
}

static int read_all(int fd, size_t size_hint, char **data, size_t *len)
{
    /* Room for the read that finds the end: a file of the size announced
       fits without growing. */
    size_t cap = size_hint + 1 > 4096 ? size_hint + 1 : 4096, used = 0;
    char *buf = malloc(cap);
    if (!buf)
        return ENOMEM;
    for (;;) {
        if (used == cap) {
            char *grown = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return ENOMEM;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            free(buf);
            return err;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    *data = buf;
    *len = used;
    return 0;
}

static int read_file(errata_file *file, file_work *w)
{
    int fd = open(file->input, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int err = fd < 0 ? errno : fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (!err)
        err = read_all(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, &w->raw, &w->raw_len);
    if (fd >= 0)
        close(fd);
    if (err == ENOMEM)
        set_note(file, ERRATA_FILE_FAILED, "out of memory");
    else if (err)
        set_note(file, ERRATA_FILE_FAILED, "cannot read: %s", strerror(err));
    if (err)
        return -1;
    file->bytes = w->raw_len;
    return 0;
}

static int decode_file(errata_file *file, const errata_fix_files_options *opts, file_work *w)
{
    size_t binary_at;
    int rc = errata_decode_file(w->raw, w->raw_len, opts->input_encoding, &w->decoded, &w->len,
                                &w->encoding, &binary_at);
    if (rc == ERRATA_OK) {
        w->text = w->decoded ? w->decoded : w->raw;
        return 0;
    }
    if (binary_at != SIZE_MAX)
        set_note(file, ERRATA_FILE_SKIPPED, "skipped: not a text file (byte 0x%02X at offset %zu)",
                 (unsigned char)w->raw[binary_at], binary_at);
    else if (rc == ERRATA_ENOMEM)
        set_note(file, ERRATA_FILE_FAILED, "out of memory");
    else
        set_note(file, ERRATA_FILE_FAILED, "cannot decode, left alone: %s", errata_error_message());
    return -1;
}

/* The result's rule counts copied, strings and all, into one block that
   outlives the result. */
static int keep_rule_counts(errata_file *file, const errata_result *result, int apply_proposed)
{
    errata_rule_count *counts = NULL;
    size_t count = 0;
    int rc = errata_result_rule_counts(result, apply_proposed, &counts, &count);
    size_t strings = 0;
    for (size_t i = 0; i < count; i++)
        strings += strlen(counts[i].rule) + 1;
    errata_rule_count *kept = rc || !count ? NULL : malloc(count * sizeof *kept + strings);
    if (!rc && count && !kept)
        rc = ERRATA_ENOMEM;
    char *at = kept ? (char *)(kept + count) : NULL;
    for (size_t i = 0; kept && i < count; i++) {
        size_t n = strlen(counts[i].rule) + 1;
        kept[i].rule = memcpy(at, counts[i].rule, n);
        kept[i].count = counts[i].count;
        at += n;
    }
    errata_free(counts);
    file->rules = kept;
    file->rule_count = kept ? count : 0;
    return rc;
}

/* Repair the text; *bytes and *len become what is to be written: the
   file's own bytes when nothing changed and the encoding stays. */
static int repair(const errata_engine *engine, errata_scratch *scratch,
                  const errata_check_options *check, const errata_fix_files_options *opts,
                  errata_file *file, file_work *w, const char **bytes, size_t *len)
{
    errata_check_options fix_opts = *check;
    fix_opts.no_reasons = 1;   /* a repair shows no reasons, */
    fix_opts.no_positions = 1; /* and places its edits by their bytes */
    errata_result *result = NULL;
    int rc = errata_check_scratch(engine, scratch, w->text, w->len, &fix_opts, &result);
    if (!rc)
        rc = keep_rule_counts(file, result, opts->apply_proposed);
    size_t fixed_len = w->len;
    if (!rc && file->rule_count)
        rc = errata_result_apply_repair(result, opts->apply_proposed, w->text, w->len,
                                        &w->fixed, &fixed_len);
    errata_result_free(result);
    if (rc) {
        set_note(file, ERRATA_FILE_FAILED, "%s",
                 rc == ERRATA_ENOMEM ? "out of memory" : errata_error_message());
        return -1;
    }
    const char *text = w->fixed ? w->fixed : w->text;
    file->changed = fixed_len != w->len || memcmp(text, w->text, fixed_len) != 0;
    errata_encoding target =
        opts->output_encoding == ERRATA_ENCODING_AUTO ? w->encoding : opts->output_encoding;
    if (!file->changed && target == w->encoding) {
        *bytes = w->raw;
        *len = w->raw_len;
    } else if (target == ERRATA_ENCODING_UTF8) { /* the repaired text is valid UTF-8 already */
        *bytes = text;
        *len = fixed_len;
    } else if ((rc = errata_encode(text, fixed_len, target, &w->encoded, len)) == ERRATA_OK) {
        *bytes = w->encoded;
    } else if (rc == ERRATA_ENOMEM) {
        set_note(file, ERRATA_FILE_FAILED, "out of memory");
        return -1;
    } else {
        set_note(file, ERRATA_FILE_FAILED, "cannot write as %s: %s", errata_encoding_name(target),
                 errata_error_message());
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ writing */

/* The directories above path, made where missing. */
static int make_parents(const char *path)
{
    char *dir = errata_strndup(path, strlen(path));
    if (!dir)
        return ENOMEM;
    int err = 0;
    for (char *p = strchr(dir + (dir[0] == '/'), '/'); p && !err; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            err = errno;
        *p = '/';
    }
    free(dir);
    return err;
}

/* A new file beside target (.NAME.errata-PID-N), opened for writing; its
   name in tmp (size bytes).  -1 with errno set when none can be made. */
static int create_temporary(const char *target, char *tmp, size_t size)
{
    const char *slash = strrchr(target, '/');
    int dir_len = slash ? (int)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    for (unsigned attempt = 0; attempt < TEMPORARY_ATTEMPTS; attempt++) {
        snprintf(tmp, size, "%.*s.%s.errata-%ld-%u", dir_len, target, base, (long)getpid(),
                 attempt);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write data to path through a temporary file, synced, then renamed over
   path; 0 or an errno value (nothing is left behind on failure). */
static int write_atomic(const char *path, const char *data, size_t len)
{
    size_t size = strlen(path) + 64;
    char *tmp = malloc(size);
    if (!tmp)
        return ENOMEM;
    int fd = create_temporary(path, tmp, size);
    int err = fd < 0 ? errno : 0;
    if (fd < 0 && err == ENOENT && (err = make_parents(path)) == 0) {
        fd = create_temporary(path, tmp, size);
        err = fd < 0 ? errno : 0;
    }
    if (fd >= 0) {
        err = write_all(fd, data, len);
        if (!err && fsync(fd) != 0)
            err = errno;
        if (close(fd) != 0 && !err)
            err = errno;
        if (!err && rename(tmp, path) != 0)
            err = errno;
        if (err)
            unlink(tmp);
    }
    free(tmp);
    return err;
}

/* ------------------------------------------------------------ the batch */

static void fix_one(const errata_engine *engine, errata_scratch *scratch,
                    const errata_check_options *check, const errata_fix_files_options *opts,
                    errata_file *file)
{
    file_work w = {0};
    const char *format = NULL, *bytes = NULL;
    size_t len = 0;
    if (read_file(file, &w) || decode_file(file, opts, &w)) {
        /* noted */
    } else if (!file->any_text && (format = errata_data_format(w.text, w.len)) != NULL) {
        set_note(file, ERRATA_FILE_SKIPPED, "skipped: %s, not a document", format);
    } else if (!repair(engine, scratch, check, opts, file, &w, &bytes, &len)) {
        int err = write_atomic(file->output, bytes, len);
        if (err == ENOMEM)
            set_note(file, ERRATA_FILE_FAILED, "out of memory");
        else if (err)
            set_note(file, ERRATA_FILE_FAILED, "cannot write %s: %s", file->output, strerror(err));
    }
    if (file->status != ERRATA_FILE_WRITTEN) {
        errata_free(file->rules); /* counted only when written */
        file->rules = NULL;
        file->rule_count = 0;
        file->changed = 0;
    }
    file_work_free(&w);
}

int errata_fix_files(const errata_engine *engine, errata_scratch *scratch,
                     const errata_check_options *check, const errata_fix_files_options *opts,
                     errata_file *files, size_t count)
{
    errata_check_options default_check = ERRATA_CHECK_OPTIONS_INIT;
    errata_fix_files_options default_opts = ERRATA_FIX_FILES_OPTIONS_INIT;
    if (!engine || (count && !files))
        return errata_fail(ERRATA_EINVAL, "errata_fix_files: no engine or no files");
    if (opts && (opts->version < 1 || opts->version > ERRATA_FIX_FILES_OPTIONS_VERSION))
        return errata_fail(ERRATA_EINVAL, "errata_fix_files: unknown options version %u",
                           opts->version);
    for (size_t i = 0; i < count; i++)
        if (!files[i].input || !files[i].output)
            return errata_fail(ERRATA_EINVAL, "errata_fix_files: file %zu has no input or output",
                               i);
    check = check ? check : &default_check;
    opts = opts ? opts : &default_opts;
    for (size_t i = 0; i < count; i++) {
        errata_file *file = &files[i];
        file->status = ERRATA_FILE_WRITTEN;
        file->changed = 0;
        file->bytes = 0;
        file->rules = NULL;
        file->rule_count = 0;
        file->note = NULL;
        fix_one(engine, scratch, check, opts, file);
    }
    return ERRATA_OK;
}
