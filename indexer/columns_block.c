/* columns_block.c — block output: turns a decoded reading (or a page without a table) into the
 * col_layout blocks of columns.h: section and measure headings, and per row one cell per column. */
#include "columns_int.h"

#include "shiryo/buf.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

typedef struct frag_list {
    col_frag *v;
    size_t n, cap;
} frag_list;

static int frag_list_push(frag_list *l, col_frag f)
{
    col_frag *grown = sh_array_grow(l->v, &l->cap, l->n + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    l->v = grown;
    l->v[l->n++] = f;
    return SH_OK;
}

static int push_block(col_layout *l, size_t *cap, int kind, int column, unsigned row,
                      frag_list *frags)
{
    col_block *grown = sh_array_grow(l->blocks, cap, l->nblocks + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    l->blocks = grown;
    col_block *b = &l->blocks[l->nblocks++];
    b->kind = kind;
    b->column = column;
    b->row = row;
    b->frags = frags->v;
    b->nfrags = frags->n;
    frags->v = NULL;
    frags->n = frags->cap = 0;
    return SH_OK;
}

static int push_heading(col_layout *l, size_t *cap, int kind, const col_body *body, size_t li)
{
    frag_list one = {NULL, 0, 0};
    col_frag f = {li, body->lines[li].lineno, 0, body->lines[li].len};
    if (frag_list_push(&one, f))
        return SH_ERR_NOMEM;
    if (push_block(l, cap, kind, 0, 0, &one)) {
        free(one.v);
        return SH_ERR_NOMEM;
    }
    return SH_OK;
}

/* One column: lines in order, a new cell block at blank lines and section headings. */
int colblock_single(const col_body *body, size_t first, col_layout *l)
{
    size_t cap = 0;
    frag_list cell = {NULL, 0, 0};
    unsigned row = 0;
    for (size_t i = first; i <= body->nlines; i++) {
        int at_end = i == body->nlines;
        int blank = !at_end && body->lines[i].len == 0;
        int section = !at_end && !blank && colfrag_is_section_line(&body->lines[i]);
        if ((at_end || blank || section) && cell.n) {
            if (push_block(l, &cap, COL_BLOCK_CELL, 1, row++, &cell))
                goto nomem;
        }
        if (at_end || blank)
            continue;
        if (section) {
            if (push_heading(l, &cap, COL_BLOCK_SECTION, body, i))
                goto nomem;
            row = 0;
            continue;
        }
        col_frag f = {i, body->lines[i].lineno, 0, body->lines[i].len};
        if (frag_list_push(&cell, f))
            goto nomem;
    }
    return SH_OK;
nomem:
    free(cell.v);
    return SH_ERR_NOMEM;
}

typedef struct row_tracker {
    int state[COLUMNS_MAX];
    int gap[COLUMNS_MAX];
    int row_has_text;
} row_tracker;

/* Emits the table blocks of a decoded page: headings, and per row one cell per column. */
int colblock_table(const col_analysis *a, const col_model *m, const size_t *steps, size_t nsteps,
                   const col_reading *d, col_layout *l)
{
    int n = m->n;
    size_t cap = 0;
    frag_list cells[COLUMNS_MAX];
    memset(cells, 0, sizeof cells);
    row_tracker t;
    memset(&t, 0, sizeof t);
    for (int c = 0; c < n; c++)
        t.gap[c] = 1000;
    unsigned row = 0;
    int rc = SH_OK;
    for (size_t s = 0; s <= nsteps && rc == SH_OK; s++) {
        int at_end = s == nsteps;
        size_t li = at_end ? 0 : steps[s];
        int heading = !at_end && (a->lines[li].kind == LINE_SECTION || d->mask[li] == 0);
        int new_row = 0;
        const col_segopt *o = NULL;
        if (!at_end && !heading) {
            o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
            /* a new row begins where the decoder began one, when every column has finished
             * and column 1 or at least two columns start new paragraphs here */
            int all_closed = 1, starts = 0, col1_starts = 0;
            for (int c = 0; c < n; c++)
                if (t.state[c] == ST_OPEN && t.gap[c] <= m->gap_allow)
                    all_closed = 0;
            int j = 0;
            for (int c = 0; c < n; c++) {
                if (!(d->mask[li] & (1u << c)))
                    continue;
                const col_fraginfo *f = &a->frags[o->first + (size_t)j++];
                int para_start = t.state[c] == ST_CLOSED || t.gap[c] > m->gap_allow ||
                                 (t.state[c] == ST_MAYBE && !f->cont_start);
                if (para_start) {
                    starts++;
                    if (c == 0)
                        col1_starts = 1;
                }
            }
            new_row = t.row_has_text && d->row[li] && all_closed && (col1_starts || starts >= 2);
        }
        if (at_end || heading || new_row) {
            for (int c = 0; c < n && rc == SH_OK; c++)
                if (cells[c].n)
                    rc = push_block(l, &cap, COL_BLOCK_CELL, c + 1, row, &cells[c]);
            if (t.row_has_text)
                row++;
            t.row_has_text = 0;
        }
        if (at_end || rc != SH_OK)
            break;
        if (heading) {
            int kind = a->lines[li].kind == LINE_SECTION ? COL_BLOCK_SECTION : COL_BLOCK_MEASURE;
            rc = push_heading(l, &cap, kind, a->body, li);
            row = 0;
            for (int c = 0; c < n; c++) {
                t.state[c] = ST_CLOSED;
                t.gap[c] = 1000;
            }
            continue;
        }
        int j = 0;
        for (int c = 0; c < n && rc == SH_OK; c++) {
            if (!(d->mask[li] & (1u << c))) {
                t.gap[c]++;
                continue;
            }
            const col_fraginfo *f = &a->frags[o->first + (size_t)j++];
            col_frag cf = {li, a->body->lines[li].lineno, f->off, f->len};
            rc = frag_list_push(&cells[c], cf);
            t.state[c] = colmodel_state_after(m, c, f);
            t.gap[c] = 0;
            t.row_has_text = 1;
        }
    }
    for (int c = 0; c < COLUMNS_MAX; c++)
        free(cells[c].v);
    return rc;
}

