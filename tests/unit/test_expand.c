/* test_expand.c — the forms a query word stands for (a table of agency, year and numeral words,
 * each with forms it must and must not get), the agency table's lookups, the kanji numerals, and
 * the parser's full-width / quotation / AND / =word reading. Each row fails if its expansion or
 * reading breaks. */
#include "check.h"

#include "expand.h"
#include "qparse.h"

#include "shiryo/agency.h"
#include "shiryo/analyzer.h"
#include "shiryo/ministry.h"
#include "shiryo/numerals.h"
#include "shiryo/status.h"

static int has_form(const expand_word *w, const char *form)
{
    for (size_t i = 0; i < w->nforms; i++)
        if (strcmp(w->forms[i], form) == 0)
            return 1;
    return 0;
}

/* word: the forms it must have ("|"-separated) and must not have. */
static const struct {
    const char *word, *why, *want, *not_want;
} rows[] = {
    {"経産省", "agency", "経済産業省|ministry:経済産業省", "経|通商産業省"},
    {"経済産業省", "agency", "経産省|ministry:経済産業省", "通産省"},
    {"厚労省", "agency", "厚生労働省|ministry:厚生労働省", "厚生省|労働省"},
    {"通産省", "agency", "経済産業省|経産省", "通商産業省"},
    {"厚生省", "agency", "厚生労働省|厚労省", "労働省"},   /* a predecessor: not its sibling */
    {"労働省", "agency", "厚生労働省|厚労省", "厚生省"},
    {"文科省", "agency", "文部科学省", "文部省|科学技術庁"},
    {"国交省", "agency", "国土交通省", "運輸省|建設省"},
    {"国土交通省", "agency", "国交省|ministry:国土交通省", "運輸省|建設省|国土庁"},
    {"科学技術庁", "agency", "文部科学省|文科省", "文部省"},
    {"農水省", "agency", "農林水産省", ""},
    {"デジ庁", "agency", "デジタル庁", ""},
    {"個人情報保護委員会", "agency", "個情委", ""},
    {"防衛庁", "agency", "防衛省", ""},
    {"令和7年度", "year", "R7年度|2025年度|令和七年度|FY2025", "2025年|令和7年"},
    {"R7年度", "year", "令和7年度|2025年度|令和七年度", "2025年"},
    {"2025年度", "year", "令和7年度|R7年度|令和七年度|FY2025", "2025年|令和7年"},
    {"令和７年度", "year", "R7年度|2025年度|令和七年度", ""},
    {"令和七年度", "year", "令和7年度|R7年度|2025年度", ""},
    {"FY2025", "year", "令和7年度|2025年度", ""},
    {"2025年", "year", "令和7年|R7年|令和七年", "2025年度|令和7年度"},
    {"令和元年", "year", "令和1年|令和一年|R1年|平成31年|2019年", "令和元年度"},
    {"令和1年", "year", "令和元年|2019年|平成31年", ""},
    {"平成31年度", "year", "令和元年度|令和1年度|2019年度|H31年度|平成三十一年度", ""},
    {"令和元年度", "year", "平成31年度|2019年度|R1年度", ""},
    {"平成30年度", "year", "2018年度|H30年度|平成三十年度", "令和0年度|令和元年度"},
    {"昭和64年", "year", "平成元年|1989年", ""},
    {"R7", "year", "令和7|令和七|2025年", ""},
    {"令和7年度予算", "year", "2025年度予算|R7年度予算|令和七年度予算", ""},
    {"第2条", "numerals", "第二条", ""},
    {"第二条", "numerals", "第2条", ""},
    {"第十二条", "numerals", "第12条", ""},
    {"第123条", "numerals", "第百二十三条", ""},
    {"13億円", "numerals", "十三億円", ""},
    {"3か月", "numerals", "三か月", ""},
    {"第1回", "numerals", "第一回", ""},
};

/* Words that must stay as typed. */
static const char *const plain[] = {"連携", "一般", "十分", "2025", "5G", "MEDIC", "CRB",
                                    "官房", "経", "R7A", "一部", NULL};

