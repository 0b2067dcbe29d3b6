/* errata diff: what fix would change, as a unified diff.
 *
 * The changes are known edits, so no longest-common-subsequence search is
 * needed: each run of old lines touched by edits becomes a block of removed
 * lines and the same lines with the edits applied; blocks closer than twice
 * the context share a hunk. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define CONTEXT_LINES 3

static const char diff_help[] =
    "Usage: errata diff [OPTION...] [FILE...]\n"
    "Show what 'errata fix' would change in each FILE (standard input when there\n"
    "is none, or for '-') as a unified diff ('--- a/FILE', '+++ b/FILE', three\n"
    "lines of context), which 'patch -p1' or 'git apply' can apply.\n"
    "\n"
    "  -q, --quiet          print nothing; the exit status tells\n"
    "  --color=WHEN         auto (default: only on a terminal, not with NO_COLOR),\n"
    "                       always or never\n"
    "  --output-encoding ENC\n"
    "                       show the lines in ENC (UTF-8, UTF-8-BOM or GB18030)\n"
    "\n"
    "Each FILE is decoded as errata fix does.  Its lines are shown in its own\n"
    "encoding (a UTF-8 BOM on the first line), so that the diff applies to it;\n"
    "a UTF-16 file's lines are shown in UTF-8, which patch cannot apply.\n"
    "\n"
    "  --dict FILE, --no-default-dict, --model FILE, --no-model, --char-model FILE,\n"
    "  --no-char-model, --threshold=X, --conservative, --aggressive, --all,\n"
    "  --disable=RULE,..., --input-encoding ENC: as for errata fix.\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 no differences, 1 differences, 2 error.\n";

/* Where each line of a text starts: line i is [start[i], start[i + 1]),
   its '\n' included; start[count] is the text's length. */
typedef struct {
    const char *text;
    size_t len;
    size_t *start;
    size_t count;
} line_table;

static int line_table_build(line_table *t, const char *text, size_t len)
{
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (len && text[len - 1] != '\n')
        lines++;
    t->text = text;
    t->len = len;
    t->count = 0;
    t->start = malloc((lines + 1) * sizeof *t->start);
    if (!t->start)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (i == 0 || text[i - 1] == '\n')
            t->start[t->count++] = i;
    t->start[t->count] = len;
    return 0;
}

/* The line holding byte pos; the end of a text that ends with '\n' (or is
   empty) is on line count, a line of its own. */
