/* recfield.c — escaping of record fields that may hold newlines (see recfield.h). */
#include "shiryo/recfield.h"

#include "shiryo/status.h"

int sh_recfield_put(sh_buf *b, const char *s)
{
    for (; *s; s++) {
        int rc = *s == '\\' ? sh_buf_puts(b, "\\\\")
                 : *s == '\n' ? sh_buf_puts(b, "\\n")
                              : sh_buf_putc(b, *s);
        if (rc)
            return SH_ERR_NOMEM;
    }
    return SH_OK;
}

void sh_recfield_decode(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (*s == '\\' && (s[1] == '\\' || s[1] == 'n')) {
            *out++ = s[1] == 'n' ? '\n' : '\\';
            s++;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}
