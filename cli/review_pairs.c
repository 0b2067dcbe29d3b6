/* errata review --pairs FILE: go through the pairs of a dictionary written
   by `errata learn`, one by one, each with its evidence and a few of its
   occurrences in the batch; the accepted entries are added to the user
   dictionary (as written, context rules and examples included). */
#include <stdlib.h>
#include <string.h>

#include "review.h"

/* One entry of the learnt dictionary, with the comment lines before it. */
typedef struct {
    char *line;     /* the entry line, without its newline */
    char *evidence; /* the comment lines just before it, "# " taken off */
    size_t line_number;
} learnt_entry;

typedef struct {
    learnt_entry *items;
    size_t count, cap;
} learnt_list;

static void learnt_list_free(learnt_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].line);
        free(list->items[i].evidence);
    }
    free(list->items);
}

static int add_entry(learnt_list *list, const char *line, size_t len, errata_cli_buffer *comment,
                     size_t line_number)
{
    if (errata_cli_grow((void **)&list->items, &list->cap, list->count, sizeof *list->items))
        return -1;
    learnt_entry *e = &list->items[list->count];
    e->line = strndup(line, len);
    e->evidence = strdup(comment->data ? comment->data : "");
    e->line_number = line_number;
    if (!e->line || !e->evidence) {
        free(e->line);
        free(e->evidence);
        return -1;
    }
    list->count++;
    return 0;
}

/* The entries of the dictionary text (substitution entries only: the
   header, `!keep` lines and blank lines are passed over). */
static int parse_learnt(const char *text, size_t len, learnt_list *list)
{
    errata_cli_buffer comment = {0};
    size_t number = 0;
    int rc = 0;
    for (size_t pos = 0; pos < len && !rc; number++) {
        const char *end = memchr(text + pos, '\n', len - pos);
        size_t n = end ? (size_t)(end - text) - pos : len - pos;
        const char *line = text + pos;
        if (n > 0 && line[0] == '#') {
            size_t skip = n > 1 && line[1] == ' ' ? 2 : 1;
            rc = errata_cli_buffer_append(&comment, line + skip, n - skip) ||
                 errata_cli_buffer_append(&comment, "\n", 1);
        } else {
            if (n > 0 && memchr(line, '\t', n) && line[0] != '!')
                rc = add_entry(list, line, n, &comment, number + 1);
            comment.len = 0;
            if (comment.data)
                comment.data[0] = '\0';
        }
        pos += n + 1;
    }
    free(comment.data);
    return rc;
}

/* The fix= examples of an entry line, shown as "TEXT → EXPECTED". */
static void show_examples(FILE *out, const char *line)
{
    const char *p = line;
    size_t shown = 0;
    while ((p = strstr(p, "\tfix=")) != NULL) {
        p += 5;
        size_t n = strcspn(p, "\t");
        const char *arrow = memchr(p, '>', n);
        if (arrow)
            fprintf(out, "    %.*s  ->  %.*s\r\n", (int)(arrow - p), p, (int)(n - (size_t)(arrow - p) - 1),
                    arrow + 1);
        shown++;
    }
    if (!shown)
        fputs("    (no example)\r\n", out);
}

static void show_entry(FILE *out, const learnt_entry *e, size_t index, size_t count)
{
    size_t corrupted = strcspn(e->line, "\t");
    const char *original = e->line + corrupted + 1;
    size_t original_len = strcspn(original, "\t");
    fprintf(out, "\r\n[%zu/%zu] %.*s -> %.*s\r\n", index + 1, count, (int)corrupted, e->line,
            (int)original_len, original);
    for (const char *p = e->evidence; *p;) {
        size_t n = strcspn(p, "\n");
        if (n)
            fprintf(out, "  %.*s\r\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
    fputs("  In the batch:\r\n", out);
    show_examples(out, e->line);
    fputs("Add this pair to your dictionary? [y]es [n]o [q]uit [?] ", out);
    fflush(out);
}

typedef enum { ANSWER_YES, ANSWER_NO, ANSWER_QUIT, ANSWER_FAILED } answer;

static answer ask(errata_review_term *term)
{
    FILE *out = errata_review_term_out(term);
    for (;;) {
        int32_t key = errata_review_term_key(term);
        if (key == 'y' || key == 'n' || key == 'q') {
            fprintf(out, "%c\r\n", (char)key);
            return key == 'y' ? ANSWER_YES : key == 'n' ? ANSWER_NO : ANSWER_QUIT;
        }
        if (key == ERRATA_REVIEW_KEY_EOF || key == ERRATA_REVIEW_KEY_SIGNAL)
            return ANSWER_QUIT;
        if (key == ERRATA_REVIEW_KEY_ERROR)
            return ANSWER_FAILED;
        if (key == '?')
            fputs("\r\n  y: add the entry to your dictionary   n: leave it out   q: stop here\r\n"
                  "Add this pair to your dictionary? [y]es [n]o [q]uit [?] ",
                  out);
        fflush(out);
    }
}

/* Go through the entries; *added counts those written to dict_path. */
static int review_entries(const learnt_list *list, const char *dict_path, size_t *added,
                          size_t *answered)
{
    char err[512] = "";
    errata_review_term *term = NULL;
    if (errata_review_term_open(&term, err, sizeof err)) {
        fprintf(stderr, "errata: review: %s\n", err);
        return -1;
    }
    FILE *out = errata_review_term_out(term);
    int rc = 0;
    for (size_t i = 0; i < list->count && !rc; i++) {
        show_entry(out, &list->items[i], i, list->count);
        answer a = ask(term);
        if (a == ANSWER_QUIT)
            break;
        if (a == ANSWER_FAILED) {
            rc = -1;
            break;
        }
        (*answered)++;
        if (a == ANSWER_YES) {
            int r = errata_review_dict_append(dict_path, list->items[i].line, err, sizeof err);
            if (r < 0) {
                fprintf(out, "errata: %s\r\n", err);
                rc = -1;
            }
            *added += r == 0;
        }
    }
    int signal = errata_review_term_signal(term);
    errata_review_term_close(term);
    return rc ? rc : signal ? 1 : 0;
}

int errata_review_pairs(const char *path, const errata_cli_common *common)
{
    if (common->file_count)
        return errata_cli_usage_error("review", "--pairs takes no FILE operands");
    char *text = NULL;
    size_t len = 0;
    int err = errata_cli_read_path(path, &text, &len);
    if (err) {
        fprintf(stderr, "errata: %s: cannot read: %s\n", path, strerror(err));
        return -1;
    }
    learnt_list list = {0};
    char *dict_path = errata_cli_user_dict_path();
    int rc = parse_learnt(text, len, &list);
    if (rc)
        fputs("errata: out of memory\n", stderr);
    if (!rc && !dict_path) {
        fputs("errata: review: no place for the user dictionary (set ERRATA_USER_DICT or HOME)\n",
              stderr);
        rc = -1;
    }
    size_t added = 0, answered = 0;
    if (!rc && list.count == 0)
        fprintf(stderr, "errata: %s: no pairs to review\n", path);
    else if (!rc)
        rc = review_entries(&list, dict_path, &added, &answered);
    if (rc >= 0 && list.count)
        fprintf(stderr, "errata: %zu of %zu pair%s answered, %zu added to %s\n", answered,
                list.count, list.count == 1 ? "" : "s", added, dict_path);
    free(dict_path);
    learnt_list_free(&list);
    free(text);
    return rc;
}
