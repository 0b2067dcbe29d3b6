/*
 * errata — find and repair the damage in Chinese documents.
 *
 * The whole public API.  Conventions:
 *  - every function returns an int error code: ERRATA_OK (0) or a negative
 *    ERRATA_E* value; the message of the calling thread's last failure is
 *    errata_error_message();
 *  - handles are opaque, created into an out-parameter and freed with a
 *    NULL-safe errata_*_free();
 *  - option structs carry a version; initialise them with their _INIT macro
 *    so that fields added later get their defaults;
 *  - an engine is immutable once created and may be shared by any number of
 *    threads; results belong to the thread that created them.
 */
#ifndef ERRATA_H
#define ERRATA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define ERRATA_API __attribute__((visibility("default")))
#else
#define ERRATA_API
#endif

#define ERRATA_VERSION_STRING "0.1.0"

enum errata_error {
    ERRATA_OK = 0,
    ERRATA_ENOMEM = -1,   /* out of memory */
    ERRATA_EINVAL = -2,   /* invalid argument (NULL handle, overlapping edits…) */
    ERRATA_EIO = -3,      /* a file could not be opened or read */
    ERRATA_EFORMAT = -4,  /* a dictionary or model file is malformed */
    ERRATA_EENCODING = -5 /* the text is not valid UTF-8 (or not decodable) */
};

/* The calling thread's message for its last failed call ("" if none). */
ERRATA_API const char *errata_error_message(void);

/* Library version, e.g. "0.1.0". */
ERRATA_API const char *errata_version(void);

/* ---------------------------------------------------------------- engine */

typedef struct errata_engine errata_engine;

#define ERRATA_ENGINE_OPTIONS_VERSION 2

typedef struct {
    unsigned version;
    /* Leave out the built-in substitution dictionaries. */
    int no_default_dictionaries;
    /* User dictionaries (errata-dict format), loaded after the defaults. */
    const char *const *dictionary_paths;
    size_t dictionary_count;
    /* A language model file to use instead of the embedded one (NULL: embedded). */
    const char *model_path;
    /* Do without a language model (decisions from rules and evidence only). */
    int no_model;
    /* Since version 2: a character model file (the n-gram counts of clean
       formal text, dictionaries/CHARMODEL.md) to use instead of the
       embedded one (NULL: embedded), or none at all.  A program built with
       version 1 gets the embedded one. */
    const char *char_model_path;
    int no_char_model;
} errata_engine_options;

#define ERRATA_ENGINE_OPTIONS_INIT {ERRATA_ENGINE_OPTIONS_VERSION, 0, NULL, 0, NULL, 0, NULL, 0}

ERRATA_API int errata_engine_new(errata_engine **out, const errata_engine_options *opts);
ERRATA_API void errata_engine_free(errata_engine *engine);

/* Number of substitution entries loaded (all dictionaries). */
ERRATA_API size_t errata_engine_entry_count(const errata_engine *engine);

/* The examples written in the loaded dictionaries: each text must come out
   of errata_fix() (with assume_damaged set) exactly as expected. */
typedef struct {
    const char *text;
    const char *expected; /* equal to text for a must-stay example */
    const char *source;   /* dictionary name or path */
    size_t line;          /* its line there */
} errata_example;

ERRATA_API size_t errata_engine_example_count(const errata_engine *engine);
ERRATA_API const errata_example *errata_engine_example(const errata_engine *engine, size_t index);

/* ----------------------------------------------------------------- edits */

typedef enum {
    ERRATA_KIND_SWAP = 0,      /* synonym-swap tool */
    ERRATA_KIND_LOOKALIKE = 1, /* look-alike (OCR) character */
    ERRATA_KIND_LAYOUT = 2,    /* chunk markers, page furniture, line breaks */
    ERRATA_KIND_PUNCTUATION = 3,
    ERRATA_KIND_QUOTE = 4,
    ERRATA_KIND_NUMBER = 5,
    ERRATA_KIND_LATIN = 6,     /* misread word in Latin script */
    ERRATA_KIND_FLAG = 7       /* damage that cannot be restored: reported only */
} errata_kind;

