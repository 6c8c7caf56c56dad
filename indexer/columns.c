/* columns.c — layout reconstruction: reads the table header, splits body lines at column-break
 * spaces and assigns fragments to columns with a beam search over per-column paragraph states. */
#include "columns.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/era.h"
#include "shiryo/ministry.h"
#include "shiryo/status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Tuning constants. Scores are log-likelihood-like: positive favours a reading, negative
 * penalises it. tests/tune/tune_columns searched them on tests/sim (layoutsim) pages the tests do
 * not use, never on the real sample; the label-role cues are set by hand for real pages.
 * ------------------------------------------------------------------------------------------- */
typedef struct weights {
    double over_base, over_per;      /* fragment wider than the column: fixed + per half-width */
    double cont_open, item_open;     /* column mid-sentence: plain continuation / new bullet */
    double cont_maybe, item_maybe;   /* column's last line was full but ended a sentence */
    double new_closed, item_closed;  /* column's paragraph ended: new plain / bulleted paragraph */
    double forbid_closed;            /* line-start-forbidden char (、ー) after an ended paragraph */
    double particle_closed;          /* paragraph starting with a particle (を, に, …) */
    double bigram;                   /* per log2(count+1) of the join's character pair */
    double bigram_zero;              /* join pair never seen inside any fragment */
    double ngram, ngram_zero;        /* per log2(count+1) of each 3-/4-gram across the join */
    double short_nonterm;            /* paragraph ending without punctuation */
    double tag_col1, tag_other;      /* ministry tag [◎厚] at the end: column 1 or not */
    double gap_once;                 /* a mid-sentence column skipped for too many lines */
    double recent_new;               /* new paragraph in a column that just closed one */
    double width_dev;                /* per half-width of a full line away from the column width */
    double width_sharp;              /* Laplace fit of a wrapped line to the column's learned spread */
    double item_rate;                /* weight of the page-learned bullet rate of a column */
    double split_opt;                /* reading a Latin-word space ("ARO に") as a column break */
    double split_strong;             /* reading a likely column break as a space inside text */
    double lm, lm_cap;               /* column vocabulary fit: weight and clamp */
    double lm_head;                  /* heading vocabulary fit */
    double row_gap;                  /* weight of the learned gap before a cell's next paragraph */
    double row_age;                  /* weight of the learned delay of a cell's first paragraph */
    double row_kind;                 /* weight of a column's learned next/first paragraph rates */
    double row_start;                /* a new table row begins */
    double row_missing;              /* per column without text in a finished row */
    double end_rate;                 /* weight of the page-learned rate of unpunctuated ends */
    double bracket_miss;             /* per closing bracket the column has no opening for */
    double bracket_close;            /* a fragment closes a bracket the column left open */
    double heading_base, heading_open, heading_maybe, heading_term, heading_item,
        heading_next_full, heading_wide;
    double head_c1;                  /* column 1 begins on the line after a measure heading */
    double head_section;             /* a measure heading directly followed by a 【…】 section */
    double head_twice;               /* two measure headings in a row */
    double role_year;                /* fragment names the column's fiscal year / another's */
    double role_budget;              /* budget request (予算案) in a plans / results column */
    double role_tense;               /* past / non-past sentence ends against the column role */
    double peak_role;                /* share of the role cues in placing width peaks */
    double cont_gap;                 /* weight of the learned skips inside a column's paragraph */
    double kind;                     /* weight of the column's learned kinds: phrase, sentence */
    double kind_typed;               /* the same for amounts and ministry names */
    double cont_opener;              /* a sentence left open goes on with また、 / 今後、 */
    /* not weights but shapes of the page model, searched with them */
    double width_quantile;           /* a column's width: this quantile of its fragments' widths */
    double full_slack, full_slack_per; /* a line this close to the width wrapped (fixed + share) */
    double over_slack, over_slack_per; /* a line this much wider cannot be the column's */
    double lm_alpha;                 /* additive smoothing of the column vocabularies */
} weights;

static const weights W_DEFAULT = {
    .over_base = 2.81, .over_per = 0.075,
    .cont_open = 3, .item_open = -0.69,
    .cont_maybe = 0.437, .item_maybe = 0.844,
    .new_closed = 0.375, .item_closed = 0.25,
    .forbid_closed = -6, .particle_closed = -10.6,
    .bigram = 0.25, .bigram_zero = -1.69,
    .ngram = 0.56, .ngram_zero = 0,
    .short_nonterm = -0.35,
    .tag_col1 = 3.38, .tag_other = -2,
    .gap_once = -0.75,
    .recent_new = 0.25,
    .width_dev = 0.15, .width_sharp = 0.675,
    .item_rate = 1.58,
    .split_opt = -4.5, .split_strong = -9.28,
    .lm = 0.175, .lm_cap = 3,
    .lm_head = 0.125,
    .row_gap = 0.7, .row_age = 0.55, .row_kind = 0.0, .row_start = 0.56, .row_missing = -2.25,
    .end_rate = 3.95,
    .bracket_miss = -2.11, .bracket_close = 3,
    .heading_base = -0.375, .heading_open = -0.7, .heading_maybe = -0.513, .heading_term = -10.5,
    .heading_item = -15.8, .heading_next_full = 1.25, .heading_wide = 1.12,
    .head_c1 = 1, .head_section = -6, .head_twice = -3,
    .role_year = 4.5, .role_budget = 2, .role_tense = 2,
    .peak_role = 0.45,
    .cont_gap = 0.938,
    .kind = 1.88, .kind_typed = 5.6,
    .cont_opener = -3,
    .width_quantile = 0.92,
    .full_slack = 3, .full_slack_per = 0.05,
    .over_slack = 0.5, .over_slack_per = 0.03,
    .lm_alpha = 0.1,
};

#define HEADER_MAX_LINES 8        /* the table header block is never longer */
#define LABEL_MAX_WIDTH 48        /* a label is at most this many half-widths (24 characters) */
#define OPTIONAL_SPACES_MAX 4     /* Latin-adjacent spaces tried both ways per line */
#define OPTS_MAX (1 + OPTIONAL_SPACES_MAX)
#define BEAM_MAX 24
#define BIGRAM_SLOTS (1u << 16)
#define NGRAM_SLOTS (1u << 18)
#define ROW_AGE_CAP 12           /* lines since a row began, as the decoder tells them apart */
#define NEXT_GAP_CAP 8           /* lines between two paragraphs of one cell, likewise */
#define CONT_GAP_CAP 4           /* lines skipped inside a paragraph, likewise */
#define CHILD_BUDGET 3072         /* expansions per line; bounds work on wide tables */

enum { ST_CLOSED = 0, ST_MAYBE = 1, ST_OPEN = 2 };
/* What a fragment looks like on its own: columns of budgets hold amounts (13億円, ―, (新規)),
 * columns of ministries hold their names, item columns short phrases, the rest sentences. */
enum { KIND_TEXT = 0, KIND_AMOUNT, KIND_MINISTRY, KIND_PHRASE, KINDS };

/* What a column's label says it holds: results of a year (令和6年度の実績), plans (取組予定). */
enum { ROLE_NONE = 0, ROLE_RESULTS, ROLE_PLANS };
enum { LINE_SKIP = 0, LINE_SECTION, LINE_BODY };

/* ---------------------------------------------------------------------------------------------
 * Characters
 * ------------------------------------------------------------------------------------------- */

/* The shared decoder: robust to invalid bytes. */
#define utf8_next sh_utf8_next

/* Code point ending at byte end (exclusive); 0 when end == 0. */
static unsigned utf8_prev(const char *s, size_t end)
{
    if (end == 0)
        return 0;
    size_t i = end - 1;
    size_t stop = end >= 4 ? end - 4 : 0;
    while (i > stop && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    unsigned cp;
    size_t n = utf8_next(s, end, i, &cp);
    return i + n == end ? cp : 0xFFFD;
}

/* Display width in half-width units: ASCII and half-width katakana 1, everything else 2. */
static int char_width(unsigned cp) { return cp < 0x80 || (cp >= 0xFF61 && cp <= 0xFF9F) ? 1 : 2; }

static int is_item_marker(unsigned cp)
{
    static const unsigned markers[] = {0x30FB, 0x25CF, 0x25CB, 0x25EF, 0x25A0, 0x25A1, 0x25C6,
                                       0x25C7, 0x25B6, 0x25B7, 0x203B, 0x25CE, 0x2606, 0x2605,
                                       0x27A2, 0x27A4, 0xFF65};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (cp == markers[i])
            return 1;
    return (cp >= 0x2460 && cp <= 0x2487); /* ①…⑳ ⑴…⒇ */
}

/* Characters that never begin a wrapped line (kinsoku): a fragment starting with one continues. */
static int is_line_start_forbidden(unsigned cp)
{
    static const unsigned list[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, ',', '.', ')', 0xFF09,
                                    0x300D, 0x300F, 0x3011, 0x3015, 0xFF3D, ']', 0x30FC,
                                    0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083,
                                    0x3085, 0x3087, 0x308E, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
                                    0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x3005,
                                    0x309D, 0x309E, 0x30FD, 0x30FE, '!', '?', 0xFF01, 0xFF1F,
                                    ':', ';', 0xFF1A, 0xFF1B, '%', 0xFF05};
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (cp == list[i])
            return 1;
    return 0;
}

/* Hiragana that end words (particles, verb endings) and rarely open a paragraph. */
static int is_particle_start(unsigned cp)
{
    if (cp < 0x3041 || cp > 0x3096)
        return 0;
    /* paragraph openers: この/その/あわせて/また/なお/さらに/すべて/いずれ/おおむね/かかる/ひとり/ただし */
    static const unsigned openers[] = {0x3053, 0x305D, 0x3042, 0x307E, 0x306A, 0x3055,
                                       0x3059, 0x3044, 0x304A, 0x304B, 0x3072, 0x3069};
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++)
        if (cp == openers[i])
            return 0;
    return 1;
}

static int is_closing_bracket(unsigned cp)
{
    return cp == ')' || cp == 0xFF09 || cp == 0x300D || cp == 0x300F || cp == ']' ||
           cp == 0xFF3D || cp == 0x3011;
}

static int is_sentence_end(unsigned cp)
{
    return cp == 0x3002 || cp == 0xFF0E || cp == '!' || cp == '?' || cp == 0xFF01 ||
           cp == 0xFF1F;
}

/* Characters after which a line cannot end a paragraph (opening brackets, comma). */
static int is_open_end(unsigned cp)
{
    return cp == '(' || cp == 0xFF08 || cp == 0x300C || cp == 0x300E || cp == 0x3010 ||
           cp == '[' || cp == 0xFF3B || cp == 0x3001 || cp == 0xFF0C;
}

