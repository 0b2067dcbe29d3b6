/* Latin-script OCR misreadings, judged with a hunspell dictionary (latin.h). */
#include "latin.h"

#include <dlfcn.h>
#include <hunspell.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MIN_WORD 3
/* Three-letter words without a digit are too often abbreviations (acl). */
#define MIN_LETTERS_ONLY_WORD 4
#define MAX_WORD 40
/* Misread places corrected in one word at most ("rnodern" has two). */
#define MAX_SWAPS 2
#define MAX_VARIANTS 256
/* A 0 or 1 among letters is never right; rn/m and cl/d can be. */
#define CONFIDENCE_DIGIT 0.90
#define CONFIDENCE_LETTERS 0.70

/* Loading hunspell's dictionary takes tens of milliseconds, more than the
   rest of the engine, so it is loaded on the first word to check; so is
   the library itself, whose libstdc++ costs a start-up milliseconds too
   (the errata command, linked statically, is built with
   ERRATA_LINKED_DEPS and calls hunspell directly). */
struct errata_latin_speller {
    char *aff_path, *dic_path;
    void *library; /* libhunspell, opened with the dictionary */
    __typeof__(Hunspell_create) *create;
    __typeof__(Hunspell_destroy) *destroy;
    __typeof__(Hunspell_spell) *spell;
    Hunhandle *hunspell;  /* NULL until the first word */
    int load_failed;
    pthread_mutex_t lock; /* guards the loading, and hunspell's scratch state */
};

int errata_latin_speller_new(errata_latin_speller **out, const char *aff_path,
                             const char *dic_path)
{
    if (!out)
        return errata_fail(ERRATA_EINVAL, "latin speller: NULL argument");
    *out = NULL;
    aff_path = aff_path ? aff_path : ERRATA_LATIN_DEFAULT_AFF;
    dic_path = dic_path ? dic_path : ERRATA_LATIN_DEFAULT_DIC;
    if (access(aff_path, R_OK) != 0 || access(dic_path, R_OK) != 0)
        return errata_fail(ERRATA_EIO, "latin speller: cannot read %s or %s", aff_path, dic_path);
    errata_latin_speller *s = calloc(1, sizeof *s);
    if (!s)
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    s->aff_path = strdup(aff_path);
    s->dic_path = strdup(dic_path);
    if (!s->aff_path || !s->dic_path || pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s->aff_path);
        free(s->dic_path);
        free(s);
        return errata_fail(ERRATA_ENOMEM, "out of memory");
    }
    *out = s;
    return ERRATA_OK;
}

void errata_latin_speller_free(errata_latin_speller *speller)
{
    if (!speller)
        return;
    if (speller->hunspell)
        speller->destroy(speller->hunspell);
    if (speller->library)
        dlclose(speller->library);
    pthread_mutex_destroy(&speller->lock);
    free(speller->aff_path);
    free(speller->dic_path);
    free(speller);
}

#ifdef ERRATA_LINKED_DEPS
/* A program linked with hunspell itself (the static errata command, see
   the Makefile) calls it directly. */
static Hunhandle *load_hunspell(errata_latin_speller *s)
{
    s->create = Hunspell_create;
    s->destroy = Hunspell_destroy;
    s->spell = Hunspell_spell;
    return s->create(s->aff_path, s->dic_path);
}
#else
/* Open libhunspell and its dictionary; NULL if either cannot be. */
static Hunhandle *load_hunspell(errata_latin_speller *s)
{
    s->library = dlopen(ERRATA_HUNSPELL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!s->library)
        return NULL;
    s->create = (__typeof__(s->create))dlsym(s->library, "Hunspell_create");
    s->destroy = (__typeof__(s->destroy))dlsym(s->library, "Hunspell_destroy");
    s->spell = (__typeof__(s->spell))dlsym(s->library, "Hunspell_spell");
    if (!s->create || !s->destroy || !s->spell)
        return NULL;
    return s->create(s->aff_path, s->dic_path);
}
#endif

/* Whether hunspell knows the word; a dictionary (or library) that cannot
   be loaded knows every word, so that nothing is changed. */
