/* page.c — parses one materials-site page file into header metadata and numbered body lines.
 * Owns line splitting, header/boilerplate recognition, trailer (page number) and repeated-body removal. */
#include "page.h"

#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Byte spans and the few UTF-8 characters the header format uses
 * ------------------------------------------------------------------------------------------- */

typedef struct span {
    const char *s;
    size_t n;
} span;

#define U_IDEO_SPACE "\xE3\x80\x80" /* U+3000 full-width space */
#define U_FW_LPAREN "\xEF\xBC\x88"  /* （ */
#define U_FW_RPAREN "\xEF\xBC\x89"  /* ） */
#define U_FW_BAR "\xEF\xBD\x9C"     /* ｜ */
#define U_FW_COLON "\xEF\xBC\x9A"   /* ： */

static span span_of(const char *s, size_t n)
{
    span v = {s, n};
    return v;
}

static int span_eq(span v, const char *lit)
{
    size_t k = strlen(lit);
    return v.n == k && memcmp(v.s, lit, k) == 0;
}

static int span_starts(span v, const char *lit)
{
    size_t k = strlen(lit);
    return v.n >= k && memcmp(v.s, lit, k) == 0;
}

static int span_ends(span v, const char *lit)
{
    size_t k = strlen(lit);
    return v.n >= k && memcmp(v.s + v.n - k, lit, k) == 0;
}

/* Width in bytes of a space (ASCII space/tab or U+3000) starting at s[0], else 0. */
static size_t space_width_fwd(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (n >= 3 && memcmp(s, U_IDEO_SPACE, 3) == 0)
        return 3;
    return 0;
}

/* Width of a space ending at s[n-1], else 0. */
static size_t space_width_back(const char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 1;
    if (n >= 3 && memcmp(s + n - 3, U_IDEO_SPACE, 3) == 0)
        return 3;
    return 0;
}

static span trim_spaces(span v)
{
    size_t w;
    while ((w = space_width_fwd(v.s, v.n)) != 0) {
        v.s += w;
        v.n -= w;
    }
    while ((w = space_width_back(v.s, v.n)) != 0)
        v.n -= w;
    return v;
}

/* Digit value of an ASCII or full-width digit at the start (fwd) or end (back) of s; the width
 * goes to *w (0 when there is no digit). */
static int digit_fwd(const char *s, size_t n, size_t *w)
{
    if (n >= 1 && s[0] >= '0' && s[0] <= '9') {
        *w = 1;
        return s[0] - '0';
    }
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
        (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
        *w = 3;
        return (unsigned char)s[2] - 0x90;
    }
    *w = 0;
    return -1;
}

static int digit_back(const char *s, size_t n, size_t *w)
{
    if (n >= 1 && s[n - 1] >= '0' && s[n - 1] <= '9') {
        *w = 1;
        return s[n - 1] - '0';
    }
    /* Only a full-width digit can end 3 bytes back: "1 (" is not a digit before "(". */
    if (n >= 3 && (unsigned char)s[n - 3] == 0xEF)
        return digit_fwd(s + n - 3, 3, w);
    *w = 0;
    return -1;
}

/* Removes one of the alternatives from the end of v; returns 1 if one was there. */
static int strip_suffix_any(span *v, const char *const *alts)
{
    for (; *alts; alts++) {
        if (span_ends(*v, *alts)) {
            v->n -= strlen(*alts);
            return 1;
        }
    }
    return 0;
}

static const char *const open_parens[] = {"(", U_FW_LPAREN, NULL};
static const char *const close_parens[] = {")", U_FW_RPAREN, NULL};

/* Parses a whole line made only of digits (ASCII or full-width, surrounding spaces allowed) into
 * *value. At most 9 digits, so the value always fits an int. */
