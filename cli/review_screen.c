/* Drawing a proposal: where it is, the text around it with the old and new
   text marked, its rule, confidence and reason — every row measured in
   terminal columns (CJK characters take two) so that it fits the screen.
   The chrome is ASCII: ambiguous-width symbols would take two columns in
   some CJK terminals. */
#include <string.h>

#include "cli.h"
#include "review.h"

#define CONTEXT_ROWS 3
#define INDENT 2
#define ELLIPSIS "..."
/* Below this width the prompt names only the main keys (? lists them all). */
#define NARROW_COLUMNS 60

static const char *const sgr_old = "\033[1;31m", *const sgr_new = "\033[1;32m",
                         *const sgr_flag = "\033[1;33m", *const sgr_dim = "\033[2m",
                         *const sgr_bold = "\033[1m", *const sgr_reset = "\033[0m";

/* Writes cells into rows of a fixed width, wrapping up to max_rows rows and
   dropping what does not fit. */
typedef struct {
    FILE *out;
    int colour;
    int width; /* columns a row may use, indent included */
    int indent;
    int max_rows;
    int row, col;
    const char *style; /* the SGR in force ("" for none) */
    int full;
} painter;

static painter painter_start(FILE *out, const errata_review_style *style, int indent, int rows)
{
    painter p = {out, style->colour, style->columns - 1, indent, rows, 0, indent, "", 0};
    fprintf(out, "%*s", indent, "");
    return p;
}

static void set_style(painter *p, const char *style)
{
    if (!p->colour || strcmp(style, p->style) == 0)
        return;
    if (*p->style)
        fputs(sgr_reset, p->out);
    fputs(style, p->out);
    p->style = style;
}

static void painter_end(painter *p)
{
    set_style(p, "");
    fputc('\n', p->out);
}

static int next_row(painter *p)
{
    if (p->row + 1 >= p->max_rows) {
        p->full = 1;
        return -1;
    }
    const char *style = p->style;
    set_style(p, "");
    fprintf(p->out, "\n%*s", p->indent, "");
    set_style(p, style);
    p->row++;
    p->col = p->indent;
    return 0;
}

/* Put one glyph of the given width. */
static void put_glyph(painter *p, const char *glyph, int width, const char *style)
{
    if (p->full || (p->col + width > p->width && next_row(p)))
        return;
    set_style(p, style);
    fputs(glyph, p->out);
    p->col += width;
}

/* How a code point is shown: itself, or an escape for control characters. */
static int glyph_of(uint32_t cp, char *glyph)
{
    if (cp == '\n') {
        strcpy(glyph, "\xE2\x8F\x8E"); /* U+23CE, neutral width */
        return 1;
    }
    if (cp == '\t' || cp == '\r') {
        strcpy(glyph, cp == '\t' ? "\\t" : "\\r");
        return 2;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
        snprintf(glyph, 8, "\\x%02x", (unsigned)cp);
        return 4;
    }
    glyph[errata_cli_utf8_put(cp, glyph)] = '\0';
    return errata_review_cp_width(cp);
}

static int cp_columns(uint32_t cp)
{
    char glyph[8];
    return glyph_of(cp, glyph);
}

static int is_control(uint32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0); }

static void put_cp(painter *p, uint32_t cp, const char *style)
{
    char glyph[8];
    int width = glyph_of(cp, glyph);
    put_glyph(p, glyph, width, is_control(cp) && !*style ? sgr_dim : style);
}

static void put_text(painter *p, const char *s, size_t len, const char *style)
{
    size_t pos = 0;
    while (pos < len)
        put_cp(p, errata_cli_utf8_next(s, len, &pos), style);
}

static void put_ascii(painter *p, const char *s, const char *style)
{
    put_glyph(p, s, (int)strlen(s), style);
}

static int text_columns(const char *s, size_t len)
{
    int columns = 0;
    size_t pos = 0;
    while (pos < len)
        columns += cp_columns(errata_cli_utf8_next(s, len, &pos));
    return columns;
}

