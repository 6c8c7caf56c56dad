/* catalog.c — known program names from the index's R terms; closest-name suggestions by edit
 * distance over code points (small lists: the catalog is read once per query). */
#include "catalog.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct name_list {
    sh_strlist *names;
    const char *pattern;
    int nomem;
} name_list;

static int collect_name(void *ctx, const char *term, size_t len, unsigned freq)
{
    (void)freq;
    name_list *l = ctx;
    const char *name = term + strlen(PFX_PROGRAM);
    size_t name_len = len - strlen(PFX_PROGRAM);
    if (l->pattern && *l->pattern) {
        size_t plen = strlen(l->pattern);
        int found = 0;
        for (size_t i = 0; !found && i + plen <= name_len; i++)
            found = memcmp(name + i, l->pattern, plen) == 0;
        if (!found)
            return 0;
    }
    if (sh_strlist_add(l->names, name, name_len)) {
        l->nomem = 1;
        return 1;
    }
    return 0;
}

int catalog_programs(sh_analyzer *an, xap_db *db, const char *pattern, sh_strlist *names,
                     char **errmsg)
{
    char *norm = NULL;
    if (pattern && *pattern) {
        int rc = sh_norm_string(sh_analyzer_norm(an), pattern, strlen(pattern), &norm, errmsg);
        if (rc)
            return rc;
    }
    name_list l = {names, norm, 0};
    int rc = xap_db_allterms(db, PFX_PROGRAM, strlen(PFX_PROGRAM), collect_name, &l, errmsg);
    free(norm);
    if (!rc && l.nomem)
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return rc;
}

/* Levenshtein distance between two UTF-8 strings, counted in code points (bounded inputs). */
static size_t edit_distance(const char *a, const char *b)
{
    uint32_t ca[128], cb[128];
    size_t na = 0, nb = 0;
    for (size_t i = 0, len = strlen(a); i < len && na < 128;)
        i += sh_utf8_decode(a + i, len - i, &ca[na++]);
    for (size_t i = 0, len = strlen(b); i < len && nb < 128;)
        i += sh_utf8_decode(b + i, len - i, &cb[nb++]);
    size_t prev[129], cur[129];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t sub = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (nb + 1) * sizeof *prev);
    }
    return prev[nb];
}

int catalog_check_program(sh_analyzer *an, xap_db *db, const char *name, char **errmsg)
{
    char *norm = NULL;
    int rc = sh_norm_string(sh_analyzer_norm(an), name, strlen(name), &norm, errmsg);
    if (rc)
        return rc;
    sh_strlist list = SH_STRLIST_INIT;
    rc = catalog_programs(an, db, NULL, &list, errmsg);
    if (rc) {
        sh_strlist_free(&list);
        free(norm);
        return rc;
    }
    char **names = list.items;
    size_t n = list.n;
    int known = 0;
    for (size_t i = 0; i < n && !known; i++)
        known = strcmp(names[i], norm) == 0;
    if (!known) {
        /* The five closest names: containing or contained counts as close, then edit distance. */
        size_t best[5], best_d[5], nbest = 0;
        for (size_t i = 0; i < n; i++) {
            size_t d = edit_distance(norm, names[i]);
            if (strstr(names[i], norm) || strstr(norm, names[i]))
                d = d / 4;
            size_t at = nbest < 5 ? nbest : 5;
            while (at > 0 && best_d[at - 1] > d) {
                if (at < 5) {
                    best[at] = best[at - 1];
                    best_d[at] = best_d[at - 1];
                }
                at--;
            }
            if (at < 5) {
                best[at] = i;
                best_d[at] = d;
                if (nbest < 5)
                    nbest++;
            }
        }
        char list[2048] = "";
        size_t used = 0;
        for (size_t k = 0; k < nbest && used < sizeof list - 1; k++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", names[best[k]]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        if (nbest)
            rc = sh_fail(errmsg, SH_ERR_NOTFOUND, "unknown program \"%s\": did you mean: %s",
                         name, list);
        else
            rc = sh_fail(errmsg, SH_ERR_NOTFOUND, "unknown program \"%s\": the index knows no "
                         "programs (list them with --programs)", name);
    }
    sh_strlist_free(&list);
    free(norm);
    return rc;
}
