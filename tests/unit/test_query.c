/* test_query.c — the every-mention guarantee end to end, as a property: index corpus/ and the
 * page fixtures, then for thousands of random substrings of the indexed passages (1–12 code
 * points; Japanese, Latin, digits, mixed, single characters) run the query parser, builder and
 * search with --all and compare with a brute-force scan of every passage: no misses, no extras.
 * Also AND of two substrings, exclusion, and mention counts. */
#include "check.h"

#include "expand.h"
#include "index.h"
#include "printer.h"
#include "qbuild.h"
#include "qparse.h"
#include "search.h"

#include "shiryo/norm.h"
#include "shiryo/status.h"
#include "shiryo/xap.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PASSAGES 4096

typedef struct passage_id {
    char *file;
    unsigned line_start;
    char *text;
    char *norm;
    char *ministries;   /* "|"-joined official names */
} passage_id;

typedef struct collection {
    passage_id items[MAX_PASSAGES];
    size_t n;
    size_t highlights;
} collection;

static int collect(void *ctx, const result *r)
{
    collection *c = ctx;
    if (c->n >= MAX_PASSAGES)
        return SH_OK;
    c->items[c->n].file = strdup(r->file);
    c->items[c->n].line_start = r->nlines ? r->lines[0] : 0;
    c->items[c->n].text = strdup(r->text);
    c->items[c->n].norm = NULL;
    sh_buf m = SH_BUF_INIT;
    for (size_t i = 0; i < r->nministries; i++)
        if (sh_buf_putc(&m, '|') || sh_buf_puts(&m, r->ministries[i].name))
            break;
    if (sh_buf_putc(&m, '|') == SH_OK) {
        c->items[c->n].ministries = m.data;
    } else {
        sh_buf_free(&m);
        c->items[c->n].ministries = NULL;
    }
    c->highlights += r->nhighlights;
    c->n++;
    return SH_OK;
}

static void collection_clear(collection *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].file);
        free(c->items[i].text);
        free(c->items[i].norm);
        free(c->items[i].ministries);
    }
    c->n = 0;
    c->highlights = 0;
}

static int same_passage(const passage_id *a, const passage_id *b)
{
    return a->line_start == b->line_start && strcmp(a->file, b->file) == 0 &&
           strcmp(a->text, b->text) == 0;
}

/* Runs a query string with opts (expanded like the CLI's default when expand, else as with
 * --exact); results into c, the total into *total. Returns the status. */
static int run_query(search_session *s, const char *query, int expand, const search_opts *sopts,
                     collection *c, size_t *total)
{
    qnode *tree = NULL;
    qbuild_result built = {0};
    expand_list ex = {0};
    char *err = NULL;
    int rc = qparse(query, &tree, &err);
    if (!rc && expand)
        rc = expand_tree(search_analyzer(s), &tree, &ex, &err);
    expand_list_free(&ex);
    if (!rc)
        rc = qbuild(search_analyzer(s), search_db(s), tree, &built, &err);
    const result_sink collector = {collect, c};
    summary sum = {0};
    if (!rc)
        rc = search_run(s, &built, sopts, &collector, &sum, &err);
    if (rc)
        fprintf(stderr, "query \"%s\": %s\n", query, err ? err : "?");
    *total = sum.total;
    search_summary_free(&sum);
    qbuild_result_free(&built);
    qnode_free(tree);
    free(err);
    return rc;
}

/* Runs a query string with --all (expanded when expand); results into c. */
static int run_all_mode(search_session *s, const char *query, int expand, collection *c,
                        size_t *total)
{
    search_opts sopts = {.all = 1};
    return run_query(s, query, expand, &sopts, c, total);
}

static int run_all(search_session *s, const char *query, collection *c, size_t *total)
{
    return run_all_mode(s, query, 0, c, total);
}

/* Runs a query string as a top-N list (n > 0) or as --all --sort rank (n == 0). */
static int run_ranked(search_session *s, const char *query, size_t n, collection *c)
{
    search_opts sopts = {.limit = n, .all = n == 0, .sort_rank = n == 0};
    size_t total = 0;
    return run_query(s, query, 0, &sopts, c, &total);
}

