/* prover.c — candidates of a count proven on several threads (see prover.h). Each thread has its
 * own inflater, normalizer and buffers; the proof tree and highlights are only read. */
#include "prover.h"

#include "verify.h"

#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/passrec.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"
#include "shiryo/xap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Records per batch: enough that a thread's start is a small part of its work (a record takes
 * 10-20 µs), few enough that the packed records of a batch stay small. */
#define PROVER_BATCH 512
/* A batch smaller than this is proven on the calling thread alone. */
#define PROVER_MIN_PARALLEL 64
#define PROVER_MAX_THREADS 8

typedef struct prover_item {
    unsigned id;
    char *packed;
    size_t len;
} prover_item;

typedef struct prover_worker {
    prover *owner;
    sh_norm *norm;
    sh_normtext nt;
    xap_inflater *inflater;
    size_t proven, mentions;
    size_t *form_mentions;   /* per highlight */
    int rc;
    char *err;
    pthread_t thread;
} prover_worker;

struct prover {
    const qbuild_result *q;
    const char *where;
    prover_item items[PROVER_BATCH];
    size_t nitems;
    atomic_size_t next;      /* the batch's next item to prove: each worker takes the next one */
    prover_worker workers[PROVER_MAX_THREADS];
    unsigned max_workers;    /* opened */
};

size_t prover_occurrences(const qbuild_result *q, const char *text, size_t len,
                          size_t *form_mentions)
{
    size_t n = 0;
    for (size_t h = 0; h < q->nhighlights; h++) {
        size_t one = verify_occurrences(text, len, q->highlights[h], strlen(q->highlights[h]));
        n += one;
        if (form_mentions)
            form_mentions[h] += one;
    }
    return n;
}

int prover_decode(char *rec, size_t len, const char *where, const char *fields[PF_COUNT],
                  char **errmsg)
{
    if (sh_passrec_decode(rec, len, fields) != SH_OK)
        return sh_fail(errmsg, SH_ERR_CORRUPT, "%s holds a passage record this shiryo cannot "
                       "read: re-index with shiryo-index --rebuild", where);
    return SH_OK;
}

int prover_new(const qbuild_result *q, unsigned nthreads, const char *where, prover **out,
               char **errmsg)
{
    *out = NULL;
    prover *p = calloc(1, sizeof *p);
    if (!p)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    p->q = q;
    p->where = where;
    unsigned n = nthreads < 1 ? 1 : nthreads > PROVER_MAX_THREADS ? PROVER_MAX_THREADS : nthreads;
    int rc = SH_OK;
    for (unsigned w = 0; w < n && !rc; w++) {
        prover_worker *k = &p->workers[w];
        k->owner = p;
        p->max_workers = w + 1;
        rc = sh_norm_open(&k->norm, errmsg);
        if (!rc)
            rc = xap_inflater_new(&k->inflater, errmsg);
        if (!rc && q->nhighlights &&
            !(k->form_mentions = calloc(q->nhighlights, sizeof *k->form_mentions)))
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    if (rc) {
        prover_free(p);
        return rc;
    }
    *out = p;
    return SH_OK;
}

void prover_free(prover *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nitems; i++)
        free(p->items[i].packed);
    for (unsigned w = 0; w < p->max_workers; w++) {
        prover_worker *k = &p->workers[w];
        sh_norm_close(k->norm);
        sh_normtext_free(&k->nt);
        xap_inflater_destroy(k->inflater);
        free(k->form_mentions);
        free(k->err);
    }
    free(p);
}

/* One candidate: inflated, its text normalized and proven; mentions counted if it passes. */
static int prove_one(prover_worker *k, const prover_item *it)
{
    const qbuild_result *q = k->owner->q;
    char *rec = NULL;
    size_t len = 0;
    int rc = xap_inflater_run(k->inflater, it->packed, it->len, &rec, &len, &k->err);
    const char *f[PF_COUNT];
    if (!rc)
        rc = prover_decode(rec, len, k->owner->where, f, &k->err);
    if (!rc)
        rc = sh_norm_plain(k->norm, f[PF_TEXT], strlen(f[PF_TEXT]), &k->nt, &k->err);
    if (!rc && verify_match(q->verify, k->nt.text, k->nt.len, it->id)) {
        k->proven++;
        k->mentions += prover_occurrences(q, k->nt.text, k->nt.len, k->form_mentions);
    }
    free(rec);
    return rc;
}

static void *work(void *arg)
{
    prover_worker *k = arg;
    prover *p = k->owner;
    while (!k->rc) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->nitems)
            break;
        k->rc = prove_one(k, &p->items[i]);
    }
    return NULL;
}

/* Proves the batch: this thread and up to max_workers - 1 others take its items one by one (a
 * thread that cannot start leaves its share to the others). */
static int run_batch(prover *p, char **errmsg)
{
    atomic_store(&p->next, 0);
    unsigned want = p->nitems < PROVER_MIN_PARALLEL ? 1 : p->max_workers, started = 1;
    while (started < want &&
           pthread_create(&p->workers[started].thread, NULL, work, &p->workers[started]) == 0)
        started++;
    work(&p->workers[0]);
    for (unsigned w = 1; w < started; w++)
        pthread_join(p->workers[w].thread, NULL);
    int rc = SH_OK;
    for (unsigned w = 0; w < started && !rc; w++)
        if (p->workers[w].rc) {
            rc = p->workers[w].rc;
            if (errmsg) {
                free(*errmsg);
                *errmsg = p->workers[w].err;
                p->workers[w].err = NULL;
            }
        }
    for (size_t i = 0; i < p->nitems; i++)
        free(p->items[i].packed);
    p->nitems = 0;
    return rc;
}

int prover_add(prover *p, unsigned id, char *packed, size_t len, char **errmsg)
{
    p->items[p->nitems++] = (prover_item){id, packed, len};
    return p->nitems == PROVER_BATCH ? run_batch(p, errmsg) : SH_OK;
}

int prover_finish(prover *p, size_t *proven, size_t *mentions, size_t *form_mentions,
                  char **errmsg)
{
    int rc = p->nitems ? run_batch(p, errmsg) : SH_OK;
    for (unsigned w = 0; w < p->max_workers && !rc; w++) {
        prover_worker *k = &p->workers[w];
        *proven += k->proven;
        *mentions += k->mentions;
        for (size_t h = 0; form_mentions && h < p->q->nhighlights; h++)
            form_mentions[h] += k->form_mentions[h];
        k->proven = k->mentions = 0;
        if (k->form_mentions)
            memset(k->form_mentions, 0, p->q->nhighlights * sizeof *k->form_mentions);
    }
    return rc;
}
