/* verify.c — proves candidate passages: boolean trees of literals over normalized text, and
 * occurrence counts (see verify.h). */
#define _GNU_SOURCE /* memmem */
#include "verify.h"

#include "shiryo/utf8.h"

#include <stdlib.h>
#include <string.h>

static verify_node *node_new(verify_kind kind)
{
    verify_node *n = calloc(1, sizeof *n);
    if (n)
        n->kind = kind;
    return n;
}

verify_node *verify_true(void) { return node_new(VERIFY_TRUE); }

verify_node *verify_literal(const char *s, size_t len)
{
    verify_node *n = node_new(VERIFY_LITERAL);
    if (n && !(n->literal = strndup(s, len))) {
        free(n);
        return NULL;
    }
    if (n)
        n->len = len;
    return n;
}

verify_node *verify_combine(verify_kind kind, verify_node *const *kids, size_t n)
{
    verify_node *node = node_new(kind);
    if (node && n && !(node->kids = malloc(n * sizeof *node->kids))) {
        free(node);
        node = NULL;
    }
    if (!node) {
        for (size_t i = 0; i < n; i++)
            verify_free(kids[i]);
        return NULL;
    }
    memcpy(node->kids, kids, n * sizeof *kids);
    node->nkids = n;
    return node;
}

verify_node *verify_docset(unsigned *docids, size_t n)
{
    verify_node *node = node_new(VERIFY_DOCSET);
    if (!node) {
        free(docids);
        return NULL;
    }
    node->docids = docids;
    node->ndocids = n;
    return node;
}

void verify_free(verify_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->nkids; i++)
        verify_free(node->kids[i]);
    free(node->kids);
    free(node->literal);
    free(node->docids);
    free(node);
}

static int docset_has(const unsigned *ids, size_t n, unsigned docid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < docid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == docid;
}

int verify_match(const verify_node *node, const char *text, size_t len, unsigned docid)
{
    if (!node)
        return 1;
    switch (node->kind) {
    case VERIFY_TRUE:
        return 1;
    case VERIFY_LITERAL:
        return memmem(text, len, node->literal, node->len) != NULL;
    case VERIFY_AND:
        for (size_t i = 0; i < node->nkids; i++)
            if (!verify_match(node->kids[i], text, len, docid))
                return 0;
        return 1;
    case VERIFY_OR:
        for (size_t i = 0; i < node->nkids; i++)
            if (verify_match(node->kids[i], text, len, docid))
                return 1;
        return 0;
    case VERIFY_NOT:
        return node->nkids == 1 && !verify_match(node->kids[0], text, len, docid);
    case VERIFY_DOCSET:
        return docset_has(node->docids, node->ndocids, docid);
    }
    return 0;
}

size_t verify_occurrences(const char *text, size_t len, const char *lit, size_t llen)
{
    size_t n = 0;
    const char *p = text, *end = text + len;
    while (llen && (p = memmem(p, (size_t)(end - p), lit, llen))) {
        n++;
        /* Next candidate start: the next UTF-8 code point (overlaps count). */
        p++;
        while (p < end && sh_utf8_is_continuation((unsigned char)*p))
            p++;
    }
    return n;
}
