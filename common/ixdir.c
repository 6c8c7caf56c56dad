/* ixdir.c — the index directory's layout: the marker, the stub and shard names, recognising the
 * directories shiryo made (and refusing the rest), clearing them for a rebuild, and --check. */
#include "shiryo/ixdir.h"

#include "shiryo/diag.h"
#include "shiryo/status.h"
#include "shiryo/visible.h"
#include "shiryo/xap.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char marker_text[] =
    "This directory is a shiryo index, made by shiryo-index. shiryo-index --rebuild may\n"
    "replace everything in it.\n";

int ixdir_is_shard_name(const char *name)
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

/* shardK[.gN].compact */
static int is_compact_flag(const char *name)
{
    size_t len = strlen(name), sfx = strlen(IXDIR_COMPACT_SUFFIX);
    char base[IXDIR_NAME_MAX];
    if (len <= sfx || len - sfx >= sizeof base || strcmp(name + len - sfx, IXDIR_COMPACT_SUFFIX))
        return 0;
    memcpy(base, name, len - sfx);
    base[len - sfx] = '\0';
    return ixdir_is_shard_name(base);
}

/* dir/name into out; a path too long for out is cut (and then names nothing of ours). */
static int join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < cap;
}

unsigned ixdir_read_stub(const char *dir, char names[][IXDIR_NAME_MAX], unsigned max)
{
    char path[4200];
    join(path, sizeof path, dir, IXDIR_STUB);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    unsigned n = 0;
    char line[512];
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *name = line + 5;
        if (strncmp(line, "auto ", 5) == 0 && ixdir_is_shard_name(name) &&
            strlen(name) < IXDIR_NAME_MAX)
            memcpy(names[n++], name, strlen(name) + 1);
    }
    fclose(f);
    return n;
}

int ixdir_write_stub(const char *dir, char names[][IXDIR_NAME_MAX], unsigned n, char **errmsg)
{
    char path[4200], tmp[4300];
    join(path, sizeof path, dir, IXDIR_STUB);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return sh_fail(errmsg, sh_errno_status(errno), "%s: %s", tmp, strerror(errno));
    int ok = 1;
    for (unsigned k = 0; k < n; k++)
        ok = ok && fprintf(f, "auto %s\n", names[k]) > 0;
    if (fclose(f) != 0 || !ok || rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        return sh_fail(errmsg, sh_errno_status(err), "%s: %s", path, strerror(err));
    }
    return SH_OK;
}

int ixdir_open(const char *dir, xap_db **db, char **errmsg)
{
    char names[IXDIR_MAX_SHARDS][IXDIR_NAME_MAX];
    unsigned n = ixdir_read_stub(dir, names, IXDIR_MAX_SHARDS);
    if (n == 0) /* one database, or not ours: Xapian says what it is */
        return xap_db_open(dir, db, errmsg);
    char paths[IXDIR_MAX_SHARDS][4200 + IXDIR_NAME_MAX];
    const char *shards[IXDIR_MAX_SHARDS];
    for (unsigned k = 0; k < n; k++) {
        join(paths[k], sizeof paths[k], dir, names[k]);
        shards[k] = paths[k];
    }
    return xap_db_open_shards(dir, shards, n, db, errmsg);
}

/* A shard directory of the legacy layout holds plain files only (Xapian's tables). */
static int holds_only_files(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int ok = 1;
    struct dirent *ent;
    while (ok && (ent = readdir(d))) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        char file[4200 + 260];
        struct stat st;
        join(file, sizeof file, path, ent->d_name);
        ok = lstat(file, &st) == 0 && S_ISREG(st.st_mode);
    }
    closedir(d);
    return ok;
}

