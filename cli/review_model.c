/* The review's state: proposals, their answers, and the undo stack. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "review.h"

static char *copy(const char *s) { return strdup(s ? s : ""); }

static void item_clear(errata_review_item *item)
{
    free(item->old_text);
    free(item->new_text);
    free(item->rule);
    free(item->kind);
    free(item->reason);
    free(item->replacement);
}

int errata_review_file_add_item(errata_review_file *file, const errata_edit *edit)
{
    if (errata_cli_grow((void **)&file->items, &file->cap, file->count, sizeof *file->items))
        return -1;
    errata_review_item *item = &file->items[file->count];
    memset(item, 0, sizeof *item);
    item->byte_start = edit->byte_start;
    item->byte_end = edit->byte_end;
    item->line = edit->line;
    item->column = edit->column;
    item->action = edit->action;
    item->confidence = edit->confidence;
    item->old_text = copy(edit->old_text);
    item->new_text = copy(edit->new_text);
    item->rule = copy(edit->rule);
    item->kind = copy(errata_kind_name(edit->kind));
    item->reason = copy(edit->reason);
    if (!item->old_text || !item->new_text || !item->rule || !item->kind || !item->reason) {
        item_clear(item);
        return -1;
    }
    file->count++;
    return 0;
}

void errata_review_file_clear(errata_review_file *file)
{
    for (size_t i = 0; i < file->count; i++)
        item_clear(&file->items[i]);
    errata_review_sidecar_close(file);
    free(file->items);
    free(file->path);
    free(file->sidecar_path);
    errata_cli_document_free(&file->doc);
    memset(file, 0, sizeof *file);
    file->sidecar_fd = -1;
}

size_t errata_review_file_open_count(const errata_review_file *file)
{
    size_t open = 0;
    for (size_t i = 0; i < file->count; i++)
        open += file->items[i].state == ERRATA_REVIEW_OPEN;
    return open;
}

int errata_review_file_result(const errata_review_file *file, char **out, size_t *out_len)
{
    errata_edit *edits = calloc(file->count ? file->count : 1, sizeof *edits);
    if (!edits)
        return ERRATA_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < file->count; i++) {
        const errata_review_item *item = &file->items[i];
        if (item->state != ERRATA_REVIEW_ACCEPTED && item->state != ERRATA_REVIEW_EDITED)
            continue;
        edits[n].byte_start = item->byte_start;
        edits[n].byte_end = item->byte_end;
        edits[n].new_text =
            item->state == ERRATA_REVIEW_EDITED ? item->replacement : item->new_text;
        n++;
    }
    int rc = errata_apply(file->doc.text, file->doc.len, edits, n, out, out_len);
    free(edits);
    return rc;
}

/* ------------------------------------------------------------ answering */

static int step_add_ref(errata_review_step *step, size_t file, size_t item)
{
    if (errata_cli_grow((void **)&step->refs, &step->cap, step->count, sizeof *step->refs))
        return -1;
    step->refs[step->count++] = (errata_review_ref){file, item};
    return 0;
}

static void step_clear(errata_review_step *step)
{
    free(step->refs);
    free(step->dict_line);
    memset(step, 0, sizeof *step);
}

static int is_flag(const errata_review_item *item) { return item->action == ERRATA_ACTION_FLAG; }

/* Whether the key pressed at `at` (in file at_file) also answers `other`. */
static int in_scope(errata_review_scope scope, const errata_review_item *at, size_t at_file,
                    const errata_review_item *other, size_t other_file)
{
    if (other->state != ERRATA_REVIEW_OPEN || is_flag(other) != is_flag(at))
        return 0;
    switch (scope) {
    case ERRATA_REVIEW_SCOPE_ONE:
        return 0;
    case ERRATA_REVIEW_SCOPE_RULE_IN_FILE:
        return other_file == at_file && strcmp(other->rule, at->rule) == 0;
    case ERRATA_REVIEW_SCOPE_RULE_ALL:
        return strcmp(other->rule, at->rule) == 0;
    case ERRATA_REVIEW_SCOPE_PAIR_ALL:
        return strcmp(other->old_text, at->old_text) == 0 &&
               strcmp(other->new_text, at->new_text) == 0;
    case ERRATA_REVIEW_SCOPE_WORD_ALL:
        return strcmp(other->old_text, at->old_text) == 0;
    }
    return 0;
}

