/* status.h — the one error vocabulary shared by every shiryo module.
 * Functions return an int status (SH_OK on success) and, where they take a char **errmsg,
 * set it to a malloc'd one-line message on failure (the caller frees it; NULL is allowed). */
#ifndef SHIRYO_STATUS_H
#define SHIRYO_STATUS_H

enum sh_status {
    SH_OK = 0,
    SH_ERR = 1,          /* generic failure; the message says what */
    SH_ERR_NOMEM,        /* allocation failed */
    SH_ERR_IO,           /* reading or writing a file failed */
    SH_ERR_INVALID,      /* bad argument or malformed input */
    SH_ERR_NOTFOUND,     /* a file, index or document does not exist */
    SH_ERR_LOCKED,       /* the index is locked by another writer */
    SH_ERR_CORRUPT,      /* the index or a file is damaged or foreign */
    SH_ERR_MODIFIED,     /* the index changed under a reader; reopen and retry */
    SH_ERR_VERSION,      /* index built by an incompatible schema or analyzer */
    SH_ERR_RANGE,        /* a size or depth limit was exceeded */
    SH_ERR_NOSPACE,      /* the disk (or quota) is full */
    SH_ERR_PERM,         /* permission denied: the data may be fine, the user cannot reach it */
    SH_ERR_NETWORK       /* a remote part (xapian-tcpsrv) is down, refused or timed out */
};

/* Returns a static, human-readable name for a status; never NULL. */
const char *sh_status_str(int status);

#endif
