/* era.h — Japanese year expressions, shared by the indexer (column labels) and the query side:
 * parses 令和6年度 / R6 / H30 / 2024年度 / ２０２４ / 平成十五年 into Western years, and formats back. */
#ifndef SHIRYO_ERA_H
#define SHIRYO_ERA_H

#include <stddef.h>

/* One year expression found in a text. */
typedef struct era_match {
    int year;       /* Western year (令和6 -> 2024) */
    size_t start;   /* byte offset of the expression in the searched text */
    size_t len;     /* bytes: the era/number plus a 年度 / 年 suffix when present */
    int fiscal;     /* 1 when written as a fiscal year (…年度, FY2024), else 0 */
} era_match;

/* Parses a year expression at the very start of s[0..len) (UTF-8, need not be NUL-terminated).
 * Accepted: an era name (令和, 平成, 昭和, 大正, 明治) followed by a number written in ASCII,
 * full-width or kanji digits (令和6, 令和６, 平成十五) or 元 (first year); the letter forms R7 / H30 /
 * S60 / T5 / M40 (either case); a 4-digit Western year 1868..2200 in ASCII or full-width digits,
 * optionally prefixed by FY; in every form an optional 年度 or 年 suffix is consumed too, and
 * ASCII / ideographic spaces are allowed between the parts (令和 6 年度).
 * Returns 1 and sets *year_out and *consumed (bytes, suffix included) on a match; 0 otherwise
 * (outputs untouched). Either output pointer may be NULL. A number that continues into more
 * digits (R123, 20255) does not match. */
int era_parse_year(const char *s, size_t len, int *year_out, size_t *consumed);

/* Finds the first year expression anywhere in s[0..len). In running text the forms are stricter
 * than at a known start: letter forms (R7) and bare 4-digit years need a boundary before them (not
 * an ASCII letter/digit), and a bare 4-digit year must be followed by 年, the end, or non-alnum
 * ASCII. Returns 1 and fills *out, or 0 when there is none. */
int era_find_year(const char *s, size_t len, era_match *out);

/* Like era_find_year but prefers a fiscal-year expression (…年度, FY…): returns the first one
 * that is fiscal, else the first year of any kind. For column labels:
 * "令和6年度の実績・状況" -> year 2024, text "令和6年度". */
int era_find_fiscal_year(const char *s, size_t len, era_match *out);

/* Writes the era label of a Western fiscal year into out (NUL-terminated): 2025 -> "令和7年度",
 * 2019 -> "令和元年度", 2018 -> "平成30年度". Fiscal years follow government usage: FY2019 is
 * 令和元年度, FY1989 平成元年度, FY1926 大正15年度. Returns the length in bytes, or -1 when the
 * year is before 1868 or after 9999 or cap is too small. */
int era_format_fiscal_year(int year, char *out, size_t cap);

/* Same without 度 ("令和7年"): the era in force for most of that calendar year. */
int era_format_year(int year, char *out, size_t cap);

/* How a year word is written: as a fiscal year (…年度, FY…), a calendar year (…年) or an era
 * year alone (令和7, R7). */
enum era_kind { ERA_FISCAL = 1, ERA_CALENDAR, ERA_BARE };

/* Reads the whole of s[0..len) as one year word: 令和7年度, R7年度, 2025年度, FY2025, 令和七年度,
 * 令和元年, 2025年, 令和7, R7. Returns 1 with *year and *kind; 0 otherwise (a bare 2025 is a
 * number, not a year word). */
int era_parse_word(const char *s, size_t len, int *year, int *kind);

/* Calls fn(ctx, spelling) with each way materials write year as kind: every era whose years
 * include it (2019: 令和元, 令和1, 令和一, R1, 平成31, 平成三十一, H31), in Arabic and kanji
 * numerals and letter form, with the suffix of kind (年度, 年, none), and the Western year
 * (2025年度 and FY2025; 2025年; for ERA_BARE 2025年, which also covers 2025年度). Returns how many. */
size_t era_spellings(int year, int kind, void (*fn)(void *ctx, const char *spelling), void *ctx);

#endif