static int spelled_right(const errata_latin_speller *speller, const char *word)
{
    errata_latin_speller *s = (errata_latin_speller *)speller;
    pthread_mutex_lock(&s->lock);
    if (!s->hunspell && !s->load_failed) {
        s->hunspell = load_hunspell(s);
        s->load_failed = s->hunspell == NULL;
    }
    int right = s->load_failed || s->spell(s->hunspell, word) != 0;
    pthread_mutex_unlock(&s->lock);
    return right;
}

/* ------------------------------------------------------------ words */

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alnum(char c) { return is_upper(c) || is_lower(c) || is_digit(c); }

/* Whether word[0..n) looks like prose that OCR may have misread, rather
   than a number, a code (A4, ISO9001, Win10), an acronym (all capitals) or
   an identifier (camelCase). */
static int is_candidate_word(const char *word, size_t n)
{
    if (n < MIN_WORD || n > MAX_WORD)
        return 0;
    size_t letters = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        char c = word[i];
        if (!is_alnum(c))
            return 0;
        if (is_digit(c) && ((c != '0' && c != '1') || (i > 0 && is_digit(word[i - 1]))))
            return 0; /* a digit other than 0/1, or a run of digits: a number or code */
        if (is_upper(c) && c != 'I' && i > 0 && is_lower(word[i - 1]))
            return 0; /* camelCase (an I among small letters may be a misread l) */
        letters += !is_digit(c);
        lower += is_lower(c);
    }
    return letters >= 2 && lower > 0;
}

/* The letters OCR may have turned into the digit c. */
static const char *letters_for_digit(char c) { return c == '0' ? "Oo" : "lIi"; }

/* Hunspell accepts Roman numerals: dvi must not become clvi. */
static int is_roman_numeral(const char *word)
{
    return strspn(word, "ivxlcdmIVXLCDM") == strlen(word);
}

typedef struct {
    const errata_latin_speller *speller;
    char found[MAX_WORD * 2 + 1]; /* the first dictionary variant */
    size_t count;                 /* dictionary variants found, up to 2 */
    size_t tried;
} variant_search;

typedef struct {
    const char *seen, *meant;
} letter_swap;

static const letter_swap letter_swaps[] = {
    {"rn", "m"}, {"m", "rn"}, {"cl", "d"}, {"d", "cl"}, {"I", "l"}, {"l", "I"},
};

static void search_variants(variant_search *v, const char *word, size_t from, int swaps_left);

/* Try word with word[at..at+seen_len) replaced by meant. */
static void try_swap(variant_search *v, const char *word, size_t at, size_t seen_len,
                     const char *meant, size_t meant_len, int swaps_left)
{
    char variant[MAX_WORD * 2 + 1];
    size_t n = strlen(word);
    if (n - seen_len + meant_len >= sizeof variant || v->count > 1 || ++v->tried > MAX_VARIANTS)
        return;
    memcpy(variant, word, at);
    memcpy(variant + at, meant, meant_len);
    memcpy(variant + at + meant_len, word + at + seen_len, n - at - seen_len + 1);
    if (strlen(variant) >= MIN_WORD && spelled_right(v->speller, variant) &&
        !is_roman_numeral(variant)) {
        if (v->count == 0)
            memcpy(v->found, variant, strlen(variant) + 1);
        if (v->count == 0 || strcasecmp(v->found, variant) != 0)
            v->count++; /* 0ffice: Office and office are one answer */
    }
    if (swaps_left > 1)
        search_variants(v, variant, at + meant_len, swaps_left - 1);
}

/* The dictionary spellings with the fewest look-alike swaps: "rnodern" is
   "modern" (one swap), not also "modem" (two). */
static void find_variants(variant_search *v, const char *word)
{
    for (int swaps = 1; swaps <= MAX_SWAPS && v->count == 0; swaps++) {
        v->tried = 0;
        search_variants(v, word, 0, swaps);
    }
}

static void search_variants(variant_search *v, const char *word, size_t from, int swaps_left)
{
    size_t n = strlen(word);
    for (size_t at = from; at < n; at++) {
        if (is_digit(word[at])) {
            for (const char *letter = letters_for_digit(word[at]); *letter; letter++)
                try_swap(v, word, at, 1, letter, 1, swaps_left);
            continue;
        }
        for (size_t s = 0; s < sizeof letter_swaps / sizeof *letter_swaps; s++) {
            size_t len = strlen(letter_swaps[s].seen);
            if (strncmp(word + at, letter_swaps[s].seen, len) == 0)
                try_swap(v, word, at, len, letter_swaps[s].meant, strlen(letter_swaps[s].meant),
                         swaps_left);
        }
    }
}

