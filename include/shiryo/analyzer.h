/* analyzer.h — the analysis object shared by indexing and querying: the ICU normalizer, the
 * MeCab segmenter and their scratch space, passed explicitly (no global state). */
#ifndef SHIRYO_ANALYZER_H
#define SHIRYO_ANALYZER_H

#include "shiryo/buf.h"
#include "shiryo/norm.h"
#include "shiryo/seg.h"

/* terms.c's scratch table of one passage's n-gram counts (freed with the analyzer). */
typedef struct sh_ngram_table sh_ngram_table;
void sh_ngram_table_free(sh_ngram_table *t);

typedef struct sh_analyzer {
    sh_norm *norm;
    sh_seg *seg;
    sh_normtext nt;    /* scratch: last normalized text */
    sh_buf term;       /* scratch: term being built */
    sh_ngram_table *ngrams; /* scratch of terms_index_text, created on first use */
} sh_analyzer;

/* Opens ICU and MeCab (dicdir as in sh_seg_open). Caller frees with sh_analyzer_close. */
int sh_analyzer_open(const char *dicdir, sh_analyzer **out, char **errmsg);
void sh_analyzer_close(sh_analyzer *an);

#endif
