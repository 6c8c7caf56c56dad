/* analyzer.c — creates and frees the analysis object (ICU normalizer + MeCab segmenter).
 * One per run: building a tagger per document would dominate indexing time. */
#include "analyzer_internal.h"

#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <stdlib.h>

int sh_analyzer_open(const char *dicdir, sh_analyzer **out, char **errmsg)
{
    sh_analyzer *an = calloc(1, sizeof *an);
    if (!an)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int rc = sh_norm_open(&an->norm, errmsg);
    if (!rc)
        rc = sh_seg_open(dicdir, &an->seg, errmsg);
    if (rc) {
        sh_analyzer_close(an);
        return rc;
    }
    *out = an;
    return SH_OK;
}

void sh_analyzer_close(sh_analyzer *an)
{
    if (!an)
        return;
    sh_norm_close(an->norm);
    sh_seg_close(an->seg);
    sh_normtext_free(&an->nt);
    sh_buf_free(&an->term);
    sh_ngram_table_free(an->ngrams);
    free(an);
}

sh_norm *sh_analyzer_norm(const sh_analyzer *an) { return an->norm; }

sh_seg *sh_analyzer_seg(const sh_analyzer *an) { return an->seg; }
