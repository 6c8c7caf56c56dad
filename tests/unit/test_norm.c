/* test_norm.c — ICU normalization: NFKC + case folding, and the offset map back to the
 * original code points (what highlights rely on). */
#include "check.h"

#include "shiryo/norm.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

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

    sh_normtext_free(&nt);
    sh_norm_close(n);
    sh_norm_close(NULL);
    CHECK(strlen(sh_norm_icu_version()) > 0);
    return check_done();
}
