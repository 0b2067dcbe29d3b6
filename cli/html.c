/* What the HTML pages share: the nonce and the policy, the head of a page,
   escaping for element content and for JSON inside a <script> element, and
   the embedded style sheets and script. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "html.h"
#include "json.h"

extern const char errata_html_review_css_data[], errata_html_review_css_data_end[];
extern const char errata_html_review_body_data[], errata_html_review_body_data_end[];
extern const char errata_html_review_js_data[], errata_html_review_js_data_end[];
extern const char errata_html_report_css_data[], errata_html_report_css_data_end[];

static errata_html_asset asset(const char *start, const char *end)
{
    return (errata_html_asset){start, (size_t)(end - start)};
}

errata_html_asset errata_html_review_css(void)
{
    return asset(errata_html_review_css_data, errata_html_review_css_data_end);
}

errata_html_asset errata_html_review_body(void)
{
    return asset(errata_html_review_body_data, errata_html_review_body_data_end);
}

errata_html_asset errata_html_review_js(void)
{
    return asset(errata_html_review_js_data, errata_html_review_js_data_end);
}

errata_html_asset errata_html_report_css(void)
{
    return asset(errata_html_report_css_data, errata_html_report_css_data_end);
}

/* ------------------------------------------------------------ the nonce */

static void random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got < n) { /* no getrandom(): the kernel's pool through the device */
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        while (fd >= 0 && got < n) {
            ssize_t r = read(fd, buf + got, n - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (fd >= 0)
            close(fd);
    }
}

void errata_html_nonce(char nonce[ERRATA_HTML_NONCE_SIZE])
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char bytes[18] = {0}; /* 16 random ones, padded to whole groups of 3 */
    random_bytes(bytes, 16);
    size_t n = 0;
    for (size_t i = 0; i < sizeof bytes; i += 3) {
        uint32_t group = (uint32_t)bytes[i] << 16 | (uint32_t)bytes[i + 1] << 8 | bytes[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            nonce[n++] = digits[group >> shift & 63];
    }
    nonce[22] = nonce[23] = '='; /* the last two digits only encode padding */
    nonce[24] = '\0';
}

/* ------------------------------------------------------------ escaping */

void errata_html_put_text(FILE *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = errata_cli_utf8_valid_length(s + i, len - i, NULL);
        if (c == '&')
            fputs("&amp;", out);
        else if (c == '<')
            fputs("&lt;", out);
        else if (c == '>')
            fputs("&gt;", out);
        else if (c == '"')
            fputs("&quot;", out);
        else if (c == '\'')
            fputs("&#39;", out);
        else if (n == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
            fputs("\xef\xbf\xbd", out); /* U+FFFD */
        else
            fwrite(s + i, 1, n, out);
        i += n ? n : 1;
    }
}

/* JSON text (escaped already) made safe inside a <script> element: < > &
   as \u003c \u003e \u0026, so that no "</script" or "<!--" can appear, and
   U+2028 and U+2029, line breaks to older JavaScript, as escapes too. */
static void put_script_safe(FILE *out, const char *json, size_t len)
{
    const unsigned char *s = (const unsigned char *)json;
    size_t plain = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < len; i++) {
        const char *escape = NULL;
        size_t n = 1;
        if (s[i] == '<')
            escape = "\\u003c";
        else if (s[i] == '>')
            escape = "\\u003e";
        else if (s[i] == '&')
            escape = "\\u0026";
        else if (s[i] == 0xe2 && len - i >= 3 && s[i + 1] == 0x80 &&
                 (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
            escape = s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", n = 3;
        if (escape) {
            fwrite(json + plain, 1, i - plain, out);
            fputs(escape, out);
            plain = i + n;
            i += n - 1;
        }
    }
    if (len > plain)
        fwrite(json + plain, 1, len - plain, out);
}

int errata_html_put_json_string(FILE *out, const char *text, size_t len)
{
    errata_cli_buffer escaped = {0};
    if (errata_json_append_escaped(&escaped, text, len, 0)) {
        free(escaped.data);
        return -1;
    }
    fputc('"', out);
    put_script_safe(out, escaped.data, escaped.len);
    fputc('"', out);
    free(escaped.data);
    return 0;
}

/* ------------------------------------------------------------ the head */

void errata_html_put_head(FILE *out, const char *nonce, const char *title, const char *css,
                          size_t css_len)
{
    /* Nothing may be loaded (default-src 'none'), no form sent, no base URL
       set; only the style and script elements carrying the nonce run. */
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "script-src 'nonce-%s'; style-src 'nonce-%s'; base-uri 'none'; "
            "form-action 'none'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"errata %s\">\n<title>",
            nonce, nonce, ERRATA_VERSION_STRING);
    errata_html_put_text(out, title, strlen(title));
    fprintf(out, "</title>\n<style nonce=\"%s\">\n", nonce);
    fwrite(css, 1, css_len, out);
    fputs("</style>\n</head>\n<body>\n", out);
}
