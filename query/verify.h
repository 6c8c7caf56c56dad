/* verify.h — the proof step of "candidates, then proof": a boolean tree of literal strings (AND,
 * OR, NOT of normalized literals) checked against one passage's normalized text. The index only
 * selects candidates (n-grams without positions); this decides. It runs in the query process, so
 * local and remote shards take the same path. Knows nothing about Xapian or the index: a filter
 * that only the index can answer (fy:, measure:, …) comes in as the set of docids it matched. */
#ifndef SHIRYO_VERIFY_H
#define SHIRYO_VERIFY_H

#include <stddef.h>

typedef enum verify_kind {
    VERIFY_TRUE = 0,   /* always holds (a filter the candidate query already applied) */
    VERIFY_LITERAL,    /* the text contains literal */
    VERIFY_AND,
    VERIFY_OR,
    VERIFY_NOT,        /* one kid */
    VERIFY_DOCSET      /* the passage's docid is in docids */
} verify_kind;

typedef struct verify_node {
    verify_kind kind;
    char *literal;              /* LITERAL: normalized, trimmed, non-empty (malloc'd) */
    size_t len;
    struct verify_node **kids;  /* AND, OR, NOT */
    size_t nkids;
    unsigned *docids;           /* DOCSET: ascending (malloc'd) */
    size_t ndocids;
} verify_node;

/* Constructors return NULL when memory runs out; a combining constructor then frees its kids.
 * verify_literal copies s; verify_combine and verify_docset take ownership of their arrays'
 * contents (kids: the nodes, not the array, which is copied). */
verify_node *verify_true(void);
verify_node *verify_literal(const char *s, size_t len);
verify_node *verify_combine(verify_kind kind, verify_node *const *kids, size_t n);
verify_node *verify_docset(unsigned *docids, size_t n);
void verify_free(verify_node *node);

/* 1 if the passage (normalized text of len bytes, docid in the candidates' database) satisfies
 * node; NULL node: 1. */
int verify_match(const verify_node *node, const char *text, size_t len, unsigned docid);

/* Occurrences of lit (llen > 0 bytes) in text, overlapping ones included (ああ in あああ: 2). */
size_t verify_occurrences(const char *text, size_t len, const char *lit, size_t llen);

#endif
