/* sheets.c — budget sheets read line by line (see sheets.h). A name line opens a block; label
 * lines queue their fiscal year and kind; figures take the queued labels in order, else the
 * page's column header or title; a parenthesised figure without a label is the previous year's
 * budget. Any other text line closes the block, so a figure never reaches a far-off name. */
#include "sheets.h"

#include "amount.h"
#include "programs.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/utf8.h"
#include "shiryo/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    LINE_MAX_CPS = 300,   /* a longer line is prose, not a sheet line */
    LABELS_MAX = 8,       /* labels per line and in the queue */
    FIGURES_MAX = 8,      /* figures per line */
    YEAR_BACK_CPS = 12,   /* longest year expression before a kind word (平成三十一年度) */
    ROW_NAME_MAX_CPS = 40, /* an unsuffixed table row name (義務教育費国庫負担金) */
    EXPLICIT_NAME_MAX_CPS = 80, /* a name after 施策名: */
    TAG_MAX_CPS = 8             /* (新規), 【一部新規】 after a name */
};

#define YEAR_LATER (-1) /* a previous year whose base year comes later in the block */
#define OWNER_NONE (-1)
#define OWNER_TOTAL (-2) /* a total row: its figures belong to no program */

/* A body line as code points; spaces are kept, the compact view drops them. */
typedef struct line_view {
    const char *text;
    uint32_t n;            /* code points before a ※ note */
    uint32_t *cp, *off;    /* off[n] is the byte end */
    uint32_t nc;           /* compact code points */
    uint32_t *ccp, *corig; /* compact code point and its index in cp */
    size_t cap;
} line_view;

typedef struct label {
    int fy;          /* 0 when the label names no year */
    int rel_prev;    /* 前年度…: the year before the sheet's own year */
    const char *kind;
    uint32_t start, end; /* code points in the line */
    unsigned line;
    int used;
} label;

typedef struct figure {
    uint32_t start, end;
    long long yen;
    const char *unit;
    int paren, within;
} figure;

typedef struct reader {
    sheet_set *set;
    int title_fy;
    const char *title_kind;
    int scheme_fy;             /* the main column's year and kind (header or title) */
    const char *scheme_kind;
    long long table_unit;      /* bare figures' unit, 0 outside a table */
    const char *table_unit_name;
    int owner;
    int block_fy;              /* the last main figure's year in the block */
    label queue[LABELS_MAX];
    int nqueue;
    size_t cap_items;
} reader;

static int is_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }
static int is_open(uint32_t c) { return c == '(' || c == 0xFF08; }
static int is_close(uint32_t c) { return c == ')' || c == 0xFF09; }
/* Brackets that frame a label (【令和7年度予算案】) without making its figure a ( ) one. */
static int is_frame(uint32_t c)
{
    return c == 0x3010 || c == 0x3011 || c == '[' || c == ']' || c == 0xFF3B || c == 0xFF3D ||
           c == 0x3014 || c == 0x3015;
}
static int is_digit(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }
static int is_hiragana(uint32_t c) { return c >= 0x3041 && c <= 0x309F; }
static int is_kanji(uint32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || c == 0x3005; }
static int is_katakana(uint32_t c) { return c >= 0x30A1 && c <= 0x30FC; }

static int grow(uint32_t **a, size_t n)
{
    uint32_t *g = realloc(*a, n * sizeof *g);
    if (!g)
        return SH_ERR_NOMEM;
    *a = g;
    return SH_OK;
}

