/* qparse.h — the query language: words (AND, implicit or spelt out), OR, -word / NOT word,
 * "phrase" / 「phrase」 / 『phrase』 / 〝phrase〟 / “phrase”, =word (exact, no expansion),
 * parentheses and field:value terms, parsed into a tree with bounded size and depth; full-width
 * operators, brackets and colons mean their ASCII forms.
 * Owns syntax only; turning the tree into a Xapian query is qbuild.c's job. */
#ifndef SHIRYO_QPARSE_H
#define SHIRYO_QPARSE_H

#include <stddef.h>

#define QPARSE_MAX_BYTES 4096
#define QPARSE_MAX_DEPTH 32
#define QPARSE_MAX_NODES 256

enum qnode_kind {
    QN_TEXT = 1,  /* a word or phrase: matches passages whose normalized text contains it */
    QN_FIELD,     /* field:value */
    QN_AND,
    QN_OR,
    QN_NOT        /* one child */
};

typedef struct qnode {
    int kind;
    char *text;            /* QN_TEXT, QN_FIELD: the value as typed (malloc'd) */
    char *field;           /* QN_FIELD: field name, lower case (malloc'd) */
    int phrase;            /* QN_TEXT from quotes */
    int exact;             /* QN_TEXT typed as =word / ="phrase": no expansion */
    int spellings;         /* QN_OR of one word's spellings (expand.h): weighs as the best one */
    struct qnode **kids;
    size_t nkids;
    size_t offset;         /* byte offset in the query string, for messages */
} qnode;

/* Known field names, NULL-terminated (fy, measure, ministry, column, title, file, page). */
extern const char *const qparse_fields[];

/* Parses s. On error returns SH_ERR_INVALID (or SH_ERR_RANGE for limits) with a message such as
 * "query column 7: unbalanced quote \"" (1-based character column). *out is freed with
 * qnode_free. An empty query (only spaces) gives *out = NULL and SH_OK. */
int qparse(const char *s, qnode **out, char **errmsg);
void qnode_free(qnode *n);
/* A deep copy of n (NULL when n is NULL or memory runs out). */
qnode *qnode_clone(const qnode *n);

#endif