/* Give file's item its answer as part of the file's step number `number`. */
static int set_answer(errata_review_item *item, errata_review_state state,
                      const char *replacement, unsigned number)
{
    char *text = NULL;
    if (state == ERRATA_REVIEW_EDITED && !(text = strdup(replacement)))
        return -1;
    if (is_flag(item))
        state = ERRATA_REVIEW_SEEN;
    free(item->replacement);
    item->replacement = text;
    item->state = state;
    item->step = number;
    return 0;
}

/* The step number a file gives the current key press (one per file per key). */
static unsigned file_step_number(errata_review_file *file, const errata_review_step *step,
                                 size_t file_index)
{
    for (size_t i = 0; i < step->count; i++)
        if (step->refs[i].file == file_index)
            return file->last_step;
    return ++file->last_step;
}

static int answer_one(errata_review_session *session, errata_review_step *step, size_t f,
                      size_t i, errata_review_state state, const char *replacement,
                      const char *dict_line, char *err, size_t err_size)
{
    errata_review_file *file = &session->files[f];
    unsigned number = file_step_number(file, step, f);
    if (set_answer(&file->items[i], state, replacement, number) || step_add_ref(step, f, i)) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    return errata_review_sidecar_write_answer(file, &file->items[i], dict_line, err, err_size);
}

int errata_review_push_step(errata_review_session *session, errata_review_step *step)
{
    if (errata_cli_grow((void **)&session->steps, &session->step_cap, session->step_count,
                        sizeof *session->steps))
        return -1;
    session->steps[session->step_count++] = *step;
    return 0;
}

int errata_review_answer(errata_review_session *session, size_t file_index, size_t item_index,
                         errata_review_state state, const char *replacement,
                         errata_review_scope scope, const char *dict_line, char *err,
                         size_t err_size)
{
    errata_review_step step = {0};
    if (dict_line && !(step.dict_line = strdup(dict_line))) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    const errata_review_item at = session->files[file_index].items[item_index];
    int rc = answer_one(session, &step, file_index, item_index, state, replacement, dict_line,
                        err, err_size);
    for (size_t f = 0; f < session->file_count && !rc; f++) {
        errata_review_file *file = &session->files[f];
        for (size_t i = 0; i < file->count && !rc; i++)
            if (in_scope(scope, &at, file_index, &file->items[i], f))
                rc = answer_one(session, &step, f, i, state, NULL, NULL, err, err_size);
    }
    if (!rc && errata_review_push_step(session, &step)) {
        snprintf(err, err_size, "out of memory");
        rc = -1;
    }
    if (rc)
        step_clear(&step);
    return rc;
}

/* ------------------------------------------------------------ undo */

static void reopen(errata_review_item *item)
{
    free(item->replacement);
    item->replacement = NULL;
    item->state = ERRATA_REVIEW_OPEN;
    item->step = 0;
}

static int undo_in_file(errata_review_session *session, const errata_review_step *step, size_t f,
                        char *err, size_t err_size)
{
    errata_review_file *file = &session->files[f];
    unsigned number = 0;
    for (size_t i = 0; i < step->count; i++) {
        if (step->refs[i].file != f)
            continue;
        errata_review_item *item = &file->items[step->refs[i].item];
        number = item->step;
        reopen(item);
    }
    return number ? errata_review_sidecar_write_undo(file, number, err, err_size) : 0;
}

int errata_review_undo(errata_review_session *session, size_t *file_index, size_t *item_index,
                       char *err, size_t err_size)
{
    if (session->step_count == 0)
        return 1;
    errata_review_step *step = &session->steps[session->step_count - 1];
    *file_index = step->refs[0].file;
    *item_index = step->refs[0].item;
    int rc = 0;
    for (size_t f = 0; f < session->file_count && !rc; f++)
        rc = undo_in_file(session, step, f, err, err_size);
    if (rc)
        return -1;
    if (step->dict_line && errata_review_dict_remove(session->dict_path, step->dict_line) < 0) {
        snprintf(err, err_size, "%s: could not take the entry back out", session->dict_path);
        rc = -1;
    }
    step_clear(step);
    session->step_count--;
    return rc;
}

void errata_review_session_clear(errata_review_session *session)
{
    for (size_t i = 0; i < session->step_count; i++)
        step_clear(&session->steps[i]);
    free(session->steps);
    for (size_t f = 0; f < session->file_count; f++)
        errata_review_file_clear(&session->files[f]);
    free(session->files);
    memset(session, 0, sizeof *session);
}
