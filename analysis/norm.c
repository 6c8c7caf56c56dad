/* norm.c — ICU NFKC_Casefold normalization with an offset map back to the original text.
 * The map is what keeps highlights and file:line references exact when NFKC changes lengths. */
#include "shiryo/norm.h"

#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

struct sh_norm {
    const UNormalizer2 *nfkc_cf;  /* owned by ICU; never closed */
    const UNormalizer2 *nfkc;     /* display forms (no case folding); owned by ICU */
    UChar *in16;                  /* scratch: the input in UTF-16 */
    size_t in16_cap;
    UChar *chunk16;               /* scratch: one normalized chunk */
    size_t chunk16_cap;
    char *plain8;                 /* scratch: one normalized chunk in UTF-8 (sh_norm_plain) */
    size_t plain8_cap;
};

int sh_norm_open(sh_norm **out, char **errmsg)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status))
        return sh_fail(errmsg, SH_ERR, "ICU: cannot load the NFKC_Casefold normalizer: %s",
                       u_errorName(status));
    sh_norm *norm = calloc(1, sizeof *norm);
    if (!norm)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    norm->nfkc_cf = n;
    norm->nfkc = unorm2_getNFKCInstance(&status);
    if (U_FAILURE(status)) {
        free(norm);
        return sh_fail(errmsg, SH_ERR, "ICU: cannot load the NFKC normalizer: %s",
                       u_errorName(status));
    }
    *out = norm;
    return SH_OK;
}

void sh_norm_close(sh_norm *norm)
{
    if (!norm)
        return;
    free(norm->in16);
    free(norm->chunk16);
    free(norm->plain8);
    free(norm);
}

void sh_normtext_free(sh_normtext *nt)
{
    if (!nt)
        return;
    free(nt->text);
    free(nt->cp_byte);
    free(nt->src_start);
    free(nt->src_end);
    memset(nt, 0, sizeof *nt);
}

const char *sh_norm_icu_version(void) { return U_ICU_VERSION; }

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return SH_OK;
    size_t c = *cap ? *cap : 256;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return SH_ERR_NOMEM;
    *p = q;
    *cap = c;
    return SH_OK;
}

/* Ensures room for `bytes` more UTF-8 bytes and `cps` more code points in out. */
static int normtext_reserve(sh_normtext *out, size_t bytes, size_t cps)
{
    size_t need_b = out->len + bytes + 1, need_c = out->ncp + cps + 1;
    if (need_b > out->cap_bytes) {
        size_t cap = out->cap_bytes;
        if (grow((void **)&out->text, &cap, need_b, 1))
            return SH_ERR_NOMEM;
        out->cap_bytes = cap;
    }
    if (need_c > out->cap_cps) {
        size_t cap = out->cap_cps, c1 = cap, c2 = cap;
        if (grow((void **)&out->cp_byte, &c1, need_c, sizeof(uint32_t)) ||
            grow((void **)&out->src_start, &cap, need_c, sizeof(uint32_t)) ||
            grow((void **)&out->src_end, &c2, need_c, sizeof(uint32_t)))
            return SH_ERR_NOMEM;
        out->cap_cps = cap;
    }
    return SH_OK;
}

/* Appends UTF-16 units [s, s+n) to out as UTF-8, every code point mapped to [src_a, src_b). */
static int append16(sh_normtext *out, const UChar *s, int32_t n, uint32_t src_a, uint32_t src_b)
{
    if (normtext_reserve(out, (size_t)n * 3, (size_t)n))
        return SH_ERR_NOMEM;
    int32_t i = 0;
    while (i < n) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (c < 0 || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD; /* lone surrogate: cannot come from valid UTF-8, but never emit one */
        size_t k = sh_utf8_encode((uint32_t)c, out->text + out->len);
        out->cp_byte[out->ncp] = (uint32_t)out->len;
        out->src_start[out->ncp] = src_a;
        out->src_end[out->ncp] = src_b;
        out->ncp++;
        out->len += k;
    }
    return SH_OK;
}

/* CJK Radicals Supplement characters that stand for a whole kanji: PDF text from CID fonts
 * decodes 長 as ⻑ (U+2ED1) and the like. NFKC folds the Kangxi radicals (⽇ U+2F47 → 日) but
 * not these, so they are mapped here, one UTF-16 unit for one (offsets stay exact). Radicals
 * that are only components (⺡ 氵, ⻌ 辶) and simplified Chinese forms are left alone. */
