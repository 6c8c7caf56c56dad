/* programs.h — finds program names (「官民による…事業」, 臨床研究総合促進事業) and their budget lines
 * ((令和6年度予算:13億円), (…として令和6年度予算案:14億円の内数)) in one passage's text.
 * Owns only this text analysis: no index, MeCab or ICU; the returned set owns all its strings. */
#ifndef SHIRYO_PROGRAMS_H
#define SHIRYO_PROGRAMS_H

#include "amount.h"

#include <stddef.h>

/* Longer texts are refused with SH_ERR_RANGE (passages are at most a few KB; this only bounds
 * the scratch memory, about 12 bytes per code point). */
#define PROGRAMS_MAX_INPUT (4u * 1024u * 1024u)
/* At most this many mentions per text, and budget lines per mention; the rest are dropped and
 * program_set.truncated says so. */
#define PROGRAMS_MAX_MENTIONS 1024
#define PROGRAMS_MAX_BUDGETS 32

/* Values of budget_line.kind: the kind its budget word names (amount.h owns the words and the
 * kinds). Static strings; compare with strcmp (the pointers come from amount.c). */
#define PROGRAM_KIND_BUDGET AMOUNT_KIND_BUDGET
#define PROGRAM_KIND_PROPOSAL AMOUNT_KIND_PROPOSAL
#define PROGRAM_KIND_SUPPLEMENTARY AMOUNT_KIND_SUPPLEMENTARY
#define PROGRAM_KIND_SUPPLEMENTARY_PROPOSAL AMOUNT_KIND_SUPPLEMENTARY_PROPOSAL
#define PROGRAM_KIND_REQUEST AMOUNT_KIND_REQUEST
#define PROGRAM_KIND_SETTLEMENT AMOUNT_KIND_SETTLEMENT
#define PROGRAM_KIND_OTHER AMOUNT_KIND_OTHER

/* One amount attached to a program. */
typedef struct budget_line {
    int fiscal_year;      /* Western (令和6年度 -> 2024): the year before the kind word, else a
                           * …年度 elsewhere in the expression (令和6年度予算:公費1,029億円), else the
                           * 令和6年度 prefix of the parent program's name named in it, else
                           * column_fiscal_year (0 if that is <= 0) and year_from_column is 1 */
    int year_from_column; /* 1 when fiscal_year is column_fiscal_year, not read from the text */
    const char *kind;     /* static, one of PROGRAM_KIND_* */
    long long amount_yen; /* 13億円 -> 1300000000, 1億2,000万円 -> 120000000; -1 when the amount
                           * does not fit a long long */
    int within;           /* 1 for …の内数: amount_yen is the total of parent (or of an unnamed
                           * larger budget when parent is NULL), not this program's own money */
    char *parent;         /* the program the money comes from, or NULL: with within=1 the program
                           * whose total amount_yen is (地域連携拠点 -> 医工連携イノベーション推進事業);
                           * with within=0 the program that funds this one, amount_yen being this
                           * program's own share (「MedTech ROUND …」 -> 令和6年度商取引…に係る事業,
                           * アジア地域…構築事業 -> 臨床研究・治験推進研究事業). Owned by the set */
    size_t start, end;    /* bytes of the expression in the text: from its year (or kind word, or
                           * first digit) to the 円, plus a following の内数 (令和6年度予算:19億円の内数) */
    const char *unit;     /* static: the amount's unit as written ("億円", "百万円", "千円"; amount.h) */
} budget_line;

/* One occurrence of a program name. Mentions are in text order (by start, then end); the same
 * program mentioned twice gives two mentions. */
typedef struct program_mention {
    char *name;             /* exactly text[start, end): as written, brackets and spaces trimmed,
                             * a leading bullet ・ and a leading 経済産業省の / …庁の / …機構の
                             * dropped. Owned by the set */
    size_t start, end;      /* byte offsets of the name in the text */
    size_t year_prefix_len; /* bytes of a leading fiscal year kept in the name (METI's commissioned
                             * projects are named so: 令和6年度商取引…に係る事業 -> strlen("令和6年度"));
                             * 0 when the name does not start with …年度 */
    int bracketed;          /* 1 when written in 「」 or 『』 */
    budget_line *budgets;   /* in text order; NULL when nbudgets is 0. Owned by the set */
    size_t nbudgets;
    char *successor_of;     /* "Bの後継事業となるA": on A, a copy of B's name; NULL otherwise.
                             * Owned by the set */
} program_mention;

