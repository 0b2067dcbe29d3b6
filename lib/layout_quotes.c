/* Quotation marks: an opening “ left without its ” (before the next “ or the
   end of the paragraph) gets a proposed ” where the quoted term most likely
   ends; a “ that can only be a closing mark (“红旗单位“，) becomes ”.
 *
 * Where the term ends is a guess from the words around it, so the insertion
 * is only proposed for review.  The term usually ends before clause
 * punctuation, a number, or a word that follows terms (的, 等, 为, 活动,
 * 称号 …); a 、 inside it joins parallel phrases of equal length (工业兴镇、
 * 工程强镇) and otherwise ends it (五好基层党组织、年…).  A language model
 * (lib/lm.h) could rank the candidate positions instead, if the layout pass
 * is ever handed one. */
#include "layout.h"

#define MAX_QUOTED 25 /* code points in a quoted term, at most */

typedef struct {
    size_t at;         /* view position the ” goes before; 0: none found */
    double confidence;
    const char *why;
} close_guess;

static int is_clause_mark(uint32_t c)
{
    return c == '\n' || c == 0x201C || errata_layout_in_set(c, "，。；！？：,.;:!?（()）》");
}

/* A word after which quoted terms typically end, at i (its length or 0). */
static size_t term_follower_at(const errata_layout *lay, size_t i)
{
    static const char *const words[] = {"荣誉称号", "荣耀称号", "光荣称号", "称号", "活动", "精神",
                                        "先后", "的", "等", "为", "被"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++)
        if (errata_layout_matches(lay, i, words[w]))
            return errata_layout_strlen(words[w]);
    return 0;
}

/* Where the phrase starting at from ends, without looking past 、. */
static size_t phrase_end(const errata_layout *lay, size_t from, size_t limit)
{
    size_t k = from;
    while (k < limit && k < from + MAX_QUOTED) {
        uint32_t c = errata_layout_at(lay, k);
        if (is_clause_mark(c) || c == 0x3001 || errata_layout_is_digit(c) ||
            (k > from + 1 && term_follower_at(lay, k)))
            break;
        k++;
    }
    return k;
}

static close_guess guess_at_comma(const errata_layout *lay, size_t k, size_t part_start,
                                  size_t limit, int *go_on)
{
    uint32_t next = errata_layout_cp(lay, k + 1);
    *go_on = 0;
    if (next == 0x201C || errata_layout_is_digit(next) || next == 0x5E74 || next == 0x6708)
        return (close_guess){k, 0.7, "before 、 and the next quoted term or a date"};
    size_t first = k - part_start, second = phrase_end(lay, k + 1, limit) - (k + 1);
    if (first + 1 >= second && second + 1 >= first) {
        *go_on = 1; /* parallel phrases of one term */
        return (close_guess){0, 0, NULL};
    }
    return (close_guess){k, 0.6, "before 、 ending a phrase unlike the next one"};
}

/* Where the ” of the “ at open most likely goes (before limit). */
static close_guess guess_close(const errata_layout *lay, size_t open, size_t limit)
{
    size_t start = open + 1, part_start = start;
    for (size_t k = start; k < limit && k < start + MAX_QUOTED; k++) {
        uint32_t c = errata_layout_at(lay, k);
        size_t content = k - start;
        if (is_clause_mark(c))
            return content ? (close_guess){k, 0.7, "before the punctuation ending the term"}
                           : (close_guess){0, 0, NULL};
        if (c == 0x3001 && content) { /* 、 */
            int go_on;
            close_guess g = guess_at_comma(lay, k, part_start, limit, &go_on);
            if (!go_on)
                return g;
            part_start = k + 1;
            continue;
        }
        if (content >= 2 && errata_layout_is_digit(c))
            return (close_guess){k, 0.65, "before the number after the term"};
        if (content >= 2 && term_follower_at(lay, k))
            return (close_guess){k, 0.6, "before a word that follows quoted terms"};
    }
    if (limit - start >= 1 && limit - start <= MAX_QUOTED && errata_layout_cp(lay, limit) != 0x201C)
        return (close_guess){limit, 0.55, "at the end of the paragraph"};
    return (close_guess){0, 0, NULL};
}

static int propose_close(errata_layout *lay, size_t open, size_t limit)
{
    close_guess g = guess_close(lay, open, limit);
    int rc = 0;
    if (g.at)
        rc = errata_layout_edit(lay, g.at, g.at, "”", "quote/missing-close", ERRATA_KIND_QUOTE,
                                g.confidence, "opening “ without a closing ”; proposed %s", g.why);
    else
        rc = errata_layout_flag(lay, open, open + 1, "flag/unclosed-quote", 0.6,
                                "opening “ without a closing ”, and no clear end for the term");
    return rc < 0 ? rc : ERRATA_OK;
}

/* A “ right before clause punctuation or a line end closes a term (ASCII
   punctuation only where Chinese follows it). */
static int closes_term(const errata_layout *lay, size_t i, size_t paragraph_start)
{
    uint32_t next = errata_layout_cp(lay, i + 1);
    if (i <= paragraph_start || !errata_is_han(errata_layout_before(lay, i)))
        return 0;
    if (errata_layout_in_set(next, ",;:"))
        return errata_is_han(errata_layout_cp(lay, i + 2));
    return next == 0 || next == '\n' || errata_layout_in_set(next, "，。、；：！？）");
}

/* The quotation mark c at i, in the paragraph that starts at paragraph_start;
   *open is the “ still waiting for its ” (SIZE_MAX: none). */
static int fix_mark(errata_layout *lay, size_t i, uint32_t c, size_t paragraph_start, size_t *open)
{
    int rc = 0;
    if (c == 0x201D) {
        *open = SIZE_MAX;
    } else if (closes_term(lay, i, paragraph_start)) {
        rc = errata_layout_edit(lay, i, i + 1, "”", "quote/close-as-open", ERRATA_KIND_QUOTE,
                                *open != SIZE_MAX ? 0.85 : 0.7,
                                "“ closing a term: it stands for ”%s",
                                *open != SIZE_MAX ? "" : " (its opening mark is missing)");
        *open = SIZE_MAX;
    } else {
        if (*open != SIZE_MAX)
            rc = propose_close(lay, *open, i);
        *open = i;
    }
    return rc < 0 ? rc : ERRATA_OK;
}

/* One paragraph (line) after the other, in one walk over the view. */
int errata_layout_quotes(errata_layout *lay)
{
    size_t paragraph_start = 0, open = SIZE_MAX;
    for (size_t i = 0; i < lay->count; i++) {
        uint32_t c = errata_layout_raw(lay, i); /* compared with \n and quotes */
        int rc = ERRATA_OK;
        if (c == '\n') {
            if (open != SIZE_MAX)
                rc = propose_close(lay, open, i);
            open = SIZE_MAX;
            paragraph_start = i + 1;
        } else if (c == 0x201C || c == 0x201D) {
            rc = fix_mark(lay, i, c, paragraph_start, &open);
        }
        if (rc)
            return rc;
    }
    return open != SIZE_MAX ? propose_close(lay, open, lay->count) : ERRATA_OK;
}
