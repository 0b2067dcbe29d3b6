/* Self-contained HTML pages: the review page of one document (`errata check
   --format=html`) and the summary page of a batch (`errata fix --report`).
   Every page carries its own CSS and JavaScript, fetches nothing, and allows
   nothing else to run: a Content-Security-Policy admits only the page's own
   inline code, by a nonce made afresh for each page. */
#ifndef ERRATA_CLI_HTML_H
#define ERRATA_CLI_HTML_H

#include <stdio.h>

#include "cli.h"

/* Room for a nonce: 16 random bytes in base64, and the NUL. */
#define ERRATA_HTML_NONCE_SIZE 25

/* A fresh nonce for the page's Content-Security-Policy. */
void errata_html_nonce(char nonce[ERRATA_HTML_NONCE_SIZE]);

/* The page's head up to and including <body>: the policy admitting the
   code that carries `nonce`, the title (escaped) and the given style sheet. */
void errata_html_put_head(FILE *out, const char *nonce, const char *title,
                          const char *css, size_t css_len);

/* Text for the content of an element or a quoted attribute: & < > " '
   escaped, control characters other than tab and line breaks shown as
   U+FFFD, bytes that are not UTF-8 as U+FFFD. */
void errata_html_put_text(FILE *out, const char *text, size_t len);

/* A JSON string (quoted) that is safe inside a <script> element: escaped
   as cli/json.c escapes every string, then < > & written as \u003c \u003e
   \u0026 (so no "</script" or "<!--" can appear) and U+2028 and U+2029 as
   escapes.  0, or -1 when out of memory (nothing written). */
int errata_html_put_json_string(FILE *out, const char *text, size_t len);

/* The embedded style sheets and scripts (cli/html/, linked in by
   cli/html_assets.S). */
typedef struct {
    const char *data;
    size_t len;
} errata_html_asset;

errata_html_asset errata_html_review_css(void);
errata_html_asset errata_html_review_body(void); /* the page's skeleton */
errata_html_asset errata_html_review_js(void);
errata_html_asset errata_html_report_css(void);

/* Write the review page of one checked document to out; -1 when out of
   memory (reported).  Write errors are left to the caller (ferror). */
int errata_html_review_page(FILE *out, const char *path, const errata_cli_document *doc,
                            const errata_result *result);

#endif
