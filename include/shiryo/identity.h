/* identity.h — what an index records of the analysis that built it (schema version, ICU
 * version, MeCab dictionary) and the one check of it, with one wording of a mismatch, for the
 * indexer (which records it in a new index) and the query side (which only compares). */
#ifndef SHIRYO_IDENTITY_H
#define SHIRYO_IDENTITY_H

#include "shiryo/seg.h"
#include "shiryo/xap.h"

#include <stddef.h>

/* Reads metadata key (malloc'd *value, "" with *len 0 when absent), or records it. */
typedef int (*sh_identity_get_fn)(void *ctx, const char *key, char **value, size_t *len,
                                  char **errmsg);
typedef int (*sh_identity_set_fn)(void *ctx, const char *key, const char *value, char **errmsg);

/* Who is checked, in the words of the messages. */
typedef struct sh_identity_target {
    const char *name;       /* the index (or part) as the user gave it */
    const char *reindex;    /* what to do on a mismatch, after "re-index ": "with shiryo-index
                             * --rebuild --index DIR PATH..." */
    const char *unrecorded; /* what to do when nothing is recorded (read-only checks) */
} sh_identity_target;

/* Compares what get reads with this build (seg: the dictionary; NULL leaves the dictionary
 * out). An entry not recorded is recorded through set, or, with set NULL, is SH_ERR_CORRUPT
 * "NAME is not a shiryo index (no WHAT recorded): UNRECORDED". A mismatch is SH_ERR_VERSION
 * "NAME was built with WHAT "stored" but this shiryo uses "ours": re-index REINDEX".
 * Errors of get and set are returned as they are. */
int sh_identity_check(const sh_seg *seg, sh_identity_get_fn get, sh_identity_set_fn set,
                      void *ctx, const sh_identity_target *target, char **errmsg);

/* sh_identity_check on a writable database, recording what is not recorded (not committed). */
int sh_identity_check_wdb(const sh_seg *seg, xap_wdb *wdb, const sh_identity_target *target,
                          char **errmsg);

#endif
