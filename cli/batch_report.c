/* What a batch run tells: edits counted by rule, the summary at the end, and
   the progress bar on a terminal, all on standard error. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"

/* Redraw the bar at most this often (seconds). */
#define PROGRESS_INTERVAL 0.2
#define PROGRESS_WIDTH 24

double errata_batch_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ rule counts */

static size_t hash_string(const char *s)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static size_t find_slot(const errata_rule_counts *rc, const char *rule)
{
    size_t i = hash_string(rule) & (rc->cap - 1);
    while (rc->rules[i] && strcmp(rc->rules[i], rule) != 0)
        i = (i + 1) & (rc->cap - 1);
    return i;
}

static int grow_table(errata_rule_counts *rc)
{
    size_t cap = rc->cap ? rc->cap * 2 : 64;
    errata_rule_counts bigger = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), 0, cap};
    if (!bigger.rules || !bigger.counts) {
        free(bigger.rules);
        free(bigger.counts);
        return -1;
    }
    for (size_t i = 0; i < rc->cap; i++)
        if (rc->rules[i]) {
            size_t slot = find_slot(&bigger, rc->rules[i]);
            bigger.rules[slot] = rc->rules[i];
            bigger.counts[slot] = rc->counts[i];
            bigger.used++;
        }
    free(rc->rules);
    free(rc->counts);
    *rc = bigger;
    return 0;
}

static int count_rule(errata_rule_counts *rc, const char *rule, size_t n)
{
    if ((rc->used + 1) * 2 > rc->cap && grow_table(rc))
        return -1;
    size_t slot = find_slot(rc, rule);
    if (!rc->rules[slot]) {
        if (!(rc->rules[slot] = strdup(rule)))
            return -1;
        rc->used++;
    }
    rc->counts[slot] += n;
    return 0;
}

static int out_of_memory(void)
{
    fputs("errata: out of memory\n", stderr);
    return -1;
}

int errata_batch_stats_add_edits(errata_batch_stats *stats, const errata_cli_common *common,
                                 const errata_result *result)
{
    errata_rule_count *counts;
    size_t n;
    if (errata_result_rule_counts(result, common->apply_all, &counts, &n))
        return out_of_memory();
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = count_rule(&stats->rules, counts[i].rule, counts[i].count);
    errata_free(counts);
    return rc ? out_of_memory() : 0;
}

int errata_batch_stats_merge(errata_batch_stats *into, const errata_batch_stats *from)
{
    into->read += from->read;
    into->changed += from->changed;
    into->skipped += from->skipped;
    into->failed += from->failed;
    into->bytes += from->bytes;
    for (size_t i = 0; i < from->rules.cap; i++)
        if (from->rules.rules[i] &&
            count_rule(&into->rules, from->rules.rules[i], from->rules.counts[i]))
            return out_of_memory();
    return 0;
}

void errata_batch_stats_free(errata_batch_stats *stats)
{
    for (size_t i = 0; i < stats->rules.cap; i++)
        free(stats->rules.rules[i]);
    free(stats->rules.rules);
    free(stats->rules.counts);
    memset(stats, 0, sizeof *stats);
}

/* ------------------------------------------------------------ summary */

static int by_count_then_name(const void *pa, const void *pb)
{
    const errata_rule_total *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->rule, b->rule);
}

errata_rule_total *errata_rule_counts_sorted(const errata_rule_counts *rc, size_t *n)
{
    errata_rule_total *totals = malloc((rc->used ? rc->used : 1) * sizeof *totals);
    *n = 0;
    if (!totals) {
        out_of_memory();
        return NULL;
    }
    for (size_t i = 0; i < rc->cap; i++)
        if (rc->rules[i])
            totals[(*n)++] = (errata_rule_total){rc->rules[i], rc->counts[i]};
    qsort(totals, *n, sizeof *totals, by_count_then_name);
    return totals;
}

static void print_rules(const errata_rule_counts *rc)
{
    size_t n;
    errata_rule_total *totals = errata_rule_counts_sorted(rc, &n);
    if (!totals)
        return;
    fputs(n ? "errata: edits by rule:\n" : "errata: no edits\n", stderr);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%8zu  %s\n", totals[i].count, totals[i].rule);
    free(totals);
}

static const char *plural_s(size_t n) { return n == 1 ? "" : "s"; }

