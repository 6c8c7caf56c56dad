/* search.c — enquire over the index, decode records, locate mentions through the normalization
 * offset map (so highlights index the original text), and feed the printer. */
#include "search.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/docset.h"
#include "shiryo/norm.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/terms.h"

#include <stdlib.h>
#include <string.h>

/* Page records are looked up once per page per run. */
#define PAGE_CACHE_SIZE 64

typedef struct page_entry {
    char key[17];
    char *record;               /* malloc'd, fields NUL-separated in place */
    const char *fields[PR_COUNT];
} page_entry;

struct search_session {
    xap_db *db;
    sh_analyzer *an;
    char *dir;
    page_entry cache[PAGE_CACHE_SIZE];
    size_t cache_next;
    sh_normtext nt;             /* the candidate being proven, normalized (then its highlights) */
    docset *deleted;            /* per shard: replaced passages (schema.h META_DELETED) */
    unsigned nshards;
    unsigned long long ndeleted;
};

sh_analyzer *search_analyzer(search_session *s) { return s->an; }
xap_db *search_db(search_session *s) { return s->db; }

static int check_identity(search_session *s, char **errmsg)
{
    const struct { const char *key, *value, *what; } ids[] = {
        {META_SCHEMA, SHIRYO_SCHEMA_VERSION, "index schema"},
        {META_ICU, sh_norm_icu_version(), "ICU version"},
        {META_DICT, sh_seg_dictionary_id(s->an->seg), "MeCab dictionary"},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *stored = NULL;
        size_t len = 0;
        int rc = xap_db_get_metadata(s->db, ids[i].key, strlen(ids[i].key), &stored, &len, errmsg);
        if (rc)
            return rc;
        if (len == 0)
            rc = sh_fail(errmsg, SH_ERR_CORRUPT,
                         "%s is not a shiryo index (no %s recorded): index files with shiryo-index",
                         s->dir, ids[i].what);
        else if (strcmp(stored, ids[i].value) != 0)
            rc = sh_fail(errmsg, SH_ERR_VERSION,
                         "%s was built with %s \"%s\" but this shiryo uses \"%s\": re-index with "
                         "shiryo-index --rebuild --index %s PATH...",
                         s->dir, ids[i].what, stored, ids[i].value, s->dir);
        free(stored);
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* (Re)reads every shard's deletion list. */
static int load_deleted(search_session *s, char **errmsg)
{
    unsigned n = xap_db_shard_count(s->db);
    if (n != s->nshards) {
        for (unsigned k = 0; k < s->nshards; k++)
            docset_free(&s->deleted[k]);
        free(s->deleted);
        s->nshards = 0;
        if (!(s->deleted = calloc(n ? n : 1, sizeof *s->deleted)))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        s->nshards = n;
    }
    s->ndeleted = 0;
    for (unsigned k = 0; k < n; k++) {
        char *text = NULL;
        size_t len = 0;
        int rc = xap_db_shard_get_metadata(s->db, k, META_DELETED, strlen(META_DELETED), &text,
                                           &len, errmsg);
        if (!rc && docset_parse(&s->deleted[k], text, len))
            rc = sh_fail(errmsg, SH_ERR_CORRUPT, "%s: the list of replaced passages is damaged: "
                         "rebuild the index with shiryo-index --rebuild", s->dir);
        free(text);
        if (rc)
            return rc;
        s->ndeleted += s->deleted[k].count;
    }
    return SH_OK;
}

/* Is combined docid id a replaced passage? */
static int is_deleted(const search_session *s, xap_docid id)
{
    if (!s->ndeleted || id == 0)
        return 0;
    unsigned k = (id - 1) % s->nshards;
    return docset_contains(&s->deleted[k], (id - 1) / s->nshards + 1);
}

int search_is_deleted(const search_session *s, xap_docid id) { return is_deleted(s, id); }

int search_literal_occurrences(search_session *s, const char *text, const char *literal,
                               size_t *occurrences, char **errmsg)
{
    *occurrences = 0;
    int rc = sh_norm_plain(s->an->norm, text, strlen(text), &s->nt, errmsg);
    if (!rc)
        *occurrences = verify_occurrences(s->nt.text, s->nt.len, literal, strlen(literal));
    return rc;
}

int search_open(const char *dir, search_session **out, char **errmsg)
{
    search_session *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir))) {
        free(s);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    int rc = xap_db_open(dir, &s->db, errmsg);
    if (rc == SH_ERR_NOTFOUND)
        sh_fail(errmsg, rc, "no index at %s: create it with shiryo-index --index %s PATH...", dir,
                dir);
    else if (rc == SH_ERR_CORRUPT) {
        char *why = errmsg && *errmsg ? strdup(*errmsg) : NULL;
        sh_fail(errmsg, rc, "%s is damaged or not a shiryo index (%s): give the --index of a "
                "shiryo index, or rebuild it with shiryo-index --rebuild", dir, why ? why : "?");
        free(why);
    }
    if (!rc)
        rc = sh_analyzer_open(NULL, &s->an, errmsg);
    if (!rc)
        rc = check_identity(s, errmsg);
    if (!rc)
        rc = load_deleted(s, errmsg);
    if (rc) {
        search_close(s);
        return rc;
    }
    *out = s;
    return SH_OK;
}

