/* Private declarations shared by the library's modules.  Non-static
   functions are prefixed errata_ like the public API, but are not exported
   from the shared library (built with -fvisibility=hidden). */
#ifndef ERRATA_INTERNAL_H
#define ERRATA_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "errata.h"

/* ------------------------------------------------------------ errors */

/* Record the calling thread's error message (printf format) and return code. */
int errata_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Map the file at path read-only: *map and *size (NULL and 0 for an empty
   file; the caller munmap()s).  ERRATA_EIO naming the file on failure. */
int errata_map_file(const char *path, void **map, size_t *size);

/* What every model image starts with: 8 bytes of magic, u32 format version,
   u32 header size, u64 file size, ... and the header's FNV-1a checksum in
   its last 4 bytes (little-endian). */
typedef struct {
    const char *magic; /* 8 bytes */
    uint32_t version;
    uint32_t header_size;
    const char *kind; /* "language model", named in the messages */
} errata_image_format;

/* A zeroed image of size bytes whose header starts as
   errata_check_image_header() reads it (magic, version, header size, file
   size); NULL when out of memory.  The caller writes the rest of the
   header, then errata_image_seal_header(). */
unsigned char *errata_image_new(const errata_image_format *format, size_t size);
/* The header's checksum, written into its last four bytes. */
void errata_image_seal_header(unsigned char *image, const errata_image_format *format);

/* A checksum of len bytes that reads them eight at a time, in the host's
   byte order: for images, which are in it too. */
uint32_t errata_image_checksum(const void *data, size_t len);

/* ERRATA_EFORMAT naming the file and what is wrong (empty, bad magic,
   truncated, other version, corrupted header, size) unless the image's
   header is sound. */
int errata_check_image_header(const unsigned char *data, size_t size, const char *name,
                              const errata_image_format *format);

/* ------------------------------------------------------------ memory */

/* Grow *items (element size elem) so that it holds at least need elements. */
int errata_grow(void **items, size_t *cap, size_t need, size_t elem);
char *errata_strndup(const char *s, size_t n);

/* ------------------------------------------------------------ UTF-8 */

/* Offset of the first invalid byte, or len if the text is valid UTF-8. */
size_t errata_utf8_invalid_offset(const char *text, size_t len);
/* The same, also counting the code points of a valid text. */
size_t errata_utf8_validate(const char *text, size_t len, size_t *code_points);
/* Decode the code point at text[*pos] (valid UTF-8 assumed), advancing *pos. */
uint32_t errata_utf8_next(const char *text, size_t len, size_t *pos);
/* Code points in valid UTF-8 text (its bytes other than continuation bytes). */
size_t errata_utf8_count(const char *text, size_t len);
/* Length in bytes of the sequence starting with byte c (1 for invalid). */
size_t errata_utf8_seq_len(unsigned char c);
/* The little-endian 32-bit numbers of model files and images. */
static inline uint32_t errata_load_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void errata_store_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
/* True for CJK unified ideographs (and extension A). */
static inline int errata_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2FA1F) || (cp >= 0xF900 && cp <= 0xFAFF);
}
/* errata_utf8_next(), with ASCII and three-byte sequences decoded inline
   (for loops over whole texts). */
static inline uint32_t errata_utf8_next_fast(const char *text, size_t len, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)text + *pos;
    if (s[0] < 0x80) {
        (*pos)++;
        return s[0];
    }
    if ((s[0] & 0xF0) == 0xE0 && len - *pos >= 3) {
        *pos += 3;
        return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    }
    return errata_utf8_next(text, len, pos);
}
/* Encode cp into buf (at least 4 bytes); returns the byte count. */
size_t errata_utf8_encode(uint32_t cp, char *buf);

/* ------------------------------------------------------------ edit lists */

/* An edit as a list keeps it: a huge document has millions, so it takes 40
   bytes instead of errata_edit's 104.  The strings are numbered in the list
   (a repeated one is stored once), the span is a start and a length, and the
   positions in code points and lines, wanted by some callers only, are kept
   apart (errata_edit_position). */
typedef struct {
    size_t byte_start;
    double confidence;
    uint32_t length; /* byte_end - byte_start */
    uint32_t old_text, new_text, rule, reason; /* numbers of the list's strings */
    unsigned char kind, action; /* errata_kind, errata_action */
} errata_edit_record;