static int parse_number_line(span v, int *value)
{
    v = trim_spaces(v);
    if (v.n == 0)
        return 0;
    int val = 0, ndigits = 0;
    while (v.n) {
        size_t w;
        int d = digit_fwd(v.s, v.n, &w);
        if (d < 0 || ndigits == 9)
            return 0;
        val = val * 10 + d;
        ndigits++;
        v.s += w;
        v.n -= w;
    }
    *value = val;
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Header line recognition
 * ------------------------------------------------------------------------------------------- */

#define TAGLINE "よむ、つかう、まなぶ。"
#define TAGLINE_PREFIX "よむ、つかう、まなぶ"

/* Site notices: no real document contains these sentences, so they are dropped wherever they
 * occur (a repeated copy may carry them). Matched by prefix, to survive small wording changes:
 * each prefix is a whole clause of the site's own text. The news-service promotion
 * ("MC plus(エムシープラス)は、…" / "資料、研修などをパッケージした総合メディアです。") heads the
 * site's news-service rendering. */
static const char *const site_notice_prefixes[] = {
    TAGLINE_PREFIX,
    "ダウンロードした画像を利用する際は",
    "低解像度画像をダウンロード",
    "資料テキストはコンピュータによる自動処理",
    "テキストをコピーしてご利用いただく際は",
    "MC plus(エムシープラス)",
    "MC plus（エムシープラス）",
    "MCplus(エムシープラス)",
    "資料、研修などをパッケージした総合メディア",
    NULL,
};

/* Short labels that are boilerplate only inside the header block: in a body "出典" or
 * "ページ画像" alone on a line can be real text (a table heading), so they are kept there. */
static const char *const header_labels[] = {"出典", "ページ画像", "プレーンテキスト", NULL};

static const char *const url_labels[] = {"公開元URL", "公開元ＵＲＬ", NULL};
static const char *const source_labels[] = {"出典情報", NULL};

enum line_kind {
    LK_BLANK,
    LK_TAGLINE,
    LK_BOILER,  /* site notice: dropped, no value */
    LK_LABEL,   /* 出典, ページ画像, プレーンテキスト alone: dropped inside the header only */
    LK_TITLE,   /* a line ending in "(N ページ)" */
    LK_URL,
    LK_SOURCE,
    LK_OTHER
};

static int is_site_notice(span v)
{
    v = trim_spaces(v);
    for (const char *const *p = site_notice_prefixes; *p; p++)
        if (span_starts(v, *p))
            return 1;
    return 0;
}

/* The header line without the table rendering's frame: "| 出典情報 | … |" reads as
 * "出典情報 | … |"; a line of pipes and spaces only is blank. */
static span strip_frame(span v)
{
    for (;;) {
        v = trim_spaces(v);
        if (v.n && v.s[0] == '|') {
            v.s++;
            v.n--;
        } else if (span_starts(v, U_FW_BAR)) {
            v.s += 3;
            v.n -= 3;
        } else {
            break;
        }
    }
    span probe = v;
    for (;;) {
        probe = trim_spaces(probe);
        if (probe.n && probe.s[probe.n - 1] == '|')
            probe.n--;
        else if (span_ends(probe, U_FW_BAR))
            probe.n -= 3;
        else
            break;
    }
    return probe.n ? v : probe;
}

/* Splits "(N ページ)" (ASCII or full-width parens, digits and spaces; "頁" accepted too) off the
 * end of v: the title without the suffix goes to *title, the number to *page_no. */
static int parse_page_suffix(span v, span *title, int *page_no)
{
    static const char *const page_words[] = {"ページ", "頁", NULL};
    v = trim_spaces(v);
    if (!strip_suffix_any(&v, close_parens))
        return 0;
    v = trim_spaces(v);
    if (!strip_suffix_any(&v, page_words))
        return 0;
    v = trim_spaces(v);
    int value = 0, mult = 1, ndigits = 0;
    for (;;) {
        size_t w;
        int d = digit_back(v.s, v.n, &w);
        if (d < 0)
            break;
        if (ndigits == 9)
            return 0;
        value += d * mult;
        mult *= 10;
        ndigits++;
        v.n -= w;
    }
    if (ndigits == 0)
        return 0;
    v = trim_spaces(v);
    if (!strip_suffix_any(&v, open_parens))
        return 0;
    *title = trim_spaces(v);
    *page_no = value;
    return 1;
}

/* If v starts with one of labels, returns the value after it with the table delimiters
 * ("|", "｜", ":", "：" and spaces) removed from both ends. */
static int parse_labelled(span v, const char *const *labels, span *value)
{
    for (; *labels; labels++) {
        if (!span_starts(v, *labels))
            continue;
        size_t k = strlen(*labels);
        span r = span_of(v.s + k, v.n - k);
        /* The label must stand alone: "出典情報の整理 (3 ページ)" is a title, not a 出典情報 line. */
        if (r.n && !space_width_fwd(r.s, r.n) && r.s[0] != '|' && r.s[0] != ':' &&
            !span_starts(r, U_FW_BAR) && !span_starts(r, U_FW_COLON))
            continue;
        for (;;) {
            size_t w = space_width_fwd(r.s, r.n);
            if (!w && r.n >= 1 && (r.s[0] == '|' || r.s[0] == ':'))
                w = 1;
            if (!w && (span_starts(r, U_FW_BAR) || span_starts(r, U_FW_COLON)))
                w = 3;
            if (!w)
                break;
            r.s += w;
            r.n -= w;
        }
        for (;;) {
            size_t w = space_width_back(r.s, r.n);
            if (!w && r.n >= 1 && r.s[r.n - 1] == '|')
                w = 1;
            if (!w && span_ends(r, U_FW_BAR))
                w = 3;
            if (!w)
                break;
            r.n -= w;
        }
        *value = r;
        return 1;
    }
    return 0;
}

static enum line_kind classify_header_line(span line, span *value, int *page_no)
{
    span v = strip_frame(line);
    if (v.n == 0)
        return LK_BLANK;
    if (span_starts(v, TAGLINE_PREFIX))
        return LK_TAGLINE;
    if (is_site_notice(v))
        return LK_BOILER;
    for (const char *const *p = header_labels; *p; p++)
        if (span_eq(v, *p))
            return LK_LABEL;
    /* 出典情報 before 出典: the label is a prefix of it. */
    if (parse_labelled(v, source_labels, value))
        return LK_SOURCE;
    if (parse_labelled(v, url_labels, value))
        return LK_URL;
    if (parse_page_suffix(v, value, page_no))
        return LK_TITLE;
    return LK_OTHER;
}

/* ---------------------------------------------------------------------------------------------
 * Header field parsing: material id and 出典情報
 * ------------------------------------------------------------------------------------------- */

/* Width of a character allowed in a material id after its prefix: ASCII letters/digits,
 * hyphens and dots in ASCII and full-width forms, full-width letters/digits, circled digits
 * and Roman numerals. 0 when not allowed. *alnum says whether it is a digit or letter. */
static size_t material_char(const char *s, size_t n, int *alnum)
{
    const unsigned char *u = (const unsigned char *)s;
    *alnum = 0;
    if (n >= 1 && u[0] < 0x80) {
        if ((u[0] >= '0' && u[0] <= '9') || (u[0] >= 'A' && u[0] <= 'Z') ||
            (u[0] >= 'a' && u[0] <= 'z')) {
            *alnum = 1;
            return 1;
        }
        return (u[0] == '-' || u[0] == '_' || u[0] == '.') ? 1 : 0;
    }
    if (n < 3)
        return 0;
    if (u[0] == 0xEF && u[1] == 0xBC) {
        if ((u[2] >= 0x90 && u[2] <= 0x99) || (u[2] >= 0xA1 && u[2] <= 0xBA)) { /* ０-９ Ａ-Ｚ */
            *alnum = 1;
            return 3;
        }
        return (u[2] == 0x8D || u[2] == 0x8E) ? 3 : 0; /* － ． */
    }
    if (u[0] == 0xEF && u[1] == 0xBD && u[2] >= 0x81 && u[2] <= 0x9A) { /* ａ-ｚ */
        *alnum = 1;
        return 3;
    }
    if (u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95) /* ‐ ‑ ‒ – — ― */
        return 3;
    if (u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92) /* − */
        return 3;
    if (u[0] == 0xE2 && u[1] == 0x91 && u[2] >= 0xA0 && u[2] <= 0xB3) { /* ①-⑳ */
        *alnum = 1;
        return 3;
    }
    if (u[0] == 0xE2 && u[1] == 0x85 && u[2] >= 0xA0 && u[2] <= 0xAB) { /* Ⅰ-Ⅻ */
        *alnum = 1;
        return 3;
    }
    return 0;
}

/* The first space-separated word of the title when it is a material id such as "資料2-1",
 * "参考資料３", "別紙A"; an empty span otherwise. */
static span find_material(span title)
{
    /* Longest prefixes first, so "参考資料3" is not read as "参考" + "資料3". */
    static const char *const prefixes[] = {"添付資料", "参考資料", "資料編", "資料", "参考",
                                           "別紙",     "別添",     "別冊",   NULL};
    span word = title;
    /* "【資料1-1】…": the id inside the brackets. */
    if (span_starts(title, "【") || span_starts(title, "［") || span_starts(title, "[")) {
        size_t ow = title.s[0] == '[' ? 1 : 3;
        const char *close = title.s[0] == '[' ? "]" : span_starts(title, "【") ? "】" : "］";
        for (size_t i = ow; i + strlen(close) <= title.n; i++) {
            if (memcmp(title.s + i, close, strlen(close)) == 0) {
                title = span_of(title.s + ow, i - ow);
                break;
            }
        }
        if (title.s == word.s)
            return span_of(title.s, 0);
        word = title;
    }
    for (size_t i = 0; i < title.n;) {
        size_t w = space_width_fwd(title.s + i, title.n - i);
        if (w) {
            word.n = i;
            break;
        }
        i++;
    }
    for (const char *const *p = prefixes; *p; p++) {
        if (!span_starts(word, *p))
            continue;
        size_t i = strlen(*p);
        int first_alnum = -1;
        while (i < word.n) {
            int alnum;
            size_t w = material_char(word.s + i, word.n - i, &alnum);
            if (!w)
                break;
            if (first_alnum < 0)
                first_alnum = alnum;
            i += w;
        }
        /* The whole word must be the id, and the id part must start with a digit or letter. */
        if (i == word.n && first_alnum == 1)
            return word;
    }
    return span_of(title.s, 0);
}

/* Width of a kanji numeral at s, else 0 (used for 第十二回). */
static size_t kanji_numeral(const char *s, size_t n)
{
    static const char *const numerals[] = {"〇", "零", "一", "二", "三", "四", "五", "六",
                                           "七", "八", "九", "十", "百", "千", NULL};
    for (const char *const *p = numerals; *p; p++)
        if (span_starts(span_of(s, n), *p))
            return strlen(*p);
    return 0;
}

/* Width of an era name or other non-digit piece a date may hold at s ("令和", "R"), else 0. */
static size_t date_word(const char *s, size_t n)
{
    static const char *const words[] = {"令和", "平成", "昭和", "年度", "年", "月", "日", "元",
                                        "／", "．", "－", "R", "H", "/", ".", "-", NULL};
    for (const char *const *p = words; *p; p++)
        if (span_starts(span_of(s, n), *p))
            return strlen(*p);
    return 0;
}

/* True when v is a date as the site writes it and nothing else: digits, era names, 年月日 and
 * separators ("3/17", "令和7年3月17日", "R7.3.17", "2021年12月21日"), with a digit and a
 * separator or 年/月/日. "(WG)" or "(令和6年12月3日閣議決定)" are not dates. */
static int is_date(span v)
{
    int digit = 0, sep = 0;
    v = trim_spaces(v);
    if (v.n == 0)
        return 0;
    for (size_t i = 0; i < v.n;) {
        size_t w;
        if (digit_fwd(v.s + i, v.n - i, &w) >= 0) {
            digit = 1;
            i += w;
        } else if ((w = date_word(v.s + i, v.n - i)) != 0) {
            if (!(w == 1 && (v.s[i] == 'R' || v.s[i] == 'H')) && memcmp(v.s + i, "令", 3) &&
                memcmp(v.s + i, "平", 3) && memcmp(v.s + i, "昭", 3) && memcmp(v.s + i, "元", 3))
                sep = 1;
            i += w;
        } else if ((w = space_width_fwd(v.s + i, v.n - i)) != 0) {
            i += w;
        } else {
            return 0;
        }
    }
    return digit && sep;
}

/* Words the site writes after a date inside the parentheses: "(3/5付 通知)",
 * "(2021年12月21日開催)". Removed from the end of v; the date is what is left. */
static span strip_date_annotations(span v)
{
    static const char *const words[] = {"開催", "付け", "付", "通知", "発出", "公表", "時点",
                                        "現在", NULL};
    for (;;) {
        v = trim_spaces(v);
        if (!strip_suffix_any(&v, words))
            return v;
    }
}

/* Finds "第N回" (ASCII, full-width or kanji N, spaces allowed around N: "第 591 回") in v,
 * together with a fiscal year written against it ("令和5年度第1回"): offset and length into
 * *off, *len. */
static int find_session(span v, size_t *off, size_t *len)
{
    static const char dai[] = "第", kai[] = "回";
    const size_t dai_n = sizeof dai - 1, kai_n = sizeof kai - 1;
    for (size_t i = 0; i + dai_n <= v.n; i++) {
        if (memcmp(v.s + i, dai, dai_n) != 0)
            continue;
        size_t j = i + dai_n, ndigits = 0, w;
        while ((w = space_width_fwd(v.s + j, v.n - j)) != 0)
            j += w;
        for (;;) {
            if (digit_fwd(v.s + j, v.n - j, &w) < 0)
                w = kanji_numeral(v.s + j, v.n - j);
            if (!w)
                break;
            j += w;
            ndigits++;
        }
        while (ndigits && (w = space_width_fwd(v.s + j, v.n - j)) != 0)
            j += w;
        if (!ndigits || !span_starts(span_of(v.s + j, v.n - j), kai))
            continue;
        size_t start = i;
        span before = span_of(v.s, i);
        if (span_ends(before, "年度")) {
            /* "令和5年度第1回": the year belongs to the round. */
            size_t k = i - strlen("年度");
            int year_digits = 0;
            for (;;) {
                size_t dw;
                if (digit_back(v.s, k, &dw) >= 0) {
                    year_digits = 1;
                    k -= dw;
                } else if (span_ends(span_of(v.s, k), "令和") || span_ends(span_of(v.s, k), "平成")) {
                    k -= strlen("令和");
                    break;
                } else if (k && (v.s[k - 1] == 'R' || v.s[k - 1] == 'H')) {
                    k--;
                    break;
                } else {
                    break;
                }
            }
            if (year_digits)
                start = k;
        }
        *off = start;
        *len = j + kai_n - start;
        return 1;
    }
    return 0;
}

/* Reads the inside of a round group: a session and/or a date, nothing else ("第5回 3/17",
 * "3/17", "令和5年度第1回 2/9", "第十二回 令和7年3月17日", "3/5付 通知", "2021年12月21日開催").
 * The date may be in two pieces around the session. */
static int parse_round(span inner, span *session, span *date_a, span *date_b)
{
    inner = trim_spaces(inner);
    size_t soff, slen;
    *session = *date_a = *date_b = span_of(inner.s, 0);
    if (find_session(inner, &soff, &slen)) {
        span a = trim_spaces(span_of(inner.s, soff));
        span b = strip_date_annotations(span_of(inner.s + soff + slen, inner.n - soff - slen));
        if ((a.n && !is_date(a)) || (b.n && !is_date(b)))
            return 0;
        *session = span_of(inner.s + soff, slen);
        *date_a = a;
        *date_b = b;
        return 1;
    }
    span d = strip_date_annotations(inner);
    if (!is_date(d))
        return 0;
    *date_a = d;
    return 1;
}

/* Finds the first top-level parenthesised group (ASCII or full-width, mixed allowed) at or after
 * from: offsets of its opening paren and just past its closing one. */
static int next_paren_group(span v, size_t from, size_t *open_off, size_t *end_off)
{
    int depth = 0;
    size_t open = 0;
    for (size_t i = from; i < v.n;) {
        span rest = span_of(v.s + i, v.n - i);
        size_t w = 0;
        if (span_starts(rest, "(") || span_starts(rest, U_FW_LPAREN)) {
            w = rest.s[0] == '(' ? 1 : 3;
            if (depth++ == 0)
                open = i;
        } else if (span_starts(rest, ")") || span_starts(rest, U_FW_RPAREN)) {
            w = rest.s[0] == ')' ? 1 : 3;
            if (depth > 0 && --depth == 0) {
                *open_off = open;
                *end_off = i + w;
                return 1;
            }
        } else {
            w = 1;
        }
        i += w;
    }
    return 0;
}

typedef struct source_parts {
    span meeting, meeting_tail, session, date_a, date_b, publisher, joint;
    int round_found;
} source_parts;

/* Removes a round written in the meeting name itself ("第154回 A部会", "審議会 第3回") when
 * the parentheses had none. Only at either end: "第1回目の…" inside a name stays. */
static void session_from_name(source_parts *sp)
{
    size_t soff, slen;
    span m = sp->meeting;
    if (!find_session(m, &soff, &slen))
        return;
    if (soff == 0) {
        sp->session = span_of(m.s, slen);
        sp->meeting = trim_spaces(span_of(m.s + slen, m.n - slen));
    } else if (soff + slen == m.n) {
        sp->session = span_of(m.s + soff, slen);
        sp->meeting = trim_spaces(span_of(m.s, soff));
    }
}

/* A joint meeting named in one phrase: "A部会、第18回 B部会 合同会議" — the meeting is the first
 * body, the rest (from the next round on) is the joint remainder. */
static void split_joint_phrase(source_parts *sp)
{
    static const char *const seps[] = {"、", "・", ",", NULL};
    span m = sp->meeting;
    if (sp->joint.n)
        return;
    for (size_t i = 0; i < m.n; i++) {
        for (const char *const *s = seps; *s; s++) {
            size_t k = strlen(*s);
            if (i + k > m.n || memcmp(m.s + i, *s, k) != 0)
                continue;
            span rest = trim_spaces(span_of(m.s + i + k, m.n - i - k));
            size_t soff, slen;
            if (find_session(rest, &soff, &slen) && soff == 0) {
                sp->joint = rest;
                sp->meeting = trim_spaces(span_of(m.s, i));
                return;
            }
        }
    }
}

/* Splits 出典情報 "<meeting>(第5回 3/17)《厚生労働省》" into its parts. The round group is the
 * first parenthesised group holding only a session and/or a date; groups before it belong to the
 * meeting name ("…計画(令和6年12月3日閣議決定)(12/3)", "(素案)"). What follows it is a joint
 * meeting ("A部会(第139回 12/11)B部会(第4回 12/11)(合同開催)") and is kept in joint; text after
 * 》 (rare) is appended to the meeting. */
static source_parts split_source(span src)
{
    static const char lq[] = "《", rq[] = "》";
    const size_t lq_n = sizeof lq - 1, rq_n = sizeof rq - 1;
    source_parts sp;
    memset(&sp, 0, sizeof sp);
    sp.meeting = sp.meeting_tail = sp.session = sp.date_a = sp.date_b = sp.publisher = sp.joint =
        span_of(src.s, 0);

    span core = src;
    /* The publisher is inside the last 《…》: find the last 》, then the 《 before it (two
     * backward scans, linear even on a pathological line). */
    size_t close = src.n;
    for (size_t i = src.n; i >= rq_n; i--) {
        if (memcmp(src.s + i - rq_n, rq, rq_n) == 0) {
            close = i - rq_n;
            break;
        }
    }
    for (size_t i = close; close < src.n && i >= lq_n; i--) {
        if (memcmp(src.s + i - lq_n, lq, lq_n) != 0)
            continue;
        sp.publisher = trim_spaces(span_of(src.s + i, close - i));
        sp.meeting_tail = trim_spaces(span_of(src.s + close + rq_n, src.n - close - rq_n));
        core = span_of(src.s, i - lq_n);
        break;
    }
    core = trim_spaces(core);
    sp.meeting = core;

    size_t from = 0, open_off, end_off;
    while (next_paren_group(core, from, &open_off, &end_off)) {
        size_t w = core.s[open_off] == '(' ? 1 : 3;
        size_t cw = core.s[end_off - 1] == ')' ? 1 : 3;
        span inner = span_of(core.s + open_off + w, end_off - cw - open_off - w);
        if (parse_round(inner, &sp.session, &sp.date_a, &sp.date_b)) {
            sp.meeting = trim_spaces(span_of(core.s, open_off));
            sp.joint = trim_spaces(span_of(core.s + end_off, core.n - end_off));
            sp.round_found = 1;
            break;
        }
        from = end_off;
    }
    if (!sp.session.n)
        session_from_name(&sp);
    split_joint_phrase(&sp);
    return sp;
}

/* ---------------------------------------------------------------------------------------------
 * Line splitting
 * ------------------------------------------------------------------------------------------- */

/* Splits buf into lines (LF, CRLF or lone CR), trimming trailing ASCII whitespace and U+3000.
 * Returns the number of lines; with lines == NULL only counts. */
static size_t split_lines(const char *buf, size_t len, page_line *lines)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        int at_end = (i == len);
        if (!at_end && buf[i] != '\n' && buf[i] != '\r')
            continue;
        if (at_end && start == len)
            break; /* a final terminator does not open an empty last line */
        if (lines) {
            size_t n = i - start;
            for (;;) {
                if (n && (buf[start + n - 1] == ' ' || buf[start + n - 1] == '\t' ||
                          buf[start + n - 1] == '\v' || buf[start + n - 1] == '\f'))
                    n--;
                else if (n >= 3 && memcmp(buf + start + n - 3, U_IDEO_SPACE, 3) == 0)
                    n -= 3;
                else
                    break;
            }
            /* Saturates rather than wraps on a (>4G-line) file unsigned cannot number. */
            lines[count].lineno = count >= (size_t)UINT_MAX ? UINT_MAX : (unsigned)(count + 1);
            lines[count].text = buf + start;
            lines[count].len = n;
        }
        count++;
        if (!at_end && buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    return count;
}

/* ---------------------------------------------------------------------------------------------
 * Repeated-body detection: polynomial hashing over per-line hashes modulo 2^61-1 (robust against
 * the structured inputs that break hashing modulo 2^64), verified with memcmp.
 * ------------------------------------------------------------------------------------------- */

#define MOD61 ((UINT64_C(1) << 61) - 1)
#define HASH_BASE UINT64_C(1000003)

static uint64_t mod61(uint64_t x)
{
    x = (x & MOD61) + (x >> 61);
    return x >= MOD61 ? x - MOD61 : x;
}

/* a*b mod 2^61-1 for a, b < 2^61, in 64-bit arithmetic only. */
static uint64_t mul61(uint64_t a, uint64_t b)
{
    const uint64_t m31 = (UINT64_C(1) << 31) - 1, m30 = (UINT64_C(1) << 30) - 1;
    uint64_t au = a >> 31, ad = a & m31, bu = b >> 31, bd = b & m31;
    uint64_t mid = ad * bu + au * bd;
    uint64_t midu = mid >> 30, midd = mid & m30;
    return mod61(au * bu * 2 + midu + (midd << 31) + ad * bd);
}

static uint64_t line_hash(const page_line *l)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < l->len; i++) {
        h ^= (unsigned char)l->text[i];
        h *= UINT64_C(1099511628211);
    }
    return mod61(h) + 1; /* never 0, so empty-looking lines still count */
}

