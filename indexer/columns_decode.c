/* columns_decode.c — the beam decoder: line by line, which column each candidate fragment goes
 * to (or whether the line is a heading) and where table rows begin, scored under the page model
 * and the weights; optionally forced along a given reading (tuning, diagnosis). */
#include "columns_int.h"

#include "shiryo/buf.h"
#include "shiryo/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BEAM_MAX 24
#define CHILD_BUDGET 3072         /* expansions per line; bounds work on wide tables */

typedef struct hyp {
    double score;
    uint8_t state[COLUMNS_MAX];
    uint8_t gap[COLUMNS_MAX];      /* lines since the column's last fragment, capped */
    uint32_t last[COLUMNS_MAX];    /* 1 + index of the column's last fragment, 0 none */
    uint8_t in_row;                /* columns with text in the current table row */
    uint8_t row_age;               /* lines since the current row began, capped */
    uint8_t depth[COLUMNS_MAX];    /* brackets the column's text has left open, capped */
    uint8_t after_head;            /* 1 when the previous line was read as a measure heading (a
                                      table row follows a measure heading, column 1 first) */
} hyp;

typedef struct child {
    hyp h;
    uint16_t parent;
    uint8_t mask;                  /* columns given fragments; 0 = the line is a heading */
    uint8_t opt;
    uint8_t row;                   /* 1 when a table row begins on this line */
} child;

typedef struct trace {
    uint16_t parent;
    uint8_t mask, opt, row;
    float gain;                    /* score this line added */
} trace;

/* Row terms of a line that starts paragraphs in the columns of `starts`, within the current row. */
static double row_same_score(const col_weights *w, const col_model *m, const hyp *h,
                             unsigned starts)
{
    double s = 0;
    for (int c = 0; c < m->n; c++) {
        if (!(starts & (1u << c)))
            continue;
        if (h->in_row & (1u << c)) {
            int g = h->gap[c] > NEXT_GAP_CAP ? NEXT_GAP_CAP : h->gap[c];
            s += w->row_gap * m->next_gap_lp[g] + w->row_kind * m->next_lr[c];
        } else {
            s += w->row_age * m->first_age_lp[h->row_age] + w->row_kind * m->first_lr[c];
        }
    }
    return s;
}

/* Columns without text in the row that ends here. */
static double row_missing_score(const col_weights *w, const col_model *m, const hyp *h)
{
    if (!h->in_row)
        return 0;
    unsigned full = (1u << m->n) - 1;
    return w->row_missing * __builtin_popcount(full & ~(unsigned)h->in_row);
}

/* Open brackets of a column after fragment f (a new item starts from none). */
static uint8_t bracket_depth_after(uint8_t depth, const col_fraginfo *f)
{
    int d = f->item ? 0 : depth;
    if (d < f->br_need)
        d = f->br_need;
    d += f->br_net;
    return (uint8_t)(d < 0 ? 0 : d > 7 ? 7 : d);
}

/* How plausibly fragment f continues fragment p: the character pair across the join, and the
 * 3- and 4-grams across it seen elsewhere on the page (program names and phrases recur). */
static double join_score(const col_weights *w, const col_model *m, const col_fraginfo *p,
                         const col_fraginfo *f)
{
    if (!p)
        return 0;
    unsigned count = m->bigram[colmodel_bigram_slot(p->tail, f->head)];
    double s = count ? w->bigram * colmodel_log2_1p(count) : w->bigram_zero;
    if (!m->ngram)
        return s;
    unsigned seq[6];
    int np = 0, nf = 0;
    for (int k = 2; k >= 0; k--)
        if (p->tail3[k])
            seq[np++] = p->tail3[k];
    for (int k = 0; k < 3 && f->head3[k]; k++)
        seq[np + nf++] = f->head3[k];
    double ng = 0;
    int tried = 0;
    for (int n = 3; n <= 4; n++)
        for (int start = np - n + 1; start < np; start++) {
            if (start < 0 || start + n > np + nf)
                continue;
            unsigned c = m->ngram[colmodel_ngram_slot(seq + start, n)];
            tried++;
            ng += colmodel_log2_1p(c);
        }
    if (tried)
        s += w->ngram * ng + (ng == 0 ? w->ngram_zero : 0);
    return s;
}