static int is_ascii_alnum(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static int is_ascii_digit_cp(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* ---------------------------------------------------------------------------------------------
 * Fragments
 * ------------------------------------------------------------------------------------------- */

typedef struct frag_info {
    size_t off, len;       /* bytes within the line */
    int width;             /* half-width units, a hanging 、。 at the end not counted */
    unsigned head, tail;   /* first and last code points */
    unsigned head3[3];     /* first three code points (0 past the end) */
    unsigned tail3[3];     /* last three code points, last first (0 past the start) */
    unsigned char item;            /* starts a bulleted / numbered item */
    unsigned char cont_start;      /* starts with a line-start-forbidden character */
    unsigned char particle_start;  /* starts with a word-final hiragana */
    unsigned char terminal;        /* ends a sentence (。 or a tag) */
    unsigned char tag;             /* ends with a ministry tag such as [文、◎厚] */
    unsigned char open_end;        /* ends with an opening bracket or comma */
    unsigned char latin_end;       /* ends with an ASCII letter or digit */
    unsigned char br_need;         /* closing brackets 」』）) before any opening one: the column
                                      must have left that many open */
    signed char br_net;            /* opening minus closing brackets over the fragment */
    signed char tense;             /* sentence ends: +1 mostly past (実施した。), -1 mostly
                                      non-past (実施する。/予定。), 0 none or even */
    unsigned char plan_budget;     /* names a budget request (予算案, 概算要求) */
    short fiscal_year;             /* Western year of the first budget named (令和7年度予算),
                                      0 none */
    unsigned char kind;            /* KIND_* */
    unsigned char opener;          /* starts with a sentence-opening connective (また、今後、) */
} frag_info;

/* Does text end with a short bracketed tag ([◎厚], ［文、◎経］)? */
static int ends_with_tag(const char *s, size_t len)
{
    size_t close_len;
    if (len >= 1 && s[len - 1] == ']')
        close_len = 1;
    else if (len >= 3 && memcmp(s + len - 3, "］", 3) == 0)
        close_len = 3;
    else
        return 0;
    size_t limit = len > 48 ? len - 48 : 0;
    for (size_t i = len - close_len; i-- > limit;) {
        if (s[i] == '[' || (i + 3 <= len && memcmp(s + i, "［", 3) == 0)) {
            size_t open_len = s[i] == '[' ? 1 : 3;
            size_t inner = len - close_len - i - open_len;
            if (inner == 0)
                return 0;
            for (size_t k = i + open_len; k < len - close_len; k++)
                if (s[k] == ' ' || (k + 3 <= len && memcmp(s + k, "。", 3) == 0))
                    return 0;
            return 1;
        }
    }
    return 0;
}

/* The rest of a ministry tag whose '[' ended the line before ("[文、" / "◎厚]"): short, no
 * sentence end and no opening bracket before its closing one. */
static int is_tag_tail(const char *s, size_t len)
{
    size_t close_len = len >= 1 && s[len - 1] == ']'                            ? 1
                       : len >= 3 && memcmp(s + len - 3, "］", 3) == 0 ? 3
                                                                              : 0;
    if (!close_len || len - close_len == 0 || len > 40)
        return 0;
    for (size_t i = 0; i < len - close_len; i++)
        if (s[i] == '[' || s[i] == ']' || s[i] == ' ' ||
            (i + 3 <= len - close_len &&
             (memcmp(s + i, "［", 3) == 0 || memcmp(s + i, "。", 3) == 0)))
            return 0;
    return 1;
}

static int starts_numbered_item(const char *s, size_t len)
{
    /* (1) （1） 1. 1) １． */
    size_t i = 0;
    unsigned cp;
    if (len == 0)
        return 0;
    size_t n = utf8_next(s, len, 0, &cp);
    int paren = cp == '(' || cp == 0xFF08;
    if (paren)
        i = n;
    size_t digits = 0;
    while (i < len && digits < 3) {
        n = utf8_next(s, len, i, &cp);
        if (!is_ascii_digit_cp(cp))
            break;
        i += n;
        digits++;
    }
    if (digits == 0 || i >= len)
        return 0;
    utf8_next(s, len, i, &cp);
    if (paren)
        return cp == ')' || cp == 0xFF09;
    return cp == '.' || cp == 0xFF0E || cp == ')' || cp == 0xFF09;
}

/* Tense of the sentences a fragment ends: results columns report (実施した。, 取り組んでいる。),
 * plans columns announce (実施する。, 図る予定。). Counts every 。 by the kana before it. */
#define COUNT_OF(list) (sizeof(list) / sizeof(list)[0])

/* Does s[0..end) end with one of the n strings of list? */
static int ends_with_one_of(const char *s, size_t end, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(list[k]);
        if (end >= l && memcmp(s + end - l, list[k], l) == 0)
            return 1;
    }
    return 0;
}

static int sentence_tense(const char *s, size_t len)
{
    static const char *const past[] = {"た。", "ている。", "でいる。"};
    static const char *const neutral[] = {"である。", "いる。"}; /* they say nothing */
    static const char *const nonpast[] = {"る。", "う。", "す。", "む。", "く。", "つ。", "ぶ。",
                                          "ぐ。", "予定。", "見込み。"};
    int score = 0;
    for (size_t i = 3; i <= len; i++) {
        if (memcmp(s + i - 3, "。", 3) != 0)
            continue;
        if (ends_with_one_of(s, i, past, COUNT_OF(past)))
            score++;
        else if (!ends_with_one_of(s, i, neutral, COUNT_OF(neutral)) &&
                 ends_with_one_of(s, i, nonpast, COUNT_OF(nonpast)))
            score--;
    }
    return score > 0 ? 1 : score < 0 ? -1 : 0;
}

static int contains(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(s + i, needle, nl) == 0)
            return 1;
    return 0;
}

/* An amount cell: 13億円, 1,200百万円, ３．８億円(補正), 19億円の内数, or a placeholder (―, 未定,
 * (新規)). Digits and separators, then a unit ending in 円, then an optional short remark. */
/* Bytes of the amount s starts with (13億円, 1,200百万円, ３．８億円): digits and separators, then
 * a unit ending in 円; 0 when it starts otherwise. */
static size_t amount_prefix(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_next(s, len, i, &cp);
        if (is_ascii_digit_cp(cp))
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

static int is_amount(const char *s, size_t len)
{
    static const char *const placeholders[] = {"―", "－", "—", "-", "ー", "未定", "(新規)",
                                               "（新規）", "新規", "皆減", "0", "０"};
    for (size_t k = 0; k < sizeof placeholders / sizeof placeholders[0]; k++)
        if (len == strlen(placeholders[k]) && memcmp(s, placeholders[k], len) == 0)
            return 1;
    size_t amount = amount_prefix(s, len);
    return amount > 0 && len - amount <= 24 && !contains(s + amount, len - amount, "。");
}

/* A ministry cell: known ministry names separated by 、 (文部科学省、厚生労働省、). */
static int is_ministry_list(const char *s, size_t len)
{
    size_t start = 0, names = 0;
    for (size_t i = 0; i <= len;) {
        int sep = i == len || (i + 3 <= len && (memcmp(s + i, "、", 3) == 0 ||
                                                memcmp(s + i, "・", 3) == 0 ||
                                                memcmp(s + i, "，", 3) == 0));
        if (!sep) {
            unsigned cp;
            i += utf8_next(s, len, i, &cp);
            continue;
        }
        if (i > start) {
            if (!ministry_full_name(s + start, i - start))
                return 0;
            names++;
        }
        if (i == len)
            break;
        i += 3;
        start = i;
    }
    return names > 0;
}

static int fragment_kind(const char *s, size_t len, int width)
{
    if (is_amount(s, len))
        return KIND_AMOUNT;
    if (is_ministry_list(s, len))
        return KIND_MINISTRY;
    if (width <= 28 && !contains(s, len, "。"))
        return KIND_PHRASE;
    return KIND_TEXT;
}

/* First fiscal year of a budget written in s (令和7年度予算, R7年度補正予算, 2025年度概算要求),
 * 0 when none. Only budgets: a plan may well say 令和6年度の取組に加え about the year before. */
static int first_budget_year(const char *s, size_t len)
{
    static const char *const budgets[] = {"予算", "補正予算", "当初予算", "概算要求", "要求"};
    era_match em;
    size_t at = 0;
    while (at < len && era_find_year(s + at, len - at, &em)) {
        size_t end = at + em.start + em.len;
        if (em.fiscal)
            for (size_t k = 0; k < sizeof budgets / sizeof budgets[0]; k++) {
                size_t bl = strlen(budgets[k]);
                if (len - end >= bl && memcmp(s + end, budgets[k], bl) == 0)
                    return em.year;
            }
        at = end > at ? end : at + 1;
    }
    return 0;
}

/* Does s start with a connective that opens a sentence (また、 なお、 今後、 引き続き、)? A line
 * that starts so does not continue a sentence left open on the line before. */
static int starts_with_opener(const char *s, size_t len)
{
    static const char *const openers[] = {
        "また、", "なお、", "さらに、", "更に、", "加えて、", "あわせて、", "併せて、",
        "このため、", "そのため、", "今後、", "具体的には、", "引き続き、", "一方、", "特に、",
        "これにより、", "その上で、", "その際、", "同時に、", "ただし、", "他方、", "また,",
    };
    for (size_t k = 0; k < sizeof openers / sizeof openers[0]; k++) {
        size_t ol = strlen(openers[k]);
        if (len >= ol && memcmp(s, openers[k], ol) == 0)
            return 1;
    }
    return 0;
}

static void frag_measure(const char *line, size_t off, size_t len, frag_info *f)
{
    const char *s = line + off;
    memset(f, 0, sizeof *f);
    f->off = off;
    f->len = len;
    int width = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_next(s, len, i, &cp);
        width += char_width(cp);
    }
    f->width = width;
    if (len == 0)
        return;
    {
        /* Japanese typesetting hangs a line-final 、or 。 into the margin (burasage): it does not
         * count toward the column's width */
        unsigned last = utf8_prev(s, len);
        if ((last == 0x3001 || last == 0x3002 || last == 0xFF0C || last == 0xFF0E) && width > 2)
            f->width -= 2;
    }
    utf8_next(s, len, 0, &f->head);
    f->tail = utf8_prev(s, len);
    {
        size_t i = 0;
        for (int k = 0; k < 3 && i < len; k++)
            i += utf8_next(s, len, i, &f->head3[k]);
        size_t end = len;
        for (int k = 0; k < 3 && end > 0; k++) {
            unsigned cp = utf8_prev(s, end);
            f->tail3[k] = cp;
            size_t step = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            end = end >= step ? end - step : 0;
        }
    }
    f->item = is_item_marker(f->head) || starts_numbered_item(s, len);
    f->cont_start = is_line_start_forbidden(f->head);
    f->particle_start = is_particle_start(f->head);
    f->tag = (unsigned char)(ends_with_tag(s, len) || is_tag_tail(s, len));
    /* sentence end, looking through closing brackets: 。) counts */
    size_t end = len;
    unsigned last = f->tail;
    for (int k = 0; k < 3 && end > 0 && is_closing_bracket(last); k++) {
        size_t step = last < 0x80 ? 1 : last < 0x800 ? 2 : last < 0x10000 ? 3 : 4;
        end = end >= step ? end - step : 0;
        last = utf8_prev(s, end);
    }
    f->terminal = f->tag || is_sentence_end(last);
    f->open_end = is_open_end(f->tail);
    /* Bracket balance (「」『』（）()): a fragment that closes what it never opened continues a
     * column that left a bracket open, a strong sign across interleaved lines. */
    {
        int depth = 0, need = 0;
        for (size_t i = 0; i < len;) {
            unsigned cp;
            i += utf8_next(s, len, i, &cp);
            if (cp == 0x300C || cp == 0x300E || cp == 0xFF08 || cp == '(' || cp == '[' ||
                cp == 0xFF3B || cp == 0x3010)
                depth++;
            else if (cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == ')' || cp == ']' ||
                     cp == 0xFF3D || cp == 0x3011) {
                depth--;
                if (-depth > need)
                    need = -depth;
            }
        }
        f->br_need = (unsigned char)(need > 15 ? 15 : need);
        f->br_net = (signed char)(depth > 15 ? 15 : depth < -15 ? -15 : depth);
    }
    f->tense = (signed char)sentence_tense(s, len);
    f->plan_budget = (unsigned char)(contains(s, len, "予算案") || contains(s, len, "概算要求") ||
                                     contains(s, len, "要求額"));
    {
        int fy = first_budget_year(s, len);
        f->fiscal_year = (short)(fy > 0 && fy < 10000 ? fy : 0);
    }
    f->kind = (unsigned char)fragment_kind(s, len, width);
    f->opener = (unsigned char)starts_with_opener(s, len);
    f->latin_end = (unsigned char)is_ascii_alnum(f->tail);
}

/* ---------------------------------------------------------------------------------------------
 * Line analysis: candidate segmentations
 * ------------------------------------------------------------------------------------------- */

typedef struct seg_opt {
    size_t first;   /* index of its first fragment in analysis.frags */
    int k;          /* fragments */
    int flip;       /* 0 the default reading; FLIP_* when one optional space is read otherwise */
} seg_opt;

enum { FLIP_NONE = 0, FLIP_TO_TEXT, FLIP_TO_BREAK };

typedef struct line_info {
    int kind;
    size_t first_opt;
    int nopts;
    int base_k;     /* fragments in the default reading */
} line_info;

typedef struct analysis {
    const page *p;
    int ncols;
    line_info *lines;
    seg_opt *opts;
    size_t nopts, opts_cap;
    frag_info *frags;
    size_t nfrags, frags_cap;
} analysis;

typedef struct space_info {
    size_t pos;      /* byte offset of the space */
    int cls;         /* SP_LATIN, SP_OPTIONAL, SP_BREAK */
    int on;          /* default reading: 1 = column break */
    int strength;    /* how surely it is a break, for forced merges */
} space_info;

enum { SP_LATIN = 0, SP_OPTIONAL, SP_BREAK };

/* Classifies the single spaces of a line that may separate columns. */
/* Does the token at byte `from` (up to the next space) hold an amount cell (13億円の内数) or
 * begin with an amount (8.8億円)を通じて, a budget broken across lines)? */
static int token_is_amount(const char *s, size_t len, size_t from)
{
    size_t end = from;
    while (end < len && s[end] != ' ')
        end++;
    return is_amount(s + from, end - from) || amount_prefix(s + from, end - from) > 0;
}

