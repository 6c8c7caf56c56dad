/* era.c — Japanese era / fiscal-year parsing and formatting (see shiryo/era.h).
 * Pure functions over UTF-8 bytes; no allocation, no locale. */
#include "shiryo/era.h"
#include "shiryo/utf8.h"
#include "shiryo/numerals.h"

#include <stdio.h>
#include <string.h>

typedef struct era_def {
    const char *name;   /* UTF-8 era name */
    char letter;        /* upper-case letter abbreviation */
    int base;           /* Western year = base + era year */
    int first;          /* first Western (fiscal) year written in this era */
} era_def;

/* Newest first, so formatting picks the era in force for most of the year. */
static const era_def ERAS[] = {
    {"令和", 'R', 2018, 2019},
    {"平成", 'H', 1988, 1989},
    {"昭和", 'S', 1925, 1927},
    {"大正", 'T', 1911, 1912},
    {"明治", 'M', 1867, 1868},
};
#define ERA_COUNT (sizeof ERAS / sizeof ERAS[0])

/* The shared decoder: robust to invalid bytes (era text comes from any input). */
#define utf8_next sh_utf8_next

/* 0-9 for ASCII or full-width digits, -1 otherwise. */
static int digit_value(unsigned cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int)(cp - 0xFF10);
    return -1;
}

static int is_ascii_alnum(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

/* Skips ASCII spaces and ideographic spaces from i; returns the new offset. */
static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len) {
        unsigned cp;
        size_t n = utf8_next(s, len, i, &cp);
        if (cp != ' ' && cp != 0x3000)
            break;
        i += n;
    }
    return i;
}

/* Reads a run of ASCII/full-width digits at i (at most 6). Returns the digit count (0 if none),
 * the value in *value and the end offset in *end; more than 6 digits counts as 7 (rejected). */
static int read_digits(const char *s, size_t len, size_t i, int *value, size_t *end)
{
    int count = 0, v = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_next(s, len, i, &cp);
        int d = digit_value(cp);
        if (d < 0)
            break;
        if (count < 7) {
            v = v * 10 + d;
            count++;
        }
        i += n;
    }
    *value = v;
    *end = i;
    return count;
}

/* Reads a kanji numeral of 1..99 (十五, 三十一, 二〇, 六) at i. Returns 1 on success. */
static int read_kanji_number(const char *s, size_t len, size_t i, int *value, size_t *end)
{
    unsigned v = 0;
    size_t used = numerals_read_kanji(s, len, i, &v);
    if (!used || v == 0 || v > 99)
        return 0;
    *value = (int)v;
    *end = i + used;
    return 1;
}

/* After a number ending at i: consumes an optional 年度 / 年 suffix (spaces allowed before it).
 * Returns the end offset and sets *fiscal. */
static size_t take_suffix(const char *s, size_t len, size_t i, int *fiscal)
{
    size_t j = skip_spaces(s, len, i);
    *fiscal = 0;
    if (j + 3 <= len && memcmp(s + j, "年", 3) == 0) {
        j += 3;
        if (j + 3 <= len && memcmp(s + j, "度", 3) == 0) {
            j += 3;
            *fiscal = 1;
        }
        return j;
    }
    return i;
}

/* The number after an era name: digits, kanji numeral or 元. Returns 1 with *n and *end. */
static int read_era_number(const char *s, size_t len, size_t i, int *n, size_t *end)
{
    i = skip_spaces(s, len, i);
    if (i + 3 <= len && memcmp(s + i, "元", 3) == 0) {
        *n = 1;
        *end = i + 3;
        return 1;
    }
    int count = read_digits(s, len, i, n, end);
    if (count > 0)
        return count <= 2 && *n > 0;
    return read_kanji_number(s, len, i, n, end);
}

/* Core matcher at offset 0 of s. strict: the form must be safe to accept inside running text. */
static int match_at(const char *s, size_t len, int strict, int *year, size_t *consumed, int *fiscal)
{
    if (len == 0)
        return 0;
    int n;
    size_t end;
    /* era names */
    for (size_t e = 0; e < ERA_COUNT; e++) {
        size_t nl = strlen(ERAS[e].name);
        if (len >= nl && memcmp(s, ERAS[e].name, nl) == 0) {
            if (!read_era_number(s, len, nl, &n, &end))
                return 0;
            *year = ERAS[e].base + n;
            *consumed = take_suffix(s, len, end, fiscal);
            return 1;
        }
    }
    unsigned cp;
    size_t cl = utf8_next(s, len, 0, &cp);
    /* FY2024 */
    if ((cp == 'F' || cp == 'f') && len > 2 && (s[1] == 'Y' || s[1] == 'y')) {
        int count = read_digits(s, len, skip_spaces(s, len, 2), &n, &end);
        if (count != 4 || n < 1868 || n > 2200)
            return 0;
        if (end < len && is_ascii_alnum((unsigned char)s[end]))
            return 0;
        *year = n;
        *consumed = take_suffix(s, len, end, fiscal);
        *fiscal = 1;
        return 1;
    }
    /* R7 / H30 */
    unsigned upper = cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    for (size_t e = 0; e < ERA_COUNT; e++) {
        if (upper != (unsigned)ERAS[e].letter)
            continue;
        /* in running text only R and H are common enough to trust (M1, S3 are model names) */
        if (strict && upper != 'R' && upper != 'H')
            return 0;
        int count = read_digits(s, len, cl, &n, &end);
        if (count < 1 || count > 2 || n == 0)
            return 0;
        unsigned next = 0;
        if (end < len)
            utf8_next(s, len, end, &next);
        if (is_ascii_alnum(next) || next == '.' || next == '-' || next == '_')
            return 0;
        *year = ERAS[e].base + n;
        *consumed = take_suffix(s, len, end, fiscal);
        return 1;
    }
    /* 2024 / ２０２４ */
    if (digit_value(cp) >= 0) {
        int count = read_digits(s, len, 0, &n, &end);
        if (count != 4 || n < 1868 || n > 2200)
            return 0;
        size_t after = take_suffix(s, len, end, fiscal);
        if (after == end) {
            unsigned next = 0;
            if (end < len)
                utf8_next(s, len, end, &next);
            if (is_ascii_alnum(next))
                return 0;
            /* a bare number inside text may be a count (2024件): only a boundary will do */
            if (strict && end < len && (next >= 0x80 || next == '.' || next == ','))
                return 0;
        }
        *year = n;
        *consumed = after;
        return 1;
    }
    return 0;
}

