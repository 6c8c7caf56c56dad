/* walk.c — recursive directory traversal with loop detection by (device, inode) of the
 * directories on the current path. Results are sorted so document order is reproducible. */
#include "walk.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walker {
    walk_list *list;
    size_t cap;
    dir_id stack[256];  /* directories on the current path: a repeat is a symlink loop */
    size_t depth;
    walk_warn_fn warn;
    void *ctx;
} walker;

static void warn(walker *w, const char *path, const char *msg)
{
    if (w->warn)
        w->warn(w->ctx, path, msg);
}

/* Records a file under the path it was found at (a link keeps its own name, so removing the
 * link prunes the file); path is absolute: built from a resolved root. */
static int push_path(walker *w, const char *path)
{
    char *found = strdup(path);
    if (!found)
        return SH_ERR_NOMEM;
    char **paths = sh_array_grow(w->list->paths, &w->cap, w->list->n + 1, sizeof *paths);
    if (!paths) {
        free(found);
        return SH_ERR_NOMEM;
    }
    w->list->paths = paths;
    w->list->paths[w->list->n++] = found;
    return SH_OK;
}

static int has_txt_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && (strcmp(name + n - 4, ".txt") == 0 || strcmp(name + n - 4, ".TXT") == 0);
}

static int walk_dir(walker *w, const char *path, const struct stat *st)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino) {
            warn(w, path, "symbolic link loop, not followed");
            return SH_OK;
        }
    if (w->depth == sizeof w->stack / sizeof w->stack[0]) {
        warn(w, path, "directories nested too deep, not followed");
        return SH_OK;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        warn(w, path, strerror(errno));
        return SH_OK;
    }
    w->stack[w->depth].dev = st->st_dev;
    w->stack[w->depth].ino = st->st_ino;
    w->depth++;
    int rc = SH_OK;
    struct dirent *ent;
    while (!rc && (ent = readdir(dir)) != NULL) {
        if (ent->d_name[0] == '.')
            continue; /* ., .. and hidden entries (an index kept inside the folder, .git) */
        size_t len = strlen(path) + 1 + strlen(ent->d_name) + 1;
        char *child = malloc(len);
        if (!child) {
            rc = SH_ERR_NOMEM;
            break;
        }
        snprintf(child, len, "%s/%s", path, ent->d_name);
        struct stat cst;
        if (stat(child, &cst) != 0) {
            warn(w, child, strerror(errno));
        } else if (S_ISDIR(cst.st_mode)) {
            rc = walk_dir(w, child, &cst);
        } else if (S_ISREG(cst.st_mode) && has_txt_suffix(ent->d_name)) {
            rc = push_path(w, child);
        }
        free(child);
    }
    closedir(dir);
    w->depth--;
    return rc;
}

/* The absolute form of a root as given: a folder resolved (links and .. gone: it is the prefix
 * pruning compares), a file as its resolved folder plus its own name (a link named directly
 * stays the link). NULL with errno set on failure. */
static char *absolute_root(const char *root, int is_dir)
{
    if (is_dir)
        return realpath(root, NULL);
    const char *slash = strrchr(root, '/');
    const char *name = slash ? slash + 1 : root;
    char *parent = NULL;
    if (!slash)
        parent = realpath(".", NULL);
    else if (slash == root)
        parent = strdup("");
    else {
        char *head = strndup(root, (size_t)(slash - root));
        parent = head ? realpath(head, NULL) : NULL;
        free(head);
    }
    if (!parent)
        return NULL;
    size_t len = strlen(parent) + 1 + strlen(name) + 1;
    char *abs = malloc(len);
    if (abs)
        snprintf(abs, len, "%s/%s", strcmp(parent, "/") == 0 ? "" : parent, name);
    free(parent);
    return abs;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int walk_collect(char *const *roots, size_t nroots, walk_list *out, walk_warn_fn warn_fn,
                 void *ctx, char **errmsg)
{
    memset(out, 0, sizeof *out);
    walker w = {.list = out, .warn = warn_fn, .ctx = ctx};
    int rc = SH_OK;
    for (size_t i = 0; i < nroots && !rc; i++) {
        struct stat st;
        if (stat(roots[i], &st) != 0) {
            int err = errno;
            rc = sh_fail(errmsg, err == ENOENT ? SH_ERR_NOTFOUND : sh_errno_status(err),
                         "cannot index %s: %s: %s", roots[i], strerror(err),
                         err == ENOENT    ? "check the PATH given (nothing was indexed)"
                         : err == EACCES ? "give a PATH you may read (nothing was indexed)"
                                         : "nothing was indexed");
            break;
        }
        char *abs = absolute_root(roots[i], S_ISDIR(st.st_mode));
        if (!abs) {
            rc = errno == ENOMEM ? SH_ERR_NOMEM : SH_OK;
            if (!rc)
                warn(&w, roots[i], strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode))
            rc = walk_dir(&w, abs, &st);
        else
            rc = push_path(&w, abs);
        free(abs);
        if (rc == SH_ERR_NOMEM)
            sh_fail(errmsg, rc, "out of memory");
    }
    if (rc) {
        walk_list_free(out);
        return rc;
    }
    if (out->n > 1)
        qsort(out->paths, out->n, sizeof *out->paths, compare_paths);
    size_t kept = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (kept > 0 && strcmp(out->paths[kept - 1], out->paths[i]) == 0)
            free(out->paths[i]);
        else
            out->paths[kept++] = out->paths[i];
    }
    out->n = kept;
    return SH_OK;
}

void walk_list_free(walk_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++)
        free(list->paths[i]);
    free(list->paths);
    list->paths = NULL;
    list->n = 0;
}
