/* The language server's settings (initializationOptions and
   workspace/didChangeConfiguration), the engine they describe, and the user
   dictionary that "never change this word" teaches. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp.h"
#include "review.h"

void errata_lsp_settings_clear(errata_lsp_settings *settings)
{
    free(settings->disabled_rules);
    for (size_t i = 0; i < settings->dictionary_count; i++)
        free(settings->dictionaries[i]);
    free(settings->dictionaries);
    free(settings->user_dictionary);
    memset(settings, 0, sizeof *settings);
}

/* A copy of an array of strings; NULL with *problem set when it is not
   one. */
static char **read_strings(const errata_json_value *array, const char *name, size_t *count,
                           const char **problem)
{
    *count = 0;
    if (array->type != ERRATA_JSON_ARRAY) {
        *problem = name;
        return NULL;
    }
    char **items = calloc(array->count + 1, sizeof *items);
    for (size_t i = 0; items && i < array->count; i++) {
        const errata_json_value *v = &array->items[i];
        if (v->type != ERRATA_JSON_STRING || strlen(v->string) != v->string_len ||
            v->lone_surrogate || !*v->string) {
            *problem = name;
        } else if (!(items[i] = strdup(v->string))) {
            *problem = "out of memory";
        }
        if (*problem) {
            for (size_t j = 0; j < i; j++)
                free(items[j]);
            free(items);
            return NULL;
        }
    }
    if (!items)
        *problem = "out of memory";
    else
        *count = array->count;
    return items;
}

/* The list joined with commas, as errata_check_options wants it. */
static char *join_rules(char **rules, size_t count)
{
    size_t size = 1;
    for (size_t i = 0; i < count; i++)
        size += strlen(rules[i]) + 1;
    char *joined = malloc(size);
    if (!joined)
        return NULL;
    joined[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (i)
            strcat(joined, ",");
        strcat(joined, rules[i]);
    }
    return joined;
}

static int read_rules(errata_lsp_settings *next, const errata_json_value *v,
                      const char **problem)
{
    size_t count;
    char **rules = read_strings(v, "disabledRules must be an array of rule names", &count,
                                problem);
    if (!rules)
        return -1;
    free(next->disabled_rules);
    next->disabled_rules = count ? join_rules(rules, count) : NULL;
    for (size_t i = 0; i < count; i++)
        free(rules[i]);
    free(rules);
    if (count && !next->disabled_rules) {
        *problem = "out of memory";
        return -1;
    }
    return 0;
}

static int read_dictionaries(errata_lsp_settings *next, const errata_json_value *v,
                             const char **problem)
{
    size_t count;
    char **paths = read_strings(v, "dictionaries must be an array of file names", &count,
                                problem);
    if (!paths)
        return -1;
    for (size_t i = 0; i < next->dictionary_count; i++)
        free(next->dictionaries[i]);
    free(next->dictionaries);
    next->dictionaries = paths;
    next->dictionary_count = count;
    return 0;
}

static int read_user_dictionary(errata_lsp_settings *next, const errata_json_value *v,
                                const char **problem)
{
    if (v->type != ERRATA_JSON_STRING || strlen(v->string) != v->string_len || !*v->string) {
        *problem = "userDictionary must be a file name";
        return -1;
    }
    char *copy = strdup(v->string);
    if (!copy) {
        *problem = "out of memory";
        return -1;
    }
    free(next->user_dictionary);
    next->user_dictionary = copy;
    return 0;
}

/* The members of one settings object into next. */
static int read_members(errata_lsp_settings *next, const errata_json_value *o,
                        const char **problem)
{
    const errata_json_value *v;
    if ((v = errata_json_get(o, "threshold"))) {
        if (v->type != ERRATA_JSON_NUMBER || !(v->number >= 0.0 && v->number <= 1.0)) {
            *problem = "threshold must be a number from 0 to 1";
            return -1;
        }
        next->threshold = v->number;
    }
    if ((v = errata_json_get(o, "disabledRules")) && read_rules(next, v, problem))
        return -1;
    if ((v = errata_json_get(o, "dictionaries")) && read_dictionaries(next, v, problem))
        return -1;
    if ((v = errata_json_get(o, "userDictionary")) && read_user_dictionary(next, v, problem))
        return -1;
    return 0;
}

static int copy_settings(errata_lsp_settings *to, const errata_lsp_settings *from)
{
    memset(to, 0, sizeof *to);
    to->threshold = from->threshold;
    to->disabled_rules = from->disabled_rules ? strdup(from->disabled_rules) : NULL;
    to->user_dictionary = from->user_dictionary ? strdup(from->user_dictionary) : NULL;
    to->dictionaries = calloc(from->dictionary_count + 1, sizeof *to->dictionaries);
    int failed = (from->disabled_rules && !to->disabled_rules) ||
                 (from->user_dictionary && !to->user_dictionary) || !to->dictionaries;
    for (size_t i = 0; !failed && i < from->dictionary_count; i++) {
        failed = !(to->dictionaries[i] = strdup(from->dictionaries[i]));
        to->dictionary_count += !failed;
    }
    if (failed)
        errata_lsp_settings_clear(to);
    return failed ? -1 : 0;
}

