/* index.c — passages to Xapian documents through the shim: terms via terms.c, a document-data
 * record and a page record per file (schema.h), batches committed inside Xapian transactions. */
#include "index.h"

#include "columns.h"
#include "page.h"
#include "passage.h"
#include "programs.h"
#include "sheets.h"
#include "textfile.h"

#include "shiryo/analyzer.h"
#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/docset.h"
#include "shiryo/identity.h"
#include "shiryo/norm.h"
#include "shiryo/pagerec.h"
#include "shiryo/passrec.h"
#include "shiryo/progrec.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/strlist.h"
#include "shiryo/terms.h"
#include "shiryo/xap.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A batch is committed atomically once it holds this many passages: bounds memory and the
 * work lost to a kill, without a commit per file (each commit syncs to disk). */
#define BATCH_PASSAGES 20000
/* Xapian's inverter keeps one std::map of documents per term until it flushes them into the
 * tables (inside a transaction too): every 10,000 documents by default, when those maps are deep
 * and every posting costs cache misses. Flushing every 2,000 passages builds the 20 MB corpus
 * about twice as fast, with the same index bytes. Xapian 1.4 takes it from the environment only;
 * a value the user set is kept. */
#define XAPIAN_FLUSH_EVERY "2000"

struct sh_indexer {
    xap_wdb *wdb;
    sh_analyzer *an;
    xap_doc *doc;          /* reused for every passage: no per-document setup */
    sh_buf record;         /* scratch: document data / page record */
    sh_buf key;            /* scratch: metadata key / term */
    sh_buf programs;       /* scratch: program record of a passage */
    const sheet_set *sheets;    /* budget sheets of the page being indexed, or NULL */
    const unsigned *sheet_home; /* per sheet program: the ordinal of the passage holding it */
    sh_buf name;           /* scratch: the file name as UTF-8, for its terms */
    /* Terms every passage of the page being indexed carries (its key, file name, title, title
     * words, page number), and those of the measure heading last seen (measure_of): made once
     * per page and per measure, not per passage (the title alone was a fifth of MeCab's work). */
    sh_termset page_terms, measure_terms;
    sh_buf measure_of;
    int measure_valid;
    size_t batch_passages;
    int in_transaction;
    docset deleted;        /* this shard's replaced passages (META_DELETED) */
    int deleted_dirty;     /* changed in the open batch: written before it commits */
    xap_docid first_docid, last_docid; /* passages of the file being added */
    /* The open batch's passage records (schema.h META_PASSAGE_PREFIX), written in docid order
     * just before it commits: written between the page records they would land in half-full
     * B-tree blocks (about a fifth more bytes until the shard is compacted). */
    sh_buf records;
    struct pending_record { xap_docid id; size_t at, len; } *pending;
    size_t npending, pending_cap;
    char *dir;
};

static uint64_t fnv1a64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int begin_batch(sh_indexer *ix, char **errmsg)
{
    if (ix->in_transaction)
        return SH_OK;
    int rc = xap_wdb_begin_transaction(ix->wdb, 1, errmsg);
    if (!rc)
        ix->in_transaction = 1;
    return rc;
}

/* Writes the deletion list into the open batch, so that it commits with the pages it covers. */
static int write_deleted(sh_indexer *ix, char **errmsg)
{
    if (!ix->deleted_dirty)
        return SH_OK;
    char *text = NULL;
    size_t len = 0;
    if (docset_format(&ix->deleted, &text, &len))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = xap_wdb_set_metadata(ix->wdb, META_DELETED, strlen(META_DELETED), text, len, errmsg);
    free(text);
    if (!rc)
        ix->deleted_dirty = 0;
    return rc;
}

/* Writes the open batch's passage records, in docid order. */
static int write_records(sh_indexer *ix, char **errmsg)
{
    int rc = SH_OK;
    for (size_t i = 0; i < ix->npending && !rc; i++)
        rc = xap_wdb_set_doc_record(ix->wdb, META_PASSAGE_PREFIX, ix->pending[i].id,
                                    ix->records.data + ix->pending[i].at, ix->pending[i].len,
                                    errmsg);
    ix->npending = 0;
    sh_buf_clear(&ix->records);
    return rc;
}

