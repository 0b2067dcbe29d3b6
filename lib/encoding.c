/* Reading documents in the encodings they come in (UTF-8 with or without a
   BOM, GB18030 and its subsets GBK/GB2312, UTF-16 of either byte order) and
   writing them back.  UTF-8 is handled here; the other encodings go through
   ICU converters, one opened per call so that threads never share one. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>

#include "internal.h"

/* ICU is opened when the first text that is not UTF-8 comes: loading it
   (and the libstdc++ it needs) at start-up cost more than the rest of a
   small run, and a UTF-8 run never calls it.  The functions are looked up
   once per process and never change after.  The errata command, linked
   statically, is built with ERRATA_LINKED_DEPS and calls ICU directly. */
typedef struct {
    __typeof__(ucnv_open) *open;
    __typeof__(ucnv_close) *close;
    __typeof__(ucnv_setToUCallBack) *set_to_u_callback;
    __typeof__(ucnv_setFromUCallBack) *set_from_u_callback;
    __typeof__(ucnv_getInvalidChars) *get_invalid_chars;
    __typeof__(ucnv_convertEx) *convert_ex;
    __typeof__(u_errorName) *error_name;
    UConverterToUCallback to_u_stop;
    UConverterFromUCallback from_u_stop;
} icu_functions;

static icu_functions icu;
static char icu_load_error[512]; /* empty when icu is usable */
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;

/* The name ICU's header gives a function (with its version suffix). */
#define ICU_NAME(function) ICU_NAME_OF(function)
#define ICU_NAME_OF(function) #function
#define ICU_LOAD(library, field, function) \
    (icu.field = (__typeof__(icu.field))dlsym(library, ICU_NAME(function)))

#ifdef ERRATA_LINKED_DEPS
/* A program linked with ICU itself (the static errata command, see the
   Makefile) calls it directly. */
static void load_icu(void)
{
    icu = (icu_functions){.open = ucnv_open,
                          .close = ucnv_close,
                          .set_to_u_callback = ucnv_setToUCallBack,
                          .set_from_u_callback = ucnv_setFromUCallBack,
                          .get_invalid_chars = ucnv_getInvalidChars,
                          .convert_ex = ucnv_convertEx,
                          .error_name = u_errorName,
                          .to_u_stop = UCNV_TO_U_CALLBACK_STOP,
                          .from_u_stop = UCNV_FROM_U_CALLBACK_STOP};
}
#else
static void load_icu(void)
{
    void *lib = dlopen(ERRATA_ICUUC_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(icu_load_error, sizeof icu_load_error, "cannot load ICU: %s", dlerror());
        return;
    }
    if (!ICU_LOAD(lib, open, ucnv_open) || !ICU_LOAD(lib, close, ucnv_close) ||
        !ICU_LOAD(lib, set_to_u_callback, ucnv_setToUCallBack) ||
        !ICU_LOAD(lib, set_from_u_callback, ucnv_setFromUCallBack) ||
        !ICU_LOAD(lib, get_invalid_chars, ucnv_getInvalidChars) ||
        !ICU_LOAD(lib, convert_ex, ucnv_convertEx) || !ICU_LOAD(lib, error_name, u_errorName) ||
        !ICU_LOAD(lib, to_u_stop, UCNV_TO_U_CALLBACK_STOP) ||
        !ICU_LOAD(lib, from_u_stop, UCNV_FROM_U_CALLBACK_STOP))
        snprintf(icu_load_error, sizeof icu_load_error, "cannot load ICU: %s", dlerror());
}
#endif

/* ERRATA_EIO with dlopen's or dlsym's message unless ICU is loaded. */
static int need_icu(void)
{
    pthread_once(&icu_once, load_icu);
    return icu_load_error[0] ? errata_fail(ERRATA_EIO, "%s", icu_load_error) : ERRATA_OK;
}

/* Code units looked at when guessing the byte order of UTF-16 without a BOM. */
#define UTF16_PROBE_UNITS 32768
/* Percentage of those that must read as text for a byte order to be taken. */
#define UTF16_TEXT_PERCENT 80