typedef struct seq_hash {
    uint64_t *prefix; /* prefix[i] = hash of the first i lines */
    uint64_t *power;  /* power[i] = HASH_BASE^i */
} seq_hash;

static uint64_t range_hash(const seq_hash *h, size_t from, size_t to)
{
    uint64_t sub = mul61(h->prefix[from], h->power[to - from]);
    return mod61(h->prefix[to] + MOD61 - sub);
}

static int lines_equal(const page_line *a, const page_line *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->text, b->text, a->len) == 0);
}

/* True for a page-number line: digits only, equal to page_no. Without a known page number a
 * final number may as well be a table's last value, and is kept. */
static int is_page_number_line(const page_line *l, int page_no)
{
    int value;
    if (!page_no || !parse_number_line(span_of(l->text, l->len), &value))
        return 0;
    return value == page_no;
}

/* The page number between a body and its repeated copy: digits only, equal to page_no when that
 * is known. Any number will do without one, since the copy around it is verified line by line. */
static int is_copy_separator(const page_line *l, int page_no)
{
    int value;
    if (!parse_number_line(span_of(l->text, l->len), &value))
        return 0;
    return page_no ? value == page_no : 1;
}

/* Checks whether seq[m-t..m) repeats the t lines just before it (before seq[m-t-1] when gap is
 * 1, which must then be a page-number line). 1 = verified repeat, 0 = no, -1 = hash collision. */
