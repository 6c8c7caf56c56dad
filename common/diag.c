/* diag.c — builds malloc'd one-line error messages for the errmsg convention.
 * Printing to stderr stays in the programs' main.c; this file never writes output. */
#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sh_status_str(int status)
{
    switch (status) {
    case SH_OK: return "ok";
    case SH_ERR: return "error";
    case SH_ERR_NOMEM: return "out of memory";
    case SH_ERR_IO: return "I/O error";
    case SH_ERR_INVALID: return "invalid input";
    case SH_ERR_NOTFOUND: return "not found";
    case SH_ERR_LOCKED: return "locked";
    case SH_ERR_CORRUPT: return "corrupt";
    case SH_ERR_MODIFIED: return "modified";
    case SH_ERR_VERSION: return "version mismatch";
    case SH_ERR_RANGE: return "limit exceeded";
    case SH_ERR_NOSPACE: return "no space left on the disk";
    case SH_ERR_PERM: return "permission denied";
    case SH_ERR_NETWORK: return "remote part not answering";
    default: return "unknown status";
    }
}

int sh_vfail(char **errmsg, int status, const char *fmt, va_list ap)
{
    if (!errmsg)
        return status;
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    free(*errmsg);
    *errmsg = NULL;
    if (len < 0)
        return status;
    char *msg = malloc((size_t)len + 1);
    if (!msg)
        return status;
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    *errmsg = msg;
    return status;
}

int sh_fail(char **errmsg, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sh_vfail(errmsg, status, fmt, ap);
    va_end(ap);
    return status;
}

int sh_fail_prefix(char **errmsg, int status, const char *prefix)
{
    if (!errmsg)
        return status;
    const char *old = *errmsg ? *errmsg : sh_status_str(status);
    size_t len = strlen(prefix) + 2 + strlen(old) + 1;
    char *msg = malloc(len);
    if (!msg)
        return status;
    snprintf(msg, len, "%s: %s", prefix, old);
    free(*errmsg);
    *errmsg = msg;
    return status;
}

int sh_errno_status(int err)
{
    switch (err) {
    case ENOSPC: case EDQUOT: return SH_ERR_NOSPACE;
    case EACCES: case EPERM: case EROFS: return SH_ERR_PERM;
    case ENOENT: return SH_ERR_NOTFOUND;
    case ENOMEM: return SH_ERR_NOMEM;
    default: return SH_ERR_IO;
    }
}
