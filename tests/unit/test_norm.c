/* test_norm.c — ICU normalization: NFKC + case folding, and the offset map back to the
 * original code points (what highlights rely on). */
#include "check.h"

#include "shiryo/norm.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

static char *norm(sh_norm *n, const char *s)
{
    char *out = NULL;
    if (sh_norm_string(n, s, strlen(s), &out, NULL) != SH_OK)
        return NULL;
    return out;
}

#define CHECK_NORM(n, in, want)                \
    do {                                       \
        char *got_ = norm(n, in);              \
        CHECK_STR(got_, want);                 \
        free(got_);                            \
    } while (0)

/* REQUIRE for a function without a result: the check fails and the function returns. */
#define REQUIRE_V(c)       \
    do {                  \
        if (!(c)) {       \
            CHECK(c);     \
            return;       \
        }                 \
    } while (0)

/* ICU's NFKC_Casefold of the whole text at once, as UTF-8 (malloc'd): the reference that
 * sh_norm_text and sh_norm_plain, which hand ICU only the chunks between inert code points,
 * must match. */
static char *icu_whole(const char *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n2 = unorm2_getNFKCCasefoldInstance(&st);
    UChar *in = malloc((len + 1) * sizeof *in), *outw = malloc((len * 18 + 16) * sizeof *outw);
    char *out = malloc(len * 54 + 16);
    int32_t n16 = 0, m = 0, n8 = 0;
    if (in && outw && out) {
        u_strFromUTF8(in, (int32_t)len + 1, &n16, s, (int32_t)len, &st);
        m = unorm2_normalize(n2, in, n16, outw, (int32_t)(len * 18 + 16), &st);
        u_strToUTF8(out, (int32_t)(len * 54 + 16), &n8, outw, m, &st);
    }
    free(in);
    free(outw);
    if (!out || U_FAILURE(st)) {
        free(out);
        return NULL;
    }
    out[n8] = '\0';
    return out;
}

/* Every code point sh_norm_inert names is one NFKC_Casefold keeps, with a boundary before it:
 * what copying runs of them as they are relies on (a newer ICU that changed one fails here). */
static void check_inert_against_icu(void)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n2 = unorm2_getNFKCCasefoldInstance(&st);
    REQUIRE_V(U_SUCCESS(st));
    size_t inert = 0;
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (!sh_norm_inert(c))
            continue;
        inert++;
        UChar u[2];
        int32_t n = 0;
        UBool bad = 0;
        U16_APPEND((UChar *)u, n, 2, (UChar32)c, bad);
        st = U_ZERO_ERROR;
        UBool same = unorm2_isNormalized(n2, u, n, &st);
        CHECK_MSG(!bad && U_SUCCESS(st) && same && unorm2_hasBoundaryBefore(n2, (UChar32)c),
                  "U+%04X is not inert under NFKC_Casefold", (unsigned)c);
    }
    CHECK(inert > 20000); /* the kanji at least */
    size_t simple = 0;
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        char b = sh_norm_simple_byte(c);
        if (!b || (c >= 0xD800 && c <= 0xDFFF))
            continue;
        simple++;
        UChar u[2], o[8];
        int32_t n = 0;
        UBool bad = 0;
        U16_APPEND((UChar *)u, n, 2, (UChar32)c, bad);
        st = U_ZERO_ERROR;
        int32_t m = unorm2_normalize(n2, u, n, o, 8, &st);
        CHECK_MSG(!bad && U_SUCCESS(st) && m == 1 && o[0] == (UChar)(unsigned char)b &&
                      unorm2_hasBoundaryBefore(n2, (UChar32)c),
                  "U+%04X is not simply '%c' under NFKC_Casefold", (unsigned)c, b);
    }
    CHECK(simple == 95); /* U+FF01..FF5E and U+3000 */
}

/* Random texts mixing inert code points with ones ICU changes or composes (combining marks
 * after kana and Latin, half-width kana, full-width forms, ligatures, default ignorables,
 * astral characters) normalize exactly as ICU does on the whole text, with and without the
 * offset map; each run of normalized code points mapped to the same original range is the
 * normalization of that range. */
