/* search.c — enquire over the index, decode records, locate mentions through the normalization
 * offset map (so highlights index the original text), and feed the printer. */
#include "search.h"

#include "partial.h"
#include "prover.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/docset.h"
#include "shiryo/identity.h"
#include "shiryo/ixdir.h"
#include "shiryo/norm.h"
#include "shiryo/pagerec.h"
#include "shiryo/passrec.h"
#include "shiryo/recfield.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/terms.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    sh_normtext nt;             /* scratch: highlights, or the candidate being proven */
    docset *deleted;            /* per shard of db: replaced passages (schema.h META_DELETED) */
    unsigned del_shards;
    unsigned long long ndeleted;
};

sh_analyzer *search_analyzer(search_session *s) { return s->an; }
xap_db *search_db(search_session *s) { return s->db; }

/* The identity of one part, read for sh_identity_check: a part not answering is named. */
typedef struct identity_source {
    xap_db *db;
    const part *p;
} identity_source;

static int identity_get(void *ctx, const char *key, char **value, size_t *len, char **errmsg)
{
    const identity_source *src = ctx;
    int rc = xap_db_get_metadata(src->db, key, strlen(key), value, len, errmsg);
    return rc && src->p && rc != SH_ERR_NETWORK ? parts_fail(src->p, rc, errmsg) : rc;
}

/* Checks that db (named name; p when it is one part of several) was built with this schema,
 * ICU and dictionary. */
static int check_identity(search_session *s, xap_db *db, const char *name, const part *p,
                          char **errmsg)
{
    char reindex[4300], part_name[4300];
    sh_identity_target t = {name, reindex, "index files with shiryo-index"};
    if (p && p->host) {
        snprintf(part_name, sizeof part_name, "part %s", name);
        t.name = part_name;
        t.reindex = "its folders on its host with shiryo-index --rebuild --index DIR PATH... "
                    "and restart its xapian-tcpsrv";
        t.unrecorded = "serve the shards of a directory built by shiryo-index (README: Several "
                       "hosts)";
    } else {
        snprintf(reindex, sizeof reindex, "with shiryo-index --rebuild --index %s PATH...", name);
    }
    identity_source src = {db, p};
    return sh_identity_check(sh_analyzer_seg(s->an), identity_get, NULL, &src, &t, errmsg);
}