static int commit_batch(sh_indexer *ix, char **errmsg)
{
    if (!ix->in_transaction)
        return SH_OK;
    int rc = write_records(ix, errmsg);
    if (!rc)
        rc = write_deleted(ix, errmsg);
    unsigned long long docs = 0;
    char num[32];
    if (!rc)
        rc = xap_wdb_doccount(ix->wdb, &docs, errmsg);
    snprintf(num, sizeof num, "%llu", docs);
    if (!rc)
        rc = xap_wdb_set_metadata(ix->wdb, META_DOCUMENTS, strlen(META_DOCUMENTS), num,
                                  strlen(num), errmsg);
    if (rc)
        return rc;
    ix->in_transaction = 0;
    ix->batch_passages = 0;
    return xap_wdb_commit_transaction(ix->wdb, errmsg);
}

static int load_deleted(sh_indexer *ix, char **errmsg)
{
    char *text = NULL;
    size_t len = 0;
    int rc = xap_wdb_get_metadata(ix->wdb, META_DELETED, strlen(META_DELETED), &text, &len, errmsg);
    if (!rc && docset_parse(&ix->deleted, text, len))
        rc = sh_fail(errmsg, SH_ERR_CORRUPT, "%s: the list of replaced passages is damaged: "
                     "rebuild the index with shiryo-index --rebuild", ix->dir);
    free(text);
    return rc;
}

/* Compares stored analysis identity with this build's; records it in a new index. */
static int check_identity(sh_indexer *ix, char **errmsg)
{
    const sh_identity_target t = {ix->dir, "with shiryo-index --rebuild", NULL};
    return sh_identity_check_wdb(sh_analyzer_seg(ix->an), ix->wdb, &t, errmsg);
}

unsigned sh_indexer_shard_of(const char *path, unsigned nshards)
{
    return nshards ? (unsigned)(fnv1a64(path, strlen(path)) % nshards) : 0;
}

