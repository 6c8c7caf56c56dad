/* printer.h — the only way results reach stdout: one interface over the output formats (text,
 * json, jsonl, tsv, csv). The fields of each record are listed once, in printer.c's field tables,
 * which drive every machine format; the formats' writers are the emit_*.c family (emit.h). Search
 * code fills result records (result.h) and never prints. Field names are the stable, documented
 * output schema (README, docs/result.schema.json). */
#ifndef SHIRYO_PRINTER_H
#define SHIRYO_PRINTER_H

#include <stddef.h>
#include <stdio.h>

#include "expand.h"
#include "result.h"

enum printer_format { FORMAT_TEXT = 0, FORMAT_JSON, FORMAT_JSONL, FORMAT_TSV, FORMAT_CSV };

typedef struct printer_opts {
    int format;
    int color;               /* ANSI colour in text output (only on a terminal) */
    size_t context;          /* text output: characters of context around mentions; 0 = all */
    const char *query;       /* echoed by json */
    int unframed;            /* --count, --list, --programs: no result-list header or frame */
    const char *fields;      /* tsv/csv: comma-separated columns to print (NULL = all) */
    /* A partial answer (--partial): the parts left out; json marks its envelope with
     * "partial_answer": true and "missing_parts": [names]. */
    const char *const *missing_parts;
    size_t nmissing_parts;
    const expand_word *expanded; /* the query words that were expanded, said once (text: a
                                    first line; json: "expanded") */
    size_t nexpanded;
} printer_opts;

typedef struct printer printer;

/* Parses a format name; returns -1 when unknown. */
int printer_format_from_name(const char *name);

/* Starts the output. SH_ERR_INVALID (message in *errmsg) for an unknown --fields column.
 * This and every printer_* call below return SH_ERR_IO once a write to the stream failed (no
 * message: main reports the failed write when it closes stdout; *out_printer is set and must
 * still be freed), SH_ERR_NOMEM when memory runs out, else SH_OK. */
int printer_new(FILE *out, const printer_opts *opts, printer **out_printer, char **errmsg);
int printer_result(printer *p, const result *r);
/* The sink that prints each passage with printer_result (for search_run and search_fill). */
result_sink printer_sink(printer *p);
/* Ends a result list (json: closes the array, writes the total and facets; text: facets block). */
int printer_end(printer *p, const summary *s);
/* Prints only counts (--count): passages, mentions and facets. */
int printer_count(printer *p, const summary *s);
/* Prints one measure row (--list measures); json wraps rows in {"measures": [...]}.
 * printer_measures_begin/end frame the list. */
int printer_measures_begin(printer *p);
int printer_measure(printer *p, const measure_row *m);
int printer_measures_end(printer *p, size_t n);

/* --programs: one row per program; json wraps rows in {"programs": [...], "total": n}. */
int printer_programs_begin(printer *p);
int printer_program(printer *p, const program_row *row);
int printer_programs_end(printer *p, size_t n);

/* The errno of the first failed write a printer_* call reported (SH_ERR_IO), or 0: what main
 * reports when standard output closes (sh_about_close_stdout_after). */
int printer_write_errno(const printer *p);
void printer_free(printer *p);

#endif
