/* Using liberrata from another program: load the engine once, then repair
   as many texts as you like with it (from any number of threads, each with
   a scratch of its own: the model's caches, kept from one text to the next).

   Build:  cc embed.c $(pkg-config --cflags --libs errata) -o embed
   Run:    ./embed < texts.txt      one text a line, UTF-8

   For each text it prints the repaired text, then one line per edit. */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdio.h>
#include <stdlib.h>

#include <errata.h>

static void print_edits(const errata_result *result)
{
    for (size_t i = 0; i < errata_result_count(result); i++) {
        errata_edit e;
        errata_result_read_edit(result, i, &e);
        printf("  column %zu: %s -> %s  (%s, %s)\n", e.column, e.old_text, e.new_text, e.rule,
               errata_action_name(e.action));
    }
}

/* Check one text, print it repaired (the edits whose action is "apply"),
   and list every edit found. */
static int repair(const errata_engine *engine, errata_scratch *scratch, const char *text,
                  size_t len)
{
    errata_result *result = NULL;
    int rc = errata_check_scratch(engine, scratch, text, len, NULL, &result);
    if (rc != ERRATA_OK) {
        fprintf(stderr, "embed: %s\n", errata_error_message());
        return rc;
    }
    char *fixed = NULL;
    size_t fixed_len = 0;
    rc = errata_result_apply(result, text, len, NULL, &fixed, &fixed_len);
    if (rc == ERRATA_OK) {
        printf("%s\n", fixed);
        print_edits(result);
    }
    errata_free(fixed);
    errata_result_free(result);
    return rc;
}

int main(void)
{
    /* The defaults: the built-in dictionaries and language model.  Set
       opts.model_path or opts.dictionary_paths to use the files installed
       in share/errata/ (or your own) instead. */
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    errata_engine *engine = NULL;
    errata_scratch *scratch = NULL;
    if (errata_engine_new(&engine, &opts) != ERRATA_OK ||
        errata_scratch_new(engine, &scratch) != ERRATA_OK) {
        fprintf(stderr, "embed: %s\n", errata_error_message());
        errata_engine_free(engine);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int failed = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        size_t len = (size_t)n - (line[n - 1] == '\n');
        failed |= repair(engine, scratch, line, len) != ERRATA_OK;
    }
    free(line);
    errata_scratch_free(scratch);
    errata_engine_free(engine);
    return failed;
}
