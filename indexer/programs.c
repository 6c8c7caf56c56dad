/* programs.c — program-name and budget-expression extraction (see programs.h).
 * Owns a per-call scratch copy of the text as code points; no global mutable state, no I/O. */
#include "programs.h"

#include "amount.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/utf8.h"
#include "shiryo/era.h"
#include "shiryo/status.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

enum {
    NEST_MAX = 64,              /* bracket/paren depth kept on the stack; deeper openers only count */
    CLOSE_SEARCH = 8,           /* a closer may skip this many unclosed openers to find its match */
    BUDGET_GROUP_MAX_CPS = 300, /* a (…) longer than this is prose, not a budget expression */
    NAME_MAX_CPS = 60,          /* unbracketed names */
    BRACKET_NAME_MAX_CPS = 80,  /* names in 「」: longer ones are quoted sentences */
    CONTEXT_NAME_MAX_CPS = 30,  /* 「X」を通じて without a program suffix */
    AMOUNTS_MAX = 8,            /* amounts read from one (…) */
    CHAIN_MAX = 16,             /* 「A」や「B」や…(いずれも…) */
    OWNER_DEPTH_MAX = 3,        /* X(sub)(budget)(budget): groups walked back to find the owner */
    TRAILING_GROUPS_MAX = 3,    /* (…) groups stripped from the end of a name */
    YEAR_BACK_CPS = 12          /* longest year expression before a kind word (平成三十一年度) */
};

typedef struct span {
    uint32_t s, e; /* code-point range [s, e); s == NONE for "none" */
} span;

static const span NO_SPAN = {NONE, NONE};

enum group_kind { GROUP_PAREN = 1, GROUP_BRACKET };

/* A matched or unmatched 「」『』() pair, in opener order. */
typedef struct group {
    uint32_t open, close; /* code-point indices; close == NONE when never closed */
    uint32_t bracket;     /* innermost enclosing 「」/『』 group, NONE when none */
    uint8_t kind;
    uint8_t is_budget;    /* set once the (…) has been read as a budget expression */
} group;

/* The text as code points, with the bracket structure. */
typedef struct scan {
    const char *text;
    uint32_t n;     /* code points */
    uint32_t *cp;   /* code point i */
    uint32_t *off;  /* byte offset of code point i; off[n] == text length */
    uint32_t *grp;  /* group of the opener/closer at i, NONE for other characters */
    group *groups;
    uint32_t ngroups;
} scan;

/* A budget line before its strings are copied out. */
typedef struct draft_budget {
    int year, from_column, within;
    const char *kind, *unit;
    long long yen;
    span parent;
    uint32_t expr_s, expr_e;
} draft_budget;

typedef struct draft {
    span name;
    int bracketed;
    span pred; /* successor_of */
    draft_budget *budgets;
    size_t nbudgets, cap;
} draft;

/* Open-addressing table from a name's span to its draft, so finding a draft stays O(1) however
 * many budget expressions point at it. Over twice PROGRAMS_MAX_MENTIONS: never full. */
#define DRAFT_TABLE_SIZE 4096u
_Static_assert(DRAFT_TABLE_SIZE >= 2u * PROGRAMS_MAX_MENTIONS, "draft table too small");
_Static_assert((DRAFT_TABLE_SIZE & (DRAFT_TABLE_SIZE - 1)) == 0, "draft table size not 2^k");

typedef struct drafts {
    draft *items;
    size_t n, cap;
    int truncated;
    uint32_t table[DRAFT_TABLE_SIZE]; /* draft index, NONE for an empty slot */
} drafts;

/* One amount of a budget expression with what its head says. */
typedef struct amount_item {
    uint32_t expr_s, expr_e;
    int year, from_column, within;
    const char *kind;
    int kind_written; /* 0: kind is "other" because no kind word was found */
    long long yen;
    const char *unit;
    span parent, pred;
    int parent_bracketed, pred_bracketed;
} amount_item;

typedef struct budget_expr {
    amount_item items[AMOUNTS_MAX];
    int n;
    int distribute; /* いずれも: every bracketed name listed before the (…) gets the lines */
} budget_expr;

/* The names a budget expression belongs to. */
typedef struct owner_list {
    span name[CHAIN_MAX];
    uint8_t bracketed[CHAIN_MAX];
    int n;
    span funder; /* X in X(sub-program)(budget): pays for the sub-program */
    int funder_bracketed;
    span alias;  /* Go-Tech事業 in X(Go-Tech事業)(budget): another name of X, no budget of its own */
} owner_list;

/* ---- code points ---- */

/* Whether code point c is one of the characters of the UTF-8 string set. */
static int strchr_cp(const char *set, uint32_t c)
{
    for (size_t i = 0, len = strlen(set); i < len;) {
        unsigned cp;
        i += sh_utf8_next(set, len, i, &cp);
        if (cp == c)
            return 1;
    }
    return 0;
}

static int is_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }
static int is_open_paren(uint32_t c) { return c == '(' || c == 0xFF08; }
static int is_close_paren(uint32_t c) { return c == ')' || c == 0xFF09; }
static int is_open_bracket(uint32_t c) { return c == 0x300C || c == 0x300E; }   /* 「 『 */
static int is_close_bracket(uint32_t c) { return c == 0x300D || c == 0x300F; }  /* 」 』 */
static int is_comma(uint32_t c) { return c == ',' || c == 0xFF0C; }
static int is_hiragana(uint32_t c) { return c >= 0x3041 && c <= 0x309F; }

/* Separators between "予算" and the amount: 予算:13億円, 予算 = 13億円, 予算:約13億円. */
static int is_amount_lead(uint32_t c)
{
    return is_space(c) || c == ':' || c == 0xFF1A || c == '=' || c == 0xFF1D || c == 0x7D04 /* 約 */;
}

/* Characters an unbracketed name is made of (kanji, katakana, Latin, digits, interior ・).
 * Hiragana only enters through the connectors below, so 〜を通じて臨床研究… stops at て. */
static int is_name_char(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) || c == 0x3005 ||
           c == 0x3007 || (c >= 0x30A1 && c <= 0x30FC) || (c >= 0xFF66 && c <= 0xFF9F) ||
           (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A);
}

/* Punctuation that never occurs inside an unbracketed name. */
static int is_name_breaker(uint32_t c)
{
    return c == 0x3001 || c == 0x3002 || c == 0xFF0C || c == 0xFF0E || c == ',' || c == ';' ||
           c == 0xFF1B || c == ':' || c == 0xFF1A || is_open_bracket(c) || is_close_bracket(c) ||
           is_open_paren(c) || is_close_paren(c) || c == 0x3010 || c == 0x3011 || c == '[' ||
           c == ']' || c == '\n' || c == '\r';
}

