/* run.c — the index directory (lock file, stub, shards) and the worker processes that fill the
 * shards in parallel. Workers report one line per event through a pipe; only the parent prints. */
#include "run.h"

#include "index.h"

#include "shiryo/diag.h"
#include "shiryo/identity.h"
#include "shiryo/seg.h"
#include "shiryo/ixdir.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/visible.h"
#include "shiryo/xap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOCK_FILE IXDIR_LOCK
#define STUB_FILE IXDIR_STUB
#define SHARD_NAME_MAX IXDIR_NAME_MAX
/* Room for "/" + a shard name + "/" + a Xapian file name in a 4096-byte path. */
#define RUN_INDEX_DIR_MAX (4096 - 2 - SHARD_NAME_MAX - 256)

/* ---- the index directory ---- */

static void path_in(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Copies a shard name known to be shorter than SHARD_NAME_MAX (checked by the callers). */
static void copy_name(char *dst, const char *src)
{
    size_t len = strlen(src);
    if (len >= SHARD_NAME_MAX)
        len = SHARD_NAME_MAX - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The next generation's name of a shard: shard0 → shard0.g1 → shard0.g2. */
static void next_generation(const char *name, char *out, size_t cap)
{
    const char *g = strstr(name, ".g");
    unsigned long gen = g ? strtoul(g + 2, NULL, 10) : 0;
    int base = g ? (int)(g - name) : (int)strlen(name);
    snprintf(out, cap, "%.*s.g%lu", base, name, gen + 1);
}

/* The flag file that asks for shard name to be compacted (until a compaction succeeds). */
static void compact_flag(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s%s", dir, name, IXDIR_COMPACT_SUFFIX);
}

/* Shard directories the stub does not list (left by a run killed while compacting, or by a
 * rebuild with fewer shards) go, and so do their compaction flags. */
static void remove_unlisted_shards(const char *dir)
{
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX];
    unsigned n = ixdir_read_stub(dir, names, RUN_MAX_SHARDS);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    char gone[64][SHARD_NAME_MAX];
    unsigned ngone = 0;
    while ((ent = readdir(d)) && ngone < 64) {
        char base[SHARD_NAME_MAX];
        size_t len = strlen(ent->d_name), sfx = strlen(IXDIR_COMPACT_SUFFIX);
        if (len >= SHARD_NAME_MAX)
            continue;
        copy_name(base, ent->d_name);
        int flag = len > sfx && strcmp(base + len - sfx, IXDIR_COMPACT_SUFFIX) == 0;
        if (flag)
            base[len - sfx] = '\0';
        if (!ixdir_is_shard_name(base))
            continue;
        int listed = 0;
        for (unsigned k = 0; k < n && !listed; k++)
            listed = strcmp(names[k], base) == 0;
        if (!listed)
            copy_name(gone[ngone++], ent->d_name);
    }
    closedir(d);
    for (unsigned i = 0; i < ngone; i++) {
        char path[4200];
        path_in(path, sizeof path, dir, gone[i]);
        if (unlink(path) != 0)
            ixdir_remove_shard(dir, gone[i]);
    }
}

/* Names the disk that holds dir: the mount point (the topmost directory above dir on the same
 * device) and the space left on it, e.g. "/mnt/data, 0.0 MB free". "" when unknown. */
static void describe_disk(const char *dir, char *out, size_t cap)
{
    out[0] = '\0';
    char *path = realpath(dir, NULL);
    struct stat st, up;
    if (!path || stat(path, &st) != 0) {
        free(path);
        return;
    }
    for (;;) {
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) {
            if (slash && slash[1] && stat("/", &up) == 0 && up.st_dev == st.st_dev)
                slash[1] = '\0';
            break;
        }
        *slash = '\0';
        if (stat(path, &up) != 0 || up.st_dev != st.st_dev) {
            *slash = '/';
            break;
        }
    }
    struct statvfs vfs;
    if (statvfs(path, &vfs) == 0)
        snprintf(out, cap, " (%s, %.1f MB free)", path,
                 (double)vfs.f_bavail * (double)vfs.f_frsize / 1e6);
    free(path);
}

