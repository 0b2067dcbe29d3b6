/* Placeholder for `errata review` and `errata apply` until the review
   engineer's cli/review.c replaces this file. */
#include "cli.h"

static int not_implemented(const char *command)
{
    fprintf(stderr, "errata: %s: not implemented yet\n", command);
    return ERRATA_CLI_EXIT_ERROR;
}

int cli_review_main(int argc, char **argv) { return (void)argc, not_implemented(argv[0]); }
int cli_apply_main(int argc, char **argv) { return (void)argc, not_implemented(argv[0]); }
