/* xap.h — plain C API over Xapian's C++ API (implemented in shim/xap.cc, the only C++ in shiryo).
 * One opaque handle per Xapian concept; create/destroy pairs; destroy(NULL) is a no-op.
 * Every function returns an int status from shiryo/status.h (SH_OK on success) and on failure sets
 * *errmsg (if errmsg is non-NULL) to a malloc'd one-line message the caller frees with free().
 * No C++ exception ever crosses this boundary. Policy (terms, prefixes, ranking) stays in C.
 * Strings are pointer + length unless noted; returned buffers are malloc'd and owned by the caller. */
#ifndef SHIRYO_XAP_H
#define SHIRYO_XAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xap_db xap_db;           /* read-only database (Xapian::Database) */
typedef struct xap_wdb xap_wdb;         /* writable database (Xapian::WritableDatabase) */
typedef struct xap_doc xap_doc;         /* document being built or read (Xapian::Document) */
typedef struct xap_query xap_query;     /* immutable query tree (Xapian::Query) */
typedef struct xap_enquire xap_enquire; /* a search session over an xap_db (Xapian::Enquire) */
typedef struct xap_mset xap_mset;       /* one page of ranked results (Xapian::MSet) */
typedef struct xap_spy xap_spy;         /* value count match spy, for facets (Xapian::ValueCountMatchSpy) */

typedef unsigned xap_docid;

/* ---- writable database ---- */
enum xap_open_mode {
    XAP_OPEN_CREATE_OR_OPEN = 0, /* open, creating if missing */
    XAP_OPEN_CREATE_OR_OVERWRITE = 1, /* start over */
    XAP_OPEN_EXISTING = 2,       /* fail with SH_ERR_NOTFOUND if missing */
    /* OR'ed into a mode: a database created now gets no termlist table (smaller, faster to
     * build; Xapian then cannot delete or replace its documents). */
    XAP_OPEN_NO_TERMLIST = 0x100 /* (an existing database without one opens as it is) */
};
/* Opens (or creates) a glass database at path. SH_ERR_LOCKED if another writer holds it,
 * SH_ERR_CORRUPT if the directory is not a Xapian database or is damaged. */
int xap_wdb_open(const char *path, int mode, xap_wdb **out, char **errmsg);
/* Commits nothing: pending changes not committed are discarded (Xapian semantics on close
 * without commit inside a transaction); outside a transaction Xapian commits on close, so call
 * xap_wdb_commit explicitly. Releases the lock. */
void xap_wdb_destroy(xap_wdb *wdb);
int xap_wdb_commit(xap_wdb *wdb, char **errmsg);
/* Documents in the database, pending ones included. */
int xap_wdb_doccount(xap_wdb *wdb, unsigned long long *out, char **errmsg);
/* Transactions: flushed=1 commits on success (atomic batch). */
int xap_wdb_begin_transaction(xap_wdb *wdb, int flushed, char **errmsg);
int xap_wdb_commit_transaction(xap_wdb *wdb, char **errmsg);
int xap_wdb_cancel_transaction(xap_wdb *wdb, char **errmsg);
int xap_wdb_add_document(xap_wdb *wdb, const xap_doc *doc, xap_docid *docid_out, char **errmsg);
/* Replaces the document(s) indexed by unique term `term` (adds if none). docid_out may be NULL. */
int xap_wdb_replace_document_by_term(xap_wdb *wdb, const char *term, size_t term_len,
                                     const xap_doc *doc, xap_docid *docid_out, char **errmsg);
/* Deletes every document indexed by term (none is not an error). */
int xap_wdb_delete_documents_by_term(xap_wdb *wdb, const char *term, size_t term_len,
                                     char **errmsg);
/* User metadata (key/value, keys up to ~200 bytes). An empty value deletes the key. */
int xap_wdb_set_metadata(xap_wdb *wdb, const char *key, size_t key_len, const char *value,
                         size_t value_len, char **errmsg);
