/* suggest.c — hints for a query that found nothing (see suggest.h): MeCab's cut of each word,
 * counted like a query, and words of the index within a small edit distance of each word. */
#include "suggest.h"

#include "expand.h"
#include "qbuild.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/schema.h"
#include "shiryo/seg.h"
#include "shiryo/status.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 16
#define MAX_CPS 24
#define NEAR_SHOWN 3

/* The positive words of the query (not under NOT, not field values), at most MAX_WORDS. */
static void positive_words(const qnode *n, const char **words, size_t *nwords)
{
    if (!n || n->kind == QN_NOT)
        return;
    if (n->kind == QN_TEXT && *nwords < MAX_WORDS)
        words[(*nwords)++] = n->text;
    for (size_t i = 0; i < n->nkids; i++)
        positive_words(n->kids[i], words, nwords);
}

typedef struct cut_ctx {
    sh_buf *out;
    size_t tokens;
    int failed;
} cut_ctx;

static int add_token(void *vctx, const char *surface, size_t len, size_t offset, int word_class)
{
    (void)offset;
    cut_ctx *c = vctx;
    if (word_class != SH_WORD_CONTENT)
        return 0;
    c->failed |= (c->out->len && sh_buf_putc(c->out, ' ')) || sh_buf_append(c->out, surface, len);
    c->tokens++;
    return c->failed;
}

/* Passages matching query text q (expanded as a typed query is); -1 when it does not parse. */
static long count_passages(search_session *s, const char *q, char **errmsg)
{
    qnode *tree = NULL;
    expand_list ex = {0};
    qbuild_result built = {0};
    summary sum = {0};
    /* As a --count: a word of one or two characters is then counted from its term statistics
     * instead of by matching its passages (a near spelling such as 昭和 has thousands). */
    search_opts opts = {.limit = 1, .exact_total = 1, .count_mentions = 1};
    int rc = qparse(q, &tree, errmsg);
    if (!rc && tree)
        rc = expand_tree(search_analyzer(s), &tree, &ex, errmsg);
    if (!rc && tree)
        rc = qbuild(search_analyzer(s), search_db(s), tree, &built, errmsg);
    if (!rc && tree)
        rc = search_run(s, &built, &opts, NULL, &sum, errmsg);
    long n = rc || !tree ? -1 : (long)sum.total;
    search_summary_free(&sum);
    qbuild_result_free(&built);
    expand_list_free(&ex);
    qnode_free(tree);
    return n;
}

static size_t to_cps(const char *s, size_t len, uint32_t *cps, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < max;) {
        unsigned cp;
        i += sh_utf8_next(s, len, i, &cp);
        cps[n++] = cp;
    }
    return n;
}

/* Edit distance of a and b when it is at most limit, else limit + 1. */
static unsigned edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                              unsigned limit)
{
    unsigned row[MAX_CPS + 1], prev[MAX_CPS + 1];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        row[0] = (unsigned)i;
        unsigned best = row[0];
        for (size_t j = 1; j <= nb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, row, (nb + 1) * sizeof *row);
    }
    return prev[nb];
}

/* A word of the index within the edit distance, with its passages in one shard. */
typedef struct near_found {
    char *word;
    unsigned freq;
} near_found;

typedef struct near_ctx {
    uint32_t word[MAX_CPS];
    size_t nword;
    unsigned limit;
    near_found *found; /* from every shard, a word once per shard that holds it */
    size_t nfound, found_cap;
    char *best[NEAR_SHOWN];
    unsigned best_freq[NEAR_SHOWN];
    int failed;
} near_ctx;

static int near_term(void *vctx, const char *term, size_t len, unsigned freq)
{
    near_ctx *c = vctx;
    const char *w = term + strlen(PFX_WORD);
    size_t wlen = len - strlen(PFX_WORD);
    uint32_t cps[MAX_CPS];
    size_t n = to_cps(w, wlen, cps, MAX_CPS);
    if (n >= MAX_CPS || n + c->limit < c->nword || c->nword + c->limit < n || n < 2)
        return 0;
    unsigned d = edit_distance(c->word, c->nword, cps, n, c->limit);
    if (d == 0 || d > c->limit)
        return 0;
    near_found *grown = sh_array_grow(c->found, &c->found_cap, c->nfound + 1, sizeof *grown);
    char *copy = grown ? strndup(w, wlen) : NULL;
    if (!copy) {
        if (grown)
            c->found = grown;
        c->failed = 1;
        return 1;
    }
    c->found = grown;
    c->found[c->nfound++] = (near_found){copy, freq};
    return 0;
}

static int compare_found(const void *a, const void *b)
{
    return strcmp(((const near_found *)a)->word, ((const near_found *)b)->word);
}

/* The NEAR_SHOWN most frequent of c->found into c->best, their shards' frequencies summed; among
 * equal frequencies the word first in byte order (c->found is emptied). */