/* How well the fragment's kind suits column c (c == n: a measure heading). Amounts and ministry
 * names are typed for sure, phrases and sentences only by their length: they weigh apart. */
static double kind_score(const col_weights *w, const col_model *m, int c, const col_fraginfo *f)
{
    double weight = f->kind == KIND_AMOUNT || f->kind == KIND_MINISTRY ? w->kind_typed : w->kind;
    return weight * m->kind_lr[c][f->kind];
}

/* Score of putting fragment f in column c given the column's state before it. */
static double frag_score(const col_weights *w, const col_model *m, const hyp *h, int c,
                         const col_fraginfo *f)
{
    double s = 0;
    double over = (double)f->width - m->over_hi[c];
    if (over > 0)
        s -= w->over_base + w->over_per * over;
    int st = h->state[c];
    double cont_gap =
        w->cont_gap * m->cont_gap_lp[c][h->gap[c] > CONT_GAP_CAP ? CONT_GAP_CAP : h->gap[c]];
    if (st == ST_OPEN && h->gap[c] <= m->gap_allow) {
        if (f->item)
            s += w->item_open;
        else
            s += w->cont_open + cont_gap + (f->opener ? w->cont_opener : 0) +
                 join_score(w, m, h->last[c] ? &m->frag_base[h->last[c] - 1] : NULL, f);
    } else if (st == ST_MAYBE && h->gap[c] <= m->gap_allow) {
        if (f->item)
            s += w->item_maybe + w->item_rate * m->item_lr[c];
        else if (f->cont_start)
            s += w->cont_open + cont_gap;
        else
            s += w->cont_maybe + cont_gap;
    } else {
        if (f->cont_start)
            s += w->forbid_closed;
        else if (f->item)
            s += w->item_closed + w->item_rate * m->item_lr[c];
        else
            s += w->new_closed + w->item_rate * m->plain_lr[c];
        if (f->particle_start && !f->item)
            s += w->particle_closed;
        if (h->gap[c] <= 1)
            s += w->recent_new;
    }
    int after = colmodel_state_after(m, c, f);
    if (after == ST_CLOSED) {
        if (!f->terminal && !f->tag)
            s += w->short_nonterm + w->end_rate * m->nonterm_lr[c];
        else
            s += w->end_rate * m->term_lr[c];
    }
    if (after != ST_CLOSED) {
        double dev = (double)f->width - m->width[c];
        s -= w->width_dev * (dev < 0 ? -dev : dev);
        if (m->wrap_b[c] > 0 && !f->latin_end) {
            dev = (double)f->width - m->wrap_mid[c];
            s -= w->width_sharp * ((dev < 0 ? -dev : dev) / m->wrap_b[c] + log(m->wrap_b[c]));
        }
    }
    if (f->tag)
        s += c == 0 ? w->tag_col1 : w->tag_other;
    if (f->br_need) {
        int open = f->item ? 0 : h->depth[c];
        if (open < f->br_need)
            s += w->bracket_miss * (f->br_need - open);
        else
            s += w->bracket_close;
    }
    if (m->lm)
        s += w->lm * m->lm[(size_t)(f - m->frag_base) * (size_t)(m->n + 1) + (size_t)c];
    return s + colmodel_role_score(w, m, c, f) + kind_score(w, m, c, f);
}