typedef enum {
    ERRATA_ACTION_APPLY = 0,   /* applied by default */
    ERRATA_ACTION_PROPOSE = 1, /* shown for review, not applied by default */
    ERRATA_ACTION_FLAG = 2     /* reported, nothing to apply */
} errata_action;

typedef struct {
    size_t byte_start, byte_end; /* span in the checked text, in bytes */
    size_t cp_start, cp_end;     /* the same span in Unicode code points */
    size_t line, column;         /* 1-based; column counted in code points */
    const char *old_text;        /* the bytes of the span, NUL-terminated */
    const char *new_text;        /* the replacement, NUL-terminated */
    const char *rule;            /* rule id, e.g. "swap/开展>发展" or "layout/chunk-marker" */
    errata_kind kind;
    errata_action action;
    double confidence;           /* 0..1 */
    const char *reason;          /* which evidence decided it, in words */
} errata_edit;

ERRATA_API const char *errata_kind_name(errata_kind kind);
ERRATA_API const char *errata_action_name(errata_action action);

/* ----------------------------------------------------------------- check */

#define ERRATA_CHECK_OPTIONS_VERSION 2

typedef struct {
    unsigned version;
    /* Edits at or above apply_threshold are applied by default, those at or
       above propose_threshold are proposed, the rest dropped. */
    double apply_threshold;
    double propose_threshold;
    /* Comma-separated rule names or prefixes to switch off, e.g.
       "layout/chunk-marker,punct" (NULL: none). */
    const char *disabled_rules;
    /* Judge as if the document were known to be damaged by a swap tool
       (used to test dictionary examples out of their documents). */
    int assume_damaged;
    /* Leave every edit's reason empty, saving the time to write it out,
       for callers that only apply edits. */
    int no_reasons;
    /* Leave every edit's cp_start, cp_end, line and column 0 (the byte
       offsets are always set), saving a pass over the text, for callers that
       only apply edits. */
    int no_positions;
} errata_check_options;

#define ERRATA_DEFAULT_APPLY_THRESHOLD 0.80
#define ERRATA_DEFAULT_PROPOSE_THRESHOLD 0.50

#define ERRATA_CHECK_OPTIONS_INIT                                                   \
    {ERRATA_CHECK_OPTIONS_VERSION, ERRATA_DEFAULT_APPLY_THRESHOLD,                  \
     ERRATA_DEFAULT_PROPOSE_THRESHOLD, NULL, 0, 0, 0}

typedef struct errata_result errata_result;

/* Check UTF-8 text (len bytes, need not be NUL-terminated).  Invalid UTF-8
   fails with ERRATA_EENCODING and a message naming the byte offset. */
ERRATA_API int errata_check(const errata_engine *engine, const char *text, size_t len,
                            const errata_check_options *opts, errata_result **out);

/* Scratch space for checking many texts in a row: caches of the language
   model's scores of short phrases, which stay valid from one text to the
   next.  errata_check() starts every text with empty caches; a worker that
   checks many small documents keeps one scratch and passes it to
   errata_check_scratch(), with the same results, faster.  A scratch belongs
   to the engine it was made for and to one thread at a time. */
typedef struct errata_scratch errata_scratch;
ERRATA_API int errata_scratch_new(const errata_engine *engine, errata_scratch **out);
ERRATA_API void errata_scratch_free(errata_scratch *scratch);
/* errata_check() with scratch (NULL: none). */
ERRATA_API int errata_check_scratch(const errata_engine *engine, errata_scratch *scratch,
                                    const char *text, size_t len,
                                    const errata_check_options *opts, errata_result **out);
ERRATA_API void errata_result_free(errata_result *result);

