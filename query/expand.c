/* expand.c — query words to their other spellings (see expand.h). The forms come from the agency
 * table (agency.h), era years (era.h) and kanji numerals (numerals.h); this file decides which
 * apply to a word and rewrites the tree. */
#include "expand.h"

#include "shiryo/agency.h"
#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/norm.h"
#include "shiryo/numerals.h"
#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct form_acc {
    sh_analyzer *an;
    expand_word *w;
    char *norms[EXPAND_MAX_FORMS + 1]; /* normalized forms so far, the word itself first */
    size_t nnorms;
    int failed;
    char **errmsg;
} form_acc;

/* Adds form (len bytes) unless it normalizes like one already there. */
static void add_form(form_acc *a, const char *form, size_t len)
{
    if (a->failed || a->w->nforms >= EXPAND_MAX_FORMS)
        return;
    char *norm = NULL;
    if (sh_norm_string(sh_analyzer_norm(a->an), form, len, &norm, a->errmsg)) {
        a->failed = 1;
        return;
    }
    for (size_t i = 0; i < a->nnorms; i++)
        if (strcmp(a->norms[i], norm) == 0) {
            free(norm);
            return;
        }
    char *copy = strndup(form, len);
    char **forms = realloc(a->w->forms, (a->w->nforms + 1) * sizeof *forms);
    if (!copy || !forms) {
        free(copy);
        free(norm);
        if (forms)
            a->w->forms = forms;
        a->failed = sh_fail(a->errmsg, SH_ERR_NOMEM, "out of memory");
        return;
    }
    a->w->forms = forms;
    forms[a->w->nforms++] = copy;
    a->norms[a->nnorms++] = norm;
}

static void agency_form(void *ctx, const char *form, size_t n) { add_form(ctx, form, n); }

typedef struct year_ctx {
    form_acc *acc;
    const char *rest; /* text after the year in the word (令和7年度予算: 予算) */
} year_ctx;

static void year_form(void *vctx, const char *spelling)
{
    year_ctx *y = vctx;
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s%s", spelling, y->rest);
    if (n > 0 && (size_t)n < sizeof buf)
        add_form(y->acc, buf, (size_t)n);
}

/* A year word, alone or opening the word (令和7年度予算): its spellings, the rest kept. */
static int year_forms(form_acc *a, const char *s, size_t len)
{
    for (size_t cut = len; cut > 0; cut--) {
        int year = 0, kind = 0;
        if ((cut == len || !sh_utf8_is_continuation((unsigned char)s[cut])) &&
            era_parse_word(s, cut, &year, &kind)) {
            /* a bare era year (R7) must be the whole word: R7A is no year */
            if (kind == ERA_BARE && cut < len)
                return 0;
            year_ctx y = {a, s + cut};
            era_spellings(year, kind, year_form, &y);
            return 1;
        }
    }
    return 0;
}

/* 第 before a number, or one of these after it, makes it a count (第2条, 3か月, 13億円). */
static int is_counter(unsigned cp)
{
    static const char counters[] = "条項号章節款編回年月日週人件歳円万億兆倍次期かヶケカ箇";
    for (size_t i = 0; counters[i];) {
        unsigned c;
        i += sh_utf8_next(counters, sizeof counters - 1, i, &c);
        if (c == cp)
            return 1;
    }
    return 0;
}

/* The word with each counted number in the other script (第2条 → 第二条, 第十二条 → 第12条). */
static int numeral_forms(form_acc *a, const char *s, size_t len)
{
    sh_buf out = SH_BUF_INIT;
    int changed = 0, failed = 0;
    unsigned prev = 0;
    for (size_t i = 0; i < len && !failed;) {
        unsigned value = 0, next = 0;
        size_t arabic = numerals_read_arabic(s, len, i, &value);
        size_t run = arabic ? arabic : numerals_read_kanji(s, len, i, &value);
        if (run && i + run < len)
            sh_utf8_next(s, len, i + run, &next);
        if (run && value >= 1 && value <= 9999 && (prev == 0x7B2C /* 第 */ || is_counter(next))) {
            char num[64];
            int n = arabic ? numerals_format_kanji(value, num, sizeof num)
                           : snprintf(num, sizeof num, "%u", value);
            failed = n < 0 || sh_buf_append(&out, num, (size_t)n);
            changed = 1;
            i += run;
            prev = 0;
            continue;
        }
        unsigned cp;
        size_t step = run ? run : sh_utf8_next(s, len, i, &cp);
        failed = sh_buf_append(&out, s + i, step);
        if (!run)
            prev = cp;
        i += step;
    }
    if (changed && !failed)
        add_form(a, out.data, out.len);
    sh_buf_free(&out);
    if (failed && !a->failed)
        a->failed = sh_fail(a->errmsg, SH_ERR_NOMEM, "out of memory");
    return changed;
}