/* Does the token after byte `from` (to the next space) hold any non-ASCII character? */
static int token_has_japanese(const char *s, size_t len, size_t from)
{
    for (size_t i = from; i < len && s[i] != ' '; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* Does the token ending at byte `end` (from the previous space) hold any non-ASCII character? */
static int token_before_has_japanese(const char *s, size_t end)
{
    for (size_t i = end; i-- > 0 && s[i] != ' ';)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

static int find_spaces(const page_line *line, space_info **spaces, size_t *nspaces, size_t *cap)
{
    const char *s = line->text;
    size_t len = line->len;
    *nspaces = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (s[i] != ' ' || s[i - 1] == ' ' || s[i + 1] == ' ')
            continue;
        unsigned a = utf8_prev(s, i), b;
        utf8_next(s, len, i + 1, &b);
        space_info sp = {i, SP_BREAK, 1, 2};
        if (a < 0x80 && b < 0x80 && (a == ')' || a == ']')) {
            sp.cls = SP_OPTIONAL; /* "…の内数) 14億円": a closing bracket ends a cell */
            sp.on = 1;
            sp.strength = 1;
        } else if (a < 0x80 && b < 0x80 &&
                   token_is_amount(s, len, i + 1)) {
            sp.cls = SP_OPTIONAL; /* "…IoT 14億円の内数": an amount cell follows Latin text */
            sp.on = 1;
            sp.strength = 1;
        } else if (a < 0x80 && b < 0x80 &&
                   (!is_ascii_alnum(a) || token_has_japanese(s, len, i + 1) ||
                    token_before_has_japanese(s, i))) {
            /* "予算案: MedTech", "医療DX 629百万円の内数）": after Latin punctuation, or next to
             * a word that runs into Japanese, the line may have wrapped and the next column
             * begun in Latin or digits; mostly it is still text */
            sp.cls = SP_OPTIONAL;
            sp.on = 0;
            sp.strength = 1;
        } else if (a < 0x80 && b < 0x80) {
            sp.cls = SP_LATIN; /* MedTech ROUND: inside Latin text */
            sp.on = 0;
            sp.strength = 0;
        } else if (a < 0x80 || b < 0x80) {
            /* "ARO に": a Latin word, a space, then Japanese is mostly inside text (the
             * extractor pads after proportional Latin glyphs); after Latin punctuation ("[◎経]
             * また") or before Latin ("…によ 0.5億円") it is mostly a column break. Both
             * readings stay open to the decoder. */
            sp.cls = SP_OPTIONAL;
            int latin_word_before = is_ascii_alnum(a);
            sp.on = !latin_word_before || is_item_marker(b) || b == 0x300C || b == 0x3010;
            sp.strength = sp.on ? 2 : 1;
        } else {
            if (is_item_marker(b) || b == 0x300C || b == 0x3010)
                sp.strength++;
            if (is_sentence_end(a) || a == ']' || a == 0xFF3D)
                sp.strength++;
        }
        space_info *grown = sh_array_grow(*spaces, cap, *nspaces + 1, sizeof *grown);
        if (!grown)
            return SH_ERR_NOMEM;
        *spaces = grown;
        (*spaces)[(*nspaces)++] = sp;
    }
    return SH_OK;
}

static int push_option(analysis *a, const page_line *line, const space_info *spaces,
                       size_t nspaces, const unsigned char *on, int flip)
{
    size_t k = 1;
    for (size_t i = 0; i < nspaces; i++)
        k += on[i];
    frag_info *frags = sh_array_grow(a->frags, &a->frags_cap, a->nfrags + k, sizeof *frags);
    if (!frags)
        return SH_ERR_NOMEM;
    a->frags = frags;
    seg_opt *opts = sh_array_grow(a->opts, &a->opts_cap, a->nopts + 1, sizeof *opts);
    if (!opts)
        return SH_ERR_NOMEM;
    a->opts = opts;
    seg_opt *o = &a->opts[a->nopts++];
    o->first = a->nfrags;
    o->k = (int)k;
    o->flip = flip;
    size_t start = 0;
    for (size_t i = 0; i < nspaces; i++) {
        if (!on[i])
            continue;
        frag_measure(line->text, start, spaces[i].pos - start, &a->frags[a->nfrags++]);
        start = spaces[i].pos + 1;
    }
    frag_measure(line->text, start, line->len - start, &a->frags[a->nfrags++]);
    return SH_OK;
}

static int cmp_strength_desc(const void *x, const void *y)
{
    const space_info *a = *(const space_info *const *)x, *b = *(const space_info *const *)y;
    if (a->strength != b->strength)
        return a->strength > b->strength ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Builds the candidate readings of one body line. */
static int analyse_line(analysis *a, size_t li, space_info **spaces, size_t *spaces_cap,
                        unsigned char **on, size_t *on_cap)
{
    const page_line *line = &a->p->lines[li];
    line_info *info = &a->lines[li];
    size_t nspaces = 0;
    if (find_spaces(line, spaces, &nspaces, spaces_cap))
        return SH_ERR_NOMEM;
    unsigned char *grown = sh_array_grow(*on, on_cap, nspaces + 1, 1);
    if (!grown)
        return SH_ERR_NOMEM;
    *on = grown;
    size_t breaks = 0;
    for (size_t i = 0; i < nspaces; i++) {
        (*on)[i] = (unsigned char)(*spaces)[i].on;
        breaks += (*on)[i];
    }
    info->first_opt = a->nopts;
    info->nopts = 0;
    size_t max_breaks = (size_t)(a->ncols - 1);
    if (breaks > max_breaks) {
        /* more fragments than columns: keep only the surest breaks */
        space_info **order = malloc(nspaces * sizeof *order);
        if (!order)
            return SH_ERR_NOMEM;
        size_t m = 0;
        for (size_t i = 0; i < nspaces; i++)
            if ((*on)[i])
                order[m++] = &(*spaces)[i];
        qsort(order, m, sizeof *order, cmp_strength_desc);
        for (size_t i = max_breaks; i < m; i++)
            (*on)[order[i] - *spaces] = 0;
        free(order);
        breaks = max_breaks;
    }
    info->base_k = (int)breaks + 1;
    if (push_option(a, line, *spaces, nspaces, *on, FLIP_NONE))
        return SH_ERR_NOMEM;
    info->nopts = 1;
    int tried = 0;
    for (size_t i = 0; i < nspaces && tried < OPTIONAL_SPACES_MAX; i++) {
        if ((*spaces)[i].cls != SP_OPTIONAL)
            continue;
        tried++;
        if (!(*on)[i] && breaks >= max_breaks)
            continue;
        /* the other reading of this space: a likely break read as text, or text read as a break */
        int flip = (*on)[i] ? FLIP_TO_TEXT : FLIP_TO_BREAK;
        (*on)[i] ^= 1;
        int rc = push_option(a, line, *spaces, nspaces, *on, flip);
        (*on)[i] ^= 1;
        if (rc)
            return rc;
        info->nopts++;
    }
    return SH_OK;
}

static int is_section_line(const page_line *line)
{
    return line->len >= 6 && memcmp(line->text, "【", 3) == 0 &&
           memcmp(line->text + line->len - 3, "】", 3) == 0;
}

/* ---------------------------------------------------------------------------------------------
 * Table header
 * ------------------------------------------------------------------------------------------- */

typedef struct header_info {
    size_t end;                  /* index of the first body line after the header */
    int ncols;                   /* 0 when there is no table header */
    int have_col_tokens;         /* 列N tokens were present */
    size_t label_off[COLUMNS_MAX], label_len[COLUMNS_MAX], label_line[COLUMNS_MAX];
    int nlabels;
} header_info;

/* "列3" / "列３" -> 3; 0 when the token is something else. */
static int column_token(const char *s, size_t len)
{
    if (len < 4 || memcmp(s, "列", 3) != 0)
        return 0;
    int v = 0;
    for (size_t i = 3; i < len;) {
        unsigned cp;
        i += utf8_next(s, len, i, &cp);
        if (!is_ascii_digit_cp(cp) || v > 99)
            return 0;
        v = v * 10 + (int)(cp >= 0xFF10 ? cp - 0xFF10 : cp - '0');
    }
    return v;
}

/* Is the next non-empty line after index from made only of 列N tokens numbered above max? */
static int next_line_extends_tokens(const page *p, size_t from, int max)
{
    while (from < p->nlines && p->lines[from].len == 0)
        from++;
    if (from >= p->nlines)
        return 0;
    const page_line *line = &p->lines[from];
    size_t start = 0;
    int any = 0;
    for (size_t k = 0; k <= line->len; k++) {
        if (k < line->len && line->text[k] != ' ')
            continue;
        if (k > start) {
            int tok = column_token(line->text + start, k - start);
            if (tok <= max)
                return 0;
            any = 1;
        }
        start = k + 1;
    }
    return any;
}

static int is_label_like(const char *s, size_t len)
{
    frag_info f;
    frag_measure(s, 0, len, &f);
    if (len == 0 || f.width > LABEL_MAX_WIDTH || f.item || f.cont_start)
        return 0;
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, "。", 3) == 0 || memcmp(s + i, "【", 3) == 0)
            return 0;
    return 1;
}

/* Reads the table header at the top of the body: lines of short labels, possibly with the
 * extractor's 列1 列2 … column tokens (the sample: "該当箇所 列1 列2" / "列3" / label / label). */
static void read_header(const page *p, header_info *h)
{
    memset(h, 0, sizeof *h);
    size_t i = 0;
    while (i < p->nlines && p->lines[i].len == 0)
        i++;
    int max_token = 0, nlabels = 0;
    size_t label_off[COLUMNS_MAX * 2], label_len[COLUMNS_MAX * 2], label_line[COLUMNS_MAX * 2];
    size_t complete_end = 0, last_header_end = 0;
    for (size_t scanned = 0; i < p->nlines && scanned < HEADER_MAX_LINES; i++, scanned++) {
        const page_line *line = &p->lines[i];
        if (line->len == 0)
            continue;
        if (is_section_line(line))
            break;
        /* every space-separated token must be label-like */
        int ok = 1, line_labels = 0;
        size_t start = 0;
        for (size_t k = 0; k <= line->len && ok; k++) {
            if (k < line->len && line->text[k] != ' ')
                continue;
            size_t tl = k - start;
            if (tl > 0) {
                int tok = column_token(line->text + start, tl);
                if (tok > 0) {
                    if (tok > max_token)
                        max_token = tok;
                } else if (is_label_like(line->text + start, tl)) {
                    if (nlabels < COLUMNS_MAX * 2) {
                        label_off[nlabels] = start;
                        label_len[nlabels] = tl;
                        label_line[nlabels] = i;
                        nlabels++;
                    }
                    line_labels++;
                } else {
                    ok = 0;
                }
            }
            start = k + 1;
        }
        if (!ok)
            break;
        last_header_end = i + 1;
        if (max_token > 0 && next_line_extends_tokens(p, i + 1, max_token))
            continue; /* "概要 列1" / "列2": the numbering goes on below */
        if (max_token > 0) {
            if (nlabels >= max_token) {
                complete_end = i + 1;
                break;
            }
        } else if (scanned == 0 && line_labels >= 2) {
            complete_end = i + 1; /* labels side by side without tokens: one line */
            break;
        } else if (scanned > 0 && max_token == 0) {
            break; /* a short first line that is not followed by column tokens: no header */
        }
    }
    if (!complete_end && max_token > 0)
        complete_end = last_header_end; /* tokens without enough labels: labels go right */
    if (!complete_end)
        return;
    int ncols = max_token > 0 ? max_token : nlabels;
    if (ncols > COLUMNS_MAX)
        ncols = COLUMNS_MAX;
    if (nlabels > COLUMNS_MAX * 2)
        nlabels = COLUMNS_MAX * 2;
    h->end = complete_end;
    h->ncols = ncols;
    h->have_col_tokens = max_token > 0;
    /* fewer labels than columns: the unlabelled ones are the leftmost (item columns) */
    int used = nlabels < ncols ? nlabels : ncols;
    int first_col = ncols - used;
    for (int k = 0; k < used; k++) {
        h->label_off[first_col + k] = label_off[k];
        h->label_len[first_col + k] = label_len[k];
        h->label_line[first_col + k] = label_line[k];
    }
    h->nlabels = used;
    for (int c = 0; c < first_col; c++)
        h->label_len[c] = 0;
}

/* ---------------------------------------------------------------------------------------------
 * Page model: column widths, bullet rates, join statistics
 * ------------------------------------------------------------------------------------------- */

typedef struct model {
    int n;
    double width[COLUMNS_MAX];     /* full-line width, half-widths */
    double wrap_mid[COLUMNS_MAX];  /* median width of wrapped lines (0: not learned yet) */
    double wrap_b[COLUMNS_MAX];    /* their mean absolute deviation from it */
    double full_lo[COLUMNS_MAX];   /* at least this wide: the line wrapped (paragraph goes on) */
    double over_hi[COLUMNS_MAX];   /* wider than this: cannot be this column */
    double item_lr[COLUMNS_MAX];   /* log rate of bulleted paragraph starts */
    double plain_lr[COLUMNS_MAX];  /* log rate of plain paragraph starts */
    double term_lr[COLUMNS_MAX];   /* log rate of paragraphs ending in punctuation or a tag */
    double nonterm_lr[COLUMNS_MAX]; /* log rate of paragraphs ending without */
    double next_lr[COLUMNS_MAX];   /* log rate of paragraph starts that continue a cell */
    double first_lr[COLUMNS_MAX];  /* log rate of paragraph starts that open a cell */
    double next_gap_lp[NEXT_GAP_CAP + 1]; /* log P(lines skipped before a cell's next paragraph) */
    double cont_gap_lp[COLUMNS_MAX][CONT_GAP_CAP + 1]; /* log P(lines skipped between two lines
                                      of one paragraph): line pitches differ per column, so one
                                      column's lines come every line, another's every other */
    double first_age_lp[ROW_AGE_CAP + 1]; /* log P(row age when a cell's first paragraph starts) */
    double widest;                 /* widest column's over_hi */
    int gap_allow;                 /* lines a mid-sentence column may skip */
    uint16_t *bigram;              /* hashed counts of adjacent code points inside fragments */
    uint16_t *ngram;               /* hashed counts of 3- and 4-grams inside fragments */
    double kind_lr[COLUMNS_MAX + 1][KINDS]; /* log P(kind | column), then for measure headings,
                                      minus its mean over them */
    int role[COLUMNS_MAX];         /* ROLE_* read from the column's label */
    int fiscal_year[COLUMNS_MAX];  /* the label's fiscal year, 0 none */
    const frag_info *frag_base;    /* analysis.frags, to index lm */
    float *lm;                     /* per fragment x column: page-learned column vocabulary fit */
} model;

static uint32_t bigram_slot(unsigned a, unsigned b)
{
    uint32_t h = (uint32_t)a * 0x9E3779B1u ^ ((uint32_t)b * 0x85EBCA77u + 0x165667B1u);
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 13;
    return h & (BIGRAM_SLOTS - 1);
}

static void bigram_add_fragment(uint16_t *table, const char *s, size_t len)
{
    unsigned prev = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_next(s, len, i, &cp);
        if (prev && cp != ' ' && prev != ' ') {
            uint16_t *slot = &table[bigram_slot(prev, cp)];
            if (*slot < UINT16_MAX)
                (*slot)++;
        }
        prev = cp;
    }
}

