/* numerals.h — numbers written in kanji (七, 二十五, 三千四百, 二〇二五) read and written, so
 * that a query word's kanji and Arabic numerals can stand for each other (第2条 ↔ 第二条). */
#ifndef SHIRYO_NUMERALS_H
#define SHIRYO_NUMERALS_H

#include <stddef.h>

/* Reads a kanji numeral of 0..9999 at s[i..len): either with 十百千 in decreasing order
 * (十二, 二千二十五, 百) or digit by digit with 〇 (二〇二五, 七). Returns the bytes read and
 * sets *value; 0 when there is no numeral at i or it is malformed (十十, 二三十). */
size_t numerals_read_kanji(const char *s, size_t len, size_t i, unsigned *value);

/* Reads ASCII or full-width digits at s[i..len) (at most 9: longer runs return 0). Returns the
 * bytes read and sets *value; 0 when there is no digit at i. */
size_t numerals_read_arabic(const char *s, size_t len, size_t i, unsigned *value);

/* Writes value (1..9999) in kanji with 十百千 (25 → 二十五, 2025 → 二千二十五, 10 → 十) into out,
 * NUL-terminated. Returns the length in bytes, or -1 when value is out of range or cap too small. */
int numerals_format_kanji(unsigned value, char *out, size_t cap);

#endif
