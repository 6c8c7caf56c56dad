/* analyzer_internal.h — the analyzer's insides, shared by analyzer.c (open, close) and terms.c
 * (which builds terms in its scratch space); nothing outside analysis/ sees them. */
#ifndef SHIRYO_ANALYZER_INTERNAL_H
#define SHIRYO_ANALYZER_INTERNAL_H

#include "shiryo/analyzer.h"
#include "shiryo/buf.h"

/* terms.c's scratch table of one passage's n-gram counts (freed with the analyzer). */
typedef struct sh_ngram_table sh_ngram_table;
void sh_ngram_table_free(sh_ngram_table *t);

struct sh_analyzer {
    sh_norm *norm;
    sh_seg *seg;
    sh_normtext nt;    /* scratch: last normalized text */
    sh_buf term;       /* scratch: term being built */
    sh_ngram_table *ngrams; /* scratch of terms_index_text, created on first use */
};

#endif
