/* errata: the command line.  `errata COMMAND [OPTION…] [FILE…]`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: errata COMMAND [OPTION...] [FILE...]\n"
    "Repair the damage in Chinese documents (synonym swaps, OCR look-alikes, layout).\n"
    "\n"
    "Commands:\n"
    "  fix       write the repaired text (standard output, -o FILE or --in-place)\n"
    "  check     list every edit found; exit 1 if there is one\n"
    "  diff      show what fix would change as a unified diff; exit 1 if anything\n"
    "  review    go through the proposed edits one by one\n"
    "  apply     apply a reviewed list of edits\n"
    "  selftest  run the examples written in the dictionaries\n"
    "  lsp       run as a language server for editors (LSP, on standard input/output)\n"
    "  learn     propose the swap pairs a batch of documents shows that the\n"
    "            dictionaries do not hold\n"
    "\n"
    "Run 'errata COMMAND --help' for a command's options.  Other options:\n"
    "  -h, --help     show this help\n"
    "  --version      show the version\n"
    "\n"
    "Exit status: 0 done (nothing found), 1 something found (check, diff), an example\n"
    "failed (selftest) or edits left for later (review), 2 error.\n";

typedef struct {
    const char *name;
    int (*main)(int argc, char **argv);
} command;

static const command commands[] = {
    {"fix", errata_cli_fix_main},           {"check", errata_cli_check_main},
    {"diff", errata_cli_diff_main},         {"selftest", errata_cli_selftest_main},
    {"review", errata_cli_review_main},     {"apply", errata_cli_apply_main},
    {"lsp", errata_cli_lsp_main},
    {"learn", errata_cli_learn_main},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* `errata help [COMMAND]`. */
static int run_help(int argc, char **argv)
{
    const command *cmd = argc > 2 ? find_command(argv[2]) : NULL;
    if (argc > 2 && !cmd) {
        fprintf(stderr, "errata: unknown command '%s'\nTry 'errata --help'.\n", argv[2]);
        return ERRATA_CLI_EXIT_ERROR;
    }
    if (!cmd) {
        fputs(usage, stdout);
        return ERRATA_CLI_EXIT_OK;
    }
    char *help_argv[] = {argv[2], "--help", NULL};
    return cmd->main(2, help_argv);
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return ERRATA_CLI_EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0)
        return run_help(argc, argv);
    if (strcmp(name, "--version") == 0) {
        printf("errata %s\n", errata_version());
        return ERRATA_CLI_EXIT_OK;
    }
    const command *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "errata: unknown command '%s'\nTry 'errata --help'.\n", name);
        return ERRATA_CLI_EXIT_ERROR;
    }
    return cmd->main(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
    int status = run(argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "errata: standard output: %s\n", strerror(errno));
        status = ERRATA_CLI_EXIT_ERROR;
    }
    return status;
}
