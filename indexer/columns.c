/* columns.c — layout reconstruction (see columns.h): reads the table header, splits body lines at
 * column-break spaces and assigns fragments to columns with a beam search over per-column
 * paragraph states. This file runs the stages; the family's other files (columns_int.h) own them. */
#include "columns_int.h"

#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <stdlib.h>
#include <string.h>

static int set_column(col_column *col, const char *label, size_t len)
{
    col->label = malloc(len + 1);
    if (!col->label)
        return SH_ERR_NOMEM;
    if (len)
        memcpy(col->label, label, len);
    col->label[len] = '\0';
    era_match em;
    if (len && era_find_fiscal_year(label, len, &em)) {
        col->fiscal_year = em.year;
        col->fy_label = malloc(em.len + 1);
        if (!col->fy_label)
            return SH_ERR_NOMEM;
        memcpy(col->fy_label, label + em.start, em.len);
        col->fy_label[em.len] = '\0';
    } else {
        col->fiscal_year = 0;
        col->fy_label = calloc(1, 1);
        if (!col->fy_label)
            return SH_ERR_NOMEM;
    }
    return SH_OK;
}

/* A column's role and fiscal year from its label. 計画 alone is no plan for a year: 基本計画の記載
 * quotes the basic plan, so it counts only next to a fiscal year. */
static void label_role(const char *label, size_t len, int *role, int *fiscal_year)
{
    era_match em;
    *fiscal_year = len && era_find_fiscal_year(label, len, &em) && em.fiscal ? em.year : 0;
    *role = ROLE_NONE;
    if (!len)
        return;
    static const char *const results[] = {"実績", "状況", "成果", "結果", "進捗"};
    static const char *const plans[] = {"予定", "方針", "見込", "今後", "目標"};
    for (size_t k = 0; k < sizeof results / sizeof results[0]; k++)
        if (colfrag_contains(label, len, results[k]))
            *role = ROLE_RESULTS;
    for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++)
        if (colfrag_contains(label, len, plans[k]))
            *role = ROLE_PLANS;
    if (*role == ROLE_NONE && *fiscal_year && colfrag_contains(label, len, "計画"))
        *role = ROLE_PLANS;
}

void col_tableread_free(col_tableread *t)
{
    free(t->a.lines);
    free(t->a.opts);
    free(t->a.frags);
    free(t->steps);
    free(t->m.bigram);
    free(t->m.ngram);
    free(t->m.lm);
    free(t->d.opt);
    free(t->d.mask);
    free(t->d.row);
    free(t->d.gain);
}

int col_tableread_run(const col_body *body, const col_header *h, const col_weights *w,
                      int want_gain, col_tableread *t)
{
    int rc = SH_ERR_NOMEM;
    memset(t, 0, sizeof *t);
    col_analysis *a = &t->a;
    col_model *m = &t->m;
    col_reading *d = &t->d;
    a->body = body;
    a->ncols = h->ncols;
    m->n = h->ncols;
    col_scratch scratch = {NULL, 0, NULL, 0};
    size_t lines = body->nlines ? body->nlines : 1;
    a->lines = calloc(lines, sizeof *a->lines);
    t->steps = malloc(lines * sizeof *t->steps);
    m->bigram = calloc(BIGRAM_SLOTS, sizeof *m->bigram);
    m->ngram = calloc(NGRAM_SLOTS, sizeof *m->ngram);
    d->opt = malloc(lines * sizeof *d->opt);
    d->mask = calloc(lines, 1);
    d->row = calloc(lines, 1);
    d->gain = want_gain ? calloc(lines, sizeof *d->gain) : NULL;
    if (!d->row || !a->lines || !t->steps || !m->bigram || !m->ngram || !d->opt || !d->mask ||
        (want_gain && !d->gain))
        goto done;
    for (size_t i = 0; i < body->nlines; i++)
        d->opt[i] = -1;
    for (size_t i = h->end; i < body->nlines; i++) {
        const page_line *line = &body->lines[i];
        if (line->len == 0)
            continue;
        t->steps[t->nsteps++] = i;
        if (colfrag_is_section_line(line)) {
            a->lines[i].kind = LINE_SECTION;
            a->lines[i].base_k = 1;
            continue;
        }
        a->lines[i].kind = LINE_BODY;
        if (colfrag_analyse_line(a, i, &scratch))
            goto done;
        const col_segopt *o = &a->opts[a->lines[i].first_opt];
        for (int k = 0; k < o->k; k++) {
            const col_fraginfo *f = &a->frags[o->first + (size_t)k];
            colmodel_add_bigrams(m->bigram, line->text + f->off, f->len);
            colmodel_add_ngrams(m->ngram, line->text + f->off, f->len);
        }
    }
    m->frag_base = a->frags;
    for (int c = 0; c < h->ncols; c++)
        label_role(h->label_len[c] ? body->lines[h->label_line[c]].text + h->label_off[c] : "",
                   h->label_len[c], &m->role[c], &m->fiscal_year[c]);
    if (colmodel_estimate_initial(a, t->steps, t->nsteps, m, w))
        goto done;
    if (coldecode_run(a, m, w, t->steps, t->nsteps, NULL, d))
        goto done;
    /* two refinements: widths, bullet rates and column vocabularies from the last reading */
    for (int pass = 0; pass < 2; pass++) {
        if (colmodel_estimate_from_reading(a, t->steps, t->nsteps, d, w, m) ||
            colmodel_train_vocabularies(a, t->steps, t->nsteps, d, w, m))
            goto done;
        if (coldecode_run(a, m, w, t->steps, t->nsteps, NULL, d))
            goto done;
    }
    rc = SH_OK;
done:
    colfrag_scratch_free(&scratch);
    return rc;
}

