/* run.c — the index directory (lock file, stub, shards) and the worker processes that fill the
 * shards in parallel. Workers report one line per event through a pipe; only the parent prints. */
#include "run.h"

#include "index.h"

#include "shiryo/diag.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/xap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOCK_FILE "shiryo-index.lock"
#define STUB_FILE "XAPIANDB"

/* ---- the index directory ---- */

static void path_in(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static int is_empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *ent;
    int empty = 1;
    while (empty && (ent = readdir(d)))
        empty = strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0 ||
                strcmp(ent->d_name, LOCK_FILE) == 0;
    closedir(d);
    return empty;
}

#define SHARD_NAME_MAX 64

/* Copies a shard name known to be shorter than SHARD_NAME_MAX (checked by the callers). */
static void copy_name(char *dst, const char *src)
{
    size_t len = strlen(src);
    if (len >= SHARD_NAME_MAX)
        len = SHARD_NAME_MAX - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Is name one of ours: "shardK" or "shardK.gN" (a compacted generation)? */
static int is_shard_name(const char *name)
{
    if (strncmp(name, "shard", 5) != 0 || !(name[5] >= '0' && name[5] <= '9'))
        return 0;
    const char *p = name + 5;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '\0')
        return 1;
    if (strncmp(p, ".g", 2) != 0 || !(p[2] >= '0' && p[2] <= '9'))
        return 0;
    for (p += 2; *p >= '0' && *p <= '9'; p++)
        ;
    return *p == '\0';
}

/* Reads the shard directory names listed in the stub (0 when there is no stub). */
static unsigned read_stub(const char *dir, char names[][SHARD_NAME_MAX], unsigned max)
{
    char path[4096];
    path_in(path, sizeof path, dir, STUB_FILE);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    unsigned n = 0;
    char line[512];
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "auto ", 5) == 0 && is_shard_name(line + 5) &&
            strlen(line + 5) < SHARD_NAME_MAX)
            copy_name(names[n++], line + 5);
    }
    fclose(f);
    return n;
}

static unsigned stub_shards(const char *dir)
{
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX];
    return read_stub(dir, names, RUN_MAX_SHARDS);
}

/* The next generation's name of a shard: shard0 → shard0.g1 → shard0.g2. */
static void next_generation(const char *name, char *out, size_t cap)
{
    const char *g = strstr(name, ".g");
    unsigned long gen = g ? strtoul(g + 2, NULL, 10) : 0;
    int base = g ? (int)(g - name) : (int)strlen(name);
    snprintf(out, cap, "%.*s.g%lu", base, name, gen + 1);
}

/* Removes a shard directory of ours (its files, then itself). */
static void remove_shard_dir(const char *dir, const char *name)
{
    char shard[4096];
    snprintf(shard, sizeof shard, "%s/%s", dir, name);
    DIR *d = opendir(shard);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (ent->d_name[0] == '.')
            continue;
        char file[4400];
        snprintf(file, sizeof file, "%s/%s", shard, ent->d_name);
        unlink(file);
    }
    closedir(d);
    rmdir(shard);
}

/* Shard directories the stub does not list (left by a run killed while compacting, or by a
 * rebuild with fewer shards) go. */
static void remove_unlisted_shards(const char *dir)
{
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX];
    unsigned n = read_stub(dir, names, RUN_MAX_SHARDS);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    char gone[64][SHARD_NAME_MAX];
    unsigned ngone = 0;
    while ((ent = readdir(d)) && ngone < 64) {
        if (!is_shard_name(ent->d_name) || strlen(ent->d_name) >= SHARD_NAME_MAX)
            continue;
        int listed = 0;
        for (unsigned k = 0; k < n && !listed; k++)
            listed = strcmp(names[k], ent->d_name) == 0;
        if (!listed)
            copy_name(gone[ngone++], ent->d_name);
    }
    closedir(d);
    for (unsigned i = 0; i < ngone; i++)
        remove_shard_dir(dir, gone[i]);
}

/* Refuses a directory that is not a shiryo index: a mistyped --index must not scatter Xapian
 * files into someone's folder or overwrite another program's database. */