static int view_load(line_view *v, const page_line *pl)
{
    /* only LINE_MAX_CPS + 1 code points are read: a longer line is prose however long it is */
    size_t need = (pl->len < LINE_MAX_CPS + 1 ? pl->len : LINE_MAX_CPS + 1) + 1;
    if (need > v->cap) {
        if (grow(&v->cp, need) || grow(&v->off, need) || grow(&v->ccp, need) ||
            grow(&v->corig, need))
            return SH_ERR_NOMEM;
        v->cap = need;
    }
    v->text = pl->text;
    v->n = v->nc = 0;
    size_t i = 0;
    while (i < pl->len && v->n < need - 1) {
        unsigned c;
        size_t used = sh_utf8_next(pl->text, pl->len, i, &c);
        if (c == 0x203B) /* ※: a note follows (※()内は前年度当初予算額) */
            break;
        v->cp[v->n] = c;
        v->off[v->n] = (uint32_t)i;
        if (!is_space(c)) {
            v->ccp[v->nc] = c;
            v->corig[v->nc++] = v->n;
        }
        v->n++;
        i += used;
    }
    v->off[v->n] = (uint32_t)i;
    return SH_OK;
}

static void view_free(line_view *v)
{
    free(v->cp);
    free(v->off);
    free(v->ccp);
    free(v->corig);
}

/* Whether the compact view holds lit at compact index i. */
static int compact_has(const line_view *v, uint32_t i, const char *lit, uint32_t *after)
{
    uint32_t k = i;
    for (size_t j = 0, len = strlen(lit); j < len; k++) {
        unsigned c;
        j += sh_utf8_next(lit, len, j, &c);
        if (k >= v->nc || v->ccp[k] != c)
            return 0;
    }
    if (after)
        *after = k;
    return 1;
}

/* The end of numbering and bullets at the start of cp[from, n): (3), （３）, 3., ①, ・, ○. */
static uint32_t skip_numbering(const line_view *v, uint32_t s)
{
    for (int round = 0; round < 2; round++) {
        while (s < v->n && is_space(v->cp[s]))
            s++;
        if (s >= v->n)
            return s;
        uint32_t c = v->cp[s];
        if (is_open(c)) {
            uint32_t k = s + 1;
            while (k < v->n && k - s <= 3 && !is_close(v->cp[k]) &&
                   (is_digit(v->cp[k]) || amount_is_number_part(v->cp[k]) ||
                    (v->cp[k] | 0x20) - 'a' < 26u || is_katakana(v->cp[k])))
                k++;
            if (k > s + 1 && k < v->n && is_close(v->cp[k])) {
                s = k + 1;
                continue;
            }
            return s;
        }
        if (is_digit(c)) {
            uint32_t k = s;
            while (k < v->n && is_digit(v->cp[k]) && k - s < 3)
                k++;
            if (k < v->n && (v->cp[k] == '.' || v->cp[k] == 0xFF0E || is_close(v->cp[k])) &&
                !(k + 1 < v->n && is_digit(v->cp[k + 1]))) { /* 1. is numbering, 1.1兆円 not */
                s = k + 1;
                continue;
            }
            return s;
        }
        if ((c >= 0x2460 && c <= 0x2473) || c == 0x30FB || c == 0x25CB || c == 0x25CF ||
            c == 0x25EF || c == 0x25A0 || c == 0x25A1 || c == 0x25C6 || c == 0x25C7 || c == 0x2022) {
            s++;
            continue;
        }
        return s;
    }
    return s;
}

/* The compact index of code point index p (the first compact point at or after it). */
static uint32_t compact_at(const line_view *v, uint32_t p)
{
    uint32_t k = 0;
    while (k < v->nc && v->corig[k] < p)
        k++;
    return k;
}

/* A fiscal year written just before compact index e (令和7年度, 令和 7 年度): its year and
 * start, or 0. */
static int year_before(const line_view *v, uint32_t e, uint32_t *start)
{
    if (e < 3 || v->ccp[e - 2] != 0x5E74 || v->ccp[e - 1] != 0x5EA6) /* 年度 */
        return 0;
    size_t end = v->off[v->corig[e - 1] + 1];
    for (uint32_t c = e > YEAR_BACK_CPS ? e - YEAR_BACK_CPS : 0; c + 2 < e; c++) {
        size_t from = v->off[v->corig[c]];
        int year;
        size_t used;
        if (era_parse_year(v->text + from, end - from, &year, &used) && used == end - from) {
            *start = c;
            return year;
        }
    }
    return 0;
}

