/* The language server's documents: their text as the editor holds it, and
   the mapping between LSP positions (line, code unit) and bytes. */
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

/* ------------------------------------------------------------ line index */

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The code units of the character whose first byte is c (the text is valid
   UTF-8): its bytes in UTF-8; in UTF-16 two for the four-byte sequences
   (outside the BMP), else one; one in UTF-32. */
static size_t char_units(errata_lsp_encoding encoding, unsigned char c)
{
    switch (encoding) {
    case ERRATA_LSP_UTF8:
        return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    case ERRATA_LSP_UTF32:
        return 1;
    default:
        return c >= 0xF0 ? 2 : 1;
    }
}

/* The byte offsets where lines start.  LSP ends a line at "\n", "\r\n" or
   "\r". */
static int index_lines(errata_lsp_document *doc)
{
    doc->line_count = 0;
    size_t start = 0;
    for (size_t i = 0;; i++) {
        if (errata_cli_grow((void **)&doc->line_starts, &doc->line_cap, doc->line_count,
                            sizeof *doc->line_starts))
            return -1;
        doc->line_starts[doc->line_count++] = start;
        const char *nl = memchr(doc->text + i, '\n', doc->len - i);
        const char *cr = memchr(doc->text + i, '\r', (nl ? (size_t)(nl - doc->text) : doc->len) - i);
        if (!nl && !cr)
            break;
        i = (size_t)((cr ? cr : nl) - doc->text);
        if (cr && i + 1 < doc->len && doc->text[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    doc->lines_valid = 1;
    return 0;
}

static int ensure_index(errata_lsp_document *doc)
{
    return doc->lines_valid ? 0 : index_lines(doc);
}

/* Where line `line`'s text ends (before its line break). */
static size_t line_end(const errata_lsp_document *doc, size_t line)
{
    size_t end = line + 1 < doc->line_count ? doc->line_starts[line + 1] : doc->len;
    if (end > doc->line_starts[line] && doc->text[end - 1] == '\n' && line + 1 < doc->line_count)
        end--;
    if (end > doc->line_starts[line] && doc->text[end - 1] == '\r' && line + 1 < doc->line_count)
        end--;
    return end;
}

int errata_lsp_position_to_byte(errata_lsp_document *doc, errata_lsp_position pos, size_t *byte)
{
    if (ensure_index(doc))
        return ERRATA_LSP_NO_MEMORY;
    if (pos.line >= doc->line_count)
        return ERRATA_LSP_BAD_POSITION;
    size_t at = doc->line_starts[pos.line], end = line_end(doc, pos.line), units = 0;
    /* A character past the end of the line means its end (LSP 3.17). */
    while (at < end && units < pos.character) {
        units += char_units(doc->encoding, (unsigned char)doc->text[at]);
        at++;
        while (at < end && is_continuation((unsigned char)doc->text[at]))
            at++;
    }
    if (units > pos.character) /* inside a character (a surrogate pair, a UTF-8 sequence) */
        return ERRATA_LSP_BAD_POSITION;
    *byte = at;
    return 0;
}

/* --------------------------------------------------- bytes to positions */

int errata_lsp_cursor_init(errata_lsp_cursor *cur, errata_lsp_document *doc)
{
    if (ensure_index(doc))
        return -1;
    cur->doc = doc;
    cur->line = 0;
    cur->byte = 0;
    cur->units = 0;
    return 0;
}

errata_lsp_position errata_lsp_cursor_move(errata_lsp_cursor *cur, size_t byte)
{
    const errata_lsp_document *doc = cur->doc;
    while (cur->line + 1 < doc->line_count && doc->line_starts[cur->line + 1] <= byte) {
        cur->line++;
        cur->byte = doc->line_starts[cur->line];
        cur->units = 0;
    }
    for (; cur->byte < byte; cur->byte++)
        if (!is_continuation((unsigned char)doc->text[cur->byte]))
            cur->units += char_units(doc->encoding, (unsigned char)doc->text[cur->byte]);
    return (errata_lsp_position){cur->line, cur->units};
}

/* -------------------------------------------------------------- changes */

int errata_lsp_document_set(errata_lsp_document *doc, const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return ERRATA_LSP_NO_MEMORY;
    memcpy(copy, text, len);
    copy[len] = '\0';
    free(doc->text);
    doc->text = copy;
    doc->len = doc->cap = len;
    doc->lines_valid = 0;
    return 0;
}

int errata_lsp_document_replace(errata_lsp_document *doc, errata_lsp_position from,
                                 errata_lsp_position to, const char *text, size_t len)
{
    size_t start, end;
    int rc = errata_lsp_position_to_byte(doc, from, &start);
    if (!rc)
        rc = errata_lsp_position_to_byte(doc, to, &end);
    if (rc)
        return rc;
    if (end < start)
        return ERRATA_LSP_BAD_POSITION;
    size_t new_len = doc->len - (end - start) + len;
    if (new_len > doc->cap) {
        size_t cap = new_len + new_len / 4 + 64;
        char *grown = realloc(doc->text, cap + 1);
        if (!grown)
            return ERRATA_LSP_NO_MEMORY;
        doc->text = grown;
        doc->cap = cap;
    }
    memmove(doc->text + start + len, doc->text + end, doc->len - end);
    memcpy(doc->text + start, text, len);
    doc->len = new_len;
    doc->text[new_len] = '\0';
    doc->lines_valid = 0;
    return 0;
}

void errata_lsp_document_clear(errata_lsp_document *doc)
{
    free(doc->uri);
    free(doc->text);
    free(doc->line_starts);
    errata_lsp_findings_clear(&doc->findings);
    memset(doc, 0, sizeof *doc);
}