int sh_indexer_open(const char *dir, int rebuild, sh_indexer **out, char **errmsg)
{
    sh_indexer *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->dir = strdup(dir))) {
        free(ix);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    if (setenv("XAPIAN_FLUSH_THRESHOLD", XAPIAN_FLUSH_EVERY, 0) != 0) {
        sh_indexer_close(ix);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    /* Open (without overwriting) first: a locked index must not be touched at all. */
    int rc = xap_wdb_open(dir, XAP_OPEN_CREATE_OR_OPEN | XAP_OPEN_NO_TERMLIST, &ix->wdb, errmsg);
    if (!rc && rebuild) {
        xap_wdb_destroy(ix->wdb);
        ix->wdb = NULL;
        rc = xap_wdb_open(dir, XAP_OPEN_CREATE_OR_OVERWRITE | XAP_OPEN_NO_TERMLIST, &ix->wdb,
                          errmsg);
    }
    if (rc == SH_ERR_LOCKED) {
        sh_fail(errmsg, rc, "index %s is locked by another writer: wait for it to finish", dir);
    } else if (rc == SH_ERR_CORRUPT) {
        char *why = errmsg && *errmsg ? strdup(*errmsg) : NULL;
        sh_fail(errmsg, rc, "%s: not a shiryo index or damaged (%s): give another --index "
                "directory, or remove it and index again", dir, why ? why : "unreadable");
        free(why);
    } else if (rc) {
        sh_fail_prefix(errmsg, rc, dir);
    }

    if (!rc)
        rc = sh_analyzer_open(NULL, &ix->an, errmsg);
    if (!rc)
        rc = xap_doc_new(&ix->doc, errmsg);
    if (!rc)
        rc = check_identity(ix, errmsg);
    if (!rc)
        rc = load_deleted(ix, errmsg);
    if (!rc)
        rc = xap_wdb_commit(ix->wdb, errmsg);
    if (rc) {
        sh_indexer_close(ix);
        return rc;
    }
    *out = ix;
    return SH_OK;
}

static int page_key_of(const char *path, char key[17])
{
    snprintf(key, 17, "%016" PRIx64, fnv1a64(path, strlen(path)));
    return SH_OK;
}

/* Reads the stored content hash of a page (empty when the page is not indexed) and the
 * shard-local docids of its passages (*first = 0 when it has none). */
static int stored_page(sh_indexer *ix, const char *page_key, char hash_out[17], xap_docid *first,
                       xap_docid *last, char **errmsg)
{
    hash_out[0] = '\0';
    *first = *last = 0;
    if (sh_pagerec_key(&ix->key, page_key))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    char *rec = NULL;
    size_t len = 0;
    int rc = xap_wdb_get_metadata(ix->wdb, ix->key.data, ix->key.len, &rec, &len, errmsg);
    if (rc)
        return rc;
    const char *f[PR_COUNT];
    if (len > 0 && sh_pagerec_decode(rec, len, f) == SH_OK && strlen(f[PR_HASH]) == 16) {
        memcpy(hash_out, f[PR_HASH], 17);
        sh_pagerec_docids(f[PR_DOCIDS], first, last);
    }
    free(rec);
    return SH_OK;
}

static int write_page_record(sh_indexer *ix, const char *path, const char *page_key,
                             const char *hash, const page *pg, size_t npassages, char **errmsg)
{
    const sh_pagerec r = {path, hash, npassages, pg->title, pg->material, pg->page_no, pg->url,
                          pg->source, pg->meeting, pg->session, pg->date, pg->publisher,
                          pg->joint, ix->first_docid, ix->last_docid};
    if (sh_pagerec_encode(&ix->record, &r) || sh_pagerec_key(&ix->key, page_key))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return xap_wdb_set_metadata(ix->wdb, ix->key.data, ix->key.len, ix->record.data,
                                ix->record.len, errmsg);
}

/* The lines of bytes [start, end) of ps, at most 64 (a record keeps no more). */
static size_t lines_in(const passage *ps, size_t start, size_t end, unsigned lines[64])
{
    size_t n = passage_lines_in(ps, start, end, lines, 64);
    return n > 64 ? 64 : n;
}

/* Appends one budget record (progrec.h): the one encoder of budget lines, for both
 * extractors. */
static int put_budget(sh_buf *b, const char *name, int fy, const char *kind, long long yen,
                      int within, const char *parent, const unsigned *lines, size_t nlines,
                      const char *unit)
{
    const sh_progrec r = {.tag = SH_PROGREC_BUDGET, .name = name, .fiscal_year = fy,
                          .kind = kind, .amount_yen = yen, .within = within, .parent = parent,
                          .unit = unit, .line_numbers = lines, .nlines = nlines};
    return sh_progrec_put(b, &r);
}

/* Appends one mention record (progrec.h). */
static int put_mention(sh_buf *b, const char *name, const char *successor_of,
                       const unsigned *lines, size_t nlines)
{
    const sh_progrec r = {.tag = SH_PROGREC_MENTION, .name = name, .successor_of = successor_of,
                          .line_numbers = lines, .nlines = nlines};
    return sh_progrec_put(b, &r);
}

/* Whether one of lines holds a figure the budget-sheet reader took: a (…) the inline reader
 * finds across sheet lines ((前年度予算額 令和7年度要求額 44,550千円)) is that figure misread. */
static int read_by_sheets(const sheet_set *sheets, const unsigned *lines, size_t n)
{
    for (size_t i = 0; sheets && i < sheets->n; i++)
        for (size_t k = 0; k < sheets->items[i].nbudgets; k++)
            for (size_t l = 0; l < n; l++)
                if (lines[l] == sheets->items[i].budgets[k].figure_line)
                    return 1;
    return 0;
}

/* Serializes the passage's program mentions and budget lines (schema.h, PF_PROGRAMS), names in
 * their display form (NFKC, case kept), each with the source lines it was read from. */
static int programs_record(sh_indexer *ix, sh_buf *b, const passage *ps, const program_set *set,
                           char **errmsg)
{
    for (size_t i = 0; i < set->n; i++) {
        const program_mention *m = &set->items[i];
        char *name = NULL, *succ = NULL;
        int rc = sh_norm_display(sh_analyzer_norm(ix->an), m->name, strlen(m->name), &name, errmsg);
        if (!rc && m->successor_of)
            rc = sh_norm_display(sh_analyzer_norm(ix->an), m->successor_of, strlen(m->successor_of), &succ,
                                 errmsg);
        unsigned lines[64];
        if (!rc && put_mention(b, name, succ, lines, lines_in(ps, m->start, m->end, lines)))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < m->nbudgets && !rc; k++) {
            const budget_line *bl = &m->budgets[k];
            char *parent = NULL;
            if (bl->parent)
                rc = sh_norm_display(sh_analyzer_norm(ix->an), bl->parent, strlen(bl->parent), &parent, errmsg);
            size_t from = bl->start < m->start ? bl->start : m->start;
            size_t to = bl->end > m->end ? bl->end : m->end;
            size_t nlines = lines_in(ps, from, to, lines);
            if (!rc && read_by_sheets(ix->sheets, lines, nlines)) {
                free(parent);
                continue; /* the sheet reader read this figure with its own label */
            }
            if (!rc && put_budget(b, name, bl->fiscal_year, bl->kind, bl->amount_yen, bl->within,
                                  parent, lines, nlines, bl->unit))
                rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            free(parent);
        }
        free(name);
        free(succ);
        if (rc)
            return rc;
    }
    return SH_OK;
}

