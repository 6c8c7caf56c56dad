/* terms.c — term policy: bigrams without positions select candidate passages (the
 * query process proves them on the text), MeCab words rank. Also builds the candidate query for
 * a search string; both sides share sh_analyzer. */
#include "shiryo/terms.h"

#include "analyzer_internal.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How much the exact-substring (bigram) part weighs against MeCab words: words that match
 * whole rank above bigram-only (partial) matches. */
#define BIGRAM_WEIGHT_SCALE 0.0
/* Boosts for a query word that also occurs in the passage's measure heading or page title. */
#define MEASURE_WORD_SCALE 0.5
#define TITLE_WORD_SCALE 0.3

/* The second half of the bigram that a passage's last code point starts: the space that ends
 * it. A query string is trimmed, so no two-code-point query asks for such a bigram. */
#define END_BIGRAM_TAIL " "

static int is_space_cp(const sh_normtext *nt, size_t i)
{
    unsigned char c = (unsigned char)nt->text[nt->cp_byte[i]];
    return c == ' ' || c == '\t';
}

/* Which MeCab words rank: not symbols, and not particles or auxiliary verbs, which are in
 * nearly every passage (の alone in 87 %): they told passages apart by almost nothing and were
 * a fifth of the word postings, so a query's particles (地方公共団体の長) only cost time. */
static int terms_ranking_word(int word_class)
{
    return word_class != SH_WORD_SYMBOL && word_class != SH_WORD_PARTICLE;
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
    xap_doc *doc;       /* the words go to doc, or (doc NULL) to set */
    sh_termset *set;
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
    if (!terms_ranking_word(word_class) || len > TERM_MAX_BYTES)
        return SH_OK;
    if (term_set(&ctx->an->term, ctx->prefix, surface, len))
        return sh_fail(ctx->errmsg, SH_ERR_NOMEM, "out of memory");
    if (!ctx->doc)
        return sh_termset_add(ctx->set, ctx->an->term.data, ctx->an->term.len, ctx->wdf_inc)
                   ? sh_fail(ctx->errmsg, SH_ERR_NOMEM, "out of memory") : SH_OK;
    return xap_doc_add_term(ctx->doc, ctx->an->term.data, ctx->an->term.len, ctx->wdf_inc,
                            ctx->errmsg);
}

/* A heading's words into doc or (doc NULL) set. */
static int heading_words(sh_analyzer *an, xap_doc *doc, sh_termset *set, const char *prefix,
                         const char *value, size_t len, char **errmsg)
{
    if (len == 0)
        return SH_OK;
    int rc = sh_norm_text(an->norm, value, len, &an->nt, errmsg);
    if (rc)
        return rc;
    /* Heading words: a fixed weight, that of a passage of the reference length. */
    struct word_ctx ctx = {an, doc, set, prefix, (unsigned)WORD_WDF_SCALE, errmsg};
    return sh_seg_tokenize(an->seg, an->nt.text, an->nt.len, add_word, &ctx, errmsg);
}

int terms_add_words(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                    size_t len, char **errmsg)
{
    return heading_words(an, doc, NULL, prefix, value, len, errmsg);
}

int terms_collect_words(sh_analyzer *an, sh_termset *set, const char *prefix, const char *value,
                        size_t len, char **errmsg)
{
    return heading_words(an, NULL, set, prefix, value, len, errmsg);
}

/* One passage's n-grams and their counts, so that each distinct term reaches Xapian once with
 * its wdf (Xapian's document map costs per call, not per term). Open addressing; a slot is in
 * use when its generation is the table's. */
typedef struct ngram_slot {
    uint64_t key;      /* the n-gram's bytes (at most 8), zero-padded */
    uint32_t gen, count;
    uint32_t offset;   /* byte offset of one occurrence in the normalized text */
    uint8_t len, kind; /* bytes; 'B' bigram, 'E' the passage's last code point */
} ngram_slot;

struct sh_ngram_table {
    ngram_slot *slots;
    size_t cap;        /* power of two */
    uint32_t gen;
    uint32_t *used;    /* slots in use, in first-seen order */
    size_t nused, used_cap;
};

void sh_ngram_table_free(sh_ngram_table *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->used);
    free(t);
}

