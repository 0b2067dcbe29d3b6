/* What the commands share: reading inputs, writing files safely, the common
   flags, the engine they describe, colour. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Bytes looked at for a NUL (or, in a document that cannot be decoded,
   another control byte) when deciding whether an input is binary. */
#define BINARY_PROBE_BYTES 8192

static int report(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int report(const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "errata: %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static int out_of_memory(void)
{
    fputs("errata: out of memory\n", stderr);
    return -1;
}

const char *errata_cli_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "standard input" : path;
}

/* --------------------------------------------------------------- reading */

static int read_to_end(int fd, size_t size_hint, char **data, size_t *len)
{
    /* Room for the NUL and for the read that finds the end: a file of the
       size announced fits without growing (doubling a huge one). */
    size_t cap = size_hint + 2 > 4096 ? size_hint + 2 : 4096, used = 0;
    char *buf = malloc(cap);
    if (!buf)
        return ENOMEM;
    for (;;) {
        if (used + 1 == cap) {
            char *grown = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return ENOMEM;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + used, cap - 1 - used);
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
    buf[used] = '\0';
    *data = buf;
    *len = used;
    return 0;
}

int errata_cli_grow(void **items, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 16;
    void *grown = new_cap > SIZE_MAX / elem ? NULL : realloc(*items, new_cap * elem);
    if (!grown)
        return -1;
    *items = grown;
    *cap = new_cap;
    return 0;
}

int errata_cli_read_fd(int fd, char **data, size_t *len, int *is_regular_file)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errno;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    if (is_regular_file)
        *is_regular_file = S_ISREG(st.st_mode);
    return read_to_end(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, data, len);
}

int errata_cli_read_path(const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = errata_cli_read_fd(fd, data, len, NULL);
    close(fd);
    return err;
}

int errata_cli_buffer_append(errata_cli_buffer *b, const char *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static int check_not_binary(const errata_cli_input *in)
{
    size_t probe = in->len < BINARY_PROBE_BYTES ? in->len : BINARY_PROBE_BYTES;
    const char *nul = memchr(in->data, '\0', probe);
    if (nul)
        return report(errata_cli_display_name(in->path),
                      "binary file (NUL byte at byte offset %zu)", (size_t)(nul - in->data));
    return 0;
}

/* Read path whole, whatever its bytes. */
static int read_raw(const char *path, errata_cli_input *in)
{
    memset(in, 0, sizeof *in);
    in->path = path;
    const char *name = errata_cli_display_name(path);
    int from_stdin = strcmp(path, "-") == 0;
    int fd = from_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return report(name, "%s", strerror(errno));
    int err = errata_cli_read_fd(fd, &in->data, &in->len, &in->is_regular_file);
    if (!from_stdin)
        close(fd);
    if (err == ENOMEM)
        return out_of_memory();
    if (err == EISDIR)
        return report(name, "is a directory");
    if (err)
        return report(name, "cannot read: %s", strerror(err));
    return 0;
}

int errata_cli_read_input(const char *path, errata_cli_input *in)
{
    if (read_raw(path, in))
        return -1;
    if (check_not_binary(in)) {
        errata_cli_input_free(in);
        return -1;
    }
    return 0;
}

int errata_cli_decode_document(errata_cli_document *doc, errata_encoding encoding,
                               size_t *binary_at)
{
    const errata_cli_input *raw = &doc->raw;
    char *decoded = NULL;
    int rc = errata_decode_file(raw->data, raw->len, encoding, &decoded, &doc->len,
                                &doc->encoding, binary_at);
    doc->text = rc == ERRATA_OK && !decoded ? raw->data : decoded;
    return rc;
}

int errata_cli_read_document(const char *path, errata_encoding encoding,
                             errata_cli_document *doc)
{
    memset(doc, 0, sizeof *doc);
    if (read_raw(path, &doc->raw))
        return -1;
    size_t at;
    int rc = errata_cli_decode_document(doc, encoding, &at);
    if (rc == ERRATA_OK)
        return 0;
    const char *name = errata_cli_display_name(path);
    unsigned char c = at == SIZE_MAX ? 0 : (unsigned char)doc->raw.data[at];
    if (rc == ERRATA_ENOMEM)
        out_of_memory();
    else if (at != SIZE_MAX && c == 0)
        report(name, "binary file (NUL byte at byte offset %zu)", at);
    else if (at != SIZE_MAX)
        report(name, "binary file (control byte 0x%02X at byte offset %zu)", c, at);
    else
        report(name, "cannot decode: %s", errata_error_message());
    errata_cli_document_free(doc);
    return -1;
}

void errata_cli_document_free(errata_cli_document *doc)
{
    if (doc->text != doc->raw.data)
        errata_free(doc->text);
    errata_cli_input_free(&doc->raw);
    doc->text = NULL;
    doc->len = 0;
}

errata_encoding errata_cli_output_encoding(const errata_cli_document *doc,
                                           errata_encoding requested)
{
    return requested == ERRATA_ENCODING_AUTO ? doc->encoding : requested;
}

int errata_cli_text_changed(const errata_cli_document *doc, const char *text, size_t len)
{
    return len != doc->len || memcmp(text, doc->text, len) != 0;
}

int errata_cli_document_bytes(const errata_cli_document *doc, const char *text, size_t len,
                              errata_encoding encoding, char **owned, const char **bytes,
                              size_t *bytes_len)
{
    *owned = NULL;
    if (encoding == doc->encoding && !errata_cli_text_changed(doc, text, len)) {
        *bytes = doc->raw.data;
        *bytes_len = doc->raw.len;
        return 0;
    }
    if (errata_encode(text, len, encoding, owned, bytes_len) != ERRATA_OK)
        return report(errata_cli_display_name(doc->raw.path), "cannot write as %s: %s",
                      errata_encoding_name(encoding), errata_error_message());
    *bytes = *owned;
    return 0;
}

void errata_cli_input_free(errata_cli_input *in)
{
    free(in->data);
    in->data = NULL;
    in->len = 0;
}

/* --------------------------------------------------------------- writing */

int errata_cli_write_document(const errata_cli_document *doc, const char *text, size_t len,
                              errata_encoding encoding, const char *output)
{
    char *encoded = NULL;
    const char *bytes = NULL;
    size_t bytes_len = 0;
    encoding = errata_cli_output_encoding(doc, encoding);
    int rc = errata_cli_document_bytes(doc, text, len, encoding, &encoded, &bytes, &bytes_len);
    if (!rc && output && strcmp(output, "-") == 0)
        rc = errata_cli_write(stdout, "standard output", bytes, bytes_len);
    else if (!rc && output)
        rc = errata_cli_write_atomic(output, bytes, bytes_len);
    else if (!rc && encoded)
        rc = errata_cli_write_atomic(doc->raw.path, bytes, bytes_len);
    errata_free(encoded);
    return rc;
}

int errata_cli_write(FILE *stream, const char *name, const char *data, size_t len)
{
    if (len && fwrite(data, 1, len, stream) != len)
        return report(name, "write error: %s", strerror(errno));
    return 0;
}

int errata_cli_fail_io(const char *path, const char *what, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s: cannot %s: %s", path, what, strerror(errno));
    return -1;
}

int errata_cli_write_fd_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Something that is not a regular file (a device, a pipe) is written into,
   never replaced. */
static int write_in_place(const char *path, const errata_cli_content *content)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return report(path, "%s", strerror(errno));
    int failed = content->write(fd, content->context);
    int err = errno;
    if (close(fd) != 0 && !failed) {
        failed = -1;
        err = errno;
    }
    if (failed == ERRATA_CLI_CONTENT_REPORTED)
        return -1;
    return failed ? report(path, "write error: %s", strerror(err)) : 0;
}

/* A new file next to target, named after it, opened for writing with the
   given permissions (less the umask); its name is stored in *tmp_path
   (malloc'd) and entered for removal on a signal in *slot. */
static int create_temporary(const char *target, mode_t mode, char **tmp_path, int *slot)
{
    const char *slash = strrchr(target, '/');
    int dir_len = slash ? (int)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    size_t size = strlen(target) + 64;
    char *tmp = malloc(size);
    if (!tmp)
        return out_of_memory();
    for (unsigned attempt = 0; attempt < 1000; attempt++) {
        snprintf(tmp, size, "%.*s.%s.errata-%ld-%u", dir_len, target, base, (long)getpid(),
                 attempt);
        /* Entered before it exists, so that no signal finds it unlisted. */
        *slot = errata_cli_temporary_enter(tmp);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0) {
            *tmp_path = tmp;
            return fd;
        }
        int err = errno;
        errata_cli_temporary_forget(*slot);
        errno = err;
        if (errno != EEXIST)
            break;
    }
    report(target, "cannot create a temporary file beside it: %s", strerror(errno));
    free(tmp);
    return -1;
}

