/* amount.c — written amounts of money (see amount.h): one cursor over the UTF-8 bytes, one part
 * (number, small unit, large unit) at a time, overflow checked at every step; the layout's amount
 * cells; the one table of budget words. */
#include "amount.h"

#include "shiryo/utf8.h"

#include <limits.h>
#include <string.h>

int amount_digit_value(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19)
        return (int)(c - 0xFF10);
    return -1;
}

/* 〇一二三四五六七八九 -> 0..9, else -1. */
static int kanji_digit(uint32_t c)
{
    static const uint32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                      0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int i = 0; i < 10; i++)
        if (digits[i] == c)
            return i;
    return -1;
}

/* 十百千 -> 1..3 (the power of ten), else 0. */
static int small_unit(uint32_t c) { return c == 0x5341 ? 1 : c == 0x767E ? 2 : c == 0x5343 ? 3 : 0; }

/* 万億兆 -> 1..3, else 0. */
static int large_unit(uint32_t c) { return c == 0x4E07 ? 1 : c == 0x5104 ? 2 : c == 0x5146 ? 3 : 0; }

static int is_comma(uint32_t c) { return c == ',' || c == 0xFF0C; }
static int is_point(uint32_t c) { return c == '.' || c == 0xFF0E; }
static int is_space(uint32_t c) { return c == ' ' || c == 0x3000; }

int amount_is_number_part(uint32_t c)
{
    return amount_digit_value(c) >= 0 || kanji_digit(c) >= 0 || is_comma(c) || is_point(c) ||
           small_unit(c) || large_unit(c);
}

int amount_may_start(uint32_t prev, uint32_t c)
{
    if (amount_digit_value(c) < 0 && kanji_digit(c) < 0 && !small_unit(c))
        return 0;
    return !amount_is_number_part(prev) && prev != 0x6570 /* 数 */ && prev != 0x4F55 /* 何 */;
}

static const long long POW10[] = {1LL, 10LL, 100LL, 1000LL};
static const long long LARGE[] = {1LL, 10000LL, 100000000LL, 1000000000000LL};

/* "円", "千円", "百万円", …: [small power][large unit]. */
static const char *const UNITS[4][4] = {
    {"円", "万円", "億円", "兆円"},
    {"十円", "十万円", "十億円", "十兆円"},
    {"百円", "百万円", "百億円", "百兆円"},
    {"千円", "千万円", "千億円", "千兆円"},
};

typedef struct cursor {
    const char *s;
    size_t len, i;
} cursor;

static uint32_t peek(const cursor *c, size_t *used)
{
    if (c->i >= c->len) {
        *used = 0;
        return 0;
    }
    unsigned cp;
    *used = sh_utf8_next(c->s, c->len, c->i, &cp);
    return cp;
}

static uint32_t peek_at(const cursor *c, size_t i)
{
    cursor d = *c;
    d.i = i;
    size_t used;
    return peek(&d, &used);
}

static int mul_ok(long long a, long long b, long long *out)
{
    if (a < 0 || b < 0 || (a != 0 && b > LLONG_MAX / a))
        return 0;
    *out = a * b;
    return 1;
}

static int add_ok(long long a, long long b, long long *out)
{
    if (a < 0 || b < 0 || b > LLONG_MAX - a)
        return 0;
    *out = a + b;
    return 1;
}

/* Arabic digits with separators and a decimal part: whole, frac / frac_scale. */
static int read_arabic(cursor *c, long long *whole, long long *frac, long long *frac_scale,
                       int *overflow)
{
    size_t used;
    int digits = 0, d;
    *whole = 0;
    *frac = 0;
    *frac_scale = 1;
    for (;;) {
        uint32_t cp = peek(c, &used);
        if ((d = amount_digit_value(cp)) >= 0) {
            if (*whole > (LLONG_MAX - d) / 10)
                *overflow = 1;
            else
                *whole = *whole * 10 + d;
            digits++;
            c->i += used;
        } else if (is_comma(cp) && digits > 0 && amount_digit_value(peek_at(c, c->i + used)) >= 0) {
            c->i += used;
        } else {
            break;
        }
    }
    if (!digits)
        return 0;
    uint32_t cp = peek(c, &used);
    if (is_point(cp) && amount_digit_value(peek_at(c, c->i + used)) >= 0) {
        c->i += used;
        while ((d = amount_digit_value(peek(c, &used))) >= 0) {
            if (*frac_scale < 1000000) { /* six decimals are more than any budget states */
                *frac = *frac * 10 + d;
                *frac_scale *= 10;
            }
            c->i += used;
        }
    }
    return 1;
}