/* Sets *value (malloc'd, NUL-terminated, "" when absent) and *value_len. */
int xap_wdb_get_metadata(xap_wdb *wdb, const char *key, size_t key_len, char **value,
                         size_t *value_len, char **errmsg);
/* Calls fn for every term starting with prefix, in sorted order; fn returns non-zero to stop.
 * (Used e.g. to list the files an index holds.) */
typedef int (*xap_term_fn)(void *ctx, const char *term, size_t term_len, unsigned termfreq);
int xap_wdb_allterms(xap_wdb *wdb, const char *prefix, size_t prefix_len, xap_term_fn fn,
                     void *ctx, char **errmsg);
/* Calls fn for every metadata key starting with prefix; fn gets the key (value not fetched). */
typedef int (*xap_key_fn)(void *ctx, const char *key, size_t key_len);
int xap_wdb_metadata_keys(xap_wdb *wdb, const char *prefix, size_t prefix_len, xap_key_fn fn,
                          void *ctx, char **errmsg);

/* Per-document records, kept as metadata of the shard that holds the document: key = prefix +
 * the document's shard-local docid, value deflated (as Glass stores document data). Xapian's
 * remote backend cannot return a document of a shard without a termlist table (it reads all
 * its values through that table) but serves metadata, so a record kept here reads the same
 * from a local shard and from one xapian-tcpsrv serves. An empty value removes the record. */
int xap_wdb_set_doc_record(xap_wdb *wdb, const char *prefix, xap_docid docid, const char *value,
                           size_t len, char **errmsg);
/* docid's record (docid as numbered by db, however many shards or parts it combines): *value
 * malloc'd, NUL-terminated, "" when absent. SH_ERR_CORRUPT when it does not decompress. */
int xap_db_get_doc_record(xap_db *db, const char *prefix, xap_docid docid, char **value,
                          size_t *len, char **errmsg);
/* The record as stored (deflated; *packed malloc'd, "" when absent), for another thread to
 * inflate with an xap_inflater of its own: xap_db is one thread's, an inflater is its owner's. */
int xap_db_get_doc_record_packed(xap_db *db, const char *prefix, xap_docid docid, char **packed,
                                 size_t *len, char **errmsg);
typedef struct xap_inflater xap_inflater;
int xap_inflater_new(xap_inflater **out, char **errmsg);
void xap_inflater_destroy(xap_inflater *inf);
/* A packed record inflated (*plain malloc'd, NUL-terminated; "" for ""); SH_ERR_CORRUPT when it
 * does not decompress. */
int xap_inflater_run(xap_inflater *inf, const char *packed, size_t len, char **plain,
                     size_t *plain_len, char **errmsg);

/* ---- read-only database ---- */
/* SH_ERR_NOTFOUND if path has no database, SH_ERR_CORRUPT if it is damaged or foreign,
 * SH_ERR_PERM if this user may not read it. Any function reports a full disk as
 * SH_ERR_NOSPACE, a permission as SH_ERR_PERM and an I/O error as SH_ERR_IO.
 * A directory of shards opens through xap_db_open_shards (Xapian would read its stub file, but
 * answer metadata from the first shard only). */
int xap_db_open(const char *path, xap_db **out, char **errmsg);
/* Opens the databases at shards[0..n-1] (paths, n >= 1) as one database, in that order: docid d
 * is in shard (d - 1) % n; metadata lookups ask each shard in turn, and the xap_db_*shard* and
 * *doc_metadata calls reach one shard. dir names the whole in messages (the index directory);
 * errors as xap_db_open, a shard this user may not read being SH_ERR_PERM. The caller reads the
 * list (ixdir.h owns the stub file); nothing here does. */
int xap_db_open_shards(const char *dir, const char *const *shards, size_t n, xap_db **out,
                       char **errmsg);
