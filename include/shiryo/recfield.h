/* recfield.h — the syntax shared by the stored records whose fields end in '\n' (schema.h): one
 * field that may hold any byte (a file's path), lists of line numbers, and splitting a record
 * into its fields. The records themselves are passrec.h, pagerec.h and progrec.h. */
#ifndef SHIRYO_RECFIELD_H
#define SHIRYO_RECFIELD_H

#include "shiryo/buf.h"

#include <stddef.h>

/* Appends s with '\\' as "\\\\" and '\n' as "\\n" (no terminator). SH_OK or SH_ERR_NOMEM. */
int sh_recfield_put(sh_buf *b, const char *s);

/* Decodes a field written by sh_recfield_put, in place. */
void sh_recfield_decode(char *s);

/* Appends n unsigned numbers as "12,13" (nothing when n is 0). SH_OK or SH_ERR_NOMEM. */
int sh_recfield_put_uints(sh_buf *b, const unsigned *v, size_t n);

/* Reads up to max numbers of a "12,13" list into out; returns how many (stops at the first
 * thing that is not a number). */
size_t sh_recfield_uints(const char *s, unsigned *out, size_t max);

/* Splits record (len bytes, writable, NUL-terminated at len) at '\n' into n fields, in place:
 * the last field takes the rest of the record, '\n' included; missing fields become "".
 * Returns how many fields the record had (n when it had them all). */
size_t sh_recfield_split(char *record, size_t len, const char **fields, size_t n);

#endif