/* The compact text from compact index i as UTF-8 into buf (for kind words). */
static size_t compact_utf8(const line_view *v, uint32_t i, char *buf, size_t cap)
{
    size_t len = 0;
    for (uint32_t k = i; k < v->nc; k++) {
        size_t from = v->off[v->corig[k]], to = v->off[v->corig[k] + 1];
        if (len + (to - from) >= cap)
            break;
        memcpy(buf + len, v->text + from, to - from);
        len += to - from;
    }
    return len;
}

/* Budget labels of the line (令和7年度当初予算案, (前 年 度 予 算 額, 令和6年度補正予算額): a kind
 * word after the line start, a bracket, a numbering or a …年度, ending at a word boundary. */
static int find_labels(const line_view *v, unsigned lineno, label *out)
{
    int n = 0;
    for (uint32_t k = 0; k < v->nc && n < LABELS_MAX; k++) {
        uint32_t prev = k ? v->ccp[k - 1] : 0;
        if (k && !is_open(prev) && prev != 0x5EA6 /* 度 */ && !is_close(prev) && !is_frame(prev))
            continue;
        char buf[64];
        size_t len = compact_utf8(v, k, buf, sizeof buf), used;
        const char *kind = programs_kind_at(buf, len, &used);
        if (!kind)
            continue;
        uint32_t after = k;
        for (size_t b = 0; b < used; after++)
            b += v->off[v->corig[after] + 1] - v->off[v->corig[after]];
        uint32_t end = v->corig[after - 1] + 1; /* code point after the word */
        uint32_t next = end < v->n ? v->cp[end] : 0;
        if (next && !is_space(next) && !is_open(next) && !is_close(next) && !is_digit(next) &&
            !is_frame(next) && next != ':' && next != 0xFF1A)
            continue;
        label *l = &out[n++];
        memset(l, 0, sizeof *l);
        l->kind = kind;
        l->line = lineno;
        uint32_t s = k, ys;
        if (k >= 3 && compact_has(v, k - 3, "前年度", NULL)) {
            l->rel_prev = 1;
            s = k - 3;
        } else if ((l->fy = year_before(v, k, &ys)) != 0) {
            s = ys;
        }
        l->start = v->corig[s];
        l->end = end;
        k = after - 1;
    }
    return n;
}

/* Whether the figure ending at code point e goes on like a sheet figure: the end, a space, a
 * bracket (( ), 【】), another figure, or の内数 (prose such as 13億円を計上 does not). */
static int figure_tail(const line_view *v, uint32_t e, int *within)
{
    while (e < v->n && is_space(v->cp[e]))
        e++;
    if (e >= v->n || is_open(v->cp[e]) || is_close(v->cp[e]) || is_frame(v->cp[e]) ||
        is_digit(v->cp[e]))
        return 1;
    uint32_t k = v->cp[e] == 0x306E ? e + 1 : e; /* の */
    if (k + 1 < v->n && v->cp[k] == 0x5185 && v->cp[k + 1] == 0x6570) { /* 内数 */
        *within = 1;
        return 1;
    }
    return 0;
}

/* Figures of the line from code point s: amounts with their unit (17百万円, 7.7 億円, 十三億円),
 * and in a table with a table-wide unit bare figures standing alone (1,580,722,000). */
