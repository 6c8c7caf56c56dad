/* test_parts.c — the parts of a search (query/parts.c, search_open_parts): tcp:// and cluster
 * file syntax and their errors; a part built with another dictionary, ICU or schema refused
 * with one line naming it, local and served by xapian-tcpsrv; a server that is down named. */
#include "check.h"

#include "index.h"
#include "parts.h"
#include "search.h"

#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/xap.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

static char g_dir[4096];

/* Adds spec to a fresh list; returns the status, the list in *ps (caller frees). */
static int add_one(parts *ps, const char *spec, char **err)
{
    memset(ps, 0, sizeof *ps);
    return parts_add(ps, spec, err);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    REQUIRE_VOID(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void test_syntax(void)
{
    parts ps;
    char *err = NULL;
    CHECK(add_one(&ps, "tcp://127.0.0.1:7001", &err) == SH_OK);
    CHECK(ps.n == 1 && ps.items[0].host && strcmp(ps.items[0].host, "127.0.0.1") == 0 &&
          ps.items[0].port == 7001);
    CHECK(parts_any_remote(&ps) && ps.timeout_ms == PARTS_DEFAULT_TIMEOUT_MS);
    parts_free(&ps);
    CHECK(add_one(&ps, "tcp://[::1]:65535", &err) == SH_OK);
    CHECK(ps.n == 1 && strcmp(ps.items[0].host, "::1") == 0 && ps.items[0].port == 65535);
    parts_free(&ps);
    CHECK(add_one(&ps, "some/index", &err) == SH_OK);
    CHECK(ps.n == 1 && !ps.items[0].host && !parts_any_remote(&ps));
    parts_free(&ps);
    const char *bad[] = {"tcp://host", "tcp://:7001", "tcp://host:0", "tcp://host:65536",
                         "tcp://host:70x", "tcp://[::1]7001", "tcp://host:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_MSG(add_one(&ps, bad[i], &err) == SH_ERR_INVALID, "%s accepted", bad[i]);
        CHECK_MSG(err && strstr(err, "write tcp://HOST:PORT"), "%s: %s", bad[i], err ? err : "");
        parts_free(&ps);
    }

    /* A cluster file: comments, blank lines, directories relative to the file. */
    char path[4200];
    snprintf(path, sizeof path, "%s/cluster", g_dir);
    write_file(path, "# the parts\n\n  local_index   # here\n/abs/index\ntcp://h1:7001\r\n");
    CHECK(add_one(&ps, path, &err) == SH_OK);
    CHECK(ps.n == 3);
    char want[4300];
    snprintf(want, sizeof want, "%s/local_index", g_dir);
    CHECK(ps.n == 3 && strcmp(ps.items[0].name, want) == 0);
    CHECK(ps.n == 3 && strcmp(ps.items[1].name, "/abs/index") == 0);
    CHECK(ps.n == 3 && strcmp(ps.items[2].name, "tcp://h1:7001") == 0 && ps.items[2].port == 7001);
    /* Listed twice, even through another spelling of the same list. */
    CHECK(parts_add(&ps, "tcp://h1:7001", &err) == SH_ERR_INVALID);
    CHECK(err && strstr(err, "part tcp://h1:7001 is listed twice"));
    parts_free(&ps);
    write_file(path, "local\ntcp://h1\n");
    CHECK(add_one(&ps, path, &err) == SH_ERR_INVALID);
    snprintf(want, sizeof want, "%s:2: bad remote part", path);
    CHECK_MSG(err && strstr(err, want), "%s", err ? err : "");
    parts_free(&ps);
    /* Any other file is not a cluster file: it is one part (which the opener refuses as a file). */
    write_file(path, "some notes\nnot a part\n");
    CHECK(add_one(&ps, path, &err) == SH_OK);
    CHECK(ps.n == 1 && strcmp(ps.items[0].name, path) == 0);
    parts_free(&ps);
    write_file(path, "# only a comment\n");
    CHECK(add_one(&ps, path, &err) == SH_ERR_INVALID);
    CHECK(err && strstr(err, "lists no part"));
    parts_free(&ps);
    free(err);
}

/* Indexes the sample page into dir. */
static int index_sample(const char *dir)
{
    const char *src = getenv("SHIRYO_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/pages/law_egov.txt", src ? src : ".");
    char *abs = realpath(path, NULL);
    sh_indexer *ix = NULL;
    char *err = NULL;
    index_file_result res;
    int rc = abs ? sh_indexer_open(dir, 1, &ix, &err) : SH_ERR_IO;
    if (!rc)
        rc = sh_indexer_add_file(ix, abs, &res, &err);
    if (!rc)
        rc = sh_indexer_commit(ix, &err);
    if (rc)
        fprintf(stderr, "indexing %s: %s\n", path, err ? err : "?");
    sh_indexer_close(ix);
    free(abs);
    free(err);
    return rc;
}

static int set_meta(const char *dir, const char *key, const char *value)
{
    xap_wdb *w = NULL;
    char *err = NULL;
    int rc = xap_wdb_open(dir, XAP_OPEN_EXISTING, &w, &err);
    if (!rc)
        rc = xap_wdb_set_metadata(w, key, strlen(key), value, strlen(value), &err);
    if (!rc)
        rc = xap_wdb_commit(w, &err);
    xap_wdb_destroy(w);
    free(err);
    return rc;
}

/* A port nobody listens on now (bound then released). */
static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* Starts xapian-tcpsrv on 127.0.0.1:port for db in a session of its own; 0 if it fails. */
static pid_t serve(const char *db, unsigned port)
{
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        char p[16];
        snprintf(p, sizeof p, "%u", port);
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
               p, db, (char *)NULL);
        _exit(127);
    }
    if (pid < 0)
        return 0;
    for (int i = 0; i < 100; i++) { /* until it accepts connections */
        xap_db *d = NULL;
        if (xap_db_open_remote("127.0.0.1", port, 1000, 1000, &d, NULL) == SH_OK) {
            xap_db_destroy(d);
            return pid;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return 0;
        nanosleep(&(struct timespec){0, 50000000}, NULL);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 0;
}

static void test_identity(void)
{
    char good[4200], other[4200], cluster[4200];
    snprintf(good, sizeof good, "%s/good", g_dir);
    snprintf(other, sizeof other, "%s/other", g_dir);
    snprintf(cluster, sizeof cluster, "%s/two", g_dir);
    REQUIRE_VOID(index_sample(good) == SH_OK);
    REQUIRE_VOID(index_sample(other) == SH_OK);
    REQUIRE_VOID(set_meta(other, META_DICT, "some other dictionary") == SH_OK);

    /* Two local parts: the mismatching one is named, with what to re-index. */
    char text[9000];
    snprintf(text, sizeof text, "%s\n%s\n", good, other);
    write_file(cluster, text);
    parts ps = {0};
    char *err = NULL;
    search_session *s = NULL;
    REQUIRE_VOID(parts_add(&ps, cluster, &err) == SH_OK);
    CHECK(search_open_parts(&ps, 0, &s, &err) == SH_ERR_VERSION && s == NULL);
    char want[9000];
    snprintf(want, sizeof want, "%s was built with MeCab dictionary \"some other dictionary\"",
             other);
    CHECK_MSG(err && strstr(err, want) && strstr(err, "re-index") && !strchr(err, '\n'), "%s",
              err ? err : "");
    /* --partial does not hide it: a wrong part is not a missing part. */
    CHECK(search_open_parts(&ps, 1, &s, &err) == SH_ERR_VERSION && s == NULL);
    parts_free(&ps);

    /* The good part alone, and twice over (as two parts), opens. */
    REQUIRE_VOID(parts_add(&ps, good, &err) == SH_OK);
    CHECK(search_open_parts(&ps, 0, &s, &err) == SH_OK);
    search_close(s);
    s = NULL;
    parts_free(&ps);

    /* Served by xapian-tcpsrv: the same check, the message names tcp://… and the host. */
    unsigned port = free_port();
    char shard[4300];
    snprintf(shard, sizeof shard, "%s", other); /* one database (no stub): sh_indexer wrote it */
    pid_t pid = port ? serve(shard, port) : 0;
    REQUIRE_VOID(pid > 0);
    char spec[64];
    snprintf(spec, sizeof spec, "tcp://127.0.0.1:%u", port);
    REQUIRE_VOID(parts_add(&ps, good, &err) == SH_OK && parts_add(&ps, spec, &err) == SH_OK);
    CHECK(search_open_parts(&ps, 0, &s, &err) == SH_ERR_VERSION && s == NULL);
    snprintf(want, sizeof want, "part %s was built with MeCab dictionary", spec);
    CHECK_MSG(err && strstr(err, want) && strstr(err, "re-index its folders on its host"), "%s",
              err ? err : "");
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);

    /* The server gone: named; with partial, left out and said why. */
    CHECK(search_open_parts(&ps, 0, &s, &err) == SH_ERR_NETWORK && s == NULL);
    snprintf(want, sizeof want, "part %s is not answering", spec);
    CHECK_MSG(err && strstr(err, want) && strstr(err, "--partial"), "%s", err ? err : "");
    CHECK(search_open_parts(&ps, 1, &s, &err) == SH_OK && s != NULL);
    CHECK(ps.n == 2 && !ps.items[0].missing && ps.items[1].missing && parts_live(&ps) == 1);
    search_close(s);
    parts_free(&ps);
    free(err);
}

int main(void)
{
    const char *tmp = getenv("SHIRYO_TEST_TMP");
    if (tmp)
        mkdir(tmp, 0700);
    snprintf(g_dir, sizeof g_dir, "%s/test_parts.%d", tmp ? tmp : "/tmp", (int)getpid());
    REQUIRE(mkdir(g_dir, 0700) == 0);
    test_syntax();
    test_identity();
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    return check_done();
}
