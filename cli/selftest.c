/* errata selftest: every example written in the loaded dictionaries must
   come out of the engine exactly as written. */
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char selftest_help[] =
    "Usage: errata selftest [OPTION...]\n"
    "Run every example of the loaded dictionaries (fix=TEXT>EXPECTED and keep=TEXT,\n"
    "see dictionaries/FORMAT.md): each TEXT is repaired as a document known to be\n"
    "damaged and must come out exactly as EXPECTED (or unchanged).  Failures are\n"
    "listed with their dictionary and line, then a summary.\n"
    "\n"
    "  --dict FILE          also load this dictionary (repeatable); with\n"
    "                       --no-default-dict, only yours are tested\n"
    "  -q, --quiet          no summary line\n"
    "  --color=WHEN         auto (default), always or never\n"
    "\n"
    "  --no-default-dict, --model FILE, --no-model, --char-model FILE,\n"
    "  --no-char-model, --threshold=X, --conservative,\n"
    "  --aggressive, --disable=RULE,...: as for errata fix.\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 all examples pass, 1 some fail, 2 error.\n";

static void print_failure(const errata_cli_palette *p, const errata_example *ex, const char *got)
{
    int is_keep = strcmp(ex->text, ex->expected) == 0;
    printf("%s%s:%zu:%s %s%s example failed%s\n", p->bold, ex->source, ex->line, p->reset, p->red,
           is_keep ? "keep" : "fix", p->reset);
    printf("  text:     %s\n  expected: %s\n  got:      %s\n", ex->text, ex->expected, got);
}

/* 1 passed, 0 failed (reported). */
static int run_example(const errata_engine *engine, const errata_check_options *opts,
                       const errata_cli_palette *p, const errata_example *ex)
{
    char *fixed = NULL;
    size_t fixed_len = 0;
    if (errata_fix(engine, ex->text, strlen(ex->text), opts, &fixed, &fixed_len) != ERRATA_OK) {
        print_failure(p, ex, errata_error_message());
        return 0;
    }
    int passed = strlen(ex->expected) == fixed_len && memcmp(fixed, ex->expected, fixed_len) == 0;
    if (!passed)
        print_failure(p, ex, fixed);
    errata_free(fixed);
    return passed;
}

static int run_examples(const errata_engine *engine, const errata_cli_common *common)
{
    errata_check_options opts = errata_cli_check_options(common);
    opts.assume_damaged = 1;
    errata_cli_palette palette =
        errata_cli_palette_for(errata_cli_use_color(common->color, STDOUT_FILENO));
    size_t count = errata_engine_example_count(engine), passed = 0;
    for (size_t i = 0; i < count; i++)
        passed += (size_t)run_example(engine, &opts, &palette, errata_engine_example(engine, i));
    if (!common->quiet)
        printf("selftest: %zu example%s, %zu passed, %zu failed\n", count, count == 1 ? "" : "s",
               passed, count - passed);
    return passed == count ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_FOUND;
}

int errata_cli_selftest_main(int argc, char **argv)
{
    errata_cli_common common;
    errata_cli_common_init(&common);
    int rc = errata_cli_parse(argc, argv, selftest_help, NULL, NULL, &common);
    if (rc == 0 && common.file_count)
        rc = errata_cli_usage_error("selftest", "no FILE operands (load dictionaries with --dict)");
    errata_engine *engine = NULL;
    int status = rc > 0 ? ERRATA_CLI_EXIT_OK : ERRATA_CLI_EXIT_ERROR;
    if (rc == 0 && errata_cli_engine_new(&common, &engine) == 0)
        status = run_examples(engine, &common);
    errata_engine_free(engine);
    errata_cli_common_free(&common);
    return status;
}
