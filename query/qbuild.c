/* qbuild.c — query tree → Xapian query. Text goes through terms_query_string (exact substring
 * match + word ranking); fields become weightless boolean filters. */
#include "qbuild.h"

#include "catalog.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/ministry.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    sh_analyzer *an;
    xap_db *db;
    qbuild_result *res;
    char **errmsg;
} builder;

void qbuild_result_free(qbuild_result *res)
{
    if (!res)
        return;
    xap_query_destroy(res->query);
    for (size_t i = 0; i < res->nhighlights; i++)
        free(res->highlights[i]);
    free(res->highlights);
    memset(res, 0, sizeof *res);
}

static int add_highlight(builder *b, const char *text)
{
    char *norm = NULL;
    int rc = sh_norm_string(b->an->norm, text, strlen(text), &norm, b->errmsg);
    if (rc)
        return rc;
    /* Trim spaces, as terms_query_string does. */
    size_t start = 0, end = strlen(norm);
    while (start < end && (norm[start] == ' ' || norm[start] == '\t'))
        start++;
    while (end > start && (norm[end - 1] == ' ' || norm[end - 1] == '\t'))
        end--;
    memmove(norm, norm + start, end - start);
    norm[end - start] = '\0';
    /* The same string twice (MEDIC MEDIC) is one set of mentions. */
    for (size_t i = 0; norm[0] && i < b->res->nhighlights; i++)
        if (strcmp(b->res->highlights[i], norm) == 0)
            norm[0] = '\0';
    if (!norm[0]) {
        free(norm);
        return SH_OK;
    }
    char **h = realloc(b->res->highlights, (b->res->nhighlights + 1) * sizeof *h);
    if (!h) {
        free(norm);
        return sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    }
    b->res->highlights = h;
    h[b->res->nhighlights++] = norm;
    return SH_OK;
}

struct substring_ctx {
    const char *needle;
    size_t prefix_len;
    char **terms;
    size_t n, cap;
    int nomem;
};

static int collect_matching_term(void *vctx, const char *term, size_t len, unsigned freq)
{
    (void)freq;
    struct substring_ctx *ctx = vctx;
    const char *value = term + ctx->prefix_len;
    size_t vlen = len - ctx->prefix_len;
    size_t nlen = strlen(ctx->needle);
    int found = nlen == 0;
    for (size_t i = 0; !found && i + nlen <= vlen; i++)
        found = memcmp(value + i, ctx->needle, nlen) == 0;
    if (!found)
        return 0;
    char **t = sh_array_grow(ctx->terms, &ctx->cap, ctx->n + 1, sizeof *t);
    if (!t) {
        ctx->nomem = 1;
        return 1;
    }
    ctx->terms = t;
    if (!(ctx->terms[ctx->n] = strndup(term, len))) {
        ctx->nomem = 1;
        return 1;
    }
    ctx->n++;
    return 0;
}

/* Boolean OR of every indexed prefix-term whose value contains the normalized text. */
static int substring_filter(builder *b, const char *prefix, const char *text, xap_query **out)
{
    char *norm = NULL;
    int rc = sh_norm_string(b->an->norm, text, strlen(text), &norm, b->errmsg);
    if (rc)
        return rc;
    struct substring_ctx ctx = {norm, strlen(prefix), NULL, 0, 0, 0};
    rc = xap_db_allterms(b->db, prefix, strlen(prefix), collect_matching_term, &ctx, b->errmsg);
    if (!rc && ctx.nomem)
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    xap_query **qs = rc ? NULL : calloc(ctx.n ? ctx.n : 1, sizeof *qs);
    if (!rc && !qs)
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    size_t made = 0;
    for (; !rc && made < ctx.n; made++)
        rc = xap_query_term(ctx.terms[made], strlen(ctx.terms[made]), 1, &qs[made], b->errmsg);
    if (!rc)
        rc = ctx.n ? xap_query_combine(XAP_OP_OR, qs, ctx.n, 0, out, b->errmsg)
                   : xap_query_match_nothing(out, b->errmsg);
    for (size_t i = 0; i < made; i++)
        xap_query_destroy(qs[i]);
    free(qs);
    for (size_t i = 0; i < ctx.n; i++)
        free(ctx.terms[i]);
    free(ctx.terms);
    free(norm);
    return rc;
}

static int positive_int(const char *s, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v <= 0 || v > 100000)
        return 0;
    *out = (int)v;
    return 1;
}

/* A boolean term query prefix + value (value used as is). */
static int exact_filter(builder *b, const char *prefix, const char *value, xap_query **out)
{
    int rc = terms_boolean_term(b->an, prefix, value, strlen(value), b->errmsg);
    if (rc)
        return rc;
    return xap_query_term(b->an->term.data, b->an->term.len, 1, out, b->errmsg);
}

