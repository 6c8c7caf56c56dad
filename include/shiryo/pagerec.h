/* pagerec.h — the page record (a metadata value under META_PAGE_PREFIX + page key; fields in
 * schema.h enum page_record_field): encoded by the indexer, decoded by the indexer (updates,
 * pruning) and the query side, here and nowhere else. */
#ifndef SHIRYO_PAGEREC_H
#define SHIRYO_PAGEREC_H

#include "shiryo/buf.h"
#include "shiryo/schema.h"

#include <stddef.h>

/* What the indexer stores of one page (file). */
typedef struct sh_pagerec {
    const char *path;               /* any bytes: stored escaped (recfield.h) */
    const char *hash;               /* content hash, hex */
    size_t passages;
    const char *title, *material;
    int page_no;                    /* <= 0: none (stored as "") */
    const char *url, *source, *meeting, *session, *date, *publisher, *joint;
    unsigned first_docid, last_docid; /* the shard-local docids of its passages; 0: none */
} sh_pagerec;

/* Replaces b's contents with the metadata key of the page record of page_key.
 * SH_OK or SH_ERR_NOMEM. */
int sh_pagerec_key(sh_buf *b, const char *page_key);

/* Replaces b's contents with the record of r. No string field but the path may hold '\n'.
 * SH_OK or SH_ERR_NOMEM. */
int sh_pagerec_encode(sh_buf *b, const sh_pagerec *r);

/* Splits rec (len bytes, writable, NUL-terminated at len) into its fields in place, the path
 * decoded; fields[f] for every f < PR_COUNT is then a string ("" when missing). SH_OK, or
 * SH_ERR_CORRUPT when rec is not a page record of this schema (fields missing, wrong magic). */
int sh_pagerec_decode(char *rec, size_t len, const char *fields[PR_COUNT]);

/* Reads a PR_DOCIDS field ("first-last"): SH_OK with both set, or SH_ERR_CORRUPT with both 0
 * when it names none. */
int sh_pagerec_docids(const char *field, unsigned *first, unsigned *last);

#endif