int ixdir_kind(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return errno == ENOENT ? IXDIR_MISSING
                               : errno == EACCES ? IXDIR_UNREADABLE : IXDIR_FOREIGN;
    if (!S_ISDIR(st.st_mode))
        return IXDIR_NOTDIR;
    DIR *d = opendir(dir);
    if (!d)
        return errno == EACCES ? IXDIR_UNREADABLE : IXDIR_FOREIGN;
    int marker = 0, foreign = 0, shards = 0, lock = 0, entries = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        const char *name = ent->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        entries++;
        char path[4200];
        join(path, sizeof path, dir, name);
        if (!strcmp(name, IXDIR_MARKER))
            marker = 1;
        else if (!strcmp(name, IXDIR_LOCK))
            lock = 1;
        else if (ixdir_is_shard_name(name) && lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
                 holds_only_files(path))
            shards++;
        else if (strcmp(name, IXDIR_STUB) && strcmp(name, IXDIR_STUB ".tmp") &&
                 !is_compact_flag(name))
            foreign = 1;
    }
    closedir(d);
    if (marker)
        return IXDIR_OURS;
    if (entries == lock)
        return IXDIR_EMPTY;
    return !foreign && (shards || lock) ? IXDIR_OURS_LEGACY : IXDIR_FOREIGN;
}

int ixdir_write_marker(const char *dir, char **errmsg)
{
    char path[4200];
    join(path, sizeof path, dir, IXDIR_MARKER);
    if (access(path, F_OK) == 0)
        return SH_OK;
    FILE *f = fopen(path, "w");
    int ok = f && fputs(marker_text, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        return sh_fail(errmsg, errno == ENOSPC ? SH_ERR_NOSPACE
                               : errno == EACCES ? SH_ERR_PERM : SH_ERR_IO,
                       "%s: cannot write: %s", path, strerror(errno));
    return SH_OK;
}

void ixdir_remove_shard(const char *dir, const char *name)
{
    char shard[4200];
    if (!join(shard, sizeof shard, dir, name))
        return; /* a cut path names some other directory: never remove it */
    DIR *d = opendir(shard);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        char file[4200 + 260];
        if (join(file, sizeof file, shard, ent->d_name))
            unlink(file);
    }
    closedir(d);
    rmdir(shard);
}

int ixdir_clear(const char *dir, char **errmsg)
{
    DIR *d = opendir(dir);
    if (!d)
        return sh_fail(errmsg, errno == EACCES ? SH_ERR_PERM : SH_ERR_IO, "%s: %s", dir,
                       strerror(errno));
    struct dirent *ent;
    char (*names)[IXDIR_NAME_MAX] = NULL;
    size_t n = 0, cap = 0;
    int rc = SH_OK;
    while (!rc && (ent = readdir(d))) {
        const char *name = ent->d_name;
        if ((ixdir_is_shard_name(name) || is_compact_flag(name) || !strcmp(name, IXDIR_STUB) ||
             !strcmp(name, IXDIR_STUB ".tmp")) && strlen(name) < IXDIR_NAME_MAX) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                void *grown = realloc(names, cap * sizeof *names);
                if (!grown) {
                    rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
                    break;
                }
                names = grown;
            }
            memcpy(names[n++], name, strlen(name) + 1);
        }
    }
    closedir(d);
    for (size_t i = 0; i < n && !rc; i++) {
        char path[4200];
        join(path, sizeof path, dir, names[i]);
        if (ixdir_is_shard_name(names[i]))
            ixdir_remove_shard(dir, names[i]);
        else if (unlink(path) != 0 && errno != ENOENT)
            rc = sh_fail(errmsg, errno == EACCES ? SH_ERR_PERM : SH_ERR_IO,
                         "%s: cannot remove: %s", path, strerror(errno));
        if (!rc && ixdir_is_shard_name(names[i]) && access(path, F_OK) == 0)
            rc = sh_fail(errmsg, SH_ERR_IO, "%s: cannot remove: %s", path, strerror(errno));
    }
    free(names);
    return rc;
}