void search_close(search_session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < PAGE_CACHE_SIZE; i++)
        free(s->cache[i].record);
    xap_db_destroy(s->db);
    sh_analyzer_close(s->an);
    sh_normtext_free(&s->nt);
    for (unsigned k = 0; k < s->nshards; k++)
        docset_free(&s->deleted[k]);
    free(s->deleted);
    free(s->dir);
    free(s);
}

/* Splits record (len bytes, writable) at '\n' into n fields; missing fields become "". */
static int split_fields(char *record, size_t len, const char **fields, size_t n)
{
    size_t f = 0;
    char *p = record, *end = record + len;
    while (f < n) {
        fields[f++] = p;
        char *nl = f < n ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    size_t got = f;
    for (; f < n; f++)
        fields[f] = "";
    return got == n;
}

static const page_entry *page_lookup(search_session *s, const char *key, char **errmsg)
{
    for (size_t i = 0; i < PAGE_CACHE_SIZE; i++)
        if (s->cache[i].record && strcmp(s->cache[i].key, key) == 0)
            return &s->cache[i];
    page_entry *e = &s->cache[s->cache_next];
    s->cache_next = (s->cache_next + 1) % PAGE_CACHE_SIZE;
    free(e->record);
    e->record = NULL;
    char mkey[64];
    snprintf(mkey, sizeof mkey, "%s%s", META_PAGE_PREFIX, key);
    size_t len = 0;
    if (xap_db_get_metadata(s->db, mkey, strlen(mkey), &e->record, &len, errmsg))
        return NULL;
    snprintf(e->key, sizeof e->key, "%s", key);
    split_fields(e->record, len, e->fields, PR_COUNT);
    return e;
}

const char *const *search_page_record(search_session *s, const char *page_key, char **errmsg)
{
    static const char *const empty_fields[PR_COUNT] = {
        "", "", "", "", "", "", "", "", "", "", "", "", ""};
    const page_entry *pe = page_lookup(s, page_key, errmsg);
    if (!pe)
        return NULL;
    return pe->record ? pe->fields : empty_fields;
}

int search_passage_fields(char *data, size_t len, const char **fields)
{
    return split_fields(data, len, fields, PF_COUNT) && strcmp(fields[PF_MAGIC], PASSAGE_MAGIC) == 0;
}

/* Mentions: every occurrence of each normalized highlight string in the normalized passage
 * (s->nt, normalized by the proof), mapped back to original code points, sorted and merged so
 * they never overlap. */
static int find_mentions(search_session *s, const qbuild_result *q, result_span **out,
                         size_t *nout, char **errmsg)
{
    *out = NULL;
    *nout = 0;
    if (q->nhighlights == 0)
        return SH_OK;
    sh_normtext *nt = &s->nt;
    size_t cap = 0, n = 0;
    result_span *spans = NULL;
    for (size_t h = 0; h < q->nhighlights; h++) {
        const char *needle = q->highlights[h];
        size_t nlen = strlen(needle);
        for (size_t i = 0; i < nt->ncp; i++) {
            size_t b = nt->cp_byte[i];
            if (nt->len - b < nlen || memcmp(nt->text + b, needle, nlen) != 0)
                continue;
            size_t j = i;
            while (j < nt->ncp && nt->cp_byte[j] < b + nlen)
                j++;
            result_span *sp = sh_array_grow(spans, &cap, n + 1, sizeof *sp);
            if (!sp) {
                free(spans);
                return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            }
            spans = sp;
            spans[n].start = nt->src_start[i];
            spans[n].end = nt->src_end[j - 1];
            n++;
        }
    }
    /* Sort by start (insertion sort: mentions per passage are few), then merge overlaps. */
    for (size_t i = 1; i < n; i++) {
        result_span v = spans[i];
        size_t k = i;
        while (k > 0 && spans[k - 1].start > v.start) {
            spans[k] = spans[k - 1];
            k--;
        }
        spans[k] = v;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && spans[i].start < spans[m - 1].end) {
            if (spans[i].end > spans[m - 1].end)
                spans[m - 1].end = spans[i].end;
        } else {
            spans[m++] = spans[i];
        }
    }
    *out = spans;
    *nout = m;
    return SH_OK;
}

