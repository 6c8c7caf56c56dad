/* agency.c — lookups in the agency table generated from analysis/agencies.tsv (see agency.h).
 * The table is constant data; every lookup scans it (about 50 rows), so there is no state. */
#include "shiryo/agency.h"

#include "agency_table.h"

#include <string.h>

/* Calls fn for each '|'-separated item of list ("-" is empty), the "@years" part cut off; stops
 * and returns 1 when fn returns nonzero. */
static int each_item(const char *list, int (*fn)(void *ctx, const char *s, size_t n), void *ctx)
{
    if (strcmp(list, "-") == 0)
        return 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, "|");
        size_t name_len = strcspn(p, "@|");
        if (name_len > n)
            name_len = n;
        if (fn(ctx, p, name_len))
            return 1;
        p += n + (p[n] == '|');
    }
    return 0;
}

typedef struct probe {
    const char *s;
    size_t len;
} probe;

static int equals_probe(void *ctx, const char *s, size_t n)
{
    const probe *pr = ctx;
    return n == pr->len && memcmp(s, pr->s, n) == 0;
}

static int same(const char *a, size_t alen, const char *b)
{
    return strlen(b) == alen && memcmp(a, b, alen) == 0;
}

/* The row naming s; *is_former tells whether s is one of its former names. */
static const agency_row *find_row(const char *s, size_t len, int tags, int *is_former)
{
    probe pr = {s, len};
    for (unsigned i = 0; i < agency_nrows; i++) {
        const agency_row *r = &agency_rows[i];
        *is_former = 0;
        if (same(s, len, r->name) || (tags && strcmp(r->tag, "-") != 0 && same(s, len, r->tag)) ||
            each_item(r->shorts, equals_probe, &pr))
            return r;
        if (each_item(r->former, equals_probe, &pr)) {
            *is_former = 1;
            return r;
        }
    }
    return NULL;
}

const char *agency_official_name(const char *s, size_t len, int tags)
{
    int former = 0;
    const agency_row *r = len ? find_row(s, len, tags, &former) : NULL;
    return r ? r->name : NULL;
}

typedef struct form_sink {
    const char *self;
    size_t self_len;
    void (*fn)(void *ctx, const char *form, size_t n);
    void *ctx;
    size_t count;
} form_sink;

static int give_form(void *vctx, const char *s, size_t n)
{
    form_sink *k = vctx;
    if (n && !(n == k->self_len && memcmp(s, k->self, n) == 0)) {
        k->fn(k->ctx, s, n);
        k->count++;
    }
    return 0;
}

size_t agency_forms(const char *s, size_t len, void (*fn)(void *ctx, const char *form, size_t n),
                    void *ctx)
{
    int former = 0;
    const agency_row *r = len ? find_row(s, len, 0, &former) : NULL;
    if (!r)
        return 0;
    form_sink k = {s, len, fn, ctx, 0};
    give_form(&k, r->name, strlen(r->name));
    each_item(r->shorts, give_form, &k);
    return k.count;
}