/* Give the temporary file the permissions and the owner of the file it
   replaces; where only root may give files away (EPERM), it stays ours. */
static int copy_attributes(int fd, const struct stat *old)
{
    int other_owner = old->st_uid != geteuid() || old->st_gid != getegid();
    if (other_owner && fchown(fd, old->st_uid, old->st_gid) != 0 && errno != EPERM)
        return -1;
    return fchmod(fd, old->st_mode & 07777);
}

/* Write content to target through a temporary file and a rename.  The new
   file takes the attributes of model, when there is one: until then it is
   readable by its owner only, so that what it copies never shows. */
static int replace_file(const char *target, const struct stat *model,
                        const errata_cli_content *content)
{
    char *tmp = NULL;
    int slot = -1;
    int fd = create_temporary(target, model ? 0600 : 0666, &tmp, &slot);
    if (fd < 0)
        return -1;
    int failed = content->write(fd, content->context);
    if (!failed && model)
        failed = copy_attributes(fd, model);
    if (!failed)
        failed = fsync(fd);
    int err = errno;
    if (close(fd) != 0 && !failed) {
        failed = -1;
        err = errno;
    }
    if (!failed && rename(tmp, target) != 0) {
        failed = -1;
        err = errno;
    }
    if (failed) {
        unlink(tmp);
        if (failed != ERRATA_CLI_CONTENT_REPORTED)
            report(target, "cannot write: %s", strerror(err));
    }
    errata_cli_temporary_forget(slot);
    free(tmp);
    return failed ? -1 : 0;
}