/* Parses "name:1,name:0" into ministries (pointers into the writable string). */
static size_t parse_ministries(char *s, result_ministry *out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strrchr(tok, ':');
        if (!colon)
            continue;
        *colon = '\0';
        out[n].name = tok;
        out[n].lead = colon[1] == '1';
        n++;
    }
    return n;
}

static size_t parse_lines(const char *s, unsigned *lines, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        char *end = NULL;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s)
            break;
        lines[n++] = (unsigned)v;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

#define MAX_RESULT_LINES 4096

/* A candidate's record: data (malloc'd) split into fields. */
typedef struct candidate {
    char *data;
    const char *f[PF_COUNT];
} candidate;

/* Reads candidate doc (combined docid id), normalizes its text into s->nt (with the offset map
 * when mapped, for highlights) and proves it against q: *passed = 1 when it is a match. c->data
 * is the caller's to free. */
static int prove(search_session *s, xap_doc *doc, xap_docid id, const qbuild_result *q,
                 int mapped, candidate *c, int *passed, char **errmsg)
{
    size_t len = 0;
    *passed = 0;
    int rc = xap_doc_get_data(doc, &c->data, &len, errmsg);
    if (rc)
        return rc;
    if (!split_fields(c->data, len, c->f, PF_COUNT) || strcmp(c->f[PF_MAGIC], PASSAGE_MAGIC) != 0)
        return sh_fail(errmsg, SH_ERR_CORRUPT,
                       "%s holds a passage record this shiryo cannot read: re-index with "
                       "shiryo-index --rebuild", s->dir);
    const char *text = c->f[PF_TEXT];
    rc = mapped ? sh_norm_text(s->an->norm, text, strlen(text), &s->nt, errmsg)
                : sh_norm_plain(s->an->norm, text, strlen(text), &s->nt, errmsg);
    if (!rc)
        *passed = verify_match(q->verify, s->nt.text, s->nt.len, id);
    return rc;
}

/* Mentions of q's positive strings in the proven passage (s->nt), overlapping ones apart. */
static size_t text_occurrences(const search_session *s, const qbuild_result *q)
{
    size_t n = 0;
    for (size_t h = 0; h < q->nhighlights; h++)
        n += verify_occurrences(s->nt.text, s->nt.len, q->highlights[h], strlen(q->highlights[h]));
    return n;
}

