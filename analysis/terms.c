/* terms.c — term policy: bigrams (positional) + unigrams decide matches, MeCab words rank.
 * Also builds the matching query for a search string; both sides share sh_analyzer. */
#include "shiryo/terms.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

/* How much the exact-substring (bigram) part weighs against MeCab words: words that match
 * whole rank above bigram-only (partial) matches. */
#define BIGRAM_WEIGHT_SCALE 0.0
/* Boosts for a query word that also occurs in the passage's measure heading or page title. */
#define MEASURE_WORD_SCALE 0.5
#define TITLE_WORD_SCALE 0.3

static int is_space_cp(const sh_normtext *nt, size_t i)
{
    unsigned char c = (unsigned char)nt->text[nt->cp_byte[i]];
    return c == ' ' || c == '\t';
}

static int term_set(sh_buf *term, const char *prefix, const char *s, size_t len)
{
    sh_buf_clear(term);
    if (sh_buf_puts(term, prefix) || sh_buf_append(term, s, len))
        return SH_ERR_NOMEM;
    return SH_OK;
}

struct word_ctx {
    sh_analyzer *an;
    xap_doc *doc;
    const char *prefix;
    unsigned wdf_inc;   /* wdf added per occurrence: the passage's length normalization */
    char **errmsg;
};

/* Ranking words carry BM25's length normalization in their wdf, computed at index time, so
 * that queries run BM25 with b = 0 and Xapian never reads document lengths (half the cost of a
 * top-10 query on a large index). Each occurrence adds WORD_WDF_SCALE / (1 - B + B * len / REF):
 * a short passage's words weigh more, as with b = 0.75 over passages of REF code points. The
 * n-gram terms keep true counts: mention counts are read from them. */
#define WORD_WDF_SCALE 8.0
#define WORD_NORM_B 0.75
#define WORD_NORM_REF_CPS 150.0

static unsigned word_wdf_inc(size_t ncp)
{
    double k = (1.0 - WORD_NORM_B) + WORD_NORM_B * (double)ncp / WORD_NORM_REF_CPS;
    double inc = WORD_WDF_SCALE / k + 0.5;
    return inc < 1.0 ? 1u : inc > 64.0 ? 64u : (unsigned)inc;
}

static int add_word(void *vctx, const char *surface, size_t len, size_t offset, int word_class)
{
    (void)offset;
    struct word_ctx *ctx = vctx;
    if (word_class == SH_WORD_SYMBOL || len > TERM_MAX_BYTES)
        return SH_OK;
    if (term_set(&ctx->an->term, ctx->prefix, surface, len))
        return sh_fail(ctx->errmsg, SH_ERR_NOMEM, "out of memory");
    return xap_doc_add_term(ctx->doc, ctx->an->term.data, ctx->an->term.len, ctx->wdf_inc,
                            ctx->errmsg);
}

int terms_add_words(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                    size_t len, char **errmsg)
{
    if (len == 0)
        return SH_OK;
    int rc = sh_norm_text(an->norm, value, len, &an->nt, errmsg);
    if (rc)
        return rc;
    /* Heading words: a fixed weight, that of a passage of the reference length. */
    struct word_ctx ctx = {an, doc, prefix, (unsigned)WORD_WDF_SCALE, errmsg};
    return sh_seg_tokenize(an->seg, an->nt.text, an->nt.len, add_word, &ctx, errmsg);
}

