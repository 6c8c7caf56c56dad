/* prover.h — proves and counts candidates for --count on every core: the query thread fetches
 * each candidate's record as stored (one Xapian handle, one thread), and the records of a batch
 * are inflated, normalized, proven and their mentions counted on several threads at once. The
 * same proof as a printed list's (verify.h), local and remote shards alike. */
#ifndef SHIRYO_PROVER_H
#define SHIRYO_PROVER_H

#include "qbuild.h"

#include "shiryo/schema.h"

#include <stddef.h>

typedef struct prover prover;

/* A prover for q's proof and highlights, on up to nthreads threads (the caller's included; 1:
 * no other thread). where names the index in messages. */
int prover_new(const qbuild_result *q, unsigned nthreads, const char *where, prover **out,
               char **errmsg);
void prover_free(prover *p);

/* Adds candidate id's packed record (taken: freed by the prover); a full batch is proven at
 * once. */
int prover_add(prover *p, unsigned id, char *packed, size_t len, char **errmsg);

/* Proves what is left, then gives the totals: passages proven, their mentions, and per highlight
 * (form_mentions, may be NULL) the mentions of each. The totals accumulate over calls. */
int prover_finish(prover *p, size_t *proven, size_t *mentions, size_t *form_mentions,
                  char **errmsg);

/* rec (len bytes, of the index named where) split into its fields in place, or SH_ERR_CORRUPT
 * with the repair: the one reading of a proven candidate's record. */
int prover_decode(char *rec, size_t len, const char *where, const char *fields[PF_COUNT],
                  char **errmsg);

/* Mentions of q's highlights in normalized text, overlapping ones apart; per highlight into
 * form_mentions when given. The one count of mentions in a proven text. */
size_t prover_occurrences(const qbuild_result *q, const char *text, size_t len,
                          size_t *form_mentions);

#endif