/* The budget-sheet programs whose name is in passage number ordinal (sheets.h): an R term and a
 * mention and budget records each, so --programs finds them like the inline ones. */
static int sheet_programs_add(sh_indexer *ix, xap_doc *doc, unsigned ordinal, char **errmsg)
{
    sh_buf *b = &ix->programs;
    for (size_t i = 0; ix->sheets && i < ix->sheets->n; i++) {
        const sheet_program *sp = &ix->sheets->items[i];
        if (ix->sheet_home[i] != ordinal)
            continue;
        char *name = NULL;
        int rc = terms_add_boolean(ix->an, doc, PFX_PROGRAM, sp->name, strlen(sp->name), errmsg);
        if (!rc)
            rc = sh_norm_display(sh_analyzer_norm(ix->an), sp->name, strlen(sp->name), &name, errmsg);
        if (!rc && put_mention(b, name, "", &sp->name_line, 1))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < sp->nbudgets && !rc; k++) {
            const sheet_budget *sb = &sp->budgets[k];
            if (put_budget(b, name, sb->fiscal_year, sb->kind, sb->amount_yen, sb->within, "",
                           sb->lines, sb->nlines, sb->unit))
                rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        }
        free(name);
        if (rc)
            return rc;
    }
    return SH_OK;
}

static int holds(const char *text, size_t len, const char *s)
{
    size_t l = strlen(s);
    for (size_t i = 0; l && i + l <= len; i++)
        if (memcmp(text + i, s, l) == 0)
            return 1;
    return 0;
}

static int has_line(const passage *ps, unsigned line)
{
    for (size_t l = 0; l < ps->nlines; l++)
        if (ps->lines[l] == line)
            return 1;
    return 0;
}

/* Where each sheet program is stored: the passage that holds its name line and its name, else
 * (a name the layout made a heading) the passage holding its first figure. */
static int sheet_homes(const sheet_set *sheets, const passage_set *set, unsigned **out,
                       char **errmsg)
{
    *out = malloc((sheets->n ? sheets->n : 1) * sizeof **out);
    if (!*out)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < sheets->n; i++) {
        const sheet_program *sp = &sheets->items[i];
        unsigned home = UINT_MAX;
        for (size_t k = 0; k < set->n && home == UINT_MAX; k++) {
            const passage *ps = &set->items[k];
            if (has_line(ps, sp->name_line) && holds(ps->text, ps->len, sp->name))
                home = (unsigned)k;
        }
        for (size_t k = 0; k < set->n && home == UINT_MAX && sp->nbudgets; k++)
            if (has_line(&set->items[k], sp->budgets[0].figure_line))
                home = (unsigned)k;
        (*out)[i] = home;
    }
    return SH_OK;
}

