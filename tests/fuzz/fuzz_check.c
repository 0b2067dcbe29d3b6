/* errata_check and errata_fix on arbitrary bytes.  The first byte chooses
   the options (assume_damaged, rules switched off, thresholds, positions,
   reasons, a kept scratch); the rest is the text.  Invariants: check and fix
   succeed or fail together; every edit's span lies inside the text on
   character boundaries, in order, not overlapping, and old_text is what the
   text holds there; code-point offsets, line and column agree with the byte
   offsets; a flag's action is flag, another edit changes its text, is
   applied exactly when it reaches the apply threshold and reaches the
   proposal threshold; no edit comes from a rule switched off; with
   no_reasons the reasons are empty; applying check's edits gives fix's
   output, which is valid UTF-8; with a scratch kept from input to input the
   edits are the same. */
#include "fuzz.h"

static errata_engine *engine;
static errata_scratch *scratch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    engine = fuzz_engine();
    if (errata_scratch_new(engine, &scratch) != ERRATA_OK)
        abort();
    return 0;
}

static const char *const disabled_sets[] = {
    NULL, "layout,punct", "swap,lookalike", "swap,lookalike,layout,punctuation,quote,number,latin",
};

static errata_check_options options_from(uint8_t flags)
{
    errata_check_options opts = ERRATA_CHECK_OPTIONS_INIT;
    opts.assume_damaged = flags & 1;
    opts.disabled_rules = disabled_sets[flags >> 1 & 3];
    opts.no_positions = flags >> 3 & 1;
    opts.no_reasons = flags >> 4 & 1;
    if (flags & 32) { /* as --aggressive */
        opts.apply_threshold = 0.5;
        opts.propose_threshold = 0.3;
    }
    return opts;
}

/* Code points, lines and columns up to byte pos. */
static void position_of(const char *s, size_t pos, size_t *cp, size_t *line, size_t *column)
{
    *cp = 0;
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < pos; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        ++*cp;
        if (s[i] == '\n') {
            ++*line;
            *column = 1;
        } else {
            ++*column;
        }
    }
}

/* Whether rule is switched off by opts (a name or a prefix ending at '/'). */
static int rule_disabled(const char *rule, const errata_check_options *opts)
{
    for (const char *list = opts->disabled_rules; list && *list;) {
        const char *comma = strchr(list, ',');
        size_t n = comma ? (size_t)(comma - list) : strlen(list);
        if (strncmp(rule, list, n) == 0 && (rule[n] == '\0' || rule[n] == '/'))
            return 1;
        list = comma ? comma + 1 : "";
    }
    return 0;
}

/* The decision the edit reports is the one its kind and confidence make. */
static void check_decision(const errata_edit *e, const errata_check_options *opts)
{
    FUZZ_CHECK(!rule_disabled(e->rule, opts), "rule %s was switched off", e->rule);
    FUZZ_CHECK(!opts->no_reasons || *e->reason == '\0', "a reason with no_reasons (%s)", e->rule);
    if (e->kind == ERRATA_KIND_FLAG) {
        FUZZ_CHECK(e->action == ERRATA_ACTION_FLAG, "flag %s with action %d", e->rule, e->action);
        return;
    }
    /* old_text holds the span's bytes, NUL bytes of the text included */
    size_t n = e->byte_end - e->byte_start;
    FUZZ_CHECK(strlen(e->new_text) != n || memcmp(e->old_text, e->new_text, n) != 0,
               "edit %s changes nothing", e->rule);
    FUZZ_CHECK(e->confidence >= opts->propose_threshold, "%s at %f, under the proposal threshold",
               e->rule, e->confidence);
    FUZZ_CHECK((e->action == ERRATA_ACTION_APPLY) == (e->confidence >= opts->apply_threshold),
               "%s at %f has action %d", e->rule, e->confidence, e->action);
}