void xap_db_destroy(xap_db *db);
/* Opens, read-only, the database that `xapian-tcpsrv` serves at host:port (Xapian's remote
 * backend). timeout_ms bounds the wait for each reply, connect_timeout_ms the connection; a
 * server that is down, refuses, or does not answer in time is SH_ERR_NETWORK, as is any later
 * call on the handle when the server goes away. */
int xap_db_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                       unsigned connect_timeout_ms, xap_db **out, char **errmsg);
/* One database over parts[0..n-1] (local or remote; Xapian's add_database): the union's
 * statistics, so scores equal those of one index holding every part. The parts stay the
 * caller's (destroy them too); the combination shares their connections. */
int xap_db_combine(xap_db *const *parts, size_t n, xap_db **out, char **errmsg);
/* Shards (Xapian sub-databases) in db: 1 for one database, local or remote. */
unsigned xap_db_shard_count(const xap_db *db);
/* The metadata of key from the shard that holds docid (where the indexer writes a page's
 * record), one lookup however many shards db has; as xap_db_get_metadata otherwise. */
int xap_db_get_doc_metadata(xap_db *db, xap_docid docid, const char *key, size_t key_len,
                            char **value, size_t *value_len, char **errmsg);
/* Metadata of shard k (0-based, Xapian's order: docid d lives in shard (d - 1) % n as local
 * docid (d - 1) / n + 1), as xap_db_get_metadata. SH_ERR_INVALID when k is not a shard. */
int xap_db_shard_get_metadata(xap_db *db, unsigned k, const char *key, size_t key_len,
                              char **value, size_t *value_len, char **errmsg);
/* Writes a compacted copy of db (B-trees full, postings contiguous: smaller and faster to read)
 * to the new directory dest. */
int xap_db_compact(xap_db *db, const char *dest, char **errmsg);
/* Checks one glass database directory (not a stub) as xapian-check does, changing nothing:
 * *errors is the number of problems found; *report (may be NULL) gets Xapian's report text,
 * malloc'd. Damage so bad that checking stops is SH_ERR_CORRUPT with the reason in *errmsg. */
int xap_db_check(const char *path, size_t *errors, char **report, char **errmsg);
/* Reopens at the latest committed revision (after SH_ERR_MODIFIED). *changed (may be NULL)
 * is set to 1 if the revision moved. */
int xap_db_reopen(xap_db *db, int *changed, char **errmsg);
int xap_db_doccount(xap_db *db, unsigned *out, char **errmsg);
int xap_db_termfreq(xap_db *db, const char *term, size_t term_len, unsigned *out,
                    char **errmsg);
/* Occurrences of term over the whole database (the sum of its wdf). */
int xap_db_collection_freq(xap_db *db, const char *term, size_t term_len, unsigned long long *out,
                           char **errmsg);
int xap_db_get_metadata(xap_db *db, const char *key, size_t key_len, char **value,
                        size_t *value_len, char **errmsg);
int xap_db_allterms(xap_db *db, const char *prefix, size_t prefix_len, xap_term_fn fn, void *ctx,
                    char **errmsg);
/* The terms with prefix of each shard in turn, each with that shard's termfreq: a term that
 * several shards hold comes once per shard, unordered across shards. About twice as fast as
 * xap_db_allterms, which merges the shards' lists in order, for a caller that sums the
 * frequencies itself. A database opened as one (local or remote) is one shard. */
int xap_db_allterms_each_shard(xap_db *db, const char *prefix, size_t prefix_len, xap_term_fn fn,
                               void *ctx, char **errmsg);
/* Fetches a stored document; SH_ERR_NOTFOUND if docid does not exist. */
int xap_db_get_document(xap_db *db, xap_docid docid, xap_doc **out, char **errmsg);
/* Calls fn for each docid indexed by term, ascending; fn returns non-zero to stop. */
typedef int (*xap_posting_fn)(void *ctx, xap_docid docid);
int xap_db_postlist(xap_db *db, const char *term, size_t term_len, xap_posting_fn fn, void *ctx,
                    char **errmsg);

