/* Temporary files removed when a signal ends errata.

   Every file is rewritten through a hidden temporary file beside it
   (.NAME.errata-PID-N) and a rename.  SIGINT, SIGTERM or SIGHUP in the
   middle would leave that file behind, up to the size of the document.  So
   each temporary path is entered in a registry before the file is created
   and taken out after the rename (or the unlink on failure), and the
   handler of those signals removes whatever the registry holds, then ends
   the process with 128 + the signal's number.

   The handler runs in any thread, at any moment, so it touches nothing but
   the registry's slots, which are lock-free atomic pointers, and calls only
   unlink() and _exit(), both async-signal-safe.  It takes each path out of
   its slot with an atomic exchange: a path is unlinked by the handler or
   given back to its writer, never both, and the writer never frees a path
   the handler may still be reading (see errata_cli_temporary_forget). */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#if ATOMIC_POINTER_LOCK_FREE != 2
#error "the signal handler needs lock-free atomic pointers"
#endif

/* At most one temporary file per worker thread (-j is at most 1024) and a
   few for the rest of the program. */
#define TEMPORARY_SLOTS 1040

static _Atomic(const char *) temporaries[TEMPORARY_SLOTS];

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void remove_temporaries_and_exit(int sig)
{
    for (size_t i = 0; i < TEMPORARY_SLOTS; i++) {
        const char *path = atomic_exchange(&temporaries[i], NULL);
        if (path)
            unlink(path);
    }
    _exit(128 + sig);
}

void errata_cli_remove_temporaries_on_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = remove_temporaries_and_exit;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals; i++)
        sigaddset(&action.sa_mask, cleanup_signals[i]);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals; i++) {
        struct sigaction old;
        /* A signal ignored when errata started (nohup, a background job)
           stays ignored. */
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &action, NULL);
    }
}

int errata_cli_temporary_enter(const char *path)
{
    for (int i = 0; i < TEMPORARY_SLOTS; i++) {
        const char *expected = NULL;
        if (atomic_compare_exchange_strong(&temporaries[i], &expected, path))
            return i;
    }
    return -1;
}

void errata_cli_temporary_forget(int slot)
{
    if (slot < 0 || atomic_exchange(&temporaries[slot], NULL))
        return;
    /* The handler has taken the path and is ending the process: the path
       must stay as it is until then. */
    for (;;)
        pause();
}
