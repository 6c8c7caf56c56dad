/* diag.h — one-line diagnostics: building malloc'd error messages (errmsg convention) and
 * printing warnings/errors to stderr. Owns no global state: the program name is passed in. */
#ifndef SHIRYO_DIAG_H
#define SHIRYO_DIAG_H

#include <stdarg.h>

/* Sets *errmsg (if errmsg is non-NULL) to a malloc'd printf-formatted message, replacing and
 * freeing any previous one. Returns status unchanged, so callers can `return sh_fail(...)`. */
int sh_fail(char **errmsg, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same with a va_list. */
int sh_vfail(char **errmsg, int status, const char *fmt, va_list ap);

/* The status an errno stands for: SH_ERR_NOSPACE (ENOSPC, EDQUOT), SH_ERR_PERM (EACCES, EPERM,
 * EROFS), SH_ERR_NOTFOUND (ENOENT), SH_ERR_NOMEM (ENOMEM), otherwise SH_ERR_IO. */
int sh_errno_status(int err);

/* Prefixes an existing *errmsg with "prefix: " (e.g. a file name). Keeps status. */
int sh_fail_prefix(char **errmsg, int status, const char *prefix);

#endif