int errata_lsp_settings_read(errata_lsp_settings *settings, const errata_json_value *value,
                             const char **problem)
{
    if (!value || value->type == ERRATA_JSON_NULL)
        return 0;
    const errata_json_value *section = errata_json_get(value, "errata");
    if (section)
        value = section;
    if (value->type == ERRATA_JSON_NULL)
        return 0;
    if (value->type != ERRATA_JSON_OBJECT) {
        *problem = "the settings must be an object";
        return -1;
    }
    errata_lsp_settings next;
    if (copy_settings(&next, settings)) {
        *problem = "out of memory";
        return -1;
    }
    if (read_members(&next, value, problem)) {
        errata_lsp_settings_clear(&next);
        return -1;
    }
    errata_lsp_settings_clear(settings);
    *settings = next;
    return 0;
}

/* ------------------------------------------------------------ the engine */

/* --disable's rules and the settings' together. */
static int join_disabled(errata_lsp_server *s)
{
    const char *a = s->common->disabled_rules, *b = s->settings.disabled_rules;
    size_t size = (a ? strlen(a) : 0) + (b ? strlen(b) : 0) + 2;
    char *joined = malloc(size);
    if (!joined)
        return -1;
    snprintf(joined, size, "%s%s%s", a ? a : "", a && b ? "," : "", b ? b : "");
    free(s->disabled_rules);
    s->disabled_rules = *joined ? joined : NULL;
    if (!*joined)
        free(joined);
    return 0;
}

/* The engine: the user dictionary (when it exists), --dict's, the
   settings' dictionaries. */
static int build_engine(errata_lsp_server *s, errata_engine **engine, char *problem,
                        size_t problem_size)
{
    const errata_cli_common *c = s->common;
    size_t total = 1 + c->dictionary_count + s->settings.dictionary_count, count = 0;
    const char **paths = malloc(total * sizeof *paths);
    if (!paths) {
        snprintf(problem, problem_size, "out of memory");
        return -1;
    }
    const char *user = s->settings.user_dictionary;
    if (user && access(user, F_OK) == 0)
        paths[count++] = user;
    for (size_t i = 0; i < c->dictionary_count; i++)
        paths[count++] = c->dictionaries[i];
    for (size_t i = 0; i < s->settings.dictionary_count; i++)
        paths[count++] = s->settings.dictionaries[i];
    errata_engine_options opts = ERRATA_ENGINE_OPTIONS_INIT;
    opts.no_default_dictionaries = c->no_default_dictionaries;
    opts.dictionary_paths = paths;
    opts.dictionary_count = count;
    opts.model_path = c->model_path;
    opts.no_model = c->no_model;
    opts.char_model_path = c->char_model_path;
    opts.no_char_model = c->no_char_model;
    int rc = errata_engine_new(engine, &opts);
    if (rc != ERRATA_OK)
        snprintf(problem, problem_size, "%s", errata_cli_failure(rc));
    free(paths);
    return rc == ERRATA_OK ? 0 : -1;
}

int errata_lsp_reload(errata_lsp_server *s, char *problem, size_t problem_size)
{
    errata_engine *engine = NULL;
    errata_scratch *scratch = NULL;
    if (build_engine(s, &engine, problem, problem_size))
        return -1;
    if (join_disabled(s) || errata_scratch_new(engine, &scratch) != ERRATA_OK) {
        errata_engine_free(engine);
        snprintf(problem, problem_size, "out of memory");
        return -1;
    }
    errata_scratch_free(s->scratch);
    errata_engine_free(s->engine);
    s->engine = engine;
    s->scratch = scratch;
    int failed = 0;
    for (size_t i = 0; i < s->doc_count; i++) {
        s->docs[i].check_due = 0; /* everything may change: check it again now */
        failed |= errata_lsp_check_document(s, &s->docs[i]);
    }
    if (failed)
        snprintf(problem, problem_size, "out of memory or output closed");
    return failed ? -1 : 0;
}

int errata_lsp_configure(errata_lsp_server *s, const errata_json_value *value, char *problem,
                         size_t problem_size)
{
    errata_lsp_settings before;
    const char *bad = NULL;
    if (copy_settings(&before, &s->settings)) {
        snprintf(problem, problem_size, "out of memory");
        return -1;
    }
    if (errata_lsp_settings_read(&s->settings, value, &bad)) {
        snprintf(problem, problem_size, "%s", bad);
        errata_lsp_settings_clear(&before);
        return -1;
    }
    const errata_engine *engine = s->engine;
    if (errata_lsp_reload(s, problem, problem_size)) {
        if (s->engine == engine) { /* not rebuilt: the settings it was built with come back */
            errata_lsp_settings_clear(&s->settings);
            s->settings = before;
            join_disabled(s);
            return -1;
        }
        errata_lsp_settings_clear(&before);
        return -1;
    }
    errata_lsp_settings_clear(&before);
    return 0;
}

int errata_lsp_keep_word(errata_lsp_server *s, const char *word, char *problem,
                         size_t problem_size)
{
    const char *dict = s->settings.user_dictionary;
    if (!dict) {
        snprintf(problem, problem_size,
                 "no place for a user dictionary: set userDictionary, ERRATA_USER_DICT or HOME");
        return -1;
    }
    char *line = errata_review_keep_line(word, problem, problem_size);
    int added = line ? errata_review_dict_append(dict, line, problem, problem_size) : -1;
    free(line);
    if (added < 0)
        return -1;
    return errata_lsp_reload(s, problem, problem_size);
}