static const char utf8_bom[] = "\xEF\xBB\xBF";

typedef struct {
    const char *name;    /* ours, as errata_encoding_name() gives it */
    const char *icu;     /* the ICU converter, NULL for UTF-8 */
    const char *bom;     /* written before the text, "" for none */
    size_t bom_len;
    int utf16_big_endian; /* for the control-character scan of UTF-16 */
} encoding_info;

static const encoding_info encodings[] = {
    [ERRATA_ENCODING_AUTO] = {"auto", NULL, "", 0, 0},
    [ERRATA_ENCODING_UTF8] = {"UTF-8", NULL, "", 0, 0},
    [ERRATA_ENCODING_UTF8_BOM] = {"UTF-8-BOM", NULL, utf8_bom, 3, 0},
    [ERRATA_ENCODING_GB18030] = {"GB18030", "GB18030", "", 0, 0},
    [ERRATA_ENCODING_UTF16LE] = {"UTF-16LE", "UTF-16LE", "", 0, 0},
    [ERRATA_ENCODING_UTF16LE_BOM] = {"UTF-16LE-BOM", "UTF-16LE", "\xFF\xFE", 2, 0},
    [ERRATA_ENCODING_UTF16BE] = {"UTF-16BE", "UTF-16BE", "", 0, 1},
    [ERRATA_ENCODING_UTF16BE_BOM] = {"UTF-16BE-BOM", "UTF-16BE", "\xFE\xFF", 2, 1},
};

#define ENCODING_COUNT (sizeof encodings / sizeof *encodings)

static int is_utf16(errata_encoding e)
{
    return e >= ERRATA_ENCODING_UTF16LE && e <= ERRATA_ENCODING_UTF16BE_BOM;
}

const char *errata_encoding_name(errata_encoding encoding)
{
    return (unsigned)encoding < ENCODING_COUNT ? encodings[encoding].name : NULL;
}

int errata_encoding_from_name(const char *name, errata_encoding *out)
{
    static const struct {
        const char *alias;
        errata_encoding encoding;
    } aliases[] = {{"UTF8", ERRATA_ENCODING_UTF8},
                   {"UTF-8-SIG", ERRATA_ENCODING_UTF8_BOM},
                   {"GBK", ERRATA_ENCODING_GB18030},
                   {"GB2312", ERRATA_ENCODING_GB18030},
                   {"CP936", ERRATA_ENCODING_GB18030},
                   {"UTF-16", ERRATA_ENCODING_UTF16LE_BOM}};
    if (!name || !out)
        return errata_fail(ERRATA_EINVAL, "errata_encoding_from_name: NULL argument");
    for (size_t i = 0; i < ENCODING_COUNT; i++)
        if (strcasecmp(name, encodings[i].name) == 0) {
            *out = (errata_encoding)i;
            return ERRATA_OK;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
        if (strcasecmp(name, aliases[i].alias) == 0) {
            *out = aliases[i].encoding;
            return ERRATA_OK;
        }
    return errata_fail(ERRATA_EINVAL, "unknown encoding '%s'", name);
}

/* ------------------------------------------------------------ detection */

static int starts_with(const char *data, size_t len, const char *prefix, size_t prefix_len)
{
    return len >= prefix_len && memcmp(data, prefix, prefix_len) == 0;
}

static int is_text_unit(unsigned u)
{
    return u == '\t' || u == '\n' || u == '\r' || (u >= 0x20 && u <= 0x7E) ||
           (u >= 0xA0 && u <= 0x24F) ||   /* Latin-1 and Latin Extended */
           (u >= 0x2000 && u <= 0x206F) || /* general punctuation: “” — … */
           (u >= 0x2460 && u <= 0x25FF) || /* enclosed numbers, boxes, shapes */
           (u >= 0x3000 && u <= 0x303F) || /* CJK punctuation */
           (u >= 0x3400 && u <= 0x9FFF) || /* CJK ideographs */
           (u >= 0xFF00 && u <= 0xFFEF);   /* full-width forms */
}

/* Whether data reads as UTF-16 text in this byte order. */
static int reads_as_utf16(const char *data, size_t len, int big_endian)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t units = len / 2 < UTF16_PROBE_UNITS ? len / 2 : UTF16_PROBE_UNITS, text = 0;
    for (size_t i = 0; i < units; i++) {
        unsigned hi = p[2 * i + !big_endian], lo = p[2 * i + big_endian];
        text += is_text_unit(hi << 8 | lo);
    }
    return units > 0 && text * 100 >= units * UTF16_TEXT_PERCENT;
}