static int passage_record(sh_buf *b, const char *page_key, const passage *ps,
                          const col_layout *l, unsigned ordinal, const char *programs)
{
    const col_column *col = &l->cols[ps->column >= 1 && ps->column <= l->ncols ? ps->column - 1 : 0];
    const sh_passrec r = {page_key, ps->lines, ps->nlines, ps->section, ps->measure, ps->column,
                          col->label, col->fiscal_year, col->fy_label, ps->ministries,
                          ps->nministries, ordinal, programs, ps->text, ps->len};
    return sh_passrec_encode(b, &r);
}

/* A file name may be any bytes (a Shift_JIS name from an archive made on Windows): its terms
 * and its page's title fallback come from the name with each byte that is not UTF-8 read as
 * U+FFFD, while the stored path keeps the bytes. NULL when out of memory. */
static const char *utf8_name(sh_buf *b, const char *name)
{
    size_t len = strlen(name);
    if (sh_utf8_valid(name, len))
        return name;
    sh_buf_clear(b);
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = sh_utf8_next(name, len, i, &cp);
        if (n == 1 && cp == 0xFFFD ? sh_buf_puts(b, "\xEF\xBF\xBD") : sh_buf_append(b, name + i, n))
            return NULL;
        i += n;
    }
    return b->data ? b->data : "";
}

/* Makes ix->measure_terms those of measure, unless they already are (the passages of one
 * measure follow one another). */
static int measure_terms_for(sh_indexer *ix, const char *measure, char **errmsg)
{
    if (ix->measure_valid && strcmp(ix->measure_of.data ? ix->measure_of.data : "", measure) == 0)
        return SH_OK;
    ix->measure_valid = 0;
    sh_termset_clear(&ix->measure_terms);
    sh_buf_clear(&ix->measure_of);
    if (sh_buf_puts(&ix->measure_of, measure))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    size_t len = strlen(measure);
    int rc = terms_collect_words(ix->an, &ix->measure_terms, PFX_MEASURE_WORD, measure, len,
                                 errmsg);
    if (!rc)
        rc = terms_collect_boolean(ix->an, &ix->measure_terms, PFX_MEASURE, measure, len, errmsg);
    ix->measure_valid = rc == SH_OK;
    return rc;
}

