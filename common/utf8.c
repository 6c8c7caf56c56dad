/* utf8.c — UTF-8 decoding, validation and encoding (see utf8.h). One well-formedness check
 * (decode_one) under every entry point but the inline fast cases of sh_utf8_scan, which
 * test_utf8 compares with it on every input they cover. */
#include "shiryo/utf8.h"

/* The well-formed sequence at u[0..avail): its length and code point, or 0 when there is none. */
static size_t decode_one(const unsigned char *u, size_t avail, uint32_t *cp)
{
    unsigned c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0/C1 (always overlong) or F5..FF */
    }
    if (avail < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

int sh_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = sh_utf8_scan(s, len, i, &cp);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

size_t sh_utf8_scan_slow(const char *s, size_t len, size_t i, uint32_t *cp)
{
    return decode_one((const unsigned char *)s + i, len - i, cp);
}

size_t sh_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    unsigned v;
    size_t n = sh_utf8_next(s, len, 0, &v);
    *cp = v;
    return n;
}

size_t sh_utf8_prev(const char *s, size_t end, unsigned *cp)
{
    if (end == 0) {
        *cp = 0;
        return 0;
    }
    size_t i = end - 1;
    size_t stop = end >= 4 ? end - 4 : 0;
    while (i > stop && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    uint32_t v;
    size_t n = decode_one((const unsigned char *)s + i, end - i, &v);
    if (n == 0 || i + n != end) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

size_t sh_utf8_char_start(const char *s, size_t i)
{
    while (i > 0 && sh_utf8_is_continuation((unsigned char)s[i]))
        i--;
    return i;
}

size_t sh_utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t sh_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}
