/* search.h — runs a built query against the index and turns each match into a result record
 * (document-data and page record decoded, mentions located in the original text), handing it
 * to the printer. Owns the read-only database session, reopen-on-modified and the index
 * identity check; knows nothing about output formats. */
#ifndef SHIRYO_SEARCH_H
#define SHIRYO_SEARCH_H

#include <stddef.h>

#include "parts.h"
#include "result.h"
#include "qbuild.h"
#include "shiryo/analyzer.h"
#include "shiryo/xap.h"

typedef struct search_session search_session;

/* Opens the index in dir read-only and checks it was built by this schema, ICU and MeCab
 * dictionary (SH_ERR_VERSION: "re-index with shiryo-index --rebuild"). SH_ERR_NOTFOUND when
 * there is no index: the message says to run shiryo-index. */
int search_open(const char *dir, search_session **out, char **errmsg);
/* Opens every part of ps not yet left out and searches them as one index (Xapian's combined
 * database: statistics and scores over the union). Each part is checked as search_open
 * checks an index; a remote part's message names it. With partial, a part that does not
 * answer is left out (its part.missing says why) instead of failing the search; SH_ERR_NETWORK
 * when no part answers. A later SH_ERR_NETWORK from search_run means a part failed during the
 * query: parts_probe finds which. */
int search_open_parts(parts *ps, int partial, search_session **out, char **errmsg);
void search_close(search_session *s);
sh_analyzer *search_analyzer(search_session *s);
xap_db *search_db(search_session *s);

typedef struct search_opts {
    size_t limit;         /* results to print; 0 = all */
    int all;              /* every match, in document order unless sort_rank */
    int sort_rank;
    int count_mentions;   /* count mentions over every match (--count) */
    int facets;           /* count matches by fiscal year, measure, ministry */
    int exact_total;      /* count every match even for a top-N list */
    int need_total;       /* the list shows its total: count it exactly by a second, weightless
                             pass unless it has more than 200,000 candidates (then estimated) */
} search_opts;

/* Runs q; each result to print goes to p->emit (NULL p: print nothing, e.g. --count, -q).
 * Fills *sum (total is exact; facets point into memory freed by search_summary_free).
 * Retries after the database was modified by a writer. */
int search_run(search_session *s, const qbuild_result *q, const search_opts *opts,
               const result_sink *p, summary *sum, char **errmsg);
void search_summary_free(summary *sum);

/* After a ranked list of the exact matches that came out short: prints up to want passages that
 * match plan->any but not exact — first those whose page holds every word in some passage
 * (marked "page"), then the others (marked "partial"), each group with more of the words first,
 * then by weight — with the words each lacks, ranked from first_rank on; counts them in
 * sum->page and sum->partial. A NULL plan prints nothing. Candidates are the best
 * max(4 × want, 50) passages of plan->any by BM25. */
struct partial_plan;
int search_fill(search_session *s, const qbuild_result *exact, const struct partial_plan *plan,
                size_t want, size_t first_rank, const result_sink *p, summary *sum, char **errmsg);

/* The page record (schema.h PR_* fields, all non-NULL) of page_key, read from the shard holding
 * docid (its passage; 0 = ask every shard), cached for the session; NULL with *errmsg on a
 * database error. Valid until the next call. */
const char *const *search_page_record(search_session *s, xap_docid docid, const char *page_key,
                                      char **errmsg);

/* 1 if combined docid id is a passage replaced or removed since (the index keeps it until its
 * shard is rebuilt; every reader must skip it). */
int search_is_deleted(const search_session *s, xap_docid id);

/* Proof of one literal on one passage: the occurrences of the normalized, trimmed literal in
 * the normalized original text (0: the candidate is not a match). */
int search_literal_occurrences(search_session *s, const char *text, const char *literal,
                               size_t *occurrences, char **errmsg);

/* Splits a document-data record (writable, len bytes) at '\n' into PF_COUNT fields (missing
 * fields are ""). Returns 1 if the record is a passage record of this schema. */
int search_passage_fields(char *data, size_t len, const char **fields);

#endif
