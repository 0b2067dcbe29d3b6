/* Language model figures and a scoring filter.
 *
 *   lm-bench [MODEL]          load times, resident memory, score() speed
 *   lm-bench --score [MODEL]  for each line of stdin print
 *                             "<log10 score>\t<tokens separated by |>"
 *
 * MODEL defaults to the copy embedded in the library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "lm.h"

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A "<field>: <n> kB" line of /proc/self/status (VmRSS, RssAnon, RssFile). */
static long status_kib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':' && sscanf(line + n + 1, "%ld", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static int open_model(errata_lm **lm, const char *path)
{
    int rc = path ? errata_lm_open_file(lm, path)
                  : errata_lm_open_memory(lm, errata_embedded_model,
                                          (size_t)(errata_embedded_model_end -
                                                   errata_embedded_model));
    if (rc)
        fprintf(stderr, "lm-bench: %s\n", errata_error_message());
    return rc;
}

static int score_lines(const errata_lm *lm)
{
    char line[4096];
    size_t ends[1024];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strcspn(line, "\r\n"), count, start = 0;
        double score = errata_lm_segment(lm, line, len, ends, 1024, &count);
        printf("%.4f\t", score);
        for (size_t i = 0; i < count && i < 1024; i++) {
            printf("%s%.*s", i ? "|" : "", (int)(ends[i] - start), line + start);
            start = ends[i];
        }
        putchar('\n');
    }
    return 0;
}

/* Windows cut from typical damaged-document sentences. */
static const char *const windows[] = {
    "在科学开展观的指导下深入开展平安消费治理活动", "为全面建成小康社会打下结实的根底",
    "坚持以人为本，树立全面协调可持续的开展观", "各单位要仔细贯彻落实会议精神，确保工程顺利推进",
    "提高效劳质量和水平，标准市场秩序", "进一步加强根底设施建设，促进经济社会开展",
    "严格依照有关规定进展检查", "努力为人民群众提供优质高效的公共效劳"};

static void time_open(const char *label, const char *path, int rounds)
{
    double start = seconds();
    for (int i = 0; i < rounds; i++) {
        errata_lm *lm;
        if (open_model(&lm, path))
            return;
        errata_lm_free(lm);
    }
    printf("load (%s): %.1f us\n", label, (seconds() - start) / rounds * 1e6);
}

static void time_score(const errata_lm *lm)
{
    size_t n = sizeof windows / sizeof windows[0], chars = 0;
    for (size_t i = 0; i < n; i++)
        for (const char *p = windows[i]; *p; p++)
            chars += (*p & 0xC0) != 0x80;
    int rounds = 20000;
    double start = seconds();
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++)
            errata_lm_score(lm, windows[i], strlen(windows[i]));
    double per = (seconds() - start) / ((double)rounds * n);
    printf("score(): %.2f us per window of %.1f characters on average (%.1f M characters/s)\n",
           per * 1e6, (double)chars / n, (double)chars / n / per / 1e6);
}

int main(int argc, char **argv)
{
    int scoring = argc > 1 && strcmp(argv[1], "--score") == 0;
    const char *path = argc > 1 + scoring ? argv[1 + scoring] : NULL;
    long anon = status_kib("RssAnon"), file = status_kib("RssFile");
    double start = seconds();
    errata_lm *lm;
    if (open_model(&lm, path))
        return 1;
    if (scoring) {
        int rc = score_lines(lm);
        errata_lm_free(lm);
        return rc;
    }
    printf("first load (%s): %.1f us; resident memory +%ld KiB private, +%ld KiB mapped from files\n",
           path ? path : "embedded", (seconds() - start) * 1e6, status_kib("RssAnon") - anon,
           status_kib("RssFile") - file);
    time_open("embedded", NULL, 1000);
    if (path)
        time_open(path, path, 1000);
    time_score(lm);
    printf("after scoring: resident memory +%ld KiB private, +%ld KiB mapped from files (the "
           "pages of the model touched, shared with every process using it)\n",
           status_kib("RssAnon") - anon, status_kib("RssFile") - file);
    errata_lm_free(lm);
    return 0;
}