static int pairs(uint32_t open, uint32_t close)
{
    if (is_open_paren(open))
        return is_close_paren(close);
    if (open == 0x300C)
        return close == 0x300D;
    return open == 0x300E && close == 0x300F;
}

/* ---- literal matching on the UTF-8 bytes ---- */

/* If lit occurs at code point i (ending at or before limit), returns the code point after it. */
static uint32_t match_fwd(const scan *sc, uint32_t i, uint32_t limit, const char *lit)
{
    size_t l = strlen(lit);
    if (i >= limit || sc->off[limit] - sc->off[i] < l || memcmp(sc->text + sc->off[i], lit, l) != 0)
        return NONE;
    size_t target = sc->off[i] + l;
    uint32_t k = i;
    while (k < limit && sc->off[k] < target)
        k++;
    return sc->off[k] == target ? k : NONE;
}

/* If lit ends just before code point e (starting at or after lo), returns where it starts. */
static uint32_t match_bwd(const scan *sc, uint32_t e, uint32_t lo, const char *lit)
{
    size_t l = strlen(lit);
    if (e <= lo || sc->off[e] - sc->off[lo] < l || memcmp(sc->text + sc->off[e] - l, lit, l) != 0)
        return NONE;
    size_t target = sc->off[e] - l;
    uint32_t k = e;
    while (k > lo && sc->off[k] > target)
        k--;
    return sc->off[k] == target ? k : NONE;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Endings that make a name a program. */
static const char *const PROGRAM_SUFFIXES[] = {
    "事業", "制度", "拠点", "プログラム", "ネットワーク", "基金", "補助金", "交付金", "委託費",
    "助成金", "給付金", "支援金", "推進費", "税制", "プロジェクト",
};

/* A whole name that is only a reference to some program mentioned elsewhere (同事業, 本事業). */
static const char *const DETERMINERS[] = {
    "同", "本", "当該", "各", "上記", "前記", "下記", "前述", "両", "全", "後継", "当", "他", "別",
    "新規", "既存", "関連", "個別", "諸",
};

/* Hiragana that may join the words of one name: 官民による…, アジア地域における…の構築事業. */
static const char *const CONNECTORS[] = {
    "における", "に関する", "に向けた", "に対する", "のための", "による", "に係る", "の",
};

/* Between a name and a following budget expression's parent: …推進事業として令和6年度予算. */
static const char *const LEAD_TAILS[] = {"として", "における", "にて", "の", "で"};

/* いずれも: the budget belongs to every name listed before the (…). */
static const char *const DISTRIBUTORS[] = {"いずれも", "何れも", "ともに", "共に"};

/* Bの後継事業となるA. In running text also "Bの後継事業として、A". */
static const char *const SUCCESSION[] = {
    "の後継事業となる", "の後継事業である", "の後継となる", "の後継である",
};
static const char *const SUCCESSION_IN_TEXT[] = {
    "の後継事業となる", "の後継事業である", "の後継となる", "の後継である", "の後継事業として",
};

/* Between bracketed names of one list: 「A」や「B」. */
static const char *const LIST_JOINERS[] = {
    "および", "ならびに", "または", "及び", "並びに", "又は", "や", "と", "、", "・", ",",
};

/* After a 「」: a definition or abbreviation, not a program (以下「CRB」という). */
static const char *const DEFINITION_TAILS[] = {"という", "と言う", "と略", "と称", "と呼"};

/* ---- building the scan ---- */

static void scan_free(scan *sc)
{
    free(sc->cp);
    free(sc->off);
    free(sc->grp);
    free(sc->groups);
}

/* Decodes the text and pairs 「」『』() with one stack. A closer that does not fit the top may
 * close an opener up to CLOSE_SEARCH deeper (the openers above it stay unclosed); a closer that
 * fits none is ignored. Openers beyond NEST_MAX deep are only counted, so 10,000 nested ( cost
 * nothing and their closers are absorbed by the count. */
static int scan_build(scan *sc, const char *text, size_t len)
{
    uint32_t n = 0, openers = 0;
    for (size_t i = 0; i < len;) {
        unsigned c;
        size_t used = sh_utf8_next(text, len, i, &c);
        if (is_open_paren(c) || is_open_bracket(c))
            openers++;
        n++;
        i += used;
    }
    sc->text = text;
    sc->n = n;
    sc->cp = malloc(((size_t)n + 1) * sizeof *sc->cp);
    sc->off = malloc(((size_t)n + 1) * sizeof *sc->off);
    sc->grp = malloc(((size_t)n + 1) * sizeof *sc->grp);
    sc->groups = malloc(((size_t)openers + 1) * sizeof *sc->groups);
    if (!sc->cp || !sc->off || !sc->grp || !sc->groups)
        return SH_ERR_NOMEM;

    uint32_t stack[NEST_MAX];
    int depth = 0;
    uint32_t too_deep = 0;
    uint32_t k = 0;
    for (size_t i = 0; i < len; k++) {
        unsigned c;
        size_t used = sh_utf8_next(text, len, i, &c);
        sc->cp[k] = c;
        sc->off[k] = (uint32_t)i;
        sc->grp[k] = NONE;
        i += used;
        if (is_open_paren(c) || is_open_bracket(c)) {
            if (depth == NEST_MAX) {
                too_deep++;
                continue;
            }
            uint32_t g = sc->ngroups++;
            uint32_t enclosing = NONE;
            if (depth > 0) {
                uint32_t top = stack[depth - 1];
                enclosing = sc->groups[top].kind == GROUP_BRACKET ? top : sc->groups[top].bracket;
            }
            sc->groups[g] = (group){k, NONE, enclosing,
                                    (uint8_t)(is_open_paren(c) ? GROUP_PAREN : GROUP_BRACKET), 0};
            sc->grp[k] = g;
            stack[depth++] = g;
        } else if (is_close_paren(c) || is_close_bracket(c)) {
            if (too_deep > 0) {
                too_deep--;
                continue;
            }
            for (int d = depth - 1; d >= 0 && d >= depth - CLOSE_SEARCH; d--) {
                group *g = &sc->groups[stack[d]];
                if (pairs(sc->cp[g->open], c)) {
                    g->close = k;
                    sc->grp[k] = stack[d];
                    depth = d;
                    break;
                }
            }
        }
    }
    sc->off[n] = (uint32_t)len;
    sc->cp[n] = 0;
    sc->grp[n] = NONE;
    return SH_OK;
}

/* ---- small span helpers ---- */

static void trim(const scan *sc, uint32_t *s, uint32_t *e)
{
    while (*s < *e && is_space(sc->cp[*s]))
        (*s)++;
    while (*e > *s && is_space(sc->cp[*e - 1]))
        (*e)--;
}

/* Also drops 、 and , at both ends (lead clauses: いずれも、…). */
static void trim_lead(const scan *sc, uint32_t *s, uint32_t *e)
{
    for (;;) {
        trim(sc, s, e);
        if (*s < *e && (sc->cp[*s] == 0x3001 || is_comma(sc->cp[*s])))
            (*s)++;
        else if (*e > *s && (sc->cp[*e - 1] == 0x3001 || is_comma(sc->cp[*e - 1])))
            (*e)--;
        else
            return;
    }
}

static uint32_t skip_spaces_back(const scan *sc, uint32_t p)
{
    while (p > 0 && is_space(sc->cp[p - 1]))
        p--;
    return p;
}

static uint32_t skip_spaces_fwd(const scan *sc, uint32_t p)
{
    while (p < sc->n && is_space(sc->cp[p]))
        p++;
    return p;
}

/* The code point index where a program suffix starts if [s, e) ends with one, else NONE. */
static uint32_t suffix_start(const scan *sc, uint32_t s, uint32_t e)
{
    for (size_t i = 0; i < COUNT(PROGRAM_SUFFIXES); i++) {
        uint32_t k = match_bwd(sc, e, s, PROGRAM_SUFFIXES[i]);
        if (k != NONE)
            return k;
    }
    return NONE;
}

/* [s, e) with a trailing (…) or two removed: 令和6年度…に係る事業(…に関する調査) -> …に係る事業. */
static void strip_trailing_groups(const scan *sc, uint32_t s, uint32_t *e)
{
    for (int t = 0; t < TRAILING_GROUPS_MAX; t++) {
        trim(sc, &s, e);
        if (*e <= s)
            return;
        uint32_t last = *e - 1;
        if (!is_close_paren(sc->cp[last]) || sc->grp[last] == NONE)
            return;
        uint32_t open = sc->groups[sc->grp[last]].open;
        if (open <= s) /* the whole span is one (…): nothing left to call a name */
            return;
        *e = open;
    }
    trim(sc, &s, e);
}

/* Whether [s, e) can be an unbracketed program name: 1..NAME_MAX_CPS code points, no sentence
 * punctuation or brackets, ends with a program suffix, and is more than 同/本/当該 + suffix. */
static int name_ok(const scan *sc, span name)
{
    if (name.s == NONE || name.e <= name.s || name.e - name.s > NAME_MAX_CPS)
        return 0;
    if (is_space(sc->cp[name.s]))
        return 0;
    for (uint32_t i = name.s; i < name.e; i++)
        if (is_name_breaker(sc->cp[i]))
            return 0;
    uint32_t suffix = suffix_start(sc, name.s, name.e);
    if (suffix == NONE || suffix == name.s)
        return 0;
    for (size_t i = 0; i < COUNT(DETERMINERS); i++)
        if (match_fwd(sc, name.s, suffix, DETERMINERS[i]) == suffix)
            return 0;
    return 1;
}

/* Whether a name is written in Latin letters before its suffix (Go-Tech事業, SBIR事業): in
 * X(Go-Tech事業) that is X's nickname, while a Japanese name there (X(アジア地域における…構築事業))
 * is a sub-project with a budget of its own. */
static int is_latin_alias(const scan *sc, span name)
{
    uint32_t suffix = suffix_start(sc, name.s, name.e);
    int letters = 0;
    for (uint32_t i = name.s; i < (suffix == NONE ? name.e : suffix); i++) {
        uint32_t c = sc->cp[i];
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= 0xFF21 && c <= 0xFF5A))
            letters++;
        else if (c >= 0x80 && !(c >= 0xFF10 && c <= 0xFF19) && c != 0x3000)
            return 0;
    }
    return letters > 0;
}