static void check_edit(const char *text, size_t len, const errata_edit *e, size_t previous_end,
                       const errata_check_options *opts)
{
    FUZZ_CHECK(e->byte_start <= e->byte_end && e->byte_end <= len, "span %zu..%zu of %zu",
               e->byte_start, e->byte_end, len);
    FUZZ_CHECK(e->byte_start >= previous_end, "edit at %zu overlaps one ending at %zu",
               e->byte_start, previous_end);
    FUZZ_CHECK(fuzz_on_boundary(text, len, e->byte_start) &&
                   fuzz_on_boundary(text, len, e->byte_end),
               "span %zu..%zu cuts a character", e->byte_start, e->byte_end);
    size_t n = e->byte_end - e->byte_start;
    /* n bytes and a NUL (the text may hold NUL bytes itself) */
    FUZZ_CHECK(memcmp(e->old_text, text + e->byte_start, n) == 0 && e->old_text[n] == '\0',
               "old_text is not the span's text (rule %s)", e->rule);
    FUZZ_CHECK(fuzz_is_utf8(e->new_text, strlen(e->new_text)), "new_text not UTF-8 (rule %s)",
               e->rule);
    FUZZ_CHECK(e->confidence >= 0 && e->confidence <= 1, "confidence %f", e->confidence);
    check_decision(e, opts);
    if (opts->no_positions) {
        FUZZ_CHECK(e->cp_start == 0 && e->cp_end == 0 && e->line == 0 && e->column == 0,
                   "positions set with no_positions");
        return;
    }
    size_t cp, line, column, cp_end, ignored_line, ignored_column;
    position_of(text, e->byte_start, &cp, &line, &column);
    position_of(text, e->byte_end, &cp_end, &ignored_line, &ignored_column);
    FUZZ_CHECK(e->cp_start == cp && e->cp_end == cp_end, "cp %zu..%zu, expected %zu..%zu",
               e->cp_start, e->cp_end, cp, cp_end);
    FUZZ_CHECK(e->line == line && e->column == column, "line:column %zu:%zu, expected %zu:%zu",
               e->line, e->column, line, column);
}

static int same_edits(const errata_result *a, const errata_result *b)
{
    if (errata_result_count(a) != errata_result_count(b))
        return 0;
    for (size_t i = 0; i < errata_result_count(a); i++) {
        const errata_edit *x = errata_result_edit(a, i), *y = errata_result_edit(b, i);
        if (x->byte_start != y->byte_start || x->byte_end != y->byte_end ||
            strcmp(x->new_text, y->new_text) != 0 || strcmp(x->rule, y->rule) != 0 ||
            x->action != y->action || x->confidence != y->confidence)
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    errata_check_options opts = options_from(data[0]);
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    errata_result *result = NULL;
    int rc = errata_check(engine, text, len, &opts, &result);
    char *fixed = NULL;
    size_t fixed_len = 0;
    int fix_rc = errata_fix(engine, text, len, &opts, &fixed, &fixed_len);
    FUZZ_CHECK(rc == fix_rc, "check %d, fix %d", rc, fix_rc);
    if (rc != ERRATA_OK) {
        FUZZ_CHECK(rc == ERRATA_EENCODING && !fuzz_is_utf8(text, len), "check failed: %d %s", rc,
                   errata_error_message());
        FUZZ_CHECK(result == NULL && fixed == NULL, "output left on failure");
        return 0;
    }
    size_t previous_end = 0;
    for (size_t i = 0; i < errata_result_count(result); i++) {
        const errata_edit *e = errata_result_edit(result, i);
        check_edit(text, len, e, previous_end, &opts);
        previous_end = e->byte_end;
    }
    char *applied = NULL;
    size_t applied_len = 0;
    FUZZ_CHECK(errata_result_apply(result, text, len, NULL, &applied, &applied_len) == ERRATA_OK,
               "apply: %s", errata_error_message());
    FUZZ_CHECK(applied_len == fixed_len && memcmp(applied, fixed, fixed_len) == 0,
               "check's edits applied differ from fix's output");
    FUZZ_CHECK(fuzz_is_utf8(fixed, fixed_len), "fix's output is not UTF-8");
    if (data[0] & 64) {
        errata_result *again = NULL;
        FUZZ_CHECK(errata_check_scratch(engine, scratch, text, len, &opts, &again) == ERRATA_OK,
                   "check with a scratch: %s", errata_error_message());
        FUZZ_CHECK(same_edits(result, again), "a kept scratch changed the edits");
        errata_result_free(again);
    }
    errata_free(applied);
    errata_free(fixed);
    errata_result_free(result);
    return 0;
}