static errata_encoding detect(const char *data, size_t len)
{
    if (starts_with(data, len, utf8_bom, 3))
        return ERRATA_ENCODING_UTF8_BOM;
    if (starts_with(data, len, "\xFF\xFE", 2))
        return ERRATA_ENCODING_UTF16LE_BOM;
    if (starts_with(data, len, "\xFE\xFF", 2))
        return ERRATA_ENCODING_UTF16BE_BOM;
    if (len % 2 == 0 && memchr(data, '\0', len)) {
        if (reads_as_utf16(data, len, 0))
            return ERRATA_ENCODING_UTF16LE;
        if (reads_as_utf16(data, len, 1))
            return ERRATA_ENCODING_UTF16BE;
    }
    if (errata_utf8_invalid_offset(data, len) == len)
        return ERRATA_ENCODING_UTF8;
    return ERRATA_ENCODING_GB18030;
}

/* ------------------------------------------------- control characters */

static int is_binary_control(unsigned c)
{
    return c < 0x20 && !(c >= '\t' && c <= '\r') && c != 0x1A && c != 0x1B;
}

/* Whether one of the eight bytes at p is below 0x20 (subtracting 0x20 from
   each borrows into its top bit only then, the top bit being clear). */
static int has_byte_below_space(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return ((x - 0x2020202020202020u) & ~x & 0x8080808080808080u) != 0;
}

/* Byte offset of the first control character that text never holds, or len.
   In UTF-8 and GB18030 every byte below 0x20 is a character of its own. */
static size_t binary_control_offset(const char *data, size_t len, errata_encoding e)
{
    const unsigned char *p = (const unsigned char *)data;
    if (!is_utf16(e)) {
        for (size_t i = 0; i < len; i++) {
            if (i + 8 <= len && !has_byte_below_space(p + i)) {
                i += 7;
                continue;
            }
            if (is_binary_control(p[i]))
                return i;
        }
        return len;
    }
    int big_endian = encodings[e].utf16_big_endian;
    for (size_t i = 0; i + 1 < len; i += 2)
        if (p[i + !big_endian] == 0 && is_binary_control(p[i + big_endian]))
            return i;
    return len;
}

/* ------------------------------------------------------------ conversion */

typedef struct {
    char *data;
    size_t len, cap;
} byte_buffer;

static int buffer_reserve(byte_buffer *b, size_t cap)
{
    char *grown = realloc(b->data, cap);
    if (!grown)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    b->data = grown;
    b->cap = cap;
    return ERRATA_OK;
}

/* Hand the buffer out, NUL-terminated and trimmed to its length. */
static int buffer_finish(byte_buffer *b, char **out, size_t *out_len)
{
    if (b->len + 1 > b->cap && buffer_reserve(b, b->len + 1)) {
        free(b->data);
        return ERRATA_ENOMEM;
    }
    b->data[b->len] = '\0';
    char *trimmed = realloc(b->data, b->len + 1);
    *out = trimmed ? trimmed : b->data;
    *out_len = b->len;
    return ERRATA_OK;
}

static UConverter *open_converter(const char *name)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = icu.open(name, &err);
    if (U_FAILURE(err)) {
        errata_fail(ERRATA_ENOMEM, "cannot open the %s converter: %s", name, icu.error_name(err));
        return NULL;
    }
    icu.set_to_u_callback(cnv, icu.to_u_stop, NULL, NULL, NULL, &err);
    icu.set_from_u_callback(cnv, icu.from_u_stop, NULL, NULL, NULL, &err);
    return cnv;
}

