/* qbuild.c — query tree → Xapian candidate query + proof tree. Text goes through
 * terms_query_string (n-gram candidates + word ranking) and becomes a literal to prove; fields
 * become weightless boolean filters, exact in the index. */
#include "qbuild.h"

#include "catalog.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/ministry.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/strlist.h"
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
    xap_query_destroy(res->ranked);
    verify_free(res->verify);
    for (size_t i = 0; i < res->nhighlights; i++)
        free(res->highlights[i]);
    free(res->highlights);
    memset(res, 0, sizeof *res);
}

/* The normalized, trimmed form of a search string (as terms_query_string sees it) into *out
 * (malloc'd), or *out = NULL when nothing is left. */
static int norm_literal(builder *b, const char *text, char **out)
{
    *out = NULL;
    char *norm = NULL;
    int rc = sh_norm_string(sh_analyzer_norm(b->an), text, strlen(text), &norm, b->errmsg);
    if (rc)
        return rc;
    size_t start = 0, end = strlen(norm);
    while (start < end && (norm[start] == ' ' || norm[start] == '\t'))
        start++;
    while (end > start && (norm[end - 1] == ' ' || norm[end - 1] == '\t'))
        end--;
    memmove(norm, norm + start, end - start);
    norm[end - start] = '\0';
    if (!norm[0])
        free(norm);
    else
        *out = norm;
    return SH_OK;
}