static uint32_t ngram_slot(const unsigned *cp, int n)
{
    uint32_t h = 0x811C9DC5u ^ (uint32_t)n;
    for (int k = 0; k < n; k++) {
        h ^= (uint32_t)cp[k];
        h *= 0x01000193u;
        h ^= h >> 13;
        h *= 0x5BD1E995u;
    }
    h ^= h >> 15;
    return h & (NGRAM_SLOTS - 1);
}

static void ngram_add_fragment(uint16_t *table, const char *s, size_t len)
{
    unsigned win[4] = {0, 0, 0, 0};
    int have = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_next(s, len, i, &cp);
        win[0] = win[1];
        win[1] = win[2];
        win[2] = win[3];
        win[3] = cp;
        if (have < 4)
            have++;
        for (int n = 3; n <= 4; n++) {
            if (have < n)
                continue;
            uint16_t *slot = &table[ngram_slot(win + 4 - n, n)];
            if (*slot < UINT16_MAX)
                (*slot)++;
        }
    }
}

static double log2_1p(unsigned count)
{
    static const double table[] = {0.0, 1.0, 1.585, 2.0, 2.322, 2.585, 2.807, 3.0, 3.17};
    return count < 8 ? table[count] : table[8];
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* Sets the width model of column c from its samples (full and short lines mixed). */
static void set_width(const weights *wt, model *m, int c, double *samples, size_t n,
                      double fallback)
{
    double q = wt->width_quantile < 0.5 ? 0.5 : wt->width_quantile > 1 ? 1 : wt->width_quantile;
    double w = n >= 2 ? quantile(samples, n, q) : n == 1 ? samples[0] : fallback;
    if (w < 4)
        w = 4;
    m->width[c] = w;
    double slack = wt->full_slack + wt->full_slack_per * w;
    m->full_lo[c] = w - slack;
    m->over_hi[c] = w + wt->over_slack + wt->over_slack_per * w;
}

static void finish_model(model *m)
{
    m->widest = 0;
    for (int c = 0; c < m->n; c++)
        if (m->over_hi[c] > m->widest)
            m->widest = m->over_hi[c];
    m->gap_allow = 2 * (m->n - 1) + 1;
}

static void set_rates(model *m, const unsigned *items, const unsigned *starts)
{
    for (int c = 0; c < m->n; c++) {
        double total = (double)starts[c] + 1.0;
        m->item_lr[c] = log(((double)items[c] + 0.5) / total);
        m->plain_lr[c] = log(((double)(starts[c] - items[c]) + 0.5) / total);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Beam search over lines
 * ------------------------------------------------------------------------------------------- */

typedef struct hyp {
    double score;
    uint8_t state[COLUMNS_MAX];
    uint8_t gap[COLUMNS_MAX];      /* lines since the column's last fragment, capped */
    uint32_t last[COLUMNS_MAX];    /* 1 + index of the column's last fragment, 0 none */
    uint8_t in_row;                /* columns with text in the current table row */
    uint8_t row_age;               /* lines since the current row began, capped */
    uint8_t depth[COLUMNS_MAX];    /* brackets the column's text has left open, capped */
    uint8_t after_head;            /* 1 when the previous line was read as a measure heading (a
                                      table row follows a measure heading, column 1 first) */
} hyp;

typedef struct child {
    hyp h;
    uint16_t parent;
    uint8_t mask;                  /* columns given fragments; 0 = the line is a heading */
    uint8_t opt;
    uint8_t row;                   /* 1 when a table row begins on this line */
} child;

typedef struct trace {
    uint16_t parent;
    uint8_t mask, opt, row;
    float gain;                    /* score this line added */
} trace;

/* Does fragment f begin a paragraph in a column in this state? (A plain line after a full line
 * ending a sentence is read as going on: the paragraph may hold several sentences.) */
static int starts_paragraph(const model *m, int state, int gap, const frag_info *f)
{
    if (gap > m->gap_allow || state == ST_CLOSED)
        return 1;
    return f->item;
}

/* Row terms of a line that starts paragraphs in the columns of `starts`, within the current row. */
static double row_same_score(const weights *w, const model *m, const hyp *h, unsigned starts)
{
    double s = 0;
    for (int c = 0; c < m->n; c++) {
        if (!(starts & (1u << c)))
            continue;
        if (h->in_row & (1u << c)) {
            int g = h->gap[c] > NEXT_GAP_CAP ? NEXT_GAP_CAP : h->gap[c];
            s += w->row_gap * m->next_gap_lp[g] + w->row_kind * m->next_lr[c];
        } else {
            s += w->row_age * m->first_age_lp[h->row_age] + w->row_kind * m->first_lr[c];
        }
    }
    return s;
}

/* Columns without text in the row that ends here. */
static double row_missing_score(const weights *w, const model *m, const hyp *h)
{
    if (!h->in_row)
        return 0;
    unsigned full = (1u << m->n) - 1;
    return w->row_missing * __builtin_popcount(full & ~(unsigned)h->in_row);
}

/* Open brackets of a column after fragment f (a new item starts from none). */
static uint8_t bracket_depth_after(uint8_t depth, const frag_info *f)
{
    int d = f->item ? 0 : depth;
    if (d < f->br_need)
        d = f->br_need;
    d += f->br_net;
    return (uint8_t)(d < 0 ? 0 : d > 7 ? 7 : d);
}

static int state_after(const model *m, int c, const frag_info *f)
{
    if (f->tag)
        return ST_CLOSED;
    if (f->open_end)
        return ST_OPEN;
    /* a Latin word is wrapped whole, so a line ending in one may stop well short of the width */
    if (f->latin_end && !f->terminal && f->width * 2 >= m->width[c])
        return ST_OPEN;
    if (f->width < m->full_lo[c])
        return ST_CLOSED;
    return f->terminal ? ST_MAYBE : ST_OPEN;
}

/* How plausibly fragment f continues fragment p: the character pair across the join, and the
 * 3- and 4-grams across it seen elsewhere on the page (program names and phrases recur). */
static double join_score(const weights *w, const model *m, const frag_info *p, const frag_info *f)
{
    if (!p)
        return 0;
    unsigned count = m->bigram[bigram_slot(p->tail, f->head)];
    double s = count ? w->bigram * log2_1p(count) : w->bigram_zero;
    if (!m->ngram)
        return s;
    unsigned seq[6];
    int np = 0, nf = 0;
    for (int k = 2; k >= 0; k--)
        if (p->tail3[k])
            seq[np++] = p->tail3[k];
    for (int k = 0; k < 3 && f->head3[k]; k++)
        seq[np + nf++] = f->head3[k];
    double ng = 0;
    int tried = 0;
    for (int n = 3; n <= 4; n++)
        for (int start = np - n + 1; start < np; start++) {
            if (start < 0 || start + n > np + nf)
                continue;
            unsigned c = m->ngram[ngram_slot(seq + start, n)];
            tried++;
            ng += log2_1p(c);
        }
    if (tried)
        s += w->ngram * ng + (ng == 0 ? w->ngram_zero : 0);
    return s;
}

/* What the column's label leads a reader to expect: a results column of 令和6年度 reports in the
 * past and names 令和6年度 budgets; a plans column announces and names budget requests (予算案). */
static double role_score(const weights *w, const model *m, int c, const frag_info *f)
{
    double s = 0;
    if (f->fiscal_year) {
        int owned_elsewhere = 0;
        for (int k = 0; k < m->n; k++)
            owned_elsewhere |= k != c && m->fiscal_year[k] == f->fiscal_year;
        if (m->fiscal_year[c] == f->fiscal_year)
            s += w->role_year;
        else if (owned_elsewhere)
            s -= m->fiscal_year[c] ? w->role_year : w->role_year / 3;
    }
    int role = m->role[c];
    if (role == ROLE_NONE)
        return s;
    if (f->plan_budget)
        s += role == ROLE_PLANS ? w->role_budget : -w->role_budget;
    if (f->tense)
        s += (f->tense > 0) == (role == ROLE_RESULTS) ? w->role_tense : -w->role_tense;
    return s;
}

/* How well the fragment's kind suits column c (c == n: a measure heading). Amounts and ministry
 * names are typed for sure, phrases and sentences only by their length: they weigh apart. */
static double kind_score(const weights *w, const model *m, int c, const frag_info *f)
{
    double weight = f->kind == KIND_AMOUNT || f->kind == KIND_MINISTRY ? w->kind_typed : w->kind;
    return weight * m->kind_lr[c][f->kind];
}

/* Score of putting fragment f in column c given the column's state before it. */
static double frag_score(const weights *w, const model *m, const hyp *h, int c, const frag_info *f)
{
    double s = 0;
    double over = (double)f->width - m->over_hi[c];
    if (over > 0)
        s -= w->over_base + w->over_per * over;
    int st = h->state[c];
    double cont_gap =
        w->cont_gap * m->cont_gap_lp[c][h->gap[c] > CONT_GAP_CAP ? CONT_GAP_CAP : h->gap[c]];
    if (st == ST_OPEN && h->gap[c] <= m->gap_allow) {
        if (f->item)
            s += w->item_open;
        else
            s += w->cont_open + cont_gap + (f->opener ? w->cont_opener : 0) +
                 join_score(w, m, h->last[c] ? &m->frag_base[h->last[c] - 1] : NULL, f);
    } else if (st == ST_MAYBE && h->gap[c] <= m->gap_allow) {
        if (f->item)
            s += w->item_maybe + w->item_rate * m->item_lr[c];
        else if (f->cont_start)
            s += w->cont_open + cont_gap;
        else
            s += w->cont_maybe + cont_gap;
    } else {
        if (f->cont_start)
            s += w->forbid_closed;
        else if (f->item)
            s += w->item_closed + w->item_rate * m->item_lr[c];
        else
            s += w->new_closed + w->item_rate * m->plain_lr[c];
        if (f->particle_start && !f->item)
            s += w->particle_closed;
        if (h->gap[c] <= 1)
            s += w->recent_new;
    }
    int after = state_after(m, c, f);
    if (after == ST_CLOSED) {
        if (!f->terminal && !f->tag)
            s += w->short_nonterm + w->end_rate * m->nonterm_lr[c];
        else
            s += w->end_rate * m->term_lr[c];
    }
    if (after != ST_CLOSED) {
        double dev = (double)f->width - m->width[c];
        s -= w->width_dev * (dev < 0 ? -dev : dev);
        if (m->wrap_b[c] > 0 && !f->latin_end) {
            dev = (double)f->width - m->wrap_mid[c];
            s -= w->width_sharp * ((dev < 0 ? -dev : dev) / m->wrap_b[c] + log(m->wrap_b[c]));
        }
    }
    if (f->tag)
        s += c == 0 ? w->tag_col1 : w->tag_other;
    if (f->br_need) {
        int open = f->item ? 0 : h->depth[c];
        if (open < f->br_need)
            s += w->bracket_miss * (f->br_need - open);
        else
            s += w->bracket_close;
    }
    if (m->lm)
        s += w->lm * m->lm[(size_t)(f - m->frag_base) * (size_t)(m->n + 1) + (size_t)c];
    return s + role_score(w, m, c, f) + kind_score(w, m, c, f);
}

static double heading_score(const weights *w, const model *m, const hyp *h, const frag_info *f,
                            int next_full)
{
    double s = w->heading_base;
    for (int c = 0; c < m->n; c++) {
        if (h->gap[c] > m->gap_allow)
            continue;
        if (h->state[c] == ST_OPEN)
            s += w->heading_open;
        else if (h->state[c] == ST_MAYBE)
            s += w->heading_maybe;
    }
    if (f->terminal || f->tag || f->cont_start || f->open_end)
        s += w->heading_term;
    if (f->item)
        s += w->heading_item;
    if (next_full)
        s += w->heading_next_full;
    if ((double)f->width > m->widest)
        s += w->heading_wide;
    /* vocabulary of the page's measure headings against the columns' (both centred on the
     * columns' mean, like a cell's score) */
    if (m->lm)
        s += w->lm_head * m->lm[(size_t)(f - m->frag_base) * (size_t)(m->n + 1) + (size_t)m->n];
    return s + kind_score(w, m, m->n, f);
}

static void reset_hyp(hyp *h, int n)
{
    for (int c = 0; c < n; c++) {
        h->state[c] = ST_CLOSED;
        h->gap[c] = UINT8_MAX;
        h->last[c] = 0;
        h->depth[c] = 0;
    }
    h->in_row = 0;
    h->row_age = ROW_AGE_CAP;
    h->after_head = 0;
}

static int same_hyp(const hyp *a, const hyp *b, int n)
{
    if (a->in_row != b->in_row || a->row_age != b->row_age || a->after_head != b->after_head)
        return 0;
    for (int c = 0; c < n; c++)
        if (a->state[c] != b->state[c] || a->gap[c] != b->gap[c] || a->last[c] != b->last[c] ||
            a->depth[c] != b->depth[c])
            return 0;
    return 1;
}

static int cmp_child_desc(const void *x, const void *y)
{
    const child *a = x, *b = y;
    if (a->h.score != b->h.score)
        return a->h.score > b->h.score ? -1 : 1;
    if (a->parent != b->parent)
        return a->parent < b->parent ? -1 : 1;
    if (a->opt != b->opt)
        return a->opt < b->opt ? -1 : 1;
    if (a->mask != b->mask)
        return a->mask < b->mask ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

typedef struct decode_result {
    int *opt;        /* per page line: chosen reading (-1 for lines not decoded) */
    uint8_t *mask;   /* per page line: columns given fragments; 0 = heading */
    uint8_t *row;    /* per page line: 1 when a table row begins there */
    double *gain;    /* per page line: score the line added (NULL: not wanted) */
    double total;    /* score of the whole reading */
} decode_result;

/* A reading the decoder must follow (tuning and diagnosis): per page line the option and mask,
 * and the row starts too when rows is set. */
typedef struct decode_force {
    const int *opt;
    const uint8_t *mask;
    const uint8_t *row;            /* NULL: rows are the decoder's choice */
} decode_force;

/* Masks of n columns with k bits set, in increasing order. */
static size_t masks_with_bits(int n, int k, uint8_t *out)
{
    size_t count = 0;
    for (unsigned mask = 1; mask < (1u << n); mask++)
        if (__builtin_popcount(mask) == k)
            out[count++] = (uint8_t)mask;
    return count;
}

/* Score for reading a line's optional spaces the way this option does. */
static double option_prior(const weights *w, const seg_opt *so)
{
    return so->flip == FLIP_TO_TEXT ? w->split_strong : so->flip == FLIP_TO_BREAK ? w->split_opt : 0;
}

static int decode(const analysis *a, const model *m, const weights *w, const size_t *steps,
                  size_t nsteps, const decode_force *force, decode_result *out)
{
    double offset = 0; /* scores removed while keeping them small */
    int n = m->n;
    uint8_t masks[COLUMNS_MAX + 1][70];
    size_t nmasks[COLUMNS_MAX + 1];
    for (int k = 1; k <= n; k++)
        nmasks[k] = masks_with_bits(n, k, masks[k]);
    int beam_cap = BEAM_MAX;
    if (nsteps > 20000)
        beam_cap = 6; /* giant pages: keep the work linear and small */
    hyp *beam = malloc((size_t)beam_cap * sizeof *beam);
    hyp *next = malloc((size_t)beam_cap * sizeof *next);
    trace *traces = malloc((nsteps ? nsteps : 1) * (size_t)beam_cap * sizeof *traces);
    size_t child_cap = 256;
    child *children = malloc(child_cap * sizeof *children);
    if (!beam || !next || !traces || !children) {
        free(beam);
        free(next);
        free(traces);
        free(children);
        return SH_ERR_NOMEM;
    }
    size_t nbeam = 1;
    beam[0].score = 0;
    reset_hyp(&beam[0], n);
    for (size_t step = 0; step < nsteps; step++) {
        const line_info *li = &a->lines[steps[step]];
        size_t nchildren = 0;
        /* how many parents to expand so the line's work stays bounded */
        size_t per_parent = 1;
        if (li->kind == LINE_BODY)
            for (int o = 0; o < li->nopts; o++) {
                int k = a->opts[li->first_opt + (size_t)o].k;
                per_parent += k <= n ? 2 * nmasks[k] : 0;
            }
        size_t parents = nbeam;
        if (parents * per_parent > CHILD_BUDGET)
            parents = CHILD_BUDGET / per_parent > 0 ? CHILD_BUDGET / per_parent : 1;
        child *grown = sh_array_grow(children, &child_cap, parents * per_parent + 1,
                                     sizeof *grown);
        if (!grown) {
            free(beam);
            free(next);
            free(traces);
            free(children);
            return SH_ERR_NOMEM;
        }
        children = grown;
        size_t nb = step + 1 < nsteps ? steps[step + 1] : (size_t)-1;
        /* a heading is followed by a row start: most columns begin on the next line */
        int next_full = nb == (size_t)-1 ? 0
                        : a->lines[nb].kind == LINE_SECTION ||
                              a->lines[nb].base_k >= (n - 1 > 2 ? n - 1 : 2);
        for (size_t pi = 0; pi < parents; pi++) {
            const hyp *ph = &beam[pi];
            if (li->kind == LINE_SECTION) {
                child *ch = &children[nchildren++];
                ch->h = *ph;
                reset_hyp(&ch->h, n);
                ch->h.score = ph->score + row_missing_score(w, m, ph) +
                              (ph->after_head ? w->head_section : 0);
                ch->parent = (uint16_t)pi;
                ch->mask = 0;
                ch->opt = 0;
                ch->row = 0;
                continue;
            }
            /* may a new row begin here? Only when no column is mid-sentence */
            int all_done = 1;
            for (int c = 0; c < n; c++)
                if (ph->state[c] == ST_OPEN && ph->gap[c] <= m->gap_allow)
                    all_done = 0;
            size_t line = steps[step];
            for (int o = 0; o < li->nopts; o++) {
                const seg_opt *so = &a->opts[li->first_opt + (size_t)o];
                const frag_info *fr = &a->frags[so->first];
                if (so->k > n || (force && force->opt[line] != o))
                    continue;
                for (size_t mi = 0; mi < nmasks[so->k]; mi++) {
                    uint8_t mask = masks[so->k][mi];
                    if (force && force->mask[line] != mask)
                        continue;
                    child *ch = &children[nchildren++];
                    ch->h = *ph;
                    ch->parent = (uint16_t)pi;
                    ch->mask = mask;
                    ch->opt = (uint8_t)o;
                    ch->row = 0;
                    ch->h.after_head = 0;
                    double s = ph->score + option_prior(w, so);
                    if (ph->after_head && (mask & 1u))
                        s += w->head_c1;
                    unsigned starts = 0;
                    int j = 0;
                    for (int c = 0; c < n; c++) {
                        if (mask & (1u << c)) {
                            const frag_info *f = &fr[j++];
                            s += frag_score(w, m, ph, c, f);
                            if (starts_paragraph(m, ph->state[c], ph->gap[c], f))
                                starts |= 1u << c;
                            ch->h.state[c] = (uint8_t)state_after(m, c, f);
                            ch->h.depth[c] = bracket_depth_after(ph->depth[c], f);
                            ch->h.gap[c] = 0;
                            ch->h.last[c] = (uint32_t)(f - a->frags) + 1;
                        } else if (ch->h.gap[c] < UINT8_MAX) {
                            ch->h.gap[c]++;
                            if (ch->h.state[c] == ST_OPEN && ch->h.gap[c] == m->gap_allow + 1)
                                s += w->gap_once;
                        }
                    }
                    /* gaps beyond the allowance all look alike: cap them for recombination */
                    for (int c = 0; c < n; c++)
                        if (ch->h.gap[c] > m->gap_allow + 1 && ch->h.gap[c] != UINT8_MAX)
                            ch->h.gap[c] = (uint8_t)(m->gap_allow + 1);
                    if (!ph->in_row) { /* the first line after a heading opens a row */
                        hyp fresh = *ph;
                        fresh.row_age = 0;
                        ch->h.score = s + row_same_score(w, m, &fresh, starts);
                        ch->h.in_row = mask;
                        ch->h.row_age = 1;
                        ch->row = 1;
                        continue;
                    }
                    ch->h.score = s + row_same_score(w, m, ph, starts);
                    ch->h.in_row = (uint8_t)(ph->in_row | mask);
                    ch->h.row_age = ph->row_age < ROW_AGE_CAP ? (uint8_t)(ph->row_age + 1)
                                                              : (uint8_t)ROW_AGE_CAP;
                    if (all_done && starts == mask) { /* or a new row begins here */
                        child *nr = &children[nchildren++];
                        *nr = *ch;
                        hyp fresh = *ph;
                        fresh.in_row = 0;
                        fresh.row_age = 0;
                        nr->h.score = s + w->row_start + row_missing_score(w, m, ph) +
                                      row_same_score(w, m, &fresh, starts);
                        nr->h.in_row = mask;
                        nr->h.row_age = 1;
                        nr->row = 1;
                    }
                }
                if (so->k == 1 && o == 0 && (!force || force->mask[line] == 0)) {
                    /* headings hold no column-break spaces */
                    child *ch = &children[nchildren++];
                    ch->h = *ph;
                    reset_hyp(&ch->h, n);
                    ch->h.score = ph->score + option_prior(w, so) + heading_score(w, m, ph, fr, next_full) +
                                  row_missing_score(w, m, ph) +
                                  (ph->after_head ? w->head_twice : 0);
                    ch->h.after_head = 1;
                    ch->parent = (uint16_t)pi;
                    ch->mask = 0;
                    ch->opt = (uint8_t)o;
                    ch->row = 0;
                }
            }
        }
        if (force && force->row) { /* rows forced too: keep the children that agree */
            size_t keep = 0;
            for (size_t ci = 0; ci < nchildren; ci++)
                if (children[ci].row == force->row[steps[step]])
                    children[keep++] = children[ci];
            nchildren = keep;
        }
        qsort(children, nchildren, sizeof *children, cmp_child_desc);
        size_t kept = 0;
        trace *tr = &traces[step * (size_t)beam_cap];
        for (size_t ci = 0; ci < nchildren && kept < (size_t)beam_cap; ci++) {
            int dup = 0;
            for (size_t k = 0; k < kept && !dup; k++)
                dup = same_hyp(&next[k], &children[ci].h, n);
            if (dup)
                continue;
            next[kept] = children[ci].h;
            tr[kept].parent = children[ci].parent;
            tr[kept].mask = children[ci].mask;
            tr[kept].opt = children[ci].opt;
            tr[kept].row = children[ci].row;
            tr[kept].gain = (float)(children[ci].h.score - beam[children[ci].parent].score);
            kept++;
        }
        if (kept == 0) { /* a forced reading the decoder cannot follow */
            free(beam);
            free(next);
            free(traces);
            free(children);
            return SH_ERR_INVALID;
        }
        /* scores only matter relative to each other: keep them small */
        double top = next[0].score;
        offset += top;
        for (size_t k = 0; k < kept; k++)
            next[k].score -= top;
        hyp *t = beam;
        beam = next;
        next = t;
        nbeam = kept;
    }
    /* best final hypothesis is beam[0]; walk back */
    size_t idx = 0;
    for (size_t step = nsteps; step-- > 0;) {
        const trace *tr = &traces[step * (size_t)beam_cap + idx];
        out->opt[steps[step]] = tr->opt;
        out->mask[steps[step]] = tr->mask;
        out->row[steps[step]] = tr->row;
        if (out->gain)
            out->gain[steps[step]] = tr->gain;
        idx = tr->parent;
    }
    out->total = offset + (nbeam ? beam[0].score : 0);
    free(beam);
    free(next);
    free(traces);
    free(children);
    return SH_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Model estimation
 * ------------------------------------------------------------------------------------------- */

#define PEAK_HIST_MAX 1024      /* widths above this are not column widths worth finding */
#define PEAK_SAMPLE_LINES 400   /* lines scored per candidate mapping */
#define PEAK_MAPPINGS_MAX 20000

/* How well a fragment of width w fits a column whose full lines are `width` wide (0: unknown). */
static double peak_fit(double w, double width)
{
    if (width <= 0)
        return 0;
    double tol = 2.0 + 0.04 * width;
    if (w > width + tol)
        return -4.0 - 0.2 * (w - width - tol);
    if (w >= width - 3.0 - 0.05 * width)
        return 1.0;
    return -0.3;
}

typedef struct peak_search {
    const analysis *a;
    const model *m;          /* column roles and fiscal years (widths are what is searched) */
    const weights *w;
    const size_t *lines;     /* sampled body lines */
    size_t nlines;
    int n, npeaks;
    double peak[COLUMNS_MAX];
    int assign[COLUMNS_MAX]; /* peak -> column, -1 unused */
    int best_assign[COLUMNS_MAX];
    double best_score;
    size_t tried, max_tries;
    uint8_t masks[COLUMNS_MAX + 1][70];
    size_t nmasks[COLUMNS_MAX + 1];
} peak_search;

static size_t masks_with_bits(int n, int k, uint8_t *out);

/* Best monotone placement of a line's fragments under column widths; returns its fit and mask. */
static double best_line_fit(const peak_search *ps, const double *widths, size_t li, uint8_t *mask_out)
{
    const line_info *info = &ps->a->lines[li];
    const seg_opt *o = &ps->a->opts[info->first_opt];
    const frag_info *fr = &ps->a->frags[o->first];
    double best = -1e30;
    uint8_t best_mask = 0;
    for (size_t mi = 0; mi < ps->nmasks[o->k]; mi++) {
        uint8_t mask = ps->masks[o->k][mi];
        double s = 0;
        int j = 0;
        for (int c = 0; c < ps->n; c++)
            if (mask & (1u << c)) {
                s += peak_fit(fr[j].width, widths[c]) +
                     ps->w->peak_role * role_score(ps->w, ps->m, c, &fr[j]);
                j++;
            }
        if (s > best) {
            best = s;
            best_mask = mask;
        }
    }
    if (mask_out)
        *mask_out = best_mask;
    return best;
}

static void peak_widths(const peak_search *ps, const int *assign, double *widths)
{
    for (int c = 0; c < ps->n; c++)
        widths[c] = 0;
    for (int p = 0; p < ps->npeaks; p++)
        if (assign[p] >= 0)
            widths[assign[p]] = ps->peak[p];
}

/* Tries every injective placement of the width peaks on columns (a peak may stay unused). */
static void peak_enumerate(peak_search *ps, int p, unsigned used)
{
    if (ps->tried >= ps->max_tries)
        return;
    if (p == ps->npeaks) {
        ps->tried++;
        double widths[COLUMNS_MAX];
        peak_widths(ps, ps->assign, widths);
        double score = 0;
        for (size_t i = 0; i < ps->nlines; i++)
            score += best_line_fit(ps, widths, ps->lines[i], NULL);
        if (score > ps->best_score) {
            ps->best_score = score;
            memcpy(ps->best_assign, ps->assign, sizeof ps->assign);
        }
        return;
    }
    ps->assign[p] = -1;
    peak_enumerate(ps, p + 1, used);
    for (int c = 0; c < ps->n; c++) {
        if (used & (1u << c))
            continue;
        ps->assign[p] = c;
        peak_enumerate(ps, p + 1, used | (1u << c));
    }
    ps->assign[p] = -1;
}

/* Without lines that show every column, column widths come from the peaks of the fragment width
 * histogram (full lines of a column are nearly equally wide), placed on the columns in the way
 * that best explains where fragments sit on their lines. */
static int estimate_from_peaks(const analysis *a, const size_t *steps, size_t nsteps, model *m,
                               const weights *w, double widest)
{
    int n = m->n;
    peak_search *ps = calloc(1, sizeof *ps);
    unsigned *hist = calloc(PEAK_HIST_MAX + 1, sizeof *hist);
    size_t *lines = malloc((nsteps ? nsteps : 1) * sizeof *lines);
    double *samples = malloc((nsteps ? nsteps : 1) * sizeof *samples);
    if (!ps || !hist || !lines || !samples) {
        free(ps);
        free(hist);
        free(lines);
        free(samples);
        return SH_ERR_NOMEM;
    }
    size_t nbody = 0, nfr = 0;
    for (size_t s = 0; s < nsteps; s++) {
        const line_info *li = &a->lines[steps[s]];
        if (li->kind != LINE_BODY)
            continue;
        lines[nbody++] = steps[s];
        const seg_opt *o = &a->opts[li->first_opt];
        for (int k = 0; k < o->k; k++) {
            int w = a->frags[o->first + (size_t)k].width;
            if (w <= PEAK_HIST_MAX) {
                hist[w]++;
                nfr++;
            }
        }
    }
    /* peaks: the densest 5-wide windows, each suppressing its neighbourhood */
    unsigned min_count = nfr / 30 > 3 ? (unsigned)(nfr / 30) : 3;
    unsigned char *taken = calloc(PEAK_HIST_MAX + 1, 1);
    if (!taken) {
        free(ps);
        free(hist);
        free(lines);
        free(samples);
        return SH_ERR_NOMEM;
    }
    while (ps->npeaks < n) {
        unsigned best = 0;
        int best_w = -1;
        for (int w = 4; w <= PEAK_HIST_MAX; w++) {
            if (taken[w])
                continue;
            unsigned win = 0;
            for (int v = w - 4; v <= w; v++)
                win += hist[v];
            if (win > best) {
                best = win;
                best_w = w;
            }
        }
        if (best_w < 0 || best < min_count)
            break;
        int top = best_w;
        while (top > best_w - 4 && hist[top] == 0)
            top--;
        ps->peak[ps->npeaks++] = top;
        for (int v = best_w - 8; v <= best_w + 8; v++)
            if (v >= 0 && v <= PEAK_HIST_MAX)
                taken[v] = 1;
    }
    free(taken);
    /* sample lines evenly for scoring */
    size_t stride = nbody > PEAK_SAMPLE_LINES ? nbody / PEAK_SAMPLE_LINES : 1;
    size_t *sampled = malloc((nbody / stride + 1) * sizeof *sampled);
    if (!sampled) {
        free(ps);
        free(hist);
        free(lines);
        free(samples);
        return SH_ERR_NOMEM;
    }
    for (size_t i = 0; i < nbody; i += stride)
        sampled[ps->nlines++] = lines[i];
    ps->lines = sampled;
    ps->a = a;
    ps->m = m;
    ps->w = w;
    ps->n = n;
    for (int k = 1; k <= n; k++)
        ps->nmasks[k] = masks_with_bits(n, k, ps->masks[k]);
    for (int p = 0; p < COLUMNS_MAX; p++)
        ps->assign[p] = ps->best_assign[p] = -1;
    ps->best_score = 0;
    /* bound the search: mappings x sampled lines x placements stays within a few million */
    size_t per_mapping = 1;
    for (size_t i = 0; i < ps->nlines; i++) {
        const seg_opt *o = &a->opts[a->lines[ps->lines[i]].first_opt];
        per_mapping += ps->nmasks[o->k] * (size_t)o->k;
    }
    ps->max_tries = 4000000 / per_mapping + 1;
    if (ps->max_tries > PEAK_MAPPINGS_MAX)
        ps->max_tries = PEAK_MAPPINGS_MAX;
    peak_enumerate(ps, 0, 0);
    double widths[COLUMNS_MAX];
    peak_widths(ps, ps->best_assign, widths);
    /* columns without a peak: measure what the best placements give them */
    for (int c = 0; c < n; c++) {
        if (widths[c] > 0) {
            set_width(w, m, c, &widths[c], 1, widest);
            continue;
        }
        size_t ns = 0;
        for (size_t i = 0; i < nbody; i++) {
            uint8_t mask;
            best_line_fit(ps, widths, lines[i], &mask);
            if (!(mask & (1u << c)))
                continue;
            const seg_opt *o = &a->opts[a->lines[lines[i]].first_opt];
            int j = 0;
            for (int cc = 0; cc < c; cc++)
                j += (mask >> cc) & 1;
            samples[ns++] = a->frags[o->first + (size_t)j].width;
        }
        set_width(w, m, c, samples, ns, widest);
    }
    free(sampled);
    free(ps);
    free(hist);
    free(lines);
    free(samples);
    return SH_OK;
}

/* Row timing before anything is learned: a cell's next paragraph follows closely, and a cell's
 * first paragraph mostly starts on the row's first line. */
static void set_row_priors(model *m)
{
    static const double next_gap[NEXT_GAP_CAP + 1] = {0.4, 0.25, 0.15, 0.08, 0.04, 0.03,
                                                       0.02, 0.015, 0.01};
    static const double first_age[ROW_AGE_CAP + 1] = {0.6, 0.12, 0.08, 0.06, 0.04, 0.03, 0.02,
                                                       0.015, 0.01, 0.008, 0.006, 0.005, 0.005};
    static const double cont_gap[CONT_GAP_CAP + 1] = {0.6, 0.2, 0.1, 0.05, 0.05};
    for (int g = 0; g <= NEXT_GAP_CAP; g++)
        m->next_gap_lp[g] = log(next_gap[g]);
    for (int c = 0; c < m->n; c++)
        for (int g = 0; g <= CONT_GAP_CAP; g++)
            m->cont_gap_lp[c][g] = log(cont_gap[g]);
    for (int g = 0; g <= ROW_AGE_CAP; g++)
        m->first_age_lp[g] = log(first_age[g]);
    for (int c = 0; c < m->n; c++)
        m->next_lr[c] = m->first_lr[c] = 0;
}

/* Learns row timing from a decoded reading, replaying the decoder's row state. */
static void estimate_rows(const analysis *a, const size_t *steps, size_t nsteps,
                          const decode_result *d, const model *old, model *m)
{
    int n = m->n;
    double gap_n[NEXT_GAP_CAP + 1] = {0}, age_n[ROW_AGE_CAP + 1] = {0};
    unsigned next_c[COLUMNS_MAX] = {0}, first_c[COLUMNS_MAX] = {0};
    double cont_n[COLUMNS_MAX][CONT_GAP_CAP + 1];
    memset(cont_n, 0, sizeof cont_n);
    int state[COLUMNS_MAX], gap[COLUMNS_MAX];
    unsigned in_row = 0;
    int row_age = ROW_AGE_CAP;
    for (int c = 0; c < n; c++) {
        state[c] = ST_CLOSED;
        gap[c] = 1000;
    }
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind != LINE_BODY || d->mask[li] == 0) {
            for (int c = 0; c < n; c++) {
                state[c] = ST_CLOSED;
                gap[c] = 1000;
            }
            in_row = 0;
            row_age = ROW_AGE_CAP;
            continue;
        }
        if (d->row[li]) {
            in_row = 0;
            row_age = 0;
        }
        const seg_opt *o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
        int j = 0;
        for (int c = 0; c < n; c++) {
            if (!(d->mask[li] & (1u << c))) {
                gap[c]++;
                continue;
            }
            const frag_info *f = &a->frags[o->first + (size_t)j++];
            if (starts_paragraph(old, state[c], gap[c] > 255 ? 255 : gap[c], f)) {
                if (in_row & (1u << c)) {
                    gap_n[gap[c] > NEXT_GAP_CAP ? NEXT_GAP_CAP : gap[c]]++;
                    next_c[c]++;
                } else {
                    age_n[row_age]++;
                    first_c[c]++;
                }
            } else {
                cont_n[c][gap[c] > CONT_GAP_CAP ? CONT_GAP_CAP : gap[c]]++;
            }
            state[c] = state_after(old, c, f);
            gap[c] = 0;
        }
        in_row |= d->mask[li];
        if (row_age < ROW_AGE_CAP)
            row_age++;
    }
    /* smoothed toward the priors, which count as a few observations */
    model prior;
    prior.n = n;
    set_row_priors(&prior);
    double gap_total = 0, age_total = 0;
    for (int g = 0; g <= NEXT_GAP_CAP; g++)
        gap_total += gap_n[g];
    for (int g = 0; g <= ROW_AGE_CAP; g++)
        age_total += age_n[g];
    const double k = 4.0;
    for (int g = 0; g <= NEXT_GAP_CAP; g++)
        m->next_gap_lp[g] = log((gap_n[g] + k * exp(prior.next_gap_lp[g])) / (gap_total + k));
    for (int g = 0; g <= ROW_AGE_CAP; g++)
        m->first_age_lp[g] = log((age_n[g] + k * exp(prior.first_age_lp[g])) / (age_total + k));
    for (int c = 0; c < n; c++) {
        double cont_total = 0;
        for (int g = 0; g <= CONT_GAP_CAP; g++)
            cont_total += cont_n[c][g];
        for (int g = 0; g <= CONT_GAP_CAP; g++)
            m->cont_gap_lp[c][g] = log((cont_n[c][g] + k * exp(prior.cont_gap_lp[c][g])) /
                                       (cont_total + k));
    }
    for (int c = 0; c < n; c++) {
        double total = (double)next_c[c] + (double)first_c[c] + 1.0;
        m->next_lr[c] = log(((double)next_c[c] + 0.5) / total);
        m->first_lr[c] = log(((double)first_c[c] + 0.5) / total);
    }
}

/* Initial widths and bullet rates from lines that show every column at once. */
static int estimate_initial(const analysis *a, const size_t *steps, size_t nsteps, model *m,
                            const weights *w)
{
    int n = m->n;
    size_t total = 0;
    for (size_t s = 0; s < nsteps; s++)
        if (a->lines[steps[s]].kind == LINE_BODY && a->lines[steps[s]].base_k == n)
            total++;
    double widest_frag = 8;
    for (size_t s = 0; s < nsteps; s++) {
        const line_info *li = &a->lines[steps[s]];
        if (li->kind != LINE_BODY)
            continue;
        const seg_opt *o = &a->opts[li->first_opt];
        for (int k = 0; k < o->k; k++)
            if (a->frags[o->first + (size_t)k].width > widest_frag)
                widest_frag = a->frags[o->first + (size_t)k].width;
    }
    double *samples = malloc((total ? total : 1) * sizeof *samples);
    if (!samples)
        return SH_ERR_NOMEM;
    unsigned items[COLUMNS_MAX] = {0}, starts[COLUMNS_MAX] = {0};
    for (int c = 0; c < n; c++) {
        size_t ns = 0;
        for (size_t s = 0; s < nsteps; s++) {
            const line_info *li = &a->lines[steps[s]];
            if (li->kind != LINE_BODY || li->base_k != n)
                continue;
            const frag_info *f = &a->frags[a->opts[li->first_opt].first + (size_t)c];
            samples[ns++] = f->width;
            starts[c]++;
            items[c] += f->item;
        }
        set_width(w, m, c, samples, ns, widest_frag);
    }
    free(samples);
    if (total < 3 && estimate_from_peaks(a, steps, nsteps, m, w, widest_frag))
        return SH_ERR_NOMEM;
    set_rates(m, items, starts);
    set_row_priors(m);
    finish_model(m);
    return SH_OK;
}

/* Kind rates per column and for headings (kinds[n]) from counts (add-one smoothed), centred on
 * their mean so a kind common everywhere favours no reading. */
static void set_kinds(model *m, double kinds[][KINDS])
{
    for (int k = 0; k < KINDS; k++) {
        double mean = 0;
        for (int c = 0; c <= m->n; c++) {
            double total = 0;
            for (int q = 0; q < KINDS; q++)
                total += kinds[c][q];
            m->kind_lr[c][k] = log((kinds[c][k] + 1.0) / (total + KINDS));
            mean += m->kind_lr[c][k];
        }
        mean /= m->n + 1;
        for (int c = 0; c <= m->n; c++)
            m->kind_lr[c][k] -= mean;
    }
}

/* Re-estimates widths and bullet rates from a decoded reading. */
static int estimate_from_decode(const analysis *a, const size_t *steps, size_t nsteps,
                                const decode_result *d, const weights *w, model *m)
{
    int n = m->n;
    size_t total = 0;
    for (size_t s = 0; s < nsteps; s++)
        if (a->lines[steps[s]].kind == LINE_BODY)
            total += (size_t)a->lines[steps[s]].nopts > 0 ? (size_t)n : 0;
    double *samples = malloc((total ? total : 1) * sizeof *samples);
    double *wrapped = malloc((total ? total : 1) * sizeof *wrapped);
    if (!samples || !wrapped) {
        free(samples);
        free(wrapped);
        return SH_ERR_NOMEM;
    }
    unsigned items[COLUMNS_MAX] = {0}, starts[COLUMNS_MAX] = {0};
    unsigned ends[COLUMNS_MAX] = {0}, nonterm[COLUMNS_MAX] = {0};
    double kinds[COLUMNS_MAX + 1][KINDS];
    memset(kinds, 0, sizeof kinds);
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind == LINE_BODY && d->mask[li] == 0)
            kinds[n][a->frags[a->opts[a->lines[li].first_opt + (size_t)d->opt[li]].first].kind]++;
    }
    model old = *m;
    for (int c = 0; c < n; c++) {
        size_t ns = 0, nw = 0;
        int prev_state = ST_CLOSED;
        for (size_t s = 0; s < nsteps; s++) {
            size_t li = steps[s];
            if (a->lines[li].kind != LINE_BODY || d->mask[li] == 0) {
                prev_state = ST_CLOSED;
                continue;
            }
            if (!(d->mask[li] & (1u << c)))
                continue;
            const seg_opt *o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
            int j = 0;
            for (int cc = 0; cc < c; cc++)
                j += (d->mask[li] >> cc) & 1;
            const frag_info *f = &a->frags[o->first + (size_t)j];
            samples[ns++] = f->width;
            kinds[c][f->kind]++;
            if (prev_state != ST_OPEN) {
                starts[c]++;
                items[c] += f->item;
            }
            prev_state = state_after(&old, c, f);
            if (prev_state != ST_CLOSED && !f->latin_end)
                wrapped[nw++] = f->width;
            if (prev_state == ST_CLOSED) {
                ends[c]++;
                nonterm[c] += !f->terminal && !f->tag;
            }
        }
        if (ns >= 3)
            set_width(w, m, c, samples, ns, old.width[c]);
        m->wrap_b[c] = 0;
        if (nw >= 4) {
            double mid = quantile(wrapped, nw, 0.5), dev = 0;
            for (size_t i = 0; i < nw; i++)
                dev += fabs(wrapped[i] - mid);
            dev /= (double)nw;
            m->wrap_mid[c] = mid;
            m->wrap_b[c] = dev < 0.5 ? 0.5 : dev;
        }
    }
    free(samples);
    free(wrapped);
    set_rates(m, items, starts);
    set_kinds(m, kinds);
    for (int c = 0; c < n; c++) {
        double total = (double)ends[c] + 1.0;
        m->nonterm_lr[c] = log(((double)nonterm[c] + 0.5) / total);
        m->term_lr[c] = log(((double)(ends[c] - nonterm[c]) + 0.5) / total);
    }
    estimate_rows(a, steps, nsteps, d, &old, m);
    finish_model(m);
    return SH_OK;
}

#define COLLM_SLOTS 4096u
#define COLLM_MAX_CELLS 4000000u /* fragments x columns scored; beyond, the signal is skipped */

static uint32_t collm_slot(unsigned a, unsigned b) { return bigram_slot(a, b) & (COLLM_SLOTS - 1); }

/* Learns each column's vocabulary (hashed character bigrams) from a decoded reading and scores
 * every candidate fragment against every column, leaving the fragment's own bigrams out of the
 * column it was decoded into so a reading does not simply confirm itself. Columns of one table
 * speak differently (実施した vs 実施する, 予算 vs 予算案, [◎厚] tags) and this catches it. */
static int train_column_lm(const analysis *a, const size_t *steps, size_t nsteps,
                           const decode_result *d, const weights *w, model *m)
{
    int n = m->n, classes = n + 1; /* columns, then measure headings */
    free(m->lm);
    m->lm = NULL;
    if (a->nfrags == 0 || a->nfrags > COLLM_MAX_CELLS / (size_t)classes)
        return SH_OK;
    uint32_t *counts = calloc((size_t)classes * COLLM_SLOTS, sizeof *counts);
    signed char *owner = malloc(a->nfrags);
    float *lm = malloc(a->nfrags * (size_t)classes * sizeof *lm);
    if (!counts || !owner || !lm) {
        free(counts);
        free(owner);
        free(lm);
        return SH_ERR_NOMEM;
    }
    memset(owner, -1, a->nfrags);
    double total[COLUMNS_MAX + 1] = {0};
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind != LINE_BODY)
            continue;
        const seg_opt *o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
        int j = 0;
        for (int c = 0; c < classes; c++) {
            if (d->mask[li] ? !(d->mask[li] & (1u << c)) : c != n)
                continue;
            size_t fi = o->first + (size_t)j++;
            const frag_info *f = &a->frags[fi];
            const char *text = a->p->lines[li].text + f->off;
            owner[fi] = (signed char)c;
            unsigned prev = 0;
            for (size_t i = 0; i < f->len;) {
                unsigned cp;
                i += utf8_next(text, f->len, i, &cp);
                if (prev) {
                    counts[(size_t)c * COLLM_SLOTS + collm_slot(prev, cp)]++;
                    total[c]++;
                }
                prev = cp;
            }
        }
    }
    /* the same fragment appears in several readings of a line: owners follow byte ranges */
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        if (a->lines[li].kind != LINE_BODY)
            continue;
        const line_info *info = &a->lines[li];
        const seg_opt *chosen = &a->opts[info->first_opt + (size_t)d->opt[li]];
        for (int o = 0; o < info->nopts; o++) {
            const seg_opt *so = &a->opts[info->first_opt + (size_t)o];
            if (so == chosen)
                continue;
            for (int k = 0; k < so->k; k++) {
                const frag_info *f = &a->frags[so->first + (size_t)k];
                for (int q = 0; q < chosen->k; q++) {
                    const frag_info *g = &a->frags[chosen->first + (size_t)q];
                    if (g->off == f->off && g->len == f->len)
                        owner[so->first + (size_t)k] = owner[chosen->first + (size_t)q];
                }
            }
        }
    }
    const double alpha = w->lm_alpha > 0.001 ? w->lm_alpha : 0.001;
    for (size_t s = 0; s < nsteps; s++) {
        size_t li = steps[s];
        const line_info *info = &a->lines[li];
        if (info->kind != LINE_BODY)
            continue;
        for (int o = 0; o < info->nopts; o++) {
            const seg_opt *so = &a->opts[info->first_opt + (size_t)o];
            for (int k = 0; k < so->k; k++) {
                size_t fi = so->first + (size_t)k;
                const frag_info *f = &a->frags[fi];
                const char *text = a->p->lines[li].text + f->off;
                double logp[COLUMNS_MAX + 1] = {0};
                size_t nb = 0;
                unsigned prev = 0;
                for (size_t i = 0; i < f->len;) {
                    unsigned cp;
                    i += utf8_next(text, f->len, i, &cp);
                    if (prev) {
                        uint32_t slot = collm_slot(prev, cp);
                        for (int c = 0; c < classes; c++) {
                            double cnt = counts[(size_t)c * COLLM_SLOTS + slot];
                            double tot = total[c];
                            if (owner[fi] == c) { /* leave this fragment out */
                                cnt = cnt > 0 ? cnt - 1 : 0;
                                tot = tot > 0 ? tot - 1 : 0;
                            }
                            logp[c] += log((cnt + alpha) / (tot + alpha * COLLM_SLOTS));
                        }
                        nb++;
                    }
                    prev = cp;
                }
                double mean = 0;
                for (int c = 0; c < n; c++)
                    mean += logp[c];
                mean /= n;
                double norm = nb ? sqrt((double)nb) : 1;
                for (int c = 0; c < classes; c++) {
                    double v = (logp[c] - mean) / norm;
                    if (v > w->lm_cap)
                        v = w->lm_cap;
                    if (v < -w->lm_cap)
                        v = -w->lm_cap;
                    lm[fi * (size_t)classes + (size_t)c] = (float)v;
                }
            }
        }
    }
    free(counts);
    free(owner);
    m->lm = lm;
    m->frag_base = a->frags;
    return SH_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------------------------------- */

