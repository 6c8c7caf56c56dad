/* recfield.h — one field of a stored record whose fields end in '\n' (schema.h) that may hold
 * any byte: a file's path. Encoded here and decoded here, nowhere else. */
#ifndef SHIRYO_RECFIELD_H
#define SHIRYO_RECFIELD_H

#include "shiryo/buf.h"

/* Appends s with '\\' as "\\\\" and '\n' as "\\n" (no terminator). SH_OK or SH_ERR_NOMEM. */
int sh_recfield_put(sh_buf *b, const char *s);

/* Decodes a field written by sh_recfield_put, in place. */
void sh_recfield_decode(char *s);

#endif
