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

int sh_norm_text(sh_norm *norm, const char *text, size_t len, sh_normtext *out, char **errmsg)
{
    out->len = 0;
    out->ncp = 0;
    out->src_ncp = 0;
    if (len > INT32_MAX / 4)
        return sh_fail(errmsg, SH_ERR_RANGE, "text too long to normalize (%zu bytes)", len);
    if (!sh_utf8_valid(text, len))
        return sh_fail(errmsg, SH_ERR_INVALID, "text is not valid UTF-8");
    if (grow((void **)&norm->in16, &norm->in16_cap, len + 1, sizeof(UChar)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(norm->in16, (int32_t)norm->in16_cap, &n16, text, (int32_t)len, &st);
    if (U_FAILURE(st))
        return sh_fail(errmsg, SH_ERR_INVALID, "ICU cannot read the text: %s", u_errorName(st));
    fold_radical_supplement(norm->in16, n16);
    const UChar *s = norm->in16;
    int32_t i = 0;
    uint32_t src_cp = 0; /* original code point index of s[i] */
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
    if (normtext_reserve(out, 0, 0))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    out->text[out->len] = '\0';
    out->cp_byte[out->ncp] = (uint32_t)out->len;
    out->src_ncp = src_cp;
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

int sh_norm_plain(sh_norm *norm, const char *text, size_t len, sh_normtext *out, char **errmsg)
{
    out->ncp = 0;
    out->src_ncp = 0;
    out->len = 0;
    return normalize_whole(norm, norm->nfkc_cf, 1, text, len, &out->text, &out->cap_bytes,
                           &out->len, errmsg);
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
