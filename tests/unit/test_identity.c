/* test_identity.c — the one identity check (identity.h): what it records in a new index, the one
 * wording of a mismatch and of a foreign database, and that the indexer (run_index) and the query
 * (search_open) both refuse an index of another ICU or MeCab dictionary with it, and that the
 * advice (--rebuild) works. */
#include "check.h"

#include "run.h"
#include "search.h"

#include "shiryo/diag.h"
#include "shiryo/identity.h"
#include "shiryo/ixdir.h"
#include "shiryo/norm.h"
#include "shiryo/schema.h"
#include "shiryo/seg.h"
#include "shiryo/status.h"
#include "shiryo/xap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A metadata table in memory. */
typedef struct table {
    char keys[4][32], values[4][256];
    size_t n;
    int fail_get; /* get returns this status when set */
} table;

static int table_get(void *ctx, const char *key, char **value, size_t *len, char **errmsg)
{
    table *t = ctx;
    if (t->fail_get)
        return sh_fail(errmsg, t->fail_get, "the database went away");
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->keys[i], key) == 0) {
            *value = strdup(t->values[i]);
            *len = strlen(t->values[i]);
            return *value ? SH_OK : SH_ERR_NOMEM;
        }
    *value = strdup("");
    *len = 0;
    return *value ? SH_OK : SH_ERR_NOMEM;
}

static int table_set(void *ctx, const char *key, const char *value, char **errmsg)
{
    table *t = ctx;
    (void)errmsg;
    if (t->n >= 4)
        return SH_ERR_RANGE;
    snprintf(t->keys[t->n], sizeof t->keys[t->n], "%s", key);
    snprintf(t->values[t->n], sizeof t->values[t->n], "%s", value);
    t->n++;
    return SH_OK;
}

static const char *table_value(const table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->keys[i], key) == 0)
            return t->values[i];
    return NULL;
}

static void test_check(const sh_seg *seg)
{
    puts("=== test check");
    const sh_identity_target target = {"/ix", "with shiryo-index --rebuild --index /ix PATH...",
                                       "index files with shiryo-index"};
    table t = {0};
    char *err = NULL;
    /* A new index records all three; then it passes, also read-only. */
    CHECK(sh_identity_check(seg, table_get, table_set, &t, &target, &err) == SH_OK);
    CHECK(t.n == 3);
    CHECK_STR(table_value(&t, META_SCHEMA), SHIRYO_SCHEMA_VERSION);
    CHECK_STR(table_value(&t, META_ICU), sh_norm_icu_version());
    CHECK_STR(table_value(&t, META_DICT), sh_seg_dictionary_id(seg));
    CHECK(sh_identity_check(seg, table_get, NULL, &t, &target, &err) == SH_OK);
    CHECK(t.n == 3);

    /* Each entry differing: SH_ERR_VERSION in the one wording. */
    const struct { size_t at; const char *what; } entries[] = {
        {0, "index schema"}, {1, "ICU version"}, {2, "MeCab dictionary"}};
    for (size_t i = 0; i < 3; i++) {
        table other = t;
        snprintf(other.values[entries[i].at], sizeof other.values[0], "other");
        char want[512];
        snprintf(want, sizeof want, "/ix was built with %s \"other\" but this shiryo uses \"%s\": "
                 "re-index with shiryo-index --rebuild --index /ix PATH...", entries[i].what,
                 t.values[entries[i].at]);
        CHECK(sh_identity_check(seg, table_get, table_set, &other, &target, &err) ==
              SH_ERR_VERSION);
        CHECK_STR(err, want);
        free(err);
        err = NULL;
        CHECK(other.n == 3); /* nothing recorded over it */
    }
    /* Without the segmenter the dictionary is left out. */
    table nodict = t;
    snprintf(nodict.values[2], sizeof nodict.values[2], "other");
    CHECK(sh_identity_check(NULL, table_get, NULL, &nodict, &target, &err) == SH_OK);

    /* Read-only and nothing recorded: a foreign database. */
    table empty = {0};
    CHECK(sh_identity_check(seg, table_get, NULL, &empty, &target, &err) == SH_ERR_CORRUPT);
    CHECK_STR(err, "/ix is not a shiryo index (no index schema recorded): index files with "
                   "shiryo-index");
    free(err);
    err = NULL;
    CHECK(empty.n == 0);
    /* The database's own error comes back as it is. */
    empty.fail_get = SH_ERR_NETWORK;
    CHECK(sh_identity_check(seg, table_get, table_set, &empty, &target, &err) == SH_ERR_NETWORK);
    CHECK_STR(err, "the database went away");
    free(err);
}