static size_t line_at(const line_table *t, size_t pos)
{
    if (pos >= t->len)
        return t->len && t->text[t->len - 1] != '\n' ? t->count - 1 : t->count;
    size_t lo = 0, hi = t->count - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (t->start[mid] <= pos)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* Old lines [first, end) replaced by new_text (which has new_count lines). */
typedef struct {
    size_t first, end;
    char *new_text;
    size_t new_len, new_count;
} change_block;

typedef struct {
    change_block *items;
    size_t count;
} block_list;

static void block_list_free(block_list *blocks)
{
    for (size_t i = 0; i < blocks->count; i++)
        errata_free(blocks->items[i].new_text);
    free(blocks->items);
}

static size_t count_lines(const char *text, size_t len)
{
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    return lines + (len && text[len - 1] != '\n');
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The block's new text: its old lines with edits[0, count) applied. */
static int apply_block(const line_table *t, const errata_edit *const *edits, size_t count,
                       change_block *block)
{
    size_t base = t->start[min_size(block->first, t->count)];
    size_t stop = t->start[min_size(block->end, t->count)];
    errata_edit *shifted = malloc((count ? count : 1) * sizeof *shifted);
    if (!shifted)
        return -1;
    for (size_t i = 0; i < count; i++) {
        shifted[i] = *edits[i];
        shifted[i].byte_start -= base;
        shifted[i].byte_end -= base;
    }
    errata_free(block->new_text);
    block->new_text = NULL;
    int rc = errata_apply(t->text + base, stop - base, shifted, count, &block->new_text,
                          &block->new_len);
    free(shifted);
    return rc == ERRATA_OK ? 0 : -1;
}

/* Last old line touched by an edit (an insertion touches the line it is on). */
static size_t last_line_of(const line_table *t, const errata_edit *e)
{
    if (e->byte_end == e->byte_start)
        return line_at(t, e->byte_start);
    return line_at(t, e->byte_end - 1);
}

/* One block from edits[*next]: grown over every edit reaching into it or
   into the line after it, and until its new text ends a line (an edit may
   have removed a line break). */
static int build_block(const line_table *t, const errata_edit *const *edits, size_t count,
                       size_t *next, change_block *block)
{
    size_t taken = *next;
    block->first = line_at(t, edits[taken]->byte_start);
    block->end = block->first;
    for (;;) {
        while (taken < count && line_at(t, edits[taken]->byte_start) <= block->end) {
            size_t end = last_line_of(t, edits[taken]) + 1;
            if (end > block->end)
                block->end = end;
            taken++;
        }
        if (apply_block(t, edits + *next, taken - *next, block))
            return -1;
        int open_line = block->new_len && block->new_text[block->new_len - 1] != '\n';
        if (!open_line || block->end >= t->count)
            break;
        block->end++;
    }
    *next = taken;
    block->end = min_size(block->end, t->count);
    block->new_count = count_lines(block->new_text, block->new_len);
    return 0;
}

static int build_blocks(const line_table *t, const errata_edit *const *edits, size_t count,
                        block_list *blocks)
{
    blocks->items = calloc(count ? count : 1, sizeof *blocks->items);
    blocks->count = 0;
    if (!blocks->items)
        return -1;
    for (size_t next = 0; next < count;) {
        change_block *block = &blocks->items[blocks->count++];
        if (build_block(t, edits, count, &next, block))
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- output */

typedef struct {
    FILE *out;
    errata_cli_palette palette;
    /* The encoding the lines are shown in (never UTF-16), and whether the
       file's first line starts with a UTF-8 BOM there. */
    errata_encoding encoding;
    int bom;
    int failed; /* a line could not be encoded (out of memory) */
} diff_output;

/* A line's text (without its '\n') in the output encoding. */
static void put_text(diff_output *o, const char *text, size_t len, int first_of_file)
{
    if (first_of_file && o->bom)
        fputs("\xEF\xBB\xBF", o->out);
    if (o->encoding == ERRATA_ENCODING_UTF8 || o->encoding == ERRATA_ENCODING_UTF8_BOM) {
        fwrite(text, 1, len, o->out);
        return;
    }
    char *encoded = NULL;
    size_t encoded_len = 0;
    if (errata_encode(text, len, o->encoding, &encoded, &encoded_len) == ERRATA_OK)
        fwrite(encoded, 1, encoded_len, o->out);
    else
        o->failed = 1;
    errata_free(encoded);
}

static void put_line(diff_output *o, const char *colour, char mark, const char *line,
                     size_t len, int first_of_file)
{
    int ends_line = len && line[len - 1] == '\n';
    fprintf(o->out, "%s%c", colour, mark);
    put_text(o, line, ends_line ? len - 1 : len, first_of_file);
    fprintf(o->out, "%s\n", *colour ? o->palette.reset : "");
    if (!ends_line)
        fputs("\\ No newline at end of file\n", o->out);
}

static void put_old_lines(diff_output *o, const line_table *t, size_t from, size_t to,
                          const char *colour, char mark)
{
    for (size_t i = from; i < to; i++)
        put_line(o, colour, mark, t->text + t->start[i], t->start[i + 1] - t->start[i], i == 0);
}

static void put_new_lines(diff_output *o, const change_block *b)
{
    const char *line = b->new_text, *end = b->new_text + b->new_len;
    while (line < end) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl + 1 : end;
        put_line(o, o->palette.green, '+', line, (size_t)(stop - line),
                 b->first == 0 && line == b->new_text);
        line = stop;
    }
}

static void put_range(FILE *out, size_t start, size_t count)
{
    fprintf(out, "%zu", count ? start + 1 : start);
    if (count != 1)
        fprintf(out, ",%zu", count);
}

/* The hunk made of blocks [first, last]; shift is the new-minus-old line
   count of the blocks before it. */
static void put_hunk(diff_output *o, const line_table *t, const change_block *blocks,
                     size_t first, size_t last, long shift)
{
    size_t from = blocks[first].first > CONTEXT_LINES ? blocks[first].first - CONTEXT_LINES : 0;
    size_t to = blocks[last].end + CONTEXT_LINES < t->count ? blocks[last].end + CONTEXT_LINES
                                                             : t->count;
    long growth = 0;
    for (size_t i = first; i <= last; i++)
        growth += (long)blocks[i].new_count - (long)(blocks[i].end - blocks[i].first);
    fprintf(o->out, "%s@@ -", o->palette.cyan);
    put_range(o->out, from, to - from);
    fputs(" +", o->out);
    put_range(o->out, (size_t)((long)from + shift), (size_t)((long)(to - from) + growth));
    fprintf(o->out, " @@%s\n", o->palette.reset);

    size_t line = from;
    for (size_t i = first; i <= last; i++) {
        put_old_lines(o, t, line, blocks[i].first, "", ' ');
        put_old_lines(o, t, blocks[i].first, blocks[i].end, o->palette.red, '-');
        put_new_lines(o, &blocks[i]);
        line = blocks[i].end;
    }
    put_old_lines(o, t, line, to, "", ' ');
}

static void put_diff(diff_output *o, const char *path, const line_table *t,
                     const block_list *blocks)
{
    fprintf(o->out, "%s--- a/%s\n+++ b/%s%s\n", o->palette.bold, path, path, o->palette.reset);
    long shift = 0;
    for (size_t first = 0; first < blocks->count;) {
        size_t last = first;
        while (last + 1 < blocks->count &&
               blocks->items[last + 1].first - blocks->items[last].end <= 2 * CONTEXT_LINES)
            last++;
        put_hunk(o, t, blocks->items, first, last, shift);
        for (size_t i = first; i <= last; i++)
            shift += (long)blocks->items[i].new_count -
                     (long)(blocks->items[i].end - blocks->items[i].first);
        first = last + 1;
    }
}

/* ------------------------------------------------------------------ main */

typedef struct {
    const errata_engine *engine;
    const errata_cli_common *common;
    FILE *out;
    errata_cli_palette palette;
} diff_run;

static int is_utf16(errata_encoding e)
{
    return e >= ERRATA_ENCODING_UTF16LE && e <= ERRATA_ENCODING_UTF16BE_BOM;
}

/* The lines go out in --output-encoding, else in the file's own encoding,
   so that the diff applies to the file; a UTF-16 file's in UTF-8. */
static diff_output output_for(const diff_run *run, const errata_cli_document *doc)
{
    errata_encoding e = run->common->output_encoding;
    if (e == ERRATA_ENCODING_AUTO)
        e = is_utf16(doc->encoding) ? ERRATA_ENCODING_UTF8 : doc->encoding;
    return (diff_output){run->out, run->palette, e, e == ERRATA_ENCODING_UTF8_BOM, 0};
}

/* The edits fix would apply, in text order. */
static const errata_edit **applied_edits(const errata_cli_common *common,
                                         const errata_result *result, size_t *count)
{
    size_t total = errata_result_count(result);
    const errata_edit **edits = malloc((total ? total : 1) * sizeof *edits);
    *count = 0;
    for (size_t i = 0; edits && i < total; i++) {
        const errata_edit *e = errata_result_edit(result, i);
        if (errata_cli_edit_applies(common, e))
            edits[(*count)++] = e;
    }
    return edits;
}

static int show_changes(const diff_run *run, const char *path, const errata_cli_document *in,
                        const errata_result *result)
{
    size_t count = 0;
    const errata_edit **edits = applied_edits(run->common, result, &count);
    line_table table = {0};
    block_list blocks = {0};
    diff_output output = output_for(run, in);
    int rc = !edits || line_table_build(&table, in->text, in->len) ||
             build_blocks(&table, edits, count, &blocks);
    if (!rc && blocks.count && !run->common->quiet)
        put_diff(&output, path, &table, &blocks);
    rc |= output.failed;
    if (rc)
        fprintf(stderr, "errata: %s: cannot build the diff: %s\n", errata_cli_display_name(path),
                *errata_error_message() ? errata_error_message() : "out of memory");
    block_list_free(&blocks);
    free(table.start);
    free(edits);
    return rc ? -1 : blocks.count > 0;
}

/* 1 differences, 0 none, -1 error. */
static int diff_one(const diff_run *run, const char *path)
{
    errata_cli_document in;
    if (errata_cli_read_document(path, run->common->input_encoding, &in))
        return -1;
    errata_result *result = NULL;
    char *fixed = NULL;
    size_t fixed_len = 0;
    int rc = errata_cli_fix_input(run->engine, run->common, &in, &result, &fixed, &fixed_len);
    if (rc == 0 && errata_cli_text_changed(&in, fixed, fixed_len))
        rc = show_changes(run, path, &in, result);
    errata_free(fixed);
    errata_result_free(result);
    errata_cli_document_free(&in);
    return rc;
}

int errata_cli_diff_main(int argc, char **argv)
{
    errata_cli_common common;
    errata_cli_common_init(&common);
    common.encoding_options = ERRATA_CLI_INPUT_ENCODING | ERRATA_CLI_OUTPUT_ENCODING;
    int rc = errata_cli_parse(argc, argv, diff_help, NULL, NULL, &common);
    if (rc == 0 && is_utf16(common.output_encoding))
        rc = errata_cli_usage_error("diff", "a diff cannot be written in %s",
                                    errata_encoding_name(common.output_encoding));
    errata_engine *engine = NULL;
    int status = rc > 0 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
    if (rc == 0 && errata_cli_engine_new(&common, &engine) == 0) {
        int color = errata_cli_use_color(common.color, STDOUT_FILENO);
        diff_run run = {engine, &common, stdout, errata_cli_palette_for(color)};
        size_t count = common.file_count ? common.file_count : 1;
        int differs = 0, failed = 0;
        for (size_t i = 0; i < count; i++) {
            int r = diff_one(&run, common.file_count ? common.files[i] : "-");
            failed |= r < 0;
            differs |= r > 0;
        }
        status = failed ? ERRATA_CLI_EXIT_ERROR : differs ? ERRATA_CLI_EXIT_FOUND : ERRATA_CLI_EXIT_OK;
    }
    errata_engine_free(engine);
    errata_cli_common_free(&common);
    return status;
}