static int field_query(builder *b, const char *field, const char *value, int expanded,
                       xap_query **out)
{
    char num[32];
    int n;
    if (strcmp(field, "fy") == 0) {
        int year = 0;
        size_t used = 0;
        if (!era_parse_year(value, strlen(value), &year, &used) || used != strlen(value))
            return sh_fail(b->errmsg, SH_ERR_INVALID,
                           "fy: cannot read \"%s\" as a fiscal year (try 2025, 令和7, R7)",
                           value);
        snprintf(num, sizeof num, "%d", year);
        return exact_filter(b, PFX_FY, num, out);
    }
    if (strcmp(field, "column") == 0 || strcmp(field, "page") == 0) {
        if (!positive_int(value, &n))
            return sh_fail(b->errmsg, SH_ERR_INVALID, "%s: \"%s\" is not a positive number",
                           field, value);
        snprintf(num, sizeof num, "%d", n);
        return exact_filter(b, field[0] == 'c' ? PFX_COLUMN : PFX_PAGENO, num, out);
    }
    if (strcmp(field, "ministry") == 0) {
        const char *full = ministry_full_name(value, strlen(value));
        if (full && expanded && b->res->nministry_forms < 8)
            b->res->ministry_forms[b->res->nministry_forms++] = full;
        if (full)
            return exact_filter(b, PFX_MINISTRY, full, out);
        return substring_filter(b, PFX_MINISTRY, value, out);
    }
    if (strcmp(field, "measure") == 0)
        return substring_filter(b, PFX_MEASURE, value, out);
    if (strcmp(field, "title") == 0)
        return substring_filter(b, PFX_TITLE, value, out);
    if (strcmp(field, "file") == 0)
        return substring_filter(b, PFX_FILE, value, out);
    return sh_fail(b->errmsg, SH_ERR_INVALID, "unknown field %s", field);
}

/* Builds q for node; *weighted tells whether it carries ranking weight. *out may be NULL when
 * the node normalizes to nothing. */
static int build_node(builder *b, const qnode *node, int negated, xap_query **out, int *weighted);

static int combine_and(builder *b, const qnode *node, xap_query **out, int *weighted)
{
    size_t n = node->nkids;
    xap_query **pos = calloc(n, sizeof *pos), **filt = calloc(n, sizeof *filt),
              **neg = calloc(n, sizeof *neg);
    size_t npos = 0, nfilt = 0, nneg = 0;
    int rc = (!pos || !filt || !neg) ? sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory") : SH_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const qnode *kid = node->kids[i];
        xap_query *q = NULL;
        int w = 0;
        if (kid->kind == QN_NOT) {
            rc = build_node(b, kid->kids[0], 1, &q, &w);
            if (q)
                neg[nneg++] = q;
        } else {
            rc = build_node(b, kid, 0, &q, &w);
            if (q) {
                if (w)
                    pos[npos++] = q;
                else
                    filt[nfilt++] = q;
            }
        }
    }
    xap_query *acc = NULL;
    if (!rc && npos)
        rc = xap_query_combine(XAP_OP_AND, pos, npos, 0, &acc, b->errmsg);
    if (!rc && nfilt) {
        xap_query *f = NULL;
        rc = xap_query_combine(XAP_OP_AND, filt, nfilt, 0, &f, b->errmsg);
        if (!rc && acc) {
            xap_query *pair[2] = {acc, f}, *both = NULL;
            rc = xap_query_combine(XAP_OP_FILTER, pair, 2, 0, &both, b->errmsg);
            xap_query_destroy(acc);
            acc = both;
        } else if (!rc) {
            acc = f;
            f = NULL;
        }
        xap_query_destroy(f);
    }
    if (!rc && nneg) {
        if (!acc)
            rc = xap_query_match_all(&acc, b->errmsg);
        xap_query *all_neg = NULL;
        if (!rc)
            rc = xap_query_combine(XAP_OP_OR, neg, nneg, 0, &all_neg, b->errmsg);
        if (!rc) {
            xap_query *pair[2] = {acc, all_neg}, *diff = NULL;
            rc = xap_query_combine(XAP_OP_AND_NOT, pair, 2, 0, &diff, b->errmsg);
            xap_query_destroy(acc);
            acc = diff;
        }
        xap_query_destroy(all_neg);
    }
    for (size_t i = 0; i < npos; i++)
        xap_query_destroy(pos[i]);
    for (size_t i = 0; i < nfilt; i++)
        xap_query_destroy(filt[i]);
    for (size_t i = 0; i < nneg; i++)
        xap_query_destroy(neg[i]);
    free(pos);
    free(filt);
    free(neg);
    if (rc) {
        xap_query_destroy(acc);
        return rc;
    }
    *out = acc;
    *weighted = npos > 0;
    return SH_OK;
}