/* Organisations that own programs rather than name them: 経済産業省の医療機器開発事業 -> the name
 * starts after the の. */
static const char *const OWNER_ORG_ENDS[] = {"省の", "庁の", "府の", "局の", "機構の"};

/* Runs back from p over name characters and connectors to the start of an unbracketed name
 * (after 、。「」() spaces, or a hiragana that is not a connector: …を踏まえ、臨床研究総合促進事業,
 * …を通じて臨床研究…事業). A leading bullet ・ is dropped. Names longer than NAME_MAX_CPS are
 * refused rather than cut, since a cut name is a wrong name. */
static int run_back(const scan *sc, uint32_t p, span *out)
{
    uint32_t s = p;
    while (s > 0 && p - s <= NAME_MAX_CPS) {
        uint32_t c = sc->cp[s - 1];
        if (is_name_char(c)) {
            s--;
            continue;
        }
        uint32_t joined = NONE;
        if (is_hiragana(c) && s < p) {
            for (size_t i = 0; i < COUNT(CONNECTORS) && joined == NONE; i++) {
                uint32_t k = match_bwd(sc, s, 0, CONNECTORS[i]);
                if (k != NONE && k > 0 && is_name_char(sc->cp[k - 1]))
                    joined = k;
            }
        }
        if (joined == NONE)
            break;
        s = joined;
    }
    for (uint32_t k = s; k < p; k++) {
        for (size_t i = 0; i < COUNT(OWNER_ORG_ENDS); i++) {
            uint32_t m = match_fwd(sc, k, p, OWNER_ORG_ENDS[i]);
            if (m != NONE && m < p)
                s = m;
        }
    }
    while (s < p && sc->cp[s] == 0x30FB) /* bullet ・ */
        s++;
    if (s >= p || p - s > NAME_MAX_CPS)
        return 0;
    *out = (span){s, p};
    return 1;
}

/* Runs forward from j over name characters and connectors; the name is the longest prefix that
 * ends with a program suffix (…となる医工連携グローバル展開事業として -> …展開事業). */
static int run_fwd(const scan *sc, uint32_t j, span *out)
{
    uint32_t e = j, best = NONE;
    while (e < sc->n && e - j <= NAME_MAX_CPS) {
        if (is_name_char(sc->cp[e])) {
            e++;
            if (suffix_start(sc, j, e) != NONE)
                best = e;
            continue;
        }
        uint32_t joined = NONE;
        if (is_hiragana(sc->cp[e]) && e > j) {
            for (size_t i = 0; i < COUNT(CONNECTORS) && joined == NONE; i++) {
                uint32_t k = match_fwd(sc, e, sc->n, CONNECTORS[i]);
                if (k != NONE && k < sc->n && is_name_char(sc->cp[k]))
                    joined = k;
            }
        }
        if (joined == NONE)
            break;
        e = joined;
    }
    if (best == NONE)
        return 0;
    *out = (span){j, best};
    return 1;
}