static int check_index_dir(const char *dir, char **errmsg)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return errno == ENOENT ? SH_OK
                               : sh_fail(errmsg, SH_ERR_IO, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return sh_fail(errmsg, SH_ERR_INVALID,
                       "%s is not a directory: give a directory for --index", dir);
    if (is_empty_dir(dir))
        return SH_OK;
    if (stub_shards(dir) == 0)
        return sh_fail(errmsg, SH_ERR_CORRUPT, "%s is not a shiryo index (it holds other files): "
                       "give a new or empty directory for --index", dir);
    xap_db *db = NULL;
    char *why = NULL;
    int rc = xap_db_open(dir, &db, &why);
    if (rc) {
        sh_fail(errmsg, SH_ERR_CORRUPT, "%s is damaged or not a shiryo index (%s): rebuild it with "
                "--rebuild, or give another --index directory", dir, why ? why : "?");
        free(why);
        return SH_ERR_CORRUPT;
    }
    char *schema = NULL;
    size_t len = 0;
    unsigned docs = 0;
    rc = xap_db_get_metadata(db, META_SCHEMA, strlen(META_SCHEMA), &schema, &len, &why);
    if (!rc)
        rc = xap_db_doccount(db, &docs, &why);
    if (!rc && len == 0 && docs > 0)
        rc = sh_fail(errmsg, SH_ERR_CORRUPT, "%s is a Xapian database not made by shiryo: give "
                     "another --index directory", dir);
    else if (rc)
        sh_fail(errmsg, rc, "%s: %s", dir, why ? why : "?");
    free(schema);
    free(why);
    xap_db_destroy(db);
    return rc;
}

/* Takes the directory's writer lock (flock: released by the kernel if we are killed) and writes
 * our pid into the lock file so that a second writer can name us. *fd_out keeps it. */
static int take_lock(const char *dir, int *fd_out, char **errmsg)
{
    char path[4096];
    path_in(path, sizeof path, dir, LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return sh_fail(errmsg, SH_ERR_IO, "%s: cannot create the lock file: %s", dir,
                       strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {0};
        long pid = 0;
        if (pread(fd, buf, sizeof buf - 1, 0) > 0)
            pid = strtol(buf, NULL, 10);
        close(fd);
        if (pid > 0)
            return sh_fail(errmsg, SH_ERR_LOCKED, "index %s is locked by another shiryo-index "
                           "(pid %ld): wait for it to finish", dir, pid);
        return sh_fail(errmsg, SH_ERR_LOCKED, "index %s is locked by another shiryo-index: wait "
                       "for it to finish", dir);
    }
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
        close(fd);
        return sh_fail(errmsg, SH_ERR_IO, "%s: cannot write the lock file: %s", dir,
                       strerror(errno));
    }
    *fd_out = fd;
    return SH_OK;
}

static void release_lock(int fd)
{
    if (fd < 0)
        return;
    if (ftruncate(fd, 0) != 0) {
        /* The pid stays in the file; harmless: the lock itself is gone with the descriptor. */
    }
    close(fd);
}

/* Writes the stub that makes the shards one database for readers (atomically: rename). */
static int write_stub(const char *dir, char names[][SHARD_NAME_MAX], unsigned nshards,
                      char **errmsg)
{
    char path[4096], tmp[4200];
    path_in(path, sizeof path, dir, STUB_FILE);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return sh_fail(errmsg, SH_ERR_IO, "%s: %s", tmp, strerror(errno));
    for (unsigned k = 0; k < nshards; k++)
        fprintf(f, "auto %s\n", names[k]);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        return sh_fail(errmsg, SH_ERR_IO, "%s: %s", path, strerror(errno));
    return SH_OK;
}

/* A new shard records its schema at once: Xapian takes a database in which nothing was ever
 * written for a missing one and would re-create it with a termlist table on the next open. An
 * existing shard's schema stays as it is (the worker checks it). */
