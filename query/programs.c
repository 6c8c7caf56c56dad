/* programs.c — one program at a time: its mentions are the passages holding its name (the
 * every-mention query), its budget lines and relations come from those passages' extraction
 * records (PF_PROGRAMS), its materials from their page records. */
#include "programs.h"

#include "catalog.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/terms.h"

#include <stdlib.h>
#include <string.h>

/* A growable list of malloc'd strings with no duplicates. */
typedef struct strset {
    char **items;
    size_t n, cap;
} strset;

static int strset_add(strset *s, const char *v)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i], v) == 0)
            return SH_OK;
    char **items = sh_array_grow(s->items, &s->cap, s->n + 1, sizeof *items);
    if (!items)
        return SH_ERR_NOMEM;
    s->items = items;
    if (!(s->items[s->n] = strdup(v)))
        return SH_ERR_NOMEM;
    s->n++;
    return SH_OK;
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

/* Everything gathered about one program; strings owned here. */
typedef struct gathered {
    char *display;               /* name as written (NFKC), from an extraction record */
    program_budget *budgets;
    size_t nbudgets, cap_budgets;
    strset owned;                /* strings the budgets and materials point to */
    strset successor_of, succeeded_by;
    program_material *materials;
    size_t nmaterials, cap_materials;
} gathered;

static const char *keep(gathered *g, const char *s)
{
    if (strset_add(&g->owned, s))
        return NULL;
    for (size_t i = 0; i < g->owned.n; i++)
        if (strcmp(g->owned.items[i], s) == 0)
            return g->owned.items[i];
    return NULL;
}

static void gathered_free(gathered *g)
{
    free(g->display);
    free(g->budgets);
    free(g->materials);
    strset_free(&g->owned);
    strset_free(&g->successor_of);
    strset_free(&g->succeeded_by);
    memset(g, 0, sizeof *g);
}

/* 1 if raw (a name as stored) normalizes to norm_name. */
static int same_program(sh_analyzer *an, const char *raw, const char *norm_name)
{
    char *n = NULL;
    if (!*raw || sh_norm_string(an->norm, raw, strlen(raw), &n, NULL))
        return 0;
    int same = strcmp(n, norm_name) == 0;
    free(n);
    return same;
}

/* Reads one passage's extraction records for the program norm_name. */
/* The passage a record comes from: where its budget lines are said. */
typedef struct source {
    const char *file, *measure;
    int column, column_fiscal_year;
} source;

static int read_records(sh_analyzer *an, gathered *g, const char *norm_name, char *records,
                        const source *src)
{
    char *save_r = NULL;
    char rs[2] = {PROGRAM_RS, 0}, fs[2] = {PROGRAM_FS, 0};
    for (char *rec = strtok_r(records, rs, &save_r); rec; rec = strtok_r(NULL, rs, &save_r)) {
        /* Split by hand: empty fields matter (strtok would skip them). */
        const char *f[9] = {0};
        size_t n = 0;
        char *p = rec;
        while (n < 9) {
            f[n++] = p;
            char *sep = strchr(p, fs[0]);
            if (!sep)
                break;
            *sep = '\0';
            p = sep + 1;
        }
        for (size_t k = n; k < 9; k++)
            f[k] = "";
        if (f[0][0] == 'M' && n >= 4) {
            int mine = same_program(an, f[1], norm_name);
            if (mine && !g->display && !(g->display = strdup(f[1])))
                return SH_ERR_NOMEM;
            if (mine && f[2][0] && strset_add(&g->successor_of, f[2]))
                return SH_ERR_NOMEM;
            if (!mine && f[2][0] && same_program(an, f[2], norm_name) &&
                strset_add(&g->succeeded_by, f[1]))
                return SH_ERR_NOMEM;
        } else if (f[0][0] == 'B' && n >= 8 && same_program(an, f[1], norm_name)) {
            program_budget *grown =
                sh_array_grow(g->budgets, &g->cap_budgets, g->nbudgets + 1, sizeof *grown);
            if (!grown)
                return SH_ERR_NOMEM;
            g->budgets = grown;
            program_budget *b = &g->budgets[g->nbudgets];
            b->fiscal_year = atoi(f[2]);
            b->kind = keep(g, f[3]);
            b->amount_yen = strtoll(f[4], NULL, 10);
            b->within = f[5][0] == '1';
            b->parent = keep(g, f[6]);
            b->file = keep(g, src->file);
            b->lines = keep(g, f[7]);
            b->measure = keep(g, src->measure);
            b->column = src->column;
            b->column_fiscal_year = src->column_fiscal_year;
            if (!b->kind || !b->parent || !b->file || !b->lines || !b->measure)
                return SH_ERR_NOMEM;
            g->nbudgets++;
        }
    }
    return SH_OK;
}