/* ---- bracketed names ---- */

/* The name in bracket group g: its content without trailing (…) groups (budget or 仮称), trimmed. */
static int bracket_name(const scan *sc, uint32_t g, span *out)
{
    const group *b = &sc->groups[g];
    if (b->kind != GROUP_BRACKET || b->close == NONE)
        return 0;
    uint32_t s = b->open + 1, e = b->close;
    trim(sc, &s, &e);
    strip_trailing_groups(sc, s, &e);
    if (e <= s)
        return 0;
    *out = (span){s, e};
    return 1;
}

/* Whether a bracketed name can be a program at all: short enough, no 、 or 。 (quoted sentences
 * and titles have them, names do not), and not a definition like (以下「CRB」という。). */
static int bracket_plausible(const scan *sc, uint32_t g, span name)
{
    if (name.e - name.s > BRACKET_NAME_MAX_CPS)
        return 0;
    /* A formula quoted in a law (「((10)×(1÷100)×60円)又は」) is no name: names do not start
     * with a parenthesis or hold arithmetic. */
    uint32_t first = sc->cp[name.s];
    if (first == '(' || first == 0xFF08)
        return 0;
    /* A bare suffix or a reference (「事業」, 「当該基金」) names no particular program; nor does
     * a name that opens with a reference to law text (「該当する事業」, 「第九条…に掲げる事業」). */
    uint32_t suffix = suffix_start(sc, name.s, name.e);
    if (suffix == name.s)
        return 0;
    if (suffix != NONE)
        for (size_t i = 0; i < COUNT(DETERMINERS); i++)
            if (match_fwd(sc, name.s, suffix, DETERMINERS[i]) == suffix)
                return 0;
    static const char *const REFERENCE_OPENERS[] = {
        "当該", "該当", "その他", "他の", "前項", "次項", "同項", "同条", "前条",
        "及び", "又は", "並びに", "若しくは"};
    for (size_t i = 0; i < COUNT(REFERENCE_OPENERS); i++)
        if (match_fwd(sc, name.s, name.e, REFERENCE_OPENERS[i]) != NONE)
            return 0;
    if (first == 0x7B2C /* 第 */ && name.e - name.s > 1) {
        uint32_t c = sc->cp[name.s + 1];
        if (amount_digit_value(c) >= 0 || strchr_cp("一二三四五六七八九十百千", c))
            return 0;
    }
    for (uint32_t i = name.s; i < name.e; i++) {
        uint32_t c = sc->cp[i];
        if (c == 0x3001 || c == 0x3002 || c == 0x00D7 || c == 0x00F7 || c == '=' || c == 0xFF1D ||
            c == 0x2266 || c == 0x2267 || c == 0xFF1C || c == 0xFF1E)
            return 0;
    }
    const group *b = &sc->groups[g];
    uint32_t after = skip_spaces_fwd(sc, b->close + 1);
    for (size_t i = 0; i < COUNT(DEFINITION_TAILS); i++)
        if (match_fwd(sc, after, sc->n, DEFINITION_TAILS[i]) != NONE)
            return 0;
    uint32_t before = skip_spaces_back(sc, b->open);
    if (before > 0 && sc->cp[before - 1] == 0x3001)
        before = skip_spaces_back(sc, before - 1);
    if (match_bwd(sc, before, 0, "以下") != NONE)
        return 0;
    return 1;
}

/* Whether a bracketed name without a budget is a program: it ends like one (…事業, …拠点), or is
 * a short name used like one (「MEDIC」を通じて). A quoted phrase ending in a verb is neither. */
static int bracket_is_program(const scan *sc, uint32_t g, span name)
{
    if (!bracket_plausible(sc, g, name))
        return 0;
    if (suffix_start(sc, name.s, name.e) != NONE)
        return 1;
    if (name.e - name.s > CONTEXT_NAME_MAX_CPS || is_hiragana(sc->cp[name.e - 1]))
        return 0;
    uint32_t after = skip_spaces_fwd(sc, sc->groups[g].close + 1);
    return match_fwd(sc, after, sc->n, "を通じ") != NONE;
}

/* ---- amounts ---- */

/* Reads an amount in yen starting at code point i (amount.h: 13億円, 1,234千円, 十三億円).
 * Returns 1 with *end after 円, *yen (-1 when it overflows a long long) and *unit; 0 when the
 * text there is no amount (令和6年度, 第16号). */
static int parse_amount(const scan *sc, uint32_t i, uint32_t limit, uint32_t *end, long long *yen,
                        const char **unit)
{
    amount a;
    if (i >= limit || !amount_parse(sc->text + sc->off[i], sc->off[limit] - sc->off[i], &a))
        return 0;
    size_t target = sc->off[i] + a.used;
    uint32_t k = i;
    while (k < limit && sc->off[k] < target)
        k++;
    if (sc->off[k] != target)
        return 0;
    *end = k;
    *yen = a.yen;
    *unit = a.unit;
    return 1;
}

/* ---- budget expressions ---- */


/* A year written as the start of a name (令和6年度商取引…事業): returns its year and sets *end,
 * or 0. Only …年度 counts, so 2025年大阪… is not a fiscal year. */
static int leading_fiscal_year(const scan *sc, span name, uint32_t *end)
{
    int year;
    size_t used;
    size_t avail = sc->off[name.e] - sc->off[name.s];
    if (!era_parse_year(sc->text + sc->off[name.s], avail, &year, &used) || used >= avail)
        return 0;
    size_t target = sc->off[name.s] + used;
    uint32_t k = name.s;
    while (k < name.e && sc->off[k] < target)
        k++;
    if (sc->off[k] != target || match_bwd(sc, k, name.s, "年度") == NONE)
        return 0;
    *end = k;
    return year;
}

/* Reads the program named in a lead clause [s, e): "いずれも", then "Bの後継事業となるA" or "A",
 * then "として"/"の". A may be bracketed, carry a year prefix or end with a (…) that describes
 * it; B is kept as A's predecessor. */
