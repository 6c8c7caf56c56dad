/* index.h — writes pages into one shard of the Xapian index: one document per passage, page
 * records in the shard's metadata, batched atomic commits, unchanged files skipped by content
 * hash. Owns the writable database and the analyzer; the index directory, its lock and the
 * shard workers are run.c's. */
#ifndef SHIRYO_INDEX_H
#define SHIRYO_INDEX_H

#include <stddef.h>

typedef struct sh_indexer sh_indexer;

enum index_outcome { INDEX_ADDED = 1, INDEX_UPDATED, INDEX_UNCHANGED };

typedef struct index_file_result {
    int outcome;               /* enum index_outcome */
    size_t passages;           /* passages written (0 when unchanged) */
    size_t bytes;              /* bytes read */
    const char *encoding;      /* static encoding name */
    size_t replaced;           /* invalid UTF-8 sequences replaced by U+FFFD */
} index_file_result;

/* The shard (0..nshards-1) that holds path: a fixed function of the path, so a file is always
 * re-indexed, found unchanged or pruned in the same shard. */
unsigned sh_indexer_shard_of(const char *path, unsigned nshards);

/* Opens (creating) one shard's database in dir; rebuild=1 starts it over. Checks that an existing index
 * has this schema, ICU version and MeCab dictionary (SH_ERR_VERSION: "re-index with --rebuild").
 * SH_ERR_LOCKED when another writer holds it. */
int sh_indexer_open(const char *dir, int rebuild, sh_indexer **out, char **errmsg);

/* Indexes one file (an absolute path). Errors concerning only this file (unreadable, binary)
 * are returned with a message and leave the index untouched; the caller may go on. */
int sh_indexer_add_file(sh_indexer *ix, const char *path, index_file_result *res, char **errmsg);

/* Removes the passages and page records of indexed files under root (a directory, absolute
 * path) that are not in keep (sorted absolute paths). *removed receives the count. */
int sh_indexer_prune(sh_indexer *ix, const char *root, char *const *keep, size_t nkeep,
                     size_t *removed, char **errmsg);

/* The shard's replaced passages still stored (listed as deleted) and all its documents. */
int sh_indexer_deleted(sh_indexer *ix, unsigned long long *deleted, unsigned long long *docs,
                       char **errmsg);

/* The paths of every indexed file, sorted (*paths and each path malloc'd, caller frees). */
int sh_indexer_paths(sh_indexer *ix, char ***paths, size_t *n, char **errmsg);

/* Commits everything pending. Call before close; close alone discards the open batch. */
int sh_indexer_commit(sh_indexer *ix, char **errmsg);
void sh_indexer_close(sh_indexer *ix);

#endif