/* --count through search_run without a printer: passages and mentions. */
static int run_count_mode(search_session *s, const char *query, int expand, size_t *passages,
                          size_t *mentions)
{
    qnode *tree = NULL;
    qbuild_result built = {0};
    expand_list ex = {0};
    char *err = NULL;
    int rc = qparse(query, &tree, &err);
    if (!rc && expand)
        rc = expand_tree(search_analyzer(s), &tree, &ex, &err);
    expand_list_free(&ex);
    if (!rc)
        rc = qbuild(search_analyzer(s), search_db(s), tree, &built, &err);
    search_opts sopts = {.all = 1, .count_mentions = 1};
    summary sum = {0};
    if (!rc)
        rc = search_run(s, &built, &sopts, NULL, &sum, &err);
    *passages = sum.total;
    *mentions = sum.mentions;
    search_summary_free(&sum);
    qbuild_result_free(&built);
    qnode_free(tree);
    free(err);
    return rc;
}

static int run_count(search_session *s, const char *query, size_t *passages, size_t *mentions)
{
    return run_count_mode(s, query, 0, passages, mentions);
}

/* One query word with its listed forms, normalized, for the brute force: text forms, and the
 * ministries whose tag the word also stands for. */
typedef struct word_forms {
    char *texts[EXPAND_MAX_FORMS + 1];
    size_t ntexts;
    char ministries[EXPAND_MAX_FORMS][160]; /* "|NAME|" */
    size_t nministries;
} word_forms;

static void word_forms_of(sh_analyzer *an, const char *word, int expand, word_forms *wf);
static char *norm_trim(sh_norm *n, const char *s);

static void word_forms_free(word_forms *wf)
{
    for (size_t i = 0; i < wf->ntexts; i++)
        free(wf->texts[i]);
    memset(wf, 0, sizeof *wf);
}

/* Whether a passage holds the word or one of its listed forms. */
static int holds(const passage_id *p, const word_forms *wf)
{
    for (size_t i = 0; i < wf->ntexts; i++)
        if (strstr(p->norm, wf->texts[i]))
            return 1;
    for (size_t i = 0; i < wf->nministries; i++)
        if (p->ministries && strstr(p->ministries, wf->ministries[i]))
            return 1;
    return 0;
}

static void word_forms_of(sh_analyzer *an, const char *word, int expand, word_forms *wf)
{
    memset(wf, 0, sizeof *wf);
    wf->texts[wf->ntexts++] = norm_trim(sh_analyzer_norm(an), word);
    expand_word w;
    if (!expand || expand_word_forms(an, word, &w, NULL) != 1)
        return;
    for (size_t i = 0; i < w.nforms; i++) {
        if (strncmp(w.forms[i], "ministry:", 9) == 0)
            snprintf(wf->ministries[wf->nministries++], sizeof wf->ministries[0], "|%s|",
                     w.forms[i] + 9);
        else
            wf->texts[wf->ntexts++] = norm_trim(sh_analyzer_norm(an), w.forms[i]);
    }
    expand_word_free(&w);
}

/* Mentions of the needles in hay as the README counts them: each occurrence once however many
 * needles cover it — occurrences that share characters are one mention, like a highlight. */
static size_t merged_mentions(const char *hay, const char *const *needles, size_t n)
{
    size_t starts[4096], ends[4096], k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(needles[i]);
        for (const char *p = hay; len && k < 4096 && (p = strstr(p, needles[i])); p++) {
            starts[k] = (size_t)(p - hay);
            ends[k++] = (size_t)(p - hay) + len;
        }
    }
    for (size_t i = 1; i < k; i++) /* sort by start */
        for (size_t j = i; j > 0 && starts[j - 1] > starts[j]; j--) {
            size_t t = starts[j]; starts[j] = starts[j - 1]; starts[j - 1] = t;
            t = ends[j]; ends[j] = ends[j - 1]; ends[j - 1] = t;
        }
    size_t mentions = 0, end = 0;
    for (size_t i = 0; i < k; i++) {
        if (mentions && starts[i] < end) {
            if (ends[i] > end)
                end = ends[i];
        } else {
            mentions++;
            end = ends[i];
        }
    }
    return mentions;
}

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static unsigned long long next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A random substring of 1–12 code points of text into out (UTF-8). */
static void random_substring(const char *text, char *out, size_t cap)
{
    size_t len = strlen(text), ncp = sh_utf8_count(text, len);
    size_t want = 1 + next_random() % 12, start = ncp ? next_random() % ncp : 0;
    if (start + want > ncp)
        want = ncp - start;
    const char *p = text;
    uint32_t cp;
    for (size_t k = 0; k < start; k++)
        p += sh_utf8_decode(p, strlen(p), &cp);
    const char *e = p;
    for (size_t k = 0; k < want; k++)
        e += sh_utf8_decode(e, strlen(e), &cp);
    snprintf(out, cap, "%.*s", (int)(e - p), p);
}