int terms_index_text(sh_analyzer *an, xap_doc *doc, const char *text, size_t len, char **errmsg)
{
    sh_normtext *nt = &an->nt;
    int rc = sh_norm_text(an->norm, text, len, nt, errmsg);
    if (rc)
        return rc;
    for (size_t i = 0; i < nt->ncp; i++) {
        const char *cp = nt->text + nt->cp_byte[i];
        size_t cp_len = nt->cp_byte[i + 1] - nt->cp_byte[i];
        if (!is_space_cp(nt, i)) {
            if (term_set(&an->term, PFX_UNIGRAM, cp, cp_len))
                return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            rc = xap_doc_add_term(doc, an->term.data, an->term.len, 1, errmsg);
            if (rc)
                return rc;
        }
        if (i + 1 < nt->ncp) {
            size_t bigram_len = nt->cp_byte[i + 2] - nt->cp_byte[i];
            if (term_set(&an->term, PFX_BIGRAM, cp, bigram_len))
                return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            rc = xap_doc_add_posting(doc, an->term.data, an->term.len, (unsigned)i + 1, 1,
                                     errmsg);
            if (rc)
                return rc;
        }
    }
    struct word_ctx ctx = {an, doc, PFX_WORD, word_wdf_inc(nt->ncp), errmsg};
    return sh_seg_tokenize(an->seg, nt->text, nt->len, add_word, &ctx, errmsg);
}

int terms_boolean_term(sh_analyzer *an, const char *prefix, const char *value, size_t len,
                       char **errmsg)
{
    sh_normtext *nt = &an->nt;
    int rc = sh_norm_text(an->norm, value, len, nt, errmsg);
    if (rc)
        return rc;
    size_t keep = nt->len, limit = TERM_MAX_BYTES - strlen(prefix);
    if (keep > limit) {
        size_t i = 0;
        while (i < nt->ncp && nt->cp_byte[i + 1] <= limit)
            i++;
        keep = nt->cp_byte[i];
    }
    if (term_set(&an->term, prefix, nt->text, keep))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return SH_OK;
}

int terms_add_boolean(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                      size_t len, char **errmsg)
{
    if (len == 0)
        return SH_OK;
    int rc = terms_boolean_term(an, prefix, value, len, errmsg);
    if (rc || an->term.len == strlen(prefix))
        return rc;
    return xap_doc_add_boolean_term(doc, an->term.data, an->term.len, errmsg);
}

/* Frees n queries. */
static void queries_free(xap_query **qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xap_query_destroy(qs[i]);
    free(qs);
}

/* The exact-substring query for normalized code points [a, b) of nt. */
static int substring_query(sh_analyzer *an, const sh_normtext *nt, size_t a, size_t b,
                           xap_query **out, char **errmsg)
{
    size_t n = b - a;
    const char *s = nt->text + nt->cp_byte[a];
    if (n == 1) {
        if (term_set(&an->term, PFX_UNIGRAM, s, nt->cp_byte[b] - nt->cp_byte[a]))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        return xap_query_term(an->term.data, an->term.len, 1, out, errmsg);
    }
    xap_query **grams = calloc(n - 1, sizeof *grams);
    if (!grams)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = SH_OK;
    for (size_t i = a; i + 1 < b && !rc; i++) {
        if (term_set(&an->term, PFX_BIGRAM, nt->text + nt->cp_byte[i],
                     nt->cp_byte[i + 2] - nt->cp_byte[i]))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        else
            rc = xap_query_term(an->term.data, an->term.len, 1, &grams[i - a], errmsg);
    }
    if (!rc) {
        if (n == 2)
            rc = xap_query_scale(grams[0], 1.0, out, errmsg);
        else
            rc = xap_query_combine(XAP_OP_PHRASE, grams, n - 1, (unsigned)(n - 1), out, errmsg);
    }
    queries_free(grams, n - 1);
    return rc;
}

struct qword_ctx {
    sh_analyzer *an;
    xap_query **words;
    size_t nwords, cap;
    char **errmsg;
};