/* Edits in text order, none overlapping. */
ERRATA_API size_t errata_result_count(const errata_result *result);
/* Copy edit index into *out (its strings stay the result's, valid while the
   result lives).  ERRATA_EINVAL for an index out of range.  A result keeps
   its edits compactly (about 40 bytes each, positions apart): this is the
   way to read those of a huge document. */
ERRATA_API int errata_result_read_edit(const errata_result *result, size_t index,
                                       errata_edit *out);
/* Edit index, or NULL when out of range (or out of memory).  The first call
   makes an errata_edit array of all the result's edits (104 bytes each on a
   64-bit system), kept until errata_result_free(), so that the pointers stay
   valid and consecutive; errata_result_read_edit() needs none. */
ERRATA_API const errata_edit *errata_result_edit(const errata_result *result, size_t index);

/* ----------------------------------------------------------------- apply */

/* Apply edits (sorted by byte_start, not overlapping; only byte_start,
   byte_end and new_text are read) to text.  *out is a new NUL-terminated
   buffer of *out_len bytes, freed with errata_free(); on failure NULL and 0
   (so too for errata_result_apply and errata_fix). */
ERRATA_API int errata_apply(const char *text, size_t len, const errata_edit *edits,
                            size_t count, char **out, size_t *out_len);

/* Apply the edits of a result whose action is ERRATA_ACTION_APPLY (or, if
   selected is not NULL, those with selected[i] != 0). */
ERRATA_API int errata_result_apply(const errata_result *result, const char *text, size_t len,
                                   const unsigned char *selected, char **out, size_t *out_len);

/* The edits of a result that a repair applies (action ERRATA_ACTION_APPLY,
   and with include_proposed ERRATA_ACTION_PROPOSE too, as errata fix --all
   does; never a flag), counted by rule: *out is an array of *count rules with
   their counts, sorted by rule (byte order), freed with errata_free();
   NULL and 0 when no edit counts.  Its rule strings are the result's,
   valid while the result lives.  For callers that only tally what a
   repair did, without reading every edit. */
typedef struct {
    const char *rule;
    size_t count;
} errata_rule_count;

ERRATA_API int errata_result_rule_counts(const errata_result *result, int include_proposed,
                                         errata_rule_count **out, size_t *count);

/* Check and apply the default edits in one call. */
ERRATA_API int errata_fix(const errata_engine *engine, const char *text, size_t len,
                          const errata_check_options *opts, char **out, size_t *out_len);

ERRATA_API void errata_free(void *buffer);

/* ----------------------------------------------------------------- learn */

/* Learning, from a batch of documents, the swap pairs that the loaded
   dictionaries do not hold: a word X that stands, again and again, where
   clean formal text puts another word Y.  The evidence is the engine's
   character model of clean text (which words fill a context, and whether X
   ever does), its word trigram model, and the batch (how often, in how many
   documents and contexts, whether those documents show known damage).
   Needs an engine with its character model.  A learner belongs to one
   thread; documents are added one by one, then the pairs are computed once. */
typedef struct errata_learner errata_learner;

#define ERRATA_LEARN_OPTIONS_VERSION 1

typedef struct {
    unsigned version;
    /* Leave out pairs with fewer supporting places than this (see places). */
    size_t min_count;
    /* Leave out pairs supported in fewer documents than this. */
    size_t min_docs;
    /* Leave out pairs whose confidence is below this. */
    double min_confidence;
} errata_learn_options;

/* The confidence from which a learnt pair is proposed for use. */
#define ERRATA_LEARN_DEFAULT_THRESHOLD 0.60
#define ERRATA_LEARN_OPTIONS_INIT {ERRATA_LEARN_OPTIONS_VERSION, 3, 2, 0.0}
#define ERRATA_LEARN_MAX_EXAMPLES 3

