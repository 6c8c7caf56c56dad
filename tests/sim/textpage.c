/* textpage.c — test-only: raw text split into body lines for driving the layout directly.
 * Owns the copy of the text the lines point into. */
#include "textpage.h"

#include "shiryo/buf.h"

#include <stdlib.h>
#include <string.h>

text_page *text_page_from(const char *text, size_t len)
{
    text_page *tp = calloc(1, sizeof *tp);
    if (!tp)
        return NULL;
    tp->copy = malloc(len + 1);
    if (!tp->copy) {
        free(tp);
        return NULL;
    }
    memcpy(tp->copy, text, len);
    tp->copy[len] = '\0';
    tp->pg.buffer = tp->copy;
    /* no header: every field "" (the copy's terminating NUL), never NULL */
    char *none = tp->copy + len;
    tp->pg.title = tp->pg.material = tp->pg.url = tp->pg.source = tp->pg.meeting = none;
    tp->pg.session = tp->pg.date = tp->pg.publisher = tp->pg.joint = none;
    size_t cap = 0;
    unsigned lineno = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && tp->copy[j] != '\n')
            j++;
        size_t l = j - i;
        while (l > 0 && (tp->copy[i + l - 1] == ' ' || tp->copy[i + l - 1] == '\r'))
            l--;
        page_line *grown = sh_array_grow(tp->pg.lines, &cap, tp->pg.nlines + 1, sizeof *grown);
        if (!grown) {
            text_page_free(tp);
            return NULL;
        }
        tp->pg.lines = grown;
        tp->pg.lines[tp->pg.nlines++] = (page_line){++lineno, tp->copy + i, l};
        i = j + 1;
    }
    return tp;
}

void text_page_free(text_page *tp)
{
    if (!tp)
        return;
    free(tp->pg.lines);
    free(tp->copy);
    free(tp);
}