/* Prints a proven candidate. */
static int emit_document(search_session *s, candidate *c, size_t rank, double score,
                         const qbuild_result *q, printer *p, size_t *mentions, char **errmsg)
{
    const char **f = c->f;
    const page_entry *pe = page_lookup(s, f[PF_PAGEKEY], errmsg);
    if (!pe)
        return SH_ERR;
    static const char *const empty_fields[PR_COUNT];
    const char *const *pr = pe->record ? pe->fields : empty_fields;
    unsigned *lines = malloc(MAX_RESULT_LINES * sizeof *lines);
    result_ministry ministries[16];
    result r = {0};
    if (!lines)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    r.rank = rank;
    r.score = score;
#define PR(field) (pr[field] ? pr[field] : "")
    r.file = PR(PR_PATH);
    r.title = PR(PR_TITLE);
    r.material = PR(PR_MATERIAL);
    r.page = atoi(PR(PR_PAGE));
    r.url = PR(PR_URL);
    r.source = PR(PR_SOURCE);
    r.meeting = PR(PR_MEETING);
    r.session = PR(PR_SESSION);
    r.date = PR(PR_DATE);
    r.publisher = PR(PR_PUBLISHER);
#undef PR
    r.lines = lines;
    r.nlines = parse_lines(f[PF_LINES], lines, MAX_RESULT_LINES);
    r.section = f[PF_SECTION];
    r.measure = f[PF_MEASURE];
    r.column = atoi(f[PF_COLUMN]);
    r.column_label = f[PF_COLUMN_LABEL];
    r.fiscal_year = atoi(f[PF_FY]);
    r.fiscal_year_label = f[PF_FY_LABEL];
    r.ministries = ministries;
    r.nministries = parse_ministries((char *)f[PF_MINISTRIES], ministries, 16);
    r.text = f[PF_TEXT];
    int rc = find_mentions(s, q, &r.highlights, &r.nhighlights, errmsg);
    if (!rc) {
        *mentions += r.nhighlights;
        if (p)
            printer_result(p, &r);
    }
    free(r.highlights);
    free(lines);
    return rc;
}

/* ---- facets ---- */

typedef struct facet_acc {
    facet_list list;
    size_t cap;
} facet_acc;

static int facet_add(facet_acc *acc, const char *value, size_t len, size_t count)
{
    for (size_t i = 0; i < acc->list.n; i++)
        if (strlen(acc->list.values[i].value) == len &&
            memcmp(acc->list.values[i].value, value, len) == 0) {
            acc->list.values[i].count += count;
            return SH_OK;
        }
    facet_value *v = sh_array_grow(acc->list.values, &acc->cap, acc->list.n + 1, sizeof *v);
    if (!v)
        return SH_ERR_NOMEM;
    acc->list.values = v;
    char *copy = strndup(value, len);
    if (!copy)
        return SH_ERR_NOMEM;
    acc->list.values[acc->list.n].value = copy;
    acc->list.values[acc->list.n].count = count;
    acc->list.n++;
    return SH_OK;
}

typedef struct spy_ctx {
    facet_acc *acc;
    int split;   /* values are "、"-joined lists (ministries): count each member */
    int failed;
} spy_ctx;

static int spy_value(void *vctx, const char *value, size_t len, unsigned count)
{
    spy_ctx *ctx = vctx;
    if (len == 0)
        return 0;
    if (!ctx->split) {
        ctx->failed |= facet_add(ctx->acc, value, len, count) != SH_OK;
        return ctx->failed;
    }
    const char *sep = "、";
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || (len - i >= 3 && memcmp(value + i, sep, 3) == 0)) {
            if (i > start)
                ctx->failed |= facet_add(ctx->acc, value + start, i - start, count) != SH_OK;
            start = i + 3;
            if (i < len)
                i += 2;
        }
    }
    return ctx->failed;
}

