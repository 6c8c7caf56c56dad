/* columns_frag.c — what the layout reads off a piece of a line: character classes, fragment
 * features (width, bullets, sentence ends, tags, brackets, tense, kind) and each body line's
 * candidate splits at column-break spaces. */
#include "columns_int.h"

#include "amount.h"
#include "shiryo/buf.h"
#include "shiryo/era.h"
#include "shiryo/ministry.h"
#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <stdlib.h>
#include <string.h>

#define OPTIONAL_SPACES_MAX 4     /* Latin-adjacent spaces tried both ways per line */

unsigned colfrag_cp_before(const char *s, size_t end)
{
    unsigned cp;
    sh_utf8_prev(s, end, &cp);
    return cp;
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
    size_t n = sh_utf8_next(s, len, 0, &cp);
    int paren = cp == '(' || cp == 0xFF08;
    if (paren)
        i = n;
    size_t digits = 0;
    while (i < len && digits < 3) {
        n = sh_utf8_next(s, len, i, &cp);
        if (amount_digit_value(cp) < 0)
            break;
        i += n;
        digits++;
    }
    if (digits == 0 || i >= len)
        return 0;
    sh_utf8_next(s, len, i, &cp);
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

int colfrag_contains(const char *s, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(s + i, needle, nl) == 0)
            return 1;
    return 0;
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
            i += sh_utf8_next(s, len, i, &cp);
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
    if (amount_is_cell(s, len))
        return KIND_AMOUNT;
    if (is_ministry_list(s, len))
        return KIND_MINISTRY;
    if (width <= 28 && !colfrag_contains(s, len, "。"))
        return KIND_PHRASE;
    return KIND_TEXT;
}

/* First fiscal year of a budget written in s (令和7年度予算, R7年度補正予算, 2025年度概算要求),
 * 0 when none. Only budgets: a plan may well say 令和6年度の取組に加え about the year before. */
static int first_budget_year(const char *s, size_t len)
{
    era_match em;
    size_t at = 0;
    while (at < len && era_find_year(s + at, len - at, &em)) {
        size_t end = at + em.start + em.len, used;
        if (em.fiscal && amount_word_at(s + end, len - end, AMOUNT_USE_OF_YEAR, &used))
            return em.year;
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

void colfrag_measure(const char *line, size_t off, size_t len, col_fraginfo *f)
{
    const char *s = line + off;
    memset(f, 0, sizeof *f);
    f->off = off;
    f->len = len;
    int width = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += sh_utf8_next(s, len, i, &cp);
        width += char_width(cp);
    }
    f->width = width;
    if (len == 0)
        return;
    {
        /* Japanese typesetting hangs a line-final 、or 。 into the margin (burasage): it does not
         * count toward the column's width */
        unsigned last = colfrag_cp_before(s, len);
        if ((last == 0x3001 || last == 0x3002 || last == 0xFF0C || last == 0xFF0E) && width > 2)
            f->width -= 2;
    }
    sh_utf8_next(s, len, 0, &f->head);
    f->tail = colfrag_cp_before(s, len);
    {
        size_t i = 0;
        for (int k = 0; k < 3 && i < len; k++)
            i += sh_utf8_next(s, len, i, &f->head3[k]);
        size_t end = len;
        for (int k = 0; k < 3 && end > 0; k++) {
            end -= sh_utf8_prev(s, end, &f->tail3[k]);
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
        end -= sh_utf8_prev(s, end, &last); /* step over the bracket */
        last = colfrag_cp_before(s, end);
    }
    f->terminal = f->tag || is_sentence_end(last);
    f->open_end = is_open_end(f->tail);
    /* Bracket balance (「」『』（）()): a fragment that closes what it never opened continues a
     * column that left a bracket open, a strong sign across interleaved lines. */
    {
        int depth = 0, need = 0;
        for (size_t i = 0; i < len;) {
            unsigned cp;
            i += sh_utf8_next(s, len, i, &cp);
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
    f->plan_budget = (unsigned char)amount_has_word(s, len, AMOUNT_USE_REQUEST);
    {
        int fy = first_budget_year(s, len);
        f->fiscal_year = (short)(fy > 0 && fy < 10000 ? fy : 0);
    }
    f->kind = (unsigned char)fragment_kind(s, len, width);
    f->opener = (unsigned char)starts_with_opener(s, len);
    f->latin_end = (unsigned char)is_ascii_alnum(f->tail);
}

struct col_space {
    size_t pos;      /* byte offset of the space */
    int cls;         /* SP_LATIN, SP_OPTIONAL, SP_BREAK */
    int on;          /* default reading: 1 = column break */
    int strength;    /* how surely it is a break, for forced merges */
};
typedef struct col_space space_info;

enum { SP_LATIN = 0, SP_OPTIONAL, SP_BREAK };

/* Classifies the single spaces of a line that may separate columns. */
/* Does the token at byte `from` (up to the next space) hold an amount cell (13億円の内数) or
 * begin with an amount (8.8億円)を通じて, a budget broken across lines)? */
static int token_is_amount(const char *s, size_t len, size_t from)
{
    size_t end = from;
    while (end < len && s[end] != ' ')
        end++;
    return amount_is_cell(s + from, end - from) || amount_cell_prefix(s + from, end - from) > 0;
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
        unsigned a = colfrag_cp_before(s, i), b;
        sh_utf8_next(s, len, i + 1, &b);
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

static int push_option(col_analysis *a, const page_line *line, const space_info *spaces,
                       size_t nspaces, const unsigned char *on, int flip)
{
    size_t k = 1;
    for (size_t i = 0; i < nspaces; i++)
        k += on[i];
    col_fraginfo *frags = sh_array_grow(a->frags, &a->frags_cap, a->nfrags + k, sizeof *frags);
    if (!frags)
        return SH_ERR_NOMEM;
    a->frags = frags;
    col_segopt *opts = sh_array_grow(a->opts, &a->opts_cap, a->nopts + 1, sizeof *opts);
    if (!opts)
        return SH_ERR_NOMEM;
    a->opts = opts;
    col_segopt *o = &a->opts[a->nopts++];
    o->first = a->nfrags;
    o->k = (int)k;
    o->flip = flip;
    size_t start = 0;
    for (size_t i = 0; i < nspaces; i++) {
        if (!on[i])
            continue;
        colfrag_measure(line->text, start, spaces[i].pos - start, &a->frags[a->nfrags++]);
        start = spaces[i].pos + 1;
    }
    colfrag_measure(line->text, start, line->len - start, &a->frags[a->nfrags++]);
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
int colfrag_analyse_line(col_analysis *a, size_t li, col_scratch *scratch)
{
    space_info **spaces = &scratch->spaces;
    size_t *spaces_cap = &scratch->spaces_cap;
    unsigned char **on = &scratch->on;
    size_t *on_cap = &scratch->on_cap;
    const page_line *line = &a->body->lines[li];
    col_lineinfo *info = &a->lines[li];
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

void colfrag_scratch_free(col_scratch *scratch)
{
    free(scratch->spaces);
    free(scratch->on);
}

int colfrag_is_section_line(const page_line *line)
{
    return line->len >= 6 && memcmp(line->text, "【", 3) == 0 &&
           memcmp(line->text + line->len - 3, "】", 3) == 0;
}