/* Empties t with room for n distinct n-grams (the table stays at most half full). */
static int ngram_reset(sh_ngram_table *t, size_t n)
{
    size_t want = 64;
    while (want < 2 * n)
        want *= 2;
    if (want > t->cap) {
        ngram_slot *slots = calloc(want, sizeof *slots);
        uint32_t *used = malloc(want * sizeof *used);
        if (!slots || !used) {
            free(slots);
            free(used);
            return SH_ERR_NOMEM;
        }
        free(t->slots);
        free(t->used);
        t->slots = slots;
        t->used = used;
        t->cap = want;
        t->used_cap = want;
        t->gen = 0;
    }
    if (++t->gen == 0) { /* wrapped: clear the stamps once */
        for (size_t i = 0; i < t->cap; i++)
            t->slots[i].gen = 0;
        t->gen = 1;
    }
    t->nused = 0;
    return SH_OK;
}

static void ngram_count(sh_ngram_table *t, const char *s, size_t len, size_t offset, uint8_t kind)
{
    uint64_t key = 0;
    memcpy(&key, s, len);
    uint64_t h = (key ^ ((uint64_t)kind << 56) ^ len) * 0x9E3779B97F4A7C15ULL;
    size_t mask = t->cap - 1, i = (size_t)(h >> 20) & mask;
    for (;; i = (i + 1) & mask) {
        ngram_slot *e = &t->slots[i];
        if (e->gen != t->gen) {
            *e = (ngram_slot){key, t->gen, 1, (uint32_t)offset, (uint8_t)len, kind};
            t->used[t->nused++] = (uint32_t)i;
            return;
        }
        if (e->key == key && e->len == len && e->kind == kind) {
            e->count++;
            return;
        }
    }
}

