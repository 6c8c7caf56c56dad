/* printer.h — the only way results reach stdout: one interface, one implementation per
 * format (text, json, jsonl, tsv, csv). Search code fills result records and never prints.
 * Field names here are the stable, documented output schema (README, docs/result.schema.json). */
#ifndef SHIRYO_PRINTER_H
#define SHIRYO_PRINTER_H

#include <stddef.h>
#include <stdio.h>

typedef struct result_ministry {
    const char *name;
    int lead;
} result_ministry;

typedef struct result_span {
    size_t start, end;   /* code-point offsets into text, [start, end) */
} result_span;

/* One ranked passage with its source reference; all strings non-NULL. */
typedef struct result {
    size_t rank;             /* 1-based */
    double score;
    const char *file;
    const unsigned *lines;   /* every source line the passage draws from, ascending */
    size_t nlines;
    const char *title, *material, *url, *source, *meeting, *session, *date, *publisher;
    int page;                /* 0 = unknown */
    const char *section, *measure;
    int column;
    const char *column_label;
    int fiscal_year;         /* 0 = none */
    const char *fiscal_year_label;
    result_ministry *ministries;
    size_t nministries;
    const char *text;
    result_span *highlights;
    size_t nhighlights;
} result;

enum printer_format { FORMAT_TEXT = 0, FORMAT_JSON, FORMAT_JSONL, FORMAT_TSV, FORMAT_CSV };

typedef struct printer_opts {
    int format;
    int color;               /* ANSI colour in text output (only on a terminal) */
    size_t context;          /* text output: characters of context around mentions; 0 = all */
    const char *query;       /* echoed by json */
} printer_opts;

typedef struct printer printer;

/* Parses a format name; returns -1 when unknown. */
int printer_format_from_name(const char *name);

int printer_new(FILE *out, const printer_opts *opts, printer **out_printer);
void printer_result(printer *p, const result *r);
/* Ends the output (json: closes the array and writes the total). */
void printer_end(printer *p, size_t total);
void printer_free(printer *p);

#endif
