/* amount.h — reads one amount of money as budget documents write it (13億円, 1,234千円, 7.7 億円,
 * １７百万円, 1億2,000万円, 十三億円, 一億二千万円) and bare table figures in a table-wide unit; tells
 * an amount cell of a table from text (the layout); owns the budget words (補正予算案, 概算要求額,
 * 予算, …) that say what kind of money an amount is, for every reader of them. Owns number, unit
 * and budget-word reading only: which amount belongs to what is programs.c's and sheets.c's. */
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

/* Bytes of the amount a table cell starts with, as the layout reads cells (13億円, 1,200百万円,
 * ３．８億円): ASCII or full-width digits with , . ， ． 、 anywhere among them, then 億円, 百万円,
 * 千万円, 万円, 千円 or 円; 0 when s starts otherwise. Looser than amount_parse and without a value:
 * it only tells an amount cell from text. */
size_t amount_cell_prefix(const char *s, size_t len);

/* Whether s[0, len) is a whole amount cell: an amount_cell_prefix with at most 24 bytes of remark
 * and no 。 after it (19億円の内数, ３．８億円(補正)), or a placeholder (―, 未定, (新規), 皆減, 0). */
int amount_is_cell(const char *s, size_t len);

/* The kinds of money a budget word names (the kind of a program's budget line, programs.h). */
#define AMOUNT_KIND_BUDGET "budget"                     /* 予算, 予算額, 当初予算 */
#define AMOUNT_KIND_PROPOSAL "proposal"                 /* 予算案, 政府予算案 */
#define AMOUNT_KIND_SUPPLEMENTARY "supplementary"       /* 補正予算, 補正 */
#define AMOUNT_KIND_SUPPLEMENTARY_PROPOSAL "supplementary_proposal" /* 補正予算案 */
#define AMOUNT_KIND_REQUEST "request"                   /* 概算要求, 要求額 */
#define AMOUNT_KIND_SETTLEMENT "settlement"             /* 決算, 決算額 */
#define AMOUNT_KIND_OTHER "other"                       /* no kind word, or 事業費 / 総額 / 執行額 */

/* What a reader uses a budget word for. The readers need different sets of the one table, so each
 * word says which uses it serves. */
enum amount_word_use {
    AMOUNT_USE_KIND = 1u << 0,     /* program extraction and budget sheets: the word heads an
                                    * amount and names its kind (every word of the table) */
    AMOUNT_USE_OF_YEAR = 1u << 1,  /* layout: right after a fiscal year, the year is a budget's
                                    * (令和7年度予算, R7年度補正予算, 2025年度概算要求) */
    AMOUNT_USE_REQUEST = 1u << 2,  /* layout: a fragment holding it anywhere names a budget being
                                    * requested (予算案, 概算要求, 要求額): a plans column's */
};

typedef struct amount_word {
    const char *text;   /* UTF-8 */
    const char *kind;   /* static, one of AMOUNT_KIND_* */
    unsigned uses;      /* AMOUNT_USE_* */
} amount_word;

/* The budget words, longest first, so 補正予算案 is found before 予算案; *n is their count. */
const amount_word *amount_words(size_t *n);

/* The first budget word with one of the uses in `uses` that s[0, len) starts with, its length in
 * *used; NULL when there is none. */
const amount_word *amount_word_at(const char *s, size_t len, unsigned uses, size_t *used);

/* Whether s[0, len) contains a budget word with one of the uses in `uses`. */
int amount_has_word(const char *s, size_t len, unsigned uses);

#endif