static int find_figures(const reader *r, const line_view *v, uint32_t s, figure *out)
{
    int n = 0;
    for (uint32_t k = s; k < v->n && n < FIGURES_MAX;) {
        uint32_t prev = k ? v->cp[k - 1] : 0, c = v->cp[k];
        if (!amount_may_start(prev, c) || (prev | 0x20) - 'a' < 26u) {
            k++;
            continue;
        }
        uint32_t p = k;
        while (p > 0 && is_space(v->cp[p - 1]))
            p--;
        uint32_t before = p ? v->cp[p - 1] : 0;
        figure f = {k, 0, 0, NULL, 0, 0};
        amount a;
        size_t bytes = v->off[v->n] - v->off[k];
        int ok = 0;
        if (before != ':' && before != 0xFF1A && amount_parse(v->text + v->off[k], bytes, &a)) {
            f.yen = a.yen;
            f.unit = a.unit;
            f.end = k;
            while (f.end < v->n && v->off[f.end] < v->off[k] + a.used)
                f.end++;
            ok = 1;
        } else if (r->table_unit && is_digit(c) && (!prev || is_space(prev) || is_open(prev) ||
                                                    is_close(prev))) {
            size_t used;
            if (amount_parse_bare(v->text + v->off[k], bytes, r->table_unit, &f.yen, &used)) {
                f.unit = r->table_unit_name;
                f.end = k;
                while (f.end < v->n && v->off[f.end] < v->off[k] + used)
                    f.end++;
                uint32_t next = f.end < v->n ? v->cp[f.end] : 0;
                ok = !next || is_space(next) || is_open(next) || is_close(next);
            }
        }
        if (ok && figure_tail(v, f.end, &f.within)) {
            uint32_t q = f.end;
            while (q < v->n && is_space(v->cp[q]))
                q++;
            f.paren = is_open(before) || (q < v->n && is_close(v->cp[q]));
            out[n++] = f;
            k = f.end;
            continue;
        }
        while (k < v->n && (amount_is_number_part(v->cp[k]) || k == f.start))
            k++;
    }
    return n;
}

/* Drops a short tag closing the name: がん対策推進事業(新規), …事業【拡充】, …事業（一部新規）. */
static void strip_tag(const line_view *v, uint32_t s, uint32_t *e)
{
    uint32_t c = *e > s ? v->cp[*e - 1] : 0;
    if (!is_close(c) && c != 0x3011)
        return;
    for (uint32_t k = *e - 1; k > s && *e - k <= TAG_MAX_CPS; k--)
        if ((is_close(c) && is_open(v->cp[k - 1])) || (c == 0x3011 && v->cp[k - 1] == 0x3010)) {
            *e = k - 1;
            while (*e > s && is_space(v->cp[*e - 1]))
                (*e)--;
            return;
        }
}

/* Whether [s, e) of the line is a program name: a name the inline reader would take
 * (…事業, …基金), or in a table with a table-wide unit a numbered row (1. 義務教育費国庫負担金). */
static int name_span(const reader *r, const line_view *v, uint32_t *s, uint32_t *e, int numbered)
{
    while (*s < *e && (is_space(v->cp[*s]) || v->cp[*s] == 0x300C || v->cp[*s] == 0x300E))
        (*s)++;
    while (*e > *s && (is_space(v->cp[*e - 1]) || v->cp[*e - 1] == 0x300D || v->cp[*e - 1] == 0x300F))
        (*e)--;
    if (*e <= *s)
        return 0;
    strip_tag(v, *s, e);
    if (programs_is_name(v->text + v->off[*s], v->off[*e] - v->off[*s]))
        return 1;
    if (!r->table_unit || !numbered || *e - *s > ROW_NAME_MAX_CPS)
        return 0;
    for (uint32_t k = *s; k < *e; k++) {
        uint32_t c = v->cp[k];
        if (!is_kanji(c) && !is_katakana(c) && c != 0x306E /* の */ && c != 0x30FB)
            return 0;
    }
    return 1;
}

/* The name after 施策名: needs no program ending (優れた医療機器の創出に係る…強化事業): short,
 * no sentence punctuation, 「」 dropped. */
static int explicit_ok(const line_view *v, uint32_t *s, uint32_t *e)
{
    while (*s < *e && (is_space(v->cp[*s]) || v->cp[*s] == 0x300C || v->cp[*s] == 0x300E))
        (*s)++;
    while (*e > *s && (is_space(v->cp[*e - 1]) || v->cp[*e - 1] == 0x300D || v->cp[*e - 1] == 0x300F))
        (*e)--;
    if (*e <= *s || *e - *s > EXPLICIT_NAME_MAX_CPS)
        return 0;
    for (uint32_t k = *s; k < *e; k++)
        if (v->cp[k] == 0x3001 || v->cp[k] == 0xFF0C || v->cp[k] == 0x3002)
            return 0;
    return 1;
}

