/* passrec.h — the passage record (a Xapian document's data; fields in schema.h enum
 * passage_field): encoded by the indexer, decoded by the query side, here and nowhere else. */
#ifndef SHIRYO_PASSREC_H
#define SHIRYO_PASSREC_H

#include "shiryo/buf.h"
#include "shiryo/ministry.h"
#include "shiryo/schema.h"

#include <stddef.h>

/* What the indexer stores of one passage. */
typedef struct sh_passrec {
    const char *page_key;           /* to fetch the page record (pagerec.h) */
    const unsigned *lines;          /* 1-based source lines, ascending */
    size_t nlines;
    const char *section, *measure;
    int column;                     /* 1-based */
    const char *column_label;
    int fiscal_year;                /* Western year; <= 0: none (stored as "") */
    const char *fy_label;
    const ministry_ref *ministries;
    size_t nministries;
    unsigned ordinal;               /* passage number within its page, from 0 */
    const char *programs;           /* PF_PROGRAMS: progrec.h records, "" when none */
    const char *text;               /* as in the source, any bytes but NUL */
    size_t text_len;
} sh_passrec;

/* Replaces b's contents with the record of r. No field but the text may hold '\n'.
 * SH_OK or SH_ERR_NOMEM. */
int sh_passrec_encode(sh_buf *b, const sh_passrec *r);

/* Splits data (len bytes, writable, NUL-terminated at len) into its fields in place; fields[f]
 * for every f < PF_COUNT is then a string ("" when missing). SH_OK, or SH_ERR_CORRUPT when data
 * is not a passage record of this schema (fields missing, wrong magic). */
int sh_passrec_decode(char *data, size_t len, const char *fields[PF_COUNT]);

/* Reads up to max ministries of a PF_MINISTRIES field ("name:1,name:0"), in place: names point
 * into field. Returns how many. */
size_t sh_passrec_ministries(char *field, ministry_ref *out, size_t max);

#endif
