/* amount.h — reads one amount of money as budget documents write it (13億円, 1,234千円, 7.7 億円,
 * １７百万円, 1億2,000万円, 十三億円, 一億二千万円) and bare table figures in a table-wide unit.
 * Owns number and unit reading only: which amount belongs to what is programs.c's and sheets.c's. */
#ifndef SHIRYO_AMOUNT_H
#define SHIRYO_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

typedef struct amount {
    long long yen;    /* -1 when the amount does not fit a long long */
    size_t used;      /* bytes read, the final 円 included */
    const char *unit; /* static, the unit of the amount's first part as written: "億円" for 13億円
                       * and 1億2,000万円, "百万円" for 17百万円, "千円", "円"; for kanji numerals
                       * the large unit only (十三億円 -> "億円") */
} amount;

/* Reads an amount at the very start of s[0, len): digits in ASCII, full-width or kanji
 * (〇一二…九十百千), separators (1,234 and 1.5), then 十百千 / 万億兆 in that order, then 円; one
 * space may stand before the unit (7.7 億円); parts go on in falling order (1億2,000万円,
 * 一億二千万円). Returns 1 and fills *out; 0 when s does not start such an amount (令和6年度,
 * 13億 without 円, 1万2億円, 17百万人). The caller decides where an amount may start: a kanji
 * numeral inside a word (数十億円, 統一) is not one (see amount_may_start). */
int amount_parse(const char *s, size_t len, amount *out);

/* Whether an amount may start at code point c when prev is the code point before it (0 at the
 * start of a text): c is a digit or a kanji numeral, and prev is no digit, separator, kanji
 * numeral or 数/何 (数十億円 is no amount; 約十億円 is). */
int amount_may_start(uint32_t prev, uint32_t c);

/* The value of an ASCII or full-width digit, or -1. */
int amount_digit_value(uint32_t c);

/* Whether c is a part of a written number: digits, separators, 〇一…九 and 十百千万億兆. */
int amount_is_number_part(uint32_t c);

/* Reads a bare figure at the start of s[0, len) (1,580,722,000 in a table whose unit is
 * unit_yen): ASCII or full-width digits with thousands separators and an optional decimal part.
 * Returns 1 with *yen (-1 on overflow) and *used; 0 when s starts no digit. */
int amount_parse_bare(const char *s, size_t len, long long unit_yen, long long *yen, size_t *used);

/* A unit word at the start of s[0, len) (千円, 百万円, 億円, 万円, 兆円, 円): its value in yen and
 * its static spelling, or 0. For table headers: (単位:千円). */
long long amount_unit(const char *s, size_t len, const char **spelling, size_t *used);

#endif