static void near_pick(near_ctx *c)
{
    if (c->nfound > 1)
        qsort(c->found, c->nfound, sizeof *c->found, compare_found);
    for (size_t i = 0; i < c->nfound;) {
        size_t j = i + 1;
        unsigned long long freq = c->found[i].freq;
        for (; j < c->nfound && strcmp(c->found[j].word, c->found[i].word) == 0; j++)
            freq += c->found[j].freq;
        unsigned f = freq > UINT_MAX ? UINT_MAX : (unsigned)freq;
        size_t slot = NEAR_SHOWN;
        for (size_t k = 0; k < NEAR_SHOWN; k++)
            if (!c->best[k] || f > c->best_freq[k]) {
                slot = k;
                break;
            }
        if (slot < NEAR_SHOWN) {
            free(c->best[NEAR_SHOWN - 1]);
            memmove(c->best + slot + 1, c->best + slot, (NEAR_SHOWN - 1 - slot) * sizeof *c->best);
            memmove(c->best_freq + slot + 1, c->best_freq + slot,
                    (NEAR_SHOWN - 1 - slot) * sizeof *c->best_freq);
            c->best[slot] = c->found[i].word;
            c->best_freq[slot] = f;
            c->found[i].word = NULL;
        }
        for (size_t k = i; k < j; k++)
            free(c->found[k].word);
        i = j;
    }
    free(c->found);
    c->found = NULL;
    c->nfound = c->found_cap = 0;
}

int suggest_zero_hits(search_session *s, const qnode *tree, FILE *out, char **errmsg)
{
    const char *words[MAX_WORDS];
    size_t nwords = 0;
    positive_words(tree, words, &nwords);
    if (!nwords)
        return SH_OK;
    sh_analyzer *an = search_analyzer(s);
    /* 1. The words MeCab finds in the query, ANDed. */
    sh_buf cut = SH_BUF_INIT;
    cut_ctx c = {&cut, 0, 0};
    int rc = SH_OK;
    for (size_t i = 0; i < nwords && !rc; i++) {
        size_t before = c.tokens;
        rc = sh_seg_tokenize(sh_analyzer_seg(an), words[i], strlen(words[i]), add_token, &c, errmsg);
        if (!rc && c.tokens == before) /* nothing but symbols: keep the word */
            c.failed |= (cut.len && sh_buf_putc(&cut, ' ')) || sh_buf_puts(&cut, words[i]);
    }
    if (!rc && c.failed)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (!rc && c.tokens > nwords) {
        long n = count_passages(s, cut.data, errmsg);
        if (n > 0)
            fprintf(out, "shiryo-query: the query's words %s are all in %ld passage%s: "
                         "shiryo-query '%s'\n", cut.data, n, n == 1 ? "" : "s", cut.data);
    }
    sh_buf_free(&cut);
    /* 2. Near spellings, among the index's words, of each word that no passage holds. */
    for (size_t i = 0; i < nwords && !rc; i++) {
        char quoted[512];
        if (snprintf(quoted, sizeof quoted, "=\"%s\"", words[i]) >= (int)sizeof quoted ||
            strchr(words[i], '"') || count_passages(s, quoted, errmsg) != 0)
            continue;
        char *norm = NULL;
        rc = sh_norm_string(sh_analyzer_norm(an), words[i], strlen(words[i]), &norm, errmsg);
        if (rc)
            break;
        near_ctx nc = {.limit = 1};
        nc.nword = to_cps(norm, strlen(norm), nc.word, MAX_CPS);
        nc.limit = nc.nword >= 5 ? 2 : 1;
        if (nc.nword >= 2 && nc.nword < MAX_CPS)
            rc = xap_db_allterms_each_shard(search_db(s), PFX_WORD, strlen(PFX_WORD), near_term,
                                            &nc, errmsg);
        if (!rc && nc.failed)
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        near_pick(&nc);
        /* The term statistics still count passages replaced since their shard was built:
         * show what a search for each spelling finds (proven, replaced passages left out), so
         * that an updated index answers as a clean build of the same files. */
        for (size_t k = 0; k < NEAR_SHOWN && nc.best[k] && !rc; k++) {
            char quoted[MAX_CPS * 4 + 8];
            if ((size_t)snprintf(quoted, sizeof quoted, "=\"%s\"", nc.best[k]) >= sizeof quoted ||
                strchr(nc.best[k], '"'))
                continue;
            long found = count_passages(s, quoted, errmsg);
            if (found >= 0)
                nc.best_freq[k] = (unsigned)found;
            else if (errmsg && *errmsg) {
                free(*errmsg); /* not a query: keep the term statistics */
                *errmsg = NULL;
            }
        }
        for (size_t k = 1; k < NEAR_SHOWN && nc.best[k]; k++) /* most found first, stable */
            for (size_t j = k; j > 0 && nc.best_freq[j] > nc.best_freq[j - 1]; j--) {
                char *w = nc.best[j];
                unsigned f = nc.best_freq[j];
                nc.best[j] = nc.best[j - 1];
                nc.best_freq[j] = nc.best_freq[j - 1];
                nc.best[j - 1] = w;
                nc.best_freq[j - 1] = f;
            }
        if (!rc && nc.best[0]) {
            fprintf(out, "shiryo-query: near spellings of %s in the index:", words[i]);
            for (size_t k = 0; k < NEAR_SHOWN && nc.best[k]; k++)
                fprintf(out, "%s %s (%u passage%s)", k ? "," : "", nc.best[k], nc.best_freq[k],
                        nc.best_freq[k] == 1 ? "" : "s");
            fputc('\n', out);
        }
        for (size_t k = 0; k < NEAR_SHOWN; k++)
            free(nc.best[k]);
        free(norm);
    }
    return rc;
}
