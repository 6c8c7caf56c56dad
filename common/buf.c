/* buf.c — growable NUL-terminated byte buffer and array growth.
 * Geometric growth; every allocation failure is returned as SH_ERR_NOMEM or NULL. */
#include "shiryo/buf.h"
#include "shiryo/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sh_buf_reserve(sh_buf *b, size_t extra)
{
    if (extra > ((size_t)-1) / 2 - b->len)
        return SH_ERR_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return SH_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return SH_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return SH_OK;
}

int sh_buf_append(sh_buf *b, const void *data, size_t len)
{
    int rc = sh_buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return SH_OK;
}

int sh_buf_puts(sh_buf *b, const char *s) { return sh_buf_append(b, s, strlen(s)); }

int sh_buf_putc(sh_buf *b, char c) { return sh_buf_append(b, &c, 1); }

int sh_buf_printf(sh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return SH_ERR;
    int rc = sh_buf_reserve(b, (size_t)len);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)len;
    return SH_OK;
}

void sh_buf_clear(sh_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void sh_buf_free(sh_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int sh_buf_detach(sh_buf *b, char **out, size_t *out_len)
{
    if (!b->data) {
        int rc = sh_buf_reserve(b, 0);
        if (rc)
            return rc;
        b->data[0] = '\0';
    }
    *out = b->data;
    if (out_len)
        *out_len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return SH_OK;
}

void *sh_array_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && arr)
        return arr;
    if (elem == 0)
        return NULL;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / elem)
            return NULL;
        ncap *= 2;
    }
    if (ncap > ((size_t)-1) / elem)
        return NULL;
    void *grown = realloc(arr, ncap * elem);
    if (!grown)
        return NULL;
    *cap = ncap;
    return grown;
}