static int repeat_candidate(const page_line *const *seq, size_t m, int page_no, const seq_hash *h,
                            size_t t, size_t gap)
{
    if (2 * t + gap > m)
        return 0;
    size_t first = m - 2 * t - gap; /* where the matching lines start in the first copy */
    size_t body_len = m - t - gap;  /* the first copy, separator excluded */
    /* A single repeated line is a site repeat only when a page number separates the copies and
     * it is half the body; otherwise "以上\n以上" is real text. */
    if (t < 2 && !(gap == 1 && 2 * t >= body_len))
        return 0;
    /* The site repeats the whole body (at most its first lines are missing from the copy): a
     * copy of only the last lines of a long body is the body's own text (two tables sharing
     * their row labels, a list repeated under two headings) and stays. */
    if (first > 1 && first * 8 > t)
        return 0;
    if (gap && !is_copy_separator(seq[m - t - 1], page_no))
        return 0;
    if (range_hash(h, first, first + t) != range_hash(h, m - t, m))
        return 0;
    for (size_t i = 0; i < t; i++)
        if (!lines_equal(seq[first + i], seq[m - t + i]))
            return -1;
    return 1;
}

typedef struct repeat_match {
    size_t tail;  /* lines in the repeated copy */
    size_t gap;   /* 1 when a page-number line separates the copies */
} repeat_match;