static int mark_new_shard(xap_wdb *wdb, char **errmsg)
{
    char *stored = NULL;
    size_t len = 0;
    int rc = xap_wdb_get_metadata(wdb, META_SCHEMA, strlen(META_SCHEMA), &stored, &len, errmsg);
    free(stored);
    if (!rc && len == 0)
        rc = xap_wdb_set_metadata(wdb, META_SCHEMA, strlen(META_SCHEMA), SHIRYO_SCHEMA_VERSION,
                                  strlen(SHIRYO_SCHEMA_VERSION), errmsg);
    return rc;
}

/* ---- workers ---- */

/* Sends one report line to the parent (a single write: lines never interleave). */
static void report(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(int fd, const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line - 1)
        n = (int)sizeof line - 2;
    /* Report fields are tab-separated: no tab or newline may come from a message or path. */
    for (int i = 0; i < n; i++)
        if (line[i] == '\n' && i != n - 1)
            line[i] = ' ';
    if (n == 0 || line[n - 1] != '\n')
        line[n++] = '\n';
    ssize_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, line + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += w;
    }
}

static const char *outcome_name(int outcome)
{
    return outcome == INDEX_ADDED ? "added" : outcome == INDEX_UPDATED ? "updated" : "unchanged";
}

/* The body of worker `shard`: never returns. */
/* Compacts the shard when this run wrote a good part of it (a build, a rebuild, a big update):
 * transactions leave B-trees half full, and a compacted copy is smaller and faster to search.
 * Small updates do not pay for it. Reports the new directory's name; the parent switches the
 * stub to it. */
static void maybe_compact(const run_opts *o, unsigned shard, const char *name, size_t written,
                          int fd)
{
    char path[4096], next[SHARD_NAME_MAX], dest[4200];
    snprintf(path, sizeof path, "%s/%s", o->index_dir, name);
    xap_db *db = NULL;
    unsigned docs = 0;
    char *errmsg = NULL;
    if (xap_db_open(path, &db, &errmsg) || xap_db_doccount(db, &docs, &errmsg) ||
        written == 0 || written * 10 < docs) {
        xap_db_destroy(db);
        free(errmsg);
        return;
    }
    next_generation(name, next, sizeof next);
    snprintf(dest, sizeof dest, "%s/%s", o->index_dir, next);
    remove_shard_dir(o->index_dir, next);
    if (xap_db_compact(db, dest, &errmsg) == SH_OK)
        report(fd, "C\t%u\t%s", shard, next);
    else /* the uncompacted shard stays in use: only slower */
        report(fd, "N\t%s\tnot compacted: %s", path, errmsg ? errmsg : "?");
    free(errmsg);
    xap_db_destroy(db);
}

/* A shard holds its replaced passages (it has no termlist table, so Xapian cannot delete them;
 * readers skip them by the deletion list). Once they are REBUILD_DELETED_SHARE of its documents,
 * the shard is rebuilt from its files into the next generation, and the parent switches the
 * stub to it: a kill before the switch leaves the old shard in use and the new one unlisted. */
#define REBUILD_DELETED_SHARE 0.25

static int maybe_rebuild(const run_opts *o, unsigned shard, const char *name, sh_indexer **ix,
                         char rebuilt[SHARD_NAME_MAX], size_t *written, int fd, char **errmsg)
{
    unsigned long long deleted = 0, docs = 0;
    int rc = sh_indexer_deleted(*ix, &deleted, &docs, errmsg);
    if (rc || deleted == 0 || (double)deleted < REBUILD_DELETED_SHARE * (double)docs)
        return rc;
    char **paths = NULL, dir[4200];
    size_t n = 0;
    rc = sh_indexer_paths(*ix, &paths, &n, errmsg);
    if (rc)
        return rc;
    sh_indexer_close(*ix);
    *ix = NULL;
    next_generation(name, rebuilt, SHARD_NAME_MAX);
    remove_shard_dir(o->index_dir, rebuilt);
    snprintf(dir, sizeof dir, "%s/%s", o->index_dir, rebuilt);
    rc = sh_indexer_open(dir, 1, ix, errmsg);
    *written = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        index_file_result res;
        int frc = sh_indexer_add_file(*ix, paths[i], &res, errmsg);
        if (frc == SH_ERR_IO || frc == SH_ERR_INVALID || frc == SH_ERR_RANGE) {
            report(fd, "W\t%s\t%s", paths[i], errmsg && *errmsg ? *errmsg : sh_status_str(frc));
            free(*errmsg);
            *errmsg = NULL;
        } else if (frc) {
            rc = sh_fail_prefix(errmsg, frc, paths[i]);
        } else {
            *written += res.passages;
        }
    }
    if (!rc)
        rc = sh_indexer_commit(*ix, errmsg);
    if (!rc)
        report(fd, "C\t%u\t%s", shard, rebuilt);
    else
        rebuilt[0] = '\0';
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

