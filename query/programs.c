/* programs.c — one program at a time: its mentions are the passages holding its name (the
 * every-mention query), its budget lines and relations come from those passages' extraction
 * records (PF_PROGRAMS), its materials from their page records. */
#include "programs.h"

#include "catalog.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/norm.h"
#include "shiryo/progrec.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/strlist.h"
#include "shiryo/terms.h"

#include <stdlib.h>
#include <string.h>

/* Adds v to a list of distinct strings. */
static int strset_add(sh_strlist *s, const char *v)
{
    return sh_strlist_intern(s, v) ? SH_OK : SH_ERR_NOMEM;
}

/* Everything gathered about one program; strings owned here. */
typedef struct gathered {
    char *display;               /* name as written (NFKC), from an extraction record */
    program_budget *budgets;
    size_t nbudgets, cap_budgets;
    sh_strlist owned;            /* strings the budgets and materials point to */
    sh_strlist successor_of, succeeded_by;
    program_material *materials;
    size_t nmaterials, cap_materials;
    program_history *history;
    size_t nhistory;
} gathered;

static const char *keep(gathered *g, const char *s) { return sh_strlist_intern(&g->owned, s); }

static void gathered_free(gathered *g)
{
    free(g->display);
    free(g->budgets);
    free(g->materials);
    free(g->history);
    sh_strlist_free(&g->owned);
    sh_strlist_free(&g->successor_of);
    sh_strlist_free(&g->succeeded_by);
    memset(g, 0, sizeof *g);
}

/* 1 if raw (a name as stored) normalizes to norm_name. */
static int same_program(sh_analyzer *an, const char *raw, const char *norm_name)
{
    char *n = NULL;
    if (!*raw || sh_norm_string(sh_analyzer_norm(an), raw, strlen(raw), &n, NULL))
        return 0;
    int same = strcmp(n, norm_name) == 0;
    free(n);
    return same;
}

/* Reads one passage's extraction records for the program norm_name. */
/* The passage a record comes from: where its budget lines are said. */
typedef struct source {
    const char *file, *measure, *title, *url, *meeting, *date;
    int column, column_fiscal_year;
} source;