typedef struct {
    const char *data;
    size_t len;
} bytes_content;

static int write_bytes(int fd, void *context)
{
    const bytes_content *b = context;
    return errata_cli_write_fd_all(fd, b->data, b->len);
}

int errata_cli_write_atomic_content(const char *path, const errata_cli_content *content)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? replace_file(path, NULL, content)
                               : report(path, "%s", strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        char *target = realpath(path, NULL);
        if (!target)
            return report(path, "%s", strerror(errno));
        int rc = errata_cli_write_atomic_content(target, content);
        free(target);
        return rc;
    }
    if (!S_ISREG(st.st_mode))
        return write_in_place(path, content);
    return replace_file(path, &st, content);
}

int errata_cli_write_atomic(const char *path, const char *data, size_t len)
{
    bytes_content b = {data, len};
    return errata_cli_write_atomic_content(path, &(errata_cli_content){write_bytes, &b});
}

int errata_cli_write_backup(const char *path, const char *suffix, const char *data, size_t len)
{
    struct stat original;
    if (stat(path, &original) != 0)
        return report(path, "%s", strerror(errno));
    size_t size = strlen(path) + strlen(suffix) + 1;
    char *backup = malloc(size);
    if (!backup)
        return out_of_memory();
    snprintf(backup, size, "%s%s", path, suffix);
    struct stat existing;
    int rc = lstat(backup, &existing) == 0 && !S_ISREG(existing.st_mode)
                 ? report(backup, "exists and is not a regular file")
                 : replace_file(backup, &original,
                                &(errata_cli_content){write_bytes, &(bytes_content){data, len}});
    free(backup);
    return rc;
}