/* Sets key to value in every shard of the index at dir. */
static int set_in_shards(const char *dir, const char *key, const char *value)
{
    char names[IXDIR_MAX_SHARDS][IXDIR_NAME_MAX];
    unsigned n = ixdir_read_stub(dir, names, IXDIR_MAX_SHARDS);
    int rc = n ? SH_OK : SH_ERR;
    for (unsigned k = 0; k < n && !rc; k++) {
        char shard[4300];
        snprintf(shard, sizeof shard, "%s/%s", dir, names[k]);
        xap_wdb *w = NULL;
        rc = xap_wdb_open(shard, XAP_OPEN_EXISTING | XAP_OPEN_NO_TERMLIST, &w, NULL);
        if (!rc)
            rc = xap_wdb_set_metadata(w, key, strlen(key), value, strlen(value), NULL);
        if (!rc)
            rc = xap_wdb_commit(w, NULL);
        xap_wdb_destroy(w);
    }
    return rc;
}

static int index_run(const char *dir, char *root, int rebuild, char **err)
{
    run_opts o = {dir, rebuild, 0, 0, 0, 2, 0};
    walk_list files = {0};
    run_stats st;
    int rc = walk_collect(&root, 1, &files, NULL, NULL, err);
    if (!rc)
        rc = run_index(&o, &root, 1, &files, &st, err);
    walk_list_free(&files);
    return rc;
}

static int query_open(const char *dir, char **err)
{
    search_session *s = NULL;
    int rc = search_open(dir, &s, err);
    search_close(s);
    return rc;
}

static void test_index(const char *src, const char *tmp)
{
    puts("=== test index");
    char dir[2048], corpus[2200], want[8192];
    snprintf(dir, sizeof dir, "%.1900s/test_identity.%d", tmp, (int)getpid());
    snprintf(corpus, sizeof corpus, "%.2000s/corpus", src);
    char *err = NULL;
    REQUIRE_VOID(index_run(dir, corpus, 0, &err) == SH_OK);
    REQUIRE_VOID(query_open(dir, &err) == SH_OK);

    /* Another ICU: both programs refuse with the one wording; --rebuild is the way out. */
    REQUIRE_VOID(set_in_shards(dir, META_ICU, "0.1") == SH_OK);
    snprintf(want, sizeof want, "%s was built with ICU version \"0.1\" but this shiryo uses "
             "\"%s\": re-index with shiryo-index --rebuild --index %s PATH...", dir,
             sh_norm_icu_version(), dir);
    CHECK(index_run(dir, corpus, 0, &err) == SH_ERR_VERSION);
    CHECK_STR(err, want);
    free(err);
    err = NULL;
    CHECK(query_open(dir, &err) == SH_ERR_VERSION);
    CHECK_STR(err, want);
    free(err);
    err = NULL;
    CHECK(index_run(dir, corpus, 1, &err) == SH_OK);
    CHECK(query_open(dir, &err) == SH_OK);

    /* Another MeCab dictionary: the query names the index, the indexer's worker its shard. */
    REQUIRE_VOID(set_in_shards(dir, META_DICT, "other-dic") == SH_OK);
    CHECK(query_open(dir, &err) == SH_ERR_VERSION);
    CHECK_MSG(err && strstr(err, dir) == err &&
                  strstr(err, " was built with MeCab dictionary \"other-dic\" but this shiryo "
                              "uses \"") &&
                  strstr(err, "\": re-index with shiryo-index --rebuild --index "),
              "%s", err ? err : "(none)");
    free(err);
    err = NULL;
    CHECK(index_run(dir, corpus, 0, &err) == SH_ERR_VERSION);
    CHECK_MSG(err && strstr(err, dir) == err &&
                  strstr(err, " was built with MeCab dictionary \"other-dic\" but this shiryo "
                              "uses \"") &&
                  strstr(err, "\": re-index with shiryo-index --rebuild"),
              "%s", err ? err : "(none)");
    free(err);
    err = NULL;
    CHECK(index_run(dir, corpus, 1, &err) == SH_OK);
    CHECK(query_open(dir, &err) == SH_OK);
    free(err);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    const char *src = getenv("SHIRYO_SOURCE_DIR");
    const char *tmp = getenv("SHIRYO_TEST_TMP");
    REQUIRE(src != NULL);
    if (tmp)
        mkdir(tmp, 0700);
    sh_seg *seg = NULL;
    char *err = NULL;
    REQUIRE(sh_seg_open(NULL, &seg, &err) == SH_OK);
    test_check(seg);
    sh_seg_close(seg);
    test_index(src, tmp ? tmp : "/tmp");
    return check_done();
}
