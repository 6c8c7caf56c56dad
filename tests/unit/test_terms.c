/* test_terms.c — the matching guarantee of terms.c, as a property: for random substrings of the
 * indexed texts (1–12 code points: Japanese, Latin, digits, mixed), the candidates of the query
 * built by terms_query_string, proven on their stored text by verify.c as the query process
 * does, are exactly the documents whose normalized text contains the normalized substring — no
 * misses, no extras — whatever MeCab does with it. Named cases whose bigrams all occur in a
 * document but not in a row show that the candidates alone would be wrong there. */
#include "check.h"

#include "shiryo/analyzer.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/terms.h"
#include "shiryo/xap.h"

#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DOCS 512

static char *docs[MAX_DOCS];      /* original texts */
static char *norm_docs[MAX_DOCS]; /* normalized */
static size_t ndocs;

static void add_doc(const char *text, size_t len)
{
    if (ndocs < MAX_DOCS && len > 0)
        docs[ndocs++] = strndup(text, len);
}

/* Documents: every body line of the sample page, plus texts that exercise normalization. */
static int load_docs(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/000_68858178ce9f1934.txt", check_source_dir());
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        add_doc(line, n);
    }
    fclose(f);
    const char *extra[] = {"ＭＥＤＩＣとｶﾞｲﾄﾞの１４億円", "MedTech ROUND ~MedTech Startups~",
                           "国土交通省令で定める基準", "国土交通省の所管", "医工連携グローバル展開事業",
                           "ARO に必要な人材", "2.9億円と2,9億円", "案", "数の数",
                           /* every bigram of 東京都, 国土交通省令, 数の数の here, none in a row */
                           "東京から京都へ", "国土交通省と交通省令", "数の数と数の"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        add_doc(extra[i], strlen(extra[i]));
    return 1;
}

static int collect_id(void *ctx, xap_docid id)
{
    unsigned char *seen = ctx;
    if (id >= 1 && id <= MAX_DOCS)
        seen[id - 1] = 1;
    return 0;
}

static size_t candidates_rejected; /* candidates the proof turned down */

/* Runs q and marks matched documents (docid = index + 1): each candidate is proven by the
 * normalized literal on its stored text (normalized here, as shiryo-query does). */
static int run(xap_db *db, xap_query *q, sh_analyzer *an, const char *literal,
               unsigned char *matched)
{
    memset(matched, 0, MAX_DOCS);
    verify_node *proof = verify_literal(literal, strlen(literal));
    if (!proof)
        return SH_ERR_NOMEM;
    xap_enquire *enq = NULL;
    xap_mset *m = NULL;
    int rc = xap_enquire_new(db, &enq, NULL);
    if (!rc)
        rc = xap_enquire_set_query(enq, q, NULL);
    if (!rc)
        rc = xap_enquire_get_mset(enq, 0, MAX_DOCS, MAX_DOCS, &m, NULL);
    for (unsigned i = 0; !rc && i < xap_mset_size(m); i++) {
        xap_docid id;
        double w;
        xap_doc *doc = NULL;
        char *data = NULL, *norm = NULL;
        size_t len = 0;
        rc = xap_mset_item(m, i, &id, &w, NULL);
        if (!rc)
            rc = xap_mset_document(m, i, &doc, NULL);
        if (!rc)
            rc = xap_doc_get_data(doc, &data, &len, NULL);
        if (!rc)
            rc = sh_norm_string(sh_analyzer_norm(an), data, len, &norm, NULL);
        if (!rc && verify_match(proof, norm, strlen(norm), id))
            collect_id(matched, id);
        else if (!rc)
            candidates_rejected++;
        free(norm);
        free(data);
        xap_doc_destroy(doc);
    }
    verify_free(proof);
    xap_mset_destroy(m);
    xap_enquire_destroy(enq);
    return rc;
}

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned long long rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

