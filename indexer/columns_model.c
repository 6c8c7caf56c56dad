/* columns_model.c — the page model the decoder scores against: column widths from width peaks
 * or full rows, bullet and end rates, row timing, join statistics and column vocabularies, each
 * learned from the candidate fragments and re-estimated from a decoded reading. */
#include "columns_int.h"

#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint32_t colmodel_bigram_slot(unsigned a, unsigned b)
{
    uint32_t h = (uint32_t)a * 0x9E3779B1u ^ ((uint32_t)b * 0x85EBCA77u + 0x165667B1u);
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 13;
    return h & (BIGRAM_SLOTS - 1);
}

void colmodel_add_bigrams(uint16_t *table, const char *s, size_t len)
{
    unsigned prev = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += sh_utf8_next(s, len, i, &cp);
        if (prev && cp != ' ' && prev != ' ') {
            uint16_t *slot = &table[colmodel_bigram_slot(prev, cp)];
            if (*slot < UINT16_MAX)
                (*slot)++;
        }
        prev = cp;
    }
}

uint32_t colmodel_ngram_slot(const unsigned *cp, int n)
{
    uint32_t h = 0x811C9DC5u ^ (uint32_t)n;
    for (int k = 0; k < n; k++) {
        h ^= (uint32_t)cp[k];
        h *= 0x01000193u;
        h ^= h >> 13;
        h *= 0x5BD1E995u;
    }
    h ^= h >> 15;
    return h & (NGRAM_SLOTS - 1);
}

void colmodel_add_ngrams(uint16_t *table, const char *s, size_t len)
{
    unsigned win[4] = {0, 0, 0, 0};
    int have = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += sh_utf8_next(s, len, i, &cp);
        win[0] = win[1];
        win[1] = win[2];
        win[2] = win[3];
        win[3] = cp;
        if (have < 4)
            have++;
        for (int n = 3; n <= 4; n++) {
            if (have < n)
                continue;
            uint16_t *slot = &table[colmodel_ngram_slot(win + 4 - n, n)];
            if (*slot < UINT16_MAX)
                (*slot)++;
        }
    }
}