static char *join_path(const char *dir, const char *tail)
{
    size_t size = strlen(dir) + strlen(tail) + 1;
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s%s", dir, tail);
    return path;
}

static const char *non_empty_env(const char *name)
{
    const char *value = getenv(name);
    return value && *value ? value : NULL;
}

char *errata_cli_user_dict_path(void)
{
    const char *explicit_path = non_empty_env("ERRATA_USER_DICT");
    if (explicit_path)
        return join_path(explicit_path, "");
    const char *config = non_empty_env("XDG_CONFIG_HOME");
    if (config)
        return join_path(config, "/errata/user.dict");
    const char *home = non_empty_env("HOME");
    return home ? join_path(home, "/.config/errata/user.dict") : NULL;
}

/* --------------------------------------------------------------- options */

void errata_cli_common_init(errata_cli_common *common)
{
    memset(common, 0, sizeof *common);
    common->apply_threshold = ERRATA_DEFAULT_APPLY_THRESHOLD;
    common->color = ERRATA_CLI_COLOR_AUTO;
}

void errata_cli_common_free(errata_cli_common *common)
{
    free(common->dictionaries);
    free(common->disabled_rules);
    free(common->files);
    memset(common, 0, sizeof *common);
}

int errata_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "errata: %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'errata %s --help'.\n", command);
    return -1;
}

int errata_cli_match(errata_cli_args *args, const char *name, const char **value)
{
    const char *arg = args->argv[args->index];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    int is_long = name[1] == '-';
    if (arg[n] == '=' && is_long) {
        if (!value)
            return errata_cli_usage_error(args->argv[0], "option %s takes no value", name);
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (!value)
        return 1;
    if (args->index + 1 >= args->argc)
        return errata_cli_usage_error(args->argv[0], "option %s needs a value", name);
    *value = args->argv[++args->index];
    return 1;
}

static int append_string(const char ***items, size_t *count, const char *item)
{
    const char **grown = realloc(*items, (*count + 1) * sizeof **items);
    if (!grown)
        return out_of_memory();
    grown[(*count)++] = item;
    *items = grown;
    return 0;
}

static int parse_threshold(const char *command, const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double x = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !(x >= 0.0 && x <= 1.0))
        return errata_cli_usage_error(command, "--threshold needs a number from 0 to 1, not '%s'",
                                      text);
    *out = x;
    return 0;
}

static int parse_color(const char *command, const char *text, errata_cli_color_mode *out)
{
    static const char *const names[] = {"auto", "always", "never"};
    for (int i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0) {
            *out = (errata_cli_color_mode)i;
            return 0;
        }
    return errata_cli_usage_error(command, "--color must be auto, always or never, not '%s'",
                                  text);
}

/* The rules whose names are fixed; the pair families name each rule after
   its pair ("swap/开展>发展").  tests/cli/test_new_user.sh checks that every
   rule name written in lib/ is here. */
static const char *const fixed_rules[] = {
    "flag/dash-dropped",       "flag/deleted-date",     "flag/deleted-digits",
    "flag/deleted-year",       "flag/unclosed-quote",   "layout/chunk-marker",
    "layout/heading-break",    "layout/item-break",     "layout/line-break",
    "layout/page-footer",      "layout/page-header",    "layout/page-number",
    "layout/title-break",      "number/2023-for-20",    "number/dash-dropped",
    "ocr/ascii-colon",         "ocr/ascii-comma",       "ocr/ascii-exclamation",
    "ocr/ascii-paren",         "ocr/ascii-question",    "ocr/ascii-semicolon",
    "ocr/item-point",          "ocr/percent",           "ocr/semicolon-colon",
    "ocr/zero",                "punct/ascii-colon",
    "punct/ascii-comma",       "punct/ascii-exclamation", "punct/ascii-paren",
    "punct/ascii-question",    "punct/ascii-quote",     "punct/ascii-semicolon",
    "punct/quote-standin",     "punct/title-mark",      "punct/tortoise-bracket",
    "quote/close-as-open",     "quote/missing-close"};
static const char *const pair_families[] = {"swap", "lookalike", "latin"};