typedef struct program_set {
    program_mention *items;
    size_t n;
    int truncated;          /* 1 when a PROGRAMS_MAX_* limit dropped mentions or budget lines */
} program_set;

/* Finds the programs mentioned in text[0, len) (UTF-8; NFKC-normalized in the pipeline, but
 * full-width （）：１３，． and 「」『』 are read the same; an invalid byte reads as one U+FFFD).
 * column_fiscal_year is the fiscal year of the passage's table column (2024 for
 * 令和6年度の実績・状況), or 0 when unknown.
 *
 * Mentions:
 * - a name in 「」/『』 that carries a budget, ends like a program (…事業, …制度, …拠点,
 *   …プログラム, …ネットワーク, …基金, …補助金, …交付金, …委託費, …助成金, …税制, …プロジェクト) or
 *   is used as one (「MEDIC」を通じて), and is not a quoted sentence, title or definition (、 or 。
 *   inside, over 80 characters, (以下「…」という));
 * - an unbracketed name ending like a program that carries a budget, is named inside a budget
 *   expression (…として, …の後継事業となる…), or is one side of "Bの後継事業となるA" /
 *   "Bの後継事業として、A". It runs back from its suffix over kanji, katakana, Latin, digits, ・
 *   and the joining hiragana の/による/における/に係る/に関する/に向けた/のための/に対する, so
 *   "…を踏まえ、臨床研究総合促進事業(" gives 臨床研究総合促進事業 and "官民による若手…事業(" keeps
 *   官民による; a leading 令和6年度 stays in the name (year_prefix_len); references such as
 *   同事業 / 本事業 / 当該事業 and names over 60 characters are not mentions.
 * Budget lines come from (…) holding an amount in yen (…円), attached to: the 「」 right before
 * the (…) (with いずれも, every 「」 of the list 「A」や「B」、「C」及び「D」 before it), the name the
 * (…) ends inside 「name(…)」, or the unbracketed name right before it. Between name and budget may
 * stand a (…) naming a sub-project (X(アジア地域…構築事業)(予算): the sub-project owns the line,
 * parent X), a Latin nickname (X(Go-Tech事業)(予算): X owns it, the nickname is a mention without
 * budget) or a description (X(仮称)(予算)). One (…) may hold several amounts (…:13億円、…:5億円).
 *
 * Amounts are read by amount.h, kanji numerals included (十三億円, 一億二千万円).
 * Not read: amounts outside (…) ("13億円を計上"; budget sheets are sheets.h's), a budget
 * (…) with no owner nor named parent (dropped), lists of several parents in one lead clause
 * ("A事業及びB事業として" is taken as one name).
 *
 * Returns SH_OK with *out set (possibly empty; free with program_set_destroy); SH_ERR_INVALID
 * when out is NULL or text is NULL with len > 0; SH_ERR_RANGE when len > PROGRAMS_MAX_INPUT;
 * SH_ERR_NOMEM. On error *out is NULL and *errmsg (if errmsg is non-NULL) is set. Never fails on
 * content; work is linear in len. */
int programs_extract(const char *text, size_t len, int column_fiscal_year, program_set **out,
                     char **errmsg);

/* The budget kind word at the very start of s[0, len) (補正予算案, 概算要求額, 予算額, 予算, …;
 * longest first): its PROGRAM_KIND_* and its length in *used; NULL when there is none. For the
 * labels of budget sheets (sheets.c), so that both readers know the same words. */
const char *programs_kind_at(const char *s, size_t len, size_t *used);

/* Whether s[0, len), a whole line of a budget sheet, can be a program name: it ends like a
 * program (…事業, …基金), holds no sentence punctuation or brackets, is not 同事業 / 本事業, and
 * has at most 60 characters (hiragana allowed: がん患者支援事業, 優れた…強化事業). */
int programs_is_name(const char *s, size_t len);

/* Frees the set and every string in it. NULL is allowed. */
void program_set_destroy(program_set *set);

#endif