double colmodel_log2_1p(unsigned count)
{
    static const double table[] = {0.0, 1.0, 1.585, 2.0, 2.322, 2.585, 2.807, 3.0, 3.17};
    return count < 8 ? table[count] : table[8];
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* Sets the width model of column c from its samples (full and short lines mixed). */
static void set_width(const col_weights *wt, col_model *m, int c, double *samples, size_t n,
                      double fallback)
{
    double q = wt->width_quantile < 0.5 ? 0.5 : wt->width_quantile > 1 ? 1 : wt->width_quantile;
    double w = n >= 2 ? quantile(samples, n, q) : n == 1 ? samples[0] : fallback;
    if (w < 4)
        w = 4;
    m->width[c] = w;
    double slack = wt->full_slack + wt->full_slack_per * w;
    m->full_lo[c] = w - slack;
    m->over_hi[c] = w + wt->over_slack + wt->over_slack_per * w;
}

static void finish_model(col_model *m)
{
    m->widest = 0;
    for (int c = 0; c < m->n; c++)
        if (m->over_hi[c] > m->widest)
            m->widest = m->over_hi[c];
    m->gap_allow = 2 * (m->n - 1) + 1;
}

static void set_rates(col_model *m, const unsigned *items, const unsigned *starts)
{
    for (int c = 0; c < m->n; c++) {
        double total = (double)starts[c] + 1.0;
        m->item_lr[c] = log(((double)items[c] + 0.5) / total);
        m->plain_lr[c] = log(((double)(starts[c] - items[c]) + 0.5) / total);
    }
}

/* Does fragment f begin a paragraph in a column in this state? (A plain line after a full line
 * ending a sentence is read as going on: the paragraph may hold several sentences.) */
int colmodel_starts_paragraph(const col_model *m, int state, int gap, const col_fraginfo *f)
{
    if (gap > m->gap_allow || state == ST_CLOSED)
        return 1;
    return f->item;
}

int colmodel_state_after(const col_model *m, int c, const col_fraginfo *f)
{
    if (f->tag)
        return ST_CLOSED;
    if (f->open_end)
        return ST_OPEN;
    /* a Latin word is wrapped whole, so a line ending in one may stop well short of the width */
    if (f->latin_end && !f->terminal && f->width * 2 >= m->width[c])
        return ST_OPEN;
    if (f->width < m->full_lo[c])
        return ST_CLOSED;
    return f->terminal ? ST_MAYBE : ST_OPEN;
}

/* What the column's label leads a reader to expect: a results column of 令和6年度 reports in the
 * past and names 令和6年度 budgets; a plans column announces and names budget requests (予算案). */
double colmodel_role_score(const col_weights *w, const col_model *m, int c, const col_fraginfo *f)
{
    double s = 0;
    if (f->fiscal_year) {
        int owned_elsewhere = 0;
        for (int k = 0; k < m->n; k++)
            owned_elsewhere |= k != c && m->fiscal_year[k] == f->fiscal_year;
        if (m->fiscal_year[c] == f->fiscal_year)
            s += w->role_year;
        else if (owned_elsewhere)
            s -= m->fiscal_year[c] ? w->role_year : w->role_year / 3;
    }
    int role = m->role[c];
    if (role == ROLE_NONE)
        return s;
    if (f->plan_budget)
        s += role == ROLE_PLANS ? w->role_budget : -w->role_budget;
    if (f->tense)
        s += (f->tense > 0) == (role == ROLE_RESULTS) ? w->role_tense : -w->role_tense;
    return s;
}

/* Masks of n columns with k bits set, in increasing order. */
size_t colmodel_masks_with_bits(int n, int k, uint8_t *out)
{
    size_t count = 0;
    for (unsigned mask = 1; mask < (1u << n); mask++)
        if (__builtin_popcount(mask) == k)
            out[count++] = (uint8_t)mask;
    return count;
}

#define PEAK_HIST_MAX 1024      /* widths above this are not column widths worth finding */
#define PEAK_SAMPLE_LINES 400   /* lines scored per candidate mapping */
#define PEAK_MAPPINGS_MAX 20000

/* How well a fragment of width w fits a column whose full lines are `width` wide (0: unknown). */
static double peak_fit(double w, double width)
{
    if (width <= 0)
        return 0;
    double tol = 2.0 + 0.04 * width;
    if (w > width + tol)
        return -4.0 - 0.2 * (w - width - tol);
    if (w >= width - 3.0 - 0.05 * width)
        return 1.0;
    return -0.3;
}

typedef struct peak_search {
    const col_analysis *a;
    const col_model *m;          /* column roles and fiscal years (widths are what is searched) */
    const col_weights *w;
    const size_t *lines;     /* sampled body lines */
    size_t nlines;
    int n, npeaks;
    double peak[COLUMNS_MAX];
    int assign[COLUMNS_MAX]; /* peak -> column, -1 unused */
    int best_assign[COLUMNS_MAX];
    double best_score;
    size_t tried, max_tries;
    uint8_t masks[COLUMNS_MAX + 1][70];
    size_t nmasks[COLUMNS_MAX + 1];
} peak_search;

/* Best monotone placement of a line's fragments under column widths; returns its fit and mask. */
static double best_line_fit(const peak_search *ps, const double *widths, size_t li,
                            uint8_t *mask_out)
{
    const col_lineinfo *info = &ps->a->lines[li];
    const col_segopt *o = &ps->a->opts[info->first_opt];
    const col_fraginfo *fr = &ps->a->frags[o->first];
    double best = -1e30;
    uint8_t best_mask = 0;
    for (size_t mi = 0; mi < ps->nmasks[o->k]; mi++) {
        uint8_t mask = ps->masks[o->k][mi];
        double s = 0;
        int j = 0;
        for (int c = 0; c < ps->n; c++)
            if (mask & (1u << c)) {
                s += peak_fit(fr[j].width, widths[c]) +
                     ps->w->peak_role * colmodel_role_score(ps->w, ps->m, c, &fr[j]);
                j++;
            }
        if (s > best) {
            best = s;
            best_mask = mask;
        }
    }
    if (mask_out)
        *mask_out = best_mask;
    return best;
}

static void peak_widths(const peak_search *ps, const int *assign, double *widths)
{
    for (int c = 0; c < ps->n; c++)
        widths[c] = 0;
    for (int p = 0; p < ps->npeaks; p++)
        if (assign[p] >= 0)
            widths[assign[p]] = ps->peak[p];
}

/* Tries every injective placement of the width peaks on columns (a peak may stay unused). */
static void peak_enumerate(peak_search *ps, int p, unsigned used)
{
    if (ps->tried >= ps->max_tries)
        return;
    if (p == ps->npeaks) {
        ps->tried++;
        double widths[COLUMNS_MAX];
        peak_widths(ps, ps->assign, widths);
        double score = 0;
        for (size_t i = 0; i < ps->nlines; i++)
            score += best_line_fit(ps, widths, ps->lines[i], NULL);
        if (score > ps->best_score) {
            ps->best_score = score;
            memcpy(ps->best_assign, ps->assign, sizeof ps->assign);
        }
        return;
    }
    ps->assign[p] = -1;
    peak_enumerate(ps, p + 1, used);
    for (int c = 0; c < ps->n; c++) {
        if (used & (1u << c))
            continue;
        ps->assign[p] = c;
        peak_enumerate(ps, p + 1, used | (1u << c));
    }
    ps->assign[p] = -1;
}

/* Without lines that show every column, column widths come from the peaks of the fragment width
 * histogram (full lines of a column are nearly equally wide), placed on the columns in the way
 * that best explains where fragments sit on their lines. */
static int estimate_from_peaks(const col_analysis *a, const size_t *steps, size_t nsteps,
                               col_model *m, const col_weights *w, double widest)
{
    int n = m->n;
    peak_search *ps = calloc(1, sizeof *ps);
    unsigned *hist = calloc(PEAK_HIST_MAX + 1, sizeof *hist);
    size_t *lines = malloc((nsteps ? nsteps : 1) * sizeof *lines);
    double *samples = malloc((nsteps ? nsteps : 1) * sizeof *samples);
    unsigned char *taken = NULL;
    size_t *sampled = NULL;
    int rc = SH_ERR_NOMEM;
    if (!ps || !hist || !lines || !samples)
        goto out;
    size_t nbody = 0, nfr = 0;
    for (size_t s = 0; s < nsteps; s++) {
        const col_lineinfo *li = &a->lines[steps[s]];
        if (li->kind != LINE_BODY)
            continue;
        lines[nbody++] = steps[s];
        const col_segopt *o = &a->opts[li->first_opt];
        for (int k = 0; k < o->k; k++) {
            int w = a->frags[o->first + (size_t)k].width;
            if (w <= PEAK_HIST_MAX) {
                hist[w]++;
                nfr++;
            }
        }
    }
    /* peaks: the densest 5-wide windows, each suppressing its neighbourhood */
    unsigned min_count = nfr / 30 > 3 ? (unsigned)(nfr / 30) : 3;
    taken = calloc(PEAK_HIST_MAX + 1, 1);
    if (!taken)
        goto out;
    while (ps->npeaks < n) {
        unsigned best = 0;
        int best_w = -1;
        for (int w = 4; w <= PEAK_HIST_MAX; w++) {
            if (taken[w])
                continue;
            unsigned win = 0;
            for (int v = w - 4; v <= w; v++)
                win += hist[v];
            if (win > best) {
                best = win;
                best_w = w;
            }
        }
        if (best_w < 0 || best < min_count)
            break;
        int top = best_w;
        while (top > best_w - 4 && hist[top] == 0)
            top--;
        ps->peak[ps->npeaks++] = top;
        for (int v = best_w - 8; v <= best_w + 8; v++)
            if (v >= 0 && v <= PEAK_HIST_MAX)
                taken[v] = 1;
    }
    /* sample lines evenly for scoring */
    size_t stride = nbody > PEAK_SAMPLE_LINES ? nbody / PEAK_SAMPLE_LINES : 1;
    sampled = malloc((nbody / stride + 1) * sizeof *sampled);
    if (!sampled)
        goto out;
    for (size_t i = 0; i < nbody; i += stride)
        sampled[ps->nlines++] = lines[i];
    ps->lines = sampled;
    ps->a = a;
    ps->m = m;
    ps->w = w;
    ps->n = n;
    for (int k = 1; k <= n; k++)
        ps->nmasks[k] = colmodel_masks_with_bits(n, k, ps->masks[k]);
    for (int p = 0; p < COLUMNS_MAX; p++)
        ps->assign[p] = ps->best_assign[p] = -1;
    ps->best_score = 0;
    /* bound the search: mappings x sampled lines x placements stays within a few million */
    size_t per_mapping = 1;
    for (size_t i = 0; i < ps->nlines; i++) {
        const col_segopt *o = &a->opts[a->lines[ps->lines[i]].first_opt];
        per_mapping += ps->nmasks[o->k] * (size_t)o->k;
    }
    ps->max_tries = 4000000 / per_mapping + 1;
    if (ps->max_tries > PEAK_MAPPINGS_MAX)
        ps->max_tries = PEAK_MAPPINGS_MAX;
    peak_enumerate(ps, 0, 0);
    double widths[COLUMNS_MAX];
    peak_widths(ps, ps->best_assign, widths);
    /* columns without a peak: measure what the best placements give them */
    for (int c = 0; c < n; c++) {
        if (widths[c] > 0) {
            set_width(w, m, c, &widths[c], 1, widest);
            continue;
        }
        size_t ns = 0;
        for (size_t i = 0; i < nbody; i++) {
            uint8_t mask;
            best_line_fit(ps, widths, lines[i], &mask);
            if (!(mask & (1u << c)))
                continue;
            const col_segopt *o = &a->opts[a->lines[lines[i]].first_opt];
            int j = 0;
            for (int cc = 0; cc < c; cc++)
                j += (mask >> cc) & 1;
            samples[ns++] = a->frags[o->first + (size_t)j].width;
        }
        set_width(w, m, c, samples, ns, widest);
    }
    rc = SH_OK;
out:
    free(taken);
    free(sampled);
    free(ps);
    free(hist);
    free(lines);
    free(samples);
    return rc;
}

/* Row timing before anything is learned: a cell's next paragraph follows closely, and a cell's
 * first paragraph mostly starts on the row's first line. */
static void set_row_priors(col_model *m)
{
    static const double next_gap[NEXT_GAP_CAP + 1] = {0.4, 0.25, 0.15, 0.08, 0.04, 0.03,
                                                       0.02, 0.015, 0.01};
    static const double first_age[ROW_AGE_CAP + 1] = {0.6, 0.12, 0.08, 0.06, 0.04, 0.03, 0.02,
                                                       0.015, 0.01, 0.008, 0.006, 0.005, 0.005};
    static const double cont_gap[CONT_GAP_CAP + 1] = {0.6, 0.2, 0.1, 0.05, 0.05};
    for (int g = 0; g <= NEXT_GAP_CAP; g++)
        m->next_gap_lp[g] = log(next_gap[g]);
    for (int c = 0; c < m->n; c++)
        for (int g = 0; g <= CONT_GAP_CAP; g++)
            m->cont_gap_lp[c][g] = log(cont_gap[g]);
    for (int g = 0; g <= ROW_AGE_CAP; g++)
        m->first_age_lp[g] = log(first_age[g]);
    for (int c = 0; c < m->n; c++)
        m->next_lr[c] = m->first_lr[c] = 0;
}

/* Learns row timing from a decoded reading, replaying the decoder's row state. */
static void estimate_rows(const col_analysis *a, const size_t *steps, size_t nsteps,
                          const col_reading *d, const col_model *old, col_model *m)
{
    int n = m->n;
    double gap_n[NEXT_GAP_CAP + 1] = {0}, age_n[ROW_AGE_CAP + 1] = {0};
    unsigned next_c[COLUMNS_MAX] = {0}, first_c[COLUMNS_MAX] = {0};
    double cont_n[COLUMNS_MAX][CONT_GAP_CAP + 1];
    memset(cont_n, 0, sizeof cont_n);
    int state[COLUMNS_MAX], gap[COLUMNS_MAX];
    unsigned in_row = 0;
    int row_age = ROW_AGE_CAP;
    for (int c = 0; c < n; c++) {
        state[c] = ST_CLOSED;
        gap[c] = 1000;
    }
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind != LINE_BODY || d->mask[li] == 0) {
            for (int c = 0; c < n; c++) {
                state[c] = ST_CLOSED;
                gap[c] = 1000;
            }
            in_row = 0;
            row_age = ROW_AGE_CAP;
            continue;
        }
        if (d->row[li]) {
            in_row = 0;
            row_age = 0;
        }
        const col_segopt *o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
        int j = 0;
        for (int c = 0; c < n; c++) {
            if (!(d->mask[li] & (1u << c))) {
                gap[c]++;
                continue;
            }
            const col_fraginfo *f = &a->frags[o->first + (size_t)j++];
            if (colmodel_starts_paragraph(old, state[c], gap[c] > 255 ? 255 : gap[c], f)) {
                if (in_row & (1u << c)) {
                    gap_n[gap[c] > NEXT_GAP_CAP ? NEXT_GAP_CAP : gap[c]]++;
                    next_c[c]++;
                } else {
                    age_n[row_age]++;
                    first_c[c]++;
                }
            } else {
                cont_n[c][gap[c] > CONT_GAP_CAP ? CONT_GAP_CAP : gap[c]]++;
            }
            state[c] = colmodel_state_after(old, c, f);
            gap[c] = 0;
        }
        in_row |= d->mask[li];
        if (row_age < ROW_AGE_CAP)
            row_age++;
    }
    /* smoothed toward the priors, which count as a few observations */
    col_model prior;
    prior.n = n;
    set_row_priors(&prior);
    double gap_total = 0, age_total = 0;
    for (int g = 0; g <= NEXT_GAP_CAP; g++)
        gap_total += gap_n[g];
    for (int g = 0; g <= ROW_AGE_CAP; g++)
        age_total += age_n[g];
    const double k = 4.0;
    for (int g = 0; g <= NEXT_GAP_CAP; g++)
        m->next_gap_lp[g] = log((gap_n[g] + k * exp(prior.next_gap_lp[g])) / (gap_total + k));
    for (int g = 0; g <= ROW_AGE_CAP; g++)
        m->first_age_lp[g] = log((age_n[g] + k * exp(prior.first_age_lp[g])) / (age_total + k));
    for (int c = 0; c < n; c++) {
        double cont_total = 0;
        for (int g = 0; g <= CONT_GAP_CAP; g++)
            cont_total += cont_n[c][g];
        for (int g = 0; g <= CONT_GAP_CAP; g++)
            m->cont_gap_lp[c][g] = log((cont_n[c][g] + k * exp(prior.cont_gap_lp[c][g])) /
                                       (cont_total + k));
    }
    for (int c = 0; c < n; c++) {
        double total = (double)next_c[c] + (double)first_c[c] + 1.0;
        m->next_lr[c] = log(((double)next_c[c] + 0.5) / total);
        m->first_lr[c] = log(((double)first_c[c] + 0.5) / total);
    }
}