static int collect_query_word(void *vctx, const char *surface, size_t len, size_t offset,
                              int word_class)
{
    (void)offset;
    struct qword_ctx *ctx = vctx;
    if (word_class == SH_WORD_SYMBOL || len > TERM_MAX_BYTES)
        return SH_OK;
    /* The word in the text ranks; in the measure heading or the title it ranks higher. */
    static const struct { const char *prefix; double scale; } kinds[] = {
        {PFX_WORD, 1.0}, {PFX_MEASURE_WORD, MEASURE_WORD_SCALE}, {PFX_TITLE_WORD, TITLE_WORD_SCALE}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        xap_query **w = sh_array_grow(ctx->words, &ctx->cap, ctx->nwords + 1, sizeof *w);
        if (!w)
            return sh_fail(ctx->errmsg, SH_ERR_NOMEM, "out of memory");
        ctx->words = w;
        if (term_set(&ctx->an->term, kinds[k].prefix, surface, len))
            return sh_fail(ctx->errmsg, SH_ERR_NOMEM, "out of memory");
        xap_query *term = NULL;
        int rc = xap_query_term(ctx->an->term.data, ctx->an->term.len, 1, &term, ctx->errmsg);
        if (!rc)
            rc = xap_query_scale(term, kinds[k].scale, &ctx->words[ctx->nwords], ctx->errmsg);
        xap_query_destroy(term);
        if (rc)
            return rc;
        ctx->nwords++;
    }
    return SH_OK;
}