/* Byte offset of the sequence the converter stopped at. */
static size_t stopped_offset(UConverter *source, const char *start, const char *stopped)
{
    char bad[32];
    int8_t bad_len = sizeof bad;
    UErrorCode err = U_ZERO_ERROR;
    icu.get_invalid_chars(source, bad, &bad_len, &err);
    size_t consumed = (size_t)(stopped - start);
    return U_SUCCESS(err) && (size_t)bad_len <= consumed ? consumed - (size_t)bad_len : consumed;
}

static int convert_failure(UErrorCode err, const char *from, size_t offset)
{
    if (err == U_TRUNCATED_CHAR_FOUND)
        return errata_fail(ERRATA_EENCODING, "truncated %s sequence at byte offset %zu", from,
                           offset);
    if (err == U_INVALID_CHAR_FOUND || err == U_ILLEGAL_CHAR_FOUND)
        return errata_fail(ERRATA_EENCODING, "invalid %s at byte offset %zu", from, offset);
    return errata_fail(ERRATA_EENCODING, "%s conversion failed: %s", from, icu.error_name(err));
}

/* Convert len bytes from one ICU converter to another, appending to out
   (whose capacity is a first guess; it grows when needed).  Error offsets
   are counted from data - base. */
static int icu_convert(const char *from, const char *to, const char *data, size_t len,
                       size_t base, byte_buffer *out)
{
    if (need_icu())
        return ERRATA_EIO;
    UConverter *source = open_converter(from), *target = source ? open_converter(to) : NULL;
    if (!target) {
        icu.close(source);
        return ERRATA_ENOMEM;
    }
    UChar pivot[1024], *pivot_source = pivot, *pivot_target = pivot;
    const char *in = data;
    int rc = ERRATA_OK;
    for (UBool reset = 1;; reset = 0) {
        char *dest = out->data + out->len;
        UErrorCode err = U_ZERO_ERROR;
        icu.convert_ex(target, source, &dest, out->data + out->cap, &in, data + len, pivot,
                       &pivot_source, &pivot_target, pivot + 1024, reset, 1, &err);
        out->len = (size_t)(dest - out->data);
        if (err == U_BUFFER_OVERFLOW_ERROR && !(rc = buffer_reserve(out, out->cap * 2)))
            continue;
        if (!rc && U_FAILURE(err))
            rc = convert_failure(err, from, base + stopped_offset(source, data, in));
        break;
    }
    icu.close(source);
    icu.close(target);
    return rc;
}

static int copy_bytes(byte_buffer *out, const char *data, size_t len)
{
    if (out->len + len > out->cap && buffer_reserve(out, out->len + len))
        return ERRATA_ENOMEM;
    memcpy(out->data + out->len, data, len);
    out->len += len;
    return ERRATA_OK;
}

/* Decode data as e; known_valid: it was found to be valid UTF-8 already. */
static int decode_as(const char *data, size_t len, errata_encoding e, int known_valid,
                     byte_buffer *out)
{
    const encoding_info *info = &encodings[e];
    if (!starts_with(data, len, info->bom, info->bom_len))
        return errata_fail(ERRATA_EENCODING, "no %s byte order mark", info->name);
    size_t skip = info->bom_len;
    if (info->icu)
        return icu_convert(info->icu, "UTF-8", data + skip, len - skip, skip, out);
    size_t bad = known_valid ? len - skip : errata_utf8_invalid_offset(data + skip, len - skip);
    if (bad < len - skip)
        return errata_fail(ERRATA_EENCODING, "invalid UTF-8 at byte offset %zu", skip + bad);
    return copy_bytes(out, data + skip, len - skip);
}

