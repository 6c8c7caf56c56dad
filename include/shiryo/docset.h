/* docset.h — a set of docids kept as ascending, disjoint ranges: a shard's deleted passages
 * (schema.h META_DELETED). Owns that record's text form ("3-7,12-12"); the indexer adds to it,
 * the query side asks whether a docid is in it. */
#ifndef SHIRYO_DOCSET_H
#define SHIRYO_DOCSET_H

#include <stddef.h>

typedef struct docset_range {
    unsigned first, last; /* inclusive */
} docset_range;

typedef struct docset {
    docset_range *ranges; /* ascending, disjoint, not adjacent */
    size_t n, cap;
    unsigned long long count; /* docids in the set */
} docset;

/* Parses the text form (len bytes; "" = empty) into set, replacing its content. SH_ERR_CORRUPT
 * for a malformed record, SH_ERR_NOMEM. */
int docset_parse(docset *set, const char *text, size_t len);
/* Adds [first, last] (first <= last), merging with neighbours. SH_OK or SH_ERR_NOMEM. */
int docset_add(docset *set, unsigned first, unsigned last);
/* 1 if docid is in the set (binary search). */
int docset_contains(const docset *set, unsigned docid);
/* Writes the text form into *out (malloc'd, NUL-terminated; caller frees). SH_ERR_NOMEM. */
int docset_format(const docset *set, char **out, size_t *len);
void docset_clear(docset *set);
void docset_free(docset *set);

#endif