static void worker_main(const run_opts *o, unsigned shard, const char *name, unsigned nshards,
                        char *const *roots, size_t nroots, const walk_list *files, int fd)
{
    char dir[4096], *errmsg = NULL;
    size_t written = 0;
    snprintf(dir, sizeof dir, "%s/%s", o->index_dir, name);
    sh_indexer *ix = NULL;
    int rc = sh_indexer_open(dir, o->rebuild, &ix, &errmsg);
    for (size_t i = 0; i < files->n && !rc; i++) {
        if (sh_indexer_shard_of(files->paths[i], nshards) != shard)
            continue;
        index_file_result res;
        int frc = sh_indexer_add_file(ix, files->paths[i], &res, &errmsg);
        if (frc == SH_ERR_IO || frc == SH_ERR_INVALID || frc == SH_ERR_RANGE)
            report(fd, "W\t%s\t%s", files->paths[i], errmsg ? errmsg : sh_status_str(frc));
        else if (frc)
            rc = sh_fail_prefix(&errmsg, frc, files->paths[i]);
        else {
            written += res.passages;
            if (res.replaced)
                report(fd, "N\t%s\t%zu invalid UTF-8 sequence%s replaced by U+FFFD", files->paths[i],
                       res.replaced, res.replaced == 1 ? "" : "s");
            report(fd, "F\t%s\t%zu\t%zu\t%s\t%s", outcome_name(res.outcome), res.passages,
                   res.bytes, res.encoding ? res.encoding : "", files->paths[i]);
        }
        if (frc && !rc) {
            free(errmsg);
            errmsg = NULL;
        }
    }
    /* Pruning: for each folder given, drop files indexed earlier that are gone now. */
    for (size_t a = 0; a < nroots && !rc && o->prune; a++) {
        struct stat st;
        char *root = realpath(roots[a], NULL);
        if (root && stat(root, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t removed = 0;
            rc = sh_indexer_prune(ix, root, files->paths, files->n, &removed, &errmsg);
            if (!rc && removed)
                report(fd, "R\t%zu", removed);
        }
        free(root);
    }
    if (!rc)
        rc = sh_indexer_commit(ix, &errmsg);
    char rebuilt[SHARD_NAME_MAX] = "";
    if (!rc)
        rc = maybe_rebuild(o, shard, name, &ix, rebuilt, &written, fd, &errmsg);
    if (rc)
        report(fd, "E\t%s", errmsg ? errmsg : sh_status_str(rc));
    free(errmsg);
    sh_indexer_close(ix);
    if (!rc)
        maybe_compact(o, shard, rebuilt[0] ? rebuilt : name, written, fd);
    _exit(rc ? 2 : 0);
}

typedef struct worker {
    pid_t pid;
    int fd;
    char buf[16384];
    size_t len;
    int done;
} worker;

/* Handles one report line from a worker. */
typedef struct compacted {
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX]; /* new directory per shard, "" = unchanged */
} compacted;