/* (Re)reads every shard's deletion list. */
static int load_deleted(search_session *s, char **errmsg)
{
    unsigned n = xap_db_shard_count(s->db);
    if (n != s->del_shards) {
        for (unsigned k = 0; k < s->del_shards; k++)
            docset_free(&s->deleted[k]);
        free(s->deleted);
        s->del_shards = 0;
        if (!(s->deleted = calloc(n ? n : 1, sizeof *s->deleted)))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        s->del_shards = n;
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
    unsigned k = (id - 1) % s->del_shards;
    return docset_contains(&s->deleted[k], (id - 1) / s->del_shards + 1);
}

int search_is_deleted(const search_session *s, xap_docid id) { return is_deleted(s, id); }

int search_literal_occurrences(search_session *s, const char *text, const char *literal,
                               size_t *occurrences, char **errmsg)
{
    *occurrences = 0;
    int rc = sh_norm_plain(sh_analyzer_norm(s->an), text, strlen(text), &s->nt, errmsg);
    if (!rc)
        *occurrences = verify_occurrences(s->nt.text, s->nt.len, literal, strlen(literal));
    return rc;
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
    int rc = ixdir_open(dir, db, errmsg);
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

/* A server given an index directory (its stub) serves its shards as one database and answers
 * metadata, passage records included, from the first shard only: refused, naming the fix. */
static int check_served_shard(xap_db *db, const part *p, char **errmsg)
{
    unsigned count = 0;
    char *stored = NULL;
    size_t len = 0;
    int rc = xap_db_doccount(db, &count, errmsg);
    if (!rc)
        rc = xap_db_get_metadata(db, META_DOCUMENTS, strlen(META_DOCUMENTS), &stored, &len,
                                 errmsg);
    if (!rc && strtoull(stored, NULL, 10) < count)
        rc = sh_fail(errmsg, SH_ERR_CORRUPT,
                     "part %s serves several shards as one database, whose passages' records "
                     "Xapian reads from the first shard only: serve each shard of an index with "
                     "its own xapian-tcpsrv, not the index directory (README: Several hosts)",
                     p->name);
    else if (rc && rc != SH_ERR_NETWORK)
        rc = parts_fail(p, rc, errmsg);
    free(stored);
    return rc;
}

/* Opens part p (a directory or a server) and checks its identity. */
static int open_part(search_session *s, const parts *ps, const part *p, int alone, xap_db **db,
                     char **errmsg)
{
    int rc = p->host ? parts_connect(ps, p, db, errmsg) : open_index(p->name, db, errmsg);
    if (!rc)
        rc = check_identity(s, *db, p->name, alone && !p->host ? NULL : p, errmsg);
    if (!rc && p->host)
        rc = check_served_shard(*db, p, errmsg);
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
    if (!rc)
        rc = load_deleted(s, errmsg);
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
    for (unsigned k = 0; k < s->del_shards; k++)
        docset_free(&s->deleted[k]);
    free(s->deleted);
    free(s->dir);
    free(s);
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
    sh_pagerec_decode(e->record, len, e->fields); /* a damaged record reads as empty fields */
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
    return sh_passrec_decode(data, len, fields) == SH_OK;
}

/* docid's record, inflated or (packed) as stored, with the advice when it is missing. */
static int passage_fetch(search_session *s, xap_docid docid, int packed, char **data,
                         size_t *len, char **errmsg)
{
    int remote = 0;
    const char *part = part_of(s, docid, &remote);
    *data = NULL;
    int rc = packed ? xap_db_get_doc_record_packed(s->db, META_PASSAGE_PREFIX, docid, data, len,
                                                   errmsg)
                    : xap_db_get_doc_record(s->db, META_PASSAGE_PREFIX, docid, data, len, errmsg);
    if (rc == SH_ERR_NETWORK && part)
        return sh_fail_prefix(errmsg, rc, part);
    if (!rc && *len == 0) {
        free(*data);
        *data = NULL;
        /* xapian-tcpsrv serving several shards answers metadata from the first one only. */
        if (remote)
            return sh_fail(errmsg, SH_ERR_CORRUPT,
                           "part %s holds passages but not their records: serve each shard of "
                           "an index with its own xapian-tcpsrv, not the index directory "
                           "(README: Several hosts)", part);
        return sh_fail(errmsg, SH_ERR_CORRUPT, "%s holds a passage without its record: rebuild "
                       "it with shiryo-index --rebuild --index %s PATH...", part ? part : s->dir,
                       part ? part : s->dir);
    }
    return rc;
}

int search_passage_record(search_session *s, xap_docid docid, char **data, size_t *len,
                          char **errmsg)
{
    return passage_fetch(s, docid, 0, data, len, errmsg);
}

/* A copy of a fetched record, to split in place. */
static int record_copy(const char *rec, size_t len, char **data, char **errmsg)
{
    if (!(*data = malloc(len + 1)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    memcpy(*data, rec, len);
    (*data)[len] = '\0';
    return SH_OK;
}

/* Mentions: every occurrence of each normalized highlight string in the normalized passage,
 * mapped back to original code points, sorted and merged so they never overlap. normalized: s->nt
 * holds text normalized with its offset map already (the proof did it). */
static int find_mentions(search_session *s, const char *text, int normalized,
                         const qbuild_result *q, result_span **out, size_t *nout,
                         size_t *per_highlight, char **errmsg)
{
    *out = NULL;
    *nout = 0;
    if (q->nhighlights == 0)
        return SH_OK;
    sh_normtext *nt = &s->nt;
    int rc = normalized ? SH_OK
                        : sh_norm_text(sh_analyzer_norm(s->an), text, strlen(text), nt, errmsg);
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

#define MAX_RESULT_LINES 4096

/* A candidate's record: data (malloc'd) split into fields. */
typedef struct candidate {
    char *data;
    const char *f[PF_COUNT];
} candidate;

/* Reads candidate rec (len bytes, of combined docid id), normalizes its text into s->nt and
 * proves it against q: *passed = 1 when it is a match. mapped: with the offset map, for a passage
 * that is printed if it passes (its record and normalization then serve the printing: one read,
 * one normalization); else the plain text, which is quicker. c->data is the caller's to free. */
static int prove(search_session *s, const char *rec, size_t len, xap_docid id,
                 const qbuild_result *q, int mapped, candidate *c, int *passed, char **errmsg)
{
    *passed = 0;
    int rc = record_copy(rec, len, &c->data, errmsg);
    if (rc)
        return rc;
    rc = prover_decode(c->data, len, s->dir, c->f, errmsg);
    if (rc)
        return rc;
    const char *text = c->f[PF_TEXT];
    rc = mapped ? sh_norm_text(sh_analyzer_norm(s->an), text, strlen(text), &s->nt, errmsg)
                : sh_norm_plain(sh_analyzer_norm(s->an), text, strlen(text), &s->nt, errmsg);
    if (!rc)
        *passed = verify_match(q->verify, s->nt.text, s->nt.len, id);
    return rc;
}

/* How a printed passage matched: exact, or partial with the words it lacks. */
typedef struct match_mark {
    const char *match;
    const char *const *missing;
    size_t nmissing;
} match_mark;

static const match_mark exact_mark = {"exact", NULL, 0};

/* Prints one passage from its record's fields f (writable: split in place); normalized: s->nt
 * holds its text normalized with the offset map. */
static int emit_fields(search_session *s, xap_docid docid, const char **f, int normalized,
                       size_t rank, double score, const qbuild_result *q, const match_mark *mark,
                       const result_sink *p, size_t *mentions, size_t *form_mentions, char **errmsg)
{
    int rc = SH_OK;
    const page_entry *pe = page_lookup(s, docid, f[PF_PAGEKEY], errmsg);
    if (!pe)
        return SH_ERR;
    static const char *const empty_fields[PR_COUNT];
    const char *const *pr = pe->record ? pe->fields : empty_fields;
    unsigned *lines = malloc(MAX_RESULT_LINES * sizeof *lines);
    ministry_ref stored_ministries[16];
    result_ministry ministries[16];
    result r = {0};
    if (!lines)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
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
    r.nlines = sh_recfield_uints(f[PF_LINES], lines, MAX_RESULT_LINES);
    r.section = f[PF_SECTION];
    r.measure = f[PF_MEASURE];
    r.column = atoi(f[PF_COLUMN]);
    r.column_label = f[PF_COLUMN_LABEL];
    r.fiscal_year = atoi(f[PF_FY]);
    r.fiscal_year_label = f[PF_FY_LABEL];
    r.ministries = ministries;
    r.nministries = sh_passrec_ministries((char *)f[PF_MINISTRIES], stored_ministries, 16);
    for (size_t i = 0; i < r.nministries; i++)
        ministries[i] = (result_ministry){stored_ministries[i].name, stored_ministries[i].lead};
    r.text = f[PF_TEXT];
    /* Which of the query's strings (and expanded ministry tags) this passage holds. */
    size_t nh = q->nhighlights;
    size_t *found = calloc(nh + 1, sizeof *found);
    const char **forms = calloc(nh + q->nministry_forms + 1, sizeof *forms);
    char tag_forms[8][128];
    if (!found || !forms)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = find_mentions(s, r.text, normalized, q, &r.highlights, &r.nhighlights, found,
                           errmsg);
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
            rc = p->emit(p->ctx, &r);
    }
    free(r.highlights);
    free(found);
    free(forms);
    free(lines);
    return rc;
}

/* Prints a passage from its fetched record rec (len bytes; emit_fields). */
static int emit_document(search_session *s, xap_docid docid, const char *rec, size_t len,
                         size_t rank, double score, const qbuild_result *q,
                         const match_mark *mark, const result_sink *p, size_t *mentions,
                         size_t *form_mentions, char **errmsg)
{
    char *data = NULL;
    int rc = record_copy(rec, len, &data, errmsg);
    if (rc)
        return rc;
    const char *f[PF_COUNT];
    if (sh_passrec_decode(data, len, f) != SH_OK) {
        free(data);
        int remote = 0;
        const char *part = part_of(s, docid, &remote);
        return sh_fail(errmsg, SH_ERR_CORRUPT,
                       "%s holds a passage record this shiryo cannot read: re-index with "
                       "shiryo-index --rebuild", part ? part : s->dir);
    }
    rc = emit_fields(s, docid, f, 0, rank, score, q, mark, p, mentions, form_mentions, errmsg);
    free(data);
    return rc;
}

/* ---- facets ---- */

typedef struct facet_acc {
    facet_list list;
    size_t cap;
    size_t with_value; /* matches that have a value at all */
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

/* Moves the accumulated counts into sum, most frequent first. */
static int finish_facets(facet_acc *accs, summary *sum, char **errmsg)
{
    facet_list *lists = calloc(NFACETS, sizeof *lists);
    if (!lists)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (size_t f = 0; f < NFACETS; f++) {
        /* Passages without a value count as "none", so that each facet adds up to the total
         * (ministry: a passage of several ministries counts under each). */
        if (sum->total > accs[f].with_value &&
            facet_add(&accs[f], "none", 4, sum->total - accs[f].with_value) != SH_OK) {
            free(lists);
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        }
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
        spy_ctx ctx = {&accs[f], facet_keys[f].split, 0, 0};
        int rc = xap_spy_values(spies[f], spy_value, &ctx, errmsg);
        accs[f].with_value += ctx.with_value;
        if (!rc && ctx.failed)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* Counts one proven match's facet values, from its record (rec, len bytes): the values its
 * slots hold, which a remote shard's documents cannot return. */
static int record_to_facets(const char *rec, size_t len, facet_acc *accs, char **errmsg)
{
    char *data = NULL;
    const char *fields[PF_COUNT];
    sh_buf names = SH_BUF_INIT;
    int rc = record_copy(rec, len, &data, errmsg);
    if (!rc && !search_passage_fields(data, len, fields))
        rc = sh_fail(errmsg, SH_ERR_CORRUPT, "a passage record this shiryo cannot read: "
                     "re-index with shiryo-index --rebuild");
    /* SLOT_MINISTRY holds the names "、"-joined; the record "name:1,name:0". */
    ministry_ref ministries[16];
    size_t nministries = rc ? 0 : sh_passrec_ministries((char *)fields[PF_MINISTRIES], ministries,
                                                        16);
    for (size_t i = 0; i < nministries && !rc; i++)
        if (sh_buf_puts(&names, i ? "、" : "") || sh_buf_puts(&names, ministries[i].name))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (size_t f = 0; f < NFACETS && !rc; f++) {
        unsigned slot = facet_keys[f].slot;
        const char *value = slot == SLOT_FY ? fields[PF_FY]
                            : slot == SLOT_MEASURE ? fields[PF_MEASURE]
                            : names.len ? names.data : "";
        spy_ctx ctx = {&accs[f], facet_keys[f].split, 0, 0};
        spy_value(&ctx, value, strlen(value), 1);
        accs[f].with_value += ctx.with_value;
        if (ctx.failed)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    sh_buf_free(&names);
    free(data);
    return rc;
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
    const result_sink *p;
    summary *sum;
    int count_only, doc_order, every, prove_text, text_counts, read_docs, facets_by_doc;
    int count_via_emit;    /* overlapping strings: mentions are the printed spans, nothing printed */
    int count_by_text;     /* mentions counted in the proven text, else from the bigrams' wdf */
    int ties_by_order;     /* ranked, equal weights in SLOT_ORDER order: see ranked_window */
    size_t target, print_max;
    size_t proven, checked, printed;
    facet_acc accs[NFACETS];
    xap_docid *ids;        /* matches whose mentions are counted from the wdf */
    size_t nids, ids_cap;
    prover *prover;        /* a count proven by text: the candidates' records go there */
} scan_state;

/* One match of a ranked window (ranked_window). */
typedef struct ranked_item {
    unsigned index;
    double weight;
    char *key;      /* SLOT_ORDER, read only when a neighbour weighs the same (NULL: "") */
    size_t key_len;
} ranked_item;

static int compare_ranked(const void *a, const void *b)
{
    const ranked_item *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    /* Byte order, a prefix first, as Xapian compares values. */
    size_t common = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = common ? memcmp(x->key, y->key, common) : 0;
    if (c || x->key_len != y->key_len)
        return c ? c : x->key_len < y->key_len ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index; /* Xapian's: docid */
}

/* A ranked window without Xapian's (weight, SLOT_ORDER) sort. Xapian reads the SLOT_ORDER value of
 * every candidate that reaches the current minimum weight of its list, which starts at 0 and
 * rises slowly: a third of the match of a top-10 list. Relevance alone (ties by docid) needs no
 * value, and its first `want` + slack matches hold the same first `want` as the full order
 * whenever a weight below the want-th shows up within them (every match weighing as much as the
 * want-th is then among them): those are ordered here, by weight, then SLOT_ORDER among equal
 * weights (read for those only). Else (a tie runs past the slack) *ordered is 0 and the caller
 * asks Xapian's sort. On success *order lists the mset's items [first, want) of the full order
 * (malloc'd, *n of them, fewer only when the matches run out). */
static int ranked_window(xap_enquire *enq, unsigned first, unsigned want, xap_mset **mset,
                         unsigned **order, unsigned *n, int *ordered, char **errmsg)
{
    *ordered = 0;
    *order = NULL;
    *n = 0;
    unsigned slack = want / 2 + 8;
    int rc = xap_enquire_get_mset(enq, 0, want + slack, want, mset, errmsg);
    unsigned got = rc ? 0 : xap_mset_size(*mset), m = got;
    ranked_item *items = rc ? NULL : calloc(got ? got : 1, sizeof *items);
    if (!rc && !items)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (unsigned i = 0; i < got && !rc; i++) {
        items[i].index = i;
        rc = xap_mset_item(*mset, i, NULL, &items[i].weight, errmsg);
    }
    if (!rc && got == want + slack) {
        /* Not every match came: the ones weighing at least the want-th must all have. */
        double bound = items[want - 1].weight;
        if (!(items[got - 1].weight < bound)) {
            free(items);
            return SH_OK;
        }
        while (m > want && items[m - 1].weight < bound)
            m--;
    }
    for (unsigned i = 0; i < m && !rc; i++) {
        int tied = (i > 0 && items[i - 1].weight == items[i].weight) ||
                   (i + 1 < m && items[i + 1].weight == items[i].weight);
        xap_doc *doc = NULL;
        if (tied)
            rc = xap_mset_document(*mset, i, &doc, errmsg);
        if (tied && !rc)
            rc = xap_doc_get_value(doc, SLOT_ORDER, &items[i].key, &items[i].key_len, errmsg);
        xap_doc_destroy(doc);
    }
    if (!rc && m > 1)
        qsort(items, m, sizeof *items, compare_ranked);
    unsigned end = m < want ? m : want, count = end > first ? end - first : 0;
    if (!rc && !(*order = malloc((count ? count : 1) * sizeof **order)))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (unsigned k = 0; k < count && !rc; k++)
        (*order)[k] = items[first + k].index;
    for (unsigned i = 0; i < got && items; i++)
        free(items[i].key);
    free(items);
    if (!rc) {
        *n = count;
        *ordered = 1;
    }
    return rc;
}

/* The size of the next round of candidates. Each round is a new match from scratch, so a long
 * string whose bigrams often occur apart (第百二十三条: one candidate in twenty proven) must not
 * creep up by doubling: the round asks for the matches still missing at the proof rate seen so
 * far, half again as many for slack, and at least twice the last round (eight times when
 * nothing was proven yet). */
static unsigned next_round(unsigned round, const scan_state *st, unsigned doccount)
{
    double want = st->proven ? (double)(st->target - st->proven) * (double)st->checked /
                                   (double)st->proven * 1.5
                             : (double)round * 8.0;
    if (want < (double)round * 2.0)
        want = (double)round * 2.0;
    if (want >= (double)doccount / 2.0)
        return doccount ? doccount : 1;
    return (unsigned)want;
}

/* Walks the candidates of query under enq's weighting and order, in rounds, until st->target
 * proven matches or the candidates run out (*exhausted). ranked_score: print Xapian's weights;
 * superset: query matches more than the candidates (every match is proven then). */
static int scan(search_session *s, xap_enquire *enq, const xap_query *query, int ranked_score,
                int superset, unsigned doccount, scan_state *st, int *exhausted,
                size_t *estimate, int *estimate_exact, char **errmsg)
{
    xap_mset *mset = NULL;
    unsigned *order = NULL;
    int rc = xap_enquire_set_query(enq, query, errmsg);
    /* Candidates that need no proof (two code points, no string to verify) all count: the
     * first round asks for the N wanted alone, as a smaller top list lets Xapian prune sooner
     * (政令, 届出 on 200 MB: 5-6 % fewer instructions than FIRST_ROUND's 23). Candidates that
     * need the proof keep FIRST_ROUND: a smaller one (N + N/4 + 2) saved 2-5 % on most strings
     * but cost 第三条 and 第百二十三条 extra rounds (x2 and x1.5). */
    int all_count = !st->prove_text && !superset;
    unsigned first = 0, round = st->every      ? doccount
                                : all_count    ? (unsigned)st->target
                                               : (unsigned)FIRST_ROUND(st->target);
    /* A top-N list orders equal weights itself (ranked_window): Xapian ranks by weight alone. */
    /* Not over remote parts: reading a tie's SLOT_ORDER means fetching its document, which a
     * lean shard served by xapian-tcpsrv cannot return; Xapian's sort reads it on the servers. */
    int remote = 0;
    for (size_t i = 0; i < s->nparts; i++)
        remote |= s->part_remote[i];
    int window = st->ties_by_order && !st->every && !st->opts->exact_total && !remote;
    if (!rc && window)
        rc = xap_enquire_set_order(enq, XAP_ORDER_RELEVANCE, errmsg);
    *exhausted = 0;
    while (!rc && !*exhausted && st->proven < st->target) {
        xap_mset_destroy(mset);
        mset = NULL;
        unsigned check = (st->every || st->opts->exact_total) ? doccount : first + round;
        int ordered = 0;
        free(order);
        order = NULL;
        unsigned n = 0;
        if (window) {
            rc = ranked_window(enq, first, first + round, &mset, &order, &n, &ordered, errmsg);
            if (!rc && !ordered) { /* a tie runs on: Xapian sorts */
                xap_mset_destroy(mset);
                mset = NULL;
                rc = xap_enquire_set_sort_by_relevance_then_value(enq, SLOT_ORDER, 0, errmsg);
            }
        }
        if (!rc && !ordered)
            rc = xap_enquire_get_mset(enq, first, round, check, &mset, errmsg);
        if (!rc && window && !ordered) /* back to relevance alone for the next round */
            rc = xap_enquire_set_order(enq, XAP_ORDER_RELEVANCE, errmsg);
        if (!ordered)
            n = rc ? 0 : xap_mset_size(mset);
        *exhausted = st->every || n < round;
        if (!rc && first == 0) {
            *estimate = xap_mset_matches_estimated(mset);
            *estimate_exact = xap_mset_matches_lower(mset) == xap_mset_matches_upper(mset);
        }
        for (unsigned k = 0; k < n && !rc && st->proven < st->target; k++) {
            unsigned i = order ? order[k] : k;
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
            if (st->prover) { /* counted on every core (prover.h); proven there */
                char *packed = NULL;
                size_t packed_len = 0;
                rc = passage_fetch(s, id, 1, &packed, &packed_len, errmsg);
                if (!rc)
                    rc = prover_add(st->prover, id, packed, packed_len, errmsg);
                else
                    free(packed);
                continue;
            }
            char *rec = NULL;
            size_t rec_len = 0;
            candidate c = {0};
            int passed = 1;
            /* Printed if it passes: the proof reads and normalizes it for the printing too. The
             * record is fetched only when it is used (an exact candidate that is neither counted
             * by text, faceted nor printed is not): one lookup, or a round trip. */
            int to_print = st->printed < st->print_max || st->count_via_emit;
            if (st->prove_text || superset || (st->count_only && st->count_by_text) ||
                st->facets_by_doc || to_print)
                rc = search_passage_record(s, id, &rec, &rec_len, errmsg);
            if (!rc && (st->prove_text || superset))
                rc = prove(s, rec, rec_len, id, st->q, to_print, &c, &passed, errmsg);
            else if (!rc && st->count_only && st->count_by_text) /* normalizes for counting */
                rc = prove(s, rec, rec_len, id, st->q, 0, &c, &passed, errmsg);
            if (!rc && passed) {
                st->proven++;
                if (st->count_only && st->count_by_text)
                    st->sum->mentions += prover_occurrences(st->q, s->nt.text, s->nt.len,
                                                          st->sum->form_mentions);
                if (st->facets_by_doc)
                    rc = record_to_facets(rec, rec_len, st->accs, errmsg);
                if (!rc && to_print) {
                    st->printed++;
                    const result_sink *out = st->count_via_emit ? NULL : st->p;
                    double score = ranked_score ? w : 0.0;
                    rc = c.data ? emit_fields(s, id, c.f, 1, st->printed, score, st->q,
                                              &exact_mark, out, &st->sum->mentions,
                                              st->sum->form_mentions, errmsg)
                                : emit_document(s, id, rec, rec_len, st->printed, score, st->q,
                                                &exact_mark, out, &st->sum->mentions,
                                                st->sum->form_mentions, errmsg);
                }
            }
            free(c.data);
            free(rec);
        }
        first += n;
        round = next_round(round, st, doccount);
    }
    xap_mset_destroy(mset);
    free(order);
    return rc;
}

/* One attempt; SH_ERR_MODIFIED asks the caller to reopen and retry.
 * Candidates come from Xapian (local or remote shards alike); each is proven here on its text
 * (and checked against the deletion lists) unless the candidates are known to be exact. */
static int run_once(search_session *s, const qbuild_result *q, const search_opts *opts,
                    const result_sink *p, summary *sum, char **errmsg)
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
    /* Counting only: no order needed, docids ascending is cheapest and what counting wants.
     * Strings that can overlap are counted as the spans printing would mark (an occurrence
     * once, however many of them cover it), with nothing printed. */
    st.count_only = !p && opts->count_mentions && !q->highlights_overlap;
    st.count_via_emit = !p && opts->count_mentions && q->highlights_overlap;
    if (!rc && opts->count_mentions && q->nhighlights > 1) {
        sum->form_mentions = calloc(q->nhighlights, sizeof *sum->form_mentions);
        sum->forms = (const char *const *)q->highlights;
        sum->nforms = q->nhighlights;
        if (!sum->form_mentions)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
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
        /* Equal scores in document order (page key, passage): docids depend on how the
         * passages are spread over shards and parts, this does not. */
        if (!rc)
            rc = xap_enquire_set_sort_by_relevance_then_value(enq, SLOT_ORDER, 0, errmsg);
        st.ties_by_order = 1;
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
    /* A list that shows its total (need_total) is counted exactly too: every candidate is
     * proven, only the first N printed (cheap when the candidates are exact: nothing is read). */
    st.every = opts->all || opts->count_mentions || opts->limit == 0 || opts->facets ||
               opts->exact_total || (p && opts->need_total);
    st.print_max = !p ? 0 : (opts->all || opts->limit == 0) ? (size_t)-1 : opts->limit;
    st.target = st.every ? (size_t)-1 : p ? st.print_max : 1;
    /* Counting an exact query of two-code-point strings reads no document: the bigrams' wdf
     * are the mentions. */
    for (size_t h = 0; h < q->nhighlights && opts->count_mentions; h++)
        st.text_counts |= !terms_literal_counted(q->highlights[h]);
    st.count_by_text = st.prove_text || st.text_counts;
    st.read_docs = p || st.count_by_text || st.facets_by_doc || st.count_via_emit;
    /* A count that proves every candidate's text does so on every core (query/prover.c). */
    if (!rc && st.count_only && st.count_by_text && !st.facets_by_doc) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        rc = prover_new(q, cores < 1 ? 1 : (unsigned)cores, s->dir, &st.prover, errmsg);
    }
    int exhausted = 0, estimate_exact = 0;
    size_t estimate = 0;
    if (!rc && q->ranked && p && !st.every && !st.doc_order) { /* p: documents are read */
        /* A top-N list of one code point: its words rank the proven matches exactly as the
         * candidates would, without matching every bigram that starts with it; should fewer
         * than N be found, the unweighted candidates follow in document order. */
        rc = scan(s, enq, q->ranked, 1, 1, doccount, &st, &exhausted, &estimate, &estimate_exact,
                  errmsg);
        if (!rc && exhausted && st.proven < st.target) {
            xap_query *pair[2] = {(xap_query *)query, q->ranked};
            size_t ignored = 0;
            rc = xap_query_combine(XAP_OP_AND_NOT, pair, 2, 0, &rest, errmsg);
            st.ties_by_order = 0;
            if (!rc)
                rc = xap_enquire_set_boolean(enq, errmsg);
            if (!rc) /* equal (zero) weights in document order, as the full ranking has them */
                rc = xap_enquire_set_sort_by_value(enq, SLOT_ORDER, 0, errmsg);
            if (!rc)
                rc = scan(s, enq, rest, 0, 0, doccount, &st, &exhausted, &ignored, &estimate_exact,
                          errmsg);
            estimate += ignored;
        }
        exact_candidates = 0; /* the estimate is the words' */
    } else if (!rc) {
        rc = scan(s, enq, query, !st.doc_order, 0, doccount, &st, &exhausted, &estimate,
                  &estimate_exact, errmsg);
    }
    if (!rc && st.prover)
        rc = prover_finish(st.prover, &st.proven, &sum->mentions, sum->form_mentions, errmsg);
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
        for (size_t h = 0; h < q->nhighlights && !rc; h++) {
            unsigned long long one = 0;
            rc = terms_count_occurrences(s->an, s->db, q->highlights[h], st.ids, st.nids, &one,
                                         errmsg);
            total += one;
            if (sum->form_mentions)
                sum->form_mentions[h] = (size_t)one;
        }
        sum->mentions = (size_t)total;
    }
    if (!rc)
        sum->have_mentions = opts->count_mentions;
    if (!rc && use_spies)
        rc = spies_to_facets(spies, st.accs, errmsg);
    if (!rc && opts->facets)
        rc = finish_facets(st.accs, sum, errmsg);
    facets_free(st.accs);
    prover_free(st.prover);
    free(st.ids);
    for (size_t f = 0; f < NFACETS; f++)
        xap_spy_destroy(spies[f]);
    xap_query_destroy(rest);
    xap_query_destroy(all);
    xap_enquire_destroy(enq);
    return rc;
}

int search_run(search_session *s, const qbuild_result *q, const search_opts *opts,
               const result_sink *p, summary *sum, char **errmsg)
{
    memset(sum, 0, sizeof *sum);
    /* --count of one word of one or two characters: the term's own statistics, no matching
     * (exact only while no passage was replaced). */
    if (!p && opts->count_mentions && !opts->facets && q->single_text && !q->highlights_overlap &&
        !s->ndeleted) {
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
    int rc = find_mentions(s, text, 0, q, &spans, &n, per, errmsg);
    *holds = n > 0;
    free(spans);
    free(per);
    return rc;
}

/* The passage record of docid id: *data is the caller's to free, f points into *data. */
static int passage_read(search_session *s, xap_docid id, char **data, const char *f[PF_COUNT],
                        char **errmsg)
{
    size_t len = 0;
    int rc = search_passage_record(s, id, data, &len, errmsg);
    if (!rc && !search_passage_fields(*data, len, f))
        rc = sh_fail(errmsg, SH_ERR_CORRUPT, "%s holds a passage record this shiryo cannot "
                     "read: re-index with shiryo-index --rebuild", s->dir);
    return rc;
}

/* Whether some passage of the page (key) holds the word: Xapian's candidates (its bigrams, no
 * positions) proven on their text as every match is, replaced passages left out. */
#define PAGE_PASSAGES_MAX 10000
static int page_has(search_session *s, const char *key, const qbuild_result *word, int *has,
                    char **errmsg)
{
    char term[64];
    snprintf(term, sizeof term, "%s%s", PFX_PAGE, key);
    xap_query *page = NULL, *both = NULL;
    xap_enquire *enq = NULL;
    xap_mset *mset = NULL;
    *has = 0;
    int rc = xap_query_term(term, strlen(term), 1, &page, errmsg);
    if (!rc) {
        xap_query *pair[2] = {(xap_query *)word->query, page};
        rc = xap_query_combine(XAP_OP_FILTER, pair, 2, 0, &both, errmsg);
    }
    if (!rc)
        rc = xap_enquire_new(s->db, &enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, both, errmsg);
    if (!rc)
        rc = xap_enquire_set_boolean(enq, errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, PAGE_PASSAGES_MAX, 0, &mset, errmsg);
    unsigned n = rc ? 0 : xap_mset_size(mset);
    for (unsigned i = 0; i < n && !rc && !*has; i++) {
        xap_docid id = 0;
        double weight = 0;
        char *data = NULL;
        rc = xap_mset_item(mset, i, &id, &weight, errmsg);
        if (rc || is_deleted(s, id))
            continue;
        const char *f[PF_COUNT];
        rc = passage_read(s, id, &data, f, errmsg);
        if (!rc)
            rc = holds_word(s, f[PF_TEXT], word, has, errmsg);
        free(data);
    }
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
        int rc = page_has(s, cands[i].page_key, &plan->parts[w], &all, errmsg);
        if (rc)
            return rc;
    }
    cands[i].page_holds_all = all;
    return SH_OK;
}

#define FILL_CANDIDATES_PER_SLOT 4
#define FILL_MIN_CANDIDATES 50

int search_fill(search_session *s, const qbuild_result *exact, const partial_plan *plan,
                size_t want, size_t first_rank, const result_sink *p, summary *sum, char **errmsg)
{
    if (!plan || !plan->any.query || !exact->query || want == 0)
        return SH_OK;
    /* Not AND_NOT the exact query: its candidates are a superset of the exact matches (bigrams
     * apart), and would take partial matches with them; a passage holding every word is left out
     * below, on its text. */
    xap_query *q = NULL;
    xap_enquire *enq = NULL;
    xap_mset *mset = NULL;
    fill_candidate *cands = NULL;
    int rc = xap_query_scale(plan->any.query, 1.0, &q, errmsg);
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
        char *data = NULL;
        cands[i].order = i;
        rc = xap_mset_item(mset, i, &cands[i].id, &cands[i].weight, errmsg);
        if (!rc && is_deleted(s, cands[i].id)) { /* a replaced passage: left out below */
            cands[i].held = plan->nparts;
            continue;
        }
        const char *f[PF_COUNT];
        if (!rc)
            rc = passage_read(s, cands[i].id, &data, f, errmsg);
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
        char *rec = NULL;
        size_t rec_len = 0;
        rc = search_passage_record(s, cands[i].id, &rec, &rec_len, errmsg);
        if (!rc)
            rc = emit_document(s, cands[i].id, rec, rec_len, first_rank + i, cands[i].weight,
                               &plan->any, &mark, p, &sum->mentions, NULL, errmsg);
        free(rec);
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