static int build_table_page(const col_body *body, const col_header *h, const col_weights *w,
                            col_layout *l)
{
    col_tableread t;
    int rc = col_tableread_run(body, h, w, 0, &t);
    if (rc == SH_OK)
        rc = colblock_table(&t.a, &t.m, t.steps, t.nsteps, &t.d, l);
    col_tableread_free(&t);
    return rc;
}

/* Does the body look like a table of ncols columns? Without 列N tokens the header alone is weak
 * evidence (a title line "第1章 総則" also has two short parts): require split lines below. */
static int body_supports_table(const col_body *body, const col_header *h)
{
    if (h->have_col_tokens || h->ncols < 2)
        return 1;
    size_t split = 0, total = 0;
    for (size_t i = h->end; i < body->nlines; i++) {
        const page_line *line = &body->lines[i];
        if (line->len == 0)
            continue;
        total++;
        for (size_t k = 1; k + 1 < line->len; k++) {
            if (line->text[k] != ' ' || line->text[k - 1] == ' ' || line->text[k + 1] == ' ')
                continue;
            unsigned a = colfrag_cp_before(line->text, k), b;
            sh_utf8_next(line->text, line->len, k + 1, &b);
            if (a >= 0x80 || b >= 0x80) {
                split++;
                break;
            }
        }
    }
    return split >= 2 && split * 20 >= total;
}

int col_layout_build_with(const col_body *body, const col_weights *w, col_layout **out,
                          char **errmsg)
{
    if (!body || (!body->lines && body->nlines) || !w || !out)
        return sh_fail(errmsg, SH_ERR_INVALID, "col_layout_build: missing lines or output");
    col_layout *l = calloc(1, sizeof *l);
    if (!l)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    col_header h;
    colheader_read(body, &h);
    if (h.ncols >= 1 && !body_supports_table(body, &h))
        h.ncols = 0;
    if (h.ncols == 1 && !h.have_col_tokens)
        h.ncols = 0;
    int rc = SH_OK;
    if (h.ncols == 0) {
        l->ncols = 1;
        rc = set_column(&l->cols[0], "", 0);
        if (rc == SH_OK)
            rc = colblock_single(body, 0, l);
    } else {
        l->ncols = h.ncols;
        for (int c = 0; c < h.ncols && rc == SH_OK; c++) {
            const char *text = h.label_len[c] ? body->lines[h.label_line[c]].text + h.label_off[c]
                                              : "";
            rc = set_column(&l->cols[c], text, h.label_len[c]);
        }
        l->header_end = h.end;
        if (rc == SH_OK)
            rc = h.ncols == 1 ? colblock_single(body, h.end, l) : build_table_page(body, &h, w, l);
    }
    if (rc != SH_OK) {
        col_layout_destroy(l);
        return sh_fail(errmsg, rc, "out of memory");
    }
    *out = l;
    return SH_OK;
}

int col_layout_build(const page_line *lines, size_t nlines, col_layout **out, char **errmsg)
{
    col_body body = {lines, nlines};
    return col_layout_build_with(&body, &colweights_default, out, errmsg);
}

void col_layout_destroy(col_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nblocks; i++)
        free(l->blocks[i].frags);
    free(l->blocks);
    for (int c = 0; c < COLUMNS_MAX; c++) {
        free(l->cols[c].label);
        free(l->cols[c].fy_label);
    }
    free(l);
}
