/* about.c — the --version text (versions come from the generated shiryo/version.h and from the
 * libraries themselves) and the one place where a failed write to standard output is noticed. */
#include "shiryo/about.h"

#include "shiryo/norm.h"
#include "shiryo/seg.h"
#include "shiryo/version.h"
#include "shiryo/xap.h"

#include <errno.h>
#include <mecab.h>
#include <stdlib.h>
#include <string.h>

int sh_about_print(FILE *out, const char *program)
{
    fprintf(out, "%s %s\n", program, SHIRYO_VERSION);
    fprintf(out, "Xapian %s, ICU %s, MeCab %s\n", xap_version(), sh_norm_icu_version(),
            mecab_version());
    /* The dictionary is what the index records and checks, so name the one a run would load. */
    sh_seg *seg = NULL;
    char *errmsg = NULL;
    if (sh_seg_open(NULL, &seg, &errmsg) == 0)
        fprintf(out, "MeCab dictionary: %s\n", sh_seg_dictionary_id(seg));
    else
        fprintf(out, "MeCab dictionary: none (%s)\n", errmsg ? errmsg : "cannot open");
    sh_seg_close(seg);
    free(errmsg);
    return ferror(out) ? -1 : 0;
}

int sh_about_close_stdout(const char *program)
{
    return sh_about_close_stdout_after(program, 0);
}

int sh_about_close_stdout_after(const char *program, int write_errno)
{
    int err = 0;
    if (fflush(stdout) != 0)
        err = errno ? errno : write_errno ? write_errno : EIO;
    else if (ferror(stdout))
        err = write_errno ? write_errno : EIO; /* an earlier write failed and its bytes are gone */
    if (fclose(stdout) != 0 && !err)
        err = errno ? errno : EIO;
    if (!err)
        return 0;
    if (err != EPIPE)
        fprintf(stderr, "%s: cannot write to standard output: %s\n", program, strerror(err));
    return 2;
}
