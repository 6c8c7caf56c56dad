/* scope.c — page scope (see scope.h): the pages of each word's matches, intersected, and the
 * words' OR filtered to those pages by their file terms. */
#include "scope.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/terms.h"

#include <stdlib.h>
#include <string.h>

typedef struct page_set {
    char **files;
    size_t n, cap;
    int failed;
} page_set;

static void page_set_free(page_set *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->files[i]);
    free(ps->files);
    memset(ps, 0, sizeof *ps);
}

static int page_set_has(const page_set *ps, const char *file)
{
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->files[i], file) == 0)
            return 1;
    return 0;
}

/* Printer sink: the file of each passage, once (results come in document order). */
static int collect_page(void *ctx, const result *r)
{
    page_set *ps = ctx;
    if (ps->failed || (ps->n && strcmp(ps->files[ps->n - 1], r->file) == 0))
        return SH_OK;
    char **f = sh_array_grow(ps->files, &ps->cap, ps->n + 1, sizeof *f);
    if (!f || !(f[ps->n] = strdup(r->file))) {
        if (f)
            ps->files = f;
        ps->failed = 1;
        return SH_OK;
    }
    ps->files = f;
    ps->n++;
    return SH_OK;
}

/* The pages (files) holding the word q. */
static int pages_of(search_session *s, const qbuild_result *q, page_set *out, char **errmsg)
{
    const result_sink collector = {collect_page, out};
    summary sum = {0};
    search_opts opts = {.all = 1};
    int rc = search_run(s, q, &opts, &collector, &sum, errmsg);
    if (!rc && out->failed)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    search_summary_free(&sum);
    return rc;
}

static int copy_highlights(const qbuild_result *from, qbuild_result *to, char **errmsg)
{
    size_t n = from->nhighlights;
    if (!n)
        return SH_OK;
    if (!(to->highlights = calloc(n, sizeof *to->highlights)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    to->nhighlights = n;
    for (size_t i = 0; i < n; i++)
        if (!(to->highlights[i] = strdup(from->highlights[i])))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}

int scope_page_query(search_session *s, const partial_plan *plan, qbuild_result *out,
                     char **errmsg)
{
    memset(out, 0, sizeof *out);
    page_set pages = {0};
    int rc = SH_OK;
    for (size_t w = 0; w < plan->nparts && !rc; w++) {
        page_set these = {0};
        rc = pages_of(s, &plan->parts[w], &these, errmsg);
        if (!rc && w > 0) { /* keep the pages both sets hold */
            size_t keep = 0;
            for (size_t i = 0; i < pages.n; i++) {
                if (page_set_has(&these, pages.files[i]))
                    pages.files[keep++] = pages.files[i];
                else
                    free(pages.files[i]);
            }
            pages.n = keep;
            page_set_free(&these);
        } else if (!rc) {
            pages = these;
        } else {
            page_set_free(&these);
        }
    }
    /* plan->any FILTER (the pages' file terms) */
    xap_query **terms = rc ? NULL : calloc(pages.n ? pages.n : 1, sizeof *terms);
    if (!rc && !terms)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    size_t made = 0;
    sh_analyzer *an = search_analyzer(s);
    for (; !rc && made < pages.n; made++) {
        const char *term = NULL;
        size_t term_len = 0;
        rc = terms_boolean_term(an, PFX_FILE, pages.files[made], strlen(pages.files[made]), &term,
                                &term_len, errmsg);
        if (!rc)
            rc = xap_query_term(term, term_len, 1, &terms[made], errmsg);
    }
    xap_query *page_filter = NULL;
    if (!rc)
        rc = made ? xap_query_combine(XAP_OP_OR, terms, made, 0, &page_filter, errmsg)
                  : xap_query_match_nothing(&page_filter, errmsg);
    if (!rc) {
        xap_query *pair[2] = {plan->any.query, page_filter};
        rc = xap_query_combine(XAP_OP_FILTER, pair, 2, 0, &out->query, errmsg);
    }
    if (!rc)
        rc = copy_highlights(&plan->any, out, errmsg);
    if (!rc) {
        out->has_text = plan->any.has_text;
        out->highlights_overlap = plan->any.highlights_overlap;
        memcpy(out->ministry_forms, plan->any.ministry_forms, sizeof out->ministry_forms);
        out->nministry_forms = plan->any.nministry_forms;
    }
    xap_query_destroy(page_filter);
    for (size_t i = 0; i < made; i++)
        xap_query_destroy(terms[i]);
    free(terms);
    page_set_free(&pages);
    if (rc)
        qbuild_result_free(out);
    return rc;
}