/* A total row: 合計, 総計, 小計, 計 (not 計画). */
static int is_total(const line_view *v, uint32_t cs)
{
    static const char *const totals[] = {"合計", "総計", "小計", "累計", "総額"};
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++)
        if (compact_has(v, cs, totals[i], NULL))
            return 1;
    uint32_t after;
    if (compact_has(v, cs, "計", &after))
        return after >= v->nc || !(is_kanji(v->ccp[after]) || is_hiragana(v->ccp[after]) ||
                                   is_katakana(v->ccp[after]));
    return 0;
}

/* 施策名:X / 事業名:X: the code point where X starts, or 0. */
static uint32_t explicit_name(const line_view *v, uint32_t cs)
{
    static const char *const keys[] = {"施策名", "事業名", "事業の名称"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        uint32_t after;
        if (compact_has(v, cs, keys[i], &after) && after < v->nc &&
            (v->ccp[after] == ':' || v->ccp[after] == 0xFF1A) && after + 1 < v->nc)
            return v->corig[after + 1];
    }
    return 0;
}

/* The code point after the unit word at p (千円, 百万円), or 0 when none starts there. */
static uint32_t unit_at(const line_view *v, uint32_t p, long long *unit, const char **name)
{
    size_t used;
    *unit = amount_unit(v->text + v->off[p], v->off[v->n] - v->off[p], name, &used);
    if (!*unit)
        return 0;
    uint32_t e = p;
    while (e < v->n && v->off[e] < v->off[p] + used)
        e++;
    return e;
}

/* A table's unit: a token (単位:千円), (単位 百万円), 千円 or (千円) standing alone, not after
 * a number (500 千円 is an amount), also at the end of a header (( )内 前年度予算額 千円). Sets it and returns
 * 1 when the line holds nothing else, so that the caller moves on. */
static int table_unit_line(reader *r, const line_view *v)
{
    for (uint32_t p = 0; p < v->n; p++) {
        uint32_t prev = p ? v->cp[p - 1] : 0, b = p;
        if (p && !is_space(prev) && !is_open(prev) && !is_frame(prev))
            continue;
        while (b > 0 && is_space(v->cp[b - 1]))
            b--;
        if (b > 0 && (is_digit(v->cp[b - 1]) || amount_is_number_part(v->cp[b - 1])))
            continue; /* 500 千円 is an amount, not a unit */
        uint32_t k = p;
        while (k < v->n && (is_open(v->cp[k]) || is_frame(v->cp[k])))
            k++;
        int labelled = 0;
        if (k + 1 < v->n && v->cp[k] == 0x5358 && v->cp[k + 1] == 0x4F4D) { /* 単位 */
            k += 2;
            labelled = 1;
            while (k < v->n && (is_space(v->cp[k]) || v->cp[k] == ':' || v->cp[k] == 0xFF1A))
                k++;
        }
        long long unit;
        const char *name;
        uint32_t e = k < v->n ? unit_at(v, k, &unit, &name) : 0;
        if (!e || (e < v->n && !is_space(v->cp[e]) && !is_close(v->cp[e]) && !is_frame(v->cp[e])))
            continue;
        if (!labelled && e - k > 3)
            continue; /* a bare 百万円 or 千円, not 千億円 in a sentence */
        r->table_unit = unit;
        r->table_unit_name = name;
        for (uint32_t q = 0; q < v->n; q++) /* anything else on the line? */
            if ((q < p || q >= e) && !is_space(v->cp[q]) && !is_open(v->cp[q]) &&
                !is_close(v->cp[q]) && !is_frame(v->cp[q]))
                return 0;
        return 1;
    }
    return 0;
}