typedef struct {
    const char *corrupted, *original; /* X and Y */
    double confidence;                /* 0..1 */
    size_t occurrences, documents;    /* of X in the batch (after the known repairs) */
    size_t supported;                 /* occurrences of X where Y fits and X does not */
    double expected;                  /* of their places, how many Y stood in, by the models */
    double dominance;                 /* 0..1: Y's expected replacements against
                                         those of the best word filling X's contexts
                                         that the batch holds in two of them */
    size_t supported_documents;       /* documents holding them (near-copies of one
                                         text counted once; up to 256 per word) */
    size_t marked_documents;          /* of those, documents with known swap damage */
    size_t contexts;                  /* distinct contexts of the supported occurrences */
    size_t lm_agreeing;               /* of those, where the trigram model prefers Y too */
    size_t survived_contexts;         /* of those, where the batch holds Y itself too */
    size_t confirmed_contexts;        /* of those, where either holds */
    double substitutability;          /* 0..1: how alike X and Y are used in general text
                                         (their neighbours in the trigram model) */
    int shares_character;             /* X and Y have a character in common */
    double mean_gain;                 /* character model, log10, Y over X, per context */
    size_t original_occurrences;      /* of Y in the batch */
    size_t original_documents;        /* documents holding Y (copies too) */
    double inflation;                 /* X:Y in the batch over X:Y in general text */
    size_t clean_form_count, clean_original_count; /* of X and Y in the clean text */
    /* Context rules for a dictionary entry: two-character strings seen
       before (after) X where Y belongs, and before X where X is legitimate
       (comma-separated, possibly empty). */
    const char *fix_prev, *fix_next, *keep_prev;
    /* Examples from the batch (repaired with the known pairs): "TEXT>EXPECTED"
       where Y belongs, and TEXT where X is legitimate. */
    const char *fix_examples[ERRATA_LEARN_MAX_EXAMPLES];
    size_t fix_example_count;
    const char *keep_examples[ERRATA_LEARN_MAX_EXAMPLES];
    size_t keep_example_count;
    size_t places; /* supported, a place repeated in near-copies of one text counted
                      once: the evidence --min-count and expected count */
    double rival;  /* the expected replacements of the best word other than Y that
                      fills X's contexts and that the batch holds in two of them,
                      against Y's (0: none) */
    /* Of the contexts where the batch holds Y itself too: where a copy of
       X's text (a near-copy of its document) holds Y at X's place, and
       where the text has copies and none of them holds Y there. */
    size_t copied_contexts, contradicted_contexts;
    /* The documents where X stands in Y's places hold a form the loaded
       dictionaries restore Y from, left where clean text has Y: they may
       lack Y because of that damage, not X's. */
    int original_restored;
    /* 0..1: the share of the documents where X stands in Y's places that
       hold Y nowhere (a swap tool that replaces every occurrence leaves no
       Y beside X; every copy of a text counted). */
    double original_absence;
} errata_learned_pair;

/* opts NULL: ERRATA_LEARN_OPTIONS_INIT.  ERRATA_EINVAL without the
   character model. */
ERRATA_API int errata_learner_new(const errata_engine *engine, const errata_learn_options *opts,
                                  errata_learner **out);
ERRATA_API void errata_learner_free(errata_learner *learner);
/* Add one document (UTF-8; invalid UTF-8 fails with ERRATA_EENCODING, and
   the learner is as it was).  A document that runs out of memory
   (ERRATA_ENOMEM) while it is being counted leaves the counts incomplete:
   every later errata_learner_add() and errata_learner_finish() then fails
   with ERRATA_EINVAL, and the batch must start again in a new learner. */
ERRATA_API int errata_learner_add(errata_learner *learner, const char *text, size_t len);
ERRATA_API size_t errata_learner_document_count(const errata_learner *learner);
/* Compute the pairs; no document can be added after.  One that failed
   (ERRATA_ENOMEM) may be called again, and computes them afresh. */
ERRATA_API int errata_learner_finish(errata_learner *learner);
/* The pairs, best first, once errata_learner_finish() succeeded (none before). */
ERRATA_API size_t errata_learner_pair_count(const errata_learner *learner);
ERRATA_API const errata_learned_pair *errata_learner_pair(const errata_learner *learner,
                                                          size_t index);

