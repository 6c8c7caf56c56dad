/* ixdir.h — the layout of an index directory, shared by the indexer and the query: the marker
 * that says shiryo made it, the stub listing its shards, the shard names, and --check. */
#ifndef SHIRYO_IXDIR_H
#define SHIRYO_IXDIR_H

#include "shiryo/xap.h"

#include <stddef.h>

#define IXDIR_MARKER "SHIRYO"            /* written when shiryo-index creates the directory */
#define IXDIR_STUB "XAPIANDB"            /* Xapian stub: one "auto shardK[.gN]" line per shard */
#define IXDIR_LOCK "shiryo-index.lock"   /* the writer's lock (flock), naming its pid */
#define IXDIR_COMPACT_SUFFIX ".compact"  /* shardK.compact: that shard still wants compacting */
#define IXDIR_NAME_MAX 64
#define IXDIR_MAX_SHARDS 16

/* What a directory given as --index is. */
enum ixdir_kind {
    IXDIR_MISSING = 0, /* nothing there yet */
    IXDIR_EMPTY,       /* an empty directory (or one holding only our lock file) */
    IXDIR_OURS,        /* it holds the marker: shiryo made it, whatever state it is in */
    IXDIR_OURS_LEGACY, /* no marker, but only shiryo's names: an index from before the marker */
    IXDIR_FOREIGN,     /* anything else: never touched */
    IXDIR_NOTDIR,      /* a file, not a directory */
    IXDIR_UNREADABLE   /* this user may not list it */
};

/* Classifies dir (see enum ixdir_kind). The legacy rule: every entry is the stub, the lock, a
 * compaction flag or a shard directory ("shardK" or "shardK.gN") holding only plain files, and
 * there is at least one shard directory or the lock file. */
int ixdir_kind(const char *dir);

/* Is name "shardK" or "shardK.gN" (a compacted generation)? */
int ixdir_is_shard_name(const char *name);

/* Reads the shard names the stub lists, at most max (0 when there is no stub or it lists none
 * of our names). */
unsigned ixdir_read_stub(const char *dir, char names[][IXDIR_NAME_MAX], unsigned max);

/* Replaces the stub with one listing names[0..n-1], atomically (a temporary file renamed over
 * it): readers see the old list or the new one. */
int ixdir_write_stub(const char *dir, char names[][IXDIR_NAME_MAX], unsigned n, char **errmsg);

/* Opens the index at dir read-only: the shards its stub lists as one database, or dir itself
 * when it has no stub that lists one (errors as xap_db_open). The one reader of the stub for
 * opening: the shim opens the paths it is given. */
int ixdir_open(const char *dir, xap_db **db, char **errmsg);

/* Writes the marker into dir (SH_OK if it is already there). */
int ixdir_write_marker(const char *dir, char **errmsg);

/* Removes one shard directory of ours (its files, then itself); a missing one is fine. */
void ixdir_remove_shard(const char *dir, const char *name);

/* Removes every shard directory, the stub and the compaction flags: what --rebuild does to a
 * directory of ours that cannot be opened. The marker and the lock stay. */
int ixdir_clear(const char *dir, char **errmsg);

/* Reports what is wrong with the index at dir without changing anything: one call of problem()
 * per finding (a line naming the part at fault), Xapian's own check of every shard. Sets
 * *problems to their number. SH_OK when the check could run (even with problems found). */
typedef void (*ixdir_problem_fn)(void *ctx, const char *message);
int ixdir_check(const char *dir, ixdir_problem_fn problem, void *ctx, size_t *problems,
                unsigned *shards, char **errmsg);

/* --check of both programs: runs ixdir_check and prints each problem, then one summary line
 * with what to do, on out. Returns 0 (sound), 1 (problems found) or 2 (the check could not
 * run: *errmsg says why). */
#include <stdio.h>
int ixdir_check_print(const char *dir, FILE *out, char **errmsg);

#endif