static int add_material(gathered *g, const char *const *pr)
{
    for (size_t i = 0; i < g->nmaterials; i++)
        if (strcmp(g->materials[i].file, pr[PR_PATH]) == 0) {
            g->materials[i].passages++;
            return SH_OK;
        }
    program_material *grown =
        sh_array_grow(g->materials, &g->cap_materials, g->nmaterials + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    g->materials = grown;
    program_material *m = &g->materials[g->nmaterials];
    m->file = keep(g, pr[PR_PATH]);
    m->title = keep(g, pr[PR_TITLE]);
    m->url = keep(g, pr[PR_URL]);
    m->page = atoi(pr[PR_PAGE]);
    m->passages = 1;
    if (!m->file || !m->title || !m->url)
        return SH_ERR_NOMEM;
    g->nmaterials++;
    return SH_OK;
}

static int compare_budgets(const void *a, const void *b)
{
    const program_budget *x = a, *y = b;
    if (x->fiscal_year != y->fiscal_year)
        return x->fiscal_year < y->fiscal_year ? -1 : 1;
    int c = strcmp(x->kind, y->kind);
    if (c)
        return c;
    c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->lines, y->lines);
}

/* Gathers and prints one program. */
static int list_one(search_session *s, const char *norm_name, printer *p, char **errmsg)
{
    sh_analyzer *an = search_analyzer(s);
    xap_db *db = search_db(s);
    xap_query *q = NULL;
    xap_enquire *enq = NULL;
    xap_mset *mset = NULL;
    gathered g = {0};
    unsigned doccount = 0;
    int rc = terms_query_string(an, norm_name, strlen(norm_name), &q, errmsg);
    if (!rc && !q)
        return SH_OK;
    if (!rc)
        rc = xap_db_doccount(db, &doccount, errmsg);
    if (!rc)
        rc = xap_enquire_new(db, &enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, q, errmsg);
    if (!rc)
        rc = xap_enquire_set_boolean(enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, doccount, doccount, &mset, errmsg);
    unsigned ncand = rc ? 0 : xap_mset_size(mset), n = 0;
    unsigned long long mentions = 0;
    /* Candidates of the name's n-grams, proven on their text (the passages that mention it). */
    for (unsigned i = 0; i < ncand && !rc; i++) {
        double w;
        xap_docid id;
        xap_doc *doc = NULL;
        char *data = NULL;
        size_t len = 0, found = 0;
        const char *f[PF_COUNT];
        rc = xap_mset_item(mset, i, &id, &w, errmsg);
        if (rc || search_is_deleted(s, id))
            continue;
        rc = xap_mset_document(mset, i, &doc, errmsg);
        if (!rc)
            rc = xap_doc_get_data(doc, &data, &len, errmsg);
        xap_doc_destroy(doc);
        int ok = !rc && search_passage_fields(data, len, f);
        if (ok)
            rc = search_literal_occurrences(s, f[PF_TEXT], norm_name, &found, errmsg);
        if (!rc && ok && found) {
            n++;
            mentions += found;
            const char *const *pr = search_page_record(s, f[PF_PAGEKEY], errmsg);
            if (!pr)
                rc = SH_ERR;
            source src = {pr ? pr[PR_PATH] : "", f[PF_MEASURE], atoi(f[PF_COLUMN]), atoi(f[PF_FY])};
            if (!rc && (add_material(&g, pr) ||
                        read_records(an, &g, norm_name, (char *)f[PF_PROGRAMS], &src)))
                rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        }
        free(data);
    }
    if (!rc) {
        if (g.nbudgets > 1)
            qsort(g.budgets, g.nbudgets, sizeof *g.budgets, compare_budgets);
        program_row row = {g.display ? g.display : norm_name, (size_t)mentions, n, g.budgets,
                           g.nbudgets, (const char *const *)g.successor_of.items,
                           g.successor_of.n, (const char *const *)g.succeeded_by.items,
                           g.succeeded_by.n, g.materials, g.nmaterials};
        printer_program(p, &row);
    }
    gathered_free(&g);
    xap_mset_destroy(mset);
    xap_enquire_destroy(enq);
    xap_query_destroy(q);
    return rc;
}

int programs_list(search_session *s, const char *pattern, printer *p, size_t *count,
                  char **errmsg)
{
    char **names = NULL;
    size_t n = 0;
    *count = 0;
    int rc = catalog_programs(search_analyzer(s), search_db(s), pattern, &names, &n, errmsg);
    if (rc)
        return rc;
    printer_programs_begin(p);
    for (size_t i = 0; i < n && !rc; i++)
        rc = list_one(s, names[i], p, errmsg);
    if (!rc) {
        printer_programs_end(p, n);
        *count = n;
    }
    catalog_names_free(names, n);
    return rc;
}
