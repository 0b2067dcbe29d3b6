/* Error messages (one per thread) and small memory helpers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static _Thread_local char thread_message[512];

const char *errata_error_message(void) { return thread_message; }

const char *errata_version(void) { return ERRATA_VERSION_STRING; }

int errata_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(thread_message, sizeof thread_message, fmt, ap);
    va_end(ap);
    return code;
}

int errata_grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return ERRATA_OK;
    size_t new_cap = *cap ? *cap : 16;
    while (new_cap < need && new_cap <= SIZE_MAX / 2)
        new_cap *= 2;
    if (new_cap < need)
        new_cap = need;
    if (new_cap > SIZE_MAX / elem)
        return errata_fail(ERRATA_ENOMEM, "out of memory: %zu items of %zu bytes", need, elem);
    void *grown = realloc(*items, new_cap * elem);
    if (!grown)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    *items = grown;
    *cap = new_cap;
    return ERRATA_OK;
}

char *errata_strndup(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

void errata_free(void *buffer) { free(buffer); }