static double heading_score(const col_weights *w, const col_model *m, const hyp *h,
                            const col_fraginfo *f, int next_full)
{
    double s = w->heading_base;
    for (int c = 0; c < m->n; c++) {
        if (h->gap[c] > m->gap_allow)
            continue;
        if (h->state[c] == ST_OPEN)
            s += w->heading_open;
        else if (h->state[c] == ST_MAYBE)
            s += w->heading_maybe;
    }
    if (f->terminal || f->tag || f->cont_start || f->open_end)
        s += w->heading_term;
    if (f->item)
        s += w->heading_item;
    if (next_full)
        s += w->heading_next_full;
    if ((double)f->width > m->widest)
        s += w->heading_wide;
    /* vocabulary of the page's measure headings against the columns' (both centred on the
     * columns' mean, like a cell's score) */
    if (m->lm)
        s += w->lm_head * m->lm[(size_t)(f - m->frag_base) * (size_t)(m->n + 1) + (size_t)m->n];
    return s + kind_score(w, m, m->n, f);
}

static void reset_hyp(hyp *h, int n)
{
    for (int c = 0; c < n; c++) {
        h->state[c] = ST_CLOSED;
        h->gap[c] = UINT8_MAX;
        h->last[c] = 0;
        h->depth[c] = 0;
    }
    h->in_row = 0;
    h->row_age = ROW_AGE_CAP;
    h->after_head = 0;
}

static int same_hyp(const hyp *a, const hyp *b, int n)
{
    if (a->in_row != b->in_row || a->row_age != b->row_age || a->after_head != b->after_head)
        return 0;
    for (int c = 0; c < n; c++)
        if (a->state[c] != b->state[c] || a->gap[c] != b->gap[c] || a->last[c] != b->last[c] ||
            a->depth[c] != b->depth[c])
            return 0;
    return 1;
}

