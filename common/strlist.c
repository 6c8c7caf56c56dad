/* strlist.c — a growable list of malloc'd strings (strlist.h). */
#include "shiryo/strlist.h"

#include "shiryo/buf.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

int sh_strlist_add(sh_strlist *l, const char *s, size_t len)
{
    char **items = sh_array_grow(l->items, &l->cap, l->n + 1, sizeof *items);
    if (!items)
        return SH_ERR_NOMEM;
    l->items = items;
    if (!(l->items[l->n] = strndup(s, len)))
        return SH_ERR_NOMEM;
    l->n++;
    return SH_OK;
}

const char *sh_strlist_intern(sh_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return l->items[i];
    return sh_strlist_add(l, s, strlen(s)) ? NULL : l->items[l->n - 1];
}

static int compare_items(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void sh_strlist_sort(sh_strlist *l)
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, compare_items);
}

void sh_strlist_free(sh_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
