/* termset.c — a list of terms with their wdf, made once and added to many documents (a page's
 * title terms, a measure's heading terms): see termset.h. */
#include "shiryo/termset.h"

#include "shiryo/status.h"

#include <stdlib.h>

void sh_termset_clear(sh_termset *set)
{
    sh_buf_clear(&set->bytes);
    set->n = 0;
}

void sh_termset_free(sh_termset *set)
{
    sh_buf_free(&set->bytes);
    free(set->items);
    set->items = NULL;
    set->n = set->cap = 0;
}

int sh_termset_add(sh_termset *set, const char *term, size_t len, unsigned wdf)
{
    struct sh_termset_entry *grown = sh_array_grow(set->items, &set->cap, set->n + 1,
                                                   sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    set->items = grown;
    size_t at = set->bytes.len;
    if (sh_buf_append(&set->bytes, term, len) || sh_buf_putc(&set->bytes, '\0'))
        return SH_ERR_NOMEM;
    set->items[set->n++] = (struct sh_termset_entry){at, len, wdf};
    return SH_OK;
}

int sh_termset_apply(const sh_termset *set, xap_doc *doc, char **errmsg)
{
    int rc = SH_OK;
    for (size_t i = 0; i < set->n && !rc; i++) {
        const struct sh_termset_entry *e = &set->items[i];
        const char *term = set->bytes.data + e->at;
        rc = e->wdf ? xap_doc_add_term(doc, term, e->len, e->wdf, errmsg)
                    : xap_doc_add_boolean_term(doc, term, e->len, errmsg);
    }
    return rc;
}