/* seq[0..m) are the candidate body lines (non-blank). Finds the longest tail seq[m-t..m) that
 * equals the t lines just before it (optionally before a page-number line). Returns 1 and the
 * match when one qualifies; 0 when none; -1 on allocation failure. */
static int find_repeat(const page_line *const *seq, size_t m, int page_no, repeat_match *out)
{
    if (m < 2)
        return 0;
    seq_hash h;
    h.prefix = malloc((m + 1) * sizeof *h.prefix);
    h.power = malloc((m + 1) * sizeof *h.power);
    if (!h.prefix || !h.power) {
        free(h.prefix);
        free(h.power);
        return -1;
    }
    h.prefix[0] = 0;
    h.power[0] = 1;
    for (size_t i = 0; i < m; i++) {
        h.prefix[i + 1] = mod61(mul61(h.prefix[i], HASH_BASE) + line_hash(seq[i]));
        h.power[i + 1] = mul61(h.power[i], HASH_BASE);
    }
    /* Longest tail first: the whole repeated copy, not a short square at its end. Hash
     * comparisons are O(1), so the scan is O(m); only hash matches are verified byte by byte. */
    int found = 0, failed_verifications = 0;
    for (size_t t = m / 2; t >= 1 && !found && failed_verifications <= 16; t--) {
        for (int gap = 1; gap >= 0 && !found; gap--) {
            int r = repeat_candidate(seq, m, page_no, &h, t, (size_t)gap);
            if (r > 0) {
                out->tail = t;
                out->gap = (size_t)gap;
                found = 1;
            } else if (r < 0) {
                failed_verifications++; /* a collision; many means crafted input: give up */
            }
        }
    }
    free(h.prefix);
    free(h.power);
    return found;
}

