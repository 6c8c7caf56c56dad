/* strlist.h — a growable list of malloc'd strings (names, terms, paths collected from an index),
 * the one such helper: append, append-if-absent, sort, free. Allocation failure is reported by
 * return value. Lookups are linear: for lists read once per query or per run. */
#ifndef SHIRYO_STRLIST_H
#define SHIRYO_STRLIST_H

#include <stddef.h>

typedef struct sh_strlist {
    char **items;   /* NUL-terminated copies, owned by the list */
    size_t n, cap;
} sh_strlist;

#define SH_STRLIST_INIT {NULL, 0, 0}

/* Appends a copy of len bytes of s (which need not be NUL-terminated). SH_OK or SH_ERR_NOMEM. */
int sh_strlist_add(sh_strlist *l, const char *s, size_t len);

/* The list's copy of s, appended first when the list does not hold it; NULL when out of memory.
 * A pointer stays valid until the list is freed. */
const char *sh_strlist_intern(sh_strlist *l, const char *s);

/* Sorts the list bytewise (strcmp order). */
void sh_strlist_sort(sh_strlist *l);

/* Frees every string and the array; back to SH_STRLIST_INIT. */
void sh_strlist_free(sh_strlist *l);

#endif
