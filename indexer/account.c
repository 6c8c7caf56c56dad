/* account.c — body accounting: every non-blank character of every body line in exactly one
 * passage. Counts code points line by line; puts back, as passages, whatever a stage dropped. */
#include "account.h"

#include "shiryo/diag.h"
#include "shiryo/utf8.h"
#include "shiryo/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Spaces do not count: columns.c drops the single spaces between columns and passage.c trims. */
static int is_blank(unsigned cp) { return cp <= 0x20 || cp == 0x7F || cp == 0x3000; }

/* One character a passage holds, with the body line it says it came from. */
typedef struct held_char {
    size_t line_index;
    unsigned cp;
} held_char;

/* Orders one line's characters by code point (they all have the same line_index). */
static int cmp_held_cp(const void *x, const void *y)
{
    const held_char *a = x, *b = y;
    return (a->cp > b->cp) - (a->cp < b->cp);
}

/* Index of the body line numbered lineno (lines ascend), or p->nlines when there is none. */
static size_t line_of(const page *p, unsigned lineno)
{
    size_t lo = 0, hi = p->nlines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->lines[mid].lineno < lineno)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->nlines && p->lines[lo].lineno == lineno ? lo : p->nlines;
}

/* Every non-blank character the passages hold, grouped by line. Characters
 * attributed to no body line get line_index p->nlines. */
static int collect_held(const page *p, const passage_set *set, held_char **out, size_t *nout)
{
    size_t n = 0, cap = 0;
    held_char *v = NULL;
    for (size_t k = 0; k < set->n; k++) {
        const passage *ps = &set->items[k];
        for (size_t i = 0; i < ps->npieces; i++) {
            size_t from = ps->pieces[i].offset;
            size_t to = i + 1 < ps->npieces ? ps->pieces[i + 1].offset : ps->len;
            size_t li = line_of(p, ps->pieces[i].lineno);
            for (size_t j = from; j < to && j < ps->len;) {
                unsigned cp;
                j += sh_utf8_next(ps->text, ps->len, j, &cp);
                if (is_blank(cp))
                    continue;
                if (n == cap) {
                    size_t ncap = cap ? cap * 2 : 256;
                    held_char *g = realloc(v, ncap * sizeof *g);
                    if (!g) {
                        free(v);
                        return SH_ERR_NOMEM;
                    }
                    v = g;
                    cap = ncap;
                }
                v[n].line_index = li;
                v[n].cp = cp;
                n++;
            }
        }
    }
    /* Grouped by line, in passage order within a line (a stable counting sort, not a sort by
     * code point: most lines match their text in order and need no sort at all). */
    held_char *sorted = n ? malloc(n * sizeof *sorted) : NULL;
    size_t *start = calloc(p->nlines + 2, sizeof *start);
    if ((n && !sorted) || !start) {
        free(sorted);
        free(start);
        free(v);
        return SH_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        start[v[i].line_index + 1]++;
    for (size_t li = 0; li <= p->nlines; li++)
        start[li + 1] += start[li];
    for (size_t i = 0; i < n; i++)
        sorted[start[v[i].line_index]++] = v[i];
    free(start);
    free(v);
    *out = sorted;
    *nout = n;
    return SH_OK;
}

/* Whether held[0..n) (one line's characters in passage order) are exactly the line's non-blank
 * characters in order, and counts those (the common case: then nothing is missing or extra). */
static int line_matches(const page_line *l, const held_char *held, size_t n, size_t *chars)
{
    size_t k = 0, count = 0;
    int same = 1;
    for (size_t i = 0; i < l->len;) {
        unsigned cp;
        i += sh_utf8_next(l->text, l->len, i, &cp);
        if (is_blank(cp))
            continue;
        count++;
        if (same && (k == n || held[k].cp != cp))
            same = 0;
        k++;
    }
    *chars = count;
    return same && k == n;
}

/* Walks one body line against the characters held for it, as (cp, count) pairs sorted by cp
 * (count in line_index): takes one count per character found, and calls back with each maximal
 * stretch of missing text. Returns the number of missing characters. */
typedef int (*missing_fn)(void *ctx, size_t line_index, size_t off, size_t len);

static size_t walk_line(const page *p, size_t li, held_char *held, size_t nheld, missing_fn fn,
                        void *ctx, int *rc)
{
    const page_line *l = &p->lines[li];
    size_t missing = 0, run_start = 0, run_end = 0;
    int in_run = 0;
    for (size_t i = 0; i < l->len;) {
        unsigned cp;
        size_t w = sh_utf8_next(l->text, l->len, i, &cp);
        if (!is_blank(cp)) {
            size_t lo = 0, hi = nheld;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (held[mid].cp < cp)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < nheld && held[lo].cp == cp && held[lo].line_index > 0) {
                held[lo].line_index--;
                if (in_run && fn && !*rc)
                    *rc = fn(ctx, li, run_start, run_end - run_start);
                in_run = 0;
            } else {
                missing++;
                if (!in_run)
                    run_start = i;
                in_run = 1;
                run_end = i + w;
            }
        }
        i += w;
    }
    if (in_run && fn && !*rc)
        *rc = fn(ctx, li, run_start, run_end - run_start);
    return missing;
}

