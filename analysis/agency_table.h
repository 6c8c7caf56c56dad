/* agency_table.h — the row type of the table generated from analysis/agencies.tsv (internal to
 * agency.c and the generated agencies_table.c). */
#ifndef SHIRYO_AGENCY_TABLE_H
#define SHIRYO_AGENCY_TABLE_H

typedef struct agency_row {
    const char *name;    /* official name today */
    const char *tag;     /* one-character plan-table tag, or "-" */
    const char *shorts;  /* short names, '|'-separated, or "-" */
    const char *former;  /* former names "名@1938-2000", '|'-separated, or "-" */
} agency_row;

extern const agency_row agency_rows[];
extern const unsigned agency_nrows;

#endif