int terms_index_text(sh_analyzer *an, xap_doc *doc, const char *text, size_t len, char **errmsg)
{
    sh_normtext *nt = &an->nt;
    int rc = sh_norm_text(an->norm, text, len, nt, errmsg);
    if (rc)
        return rc;
    if (!an->ngrams && !(an->ngrams = calloc(1, sizeof *an->ngrams)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    sh_ngram_table *t = an->ngrams;
    if (nt->len > UINT32_MAX || ngram_reset(t, 2 * nt->ncp))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    /* Every code point starts one bigram: the last one's second half is the space that ends
     * the passage (END_BIGRAM_TAIL). So the bigrams starting with c hold every occurrence of c
     * and no unigram terms are needed (they were a quarter of all postings). */
    for (size_t i = 0; i < nt->ncp; i++) {
        size_t at = nt->cp_byte[i];
        if (i + 1 < nt->ncp)
            ngram_count(t, nt->text + at, nt->cp_byte[i + 2] - at, at, 'B');
        else if (!is_space_cp(nt, i))
            ngram_count(t, nt->text + at, nt->cp_byte[i + 1] - at, at, 'E');
    }
    for (size_t k = 0; k < t->nused && !rc; k++) {
        const ngram_slot *e = &t->slots[t->used[k]];
        if (term_set(&an->term, PFX_BIGRAM, nt->text + e->offset, e->len) ||
            (e->kind == 'E' && sh_buf_puts(&an->term, END_BIGRAM_TAIL)))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        rc = xap_doc_add_term(doc, an->term.data, an->term.len, e->count, errmsg);
    }
    if (rc)
        return rc;
    struct word_ctx ctx = {an, doc, NULL, PFX_WORD, word_wdf_inc(nt->ncp), errmsg};
    return sh_seg_tokenize(an->seg, nt->text, nt->len, add_word, &ctx, errmsg);
}

int terms_boolean_term(sh_analyzer *an, const char *prefix, const char *value, size_t len,
                       const char **term, size_t *term_len, char **errmsg)
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
    *term = an->term.data;
    *term_len = an->term.len;
    return SH_OK;
}

/* The boolean term of value into doc or (doc NULL) set; an empty value adds nothing. */
static int boolean_into(sh_analyzer *an, xap_doc *doc, sh_termset *set, const char *prefix,
                        const char *value, size_t len, char **errmsg)
{
    if (len == 0)
        return SH_OK;
    const char *term = NULL;
    size_t term_len = 0;
    int rc = terms_boolean_term(an, prefix, value, len, &term, &term_len, errmsg);
    if (rc || term_len == strlen(prefix))
        return rc;
    if (doc)
        return xap_doc_add_boolean_term(doc, term, term_len, errmsg);
    return sh_termset_add(set, term, term_len, 0) ? sh_fail(errmsg, SH_ERR_NOMEM, "out of memory")
                                                  : SH_OK;
}

int terms_add_boolean(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                      size_t len, char **errmsg)
{
    return boolean_into(an, doc, NULL, prefix, value, len, errmsg);
}

int terms_collect_boolean(sh_analyzer *an, sh_termset *set, const char *prefix,
                          const char *value, size_t len, char **errmsg)
{
    return boolean_into(an, NULL, set, prefix, value, len, errmsg);
}

/* Frees n queries. */
static void queries_free(xap_query **qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xap_query_destroy(qs[i]);
    free(qs);
}

/* The candidate query for normalized code points [a, b) of nt: the bigrams starting with it
 * (one code point) or its bigram (two), exact; longer, the AND of its distinct bigrams, which every passage holding the
 * string matches (and a few more: the proof on the text removes them). */
static int substring_query(sh_analyzer *an, const sh_normtext *nt, size_t a, size_t b,
                           xap_query **out, char **errmsg)
{
    size_t n = b - a;
    const char *s = nt->text + nt->cp_byte[a];
    if (n == 1) { /* the bigrams that start with it */
        if (term_set(&an->term, PFX_BIGRAM, s, nt->cp_byte[b] - nt->cp_byte[a]))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        return xap_query_prefix(an->term.data, an->term.len, out, errmsg);
    }
    xap_query **grams = calloc(n - 1, sizeof *grams);
    if (!grams)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = SH_OK;
    size_t ngrams = 0;
    for (size_t i = a; i + 1 < b && !rc; i++) {
        const char *g = nt->text + nt->cp_byte[i];
        size_t glen = nt->cp_byte[i + 2] - nt->cp_byte[i];
        int seen = 0; /* a bigram repeated in the string (ああああ) is asked for once */
        for (size_t j = a; j < i && !seen; j++)
            seen = nt->cp_byte[j + 2] - nt->cp_byte[j] == glen &&
                   memcmp(nt->text + nt->cp_byte[j], g, glen) == 0;
        if (seen)
            continue;
        if (term_set(&an->term, PFX_BIGRAM, g, glen))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        else
            rc = xap_query_term(an->term.data, an->term.len, 1, &grams[ngrams++], errmsg);
    }
    if (!rc)
        rc = ngrams == 1 ? xap_query_scale(grams[0], 1.0, out, errmsg)
                         : xap_query_combine(XAP_OP_AND, grams, ngrams, 0, out, errmsg);
    queries_free(grams, ngrams);
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
    if (!terms_ranking_word(word_class) || len > TERM_MAX_BYTES)
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

/* Trims spaces off normalized nt: code points [*a, *b). */
static void trim_cps(const sh_normtext *nt, size_t *a, size_t *b)
{
    *a = 0;
    *b = nt->ncp;
    while (*a < *b && is_space_cp(nt, *a))
        (*a)++;
    while (*b > *a && is_space_cp(nt, *b - 1))
        (*b)--;
}

/* The ranking words of normalized text (len bytes): OR of each MeCab word in the text, the
 * measure heading and the title; *out = NULL when there is none. */
static int words_query(sh_analyzer *an, const char *norm, size_t len, xap_query **out,
                       char **errmsg)
{
    *out = NULL;
    char *copy = strndup(norm, len); /* the segmenter may reuse an->nt */
    if (!copy)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    struct qword_ctx ctx = {an, NULL, 0, 0, errmsg};
    int rc = sh_seg_tokenize(an->seg, copy, len, collect_query_word, &ctx, errmsg);
    if (!rc && ctx.nwords > 0)
        rc = xap_query_combine(XAP_OP_OR, ctx.words, ctx.nwords, 0, out, errmsg);
    queries_free(ctx.words, ctx.nwords);
    free(copy);
    return rc;
}

int terms_query_words(sh_analyzer *an, const char *s, size_t len, xap_query **out, char **errmsg)
{
    *out = NULL;
    sh_normtext *nt = &an->nt;
    int rc = sh_norm_text(an->norm, s, len, nt, errmsg);
    size_t a, b;
    if (rc)
        return rc;
    trim_cps(nt, &a, &b);
    if (a == b)
        return SH_OK;
    return words_query(an, nt->text + nt->cp_byte[a], nt->cp_byte[b] - nt->cp_byte[a], out,
                       errmsg);
}

int terms_query_string(sh_analyzer *an, const char *s, size_t len, xap_query **out,
                       char **errmsg)
{
    *out = NULL;
    sh_normtext *nt = &an->nt;
    int rc = sh_norm_text(an->norm, s, len, nt, errmsg);
    if (rc)
        return rc;
    size_t a, b;
    trim_cps(nt, &a, &b);
    if (a == b)
        return SH_OK;
    xap_query *match = NULL, *scaled = NULL, *words = NULL;
    /* Words of the normalized string rank (AND_MAYBE never changes the matches). A string with
     * none (only particles: ので) ranks by its bigrams' counts instead. */
    rc = words_query(an, nt->text + nt->cp_byte[a], nt->cp_byte[b] - nt->cp_byte[a], &words,
                     errmsg);
    if (!rc)
        rc = substring_query(an, nt, a, b, &match, errmsg);
    if (!rc)
        rc = xap_query_scale(match, words ? BIGRAM_WEIGHT_SCALE : 1.0, &scaled, errmsg);
    xap_query_destroy(match);
    if (!rc && words) {
        xap_query *pair[2] = {scaled, words};
        rc = xap_query_combine(XAP_OP_AND_MAYBE, pair, 2, 0, out, errmsg);
    } else if (!rc) {
        *out = scaled;
        scaled = NULL;
    }
    xap_query_destroy(words);
    xap_query_destroy(scaled);
    return rc;
}

int terms_literal_exact(const char *s)
{
    size_t ncp = sh_utf8_count(s, strlen(s));
    return ncp >= 1 && ncp <= 2;
}

int terms_literal_counted(const char *s)
{
    return sh_utf8_count(s, strlen(s)) == 2;
}

int terms_count_occurrences(sh_analyzer *an, xap_db *db, const char *s, const xap_docid *docids,
                            size_t n, unsigned long long *count, char **errmsg)
{
    size_t len = strlen(s);
    if (!terms_literal_counted(s))
        return sh_fail(errmsg, SH_ERR_INVALID, "terms_count_occurrences: \"%s\" is not one index "
                       "term", s);
    if (n == 0)
        return SH_OK;
    if (term_set(&an->term, PFX_BIGRAM, s, len))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    unsigned long long sum = 0;
    int rc = xap_db_sum_wdf(db, an->term.data, an->term.len, docids, n, &sum, errmsg);
    *count += sum;
    return rc;
}

struct cf_ctx {
    xap_db *db;
    unsigned long long sum;
    int rc;
    char **errmsg;
};

static int add_collection_freq(void *vctx, const char *term, size_t len, unsigned freq)
{
    (void)freq;
    struct cf_ctx *ctx = vctx;
    unsigned long long cf = 0;
    ctx->rc = xap_db_collection_freq(ctx->db, term, len, &cf, ctx->errmsg);
    ctx->sum += cf;
    return ctx->rc != SH_OK;
}

/* Passages and occurrences of one code point: the bigrams that start with it, counted by
 * matching them all (passages) and summing their collection frequencies (occurrences). */
static int code_point_counts(sh_analyzer *an, xap_db *db, const char *s, size_t len,
                             size_t *passages, unsigned long long *occurrences, char **errmsg)
{
    if (term_set(&an->term, PFX_BIGRAM, s, len))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    struct cf_ctx ctx = {db, 0, SH_OK, errmsg};
    int rc = xap_db_allterms(db, an->term.data, an->term.len, add_collection_freq, &ctx, errmsg);
    if (!rc)
        rc = ctx.rc;
    *occurrences = ctx.sum;
    xap_query *q = NULL;
    xap_enquire *enq = NULL;
    xap_mset *m = NULL;
    unsigned doccount = 0;
    if (!rc)
        rc = xap_db_doccount(db, &doccount, errmsg);
    if (!rc)
        rc = xap_query_prefix(an->term.data, an->term.len, &q, errmsg);
    if (!rc)
        rc = xap_enquire_new(db, &enq, errmsg);
    if (!rc)
        rc = xap_enquire_set_query(enq, q, errmsg);
    if (!rc)
        rc = xap_enquire_set_boolean(enq, errmsg);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, 0, doccount, &m, errmsg);
    if (!rc)
        *passages = xap_mset_matches_estimated(m); /* exact: every match was counted */
    xap_mset_destroy(m);
    xap_enquire_destroy(enq);
    xap_query_destroy(q);
    return rc;
}

int terms_whole_index_counts(sh_analyzer *an, xap_db *db, const char *s, size_t *passages,
                             unsigned long long *occurrences, char **errmsg, int *status)
{
    *status = SH_OK;
    size_t len = strlen(s), ncp = sh_utf8_count(s, len);
    if (ncp == 0 || ncp > 2)
        return 0;
    if (ncp == 1) {
        *status = code_point_counts(an, db, s, len, passages, occurrences, errmsg);
        return 1;
    }
    if (term_set(&an->term, PFX_BIGRAM, s, len)) {
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
