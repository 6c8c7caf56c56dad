/* analyzer.h — the analysis object shared by indexing and querying: the ICU normalizer, the
 * MeCab segmenter and their scratch space, passed explicitly (no global state). Opaque: its
 * scratch belongs to analysis/ (analyzer_internal.h); functions return their results. */
#ifndef SHIRYO_ANALYZER_H
#define SHIRYO_ANALYZER_H

#include "shiryo/norm.h"
#include "shiryo/seg.h"

typedef struct sh_analyzer sh_analyzer;

/* Opens ICU and MeCab (dicdir as in sh_seg_open). Caller frees with sh_analyzer_close. */
int sh_analyzer_open(const char *dicdir, sh_analyzer **out, char **errmsg);
void sh_analyzer_close(sh_analyzer *an);

/* The analyzer's normalizer and segmenter, owned by it (valid until sh_analyzer_close). */
sh_norm *sh_analyzer_norm(const sh_analyzer *an);
sh_seg *sh_analyzer_seg(const sh_analyzer *an);

#endif
