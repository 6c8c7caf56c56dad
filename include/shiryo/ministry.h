/* ministry.h — names of Japanese ministries and agencies: the one-character tags used in
 * basic-plan tables ([文、◎厚、◎経]), common short names (経産省) and full names. Shared by the
 * indexer (tags → names) and the query side (--ministry accepts any of the three). */
#ifndef SHIRYO_MINISTRY_H
#define SHIRYO_MINISTRY_H

#include <stddef.h>

/* Full name for a tag, short name, former name or full name (len bytes of UTF-8, exact match
 * after trimming whitespace; the names of agency.h); NULL when unknown. The string is static. */
const char *ministry_full_name(const char *name, size_t len);

/* One ministry mentioned in a tag list. */
typedef struct ministry_ref {
    const char *name;  /* static full name */
    int lead;          /* 1 when marked ◎ */
} ministry_ref;

/* Parses the last ministry tag "[…]" in text (e.g. "[文、◎厚、◎経]"). Fills up to max refs,
 * returns how many; 0 when there is no tag or no known ministry in it. *tag_start (may be NULL)
 * receives the byte offset of '[' when a tag was found. Unknown entries are skipped. */
size_t ministry_parse_tag(const char *text, size_t len, ministry_ref *refs, size_t max,
                          size_t *tag_start);

#endif
