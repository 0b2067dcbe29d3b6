/* errata_decode and errata_encode on arbitrary bytes.  The first byte
   chooses the encoding asked for (auto or one of the seven); the rest is the
   file's bytes.  Invariants: a failure is ERRATA_EENCODING with nothing
   handed out; decoded text is NUL-terminated valid UTF-8, in the encoding
   asked for or a detected one; encoding it back in that encoding gives the
   bytes read, BOM included; and every text decoded survives encode then
   decode in each of the seven encodings unchanged. */
#include "fuzz.h"

static int same_bytes(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return a_len == b_len && memcmp(a, b, a_len) == 0;
}

static void check_round_trips(const char *text, size_t len)
{
    for (int e = ERRATA_ENCODING_UTF8; e <= ERRATA_ENCODING_UTF16BE_BOM; e++) {
        char *bytes = NULL, *back = NULL;
        size_t bytes_len = 0, back_len = 0;
        FUZZ_CHECK(errata_encode(text, len, (errata_encoding)e, &bytes, &bytes_len) == ERRATA_OK,
                   "encode as %s: %s", errata_encoding_name((errata_encoding)e),
                   errata_error_message());
        FUZZ_CHECK(errata_decode(bytes, bytes_len, (errata_encoding)e, &back, &back_len, NULL) ==
                       ERRATA_OK,
                   "decode of our own %s: %s", errata_encoding_name((errata_encoding)e),
                   errata_error_message());
        FUZZ_CHECK(same_bytes(back, back_len, text, len), "%s changed the text",
                   errata_encoding_name((errata_encoding)e));
        errata_free(bytes);
        errata_free(back);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    errata_encoding asked = (errata_encoding)(data[0] % 8);
    const char *bytes = (const char *)data + 1;
    size_t len = size - 1;
    char *text = NULL;
    size_t text_len = 0;
    errata_encoding detected = ERRATA_ENCODING_AUTO;
    int rc = errata_decode(bytes, len, asked, &text, &text_len, &detected);
    if (rc != ERRATA_OK) {
        FUZZ_CHECK(rc == ERRATA_EENCODING && text == NULL && text_len == 0 &&
                       *errata_error_message(),
                   "decode failed with %d: %s", rc, errata_error_message());
        return 0;
    }
    FUZZ_CHECK(text[text_len] == '\0', "decoded text not NUL-terminated");
    FUZZ_CHECK(fuzz_is_utf8(text, text_len), "decoded text is not UTF-8");
    FUZZ_CHECK(asked == ERRATA_ENCODING_AUTO ? detected != ERRATA_ENCODING_AUTO : detected == asked,
               "asked %d, detected %d", asked, detected);
    char *again = NULL;
    size_t again_len = 0;
    FUZZ_CHECK(errata_encode(text, text_len, detected, &again, &again_len) == ERRATA_OK,
               "encode as %s: %s", errata_encoding_name(detected), errata_error_message());
    FUZZ_CHECK(same_bytes(again, again_len, bytes, len), "%s: decode then encode changed the bytes",
               errata_encoding_name(detected));
    check_round_trips(text, text_len);
    errata_free(again);
    errata_free(text);
    return 0;
}