/* The byte offset after the code points of s[from..] that fit in columns. */
static size_t forward_within(const char *s, size_t len, size_t from, int columns)
{
    size_t pos = from;
    while (pos < len) {
        size_t next = pos;
        int w = cp_columns(errata_cli_utf8_next(s, len, &next));
        if (w > columns)
            break;
        columns -= w;
        pos = next;
    }
    return pos;
}

/* The byte offset where the code points before s[to] that fit in columns begin. */
static size_t backward_within(const char *s, size_t to, int columns)
{
    size_t pos = to;
    while (pos > 0) {
        size_t prev = pos - 1;
        while (prev > 0 && ((unsigned char)s[prev] & 0xC0) == 0x80)
            prev--;
        size_t at = prev;
        int w = cp_columns(errata_cli_utf8_next(s, pos, &at));
        if (w > columns)
            break;
        columns -= w;
        pos = prev;
    }
    return pos;
}

/* s in at most columns columns: its start and end around "..." if too long. */
static void put_shortened(painter *p, const char *s, int columns, const char *style)
{
    size_t len = strlen(s);
    if (text_columns(s, len) <= columns) {
        put_text(p, s, len, style);
        return;
    }
    int half = (columns - 3) / 2;
    size_t head = forward_within(s, len, 0, half), tail = backward_within(s, len, half);
    put_text(p, s, head, style);
    put_ascii(p, ELLIPSIS, sgr_dim);
    put_text(p, s + tail, len - tail, style);
}

/* The change itself: [-old-]{+new+} (a flag: [!old!]). */
static void put_change(painter *p, const errata_review_item *item, int limit)
{
    if (item->action == ERRATA_ACTION_FLAG) {
        put_ascii(p, "[!", sgr_flag);
        put_shortened(p, item->old_text, limit, sgr_flag);
        put_ascii(p, "!]", sgr_flag);
        return;
    }
    if (*item->old_text) {
        put_ascii(p, "[-", sgr_old);
        put_shortened(p, item->old_text, limit, sgr_old);
        put_ascii(p, "-]", sgr_old);
    }
    if (*item->new_text) {
        put_ascii(p, "{+", sgr_new);
        put_shortened(p, item->new_text, limit, sgr_new);
        put_ascii(p, "+}", sgr_new);
    }
}

static int change_columns(const errata_review_item *item, int limit)
{
    int old_w = text_columns(item->old_text, strlen(item->old_text));
    int new_w = text_columns(item->new_text, strlen(item->new_text));
    return (old_w < limit ? old_w : limit) + (new_w < limit ? new_w : limit) + 8;
}

static void draw_context(FILE *out, const errata_review_style *style, const errata_review_file *file,
                         const errata_review_item *item)
{
    painter p = painter_start(out, style, INDENT, CONTEXT_ROWS);
    int row = p.width - INDENT;
    int limit = row * CONTEXT_ROWS / 3;
    /* a column per row is kept for a wide character that does not fit at a row's end */
    int room = row * CONTEXT_ROWS - CONTEXT_ROWS - change_columns(item, limit) - 6;
    if (room < 0)
        room = 0;
    /* half the room before the change; what the start of the text leaves over goes after it */
    size_t from = backward_within(file->doc.text, item->byte_start, room / 2);
    int after = room - text_columns(file->doc.text + from, item->byte_start - from);
    size_t to = forward_within(file->doc.text, file->doc.len, item->byte_end, after);
    if (from > 0)
        put_ascii(&p, ELLIPSIS, sgr_dim);
    put_text(&p, file->doc.text + from, item->byte_start - from, "");
    put_change(&p, item, limit);
    put_text(&p, file->doc.text + item->byte_end, to - item->byte_end, "");
    if (to < file->doc.len)
        put_ascii(&p, ELLIPSIS, sgr_dim);
    painter_end(&p);
}

