/* textfile.c — file reading and encoding detection with ICU converters (no home-made decoder).
 * Order tried: UTF-8 (strict), Shift_JIS (windows-31j), EUC-JP; the first that decodes wins. */
#include "textfile.h"

#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>

void textfile_free(textfile *tf)
{
    if (!tf)
        return;
    free(tf->data);
    tf->data = NULL;
    tf->len = 0;
}

/* Binary files are full of control bytes (NUL above all), which text in any encoding here has
 * only by accident; a stray NUL in a good text file must not cost the whole file. */
static int looks_binary(const char *raw, size_t len)
{
    size_t control = 0, sample = len < 65536 ? len : 65536;
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = (unsigned char)raw[i];
        control += c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
    }
    return sample > 0 && control * 10 > sample; /* more than 10 % control bytes */
}

/* Converts raw with the named ICU converter, stopping at the first illegal sequence.
 * Returns SH_OK with *out malloc'd UTF-8, SH_ERR_INVALID if raw is not in that encoding. */
static int convert_strict(const char *name, const char *raw, size_t len, char **out,
                          size_t *out_len)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *from = ucnv_open(name, &st);
    if (U_FAILURE(st))
        return SH_ERR;
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    UConverter *to = ucnv_open("UTF-8", &st);
    size_t cap = len * 3 / 2 + 16;
    char *buf = U_SUCCESS(st) ? malloc(cap) : NULL;
    int rc = SH_ERR_NOMEM;
    if (buf) {
        char *target = buf;
        const char *source = raw;
        ucnv_convertEx(to, from, &target, buf + cap - 1, &source, raw + len, NULL, NULL, NULL,
                       NULL, 1, 1, &st);
        if (U_SUCCESS(st)) {
            *target = '\0';
            *out = buf;
            *out_len = (size_t)(target - buf);
            rc = SH_OK;
        } else {
            free(buf);
            rc = st == U_BUFFER_OVERFLOW_ERROR ? SH_ERR_NOMEM : SH_ERR_INVALID;
        }
    }
    ucnv_close(from);
    ucnv_close(to);
    return rc;
}

int textfile_decode(const char *raw, size_t raw_len, textfile *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    out->raw_len = raw_len;
    if (looks_binary(raw, raw_len))
        return sh_fail(errmsg, SH_ERR_INVALID, "not text (binary data), skipped");
    const char *src = raw;
    size_t src_len = raw_len;
    if (src_len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        src += 3, src_len -= 3;
    char *text = NULL;
    size_t len = 0;
    if (sh_utf8_valid(src, src_len)) {
        text = malloc(src_len + 1);
        if (!text)
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        memcpy(text, src, src_len);
        text[src_len] = '\0';
        len = src_len;
        out->encoding = "UTF-8";
    } else {
        static const struct { const char *icu_name, *label; } fallbacks[] = {
            {"windows-31j", "Shift_JIS"}, {"EUC-JP", "EUC-JP"}};
        for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0] && !text; i++) {
            int rc = convert_strict(fallbacks[i].icu_name, raw, raw_len, &text, &len);
            if (rc == SH_ERR_NOMEM)
                return sh_fail(errmsg, rc, "out of memory");
            if (rc == SH_OK)
                out->encoding = fallbacks[i].label;
        }
        if (!text)
            return sh_fail(errmsg, SH_ERR_INVALID,
                           "not text in UTF-8, Shift_JIS or EUC-JP, skipped");
    }
    /* Control characters would break records and terminals; keep tab and line ends. */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            text[i] = ' ';
    }
    out->data = text;
    out->len = len;
    return SH_OK;
}

int textfile_read(const char *path, textfile *out, char **errmsg)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return sh_fail(errmsg, SH_ERR_IO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        int e = errno;
        fclose(f);
        return sh_fail(errmsg, SH_ERR_IO, "cannot stat: %s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        fclose(f);
        return sh_fail(errmsg, SH_ERR_IO, "is a directory");
    }
    if ((size_t)st.st_size > TEXTFILE_MAX_BYTES) {
        fclose(f);
        return sh_fail(errmsg, SH_ERR_RANGE, "file larger than %zu MB, skipped",
                       TEXTFILE_MAX_BYTES >> 20);
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *raw = malloc(cap);
    if (!raw) {
        fclose(f);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    /* Read to EOF rather than trusting st_size: the file may grow or shrink meanwhile. */
    for (;;) {
        if (len == cap - 1) {
            if (cap > TEXTFILE_MAX_BYTES) {
                free(raw);
                fclose(f);
                return sh_fail(errmsg, SH_ERR_RANGE, "file larger than %zu MB, skipped",
                               TEXTFILE_MAX_BYTES >> 20);
            }
            char *bigger = realloc(raw, cap * 2);
            if (!bigger) {
                free(raw);
                fclose(f);
                return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            }
            raw = bigger;
            cap *= 2;
        }
        size_t n = fread(raw + len, 1, cap - 1 - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int read_error = ferror(f);
    int e = errno;
    fclose(f);
    if (read_error) {
        free(raw);
        return sh_fail(errmsg, SH_ERR_IO, "read error: %s", strerror(e));
    }
    int rc = textfile_decode(raw, len, out, errmsg);
    free(raw);
    return rc;
}