static int add_passage_doc(sh_indexer *ix, const char *path, const char *page_key,
                           const col_layout *l, const passage *ps, unsigned ordinal,
                           char **errmsg)
{
    xap_doc *doc = ix->doc;
    sh_analyzer *an = ix->an;
    int rc = xap_doc_clear(doc, errmsg);
    if (!rc)
        rc = terms_index_text(an, doc, ps->text, ps->len, errmsg);
    if (!rc)
        rc = sh_termset_apply(&ix->page_terms, doc, errmsg);
    if (!rc)
        rc = measure_terms_for(ix, ps->measure, errmsg);
    if (!rc)
        rc = sh_termset_apply(&ix->measure_terms, doc, errmsg);
    if (!rc)
        rc = terms_add_boolean(an, doc, PFX_SECTION, ps->section, strlen(ps->section), errmsg);
    char num[32];
    snprintf(num, sizeof num, "%d", ps->column);
    if (!rc)
        rc = terms_add_boolean(an, doc, PFX_COLUMN, num, strlen(num), errmsg);
    const col_column *col = &l->cols[ps->column >= 1 && ps->column <= l->ncols ? ps->column - 1 : 0];
    num[0] = '\0';
    if (col->fiscal_year > 0)
        snprintf(num, sizeof num, "%d", col->fiscal_year);
    if (!rc)
        rc = terms_add_boolean(an, doc, PFX_FY, num, strlen(num), errmsg);
    if (!rc)
        rc = xap_doc_add_value(doc, SLOT_FY, num, strlen(num), errmsg);
    sh_buf_clear(&ix->record);
    for (size_t i = 0; i < ps->nministries && !rc; i++) {
        const char *name = ps->ministries[i].name;
        rc = terms_add_boolean(an, doc, PFX_MINISTRY, name, strlen(name), errmsg);
        if (!rc && (sh_buf_puts(&ix->record, i ? "、" : "") || sh_buf_puts(&ix->record, name)))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    if (!rc && ix->record.len)
        rc = xap_doc_add_value(doc, SLOT_MINISTRY, ix->record.data, ix->record.len, errmsg);
    if (!rc && ps->measure[0])
        rc = xap_doc_add_value(doc, SLOT_MEASURE, ps->measure, strlen(ps->measure), errmsg);
    /* Document order: path, then passage ordinal (sortable as bytes). */
    sh_buf_clear(&ix->record);
    if (!rc && sh_buf_printf(&ix->record, "%s%c%08u", path, '\0', ordinal))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = xap_doc_add_value(doc, SLOT_ORDER, ix->record.data, ix->record.len, errmsg);
    /* Programs and budgets, read from the rebuilt passage (broken names joined). */
    program_set *programs = NULL;
    sh_buf_clear(&ix->programs);
    if (!rc) {
        rc = programs_extract(ps->text, ps->len, col->fiscal_year, &programs, errmsg);
        if (rc == SH_ERR_RANGE) { /* a giant passage: index it without programs */
            rc = SH_OK;
            programs = NULL;
        }
    }
    for (size_t i = 0; programs && i < programs->n && !rc; i++)
        rc = terms_add_boolean(an, doc, PFX_PROGRAM, programs->items[i].name,
                               strlen(programs->items[i].name), errmsg);
    if (!rc && programs)
        rc = programs_record(ix, &ix->programs, ps, programs, errmsg);
    if (!rc)
        rc = sheet_programs_add(ix, doc, ordinal, errmsg);
    program_set_destroy(programs);
    if (!rc && passage_record(&ix->record, page_key, ps, l, ordinal,
                              ix->programs.data ? ix->programs.data : ""))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    xap_docid id = 0;
    if (!rc)
        rc = xap_wdb_add_document(ix->wdb, doc, &id, errmsg);
    /* The record is metadata, not document data: xapian-tcpsrv serves it from a shard without a
     * termlist table (schema.h META_PASSAGE_PREFIX). Written when the batch commits. */
    struct pending_record *pr = rc ? NULL : sh_array_grow(ix->pending, &ix->pending_cap,
                                                          ix->npending + 1, sizeof *pr);
    if (!rc && (!pr || sh_buf_append(&ix->records, ix->record.data, ix->record.len)))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc) {
        ix->pending = pr;
        ix->pending[ix->npending++] = (struct pending_record){id, ix->records.len - ix->record.len,
                                                              ix->record.len};
    }
    if (!rc) { /* a page's passages are added one after another: their docids are a range */
        if (!ix->first_docid)
            ix->first_docid = id;
        ix->last_docid = id;
    }
    return rc;
}

/* The terms every passage of page pg carries (sh_indexer.page_terms). */
static int page_terms_build(sh_indexer *ix, const char *path, const char *page_key,
                            const page *pg, char **errmsg)
{
    sh_termset *set = &ix->page_terms;
    sh_termset_clear(set);
    sh_buf *k = &ix->key;
    sh_buf_clear(k);
    if (sh_buf_puts(k, PFX_PAGE) || sh_buf_puts(k, page_key) ||
        sh_termset_add(set, k->data, k->len, 0))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    const char *name = utf8_name(&ix->name, path);
    if (!name)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = terms_collect_boolean(ix->an, set, PFX_FILE, name, strlen(name), errmsg);
    if (!rc)
        rc = terms_collect_boolean(ix->an, set, PFX_TITLE, pg->title, strlen(pg->title), errmsg);
    if (!rc)
        rc = terms_collect_words(ix->an, set, PFX_TITLE_WORD, pg->title, strlen(pg->title),
                                 errmsg);
    if (!rc && pg->page_no > 0) {
        char num[32];
        snprintf(num, sizeof num, "%d", pg->page_no);
        rc = terms_collect_boolean(ix->an, set, PFX_PAGENO, num, strlen(num), errmsg);
    }
    return rc;
}

/* Retires a page: its passages join the deletion list (the shard has no termlist, so Xapian
 * cannot remove them), and their records and the page's record go. */