/* Kanji numerals below 10,000: 十三, 千二百, 二〇二五 (positional), 百 (one hundred). */
static int read_kanji(cursor *c, long long *value)
{
    size_t used;
    long long acc = 0, cur = -1;
    int any = 0, last_power = 4;
    for (;;) {
        uint32_t cp = peek(c, &used);
        int d = kanji_digit(cp), p = small_unit(cp);
        if (d >= 0) {
            if (cur > 1000)
                return 0;
            cur = cur < 0 ? d : cur * 10 + d;
        } else if (p) {
            if (p >= last_power) /* 十百 is not a number */
                return 0;
            acc += (cur < 0 ? 1 : cur) * POW10[p];
            cur = -1;
            last_power = p;
        } else {
            break;
        }
        any = 1;
        c->i += used;
    }
    if (!any)
        return 0;
    *value = acc + (cur < 0 ? 0 : cur);
    return 1;
}

int amount_parse(const char *s, size_t len, amount *out)
{
    cursor c = {s, len, 0};
    long long total = 0;
    int overflow = 0, last_rank = 4;
    const char *unit = NULL;
    size_t used;
    for (int part = 0; part < 4; part++) {
        long long value = 0, fraction = 0, mult = 1;
        int small = 0, rank;
        uint32_t first = peek(&c, &used);
        if (amount_digit_value(first) >= 0) {
            long long whole, frac, frac_scale;
            read_arabic(&c, &whole, &frac, &frac_scale, &overflow);
            size_t before_space = c.i;
            if (is_space(peek(&c, &used))) { /* 7.7 億円: one space before the unit */
                c.i += used;
                uint32_t u = peek(&c, &used);
                if (!small_unit(u) && !large_unit(u) && u != 0x5186)
                    c.i = before_space;
            }
            for (int u = 0; u < 2; u++) { /* 9百万円: 十百千 multiply the figure */
                int p = small_unit(peek(&c, &used));
                if (!p || small + p > 3)
                    break;
                small += p;
                c.i += used;
            }
            rank = large_unit(peek(&c, &used));
            if (rank)
                c.i += used;
            if (!mul_ok(POW10[small], LARGE[rank], &mult) || !mul_ok(whole, mult, &value))
                overflow = 1;
            else if (frac) {
                if (mult % frac_scale == 0) {
                    if (!mul_ok(frac, mult / frac_scale, &fraction))
                        overflow = 1;
                } else if (mul_ok(frac, mult, &fraction)) {
                    fraction /= frac_scale; /* below one yen: dropped */
                } else {
                    overflow = 1;
                }
            }
        } else if (kanji_digit(first) >= 0 || small_unit(first)) {
            long long whole;
            if (!read_kanji(&c, &whole))
                return 0;
            rank = large_unit(peek(&c, &used));
            if (rank)
                c.i += used;
            if (!mul_ok(whole, LARGE[rank], &value))
                overflow = 1;
        } else {
            return 0;
        }
        if (rank && rank >= last_rank) /* 1万2億円 is not a number */
            return 0;
        if (!unit)
            unit = UNITS[small][rank];
        if (!overflow && (!add_ok(value, fraction, &value) || !add_ok(total, value, &total)))
            overflow = 1;
        uint32_t next = peek(&c, &used);
        if (next == 0x5186) { /* 円 */
            out->yen = overflow ? -1 : total;
            out->used = c.i + used;
            out->unit = unit;
            return 1;
        }
        /* 1億 may go on with 2,000万円 or 二千万円; anything else is not an amount */
        if (!rank || (amount_digit_value(next) < 0 && kanji_digit(next) < 0 && !small_unit(next)))
            return 0;
        last_rank = rank;
    }
    return 0;
}

int amount_parse_bare(const char *s, size_t len, long long unit_yen, long long *yen, size_t *used)
{
    cursor c = {s, len, 0};
    long long whole, frac, frac_scale, value = 0, fraction = 0;
    int overflow = 0;
    if (!read_arabic(&c, &whole, &frac, &frac_scale, &overflow))
        return 0;
    if (!mul_ok(whole, unit_yen, &value))
        overflow = 1;
    else if (frac && mul_ok(frac, unit_yen, &fraction))
        fraction /= frac_scale;
    else if (frac)
        overflow = 1;
    if (!overflow && !add_ok(value, fraction, &value))
        overflow = 1;
    *yen = overflow ? -1 : value;
    *used = c.i;
    return 1;
}

long long amount_unit(const char *s, size_t len, const char **spelling, size_t *used)
{
    for (int small = 3; small >= 0; small--)
        for (int rank = 3; rank >= 0; rank--) {
            const char *u = UNITS[small][rank];
            size_t l = strlen(u);
            if (l <= len && memcmp(s, u, l) == 0) {
                *spelling = u;
                *used = l;
                return POW10[small] * LARGE[rank];
            }
        }
    return 0;
}

/* ---- amount cells of a table (the layout) ---- */

/* Does s[0, len) contain the bytes of needle? */
static int has_bytes(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(s + i, needle, nl) == 0)
            return 1;
    return 0;
}

