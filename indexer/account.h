/* account.h — body accounting, the last step before indexing: every non-blank character of every
 * body line must be in exactly one passage. Owns the per-line character count and the repair of
 * what a stage dropped; it does not cut passages (passage.c) or lay out columns (columns.c). */
#ifndef SHIRYO_ACCOUNT_H
#define SHIRYO_ACCOUNT_H

#include <stddef.h>

#include "page.h"
#include "passage.h"

/* Set this environment variable to 1 (the test suite does) to abort, naming the file line,
 * when a stage dropped or duplicated text: a bug that accounting would otherwise repair. */
#define ACCOUNT_STRICT_ENV "SHIRYO_ACCOUNT_STRICT"

typedef struct account_result {
    size_t body_chars;     /* non-blank code points in the body lines */
    size_t missing_chars;  /* of them, in no passage */
    size_t extra_chars;    /* code points passages attribute to a line that does not hold them
                            * (text duplicated, or attributed to the wrong line) */
    unsigned first_bad_line; /* 1-based line of the first missing or extra character, 0 if none */
} account_result;

/* Counts, line by line, the body's non-blank characters against those the passages hold. */
int account_check(const page *p, const passage_set *set, account_result *out, char **errmsg);

/* Runs account_check and adds every missing stretch of text as a passage of its own at its
 * source lines (consecutive lines join; column 1). set->reattached counts the characters added.
 * Under ACCOUNT_STRICT_ENV=1, missing or extra text aborts with a message on stderr. */
int account_repair(const page *p, passage_set *set, char **errmsg);

#endif