static void fold_radical_supplement(UChar *s, int32_t n)
{
    static const struct { UChar from, to; } map[] = {
        {0x2E92, 0x5DF3}, {0x2E93, 0x5E7A}, {0x2E99, 0x6535}, {0x2E9D, 0x6708}, {0x2EA0, 0x6C11},
        {0x2EA9, 0x738B}, {0x2EAC, 0x793A}, {0x2EAF, 0x7CF8}, {0x2EBB, 0x807F}, {0x2EC1, 0x864E},
        {0x2EC4, 0x897F}, {0x2EC6, 0x89D2}, {0x2ED1, 0x9577}, {0x2ED7, 0x96E8}, {0x2ED8, 0x9752},
        {0x2EDD, 0x98DF}, {0x2EE3, 0x9AA8}, {0x2EE4, 0x9B3C}, {0x2EE8, 0x9EA6}, {0x2EE9, 0x9EC4},
        {0x2EEB, 0x6589}, {0x2EED, 0x6B6F}, {0x2EEF, 0x7ADC}, {0x2EF1, 0x9F9C}, {0x2EF2, 0x4E80},
    };
    for (int32_t i = 0; i < n; i++) {
        if (s[i] < 0x2E80 || s[i] > 0x2EFF)
            continue;
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (map[k].from == s[i]) {
                s[i] = map[k].to;
                break;
            }
    }
}

/* See sh_norm_inert (norm.h). */
static inline int inert(uint32_t c)
{
    if (c < 0x80)
        return (c >= 0x20 && c < 0x7F && !(c >= 'A' && c <= 'Z')) || c == '\n' || c == '\t';
    return (c >= 0x4E00 && c <= 0x9FFF) ||  /* CJK unified ideographs */
           (c >= 0x3041 && c <= 0x3096) ||  /* hiragana (not the combining marks 3099, 309A) */
           (c >= 0x30A1 && c <= 0x30FA) ||  /* katakana */
           c == 0x30FC ||                   /* ー */
           (c >= 0x3001 && c <= 0x3003) ||  /* 、。〃 */
           (c >= 0x3005 && c <= 0x3007) ||  /* 々〆〇 */
           (c >= 0x3008 && c <= 0x3011) ||  /* 〈〉《》「」『』【】 */
           (c >= 0x3400 && c <= 0x4DBF);    /* CJK extension A */
}

int sh_norm_inert(uint32_t c) { return inert(c); }

/* Full-width ASCII (U+FF01..FF5E) and the ideographic space: NFKC_Casefold makes each one ASCII
 * byte (lower case for letters), with a boundary before it. When the code point after it has a
 * boundary too (inert or another of these, or the end), that byte is the whole result, without
 * ICU: in law and government text these (（）１２３) are most of what is not inert. Returns the
 * byte, or 0 for any other code point. test_norm checks each against ICU. */
static inline char simple_byte(uint32_t c)
{
    if (c == 0x3000)
        return ' ';
    if (c < 0xFF01 || c > 0xFF5E)
        return 0;
    char b = (char)(c - 0xFEE0);
    return b >= 'A' && b <= 'Z' ? (char)(b - 'A' + 'a') : b;
}

char sh_norm_simple_byte(uint32_t c) { return simple_byte(c); }

/* Whether the code point at byte i (or the end of the text) has a boundary before it that
 * inert() or simple_byte() can vouch for. */
static inline int boundary_at(const char *text, size_t len, size_t i)
{
    uint32_t c;
    if (i >= len)
        return 1;
    size_t k = sh_utf8_scan(text, len, i, &c);
    return k && (inert(c) || simple_byte(c));
}

/* The end of the chunk that ICU must see when the code point at byte i is not inert: the
 * start of the next inert code point (which has a boundary before it), or len; 0 when the
 * bytes on the way are not well-formed UTF-8. */
static size_t chunk_end(const char *text, size_t len, size_t i)
{
    uint32_t c;
    while (i < len) {
        size_t k = sh_utf8_scan(text, len, i, &c);
        if (!k)
            return 0;
        if (inert(c))
            break;
        i += k;
    }
    return i;
}

/* Where a chunk that ICU must see starts, given the first code point at byte i that is not
 * inert and the start of the current inert run: the code point before i (it may compose with
 * what follows: か + U+3099), unless i opens the run. */