/* Turns v[0..n) (one line's characters, sorted by cp) into (cp, count) pairs in place. */
static size_t count_runs(held_char *v, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j].cp == v[i].cp)
            j++;
        v[out].cp = v[i].cp;
        v[out].line_index = j - i;
        out++;
        i = j;
    }
    return out;
}

typedef struct repair_ctx {
    passage_span *spans;
    size_t n, cap;
} repair_ctx;

static int note_missing(void *vctx, size_t line_index, size_t off, size_t len)
{
    repair_ctx *c = vctx;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        passage_span *g = realloc(c->spans, ncap * sizeof *g);
        if (!g)
            return SH_ERR_NOMEM;
        c->spans = g;
        c->cap = ncap;
    }
    c->spans[c->n].line_index = line_index;
    c->spans[c->n].off = off;
    c->spans[c->n].len = len;
    c->n++;
    return SH_OK;
}

/* The shared pass of check and repair: fn (may be NULL) receives the missing stretches. */
static int account_run(const page *p, const passage_set *set, account_result *res, missing_fn fn,
                       void *ctx)
{
    memset(res, 0, sizeof *res);
    held_char *held = NULL;
    size_t nheld = 0;
    if (collect_held(p, set, &held, &nheld))
        return SH_ERR_NOMEM;
    int rc = SH_OK;
    size_t h = 0;
    for (size_t li = 0; li < p->nlines && !rc; li++) {
        size_t end = h;
        while (end < nheld && held[end].line_index == li)
            end++;
        const page_line *l = &p->lines[li];
        size_t chars = 0;
        int matches = line_matches(l, held + h, end - h, &chars);
        res->body_chars += chars;
        if (matches) {
            h = end;
            continue;
        }
        qsort(held + h, end - h, sizeof *held, cmp_held_cp);
        size_t npairs = count_runs(held + h, end - h);
        size_t missing = walk_line(p, li, held + h, npairs, fn, ctx, &rc);
        size_t extra = 0;
        for (size_t k = h; k < h + npairs; k++)
            extra += held[k].line_index;
        if ((missing || extra) && !res->first_bad_line)
            res->first_bad_line = l->lineno;
        res->missing_chars += missing;
        res->extra_chars += extra;
        h = end;
    }
    /* Characters attributed to lines that are not body lines. */
    res->extra_chars += nheld - h;
    free(held);
    return rc;
}

int account_check(const page *p, const passage_set *set, account_result *out, char **errmsg)
{
    if (account_run(p, set, out, NULL, NULL))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}

int account_repair(const page *p, passage_set *set, char **errmsg)
{
    repair_ctx ctx = {NULL, 0, 0};
    account_result res;
    int rc = account_run(p, set, &res, note_missing, &ctx);
    if (!rc && (res.missing_chars || res.extra_chars)) {
        const char *strict = getenv(ACCOUNT_STRICT_ENV);
        if (strict && strcmp(strict, "1") == 0) {
            fprintf(stderr,
                    "shiryo: body accounting: page \"%s\": %zu characters in no passage, %zu not "
                    "from their line, first at line %u (a layout or passage stage lost text)\n",
                    p->title ? p->title : "", res.missing_chars, res.extra_chars, res.first_bad_line);
            abort();
        }
    }
    if (!rc && ctx.n) {
        rc = passage_append_spans(set, p, ctx.spans, ctx.n);
        if (!rc)
            set->reattached += res.missing_chars;
    }
    free(ctx.spans);
    if (rc)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}
