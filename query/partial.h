/* partial.h — partial matches after the exact ones (match escalation): for a query of several
 * words, the query that holds any of them (with the same filters and exclusions) and each word's
 * own strings, so a ranked list that the strict AND leaves short can go on with the passages that
 * hold most of its words, each marked with the words it misses. Owns that plan; search.c runs it. */
#ifndef SHIRYO_PARTIAL_H
#define SHIRYO_PARTIAL_H

#include <stddef.h>

#include "qbuild.h"
#include "qparse.h"

typedef struct partial_plan {
    qbuild_result any;     /* OR of the words, AND the filters, minus the exclusions */
    size_t nparts;
    qbuild_result *parts;  /* each word alone: its highlights tell whether a passage holds it */
    char **labels;         /* each word as typed (for "missing") */
} partial_plan;

/* Builds the plan for root (as expanded). *out is NULL when the query has fewer than two words
 * to combine (nothing to fill with). Command-line filters are added to (*out)->any by the caller,
 * as to the exact query. */
int partial_plan_new(sh_analyzer *an, xap_db *db, const qnode *root, partial_plan **out,
                     char **errmsg);
void partial_plan_free(partial_plan *plan);

#endif