static void parse_lead(const scan *sc, uint32_t s, uint32_t e, int *distribute, amount_item *it)
{
    trim_lead(sc, &s, &e);
    if (distribute) {
        for (size_t i = 0; i < COUNT(DISTRIBUTORS); i++) {
            uint32_t k = match_fwd(sc, s, e, DISTRIBUTORS[i]);
            if (k != NONE) {
                *distribute = 1;
                s = k;
                trim_lead(sc, &s, &e);
                break;
            }
        }
    }
    for (size_t i = 0; i < COUNT(LEAD_TAILS); i++) {
        uint32_t k = match_bwd(sc, e, s, LEAD_TAILS[i]);
        if (k != NONE) {
            e = k;
            trim_lead(sc, &s, &e);
            break;
        }
    }
    if (e <= s)
        return;
    span a = {s, e}, b = NO_SPAN;
    for (uint32_t k = s; k < e && b.s == NONE; k++) {
        if (sc->cp[k] != 0x306E) /* every succession phrase starts with の */
            continue;
        for (size_t i = 0; i < COUNT(SUCCESSION); i++) {
            uint32_t m = match_fwd(sc, k, e, SUCCESSION[i]);
            if (m != NONE) {
                b = (span){s, k};
                a = (span){m, e};
                break;
            }
        }
    }
    span names[2] = {a, b};
    span *outs[2] = {&it->parent, &it->pred};
    int *bracketed[2] = {&it->parent_bracketed, &it->pred_bracketed};
    for (int w = 0; w < 2; w++) {
        span x = names[w];
        if (x.s == NONE)
            continue;
        trim_lead(sc, &x.s, &x.e);
        strip_trailing_groups(sc, x.s, &x.e);
        if (x.e <= x.s)
            continue;
        uint32_t g = sc->grp[x.s];
        if (is_open_bracket(sc->cp[x.s]) && g != NONE && sc->groups[g].close == x.e - 1) {
            span inner;
            if (bracket_name(sc, g, &inner) && bracket_plausible(sc, g, inner)) {
                *outs[w] = inner;
                *bracketed[w] = 1;
            }
        } else if (name_ok(sc, x)) {
            *outs[w] = x;
            *bracketed[w] = 0;
        }
        if (w == 0 && it->parent.s == NONE)
            return; /* no successor relation without the successor */
    }
}

/* Reads the head before an amount: [s, amount) ends with an optional year and kind word and the
 * separator (令和6年度予算:); what comes before them is the lead clause. */
static void parse_head(const scan *sc, uint32_t s, uint32_t amount, amount_item *it,
                       uint32_t *lead_end)
{
    uint32_t e = amount;
    while (e > s && is_amount_lead(sc->cp[e - 1]))
        e--;
    it->kind = PROGRAM_KIND_OTHER;
    uint32_t kind_start = NONE;
    size_t nwords;
    const amount_word *words = amount_words(&nwords);
    for (size_t i = 0; i < nwords; i++) {
        uint32_t k = (words[i].uses & AMOUNT_USE_KIND) ? match_bwd(sc, e, s, words[i].text) : NONE;
        if (k != NONE) {
            kind_start = k;
            it->kind = words[i].kind;
            it->kind_written = 1;
            break;
        }
    }
    uint32_t ye = kind_start != NONE ? kind_start : e;
    if (kind_start != NONE && ye > s && sc->cp[ye - 1] == 0x306E) /* 令和6年度の予算 */
        ye--;
    while (ye > s && is_space(sc->cp[ye - 1]))
        ye--;
    uint32_t year_start = NONE;
    uint32_t from = ye - s > YEAR_BACK_CPS ? ye - YEAR_BACK_CPS : s;
    for (uint32_t c = from; c < ye && year_start == NONE; c++) {
        uint32_t before = c > 0 ? sc->cp[c - 1] : 0;
        if (amount_digit_value(before) >= 0 || ((before | 0x20) >= 'a' && (before | 0x20) <= 'z'))
            continue; /* inside X2025 or 12025: not a year of its own */
        int year;
        size_t used;
        size_t avail = sc->off[ye] - sc->off[c];
        if (era_parse_year(sc->text + sc->off[c], avail, &year, &used) && used == avail) {
            year_start = c;
            it->year = year;
        }
    }
    if (year_start != NONE) {
        it->expr_s = year_start;
        *lead_end = year_start;
    } else if (kind_start != NONE) {
        it->expr_s = kind_start;
        *lead_end = kind_start;
    } else {
        it->expr_s = amount;
        *lead_end = e;
    }
}

/* Longest year expression era_parse_year is shown when searching a head (平成 三十一 年度 with
 * spaces is 31 bytes): bounds the work per position. */
#define YEAR_MAX_BYTES 48u

/* When the year or kind word is not right before the amount (令和6年度予算:公費1,029億円), takes
 * the last kind word and the first fiscal year in the head [s, amount), and widens the expression
 * to them. Only for heads that name no program (a named program keeps its own 令和6年度 prefix).
 * Looks at the head's own level only, skipping nested (…), so nested groups cost nothing extra. */
static void find_loose_head(const scan *sc, uint32_t s, uint32_t amount, amount_item *it)
{
    for (uint32_t e = amount; e > s && !it->kind_written; e--) {
        uint32_t g = sc->grp[e - 1];
        if (g != NONE && sc->groups[g].close == e - 1 && sc->groups[g].open >= s) {
            e = sc->groups[g].open + 1; /* the loop's e-- lands on the opener */
            continue;
        }
        size_t nwords;
        const amount_word *words = amount_words(&nwords);
        for (size_t i = 0; i < nwords; i++) {
            uint32_t k =
                (words[i].uses & AMOUNT_USE_KIND) ? match_bwd(sc, e, s, words[i].text) : NONE;
            if (k != NONE) {
                it->kind = words[i].kind;
                it->kind_written = 1;
                if (k < it->expr_s)
                    it->expr_s = k;
                break;
            }
        }
    }
    for (uint32_t c = s; c < amount && !it->year; c++) {
        uint32_t g = sc->grp[c];
        if (g != NONE && sc->groups[g].open == c && sc->groups[g].close != NONE &&
            sc->groups[g].close < amount) {
            c = sc->groups[g].close;
            continue;
        }
        uint32_t before = c > s ? sc->cp[c - 1] : 0;
        if (amount_digit_value(before) >= 0 || ((before | 0x20) >= 'a' && (before | 0x20) <= 'z'))
            continue;
        size_t avail = sc->off[amount] - sc->off[c];
        int year;
        size_t used;
        if (!era_parse_year(sc->text + sc->off[c], avail < YEAR_MAX_BYTES ? avail : YEAR_MAX_BYTES,
                            &year, &used))
            continue;
        uint32_t k = c;
        while (k < amount && sc->off[k] < sc->off[c] + used)
            k++;
        if (sc->off[k] != sc->off[c] + used || match_bwd(sc, k, c, "年度") == NONE)
            continue; /* only a fiscal year (…年度) counts here */
        it->year = year;
        if (c < it->expr_s)
            it->expr_s = c;
    }
}

