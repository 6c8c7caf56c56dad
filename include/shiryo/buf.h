/* buf.h — a growable byte buffer (always NUL-terminated) used to build text and records, and the
 * one growth rule for arrays. Allocation failure is reported by return value, never by abort. */
#ifndef SHIRYO_BUF_H
#define SHIRYO_BUF_H

#include <stddef.h>

typedef struct sh_buf {
    char *data;   /* NUL-terminated; NULL until first append */
    size_t len;
    size_t cap;
} sh_buf;

#define SH_BUF_INIT {NULL, 0, 0}

/* All return SH_OK or SH_ERR_NOMEM. */
int sh_buf_reserve(sh_buf *b, size_t extra);
int sh_buf_append(sh_buf *b, const void *data, size_t len);
int sh_buf_puts(sh_buf *b, const char *s);
int sh_buf_putc(sh_buf *b, char c);
int sh_buf_printf(sh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sh_buf_clear(sh_buf *b);         /* length 0, keeps capacity */
void sh_buf_free(sh_buf *b);          /* releases memory, back to SH_BUF_INIT */
/* Hands the data to the caller (malloc'd, NUL-terminated, never NULL on SH_OK) and resets b. */
int sh_buf_detach(sh_buf *b, char **out, size_t *out_len);

/* Room for need (>= 1) elements of elem bytes in arr, whose capacity *cap is counted in elements:
 * returns arr itself when it is big enough, else the array reallocated to double its capacity
 * (at least 8, at least need) with *cap updated, or NULL when memory runs out (arr and *cap
 * untouched, arr still the caller's to free). Typical use:
 *     item *grown = sh_array_grow(list->items, &list->cap, list->n + 1, sizeof *grown);
 *     if (!grown) return SH_ERR_NOMEM;
 *     list->items = grown; */
void *sh_array_grow(void *arr, size_t *cap, size_t need, size_t elem);

#endif