static int cmp_child_desc(const void *x, const void *y)
{
    const child *a = x, *b = y;
    if (a->h.score != b->h.score)
        return a->h.score > b->h.score ? -1 : 1;
    if (a->parent != b->parent)
        return a->parent < b->parent ? -1 : 1;
    if (a->opt != b->opt)
        return a->opt < b->opt ? -1 : 1;
    if (a->mask != b->mask)
        return a->mask < b->mask ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* Score for reading a line's optional spaces the way this option does. */
static double option_prior(const col_weights *w, const col_segopt *so)
{
    return so->flip == FLIP_TO_TEXT ? w->split_strong : so->flip == FLIP_TO_BREAK ? w->split_opt : 0;
}

int coldecode_run(const col_analysis *a, const col_model *m, const col_weights *w,
                  const size_t *steps, size_t nsteps, const col_force *force, col_reading *out)
{
    double offset = 0; /* scores removed while keeping them small */
    int n = m->n;
    uint8_t masks[COLUMNS_MAX + 1][70];
    size_t nmasks[COLUMNS_MAX + 1];
    for (int k = 1; k <= n; k++)
        nmasks[k] = colmodel_masks_with_bits(n, k, masks[k]);
    int beam_cap = BEAM_MAX;
    if (nsteps > 20000)
        beam_cap = 6; /* giant pages: keep the work linear and small */
    hyp *beam = malloc((size_t)beam_cap * sizeof *beam);
    hyp *next = malloc((size_t)beam_cap * sizeof *next);
    trace *traces = malloc((nsteps ? nsteps : 1) * (size_t)beam_cap * sizeof *traces);
    size_t child_cap = 256;
    child *children = malloc(child_cap * sizeof *children);
    int rc = SH_ERR_NOMEM;
    if (!beam || !next || !traces || !children)
        goto out;
    size_t nbeam = 1;
    beam[0].score = 0;
    reset_hyp(&beam[0], n);
    for (size_t step = 0; step < nsteps; step++) {
        const col_lineinfo *li = &a->lines[steps[step]];
        size_t nchildren = 0;
        /* how many parents to expand so the line's work stays bounded */
        size_t per_parent = 1;
        if (li->kind == LINE_BODY)
            for (int o = 0; o < li->nopts; o++) {
                int k = a->opts[li->first_opt + (size_t)o].k;
                per_parent += k <= n ? 2 * nmasks[k] : 0;
            }
        size_t parents = nbeam;
        if (parents * per_parent > CHILD_BUDGET)
            parents = CHILD_BUDGET / per_parent > 0 ? CHILD_BUDGET / per_parent : 1;
        child *grown = sh_array_grow(children, &child_cap, parents * per_parent + 1,
                                     sizeof *grown);
        if (!grown)
            goto out;
        children = grown;
        size_t nb = step + 1 < nsteps ? steps[step + 1] : (size_t)-1;
        /* a heading is followed by a row start: most columns begin on the next line */
        int next_full = nb == (size_t)-1 ? 0
                        : a->lines[nb].kind == LINE_SECTION ||
                              a->lines[nb].base_k >= (n - 1 > 2 ? n - 1 : 2);
        for (size_t pi = 0; pi < parents; pi++) {
            const hyp *ph = &beam[pi];
            if (li->kind == LINE_SECTION) {
                child *ch = &children[nchildren++];
                ch->h = *ph;
                reset_hyp(&ch->h, n);
                ch->h.score = ph->score + row_missing_score(w, m, ph) +
                              (ph->after_head ? w->head_section : 0);
                ch->parent = (uint16_t)pi;
                ch->mask = 0;
                ch->opt = 0;
                ch->row = 0;
                continue;
            }
            /* may a new row begin here? Only when no column is mid-sentence */
            int all_done = 1;
            for (int c = 0; c < n; c++)
                if (ph->state[c] == ST_OPEN && ph->gap[c] <= m->gap_allow)
                    all_done = 0;
            size_t line = steps[step];
            for (int o = 0; o < li->nopts; o++) {
                const col_segopt *so = &a->opts[li->first_opt + (size_t)o];
                const col_fraginfo *fr = &a->frags[so->first];
                if (so->k > n || (force && force->opt[line] != o))
                    continue;
                for (size_t mi = 0; mi < nmasks[so->k]; mi++) {
                    uint8_t mask = masks[so->k][mi];
                    if (force && force->mask[line] != mask)
                        continue;
                    child *ch = &children[nchildren++];
                    ch->h = *ph;
                    ch->parent = (uint16_t)pi;
                    ch->mask = mask;
                    ch->opt = (uint8_t)o;
                    ch->row = 0;
                    ch->h.after_head = 0;
                    double s = ph->score + option_prior(w, so);
                    if (ph->after_head && (mask & 1u))
                        s += w->head_c1;
                    unsigned starts = 0;
                    int j = 0;
                    for (int c = 0; c < n; c++) {
                        if (mask & (1u << c)) {
                            const col_fraginfo *f = &fr[j++];
                            s += frag_score(w, m, ph, c, f);
                            if (colmodel_starts_paragraph(m, ph->state[c], ph->gap[c], f))
                                starts |= 1u << c;
                            ch->h.state[c] = (uint8_t)colmodel_state_after(m, c, f);
                            ch->h.depth[c] = bracket_depth_after(ph->depth[c], f);
                            ch->h.gap[c] = 0;
                            ch->h.last[c] = (uint32_t)(f - a->frags) + 1;
                        } else if (ch->h.gap[c] < UINT8_MAX) {
                            ch->h.gap[c]++;
                            if (ch->h.state[c] == ST_OPEN && ch->h.gap[c] == m->gap_allow + 1)
                                s += w->gap_once;
                        }
                    }
                    /* gaps beyond the allowance all look alike: cap them for recombination */
                    for (int c = 0; c < n; c++)
                        if (ch->h.gap[c] > m->gap_allow + 1 && ch->h.gap[c] != UINT8_MAX)
                            ch->h.gap[c] = (uint8_t)(m->gap_allow + 1);
                    if (!ph->in_row) { /* the first line after a heading opens a row */
                        hyp fresh = *ph;
                        fresh.row_age = 0;
                        ch->h.score = s + row_same_score(w, m, &fresh, starts);
                        ch->h.in_row = mask;
                        ch->h.row_age = 1;
                        ch->row = 1;
                        continue;
                    }
                    ch->h.score = s + row_same_score(w, m, ph, starts);
                    ch->h.in_row = (uint8_t)(ph->in_row | mask);
                    ch->h.row_age = ph->row_age < ROW_AGE_CAP ? (uint8_t)(ph->row_age + 1)
                                                              : (uint8_t)ROW_AGE_CAP;
                    if (all_done && starts == mask) { /* or a new row begins here */
                        child *nr = &children[nchildren++];
                        *nr = *ch;
                        hyp fresh = *ph;
                        fresh.in_row = 0;
                        fresh.row_age = 0;
                        nr->h.score = s + w->row_start + row_missing_score(w, m, ph) +
                                      row_same_score(w, m, &fresh, starts);
                        nr->h.in_row = mask;
                        nr->h.row_age = 1;
                        nr->row = 1;
                    }
                }
                if (so->k == 1 && o == 0 && (!force || force->mask[line] == 0)) {
                    /* headings hold no column-break spaces */
                    child *ch = &children[nchildren++];
                    ch->h = *ph;
                    reset_hyp(&ch->h, n);
                    ch->h.score = ph->score + option_prior(w, so) + heading_score(w, m, ph, fr, next_full) +
                                  row_missing_score(w, m, ph) +
                                  (ph->after_head ? w->head_twice : 0);
                    ch->h.after_head = 1;
                    ch->parent = (uint16_t)pi;
                    ch->mask = 0;
                    ch->opt = (uint8_t)o;
                    ch->row = 0;
                }
            }
        }
        if (force && force->row) { /* rows forced too: keep the children that agree */
            size_t keep = 0;
            for (size_t ci = 0; ci < nchildren; ci++)
                if (children[ci].row == force->row[steps[step]])
                    children[keep++] = children[ci];
            nchildren = keep;
        }
        qsort(children, nchildren, sizeof *children, cmp_child_desc);
        size_t kept = 0;
        trace *tr = &traces[step * (size_t)beam_cap];
        for (size_t ci = 0; ci < nchildren && kept < (size_t)beam_cap; ci++) {
            int dup = 0;
            for (size_t k = 0; k < kept && !dup; k++)
                dup = same_hyp(&next[k], &children[ci].h, n);
            if (dup)
                continue;
            next[kept] = children[ci].h;
            tr[kept].parent = children[ci].parent;
            tr[kept].mask = children[ci].mask;
            tr[kept].opt = children[ci].opt;
            tr[kept].row = children[ci].row;
            tr[kept].gain = (float)(children[ci].h.score - beam[children[ci].parent].score);
            kept++;
        }
        if (kept == 0) { /* a forced reading the decoder cannot follow */
            rc = SH_ERR_INVALID;
            goto out;
        }
        /* scores only matter relative to each other: keep them small */
        double top = next[0].score;
        offset += top;
        for (size_t k = 0; k < kept; k++)
            next[k].score -= top;
        hyp *t = beam;
        beam = next;
        next = t;
        nbeam = kept;
    }
    /* best final hypothesis is beam[0]; walk back */
    size_t idx = 0;
    for (size_t step = nsteps; step-- > 0;) {
        const trace *tr = &traces[step * (size_t)beam_cap + idx];
        out->opt[steps[step]] = tr->opt;
        out->mask[steps[step]] = tr->mask;
        out->row[steps[step]] = tr->row;
        if (out->gain)
            out->gain[steps[step]] = tr->gain;
        idx = tr->parent;
    }
    out->total = offset + (nbeam ? beam[0].score : 0);
    rc = SH_OK;
out:
    free(beam);
    free(next);
    free(traces);
    free(children);
    return rc;
}

