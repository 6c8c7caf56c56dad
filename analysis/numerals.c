/* numerals.c — kanji numerals up to 9999 read and written (see numerals.h). Pure functions over
 * UTF-8 bytes. */
#include "shiryo/numerals.h"

#include "shiryo/utf8.h"

#include <string.h>

static const char *const KANJI_DIGITS[10] = {"〇", "一", "二", "三", "四",
                                             "五", "六", "七", "八", "九"};

/* 0-9 for a kanji digit, 10/100/1000 for 十百千, -1 otherwise. */
static int kanji_value(unsigned cp)
{
    switch (cp) {
    case 0x3007: return 0;    /* 〇 */
    case 0x4E00: return 1;    /* 一 */
    case 0x4E8C: return 2;    /* 二 */
    case 0x4E09: return 3;    /* 三 */
    case 0x56DB: return 4;    /* 四 */
    case 0x4E94: return 5;    /* 五 */
    case 0x516D: return 6;    /* 六 */
    case 0x4E03: return 7;    /* 七 */
    case 0x516B: return 8;    /* 八 */
    case 0x4E5D: return 9;    /* 九 */
    case 0x5341: return 10;   /* 十 */
    case 0x767E: return 100;  /* 百 */
    case 0x5343: return 1000; /* 千 */
    default: return -1;
    }
}

size_t numerals_read_kanji(const char *s, size_t len, size_t i, unsigned *value)
{
    int vals[16];
    size_t n = 0, at = i;
    int has_multiplier = 0;
    while (at < len && n < sizeof vals / sizeof vals[0]) {
        unsigned cp;
        size_t step = sh_utf8_next(s, len, at, &cp);
        int v = kanji_value(cp);
        if (v < 0)
            break;
        has_multiplier |= v >= 10;
        vals[n++] = v;
        at += step;
    }
    if (n == 0 || (at < len && n == sizeof vals / sizeof vals[0]))
        return 0;
    unsigned total = 0;
    if (!has_multiplier) {
        if (n > 4)
            return 0;
        for (size_t k = 0; k < n; k++)
            total = total * 10 + (unsigned)vals[k];
    } else {
        int digit = -1, last_multiplier = 10000;
        for (size_t k = 0; k < n; k++) {
            int v = vals[k];
            if (v < 10) {
                if (digit >= 0 || v == 0) /* 二三十, 〇 among multipliers */
                    return 0;
                digit = v;
            } else {
                if (v >= last_multiplier) /* 十十, 十百 */
                    return 0;
                total += (unsigned)(digit < 0 ? 1 : digit) * (unsigned)v;
                last_multiplier = v;
                digit = -1;
            }
        }
        if (digit >= 0)
            total += (unsigned)digit;
    }
    *value = total;
    return at - i;
}

size_t numerals_read_arabic(const char *s, size_t len, size_t i, unsigned *value)
{
    unsigned total = 0;
    size_t at = i, digits = 0;
    while (at < len) {
        unsigned cp;
        size_t step = sh_utf8_next(s, len, at, &cp);
        int d = cp >= '0' && cp <= '9' ? (int)(cp - '0')
                : cp >= 0xFF10 && cp <= 0xFF19 ? (int)(cp - 0xFF10) : -1;
        if (d < 0)
            break;
        if (++digits > 9)
            return 0;
        total = total * 10 + (unsigned)d;
        at += step;
    }
    if (!digits)
        return 0;
    *value = total;
    return at - i;
}

int numerals_format_kanji(unsigned value, char *out, size_t cap)
{
    if (value < 1 || value > 9999 || cap == 0)
        return -1;
    static const char *const MULTIPLIERS[4] = {"千", "百", "十", ""};
    static const unsigned PLACES[4] = {1000, 100, 10, 1};
    size_t len = 0;
    for (int k = 0; k < 4; k++) {
        unsigned d = value / PLACES[k] % 10;
        if (!d)
            continue;
        /* 十, 百, 千 alone mean one of them: 十二, not 一十二 */
        const char *digit = d == 1 && k < 3 ? "" : KANJI_DIGITS[d];
        size_t dl = strlen(digit), ml = strlen(MULTIPLIERS[k]);
        if (len + dl + ml + 1 > cap)
            return -1;
        memcpy(out + len, digit, dl);
        memcpy(out + len + dl, MULTIPLIERS[k], ml);
        len += dl + ml;
    }
    out[len] = '\0';
    return (int)len;
}
