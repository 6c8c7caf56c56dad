/* textfile.h — reads one input file into clean UTF-8: detects UTF-8 (with or without BOM),
 * Shift_JIS/CP932 and EUC-JP and converts with ICU; rejects binary. Owns decoding only. */
#ifndef SHIRYO_TEXTFILE_H
#define SHIRYO_TEXTFILE_H

#include <stddef.h>

#define TEXTFILE_MAX_BYTES ((size_t)256 << 20) /* larger inputs are skipped, not truncated */

typedef struct textfile {
    char *data;            /* UTF-8, NUL-terminated; control characters other than \t \n \r
                              replaced by spaces; BOM removed */
    size_t len;
    const char *encoding;  /* "UTF-8", "Shift_JIS", "EUC-JP" (static) */
    size_t replaced;       /* invalid UTF-8 sequences replaced by U+FFFD in an otherwise UTF-8
                              file (a few corrupt bytes must not cost the whole file) */
    size_t raw_len;        /* bytes on disk */
} textfile;

/* Reads path. SH_ERR_IO (unreadable, vanished: message from errno), SH_ERR_INVALID (binary or
 * no supported encoding: message says so), SH_ERR_RANGE (too large), SH_ERR_NOMEM. The message
 * does not repeat the path; callers prefix it. */
int textfile_read(const char *path, textfile *out, char **errmsg);

/* Decodes raw bytes as textfile_read does (for tests and fuzzing). */
int textfile_decode(const char *raw, size_t raw_len, textfile *out, char **errmsg);

void textfile_free(textfile *tf);

#endif