/* ---------------------------------------------------------------------------------------------
 * page_parse
 * ------------------------------------------------------------------------------------------- */

void page_destroy(page *p)
{
    if (!p)
        return;
    free(p->title);
    free(p->material);
    free(p->url);
    free(p->source);
    free(p->meeting);
    free(p->session);
    free(p->date);
    free(p->publisher);
    free(p->joint);
    free(p->lines);
    free(p->buffer);
    free(p);
}

static char *dup_span(span v)
{
    char *s = malloc(v.n + 1);
    if (!s)
        return NULL;
    if (v.n)
        memcpy(s, v.s, v.n);
    s[v.n] = '\0';
    return s;
}

/* Concatenates a and b with one space between when both are non-empty. */
static char *dup_joined(span a, span b)
{
    if (!a.n || !b.n)
        return dup_span(a.n ? a : b);
    char *s = malloc(a.n + 1 + b.n + 1);
    if (!s)
        return NULL;
    memcpy(s, a.s, a.n);
    s[a.n] = ' ';
    memcpy(s + a.n + 1, b.s, b.n);
    s[a.n + 1 + b.n] = '\0';
    return s;
}

static span base_name(const char *file_name)
{
    if (!file_name)
        return span_of("", 0);
    const char *b = file_name;
    for (const char *p = file_name; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return span_of(b, strlen(b));
}

typedef struct header_info {
    int has_header;
    size_t end;           /* index of the first line after the header block */
    span title, url, source;
    int page_no;
} header_info;

/* Index of the next non-blank line at or after i, or n. */
static size_t next_nonblank(const page_line *lines, size_t n, size_t i)
{
    while (i < n && trim_spaces(span_of(lines[i].text, lines[i].len)).n == 0)
        i++;
    return i;
}

/* A line without the page suffix is the title when it sits where the title goes: right after
 * the tagline, or right before 出典 / 公開元URL / 出典情報. Anywhere else it is body text. */
static int title_position(const page_line *lines, size_t n, size_t i, int only_tagline_before)
{
    if (only_tagline_before)
        return 1;
    span v;
    int pn;
    size_t j = next_nonblank(lines, n, i + 1);
    if (j == n)
        return 0;
    span next = trim_spaces(span_of(lines[j].text, lines[j].len));
    enum line_kind k = classify_header_line(next, &v, &pn);
    if (k == LK_URL || k == LK_SOURCE)
        return 1;
    if (!span_eq(next, "出典"))
        return 0;
    j = next_nonblank(lines, n, j + 1);
    if (j == n)
        return 0;
    k = classify_header_line(span_of(lines[j].text, lines[j].len), &v, &pn);
    return k == LK_URL || k == LK_SOURCE;
}

/* Reads the header block: the longest run of lines from the top that are header lines
 * (in any order, blank lines allowed), plus at most one title line. */
static header_info read_header(const page_line *lines, size_t n)
{
    header_info h;
    memset(&h, 0, sizeof h);
    h.title = h.url = h.source = span_of("", 0);
    int have_title = 0, title_has_suffix = 0, have_url = 0, have_source = 0;
    int only_tagline = 1, seen_tagline = 0, seen_last_notice = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        span value;
        int page_no = 0;
        enum line_kind k = classify_header_line(span_of(lines[i].text, lines[i].len), &value, &page_no);
        if (k == LK_BLANK)
            continue;
        if (k == LK_TAGLINE) {
            seen_tagline = 1;
            continue;
        }
        if (k == LK_BOILER) {
            /* The copy notice closes the site's header: a bare label after it is body text. */
            if (span_starts(strip_frame(span_of(lines[i].text, lines[i].len)),
                            "テキストをコピーしてご利用いただく際は"))
                seen_last_notice = 1;
            only_tagline = 0;
            continue;
        }
        if (k == LK_LABEL && !seen_last_notice) {
            only_tagline = 0;
            continue;
        }
        /* Each field once: a second URL, 出典情報 or titled line is the body's. A title with the
         * page suffix may replace one without only before the URL and 出典情報 lines. */
        if (k == LK_URL && !have_url) {
            h.url = value;
            have_url = 1;
        } else if (k == LK_SOURCE && !have_source) {
            h.source = value;
            have_source = 1;
        } else if (k == LK_TITLE && !title_has_suffix &&
                   !(have_title && (have_url || have_source))) {
            h.title = value;
            h.page_no = page_no;
            have_title = title_has_suffix = 1;
        } else if (k == LK_OTHER && !have_title &&
                   title_position(lines, n, i, only_tagline && seen_tagline)) {
            h.title = trim_spaces(span_of(lines[i].text, lines[i].len));
            have_title = 1;
        } else {
            break;
        }
        only_tagline = 0;
    }
    h.has_header = have_title || have_url || have_source;
    h.end = h.has_header ? i : 0;
    return h;
}