/* Normalized, trimmed form of s (malloc'd). */
static char *norm_trim(sh_norm *n, const char *s)
{
    char *out = NULL;
    if (sh_norm_string(n, s, strlen(s), &out, NULL))
        return NULL;
    size_t a = 0, b = strlen(out);
    while (a < b && out[a] == ' ')
        a++;
    while (b > a && out[b - 1] == ' ')
        b--;
    memmove(out, out + a, b - a);
    out[b - a] = '\0';
    return out;
}

static int index_tree(const char *index_dir, const char *src)
{
    sh_indexer *ix = NULL;
    char *err = NULL;
    int rc = sh_indexer_open(index_dir, 1, &ix, &err);
    const char *dirs[] = {"corpus", "tests/fixtures/pages"};
    for (size_t d = 0; d < 2 && !rc; d++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", src, dirs[d]);
        DIR *dir = opendir(path);
        if (!dir)
            return SH_ERR_IO;
        struct dirent *ent;
        while (!rc && (ent = readdir(dir))) {
            if (!strstr(ent->d_name, ".txt"))
                continue;
            char file[8192];
            snprintf(file, sizeof file, "%s/%s", path, ent->d_name);
            char *abs = realpath(file, NULL);
            index_file_result res;
            rc = abs ? sh_indexer_add_file(ix, abs, &res, &err) : SH_ERR_IO;
            free(abs);
        }
        closedir(dir);
    }
    if (!rc)
        rc = sh_indexer_commit(ix, &err);
    if (rc)
        fprintf(stderr, "indexing: %s\n", err ? err : "?");
    free(err);
    sh_indexer_close(ix);
    return rc;
}