/* Takes norm (a normalized literal) into the highlights. */
static int add_highlight(builder *b, char *norm)
{
    /* The same string twice (MEDIC MEDIC) is one set of mentions. */
    for (size_t i = 0; i < b->res->nhighlights; i++)
        if (strcmp(b->res->highlights[i], norm) == 0) {
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
    sh_strlist terms;
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
    if (sh_strlist_add(&ctx->terms, term, len)) {
        ctx->nomem = 1;
        return 1;
    }
    return 0;
}

/* Boolean OR of every indexed prefix-term whose value contains the normalized text. */
static int substring_filter(builder *b, const char *prefix, const char *text, xap_query **out)
{
    char *norm = NULL;
    int rc = sh_norm_string(sh_analyzer_norm(b->an), text, strlen(text), &norm, b->errmsg);
    if (rc)
        return rc;
    struct substring_ctx ctx = {norm, strlen(prefix), SH_STRLIST_INIT, 0};
    rc = xap_db_allterms(b->db, prefix, strlen(prefix), collect_matching_term, &ctx, b->errmsg);
    if (!rc && ctx.nomem)
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    const sh_strlist *terms = &ctx.terms;
    xap_query **qs = rc ? NULL : calloc(terms->n ? terms->n : 1, sizeof *qs);
    if (!rc && !qs)
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    size_t made = 0;
    for (; !rc && made < terms->n; made++)
        rc = xap_query_term(terms->items[made], strlen(terms->items[made]), 1, &qs[made],
                            b->errmsg);
    if (!rc)
        rc = terms->n ? xap_query_combine(XAP_OP_OR, qs, terms->n, 0, out, b->errmsg)
                      : xap_query_match_nothing(out, b->errmsg);
    for (size_t i = 0; i < made; i++)
        xap_query_destroy(qs[i]);
    free(qs);
    sh_strlist_free(&ctx.terms);
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
    const char *term = NULL;
    size_t term_len = 0;
    int rc = terms_boolean_term(b->an, prefix, value, strlen(value), &term, &term_len, b->errmsg);
    if (rc)
        return rc;
    return xap_query_term(term, term_len, 1, out, b->errmsg);
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


/* What one node of the tree builds into. */
typedef struct built {
    xap_query *q;      /* candidate query; NULL when the node normalizes to nothing */
    verify_node *v;    /* its proof on the passage text */
    int weighted;      /* carries ranking weight */
    int exact;         /* q matches exactly the passages that satisfy the node */
} built;

static void built_free(built *x)
{
    xap_query_destroy(x->q);
    verify_free(x->v);
    memset(x, 0, sizeof *x);
}

/* The docids a filter matches, for a proof in which the filter sits under OR or NOT (there the
 * candidate query cannot apply it alone). */
static int filter_docset(builder *b, const xap_query *f, verify_node **out)
{
    xap_enquire *enq = NULL;
    xap_mset *m = NULL;
    unsigned doccount = 0, *ids = NULL;
    int rc = xap_db_doccount(b->db, &doccount, b->errmsg);
    if (!rc)
        rc = xap_enquire_new(b->db, &enq, b->errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, f, b->errmsg);
    if (!rc)
        rc = xap_enquire_set_boolean(enq, b->errmsg);
    if (!rc)
        rc = xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, b->errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, doccount, doccount, &m, b->errmsg);
    unsigned n = rc ? 0 : xap_mset_size(m);
    if (!rc && !(ids = malloc((n ? n : 1) * sizeof *ids)))
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    for (unsigned i = 0; i < n && !rc; i++) {
        double w;
        rc = xap_mset_item(m, i, &ids[i], &w, b->errmsg);
    }
    xap_mset_destroy(m);
    xap_enquire_destroy(enq);
    if (rc) {
        free(ids);
        return rc;
    }
    if (!(*out = verify_docset(ids, n)))
        return sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}

/* A word or phrase (or a program name): candidates from its n-grams, proof by its literal. */
static int text_leaf(builder *b, const char *text, int negated, built *out)
{
    char *norm = NULL;
    int rc = norm_literal(b, text, &norm);
    if (rc || !norm)
        return rc;
    rc = terms_query_string(b->an, text, strlen(text), &out->q, b->errmsg);
    if (!rc && out->q) {
        out->weighted = 1;
        out->exact = terms_literal_exact(norm);
        b->res->has_text = 1;
        if (!(out->v = verify_literal(norm, strlen(norm))))
            rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
        if (!rc && !negated) {
            rc = add_highlight(b, norm);
            norm = NULL;
        }
    }
    free(norm);
    return rc;
}

/* Builds node. conj: the node is a conjunct of the whole query (reached through ANDs only),
 * so whatever the candidate query enforces exactly needs no proof. */
static int build_node(builder *b, const qnode *node, int negated, int conj, built *out);

/* A NOT kid of an AND: applied by the index when exact (then, in a conjunct, proven already),
 * else proven on the text only. */
static int negated_kid(builder *b, const qnode *kid, int conj, built *k)
{
    int rc = build_node(b, kid, 1, conj, k);
    if (!rc && k->q && conj && !k->exact) {
        /* Its filters need docsets after all: build again outside the conjunct. */
        built_free(k);
        rc = build_node(b, kid, 1, 0, k);
    }
    return rc;
}

static int combine_and(builder *b, const qnode *node, int conj, built *out)
{
    size_t n = node->nkids;
    xap_query **pos = calloc(n, sizeof *pos), **filt = calloc(n, sizeof *filt),
              **neg = calloc(n, sizeof *neg);
    verify_node **proofs = calloc(n, sizeof *proofs);
    size_t npos = 0, nfilt = 0, nneg = 0, nproofs = 0;
    int rc = (!pos || !filt || !neg || !proofs) ? sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory")
                                                : SH_OK;
    int exact = 1, any_neg = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const qnode *kid = node->kids[i];
        built k = {0};
        if (kid->kind == QN_NOT) {
            rc = negated_kid(b, kid->kids[0], conj, &k);
            if (!rc && k.q) {
                any_neg = 1;
                if (k.exact && conj) {
                    verify_free(k.v); /* the index applies it exactly: nothing to prove */
                    k.v = NULL;
                } else if (!(k.v = verify_combine(VERIFY_NOT, &k.v, 1))) {
                    rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
                }
                if (k.exact) {
                    neg[nneg++] = k.q;
                    k.q = NULL;
                } else {
                    exact = 0; /* its n-grams may be in passages without it: not excluded */
                }
            }
        } else {
            rc = build_node(b, kid, 0, conj, &k);
            if (!rc && k.q) {
                exact &= k.exact;
                if (k.weighted)
                    pos[npos++] = k.q;
                else
                    filt[nfilt++] = k.q;
                k.q = NULL;
            }
        }
        if (k.v) {
            proofs[nproofs++] = k.v;
            k.v = NULL;
        }
        built_free(&k);
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
    if (!rc && any_neg && !acc)
        rc = xap_query_match_all(&acc, b->errmsg);
    if (!rc && nneg) {
        xap_query *all_neg = NULL;
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
    verify_node *v = NULL;
    if (!rc && nproofs && !(v = verify_combine(VERIFY_AND, proofs, nproofs)))
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    else if (rc)
        for (size_t i = 0; i < nproofs; i++)
            verify_free(proofs[i]);
    free(proofs);
    if (!rc && acc && !v && !(v = verify_true()))
        rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
    if (rc) {
        xap_query_destroy(acc);
        verify_free(v);
        return rc;
    }
    out->q = acc;
    out->v = v;
    out->weighted = npos > 0;
    out->exact = exact;
    return SH_OK;
}

static int build_node(builder *b, const qnode *node, int negated, int conj, built *out)
{
    memset(out, 0, sizeof *out);
    switch (node->kind) {
    case QN_TEXT:
        return text_leaf(b, node->text, negated, out);
    case QN_FIELD: {
        if (strcmp(node->field, "program") == 0) {
            /* Every mention of a known program: its name as an exact substring, bracketed or
             * not, broken across lines or not; ranked and highlighted like text. */
            int rc = catalog_check_program(b->an, b->db, node->text, b->errmsg);
            return rc ? rc : text_leaf(b, node->text, negated, out);
        }
        xap_query *f = NULL;
        int rc = field_query(b, node->field, node->text, node->exact && !negated, &f);
        if (rc)
            return rc;
        rc = xap_query_scale(f, 0.0, &out->q, b->errmsg);
        out->exact = 1;
        if (!rc && conj && !(out->v = verify_true()))
            rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
        else if (!rc && !conj)
            rc = filter_docset(b, f, &out->v);
        xap_query_destroy(f);
        if (rc)
            built_free(out);
        return rc;
    }
    case QN_NOT: {
        built kid = {0};
        xap_query *all = NULL;
        int rc = build_node(b, node->kids[0], !negated, 0, &kid);
        if (rc || !kid.q)
            return rc;
        rc = xap_query_match_all(&all, b->errmsg);
        if (!rc && kid.exact) {
            xap_query *pair[2] = {all, kid.q};
            rc = xap_query_combine(XAP_OP_AND_NOT, pair, 2, 0, &out->q, b->errmsg);
        } else if (!rc) { /* every passage is a candidate; the proof excludes */
            out->q = all;
            all = NULL;
        }
        xap_query_destroy(all);
        xap_query_destroy(kid.q);
        out->exact = kid.exact;
        if (!rc) {
            out->v = verify_combine(VERIFY_NOT, &kid.v, 1); /* takes kid.v, even on failure */
            kid.v = NULL;
            if (!out->v)
                rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
        }
        if (rc) {
            verify_free(kid.v);
            built_free(out);
        }
        return rc;
    }
    case QN_AND:
        return combine_and(b, node, conj, out);
    case QN_OR: {
        xap_query **qs = calloc(node->nkids, sizeof *qs);
        verify_node **vs = calloc(node->nkids, sizeof *vs);
        if (!qs || !vs) {
            free(qs);
            free(vs);
            return sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
        }
        size_t n = 0;
        int rc = SH_OK, exact = 1;
        for (size_t i = 0; i < node->nkids && !rc; i++) {
            built k = {0};
            rc = build_node(b, node->kids[i], negated, 0, &k);
            if (!rc && k.q) {
                out->weighted |= k.weighted;
                exact &= k.exact;
                qs[n] = k.q;
                vs[n++] = k.v;
            } else {
                built_free(&k);
            }
        }
        /* A word's spellings weigh as the best of them (MAX), not their sum: a passage with
         * both 第三条 and 第3条 would count 第 and 条 twice, and Xapian cannot prune an OR of
         * two string queries that share their words (第三条 on 200 MB: 8.3 -> 2.9 ms). */
        if (!rc && n)
            rc = xap_query_combine(node->spellings ? XAP_OP_MAX : XAP_OP_OR, qs, n, 0, &out->q,
                                   b->errmsg);
        for (size_t i = 0; i < n; i++)
            xap_query_destroy(qs[i]);
        free(qs);
        if (!rc && n && !(out->v = verify_combine(VERIFY_OR, vs, n)))
            rc = sh_fail(b->errmsg, SH_ERR_NOMEM, "out of memory");
        else if (rc)
            for (size_t i = 0; i < n; i++)
                verify_free(vs[i]);
        free(vs);
        out->exact = exact;
        if (rc)
            built_free(out);
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
    out->exact = 1;
    if (!root)
        return SH_OK;
    built top = {0};
    int rc = build_node(&b, root, 0, 1, &top);
    if (rc) {
        qbuild_result_free(out);
        return rc;
    }
    out->query = top.q;
    out->verify = top.v;
    out->exact = top.exact;
    out->single_text = root->kind == QN_TEXT && out->nhighlights == 1;
    out->highlights_overlap = highlights_overlap(out);
    if (!out->query)
        return sh_fail(errmsg, SH_ERR_INVALID,
                       "query has no searchable text once operators and punctuation are removed");
    if (out->single_text && sh_utf8_count(out->highlights[0], strlen(out->highlights[0])) == 1)
        rc = terms_query_words(an, root->text, strlen(root->text), &out->ranked, errmsg);
    if (rc)
        qbuild_result_free(out);
    return rc;
}

int qbuild_add_filter(sh_analyzer *an, xap_db *db, qbuild_result *res, const char *field,
                      const char *value, char **errmsg)
{
    builder b = {an, db, res, errmsg};
    res->single_text = 0; /* a filter: counts need the matching set */
    xap_query_destroy(res->ranked); /* and the ranking shortcut would not apply it */
    res->ranked = NULL;
    if (strcmp(field, "program") == 0) {
        /* --program NAME: the mentions decide the matches, so it joins with AND, not FILTER. */
        qnode node = {.kind = QN_FIELD, .text = (char *)value, .field = "program"};
        built k = {0};
        int rc = build_node(&b, &node, 0, 1, &k);
        res->highlights_overlap = highlights_overlap(res);
        if (rc || !k.q)
            return rc;
        if (res->query) {
            xap_query *pair[2] = {res->query, k.q}, *both = NULL;
            rc = xap_query_combine(XAP_OP_AND, pair, 2, 0, &both, errmsg);
            if (!rc) {
                xap_query_destroy(res->query);
                res->query = both;
            }
        } else {
            res->query = k.q;
            k.q = NULL;
        }
        if (!rc && res->verify) {
            verify_node *pair[2] = {res->verify, k.v};
            k.v = NULL;
            res->verify = verify_combine(VERIFY_AND, pair, 2);
            if (!res->verify)
                rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        } else if (!rc) {
            res->verify = k.v;
            k.v = NULL;
        }
        res->exact = res->exact && k.exact;
        built_free(&k);
        return rc;
    }
    xap_query *f = NULL;
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