/* A previous-year figure read before the sheet's own year ((前年度予算額 44,550千円) above
 * 令和7年度要求額 85,485千円) waits with YEAR_LATER; the block's first year settles it, the
 * block's end leaves it unknown (0). */
static void settle_years(reader *r, int year)
{
    if (r->owner < 0)
        return;
    sheet_program *p = &r->set->items[r->owner];
    for (size_t i = 0; i < p->nbudgets; i++)
        if (p->budgets[i].fiscal_year == YEAR_LATER)
            p->budgets[i].fiscal_year = year;
}

static void end_block(reader *r)
{
    settle_years(r, 0);
    r->owner = OWNER_NONE;
    r->nqueue = 0;
    r->block_fy = 0;
}

static int add_program(reader *r, const line_view *v, uint32_t s, uint32_t e, unsigned lineno)
{
    sheet_set *set = r->set;
    end_block(r);
    if (set->n >= SHEETS_MAX_PROGRAMS)
        return SH_OK;
    sheet_program *grown = sh_array_grow(set->items, &r->cap_items, set->n + 1, sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    set->items = grown;
    sheet_program *p = &set->items[set->n];
    memset(p, 0, sizeof *p);
    if (!(p->name = strndup(v->text + v->off[s], v->off[e] - v->off[s])))
        return SH_ERR_NOMEM;
    p->name_line = lineno;
    r->owner = (int)set->n++;
    return SH_OK;
}

static void add_line(sheet_budget *b, unsigned line)
{
    size_t i = 0;
    while (i < b->nlines && b->lines[i] < line)
        i++;
    if ((i < b->nlines && b->lines[i] == line) || b->nlines >= SHEETS_MAX_LINES)
        return;
    memmove(&b->lines[i + 1], &b->lines[i], (b->nlines - i) * sizeof *b->lines);
    b->lines[i] = line;
    b->nlines++;
}

static int add_budget(sheet_program *p, const sheet_budget *b)
{
    if (p->nbudgets >= SHEETS_MAX_BUDGETS)
        return SH_OK;
    sheet_budget *grown = realloc(p->budgets, (p->nbudgets + 1) * sizeof *grown);
    if (!grown)
        return SH_ERR_NOMEM;
    p->budgets = grown;
    p->budgets[p->nbudgets++] = *b;
    return SH_OK;
}

/* The sheet's own year for a 前年度 label: another label's year, the block's, the header's,
 * the title's. */
static int context_year(const reader *r, const label *line_labels, int nl)
{
    for (int i = 0; i < nl; i++)
        if (line_labels[i].fy)
            return line_labels[i].fy;
    for (int i = 0; i < r->nqueue; i++)
        if (r->queue[i].fy)
            return r->queue[i].fy;
    if (r->block_fy)
        return r->block_fy;
    return r->scheme_fy ? r->scheme_fy : r->title_fy;
}

/* Gives each figure its label and program. pending collects figures that precede their
 * 施策名: line. */
static int assign(reader *r, const figure *f, int nf, label *ll, int nl, unsigned lineno,
                  sheet_budget *pending, int *npending, int to_pending)
{
    for (int i = 0; i < nf; i++) {
        const label *l = NULL;
        for (int j = nl - 1; j >= 0 && !l; j--) /* the nearest unused label before it */
            if (!ll[j].used && ll[j].end <= f[i].start) {
                ll[j].used = 1;
                l = &ll[j];
            }
        label from_queue;
        if (!l && r->nqueue > 0) {
            from_queue = r->queue[0];
            memmove(&r->queue[0], &r->queue[1], (size_t)(r->nqueue - 1) * sizeof *r->queue);
            r->nqueue--;
            l = &from_queue;
        }
        sheet_budget b;
        memset(&b, 0, sizeof b);
        b.amount_yen = f[i].yen;
        b.unit = f[i].unit;
        b.within = f[i].within;
        int main = 1;
        if (l) {
            b.kind = l->kind;
            if (l->rel_prev) {
                int base = context_year(r, ll, nl);
                b.fiscal_year = base ? base - 1 : YEAR_LATER;
                main = 0;
            } else {
                b.fiscal_year = l->fy ? l->fy : r->scheme_fy ? r->scheme_fy : r->title_fy;
            }
            add_line(&b, l->line);
        } else if (f[i].paren) { /* (46百万円): the previous year's initial budget */
            int base = r->block_fy ? r->block_fy : context_year(r, ll, nl);
            if (!base)
                continue; /* the year before what? (its main figure said nothing either) */
            b.kind = PROGRAM_KIND_BUDGET;
            b.fiscal_year = base - 1;
            main = 0;
        } else if (r->scheme_kind) {
            b.kind = r->scheme_kind;
            b.fiscal_year = r->scheme_fy;
        } else {
            continue; /* no label, header or title says what this figure is */
        }
        if (main && b.fiscal_year > 0) {
            r->block_fy = b.fiscal_year;
            settle_years(r, b.fiscal_year - 1);
        }
        add_line(&b, lineno);
        b.figure_line = lineno;
        if (to_pending) {
            if (*npending < FIGURES_MAX)
                pending[(*npending)++] = b;
        } else if (r->owner >= 0) {
            sheet_program *p = &r->set->items[r->owner];
            add_line(&b, p->name_line);
            if (add_budget(p, &b))
                return SH_ERR_NOMEM;
        }
    }
    return SH_OK;
}

/* Whether the next non-blank line after i is a 施策名: line. */
static int next_is_explicit(const page_line *lines, size_t nlines, size_t i, line_view *scratch)
{
    for (size_t k = i + 1; k < nlines; k++) {
        if (lines[k].len == 0)
            continue;
        if (view_load(scratch, &lines[k]))
            return 0;
        return explicit_name(scratch, compact_at(scratch, skip_numbering(scratch, 0))) != 0;
    }
    return 0;
}

static void title_context(reader *r, const char *title)
{
    era_match m;
    size_t len = strlen(title);
    if (era_find_fiscal_year(title, len, &m) && m.fiscal)
        r->title_fy = m.year;
    for (size_t i = 0; i < len && !r->title_kind;) {
        size_t used;
        const char *kind = programs_kind_at(title + i, len - i, &used);
        if (kind && strcmp(kind, PROGRAM_KIND_OTHER) != 0) {
            r->title_kind = kind;
            break;
        }
        unsigned c;
        i += sh_utf8_next(title, len, i, &c);
    }
    if (r->title_fy && r->title_kind) {
        r->scheme_fy = r->title_fy;
        r->scheme_kind = r->title_kind;
    }
}

static int read_line(reader *r, line_view *v, const page_line *lines, size_t nlines, size_t i,
                     line_view *scratch, sheet_budget *pending, int *npending)
{
    unsigned lineno = lines[i].lineno;
    if (v->nc == 0)
        return SH_OK;
    if (v->n > LINE_MAX_CPS) {
        end_block(r);
        return SH_OK;
    }
    for (uint32_t k = 0; k < v->n; k++)
        if (v->cp[k] == 0x3002 || v->cp[k] == 0xFF61) { /* 。: prose */
            end_block(r);
            *npending = 0;
            return SH_OK;
        }
    if (table_unit_line(r, v))
        return SH_OK;
    uint32_t first = 0;
    while (first < v->n && is_space(v->cp[first]))
        first++;
    uint32_t s = skip_numbering(v, first);
    int numbered = s > first;
    uint32_t cs = compact_at(v, s);
    if (cs < v->nc && is_total(v, cs)) {
        end_block(r);
        r->owner = OWNER_TOTAL;
        *npending = 0;
        return SH_OK;
    }
    uint32_t xs = explicit_name(v, cs);
    if (xs) {
        uint32_t e = v->n;
        if (!explicit_ok(v, &xs, &e)) {
            end_block(r);
            *npending = 0;
            return SH_OK;
        }
        int rc = add_program(r, v, xs, e, lineno);
        for (int k = 0; k < *npending && !rc && r->owner >= 0; k++) {
            sheet_program *p = &r->set->items[r->owner];
            add_line(&pending[k], p->name_line);
            rc = add_budget(p, &pending[k]);
        }
        *npending = 0;
        return rc;
    }
    label ll[LABELS_MAX];
    figure f[FIGURES_MAX];
    int nl = find_labels(v, lineno, ll);
    int nf = find_figures(r, v, s, f);
    uint32_t lead_end = v->n;
    if (nl && ll[0].start < lead_end)
        lead_end = ll[0].start;
    if (nf && f[0].start < lead_end)
        lead_end = f[0].start;
    uint32_t ls = s, le = lead_end;
    while (ls < le && (is_space(v->cp[ls]) || is_open(v->cp[ls]) || is_close(v->cp[ls]) ||
                       is_frame(v->cp[ls])))
        ls++;
    while (le > ls && (is_space(v->cp[le - 1]) || is_open(v->cp[le - 1]) ||
                       (is_frame(v->cp[le - 1]) && v->cp[le - 1] != 0x3011)))
        le--;
    if (ls < le) { /* text before any label or figure: a name, a header, or other text */
        if (!name_span(r, v, &ls, &le, numbered)) {
            for (int k = 0; k < nl && nf == 0; k++) /* a column header: 事項 令和7年度要求額 */
                if (!ll[k].rel_prev && ll[k].fy) {
                    r->scheme_fy = ll[k].fy;
                    r->scheme_kind = ll[k].kind;
                    break;
                }
            end_block(r);
            *npending = 0;
            return SH_OK;
        }
        int rc = add_program(r, v, ls, le, lineno);
        if (rc)
            return rc;
    }
    if (nf == 0) { /* labels for the figures of later lines */
        for (int k = 0; k < nl && r->nqueue < LABELS_MAX; k++) {
            r->queue[r->nqueue++] = ll[k];
            if (!ll[k].rel_prev && ll[k].fy) {
                r->scheme_fy = ll[k].fy;
                r->scheme_kind = ll[k].kind;
            }
        }
        return SH_OK;
    }
    if (r->owner == OWNER_TOTAL)
        return SH_OK;
    int to_pending = next_is_explicit(lines, nlines, i, scratch);
    if (!to_pending && r->owner < 0)
        return SH_OK;
    return assign(r, f, nf, ll, nl, lineno, pending, npending, to_pending);
}

int sheets_extract(const char *title, const page_line *lines, size_t nlines, sheet_set **out,
                   char **errmsg)
{
    *out = NULL;
    reader r;
    memset(&r, 0, sizeof r);
    r.owner = OWNER_NONE;
    if (!(r.set = calloc(1, sizeof *r.set)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    title_context(&r, title ? title : "");
    line_view v, scratch;
    memset(&v, 0, sizeof v);
    memset(&scratch, 0, sizeof scratch);
    sheet_budget pending[FIGURES_MAX];
    int npending = 0, rc = SH_OK;
    for (size_t i = 0; i < nlines && !rc; i++) {
        if (lines[i].len == 0)
            continue;
        rc = view_load(&v, &lines[i]);
        if (!rc)
            rc = read_line(&r, &v, lines, nlines, i, &scratch, pending, &npending);
    }
    end_block(&r); /* settles the last block's years */
    view_free(&v);
    view_free(&scratch);
    if (rc) {
        sheet_set_destroy(r.set);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    /* keep only names that carry budget lines */
    size_t kept = 0;
    for (size_t i = 0; i < r.set->n; i++) {
        if (r.set->items[i].nbudgets)
            r.set->items[kept++] = r.set->items[i];
        else
            free(r.set->items[i].name);
    }
    r.set->n = kept;
    *out = r.set;
    return SH_OK;
}

void sheet_set_destroy(sheet_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->items[i].name);
        free(set->items[i].budgets);
    }
    free(set->items);
    free(set);
}