static int read_records(sh_analyzer *an, gathered *g, const char *norm_name, char *records,
                        const source *src)
{
    sh_progrec r;
    for (char *cursor = records; sh_progrec_next(&cursor, &r);) {
        if (r.tag == SH_PROGREC_MENTION) {
            int mine = same_program(an, r.name, norm_name);
            if (mine && !g->display && !(g->display = strdup(r.name)))
                return SH_ERR_NOMEM;
            if (mine && r.successor_of[0] && strset_add(&g->successor_of, r.successor_of))
                return SH_ERR_NOMEM;
            if (!mine && r.successor_of[0] && same_program(an, r.successor_of, norm_name) &&
                strset_add(&g->succeeded_by, r.name))
                return SH_ERR_NOMEM;
        } else if (r.tag == SH_PROGREC_BUDGET && same_program(an, r.name, norm_name)) {
            program_budget *grown =
                sh_array_grow(g->budgets, &g->cap_budgets, g->nbudgets + 1, sizeof *grown);
            if (!grown)
                return SH_ERR_NOMEM;
            g->budgets = grown;
            program_budget *b = &g->budgets[g->nbudgets];
            b->fiscal_year = r.fiscal_year;
            b->kind = keep(g, r.kind);
            b->amount_yen = r.amount_yen;
            b->within = r.within;
            b->parent = keep(g, r.parent);
            b->file = keep(g, src->file);
            b->lines = keep(g, r.lines);
            b->measure = keep(g, src->measure);
            b->column = src->column;
            b->column_fiscal_year = src->column_fiscal_year;
            b->unit = keep(g, r.unit);
            b->title = keep(g, src->title);
            b->url = keep(g, src->url);
            b->meeting = keep(g, src->meeting);
            b->date = keep(g, src->date);
            if (!b->kind || !b->parent || !b->file || !b->lines || !b->measure || !b->unit ||
                !b->title || !b->url || !b->meeting || !b->date)
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
    m->meeting = keep(g, pr[PR_MEETING]);
    m->date = keep(g, pr[PR_DATE]);
    m->page = atoi(pr[PR_PAGE]);
    m->passages = 1;
    if (!m->file || !m->title || !m->url || !m->meeting || !m->date)
        return SH_ERR_NOMEM;
    g->nmaterials++;
    return SH_OK;
}

/* Order of kinds within a fiscal year: as a budget is made (request, proposal, budget, then
 * supplementary), then the rest by name. */
static int kind_rank(const char *kind)
{
    static const char *const order[] = {"request", "proposal", "budget", "supplementary_proposal",
                                        "supplementary", "settlement"};
    for (int i = 0; i < 6; i++)
        if (strcmp(kind, order[i]) == 0)
            return i;
    return 6;
}

static int compare_budgets(const void *a, const void *b)
{
    const program_budget *x = a, *y = b;
    if (x->fiscal_year != y->fiscal_year)
        return x->fiscal_year < y->fiscal_year ? -1 : 1;
    int c = kind_rank(x->kind) - kind_rank(y->kind);
    if (!c)
        c = strcmp(x->kind, y->kind);
    if (!c)
        c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->lines, y->lines);
}

/* Docids of the passages whose program extraction named the program (its R term), ascending. */
typedef struct docid_list {
    xap_docid *ids;
    size_t n, cap;
    int nomem;
} docid_list;

static int collect_docid(void *vctx, xap_docid id)
{
    docid_list *l = vctx;
    xap_docid *grown = sh_array_grow(l->ids, &l->cap, l->n + 1, sizeof *grown);
    if (!grown) {
        l->nomem = 1;
        return 1;
    }
    l->ids = grown;
    l->ids[l->n++] = id;
    return 0;
}

static int has_docid(const docid_list *l, xap_docid id)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->n && l->ids[lo] == id;
}

/* Value of a unit as written (千円 -> 1000, 百万円 -> 1000000), 0 when unknown. */
static long long unit_value(const char *unit)
{
    static const struct { const char *text; long long value; } parts[] = {
        {"十", 10}, {"百", 100}, {"千", 1000}, {"万", 10000}, {"億", 100000000LL},
        {"兆", 1000000000000LL}};
    long long v = 1;
    const char *p = unit;
    while (*p && strcmp(p, "円") != 0) {
        size_t i = 0;
        while (i < 6 && strncmp(p, parts[i].text, strlen(parts[i].text)) != 0)
            i++;
        if (i == 6)
            return 0;
        v *= parts[i].value;
        p += strlen(parts[i].text);
    }
    return *p ? v : 0;
}

/* How precisely a figure is stated: the largest power of ten dividing it, at most its unit
 * (85百万円 -> 1,000,000; 85,485千円 -> 1,000). */
static long long precision(const program_budget *b)
{
    long long cap = unit_value(b->unit), p = 1;
    if (cap <= 0)
        cap = 1000000;
    while (b->amount_yen > 0 && p < cap && b->amount_yen % (p * 10) == 0)
        p *= 10;
    return p;
}

/* Two statements of one figure: same year, kind and 内数, and the less precise one is the other
 * cut to its precision (a summary sheet's 44百万円 for 44,550千円). */
static int same_figure(const program_budget *a, long long a_precision, const program_budget *b)
{
    if (a->fiscal_year != b->fiscal_year || strcmp(a->kind, b->kind) != 0 ||
        a->within != b->within || a->amount_yen < 0 || b->amount_yen < 0)
        return 0;
    long long p = precision(b);
    if (a_precision > p)
        p = a_precision;
    long long d = a->amount_yen - b->amount_yen;
    return (d < 0 ? -d : d) < p;
}