size_t amount_cell_prefix(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    while (i < len) {
        unsigned cp;
        size_t n = sh_utf8_next(s, len, i, &cp);
        if (amount_digit_value(cp) >= 0)
            digits++;
        else if (!(cp == ',' || cp == '.' || cp == 0xFF0C || cp == 0xFF0E || cp == 0x3001))
            break;
        i += n;
    }
    if (digits == 0)
        return 0;
    static const char *const units[] = {"億円", "百万円", "千万円", "万円", "千円", "円"};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t ul = strlen(units[k]);
        if (len - i >= ul && memcmp(s + i, units[k], ul) == 0)
            return i + ul;
    }
    return 0;
}

int amount_is_cell(const char *s, size_t len)
{
    static const char *const placeholders[] = {"―", "－", "—", "-", "ー", "未定", "(新規)",
                                               "（新規）", "新規", "皆減", "0", "０"};
    for (size_t k = 0; k < sizeof placeholders / sizeof placeholders[0]; k++)
        if (len == strlen(placeholders[k]) && memcmp(s, placeholders[k], len) == 0)
            return 1;
    size_t amount = amount_cell_prefix(s, len);
    return amount > 0 && len - amount <= 24 && !has_bytes(s + amount, len - amount, "。");
}

/* ---- budget words ---- */

enum { KIND = AMOUNT_USE_KIND, OF_YEAR = AMOUNT_USE_OF_YEAR, REQUEST = AMOUNT_USE_REQUEST };

/* Longest first, so 補正予算案 is not read as 予算案. Program extraction reads every word; the
 * layout knows fewer: a year before 予算額 or 予算案 is no budget's year to it, and only three
 * words mark a request. */
static const amount_word WORDS[] = {
    {"要求・要望額", AMOUNT_KIND_REQUEST, KIND},
    {"予算額（案）", AMOUNT_KIND_PROPOSAL, KIND},
    {"予算額(案)", AMOUNT_KIND_PROPOSAL, KIND},
    {"要求要望額", AMOUNT_KIND_REQUEST, KIND},
    {"補正予算案", AMOUNT_KIND_SUPPLEMENTARY_PROPOSAL, KIND},
    {"補正予算額", AMOUNT_KIND_SUPPLEMENTARY, KIND},
    {"概算要求額", AMOUNT_KIND_REQUEST, KIND},
    {"予算要求額", AMOUNT_KIND_REQUEST, KIND},
    {"当初予算額", AMOUNT_KIND_BUDGET, KIND},
    {"当初予算案", AMOUNT_KIND_PROPOSAL, KIND},
    {"政府予算案", AMOUNT_KIND_PROPOSAL, KIND},
    {"補正予算", AMOUNT_KIND_SUPPLEMENTARY, KIND | OF_YEAR},
    {"概算要求", AMOUNT_KIND_REQUEST, KIND | OF_YEAR | REQUEST},
    {"予算案額", AMOUNT_KIND_PROPOSAL, KIND},
    {"当初予算", AMOUNT_KIND_BUDGET, KIND | OF_YEAR},
    {"予算案", AMOUNT_KIND_PROPOSAL, KIND | REQUEST},
    {"予算額", AMOUNT_KIND_BUDGET, KIND},
    {"要求額", AMOUNT_KIND_REQUEST, KIND | REQUEST},
    {"要望額", AMOUNT_KIND_REQUEST, KIND},
    {"決算額", AMOUNT_KIND_SETTLEMENT, KIND},
    {"事業費", AMOUNT_KIND_OTHER, KIND},
    {"執行額", AMOUNT_KIND_OTHER, KIND},
    {"契約額", AMOUNT_KIND_OTHER, KIND},
    {"予算", AMOUNT_KIND_BUDGET, KIND | OF_YEAR},
    {"補正", AMOUNT_KIND_SUPPLEMENTARY, KIND},
    {"要求", AMOUNT_KIND_REQUEST, KIND | OF_YEAR},
    {"決算", AMOUNT_KIND_SETTLEMENT, KIND},
    {"総額", AMOUNT_KIND_OTHER, KIND},
};

const amount_word *amount_words(size_t *n)
{
    *n = sizeof WORDS / sizeof WORDS[0];
    return WORDS;
}

const amount_word *amount_word_at(const char *s, size_t len, unsigned uses, size_t *used)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++) {
        if (!(WORDS[i].uses & uses))
            continue;
        size_t l = strlen(WORDS[i].text);
        if (l <= len && memcmp(s, WORDS[i].text, l) == 0) {
            *used = l;
            return &WORDS[i];
        }
    }
    return NULL;
}

int amount_has_word(const char *s, size_t len, unsigned uses)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
        if ((WORDS[i].uses & uses) && has_bytes(s, len, WORDS[i].text))
            return 1;
    return 0;
}