typedef struct frag_list {
    col_frag *v;
    size_t n, cap;
} frag_list;

static int frag_list_push(frag_list *l, col_frag f)
{
    col_frag *grown = sh_array_grow(l->v, &l->cap, l->n + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    l->v = grown;
    l->v[l->n++] = f;
    return SH_OK;
}

static int push_block(col_layout *l, size_t *cap, int kind, int column, unsigned row,
                      frag_list *frags)
{
    col_block *grown = sh_array_grow(l->blocks, cap, l->nblocks + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    l->blocks = grown;
    col_block *b = &l->blocks[l->nblocks++];
    b->kind = kind;
    b->column = column;
    b->row = row;
    b->frags = frags->v;
    b->nfrags = frags->n;
    frags->v = NULL;
    frags->n = frags->cap = 0;
    return SH_OK;
}

static int push_heading(col_layout *l, size_t *cap, int kind, const page *p, size_t li)
{
    frag_list one = {NULL, 0, 0};
    col_frag f = {li, p->lines[li].lineno, 0, p->lines[li].len};
    if (frag_list_push(&one, f))
        return SH_ERR_NOMEM;
    if (push_block(l, cap, kind, 0, 0, &one)) {
        free(one.v);
        return SH_ERR_NOMEM;
    }
    return SH_OK;
}

/* One column: lines in order, a new cell block at blank lines and section headings. */
static int build_single(const page *p, size_t first, col_layout *l)
{
    size_t cap = 0;
    frag_list cell = {NULL, 0, 0};
    unsigned row = 0;
    for (size_t i = first; i <= p->nlines; i++) {
        int at_end = i == p->nlines;
        int blank = !at_end && p->lines[i].len == 0;
        int section = !at_end && !blank && is_section_line(&p->lines[i]);
        if ((at_end || blank || section) && cell.n) {
            if (push_block(l, &cap, COL_BLOCK_CELL, 1, row++, &cell))
                goto nomem;
        }
        if (at_end || blank)
            continue;
        if (section) {
            if (push_heading(l, &cap, COL_BLOCK_SECTION, p, i))
                goto nomem;
            row = 0;
            continue;
        }
        col_frag f = {i, p->lines[i].lineno, 0, p->lines[i].len};
        if (frag_list_push(&cell, f))
            goto nomem;
    }
    return SH_OK;
nomem:
    free(cell.v);
    return SH_ERR_NOMEM;
}

typedef struct row_tracker {
    int state[COLUMNS_MAX];
    int gap[COLUMNS_MAX];
    int row_has_text;
} row_tracker;

/* Emits the table blocks of a decoded page: headings, and per row one cell per column. */
static int build_table(const analysis *a, const model *m, const size_t *steps, size_t nsteps,
                       const decode_result *d, col_layout *l)
{
    int n = m->n;
    size_t cap = 0;
    frag_list cells[COLUMNS_MAX];
    memset(cells, 0, sizeof cells);
    row_tracker t;
    memset(&t, 0, sizeof t);
    for (int c = 0; c < n; c++)
        t.gap[c] = 1000;
    unsigned row = 0;
    int rc = SH_OK;
    for (size_t s = 0; s <= nsteps && rc == SH_OK; s++) {
        int at_end = s == nsteps;
        size_t li = at_end ? 0 : steps[s];
        int heading = !at_end && (a->lines[li].kind == LINE_SECTION || d->mask[li] == 0);
        int new_row = 0;
        const seg_opt *o = NULL;
        if (!at_end && !heading) {
            o = &a->opts[a->lines[li].first_opt + (size_t)d->opt[li]];
            /* a new row begins where the decoder began one, when every column has finished
             * and column 1 or at least two columns start new paragraphs here */
            int all_closed = 1, starts = 0, col1_starts = 0;
            for (int c = 0; c < n; c++)
                if (t.state[c] == ST_OPEN && t.gap[c] <= m->gap_allow)
                    all_closed = 0;
            int j = 0;
            for (int c = 0; c < n; c++) {
                if (!(d->mask[li] & (1u << c)))
                    continue;
                const frag_info *f = &a->frags[o->first + (size_t)j++];
                int para_start = t.state[c] == ST_CLOSED || t.gap[c] > m->gap_allow ||
                                 (t.state[c] == ST_MAYBE && !f->cont_start);
                if (para_start) {
                    starts++;
                    if (c == 0)
                        col1_starts = 1;
                }
            }
            new_row = t.row_has_text && d->row[li] && all_closed && (col1_starts || starts >= 2);
        }
        if (at_end || heading || new_row) {
            for (int c = 0; c < n && rc == SH_OK; c++)
                if (cells[c].n)
                    rc = push_block(l, &cap, COL_BLOCK_CELL, c + 1, row, &cells[c]);
            if (t.row_has_text)
                row++;
            t.row_has_text = 0;
        }
        if (at_end || rc != SH_OK)
            break;
        if (heading) {
            int kind = a->lines[li].kind == LINE_SECTION ? COL_BLOCK_SECTION : COL_BLOCK_MEASURE;
            rc = push_heading(l, &cap, kind, a->p, li);
            row = 0;
            for (int c = 0; c < n; c++) {
                t.state[c] = ST_CLOSED;
                t.gap[c] = 1000;
            }
            continue;
        }
        int j = 0;
        for (int c = 0; c < n && rc == SH_OK; c++) {
            if (!(d->mask[li] & (1u << c))) {
                t.gap[c]++;
                continue;
            }
            const frag_info *f = &a->frags[o->first + (size_t)j++];
            col_frag cf = {li, a->p->lines[li].lineno, f->off, f->len};
            rc = frag_list_push(&cells[c], cf);
            t.state[c] = state_after(m, c, f);
            t.gap[c] = 0;
            t.row_has_text = 1;
        }
    }
    for (int c = 0; c < COLUMNS_MAX; c++)
        free(cells[c].v);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Entry points
 * ------------------------------------------------------------------------------------------- */

static int set_column(col_column *col, const char *label, size_t len)
{
    col->label = malloc(len + 1);
    if (!col->label)
        return SH_ERR_NOMEM;
    if (len)
        memcpy(col->label, label, len);
    col->label[len] = '\0';
    era_match em;
    if (len && era_find_fiscal_year(label, len, &em)) {
        col->fiscal_year = em.year;
        col->fy_label = malloc(em.len + 1);
        if (!col->fy_label)
            return SH_ERR_NOMEM;
        memcpy(col->fy_label, label + em.start, em.len);
        col->fy_label[em.len] = '\0';
    } else {
        col->fiscal_year = 0;
        col->fy_label = calloc(1, 1);
        if (!col->fy_label)
            return SH_ERR_NOMEM;
    }
    return SH_OK;
}

/* A column's role and fiscal year from its label. 計画 alone is no plan for a year: 基本計画の記載
 * quotes the basic plan, so it counts only next to a fiscal year. */
static void label_role(const char *label, size_t len, int *role, int *fiscal_year)
{
    era_match em;
    *fiscal_year = len && era_find_fiscal_year(label, len, &em) && em.fiscal ? em.year : 0;
    *role = ROLE_NONE;
    if (!len)
        return;
    static const char *const results[] = {"実績", "状況", "成果", "結果", "進捗"};
    static const char *const plans[] = {"予定", "方針", "見込", "今後", "目標"};
    for (size_t k = 0; k < sizeof results / sizeof results[0]; k++)
        if (contains(label, len, results[k]))
            *role = ROLE_RESULTS;
    for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++)
        if (contains(label, len, plans[k]))
            *role = ROLE_PLANS;
    if (*role == ROLE_NONE && *fiscal_year && contains(label, len, "計画"))
        *role = ROLE_PLANS;
}

/* Reads the table body of p (lines from h->end on) into l. */
/* A table body read: the candidate fragments, the page model and the decoded reading. */
typedef struct table_read {
    analysis a;
    model m;
    size_t *steps;   /* page lines decoded, in order */
    size_t nsteps;
    decode_result d;
} table_read;

static void table_read_free(table_read *t)
{
    free(t->a.lines);
    free(t->a.opts);
    free(t->a.frags);
    free(t->steps);
    free(t->m.bigram);
    free(t->m.ngram);
    free(t->m.lm);
    free(t->d.opt);
    free(t->d.mask);
    free(t->d.row);
    free(t->d.gain);
}

/* Reads the table body of p (lines from h->end on) into *t; t->d.gain is filled when want_gain. */
static int table_read_run(const page *p, const header_info *h, const weights *w, int want_gain,
                          table_read *t)
{
    int rc = SH_ERR_NOMEM;
    memset(t, 0, sizeof *t);
    analysis *a = &t->a;
    model *m = &t->m;
    decode_result *d = &t->d;
    a->p = p;
    a->ncols = h->ncols;
    m->n = h->ncols;
    space_info *spaces = NULL;
    unsigned char *on = NULL;
    size_t spaces_cap = 0, on_cap = 0, lines = p->nlines ? p->nlines : 1;
    a->lines = calloc(lines, sizeof *a->lines);
    t->steps = malloc(lines * sizeof *t->steps);
    m->bigram = calloc(BIGRAM_SLOTS, sizeof *m->bigram);
    m->ngram = calloc(NGRAM_SLOTS, sizeof *m->ngram);
    d->opt = malloc(lines * sizeof *d->opt);
    d->mask = calloc(lines, 1);
    d->row = calloc(lines, 1);
    d->gain = want_gain ? calloc(lines, sizeof *d->gain) : NULL;
    if (!d->row || !a->lines || !t->steps || !m->bigram || !m->ngram || !d->opt || !d->mask ||
        (want_gain && !d->gain))
        goto done;
    for (size_t i = 0; i < p->nlines; i++)
        d->opt[i] = -1;
    for (size_t i = h->end; i < p->nlines; i++) {
        const page_line *line = &p->lines[i];
        if (line->len == 0)
            continue;
        t->steps[t->nsteps++] = i;
        if (is_section_line(line)) {
            a->lines[i].kind = LINE_SECTION;
            a->lines[i].base_k = 1;
            continue;
        }
        a->lines[i].kind = LINE_BODY;
        if (analyse_line(a, i, &spaces, &spaces_cap, &on, &on_cap))
            goto done;
        const seg_opt *o = &a->opts[a->lines[i].first_opt];
        for (int k = 0; k < o->k; k++) {
            const frag_info *f = &a->frags[o->first + (size_t)k];
            bigram_add_fragment(m->bigram, line->text + f->off, f->len);
            ngram_add_fragment(m->ngram, line->text + f->off, f->len);
        }
    }
    m->frag_base = a->frags;
    for (int c = 0; c < h->ncols; c++)
        label_role(h->label_len[c] ? p->lines[h->label_line[c]].text + h->label_off[c] : "",
                   h->label_len[c], &m->role[c], &m->fiscal_year[c]);
    if (estimate_initial(a, t->steps, t->nsteps, m, w))
        goto done;
    if (decode(a, m, w, t->steps, t->nsteps, NULL, d))
        goto done;
    /* two refinements: widths, bullet rates and column vocabularies from the last reading */
    for (int pass = 0; pass < 2; pass++) {
        if (estimate_from_decode(a, t->steps, t->nsteps, d, w, m) ||
            train_column_lm(a, t->steps, t->nsteps, d, w, m))
            goto done;
        if (decode(a, m, w, t->steps, t->nsteps, NULL, d))
            goto done;
    }
    rc = SH_OK;
done:
    free(spaces);
    free(on);
    return rc;
}

static int build_table_page(const page *p, const header_info *h, const weights *w,
                            col_layout *l)
{
    table_read t;
    int rc = table_read_run(p, h, w, 0, &t);
    if (rc == SH_OK)
        rc = build_table(&t.a, &t.m, t.steps, t.nsteps, &t.d, l);
    table_read_free(&t);
    return rc;
}

/* Does the body look like a table of ncols columns? Without 列N tokens the header alone is weak
 * evidence (a title line "第1章 総則" also has two short parts): require split lines below. */
static int body_supports_table(const page *p, const header_info *h)
{
    if (h->have_col_tokens || h->ncols < 2)
        return 1;
    size_t split = 0, total = 0;
    for (size_t i = h->end; i < p->nlines; i++) {
        const page_line *line = &p->lines[i];
        if (line->len == 0)
            continue;
        total++;
        for (size_t k = 1; k + 1 < line->len; k++) {
            if (line->text[k] != ' ' || line->text[k - 1] == ' ' || line->text[k + 1] == ' ')
                continue;
            unsigned a = utf8_prev(line->text, k), b;
            utf8_next(line->text, line->len, k + 1, &b);
            if (a >= 0x80 || b >= 0x80) {
                split++;
                break;
            }
        }
    }
    return split >= 2 && split * 20 >= total;
}

/* col_layout_build under the given weights (tests/sim/tune_columns.c searches them). */
static int layout_build(const page *p, const weights *w, col_layout **out, char **errmsg)
{
    if (!p || !out)
        return sh_fail(errmsg, SH_ERR_INVALID, "col_layout_build: missing page or output");
    col_layout *l = calloc(1, sizeof *l);
    if (!l)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    header_info h;
    read_header(p, &h);
    if (h.ncols >= 1 && !body_supports_table(p, &h))
        h.ncols = 0;
    if (h.ncols == 1 && !h.have_col_tokens)
        h.ncols = 0;
    int rc = SH_OK;
    if (h.ncols == 0) {
        l->ncols = 1;
        rc = set_column(&l->cols[0], "", 0);
        if (rc == SH_OK)
            rc = build_single(p, 0, l);
    } else {
        l->ncols = h.ncols;
        for (int c = 0; c < h.ncols && rc == SH_OK; c++) {
            const char *text = h.label_len[c] ? p->lines[h.label_line[c]].text + h.label_off[c]
                                              : "";
            rc = set_column(&l->cols[c], text, h.label_len[c]);
        }
        l->header_end = h.end;
        if (rc == SH_OK)
            rc = h.ncols == 1 ? build_single(p, h.end, l) : build_table_page(p, &h, w, l);
    }
    if (rc != SH_OK) {
        col_layout_destroy(l);
        return sh_fail(errmsg, rc, "out of memory");
    }
    *out = l;
    return SH_OK;
}

int col_layout_build(const page *p, col_layout **out, char **errmsg)
{
    return layout_build(p, &W_DEFAULT, out, errmsg);
}

void col_layout_destroy(col_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nblocks; i++)
        free(l->blocks[i].frags);
    free(l->blocks);
    for (int c = 0; c < COLUMNS_MAX; c++) {
        free(l->cols[c].label);
        free(l->cols[c].fy_label);
    }
    free(l);
}