/* The history from the sorted budget lines: one step per figure, the most precise statement
 * kept, and for a year's own money (request, proposal, budget) the change from the previous
 * fiscal year's budget (else its proposal). A supplementary budget adds to a year, so it has
 * none. */
static int build_history(gathered *g)
{
    if (!g->nbudgets)
        return SH_OK;
    if (!(g->history = calloc(g->nbudgets, sizeof *g->history)))
        return SH_ERR_NOMEM;
    long long *prec = calloc(g->nbudgets, sizeof *prec);
    if (!prec)
        return SH_ERR_NOMEM;
    for (size_t i = 0; i < g->nbudgets; i++) {
        const program_budget *b = &g->budgets[i];
        size_t k = 0;
        while (k < g->nhistory) {
            program_history *h = &g->history[k];
            program_budget as = *b;
            as.amount_yen = h->amount_yen;
            if (h->fiscal_year == b->fiscal_year && strcmp(h->kind, b->kind) == 0 &&
                same_figure(&as, prec[k], b))
                break;
            k++;
        }
        long long p = precision(b);
        if (k == g->nhistory) {
            g->history[g->nhistory++] = (program_history){b->fiscal_year, b->kind, b->amount_yen,
                                                          b->within, 0, 0, 0};
            prec[k] = p;
        } else if (p < prec[k]) {
            g->history[k].amount_yen = b->amount_yen;
            prec[k] = p;
        }
        g->history[k].sources++;
    }
    free(prec);
    for (size_t i = 0; i < g->nhistory; i++) {
        program_history *h = &g->history[i];
        const program_history *base = NULL;
        int initial = kind_rank(h->kind) <= 2; /* request, proposal, budget: the year's own */
        for (size_t k = 0; k < g->nhistory && initial && h->fiscal_year > 0 && !h->within; k++) {
            const program_history *c = &g->history[k];
            if (c->fiscal_year != h->fiscal_year - 1 || c->within || c->amount_yen < 0)
                continue;
            if (strcmp(c->kind, "budget") == 0 || (!base && strcmp(c->kind, "proposal") == 0))
                base = c;
        }
        if (base && h->amount_yen >= 0) {
            h->has_change = 1;
            h->change_yen = h->amount_yen - base->amount_yen;
        }
    }
    return SH_OK;
}

/* A meeting date as a sortable number: 令和6年9月10日, 2024/9/10, R6.9.10 -> 20240910; a date
 * without a year (3/17) sorts after dated ones by month and day; 99999999 when none. */
static long date_key(const char *date)
{
    era_match m;
    size_t len = strlen(date), from = 0;
    long year = 0;
    if (era_find_year(date, len, &m)) {
        year = m.year;
        from = m.start + m.len;
    }
    long parts[2] = {0, 0};
    int n = 0;
    for (size_t i = from; i < len && n < 2;) {
        if (date[i] >= '0' && date[i] <= '9') {
            long v = 0;
            while (i < len && date[i] >= '0' && date[i] <= '9' && v < 10000)
                v = v * 10 + (date[i++] - '0');
            parts[n++] = v;
        } else {
            i++;
        }
    }
    if (!year && !n)
        return 99999999L;
    return (year ? year : 9999) * 10000L + parts[0] * 100L + parts[1];
}

static int compare_materials(const void *a, const void *b)
{
    const program_material *x = a, *y = b;
    long kx = date_key(x->date), ky = date_key(y->date);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return strcmp(x->file, y->file);
}

/* The passages of a program: those whose text holds its name, and those it was read from
 * (its R term: a budget sheet whose name the layout made a heading). */