/* Whether name (n bytes) is a pair rule: FAMILY/OLD>NEW, both non-empty. */
static int is_pair_rule(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof pair_families / sizeof *pair_families; i++) {
        size_t f = strlen(pair_families[i]);
        if (n > f + 1 && strncmp(name, pair_families[i], f) == 0 && name[f] == '/') {
            const char *arrow = memchr(name + f + 1, '>', n - f - 1);
            return arrow && arrow > name + f + 1 && arrow < name + n - 1;
        }
    }
    return 0;
}

/* Whether name (n bytes) is a rule or a prefix of rules ending at a '/'. */
static int is_rule_name(const char *name, size_t n)
{
    if (is_pair_rule(name, n))
        return 1;
    for (size_t i = 0; i < sizeof pair_families / sizeof *pair_families; i++)
        if (strlen(pair_families[i]) == n && strncmp(name, pair_families[i], n) == 0)
            return 1;
    for (size_t i = 0; i < sizeof fixed_rules / sizeof *fixed_rules; i++)
        if (strncmp(fixed_rules[i], name, n) == 0 &&
            (fixed_rules[i][n] == '\0' || fixed_rules[i][n] == '/'))
            return 1;
    return 0;
}

static int check_rule_names(const char *command, const char *rules)
{
    while (*rules) {
        size_t n = strcspn(rules, ",");
        if (n == 0 || !is_rule_name(rules, n))
            return errata_cli_usage_error(command, "--disable: no rule is named '%.*s'", (int)n,
                                          rules);
        rules += n + (rules[n] == ',');
    }
    return 0;
}

static int add_disabled_rules(const char *command, errata_cli_common *common, const char *rules)
{
    if (!*rules)
        return errata_cli_usage_error(command, "--disable needs rule names");
    if (check_rule_names(command, rules))
        return -1;
    size_t old_len = common->disabled_rules ? strlen(common->disabled_rules) : 0;
    char *joined = realloc(common->disabled_rules, old_len + strlen(rules) + 2);
    if (!joined)
        return out_of_memory();
    if (old_len)
        joined[old_len++] = ',';
    strcpy(joined + old_len, rules);
    common->disabled_rules = joined;
    return 0;
}

/* The common flags that take no value. */
static int parse_common_switch(errata_cli_args *args, errata_cli_common *c)
{
    const struct {
        const char *name;
        int *flag;
    } flags[] = {{"--no-default-dict", &c->no_default_dictionaries},
                 {"--no-model", &c->no_model},
                 {"--no-char-model", &c->no_char_model},
                 {"--all", &c->apply_all},
                 {"--quiet", &c->quiet},
                 {"-q", &c->quiet}};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        int r = errata_cli_match(args, flags[i].name, NULL);
        if (r > 0)
            *flags[i].flag = 1;
        if (r != 0)
            return r;
    }
    int r = errata_cli_match(args, "--aggressive", NULL);
    if (r > 0)
        c->apply_threshold = ERRATA_CLI_AGGRESSIVE_THRESHOLD;
    if (r == 0 && (r = errata_cli_match(args, "--conservative", NULL)) > 0)
        c->apply_threshold = ERRATA_CLI_CONSERVATIVE_THRESHOLD;
    return r;
}

/* --input-encoding / --output-encoding, for the commands that take it:
   1 taken, 0 not this option, -1 bad. */
static int parse_encoding(errata_cli_args *args, const char *name, unsigned option,
                          const errata_cli_common *c, errata_encoding *out)
{
    const char *value = NULL;
    int r = c->encoding_options & option ? errata_cli_match(args, name, &value) : 0;
    if (r > 0 && (errata_encoding_from_name(value, out) != ERRATA_OK ||
                  *out == ERRATA_ENCODING_AUTO)) /* "auto" names no encoding */
        return errata_cli_usage_error(args->argv[0], "unknown encoding '%s'", value);
    return r;
}

