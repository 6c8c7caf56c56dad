/* programs.h — --programs: every known program (or those whose name contains a pattern) with
 * its mentions, budget lines by fiscal year (with their sources), successor relations and the
 * materials that mention it, gathered from the index and handed to the printer. */
#ifndef SHIRYO_PROGRAMS_LIST_H
#define SHIRYO_PROGRAMS_LIST_H

#include <stddef.h>

#include "printer.h"
#include "search.h"

/* Lists the programs whose normalized name contains pattern (NULL or "": all). *count receives
 * the number listed. */
int programs_list(search_session *s, const char *pattern, printer *p, size_t *count,
                  char **errmsg);

#endif