/* Initial widths and bullet rates from lines that show every column at once. */
int colmodel_estimate_initial(const col_analysis *a, const size_t *steps, size_t nsteps,
                              col_model *m, const col_weights *w)
{
    int n = m->n;
    size_t total = 0;
    for (size_t s = 0; s < nsteps; s++)
        if (a->lines[steps[s]].kind == LINE_BODY && a->lines[steps[s]].base_k == n)
            total++;
    double widest_frag = 8;
    for (size_t s = 0; s < nsteps; s++) {
        const col_lineinfo *li = &a->lines[steps[s]];
        if (li->kind != LINE_BODY)
            continue;
        const col_segopt *o = &a->opts[li->first_opt];
        for (int k = 0; k < o->k; k++)
            if (a->frags[o->first + (size_t)k].width > widest_frag)
                widest_frag = a->frags[o->first + (size_t)k].width;
    }
    double *samples = malloc((total ? total : 1) * sizeof *samples);
    if (!samples)
        return SH_ERR_NOMEM;
    unsigned items[COLUMNS_MAX] = {0}, starts[COLUMNS_MAX] = {0};
    for (int c = 0; c < n; c++) {
        size_t ns = 0;
        for (size_t s = 0; s < nsteps; s++) {
            const col_lineinfo *li = &a->lines[steps[s]];
            if (li->kind != LINE_BODY || li->base_k != n)
                continue;
            const col_fraginfo *f = &a->frags[a->opts[li->first_opt].first + (size_t)c];
            samples[ns++] = f->width;
            starts[c]++;
            items[c] += f->item;
        }
        set_width(w, m, c, samples, ns, widest_frag);
    }
    free(samples);
    if (total < 3 && estimate_from_peaks(a, steps, nsteps, m, w, widest_frag))
        return SH_ERR_NOMEM;
    set_rates(m, items, starts);
    set_row_priors(m);
    finish_model(m);
    return SH_OK;
}

