/* test_errors.c — the pieces behind truthful errors: the index directory's classification
 * (marker, legacy layout, foreign), clearing for --rebuild, one-line option messages, visible
 * control characters, the path field's escaping, and the shim's mapping of system errors
 * (through the fault-injection hook, in builds that have it). */
#include "check.h"

#include "shiryo/ixdir.h"
#include "shiryo/opterr.h"
#include "shiryo/recfield.h"
#include "shiryo/status.h"
#include "shiryo/visible.h"
#include "shiryo/xap.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[4096];

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    REQUIRE_VOID(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void make_dir(const char *dir, const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", dir, name);
    mkdir(out, 0755);
}

static void test_kinds(void)
{
    puts("=== test kinds");
    char d[4200], sub[8400];
    snprintf(d, sizeof d, "%s/none", root);
    CHECK(ixdir_kind(d) == IXDIR_MISSING);
    make_dir(root, "empty", d, sizeof d);
    CHECK(ixdir_kind(d) == IXDIR_EMPTY);
    put_file(d, IXDIR_LOCK, "");
    CHECK(ixdir_kind(d) == IXDIR_EMPTY);
    put_file(root, "file", "x");
    snprintf(d, sizeof d, "%s/file", root);
    CHECK(ixdir_kind(d) == IXDIR_NOTDIR);

    /* The marker makes any state ours, other files included. */
    make_dir(root, "marked", d, sizeof d);
    put_file(d, IXDIR_MARKER, "x");
    put_file(d, "notes.md", "x");
    CHECK(ixdir_kind(d) == IXDIR_OURS);

    /* Legacy: only our names, shard directories of plain files. */
    make_dir(root, "legacy", d, sizeof d);
    make_dir(d, "shard0", sub, sizeof sub);
    put_file(sub, "iamglass", "x");
    make_dir(d, "shard1.g3", sub, sizeof sub);
    put_file(d, IXDIR_STUB, "garbage");
    put_file(d, "shard1.g3.compact", "");
    CHECK(ixdir_kind(d) == IXDIR_OURS_LEGACY);
    put_file(d, "notes.md", "x");
    CHECK(ixdir_kind(d) == IXDIR_FOREIGN);

    /* A folder that happens to be called shard0 but holds a folder is not ours. */
    make_dir(root, "lookalike", d, sizeof d);
    make_dir(d, "shard0", sub, sizeof sub);
    char deeper[8500];
    make_dir(sub, "photos", deeper, sizeof deeper);
    CHECK(ixdir_kind(d) == IXDIR_FOREIGN);
    /* A stub alone (another program's?) is not enough. */
    make_dir(root, "stubonly", d, sizeof d);
    put_file(d, IXDIR_STUB, "auto shard0\n");
    CHECK(ixdir_kind(d) == IXDIR_FOREIGN);

    CHECK(ixdir_is_shard_name("shard0"));
    CHECK(ixdir_is_shard_name("shard12.g7"));
    CHECK(!ixdir_is_shard_name("shard"));
    CHECK(!ixdir_is_shard_name("shard1.g"));
    CHECK(!ixdir_is_shard_name("shard1.compact"));
    CHECK(!ixdir_is_shard_name("shards"));
}

static void test_clear(void)
{
    puts("=== test clear");
    char d[4200], sub[8400], path[8400];
    make_dir(root, "clear", d, sizeof d);
    put_file(d, IXDIR_MARKER, "x");
    put_file(d, IXDIR_LOCK, "123\n");
    put_file(d, IXDIR_STUB, "auto shard0\n");
    put_file(d, "shard0.compact", "");
    make_dir(d, "shard0", sub, sizeof sub);
    put_file(sub, "postlist.glass", "truncated");
    make_dir(d, "shard1.g2", sub, sizeof sub);
    char *err = NULL;
    CHECK(ixdir_clear(d, &err) == SH_OK);
    free(err);
    const char *gone[] = {IXDIR_STUB, "shard0.compact", "shard0", "shard1.g2"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", d, gone[i]);
        CHECK_MSG(access(path, F_OK) != 0, "%s should be gone", gone[i]);
    }
    const char *kept[] = {IXDIR_MARKER, IXDIR_LOCK};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", d, kept[i]);
        CHECK_MSG(access(path, F_OK) == 0, "%s should stay", kept[i]);
    }
    CHECK(ixdir_kind(d) == IXDIR_OURS);
}

static const char *opt_message(int argc, char **argv, char *buf, size_t cap)
{
    static const struct option options[] = {
        {"index", required_argument, NULL, 'i'},
        {"rebuild", no_argument, NULL, 300},
        {"limit", required_argument, NULL, 301},
        {NULL, 0, NULL, 0},
    };
    optind = 0; /* glibc: full reinitialisation */
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":i:q", options, NULL)) != -1)
        if (opt == '?' || opt == ':')
            return sh_opterr(opt, argv, options, buf, cap);
    return "";
}