int main(void)
{
    REQUIRE(load_docs());
    REQUIRE(ndocs > 50);
    sh_analyzer *an = NULL;
    char *err = NULL;
    REQUIRE(sh_analyzer_open(NULL, &an, &err) == SH_OK);

    const char *tmp = getenv("SHIRYO_TEST_TMP");
    char dir[4096];
    if (tmp)
        mkdir(tmp, 0700);
    snprintf(dir, sizeof dir, "%s/test_terms.%d", tmp ? tmp : "/tmp", (int)getpid());
    xap_wdb *wdb = NULL;
    xap_doc *doc = NULL;
    REQUIRE(xap_wdb_open(dir, XAP_OPEN_CREATE_OR_OVERWRITE, &wdb, &err) == SH_OK);
    REQUIRE(xap_doc_new(&doc, &err) == SH_OK);
    for (size_t i = 0; i < ndocs; i++) {
        REQUIRE(xap_doc_clear(doc, &err) == SH_OK);
        REQUIRE(terms_index_text(an, doc, docs[i], strlen(docs[i]), &err) == SH_OK);
        REQUIRE(xap_doc_set_data(doc, docs[i], strlen(docs[i]), &err) == SH_OK);
        xap_docid id = 0;
        REQUIRE(xap_wdb_add_document(wdb, doc, &id, &err) == SH_OK);
        CHECK(id == i + 1);
        REQUIRE(sh_norm_string(sh_analyzer_norm(an), docs[i], strlen(docs[i]), &norm_docs[i], &err) == SH_OK);
    }
    REQUIRE(xap_wdb_commit(wdb, &err) == SH_OK);
    xap_doc_destroy(doc);
    xap_wdb_destroy(wdb);
    xap_db *db = NULL;
    REQUIRE(xap_db_open(dir, &db, &err) == SH_OK);

    /* Particles and punctuation-only words rank nothing, so they are no word terms; content
     * words are. */
    unsigned tf = 0;
    REQUIRE(xap_db_termfreq(db, PFX_WORD "連携", strlen(PFX_WORD "連携"), &tf, &err) == SH_OK);
    CHECK(tf > 0);
    static const char *not_words[] = {PFX_WORD "の", PFX_WORD "に", PFX_WORD "を", PFX_WORD "(",
                                      PFX_WORD ")", PFX_WORD "、"};
    for (size_t i = 0; i < sizeof not_words / sizeof not_words[0]; i++) {
        REQUIRE(xap_db_termfreq(db, not_words[i], strlen(not_words[i]), &tf, &err) == SH_OK);
        CHECK(tf == 0);
    }
    size_t with_paren = 0;
    for (size_t i = 0; i < ndocs; i++)
        with_paren += strstr(norm_docs[i], "(") != NULL && strstr(norm_docs[i], "の") != NULL;
    CHECK(with_paren > 0); /* so the checks above could fail */
    /* A string of particles only has no ranking words: it ranks by its bigrams, not all 0. */
    xap_query *particles = NULL;
    xap_enquire *ranked = NULL;
    xap_mset *top = NULL;
    REQUIRE(terms_query_string(an, "について", strlen("について"), &particles, &err) == SH_OK);
    REQUIRE(xap_enquire_new(db, &ranked, &err) == SH_OK);
    REQUIRE(xap_enquire_set_query(ranked, particles, &err) == SH_OK);
    REQUIRE(xap_enquire_get_mset(ranked, 0, 1, 1, &top, &err) == SH_OK);
    REQUIRE(xap_mset_size(top) == 1);
    double top_weight = 0;
    xap_docid top_id = 0;
    REQUIRE(xap_mset_item(top, 0, &top_id, &top_weight, &err) == SH_OK);
    CHECK(top_weight > 0);
    xap_mset_destroy(top);
    xap_enquire_destroy(ranked);
    xap_query_destroy(particles);

    unsigned char matched[MAX_DOCS];
    size_t queries = 0, misses = 0, extras = 0;
    /* Named cases first: words inside compounds and differently segmented compounds. */
    const char *named[] = {"連携", "医工連携", "地域連携拠点", "ＭＥＤＩＣ", "medic", "ｶﾞｲﾄﾞ", "14億円",
                           "CRB", "交通省", "国土交通省", "省令", "グローバル展開", "案", "数",
                           "medtech round", "2.9億円", "ARO に", "東京都", "国土交通省令",
                           "数の数の"};
    size_t nnamed = sizeof named / sizeof named[0];
    for (size_t iter = 0; iter < nnamed + 3000; iter++) {
        char sub[256];
        if (iter < nnamed) {
            snprintf(sub, sizeof sub, "%s", named[iter]);
        } else {
            /* A random substring of 1–12 code points of a random original document. */
            const char *d = docs[rnd() % ndocs];
            size_t ncp = sh_utf8_count(d, strlen(d));
            if (ncp == 0)
                continue;
            size_t want = 1 + rnd() % 12, start = rnd() % ncp;
            if (start + want > ncp)
                want = ncp - start;
            const char *p = d;
            for (size_t k = 0; k < start; k++)
                p += sh_utf8_decode(p, strlen(p), &(uint32_t){0});
            const char *e = p;
            for (size_t k = 0; k < want; k++)
                e += sh_utf8_decode(e, strlen(e), &(uint32_t){0});
            snprintf(sub, sizeof sub, "%.*s", (int)(e - p), p);
        }
        char *nsub = NULL;
        REQUIRE(sh_norm_string(sh_analyzer_norm(an), sub, strlen(sub), &nsub, &err) == SH_OK);
        /* Queries are trimmed of spaces, like the query parser's words. */
        size_t a = 0, b = strlen(nsub);
        while (a < b && nsub[a] == ' ')
            a++;
        while (b > a && nsub[b - 1] == ' ')
            b--;
        nsub[b] = '\0';
        if (a == b) {
            free(nsub);
            continue;
        }
        xap_query *q = NULL;
        REQUIRE(terms_query_string(an, sub, strlen(sub), &q, &err) == SH_OK);
        REQUIRE(q != NULL);
        size_t rejected_before = candidates_rejected;
        REQUIRE(run(db, q, an, nsub + a, matched) == SH_OK);
        /* The not-in-a-row documents are candidates that only the proof removes. */
        if (iter >= nnamed - 3 && iter < nnamed)
            CHECK(candidates_rejected > rejected_before);
        queries++;
        for (size_t i = 0; i < ndocs; i++) {
            int expected = strstr(norm_docs[i], nsub + a) != NULL;
            if (expected && !matched[i]) {
                misses++;
                if (misses < 10)
                    fprintf(stderr, "miss: \"%s\" in doc %zu\n", sub, i);
            } else if (!expected && matched[i]) {
                extras++;
                if (extras < 10)
                    fprintf(stderr, "extra: \"%s\" in doc %zu\n", sub, i);
            }
        }
        xap_query_destroy(q);
        free(nsub);
    }
    printf("substring property: %zu queries over %zu documents, %zu misses, %zu extras "
           "(%zu candidates rejected by the proof)\n", queries, ndocs, misses, extras,
           candidates_rejected);
    CHECK(queries > 2500);
    CHECK(misses == 0);
    CHECK(extras == 0);

    xap_db_destroy(db);
    for (size_t i = 0; i < ndocs; i++) {
        free(docs[i]);
        free(norm_docs[i]);
    }
    sh_analyzer_close(an);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