/* ------------------------------------------------------------- encodings */

/* The encodings a document can be read from and written back to.  A
   document is checked in UTF-8; these convert to and from it. */
typedef enum {
    ERRATA_ENCODING_AUTO = 0,     /* errata_decode(): detect (see there) */
    ERRATA_ENCODING_UTF8 = 1,
    ERRATA_ENCODING_UTF8_BOM = 2, /* UTF-8 starting with EF BB BF */
    ERRATA_ENCODING_GB18030 = 3,  /* also reads GBK and GB2312, its subsets */
    ERRATA_ENCODING_UTF16LE = 4,
    ERRATA_ENCODING_UTF16LE_BOM = 5,
    ERRATA_ENCODING_UTF16BE = 6,
    ERRATA_ENCODING_UTF16BE_BOM = 7
} errata_encoding;

/* "UTF-8", "UTF-8-BOM", "GB18030", "UTF-16LE", "UTF-16LE-BOM", "UTF-16BE",
   "UTF-16BE-BOM" ("auto" for ERRATA_ENCODING_AUTO; NULL if out of range). */
ERRATA_API const char *errata_encoding_name(errata_encoding encoding);

/* The encoding a name stands for, case-insensitively: the names above, and
   "UTF8", "UTF-8-SIG", "GBK", "GB2312", "CP936" (written as GB18030),
   "UTF-16" (little-endian with a BOM), "auto".  ERRATA_EINVAL if unknown. */
ERRATA_API int errata_encoding_from_name(const char *name, errata_encoding *out);

/* Convert len bytes in `encoding` to UTF-8.  With ERRATA_ENCODING_AUTO the
   encoding is detected: a BOM (UTF-8, UTF-16LE/BE); else, for an
   even-length input holding NUL bytes, the UTF-16 byte order in which it
   reads as text (at least 80% of its first 32 Ki code units ASCII, CJK or
   CJK and general punctuation); else valid UTF-8; else valid GB18030.  A BOM is not copied to the output.
   Text that cannot be decoded fails with ERRATA_EENCODING and a message
   naming the byte offset of the first bad sequence; so does decoded text
   holding a control character other than tab, line feed, vertical tab,
   form feed, carriage return, SUB and ESC (binary data).  *out is a new
   NUL-terminated buffer of *out_len bytes, freed with errata_free();
   *detected (when not NULL) receives the encoding read. */
ERRATA_API int errata_decode(const char *data, size_t len, errata_encoding encoding, char **out,
                             size_t *out_len, errata_encoding *detected);

/* 1 when errata_decode(data, len, encoding, ...) would succeed and give the
   bytes back unchanged (UTF-8 without a BOM, read as such or detected, with
   no binary control character), else 0: the caller can then use its own
   buffer as the text instead of a decoded copy (a huge document is held
   once). */
ERRATA_API int errata_decode_unchanged(const char *data, size_t len, errata_encoding encoding);

/* Convert len bytes of UTF-8 to `encoding` (not AUTO), writing a BOM for
   the _BOM encodings.  Invalid UTF-8 fails with ERRATA_EENCODING and the
   byte offset.  *out is a new buffer of *out_len bytes (plus a NUL byte
   after them), freed with errata_free(). */
ERRATA_API int errata_encode(const char *text, size_t len, errata_encoding encoding, char **out,
                             size_t *out_len);

/* ------------------------------------------------------------ documents */

/* How a batch tool tells documents from the other text files of a folder,
   as errata fix -r does.  1 when a file name (the part after its last '/')
   has the extension of a data, markup or code format (.json, .csv, .xml,
   .yaml, .html, .c, .py, .sh ...), else 0. */
ERRATA_API int errata_is_data_file_name(const char *name);
/* The data format that decoded text starts as, whatever its file's name:
   "JSON" (an object or array), "XML", "HTML" or "a script" (a #! line);
   NULL for text that may be a document. */
