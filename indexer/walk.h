/* walk.h — finds the files to index: named files as they are, directories recursively (*.txt),
 * following symlinks but never looping; a file is known by the path it was found at. Owns traversal only; reading is textfile.c's job. */
#ifndef SHIRYO_WALK_H
#define SHIRYO_WALK_H

#include <stddef.h>

/* Called for each problem met on the way (unreadable directory, dangling link, loop);
 * the walk goes on. */
typedef void (*walk_warn_fn)(void *ctx, const char *path, const char *message);

typedef struct walk_list {
    char **paths;   /* absolute paths as found (a folder given resolved, then the names met under
                     * it, links included, not followed to their targets), sorted, distinct */
    size_t n;
} walk_list;

/* Collects the files under roots. SH_OK (possibly with zero files), SH_ERR_NOTFOUND when a
 * root does not exist (message names it), SH_ERR_NOMEM. */
int walk_collect(char *const *roots, size_t nroots, walk_list *out, walk_warn_fn warn, void *ctx,
                 char **errmsg);
void walk_list_free(walk_list *list);

#endif
