/* The review and report pages' style sheets and script (cli/html/), linked
   into the command line; cli/html.c hands them out with their lengths. */
#define EMBED(name, file)            \
    .section .rodata;                \
    .globl name;                     \
    .hidden name;                    \
name:                                \
    .incbin file;                    \
    .globl name##_end;               \
    .hidden name##_end;              \
name##_end:                          \
    .byte 0

EMBED(errata_html_review_css_data, "cli/html/review.css")
EMBED(errata_html_review_body_data, "cli/html/review.html")
EMBED(errata_html_review_js_data, "cli/html/review.js")
EMBED(errata_html_report_css_data, "cli/html/report.css")

    .section .note.GNU-stack,"",@progbits