static size_t chunk_start(const char *text, size_t run, size_t i)
{
    return i > run ? sh_utf8_char_start(text, i - 1) : i;
}

/* The chunk's UTF-8 in norm->in16 as UTF-16 (*n16 units), radical supplements folded. */
static int chunk_to16(sh_norm *norm, const char *text, size_t len, int32_t *n16, char **errmsg)
{
    if (grow((void **)&norm->in16, &norm->in16_cap, len + 1, sizeof(UChar)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(norm->in16, (int32_t)norm->in16_cap, n16, text, (int32_t)len, &st);
    if (U_FAILURE(st))
        return sh_fail(errmsg, SH_ERR_INVALID, "ICU cannot read the text: %s", u_errorName(st));
    fold_radical_supplement(norm->in16, *n16);
    return SH_OK;
}

/* Normalizes the UTF-16 chunk s[0..n16) into out, mapping each normalized code point back to
 * the original code points from *src_cp on (advanced past the chunk). */
static int map_chunk16(sh_norm *norm, const UChar *s, int32_t n16, sh_normtext *out,
                       uint32_t *src_cp_io, char **errmsg)
{
    UErrorCode st;
    int32_t i = 0;
    uint32_t src_cp = *src_cp_io; /* original code point index of s[i] */
    while (i < n16) {
        /* Fast path: the longest prefix already in normal form maps one to one. */
        st = U_ZERO_ERROR;
        int32_t yes = unorm2_spanQuickCheckYes(norm->nfkc_cf, s + i, n16 - i, &st);
        if (U_FAILURE(st))
            return sh_fail(errmsg, SH_ERR, "ICU normalization failed: %s", u_errorName(st));
        int32_t j = i;
        while (j < i + yes) {
            int32_t start = j;
            UChar32 c;
            U16_NEXT(s, j, n16, c);
            (void)c;
            if (append16(out, s + start, j - start, src_cp, src_cp + 1))
                return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            src_cp++;
        }
        i = j;
        if (i >= n16)
            break;
        /* Slow path: one chunk up to the next normalization boundary, normalized as a unit. */
        int32_t k = i;
        uint32_t chunk_cps = 0;
        do {
            UChar32 c;
            U16_NEXT(s, k, n16, c);
            chunk_cps++;
            if (k >= n16)
                break;
            UChar32 next;
            int32_t peek = k;
            U16_NEXT(s, peek, n16, next);
            if (unorm2_hasBoundaryBefore(norm->nfkc_cf, next))
                break;
        } while (1);
        int32_t need = (k - i) * 18 + 16; /* NFKC expansion is bounded (×18 per UAX #15) */
        if (grow((void **)&norm->chunk16, &norm->chunk16_cap, (size_t)need, sizeof(UChar)))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        st = U_ZERO_ERROR;
        int32_t m = unorm2_normalize(norm->nfkc_cf, s + i, k - i, norm->chunk16,
                                     (int32_t)norm->chunk16_cap, &st);
        if (U_FAILURE(st))
            return sh_fail(errmsg, SH_ERR, "ICU normalization failed: %s", u_errorName(st));
        if (append16(out, norm->chunk16, m, src_cp, src_cp + chunk_cps))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        src_cp += chunk_cps;
        i = k;
    }
    *src_cp_io = src_cp;
    return SH_OK;
}

/* Appends the inert bytes text[a..b) to out, each code point mapped to itself. */
static int append_inert(sh_normtext *out, const char *text, size_t a, size_t b, uint32_t *src_cp)
{
    if (normtext_reserve(out, b - a, b - a))
        return SH_ERR_NOMEM;
    memcpy(out->text + out->len, text + a, b - a);
    for (size_t i = a; i < b; i++) {
        if (sh_utf8_is_continuation((unsigned char)text[i]))
            continue;
        out->cp_byte[out->ncp] = (uint32_t)(out->len + (i - a));
        out->src_start[out->ncp] = *src_cp;
        out->src_end[out->ncp] = *src_cp + 1;
        out->ncp++;
        (*src_cp)++;
    }
    out->len += b - a;
    return SH_OK;
}

int sh_norm_string(sh_norm *norm, const char *text, size_t len, char **out, char **errmsg)
{
    sh_normtext nt = {0};
    int rc = sh_norm_text(norm, text, len, &nt, errmsg);
    if (rc) {
        sh_normtext_free(&nt);
        return rc;
    }
    *out = nt.text;
    nt.text = NULL;
    sh_normtext_free(&nt);
    return SH_OK;
}

/* Normalizes the whole text with n2 into a buffer of *cap bytes at *buf (grown as needed);
 * *out_len gets the UTF-8 length. Same result as chunk by chunk: ICU normalizes up to
 * boundaries either way. */
static int normalize_whole(sh_norm *norm, const UNormalizer2 *n2, int radicals, const char *text,
                           size_t len, char **buf, size_t *cap, size_t *out_len, char **errmsg)
{
    if (len > INT32_MAX / 18)
        return sh_fail(errmsg, SH_ERR_RANGE, "text too long to normalize (%zu bytes)", len);
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    if (grow((void **)&norm->in16, &norm->in16_cap, len + 1, sizeof(UChar)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    /* Strict: invalid UTF-8 is an error here, as sh_utf8_valid would say. */
    u_strFromUTF8(norm->in16, (int32_t)norm->in16_cap, &n16, text, (int32_t)len, &st);
    if (U_FAILURE(st))
        return sh_fail(errmsg, SH_ERR_INVALID, "text is not valid UTF-8");
    if (radicals) /* as sh_norm_text does */
        fold_radical_supplement(norm->in16, n16);
    size_t need = (size_t)n16 * 18 + 16;
    if (grow((void **)&norm->chunk16, &norm->chunk16_cap, need, sizeof(UChar)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    int32_t m = unorm2_normalize(n2, norm->in16, n16, norm->chunk16, (int32_t)norm->chunk16_cap,
                                 &st);
    int32_t n8 = 0;
    if (U_SUCCESS(st) && grow((void **)buf, cap, (size_t)m * 3 + 1, 1))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (U_SUCCESS(st))
        u_strToUTF8(*buf, m * 3 + 1, &n8, norm->chunk16, m, &st);
    if (U_FAILURE(st))
        return sh_fail(errmsg, SH_ERR, "ICU normalization failed: %s", u_errorName(st));
    (*buf)[n8] = '\0';
    *out_len = (size_t)n8;
    return SH_OK;
}

/* The end of the run of inert code points from byte i: the loop most of a text goes through,
 * so the common cases (ASCII, kanji, kana) are told from the bytes, without calls. */
static size_t inert_span(const char *text, size_t len, size_t i)
{
    const unsigned char *p = (const unsigned char *)text;
    while (i < len) {
        unsigned b = p[i];
        if (b < 0x80) {
            if ((b >= 0x20 && b < 0x7F && !(b >= 'A' && b <= 'Z')) || b == '\n' || b == '\t') {
                i++;
                continue;
            }
            break;
        }
        if (len - i < 3 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
            break;
        if (b >= 0xE5 && b <= 0xE9) { /* U+5000..9FFF: kanji */
            i += 3;
            continue;
        }
        if (b != 0xE3 && b != 0xE4)
            break;
        uint32_t c = (uint32_t)(b & 0x0F) << 12 | (uint32_t)(p[i + 1] & 0x3F) << 6 |
                     (uint32_t)(p[i + 2] & 0x3F);
        if (!inert(c))
            break;
        i += 3;
    }
    return i;
}

/* Appends text[a..b) to out->text as it is (no offset map). */
static int append_bytes(sh_normtext *out, const char *text, size_t a, size_t b)
{
    size_t cap = out->cap_bytes;
    if (grow((void **)&out->text, &cap, out->len + (b - a) + 1, 1))
        return SH_ERR_NOMEM;
    out->cap_bytes = cap;
    memcpy(out->text + out->len, text + a, b - a);
    out->len += b - a;
    return SH_OK;
}

/* Appends the inert text[a..b) to out: with the offset map (each code point mapped to itself,
 * from *src_cp on), or as bytes. */
static int put_inert(sh_normtext *out, const char *text, size_t a, size_t b, int mapped,
                     uint32_t *src_cp)
{
    return mapped ? append_inert(out, text, a, b, src_cp) : append_bytes(out, text, a, b);
}

/* Appends the byte a simple code point (simple_byte) becomes, mapped to that code point. */
static int put_simple(sh_normtext *out, char byte, int mapped, uint32_t *src_cp)
{
    if (!mapped)
        return append_bytes(out, &byte, 0, 1);
    if (normtext_reserve(out, 1, 1))
        return SH_ERR_NOMEM;
    out->cp_byte[out->ncp] = (uint32_t)out->len;
    out->src_start[out->ncp] = *src_cp;
    out->src_end[out->ncp] = ++*src_cp;
    out->ncp++;
    out->text[out->len++] = byte;
    return SH_OK;
}

/* Normalizes text[a..b), a chunk between boundaries, with ICU into out. */
static int put_chunk(sh_norm *norm, sh_normtext *out, const char *text, size_t a, size_t b,
                     int mapped, uint32_t *src_cp, char **errmsg)
{
    if (mapped) {
        int32_t n16 = 0;
        int rc = chunk_to16(norm, text + a, b - a, &n16, errmsg);
        return rc ? rc : map_chunk16(norm, norm->in16, n16, out, src_cp, errmsg);
    }
    size_t n8 = 0;
    int rc = normalize_whole(norm, norm->nfkc_cf, 1, text + a, b - a, &norm->plain8,
                             &norm->plain8_cap, &n8, errmsg);
    if (!rc && append_bytes(out, norm->plain8, 0, n8))
        rc = sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    return rc;
}

/* sh_norm_text (mapped) and sh_norm_plain. Inert code points (sh_norm_inert: most of a Japanese
 * text) are copied as they are, simple ones (simple_byte) become their byte, and ICU sees only
 * the chunks between: the text is not converted to UTF-16 and back as a whole, which was most
 * of the normalization's cost (a proven candidate: 48 -> 38 M instructions for --all --count
 * エネルギー on 200 MB). Same result as ICU on the whole text: every piece starts and ends at a
 * normalization boundary (test_norm compares on random texts). */
static int normalize(sh_norm *norm, const char *text, size_t len, sh_normtext *out, int mapped,
                     char **errmsg)
{
    out->len = 0;
    out->ncp = 0;
    out->src_ncp = 0;
    if (len > INT32_MAX / (mapped ? 4 : 18)) /* as before chunks: the limits users have met */
        return sh_fail(errmsg, SH_ERR_RANGE, "text too long to normalize (%zu bytes)", len);
    uint32_t src_cp = 0;
    size_t run = 0, i = 0;
    while ((i = inert_span(text, len, i)) < len) { /* i: not inert, or not well-formed */
        uint32_t c;
        size_t k = sh_utf8_scan(text, len, i, &c);
        char simple = k ? simple_byte(c) : 0;
        if (simple && boundary_at(text, len, i + k)) {
            if (put_inert(out, text, run, i, mapped, &src_cp) ||
                put_simple(out, simple, mapped, &src_cp))
                return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
            run = i = i + k;
            continue;
        }
        size_t a = chunk_start(text, run, i), b = k ? chunk_end(text, len, i) : 0;
        if (!b)
            return sh_fail(errmsg, SH_ERR_INVALID, "text is not valid UTF-8");
        if (put_inert(out, text, run, a, mapped, &src_cp))
            return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
        int rc = put_chunk(norm, out, text, a, b, mapped, &src_cp, errmsg);
        if (rc)
            return rc;
        run = i = b;
    }
    if (put_inert(out, text, run, len, mapped, &src_cp) ||
        (mapped ? normtext_reserve(out, 0, 0) : append_bytes(out, "", 0, 0)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    out->text[out->len] = '\0';
    if (mapped) {
        out->cp_byte[out->ncp] = (uint32_t)out->len;
        out->src_ncp = src_cp;
    } else {
        out->ncp = 0;
    }
    return SH_OK;
}

int sh_norm_text(sh_norm *norm, const char *text, size_t len, sh_normtext *out, char **errmsg)
{
    return normalize(norm, text, len, out, 1, errmsg);
}

int sh_norm_plain(sh_norm *norm, const char *text, size_t len, sh_normtext *out, char **errmsg)
{
    return normalize(norm, text, len, out, 0, errmsg);
}

int sh_norm_display(sh_norm *norm, const char *text, size_t len, char **out, char **errmsg)
{
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!sh_utf8_valid(text, len))
        return sh_fail(errmsg, SH_ERR_INVALID, "text is not valid UTF-8");
    int rc = normalize_whole(norm, norm->nfkc, 0, text, len, &buf, &cap, &n, errmsg);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    return SH_OK;
}