static int compare_facets(const void *a, const void *b)
{
    const facet_value *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

#define NFACETS 3
static const struct {
    const char *name;
    unsigned slot;
    int split;
} facet_keys[NFACETS] = {
    {"fiscal_year", SLOT_FY, 0},
    {"measure", SLOT_MEASURE, 0},
    {"ministry", SLOT_MINISTRY, 1},
};

void search_summary_free(summary *sum)
{
    if (!sum || !sum->facets)
        return;
    facet_list *lists = (facet_list *)sum->facets;
    for (size_t f = 0; f < sum->nfacets; f++) {
        for (size_t i = 0; i < lists[f].n; i++)
            free((char *)lists[f].values[i].value);
        free(lists[f].values);
    }
    free(lists);
    sum->facets = NULL;
    sum->nfacets = 0;
}

/* Moves the accumulated counts into sum, most frequent first. */
static int finish_facets(facet_acc *accs, summary *sum, char **errmsg)
{
    facet_list *lists = calloc(NFACETS, sizeof *lists);
    if (!lists)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (size_t f = 0; f < NFACETS; f++) {
        lists[f] = accs[f].list;
        lists[f].name = facet_keys[f].name;
        memset(&accs[f], 0, sizeof accs[f]);
        if (lists[f].n > 1)
            qsort(lists[f].values, lists[f].n, sizeof *lists[f].values, compare_facets);
    }
    sum->facets = lists;
    sum->nfacets = NFACETS;
    return SH_OK;
}

/* Adds the spies' counts (exact candidates: every candidate is a match). */
static int spies_to_facets(xap_spy **spies, facet_acc *accs, char **errmsg)
{
    for (size_t f = 0; f < NFACETS; f++) {
        spy_ctx ctx = {&accs[f], facet_keys[f].split, 0};
        int rc = xap_spy_values(spies[f], spy_value, &ctx, errmsg);
        if (!rc && ctx.failed)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* Counts one proven match's facet values. */
static int doc_to_facets(xap_doc *doc, facet_acc *accs, char **errmsg)
{
    for (size_t f = 0; f < NFACETS; f++) {
        char *value = NULL;
        size_t len = 0;
        int rc = xap_doc_get_value(doc, facet_keys[f].slot, &value, &len, errmsg);
        spy_ctx ctx = {&accs[f], facet_keys[f].split, 0};
        if (!rc)
            spy_value(&ctx, value, len, 1);
        free(value);
        if (!rc && ctx.failed)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        if (rc)
            return rc;
    }
    return SH_OK;
}

static void facets_free(facet_acc *accs)
{
    for (size_t f = 0; f < NFACETS; f++) {
        for (size_t i = 0; i < accs[f].list.n; i++)
            free((char *)accs[f].list.values[i].value);
        free(accs[f].list.values);
    }
}

/* Candidates per round for a top-N list: N plus slack for candidates the proof rejects; each
 * further round (Xapian matches from scratch) asks for twice as many. */
#define FIRST_ROUND(n) ((n) + (n) / 2 + 8)

/* What one run gathers over its scans of candidates. */
typedef struct scan_state {
    const qbuild_result *q;
    const search_opts *opts;
    printer *p;
    summary *sum;
    int count_only, doc_order, every, prove_text, text_counts, read_docs, facets_by_doc;
    int count_by_text;     /* mentions counted in the proven text, else from the bigrams' wdf */
    size_t target, print_max;
    size_t proven, checked, printed;
    facet_acc accs[NFACETS];
    xap_docid *ids;        /* matches whose mentions are counted from the wdf */
    size_t nids, ids_cap;
} scan_state;

/* Walks the candidates of query under enq's weighting and order, in rounds, until st->target
 * proven matches or the candidates run out (*exhausted). ranked_score: print Xapian's weights. */
static int scan(search_session *s, xap_enquire *enq, const xap_query *query, int ranked_score,
                unsigned doccount, scan_state *st, int *exhausted, size_t *estimate,
                int *estimate_exact, char **errmsg)
{
    xap_mset *mset = NULL;
    int rc = xap_enquire_set_query(enq, query, errmsg);
    unsigned first = 0, round = st->every ? doccount : (unsigned)FIRST_ROUND(st->target);
    *exhausted = 0;
    while (!rc && !*exhausted && st->proven < st->target) {
        xap_mset_destroy(mset);
        mset = NULL;
        unsigned check = (st->every || st->opts->exact_total) ? doccount : first + round;
        rc = xap_enquire_get_mset(enq, first, round, check, &mset, errmsg);
        unsigned n = rc ? 0 : xap_mset_size(mset);
        *exhausted = st->every || n < round;
        if (!rc && first == 0) {
            *estimate = xap_mset_matches_estimated(mset);
            *estimate_exact = xap_mset_matches_lower(mset) == xap_mset_matches_upper(mset);
        }
        for (unsigned i = 0; i < n && !rc && st->proven < st->target; i++) {
            xap_docid id;
            double w;
            rc = xap_mset_item(mset, i, &id, &w, errmsg);
            st->checked++;
            if (rc || is_deleted(s, id))
                continue;
            if (st->count_only && !st->count_by_text) { /* counted later from the wdf */
                xap_docid *grown = sh_array_grow(st->ids, &st->ids_cap, st->nids + 1, sizeof *grown);
                if (!grown) {
                    rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
                    break;
                }
                st->ids = grown;
                st->ids[st->nids++] = id;
            }
            if (!st->read_docs) {
                st->proven++;
                continue;
            }
            xap_doc *doc = NULL;
            candidate c = {0};
            int passed = 1;
            rc = xap_mset_document(mset, i, &doc, errmsg);
            if (!rc && (st->count_by_text || st->p))
                rc = prove(s, doc, id, st->q, st->p != NULL, &c, &passed, errmsg);
            if (!rc && passed) {
                st->proven++;
                if (st->count_only && st->count_by_text)
                    st->sum->mentions += text_occurrences(s, st->q);
                if (st->facets_by_doc)
                    rc = doc_to_facets(doc, st->accs, errmsg);
                if (!rc && st->printed < st->print_max) {
                    st->printed++;
                    rc = emit_document(s, &c, st->printed, ranked_score ? w : 0.0, st->q, st->p,
                                       &st->sum->mentions, errmsg);
                }
            }
            free(c.data);
            xap_doc_destroy(doc);
        }
        first += n;
        if (round < doccount / 2)
            round *= 2;
        else
            round = doccount ? doccount : 1;
    }
    xap_mset_destroy(mset);
    return rc;
}

/* One attempt; SH_ERR_MODIFIED asks the caller to reopen and retry.
 * Candidates come from Xapian (local or remote shards alike); each is proven here on its text
 * (and checked against the deletion lists) unless the candidates are known to be exact. */
static int run_once(search_session *s, const qbuild_result *q, const search_opts *opts,
                    printer *p, summary *sum, char **errmsg)
{
    xap_enquire *enq = NULL;
    xap_query *all = NULL, *rest = NULL;
    xap_spy *spies[NFACETS] = {NULL};
    unsigned doccount = 0;
    scan_state st;
    memset(&st, 0, sizeof st);
    st.q = q;
    st.opts = opts;
    st.p = p;
    st.sum = sum;
    search_summary_free(sum);
    memset(sum, 0, sizeof *sum);
    int rc = xap_db_doccount(s->db, &doccount, errmsg);
    if (!rc)
        rc = xap_enquire_new(s->db, &enq, errmsg);
    const xap_query *query = q->query;
    if (!rc && !query) {
        rc = xap_query_match_all(&all, errmsg);
        query = all;
    }
    /* Counting only: no order needed, docids ascending is cheapest and what counting wants. */
    st.count_only = !p && opts->count_mentions;
    /* Document order (filters only, or --all without --sort rank): path, then passage number. */
    st.doc_order = !q->has_text || (opts->all && !opts->sort_rank);
    if (!rc && st.count_only) {
        rc = xap_enquire_set_boolean(enq, errmsg);
        if (!rc)
            rc = xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, errmsg);
    } else if (!rc && st.doc_order) {
        rc = xap_enquire_set_boolean(enq, errmsg);
        if (!rc)
            rc = xap_enquire_set_sort_by_value(enq, SLOT_ORDER, 0, errmsg);
    } else if (!rc) {
        rc = xap_enquire_set_bm25(enq, TERMS_BM25_K1, 0.0, 1.0, TERMS_BM25_B, 0.5, errmsg);
        if (!rc)
            rc = xap_enquire_set_order(enq, XAP_ORDER_RELEVANCE, errmsg);
    }
    /* The text must be read and proven unless the candidates are the matches. Replaced passages
     * are skipped by docid without reading them. */
    st.prove_text = !q->exact;
    int exact_candidates = q->exact && !s->ndeleted;
    int use_spies = opts->facets && exact_candidates;
    st.facets_by_doc = opts->facets && !use_spies;
    for (size_t f = 0; f < NFACETS && use_spies && !rc; f++) {
        rc = xap_spy_new(facet_keys[f].slot, &spies[f], errmsg);
        if (!rc)
            rc = xap_enquire_add_spy(enq, spies[f], errmsg);
    }
    /* Every candidate is checked when every match is printed or counted, or for facets and exact
     * totals; a top-N list (or -q, which needs one match) stops at N proven matches. */
    st.every = opts->all || opts->count_mentions || opts->limit == 0 || opts->facets ||
               opts->exact_total;
    st.print_max = !p ? 0 : (opts->all || opts->limit == 0) ? (size_t)-1 : opts->limit;
    st.target = st.every ? (size_t)-1 : p ? st.print_max : 1;
    /* Counting an exact query of two-code-point strings reads no document: the bigrams' wdf
     * are the mentions. */
    for (size_t h = 0; h < q->nhighlights && opts->count_mentions; h++)
        st.text_counts |= !terms_literal_counted(q->highlights[h]);
    st.count_by_text = st.prove_text || st.text_counts;
    st.read_docs = p || st.count_by_text || st.facets_by_doc;
    int exhausted = 0, estimate_exact = 0;
    size_t estimate = 0;
    if (!rc && q->ranked && !st.every && !st.doc_order && !st.count_only) {
        /* A top-N list of one code point: its words rank the proven matches exactly as the
         * candidates would, without matching every bigram that starts with it; should fewer
         * than N be found, the unweighted candidates follow in docid order. */
        rc = scan(s, enq, q->ranked, 1, doccount, &st, &exhausted, &estimate, &estimate_exact,
                  errmsg);
        if (!rc && exhausted && st.proven < st.target) {
            xap_query *pair[2] = {(xap_query *)query, q->ranked};
            size_t ignored = 0;
            rc = xap_query_combine(XAP_OP_AND_NOT, pair, 2, 0, &rest, errmsg);
            if (!rc)
                rc = xap_enquire_set_boolean(enq, errmsg);
            if (!rc)
                rc = xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, errmsg);
            if (!rc)
                rc = scan(s, enq, rest, 0, doccount, &st, &exhausted, &ignored, &estimate_exact,
                          errmsg);
            estimate += ignored;
        }
        exact_candidates = 0; /* the estimate is the words' */
    } else if (!rc) {
        rc = scan(s, enq, query, !st.doc_order, doccount, &st, &exhausted, &estimate,
                  &estimate_exact, errmsg);
    }
    sum->total = estimate;
    sum->total_exact = estimate_exact;
    if (!rc && (st.every || exhausted)) {
        sum->total = st.proven;
        sum->total_exact = 1;
    } else if (!rc && !exact_candidates && st.checked > 0) {
        /* Stopped at N: the candidates' estimate, scaled by the share the proof kept. */
        double est = (double)estimate * (double)st.proven / (double)st.checked;
        sum->total = est < (double)st.proven ? st.proven : (size_t)est;
        sum->total_exact = 0;
    }
    if (!rc && st.count_only && !st.count_by_text) {
        unsigned long long total = 0;
        for (size_t h = 0; h < q->nhighlights && !rc; h++)
            rc = terms_count_occurrences(s->an, s->db, q->highlights[h], st.ids, st.nids, &total,
                                         errmsg);
        sum->mentions = (size_t)total;
    }
    if (!rc)
        sum->have_mentions = opts->count_mentions;
    if (!rc && use_spies)
        rc = spies_to_facets(spies, st.accs, errmsg);
    if (!rc && opts->facets)
        rc = finish_facets(st.accs, sum, errmsg);
    facets_free(st.accs);
    free(st.ids);
    for (size_t f = 0; f < NFACETS; f++)
        xap_spy_destroy(spies[f]);
    xap_query_destroy(rest);
    xap_query_destroy(all);
    xap_enquire_destroy(enq);
    return rc;
}

int search_run(search_session *s, const qbuild_result *q, const search_opts *opts, printer *p,
               summary *sum, char **errmsg)
{
    memset(sum, 0, sizeof *sum);
    /* --count of one word of one or two characters: the term's own statistics, no matching
     * (exact only while no passage was replaced). */
    if (!p && opts->count_mentions && !opts->facets && q->single_text && !s->ndeleted) {
        unsigned long long occurrences = 0;
        size_t passages = 0;
        int status = SH_OK;
        if (terms_whole_index_counts(s->an, s->db, q->highlights[0], &passages, &occurrences,
                                     errmsg, &status)) {
            sum->total = passages;
            sum->total_exact = 1;
            sum->mentions = (size_t)occurrences;
            sum->have_mentions = 1;
            return status;
        }
    }
    int rc = run_once(s, q, opts, p, sum, errmsg);
    for (int attempt = 0; rc == SH_ERR_MODIFIED && attempt < 3; attempt++) {
        /* A writer committed meanwhile: reopen at the new revision and run again. */
        rc = xap_db_reopen(s->db, NULL, errmsg);
        if (!rc)
            rc = load_deleted(s, errmsg);
        if (!rc)
            rc = run_once(s, q, opts, p, sum, errmsg);
    }
    return rc;
}
