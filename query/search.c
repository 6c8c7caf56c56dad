/* search.c — enquire over the index, decode records, locate mentions through the normalization
 * offset map (so highlights index the original text), and feed the printer. */
#include "search.h"

#include "partial.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/ixdir.h"
#include "shiryo/norm.h"
#include "shiryo/recfield.h"
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
    /* Several parts: each part's database (db combines them) and name (a copy), whether it is
     * remote, and the part each shard of db comes from (docid d is in shard (d-1) % nshards). */
    xap_db **part_dbs;
    char **part_names;
    unsigned char *part_remote;
    size_t nparts;
    size_t *shard_part;
    unsigned nshards;
    page_entry cache[PAGE_CACHE_SIZE];
    size_t cache_next;
    sh_normtext nt;             /* scratch for highlights */
};

sh_analyzer *search_analyzer(search_session *s) { return s->an; }
xap_db *search_db(search_session *s) { return s->db; }

/* Checks that db (named name; p when it is one part of several) was built with this schema,
 * ICU and dictionary. */
static int check_identity(search_session *s, xap_db *db, const char *name, const part *p,
                          char **errmsg)
{
    const struct { const char *key, *value, *what; } ids[] = {
        {META_SCHEMA, SHIRYO_SCHEMA_VERSION, "index schema"},
        {META_ICU, sh_norm_icu_version(), "ICU version"},
        {META_DICT, sh_seg_dictionary_id(s->an->seg), "MeCab dictionary"},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *stored = NULL;
        size_t len = 0;
        int rc = xap_db_get_metadata(db, ids[i].key, strlen(ids[i].key), &stored, &len, errmsg);
        if (rc) /* a part not answering is named by the caller */
            return p && rc != SH_ERR_NETWORK ? parts_fail(p, rc, errmsg) : rc;
        if (len == 0 && p && p->host)
            rc = sh_fail(errmsg, SH_ERR_CORRUPT,
                         "part %s is not a shiryo index (no %s recorded): serve the shards of a "
                         "directory built by shiryo-index (README: Several hosts)", name,
                         ids[i].what);
        else if (len == 0)
            rc = sh_fail(errmsg, SH_ERR_CORRUPT,
                         "%s is not a shiryo index (no %s recorded): index files with shiryo-index",
                         name, ids[i].what);
        else if (strcmp(stored, ids[i].value) != 0 && p && p->host)
            rc = sh_fail(errmsg, SH_ERR_VERSION,
                         "part %s was built with %s \"%s\" but this shiryo uses \"%s\": re-index "
                         "its folders on its host with shiryo-index --rebuild --index DIR PATH... "
                         "and restart its xapian-tcpsrv", name, ids[i].what, stored, ids[i].value);
        else if (strcmp(stored, ids[i].value) != 0)
            rc = sh_fail(errmsg, SH_ERR_VERSION,
                         "%s was built with %s \"%s\" but this shiryo uses \"%s\": re-index with "
                         "shiryo-index --rebuild --index %s PATH...",
                         name, ids[i].what, stored, ids[i].value, name);
        free(stored);
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* Opens the index at dir with a message that names it and says what to do: creating a missing
 * or empty one, permission for one this user cannot read, repair only for damage. */
static int open_index(const char *dir, xap_db **db, char **errmsg)
{
    int kind = ixdir_kind(dir);
    switch (kind) {
    case IXDIR_MISSING:
        return sh_fail(errmsg, SH_ERR_NOTFOUND, "no index at %s: create it with shiryo-index "
                       "--index %s PATH...", dir, dir);
    case IXDIR_EMPTY:
        return sh_fail(errmsg, SH_ERR_NOTFOUND, "index %s is empty (nothing indexed yet): fill "
                       "it with shiryo-index --index %s PATH...", dir, dir);
    case IXDIR_UNREADABLE:
        return sh_fail(errmsg, SH_ERR_PERM, "index %s: permission denied: ask its owner for read "
                       "access, or give another --index", dir);
    default:
        break; /* anything Xapian opens may be a shiryo index: check_identity decides */
    }
    int rc = xap_db_open(dir, db, errmsg);
    if (!rc)
        return SH_OK;
    char *why = errmsg && *errmsg ? strdup(*errmsg) : NULL;
    const char *cause = why ? why : sh_status_str(rc);
    if (rc == SH_ERR_PERM)
        sh_fail(errmsg, rc, "index %s: permission denied (%s): ask its owner for read access, or "
                "give another --index", dir, cause);
    else if (rc == SH_ERR_NOMEM)
        sh_fail(errmsg, rc, "index %s: out of memory opening it", dir);
    else if (kind == IXDIR_NOTDIR)
        sh_fail(errmsg, rc = SH_ERR_INVALID, "--index %s is a file, not an index directory: give "
                "the directory shiryo-index wrote", dir);
    else if (kind == IXDIR_FOREIGN)
        sh_fail(errmsg, rc = SH_ERR_CORRUPT, "%s is not a shiryo index (no %s marker, and it "
                "holds other files): give the --index directory shiryo-index wrote", dir,
                IXDIR_MARKER);
    else if (rc != SH_ERR_MODIFIED)
        sh_fail(errmsg, rc = SH_ERR_CORRUPT, "index %s is damaged (%s): see what is wrong with "
                "shiryo-query --check --index %s, repair it with shiryo-index --rebuild --index "
                "%s PATH...", dir, cause, dir, dir);
    free(why);
    return rc;
}

/* Opens part p (a directory or a server) and checks its identity. */
static int open_part(search_session *s, const parts *ps, const part *p, int alone, xap_db **db,
                     char **errmsg)
{
    int rc = p->host ? parts_connect(ps, p, db, errmsg) : open_index(p->name, db, errmsg);
    if (!rc)
        rc = check_identity(s, *db, p->name, alone && !p->host ? NULL : p, errmsg);
    return rc;
}

/* Combines the opened parts into s->db and records which part each shard comes from. */
static int combine_parts(search_session *s, char **errmsg)
{
    int rc = xap_db_combine(s->part_dbs, s->nparts, &s->db, errmsg);
    if (!rc)
        s->nshards = xap_db_shard_count(s->db);
    if (!rc && !(s->shard_part = calloc(s->nshards ? s->nshards : 1, sizeof *s->shard_part)))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (size_t i = 0, at = 0; !rc && i < s->nparts; i++)
        for (unsigned k = xap_db_shard_count(s->part_dbs[i]); k > 0 && at < s->nshards; k--)
            s->shard_part[at++] = i;
    return rc;
}

/* The part holding docid, or NULL with one index. */
static const char *part_of(const search_session *s, xap_docid docid, int *remote)
{
    *remote = 0;
    if (!s->nparts || !s->nshards || !docid)
        return NULL;
    size_t i = s->shard_part[(docid - 1) % s->nshards];
    *remote = s->part_remote[i];
    return s->part_names[i];
}

int search_open_parts(parts *ps, int partial, search_session **out, char **errmsg)
{
    size_t cap = ps->n ? ps->n : 1;
    search_session *s = calloc(1, sizeof *s);
    if (!s || !(s->part_dbs = calloc(cap, sizeof *s->part_dbs)) ||
        !(s->part_names = calloc(cap, sizeof *s->part_names)) ||
        !(s->part_remote = calloc(cap, sizeof *s->part_remote)) ||
        !(s->dir = strdup(ps->n == 1 ? ps->items[0].name : "the parts of this search"))) {
        search_close(s);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    int alone = ps->n == 1, rc = sh_analyzer_open(NULL, &s->an, errmsg);
    for (size_t i = 0; i < ps->n && !rc; i++) {
        part *p = &ps->items[i];
        if (p->missing)
            continue;
        xap_db *db = NULL;
        rc = open_part(s, ps, p, alone, &db, errmsg);
        if (rc == SH_ERR_NETWORK && !partial)
            parts_fail(p, rc, errmsg);
        if (rc == SH_ERR_NETWORK && partial) {
            /* Left out: the answer says so. */
            p->missing = errmsg && *errmsg ? *errmsg : strdup(sh_status_str(rc));
            if (errmsg)
                *errmsg = NULL;
            rc = SH_OK;
            xap_db_destroy(db);
            continue;
        }
        if (!rc && !(s->part_names[s->nparts] = strdup(p->name)))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        if (rc) {
            xap_db_destroy(db);
            break;
        }
        s->part_remote[s->nparts] = p->host != NULL;
        s->part_dbs[s->nparts++] = db;
    }
    if (!rc && s->nparts == 0)
        rc = sh_fail(errmsg, SH_ERR_NETWORK, "no part of the search answered: start their "
                     "xapian-tcpsrv (README: Several hosts)");
    if (!rc && s->nparts == 1 && alone && !ps->items[0].host) {
        s->db = s->part_dbs[0]; /* one index: used as it is */
        s->part_dbs[0] = NULL;
    } else if (!rc) {
        rc = combine_parts(s, errmsg);
    }
    if (rc) {
        search_close(s);
        return rc;
    }
    *out = s;
    return SH_OK;
}

int search_open(const char *dir, search_session **out, char **errmsg)
{
    parts ps = {0};
    int rc = parts_add(&ps, dir, errmsg);
    if (!rc)
        rc = search_open_parts(&ps, 0, out, errmsg);
    parts_free(&ps);
    return rc;
}

void search_close(search_session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < PAGE_CACHE_SIZE; i++)
        free(s->cache[i].record);
    xap_db_destroy(s->db);
    for (size_t i = 0; i < s->nparts; i++) {
        xap_db_destroy(s->part_dbs[i]);
        free(s->part_names[i]);
    }
    free(s->part_dbs);
    free(s->part_names);
    free(s->part_remote);
    free(s->shard_part);
    sh_analyzer_close(s->an);
    sh_normtext_free(&s->nt);
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

/* The page record of key, read from the shard holding docid (0: ask each shard in turn). */
static const page_entry *page_lookup(search_session *s, xap_docid docid, const char *key,
                                     char **errmsg)
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
    int remote = 0;
    const char *part = part_of(s, docid, &remote);
    int rc = docid ? xap_db_get_doc_metadata(s->db, docid, mkey, strlen(mkey), &e->record, &len,
                                             errmsg)
                   : xap_db_get_metadata(s->db, mkey, strlen(mkey), &e->record, &len, errmsg);
    if (rc == SH_ERR_NETWORK && part)
        sh_fail_prefix(errmsg, rc, part);
    if (!rc && len == 0 && remote) {
        /* xapian-tcpsrv serving several shards answers metadata from the first one only. */
        free(e->record);
        e->record = NULL;
        sh_fail(errmsg, SH_ERR_CORRUPT,
                "part %s holds passages but not their page records: serve each shard of an "
                "index with its own xapian-tcpsrv, not the index directory (README: Several "
                "hosts)", part);
        return NULL;
    }
    if (rc)
        return NULL;
    snprintf(e->key, sizeof e->key, "%s", key);
    split_fields(e->record, len, e->fields, PR_COUNT);
    sh_recfield_decode((char *)e->fields[PR_PATH]);
    return e;
}

const char *const *search_page_record(search_session *s, xap_docid docid, const char *page_key,
                                      char **errmsg)
{
    static const char *const empty_fields[PR_COUNT] = {
        "", "", "", "", "", "", "", "", "", "", "", "", ""};
    const page_entry *pe = page_lookup(s, docid, page_key, errmsg);
    if (!pe)
        return NULL;
    return pe->record ? pe->fields : empty_fields;
}

int search_passage_fields(char *data, size_t len, const char **fields)
{
    return split_fields(data, len, fields, PF_COUNT) && strcmp(fields[PF_MAGIC], PASSAGE_MAGIC) == 0;
}

/* Mentions: every occurrence of each normalized highlight string in the normalized passage,
 * mapped back to original code points, sorted and merged so they never overlap. */
static int find_mentions(search_session *s, const char *text, const qbuild_result *q,
                         result_span **out, size_t *nout, size_t *per_highlight, char **errmsg)
{
    *out = NULL;
    *nout = 0;
    if (q->nhighlights == 0)
        return SH_OK;
    sh_normtext *nt = &s->nt;
    int rc = sh_norm_text(s->an->norm, text, strlen(text), nt, errmsg);
    if (rc)
        return rc;
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
            per_highlight[h]++;
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

/* How a printed passage matched: exact, or partial with the words it lacks. */
typedef struct match_mark {
    const char *match;
    const char *const *missing;
    size_t nmissing;
} match_mark;

static const match_mark exact_mark = {"exact", NULL, 0};

static int emit_document(search_session *s, xap_docid docid, xap_doc *doc, size_t rank,
                         double score, const qbuild_result *q, const match_mark *mark, printer *p,
                         size_t *mentions, size_t *form_mentions, char **errmsg)
{
    char *data = NULL;
    size_t len = 0;
    int rc = xap_doc_get_data(doc, &data, &len, errmsg);
    if (rc)
        return rc;
    const char *f[PF_COUNT];
    if (!split_fields(data, len, f, PF_COUNT) || strcmp(f[PF_MAGIC], PASSAGE_MAGIC) != 0) {
        free(data);
        int remote = 0;
        const char *part = part_of(s, docid, &remote);
        return sh_fail(errmsg, SH_ERR_CORRUPT,
                       "%s holds a passage record this shiryo cannot read: re-index with "
                       "shiryo-index --rebuild", part ? part : s->dir);
    }
    const page_entry *pe = page_lookup(s, docid, f[PF_PAGEKEY], errmsg);
    if (!pe) {
        free(data);
        return SH_ERR;
    }
    static const char *const empty_fields[PR_COUNT];
    const char *const *pr = pe->record ? pe->fields : empty_fields;
    unsigned *lines = malloc(MAX_RESULT_LINES * sizeof *lines);
    result_ministry ministries[16];
    result r = {0};
    if (!lines) {
        free(data);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    r.rank = rank;
    r.score = score;
    r.match = mark->match;
    r.missing = mark->missing;
    r.nmissing = mark->nmissing;
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
    r.joint = PR(PR_JOINT);
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
    /* Which of the query's strings (and expanded ministry tags) this passage holds. */
    size_t nh = q->nhighlights;
    size_t *found = calloc(nh + 1, sizeof *found);
    const char **forms = calloc(nh + q->nministry_forms + 1, sizeof *forms);
    char tag_forms[8][128];
    if (!found || !forms)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = find_mentions(s, r.text, q, &r.highlights, &r.nhighlights, found, errmsg);
    for (size_t h = 0; !rc && h < nh; h++) {
        if (found[h])
            forms[r.nmatched_forms++] = q->highlights[h];
        if (form_mentions)
            form_mentions[h] += found[h];
    }
    for (size_t m = 0; !rc && m < q->nministry_forms; m++)
        for (size_t k = 0; k < r.nministries; k++)
            if (strcmp(r.ministries[k].name, q->ministry_forms[m]) == 0) {
                snprintf(tag_forms[m], sizeof tag_forms[m], "ministry:%s", q->ministry_forms[m]);
                forms[r.nmatched_forms++] = tag_forms[m];
                break;
            }
    r.matched_forms = forms;
    if (!rc) {
        *mentions += r.nhighlights;
        if (p)
            rc = printer_result(p, &r);
    }
    free(r.highlights);
    free(found);
    free(forms);
    free(lines);
    free(data);
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
    size_t with_value; /* passages that have a value at all */
} spy_ctx;

static int spy_value(void *vctx, const char *value, size_t len, unsigned count)
{
    spy_ctx *ctx = vctx;
    if (len == 0)
        return 0;
    ctx->with_value += count;
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
    if (!sum)
        return;
    free(sum->form_mentions);
    sum->form_mentions = NULL;
    sum->nforms = 0;
    if (!sum->facets)
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

/* Moves the spies' counts into sum. */
static int collect_facets(xap_spy **spies, summary *sum, char **errmsg)
{
    facet_list *lists = calloc(NFACETS, sizeof *lists);
    if (!lists)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    sum->facets = lists;
    sum->nfacets = NFACETS;
    for (size_t f = 0; f < NFACETS; f++) {
        facet_acc acc = {{facet_keys[f].name, NULL, 0}, 0};
        spy_ctx ctx = {&acc, facet_keys[f].split, 0, 0};
        int rc = xap_spy_values(spies[f], spy_value, &ctx, errmsg);
        /* Passages without a value count as "none", so that each facet adds up to the total
         * (ministry: a passage of several ministries counts under each). */
        if (!rc && !ctx.failed && sum->total > ctx.with_value)
            ctx.failed = facet_add(&acc, "none", 4, sum->total - ctx.with_value) != SH_OK;
        lists[f] = acc.list;
        if (!rc && ctx.failed)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        if (rc)
            return rc;
        if (lists[f].n > 1)
            qsort(lists[f].values, lists[f].n, sizeof *lists[f].values, compare_facets);
    }
    return SH_OK;
}

/* --count: mentions of every positive search string in every match, from the index's
 * unigram/bigram statistics and positions (no document is read or normalized). */
static int count_mentions(search_session *s, const qbuild_result *q, const xap_mset *mset,
                          size_t *mentions, size_t *form_mentions, char **errmsg)
{
    unsigned n = xap_mset_size(mset);
    xap_docid *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = SH_OK;
    for (unsigned i = 0; i < n && !rc; i++) {
        double w;
        rc = xap_mset_item(mset, i, &ids[i], &w, errmsg);
    }
    unsigned long long total = 0;
    for (size_t h = 0; h < q->nhighlights && !rc; h++) {
        unsigned long long one = 0;
        rc = terms_count_occurrences(s->an, s->db, q->highlights[h], ids, n, q->single_text,
                                     &one, errmsg);
        total += one;
        if (form_mentions)
            form_mentions[h] = (size_t)one;
    }
    *mentions = (size_t)total;
    free(ids);
    return rc;
}

#define EXACT_TOTAL_MAX_CANDIDATES 200000

/* The exact number of matches of query, by a weightless pass that fetches nothing. */
static int exact_total(search_session *s, const xap_query *query, unsigned doccount, int *is_exact,
                       size_t *total, char **errmsg)
{
    xap_enquire *enq = NULL;
    xap_mset *mset = NULL;
    int rc = xap_enquire_new(s->db, &enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, query, errmsg);
    if (!rc)
        rc = xap_enquire_set_boolean(enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, 0, doccount, &mset, errmsg);
    if (!rc) {
        *total = xap_mset_matches_lower(mset);
        *is_exact = 1;
    }
    xap_mset_destroy(mset);
    xap_enquire_destroy(enq);
    return rc;
}

/* One attempt; SH_ERR_MODIFIED asks the caller to reopen and retry. */
static int run_once(search_session *s, const qbuild_result *q, const search_opts *opts,
                    printer *p, summary *sum, char **errmsg)
{
    xap_enquire *enq = NULL;
    xap_query *all = NULL;
    xap_mset *mset = NULL;
    xap_spy *spies[NFACETS] = {NULL};
    unsigned doccount = 0;
    size_t exact_count = 0;
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
    if (!rc)
        rc = xap_enquire_set_query(enq, query, errmsg);
    /* Counting only: no order needed, docids ascending is cheapest and what counting wants.
     * Strings that can overlap are counted in the text (an occurrence once, however many of them
     * cover it), through the same path as printing with nothing printed. */
    int count_only = !p && opts->count_mentions && !q->highlights_overlap;
    if (!rc && opts->count_mentions && q->nhighlights > 1) {
        sum->form_mentions = calloc(q->nhighlights, sizeof *sum->form_mentions);
        sum->forms = (const char *const *)q->highlights;
        sum->nforms = q->nhighlights;
        if (!sum->form_mentions)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    /* Document order (filters only, or --all without --sort rank): path, then passage number. */
    int doc_order = !q->has_text || (opts->all && !opts->sort_rank);
    if (!rc && count_only) {
        rc = xap_enquire_set_boolean(enq, errmsg);
        if (!rc)
            rc = xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, errmsg);
    } else if (!rc && doc_order) {
        rc = xap_enquire_set_boolean(enq, errmsg);
        if (!rc)
            rc = xap_enquire_set_sort_by_value(enq, SLOT_ORDER, 0, errmsg);
    } else if (!rc) {
        rc = xap_enquire_set_bm25(enq, TERMS_BM25_K1, 0.0, 1.0, TERMS_BM25_B, 0.5, errmsg);
        /* Equal scores in document order (page key, passage): docids depend on how the
         * passages are spread over shards and parts, this does not. */
        if (!rc)
            rc = xap_enquire_set_sort_by_relevance_then_value(enq, SLOT_ORDER, 0, errmsg);
    }
    for (size_t f = 0; f < NFACETS && opts->facets && !rc; f++) {
        rc = xap_spy_new(facet_keys[f].slot, &spies[f], errmsg);
        if (!rc)
            rc = xap_enquire_add_spy(enq, spies[f], errmsg);
    }
    /* Everything is fetched when every match is printed or its mentions counted. A top-N list
     * counts only what ranking needs (Xapian's estimate of the total), which keeps common terms
     * fast on large indexes; facets and --all count every match. -q needs one match. */
    int fetch_all = opts->all || opts->count_mentions || opts->limit == 0;
    unsigned want = fetch_all ? doccount : (unsigned)opts->limit;
    if (!p && !opts->count_mentions)
        want = 0;
    int exact = fetch_all || opts->facets || opts->exact_total;
    unsigned check = exact ? doccount : want ? want : 1;
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, want, check, &mset, errmsg);
    if (!rc)
        sum->total_exact = exact || xap_mset_matches_lower(mset) == xap_mset_matches_upper(mset);
    /* A list that shows its total: Xapian's estimate from the few it ranked can be off by a
     * factor of ten for phrases (第三条: 400 of 3,601), so count exactly with a boolean pass (no
     * weights, docid order, nothing fetched) unless the candidates are too many. */
    /* Over several parts it is counted always: Xapian's estimate depends on how the passages are
     * spread over shards, and the answer must be the one index's. */
    if (!rc && p && opts->need_total && !sum->total_exact &&
        (xap_mset_matches_upper(mset) <= EXACT_TOTAL_MAX_CANDIDATES || s->nparts > 1))
        rc = exact_total(s, query, doccount, &sum->total_exact, &exact_count, errmsg);
    if (!rc && count_only) {
        sum->total = xap_mset_matches_estimated(mset);
        rc = count_mentions(s, q, mset, &sum->mentions, sum->form_mentions, errmsg);
        sum->have_mentions = 1;
    } else if (!rc) {
        sum->total = exact_count ? exact_count : xap_mset_matches_estimated(mset);
        unsigned n = xap_mset_size(mset);
        for (unsigned i = 0; i < n && !rc; i++) {
            xap_docid id;
            double w;
            xap_doc *doc = NULL;
            rc = xap_mset_item(mset, i, &id, &w, errmsg);
            if (!rc)
                rc = xap_mset_document(mset, i, &doc, errmsg);
            if (!rc)
                rc = emit_document(s, id, doc, i + 1, doc_order ? 0.0 : w, q, &exact_mark, p,
                                   &sum->mentions,
                                   sum->form_mentions, errmsg);
            xap_doc_destroy(doc);
        }
        sum->have_mentions = opts->count_mentions;
    }
    if (!rc && opts->facets)
        rc = collect_facets(spies, sum, errmsg);
    for (size_t f = 0; f < NFACETS; f++)
        xap_spy_destroy(spies[f]);
    xap_mset_destroy(mset);
    xap_query_destroy(all);
    xap_enquire_destroy(enq);
    return rc;
}

int search_run(search_session *s, const qbuild_result *q, const search_opts *opts, printer *p,
               summary *sum, char **errmsg)
{
    memset(sum, 0, sizeof *sum);
    /* --count of one word of one or two characters: the term's own statistics, no matching. */
    if (!p && opts->count_mentions && !opts->facets && q->single_text && !q->highlights_overlap) {
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
            rc = run_once(s, q, opts, p, sum, errmsg);
    }
    return rc;
}

/* ---- partial matches after the exact ones ---- */

typedef struct fill_candidate {
    xap_docid id;
    double weight;
    size_t held;            /* how many of the plan's words the passage holds */
    unsigned long long lacks; /* bit i: lacks word i */
    int page_holds_all;     /* its page holds every word, in this passage or others */
    char page_key[17];
    unsigned order;         /* rank in the candidate list: equal weights in document order */
} fill_candidate;

static int compare_fill(const void *a, const void *b)
{
    const fill_candidate *x = a, *y = b;
    if (x->page_holds_all != y->page_holds_all)
        return x->page_holds_all ? -1 : 1;
    if (x->held != y->held)
        return x->held < y->held ? 1 : -1;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return x->order < y->order ? -1 : x->order > y->order; /* not docids: they depend on parts */
}

/* Whether the passage text holds any string of q (one word of the plan). */
static int holds_word(search_session *s, const char *text, const qbuild_result *q, int *holds,
                      char **errmsg)
{
    result_span *spans = NULL;
    size_t n = 0;
    size_t *per = calloc(q->nhighlights + 1, sizeof *per);
    if (!per)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = find_mentions(s, text, q, &spans, &n, per, errmsg);
    *holds = n > 0;
    free(spans);
    free(per);
    return rc;
}

/* Whether some passage of the page (key) matches q. */
static int page_has(search_session *s, const char *key, const xap_query *q, int *has,
                    char **errmsg)
{
    char term[64];
    snprintf(term, sizeof term, "%s%s", PFX_PAGE, key);
    xap_query *page = NULL, *both = NULL;
    xap_enquire *enq = NULL;
    xap_mset *mset = NULL;
    int rc = xap_query_term(term, strlen(term), 1, &page, errmsg);
    if (!rc) {
        xap_query *pair[2] = {(xap_query *)q, page};
        rc = xap_query_combine(XAP_OP_FILTER, pair, 2, 0, &both, errmsg);
    }
    if (!rc)
        rc = xap_enquire_new(s->db, &enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, both, errmsg);
    if (!rc)
        rc = xap_enquire_set_boolean(enq, errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, 1, 1, &mset, errmsg);
    if (!rc)
        *has = xap_mset_size(mset) > 0;
    xap_mset_destroy(mset);
    xap_enquire_destroy(enq);
    xap_query_destroy(both);
    xap_query_destroy(page);
    return rc;
}

/* Whether the candidate's page holds each word it lacks (in other passages); pages already
 * looked at are answered from the earlier candidates. */
static int page_holds_all(search_session *s, const partial_plan *plan, fill_candidate *cands,
                          unsigned i, char **errmsg)
{
    for (unsigned k = 0; k < i; k++)
        if (strcmp(cands[k].page_key, cands[i].page_key) == 0 && cands[k].lacks == cands[i].lacks) {
            cands[i].page_holds_all = cands[k].page_holds_all;
            return SH_OK;
        }
    int all = cands[i].page_key[0] != '\0';
    for (size_t w = 0; w < plan->nparts && w < 64 && all; w++) {
        if (!(cands[i].lacks & (1ULL << w)) || !plan->parts[w].query)
            continue;
        int rc = page_has(s, cands[i].page_key, plan->parts[w].query, &all, errmsg);
        if (rc)
            return rc;
    }
    cands[i].page_holds_all = all;
    return SH_OK;
}

#define FILL_CANDIDATES_PER_SLOT 4
#define FILL_MIN_CANDIDATES 50

int search_fill(search_session *s, const qbuild_result *exact, const partial_plan *plan,
                size_t want, size_t first_rank, printer *p, summary *sum, char **errmsg)
{
    if (!plan || !plan->any.query || !exact->query || want == 0)
        return SH_OK;
    xap_query *pair[2] = {plan->any.query, exact->query}, *q = NULL;
    xap_enquire *enq = NULL;
    xap_mset *mset = NULL;
    fill_candidate *cands = NULL;
    int rc = xap_query_combine(XAP_OP_AND_NOT, pair, 2, 0, &q, errmsg);
    if (!rc)
        rc = xap_enquire_new(s->db, &enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, q, errmsg);
    if (!rc)
        rc = xap_enquire_set_bm25(enq, TERMS_BM25_K1, 0.0, 1.0, TERMS_BM25_B, 0.5, errmsg);
    if (!rc) /* equal weights by page key and passage, however the index is split */
        rc = xap_enquire_set_sort_by_relevance_then_value(enq, SLOT_ORDER, 0, errmsg);
    /* BM25 puts passages with more of the words first, mostly: take a few candidates per slot
     * and order them by how many words they hold, then by weight. */
    unsigned ncand = (unsigned)(want * FILL_CANDIDATES_PER_SLOT);
    if (ncand < FILL_MIN_CANDIDATES)
        ncand = FILL_MIN_CANDIDATES;
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, ncand, ncand, &mset, errmsg);
    unsigned n = rc ? 0 : xap_mset_size(mset);
    if (!rc && !(cands = calloc(n ? n : 1, sizeof *cands)))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (unsigned i = 0; i < n && !rc; i++) {
        xap_doc *doc = NULL;
        char *data = NULL;
        size_t len = 0;
        cands[i].order = i;
        rc = xap_mset_item(mset, i, &cands[i].id, &cands[i].weight, errmsg);
        if (!rc)
            rc = xap_mset_document(mset, i, &doc, errmsg);
        if (!rc)
            rc = xap_doc_get_data(doc, &data, &len, errmsg);
        const char *f[PF_COUNT];
        if (!rc && !search_passage_fields(data, len, f))
            rc = sh_fail(errmsg, SH_ERR_CORRUPT, "%s holds a passage record this shiryo cannot "
                         "read: re-index with shiryo-index --rebuild", s->dir);
        for (size_t w = 0; w < plan->nparts && !rc; w++) {
            int holds = 0;
            rc = holds_word(s, f[PF_TEXT], &plan->parts[w], &holds, errmsg);
            if (holds)
                cands[i].held++;
            else if (w < 64)
                cands[i].lacks |= 1ULL << w;
        }
        if (!rc)
            snprintf(cands[i].page_key, sizeof cands[i].page_key, "%s", f[PF_PAGEKEY]);
        if (!rc)
            rc = page_holds_all(s, plan, cands, i, errmsg);
        free(data);
        xap_doc_destroy(doc);
    }
    /* A passage holding every word is an exact match, listed already: never fill with it (the
     * AND_NOT should have left it out; the Debug build's Xapian runs have been seen not to). */
    unsigned kept = 0;
    for (unsigned i = 0; i < n && !rc; i++)
        if (cands[i].held < plan->nparts)
            cands[kept++] = cands[i];
    n = kept;
    if (!rc && n > 1)
        qsort(cands, n, sizeof *cands, compare_fill);
    for (unsigned i = 0; i < n && i < want && !rc; i++) {
        const char *missing[64];
        size_t nmissing = 0;
        for (size_t w = 0; w < plan->nparts && w < 64; w++)
            if (cands[i].lacks & (1ULL << w))
                missing[nmissing++] = plan->labels[w];
        match_mark mark = {cands[i].page_holds_all ? "page" : "partial", missing, nmissing};
        xap_doc *doc = NULL;
        rc = xap_db_get_document(s->db, cands[i].id, &doc, errmsg);
        if (!rc)
            rc = emit_document(s, cands[i].id, doc, first_rank + i, cands[i].weight, &plan->any, &mark, p,
                               &sum->mentions, NULL, errmsg);
        xap_doc_destroy(doc);
        if (!rc && cands[i].page_holds_all)
            sum->page++;
        else if (!rc)
            sum->partial++;
    }
    free(cands);
    xap_mset_destroy(mset);
    xap_enquire_destroy(enq);
    xap_query_destroy(q);
    return rc;
}