/* Kind rates per column and for headings (kinds[n]) from counts (add-one smoothed), centred on
 * their mean so a kind common everywhere favours no reading. */
static void set_kinds(col_model *m, double kinds[][KINDS])
{
    for (int k = 0; k < KINDS; k++) {
        double mean = 0;
        for (int c = 0; c <= m->n; c++) {
            double total = 0;
            for (int q = 0; q < KINDS; q++)
                total += kinds[c][q];
            m->kind_lr[c][k] = log((kinds[c][k] + 1.0) / (total + KINDS));
            mean += m->kind_lr[c][k];
        }
        mean /= m->n + 1;
        for (int c = 0; c <= m->n; c++)
            m->kind_lr[c][k] -= mean;
    }
}

/* Re-estimates widths and bullet rates from a decoded reading. */
int colmodel_estimate_from_reading(const col_analysis *a, const size_t *steps, size_t nsteps,
                                   const col_reading *d, const col_weights *w, col_model *m)
{
    int n = m->n;
    size_t total = 0;
    for (size_t s = 0; s < nsteps; s++)
        if (a->lines[steps[s]].kind == LINE_BODY)
            total += (size_t)a->lines[steps[s]].nopts > 0 ? (size_t)n : 0;
    double *samples = malloc((total ? total : 1) * sizeof *samples);
    double *wrapped = malloc((total ? total : 1) * sizeof *wrapped);
    int rc = SH_ERR_NOMEM;
    unsigned items[COLUMNS_MAX] = {0}, starts[COLUMNS_MAX] = {0};
    unsigned ends[COLUMNS_MAX] = {0}, nonterm[COLUMNS_MAX] = {0};
    double kinds[COLUMNS_MAX + 1][KINDS];
    memset(kinds, 0, sizeof kinds);
    col_model old = *m;
    if (!samples || !wrapped)
        goto out;
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind == LINE_BODY && d->mask[li] == 0)
            kinds[n][a->frags[a->opts[a->lines[li].first_opt + (size_t)d->opt[li]].first].kind]++;
    }
    for (int c = 0; c < n; c++) {
        size_t ns = 0, nw = 0;
        int prev_state = ST_CLOSED;
        for (size_t s = 0; s < nsteps; s++) {
            size_t li = steps[s];
            if (a->lines[li].kind != LINE_BODY || d->mask[li] == 0) {
                prev_state = ST_CLOSED;
                continue;
            }
            if (!(d->mask[li] & (1u << c)))
                continue;
            const col_segopt *o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
            int j = 0;
            for (int cc = 0; cc < c; cc++)
                j += (d->mask[li] >> cc) & 1;
            const col_fraginfo *f = &a->frags[o->first + (size_t)j];
            samples[ns++] = f->width;
            kinds[c][f->kind]++;
            if (prev_state != ST_OPEN) {
                starts[c]++;
                items[c] += f->item;
            }
            prev_state = colmodel_state_after(&old, c, f);
            if (prev_state != ST_CLOSED && !f->latin_end)
                wrapped[nw++] = f->width;
            if (prev_state == ST_CLOSED) {
                ends[c]++;
                nonterm[c] += !f->terminal && !f->tag;
            }
        }
        if (ns >= 3)
            set_width(w, m, c, samples, ns, old.width[c]);
        m->wrap_b[c] = 0;
        if (nw >= 4) {
            double mid = quantile(wrapped, nw, 0.5), dev = 0;
            for (size_t i = 0; i < nw; i++)
                dev += fabs(wrapped[i] - mid);
            dev /= (double)nw;
            m->wrap_mid[c] = mid;
            m->wrap_b[c] = dev < 0.5 ? 0.5 : dev;
        }
    }
    rc = SH_OK;