ERRATA_API const char *errata_data_format(const char *text, size_t len);

/* ----------------------------------------------------------------- files */

/* Decode a file's bytes as errata fix reads them: errata_decode(), except
   that UTF-8 without a BOM is not copied (*out is then NULL and the text
   is data itself, *out_len bytes of it), and that for bytes that cannot be
   decoded *binary_at tells a file that is not text from text that cannot
   be decoded: the offset of the first control byte (errata_decode()'s
   binary ones, NUL among them) within the first 8 KiB, when the bytes are
   neither read as UTF-16 nor UTF-16 cut short by one byte; else SIZE_MAX.
   errata fix skips the first kind of file and reports the second. */
ERRATA_API int errata_decode_file(const char *data, size_t len, errata_encoding encoding,
                                  char **out, size_t *out_len, errata_encoding *detected,
                                  size_t *binary_at);

/* Repairing a batch of files, each into its own output, as
   errata fix -r --output-dir does, for programs that clean a corpus (a
   converter, a pipeline on a cluster): each file is read, decoded with
   errata_decode_file(), left alone when it is not a document, repaired,
   and written in its own encoding (or opts->output_encoding) to a
   temporary file beside its output (.NAME.errata-PID-N, permissions 0666
   less the umask), synced to disk and renamed over the output; missing
   directories above the output are made.  A file that does not change is
   written as it was read.  One call does the whole batch and never calls
   back, so a binding can run it without its interpreter's lock. */
typedef enum {
    ERRATA_FILE_WRITTEN = 0, /* repaired (or unchanged) and written to its output */
    ERRATA_FILE_SKIPPED = 1, /* not a document: binary bytes, or text starting as data */
    ERRATA_FILE_FAILED = 2   /* not read, not decoded, not repaired or not written */
} errata_file_status;

typedef struct {
    const char *input;  /* the file to read */
    const char *output; /* the file to write (replaced when it exists) */
    /* Repair it even when its text starts as data (errata_data_format()),
       as errata fix does for a file named on its command line. */
    int any_text;
    /* Set by errata_fix_files(): */
    errata_file_status status;
    int changed;             /* the repair changed its text */
    size_t bytes;            /* bytes read */
    /* The edits applied, counted by rule (as errata_result_rule_counts()),
       for a file written; the array and its rule strings are one block,
       freed with errata_free(); NULL and 0 when none. */
    errata_rule_count *rules;
    size_t rule_count;
    /* Why a file was skipped or failed, without its name, e.g. "skipped:
       not a text file (byte 0x00 at offset 12)" or "cannot decode, left
       alone: ..."; freed with errata_free(); NULL for a file written. */
    char *note;
} errata_file;

#define ERRATA_FIX_FILES_OPTIONS_VERSION 1

typedef struct {
    unsigned version;
    int apply_proposed;              /* apply the proposed edits too (errata fix --all) */
    errata_encoding input_encoding;  /* ERRATA_ENCODING_AUTO: detect each file's */
    errata_encoding output_encoding; /* ERRATA_ENCODING_AUTO: each file's own */
} errata_fix_files_options;

#define ERRATA_FIX_FILES_OPTIONS_INIT \
    {ERRATA_FIX_FILES_OPTIONS_VERSION, 0, ERRATA_ENCODING_AUTO, ERRATA_ENCODING_AUTO}

/* Repair files[0..count) in order with one scratch (NULL: none), check
   and opts NULL for their defaults; every file's outcome is set in its
   struct.  Fails (ERRATA_EINVAL) only on bad arguments, before any file;
   a file that cannot be done is ERRATA_FILE_FAILED with its note. */
ERRATA_API int errata_fix_files(const errata_engine *engine, errata_scratch *scratch,
                                const errata_check_options *check,
                                const errata_fix_files_options *opts, errata_file *files,
                                size_t count);

#ifdef __cplusplus
}
#endif

#endif