static int check_no_binary_control(const char *data, size_t len, errata_encoding e)
{
    size_t at = binary_control_offset(data, len, e);
    if (at == len)
        return ERRATA_OK;
    unsigned c = (unsigned char)data[is_utf16(e) ? at + encodings[e].utf16_big_endian : at];
    return errata_fail(ERRATA_EENCODING, "control character U+%04X at byte offset %zu (binary data?)",
                       c, at);
}

/* The text was taken for GB18030 because it is not UTF-8, and is not that
   either: say both. */
static int report_neither(const char *data, size_t len)
{
    char gb18030_message[128];
    snprintf(gb18030_message, sizeof gb18030_message, "%s", errata_error_message());
    return errata_fail(ERRATA_EENCODING,
                       "neither UTF-8 nor GB18030: invalid UTF-8 at byte offset %zu, %s",
                       errata_utf8_invalid_offset(data, len), gb18030_message);
}

int errata_decode(const char *data, size_t len, errata_encoding encoding, char **out,
                  size_t *out_len, errata_encoding *detected)
{
    if (!out || !out_len || (!data && len))
        return errata_fail(ERRATA_EINVAL, "errata_decode: NULL argument");
    if ((unsigned)encoding >= ENCODING_COUNT)
        return errata_fail(ERRATA_EINVAL, "errata_decode: unknown encoding %d", (int)encoding);
    *out = NULL;
    *out_len = 0;
    errata_encoding e = encoding == ERRATA_ENCODING_AUTO ? detect(data, len) : encoding;
    int detected_utf8 = encoding == ERRATA_ENCODING_AUTO && e == ERRATA_ENCODING_UTF8;
    byte_buffer buffer = {0};
    int rc = buffer_reserve(&buffer, len + len / 2 + 16);
    if (!rc)
        rc = decode_as(data, len, e, detected_utf8, &buffer);
    if (rc == ERRATA_EENCODING && encoding == ERRATA_ENCODING_AUTO &&
        e == ERRATA_ENCODING_GB18030)
        rc = report_neither(data, len);
    if (!rc)
        rc = check_no_binary_control(data, len, e);
    if (rc) {
        free(buffer.data);
        return rc;
    }
    if (detected)
        *detected = e;
    return buffer_finish(&buffer, out, out_len);
}

int errata_decode_unchanged(const char *data, size_t len, errata_encoding encoding)
{
    if ((!data && len) || (unsigned)encoding >= ENCODING_COUNT)
        return 0;
    errata_encoding e = encoding == ERRATA_ENCODING_AUTO ? detect(data, len) : encoding;
    if (e != ERRATA_ENCODING_UTF8) /* detect() found it valid UTF-8 */
        return 0;
    return (encoding == ERRATA_ENCODING_AUTO || errata_utf8_invalid_offset(data, len) == len) &&
           binary_control_offset(data, len, e) == len;
}

int errata_encode(const char *text, size_t len, errata_encoding encoding, char **out,
                  size_t *out_len)
{
    if (!out || !out_len || (!text && len))
        return errata_fail(ERRATA_EINVAL, "errata_encode: NULL argument");
    if (encoding == ERRATA_ENCODING_AUTO || (unsigned)encoding >= ENCODING_COUNT)
        return errata_fail(ERRATA_EINVAL, "errata_encode: no encoding given");
    *out = NULL;
    *out_len = 0;
    size_t bad = errata_utf8_invalid_offset(text, len);
    if (bad < len)
        return errata_fail(ERRATA_EENCODING, "invalid UTF-8 at byte offset %zu", bad);
    const encoding_info *info = &encodings[encoding];
    byte_buffer buffer = {0};
    int rc = buffer_reserve(&buffer, info->bom_len + 2 * len + 16);
    if (!rc)
        rc = copy_bytes(&buffer, info->bom, info->bom_len);
    if (!rc)
        rc = info->icu ? icu_convert("UTF-8", info->icu, text, len, 0, &buffer)
                       : copy_bytes(&buffer, text, len);
    if (rc) {
        free(buffer.data);
        return rc;
    }
    return buffer_finish(&buffer, out, out_len);
}
