/* layoutsim.h — test-only simulator of the PDF text extractor on Japanese government tables:
 * generates column texts, lays them out in a table and renders the page with per-fragment truth. */
#ifndef SHIRYO_LAYOUTSIM_H
#define SHIRYO_LAYOUTSIM_H

#include <stddef.h>
#include <stdint.h>

#define LSIM_MAX_COLS 4

enum lsim_heading { LSIM_CELL = 0, LSIM_SECTION = 1, LSIM_MEASURE = 2 };

/* One fragment of a rendered body line: the text one table cell put on that line. */
typedef struct lsim_piece {
    unsigned lineno;   /* 1-based line number in lsim_page.text */
    size_t off, len;   /* bytes within that line */
    int column;        /* 1-based column; 0 for a heading */
    int heading;       /* enum lsim_heading */
    unsigned row;      /* 0-based table row within the current measure (cells only) */
} lsim_piece;

typedef struct lsim_page {
    char *text;                        /* the page file: LF-terminated lines, UTF-8 */
    size_t len;
    int ncols;                         /* table columns (1..LSIM_MAX_COLS); 1 for prose */
    char *labels[LSIM_MAX_COLS];       /* column labels as rendered ("" for prose) */
    int fiscal_year[LSIM_MAX_COLS];    /* Western fiscal year of each label, 0 when none */
    unsigned header_lines;             /* lines 1..header_lines hold the table header */
    lsim_piece *pieces;                /* body truth in text order (line, then offset) */
    size_t npieces;
} lsim_page;

/* Knobs; zero fields take defaults (1..4 columns, 20..120 body lines). */
typedef struct lsim_options {
    int min_cols, max_cols;
    int min_body_lines, max_body_lines;
} lsim_options;

/* Generates one table page from seed (same seed, same page). Column count, widths (in characters),
 * line pitches, cell offsets, paragraph shapes, header style and fiscal years all vary with the
 * seed. Returns 0, or -1 when memory runs out (*out untouched). opt may be NULL. */
int lsim_generate(uint64_t seed, const lsim_options *opt, lsim_page **out);

/* Generates a page without a table header: prose (law-like articles and 【】 headings) wrapped at
 * width_chars characters, ncols = 1, one piece per line. Returns 0 or -1. */
int lsim_generate_prose(uint64_t seed, int width_chars, lsim_page **out);

void lsim_free(lsim_page *page);

#endif
