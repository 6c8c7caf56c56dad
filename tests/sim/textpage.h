/* textpage.h — test-only: raw text split into body lines without the page parser, so a test or
 * tool can drive the layout stage (col_layout_build takes lines) on generated pages alone, and
 * the passage stage through a page whose header is empty. */
#ifndef SHIRYO_TEXTPAGE_H
#define SHIRYO_TEXTPAGE_H

#include "page.h"

#include <stddef.h>

typedef struct text_page {
    page pg;       /* lines and nlines: the text's lines; a page without a header (every header
                    * field "", as page.h promises), for the stages after the layout */
    char *copy;    /* the text the lines point into */
} text_page;

/* Splits text[0..len) at LF into lines numbered from 1, trailing spaces and CR removed.
 * NULL when memory runs out. */
text_page *text_page_from(const char *text, size_t len);

void text_page_free(text_page *tp);

#endif
