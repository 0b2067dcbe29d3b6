/* The review sidecar, FILE.errata-review: JSON Lines, a header naming the
   file (its bytes) it belongs to, then one line per answer and per undo, each flushed to
   disk as it is given so that quitting or a crash loses nothing.

     {"errata_review":1,"file":"a.txt","bytes":120,"fnv1a64":"…"}
     {"step":1,"answer":"accept","byte_start":9,"byte_end":15,"old":"…","new":"…","rule":"…"}
     {"step":2,"answer":"edit",…,"replacement":"…"}
     {"undo":2}
*/
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review.h"

#define SIDECAR_FORMAT 1

static const char *const answer_names[] = {"open", "accept", "reject", "edit", "seen"};

char *errata_review_sidecar_path(const char *path)
{
    static const char suffix[] = ".errata-review";
    size_t n = strlen(path);
    char *sidecar = malloc(n + sizeof suffix);
    if (sidecar) {
        memcpy(sidecar, path, n);
        memcpy(sidecar + n, suffix, sizeof suffix);
    }
    return sidecar;
}

/* ------------------------------------------------------------ writing */

/* The header: the file's bytes (not its decoded text), so that a file
   changed in any way, its encoding included, is noticed. */
static void put_header(FILE *f, const void *what)
{
    const errata_review_file *file = what;
    char hash[17];
    snprintf(hash, sizeof hash, "%016" PRIx64, file->hash);
    errata_json_writer w = errata_json_to_file(f);
    errata_json_begin_object(&w);
    errata_json_key(&w, "errata_review");
    errata_json_uint(&w, SIDECAR_FORMAT);
    errata_json_key(&w, "file");
    errata_json_string(&w, file->path);
    errata_json_key(&w, "bytes");
    errata_json_uint(&w, file->doc.raw.len);
    errata_json_key(&w, "fnv1a64");
    errata_json_string(&w, hash);
    errata_json_end_object(&w);
    fputc('\n', f);
}

/* Write one line (built by put) to the open sidecar as a single write. */
static int write_line(errata_review_file *file, void (*put)(FILE *, const void *),
                      const void *what, char *err, size_t err_size)
{
    char *line = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&line, &len);
    if (!f)
        return errata_cli_fail_io(file->sidecar_path, "write", err, err_size);
    put(f, what);
    fclose(f);
    int rc = errata_cli_write_fd_all(file->sidecar_fd, line, len);
    free(line);
    return rc ? errata_cli_fail_io(file->sidecar_path, "write", err, err_size) : 0;
}