/* The common flags with a value: 1 taken, 0 none of them, -1 bad. */
static int parse_common_valued(errata_cli_args *args, errata_cli_common *c)
{
    const char *command = args->argv[0], *value = NULL;
    int r, bad = 0;
    if ((r = errata_cli_match(args, "--dict", &value)) > 0)
        bad = append_string(&c->dictionaries, &c->dictionary_count, value);
    else if (r == 0 && (r = errata_cli_match(args, "--model", &value)) > 0)
        c->model_path = value;
    else if (r == 0 && (r = errata_cli_match(args, "--char-model", &value)) > 0)
        c->char_model_path = value;
    else if (r == 0 && (r = errata_cli_match(args, "--threshold", &value)) > 0)
        bad = parse_threshold(command, value, &c->apply_threshold);
    else if (r == 0 && (r = errata_cli_match(args, "--disable", &value)) > 0)
        bad = add_disabled_rules(command, c, value);
    else if (r == 0 && (r = errata_cli_match(args, "--color", &value)) > 0)
        bad = parse_color(command, value, &c->color);
    if (r == 0)
        r = parse_encoding(args, "--input-encoding", ERRATA_CLI_INPUT_ENCODING, c,
                           &c->input_encoding);
    if (r == 0)
        r = parse_encoding(args, "--output-encoding", ERRATA_CLI_OUTPUT_ENCODING, c,
                           &c->output_encoding);
    return bad ? -1 : r;
}

int errata_cli_parse_common(errata_cli_args *args, errata_cli_common *common)
{
    int r = parse_common_valued(args, common);
    return r != 0 ? r : parse_common_switch(args, common);
}

static int is_operand(const errata_cli_args *args)
{
    const char *arg = args->argv[args->index];
    return args->options_ended || arg[0] != '-' || strcmp(arg, "-") == 0;
}

int errata_cli_parse(int argc, char **argv, const char *help, errata_cli_option_fn own_option,
                     void *context, errata_cli_common *common)
{
    errata_cli_args args = {argc, argv, 1, 0};
    for (; args.index < argc; args.index++) {
        const char *arg = argv[args.index];
        if (is_operand(&args)) {
            if (append_string(&common->files, &common->file_count, arg))
                return -1;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            args.options_ended = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(help, stdout);
            return 1;
        }
        int taken = own_option ? own_option(&args, context) : 0;
        if (taken == 0)
            taken = errata_cli_parse_common(&args, common);
        if (taken < 0)
            return -1;
        if (taken == 0)
            return errata_cli_usage_error(argv[0], "unknown option '%s'", arg);
    }
    return 0;
}

/* ---------------------------------------------------------------- engine */

int errata_cli_engine_new(const errata_cli_common *common, errata_engine **out)
{
    const char **paths = malloc((common->dictionary_count + 1) * sizeof *paths);
    char *user_dict = errata_cli_user_dict_path();
    if (!paths) {
        free(user_dict);
        return out_of_memory();
    }
    size_t count = 0;
    if (user_dict && access(user_dict, F_OK) == 0)
        paths[count++] = user_dict;
    for (size_t i = 0; i < common->dictionary_count; i++)
        paths[count++] = common->dictionaries[i];

    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = common->no_default_dictionaries;
    opts.dictionary_paths = paths;
    opts.dictionary_count = count;
    opts.model_path = common->model_path;
    opts.no_model = common->no_model;
    opts.char_model_path = common->char_model_path;
    opts.no_char_model = common->no_char_model;
    int rc = errata_engine_new(out, &opts);
    if (rc != ERRATA_OK)
        fprintf(stderr, "errata: %s\n", errata_error_message());
    free(paths);
    free(user_dict);
    return rc == ERRATA_OK ? 0 : -1;
}

errata_check_options errata_cli_check_options(const errata_cli_common *common)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.apply_threshold = common->apply_threshold;
    if (opts.propose_threshold > opts.apply_threshold)
        opts.propose_threshold = opts.apply_threshold;
    opts.disabled_rules = common->disabled_rules;
    return opts;
}

int errata_cli_edit_applies(const errata_cli_common *common, const errata_edit *edit)
{
    return edit->action == ERRATA_ACTION_APPLY ||
           (common->apply_all && edit->action == ERRATA_ACTION_PROPOSE);
}