static void check_random_texts(sh_norm *n)
{
    static const char *const pieces[] = {
        "連", "携", "の", "か", "カ", "ー", "、", "「", "a", "z", " ", "\n", "1", "(",
        "A", "Ｚ", "１", "（", "ｶ", "ﾞ", "ﾟ", "\xe3\x82\x99", "\xe3\x82\x9a", "\xcc\x81",
        "\xcc\xa3", "e", "㍿", "㌔", "ß", "ǅ", "Σ", "ﬁ", "\xc2\xad", "\xe2\x80\x8b", "　",
        "\xf0\x9f\x98\x80", "\xf0\xa0\x80\x8b", "Ⅻ", "①", "が", "は", "\xe3\x83\xbb",
        "\xe3\x83\xbd", "\xef\xbd\xa1", "\t", "Ä", "\xe1\x84\x80", "\xe1\x85\xa1", "Ａ", "ｅ",
        "）", "\xef\xbc\x9e\xcc\xb8"};
    size_t npieces = sizeof pieces / sizeof pieces[0];
    unsigned seed = 12345;
    sh_normtext nt = {0}, plain = {0}, part = {0};
    char text[512];
    char *err = NULL;
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        int count = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % npieces];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        text[len] = '\0';
        char *want = icu_whole(text, len);
        REQUIRE_V(want != NULL);
        REQUIRE_V(sh_norm_text(n, text, len, &nt, &err) == SH_OK);
        REQUIRE_V(sh_norm_plain(n, text, len, &plain, &err) == SH_OK);
        CHECK_MSG(strcmp(nt.text, want) == 0, "sh_norm_text of [%s]: [%s], ICU [%s]", text,
                  nt.text, want);
        CHECK_MSG(strcmp(plain.text, want) == 0, "sh_norm_plain of [%s]: [%s], ICU [%s]", text,
                  plain.text, want);
        CHECK(nt.src_ncp == sh_utf8_count(text, len) && nt.cp_byte[nt.ncp] == nt.len);
        /* each group of code points with one original range is that range normalized */
        size_t g = 0;
        while (g < nt.ncp) {
            size_t h = g;
            while (h < nt.ncp && nt.src_start[h] == nt.src_start[g] &&
                   nt.src_end[h] == nt.src_end[g])
                h++;
            CHECK(nt.src_start[g] < nt.src_end[g] && nt.src_end[g] <= nt.src_ncp);
            CHECK(g == 0 || nt.src_start[g] >= nt.src_end[g - 1]);
            size_t a = 0, cp = 0;
            while (cp < nt.src_start[g]) { /* byte offset of original code point src_start */
                unsigned c;
                a += sh_utf8_next(text, len, a, &c);
                cp++;
            }
            size_t b = a;
            while (cp < nt.src_end[g]) {
                unsigned c;
                b += sh_utf8_next(text, len, b, &c);
                cp++;
            }
            char *range = icu_whole(text + a, b - a);
            size_t bytes = (h < nt.ncp ? nt.cp_byte[h] : nt.len) - nt.cp_byte[g];
            CHECK_MSG(range && strlen(range) == bytes &&
                          memcmp(range, nt.text + nt.cp_byte[g], bytes) == 0,
                      "group %zu of [%s] is not its range normalized", g, text);
            free(range);
            g = h;
        }
        free(want);
    }
    sh_normtext_free(&nt);
    sh_normtext_free(&plain);
    sh_normtext_free(&part);
}