static int delete_page(sh_indexer *ix, const char *page_key, xap_docid first, xap_docid last,
                       char **errmsg)
{
    if (first) {
        if (docset_add(&ix->deleted, first, last))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        ix->deleted_dirty = 1;
    }
    for (xap_docid id = first; id && id <= last; id++) {
        int rc = xap_wdb_set_doc_record(ix->wdb, META_PASSAGE_PREFIX, id, "", 0, errmsg);
        if (rc)
            return rc;
    }
    if (sh_pagerec_key(&ix->key, page_key))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return xap_wdb_set_metadata(ix->wdb, ix->key.data, ix->key.len, "", 0, errmsg);
}

int sh_indexer_add_file(sh_indexer *ix, const char *path, index_file_result *res, char **errmsg)
{
    memset(res, 0, sizeof *res);
    textfile tf;
    int rc = textfile_read(path, &tf, errmsg);
    if (rc)
        return rc;
    res->bytes = tf.raw_len;
    res->encoding = tf.encoding;
    res->replaced = tf.replaced;
    char page_key[17], hash[17], old_hash[17];
    page_key_of(path, page_key);
    snprintf(hash, sizeof hash, "%016" PRIx64, fnv1a64(tf.data, tf.len));
    xap_docid old_first = 0, old_last = 0;
    rc = stored_page(ix, page_key, old_hash, &old_first, &old_last, errmsg);
    if (rc || strcmp(hash, old_hash) == 0) {
        res->outcome = INDEX_UNCHANGED;
        textfile_free(&tf);
        return rc;
    }
    res->outcome = old_hash[0] ? INDEX_UPDATED : INDEX_ADDED;
    const char *base = strrchr(path, '/');
    page *pg = NULL;
    col_layout *layout = NULL;
    passage_set *set = NULL;
    const char *name = utf8_name(&ix->name, base ? base + 1 : path);
    rc = name ? page_parse(name, tf.data, tf.len, &pg, errmsg)
              : sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = col_layout_build(pg->lines, pg->nlines, &layout, errmsg);
    if (!rc)
        rc = passage_build(pg, layout, &set, errmsg);
    sheet_set *sheets = NULL;
    unsigned *homes = NULL;
    if (!rc)
        rc = sheets_extract(pg->title, pg->lines, pg->nlines, &sheets, errmsg);
    if (!rc)
        rc = sheet_homes(sheets, set, &homes, errmsg);
    ix->sheets = sheets;
    ix->sheet_home = homes;
    if (!rc)
        rc = begin_batch(ix, errmsg);
    if (!rc && old_hash[0])
        rc = delete_page(ix, page_key, old_first, old_last, errmsg);
    ix->first_docid = ix->last_docid = 0;
    if (!rc)
        rc = page_terms_build(ix, path, page_key, pg, errmsg);
    for (size_t i = 0; !rc && i < set->n; i++)
        rc = add_passage_doc(ix, path, page_key, layout, &set->items[i], (unsigned)i, errmsg);
    if (!rc)
        rc = write_page_record(ix, path, page_key, hash, pg, set->n, errmsg);
    if (!rc) {
        res->passages = set->n;
        ix->batch_passages += set->n;
        if (ix->batch_passages >= BATCH_PASSAGES)
            rc = commit_batch(ix, errmsg);
    }
    ix->sheets = NULL;
    ix->sheet_home = NULL;
    free(homes);
    sheet_set_destroy(sheets);
    passage_set_destroy(set);
    col_layout_destroy(layout);
    page_destroy(pg);
    textfile_free(&tf);
    return rc;
}

struct prune_ctx {
    sh_strlist keys;
    int failed;
};