/* Sum of term's wdf (occurrences) over docids (strictly ascending); absent documents add 0. */
int xap_db_sum_wdf(xap_db *db, const char *term, size_t term_len, const xap_docid *docids,
                   size_t n, unsigned long long *sum, char **errmsg);
/* wdfs[i] = term's wdf in docids[i] (strictly ascending), 0 where absent: one postlist walk. */
int xap_db_wdfs(xap_db *db, const char *term, size_t term_len, const xap_docid *docids, size_t n,
                unsigned *wdfs, char **errmsg);
/* Positions of term in docid, ascending: *positions malloc'd (caller frees), *n entries
 * (0 when the term is absent or has no positions). */
int xap_db_positions(xap_db *db, xap_docid docid, const char *term, size_t term_len,
                     unsigned **positions, size_t *n, char **errmsg);

/* ---- documents ---- */
int xap_doc_new(xap_doc **out, char **errmsg);
void xap_doc_destroy(xap_doc *doc);
/* Empties terms, values and data so the handle can be reused for the next document. */
int xap_doc_clear(xap_doc *doc, char **errmsg);
/* Adds term with wdf increment (no position). Terms longer than 245 bytes are SH_ERR_INVALID. */
int xap_doc_add_term(xap_doc *doc, const char *term, size_t len, unsigned wdf_inc, char **errmsg);
/* Adds term at position pos (positions > 0) with wdf increment. */
int xap_doc_add_posting(xap_doc *doc, const char *term, size_t len, unsigned pos,
                        unsigned wdf_inc, char **errmsg);
/* Boolean term: wdf 0, no position (filters, unique ids). */
int xap_doc_add_boolean_term(xap_doc *doc, const char *term, size_t len, char **errmsg);
int xap_doc_set_data(xap_doc *doc, const char *data, size_t len, char **errmsg);
/* *data is malloc'd (NUL-terminated) and owned by the caller. */
int xap_doc_get_data(const xap_doc *doc, char **data, size_t *len, char **errmsg);
int xap_doc_add_value(xap_doc *doc, unsigned slot, const char *value, size_t len,
                      char **errmsg);
int xap_doc_get_value(const xap_doc *doc, unsigned slot, char **value, size_t *len,
                      char **errmsg);

/* ---- queries (immutable; combining copies references, so subqueries may be destroyed) ---- */
enum xap_op {
    XAP_OP_AND = 0,
    XAP_OP_OR,
    XAP_OP_AND_NOT,     /* first subquery minus the rest */
    XAP_OP_AND_MAYBE,   /* first subquery decides matches; the rest only add weight */
    XAP_OP_FILTER,      /* first subquery decides weight; the rest filter without weight */
    XAP_OP_PHRASE,      /* subqueries (terms) at consecutive positions when window == count */
    XAP_OP_NEAR,
    XAP_OP_SYNONYM,
    XAP_OP_MAX          /* matches any subquery; weighs as the best of them, not their sum */
};
int xap_query_term(const char *term, size_t len, unsigned wqf, xap_query **out, char **errmsg);
/* Every term that starts with prefix, as one synonym (expanded where the match runs). */
int xap_query_prefix(const char *prefix, size_t len, xap_query **out, char **errmsg);
/* Combines n >= 1 subqueries with op; window is used by PHRASE/NEAR (0 = number of subqueries). */
int xap_query_combine(int op, xap_query *const *subs, size_t n, unsigned window,
                      xap_query **out, char **errmsg);
/* Multiplies the weight of q by factor (>= 0; 0 makes it purely boolean). */
int xap_query_scale(const xap_query *q, double factor, xap_query **out, char **errmsg);
int xap_query_match_all(xap_query **out, char **errmsg);
int xap_query_match_nothing(xap_query **out, char **errmsg);
/* Matches documents whose value in slot lies in [lo, hi] (string comparison). */
int xap_query_value_range(unsigned slot, const char *lo, size_t lo_len, const char *hi,
                          size_t hi_len, xap_query **out, char **errmsg);
