/* recfield.c — the field syntax of '\n'-joined stored records (see recfield.h): escaping of
 * fields that may hold newlines, number lists, splitting. */
#include "shiryo/recfield.h"

#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

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

int sh_recfield_put_uints(sh_buf *b, const unsigned *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sh_buf_printf(b, i ? ",%u" : "%u", v[i]))
            return SH_ERR_NOMEM;
    return SH_OK;
}

size_t sh_recfield_uints(const char *s, unsigned *out, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        char *end = NULL;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s)
            break;
        out[n++] = (unsigned)v;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

size_t sh_recfield_split(char *record, size_t len, const char **fields, size_t n)
{
    size_t f = 0;
    char *p = record, *end = record + len;
    while (f < n) {
        fields[f++] = p;
        char *nl = f < n ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    size_t got = f;
    for (; f < n; f++)
        fields[f] = "";
    return got;
}
