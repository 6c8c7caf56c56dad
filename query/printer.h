/* printer.h — the only way results reach stdout: one interface, one implementation per
 * format (text, json, jsonl, tsv, csv). Search code fills result records and never prints.
 * Field names here are the stable, documented output schema (README, docs/result.schema.json). */
#ifndef SHIRYO_PRINTER_H
#define SHIRYO_PRINTER_H

#include <stddef.h>
#include <stdio.h>

#include "expand.h"

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
    const char *joint; /* the other meetings of a joint meeting, or "" */
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
    const char *const *matched_forms; /* the query's strings (normalized) this passage holds,
                                         and "ministry:NAME" for an expanded agency's tag */
    size_t nmatched_forms;
    const char *match;                /* "exact"; after the exact ones "page" (its page holds
                                         every word) or "partial" */
    const char *const *missing;       /* page, partial: the query's words this passage lacks */
    size_t nmissing;
} result;

/* Facet counts: how many matching passages have each value of one key. */
typedef struct facet_value {
    const char *value;
    size_t count;
} facet_value;

typedef struct facet_list {
    const char *name;        /* "fiscal_year", "measure", "ministry" */
    facet_value *values;     /* most frequent first */
    size_t n;
} facet_list;

/* What a whole search found. */
typedef struct summary {
    size_t total;            /* matching passages (exact when total_exact, else an estimate) */
    int total_exact;
    size_t mentions;         /* mentions of the query in them (when counted) */
    int have_mentions;
    const char *const *forms; /* with --count of several strings: each one (normalized) … */
    size_t *form_mentions;    /* … and its mentions (an occurrence covered by two counts twice) */
    size_t nforms;
    size_t page;              /* page matches printed after the exact ones: passages of a page
                                 that holds every word, though no one passage does */
    size_t partial;           /* partial matches printed after those */
    const facet_list *facets;
    size_t nfacets;
} summary;

/* One measure of one page, for --list measures. */
typedef struct measure_row {
    const char *measure, *section, *file, *title;
    int page;
    result_ministry *ministries;
    size_t nministries;
    size_t passages;
    const int *fiscal_years;      /* distinct fiscal years, ascending; 0 = passages without one */
    const size_t *fy_passages;    /* passages per fiscal year */
    size_t nfiscal_years;
} measure_row;

/* One budget line of a program, with where it was read. */
typedef struct program_budget {
    int fiscal_year;          /* 0 = unknown */
    const char *kind;         /* budget | proposal | supplementary | … */
    long long amount_yen;     /* -1 = unreadable */
    int within;               /* 内数: the amount is the parent's total */
    const char *parent;       /* "" when none */
    const char *file;
    const char *lines;        /* "12,13" */
    const char *measure;      /* the measure of the passage it was read from, "" when none */
    int column;               /* that passage's table column */
    int column_fiscal_year;   /* the column's fiscal year, 0 when none */
    const char *unit;         /* the unit as written (億円, 百万円, 千円), "" when not recorded */
    const char *title, *url, *meeting, *date; /* the material it was read from */
} program_budget;

/* One step of a program's history: a figure for one fiscal year and kind, however many
 * materials state it (a summary sheet's 85百万円 and the sheet's 85,485千円 are one figure). */
typedef struct program_history {
    int fiscal_year;          /* 0 = unknown */
    const char *kind;
    long long amount_yen;     /* the most precise statement; -1 = unreadable */
    int within;
    size_t sources;           /* budget lines that state it */
    int has_change;           /* 1 when the previous fiscal year has a budget (else proposal) */
    long long change_yen;     /* amount_yen minus that figure */
} program_history;

/* A material (page) that mentions a program. */
typedef struct program_material {
    const char *file, *title, *url, *meeting, *date;
    int page;
    size_t passages;
} program_material;

/* One program for --programs. */
typedef struct program_row {
    const char *name;
    size_t mentions, passages;
    const program_budget *budgets;
    size_t nbudgets;
    const char *const *successor_of;   /* programs this one succeeds */
    size_t nsuccessor_of;
    const char *const *succeeded_by;   /* programs that succeed this one */
    size_t nsucceeded_by;
    const program_material *materials; /* by meeting date (undated last), then file */
    size_t nmaterials;
    const program_history *history;    /* by fiscal year, then kind */
    size_t nhistory;
} program_row;

enum printer_format { FORMAT_TEXT = 0, FORMAT_JSON, FORMAT_JSONL, FORMAT_TSV, FORMAT_CSV,
                      FORMAT_CALLBACK };

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
    /* FORMAT_CALLBACK: every result goes to sink(sink_ctx, r) instead of a stream. */
    void (*sink)(void *sink_ctx, const result *r);
    void *sink_ctx;
} printer_opts;

typedef struct printer printer;

/* Parses a format name; returns -1 when unknown. */
int printer_format_from_name(const char *name);

/* Starts the output. SH_ERR_INVALID (message in *errmsg) for an unknown --fields column.
 * This and every printer_* call below return SH_ERR_IO once a write to the stream failed (no
 * message: main reports the failed write when it closes stdout; *out_printer is set and must
 * still be freed), else SH_OK. */
int printer_new(FILE *out, const printer_opts *opts, printer **out_printer, char **errmsg);
int printer_result(printer *p, const result *r);
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

/* Names of the tsv/csv columns, NULL-terminated (the default --fields). */
extern const char *const printer_table_columns[];

/* The errno of the first failed write a printer_* call reported (SH_ERR_IO), or 0: what main
 * reports when standard output closes (sh_about_close_stdout_after). */
int printer_write_errno(const printer *p);
void printer_free(printer *p);

#endif
