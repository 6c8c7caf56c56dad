/* passage.h — cuts a page's rebuilt columns into passages, the retrieval unit: one bullet,
 * paragraph or run of values of one column of one measure, or one heading or table header, with
 * its section, measure, fiscal year, ministries and exact source lines. Owns cutting rules only;
 * layout comes from columns.c, the final check that nothing was lost from account.c. */
#ifndef SHIRYO_PASSAGE_H
#define SHIRYO_PASSAGE_H

#include <stddef.h>

#include "columns.h"
#include "page.h"
#include "shiryo/ministry.h"

#define PASSAGE_MAX_MINISTRIES 8
/* Passages longer than this are cut at a sentence end, or at a code-point boundary: a 10 MB
 * line must not become one document. */
#define PASSAGE_MAX_BYTES 6000

/* Where a stretch of passage text comes from: text bytes from offset up to the next piece's
 * offset were taken from line lineno. */
typedef struct passage_piece {
    size_t offset;
    unsigned lineno;
} passage_piece;

typedef struct passage {
    char *text;              /* fragments joined without separators (malloc'd) */
    size_t len;
    unsigned *lines;         /* distinct 1-based source line numbers, ascending (malloc'd) */
    size_t nlines;
    passage_piece *pieces;   /* in text order (malloc'd) */
    size_t npieces;
    const char *section;     /* heading text without 【】, "" when none (owned by the set) */
    const char *measure;     /* measure heading, "" when none (owned by the set) */
    int column;              /* 1-based */
    ministry_ref ministries[PASSAGE_MAX_MINISTRIES];
    size_t nministries;
} passage;

typedef struct passage_set {
    passage *items;
    size_t n;
    char **headings;         /* private: section/measure strings the passages point to */
    size_t nheadings;
    size_t reattached;       /* characters body accounting (account.c) had to put back */
} passage_set;

/* A stretch of one body line: bytes [off, off+len) of p->lines[line_index].text. */
typedef struct passage_span {
    size_t line_index;
    size_t off, len;
} passage_span;

/* Builds the passages of page p from its layout. SH_OK or SH_ERR_NOMEM; the caller frees the
 * set with passage_set_destroy. Empty pages give an empty set. */
int passage_build(const page *p, const col_layout *layout, passage_set **out, char **errmsg);
void passage_set_destroy(passage_set *set);

/* Appends spans (in reading order) to set as passages of column 1 under no heading, cut at
 * PASSAGE_MAX_BYTES like any passage. SH_OK or SH_ERR_NOMEM (the set stays valid). */
int passage_append_spans(passage_set *set, const page *p, const passage_span *spans, size_t n);

/* The distinct source lines (ascending) that bytes [start, end) of ps->text come from; writes
 * at most max into out and returns how many there are. */
size_t passage_lines_in(const passage *ps, size_t start, size_t end, unsigned *out, size_t max);

#endif