static int program_query(sh_analyzer *an, const char *norm_name, xap_query **out, char **errmsg)
{
    xap_query *parts[2] = {NULL, NULL};
    *out = NULL;
    int rc = terms_query_string(an, norm_name, strlen(norm_name), &parts[0], errmsg);
    const char *term = NULL;
    size_t term_len = 0;
    if (!rc)
        rc = terms_boolean_term(an, PFX_PROGRAM, norm_name, strlen(norm_name), &term, &term_len,
                                errmsg);
    if (!rc)
        rc = xap_query_term(term, term_len, 1, &parts[1], errmsg);
    if (!rc)
        rc = parts[0] ? xap_query_combine(XAP_OP_OR, parts, 2, 0, out, errmsg)
                      : (*out = parts[1], parts[1] = NULL, SH_OK);
    xap_query_destroy(parts[0]);
    xap_query_destroy(parts[1]);
    return rc;
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
    int rc = program_query(an, norm_name, &q, errmsg);
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
    /* Document order (page key, passage), not docids: materials, names and successors come out
     * the same however the passages are spread over shards and parts. */
    if (!rc)
        rc = xap_enquire_set_sort_by_value(enq, SLOT_ORDER, 0, errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, doccount, doccount, &mset, errmsg);
    unsigned ncand = rc ? 0 : xap_mset_size(mset), n = 0;
    unsigned long long mentions = 0;
    docid_list named = {0};
    const char *term = NULL;
    size_t term_len = 0;
    if (!rc)
        rc = terms_boolean_term(an, PFX_PROGRAM, norm_name, strlen(norm_name), &term, &term_len,
                                errmsg);
    if (!rc)
        rc = xap_db_postlist(db, term, term_len, collect_docid, &named, errmsg);
    if (!rc && named.nomem)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
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
        if (!rc && ok && (found || has_docid(&named, id))) {
            n++;
            mentions += found;
            const char *const *pr = search_page_record(s, id, f[PF_PAGEKEY], errmsg);
            if (!pr)
                rc = SH_ERR;
            source src = {pr ? pr[PR_PATH] : "", f[PF_MEASURE], pr ? pr[PR_TITLE] : "",
                          pr ? pr[PR_URL] : "", pr ? pr[PR_MEETING] : "", pr ? pr[PR_DATE] : "",
                          atoi(f[PF_COLUMN]), atoi(f[PF_FY])};
            if (!rc && (add_material(&g, pr) ||
                        read_records(an, &g, norm_name, (char *)f[PF_PROGRAMS], &src)))
                rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        }
        free(data);
    }
    if (!rc) {
        if (g.nbudgets > 1)
            qsort(g.budgets, g.nbudgets, sizeof *g.budgets, compare_budgets);
        if (g.nmaterials > 1)
            qsort(g.materials, g.nmaterials, sizeof *g.materials, compare_materials);
        if (build_history(&g))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    if (!rc) {
        program_row row = {g.display ? g.display : norm_name, (size_t)mentions, n, g.budgets,
                           g.nbudgets, (const char *const *)g.successor_of.items,
                           g.successor_of.n, (const char *const *)g.succeeded_by.items,
                           g.succeeded_by.n, g.materials, g.nmaterials, g.history, g.nhistory};
        rc = printer_program(p, &row);
    }
    gathered_free(&g);
    free(named.ids);
    xap_mset_destroy(mset);
    xap_enquire_destroy(enq);
    xap_query_destroy(q);
    return rc;
}

int programs_list(search_session *s, const char *pattern, printer *p, size_t *count,
                  char **errmsg)
{
    sh_strlist names = SH_STRLIST_INIT;
    *count = 0;
    int rc = catalog_programs(search_analyzer(s), search_db(s), pattern, &names, errmsg);
    if (!rc)
        rc = printer_programs_begin(p);
    for (size_t i = 0; i < names.n && !rc; i++)
        rc = list_one(s, names.items[i], p, errmsg);
    if (!rc)
        rc = printer_programs_end(p, names.n);
    if (!rc)
        *count = names.n;
    sh_strlist_free(&names);
    return rc;
}