static int collect_key(void *vctx, const char *key, size_t len)
{
    struct prune_ctx *ctx = vctx;
    if (sh_strlist_add(&ctx->keys, key, len)) {
        ctx->failed = 1;
        return 1;
    }
    return 0;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sh_indexer_prune(sh_indexer *ix, const char *root, char *const *keep, size_t nkeep,
                     size_t *removed, char **errmsg)
{
    *removed = 0;
    struct prune_ctx ctx = {SH_STRLIST_INIT, 0};
    int rc = xap_wdb_metadata_keys(ix->wdb, META_PAGE_PREFIX, strlen(META_PAGE_PREFIX),
                                   collect_key, &ctx, errmsg);
    if (!rc && ctx.failed)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    size_t root_len = strlen(root);
    char *const *keys = ctx.keys.items;
    for (size_t i = 0; i < ctx.keys.n && !rc; i++) {
        char *rec = NULL;
        size_t len = 0;
        rc = xap_wdb_get_metadata(ix->wdb, keys[i], strlen(keys[i]), &rec, &len, errmsg);
        if (rc)
            break;
        const char *f[PR_COUNT];
        if (len > 0 && sh_pagerec_decode(rec, len, f) == SH_OK) {
            const char *path = f[PR_PATH];
            int under_root = strncmp(path, root, root_len) == 0 &&
                             (path[root_len] == '/' || path[root_len] == '\0');
            if (under_root && !bsearch(&path, keep, nkeep, sizeof *keep, compare_str)) {
                xap_docid a = 0, b = 0;
                sh_pagerec_docids(f[PR_DOCIDS], &a, &b);
                rc = begin_batch(ix, errmsg);
                if (!rc)
                    rc = delete_page(ix, keys[i] + strlen(META_PAGE_PREFIX), a, b, errmsg);
                if (!rc)
                    (*removed)++;
            }
        }
        free(rec);
    }
    sh_strlist_free(&ctx.keys);
    return rc;
}

int sh_indexer_deleted(sh_indexer *ix, unsigned long long *deleted, unsigned long long *docs,
                       char **errmsg)
{
    *deleted = ix->deleted.count;
    unsigned long long total = 0;
    int rc = xap_wdb_doccount(ix->wdb, &total, errmsg);
    *docs = total;
    return rc;
}

struct path_ctx {
    sh_indexer *ix;
    sh_strlist paths;
    int rc;
    char **errmsg;
};

static int collect_path(void *vctx, const char *key, size_t len)
{
    struct path_ctx *ctx = vctx;
    char *rec = NULL;
    size_t rlen = 0;
    ctx->rc = xap_wdb_get_metadata(ctx->ix->wdb, key, len, &rec, &rlen, ctx->errmsg);
    const char *f[PR_COUNT];
    if (!ctx->rc && rlen && sh_pagerec_decode(rec, rlen, f) == SH_OK &&
        sh_strlist_add(&ctx->paths, f[PR_PATH], strlen(f[PR_PATH])))
        ctx->rc = sh_fail(ctx->errmsg, SH_ERR_NOMEM, "out of memory");
    free(rec);
    return ctx->rc != SH_OK;
}

int sh_indexer_paths(sh_indexer *ix, char ***paths, size_t *n, char **errmsg)
{
    struct path_ctx ctx = {ix, SH_STRLIST_INIT, SH_OK, errmsg};
    int rc = xap_wdb_metadata_keys(ix->wdb, META_PAGE_PREFIX, strlen(META_PAGE_PREFIX),
                                   collect_path, &ctx, errmsg);
    if (!rc)
        rc = ctx.rc;
    if (rc) {
        sh_strlist_free(&ctx.paths);
        return rc;
    }
    sh_strlist_sort(&ctx.paths);
    *paths = ctx.paths.items;
    *n = ctx.paths.n;
    return SH_OK;
}

int sh_indexer_commit(sh_indexer *ix, char **errmsg)
{
    int rc = commit_batch(ix, errmsg);
    if (!rc)
        rc = xap_wdb_commit(ix->wdb, errmsg);
    return rc;
}

void sh_indexer_close(sh_indexer *ix)
{
    if (!ix)
        return;
    if (ix->in_transaction)
        xap_wdb_cancel_transaction(ix->wdb, NULL);
    xap_doc_destroy(ix->doc);
    xap_wdb_destroy(ix->wdb);
    sh_analyzer_close(ix->an);
    sh_buf_free(&ix->record);
    sh_buf_free(&ix->records);
    free(ix->pending);
    sh_buf_free(&ix->key);
    sh_buf_free(&ix->programs);
    docset_free(&ix->deleted);
    sh_buf_free(&ix->name);
    sh_termset_free(&ix->page_terms);
    sh_termset_free(&ix->measure_terms);
    sh_buf_free(&ix->measure_of);
    free(ix->dir);
    free(ix);
}
