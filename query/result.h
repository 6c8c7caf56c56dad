/* result.h — the records a search produces and the printer writes: ranked passages, the
 * summary of a search, measure rows and programs; and result_sink, how each passage reaches
 * whoever consumes it (the printer, an aggregator, a benchmark). All strings non-NULL. */
#ifndef SHIRYO_RESULT_H
#define SHIRYO_RESULT_H

#include <stddef.h>

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

/* Where search_run and search_fill send each passage: emit(ctx, r) returns SH_OK, or a status
 * that stops the search and is returned by it (the printer's SH_ERR_IO after a failed write). */
typedef struct result_sink {
    int (*emit)(void *ctx, const result *r);
    void *ctx;
} result_sink;

#endif
