/* catalog.h — the programs an index knows (R terms): exact lookup by normalized name and a
 * "did you mean" list of the closest names. Owns name matching only; listing programs with
 * their budgets is programs.c's job, searching their mentions qbuild.c's. */
#ifndef SHIRYO_CATALOG_H
#define SHIRYO_CATALOG_H

#include <stddef.h>

#include "shiryo/analyzer.h"
#include "shiryo/strlist.h"
#include "shiryo/xap.h"

/* Checks that name (as typed) is a program the index knows. SH_OK if so; SH_ERR_NOTFOUND with a
 * one-line message listing the closest known names ("did you mean: …") otherwise. */
int catalog_check_program(sh_analyzer *an, xap_db *db, const char *name, char **errmsg);

/* Normalized names of the known programs containing pattern (normalized; NULL or "" = all), in
 * name order, into *names (empty on entry; the caller's to sh_strlist_free, also on failure). */
int catalog_programs(sh_analyzer *an, xap_db *db, const char *pattern, sh_strlist *names,
                     char **errmsg);

#endif
