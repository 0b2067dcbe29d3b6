/* What the libFuzzer harnesses of tests/fuzz share: a failed invariant
   aborts with a message (libFuzzer then keeps the input), and the engine
   they check with. */
#ifndef ERRATA_FUZZ_H
#define ERRATA_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errata.h"

#define FUZZ_CHECK(cond, ...)                                           \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "invariant failed: %s: ", #cond);           \
            fprintf(stderr, __VA_ARGS__);                               \
            fputc('\n', stderr);                                        \
            abort();                                                    \
        }                                                               \
    } while (0)

/* Whether pos is on a character boundary of the UTF-8 text. */
static inline int fuzz_on_boundary(const char *s, size_t len, size_t pos)
{
    return pos == 0 || pos == len || (pos < len && ((unsigned char)s[pos] & 0xC0) != 0x80);
}

static inline int fuzz_is_utf8(const char *s, size_t len)
{
    char *copy = NULL;
    size_t copy_len = 0;
    int ok = errata_encode(s, len, ERRATA_ENCODING_UTF8, &copy, &copy_len) == ERRATA_OK;
    errata_free(copy);
    return ok;
}

/* A name for mkstemp or mkdtemp in /dev/shm (memory) when there is one, else
   in /tmp: most harnesses write a file for every input, and on disk that was
   most of their time (fuzz_edits spent 33 of 56 CPU-seconds in the kernel). */
static inline void fuzz_temp_template(char *out, size_t size, const char *what)
{
    struct stat st;
    int shm = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH);
    int n = snprintf(out, size, "%s/errata-fuzz-%s-XXXXXX", shm ? "/dev/shm" : "/tmp", what);
    if (n < 0 || (size_t)n >= size)
        abort();
}

/* A tiny user dictionary: one entry with context rules, one !keep word. */
static const char fuzz_user_dictionary[] =
    "errata-dict 1\n"
    "测式\t测试\tuser\tU\tfix-next=用例\tkeep-prev=不\n"
    "!keep\t开展大会\n";

/* The engine of the CLI's defaults (built-in dictionaries, embedded model)
   plus the tiny user dictionary; exits when it cannot be made. */
static inline errata_engine *fuzz_engine(void)
{
    char path[64];
    fuzz_temp_template(path, sizeof path, "dict");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, fuzz_user_dictionary, sizeof fuzz_user_dictionary - 1) < 0) {
        perror("fuzz: user dictionary");
        exit(1);
    }
    close(fd);
    const char *paths[] = {path};
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.dictionary_paths = paths;
    opts.dictionary_count = 1;
    errata_engine *engine = NULL;
    int rc = errata_engine_new(&engine, &opts);
    unlink(path);
    if (rc != ERRATA_OK) {
        fprintf(stderr, "fuzz: engine: %s\n", errata_error_message());
        exit(1);
    }
    return engine;
}

#endif
