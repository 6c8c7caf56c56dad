/* visible.h — writing a path or message into a line of text output: a file name may hold any
 * byte but NUL, and a newline, tab or escape in it must neither break the line nor reach the
 * terminal as a control. */
#ifndef SHIRYO_VISIBLE_H
#define SHIRYO_VISIBLE_H

#include <stdio.h>

/* Writes s with each control character (bytes 0x01-0x1f and 0x7f) as a visible escape: \n, \t,
 * \r, or \xHH; every other byte as it is. Returns 0, or EOF when a write failed. */
int sh_fputs_visible(const char *s, FILE *out);

#endif