int main(void)
{
    const char *src = getenv("SHIRYO_SOURCE_DIR");
    const char *tmp = getenv("SHIRYO_TEST_TMP");
    REQUIRE(src != NULL);
    char index_dir[4096];
    if (tmp)
        mkdir(tmp, 0700);
    snprintf(index_dir, sizeof index_dir, "%s/test_query.%d", tmp ? tmp : "/tmp", (int)getpid());
    REQUIRE(index_tree(index_dir, src) == SH_OK);

    search_session *s = NULL;
    char *err = NULL;
    REQUIRE(search_open(index_dir, &s, &err) == SH_OK);
    sh_norm *norm = sh_analyzer_norm(search_analyzer(s));

    /* Every passage: filters with no words list all of them, in document order. */
    static collection every, got;
    size_t total = 0;
    REQUIRE(run_all(s, "page:3 OR -page:3", &every, &total) == SH_OK);
    REQUIRE(every.n > 30);
    CHECK(total == every.n);
    for (size_t i = 0; i < every.n; i++)
        every.items[i].norm = norm_trim(norm, every.items[i].text);

    size_t queries = 0, misses = 0, extras = 0, and_queries = 0, count_checks = 0, count_errors = 0;
    for (int iter = 0; iter < 2000; iter++) {
        char a[256], b[256], query[600];
        random_substring(every.items[next_random() % every.n].text, a, sizeof a);
        int two = iter % 5 == 4;
        if (two)
            random_substring(every.items[next_random() % every.n].text, b, sizeof b);
        /* Quote as phrases so that operators and spaces inside are taken literally. */
        if (strchr(a, '"') || (two && strchr(b, '"')))
            continue;
        char *na = norm_trim(norm, a), *nb = two ? norm_trim(norm, b) : NULL;
        if (!na || !na[0] || (two && (!nb || !nb[0]))) {
            free(na);
            free(nb);
            continue;
        }
        if (two)
            snprintf(query, sizeof query, "\"%s\" \"%s\"", a, b);
        else
            snprintf(query, sizeof query, "\"%s\"", a);
        collection_clear(&got);
        if (run_all(s, query, &got, &total) != SH_OK) {
            misses++;
            free(na);
            free(nb);
            continue;
        }
        queries++;
        and_queries += two;
        /* --count agrees with the brute force: passages, and occurrences in them. */
        if (iter % 4 == 0) {
            size_t passages = 0, mentions = 0, want_passages = 0, want_mentions = 0;
            for (size_t i = 0; i < every.n; i++) {
                if (!strstr(every.items[i].norm, na) || (two && !strstr(every.items[i].norm, nb)))
                    continue;
                want_passages++;
                const char *needles[2] = {na, nb};
                want_mentions += merged_mentions(every.items[i].norm, needles, two ? 2 : 1);
            }
            count_checks++;
            if (run_count(s, query, &passages, &mentions) != SH_OK || passages != want_passages ||
                mentions != want_mentions) {
                if (++count_errors < 10)
                    fprintf(stderr, "count %s: %zu/%zu passages, %zu/%zu mentions\n", query,
                            passages, want_passages, mentions, want_mentions);
            }
        }
        for (size_t i = 0; i < every.n; i++) {
            int expected = strstr(every.items[i].norm, na) && (!two || strstr(every.items[i].norm, nb));
            int found = 0;
            for (size_t k = 0; k < got.n && !found; k++)
                found = same_passage(&every.items[i], &got.items[k]);
            if (expected && !found && ++misses < 10)
                fprintf(stderr, "miss: %s in %s:%u\n", query, every.items[i].file,
                        every.items[i].line_start);
            if (!expected && found && ++extras < 10)
                fprintf(stderr, "extra: %s in %s:%u\n", query, every.items[i].file,
                        every.items[i].line_start);
        }
        free(na);
        free(nb);
    }
    printf("every-mention property: %zu queries (%zu AND) over %zu passages: %zu misses, %zu "
           "extras\n", queries, and_queries, every.n, misses, extras);
    printf("--count checks: %zu, %zu wrong\n", count_checks, count_errors);
    CHECK(count_checks > 300);
    CHECK(count_errors == 0);
    CHECK(queries > 1500);
    CHECK(misses == 0);
    CHECK(extras == 0);

    /* A top-10 list is the head of the ranking of every match (--all --sort rank), whatever
     * path the list takes: for one code point, its words alone, then unweighted candidates. */
    static collection top, ranked;
    size_t rank_checks = 0, rank_errors = 0;
    for (int iter = 0; iter < 120; iter++) {
        char a[256];
        random_substring(every.items[next_random() % every.n].text, a, sizeof a);
        if (iter % 3 != 2) { /* mostly single code points */
            uint32_t cp;
            size_t l = sh_utf8_decode(a, strlen(a), &cp);
            a[l] = '\0';
        }
        char *na = norm_trim(norm, a);
        if (!na || !na[0] || strchr(a, '"')) {
            free(na);
            continue;
        }
        free(na);
        char query[300];
        snprintf(query, sizeof query, "\"%s\"", a);
        collection_clear(&top);
        collection_clear(&ranked);
        if (run_ranked(s, query, 10, &top) != SH_OK || run_ranked(s, query, 0, &ranked) != SH_OK) {
            rank_errors++;
            continue;
        }
        rank_checks++;
        int same = top.n == (ranked.n < 10 ? ranked.n : 10);
        for (size_t i = 0; same && i < top.n; i++)
            same = same_passage(&top.items[i], &ranked.items[i]);
        if (!same && ++rank_errors < 10)
            fprintf(stderr, "top-10 of %s differs from the ranking of all %zu matches\n", query,
                    ranked.n);
    }
    printf("top-10 checks: %zu, %zu wrong\n", rank_checks, rank_errors);
    CHECK(rank_checks > 80);
    CHECK(rank_errors == 0);
    collection_clear(&top);
    collection_clear(&ranked);

    /* The guarantee with expansion (the default) and without (--exact), on words that have other
     * forms and on random substrings: --all returns exactly the passages that hold the word or
     * one of its listed forms, and --count counts each occurrence of any form once. */
    {
        static const char *const words[] = {
            "経産省", "経済産業省", "厚労省", "厚生労働省", "文科省", "文部科学省", "国交省",
            "農水省", "内閣府", "令和7年度", "令和6年度", "2025年度", "2024年度", "R7年度",
            "R6年度", "令和七年度", "令和六年度", "令和７年度", "令和元年", "2019年", "平成31年度",
            "令和6年", "第2条", "第1回", "第二回", "13億円", "十三億円", NULL};
        size_t checked = 0, wrong = 0, expanded_more = 0, count_wrong = 0;
        sh_analyzer *an = search_analyzer(s);
        for (int iter = 0; iter < 600; iter++) {
            char a[256];
            int listed = iter < 2 * (int)(sizeof words / sizeof words[0] - 1);
            if (listed)
                snprintf(a, sizeof a, "%s", words[iter / 2]);
            else
                random_substring(every.items[next_random() % every.n].text, a, sizeof a);
            int expand = iter % 2 == 0;
            if (strchr(a, '"'))
                continue;
            word_forms wf;
            word_forms_of(an, a, expand, &wf);
            if (!wf.texts[0] || !wf.texts[0][0]) {
                word_forms_free(&wf);
                continue;
            }
            char query[300];
            snprintf(query, sizeof query, "\"%s\"", a);
            collection_clear(&got);
            if (run_all_mode(s, query, expand, &got, &total) != SH_OK) {
                wrong++;
                word_forms_free(&wf);
                continue;
            }
            size_t want_passages = 0, want_mentions = 0;
            for (size_t i = 0; i < every.n; i++) {
                int expected = holds(&every.items[i], &wf);
                int found = 0;
                for (size_t k = 0; k < got.n && !found; k++)
                    found = same_passage(&every.items[i], &got.items[k]);
                if (expected != found && ++wrong < 10)
                    fprintf(stderr, "%s %s%s in %s:%u\n", expected ? "miss" : "extra", a,
                            expand ? " (expanded)" : " (exact)", every.items[i].file,
                            every.items[i].line_start);
                want_passages += expected;
                if (expected)
                    want_mentions += merged_mentions(every.items[i].norm,
                                                     (const char *const *)wf.texts, wf.ntexts);
            }
            expanded_more += expand && listed && wf.ntexts + wf.nministries > 1;
            size_t passages = 0, mentions = 0;
            if (run_count_mode(s, query, expand, &passages, &mentions) != SH_OK ||
                passages != want_passages || mentions != want_mentions) {
                if (++count_wrong < 10)
                    fprintf(stderr, "count %s%s: %zu/%zu passages, %zu/%zu mentions\n", a,
                            expand ? " (expanded)" : "", passages, want_passages, mentions,
                            want_mentions);
            }
            checked++;
            word_forms_free(&wf);
        }
        /* AND of two words, each with its forms: every pair of a few listed words. */
        static const char *const pair_words[] = {"経産省", "厚労省", "令和7年度", "2024年度",
                                                 "MEDIC", "連携", NULL};
        size_t pairs = 0;
        for (size_t i = 0; pair_words[i]; i++)
            for (size_t j = i + 1; pair_words[j]; j++)
                for (int expand = 0; expand < 2; expand++) {
                    word_forms wa, wb;
                    word_forms_of(an, pair_words[i], expand, &wa);
                    word_forms_of(an, pair_words[j], expand, &wb);
                    char query[300];
                    snprintf(query, sizeof query, "%s %s", pair_words[i], pair_words[j]);
                    collection_clear(&got);
                    if (run_all_mode(s, query, expand, &got, &total) != SH_OK)
                        wrong++;
                    for (size_t k = 0; k < every.n; k++) {
                        int expected = holds(&every.items[k], &wa) && holds(&every.items[k], &wb);
                        int found = 0;
                        for (size_t g = 0; g < got.n && !found; g++)
                            found = same_passage(&every.items[k], &got.items[g]);
                        if (expected != found && ++wrong < 10)
                            fprintf(stderr, "%s %s%s in %s:%u\n", expected ? "miss" : "extra",
                                    query, expand ? " (expanded)" : " (exact)",
                                    every.items[k].file, every.items[k].line_start);
                    }
                    pairs++;
                    word_forms_free(&wa);
                    word_forms_free(&wb);
                }
        CHECK(pairs == 30);
        printf("expansion property: %zu queries (%zu listed words with forms), %zu wrong, %zu "
               "counts wrong\n", checked, expanded_more, wrong, count_wrong);
        CHECK(checked > 500);
        CHECK(expanded_more >= 25);
        CHECK(wrong == 0);
        CHECK(count_wrong == 0);
    }

    /* The forms find what the word alone does not: 2025年度 finds the sample's 令和7年度 passages,
     * 経産省 its 経済産業省 passage and the ones tagged ◎経. */
    {
        size_t exact_n = 0, expanded_n = 0, m = 0;
        CHECK(run_count_mode(s, "2025年度", 0, &exact_n, &m) == SH_OK);
        CHECK(run_count_mode(s, "2025年度", 1, &expanded_n, &m) == SH_OK);
        CHECK(exact_n == 0 && expanded_n >= 7);
        CHECK(run_count_mode(s, "経産省", 0, &exact_n, &m) == SH_OK);
        CHECK(run_count_mode(s, "経産省", 1, &expanded_n, &m) == SH_OK);
        CHECK(exact_n == 0 && expanded_n >= 26);
        /* a string twice is counted once; a string inside another once */
        size_t one = 0, twice = 0, p1 = 0, p2 = 0;
        CHECK(run_count(s, "MEDIC", &p1, &one) == SH_OK);
        CHECK(run_count(s, "MEDIC MEDIC", &p2, &twice) == SH_OK);
        CHECK(one == twice && p1 == p2 && one > 0);
        CHECK(run_count(s, "医工連携", &p1, &one) == SH_OK);
        CHECK(run_count(s, "連携 医工連携", &p2, &twice) == SH_OK);
        size_t lone = 0, lp = 0;
        CHECK(run_count(s, "連携", &lp, &lone) == SH_OK);
        CHECK(p2 == p1 && twice < one + lone);
    }

    /* Exclusion: 連携 -拠点 has no passage containing 拠点, and all passages with 連携 but not 拠点. */
    collection_clear(&got);
    REQUIRE(run_all(s, "連携 -拠点", &got, &total) == SH_OK);
    size_t want = 0;
    for (size_t i = 0; i < every.n; i++)
        want += strstr(every.items[i].norm, "連携") && !strstr(every.items[i].norm, "拠点");
    CHECK(got.n == want && want > 0);
    for (size_t i = 0; i < got.n; i++)
        CHECK(strstr(got.items[i].text, "拠点") == NULL);

    /* OR: union. */
    collection_clear(&got);
    REQUIRE(run_all(s, "CRB OR MEDIC", &got, &total) == SH_OK);
    want = 0;
    for (size_t i = 0; i < every.n; i++)
        want += strstr(every.items[i].norm, "crb") || strstr(every.items[i].norm, "medic");
    CHECK(got.n == want && want > 0);

    /* Mentions: highlights count every occurrence of a single character. */
    collection_clear(&got);
    REQUIRE(run_all(s, "案", &got, &total) == SH_OK);
    size_t occurrences = 0;
    for (size_t i = 0; i < every.n; i++)
        for (const char *p = every.items[i].norm; (p = strstr(p, "案")); p += 3)
            occurrences++;
    CHECK(got.highlights == occurrences && occurrences > 0);

    collection_clear(&got);
    collection_clear(&every);
    search_close(s);

    /* An index built by another schema (or ICU, or dictionary) is refused with a re-index hint,
     * instead of answering with silently different analysis. */
    xap_wdb *w = NULL;
    REQUIRE(xap_wdb_open(index_dir, XAP_OPEN_EXISTING, &w, &err) == SH_OK);
    REQUIRE(xap_wdb_set_metadata(w, "shiryo.schema", 13, "0", 1, &err) == SH_OK);
    REQUIRE(xap_wdb_commit(w, &err) == SH_OK);
    xap_wdb_destroy(w);
    s = NULL;
    CHECK(search_open(index_dir, &s, &err) == SH_ERR_VERSION);
    CHECK(s == NULL);
    CHECK(err && strstr(err, "re-index with shiryo-index --rebuild"));
    free(err);
    err = NULL;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", index_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", index_dir);
    return check_done();
}