/* The one wording of a failure of the index (not of one file): names the index, says what the
 * failure left behind, and what to do. The cause (Xapian's message) is kept in parentheses. */
static int index_failure(char **errmsg, int status, const char *dir)
{
    char *why = errmsg && *errmsg ? strdup(*errmsg) : NULL;
    const char *cause = why ? why : sh_status_str(status);
    switch (status) {
    case SH_ERR_NOSPACE: {
        char disk[4300];
        describe_disk(dir, disk, sizeof disk);
        sh_fail(errmsg, status, "index %s: the disk is full (%s); the index is intact at its last "
                "commit: free space on the disk that holds %s%s, then run shiryo-index again to "
                "complete it", dir, cause, dir, disk);
        break;
    }
    case SH_ERR_PERM:
        sh_fail(errmsg, status, "index %s: permission denied (%s): run shiryo-index as the user "
                "who owns the index, or give an --index directory you may write", dir, cause);
        break;
    case SH_ERR_CORRUPT:
        sh_fail(errmsg, status, "index %s is damaged (%s): repair it with shiryo-index --rebuild "
                "--index %s PATH...", dir, cause, dir);
        break;
    case SH_ERR_VERSION: /* sh_identity_check names the index and what to re-index */
        break;
    case SH_ERR_LOCKED:
        sh_fail(errmsg, status, "index %s is locked by another writer (%s): wait for it to "
                "finish", dir, cause);
        break;
    case SH_ERR_NOMEM:
        sh_fail(errmsg, status, "index %s: out of memory; the index is intact at its last commit: "
                "run shiryo-index again with fewer --jobs", dir);
        break;
    default:
        sh_fail(errmsg, status, "index %s: %s; the index is intact at its last commit: check the "
                "disk that holds it, then run shiryo-index again to complete it", dir, cause);
        break;
    }
    free(why);
    return status;
}

/* Refuses a directory that shiryo did not make: a mistyped --index must not scatter Xapian
 * files into someone's folder, and --rebuild must never delete another program's data. A
 * directory of ours (the marker, or the layout of an index from before the marker) is fine in
 * any state: check_index_open below tells whether it opens. */
static int check_index_dir(const char *dir, char **errmsg)
{
    switch (ixdir_kind(dir)) {
    case IXDIR_NOTDIR:
        return sh_fail(errmsg, SH_ERR_INVALID,
                       "--index %s is not a directory: give a directory for --index", dir);
    case IXDIR_UNREADABLE:
        return sh_fail(errmsg, SH_ERR_PERM, "index %s: permission denied: run shiryo-index as "
                       "the user who owns the index, or give an --index directory you may "
                       "write", dir);
    case IXDIR_FOREIGN:
        return sh_fail(errmsg, SH_ERR_CORRUPT, "%s is not a shiryo index (it holds other files "
                       "and no %s marker), so shiryo-index will not write to it, even with "
                       "--rebuild: give a new or empty directory for --index", dir, IXDIR_MARKER);
    default:
        return SH_OK;
    }
}