static int build_node(builder *b, const qnode *node, int negated, xap_query **out, int *weighted)
{
    *out = NULL;
    *weighted = 0;
    switch (node->kind) {
    case QN_TEXT: {
        int rc = terms_query_string(b->an, node->text, strlen(node->text), out, b->errmsg);
        if (!rc && *out) {
            *weighted = 1;
            b->res->has_text = 1;
            if (!negated)
                rc = add_highlight(b, node->text);
        }
        return rc;
    }
    case QN_FIELD: {
        if (strcmp(node->field, "program") == 0) {
            /* Every mention of a known program: its name as an exact phrase, bracketed or not,
             * broken across lines or not; ranked and highlighted like text. */
            int rc = catalog_check_program(b->an, b->db, node->text, b->errmsg);
            if (!rc)
                rc = terms_query_string(b->an, node->text, strlen(node->text), out, b->errmsg);
            if (!rc && *out) {
                *weighted = 1;
                b->res->has_text = 1;
                if (!negated)
                    rc = add_highlight(b, node->text);
            }
            return rc;
        }
        xap_query *f = NULL;
        int rc = field_query(b, node->field, node->text, node->exact && !negated, &f);
        if (rc)
            return rc;
        rc = xap_query_scale(f, 0.0, out, b->errmsg);
        xap_query_destroy(f);
        return rc;
    }
    case QN_NOT: {
        xap_query *kid = NULL, *all = NULL;
        int w = 0;
        int rc = build_node(b, node->kids[0], !negated, &kid, &w);
        if (rc || !kid)
            return rc;
        rc = xap_query_match_all(&all, b->errmsg);
        if (!rc) {
            xap_query *pair[2] = {all, kid};
            rc = xap_query_combine(XAP_OP_AND_NOT, pair, 2, 0, out, b->errmsg);
        }
        xap_query_destroy(all);
        xap_query_destroy(kid);
        return rc;
    }
    case QN_AND:
        return combine_and(b, node, out, weighted);
    case QN_OR: {
        xap_query **qs = calloc(node->nkids, sizeof *qs);
        if (!qs)
            return sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
        size_t n = 0;
        int rc = SH_OK;
        for (size_t i = 0; i < node->nkids && !rc; i++) {
            int w = 0;
            rc = build_node(b, node->kids[i], negated, &qs[n], &w);
            if (qs[n]) {
                *weighted |= w;
                n++;
            }
        }
        if (!rc && n)
            rc = xap_query_combine(XAP_OP_OR, qs, n, 0, out, b->errmsg);
        for (size_t i = 0; i < n; i++)
            xap_query_destroy(qs[i]);
        free(qs);
        return rc;
    }
    default:
        return sh_fail(b->errmsg, SH_ERR_INVALID, "unknown query node");
    }
}

/* Whether two occurrences of the highlights can share characters: one string inside another, or
 * a proper suffix of one starting another (or itself: ああ in あああ). */
static int highlights_overlap(const qbuild_result *res)
{
    for (size_t i = 0; i < res->nhighlights; i++)
        for (size_t j = 0; j < res->nhighlights; j++) {
            const char *a = res->highlights[i], *b = res->highlights[j];
            if (i != j && strstr(b, a))
                return 1;
            size_t alen = strlen(a), blen = strlen(b);
            for (size_t k = 1; k < alen; k++)
                if (alen - k <= blen && memcmp(a + k, b, alen - k) == 0)
                    return 1;
        }
    return 0;
}

int qbuild(sh_analyzer *an, xap_db *db, const qnode *root, qbuild_result *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    builder b = {an, db, out, errmsg};
    if (!root)
        return SH_OK;
    int weighted = 0;
    int rc = build_node(&b, root, 0, &out->query, &weighted);
    if (rc) {
        qbuild_result_free(out);
        return rc;
    }
    out->single_text = root->kind == QN_TEXT && out->nhighlights == 1;
    out->highlights_overlap = highlights_overlap(out);
    if (!out->query)
        return sh_fail(errmsg, SH_ERR_INVALID,
                       "query has no searchable text once operators and punctuation are removed");
    return SH_OK;
}

int qbuild_add_filter(sh_analyzer *an, xap_db *db, qbuild_result *res, const char *field,
                      const char *value, char **errmsg)
{
    builder b = {an, db, res, errmsg};
    xap_query *f = NULL;
    res->single_text = 0; /* a filter: counts need the matching set */
    if (strcmp(field, "program") == 0) {
        /* --program NAME: the mentions decide the matches, so it joins with AND, not FILTER. */
        qnode node = {.kind = QN_FIELD, .text = (char *)value, .field = "program"};
        int weighted = 0;
        int rc = build_node(&b, &node, 0, &f, &weighted);
        res->highlights_overlap = highlights_overlap(res);
        if (!rc && res->query) {
            xap_query *pair[2] = {res->query, f}, *both = NULL;
            rc = xap_query_combine(XAP_OP_AND, pair, 2, 0, &both, errmsg);
            if (!rc) {
                xap_query_destroy(res->query);
                res->query = both;
            }
            xap_query_destroy(f);
        } else if (!rc) {
            res->query = f;
        } else {
            xap_query_destroy(f);
        }
        return rc;
    }
    int rc = field_query(&b, field, value, 0, &f);
    if (rc)
        return rc;
    if (!res->query) {
        rc = xap_query_scale(f, 0.0, &res->query, errmsg);
    } else {
        xap_query *pair[2] = {res->query, f}, *both = NULL;
        rc = xap_query_combine(XAP_OP_FILTER, pair, 2, 0, &both, errmsg);
        if (!rc) {
            xap_query_destroy(res->query);
            res->query = both;
        }
    }
    xap_query_destroy(f);
    return rc;
}
