/* scope.h — --scope page: a query of several words matches on whole pages. A page matches when
 * its passages together hold every word; the results are the passages of matching pages that
 * hold at least one of the words (with the filters and exclusions applied to each passage).
 * Owns the page set and the query built from it; running it is search.c's job. */
#ifndef SHIRYO_SCOPE_H
#define SHIRYO_SCOPE_H

#include "partial.h"
#include "search.h"

/* Builds into *out (qbuild_result_free) the passage query of page scope for plan: plan->any
 * restricted to the pages that hold every word of plan->parts. */
int scope_page_query(search_session *s, const partial_plan *plan, qbuild_result *out,
                     char **errmsg);

#endif