/* Reads group g as a budget expression: every top-level amount in yen with its head. Returns the
 * number of amounts (0: not a budget expression). */
static int parse_budget(const scan *sc, uint32_t g, int column_fy, budget_expr *x)
{
    const group *grp = &sc->groups[g];
    memset(x, 0, sizeof *x);
    if (grp->kind != GROUP_PAREN || grp->close == NONE ||
        grp->close - grp->open - 1 > BUDGET_GROUP_MAX_CPS)
        return 0;
    uint32_t limit = grp->close, head = grp->open + 1;
    uint32_t i = head;
    while (i < limit && x->n < AMOUNTS_MAX) {
        uint32_t c = sc->cp[i];
        uint32_t sub = sc->grp[i];
        if (sub != NONE && sc->groups[sub].open == i && sc->groups[sub].close != NONE &&
            sc->groups[sub].close < limit) {
            i = sc->groups[sub].close + 1; /* nested (…): a description, not this level's amount */
            continue;
        }
        uint32_t prev = i > 0 ? sc->cp[i - 1] : 0;
        if (!amount_may_start(prev, c)) {
            i++;
            continue;
        }
        uint32_t end;
        long long yen;
        const char *unit;
        if (parse_amount(sc, i, limit, &end, &yen, &unit)) {
            amount_item *it = &x->items[x->n++];
            it->parent = it->pred = NO_SPAN;
            it->yen = yen;
            it->unit = unit;
            uint32_t lead_end;
            parse_head(sc, head, i, it, &lead_end);
            it->expr_e = end;
            uint32_t after = end;
            while (after < limit && is_space(sc->cp[after]))
                after++;
            uint32_t k = match_fwd(sc, after, limit, "の内数");
            if (k == NONE)
                k = match_fwd(sc, after, limit, "内数");
            if (k != NONE) {
                it->within = 1;
                it->expr_e = k;
            }
            parse_lead(sc, head, lead_end, x->n == 1 ? &x->distribute : NULL, it);
            if (x->n > 1 && it->parent.s == NONE) { /* 、令和5年度補正予算:5億円 shares the lead */
                it->parent = x->items[0].parent;
                it->parent_bracketed = x->items[0].parent_bracketed;
                it->pred = x->items[0].pred;
                it->pred_bracketed = x->items[0].pred_bracketed;
            }
            if (!it->year && it->parent.s != NONE) {
                uint32_t year_end;
                it->year = leading_fiscal_year(sc, it->parent, &year_end);
            }
            if (it->parent.s == NONE)
                find_loose_head(sc, head, i, it);
            if (!it->year) {
                it->year = column_fy > 0 ? column_fy : 0;
                it->from_column = 1;
            }
            head = i = it->expr_e;
            continue;
        }
        /* skip the whole number-like run, so 1万2億円 does not yield 2億円 */
        while (i < limit && amount_is_number_part(sc->cp[i]))
            i++;
    }
    return x->n;
}

/* ---- owners ---- */

static void owner_add(owner_list *o, span name, int bracketed)
{
    for (int i = 0; i < o->n; i++)
        if (o->name[i].s == name.s && o->name[i].e == name.e)
            return;
    if (o->n < CHAIN_MAX) {
        o->name[o->n] = name;
        o->bracketed[o->n] = (uint8_t)bracketed;
        o->n++;
    }
}

/* 「A」や「B」(いずれも…): adds the bracketed names listed before bracket group g. */
static void owner_add_list(const scan *sc, uint32_t g, owner_list *o)
{
    uint32_t k = sc->groups[g].open;
    for (int count = 1; count < CHAIN_MAX; count++) {
        uint32_t p = skip_spaces_back(sc, k);
        for (size_t i = 0; i < COUNT(LIST_JOINERS); i++) {
            uint32_t m = match_bwd(sc, p, 0, LIST_JOINERS[i]);
            if (m != NONE) {
                p = skip_spaces_back(sc, m);
                break;
            }
        }
        if (p == 0 || !is_close_bracket(sc->cp[p - 1]) || sc->grp[p - 1] == NONE)
            return;
        uint32_t prev = sc->grp[p - 1];
        span name;
        if (!bracket_name(sc, prev, &name) || !bracket_plausible(sc, prev, name))
            return;
        owner_add(o, name, 1);
        k = sc->groups[prev].open;
    }
}

/* Finds what the (…) opening at `open` is attached to: the 「」 just before it (all of a list with
 * いずれも), the 「」 it ends the content of, a sub-program (…) before it (whose own owner then
 * funds it), the owner of a budget (…) before it, or an unbracketed name ending just before it. */
static void find_owners(const scan *sc, uint32_t open, int distribute, int depth, owner_list *o)
{
    if (depth > OWNER_DEPTH_MAX)
        return;
    uint32_t p = skip_spaces_back(sc, open);
    if (p == 0)
        return;
    uint32_t c = sc->cp[p - 1], g = sc->grp[p - 1];
    if (is_close_bracket(c)) {
        span name;
        if (g != NONE && bracket_name(sc, g, &name) && bracket_plausible(sc, g, name)) {
            owner_add(o, name, 1);
            if (distribute)
                owner_add_list(sc, g, o);
        }
        return;
    }
    if (is_close_paren(c)) {
        if (g == NONE)
            return;
        const group *q = &sc->groups[g];
        if (q->is_budget) { /* X(令和6年度予算:…)(令和5年度補正予算:…) */
            find_owners(sc, q->open, distribute, depth + 1, o);
            return;
        }
        span sub = {q->open + 1, q->close};
        trim(sc, &sub.s, &sub.e);
        if (name_ok(sc, sub) && is_latin_alias(sc, sub)) { /* X(Go-Tech事業)(予算) */
            o->alias = sub;
            find_owners(sc, q->open, distribute, depth + 1, o);
            return;
        }
        if (name_ok(sc, sub)) { /* 臨床研究・治験推進研究事業(アジア地域…構築事業)(予算) */
            owner_add(o, sub, 0);
            owner_list funders;
            memset(&funders, 0, sizeof funders);
            funders.funder = funders.alias = NO_SPAN;
            find_owners(sc, q->open, 0, depth + 1, &funders);
            if (funders.n > 0) {
                o->funder = funders.name[0];
                o->funder_bracketed = funders.bracketed[0];
            }
            return;
        }
        find_owners(sc, q->open, distribute, depth + 1, o); /* X(description)(予算) */
        return;
    }
    if (is_open_bracket(c) || is_open_paren(c))
        return;
    uint32_t b = sc->groups[sc->grp[open]].bracket;
    span name;
    if (b != NONE && bracket_name(sc, b, &name) && name.e == p && bracket_plausible(sc, b, name)) {
        owner_add(o, name, 1); /* 「官民による…事業(令和6年度予算:13億円)」 */
        return;
    }
    if (run_back(sc, p, &name) && name_ok(sc, name))
        owner_add(o, name, 0);
}

