/* progrec.h — the program records of a passage (its PF_PROGRAMS field, schema.h): program
 * mentions and budget lines, encoded by the indexer (both extractors), decoded by --programs,
 * here and nowhere else. Records are joined by PROGRAM_RS, their fields by PROGRAM_FS. */
#ifndef SHIRYO_PROGREC_H
#define SHIRYO_PROGREC_H

#include "shiryo/buf.h"
#include "shiryo/schema.h"

#include <stddef.h>

enum sh_progrec_tag {
    SH_PROGREC_NONE = 0,        /* a record this shiryo cannot read */
    SH_PROGREC_MENTION = 'M',   /* name successor_of lines */
    SH_PROGREC_BUDGET = 'B'     /* name fiscal_year kind amount within parent lines unit */
};

/* One record. Encoding reads line_numbers/nlines; decoding sets lines (the stored "12,13"). */
typedef struct sh_progrec {
    enum sh_progrec_tag tag;
    const char *name;           /* display form (NFKC, case kept) */
    const char *successor_of;   /* mention: the program it succeeds, "" */
    int fiscal_year;            /* budget */
    const char *kind;           /* budget: "request", "budget", ... */
    long long amount_yen;       /* budget */
    int within;                 /* budget: 1 when the amount is part of a larger one */
    const char *parent;         /* budget: the larger program, "" */
    const char *unit;           /* budget: the unit as written (億円, 百万円, 千円) */
    const unsigned *line_numbers; /* encoding: the source lines it was read from */
    size_t nlines;
    const char *lines;          /* decoding: the source lines as stored, "12,13" */
} sh_progrec;

/* Appends r to b (a PF_PROGRAMS field being built; PROGRAM_RS first unless b is empty). NULL
 * strings are stored as "". SH_OK, SH_ERR_NOMEM, or SH_ERR_INVALID for an unknown tag. */
int sh_progrec_put(sh_buf *b, const sh_progrec *r);

/* Reads the next record of a PF_PROGRAMS field, splitting it in place: *cursor starts at the
 * (writable) field and is advanced. Returns 1 with *out filled (strings point into the field),
 * 0 at the end. A record with an unknown tag or missing fields comes back as SH_PROGREC_NONE
 * (skip it); a budget record without its unit (written before schema 5) has unit "". */
int sh_progrec_next(char **cursor, sh_progrec *out);

#endif
