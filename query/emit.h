/* emit.h — the printer family's internal header (printer.c, emit*.c): the value interface every
 * machine format implements (emit_json.c: json and jsonl; emit_table.c: tsv and csv), the text
 * view for people (emit_text.c), and the field tables printer.c drives them with. */
#ifndef SHIRYO_EMIT_H
#define SHIRYO_EMIT_H

#include <stddef.h>
#include <stdio.h>

#include "printer.h"

/* ===== emit.c: the emitter, its status ===== */

typedef struct emitter emitter;

/* How one format writes values (notmuch's sprinter). Every call returns SH_OK, or SH_ERR_IO once
 * a write to the stream has failed. A structured format (json) nests maps and lists; a top-level
 * value ends with a newline. A flat format (tsv, csv) writes rows: begin_map starts a row, each
 * scalar is one cell, end_map ends the row; key is ignored, lists are never used (printer.c
 * flattens composite fields to one string). */
typedef struct emit_ops {
    int flat;
    int (*begin_map)(emitter *e);
    int (*end_map)(emitter *e);
    int (*begin_list)(emitter *e);
    int (*end_list)(emitter *e);
    int (*key)(emitter *e, const char *key);
    int (*string)(emitter *e, const char *s);
    int (*integer)(emitter *e, long long v);
    int (*decimal)(emitter *e, double v); /* four decimals (scores) */
    int (*boolean)(emitter *e, int v);
    int (*null)(emitter *e);
} emit_ops;

#define EMIT_MAX_DEPTH 16

struct emitter {
    FILE *out;
    const emit_ops *ops;    /* NULL for the text view */
    int write_errno;        /* errno when a write was first seen failing, or 0 */
    size_t depth;           /* json: open maps and lists */
    size_t items[EMIT_MAX_DEPTH]; /* json: values written so far at each depth */
    int keyed;              /* json: a key was written, its value comes next */
    size_t cells;           /* tsv/csv: cells of the current row */
};

/* SH_OK, or SH_ERR_IO once the stream's (sticky) error flag is set; keeps the errno of the first
 * failure (stdio drops a failed write's bytes, so a later flush could not say why). */
int emit_status(emitter *e);

/* ===== emit_json.c, emit_table.c: the machine formats ===== */

extern const emit_ops emit_json;
extern const emit_ops emit_table_tsv, emit_table_csv;

/* The bytes of one tsv field (tabs and newlines become spaces) or csv field (RFC 4180: quoted
 * when it holds a comma, quote or line break; quotes doubled). */
int emit_table_field(FILE *out, const char *s, int csv);
/* The bytes of one json string, quotes included; a byte that starts no UTF-8 sequence is written
 * \udcXX (Python's surrogateescape). */
int emit_json_string(FILE *out, const char *s);

/* ===== emit_text.c: the views for people ===== */

/* A format laid out by hand for a reader rather than from the field tables: what it writes at
 * each step of a document. */
typedef struct emit_view {
    /* Before anything: what the query's words were expanded to (nothing when none). */
    int (*begin)(emitter *e, const printer_opts *o);
    int (*result)(emitter *e, const printer_opts *o, const result *r);
    /* After a result list of printed passages: its footer and the facets. */
    int (*end)(emitter *e, const printer_opts *o, size_t printed, const summary *s);
    int (*count)(emitter *e, const printer_opts *o, const summary *s);
    int (*measure)(emitter *e, const printer_opts *o, const measure_row *m);
    int (*program)(emitter *e, const printer_opts *o, const program_row *r);
} emit_view;

/* text: a reference line and the passage with its mentions marked (« » or ANSI colour). */
extern const emit_view emit_text;

/* ===== printer.c: the field tables ===== */

typedef enum printer_type {
    PRINTER_STRING,      /* const char * (NULL: the field's fallback, else "") */
    PRINTER_STRING_NULL, /* const char *; json null when empty */
    PRINTER_SIZE,        /* size_t */
    PRINTER_INT,         /* int */
    PRINTER_POSITIVE,    /* int; null (tsv/csv: empty) when not positive: page, fiscal year */
    PRINTER_AMOUNT,      /* long long; null when negative */
    PRINTER_CHANGE,      /* long long; null unless the int at .count is set */
    PRINTER_FLAG,        /* int; json true/false, tsv/csv 1/0 */
    PRINTER_SCORE,       /* double */
    PRINTER_LINE_FIRST,  /* the first of the unsigned array at .at (.count elements), or 0 */
    PRINTER_LINE_LAST,   /* the last of it, or 0 */
    PRINTER_LINES,       /* that array: [1,2]; tsv/csv "1 2" */
    PRINTER_LINES_TEXT,  /* const char * "12,13": json [12,13]; tsv/csv as is */
    PRINTER_SPANS,       /* result_span array: [[a,b],…]; tsv/csv "a-b …" */
    PRINTER_MINISTRIES,  /* result_ministry array: [{"name","lead"}]; tsv/csv 経済産業省、◎厚生労働省 */
    PRINTER_STRINGS,     /* const char *const array: ["a",…] (json only) */
    PRINTER_FY_COUNTS,   /* int array at .at, size_t array at .with: {"2024":3,"none":1};
                            tsv/csv "2024:3 none:1" */
    PRINTER_RECORDS,     /* array of .records->size-byte records: [{…},…]; tsv/csv: a row per
                            element, its columns among the record's own */
} printer_type;

typedef struct printer_table printer_table;

/* One output field: its name, type, and where it is in the record (offsetof). */
typedef struct printer_field {
    const char *name;
    printer_type type;
    size_t at;                    /* the value, or the array */
    size_t count;                 /* arrays: the size_t element count; CHANGE: the int flag */
    size_t with;                  /* FY_COUNTS: the counts array */
    int column;                   /* tsv/csv: column position from 1; 0 = json only */
    const char *fallback;         /* STRING: what a NULL string prints */
    const printer_table *records; /* RECORDS: the elements' table */
} printer_field;

struct printer_table {
    const printer_field *fields;  /* in json order */
    size_t n;
    size_t size;                  /* sizeof the record */
};

/* Every record kind the printer writes: a ranked passage, a --list measures row, a program
 * (with its budget lines, history and materials). */
extern const printer_table printer_result_table, printer_measure_table, printer_program_table;

#endif
