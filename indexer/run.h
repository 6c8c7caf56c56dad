/* run.h — one indexing run over an index directory: takes the directory lock (naming the pid of
 * the writer that holds it), lays the index out as shards behind a Xapian stub, forks one worker
 * per shard (both cores busy) and gathers their reports. Files → shards is fixed by path. */
#ifndef SHIRYO_RUN_H
#define SHIRYO_RUN_H

#include <stddef.h>

#include "walk.h"

#define RUN_MAX_SHARDS 16

typedef struct run_opts {
    const char *index_dir;
    int rebuild;
    int prune;            /* drop files gone from the folders given */
    int verbose;          /* one line per file on stderr */
    int progress;         /* progress line on stderr (a terminal) */
    unsigned jobs;        /* shards for a new or rebuilt index; 0 = one per core (max 4) */
} run_opts;

typedef struct run_stats {
    size_t added, updated, unchanged, skipped, removed, passages, bytes;
} run_stats;

/* Indexes files (the walk of roots) into opts->index_dir. Per-file problems are warnings
 * (counted in stats->skipped). Returns SH_OK, or an error with one line in *errmsg: the
 * directory is locked by another run (SH_ERR_LOCKED, naming its pid), is not a shiryo index
 * (SH_ERR_CORRUPT), or a worker failed. */
int run_index(const run_opts *opts, char *const *roots, size_t nroots, const walk_list *files,
              run_stats *stats, char **errmsg);

#endif