void expand_word_free(expand_word *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nforms; i++)
        free(w->forms[i]);
    free(w->forms);
    free(w->word);
    memset(w, 0, sizeof *w);
}

int expand_word_forms(sh_analyzer *an, const char *word, expand_word *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    form_acc a = {.an = an, .w = out, .errmsg = errmsg};
    size_t len = strlen(word);
    /* trim spaces as the terms do */
    while (len && (word[0] == ' ' || word[0] == '\t'))
        word++, len--;
    while (len && (word[len - 1] == ' ' || word[len - 1] == '\t'))
        len--;
    if (!len)
        return 0;
    char *self = NULL;
    if (sh_norm_string(sh_analyzer_norm(an), word, len, &self, errmsg))
        return SH_ERR;
    a.norms[a.nnorms++] = self;
    if (agency_forms(word, len, agency_form, &a)) {
        out->why = "agency";
        const char *official = agency_official_name(word, len, 0);
        char field[128];
        int n = snprintf(field, sizeof field, "ministry:%s", official);
        if (!a.failed && n > 0 && (size_t)n < sizeof field && out->nforms < EXPAND_MAX_FORMS) {
            /* not normalized: a filter, not text */
            char *copy = strdup(field);
            char **forms = copy ? realloc(out->forms, (out->nforms + 1) * sizeof *forms) : NULL;
            if (!forms) {
                free(copy);
                a.failed = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            } else {
                out->forms = forms;
                forms[out->nforms++] = copy;
            }
        }
    } else if (year_forms(&a, word, len)) {
        out->why = "year";
    } else if (numeral_forms(&a, word, len)) {
        out->why = "numerals";
    }
    for (size_t i = 0; i < a.nnorms; i++)
        free(a.norms[i]);
    if (!a.failed && out->nforms && !(out->word = strndup(word, len)))
        a.failed = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (a.failed) {
        expand_word_free(out);
        return SH_ERR_NOMEM;
    }
    if (!out->nforms) {
        expand_word_free(out);
        return 0;
    }
    return 1;
}

void expand_list_free(expand_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        expand_word_free(&l->words[i]);
    free(l->words);
    memset(l, 0, sizeof *l);
}

/* The OR node that stands for word n (taken over) and its forms. */
static int or_of_forms(qnode *n, const expand_word *w, qnode **out, char **errmsg)
{
    qnode *or_node = calloc(1, sizeof *or_node);
    qnode **kids = calloc(w->nforms + 1, sizeof *kids);
    if (!or_node || !kids) {
        free(or_node);
        free(kids);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    or_node->kind = QN_OR;
    or_node->spellings = 1;
    or_node->offset = n->offset;
    or_node->kids = kids;
    kids[or_node->nkids++] = n;
    n->exact = 1;
    for (size_t i = 0; i < w->nforms; i++) {
        qnode *k = calloc(1, sizeof *k);
        int field = strncmp(w->forms[i], "ministry:", 9) == 0;
        if (k) {
            k->kind = field ? QN_FIELD : QN_TEXT;
            k->text = strdup(field ? w->forms[i] + 9 : w->forms[i]);
            k->field = field ? strdup("ministry") : NULL;
            k->phrase = n->phrase;
            k->exact = 1;
            k->offset = n->offset;
        }
        if (!k || !k->text || (field && !k->field)) {
            qnode_free(k);
            /* the original word goes back to the caller's tree */
            or_node->kids[0] = NULL;
            qnode_free(or_node);
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        }
        kids[or_node->nkids++] = k;
    }
    *out = or_node;
    return SH_OK;
}

static int expand_node(sh_analyzer *an, qnode **slot, expand_list *out, char **errmsg)
{
    qnode *n = *slot;
    if (!n)
        return SH_OK;
    if (n->kind == QN_TEXT && !n->exact) {
        expand_word w;
        int found = expand_word_forms(an, n->text, &w, errmsg);
        if (found < 0)
            return found;
        if (!found)
            return SH_OK;
        qnode *or_node = NULL;
        expand_word *words = realloc(out->words, (out->n + 1) * sizeof *words);
        int rc = words ? or_of_forms(n, &w, &or_node, errmsg)
                       : sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        if (words)
            out->words = words;
        if (rc) {
            expand_word_free(&w);
            return rc;
        }
        out->words[out->n++] = w;
        *slot = or_node;
        return SH_OK;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        int rc = expand_node(an, &n->kids[i], out, errmsg);
        if (rc)
            return rc;
    }
    return SH_OK;
}

int expand_tree(sh_analyzer *an, qnode **root, expand_list *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    int rc = expand_node(an, root, out, errmsg);
    if (rc)
        expand_list_free(out);
    return rc;
}
