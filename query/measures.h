/* measures.h — --list measures: every measure heading of the matching passages with its section,
 * ministries, source page and passage counts per fiscal year, in document order. Owns the
 * aggregation only; passages come from search.c, output goes through the printer. */
#ifndef SHIRYO_MEASURES_H
#define SHIRYO_MEASURES_H

#include <stddef.h>

#include "printer.h"
#include "qbuild.h"
#include "search.h"

/* Lists the measures of the passages matching q (q->query NULL: all). *count receives the
 * number of measures printed. */
int measures_list(search_session *s, const qbuild_result *q, printer *p, size_t *count,
                  char **errmsg);

#endif