int terms_query_string(sh_analyzer *an, const char *s, size_t len, xap_query **out,
                       char **errmsg)
{
    *out = NULL;
    sh_normtext *nt = &an->nt;
    int rc = sh_norm_text(an->norm, s, len, nt, errmsg);
    if (rc)
        return rc;
    size_t a = 0, b = nt->ncp;
    while (a < b && is_space_cp(nt, a))
        a++;
    while (b > a && is_space_cp(nt, b - 1))
        b--;
    if (a == b)
        return SH_OK;
    xap_query *match = NULL, *scaled = NULL;
    rc = substring_query(an, nt, a, b, &match, errmsg);
    if (!rc)
        rc = xap_query_scale(match, BIGRAM_WEIGHT_SCALE, &scaled, errmsg);
    xap_query_destroy(match);
    if (rc)
        return rc;
    /* Words of the normalized string, for ranking only (AND_MAYBE never changes the matches). */
    char *norm_copy = strndup(nt->text + nt->cp_byte[a], nt->cp_byte[b] - nt->cp_byte[a]);
    if (!norm_copy) {
        xap_query_destroy(scaled);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    struct qword_ctx ctx = {an, NULL, 0, 0, errmsg};
    rc = sh_seg_tokenize(an->seg, norm_copy, strlen(norm_copy), collect_query_word, &ctx, errmsg);
    if (!rc && ctx.nwords > 0) {
        xap_query *words = NULL;
        rc = xap_query_combine(XAP_OP_OR, ctx.words, ctx.nwords, 0, &words, errmsg);
        if (!rc) {
            xap_query *pair[2] = {scaled, words};
            rc = xap_query_combine(XAP_OP_AND_MAYBE, pair, 2, 0, out, errmsg);
        }
        xap_query_destroy(words);
        xap_query_destroy(scaled);
    } else if (!rc) {
        *out = scaled;
    } else {
        xap_query_destroy(scaled);
    }
    queries_free(ctx.words, ctx.nwords);
    free(norm_copy);
    return rc;
}

/* Occurrences in one document of the phrase of nb bigram terms at consecutive positions. */
static int phrase_occurrences(xap_db *db, xap_docid docid, char *const *grams,
                              const size_t *gram_lens, size_t nb, unsigned long long *count,
                              char **errmsg)
{
    unsigned **pos = calloc(nb, sizeof *pos);
    size_t *npos = calloc(nb, sizeof *npos), *cursor = calloc(nb, sizeof *cursor);
    int rc = (!pos || !npos || !cursor) ? sh_fail(errmsg, SH_ERR_NOMEM, "out of memory") : SH_OK;
    for (size_t k = 0; k < nb && !rc; k++)
        rc = xap_db_positions(db, docid, grams[k], gram_lens[k], &pos[k], &npos[k], errmsg);
    /* Walk the first bigram's positions; every other list is advanced monotonically. */
    for (size_t i = 0; !rc && i < npos[0]; i++) {
        unsigned p = pos[0][i];
        int all = 1;
        for (size_t k = 1; k < nb && all; k++) {
            while (cursor[k] < npos[k] && pos[k][cursor[k]] < p + k)
                cursor[k]++;
            all = cursor[k] < npos[k] && pos[k][cursor[k]] == p + k;
        }
        *count += all;
    }
    for (size_t k = 0; pos && k < nb; k++)
        free(pos[k]);
    free(pos);
    free(npos);
    free(cursor);
    return rc;
}

int terms_count_occurrences(sh_analyzer *an, xap_db *db, const char *s, const xap_docid *docids,
                            size_t n, int known_present, unsigned long long *count, char **errmsg)
{
    size_t len = strlen(s), ncp = sh_utf8_count(s, len);
    if (ncp == 0 || n == 0)
        return SH_OK;
    uint32_t cp;
    if (ncp <= 2) {
        if (term_set(&an->term, ncp == 1 ? PFX_UNIGRAM : PFX_BIGRAM, s, len))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        unsigned long long sum = 0;
        int rc = xap_db_sum_wdf(db, an->term.data, an->term.len, docids, n, &sum, errmsg);
        *count += sum;
        return rc;
    }
    size_t nb = ncp - 1;
    char **grams = calloc(nb, sizeof *grams);
    size_t *gram_lens = calloc(nb, sizeof *gram_lens);
    int rc = (!grams || !gram_lens) ? sh_fail(errmsg, SH_ERR_NOMEM, "out of memory") : SH_OK;
    const char *p = s;
    for (size_t k = 0; k < nb && !rc; k++) {
        size_t a = sh_utf8_decode(p, len - (size_t)(p - s), &cp);
        size_t b = sh_utf8_decode(p + a, len - (size_t)(p + a - s), &cp);
        if (term_set(&an->term, PFX_BIGRAM, p, a + b) || !(grams[k] = strndup(an->term.data, an->term.len)))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        else
            gram_lens[k] = an->term.len;
        p += a;
    }
    /* The fewest occurrences of any of its bigrams bounds a phrase's occurrences in a document:
     * where that is 1 and the document is known to hold the phrase, the answer is 1. */
    unsigned *min_wdf = rc ? NULL : malloc(n * sizeof *min_wdf);
    unsigned *wdf = rc ? NULL : malloc(n * sizeof *wdf);
    if (!rc && (!min_wdf || !wdf))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        min_wdf[i] = known_present ? UINT32_MAX : 2;
    for (size_t k = 0; k < nb && !rc && known_present; k++) {
        rc = xap_db_wdfs(db, grams[k], gram_lens[k], docids, n, wdf, errmsg);
        for (size_t i = 0; i < n && !rc; i++)
            if (wdf[i] < min_wdf[i])
                min_wdf[i] = wdf[i];
    }
    for (size_t i = 0; i < n && !rc; i++) {
        if (min_wdf[i] == 0)
            continue;
        if (min_wdf[i] == 1)
            (*count)++;
        else
            rc = phrase_occurrences(db, docids[i], grams, gram_lens, nb, count, errmsg);
    }
    free(min_wdf);
    free(wdf);
    for (size_t k = 0; grams && k < nb; k++)
        free(grams[k]);
    free(grams);
    free(gram_lens);
    return rc;
}

int terms_whole_index_counts(sh_analyzer *an, xap_db *db, const char *s, size_t *passages,
                             unsigned long long *occurrences, char **errmsg, int *status)
{
    *status = SH_OK;
    size_t len = strlen(s), ncp = sh_utf8_count(s, len);
    if (ncp == 0 || ncp > 2)
        return 0;
    if (term_set(&an->term, ncp == 1 ? PFX_UNIGRAM : PFX_BIGRAM, s, len)) {
        *status = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        return 1;
    }
    unsigned tf = 0;
    *status = xap_db_termfreq(db, an->term.data, an->term.len, &tf, errmsg);
    if (!*status)
        *status = xap_db_collection_freq(db, an->term.data, an->term.len, occurrences, errmsg);
    *passages = tf;
    return 1;
}
