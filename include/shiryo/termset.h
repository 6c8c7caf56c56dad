/* termset.h — a list of terms with their wdf, made once and added to many documents: the terms
 * of a heading that every passage under it carries (the page title, a measure heading), so that
 * it is normalized and segmented once per page or measure rather than once per passage. */
#ifndef SHIRYO_TERMSET_H
#define SHIRYO_TERMSET_H

#include <stddef.h>

#include "shiryo/buf.h"
#include "shiryo/xap.h"

typedef struct sh_termset {
    sh_buf bytes;               /* the terms, each NUL-terminated */
    struct sh_termset_entry { size_t at, len; unsigned wdf; } *items; /* wdf 0: boolean */
    size_t n, cap;
} sh_termset;

#define SH_TERMSET_INIT {SH_BUF_INIT, NULL, 0, 0}

/* Empties set, keeping its memory. */
void sh_termset_clear(sh_termset *set);
void sh_termset_free(sh_termset *set);

/* Appends a term (len bytes) with wdf (0: a boolean term). SH_OK or SH_ERR_NOMEM. */
int sh_termset_add(sh_termset *set, const char *term, size_t len, unsigned wdf);

/* Adds every term of set to doc, in the order they were added, as xap_doc_add_term and
 * xap_doc_add_boolean_term would. */
int sh_termset_apply(const sh_termset *set, xap_doc *doc, char **errmsg);

#endif