/* ---- drafts ---- */

static void drafts_free(drafts *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n; i++)
        free(ds->items[i].budgets);
    free(ds->items);
    free(ds);
}

/* The table slot holding name, or the empty slot where it would go. */
static uint32_t *draft_slot(drafts *ds, span name)
{
    /* spans are below 2^23 code points, so these products stay far below 2^64 */
    uint64_t h = ((uint64_t)name.s * 2654435761u) ^ ((uint64_t)name.e * 40503u);
    for (uint64_t probe = 0;; probe++) {
        uint32_t *slot = &ds->table[(h + probe) & (DRAFT_TABLE_SIZE - 1)];
        if (*slot == NONE || (ds->items[*slot].name.s == name.s && ds->items[*slot].name.e == name.e))
            return slot;
    }
}

/* The draft for name (existing or new). *index is NONE when the mention limit dropped it. */
static int draft_get(drafts *ds, span name, int bracketed, size_t *index)
{
    uint32_t *slot = draft_slot(ds, name);
    *index = (size_t)NONE;
    if (*slot != NONE) {
        *index = *slot;
        return SH_OK;
    }
    if (ds->n >= PROGRAMS_MAX_MENTIONS) {
        ds->truncated = 1;
        return SH_OK;
    }
    draft *grown = sh_array_grow(ds->items, &ds->cap, ds->n + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    ds->items = grown;
    ds->items[ds->n] = (draft){name, bracketed, NO_SPAN, NULL, 0, 0};
    *slot = (uint32_t)ds->n;
    *index = ds->n++;
    return SH_OK;
}

static int draft_add_budget(drafts *ds, size_t index, const amount_item *it, int within, span parent)
{
    if (index == (size_t)NONE)
        return SH_OK;
    draft *d = &ds->items[index];
    for (size_t i = 0; i < d->nbudgets; i++) /* the same expression reached twice (X(…)(…)) */
        if (d->budgets[i].expr_s == it->expr_s && d->budgets[i].within == within)
            return SH_OK;
    if (d->nbudgets >= PROGRAMS_MAX_BUDGETS) {
        ds->truncated = 1;
        return SH_OK;
    }
    draft_budget *grown = sh_array_grow(d->budgets, &d->cap, d->nbudgets + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    d->budgets = grown;
    d->budgets[d->nbudgets++] = (draft_budget){it->year, it->from_column, within, it->kind,
                                               it->unit, it->yen, parent, it->expr_s, it->expr_e};
    return SH_OK;
}

/* Records the lines of one budget expression: on each owner; on the named parent too when the
 * amount is its total (内数) or nobody else owns it; and the parent's predecessor. */
static int emit_budget(drafts *ds, const budget_expr *x, const owner_list *o)
{
    int rc = SH_OK;
    size_t index;
    if (o->funder.s != NONE) {
        if ((rc = draft_get(ds, o->funder, o->funder_bracketed, &index)) != SH_OK)
            return rc;
    }
    if (o->alias.s != NONE && o->n > 0) {
        if ((rc = draft_get(ds, o->alias, 0, &index)) != SH_OK)
            return rc;
    }
    for (int a = 0; a < x->n; a++) {
        const amount_item *it = &x->items[a];
        span parent = it->parent.s != NONE ? it->parent : o->funder;
        for (int i = 0; i < o->n; i++) {
            if ((rc = draft_get(ds, o->name[i], o->bracketed[i], &index)) != SH_OK ||
                (rc = draft_add_budget(ds, index, it, it->within, parent)) != SH_OK)
                return rc;
        }
        if (it->parent.s == NONE)
            continue;
        if ((rc = draft_get(ds, it->parent, it->parent_bracketed, &index)) != SH_OK)
            return rc;
        if (it->within || o->n == 0) {
            if ((rc = draft_add_budget(ds, index, it, 0, NO_SPAN)) != SH_OK)
                return rc;
        }
        if (it->pred.s != NONE) {
            if (index != (size_t)NONE)
                ds->items[index].pred = it->pred;
            if ((rc = draft_get(ds, it->pred, it->pred_bracketed, &index)) != SH_OK)
                return rc;
        }
    }
    return rc;
}

/* "Bの後継事業となるA" outside budget expressions (those were read with their lead clause). */
static int find_successions(const scan *sc, drafts *ds)
{
    for (uint32_t i = 0; i < sc->n && !ds->truncated;) {
        uint32_t g = sc->grp[i];
        if (g != NONE && sc->groups[g].open == i && sc->groups[g].is_budget) {
            i = sc->groups[g].close + 1;
            continue;
        }
        uint32_t m = NONE;
        if (sc->cp[i] == 0x306E) /* の */
            for (size_t k = 0; k < COUNT(SUCCESSION_IN_TEXT) && m == NONE; k++)
                m = match_fwd(sc, i, sc->n, SUCCESSION_IN_TEXT[k]);
        if (m == NONE) {
            i++;
            continue;
        }
        span before = NO_SPAN, after = NO_SPAN;
        int before_bracketed = 0, after_bracketed = 0;
        uint32_t p = skip_spaces_back(sc, i);
        if (p > 0 && is_close_bracket(sc->cp[p - 1])) {
            uint32_t b = sc->grp[p - 1];
            if (b != NONE && bracket_name(sc, b, &before) && bracket_plausible(sc, b, before))
                before_bracketed = 1;
            else
                before = NO_SPAN;
        } else if (!run_back(sc, p, &before) || !name_ok(sc, before)) {
            before = NO_SPAN;
        }
        uint32_t j = skip_spaces_fwd(sc, m);
        if (j < sc->n && (sc->cp[j] == 0x3001 || is_comma(sc->cp[j]))) /* …として、A */
            j = skip_spaces_fwd(sc, j + 1);
        if (j < sc->n && is_open_bracket(sc->cp[j])) {
            uint32_t b = sc->grp[j];
            if (b != NONE && bracket_name(sc, b, &after) && bracket_plausible(sc, b, after))
                after_bracketed = 1;
            else
                after = NO_SPAN;
        } else if (!run_fwd(sc, j, &after) || !name_ok(sc, after)) {
            after = NO_SPAN;
        }
        if (before.s != NONE && after.s != NONE) {
            size_t a_index, b_index;
            int rc = draft_get(ds, after, after_bracketed, &a_index);
            if (rc == SH_OK)
                rc = draft_get(ds, before, before_bracketed, &b_index);
            if (rc != SH_OK)
                return rc;
            if (a_index != (size_t)NONE)
                ds->items[a_index].pred = before;
        }
        i = m;
    }
    return SH_OK;
}

/* ---- output ---- */

static int draft_cmp(const void *a, const void *b)
{
    const draft *x = a, *y = b;
    if (x->name.s != y->name.s)
        return x->name.s < y->name.s ? -1 : 1;
    if (x->name.e != y->name.e)
        return x->name.e < y->name.e ? -1 : 1;
    return 0;
}

static char *copy_span(const scan *sc, span s)
{
    size_t a = sc->off[s.s], b = sc->off[s.e];
    char *out = malloc(b - a + 1);
    if (out) {
        memcpy(out, sc->text + a, b - a);
        out[b - a] = '\0';
    }
    return out;
}

/* Copies the drafts out in text order. Each item and budget line is counted before it is filled
 * (the arrays are zeroed), so program_set_destroy frees a half-built set after SH_ERR_NOMEM. */
static int build_set(const scan *sc, drafts *ds, program_set *set)
{
    if (ds->n > 1)
        qsort(ds->items, ds->n, sizeof *ds->items, draft_cmp);
    set->items = calloc(ds->n ? ds->n : 1, sizeof *set->items);
    if (!set->items)
        return SH_ERR_NOMEM;
    set->truncated = ds->truncated;
    for (size_t i = 0; i < ds->n; i++) {
        const draft *d = &ds->items[i];
        program_mention *m = &set->items[i];
        set->n = i + 1;
        m->start = sc->off[d->name.s];
        m->end = sc->off[d->name.e];
        m->bracketed = d->bracketed;
        uint32_t year_end;
        if (leading_fiscal_year(sc, d->name, &year_end))
            m->year_prefix_len = sc->off[year_end] - sc->off[d->name.s];
        if (!(m->name = copy_span(sc, d->name)))
            return SH_ERR_NOMEM;
        if (d->pred.s != NONE && !(m->successor_of = copy_span(sc, d->pred)))
            return SH_ERR_NOMEM;
        if (d->nbudgets == 0)
            continue;
        if (!(m->budgets = calloc(d->nbudgets, sizeof *m->budgets)))
            return SH_ERR_NOMEM;
        for (size_t k = 0; k < d->nbudgets; k++) {
            const draft_budget *db = &d->budgets[k];
            budget_line *bl = &m->budgets[k];
            m->nbudgets = k + 1;
            *bl = (budget_line){db->year, db->from_column, db->kind, db->yen, db->within, NULL,
                                sc->off[db->expr_s], sc->off[db->expr_e], db->unit};
            if (db->parent.s != NONE && !(bl->parent = copy_span(sc, db->parent)))
                return SH_ERR_NOMEM;
        }
    }
    return SH_OK;
}

void program_set_destroy(program_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        program_mention *m = &set->items[i];
        for (size_t k = 0; k < m->nbudgets; k++)
            free(m->budgets[k].parent);
        free(m->budgets);
        free(m->name);
        free(m->successor_of);
    }
    free(set->items);
    free(set);
}

/* ---- helpers for budget sheets ---- */

const char *programs_kind_at(const char *s, size_t len, size_t *used)
{
    const amount_word *word = amount_word_at(s, len, AMOUNT_USE_KIND, used);
    return word ? word->kind : NULL;
}

int programs_is_name(const char *s, size_t len)
{
    if (len == 0 || len > 4096)
        return 0;
    scan sc;
    memset(&sc, 0, sizeof sc);
    int ok = scan_build(&sc, s, len) == SH_OK && name_ok(&sc, (span){0, sc.n});
    scan_free(&sc);
    return ok;
}

/* ---- entry point ---- */

static int extract(scan *sc, int column_fy, drafts *ds)
{
    int rc;
    /* budget expressions, in opener order: a (…) that follows another has seen it first */
    for (uint32_t g = 0; g < sc->ngroups && !ds->truncated; g++) {
        budget_expr x;
        if (!parse_budget(sc, g, column_fy, &x))
            continue;
        sc->groups[g].is_budget = 1;
        owner_list o;
        memset(&o, 0, sizeof o);
        o.funder = o.alias = NO_SPAN;
        find_owners(sc, sc->groups[g].open, x.distribute, 0, &o);
        if ((rc = emit_budget(ds, &x, &o)) != SH_OK)
            return rc;
    }
    if ((rc = find_successions(sc, ds)) != SH_OK)
        return rc;
    /* bracketed names without a budget */
    for (uint32_t g = 0; g < sc->ngroups && !ds->truncated; g++) {
        span name;
        if (sc->groups[g].kind != GROUP_BRACKET || !bracket_name(sc, g, &name))
            continue;
        size_t index;
        if (*draft_slot(ds, name) == NONE && bracket_is_program(sc, g, name) &&
            (rc = draft_get(ds, name, 1, &index)) != SH_OK)
            return rc;
    }
    return SH_OK;
}

int programs_extract(const char *text, size_t len, int column_fiscal_year, program_set **out,
                     char **errmsg)
{
    if (!out)
        return sh_fail(errmsg, SH_ERR_INVALID, "programs_extract: no output pointer");
    *out = NULL;
    if (!text && len > 0)
        return sh_fail(errmsg, SH_ERR_INVALID, "programs_extract: NULL text of %zu bytes", len);
    if (len > PROGRAMS_MAX_INPUT)
        return sh_fail(errmsg, SH_ERR_RANGE,
                       "programs_extract: text of %zu bytes is over the %u-byte limit", len,
                       (unsigned)PROGRAMS_MAX_INPUT);
    scan sc;
    memset(&sc, 0, sizeof sc);
    drafts *ds = calloc(1, sizeof *ds); /* 16 KB: off the stack */
    if (ds)
        memset(ds->table, 0xFF, sizeof ds->table);
    program_set *set = calloc(1, sizeof *set);
    int rc = set && ds ? scan_build(&sc, text ? text : "", len) : SH_ERR_NOMEM;
    if (rc == SH_OK)
        rc = extract(&sc, column_fiscal_year, ds);
    if (rc == SH_OK)
        rc = build_set(&sc, ds, set);
    drafts_free(ds);
    scan_free(&sc);
    if (rc != SH_OK) {
        program_set_destroy(set);
        return sh_fail(errmsg, rc, "programs_extract: out of memory");
    }
    *out = set;
    return SH_OK;
}