/* Formats one finding and hands it to the caller. */
static void found(ixdir_problem_fn problem, void *ctx, size_t *problems, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void found(ixdir_problem_fn problem, void *ctx, size_t *problems, const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    (*problems)++;
    if (problem)
        problem(ctx, line);
}

int ixdir_check(const char *dir, ixdir_problem_fn problem, void *ctx, size_t *problems,
                unsigned *shards, char **errmsg)
{
    *problems = 0;
    *shards = 0;
    switch (ixdir_kind(dir)) {
    case IXDIR_MISSING:
        return sh_fail(errmsg, SH_ERR_NOTFOUND, "no index at %s: nothing to check", dir);
    case IXDIR_NOTDIR:
        return sh_fail(errmsg, SH_ERR_INVALID, "%s is not a directory: give the index directory",
                       dir);
    case IXDIR_UNREADABLE:
        return sh_fail(errmsg, SH_ERR_PERM, "index %s: permission denied: run the check as a "
                       "user who may read it", dir);
    case IXDIR_EMPTY:
        return sh_fail(errmsg, SH_ERR_NOTFOUND, "index %s is empty: nothing to check", dir);
    case IXDIR_FOREIGN:
        return sh_fail(errmsg, SH_ERR_CORRUPT, "%s is not a shiryo index (no %s marker, and it "
                       "holds other files)", dir, IXDIR_MARKER);
    default:
        break;
    }
    char names[IXDIR_MAX_SHARDS][IXDIR_NAME_MAX];
    unsigned n = ixdir_read_stub(dir, names, IXDIR_MAX_SHARDS);
    char path[4200];
    join(path, sizeof path, dir, IXDIR_STUB);
    if (access(path, F_OK) == 0 && access(path, R_OK) != 0)
        return sh_fail(errmsg, SH_ERR_PERM, "index %s: permission denied reading %s: run the "
                       "check as a user who may read the index", dir, path);
    if (n == 0)
        found(problem, ctx, problems, "%s: %s", path,
              access(path, F_OK) == 0 ? "lists no shard (the stub is damaged)"
                                      : "missing (the stub that lists the shards)");
    *shards = n;
    for (unsigned k = 0; k < n; k++) {
        join(path, sizeof path, dir, names[k]);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            found(problem, ctx, problems, "%s: shard missing", path);
            continue;
        }
        if (access(path, R_OK | X_OK) != 0)
            return sh_fail(errmsg, SH_ERR_PERM, "index %s: permission denied reading %s: run the "
                           "check as a user who may read the index", dir, path);
        size_t errors = 0;
        char *why = NULL;
        int rc = xap_db_check(path, &errors, NULL, &why);
        if (rc == SH_ERR_NOMEM) {
            free(why);
            return sh_fail(errmsg, rc, "out of memory");
        }
        if (rc && why && strstr(why, path))
            found(problem, ctx, problems, "%s", why);
        else if (rc)
            found(problem, ctx, problems, "%s: %s", path, why ? why : sh_status_str(rc));
        else if (errors)
            found(problem, ctx, problems, "%s: Xapian's check found %zu error%s", path, errors,
                  errors == 1 ? "" : "s");
        free(why);
    }
    if (*problems == 0) {
        xap_db *db = NULL;
        char *why = NULL;
        unsigned docs = 0;
        int rc = ixdir_open(dir, &db, &why);
        if (!rc)
            rc = xap_db_doccount(db, &docs, &why);
        if (rc)
            found(problem, ctx, problems, "%s: does not open: %s", dir,
                  why ? why : sh_status_str(rc));
        free(why);
        xap_db_destroy(db);
    }
    return SH_OK;
}

static void print_problem(void *ctx, const char *message)
{
    FILE *out = ctx;
    fputs("problem: ", out);
    sh_fputs_visible(message, out);
    fputc('\n', out);
}

int ixdir_check_print(const char *dir, FILE *out, char **errmsg)
{
    size_t problems = 0;
    unsigned shards = 0;
    int rc = ixdir_check(dir, print_problem, out, &problems, &shards, errmsg);
    if (rc)
        return 2;
    if (problems == 0) {
        fprintf(out, "index %s is sound: %u shard%s checked, no problem found\n", dir, shards,
                shards == 1 ? "" : "s");
        return 0;
    }
    fprintf(out, "index %s: %zu problem%s found: repair it with shiryo-index --rebuild --index %s "
            "PATH...\n", dir, problems, problems == 1 ? "" : "s", dir);
    return 1;
}
