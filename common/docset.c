/* docset.c — docid sets as ascending ranges, and their one text form (see docset.h). */
#include "shiryo/docset.h"

#include "shiryo/buf.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

void docset_clear(docset *set)
{
    set->n = 0;
    set->count = 0;
}

void docset_free(docset *set)
{
    free(set->ranges);
    memset(set, 0, sizeof *set);
}

/* Index of the first range whose last >= docid (n if none). */
static size_t lower_bound(const docset *set, unsigned docid)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->ranges[mid].last < docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int docset_contains(const docset *set, unsigned docid)
{
    size_t i = lower_bound(set, docid);
    return i < set->n && set->ranges[i].first <= docid;
}

int docset_add(docset *set, unsigned first, unsigned last)
{
    if (first > last)
        return SH_OK;
    /* Ranges that overlap or touch [first, last] merge into one. */
    size_t i = lower_bound(set, first > 0 ? first - 1 : 0);
    size_t j = i;
    unsigned lo = first, hi = last;
    while (j < set->n && (unsigned long long)set->ranges[j].first <= (unsigned long long)last + 1) {
        if (set->ranges[j].first < lo)
            lo = set->ranges[j].first;
        if (set->ranges[j].last > hi)
            hi = set->ranges[j].last;
        set->count -= (unsigned long long)(set->ranges[j].last - set->ranges[j].first) + 1;
        j++;
    }
    if (j == i) {
        docset_range *r = sh_array_grow(set->ranges, &set->cap, set->n + 1, sizeof *r);
        if (!r)
            return SH_ERR_NOMEM;
        set->ranges = r;
        memmove(&set->ranges[i + 1], &set->ranges[i], (set->n - i) * sizeof *r);
        set->n++;
    } else if (j > i + 1) {
        memmove(&set->ranges[i + 1], &set->ranges[j], (set->n - j) * sizeof *set->ranges);
        set->n -= j - i - 1;
    }
    set->ranges[i].first = lo;
    set->ranges[i].last = hi;
    set->count += (unsigned long long)(hi - lo) + 1;
    return SH_OK;
}

/* Reads a decimal docid at *p (before end); 0 when there is none or it overflows. */
static unsigned read_docid(const char **p, const char *end)
{
    unsigned long long v = 0;
    const char *s = *p;
    while (s < end && *s >= '0' && *s <= '9' && v <= 0xffffffffULL)
        v = v * 10 + (unsigned)(*s++ - '0');
    if (s == *p || v > 0xffffffffULL)
        return 0;
    *p = s;
    return (unsigned)v;
}

int docset_parse(docset *set, const char *text, size_t len)
{
    docset_clear(set);
    const char *p = text, *end = text + len;
    while (p < end) {
        unsigned first = read_docid(&p, end);
        if (!first || p >= end || *p++ != '-')
            return SH_ERR_CORRUPT;
        unsigned last = read_docid(&p, end);
        if (!last || last < first || (p < end && *p++ != ','))
            return SH_ERR_CORRUPT;
        if (docset_add(set, first, last))
            return SH_ERR_NOMEM;
    }
    return SH_OK;
}

int docset_format(const docset *set, char **out, size_t *len)
{
    sh_buf b = {0};
    for (size_t i = 0; i < set->n; i++)
        if (sh_buf_printf(&b, i ? ",%u-%u" : "%u-%u", set->ranges[i].first, set->ranges[i].last)) {
            sh_buf_free(&b);
            return SH_ERR_NOMEM;
        }
    return sh_buf_detach(&b, out, len);
}