static int has_digit(const char *word)
{
    for (; *word; word++)
        if (is_digit(*word))
            return 1;
    return 0;
}

/* A number joined to a word (1am, mode1, step2) rather than a misread letter. */
static int is_numbered_word(const errata_latin_speller *s, char *word, size_t n)
{
    if (is_digit(word[0]) && spelled_right(s, word + 1))
        return 1;
    char last = word[n - 1];
    if (!is_digit(last))
        return 0;
    word[n - 1] = '\0';
    int numbered = spelled_right(s, word);
    word[n - 1] = last;
    return numbered;
}

/* Judge the word text[start..end) and add an edit if it is misread. */
static int judge_word(const errata_latin_speller *s, const char *text, size_t start, size_t end,
                      const errata_check_options *opts, errata_edit_list *list)
{
    char word[MAX_WORD + 1], rule[2 * MAX_WORD * 2 + 16];
    size_t n = end - start;
    if (!is_candidate_word(text + start, n))
        return ERRATA_OK;
    memcpy(word, text + start, n);
    word[n] = '\0';
    if ((!has_digit(word) && n < MIN_LETTERS_ONLY_WORD) || spelled_right(s, word) ||
        is_numbered_word(s, word, n))
        return ERRATA_OK;
    variant_search v = {.speller = s};
    find_variants(&v, word);
    if (v.count != 1)
        return ERRATA_OK;
    snprintf(rule, sizeof rule, "latin/%s>%s", word, v.found);
    if (!errata_rule_enabled(opts, rule))
        return ERRATA_OK;
    return errata_edit_list_add(list, text, start, end, v.found, rule, ERRATA_KIND_LATIN,
                                has_digit(word) ? CONFIDENCE_DIGIT : CONFIDENCE_LETTERS,
                                "OCR look-alike letters: \"%s\" is not an English word, "
                                "\"%s\" is its only look-alike spelling that is",
                                word, v.found);
}

/* ------------------------------------------------------------ chunks */

static int is_graphic_ascii(unsigned char c) { return c > 0x20 && c < 0x7F; }

/* Whether none of the eight bytes at p is ASCII (all have the top bit set). */
static int no_ascii_in_eight(const char *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return (x & 0x8080808080808080u) == 0x8080808080808080u;
}

/* Sentence punctuation that may stand before or after a word. */
static int is_opening(char c) { return c != '\0' && strchr("\"'([{<", c) != NULL; }
static int is_closing(char c) { return c != '\0' && strchr("\"')]}>.,;:!?", c) != NULL; }

/* A run of ASCII graphic characters: the word inside its punctuation, if
   nothing else (an @, a slash, a dot inside...) joins it to something. */
static int judge_chunk(const errata_latin_speller *s, const char *text, size_t start, size_t end,
                       const errata_check_options *opts, errata_edit_list *list)
{
    while (start < end && is_opening(text[start]))
        start++;
    while (end > start && is_closing(text[end - 1]))
        end--;
    for (size_t i = start; i < end; i++)
        if (!is_alnum(text[i]))
            return ERRATA_OK;
    return judge_word(s, text, start, end, opts, list);
}

int errata_latin_check(const errata_latin_speller *speller, const char *text, size_t len,
                       const errata_check_options *opts, errata_edit_list *list)
{
    if (!speller || !list || (!text && len))
        return errata_fail(ERRATA_EINVAL, "latin check: NULL argument");
    if (!errata_rule_enabled(opts, "latin"))
        return ERRATA_OK;
    size_t pos = 0;
    while (pos < len) {
        if (len - pos >= 8 && no_ascii_in_eight(text + pos)) {
            pos += 8; /* Chinese text: no byte of a word here */
            continue;
        }
        if (!is_graphic_ascii((unsigned char)text[pos])) {
            pos++;
            continue;
        }
        size_t start = pos;
        while (pos < len && is_graphic_ascii((unsigned char)text[pos]))
            pos++;
        int rc = judge_chunk(speller, text, start, pos, opts, list);
        if (rc)
            return rc;
    }
    return ERRATA_OK;
}