/* Does the index of ours at dir open, as a shiryo index? (Called under the lock.) */
static int check_index_open(const char *dir, char **errmsg)
{
    char names[1][SHARD_NAME_MAX], stub[4200];
    path_in(stub, sizeof stub, dir, STUB_FILE);
    if (ixdir_read_stub(dir, names, 1) == 0) {
        if (access(stub, F_OK) == 0)
            return sh_fail(errmsg, SH_ERR_CORRUPT, "%s lists no shard", stub);
        return SH_OK; /* a new index, or one killed before its first stub */
    }
    xap_db *db = NULL;
    int rc = ixdir_open(dir, &db, errmsg);
    if (rc == SH_ERR_NOTFOUND)
        rc = SH_ERR_CORRUPT; /* the stub lists a shard that is gone */
    char *schema = NULL;
    size_t len = 0;
    unsigned docs = 0;
    if (!rc)
        rc = xap_db_get_metadata(db, META_SCHEMA, strlen(META_SCHEMA), &schema, &len, errmsg);
    if (!rc)
        rc = xap_db_doccount(db, &docs, errmsg);
    if (!rc && len == 0 && docs > 0)
        rc = sh_fail(errmsg, SH_ERR_CORRUPT, "a Xapian database not made by shiryo");
    free(schema);
    xap_db_destroy(db);
    return rc;
}

/* Waits up to 10 s for the lock that the exiting workers of a killed run still hold. Returns 0
 * once it is ours, -1 if it was not freed in time. */
static int wait_for_dead_writer(int fd)
{
    for (int tries = 0; tries < 500; tries++) {
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
    }
    return -1;
}

/* Takes the directory's writer lock (flock: released by the kernel if we are killed) and writes
 * our pid into the lock file so that a second writer can name us. *fd_out keeps it. */
