/* columns.h — layout reconstruction: turns a page's interleaved PDF-table body lines into one
 * fragment stream per table column, grouped by section and measure. Owns table-header reading,
 * fragment splitting and column assignment; it does not cut passages (passage.c) or normalize. */
#ifndef SHIRYO_COLUMNS_H
#define SHIRYO_COLUMNS_H

#include <stddef.h>

#include "page.h"

#define COLUMNS_MAX 8

/* A piece of one body line: bytes [off, off+len) of lines[line_index].text. */
typedef struct col_frag {
    size_t line_index;  /* index into the body lines */
    unsigned lineno;    /* 1-based file line number (copy of lines[line_index].lineno) */
    size_t off, len;
} col_frag;

enum col_block_kind {
    COL_BLOCK_SECTION = 1, /* a 【…】 section heading (frags hold the heading, brackets included) */
    COL_BLOCK_MEASURE,     /* a measure heading: a short line spanning the table */
    COL_BLOCK_CELL         /* text of one column: frags in reading order, joined without spaces */
};

typedef struct col_block {
    int kind;
    int column;          /* 1-based for COL_BLOCK_CELL; 0 for headings */
    unsigned row;        /* 0-based row within the current measure (cells of one table row share it) */
    col_frag *frags;
    size_t nfrags;
} col_block;

typedef struct col_column {
    char *label;         /* e.g. "令和6年度の実績・状況"; "" when the page has no table header */
    int fiscal_year;     /* Western year of the label's fiscal year (2024), 0 when none */
    char *fy_label;      /* the fiscal-year text as written ("令和6年度"), "" when none */
} col_column;

typedef struct col_layout {
    int ncols;                       /* 1 for a page without a table header */
    size_t header_end;               /* page lines [0, header_end) are the table header: column
                                      * labels, in no block (0 without a table header) */
    col_column cols[COLUMNS_MAX];
    col_block *blocks;               /* in reading order */
    size_t nblocks;
} col_layout;

/* Rebuilds the layout of a page's body lines lines[0, nlines) (page.h's page_line; col_frag
 * line_index values index them). Returns SH_OK and a layout freed with col_layout_destroy, or
 * SH_ERR_NOMEM. Never fails on content: a body it cannot read as a table is one column whose
 * lines join into paragraphs. Every byte of every non-header body line appears in exactly one
 * fragment (no text dropped or duplicated), except column separators (single spaces). */
int col_layout_build(const page_line *lines, size_t nlines, col_layout **out, char **errmsg);
void col_layout_destroy(col_layout *layout);

#endif