static int fill_header_fields(page *p, const header_info *h, const char *file_name)
{
    span title = h->title.n ? h->title : base_name(file_name);
    span empty = span_of("", 0);
    span material = h->has_header ? find_material(h->title) : empty;
    source_parts sp = split_source(h->source);
    p->title = dup_span(title);
    p->material = dup_span(material);
    p->url = dup_span(h->url);
    p->source = dup_span(h->source);
    /* Text after 》 goes with the part of the line it follows. */
    int tail_to_joint = sp.round_found || sp.joint.n;
    p->meeting = dup_joined(sp.meeting, tail_to_joint ? empty : sp.meeting_tail);
    p->joint = dup_joined(sp.joint, tail_to_joint ? sp.meeting_tail : empty);
    p->session = dup_span(sp.session);
    p->date = dup_joined(sp.date_a, sp.date_b);
    p->publisher = dup_span(sp.publisher);
    p->page_no = h->page_no;
    p->has_header = h->has_header;
    if (!p->title || !p->material || !p->url || !p->source || !p->meeting || !p->session ||
        !p->date || !p->publisher || !p->joint)
        return SH_ERR_NOMEM;
    return SH_OK;
}

/* Chooses the body from lines[start..n) and compacts it to the front of lines; returns the new
 * count. Blank lines inside the body are kept (paragraph breaks); leading and trailing ones are
 * not. With a header, the page-number trailer and a repeated copy of the body are dropped. */