void errata_batch_print_summary(const errata_batch_stats *stats, const char *unit,
                                const char *skipped_word, double seconds)
{
    double mb = (double)stats->bytes / 1e6;
    flockfile(stderr);
    fprintf(stderr, "errata: %zu %s%s read, %zu changed, %zu %s, %zu failed", stats->read, unit,
            plural_s(stats->read), stats->changed, stats->skipped, skipped_word, stats->failed);
    fprintf(stderr, " (%.1f MB in %.2f s, %.1f MB/s)\n", mb, seconds,
            seconds > 0 ? mb / seconds : 0.0);
    print_rules(&stats->rules);
    funlockfile(stderr);
}

/* ------------------------------------------------------------ console */

void errata_batch_console_init(errata_batch_console *console, int progress)
{
    memset(console, 0, sizeof *console);
    pthread_mutex_init(&console->lock, NULL);
    console->enabled = progress;
    console->started = errata_batch_now();
}

void errata_batch_console_destroy(errata_batch_console *console)
{
    pthread_mutex_destroy(&console->lock);
}

static void clear_bar(errata_batch_console *console)
{
    if (console->drawn)
        fputs("\r\033[K", stderr);
    console->drawn = 0;
}

void errata_batch_console_hold(errata_batch_console *console)
{
    pthread_mutex_lock(&console->lock);
    flockfile(stderr);
    clear_bar(console);
}

void errata_batch_console_release(errata_batch_console *console)
{
    funlockfile(stderr);
    pthread_mutex_unlock(&console->lock);
}

static void print_note(errata_batch_console *console, const char *name, const char *fmt,
                       va_list ap)
{
    errata_batch_console_hold(console);
    fprintf(stderr, "errata: %s: ", name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    errata_batch_console_release(console);
}

void errata_batch_note(errata_batch_console *console, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_note(console, name, fmt, ap);
    va_end(ap);
}

void errata_batch_skip_note(errata_batch_console *console, const char *name, const char *fmt, ...)
{
    if (console->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    print_note(console, name, fmt, ap);
    va_end(ap);
}

static void format_duration(double seconds, char *buf, size_t size)
{
    long s = seconds > 0 && seconds < 1e7 ? (long)(seconds + 0.5) : 0;
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

/* [=========>        ] 120/400 files  35.2/120.0 MB  12.3 MB/s  0:07 left */
static void draw_bar(errata_batch_console *c, double now)
{
    double fraction = c->total_bytes ? (double)c->done_bytes / (double)c->total_bytes
                      : c->total_files ? (double)c->done_files / (double)c->total_files
                                       : 1.0;
    int filled = (int)(fraction * PROGRESS_WIDTH);
    char bar[PROGRESS_WIDTH + 1];
    for (int i = 0; i < PROGRESS_WIDTH; i++)
        bar[i] = i < filled ? '=' : i == filled ? '>' : ' ';
    bar[PROGRESS_WIDTH] = '\0';
    double elapsed = now - c->started;
    double rate = elapsed > 0 ? (double)c->done_bytes / elapsed : 0;
    char left[32] = "?";
    if (rate > 0)
        format_duration((double)(c->total_bytes - c->done_bytes) / rate, left, sizeof left);
    fprintf(stderr, "\r\033[K[%s] %zu/%zu files  %.1f/%.1f MB  %.1f MB/s  %s left", bar,
            c->done_files, c->total_files, (double)c->done_bytes / 1e6,
            (double)c->total_bytes / 1e6, rate / 1e6, left);
    c->drawn = 1;
    c->last_drawn = now;
}

void errata_batch_progress(errata_batch_console *console, size_t files, uint64_t bytes, int force)
{
    pthread_mutex_lock(&console->lock);
    console->done_files += files;
    console->done_bytes += bytes;
    double now = errata_batch_now();
    int finished = console->done_files == console->total_files;
    if (console->enabled &&
        (force || finished || now - console->last_drawn >= PROGRESS_INTERVAL)) {
        flockfile(stderr);
        draw_bar(console, now);
        funlockfile(stderr);
    }
    pthread_mutex_unlock(&console->lock);
}

void errata_batch_progress_end(errata_batch_console *console)
{
    pthread_mutex_lock(&console->lock);
    flockfile(stderr);
    clear_bar(console);
    console->enabled = 0;
    funlockfile(stderr);
    pthread_mutex_unlock(&console->lock);
}