int main(void)
{
    sh_norm *n = NULL;
    char *err = NULL;
    REQUIRE(sh_norm_open(&n, &err) == SH_OK);

    /* The examples: full-width Latin, half-width kana with voiced marks, digits. */
    CHECK_NORM(n, "ＭＥＤＩＣ", "medic");
    CHECK_NORM(n, "MEDIC", "medic");
    CHECK_NORM(n, "ｶﾞｲﾄﾞ", "ガイド");
    CHECK_NORM(n, "１４億円", "14億円");
    CHECK_NORM(n, "㍿", "株式会社");
    CHECK_NORM(n, "（令和６年度）", "(令和6年度)");
    CHECK_NORM(n, "　", " ");
    CHECK_NORM(n, "医工連携", "医工連携");
    CHECK_NORM(n, "", "");
    /* CID-font pages: Kangxi radicals (NFKC) and the CJK Radicals Supplement (our map) fold to
     * the kanji they stand for; component-only radicals stay. */
    CHECK_NORM(n, "⽇本の⼈⼝", "日本の人口");
    CHECK_NORM(n, "⻑期の⻘少年⻝育", "長期の青少年食育");
    CHECK_NORM(n, "⺟⼦", "母子");
    CHECK_NORM(n, "⺡", "⺡");

    /* Offset map: each normalized code point knows its original range. */
    sh_normtext nt = {0};
    const char *src = "Aｶﾞ㍿Ｘ";  /* A, ｶ, ﾞ, ㍿, Ｘ = 5 code points */
    REQUIRE(sh_norm_text(n, src, strlen(src), &nt, &err) == SH_OK);
    CHECK_STR(nt.text, "aガ株式会社x");
    CHECK(nt.src_ncp == 5);
    CHECK(nt.ncp == 7);
    CHECK(nt.src_start[0] == 0 && nt.src_end[0] == 1);   /* a  ← A */
    CHECK(nt.src_start[1] == 1 && nt.src_end[1] == 3);   /* ガ ← ｶﾞ */
    for (int i = 2; i <= 5; i++)
        CHECK(nt.src_start[i] == 3 && nt.src_end[i] == 4); /* 株式会社 ← ㍿ */
    CHECK(nt.src_start[6] == 4 && nt.src_end[6] == 5);   /* x ← Ｘ */
    CHECK(nt.cp_byte[nt.ncp] == nt.len);
    CHECK(nt.cp_byte[1] == 1 && nt.cp_byte[2] == 4);

    /* Reuse of the same sh_normtext shrinks correctly. */
    REQUIRE(sh_norm_text(n, "ab", 2, &nt, &err) == SH_OK);
    CHECK_STR(nt.text, "ab");
    CHECK(nt.ncp == 2 && nt.len == 2);

    /* Invalid UTF-8 is refused with a message, never passed to ICU. */
    CHECK(sh_norm_text(n, "a\xff" "b", 3, &nt, &err) == SH_ERR_INVALID);
    CHECK(err != NULL);
    free(err);
    err = NULL;
    CHECK(!sh_utf8_valid("\xed\xa0\x80", 3));  /* a surrogate */
    CHECK(!sh_utf8_valid("\xc0\xaf", 2));      /* overlong */
    CHECK(sh_utf8_valid("資料", strlen("資料")));
    CHECK(sh_utf8_count("資料2", strlen("資料2")) == 3);

    /* A long text keeps a consistent map. */
    size_t big = 200000;
    char *long_text = malloc(big * 3 + 1);
    REQUIRE(long_text != NULL);
    for (size_t i = 0; i < big; i++)
        memcpy(long_text + i * 3, (i % 7) ? "連" : "Ａ", 3);
    REQUIRE(sh_norm_text(n, long_text, big * 3, &nt, &err) == SH_OK);
    CHECK(nt.ncp == big && nt.src_ncp == big);
    CHECK(nt.text[0] == 'a');
    CHECK(nt.src_start[big - 1] == big - 1);
    free(long_text);

    /* The proof's map-free normalization gives the same text, chunk boundaries or not. */
    const char *samples[] = {"ＭＥＤＩＣとｶﾞｲﾄﾞの１４億円", "㍿と㌔", "か\xe3\x82\x99き", "Straße ǅ",
                             "（第三条）　全角スペース", "e\xcc\x81\xcc\xa3", "⻑期的な⾒通し", ""};
    sh_normtext plain = {0};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        REQUIRE(sh_norm_text(n, samples[i], strlen(samples[i]), &nt, &err) == SH_OK);
        REQUIRE(sh_norm_plain(n, samples[i], strlen(samples[i]), &plain, &err) == SH_OK);
        CHECK(plain.len == nt.len && strcmp(plain.text, nt.text) == 0);
    }
    CHECK(sh_norm_plain(n, "a\xff" "b", 3, &plain, &err) == SH_ERR_INVALID);
    free(err);
    err = NULL;
    sh_normtext_free(&plain);
    check_inert_against_icu();
    check_random_texts(n);

    sh_normtext_free(&nt);
    sh_norm_close(n);
    sh_norm_close(NULL);
    CHECK(strlen(sh_norm_icu_version()) > 0);
    return check_done();
}