static void handle_line(const run_opts *o, char *line, run_stats *st, char **first_error,
                        compacted *cp)
{
    /* Tab-separated; the last field (a path or message) takes the rest of the line. */
    char *field[6] = {0};
    size_t n = 0;
    char *p = line;
    while (n < 6) {
        field[n++] = p;
        char *tab = n < 6 ? strchr(p, '\t') : NULL;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (o->progress)
        fputs("\r\033[K", stderr);
    switch (field[0][0]) {
    case 'F':
        if (n < 6)
            return;
        st->added += strcmp(field[1], "added") == 0;
        st->updated += strcmp(field[1], "updated") == 0;
        st->unchanged += strcmp(field[1], "unchanged") == 0;
        st->passages += strtoul(field[2], NULL, 10);
        st->bytes += strtoul(field[3], NULL, 10);
        if (o->verbose)
            fprintf(stderr, "%s: %s, %s passages, %s\n", field[5], field[1], field[2], field[4]);
        break;
    case 'W':
        if (n >= 3)
            fprintf(stderr, "shiryo-index: warning: %s: %s\n", field[1], field[2]);
        st->skipped++;
        break;
    case 'N': /* a note: the file was indexed, with a caveat */
        if (n >= 3)
            fprintf(stderr, "shiryo-index: warning: %s: %s\n", field[1], field[2]);
        break;
    case 'C': {
        unsigned long k = n >= 3 ? strtoul(field[1], NULL, 10) : RUN_MAX_SHARDS;
        if (k < RUN_MAX_SHARDS && is_shard_name(field[2]) && strlen(field[2]) < SHARD_NAME_MAX)
            copy_name(cp->names[k], field[2]);
        break;
    }
    case 'R':
        if (n >= 2)
            st->removed += strtoul(field[1], NULL, 10);
        break;
    case 'E':
        if (n >= 2 && !*first_error)
            *first_error = strdup(field[1]);
        break;
    default:
        break;
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads worker reports until every worker has closed its pipe. */
static void gather(const run_opts *o, worker *w, unsigned n, size_t total_files, run_stats *st,
                   char **first_error, compacted *cp)
{
    struct pollfd pfd[RUN_MAX_SHARDS];
    double started = now_seconds(), last = 0;
    unsigned open_pipes = n;
    while (open_pipes > 0) {
        for (unsigned k = 0; k < n; k++) {
            pfd[k].fd = w[k].done ? -1 : w[k].fd;
            pfd[k].events = POLLIN;
        }
        if (poll(pfd, n, 200) < 0 && errno != EINTR)
            break;
        for (unsigned k = 0; k < n; k++) {
            if (w[k].done || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(w[k].fd, w[k].buf + w[k].len, sizeof w[k].buf - 1 - w[k].len);
            if (r <= 0) {
                if (r < 0 && errno == EINTR)
                    continue;
                w[k].done = 1;
                open_pipes--;
                continue;
            }
            w[k].len += (size_t)r;
            char *start = w[k].buf, *nl;
            while ((nl = memchr(start, '\n', w[k].len - (size_t)(start - w[k].buf)))) {
                *nl = '\0';
                handle_line(o, start, st, first_error, cp);
                start = nl + 1;
            }
            w[k].len -= (size_t)(start - w[k].buf);
            memmove(w[k].buf, start, w[k].len);
            if (w[k].len == sizeof w[k].buf - 1)
                w[k].len = 0; /* an overlong line: drop it rather than stall */
        }
        double t = now_seconds();
        if (o->progress && t - last > 0.2) {
            size_t done = st->added + st->updated + st->unchanged + st->skipped;
            double mb = (double)st->bytes / 1e6;
            fprintf(stderr, "\r\033[K[%zu/%zu files] %zu passages, %.1f MB, %.1f MB/s", done,
                    total_files, st->passages, mb, t > started ? mb / (t - started) : 0.0);
            last = t;
        }
    }
    if (o->progress)
        fputs("\r\033[K", stderr);
}

int run_index(const run_opts *o, char *const *roots, size_t nroots, const walk_list *files,
              run_stats *st, char **errmsg)
{
    int rc = check_index_dir(o->index_dir, errmsg);
    if (rc)
        return rc;
    if (mkdir(o->index_dir, 0755) != 0 && errno != EEXIST)
        return sh_fail(errmsg, SH_ERR_IO, "%s: cannot create: %s", o->index_dir, strerror(errno));
    int lock_fd = -1;
    rc = take_lock(o->index_dir, &lock_fd, errmsg);
    if (rc)
        return rc;
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX];
    unsigned nshards = o->rebuild ? 0 : read_stub(o->index_dir, names, RUN_MAX_SHARDS);
    if (nshards == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        nshards = o->jobs ? o->jobs : (unsigned)(cores < 1 ? 1 : cores > 4 ? 4 : cores);
        if (nshards > RUN_MAX_SHARDS)
            nshards = RUN_MAX_SHARDS;
        for (unsigned k = 0; k < nshards; k++)
            snprintf(names[k], SHARD_NAME_MAX, "shard%u", k);
    }
    remove_unlisted_shards(o->index_dir);
    /* Every shard exists (empty when new or rebuilt) and the stub lists them before any worker
     * starts: readers and a run after a kill always find a complete index. */
    for (unsigned k = 0; k < nshards && !rc; k++) {
        char shard[4096];
        snprintf(shard, sizeof shard, "%s/%s", o->index_dir, names[k]);
        xap_wdb *wdb = NULL;
        rc = xap_wdb_open(shard, (o->rebuild ? XAP_OPEN_CREATE_OR_OVERWRITE : XAP_OPEN_CREATE_OR_OPEN) |
                                     XAP_OPEN_NO_TERMLIST, &wdb, errmsg);
        if (rc == SH_ERR_LOCKED)
            sh_fail(errmsg, rc, "index %s is locked by another writer: wait for it to finish",
                    o->index_dir);
        else if (rc)
            sh_fail_prefix(errmsg, rc, shard);
        if (!rc)
            rc = mark_new_shard(wdb, errmsg);
        if (!rc)
            rc = xap_wdb_commit(wdb, errmsg);
        xap_wdb_destroy(wdb);
    }
    if (!rc)
        rc = write_stub(o->index_dir, names, nshards, errmsg);
    if (!rc)
        remove_unlisted_shards(o->index_dir); /* a rebuild with fewer shards */
    if (rc) {
        release_lock(lock_fd);
        return rc;
    }
    run_opts worker_opts = *o;
    worker_opts.rebuild = 0; /* the shards were started over above */
    o = &worker_opts;
    worker w[RUN_MAX_SHARDS];
    memset(w, 0, sizeof w);
    unsigned started = 0;
    pid_t parent = getpid();
    fflush(NULL);
    for (unsigned k = 0; k < nshards && !rc; k++) {
        int fds[2];
        if (pipe(fds) != 0) {
            rc = sh_fail(errmsg, SH_ERR_IO, "cannot create a pipe: %s", strerror(errno));
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            close(fds[0]);
            close(fds[1]);
            rc = sh_fail(errmsg, SH_ERR_IO, "cannot start a worker: %s", strerror(errno));
            break;
        }
        if (pid == 0) {
            /* A worker dies with its parent: a killed run must not leave writers behind. */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                _exit(2);
            close(fds[0]);
            for (unsigned j = 0; j < started; j++)
                close(w[j].fd);
            close(lock_fd);
            worker_main(o, k, names[k], nshards, roots, nroots, files, fds[1]);
        }
        close(fds[1]);
        w[k].pid = pid;
        w[k].fd = fds[0];
        started++;
    }
    char *first_error = NULL;
    compacted cp;
    memset(&cp, 0, sizeof cp);
    gather(o, w, started, files->n, st, &first_error, &cp);
    int worker_failed = 0;
    for (unsigned k = 0; k < started; k++) {
        int status = 0;
        while (waitpid(w[k].pid, &status, 0) < 0 && errno == EINTR)
            ;
        close(w[k].fd);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            worker_failed = 1;
    }
    if (!rc && worker_failed)
        rc = sh_fail(errmsg, SH_ERR, "%s", first_error ? first_error : "an indexing worker failed");
    /* Switch readers to the compacted shards in one step (the stub's rename), then drop the old
     * ones; a reader that opened them keeps its open files. */
    int switched = 0;
    for (unsigned k = 0; k < nshards && !rc; k++)
        if (cp.names[k][0]) {
            copy_name(names[k], cp.names[k]);
            switched = 1;
        }
    if (switched && !rc) {
        rc = write_stub(o->index_dir, names, nshards, errmsg);
        if (!rc)
            remove_unlisted_shards(o->index_dir);
    }
    free(first_error);
    release_lock(lock_fd);
    return rc;
}