static int select_body(page *p, page_line *lines, size_t n, size_t start, size_t *out_n)
{
    size_t end = n;
    if (p->has_header) {
        /* seq: the non-blank, non-notice body lines, where trailer and repeat are looked for. */
        size_t m = 0;
        for (size_t i = start; i < n; i++)
            if (lines[i].len && !is_site_notice(span_of(lines[i].text, lines[i].len)))
                m++;
        const page_line **seq = malloc((m ? m : 1) * sizeof *seq);
        if (!seq)
            return SH_ERR_NOMEM;
        m = 0;
        for (size_t i = start; i < n; i++)
            if (lines[i].len && !is_site_notice(span_of(lines[i].text, lines[i].len)))
                seq[m++] = &lines[i];
        if (m && is_page_number_line(seq[m - 1], p->page_no)) {
            end = (size_t)(seq[m - 1] - lines);
            m--;
        }
        repeat_match rm;
        int found = find_repeat(seq, m, p->page_no, &rm);
        if (found < 0) {
            free(seq);
            return SH_ERR_NOMEM;
        }
        if (found) {
            p->repeat_from = seq[m - rm.tail]->lineno;
            end = (size_t)(seq[m - rm.tail - rm.gap] - lines);
        } else if (m) {
            end = (size_t)(seq[m - 1] - lines) + 1;
        }
        free(seq);
    }
    size_t out = 0;
    for (size_t i = start; i < end; i++) {
        if (is_site_notice(span_of(lines[i].text, lines[i].len)))
            continue;
        if (lines[i].len == 0 && out == 0)
            continue; /* leading blank lines */
        lines[out++] = lines[i];
    }
    while (out && lines[out - 1].len == 0)
        out--;
    *out_n = out;
    return SH_OK;
}

int page_parse(const char *file_name, const char *data, size_t len, page **out, char **errmsg)
{
    if (!out || (!data && len))
        return sh_fail(errmsg, SH_ERR_INVALID, "page_parse: invalid argument");
    *out = NULL;
    const char *name = file_name ? file_name : "(page)";
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    page *p = calloc(1, sizeof *p);
    if (!p)
        return sh_fail(errmsg, SH_ERR_NOMEM, "%s: out of memory parsing page", name);
    /* One copy of the text that the lines point into, so the caller's data can go away. */
    p->buffer = malloc(len + 1);
    if (!p->buffer)
        goto nomem;
    if (len)
        memcpy(p->buffer, data, len);
    p->buffer[len] = '\0';

    size_t n = split_lines(p->buffer, len, NULL);
    page_line *lines = malloc((n ? n : 1) * sizeof *lines);
    if (!lines)
        goto nomem;
    p->lines = lines;
    split_lines(p->buffer, len, lines);

    header_info h = read_header(lines, n);
    if (fill_header_fields(p, &h, file_name) != SH_OK)
        goto nomem;
    size_t nbody;
    if (select_body(p, lines, n, h.end, &nbody) != SH_OK)
        goto nomem;
    p->nlines = nbody;
    if (nbody && nbody < n) {
        page_line *shrunk = realloc(lines, nbody * sizeof *lines);
        if (shrunk) /* keeping the larger block is fine when shrinking fails */
            p->lines = shrunk;
    }
    *out = p;
    return SH_OK;

nomem:
    page_destroy(p);
    return sh_fail(errmsg, SH_ERR_NOMEM, "%s: out of memory parsing page", name);
}
