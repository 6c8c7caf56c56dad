/* test_xap.c — tests for the Xapian shim (shim/xap.cc) through its C API, phase by phase in the
 * style of leveldb's db/c_test.c: build a small database, read it back, run every query
 * operator, rank, page, count facets, reopen, and exercise the error paths. */
#include "check.h"
#include "shiryo/status.h"
#include "shiryo/xap.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[2048];   /* per-run temp dir */
static char g_db[4096];    /* the main database */
static const char *g_phase = "";

static void start_phase(const char *name)
{
    g_phase = name;
    fprintf(stderr, "=== test %s\n", name);
}

/* ---- helpers ---- */

static int mkdir_p(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, path, len + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                    continue;
                char sub[4096];
                snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                rm_rf(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", g_dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* A successful call: status OK and no message. Frees any message. */
#define CHECK_OK(call)                                                                   \
    do {                                                                                 \
        char *ok_msg_ = NULL;                                                            \
        char **errmsg_ = &ok_msg_;                                                       \
        (void)errmsg_;                                                                   \
        int ok_st_ = (call);                                                             \
        CHECK_MSG(ok_st_ == SH_OK && ok_msg_ == NULL, "[%s] status %d: %s", g_phase,     \
                  ok_st_, ok_msg_ ? ok_msg_ : "(no message)");                           \
        free(ok_msg_);                                                                   \
    } while (0)

/* A failing call: the wanted status and a non-empty one-line message, which is freed. */
static void check_err_at(const char *file, int line, int st, int want, char **msg)
{
    CHECK_MSG(st == want, "%s:%d [%s] status %d, want %d (%s)", file, line, g_phase, st, want,
              *msg ? *msg : "no message");
    CHECK_MSG(*msg != NULL && (*msg)[0] != '\0', "%s:%d [%s] no error message", file, line,
              g_phase);
    if (*msg)
        CHECK_MSG(strchr(*msg, '\n') == NULL, "%s:%d message has a newline", file, line);
    free(*msg);
    *msg = NULL;
}
#define CHECK_ERR(st, want, msgp) check_err_at(__FILE__, __LINE__, (st), (want), (msgp))

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Appends to a comma-separated list held in a fixed buffer. */
struct list {
    char buf[1024];
    int count;
    int stop_after; /* callbacks return 1 once count reaches this (0 = never) */
};

static void list_add(struct list *l, const char *s, size_t len)
{
    size_t used = strlen(l->buf);
    if (used && used + 1 < sizeof l->buf)
        l->buf[used++] = ',';
    if (used + len < sizeof l->buf) {
        memcpy(l->buf + used, s, len);
        l->buf[used + len] = '\0';
    }
    l->count++;
}

static int term_cb(void *ctx, const char *term, size_t len, unsigned freq)
{
    struct list *l = ctx;
    char tmp[300];
    int n = snprintf(tmp, sizeof tmp, "%.*s:%u", (int)len, term, freq);
    list_add(l, tmp, (size_t)n);
    return l->stop_after && l->count >= l->stop_after;
}

static int key_cb(void *ctx, const char *key, size_t len)
{
    struct list *l = ctx;
    list_add(l, key, len);
    return l->stop_after && l->count >= l->stop_after;
}

static int post_cb(void *ctx, xap_docid id)
{
    struct list *l = ctx;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%u", id);
    list_add(l, tmp, (size_t)n);
    return l->stop_after && l->count >= l->stop_after;
}

static int facet_cb(void *ctx, const char *value, size_t len, unsigned count)
{
    struct list *l = ctx;
    char tmp[300];
    int n = snprintf(tmp, sizeof tmp, "%.*s=%u", (int)len, value, count);
    list_add(l, tmp, (size_t)n);
    return l->stop_after && l->count >= l->stop_after;
}

/* Builds one document: "P:term@pos" posting, "B:term" boolean, "T:term*wdf" plain term,
 * "V:slot=value", "D:data"; NULL-terminated. */
static xap_doc *make_doc(const char *spec, ...)
{
    xap_doc *doc = NULL;
    CHECK_OK(xap_doc_new(&doc, errmsg_));
    if (!doc)
        return NULL;
    va_list ap;
    va_start(ap, spec);
    for (const char *s = spec; s; s = va_arg(ap, const char *)) {
        const char *arg = s + 2;
        if (s[0] == 'P') {
            const char *at = strchr(arg, '@');
            CHECK_OK(xap_doc_add_posting(doc, arg, (size_t)(at - arg), (unsigned)atoi(at + 1), 1,
                                         errmsg_));
        } else if (s[0] == 'B') {
            CHECK_OK(xap_doc_add_boolean_term(doc, arg, strlen(arg), errmsg_));
        } else if (s[0] == 'T') {
            const char *star = strchr(arg, '*');
            size_t len = star ? (size_t)(star - arg) : strlen(arg);
            CHECK_OK(xap_doc_add_term(doc, arg, len, star ? (unsigned)atoi(star + 1) : 1,
                                      errmsg_));
        } else if (s[0] == 'V') {
            const char *eq = strchr(arg, '=');
            CHECK_OK(xap_doc_add_value(doc, (unsigned)atoi(arg), eq + 1, strlen(eq + 1),
                                       errmsg_));
        } else if (s[0] == 'D') {
            CHECK_OK(xap_doc_set_data(doc, arg, strlen(arg), errmsg_));
        }
    }
    va_end(ap);
    return doc;
}

static xap_docid add_doc(xap_wdb *w, xap_doc *doc)
{
    xap_docid id = 0;
    CHECK_OK(xap_wdb_add_document(w, doc, &id, errmsg_));
    xap_doc_destroy(doc);
    return id;
}

static xap_query *T(const char *term)
{
    xap_query *q = NULL;
    CHECK_OK(xap_query_term(term, strlen(term), 1, &q, errmsg_));
    return q;
}

/* Combines n subqueries and destroys them (the combined query must not depend on them). */
static xap_query *comb(int op, unsigned window, size_t n, ...)
{
    xap_query *subs[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        subs[i] = va_arg(ap, xap_query *);
    va_end(ap);
    xap_query *q = NULL;
    CHECK_OK(xap_query_combine(op, subs, n, window, &q, errmsg_));
    for (size_t i = 0; i < n; i++)
        xap_query_destroy(subs[i]);
    return q;
}

enum { BOOL_DOCID = 0, BM25 = 1 };

/* Runs q (destroying it) and lists matching docids in result order into out. weights (may be
 * NULL) gets up to 16 weights. Returns the match count (-1 on failure). */
static int search(xap_db *db, xap_query *q, int mode, char *out, size_t outsz, double *weights)
{
    out[0] = '\0';
    xap_enquire *enq = NULL;
    xap_mset *m = NULL;
    int n = -1;
    CHECK_OK(xap_enquire_new(db, &enq, errmsg_));
    if (!enq || !q)
        goto done;
    CHECK_OK(xap_enquire_set_query(enq, q, errmsg_));
    if (mode == BOOL_DOCID) {
        CHECK_OK(xap_enquire_set_boolean(enq, errmsg_));
        CHECK_OK(xap_enquire_set_order(enq, XAP_ORDER_DOCID_ASC, errmsg_));
    } else {
        CHECK_OK(xap_enquire_set_bm25(enq, 1, 0, 1, 0.5, 0.5, errmsg_));
        CHECK_OK(xap_enquire_set_order(enq, XAP_ORDER_RELEVANCE, errmsg_));
    }
    CHECK_OK(xap_enquire_get_mset(enq, 0, 100, 100, &m, errmsg_));
    if (!m)
        goto done;
    n = (int)xap_mset_size(m);
    struct list l = {{0}, 0, 0};
    for (int i = 0; i < n; i++) {
        xap_docid id = 0;
        double w = -1;
        CHECK_OK(xap_mset_item(m, (unsigned)i, &id, &w, errmsg_));
        char tmp[32];
        int len = snprintf(tmp, sizeof tmp, "%u", id);
        list_add(&l, tmp, (size_t)len);
        if (weights && i < 16)
            weights[i] = w;
    }
    size_t copy = strlen(l.buf) < outsz ? strlen(l.buf) : outsz - 1;
    memcpy(out, l.buf, copy);
    out[copy] = '\0';
done:
    xap_mset_destroy(m);
    xap_enquire_destroy(enq);
    xap_query_destroy(q);
    return n;
}

/* ---- phases ---- */

static void test_null_and_destroy(void)
{
    start_phase("destroy_null_and_null_args");
    xap_db_destroy(NULL);
    xap_wdb_destroy(NULL);
    xap_doc_destroy(NULL);
    xap_query_destroy(NULL);
    xap_enquire_destroy(NULL);
    xap_mset_destroy(NULL);
    xap_spy_destroy(NULL);
    CHECK(xap_mset_size(NULL) == 0);
    CHECK(xap_mset_matches_estimated(NULL) == 0);
    CHECK(xap_mset_matches_lower(NULL) == 0);
    CHECK(xap_mset_matches_upper(NULL) == 0);
    CHECK(xap_spy_total(NULL) == 0);

    char *msg = NULL;
    xap_db *db = NULL;
    xap_wdb *w = NULL;
    xap_doc *doc = NULL;
    xap_query *q = NULL;
    unsigned u = 0;
    CHECK_ERR(xap_db_open(NULL, &db, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_open(g_dir, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_open(NULL, XAP_OPEN_CREATE_OR_OPEN, &w, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_open(g_dir, 99, &w, &msg), SH_ERR_INVALID, &msg);
    CHECK(w == NULL && db == NULL);
    CHECK_ERR(xap_wdb_commit(NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_begin_transaction(NULL, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_commit_transaction(NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_cancel_transaction(NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_add_document(NULL, NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_set_metadata(NULL, "k", 1, "v", 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_doccount(NULL, &u, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_reopen(NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_get_document(NULL, 1, &doc, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_new(NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_term(NULL, "a", 1, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_set_data(NULL, "a", 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_clear(NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_term("a", 1, 1, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_term(NULL, 1, 1, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_combine(XAP_OP_AND, NULL, 2, 0, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_scale(NULL, 1.0, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_match_all(NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_describe(NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_enquire_new(NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_enquire_set_query(NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_enquire_get_mset(NULL, 0, 10, 0, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_mset_item(NULL, 0, NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_mset_document(NULL, 0, &doc, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_spy_new(0, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_spy_values(NULL, facet_cb, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK(q == NULL && doc == NULL);

    /* errmsg may be NULL: the status still comes back. */
    CHECK(xap_db_open(NULL, &db, NULL) == SH_ERR_INVALID);
    CHECK(xap_doc_add_term(NULL, "a", 1, 1, NULL) == SH_ERR_INVALID);
    CHECK(xap_query_term("", 0, 1, &q, NULL) == SH_ERR_INVALID);

    /* A message already in *errmsg is replaced (the old one freed: ASan's leak check). */
    msg = dupstr("stale message");
    CHECK_ERR(xap_doc_new(NULL, &msg), SH_ERR_INVALID, &msg);

    /* xap_version is Xapian's version string. */
    const char *v = xap_version();
    CHECK(v != NULL && strchr(v, '.') != NULL && v[0] >= '1' && v[0] <= '9');
}

static void test_documents(void)
{
    start_phase("documents");
    xap_doc *doc = NULL;
    char *msg = NULL, *s = NULL;
    size_t len = 99;
    CHECK_OK(xap_doc_new(&doc, errmsg_));
    if (!doc)
        return;
    CHECK_OK(xap_doc_set_data(doc, "a\0b", 3, errmsg_));
    CHECK_OK(xap_doc_get_data(doc, &s, &len, errmsg_));
    CHECK(len == 3 && s && memcmp(s, "a\0b", 4) == 0); /* binary-safe and NUL-terminated */
    free(s);
    s = NULL;
    CHECK_OK(xap_doc_add_value(doc, 3, "v3", 2, errmsg_));
    CHECK_OK(xap_doc_get_value(doc, 3, &s, &len, errmsg_));
    CHECK(len == 2 && s && strcmp(s, "v3") == 0);
    free(s);
    s = NULL;
    CHECK_OK(xap_doc_get_value(doc, 4, &s, &len, errmsg_));
    CHECK(len == 0 && s && s[0] == '\0');
    free(s);
    s = NULL;

    /* term checks */
    char long_term[301];
    memset(long_term, 'x', 300);
    long_term[300] = '\0';
    CHECK_ERR(xap_doc_add_term(doc, "", 0, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_term(doc, long_term, 300, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_term(doc, long_term, 246, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_OK(xap_doc_add_term(doc, long_term, 245, 1, errmsg_));
    CHECK_ERR(xap_doc_add_posting(doc, "", 0, 1, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_posting(doc, long_term, 300, 1, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_posting(doc, "a", 1, 0, 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_boolean_term(doc, "", 0, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_add_boolean_term(doc, long_term, 300, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_get_data(doc, NULL, &len, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_get_value(doc, 0, &s, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_doc_set_data(doc, NULL, 5, &msg), SH_ERR_INVALID, &msg);
    CHECK(s == NULL);

    /* clear empties data and values */
    CHECK_OK(xap_doc_clear(doc, errmsg_));
    CHECK_OK(xap_doc_get_data(doc, &s, &len, errmsg_));
    CHECK(len == 0 && s && s[0] == '\0');
    free(s);
    s = NULL;
    CHECK_OK(xap_doc_get_value(doc, 3, &s, &len, errmsg_));
    CHECK(len == 0 && s && s[0] == '\0');
    free(s);
    xap_doc_destroy(doc);
}

/* The corpus (docids 1..6):
 *   1 Qd1 fruit red   2020: apple@1 banana@2 cherry@3
 *   2 Qd2 fruit red   2021: banana@1 apple@2 cherry@10
 *   3 Qd3 veg   blue  2022: a@1 a@2 a@3 b@5, apple*5
 *   4 Qd4 veg   red   2019: apple, durian
 *   5 Qd5 veg   blue  2023: banana@1 durian*2
 *   6 Qd6 veg   green 2018: elder */
static void test_write(void)
{
    start_phase("write");
    xap_wdb *w = NULL;
    char *msg = NULL;
    CHECK_OK(xap_wdb_open(g_db, XAP_OPEN_CREATE_OR_OVERWRITE, &w, errmsg_));
    if (!w)
        return;

    CHECK(add_doc(w, make_doc("B:Qd1", "B:Tfruit", "P:apple@1", "P:banana@2", "P:cherry@3",
                              "V:0=2020", "V:1=red", "D:doc one", NULL)) == 1);
    CHECK(add_doc(w, make_doc("B:Qd2", "B:Tfruit", "P:banana@1", "P:apple@2", "P:cherry@10",
                              "V:0=2021", "V:1=red", "D:doc two", NULL)) == 2);
    CHECK(add_doc(w, make_doc("B:Qd3", "B:Tveg", "P:a@1", "P:a@2", "P:a@3", "P:b@5", "T:apple*5",
                              "V:0=2022", "V:1=blue", "D:doc three", NULL)) == 3);
    CHECK(add_doc(w, make_doc("B:Qd4", "B:Tveg", "T:apple", "T:durian", "V:0=2019", "V:1=red",
                              "D:doc four", NULL)) == 4);
    CHECK(add_doc(w, make_doc("B:Qd5", "B:Tveg", "P:banana@1", "T:durian*2", "V:0=2023",
                              "V:1=blue", "D:doc five", NULL)) == 5);
    CHECK(add_doc(w, make_doc("B:Qd6", "B:Tveg", "T:elder", "V:0=2018", "V:1=green",
                              "D:doc six", NULL)) == 6);

    start_phase("replace_by_term");
    for (int round = 0; round < 2; round++) {
        xap_doc *d = make_doc("B:Qd2", "B:Tfruit", "P:banana@1", "P:apple@2", "P:cherry@10",
                              "V:0=2021", "V:1=red", round ? "D:doc two v3" : "D:doc two v2",
                              NULL);
        xap_docid id = 0;
        CHECK_OK(xap_wdb_replace_document_by_term(w, "Qd2", 3, d, &id, errmsg_));
        CHECK(id == 2); /* one document indexed by the term: replaced in place */
        xap_doc_destroy(d);
    }
    struct list l = {{0}, 0, 0};
    CHECK_OK(xap_wdb_allterms(w, "Qd2", 3, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Qd2:1"); /* no duplicate after replacing twice */
    /* replacing by a term nobody has adds a document; docid_out may be NULL */
    xap_doc *d7 = make_doc("B:Qd7", "B:Tgone", NULL);
    CHECK_OK(xap_wdb_replace_document_by_term(w, "Qd7", 3, d7, NULL, errmsg_));
    xap_doc_destroy(d7);
    CHECK(add_doc(w, make_doc("B:Qd8", "B:Tgone", NULL)) == 8);
    CHECK_ERR(xap_wdb_replace_document_by_term(w, "", 0, NULL, NULL, &msg), SH_ERR_INVALID, &msg);

    start_phase("delete_by_term");
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_allterms(w, "Tgone", 5, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Tgone:2");
    CHECK_OK(xap_wdb_delete_documents_by_term(w, "Tgone", 5, errmsg_));
    CHECK_OK(xap_wdb_delete_documents_by_term(w, "Qnobody", 7, errmsg_)); /* none: not an error */
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_allterms(w, "Tgone", 5, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "");
    CHECK(l.count == 0);
    char long_term[300];
    memset(long_term, 'y', sizeof long_term);
    CHECK_ERR(xap_wdb_delete_documents_by_term(w, "", 0, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_delete_documents_by_term(w, long_term, 300, &msg), SH_ERR_INVALID, &msg);

    start_phase("metadata");
    CHECK_OK(xap_wdb_set_metadata(w, "k:a", 3, "1", 1, errmsg_));
    CHECK_OK(xap_wdb_set_metadata(w, "k:b", 3, "22", 2, errmsg_));
    CHECK_OK(xap_wdb_set_metadata(w, "other", 5, "x", 1, errmsg_));
    char *v = NULL;
    size_t vlen = 99;
    CHECK_OK(xap_wdb_get_metadata(w, "k:b", 3, &v, &vlen, errmsg_));
    CHECK(vlen == 2 && v && strcmp(v, "22") == 0);
    free(v);
    v = NULL;
    CHECK_OK(xap_wdb_get_metadata(w, "missing", 7, &v, &vlen, errmsg_));
    CHECK(vlen == 0 && v && v[0] == '\0');
    free(v);
    v = NULL;
    CHECK_OK(xap_wdb_set_metadata(w, "k:b", 3, "", 0, errmsg_)); /* empty value deletes */
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_metadata_keys(w, "k:", 2, key_cb, &l, errmsg_));
    CHECK_STR(l.buf, "k:a");
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_metadata_keys(w, NULL, 0, key_cb, &l, errmsg_));
    CHECK_STR(l.buf, "k:a,other");
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    CHECK_OK(xap_wdb_metadata_keys(w, NULL, 0, key_cb, &l, errmsg_));
    CHECK_STR(l.buf, "k:a");
    CHECK_ERR(xap_wdb_set_metadata(w, "", 0, "x", 1, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_get_metadata(w, "k:a", 3, NULL, &vlen, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_metadata_keys(w, NULL, 0, NULL, NULL, &msg), SH_ERR_INVALID, &msg);

    start_phase("allterms");
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_allterms(w, "Q", 1, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Qd1:1,Qd2:1,Qd3:1,Qd4:1,Qd5:1,Qd6:1");
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_allterms(w, "T", 1, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Tfruit:2,Tveg:4");
    memset(&l, 0, sizeof l);
    l.stop_after = 2;
    CHECK_OK(xap_wdb_allterms(w, "Q", 1, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Qd1:1,Qd2:1");
    CHECK_ERR(xap_wdb_allterms(w, "Q", 1, NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_allterms(w, NULL, 3, term_cb, &l, &msg), SH_ERR_INVALID, &msg);

    start_phase("transactions");
    CHECK_OK(xap_wdb_begin_transaction(w, 1, errmsg_));
    CHECK(add_doc(w, make_doc("B:Qtx1", NULL)) > 0);
    CHECK_OK(xap_wdb_commit_transaction(w, errmsg_));
    CHECK_OK(xap_wdb_begin_transaction(w, 0, errmsg_));
    CHECK(add_doc(w, make_doc("B:Qtx2", NULL)) > 0);
    CHECK_ERR(xap_wdb_begin_transaction(w, 1, &msg), SH_ERR_INVALID, &msg); /* no nesting */
    CHECK_OK(xap_wdb_cancel_transaction(w, errmsg_));
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_wdb_allterms(w, "Qtx", 3, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Qtx1:1"); /* the cancelled document is absent */
    CHECK_ERR(xap_wdb_commit_transaction(w, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_wdb_cancel_transaction(w, &msg), SH_ERR_INVALID, &msg);
    CHECK_OK(xap_wdb_delete_documents_by_term(w, "Qtx1", 4, errmsg_));

    start_phase("lock");
    xap_wdb *w2 = NULL;
    CHECK_ERR(xap_wdb_open(g_db, XAP_OPEN_CREATE_OR_OPEN, &w2, &msg), SH_ERR_LOCKED, &msg);
    CHECK(w2 == NULL);
    CHECK(xap_wdb_open(g_db, XAP_OPEN_EXISTING, &w2, NULL) == SH_ERR_LOCKED);
    CHECK(w2 == NULL);

    CHECK_OK(xap_wdb_commit(w, errmsg_));
    xap_wdb_destroy(w);

    /* the lock is released by destroy */
    CHECK_OK(xap_wdb_open(g_db, XAP_OPEN_EXISTING, &w2, errmsg_));
    xap_wdb_destroy(w2);
}

static void test_read(void)
{
    start_phase("read");
    xap_db *db = NULL;
    char *msg = NULL;
    CHECK_OK(xap_db_open(g_db, &db, errmsg_));
    if (!db)
        return;
    unsigned n = 0;
    CHECK_OK(xap_db_doccount(db, &n, errmsg_));
    CHECK(n == 6);
    CHECK_OK(xap_db_termfreq(db, "apple", 5, &n, errmsg_));
    CHECK(n == 4);
    CHECK_OK(xap_db_termfreq(db, "Tfruit", 6, &n, errmsg_));
    CHECK(n == 2);
    CHECK_OK(xap_db_termfreq(db, "nosuchterm", 10, &n, errmsg_));
    CHECK(n == 0);
    CHECK_ERR(xap_db_termfreq(db, "", 0, &n, &msg), SH_ERR_INVALID, &msg);
    char long_term[300];
    memset(long_term, 'z', sizeof long_term);
    CHECK_ERR(xap_db_termfreq(db, long_term, 300, &n, &msg), SH_ERR_INVALID, &msg);

    xap_doc *doc = NULL;
    char *s = NULL;
    size_t len = 0;
    CHECK_OK(xap_db_get_document(db, 2, &doc, errmsg_));
    if (doc) {
        CHECK_OK(xap_doc_get_data(doc, &s, &len, errmsg_));
        CHECK_STR(s, "doc two v3");
        CHECK(len == strlen("doc two v3"));
        free(s);
        s = NULL;
        CHECK_OK(xap_doc_get_value(doc, 0, &s, &len, errmsg_));
        CHECK_STR(s, "2021");
        free(s);
        s = NULL;
        CHECK_OK(xap_doc_get_value(doc, 7, &s, &len, errmsg_));
        CHECK(s && len == 0 && s[0] == '\0');
        free(s);
        s = NULL;
        xap_doc_destroy(doc);
        doc = NULL;
    }
    CHECK_ERR(xap_db_get_document(db, 7, &doc, &msg), SH_ERR_NOTFOUND, &msg); /* deleted */
    CHECK_ERR(xap_db_get_document(db, 999, &doc, &msg), SH_ERR_NOTFOUND, &msg);
    CHECK_ERR(xap_db_get_document(db, 0, &doc, &msg), SH_ERR_INVALID, &msg);
    CHECK(doc == NULL);

    CHECK_OK(xap_db_get_metadata(db, "k:a", 3, &s, &len, errmsg_));
    CHECK_STR(s, "1");
    free(s);
    s = NULL;

    struct list l = {{0}, 0, 0};
    CHECK_OK(xap_db_postlist(db, "apple", 5, post_cb, &l, errmsg_));
    CHECK_STR(l.buf, "1,2,3,4");
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    CHECK_OK(xap_db_postlist(db, "Tveg", 4, post_cb, &l, errmsg_));
    CHECK_STR(l.buf, "3");
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_db_postlist(db, "nosuchterm", 10, post_cb, &l, errmsg_));
    CHECK(l.count == 0);
    CHECK_ERR(xap_db_postlist(db, "", 0, post_cb, &l, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_postlist(db, "apple", 5, NULL, &l, &msg), SH_ERR_INVALID, &msg);

    memset(&l, 0, sizeof l);
    CHECK_OK(xap_db_allterms(db, "b", 1, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "b:1,banana:3");
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_db_allterms(db, "Q", 1, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Qd1:1,Qd2:1,Qd3:1,Qd4:1,Qd5:1,Qd6:1"); /* Qtx1 deleted, Qtx2 cancelled */

    xap_db_destroy(db);
}

static void test_queries(void)
{
    start_phase("queries");
    xap_db *db = NULL;
    char *msg = NULL;
    CHECK_OK(xap_db_open(g_db, &db, errmsg_));
    if (!db)
        return;
    char r[256];
    double w[16], w2[16];

    CHECK(search(db, T("apple"), BOOL_DOCID, r, sizeof r, NULL) == 4);
    CHECK_STR(r, "1,2,3,4");
    search(db, comb(XAP_OP_AND, 0, 2, T("apple"), T("banana")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "1,2");
    search(db, comb(XAP_OP_OR, 0, 2, T("banana"), T("durian")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "1,2,4,5");
    search(db, comb(XAP_OP_AND_NOT, 0, 2, T("apple"), T("banana")), BOOL_DOCID, r, sizeof r,
           NULL);
    CHECK_STR(r, "3,4");
    /* first minus the rest */
    search(db, comb(XAP_OP_AND_NOT, 0, 3, T("apple"), T("banana"), T("durian")), BOOL_DOCID, r,
           sizeof r, NULL);
    CHECK_STR(r, "3");
    search(db, comb(XAP_OP_SYNONYM, 0, 2, T("durian"), T("elder")), BOOL_DOCID, r, sizeof r,
           NULL);
    CHECK_STR(r, "4,5,6");

    /* AND_MAYBE: matches decided by the first; the rest add weight */
    search(db, T("apple"), BM25, r, sizeof r, w);
    /* wdf 5 first; then the shorter doc 4; then the equal docs 1 and 2 by ascending docid */
    CHECK_STR(r, "3,4,1,2");
    CHECK(w[0] > w[1] && w[1] > w[2] && w[2] == w[3]);
    search(db, comb(XAP_OP_AND_MAYBE, 0, 2, T("apple"), T("banana")), BOOL_DOCID, r, sizeof r,
           NULL);
    CHECK_STR(r, "1,2,3,4");
    {
        /* doc 1's weight rises by banana's contribution */
        double w1_plain = 0, w1_maybe = 0;
        xap_enquire *e = NULL;
        xap_mset *m = NULL;
        xap_query *qs[2] = {T("apple"), comb(XAP_OP_AND_MAYBE, 0, 2, T("apple"), T("banana"))};
        double *outw[2] = {&w1_plain, &w1_maybe};
        CHECK_OK(xap_enquire_new(db, &e, errmsg_));
        for (int i = 0; i < 2 && e; i++) {
            CHECK_OK(xap_enquire_set_query(e, qs[i], errmsg_));
            CHECK_OK(xap_enquire_get_mset(e, 0, 10, 10, &m, errmsg_));
            for (unsigned k = 0; k < xap_mset_size(m); k++) {
                xap_docid id = 0;
                double wt = 0;
                CHECK_OK(xap_mset_item(m, k, &id, &wt, errmsg_));
                if (id == 1)
                    *outw[i] = wt;
            }
            xap_mset_destroy(m);
            m = NULL;
        }
        CHECK(w1_plain > 0 && w1_maybe > w1_plain);
        xap_query_destroy(qs[0]);
        xap_query_destroy(qs[1]);
        xap_enquire_destroy(e);
    }

    /* MAX: the matches of OR, each weighing as its best subquery (doc 5 holds both terms) */
    search(db, comb(XAP_OP_MAX, 0, 2, T("banana"), T("durian")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "1,2,4,5");
    {
        double w5[4] = {0}; /* banana, durian, MAX, OR */
        xap_query *qs[4] = {T("banana"), T("durian"),
                            comb(XAP_OP_MAX, 0, 2, T("banana"), T("durian")),
                            comb(XAP_OP_OR, 0, 2, T("banana"), T("durian"))};
        for (int i = 0; i < 4; i++) {
            char ids[64];
            double ws[16] = {0};
            int n = search(db, qs[i], BM25, ids, sizeof ids, ws);
            char *tok = ids;
            for (int k = 0; k < n && k < 16 && tok; k++) {
                if (atoi(tok) == 5)
                    w5[i] = ws[k];
                tok = strchr(tok, ',');
                tok = tok ? tok + 1 : NULL;
            }
        }
        CHECK(w5[0] > 0 && w5[1] > 0);
        CHECK(fabs(w5[2] - (w5[0] > w5[1] ? w5[0] : w5[1])) < 1e-9);
        CHECK(fabs(w5[3] - (w5[0] + w5[1])) < 1e-9);
    }

    /* FILTER: first decides weight, the rest filter without weight */
    search(db, comb(XAP_OP_FILTER, 0, 2, T("apple"), T("Tveg")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "3,4");
    /* (boolean terms weigh 0 anyway, so filter by a weighted term to see the difference) */
    search(db, T("apple"), BM25, r, sizeof r, w); /* "3,4,1,2": w[1] is doc 4's weight */
    CHECK(search(db, comb(XAP_OP_FILTER, 0, 2, T("apple"), T("durian")), BM25, r, sizeof r, w2)
          == 1);
    CHECK_STR(r, "4");
    CHECK(w2[0] > 0 && fabs(w2[0] - w[1]) < 1e-9);
    search(db, comb(XAP_OP_AND, 0, 2, T("apple"), T("durian")), BM25, r, sizeof r, w2);
    CHECK(w2[0] > w[1] + 1e-9); /* whereas AND adds durian's weight */

    /* PHRASE: consecutive positions only, window 0 = number of subqueries */
    search(db, comb(XAP_OP_PHRASE, 0, 2, T("apple"), T("banana")), BOOL_DOCID, r, sizeof r,
           NULL);
    CHECK_STR(r, "1");
    search(db, comb(XAP_OP_PHRASE, 0, 2, T("banana"), T("apple")), BOOL_DOCID, r, sizeof r,
           NULL);
    CHECK_STR(r, "2");
    search(db, comb(XAP_OP_PHRASE, 0, 2, T("banana"), T("cherry")), BOOL_DOCID, r, sizeof r,
           NULL);
    CHECK_STR(r, "1"); /* doc 2 has cherry at 10 */
    CHECK(search(db, comb(XAP_OP_PHRASE, 0, 2, T("apple"), T("cherry")), BOOL_DOCID, r, sizeof r,
                 NULL) == 0); /* positions 1 and 3: not consecutive */
    CHECK(search(db, comb(XAP_OP_PHRASE, 0, 3, T("apple"), T("banana"), T("cherry")), BOOL_DOCID,
                 r, sizeof r, NULL) == 1);
    CHECK_STR(r, "1");
    /* repeated terms: a a a at 1,2,3 */
    search(db, comb(XAP_OP_PHRASE, 0, 3, T("a"), T("a"), T("a")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "3");
    search(db, comb(XAP_OP_PHRASE, 0, 2, T("a"), T("a")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "3");
    CHECK(search(db, comb(XAP_OP_PHRASE, 0, 4, T("a"), T("a"), T("a"), T("a")), BOOL_DOCID, r,
                 sizeof r, NULL) == 0);
    CHECK(search(db, comb(XAP_OP_PHRASE, 0, 2, T("a"), T("b")), BOOL_DOCID, r, sizeof r, NULL)
          == 0); /* a@3, b@5 */
    /* a wider window lets a gap through */
    search(db, comb(XAP_OP_PHRASE, 3, 2, T("a"), T("b")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "3");
    search(db, comb(XAP_OP_NEAR, 3, 2, T("cherry"), T("apple")), BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "1");

    /* value range (string comparison, inclusive) */
    xap_query *q = NULL;
    CHECK_OK(xap_query_value_range(0, "2020", 4, "2021", 4, &q, errmsg_));
    search(db, q, BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "1,2");
    q = NULL;
    CHECK_OK(xap_query_value_range(0, "2022", 4, "2099", 4, &q, errmsg_));
    search(db, q, BOOL_DOCID, r, sizeof r, NULL);
    CHECK_STR(r, "3,5");
    q = NULL;

    /* scale */
    search(db, T("apple"), BM25, r, sizeof r, w);
    {
        xap_query *base = T("apple");
        CHECK_OK(xap_query_scale(base, 2.0, &q, errmsg_));
        xap_query_destroy(base);
        search(db, q, BM25, r, sizeof r, w2);
        CHECK_STR(r, "3,4,1,2");
        CHECK(fabs(w2[0] - 2 * w[0]) < 1e-9);
        q = NULL;
        base = T("apple");
        CHECK_OK(xap_query_scale(base, 0.0, &q, errmsg_));
        CHECK(search(db, q, BM25, r, sizeof r, w2) == 4);
        CHECK(w2[0] == 0 && w2[3] == 0);
        q = NULL;
        CHECK_ERR(xap_query_scale(base, -1.0, &q, &msg), SH_ERR_INVALID, &msg);
        CHECK_ERR(xap_query_scale(base, NAN, &q, &msg), SH_ERR_INVALID, &msg);
        CHECK(q == NULL);
        xap_query_destroy(base);
    }

    /* match all / nothing */
    CHECK_OK(xap_query_match_all(&q, errmsg_));
    CHECK(search(db, q, BOOL_DOCID, r, sizeof r, NULL) == 6);
    CHECK_STR(r, "1,2,3,4,5,6");
    q = NULL;
    CHECK_OK(xap_query_match_nothing(&q, errmsg_));
    CHECK(search(db, q, BOOL_DOCID, r, sizeof r, NULL) == 0);
    q = NULL;

    /* describe */
    char *desc = NULL;
    q = comb(XAP_OP_PHRASE, 0, 2, T("apple"), T("banana"));
    CHECK_OK(xap_query_describe(q, &desc, errmsg_));
    CHECK_MSG(desc && strstr(desc, "apple") && strstr(desc, "PHRASE 2") && strstr(desc, "banana"),
              "%s", desc ? desc : "(null)");
    free(desc);
    xap_query_destroy(q);
    q = NULL;

    /* bad combinations */
    xap_query *one = T("apple");
    xap_query *subs[2] = {one, NULL};
    CHECK_ERR(xap_query_combine(XAP_OP_AND, subs, 0, 0, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_combine(XAP_OP_AND, subs, 2, 0, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_combine(99, subs, 1, 0, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_combine(XAP_OP_AND, subs, 1, 0, NULL, &msg), SH_ERR_INVALID, &msg);
    CHECK_OK(xap_query_combine(XAP_OP_AND, subs, 1, 0, &q, errmsg_)); /* n = 1 is fine */
    CHECK(search(db, q, BOOL_DOCID, r, sizeof r, NULL) == 4);
    q = NULL;
    xap_query_destroy(one);
    char long_term[300];
    memset(long_term, 'q', sizeof long_term);
    CHECK_ERR(xap_query_term("", 0, 1, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_term(long_term, 300, 1, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_query_value_range(0, NULL, 3, "b", 1, &q, &msg), SH_ERR_INVALID, &msg);
    CHECK(q == NULL);

    xap_db_destroy(db);
}

static void test_enquire(void)
{
    start_phase("enquire");
    xap_db *db = NULL;
    char *msg = NULL;
    CHECK_OK(xap_db_open(g_db, &db, errmsg_));
    if (!db)
        return;
    char r[256];
    double w[16];

    /* BM25: documents with equal statistics tie-break by ascending docid (the wdf ranking is
     * checked on "apple" in test_queries) */
    search(db, T("banana"), BM25, r, sizeof r, w);
    CHECK_STR(r, "1,2,5");
    CHECK(w[0] > 0 && w[0] == w[1] && w[1] == w[2]);
    /* boolean + docid order: ascending, all weights 0 */
    search(db, T("banana"), BOOL_DOCID, r, sizeof r, w);
    CHECK_STR(r, "1,2,5");
    CHECK(w[0] == 0 && w[1] == 0 && w[2] == 0);

    xap_enquire *e = NULL;
    xap_mset *m = NULL;
    xap_query *q = NULL;
    CHECK_OK(xap_enquire_new(db, &e, errmsg_));
    q = T("banana");
    if (!e || !q)
        goto out;
    /* under BM25, DOCID_DESC reverses the tie-break only */
    CHECK_OK(xap_enquire_set_query(e, q, errmsg_));
    CHECK_OK(xap_enquire_set_order(e, XAP_ORDER_DOCID_DESC, errmsg_));
    CHECK_OK(xap_enquire_get_mset(e, 0, 10, 6, &m, errmsg_));
    {
        xap_docid ids[3] = {0, 0, 0};
        double wt[3] = {0, 0, 0};
        for (unsigned i = 0; i < 3; i++)
            CHECK_OK(xap_mset_item(m, i, &ids[i], &wt[i], errmsg_));
        CHECK(ids[0] == 5 && ids[1] == 2 && ids[2] == 1);
        CHECK(wt[0] > 0);
    }
    xap_mset_destroy(m);
    m = NULL;
    xap_query_destroy(q);
    q = NULL;
    CHECK_OK(xap_query_match_all(&q, errmsg_));
    CHECK_OK(xap_enquire_set_query(e, q, errmsg_));
    CHECK_OK(xap_enquire_set_boolean(e, errmsg_));
    CHECK_OK(xap_enquire_set_order(e, XAP_ORDER_DOCID_DESC, errmsg_));
    CHECK_OK(xap_enquire_get_mset(e, 0, 3, 6, &m, errmsg_));
    {
        xap_docid ids[3] = {0, 0, 0};
        for (unsigned i = 0; i < 3; i++)
            CHECK_OK(xap_mset_item(m, i, &ids[i], NULL, errmsg_));
        CHECK(ids[0] == 6 && ids[1] == 5 && ids[2] == 4);
    }
    xap_mset_destroy(m);
    m = NULL;
    CHECK_ERR(xap_enquire_set_order(e, 42, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_enquire_set_bm25(e, -1, 0, 1, 0.5, 0.5, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_enquire_set_bm25(e, 1, 0, 1, 1.5, 0.5, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_enquire_set_bm25(e, NAN, 0, 1, 0.5, 0.5, &msg), SH_ERR_INVALID, &msg);

    /* paging: first=2, maxitems=3 over 6 docs in ascending order; exact counts */
    CHECK_OK(xap_enquire_set_order(e, XAP_ORDER_DOCID_ASC, errmsg_));
    CHECK_OK(xap_enquire_get_mset(e, 2, 3, 6, &m, errmsg_));
    if (m) {
        CHECK(xap_mset_size(m) == 3);
        CHECK(xap_mset_matches_lower(m) == 6);
        CHECK(xap_mset_matches_upper(m) == 6);
        CHECK(xap_mset_matches_estimated(m) == 6);
        xap_docid id = 0;
        double wt = -1;
        CHECK_OK(xap_mset_item(m, 0, &id, &wt, errmsg_));
        CHECK(id == 3 && wt == 0);
        CHECK_OK(xap_mset_item(m, 2, &id, NULL, errmsg_));
        CHECK(id == 5);
        id = 77;
        CHECK_ERR(xap_mset_item(m, 3, &id, &wt, &msg), SH_ERR_INVALID, &msg);
        CHECK(id == 77); /* out params untouched on failure */
        CHECK(xap_mset_item(m, 1000, &id, &wt, NULL) == SH_ERR_INVALID);
        xap_doc *doc = NULL;
        CHECK_ERR(xap_mset_document(m, 3, &doc, &msg), SH_ERR_INVALID, &msg);
        CHECK(doc == NULL);
        CHECK_OK(xap_mset_document(m, 1, &doc, errmsg_));
        /* the mset still fetches documents after its enquire and db are gone */
        xap_enquire_destroy(e);
        e = NULL;
        xap_db_destroy(db);
        db = NULL;
        char *s = NULL;
        size_t len = 0;
        if (doc) {
            CHECK_OK(xap_doc_get_data(doc, &s, &len, errmsg_));
            CHECK_STR(s, "doc four");
            free(s);
            s = NULL;
            xap_doc_destroy(doc);
            doc = NULL;
        }
        CHECK_OK(xap_mset_document(m, 2, &doc, errmsg_));
        if (doc) {
            CHECK_OK(xap_doc_get_value(doc, 1, &s, &len, errmsg_));
            CHECK_STR(s, "blue");
            free(s);
            xap_doc_destroy(doc);
        }
        xap_mset_destroy(m);
        m = NULL;
    }
out:
    xap_query_destroy(q);
    xap_enquire_destroy(e);
    xap_db_destroy(db);
}

static void test_spy(void)
{
    start_phase("spy");
    xap_db *db = NULL;
    char *msg = NULL;
    CHECK_OK(xap_db_open(g_db, &db, errmsg_));
    if (!db)
        return;
    unsigned count = 0;
    CHECK_OK(xap_db_doccount(db, &count, errmsg_));

    /* counts every document when checkatleast = doccount, even with a small page */
    xap_spy *spy = NULL;
    xap_enquire *e = NULL;
    xap_mset *m = NULL;
    xap_query *q = NULL;
    CHECK_OK(xap_spy_new(1, &spy, errmsg_));
    CHECK_OK(xap_enquire_new(db, &e, errmsg_));
    CHECK_OK(xap_query_match_all(&q, errmsg_));
    if (!spy || !e || !q)
        goto out;
    CHECK_OK(xap_enquire_set_query(e, q, errmsg_));
    CHECK_OK(xap_enquire_add_spy(e, spy, errmsg_));
    CHECK_OK(xap_enquire_get_mset(e, 0, 1, count, &m, errmsg_));
    CHECK(xap_mset_size(m) == 1);
    xap_mset_destroy(m);
    m = NULL;
    /* the spy outlives the enquire it was added to */
    xap_enquire_destroy(e);
    e = NULL;
    CHECK(xap_spy_total(spy) == 6);
    struct list l = {{0}, 0, 0};
    CHECK_OK(xap_spy_values(spy, facet_cb, &l, errmsg_));
    CHECK_STR(l.buf, "red=3,blue=2,green=1"); /* most frequent first */
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    CHECK_OK(xap_spy_values(spy, facet_cb, &l, errmsg_));
    CHECK_STR(l.buf, "red=3");
    CHECK_ERR(xap_spy_values(spy, NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    xap_spy_destroy(spy);
    spy = NULL;

    /* a filtered query counts only its matches; the other destroy order (spy first) */
    CHECK_OK(xap_spy_new(1, &spy, errmsg_));
    CHECK_OK(xap_enquire_new(db, &e, errmsg_));
    xap_query *fq = T("Tveg");
    CHECK_OK(xap_enquire_set_query(e, fq, errmsg_));
    xap_query_destroy(fq);
    CHECK_OK(xap_enquire_add_spy(e, spy, errmsg_));
    CHECK_OK(xap_enquire_get_mset(e, 0, 10, count, &m, errmsg_));
    CHECK(xap_mset_size(m) == 4);
    xap_mset_destroy(m);
    m = NULL;
    CHECK(xap_spy_total(spy) == 4);
    memset(&l, 0, sizeof l);
    CHECK_OK(xap_spy_values(spy, facet_cb, &l, errmsg_));
    CHECK_STR(l.buf, "blue=2,green=1,red=1");
    xap_spy_destroy(spy);
    spy = NULL;
    /* the enquire still holds the spy: running again must be safe */
    CHECK_OK(xap_enquire_get_mset(e, 0, 10, count, &m, errmsg_));
    CHECK(xap_mset_size(m) == 4);
    xap_mset_destroy(m);
    m = NULL;
    CHECK_ERR(xap_enquire_add_spy(e, NULL, &msg), SH_ERR_INVALID, &msg);
out:
    xap_query_destroy(q);
    xap_enquire_destroy(e);
    xap_spy_destroy(spy);
    xap_db_destroy(db);
}

static void test_reopen_and_close(void)
{
    start_phase("reopen");
    xap_db *db = NULL;
    xap_wdb *w = NULL;
    CHECK_OK(xap_db_open(g_db, &db, errmsg_));
    CHECK_OK(xap_wdb_open(g_db, XAP_OPEN_CREATE_OR_OPEN, &w, errmsg_));
    if (!db || !w) {
        xap_db_destroy(db);
        xap_wdb_destroy(w);
        return;
    }
    int changed = -1;
    unsigned n = 0;
    CHECK_OK(xap_db_reopen(db, &changed, errmsg_));
    CHECK(changed == 0);
    CHECK(add_doc(w, make_doc("B:Qd9", "T:fig", NULL)) > 0);
    CHECK_OK(xap_wdb_commit(w, errmsg_));
    CHECK_OK(xap_db_doccount(db, &n, errmsg_));
    CHECK(n == 6); /* the reader sees its snapshot until reopened */
    CHECK_OK(xap_db_reopen(db, &changed, errmsg_));
    CHECK(changed == 1);
    CHECK_OK(xap_db_doccount(db, &n, errmsg_));
    CHECK(n == 7);
    CHECK_OK(xap_db_termfreq(db, "fig", 3, &n, errmsg_));
    CHECK(n == 1);
    CHECK_OK(xap_db_reopen(db, NULL, errmsg_)); /* changed may be NULL */
    CHECK_OK(xap_db_reopen(db, &changed, errmsg_));
    CHECK(changed == 0);

    start_phase("close_semantics");
    /* outside a transaction, destroy commits pending changes (Xapian semantics) */
    CHECK(add_doc(w, make_doc("B:Qd10", NULL)) > 0);
    xap_wdb_destroy(w);
    w = NULL;
    CHECK_OK(xap_db_reopen(db, &changed, errmsg_));
    CHECK(changed == 1);
    CHECK_OK(xap_db_termfreq(db, "Qd10", 4, &n, errmsg_));
    CHECK(n == 1);
    /* inside a transaction, destroy discards it */
    CHECK_OK(xap_wdb_open(g_db, XAP_OPEN_EXISTING, &w, errmsg_));
    if (w) {
        CHECK_OK(xap_wdb_begin_transaction(w, 1, errmsg_));
        CHECK(add_doc(w, make_doc("B:Qd11", NULL)) > 0);
        xap_wdb_destroy(w);
    }
    CHECK_OK(xap_db_reopen(db, NULL, errmsg_));
    CHECK_OK(xap_db_termfreq(db, "Qd11", 4, &n, errmsg_));
    CHECK(n == 0);
    CHECK_OK(xap_db_doccount(db, &n, errmsg_));
    CHECK(n == 8);
    xap_db_destroy(db);

    /* CREATE_OR_OVERWRITE starts over */
    CHECK_OK(xap_wdb_open(g_db, XAP_OPEN_CREATE_OR_OVERWRITE, &w, errmsg_));
    xap_wdb_destroy(w);
    db = NULL;
    CHECK_OK(xap_db_open(g_db, &db, errmsg_));
    n = 99;
    CHECK_OK(xap_db_doccount(db, &n, errmsg_));
    CHECK(n == 0);
    xap_db_destroy(db);
}

static void test_open_errors(void)
{
    start_phase("open_errors");
    char path[4200];
    char *msg = NULL;
    xap_db *db = NULL;
    xap_wdb *w = NULL;

    path_in(path, sizeof path, "missing");
    int st = xap_db_open(path, &db, &msg);
    CHECK_MSG(msg && strstr(msg, path), "message should name the path: %s", msg ? msg : "");
    CHECK_ERR(st, SH_ERR_NOTFOUND, &msg);
    CHECK(xap_db_open(path, &db, NULL) == SH_ERR_NOTFOUND);
    CHECK_ERR(xap_wdb_open(path, XAP_OPEN_EXISTING, &w, &msg), SH_ERR_NOTFOUND, &msg);
    CHECK(db == NULL && w == NULL);
    struct stat sb;
    CHECK(stat(path, &sb) != 0); /* XAP_OPEN_EXISTING created nothing */

    /* an existing directory that is not a database */
    path_in(path, sizeof path, "empty");
    CHECK(mkdir_p(path) == 0);
    st = xap_db_open(path, &db, &msg);
    CHECK_MSG(msg && strstr(msg, path) && strstr(msg, "not a Xapian database"), "%s",
              msg ? msg : "");
    CHECK_ERR(st, SH_ERR_CORRUPT, &msg);

    path_in(path, sizeof path, "junkdir");
    CHECK(mkdir_p(path) == 0);
    char file[4300];
    snprintf(file, sizeof file, "%s/notes.txt", path);
    write_file(file, "just some text\n");
    CHECK_ERR(xap_db_open(path, &db, &msg), SH_ERR_CORRUPT, &msg);
    /* a directory with a damaged glass marker */
    path_in(path, sizeof path, "badglass");
    CHECK(mkdir_p(path) == 0);
    snprintf(file, sizeof file, "%s/iamglass", path);
    write_file(file, "garbage\n");
    CHECK_ERR(xap_db_open(path, &db, &msg), SH_ERR_CORRUPT, &msg);
    /* a plain junk file (Xapian would read it as a stub database) */
    path_in(path, sizeof path, "junkfile");
    write_file(path, "garbage\n");
    CHECK_ERR(xap_db_open(path, &db, &msg), SH_ERR_CORRUPT, &msg);
    CHECK(db == NULL);

    /* cannot create under a missing parent: some error, with a message */
    path_in(path, sizeof path, "no/such/parent/db");
    st = xap_wdb_open(path, XAP_OPEN_CREATE_OR_OPEN, &w, &msg);
    CHECK(st != SH_OK && w == NULL);
    CHECK_MSG(msg != NULL, "no message");
    free(msg);
    msg = NULL;

    /* long terms on a writable database (245 is Xapian's limit) */
    path_in(path, sizeof path, "longterms");
    CHECK_OK(xap_wdb_open(path, XAP_OPEN_CREATE_OR_OPEN, &w, errmsg_));
    if (w) {
        char t[300];
        memset(t, 'L', sizeof t);
        xap_doc *d = NULL;
        CHECK_OK(xap_doc_new(&d, errmsg_));
        CHECK_OK(xap_doc_add_term(d, t, 245, 1, errmsg_));
        CHECK_OK(xap_wdb_add_document(w, d, NULL, errmsg_));
        CHECK_OK(xap_wdb_commit(w, errmsg_));
        CHECK_ERR(xap_wdb_replace_document_by_term(w, t, 300, d, NULL, &msg), SH_ERR_INVALID,
                  &msg);
        xap_doc_destroy(d);
        xap_wdb_destroy(w);
    }
}

/* A stub directory (XAPIANDB) opens its shards as one database; metadata comes from whichever
 * shard holds the key; postings, counts and positions span the shards. */
static void test_shards(void)
{
    start_phase("shards");
    char dir[4200], shard[4300];
    char *msg = NULL;
    path_in(dir, sizeof dir, "sharded");
    CHECK(mkdir_p(dir) == 0);
    for (int k = 0; k < 2; k++) {
        snprintf(shard, sizeof shard, "%s/shard%d", dir, k);
        xap_wdb *w = NULL;
        xap_doc *doc = NULL;
        CHECK_OK(xap_wdb_open(shard, XAP_OPEN_CREATE_OR_OVERWRITE, &w, errmsg_));
        CHECK_OK(xap_doc_new(&doc, errmsg_));
        CHECK_OK(xap_doc_add_posting(doc, "Bab", 3, 1, 1, errmsg_));
        CHECK_OK(xap_doc_add_posting(doc, "Bab", 3, 5, 1, errmsg_));
        CHECK_OK(xap_wdb_add_document(w, doc, NULL, errmsg_));
        char key[16], value[16];
        snprintf(key, sizeof key, "only%d", k);
        snprintf(value, sizeof value, "v%d", k);
        CHECK_OK(xap_wdb_set_metadata(w, key, strlen(key), value, strlen(value), errmsg_));
        CHECK_OK(xap_wdb_set_metadata(w, "both", 4, value, strlen(value), errmsg_));
        CHECK_OK(xap_wdb_commit(w, errmsg_));
        xap_doc_destroy(doc);
        xap_wdb_destroy(w);
    }
    snprintf(shard, sizeof shard, "%s/XAPIANDB", dir);
    FILE *f = fopen(shard, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("auto shard0\nauto shard1\n", f);
    fclose(f);
    char paths[2][4300];
    const char *shards[2] = {paths[0], paths[1]};
    for (int k = 0; k < 2; k++)
        snprintf(paths[k], sizeof paths[k], "%s/shard%d", dir, k);
    xap_db *db = NULL;
    CHECK_ERR(xap_db_open_shards(dir, shards, 0, &db, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_open_shards(NULL, shards, 2, &db, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_open_shards(dir, (const char *[]){paths[0], ""}, 2, &db, &msg),
              SH_ERR_INVALID, &msg);
    char gone[4300];
    snprintf(gone, sizeof gone, "%s/shard9", dir);
    CHECK(xap_db_open_shards(dir, (const char *[]){paths[0], gone}, 2, &db, NULL) != SH_OK &&
          db == NULL);
    /* The shim reads no stub: the shards it is given are the database. */
    CHECK_OK(xap_db_open_shards(dir, shards, 1, &db, errmsg_));
    CHECK(xap_db_shard_count(db) == 1);
    xap_db_destroy(db);
    db = NULL;
    CHECK_OK(xap_db_open_shards(dir, shards, 2, &db, errmsg_));
    unsigned n = 0;
    CHECK_OK(xap_db_doccount(db, &n, errmsg_));
    CHECK(n == 2);
    char *v = NULL;
    size_t vlen = 0;
    CHECK_OK(xap_db_get_metadata(db, "only1", 5, &v, &vlen, errmsg_));
    CHECK(v && strcmp(v, "v1") == 0);
    free(v);
    CHECK_OK(xap_db_get_metadata(db, "only0", 5, &v, &vlen, errmsg_));
    CHECK(v && strcmp(v, "v0") == 0);
    free(v);
    CHECK_OK(xap_db_get_metadata(db, "both", 4, &v, &vlen, errmsg_));
    CHECK(v && strcmp(v, "v0") == 0); /* the first shard answers */
    free(v);
    CHECK_OK(xap_db_get_metadata(db, "none", 4, &v, &vlen, errmsg_));
    CHECK(v && vlen == 0);
    free(v);
    /* Docids interleave across shards: 1 = shard0's first, 2 = shard1's first. */
    xap_docid ids[2] = {1, 2};
    unsigned long long sum = 0;
    CHECK_OK(xap_db_sum_wdf(db, "Bab", 3, ids, 2, &sum, errmsg_));
    CHECK(sum == 4);
    unsigned *pos = NULL;
    size_t npos = 0;
    CHECK_OK(xap_db_positions(db, 2, "Bab", 3, &pos, &npos, errmsg_));
    CHECK(npos == 2 && pos[0] == 1 && pos[1] == 5);
    free(pos);
    CHECK_ERR(xap_db_sum_wdf(db, "Bab", 3, (xap_docid[]){2, 1}, 2, &sum, &msg), SH_ERR_INVALID,
              &msg);
    /* Each shard's terms in turn: "Bab" once per shard with that shard's frequency (the merged
     * walk has it once, with both); a callback's stop ends the whole walk. */
    struct list l = {{0}, 0, 0};
    CHECK_OK(xap_db_allterms(db, "B", 1, term_cb, &l, errmsg_));
    CHECK_STR(l.buf, "Bab:2");
    struct list each = {{0}, 0, 0};
    CHECK_OK(xap_db_allterms_each_shard(db, "B", 1, term_cb, &each, errmsg_));
    CHECK_STR(each.buf, "Bab:1,Bab:1");
    struct list first = {{0}, 0, 1};
    CHECK_OK(xap_db_allterms_each_shard(db, "B", 1, term_cb, &first, errmsg_));
    CHECK_STR(first.buf, "Bab:1");
    CHECK_ERR(xap_db_allterms_each_shard(db, "B", 1, NULL, NULL, &msg), SH_ERR_INVALID, &msg);
    int changed = -1;
    CHECK_OK(xap_db_reopen(db, &changed, errmsg_));
    CHECK(changed == 0);
    xap_db_destroy(db);
}

/* Parts: a stub of two shards plus one database combined (Xapian's add_database), metadata read
 * from the shard holding a docid, equal weights ordered by a value, remote open errors. Runs
 * after test_shards (it reuses the sharded directory). */
static void test_parts(void)
{
    start_phase("parts");
    char dir[4200], single[4200];
    char *msg = NULL;
    path_in(dir, sizeof dir, "sharded");
    path_in(single, sizeof single, "single");
    xap_wdb *w = NULL;
    CHECK_OK(xap_wdb_open(single, XAP_OPEN_CREATE_OR_OVERWRITE, &w, errmsg_));
    /* Two documents of equal weight for "Weq"; values in reverse docid order. */
    add_doc(w, make_doc("T:Weq", "V:0=b", NULL));
    add_doc(w, make_doc("T:Weq", "V:0=a", NULL));
    CHECK_OK(xap_wdb_set_metadata(w, "both", 4, "v2", 2, errmsg_));
    CHECK_OK(xap_wdb_commit(w, errmsg_));
    xap_wdb_destroy(w);

    xap_db *parts[2] = {NULL, NULL}, *all = NULL;
    char paths[2][4300];
    const char *shards[2] = {paths[0], paths[1]};
    for (int k = 0; k < 2; k++)
        snprintf(paths[k], sizeof paths[k], "%s/shard%d", dir, k);
    CHECK_OK(xap_db_open_shards(dir, shards, 2, &parts[0], errmsg_));
    CHECK_OK(xap_db_open(single, &parts[1], errmsg_));
    CHECK(xap_db_shard_count(parts[0]) == 2 && xap_db_shard_count(parts[1]) == 1);
    CHECK_OK(xap_db_combine(parts, 2, &all, errmsg_));
    if (!all)
        return;
    CHECK(xap_db_shard_count(all) == 3);
    unsigned n = 0;
    CHECK_OK(xap_db_doccount(all, &n, errmsg_));
    CHECK(n == 4);
    /* docid d is in shard (d - 1) % 3: 1 → shard0, 2 → shard1, 3 and 6 → the single database. */
    const struct { xap_docid id; const char *want; } meta[] = {{1, "v0"}, {2, "v1"}, {3, "v2"},
                                                               {6, "v2"}};
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        char *v = NULL;
        size_t vlen = 0;
        CHECK_OK(xap_db_get_doc_metadata(all, meta[i].id, "both", 4, &v, &vlen, errmsg_));
        CHECK_MSG(v && strcmp(v, meta[i].want) == 0, "docid %u: %s", meta[i].id, v ? v : "");
        free(v);
    }
    char *v = NULL;
    size_t vlen = 0;
    CHECK_ERR(xap_db_get_doc_metadata(all, 0, "both", 4, &v, &vlen, &msg), SH_ERR_INVALID, &msg);
    /* The parts stay usable after the combination is gone, and the other way round. */
    xap_db_destroy(parts[0]);
    CHECK_OK(xap_db_doccount(all, &n, errmsg_));
    CHECK(n == 4);

    /* Equal weights: docid order (3 then 6) or value order ("a" = docid 6 first). */
    xap_enquire *enq = NULL;
    xap_query *q = T("Weq");
    xap_mset *m = NULL;
    xap_docid first = 0;
    CHECK_OK(xap_enquire_new(all, &enq, errmsg_));
    CHECK_OK(xap_enquire_set_query(enq, q, errmsg_));
    CHECK_OK(xap_enquire_set_bm25(enq, 1.2, 0, 1, 0.5, 0.5, errmsg_));
    CHECK_OK(xap_enquire_set_order(enq, XAP_ORDER_RELEVANCE, errmsg_));
    CHECK_OK(xap_enquire_get_mset(enq, 0, 10, 10, &m, errmsg_));
    CHECK(xap_mset_size(m) == 2);
    CHECK_OK(xap_mset_item(m, 0, &first, NULL, errmsg_));
    CHECK(first == 3);
    xap_mset_destroy(m);
    CHECK_OK(xap_enquire_set_sort_by_relevance_then_value(enq, 0, 0, errmsg_));
    CHECK_OK(xap_enquire_get_mset(enq, 0, 10, 10, &m, errmsg_));
    CHECK_OK(xap_mset_item(m, 0, &first, NULL, errmsg_));
    CHECK(first == 6);
    xap_mset_destroy(m);
    CHECK_ERR(xap_enquire_set_sort_by_relevance_then_value(NULL, 0, 0, &msg), SH_ERR_INVALID,
              &msg);
    xap_enquire_destroy(enq);
    xap_query_destroy(q);
    xap_db_destroy(all);
    xap_db_destroy(parts[1]);

    CHECK_ERR(xap_db_combine(NULL, 1, &all, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_combine((xap_db *[]){NULL}, 1, &all, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_open_remote(NULL, 7001, 100, 100, &all, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_open_remote("127.0.0.1", 0, 100, 100, &all, &msg), SH_ERR_INVALID, &msg);
    /* Port 1 on loopback: nobody listens (refused), so the open fails at once, not in a query. */
    int st = xap_db_open_remote("127.0.0.1", 1, 1000, 1000, &all, &msg);
    CHECK_MSG(st == SH_ERR_NETWORK && msg && strstr(msg, "NetworkError"), "%d %s", st,
              msg ? msg : "");
    CHECK_ERR(st, SH_ERR_NETWORK, &msg);
    CHECK(xap_db_shard_count(NULL) == 0);
}

/* Per-document records: kept as each shard's metadata under the shard-local docid, deflated,
 * read back by the docid of a stub of two shards or of their combination with another
 * database; empty removes; a long record (inflated in several steps) and bytes that are not
 * text survive; a damaged one is SH_ERR_CORRUPT. */
static void test_doc_records(void)
{
    start_phase("doc records");
    char dir[4200], shard[4300], single[4200];
    char *msg = NULL;
    path_in(dir, sizeof dir, "records");
    path_in(single, sizeof single, "records_single");
    CHECK(mkdir_p(dir) == 0);
    size_t big_len = 300000;
    char *big = malloc(big_len);
    CHECK(big != NULL);
    if (!big)
        return;
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)(i % 7 == 0 ? 0 : 'a' + (int)(i * 31 % 26)); /* NULs too */
    for (int k = 0; k < 3; k++) {
        if (k < 2)
            snprintf(shard, sizeof shard, "%s/shard%d", dir, k);
        xap_wdb *w = NULL;
        xap_doc *doc = NULL;
        CHECK_OK(xap_wdb_open(k < 2 ? shard : single,
                              XAP_OPEN_CREATE_OR_OVERWRITE | XAP_OPEN_NO_TERMLIST, &w, errmsg_));
        CHECK_OK(xap_doc_new(&doc, errmsg_));
        CHECK_OK(xap_doc_add_term(doc, "Bab", 3, 1, errmsg_));
        for (xap_docid d = 1; d <= 3; d++) {
            xap_docid id = 0;
            char value[32];
            CHECK_OK(xap_wdb_add_document(w, doc, &id, errmsg_));
            CHECK(id == d);
            snprintf(value, sizeof value, "s%dd%u", k, id);
            if (k == 1 && d == 2)
                CHECK_OK(xap_wdb_set_doc_record(w, "d", id, big, big_len, errmsg_));
            else
                CHECK_OK(xap_wdb_set_doc_record(w, "d", id, value, strlen(value), errmsg_));
        }
        CHECK_OK(xap_wdb_set_doc_record(w, "d", 3, "", 0, errmsg_)); /* removed */
        CHECK_ERR(xap_wdb_set_doc_record(w, "d", 0, "x", 1, &msg), SH_ERR_INVALID, &msg);
        CHECK_ERR(xap_wdb_set_doc_record(w, "", 1, "x", 1, &msg), SH_ERR_INVALID, &msg);
        if (k == 2) { /* a record that does not inflate */
            CHECK_OK(xap_wdb_set_metadata(w, "d\0\0\0\2", 5, "\xff\xff\xff", 3, errmsg_));
            /* Any raw DEFLATE reads (zlib wrote older records): one stored block of "hello";
             * the same with a byte after the stream's end is damage. */
            CHECK_OK(xap_wdb_set_metadata(w, "d\0\0\0\7", 5, "\x01\x05\x00\xfa\xffhello", 10,
                                          errmsg_));
            CHECK_OK(xap_wdb_set_metadata(w, "d\0\0\0\x08", 5, "\x01\x05\x00\xfa\xffhelloX",
                                          11, errmsg_));
            /* 300,000 times 'a' packs a thousandfold: the reader's buffer must grow. */
            char *run = malloc(big_len);
            CHECK(run != NULL);
            if (run) {
                memset(run, 'a', big_len);
                CHECK_OK(xap_wdb_set_doc_record(w, "d", 9, run, big_len, errmsg_));
            }
            free(run);
        }
        CHECK_OK(xap_wdb_commit(w, errmsg_));
        xap_doc_destroy(doc);
        xap_wdb_destroy(w);
    }
    char shard0[4300], shard1[4300];
    snprintf(shard0, sizeof shard0, "%s/shard0", dir);
    snprintf(shard1, sizeof shard1, "%s/shard1", dir);
    xap_db *parts[2] = {NULL, NULL}, *all = NULL;
    CHECK_OK(xap_db_open_shards(dir, (const char *[]){shard0, shard1}, 2, &parts[0], errmsg_));
    CHECK_OK(xap_db_open(single, &parts[1], errmsg_));
    CHECK_OK(xap_db_combine(parts, 2, &all, errmsg_));
    /* The stub: docid d is shard (d - 1) % 2's local docid (d - 1) / 2 + 1. */
    const struct { xap_docid id; const char *want; } stub[] = {
        {1, "s0d1"}, {2, "s1d1"}, {3, "s0d2"}, {5, ""}, {6, ""}, {99, ""}};
    for (size_t i = 0; parts[0] && i < sizeof stub / sizeof stub[0]; i++) {
        char *v = NULL;
        size_t vlen = 0;
        CHECK_OK(xap_db_get_doc_record(parts[0], "d", stub[i].id, &v, &vlen, errmsg_));
        CHECK_MSG(v && vlen == strlen(stub[i].want) && strcmp(v, stub[i].want) == 0,
                  "stub docid %u: %s", stub[i].id, v ? v : "(null)");
        free(v);
    }
    char *v = NULL;
    size_t vlen = 0;
    CHECK_OK(xap_db_get_doc_record(parts[0], "d", 4, &v, &vlen, errmsg_));
    CHECK(v && vlen == big_len && memcmp(v, big, big_len) == 0 && v[vlen] == '\0');
    free(v);
    /* Combined with the single database: three shards, 3 = single's docid 1. */
    const struct { xap_docid id; const char *want; } comb[] = {{1, "s0d1"}, {2, "s1d1"},
                                                               {3, "s2d1"}, {4, "s0d2"}};
    for (size_t i = 0; all && i < sizeof comb / sizeof comb[0]; i++) {
        v = NULL;
        CHECK_OK(xap_db_get_doc_record(all, "d", comb[i].id, &v, &vlen, errmsg_));
        CHECK_MSG(v && strcmp(v, comb[i].want) == 0, "combined docid %u: %s", comb[i].id,
                  v ? v : "(null)");
        free(v);
    }
    v = NULL;
    if (all)
        CHECK_ERR(xap_db_get_doc_record(all, "d", 6, &v, &vlen, &msg), SH_ERR_CORRUPT, &msg);
    free(v);
    CHECK_ERR(xap_db_get_doc_record(all, "d", 0, &v, &vlen, &msg), SH_ERR_INVALID, &msg);
    CHECK_ERR(xap_db_get_doc_record(NULL, "d", 1, &v, &vlen, &msg), SH_ERR_INVALID, &msg);
    /* A stub Xapian opens by itself does not say which shard holds a docid: refused. */
    snprintf(shard, sizeof shard, "%s/XAPIANDB", dir);
    FILE *f = fopen(shard, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("auto shard0\nauto shard1\n", f);
        fclose(f);
        xap_db *stub = NULL;
        CHECK_OK(xap_db_open(dir, &stub, errmsg_));
        if (stub)
            CHECK_ERR(xap_db_get_doc_record(stub, "d", 1, &v, &vlen, &msg), SH_ERR_INVALID, &msg);
        xap_db_destroy(stub);
    }
    if (parts[1]) {
        v = NULL;
        CHECK_OK(xap_db_get_doc_record(parts[1], "d", 7, &v, &vlen, errmsg_));
        CHECK(v && vlen == 5 && strcmp(v, "hello") == 0);
        free(v);
        v = NULL;
        CHECK_ERR(xap_db_get_doc_record(parts[1], "d", 8, &v, &vlen, &msg), SH_ERR_CORRUPT, &msg);
        free(v);
        v = NULL;
        CHECK_OK(xap_db_get_doc_record(parts[1], "d", 9, &v, &vlen, errmsg_));
        CHECK(v && vlen == big_len && v[0] == 'a' && v[big_len - 1] == 'a' &&
              strspn(v, "a") == big_len);
        free(v);
    }
    xap_db_destroy(all);
    xap_db_destroy(parts[0]);
    xap_db_destroy(parts[1]);
    free(big);
}

int main(void)
{
    const char *base = getenv("SHIRYO_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    snprintf(g_dir, sizeof g_dir, "%s/test_xap.%ld", base, (long)getpid());
    rm_rf(g_dir);
    REQUIRE(mkdir_p(g_dir) == 0);
    snprintf(g_db, sizeof g_db, "%s/db", g_dir);
    fprintf(stderr, "xapian %s, temp dir %s\n", xap_version(), g_dir);

    test_null_and_destroy();
    test_documents();
    test_write();
    test_read();
    test_queries();
    test_enquire();
    test_spy();
    test_reopen_and_close();
    test_open_errors();
    test_shards();
    test_parts();
    test_doc_records();

    if (check_failed == 0)
        rm_rf(g_dir);
    return check_done();
}
