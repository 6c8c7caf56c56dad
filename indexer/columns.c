/* columns.c — layout reconstruction (placeholder stage: one column, one fragment per line).
 * Section headings 【…】 become section blocks; everything else is column 1 in file order. */
#include "columns.h"

#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

static int layout_push_block(col_layout *l, int kind, int column, col_frag frag)
{
    col_block *blocks = realloc(l->blocks, (l->nblocks + 1) * sizeof *blocks);
    if (!blocks)
        return SH_ERR_NOMEM;
    l->blocks = blocks;
    col_block *b = &blocks[l->nblocks];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->column = column;
    b->frags = malloc(sizeof *b->frags);
    if (!b->frags)
        return SH_ERR_NOMEM;
    b->frags[0] = frag;
    b->nfrags = 1;
    l->nblocks++;
    return SH_OK;
}

int col_layout_build(const page *p, col_layout **out, char **errmsg)
{
    col_layout *l = calloc(1, sizeof *l);
    if (!l)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    l->ncols = 1;
    l->cols[0].label = strdup("");
    l->cols[0].fy_label = strdup("");
    if (!l->cols[0].label || !l->cols[0].fy_label)
        goto nomem;
    for (size_t i = 0; i < p->nlines; i++) {
        const page_line *line = &p->lines[i];
        if (line->len == 0)
            continue;
        col_frag frag = {i, line->lineno, 0, line->len};
        int is_section = line->len >= 6 && memcmp(line->text, "【", 3) == 0 &&
                         memcmp(line->text + line->len - 3, "】", 3) == 0;
        if (layout_push_block(l, is_section ? COL_BLOCK_SECTION : COL_BLOCK_CELL,
                              is_section ? 0 : 1, frag))
            goto nomem;
    }
    *out = l;
    return SH_OK;
nomem:
    col_layout_destroy(l);
    return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
}

void col_layout_destroy(col_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nblocks; i++)
        free(l->blocks[i].frags);
    free(l->blocks);
    for (int c = 0; c < COLUMNS_MAX; c++) {
        free(l->cols[c].label);
        free(l->cols[c].fy_label);
    }
    free(l);
}
