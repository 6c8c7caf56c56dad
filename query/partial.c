/* partial.c — the plan for partial matches (see partial.h): the positive words of a top-level
 * AND become an OR, the filters and exclusions stay, and each word is built alone too. */
#include "partial.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

#define PARTIAL_MAX_PARTS 16

/* A word that ranks (text, an OR or group of them, program:), not a filter or an exclusion. */
static int is_word(const qnode *n)
{
    return n->kind == QN_TEXT || n->kind == QN_OR || n->kind == QN_AND ||
           (n->kind == QN_FIELD && strcmp(n->field, "program") == 0);
}

/* The word as typed, for messages: the first text under n (an expanded word's first kid). */
static const char *label_of(const qnode *n)
{
    while (n && n->kind != QN_TEXT && n->kind != QN_FIELD && n->nkids)
        n = n->kids[0];
    return n && n->text ? n->text : "?";
}

void partial_plan_free(partial_plan *plan)
{
    if (!plan)
        return;
    qbuild_result_free(&plan->any);
    for (size_t i = 0; i < plan->nparts; i++) {
        qbuild_result_free(&plan->parts[i]);
        free(plan->labels[i]);
    }
    free(plan->parts);
    free(plan->labels);
    free(plan);
}

int partial_plan_new(sh_analyzer *an, xap_db *db, const qnode *root, partial_plan **out,
                     char **errmsg)
{
    *out = NULL;
    if (!root || root->kind != QN_AND)
        return SH_OK;
    size_t words = 0;
    for (size_t i = 0; i < root->nkids; i++)
        words += is_word(root->kids[i]);
    if (words < 2 || words > PARTIAL_MAX_PARTS)
        return SH_OK;
    partial_plan *plan = calloc(1, sizeof *plan);
    qnode *any_and = qnode_clone(root), *or_node = calloc(1, sizeof *or_node);
    if (plan) {
        plan->parts = calloc(words, sizeof *plan->parts);
        plan->labels = calloc(words, sizeof *plan->labels);
    }
    int rc = plan && plan->parts && plan->labels && any_and && or_node && 
             (or_node->kids = calloc(words, sizeof *or_node->kids))
                 ? SH_OK
                 : sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    /* any_and: the clone with its words moved under one OR (first in place of the first word). */
    if (!rc) {
        or_node->kind = QN_OR;
        size_t keep = 0;
        for (size_t i = 0; i < any_and->nkids; i++) {
            qnode *k = any_and->kids[i];
            if (is_word(k)) {
                if (!or_node->nkids)
                    any_and->kids[keep++] = or_node;
                or_node->kids[or_node->nkids++] = k;
            } else {
                any_and->kids[keep++] = k;
            }
        }
        any_and->nkids = keep;
        or_node = NULL; /* owned by any_and now */
        rc = qbuild(an, db, any_and, &plan->any, errmsg);
    }
    for (size_t i = 0; i < root->nkids && !rc; i++) {
        if (!is_word(root->kids[i]))
            continue;
        size_t k = plan->nparts;
        rc = qbuild(an, db, root->kids[i], &plan->parts[k], errmsg);
        if (!rc && !(plan->labels[k] = strdup(label_of(root->kids[i])))) {
            qbuild_result_free(&plan->parts[k]);
            rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        }
        if (!rc)
            plan->nparts++;
    }
    if (or_node) {
        free(or_node->kids);
        free(or_node);
    }
    qnode_free(any_and);
    if (rc) {
        partial_plan_free(plan);
        return rc;
    }
    *out = plan;
    return SH_OK;
}