/* Open (creating it with its header) the sidecar for appending. */
static int open_sidecar(errata_review_file *file, char *err, size_t err_size)
{
    if (file->sidecar_fd >= 0)
        return 0;
    int fd = open(file->sidecar_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        return errata_cli_fail_io(file->sidecar_path, "open", err, err_size);
    off_t size = lseek(fd, 0, SEEK_END);
    file->sidecar_fd = fd;
    return size == 0 ? write_line(file, put_header, file, err, err_size) : 0;
}

/* Append one line (built by put), then fsync. */
static int append_record(errata_review_file *file, void (*put)(FILE *, const void *),
                         const void *what, char *err, size_t err_size)
{
    if (!file->sidecar_path)
        return 0; /* standard input: nothing to resume */
    if (open_sidecar(file, err, err_size) || write_line(file, put, what, err, err_size))
        return -1;
    if (fsync(file->sidecar_fd) != 0)
        return errata_cli_fail_io(file->sidecar_path, "write", err, err_size);
    return 0;
}

typedef struct {
    const errata_review_item *item;
    const char *dict_line;
} answer_record;

static void put_member(errata_json_writer *w, const char *key, const char *value)
{
    errata_json_key(w, key);
    errata_json_string(w, value);
}

static void put_answer(FILE *f, const void *what)
{
    const answer_record *r = what;
    const errata_review_item *item = r->item;
    errata_json_writer w = errata_json_to_file(f);
    errata_json_begin_object(&w);
    errata_json_key(&w, "step");
    errata_json_uint(&w, item->step);
    put_member(&w, "answer", answer_names[item->state]);
    errata_json_key(&w, "byte_start");
    errata_json_uint(&w, item->byte_start);
    errata_json_key(&w, "byte_end");
    errata_json_uint(&w, item->byte_end);
    put_member(&w, "old", item->old_text);
    put_member(&w, "new", item->new_text);
    put_member(&w, "rule", item->rule);
    if (item->state == ERRATA_REVIEW_EDITED)
        put_member(&w, "replacement", item->replacement);
    if (r->dict_line)
        put_member(&w, "dict", r->dict_line);
    errata_json_end_object(&w);
    fputc('\n', f);
}

static void put_undo(FILE *f, const void *what)
{
    fprintf(f, "{\"undo\":%u}\n", *(const unsigned *)what);
}

int errata_review_sidecar_write_answer(errata_review_file *file, const errata_review_item *item,
                                       const char *dict_line, char *err, size_t err_size)
{
    answer_record r = {item, dict_line};
    return append_record(file, put_answer, &r, err, err_size);
}

int errata_review_sidecar_write_undo(errata_review_file *file, unsigned step, char *err,
                                     size_t err_size)
{
    return append_record(file, put_undo, &step, err, err_size);
}

void errata_review_sidecar_close(errata_review_file *file)
{
    if (file->sidecar_fd >= 0)
        close(file->sidecar_fd);
    file->sidecar_fd = -1;
}

/* ------------------------------------------------------------ reading */

typedef struct {
    errata_review_session *session;
    size_t file_index;
    const char *path;
    size_t line_number;
    char *err;
    size_t err_size;
    /* the dictionary line of each step that added one */
    struct {
        unsigned step;
        char *line;
    } *dict_lines;
    size_t dict_count;
    /* the steps of changes (accepted, edited) whose proposal is gone */
    unsigned *lost_steps;
    size_t lost_count;
} replay;

static int replay_fail(replay *r, const char *why)
{
    snprintf(r->err, r->err_size, "%s:%zu: %s", r->path, r->line_number, why);
    return -1;
}

static int check_header(replay *r, const errata_json_value *o)
{
    const errata_review_file *file = &r->session->files[r->file_index];
    size_t format = 0, bytes = 0;
    const char *hash = NULL;
    if (errata_json_get_size(o, "errata_review", &format) || format != SIDECAR_FORMAT)
        return replay_fail(r, "not an errata review sidecar (or of another version)");
    char expected[17];
    snprintf(expected, sizeof expected, "%016" PRIx64, file->hash);
    if (errata_json_get_size(o, "bytes", &bytes) || !(hash = errata_json_get_string(o, "fnv1a64")) ||
        bytes != file->doc.raw.len || strcmp(hash, expected) != 0) {
        snprintf(r->err, r->err_size,
                 "%s has changed since the answers in %s were given; "
                 "run again with --restart to review it afresh",
                 file->path, r->path);
        return -1;
    }
    return 0;
}

static int parse_state(const char *name, errata_review_state *out)
{
    for (int i = ERRATA_REVIEW_ACCEPTED; i <= ERRATA_REVIEW_SEEN; i++)
        if (strcmp(name, answer_names[i]) == 0) {
            *out = (errata_review_state)i;
            return 0;
        }
    return -1;
}

typedef struct {
    size_t step, byte_start, byte_end;
    const char *answer, *old_text, *new_text, *rule, *replacement, *dict_line;
} answer_fields;

static int read_answer_fields(const errata_json_value *o, answer_fields *a)
{
    memset(a, 0, sizeof *a);
    if (errata_json_get_size(o, "step", &a->step) || a->step == 0 || a->step > UINT32_MAX ||
        errata_json_get_size(o, "byte_start", &a->byte_start) ||
        errata_json_get_size(o, "byte_end", &a->byte_end))
        return -1;
    a->answer = errata_json_get_string(o, "answer");
    a->old_text = errata_json_get_string(o, "old");
    a->new_text = errata_json_get_string(o, "new");
    a->rule = errata_json_get_string(o, "rule");
    a->replacement = errata_json_get_string(o, "replacement");
    a->dict_line = errata_json_get_string(o, "dict");
    return a->answer && a->old_text && a->new_text && a->rule ? 0 : -1;
}

static errata_review_item *find_item(errata_review_file *file, const answer_fields *a)
{
    for (size_t i = 0; i < file->count; i++) {
        errata_review_item *item = &file->items[i];
        if (item->byte_start == a->byte_start && item->byte_end == a->byte_end &&
            strcmp(item->old_text, a->old_text) == 0 && strcmp(item->new_text, a->new_text) == 0 &&
            strcmp(item->rule, a->rule) == 0)
            return item;
    }
    return NULL;
}

static int remember_dict_line(replay *r, unsigned step, const char *line)
{
    void *grown = realloc(r->dict_lines, (r->dict_count + 1) * sizeof *r->dict_lines);
    if (!grown)
        return replay_fail(r, "out of memory");
    r->dict_lines = grown;
    r->dict_lines[r->dict_count].step = step;
    r->dict_lines[r->dict_count].line = strdup(line);
    if (!r->dict_lines[r->dict_count].line)
        return replay_fail(r, "out of memory");
    r->dict_count++;
    return 0;
}

/* A change was accepted that is no longer proposed: it will not be made. */
static int remember_lost_step(replay *r, unsigned step)
{
    unsigned *grown = realloc(r->lost_steps, (r->lost_count + 1) * sizeof *grown);
    if (!grown)
        return replay_fail(r, "out of memory");
    r->lost_steps = grown;
    r->lost_steps[r->lost_count++] = step;
    return 0;
}

static int replay_answer(replay *r, const errata_json_value *o)
{
    errata_review_file *file = &r->session->files[r->file_index];
    answer_fields a;
    errata_review_state state;
    if (read_answer_fields(o, &a) || parse_state(a.answer, &state) ||
        (state == ERRATA_REVIEW_EDITED && !a.replacement))
        return replay_fail(r, "not an answer this version understands");
    unsigned step = (unsigned)a.step;
    if (step > file->last_step)
        file->last_step = step;
    if (a.dict_line && remember_dict_line(r, step, a.dict_line))
        return -1;
    errata_review_item *item = find_item(file, &a);
    if (!item && (state == ERRATA_REVIEW_ACCEPTED || state == ERRATA_REVIEW_EDITED))
        return remember_lost_step(r, step);
    if (!item || item->state != ERRATA_REVIEW_OPEN)
        return 0; /* a rejected proposal that is gone (N taught the dictionary): as asked */
    if (state == ERRATA_REVIEW_EDITED && !(item->replacement = strdup(a.replacement)))
        return replay_fail(r, "out of memory");
    item->state = state;
    item->step = step;
    return 0;
}

static void replay_undo(replay *r, size_t step)
{
    errata_review_file *file = &r->session->files[r->file_index];
    size_t kept = 0;
    for (size_t i = 0; i < r->lost_count; i++)
        if (r->lost_steps[i] != step)
            r->lost_steps[kept++] = r->lost_steps[i];
    r->lost_count = kept;
    for (size_t i = 0; i < file->count; i++) {
        errata_review_item *item = &file->items[i];
        if (item->step != step)
            continue;
        free(item->replacement);
        item->replacement = NULL;
        item->state = ERRATA_REVIEW_OPEN;
        item->step = 0;
    }
}

static int replay_line(replay *r, const char *line, size_t len)
{
    errata_json_value o;
    errata_json_error why;
    int parsed = errata_json_parse(line, len, &o, &why);
    if (parsed) {
        char message[128];
        snprintf(message, sizeof message, "%s at byte %zu", why.what, why.offset);
        return replay_fail(r, parsed == ERRATA_JSON_NOMEM ? "out of memory" : message);
    }
    if (o.type != ERRATA_JSON_OBJECT) {
        errata_json_free(&o);
        return replay_fail(r, "not a JSON object");
    }
    int rc = 0;
    size_t step;
    if (r->line_number == 1)
        rc = check_header(r, &o);
    else if (errata_json_get_size(&o, "undo", &step) == 0)
        replay_undo(r, step);
    else
        rc = replay_answer(r, &o);
    errata_json_free(&o);
    return rc;
}

static const char *dict_line_of(const replay *r, unsigned step)
{
    for (size_t i = 0; i < r->dict_count; i++)
        if (r->dict_lines[i].step == step)
            return r->dict_lines[i].line;
    return NULL;
}

/* One undo step for each step number that still answers something. */
static int rebuild_steps(replay *r)
{
    errata_review_session *session = r->session;
    const errata_review_file *file = &session->files[r->file_index];
    for (unsigned number = 1; number <= file->last_step; number++) {
        errata_review_step step = {0};
        for (size_t i = 0; i < file->count; i++) {
            if (file->items[i].step != number)
                continue;
            errata_review_ref *grown = realloc(step.refs, (step.count + 1) * sizeof *grown);
            if (!grown) {
                free(step.refs);
                return replay_fail(r, "out of memory");
            }
            step.refs = grown;
            step.refs[step.count++] = (errata_review_ref){r->file_index, i};
        }
        if (step.count == 0)
            continue;
        const char *dict_line = dict_line_of(r, number);
        step.cap = step.count;
        step.dict_line = dict_line ? strdup(dict_line) : NULL;
        if (errata_review_push_step(session, &step)) {
            free(step.refs);
            free(step.dict_line);
            return replay_fail(r, "out of memory");
        }
    }
    return 0;
}

/* Replay the complete lines of text; *used is where they end. */
static int replay_text(replay *r, const char *text, size_t len, size_t *used)
{
    size_t pos = 0;
    while (pos < len) {
        const char *newline = memchr(text + pos, '\n', len - pos);
        if (!newline)
            break;
        size_t n = (size_t)(newline - (text + pos));
        r->line_number++;
        if (replay_line(r, text + pos, n))
            return -1;
        pos += n + 1;
    }
    *used = pos;
    r->session->files[r->file_index].lost_answers = r->lost_count;
    return r->line_number ? rebuild_steps(r) : 0;
}

int errata_review_sidecar_load(errata_review_session *session, size_t file_index, char *err,
                               size_t err_size)
{
    const char *path = session->files[file_index].sidecar_path;
    if (!path)
        return 0;
    char *text = NULL;
    size_t len = 0;
    int read_error = errata_cli_read_path(path, &text, &len);
    if (read_error == ENOENT)
        return 0;
    errno = read_error;
    if (read_error)
        return errata_cli_fail_io(path, "read", err, err_size);
    replay r = {session, file_index, path, 0, err, err_size, NULL, 0, NULL, 0};
    size_t used = 0;
    int rc = replay_text(&r, text, len, &used);
    /* A line cut short by a crash was never confirmed: drop it, so that the
       next answer starts a line of its own (and an empty file gets a header). */
    if (!rc && used < len && truncate(path, (off_t)used) != 0)
        rc = errata_cli_fail_io(path, "repair", err, err_size);
    for (size_t i = 0; i < r.dict_count; i++)
        free(r.dict_lines[i].line);
    free(r.dict_lines);
    free(r.lost_steps);
    free(text);
    return rc;
}
