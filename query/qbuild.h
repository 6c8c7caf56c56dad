/* qbuild.h — turns a parsed query tree into a Xapian candidate query with the same analysis as
 * indexing (terms.c) and the proof tree that decides each candidate (verify.h), resolves field
 * filters against the index's terms, and lists the strings to highlight. Owns that translation only; running the query is search.c's job. */
#ifndef SHIRYO_QBUILD_H
#define SHIRYO_QBUILD_H

#include <stddef.h>

#include "qparse.h"
#include "verify.h"
#include "shiryo/analyzer.h"
#include "shiryo/xap.h"

typedef struct qbuild_result {
    xap_query *query;       /* candidates; NULL when the tree has nothing to match */
    verify_node *verify;    /* the proof each candidate must pass (NULL: none needed) */
    xap_query *ranked;      /* set for one word of one code point: its ranking words alone,
                               whose proven matches rank first exactly as among the candidates
                               (which are costly to match: every bigram starting with it) */
    int exact;              /* 1 if the candidates are exactly the matches (no literal longer
                               than two code points decides anything) */
    char **highlights;      /* normalized positive search strings (malloc'd), for mentions */
    size_t nhighlights;
    int has_text;           /* 1 if any word/phrase ranks the results (else: filters only) */
    int single_text;        /* 1 if the whole query is one positive word or phrase, no filters:
                               its counts can come from index statistics */
    int highlights_overlap; /* 1 if one highlight can overlap another (連携 in 医工連携): counting
                               mentions then needs the passages' text, not per-string sums */
    const char *ministry_forms[8]; /* official names an expanded agency word also matched as
                                      ministry:NAME tags (static strings), for matched_forms */
    size_t nministry_forms;
} qbuild_result;

/* Builds the query for root (may be NULL: matches everything). SH_ERR_INVALID with a message
 * for a bad field value (e.g. column:x), SH_ERR_NOMEM, or shim errors. */
int qbuild(sh_analyzer *an, xap_db *db, const qnode *root, qbuild_result *out, char **errmsg);

/* Adds the filter field:value to an existing result (the command-line filters). */
int qbuild_add_filter(sh_analyzer *an, xap_db *db, qbuild_result *res, const char *field,
                      const char *value, char **errmsg);

void qbuild_result_free(qbuild_result *res);

#endif