const errata_edit *errata_cli_result_edit(const errata_result *result, size_t i,
                                          errata_edit *slot)
{
    if (errata_result_read_edit(result, i, slot) != ERRATA_OK)
        memset(slot, 0, sizeof *slot); /* i out of range: a caller's bug */
    return slot;
}

errata_check_options errata_cli_fix_options(const errata_cli_common *common)
{
    errata_check_options opts = errata_cli_check_options(common);
    opts.no_reasons = 1;   /* repairs show no reasons, */
    opts.no_positions = 1; /* and are placed by their bytes */
    return opts;
}

int errata_cli_apply_selected(const errata_cli_common *common, const errata_result *result,
                              const char *text, size_t len, char **fixed, size_t *fixed_len)
{
    size_t count = errata_result_count(result);
    unsigned char *selected = malloc(count ? count : 1);
    if (!selected)
        return ERRATA_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        errata_edit slot;
        selected[i] = (unsigned char)errata_cli_edit_applies(
            common, errata_cli_result_edit(result, i, &slot));
    }
    int rc = errata_result_apply(result, text, len, selected, fixed, fixed_len);
    free(selected);
    return rc;
}

const char *errata_cli_failure(int rc)
{
    return rc == ERRATA_ENOMEM ? "out of memory" : errata_error_message();
}

int errata_cli_fix_input(const errata_engine *engine, const errata_cli_common *common,
                         const errata_cli_document *in, errata_result **result, char **fixed,
                         size_t *fixed_len)
{
    errata_check_options opts = errata_cli_fix_options(common);
    const char *name = errata_cli_display_name(in->raw.path);
    errata_result *checked = NULL;
    if (errata_check(engine, in->text, in->len, &opts, &checked) != ERRATA_OK)
        return report(name, "%s", errata_error_message());
    int rc = errata_cli_apply_selected(common, checked, in->text, in->len, fixed, fixed_len);
    if (rc)
        rc = report(name, "%s", errata_cli_failure(rc));
    if (rc == 0 && result)
        *result = checked;
    else
        errata_result_free(checked);
    return rc;
}

/* ---------------------------------------------------------------- colour */

int errata_cli_use_color(errata_cli_color_mode mode, int fd)
{
    if (mode != ERRATA_CLI_COLOR_AUTO)
        return mode == ERRATA_CLI_COLOR_ALWAYS;
    const char *term = getenv("TERM");
    if (non_empty_env("NO_COLOR") || (term && strcmp(term, "dumb") == 0))
        return 0;
    return isatty(fd);
}

errata_cli_palette errata_cli_palette_for(int color)
{
    if (!color)
        return (errata_cli_palette){"", "", "", "", "", ""};
    return (errata_cli_palette){"\033[1m", "\033[31m", "\033[32m", "\033[36m", "\033[2m", "\033[0m"};
}

/* --------------------------------------------------------------- UTF-8 */

size_t errata_cli_utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static size_t sequence_length(unsigned char c)
{
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    return 1;
}

size_t errata_cli_utf8_valid_length(const unsigned char *s, size_t n, uint32_t *cp_out)
{
    size_t len;
    uint32_t cp, min;
    if (s[0] < 0x80)
        len = 1, cp = s[0], min = 0;
    else if ((s[0] & 0xe0) == 0xc0)
        len = 2, cp = s[0] & 0x1f, min = 0x80;
    else if ((s[0] & 0xf0) == 0xe0)
        len = 3, cp = s[0] & 0x0f, min = 0x800;
    else if ((s[0] & 0xf8) == 0xf0)
        len = 4, cp = s[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    if (cp_out)
        *cp_out = cp;
    return len;
}

uint32_t errata_cli_utf8_next(const char *s, size_t len, size_t *pos)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t n = sequence_length(p[0]);
    if (*pos + n > len)
        n = 1;
    uint32_t cp = n == 1 ? p[0] : p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3F);
    *pos += n;
    return cp;
}