/* Where an edit starts in code points and lines (its end in code points
   follows from its old text): 16 bytes, as a huge document's check has
   millions; a text of 4 GiB or more, whose lines and columns may not fit in
   32 bits, has wide ones instead. */
typedef struct {
    size_t cp_start;
    uint32_t line, column;
} errata_edit_position;

typedef struct {
    size_t cp_start, line, column;
} errata_edit_wide_position;

/* A growing list of edits whose strings it owns. */
typedef struct {
    errata_edit_record *items;
    size_t count, cap;
    errata_edit_position *positions; /* one per edit once finished, unless
                                        the options ask for none (NULL) */
    errata_edit_wide_position *wide_positions; /* instead, for a text of 4 GiB
                                                  or more */
    int no_reasons; /* leave reasons empty (errata_check_options.no_reasons) */
    struct errata_string_block *strings; /* where the edits' strings are kept (edits.c) */
    struct errata_stored_string *stored; /* a table of the strings, to store repeats once */
    size_t stored_slots, stored_count;
    const char **string_at; /* a string's number -> the string */
    size_t string_count, string_cap;
} errata_edit_list;

/* Edit i of the list as the public API shows it. */
void errata_edit_list_get(const errata_edit_list *list, size_t i, errata_edit *out);
/* The replacement text of edit i. */
const char *errata_edit_list_new_text(const errata_edit_list *list, size_t i);

/* Add an edit replacing text[byte_start, byte_end) by new_text.  The list
   copies old_text from text, and copies new_text, rule and the formatted
   reason.  Line, column and code-point offsets and the action are filled in
   later by errata_edit_list_finish(). */
int errata_edit_list_add(errata_edit_list *list, const char *text, size_t byte_start,
                         size_t byte_end, const char *new_text, const char *rule,
                         errata_kind kind, double confidence, const char *reason_fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* Sort by position, drop overlapping edits (the more confident one stays),
   fill positions, and set each action from the thresholds (dropping edits
   below propose_threshold; ERRATA_KIND_FLAG edits always stay as flags). */
int errata_edit_list_finish(errata_edit_list *list, const char *text, size_t len,
                            const errata_check_options *opts);
void errata_edit_list_clear(errata_edit_list *list);

/* What errata_check() hands out. */
struct errata_result {
    errata_edit_list edits;
    /* The edits as errata_edit structs, made on errata_result_edit()'s
       first call (by whichever thread comes first). */
    _Atomic(errata_edit *) full;
};

/* errata_result_apply() of the edits a repair takes, the ones that
   errata_result_rule_counts() counts: those marked "apply", with
   include_proposed the proposed ones too (errata fix --all). */
int errata_result_apply_repair(const errata_result *result, int include_proposed, const char *text,
                               size_t len, char **out, size_t *out_len);

/* Whether the rule (e.g. "layout/chunk-marker") is switched on: opts'
   disabled_rules names it, or a prefix of it ending at a '/', or not. */
int errata_rule_enabled(const errata_check_options *opts, const char *rule);

/* ------------------------------------------------------------ passes */

/* Layout and character damage (chunk markers, page furniture, line breaks,
   punctuation, quotes, numbers) in text of len bytes and code_points code
   points: adds its edits to list.  A text of 32 windows or more has its
   view decoded in windows of that many code points (see layout.h); any
   window gives the same edits. */
int errata_layout_check(const char *text, size_t len, size_t code_points, size_t window,
                        const errata_check_options *opts, errata_edit_list *list);

/* ------------------------------------------------------------ embedded data */

extern const char errata_embedded_swaps[], errata_embedded_swaps_end[];
extern const char errata_embedded_model[], errata_embedded_model_end[];
extern const char errata_embedded_char_model[], errata_embedded_char_model_end[];
extern const char errata_embedded_lookalike[], errata_embedded_lookalike_end[];
/* The built-in dictionary's automaton (lib/ac.c's image), the dictionary
   itself, parsed (lib/dict_image.c's image), and the tables of the built-in
   character model (lib/cm.c's); all empty in the program that builds them,
   tools/build-images.c. */
extern const char errata_embedded_automaton[], errata_embedded_automaton_end[];
extern const char errata_embedded_dictionary[], errata_embedded_dictionary_end[];
extern const char errata_embedded_char_tables[], errata_embedded_char_tables_end[];
/* Where all of the above begins and ends, in whichever order it is laid out. */
extern const char errata_embedded_start[], errata_embedded_end[];

#endif