out:
    free(samples);
    free(wrapped);
    if (rc != SH_OK)
        return rc;
    set_rates(m, items, starts);
    set_kinds(m, kinds);
    for (int c = 0; c < n; c++) {
        double total = (double)ends[c] + 1.0;
        m->nonterm_lr[c] = log(((double)nonterm[c] + 0.5) / total);
        m->term_lr[c] = log(((double)(ends[c] - nonterm[c]) + 0.5) / total);
    }
    estimate_rows(a, steps, nsteps, d, &old, m);
    finish_model(m);
    return SH_OK;
}

#define COLLM_SLOTS 4096u
#define COLLM_MAX_CELLS 4000000u /* fragments x columns scored; beyond, the signal is skipped */

static uint32_t collm_slot(unsigned a, unsigned b)
{
    return colmodel_bigram_slot(a, b) & (COLLM_SLOTS - 1);
}

/* Learns each column's vocabulary (hashed character bigrams) from a decoded reading and scores
 * every candidate fragment against every column, leaving the fragment's own bigrams out of the
 * column it was decoded into so a reading does not simply confirm itself. Columns of one table
 * speak differently (実施した vs 実施する, 予算 vs 予算案, [◎厚] tags) and this catches it. */
int colmodel_train_vocabularies(const col_analysis *a, const size_t *steps, size_t nsteps,
                                const col_reading *d, const col_weights *w, col_model *m)
{
    int n = m->n, classes = n + 1; /* columns, then measure headings */
    free(m->lm);
    m->lm = NULL;
    if (a->nfrags == 0 || a->nfrags > COLLM_MAX_CELLS / (size_t)classes)
        return SH_OK;
    uint32_t *counts = calloc((size_t)classes * COLLM_SLOTS, sizeof *counts);
    signed char *owner = malloc(a->nfrags);
    float *lm = malloc(a->nfrags * (size_t)classes * sizeof *lm);
    int rc = SH_ERR_NOMEM;
    if (!counts || !owner || !lm)
        goto out;
    memset(owner, -1, a->nfrags);
    double total[COLUMNS_MAX + 1] = {0};
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind != LINE_BODY)
            continue;
        const col_segopt *o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
        int j = 0;
        for (int c = 0; c < classes; c++) {
            if (d->mask[li] ? !(d->mask[li] & (1u << c)) : c != n)
                continue;
            size_t fi = o->first + (size_t)j++;
            const col_fraginfo *f = &a->frags[fi];
            const char *text = a->body->lines[li].text + f->off;
            owner[fi] = (signed char)c;
            unsigned prev = 0;
            for (size_t i = 0; i < f->len;) {
                unsigned cp;
                i += sh_utf8_next(text, f->len, i, &cp);
                if (prev) {
                    counts[(size_t)c * COLLM_SLOTS + collm_slot(prev, cp)]++;
                    total[c]++;
                }
                prev = cp;
            }
        }
    }
    /* the same fragment appears in several readings of a line: owners follow byte ranges */
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind != LINE_BODY)
            continue;
        const col_lineinfo *info = &a->lines[li];
        const col_segopt *chosen = &a->opts[info->first_opt + (size_t)d->opt[li]];
        for (int o = 0; o < info->nopts; o++) {
            const col_segopt *so = &a->opts[info->first_opt + (size_t)o];
            if (so == chosen)
                continue;
            for (int k = 0; k < so->k; k++) {
                const col_fraginfo *f = &a->frags[so->first + (size_t)k];
                for (int q = 0; q < chosen->k; q++) {
                    const col_fraginfo *g = &a->frags[chosen->first + (size_t)q];
                    if (g->off == f->off && g->len == f->len)
                        owner[so->first + (size_t)k] = owner[chosen->first + (size_t)q];
                }
            }
        }
    }
    const double alpha = w->lm_alpha > 0.001 ? w->lm_alpha : 0.001;
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        const col_lineinfo *info = &a->lines[li];
        if (info->kind != LINE_BODY)
            continue;
        for (int o = 0; o < info->nopts; o++) {
            const col_segopt *so = &a->opts[info->first_opt + (size_t)o];
            for (int k = 0; k < so->k; k++) {
                size_t fi = so->first + (size_t)k;
                const col_fraginfo *f = &a->frags[fi];
                const char *text = a->body->lines[li].text + f->off;
                double logp[COLUMNS_MAX + 1] = {0};
                size_t nb = 0;
                unsigned prev = 0;
                for (size_t i = 0; i < f->len;) {
                    unsigned cp;
                    i += sh_utf8_next(text, f->len, i, &cp);
                    if (prev) {
                        uint32_t slot = collm_slot(prev, cp);
                        for (int c = 0; c < classes; c++) {
                            double cnt = counts[(size_t)c * COLLM_SLOTS + slot];
                            double tot = total[c];
                            if (owner[fi] == c) { /* leave this fragment out */
                                cnt = cnt > 0 ? cnt - 1 : 0;
                                tot = tot > 0 ? tot - 1 : 0;
                            }
                            logp[c] += log((cnt + alpha) / (tot + alpha * COLLM_SLOTS));
                        }
                        nb++;
                    }
                    prev = cp;
                }
                double mean = 0;
                for (int c = 0; c < n; c++)
                    mean += logp[c];
                mean /= n;
                double norm = nb ? sqrt((double)nb) : 1;
                for (int c = 0; c < classes; c++) {
                    double v = (logp[c] - mean) / norm;
                    if (v > w->lm_cap)
                        v = w->lm_cap;
                    if (v < -w->lm_cap)
                        v = -w->lm_cap;
                    lm[fi * (size_t)classes + (size_t)c] = (float)v;
                }
            }
        }
    }
    m->lm = lm;
    lm = NULL;
    m->frag_base = a->frags;
    rc = SH_OK;
out:
    free(counts);
    free(owner);
    free(lm);
    return rc;
}