/* Xapian's description of the query (for --verbose/debug); *out malloc'd. */
int xap_query_describe(const xap_query *q, char **out, char **errmsg);
void xap_query_destroy(xap_query *q);

/* ---- enquire / mset ---- */
int xap_enquire_new(xap_db *db, xap_enquire **out, char **errmsg);
void xap_enquire_destroy(xap_enquire *enq);
int xap_enquire_set_query(xap_enquire *enq, const xap_query *q, char **errmsg);
/* BM25 with explicit parameters (Xapian defaults: k1=1, k2=0, k3=1, b=0.5, min_normlen=0.5). */
int xap_enquire_set_bm25(xap_enquire *enq, double k1, double k2, double k3, double b,
                         double min_normlen, char **errmsg);
/* Boolean weighting: every match weighs 0; combined with docid order gives document order. */
int xap_enquire_set_boolean(xap_enquire *enq, char **errmsg);
enum xap_order { XAP_ORDER_RELEVANCE = 0, XAP_ORDER_DOCID_ASC, XAP_ORDER_DOCID_DESC };
/* Sort by relevance (ties by docid ascending), or purely by docid. */
int xap_enquire_set_order(xap_enquire *enq, int order, char **errmsg);
/* Sorts matches by the value in slot (byte order; reverse=1 descending), relevance ignored. */
int xap_enquire_set_sort_by_value(xap_enquire *enq, unsigned slot, int reverse, char **errmsg);
/* Sorts by relevance, equal weights by the value in slot (byte order; reverse=1 descending):
 * unlike docid order, the same however the documents are spread over shards and parts. */
int xap_enquire_set_sort_by_relevance_then_value(xap_enquire *enq, unsigned slot, int reverse,
                                                 char **errmsg);
/* Registers a value-count spy (facets) on slot; the spy must outlive the next get_mset. */
int xap_enquire_add_spy(xap_enquire *enq, xap_spy *spy, char **errmsg);
/* Runs the query: results first..first+maxitems-1; checkatleast forces counting at least that
 * many matches (use the doccount for exact counts). SH_ERR_MODIFIED means reopen and retry. */
int xap_enquire_get_mset(xap_enquire *enq, unsigned first, unsigned maxitems,
                         unsigned checkatleast, xap_mset **out, char **errmsg);

void xap_mset_destroy(xap_mset *mset);
unsigned xap_mset_size(const xap_mset *mset);
/* Estimates of the total number of matches; exact when lower == upper. */
unsigned xap_mset_matches_estimated(const xap_mset *mset);
unsigned xap_mset_matches_lower(const xap_mset *mset);
unsigned xap_mset_matches_upper(const xap_mset *mset);
/* Item i (0-based) of the mset: docid and weight. SH_ERR_INVALID if i is out of range. */
int xap_mset_item(const xap_mset *mset, unsigned i, xap_docid *docid, double *weight,
                  char **errmsg);
/* Stored document of item i (*out owned by caller). */
int xap_mset_document(const xap_mset *mset, unsigned i, xap_doc **out, char **errmsg);

/* ---- facets ---- */
int xap_spy_new(unsigned slot, xap_spy **out, char **errmsg);
void xap_spy_destroy(xap_spy *spy);
/* Calls fn for each distinct value seen with its count (most frequent first). */
typedef int (*xap_facet_fn)(void *ctx, const char *value, size_t len, unsigned count);
int xap_spy_values(const xap_spy *spy, xap_facet_fn fn, void *ctx, char **errmsg);
unsigned xap_spy_total(const xap_spy *spy); /* documents the spy saw */

/* Xapian library version string, e.g. "1.4.22" (static). */
const char *xap_version(void);

#ifdef __cplusplus
}
#endif

#endif
