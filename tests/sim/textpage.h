/* textpage.h — test-only: a page made straight from raw text lines, without the page parser, so
 * a test or tool can drive the layout stage (columns.c) on generated pages alone. */
#ifndef SHIRYO_TEXTPAGE_H
#define SHIRYO_TEXTPAGE_H

#include "page.h"

#include <stddef.h>

typedef struct text_page {
    page pg;       /* only lines, nlines and buffer are set; every header field is NULL */
    char *copy;    /* the text the lines point into */
} text_page;

/* Splits text[0..len) at LF into lines numbered from 1, trailing spaces and CR removed.
 * NULL when memory runs out. */
text_page *text_page_from(const char *text, size_t len);

void text_page_free(text_page *tp);

#endif