static int take_lock(const char *dir, int *fd_out, char **errmsg)
{
    char path[4096];
    path_in(path, sizeof path, dir, LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return sh_fail(errmsg, sh_errno_status(errno), "cannot create the lock file %s: %s",
                       path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {0};
        long pid = 0;
        if (pread(fd, buf, sizeof buf - 1, 0) > 0)
            pid = strtol(buf, NULL, 10);
        /* Workers hold the lock with their parent (they share its descriptor), so a writer
         * that was killed keeps it until its workers, killed with it, have exited: that takes
         * moments, so wait for them rather than call a dead run a live writer. */
        if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH &&
            wait_for_dead_writer(fd) == 0)
            goto locked;
        close(fd);
        if (pid > 0)
            return sh_fail(errmsg, SH_ERR_LOCKED, "index %s is locked by another shiryo-index "
                           "(pid %ld): wait for it to finish", dir, pid);
        return sh_fail(errmsg, SH_ERR_LOCKED, "index %s is locked by another shiryo-index: wait "
                       "for it to finish", dir);
    }
locked:;
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
        close(fd);
        return sh_fail(errmsg, sh_errno_status(errno), "cannot write the lock file %s: %s",
                       path, strerror(errno));
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

/* A new shard records its whole identity at once, MeCab dictionary included, before the stub
 * lists it: Xapian takes a database in which nothing was ever written for a missing one and would
 * re-create it with a termlist table on the next open, and a run killed before its workers'
 * first commit must leave shards a reader accepts. An existing shard's identity is checked. */
static int mark_new_shard(xap_wdb *wdb, const sh_seg *seg, const char *index_dir, char **errmsg)
{
    char reindex[4300];
    snprintf(reindex, sizeof reindex, "with shiryo-index --rebuild --index %s PATH...", index_dir);
    const sh_identity_target t = {index_dir, reindex, NULL};
    return sh_identity_check_wdb(seg, wdb, &t, errmsg);
}

/* ---- workers ---- */

/* Sends one report to the parent: a 4-byte length, then the type and the fields, each ending in
 * NUL, so that a field carries any bytes a path can hold (newlines and tabs included). One
 * write per report; the list of fields ends with NULL. */
#define REPORT_MAX 12288

static void report(int fd, int type, ...) /* int: va_start on a char parameter is undefined */
{
    char rec[REPORT_MAX];
    uint32_t len = 0;
    rec[4 + len++] = (char)type;
    rec[4 + len++] = '\0';
    va_list ap;
    va_start(ap, type);
    for (const char *field; (field = va_arg(ap, const char *));) {
        size_t n = strlen(field);
        if (n > sizeof rec - 5 - len) /* a message too long: cut (a path always fits) */
            n = sizeof rec - 5 - len;
        memcpy(rec + 4 + len, field, n);
        len += (uint32_t)n;
        rec[4 + len++] = '\0';
    }
    va_end(ap);
    memcpy(rec, &len, 4);
    size_t total = 4 + len, off = 0;
    while (off < total) {
        ssize_t w = write(fd, rec + off, total - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (size_t)w;
    }
}

static const char *outcome_name(int outcome)
{
    return outcome == INDEX_ADDED ? "added" : outcome == INDEX_UPDATED ? "updated" : "unchanged";
}

/* Compacts the shard when this run wrote a good part of it (a build, a rebuild, a big update)
 * or an earlier compaction of it failed (its flag file is still there): transactions leave
 * B-trees half full, and a compacted copy is smaller and faster to search. Small updates do
 * not pay for it. Reports the new directory's name; the parent switches the stub to it and
 * removes the flag with the old generation. A failed compaction removes its partial copy (a
 * full disk needs the space back) and leaves the flag, so the next run tries again; the
 * uncompacted shard, committed, stays in use. */
static void maybe_compact(const run_opts *o, unsigned shard, const char *name, size_t written,
                          int fd)
{
    char path[4096], next[SHARD_NAME_MAX], dest[4200], flag[4200];
    snprintf(path, sizeof path, "%s/%s", o->index_dir, name);
    compact_flag(flag, sizeof flag, o->index_dir, name);
    int pending = access(flag, F_OK) == 0;
    xap_db *db = NULL;
    unsigned docs = 0;
    char *errmsg = NULL;
    if (xap_db_open(path, &db, &errmsg) || xap_db_doccount(db, &docs, &errmsg) ||
        (!pending && (written == 0 || written * 10 < docs))) {
        xap_db_destroy(db);
        free(errmsg);
        return;
    }
    if (!pending) {
        int ffd = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (ffd >= 0)
            close(ffd);
    }
    next_generation(name, next, sizeof next);
    snprintf(dest, sizeof dest, "%s/%s", o->index_dir, next);
    ixdir_remove_shard(o->index_dir, next);
    char num[16];
    snprintf(num, sizeof num, "%u", shard);
    int rc = xap_db_compact(db, dest, &errmsg);
    if (rc == SH_OK) {
        report(fd, 'C', num, next, (char *)NULL);
    } else {
        ixdir_remove_shard(o->index_dir, next);
        char status[16];
        snprintf(status, sizeof status, "%d", rc);
        report(fd, 'K', status, path, errmsg ? errmsg : sh_status_str(rc), (char *)NULL);
    }
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
    ixdir_remove_shard(o->index_dir, rebuilt);
    /* The new generation keeps the old one's layout (with or without a termlist table). */
    char old_termlist[4400];
    snprintf(old_termlist, sizeof old_termlist, "%s/%s/termlist.glass", o->index_dir, name);
    int layout = access(old_termlist, F_OK) == 0 ? 0 : XAP_OPEN_NO_TERMLIST;
    snprintf(dir, sizeof dir, "%s/%s", o->index_dir, rebuilt);
    xap_wdb *fresh = NULL;
    rc = xap_wdb_open(dir, XAP_OPEN_CREATE_OR_OVERWRITE | layout, &fresh, errmsg);
    if (!rc)
        rc = mark_new_shard(fresh, NULL, o->index_dir, errmsg); /* the stub lists it once whole */
    if (!rc)
        rc = xap_wdb_commit(fresh, errmsg);
    xap_wdb_destroy(fresh);
    if (!rc)
        rc = sh_indexer_open(dir, 0, ix, errmsg);
    *written = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        index_file_result res;
        int frc = sh_indexer_add_file(*ix, paths[i], &res, errmsg);
        if (frc == SH_ERR_IO || frc == SH_ERR_INVALID || frc == SH_ERR_RANGE) {
            report(fd, 'W', paths[i], errmsg && *errmsg ? *errmsg : sh_status_str(frc), (char *)NULL);
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
    char num[16];
    snprintf(num, sizeof num, "%u", shard);
    if (!rc)
        report(fd, 'C', num, rebuilt, (char *)NULL);
    else
        rebuilt[0] = '\0';
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

/* The body of worker `shard`: never returns. Reports F (a file indexed), W (a file skipped),
 * N (a file indexed with a caveat), R (files pruned), C (shard compacted or rebuilt), K (compaction
 * failed), E (the shard failed: status and message). */
static void worker_main(const run_opts *o, unsigned shard, const char *name, unsigned nshards,
                        char *const *roots, size_t nroots, const walk_list *files, int fd)
{
    char dir[4096], *errmsg = NULL, num[3][32];
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
            report(fd, 'W', files->paths[i], errmsg ? errmsg : sh_status_str(frc), (char *)NULL);
        else if (frc)
            rc = sh_fail_prefix(&errmsg, frc, files->paths[i]);
        else {
            written += res.passages;
            if (res.replaced) {
                char note[96];
                snprintf(note, sizeof note, "%zu invalid UTF-8 sequence%s replaced by U+FFFD",
                         res.replaced, res.replaced == 1 ? "" : "s");
                report(fd, 'N', files->paths[i], note, (char *)NULL);
            }
            snprintf(num[0], sizeof num[0], "%zu", res.passages);
            snprintf(num[1], sizeof num[1], "%zu", res.bytes);
            report(fd, 'F', outcome_name(res.outcome), num[0], num[1],
                   res.encoding ? res.encoding : "", files->paths[i], (char *)NULL);
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
            snprintf(num[0], sizeof num[0], "%zu", removed);
            if (!rc && removed)
                report(fd, 'R', num[0], (char *)NULL);
        }
        free(root);
    }
    if (!rc)
        rc = sh_indexer_commit(ix, &errmsg);
    char rebuilt[SHARD_NAME_MAX] = "";
    if (!rc)
        rc = maybe_rebuild(o, shard, name, &ix, rebuilt, &written, fd, &errmsg);
    if (rc) {
        snprintf(num[0], sizeof num[0], "%d", rc);
        report(fd, 'E', num[0], errmsg ? errmsg : sh_status_str(rc), (char *)NULL);
    }
    free(errmsg);
    sh_indexer_close(ix);
    if (!rc)
        maybe_compact(o, shard, rebuilt[0] ? rebuilt : name, written, fd);
    _exit(rc ? 2 : 0);
}

typedef struct worker {
    pid_t pid;
    int fd;
    char buf[2 * REPORT_MAX]; /* reports are at most REPORT_MAX bytes: one always fits */
    size_t len;
    int done;
} worker;

/* Handles one report line from a worker. */
typedef struct compacted {
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX]; /* new directory per shard, "" = unchanged */
} compacted;

/* Handles one report (type and NUL-terminated fields, see report()). */
static void handle_report(const run_opts *o, const char *rec, size_t len, run_stats *st,
                          int *first_status, char **first_error, compacted *cp)
{
    const char *field[6] = {"", "", "", "", "", ""};
    size_t n = 0;
    for (const char *p = rec, *end = rec + len; p < end && n < 6; n++) {
        field[n] = p;
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        if (!nul)
            return; /* a cut report: never from a worker of ours */
        p = nul + 1;
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
        if (o->verbose) {
            sh_fputs_visible(field[5], stderr);
            fprintf(stderr, ": %s, %s passages, %s\n", field[1], field[2], field[4]);
        }
        break;
    case 'W':
    case 'N': /* W: the file was skipped; N: it was indexed, with a caveat */
        if (n >= 3) {
            fputs("shiryo-index: warning: ", stderr);
            sh_fputs_visible(field[1], stderr);
            fprintf(stderr, ": %s\n", field[2]);
        }
        st->skipped += field[0][0] == 'W';
        break;
    case 'K': /* every passage is committed: the shard is only larger and slower than it could be */
        if (n >= 4) {
            int status = atoi(field[1]);
            fprintf(stderr, "shiryo-index: warning: index %s: shard %s not compacted (%s); every "
                    "passage is committed and searchable, and the next run compacts it%s\n",
                    o->index_dir, field[2], field[3],
                    status == SH_ERR_NOSPACE ? ": free space on the disk that holds the index"
                                             : "");
        }
        break;
    case 'C': {
        unsigned long k = n >= 3 ? strtoul(field[1], NULL, 10) : RUN_MAX_SHARDS;
        if (k < RUN_MAX_SHARDS && ixdir_is_shard_name(field[2]) &&
            strlen(field[2]) < SHARD_NAME_MAX)
            copy_name(cp->names[k], field[2]);
        break;
    }
    case 'R':
        if (n >= 2)
            st->removed += strtoul(field[1], NULL, 10);
        break;
    case 'E':
        if (n >= 3 && !*first_error) {
            *first_status = atoi(field[1]);
            *first_error = strdup(field[2]);
        }
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

/* Set by SIGINT, SIGTERM and SIGHUP during the run: the parent stops the workers (whose
 * uncommitted batches are discarded), says where the index stands and exits. */
static volatile sig_atomic_t run_interrupted;

static void on_signal(int sig)
{
    run_interrupted = sig;
}

/* Reads worker reports until every worker has closed its pipe. */
static void gather(const run_opts *o, worker *w, unsigned n, size_t total_files, run_stats *st,
                   int *first_status, char **first_error, compacted *cp)
{
    struct pollfd pfd[RUN_MAX_SHARDS];
    double started = now_seconds(), last = 0;
    unsigned open_pipes = n;
    int stopped = 0;
    while (open_pipes > 0) {
        if (run_interrupted && !stopped) {
            for (unsigned k = 0; k < n; k++)
                kill(w[k].pid, SIGTERM);
            stopped = 1;
        }
        for (unsigned k = 0; k < n; k++) {
            pfd[k].fd = w[k].done ? -1 : w[k].fd;
            pfd[k].events = POLLIN;
        }
        if (poll(pfd, n, 200) < 0 && errno != EINTR)
            break;
        for (unsigned k = 0; k < n; k++) {
            if (w[k].done || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(w[k].fd, w[k].buf + w[k].len, sizeof w[k].buf - w[k].len);
            if (r <= 0) {
                if (r < 0 && errno == EINTR)
                    continue;
                w[k].done = 1;
                open_pipes--;
                continue;
            }
            w[k].len += (size_t)r;
            size_t at = 0;
            uint32_t len;
            while (w[k].len - at >= 4 && (memcpy(&len, w[k].buf + at, 4), 1) &&
                   w[k].len - at - 4 >= len) {
                handle_report(o, w[k].buf + at + 4, len, st, first_status, first_error, cp);
                at += 4 + (size_t)len;
            }
            w[k].len -= at;
            memmove(w[k].buf, w[k].buf + at, w[k].len);
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

/* Opens (creating) every shard and commits it, so that the stub written next lists only
 * databases that exist. */
static int open_shards(const run_opts *o, const sh_seg *seg, char names[][SHARD_NAME_MAX],
                       unsigned nshards, char **errmsg)
{
    int rc = SH_OK;
    for (unsigned k = 0; k < nshards && !rc; k++) {
        char shard[4200];
        path_in(shard, sizeof shard, o->index_dir, names[k]);
        xap_wdb *wdb = NULL;
        rc = xap_wdb_open(shard, (o->rebuild ? XAP_OPEN_CREATE_OR_OVERWRITE : XAP_OPEN_CREATE_OR_OPEN) |
                                     XAP_OPEN_NO_TERMLIST, &wdb, errmsg);
        if (!rc)
            rc = mark_new_shard(wdb, seg, o->index_dir, errmsg);
        if (!rc)
            rc = xap_wdb_commit(wdb, errmsg);
        xap_wdb_destroy(wdb);
    }
    return rc;
}

/* run_index with MeCab open (seg): only for its dictionary's identity, which new shards
 * record. */
static int run_index_with(const run_opts *o, const sh_seg *seg, char *const *roots,
                          size_t nroots, const walk_list *files, run_stats *st, char **errmsg)
{
    const char *dir = o->index_dir;
    /* Every path inside the index (shardK.gN/file, the stub, the lock) must fit the fixed
     * buffers below: a longer directory name is refused rather than truncated. */
    if (strlen(dir) > RUN_INDEX_DIR_MAX)
        return sh_fail(errmsg, SH_ERR_INVALID, "index directory name is %zu bytes long, longer than "
                       "%d: give a shorter --index", strlen(dir), RUN_INDEX_DIR_MAX);
    int rc = check_index_dir(dir, errmsg);
    if (rc)
        return rc;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return sh_fail(errmsg, sh_errno_status(errno), "index %s: cannot create the directory: "
                       "%s: %s", dir, strerror(errno),
                       errno == EACCES ? "give an --index directory you may write"
                                       : "check the path and the disk");
    int lock_fd = -1;
    rc = take_lock(dir, &lock_fd, errmsg);
    if (rc)
        return rc == SH_ERR_LOCKED ? rc : index_failure(errmsg, rc, dir);
    /* Under the lock: a directory of ours that does not open is repaired by --rebuild (shards,
     * stub and flags cleared, whatever state they are in) and refused otherwise. */
    rc = check_index_open(dir, errmsg);
    if (rc && o->rebuild && rc != SH_ERR_PERM && rc != SH_ERR_LOCKED && rc != SH_ERR_NOMEM)
        rc = ixdir_clear(dir, errmsg);
    if (!rc)
        rc = ixdir_write_marker(dir, errmsg);
    if (rc) {
        release_lock(lock_fd);
        return index_failure(errmsg, rc, dir);
    }
    char names[RUN_MAX_SHARDS][SHARD_NAME_MAX];
    unsigned nshards = o->rebuild ? 0 : ixdir_read_stub(dir, names, RUN_MAX_SHARDS);
    if (nshards == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        nshards = o->jobs ? o->jobs : (unsigned)(cores < 1 ? 1 : cores > 4 ? 4 : cores);
        if (nshards > RUN_MAX_SHARDS)
            nshards = RUN_MAX_SHARDS;
        for (unsigned k = 0; k < nshards; k++)
            snprintf(names[k], SHARD_NAME_MAX, "shard%u", k);
    }
    if (o->rebuild) {
        /* A rebuild never overwrites a shard the stub lists: killed midway, it would leave the
         * listed shard half-written. A listed name moves on to its next generation, so the old
         * shards serve readers (and a run after a kill) until the new stub replaces them. */
        char listed[RUN_MAX_SHARDS][SHARD_NAME_MAX];
        unsigned nlisted = ixdir_read_stub(dir, listed, RUN_MAX_SHARDS);
        for (unsigned k = 0; k < nshards; k++)
            for (unsigned j = 0; j < nlisted; j++)
                if (strcmp(names[k], listed[j]) == 0) {
                    next_generation(listed[j], names[k], SHARD_NAME_MAX);
                    j = (unsigned)-1; /* the new name may be listed too: look again */
                }
    }
    remove_unlisted_shards(dir);
    /* Every shard exists (empty when new or rebuilt) and the stub lists them before any worker
     * starts: readers and a run after a kill always find a complete index. */
    rc = open_shards(o, seg, names, nshards, errmsg);
    if (!rc)
        rc = ixdir_write_stub(dir, names, nshards, errmsg);
    if (!rc)
        remove_unlisted_shards(dir); /* a rebuild with fewer shards */
    if (rc) {
        release_lock(lock_fd);
        return index_failure(errmsg, rc, dir);
    }
    run_opts worker_opts = *o;
    worker_opts.rebuild = 0; /* the shards were started over above */
    o = &worker_opts;
    worker w[RUN_MAX_SHARDS];
    memset(w, 0, sizeof w);
    unsigned started = 0;
    pid_t parent = getpid();
    struct sigaction sa, old[3];
    static const int signals[3] = {SIGINT, SIGTERM, SIGHUP};
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    run_interrupted = 0;
    for (int i = 0; i < 3; i++)
        sigaction(signals[i], &sa, &old[i]);
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
            /* A worker dies with its parent: a killed run must not leave writers behind. A
             * signal kills it outright: its batch is not committed, the shard stays at its last
             * commit. */
            for (int i = 0; i < 3; i++)
                sigaction(signals[i], &old[i], NULL);
            signal(SIGTERM, SIG_DFL);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                _exit(2);
            close(fds[0]);
            for (unsigned j = 0; j < started; j++)
                close(w[j].fd);
            /* lock_fd stays open: the directory stays locked until this worker is gone too,
             * even when the parent is killed first (take_lock waits for such workers). */
            worker_main(o, k, names[k], nshards, roots, nroots, files, fds[1]);
        }
        close(fds[1]);
        w[k].pid = pid;
        w[k].fd = fds[0];
        started++;
    }
    char *first_error = NULL;
    int first_status = SH_ERR;
    compacted cp;
    memset(&cp, 0, sizeof cp);
    gather(o, w, started, files->n, st, &first_status, &first_error, &cp);
    int worker_failed = 0;
    for (unsigned k = 0; k < started; k++) {
        int status = 0;
        while (waitpid(w[k].pid, &status, 0) < 0 && errno == EINTR)
            ;
        close(w[k].fd);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            worker_failed = 1;
    }
    int interrupted = run_interrupted;
    for (int i = 0; i < 3; i++)
        sigaction(signals[i], &old[i], NULL);
    /* Switch readers to the compacted shards in one step (the stub's rename), then drop the old
     * ones; a reader that opened them keeps its open files. Shards whose worker failed were not
     * compacted; the others are complete and switch all the same. */
    int switched = 0;
    for (unsigned k = 0; k < nshards && !rc; k++)
        if (cp.names[k][0]) {
            copy_name(names[k], cp.names[k]);
            switched = 1;
        }
    if (switched && !rc) {
        rc = ixdir_write_stub(dir, names, nshards, errmsg);
        if (rc)
            index_failure(errmsg, rc, dir);
        else
            remove_unlisted_shards(dir);
    }
    if (!rc && interrupted)
        rc = sh_fail(errmsg, SH_ERR, "interrupted (%s): index %s is intact at its last commit: "
                     "run shiryo-index again to complete it", strsignal(interrupted), dir);
    else if (!rc && worker_failed) {
        rc = sh_fail(errmsg, first_error ? first_status : SH_ERR, "%s",
                     first_error ? first_error : "an indexing worker died");
        index_failure(errmsg, rc, dir);
    }
    free(first_error);
    release_lock(lock_fd);
    return rc;
}

int run_index(const run_opts *o, char *const *roots, size_t nroots, const walk_list *files,
              run_stats *st, char **errmsg)
{
    /* Opened before anything touches the index (a few ms: the dictionary is mapped), so that a
     * missing dictionary is reported as such, saying what to install, and leaves nothing. */
    sh_seg *seg = NULL;
    int rc = sh_seg_open(NULL, &seg, errmsg);
    if (!rc)
        rc = run_index_with(o, seg, roots, nroots, files, st, errmsg);
    sh_seg_close(seg);
    return rc;
}
