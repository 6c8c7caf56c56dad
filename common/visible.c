/* visible.c — control characters of names and messages as visible escapes (see visible.h), the
 * one place text output and diagnostics do it. */
#include "shiryo/visible.h"

int sh_fputs_visible(const char *s, FILE *out)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int rc;
        if (*p == '\n')
            rc = fputs("\\n", out);
        else if (*p == '\t')
            rc = fputs("\\t", out);
        else if (*p == '\r')
            rc = fputs("\\r", out);
        else if (*p < 0x20 || *p == 0x7f)
            rc = fprintf(out, "\\x%02x", *p);
        else
            rc = fputc(*p, out);
        if (rc < 0)
            return EOF;
    }
    return 0;
}
