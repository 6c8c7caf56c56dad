/* search.h — runs a built query against the index and turns each match into a result record
 * (document-data and page record decoded, mentions located in the original text), handing it
 * to the printer. Owns the read-only database session, reopen-on-modified and the index
 * identity check; knows nothing about output formats. */
#ifndef SHIRYO_SEARCH_H
#define SHIRYO_SEARCH_H

#include <stddef.h>

#include "printer.h"
#include "qbuild.h"
#include "shiryo/analyzer.h"
#include "shiryo/xap.h"

typedef struct search_session search_session;

/* Opens the index in dir read-only and checks it was built by this schema, ICU and MeCab
 * dictionary (SH_ERR_VERSION: "re-index with shiryo-index --rebuild"). SH_ERR_NOTFOUND when
 * there is no index: the message says to run shiryo-index. */
int search_open(const char *dir, search_session **out, char **errmsg);
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
} search_opts;

/* Runs q; each result to print goes through p (NULL: print nothing, e.g. --count, -q).
 * Fills *sum (total is exact; facets point into memory freed by search_summary_free).
 * Retries after the database was modified by a writer. */
int search_run(search_session *s, const qbuild_result *q, const search_opts *opts, printer *p,
               summary *sum, char **errmsg);
void search_summary_free(summary *sum);

/* The page record (schema.h PR_* fields, all non-NULL) of page_key, cached for the session;
 * NULL with *errmsg on a database error. Valid until the next call. */
const char *const *search_page_record(search_session *s, const char *page_key, char **errmsg);

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