static int count_kind(const qnode *n, int kind)
{
    int c = n && n->kind == kind;
    for (size_t i = 0; n && i < n->nkids; i++)
        c += count_kind(n->kids[i], kind);
    return c;
}

static void check_parses(const char *q, int texts, int ors, int nots)
{
    qnode *t = NULL;
    char *err = NULL;
    int rc = qparse(q, &t, &err);
    CHECK_MSG(rc == SH_OK, "%s: %s", q, err ? err : "");
    if (!rc) {
        CHECK_MSG(count_kind(t, QN_TEXT) == texts, "%s: %d words", q, count_kind(t, QN_TEXT));
        CHECK_MSG(count_kind(t, QN_OR) == ors, "%s: %d ORs", q, count_kind(t, QN_OR));
        CHECK_MSG(count_kind(t, QN_NOT) == nots, "%s: %d NOTs", q, count_kind(t, QN_NOT));
    }
    qnode_free(t);
    free(err);
}

int main(void)
{
    sh_analyzer *an = NULL;
    char *err = NULL;
    REQUIRE(sh_analyzer_open(NULL, &an, &err) == SH_OK);

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        expand_word w;
        int found = expand_word_forms(an, rows[i].word, &w, &err);
        CHECK_MSG(found == 1, "%s: no forms", rows[i].word);
        if (found != 1)
            continue;
        CHECK_MSG(strcmp(w.why, rows[i].why) == 0, "%s: %s", rows[i].word, w.why);
        char buf[512];
        snprintf(buf, sizeof buf, "%s", rows[i].want);
        for (char *save = NULL, *f = strtok_r(buf, "|", &save); f; f = strtok_r(NULL, "|", &save))
            CHECK_MSG(has_form(&w, f), "%s: lacks %s", rows[i].word, f);
        snprintf(buf, sizeof buf, "%s", rows[i].not_want);
        for (char *save = NULL, *f = strtok_r(buf, "|", &save); f; f = strtok_r(NULL, "|", &save))
            CHECK_MSG(!has_form(&w, f), "%s: has %s", rows[i].word, f);
        CHECK_MSG(!has_form(&w, rows[i].word), "%s: lists itself", rows[i].word);
        expand_word_free(&w);
    }
    for (size_t i = 0; plain[i]; i++) {
        expand_word w;
        CHECK_MSG(expand_word_forms(an, plain[i], &w, &err) == 0, "%s: expanded", plain[i]);
        expand_word_free(&w);
    }

    /* The tree: a word with forms becomes an OR of them; =word and field values stay. */
    {
        qnode *t = NULL;
        expand_list ex = {0};
        REQUIRE(qparse("経産省 =厚労省 -2025年度 ministry:厚労省 連携", &t, &err) == SH_OK);
        REQUIRE(expand_tree(an, &t, &ex, &err) == SH_OK);
        CHECK(ex.n == 2);
        CHECK(ex.n == 2 && strcmp(ex.words[0].word, "経産省") == 0);
        CHECK(ex.n == 2 && strcmp(ex.words[1].word, "2025年度") == 0);
        CHECK(count_kind(t, QN_OR) == 2);
        CHECK(count_kind(t, QN_NOT) == 1);
        expand_list_free(&ex);
        qnode_free(t);
    }

    /* Agency table lookups (also behind ministry.h). */
    CHECK_STR(agency_official_name("厚生省", strlen("厚生省"), 0), "厚生労働省");
    CHECK_STR(agency_official_name("経", strlen("経"), 1), "経済産業省");
    CHECK(agency_official_name("経", strlen("経"), 0) == NULL);
    CHECK_STR(ministry_full_name(" 国交省 ", strlen(" 国交省 ")), "国土交通省");
    CHECK_STR(ministry_full_name("こ", strlen("こ")), "こども家庭庁");
    CHECK(ministry_full_name("官房", strlen("官房")) == NULL); /* 大臣官房 of every ministry */
    CHECK(ministry_full_name("省", strlen("省")) == NULL);

    /* Kanji numerals. */
    {
        static const struct { const char *kanji; unsigned value; } nums[] = {
            {"七", 7}, {"十", 10}, {"十二", 12}, {"二十五", 25}, {"百", 100}, {"百二十三", 123},
            {"二千二十五", 2025}, {"二〇二五", 2025}, {"三千四百", 3400}, {"九千九百九十九", 9999}};
        for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
            unsigned v = 0;
            size_t len = strlen(nums[i].kanji);
            CHECK_MSG(numerals_read_kanji(nums[i].kanji, len, 0, &v) == len && v == nums[i].value,
                      "%s read as %u", nums[i].kanji, v);
            char out[64];
            if (strcmp(nums[i].kanji, "二〇二五") != 0) {
                CHECK_MSG(numerals_format_kanji(nums[i].value, out, sizeof out) > 0 &&
                              strcmp(out, nums[i].kanji) == 0,
                          "%u written as %s", nums[i].value, out);
            }
        }
        unsigned v = 0;
        CHECK(numerals_read_kanji("十十", strlen("十十"), 0, &v) == 0);
        CHECK(numerals_read_kanji("二三十", strlen("二三十"), 0, &v) == 0);
        CHECK(numerals_read_kanji("十百", strlen("十百"), 0, &v) == 0);
        char out[8];
        CHECK(numerals_format_kanji(0, out, sizeof out) == -1);
        CHECK(numerals_format_kanji(10000, out, sizeof out) == -1);
        CHECK(numerals_format_kanji(2025, out, 4) == -1);
    }

    /* The parser reads what people type. */
    check_parses("ＭＥＤＩＣ ＯＲ ＣＲＢ", 2, 1, 0);
    check_parses("連携 －地域", 2, 0, 1);
    check_parses("連携 −地域", 2, 0, 1);
    check_parses("（ＭＥＤＩＣ ＯＲ ＣＲＢ） 連携", 3, 1, 0);
    check_parses("ＭＥＤＩＣ AND ＣＲＢ", 2, 0, 0);
    check_parses("ＭＥＤＩＣ ＡＮＤ ＣＲＢ", 2, 0, 0);
    check_parses("『地域 連携』 “医工 連携” 〝拠点 病院〟 「臨床 研究」", 4, 0, 0);
    check_parses("ＮＯＴ 地域 連携", 2, 0, 1);
    {
        qnode *t = NULL;
        REQUIRE(qparse("ｍｉｎｉｓｔｒｙ：経産省", &t, &err) == SH_OK);
        CHECK(t && t->kind == QN_FIELD && strcmp(t->field, "ministry") == 0 &&
              strcmp(t->text, "経産省") == 0);
        qnode_free(t);
        REQUIRE(qparse("=経産省", &t, &err) == SH_OK);
        CHECK(t && t->kind == QN_TEXT && t->exact && strcmp(t->text, "経産省") == 0);
        qnode_free(t);
        REQUIRE(qparse("=\"経産省\"", &t, &err) == SH_OK);
        CHECK(t && t->kind == QN_TEXT && t->exact && t->phrase && strcmp(t->text, "経産省") == 0);
        qnode_free(t);
        REQUIRE(qparse("『地域 連携』", &t, &err) == SH_OK);
        CHECK(t && t->kind == QN_TEXT && t->phrase && strcmp(t->text, "地域 連携") == 0);
        qnode_free(t);
        static const char *const bad[] = {"ＭＥＤＩＣ AND", "AND ＣＲＢ", "『地域", "（連携", NULL};
        for (size_t i = 0; bad[i]; i++) {
            CHECK_MSG(qparse(bad[i], &t, &err) == SH_ERR_INVALID && err, "%s parsed", bad[i]);
            qnode_free(t);
            t = NULL;
        }
        CHECK(err && strstr(err, "column 1"));
    }
    free(err);
    sh_analyzer_close(an);
    return check_done();
}