static void test_opterr(void)
{
    puts("=== test opterr");
    char buf[256];
    char *a[] = {"p", "--frob", NULL};
    CHECK_STR(opt_message(2, a, buf, sizeof buf), "unknown option --frob");
    char *b[] = {"p", "-z", NULL};
    CHECK_STR(opt_message(2, b, buf, sizeof buf), "unknown option -z");
    char *c[] = {"p", "--index", NULL};
    CHECK_STR(opt_message(2, c, buf, sizeof buf), "option --index needs a value");
    char *d[] = {"p", "-i", NULL};
    CHECK_STR(opt_message(2, d, buf, sizeof buf), "option -i needs a value");
    char *e[] = {"p", "--limit", NULL};
    CHECK_STR(opt_message(2, e, buf, sizeof buf), "option --limit needs a value");
    char *f[] = {"p", "--rebuild=yes", NULL};
    CHECK_STR(opt_message(2, f, buf, sizeof buf), "option --rebuild takes no value: --rebuild=yes");
}

static void test_visible(void)
{
    puts("=== test visible");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    REQUIRE_VOID(f != NULL);
    CHECK(sh_fputs_visible("a\nb\tc\rd\x1b[0m\x7f資料\\", f) == 0);
    fclose(f);
    CHECK_STR(out, "a\\nb\\tc\\rd\\x1b[0m\\x7f資料\\");
    free(out);
}

static void test_recfield(void)
{
    puts("=== test recfield");
    const char *paths[] = {"/a/b.txt", "/new\nline.txt", "/back\\slash\\n.txt", "\\", "\n\n",
                           "/\x8e\x91\x97\xbf.txt"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        sh_buf b = SH_BUF_INIT;
        CHECK(sh_recfield_put(&b, paths[i]) == SH_OK);
        CHECK_MSG(!b.data || !strchr(b.data, '\n'), "encoded field %zu holds a newline", i);
        char *copy = strdup(b.data ? b.data : "");
        sh_recfield_decode(copy);
        CHECK_STR(copy, paths[i]);
        free(copy);
        sh_buf_free(&b);
    }
}

static void test_shim_errors(void)
{
    puts("=== test shim_errors");
#ifdef SHIRYO_FAULT_INJECTION
    char d[4200];
    snprintf(d, sizeof d, "%s/faulty", root);
    char *err = NULL;
    xap_wdb *w = NULL;
    setenv("SHIRYO_FAULT", "open:1:EACCES,write:1,commit:1:EIO", 1);
    CHECK(xap_wdb_open(d, XAP_OPEN_CREATE_OR_OPEN, &w, &err) == SH_ERR_PERM);
    CHECK_MSG(err && strstr(err, "Permission denied"), "%s", err ? err : "(null)");
    REQUIRE_VOID(xap_wdb_open(d, XAP_OPEN_CREATE_OR_OPEN, &w, &err) == SH_OK);
    xap_doc *doc = NULL;
    REQUIRE_VOID(xap_doc_new(&doc, &err) == SH_OK);
    CHECK(xap_wdb_add_document(w, doc, NULL, &err) == SH_ERR_NOSPACE);
    CHECK_MSG(err && strstr(err, "No space left on device"), "%s", err ? err : "(null)");
    int rc = xap_wdb_commit(w, &err);
    CHECK_MSG(rc != SH_OK && rc != SH_ERR_CORRUPT && rc != SH_ERR_IO, "EIO gave status %d", rc);
    CHECK_MSG(err && strstr(err, "Input/output error"), "%s", err ? err : "(null)");
    CHECK(xap_wdb_add_document(w, doc, NULL, &err) == SH_OK); /* only the Nth fails */
    CHECK(xap_wdb_commit(w, &err) == SH_OK);
    unsetenv("SHIRYO_FAULT");
    xap_doc_destroy(doc);
    xap_wdb_destroy(w);
    free(err);
#else
    puts("(this build has no fault-injection hook: the shim's system-error mapping is tested by "
         "tests/cli/errors.sh's full disk and by faults.sh in test builds)");
#endif
}

int main(void)
{
    const char *tmp = getenv("SHIRYO_TEST_TMP");
    if (tmp)
        mkdir(tmp, 0700);
    snprintf(root, sizeof root, "%s/test_errors.%d", tmp ? tmp : "/tmp", (int)getpid());
    REQUIRE(mkdir(root, 0755) == 0);
    test_kinds();
    test_clear();
    test_opterr();
    test_visible();
    test_recfield();
    test_shim_errors();
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_done();
}
