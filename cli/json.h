/* The CLI's one JSON module: a writer (check --format=jsonl, fix --jsonl,
   review sidecars) and a reader (edit lists, sidecars, --jsonl lines, the
   language server's requests).

   Writing strings, the one behaviour everywhere:
   - '"' and '\' are escaped, and \b \f \n \r \t get their short escapes;
   - every other control character (U+0000..U+001F) and DEL (U+007F) is
     written \u00XX (lower-case hex), so that no raw control byte reaches a
     terminal or a line-based tool;
   - valid UTF-8 is copied as it is (or, with ascii_only, written as \uXXXX
     escapes, a surrogate pair above U+FFFF);
   - each byte that is not part of valid UTF-8 (a file name can hold such
     bytes) is written \ufffd (U+FFFD REPLACEMENT CHARACTER): the output is
     always valid JSON, at the cost of not naming such a file exactly.

   Reading follows RFC 8259 strictly (no comments, no trailing commas, no
   leading zeros or '+', no raw control characters in strings, and the text
   must be UTF-8: a byte that is not part of valid UTF-8 is an error at its
   offset, so every string read is valid UTF-8 -- the same rule for edit
   lists, sidecars, --jsonl lines and the language server), with two
   choices where it leaves room: a lone surrogate escape (\ud800 alone),
   which the grammar allows but Unicode does not, is read as U+FFFD and the
   string is marked (lone_surrogate) so that a caller that must not lose text
   can refuse it; of duplicate member names the last one wins in
   errata_json_get().  Arrays and objects nest at most ERRATA_JSON_MAX_DEPTH
   deep.  Errors give the byte offset where the text went wrong. */
#ifndef ERRATA_CLI_JSON_H
#define ERRATA_CLI_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"

#define ERRATA_JSON_MAX_DEPTH 512

/* ------------------------------------------------------------ writing */

typedef struct {
    errata_cli_buffer *buffer; /* output is appended here, or when NULL */
    FILE *file;                /* written here */
    int ascii_only;            /* \uXXXX escapes for every non-ASCII character */
    int failed;                /* an append or write failed; later calls do nothing */
    unsigned depth;            /* open arrays and objects (at most 63) */
    uint64_t has_items;        /* bit d: the container at depth d has an item */
    int after_key;             /* a member name was written, its value is next */
} errata_json_writer;

errata_json_writer errata_json_to_buffer(errata_cli_buffer *buffer, int ascii_only);
errata_json_writer errata_json_to_file(FILE *file);

/* Values; in an array or after errata_json_key() the comma comes by itself.
   Each returns w->failed (0 while all went well). */
int errata_json_begin_object(errata_json_writer *w);
int errata_json_end_object(errata_json_writer *w);
int errata_json_begin_array(errata_json_writer *w);
int errata_json_end_array(errata_json_writer *w);
int errata_json_key(errata_json_writer *w, const char *name);
int errata_json_key_n(errata_json_writer *w, const char *name, size_t len);
int errata_json_string(errata_json_writer *w, const char *s);
int errata_json_string_n(errata_json_writer *w, const char *s, size_t len);
int errata_json_uint(errata_json_writer *w, uintmax_t n);
int errata_json_bool(errata_json_writer *w, int b);
int errata_json_null(errata_json_writer *w);
/* A value the caller has formatted already (a number such as "0.93"). */
int errata_json_raw(errata_json_writer *w, const char *json);

/* Append s's len bytes as the inside of a JSON string (no quotes), as
   above; 0, or -1 when out of memory. */
int errata_json_append_escaped(errata_cli_buffer *b, const char *s, size_t len, int ascii_only);

/* ------------------------------------------------------------ reading */

typedef enum {
    ERRATA_JSON_NULL,
    ERRATA_JSON_BOOL,
    ERRATA_JSON_NUMBER,
    ERRATA_JSON_STRING,
    ERRATA_JSON_ARRAY,
    ERRATA_JSON_OBJECT
} errata_json_type;

typedef struct errata_json_value errata_json_value;
struct errata_json_value {
    errata_json_type type;
    size_t start, end;  /* the value's bytes in the text read: [start, end) */
    int boolean;        /* BOOL */
    double number;      /* NUMBER (may be infinite: 1e999) */
    char *string;       /* STRING: unescaped UTF-8, NUL-terminated; */
    size_t string_len;  /* \u0000 can put NUL bytes inside */
    int lone_surrogate; /* STRING: some \uD8xx-\uDFxx stood alone (read as U+FFFD) */
    errata_json_value *items; /* ARRAY: the elements; OBJECT: the members' values */
    size_t count;
    char *key;          /* a member of an OBJECT: its name (unescaped, NUL-terminated) */
    size_t key_len;
};

enum { ERRATA_JSON_OK = 0, ERRATA_JSON_MALFORMED = -1, ERRATA_JSON_NOMEM = -2 };

typedef struct {
    size_t offset;    /* byte offset in the text where reading stopped */
    const char *what; /* "expected ',' or '}'", "out of memory", ... */
} errata_json_error;

/* Read one JSON value, and nothing but white space around it, from text
   (len bytes, need not be NUL-terminated) into *out.  Returns ERRATA_JSON_OK,
   or ERRATA_JSON_MALFORMED / ERRATA_JSON_NOMEM with *err filled in and *out
   empty. */
int errata_json_parse(const char *text, size_t len, errata_json_value *out,
                      errata_json_error *err);
/* The same for one value starting at *pos (after white space) and followed
   by anything: *pos is left just after the value. */
int errata_json_parse_prefix(const char *text, size_t len, size_t *pos, errata_json_value *out,
                             errata_json_error *err);
/* Free what a value holds (not the value itself); leaves it a NULL. */
void errata_json_free(errata_json_value *value);

/* An object's member by name (the last of duplicates); NULL if none or if
   object is not an object. */
const errata_json_value *errata_json_get(const errata_json_value *object, const char *key);
/* A member's string, NULL unless it is a string without NUL bytes or lone
   surrogates. */
const char *errata_json_get_string(const errata_json_value *object, const char *key);
/* A member that is a whole number from 0 to 2^53: 0, or -1 if it is not. */
int errata_json_get_size(const errata_json_value *object, const char *key, size_t *out);

#endif