static void draw_heading(FILE *out, const errata_review_style *style,
                         const errata_review_session *session, size_t file_index,
                         size_t item_index)
{
    const errata_review_file *file = &session->files[file_index];
    const errata_review_item *item = &file->items[item_index];
    char line[512];
    int n = snprintf(line, sizeof line, "%s:%zu:%zu  %s %zu of %zu",
                     errata_cli_display_name(file->path), item->line,
                     item->column, item->action == ERRATA_ACTION_FLAG ? "flag" : "proposal",
                     item_index + 1, file->count);
    if (session->file_count > 1 && n > 0 && (size_t)n < sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, "  (file %zu of %zu)", file_index + 1,
                 session->file_count);
    painter p = painter_start(out, style, 0, 1);
    put_text(&p, line, strlen(line), sgr_bold);
    painter_end(&p);
}

static const char *action_words(errata_action action)
{
    switch (action) {
    case ERRATA_ACTION_APPLY: return "applied by default";
    case ERRATA_ACTION_PROPOSE: return "proposed";
    case ERRATA_ACTION_FLAG: return "reported only: nothing to change";
    }
    return "";
}

static void draw_details(FILE *out, const errata_review_style *style, const errata_review_item *item)
{
    char line[512];
    snprintf(line, sizeof line, "rule %s  (%s, %s)  confidence %.2f", item->rule, item->kind,
             action_words(item->action), item->confidence);
    painter p = painter_start(out, style, INDENT, 2);
    put_text(&p, line, strlen(line), "");
    painter_end(&p);
    if (!*item->reason)
        return;
    p = painter_start(out, style, INDENT, 2);
    put_ascii(&p, "reason: ", "");
    put_text(&p, item->reason, strlen(item->reason), "");
    painter_end(&p);
}

void errata_review_draw_item(FILE *out, const errata_review_style *style,
                             const errata_review_session *session, size_t file_index,
                             size_t item_index)
{
    const errata_review_file *file = &session->files[file_index];
    fputc('\n', out);
    draw_heading(out, style, session, file_index, item_index);
    draw_context(out, style, file, &file->items[item_index]);
    draw_details(out, style, &file->items[item_index]);
}

void errata_review_draw_prompt(FILE *out, const errata_review_style *style,
                               const errata_review_file *file, size_t item_index)
{
    int flag = file->items[item_index].action == ERRATA_ACTION_FLAG;
    int narrow = style->columns < NARROW_COLUMNS;
    const char *question = flag ? (narrow ? "Noted [y,?]?" : "Noted [y,n,a,d,A,D,u,s,q,?]?")
                                : (narrow ? "Accept [y,n,?]?" : "Accept [y,n,e,a,d,A,D,Y,N,u,s,q,?]?");
    fprintf(out, "%s(%zu/%zu) %s%s ", style->colour ? sgr_bold : "", item_index + 1, file->count,
            question, style->colour ? sgr_reset : "");
    fflush(out);
}

void errata_review_draw_help(FILE *out)
{
    fputs("y - accept this change                n - reject it (keep the text)\n"
          "e - edit: type your own replacement   (Enter to confirm, Esc to cancel)\n"
          "a - accept the rest of this rule in this file\n"
          "d - reject the rest of this rule in this file\n"
          "A - accept the rest of this rule in all files\n"
          "D - reject the rest of this rule in all files\n"
          "Y - accept, and always fix this pair: adds it to your dictionary\n"
          "N - reject, and never change this text again: adds !keep to your dictionary\n"
          "u - undo the last answer              s - skip the rest of this file\n"
          "q - quit; the answers are kept: run errata review again to go on\n"
          "? - this help      (a flag is only shown: y, n or Enter go on)\n",
          out);
}

void errata_review_draw_message(FILE *out, const errata_review_style *style, const char *message)
{
    painter p = painter_start(out, style, INDENT, 4);
    put_text(&p, message, strlen(message), "");
    painter_end(&p);
}

void errata_review_draw_edit_line(FILE *out, int columns, const char *prompt, const char *text)
{
    size_t len = strlen(text), start = 0;
    int room = columns - 1 - text_columns(prompt, strlen(prompt));
    while (start < len && text_columns(text + start, len - start) > room)
        errata_cli_utf8_next(text, len, &start);
    painter p = {out, 0, columns - 1, 0, 1, 0, 0, "", 0};
    fputc('\r', out);
    put_text(&p, prompt, strlen(prompt), "");
    put_text(&p, text + start, len - start, "");
    fputs("\033[K", out);
}
