/* measures.c — aggregates passages by (file, measure) in document order for --list measures.
 * Fiscal-year counts and ministries (lead if any passage marks it ◎) are merged per measure. */
#include "measures.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

#define MEASURE_MAX_FY 16
#define MEASURE_MAX_MINISTRIES 16

typedef struct measure_acc {
    char *measure, *section, *file, *title;
    int page;
    size_t passages;
    int fy[MEASURE_MAX_FY];
    size_t fy_passages[MEASURE_MAX_FY];
    size_t nfy;
    char *ministry_names[MEASURE_MAX_MINISTRIES];
    int ministry_lead[MEASURE_MAX_MINISTRIES];
    size_t nministries;
} measure_acc;

typedef struct aggregator {
    measure_acc *items;
    size_t n, cap;
    int failed;
} aggregator;

static void acc_free(measure_acc *m)
{
    free(m->measure);
    free(m->section);
    free(m->file);
    free(m->title);
    for (size_t i = 0; i < m->nministries; i++)
        free(m->ministry_names[i]);
}

/* The measure of r: the last one when r continues the measure just seen (document order). */
static measure_acc *find_or_add(aggregator *agg, const result *r)
{
    if (agg->n > 0) {
        measure_acc *last = &agg->items[agg->n - 1];
        if (strcmp(last->file, r->file) == 0 && strcmp(last->measure, r->measure) == 0 &&
            strcmp(last->section, r->section) == 0)
            return last;
    }
    for (size_t i = 0; i < agg->n; i++)
        if (strcmp(agg->items[i].file, r->file) == 0 &&
            strcmp(agg->items[i].measure, r->measure) == 0 &&
            strcmp(agg->items[i].section, r->section) == 0)
            return &agg->items[i];
    measure_acc *items = sh_array_grow(agg->items, &agg->cap, agg->n + 1, sizeof *items);
    if (!items)
        return NULL;
    agg->items = items;
    measure_acc *m = &agg->items[agg->n];
    memset(m, 0, sizeof *m);
    m->measure = strdup(r->measure);
    m->section = strdup(r->section);
    m->file = strdup(r->file);
    m->title = strdup(r->title);
    m->page = r->page;
    agg->n++;
    if (!m->measure || !m->section || !m->file || !m->title)
        return NULL;
    return m;
}

static int add_passage(void *ctx, const result *r)
{
    aggregator *agg = ctx;
    /* Passages under no measure heading (prose, a table's header, a section heading) are in
     * no measure. */
    if (agg->failed || !r->measure[0])
        return SH_OK;
    measure_acc *m = find_or_add(agg, r);
    if (!m) {
        agg->failed = 1;
        return SH_OK;
    }
    m->passages++;
    size_t i = 0;
    while (i < m->nfy && m->fy[i] != r->fiscal_year)
        i++;
    if (i == m->nfy && m->nfy < MEASURE_MAX_FY) {
        /* Keep ascending order. */
        size_t at = m->nfy;
        while (at > 0 && m->fy[at - 1] > r->fiscal_year) {
            m->fy[at] = m->fy[at - 1];
            m->fy_passages[at] = m->fy_passages[at - 1];
            at--;
        }
        m->fy[at] = r->fiscal_year;
        m->fy_passages[at] = 0;
        m->nfy++;
        i = at;
    }
    if (i < m->nfy)
        m->fy_passages[i]++;
    for (size_t k = 0; k < r->nministries; k++) {
        size_t j = 0;
        while (j < m->nministries && strcmp(m->ministry_names[j], r->ministries[k].name) != 0)
            j++;
        if (j == m->nministries) {
            if (j == MEASURE_MAX_MINISTRIES)
                continue;
            if (!(m->ministry_names[j] = strdup(r->ministries[k].name))) {
                agg->failed = 1;
                return SH_OK;
            }
            m->ministry_lead[j] = 0;
            m->nministries++;
        }
        m->ministry_lead[j] |= r->ministries[k].lead;
    }
    return SH_OK;
}

int measures_list(search_session *s, const qbuild_result *q, printer *p, size_t *count,
                  char **errmsg)
{
    aggregator agg = {0};
    const result_sink collector = {add_passage, &agg};
    int rc = SH_OK;
    search_opts sopts = {.all = 1};
    summary sum = {0};
    /* Filters only: document order, every passage. */
    qbuild_result filters_only = *q;
    filters_only.has_text = q->has_text;
    if (!rc)
        rc = search_run(s, &filters_only, &sopts, &collector, &sum, errmsg);
    if (!rc && agg.failed)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = printer_measures_begin(p);
    if (!rc) {
        for (size_t i = 0; i < agg.n && !rc; i++) {
            measure_acc *m = &agg.items[i];
            result_ministry ministries[MEASURE_MAX_MINISTRIES];
            for (size_t k = 0; k < m->nministries; k++) {
                ministries[k].name = m->ministry_names[k];
                ministries[k].lead = m->ministry_lead[k];
            }
            measure_row row = {m->measure, m->section, m->file, m->title, m->page, ministries,
                               m->nministries, m->passages, m->fy, m->fy_passages, m->nfy};
            rc = printer_measure(p, &row);
        }
        if (!rc)
            rc = printer_measures_end(p, agg.n);
        *count = agg.n;
    }
    search_summary_free(&sum);
    for (size_t i = 0; i < agg.n; i++)
        acc_free(&agg.items[i]);
    free(agg.items);
    return rc;
}
