/* textfile.c — file reading and encoding detection with ICU converters (no home-made decoder).
 * Order tried: UTF-8 (strict), Shift_JIS (windows-31j), EUC-JP; the first that decodes wins. */
#include "textfile.h"

#include "shiryo/diag.h"
#include "shiryo/utf8.h"
#include "shiryo/status.h"

#include <errno.h>
#include <stdint.h>
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

/* Characters a Japanese text seldom holds but a wrong legacy decoding produces in numbers. */
static size_t unlikely_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += sh_utf8_decode(s + i, len - i, &cp);
        n += (cp >= 0xFF61 && cp <= 0xFF9F) || (cp >= 0xE000 && cp <= 0xF8FF) ||
             (cp >= 0x80 && cp < 0xA0);
    }
    return n;
}

/* Invalid sequences in len bytes of would-be UTF-8: the bytes that start no well-formed sequence
 * (a well-formed U+FFFD is three bytes, a replaced byte one). */
static size_t count_invalid_utf8(const char *s, size_t len)
{
    size_t bad = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = sh_utf8_next(s, len, i, &cp);
        bad += n == 1 && cp == 0xFFFD;
        i += n;
    }
    return bad;
}

/* Converts raw from the named ICU encoding to UTF-8. strict: stop at the first illegal sequence
 * (SH_ERR_INVALID: raw is not in that encoding); otherwise replace each one by U+FFFD. Returns
 * SH_OK with *out malloc'd and NUL-terminated. No input byte becomes more than 3 bytes of UTF-8
 * (a half-width katakana byte of Shift_JIS, a replaced byte), so len * 3 always fits. */
static int convert_to_utf8(const char *name, int strict, const char *raw, size_t len, char **out,
                           size_t *out_len)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *from = ucnv_open(name, &st);
    UConverter *to = U_SUCCESS(st) ? ucnv_open("UTF-8", &st) : NULL;
    static const UChar replacement[] = {0xFFFD};
    if (U_SUCCESS(st) && strict)
        ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    else if (U_SUCCESS(st))
        ucnv_setSubstString(from, replacement, 1, &st);
    size_t cap = len * 3 + 16;
    char *buf = U_SUCCESS(st) ? malloc(cap) : NULL;
    int rc = U_SUCCESS(st) ? SH_ERR_NOMEM : SH_ERR;
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
            rc = strict ? SH_ERR_INVALID : SH_ERR;
        }
    }
    ucnv_close(from);
    ucnv_close(to);
    return rc;
}

/* Decodes UTF-8 with every invalid sequence replaced by U+FFFD, counting them. */
static int utf8_with_replacement(const char *raw, size_t len, char **out, size_t *out_len,
                                 size_t *replaced)
{
    int rc = convert_to_utf8("UTF-8", 0, raw, len, out, out_len);
    if (rc == SH_OK)
        *replaced = count_invalid_utf8(raw, len);
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
    } else if (count_invalid_utf8(src, src_len) * 100 <= src_len) {
        /* At most 1 % of bytes bad: UTF-8 with a few corrupt bytes (Japanese in Shift_JIS or
         * EUC-JP read as UTF-8 fails on nearly every character), before a legacy decoding that
         * might accept the bytes by accident. */
        int rc = utf8_with_replacement(src, src_len, &text, &len, &out->replaced);
        if (rc)
            return sh_fail(errmsg, rc, rc == SH_ERR_NOMEM ? "out of memory"
                                                          : "cannot decode the UTF-8 text");
        out->encoding = "UTF-8";
    } else {
        static const struct { const char *icu_name, *label; } fallbacks[] = {
            {"windows-31j", "Shift_JIS"}, {"EUC-JP", "EUC-JP"}};
        /* Short texts can be valid in both: keep the reading with fewer unlikely characters
         * (half-width katakana, private use), Shift_JIS on a tie. */
        size_t best_score = (size_t)-1;
        for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
            char *candidate = NULL;
            size_t candidate_len = 0;
            int rc = convert_to_utf8(fallbacks[i].icu_name, 1, raw, raw_len, &candidate,
                                     &candidate_len);
            if (rc == SH_ERR_NOMEM) {
                free(text);
                return sh_fail(errmsg, rc, "out of memory");
            }
            if (rc != SH_OK)
                continue;
            size_t score = unlikely_chars(candidate, candidate_len);
            if (score < best_score) {
                free(text);
                text = candidate;
                len = candidate_len;
                best_score = score;
                out->encoding = fallbacks[i].label;
            } else {
                free(candidate);
            }
        }
        /* Neither: UTF-8 with a few corrupt bytes (at most 1 in 10; Japanese in Shift_JIS or
         * EUC-JP read as UTF-8 fails on nearly every character) keeps its good text. */
        if (!text && count_invalid_utf8(src, src_len) * 10 <= src_len) {
            int rc = utf8_with_replacement(src, src_len, &text, &len, &out->replaced);
            if (rc == SH_ERR_NOMEM)
                return sh_fail(errmsg, rc, "out of memory");
            if (rc == SH_OK)
                out->encoding = "UTF-8";
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
