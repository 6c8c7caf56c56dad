/* expand.h — a query word's other spellings: agency names (経産省 ↔ 経済産業省, and the
 * ministry: tag filter), years (令和7年度 ↔ R7年度 ↔ 2025年度 ↔ 令和七年度) and kanji/Arabic
 * numerals (第2条 ↔ 第二条). Works on the parsed tree: each word with other forms becomes an OR of
 * literal words, so matching, counting and highlighting stay the ordinary ones. */
#ifndef SHIRYO_EXPAND_H
#define SHIRYO_EXPAND_H

#include <stddef.h>

#include "qparse.h"
#include "shiryo/analyzer.h"

/* One word that was expanded: the forms added beside it. */
typedef struct expand_word {
    char *word;        /* as typed */
    char **forms;      /* the other forms, in the order they are tried: literal text, or
                          "ministry:NAME" for the passages tagged with that ministry */
    size_t nforms;
    const char *why;   /* "agency", "year", "numerals" */
} expand_word;

typedef struct expand_list {
    expand_word *words;
    size_t n;
} expand_list;

#define EXPAND_MAX_FORMS 24

/* The other forms of word (its normalized duplicates left out) into *out (freed with
 * expand_word_free). Returns 1 when there is at least one, 0 when none (out zeroed), <0 on error. */
int expand_word_forms(sh_analyzer *an, const char *word, expand_word *out, char **errmsg);
void expand_word_free(expand_word *w);

/* Replaces every text word of *root that has other forms (not =word, not a field value) with an
 * OR of the word and its forms, and lists what was expanded in *out (zeroed first). */
int expand_tree(sh_analyzer *an, qnode **root, expand_list *out, char **errmsg);
void expand_list_free(expand_list *l);

#endif