int era_parse_year(const char *s, size_t len, int *year_out, size_t *consumed)
{
    if (!s)
        return 0;
    int year, fiscal;
    size_t used;
    if (!match_at(s, len, 0, &year, &used, &fiscal))
        return 0;
    if (year_out)
        *year_out = year;
    if (consumed)
        *consumed = used;
    return 1;
}

/* Scans s for year expressions; want_fiscal selects the first fiscal one (falling back to the
 * first of any kind). */
static int find_year(const char *s, size_t len, era_match *out, int want_fiscal)
{
    if (!s)
        return 0;
    era_match first = {0, 0, 0, 0};
    int have_first = 0;
    unsigned prev = 0;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t cl = utf8_next(s, len, i, &cp);
        int letter_form = cp < 0x80 && !(cp >= '0' && cp <= '9');
        int digit_form = digit_value(cp) >= 0;
        /* letter and digit forms need a boundary: not inside "ABR7" or "12024" */
        int bounded = !(is_ascii_alnum(prev) || digit_value(prev) >= 0);
        if (!((letter_form || digit_form) && !bounded)) {
            int year, fiscal;
            size_t used;
            if (match_at(s + i, len - i, 1, &year, &used, &fiscal)) {
                era_match m = {year, i, used, fiscal};
                if (!want_fiscal || fiscal) {
                    *out = m;
                    return 1;
                }
                if (!have_first) {
                    first = m;
                    have_first = 1;
                }
                prev = 0;
                i += used;
                continue;
            }
        }
        prev = cp;
        i += cl;
    }
    if (have_first) {
        *out = first;
        return 1;
    }
    return 0;
}

int era_find_year(const char *s, size_t len, era_match *out)
{
    return out ? find_year(s, len, out, 0) : 0;
}

int era_find_fiscal_year(const char *s, size_t len, era_match *out)
{
    return out ? find_year(s, len, out, 1) : 0;
}

static int format_year(int year, int fiscal, char *out, size_t cap)
{
    if (!out || year < 1868 || year > 9999)
        return -1;
    const era_def *era = NULL;
    for (size_t e = 0; e < ERA_COUNT; e++) {
        if (year >= ERAS[e].first) {
            era = &ERAS[e];
            break;
        }
    }
    if (!era)
        return -1;
    int n = year - era->base;
    int written = n == 1 ? snprintf(out, cap, "%s元年%s", era->name, fiscal ? "度" : "")
                         : snprintf(out, cap, "%s%d年%s", era->name, n, fiscal ? "度" : "");
    if (written < 0 || (size_t)written >= cap)
        return -1;
    return written;
}

int era_format_fiscal_year(int year, char *out, size_t cap) { return format_year(year, 1, out, cap); }

int era_format_year(int year, char *out, size_t cap) { return format_year(year, 0, out, cap); }

/* The last year of each era (in ERAS order), in its own numbering: 平成31 is 2019. */
static const int ERA_LAST_YEAR[ERA_COUNT] = {9999, 31, 64, 15, 45};

int era_parse_word(const char *s, size_t len, int *year, int *kind)
{
    int y = 0, fiscal = 0;
    size_t used = 0;
    if (!s || !match_at(s, len, 0, &y, &used, &fiscal) || used != len)
        return 0;
    unsigned cp;
    sh_utf8_next(s, len, 0, &cp);
    int western = digit_value(cp) >= 0;
    int k = fiscal ? ERA_FISCAL
            : len >= 3 && memcmp(s + len - 3, "年", 3) == 0 ? ERA_CALENDAR : ERA_BARE;
    if (k == ERA_BARE && western)
        return 0;
    *year = y;
    *kind = k;
    return 1;
}

size_t era_spellings(int year, int kind, void (*fn)(void *ctx, const char *spelling), void *ctx)
{
    const char *suffix = kind == ERA_FISCAL ? "年度" : kind == ERA_CALENDAR ? "年" : "";
    char buf[64], kanji[32];
    size_t count = 0;
#define SPELL(...) do { snprintf(buf, sizeof buf, __VA_ARGS__); fn(ctx, buf); count++; } while (0)
    for (size_t e = 0; e < ERA_COUNT; e++) {
        int n = year - ERAS[e].base;
        if (n < 1 || n > ERA_LAST_YEAR[e])
            continue;
        if (n == 1)
            SPELL("%s元%s", ERAS[e].name, suffix);
        SPELL("%s%d%s", ERAS[e].name, n, suffix);
        if (numerals_format_kanji((unsigned)n, kanji, sizeof kanji) > 0)
            SPELL("%s%s%s", ERAS[e].name, kanji, suffix);
        SPELL("%c%d%s", ERAS[e].letter, n, suffix);
    }
    if (year >= 1868 && year <= 9999) {
        SPELL("%d%s", year, kind == ERA_BARE ? "年" : suffix);
        if (kind == ERA_FISCAL)
            SPELL("FY%d", year);
    }
#undef SPELL
    return count;
}
