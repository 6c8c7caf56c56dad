/* test_sheets.c — sheets.c and amount.c: each budget-sheet form on its own small page (name,
 * labels, figures, title), each false positive next to a real budget line it could be mistaken
 * for, amounts in every unit and numeral system, and hostile inputs (long lines, many lines). */
#include "check.h"
#include "amount.h"
#include "programs.h"
#include "sheets.h"
#include "shiryo/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SECONDS 10.0

/* Reads body (lines separated by \n, numbered from 1) under title and writes every budget line
 * as "name|fy|kind|yen|unit|within|l1,l2;" into out. */
static void read_sheet(const char *title, const char *body, char *out, size_t cap)
{
    size_t len = strlen(body), n = 0;
    page_line *lines = calloc(len + 1, sizeof *lines);
    for (size_t s = 0; lines && s <= len;) {
        const char *nl = memchr(body + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - body) : len;
        lines[n] = (page_line){(unsigned)(n + 1), body + s, e - s};
        n++;
        s = e + 1;
    }
    out[0] = '\0';
    sheet_set *set = NULL;
    if (!lines || sheets_extract(title, lines, n, &set, NULL) != 0) {
        snprintf(out, cap, "(failed)");
        free(lines);
        return;
    }
    size_t used = 0;
    for (size_t i = 0; i < set->n; i++)
        for (size_t k = 0; k < set->items[i].nbudgets; k++) {
            const sheet_budget *b = &set->items[i].budgets[k];
            int w = snprintf(out + used, cap - used, "%s|%d|%s|%lld|%s|%d|", set->items[i].name,
                             b->fiscal_year, b->kind, b->amount_yen, b->unit, b->within);
            used += w > 0 && (size_t)w < cap - used ? (size_t)w : 0;
            for (size_t l = 0; l < b->nlines; l++) {
                w = snprintf(out + used, cap - used, l ? ",%u" : "%u", b->lines[l]);
                used += w > 0 && (size_t)w < cap - used ? (size_t)w : 0;
            }
            if (used + 1 < cap)
                out[used++] = ';', out[used] = '\0';
        }
    sheet_set_destroy(set);
    free(lines);
}

#define SHEET(title, body, want)                                                      \
    do {                                                                              \
        char got_[4096];                                                              \
        read_sheet(title, body, got_, sizeof got_);                                   \
        CHECK_STR(got_, want);                                                        \
    } while (0)

static void test_forms(void)
{
    /* 事業概要: name, year and kind, figure with the previous year's in ( ) */
    SHEET("事業概要", "読書活動総合推進事業\n令和6年度当初予算額\n44,550千円( 40,000千円)※()内は前年度当初予算額",
          "読書活動総合推進事業|2024|budget|44550000|千円|0|1,2,3;"
          "読書活動総合推進事業|2023|budget|40000000|千円|0|1,3;");
    /* 予算案 */
    SHEET("令和7年度厚生労働省予算案の主要事項", "医療系ベンチャー育成支援事業\n令和7年度当初予算案\n30百万円(46百万円)",
          "医療系ベンチャー育成支援事業|2025|proposal|30000000|百万円|0|1,2,3;"
          "医療系ベンチャー育成支援事業|2024|budget|46000000|百万円|0|1,3;");
    /* 補正: a space before 億; the amount first, then 施策名: */
    SHEET("", "医療機器等の研究開発事業\n令和6年度補正予算額 7.7 億円",
          "医療機器等の研究開発事業|2024|supplementary|770000000|億円|0|1,2;");
    SHEET("", "医政局医薬産業振興・医療情報企画課\n令和7年度補正予算案 7.6億円\n施策名:優れた医療機器の創出に係る産業振興拠点強化事業",
          "優れた医療機器の創出に係る産業振興拠点強化事業|2025|supplementary_proposal|760000000|億円|0|2,3;");
    /* 概算要求: letter-spaced labels, values later in the labels' order */
    SHEET("令和7年度概算要求主要事項", "(3)読書活動総合推進事業\n(前 年 度 予 算 額\n令和7年度要求額\n44,550千円)\n85,485千円",
          "読書活動総合推進事業|2024|budget|44550000|千円|0|1,2,4;"
          "読書活動総合推進事業|2025|request|85485000|千円|0|1,3,5;");
    /* the rounded summary row: year and kind from the title */
    SHEET("令和7年度概算要求のポイント", "読書活動総合推進事業 85百万円 (44百万円)",
          "読書活動総合推進事業|2025|request|85000000|百万円|0|1;"
          "読書活動総合推進事業|2024|budget|44000000|百万円|0|1;");
    /* 事項別表: table-wide 千円, column header, numbered rows, bare figures */
    SHEET("令和7年度文部科学省概算要求 事項別表",
          "(単位:千円)\n事 項\n令和7年度要求額\n( )内 前年度予算額\n1. 義務教育費国庫負担金\n1,580,722,000 (\n1,562,712,000 )",
          "義務教育費国庫負担金|2025|request|1580722000000|千円|0|5,6;"
          "義務教育費国庫負担金|2024|budget|1562712000000|千円|0|5,7;");
    /* the unit at the end of the header line */
    SHEET("令和7年度概算要求", "事 項 令和7年度要求額 ( )内 前年度予算額 千円\n1. 教科書購入費\n48,512,000 (46,921,000)",
          "教科書購入費|2025|request|48512000000|千円|0|2,3;"
          "教科書購入費|2024|budget|46921000000|千円|0|2,3;");
    SHEET("令和7年度概算要求", "（単位：百万円）\n1. 教科書購入費\n48 (46)",
          "教科書購入費|2025|request|48000000|百万円|0|2,3;"
          "教科書購入費|2024|budget|46000000|百万円|0|2,3;");
    SHEET("", "がん対策推進事業\n令和7年度予算案\n500 千円", "がん対策推進事業|2025|proposal|500000|千円|0|1,2,3;");
    /* the unit on a line of its own, full-width digits, kanji numerals, 内数 */
    SHEET("令和7年度概算要求", "千円\n1. 教科書購入費\n４８,５１２,０００ (４６,９２１,０００)",
          "教科書購入費|2025|request|48512000000|千円|0|2,3;"
          "教科書購入費|2024|budget|46921000000|千円|0|2,3;");
    SHEET("", "治験エコシステム導入推進事業\n令和7年度当初予算案\n一億二千万円(九千万円)",
          "治験エコシステム導入推進事業|2025|proposal|120000000|億円|0|1,2,3;"
          "治験エコシステム導入推進事業|2024|budget|90000000|万円|0|1,3;");
    /* MEXT's one-line labels: the previous year first, settled by the year read after it */
    SHEET("", "読書活動総合推進事業\n(前年度予算額 44,550千円)\n令和7年度要求・要望額 85,485千円",
          "読書活動総合推進事業|2024|budget|44550000|千円|0|1,2;"
          "読書活動総合推進事業|2025|request|85485000|千円|0|1,3;");
    SHEET("", "読書活動総合推進事業\n(前年度予算額 44,550千円)\n1 事業の目的",
          "読書活動総合推進事業|0|budget|44550000|千円|0|1,2;");
    SHEET("", "がん対策推進事業\n令和7年度予算額(案) 5.5億円",
          "がん対策推進事業|2025|proposal|550000000|億円|0|1,2;");
    /* a framed label, and a label inside the parentheses */
    SHEET("", "医療系ベンチャー育成支援事業\n【令和7年度予算案】30百万円（46百万円）",
          "医療系ベンチャー育成支援事業|2025|proposal|30000000|百万円|0|1,2;"
          "医療系ベンチャー育成支援事業|2024|budget|46000000|百万円|0|1,2;");
    SHEET("", "医療系ベンチャー育成支援事業\n令和7年度予算案 30百万円（令和5年度予算額 46百万円）",
          "医療系ベンチャー育成支援事業|2025|proposal|30000000|百万円|0|1,2;"
          "医療系ベンチャー育成支援事業|2023|budget|46000000|百万円|0|1,2;");
    SHEET("", "がん対策推進事業(新規)\n令和7年度予算案 5億円", "がん対策推進事業|2025|proposal|500000000|億円|0|1,2;");
    SHEET("", "・がん対策推進事業【一部新規】 5億円 (4億円)",
          "");
    SHEET("令和7年度予算案", "・がん対策推進事業【一部新規】 5億円 (4億円)",
          "がん対策推進事業|2025|proposal|500000000|億円|0|1;がん対策推進事業|2024|budget|400000000|億円|0|1;");
    SHEET("", "がん対策推進事業\n令和7年度予算案【5億円】", "がん対策推進事業|2025|proposal|500000000|億円|0|1,2;");
    SHEET("", "医療機器開発推進研究事業\n令和7年度予算案\n629百万円の内数",
          "医療機器開発推進研究事業|2025|proposal|629000000|百万円|1|1,2,3;");
    SHEET("", "「地域医療介護総合確保基金」\n令和7年度予算案\n1.1兆円",
          "地域医療介護総合確保基金|2025|proposal|1100000000000|兆円|0|1,2,3;");
}

static void test_false_positives(void)
{
    const char *title = "令和7年度予算案の概要";
    /* totals: the figures after 計 / 合計 belong to no program */
    SHEET(title, "A事業 20百万円 (17百万円)\n計 105百万円 (61百万円)",
          "A事業|2025|proposal|20000000|百万円|0|1;A事業|2024|budget|17000000|百万円|0|1;");
    SHEET("令和7年度概算要求", "(単位:千円)\n1. 義務教育費国庫負担金\n100 (\n90 )\n合 計\n1,000 (\n900 )",
          "義務教育費国庫負担金|2025|request|100000|千円|0|2,3;"
          "義務教育費国庫負担金|2024|budget|90000|千円|0|2,4;");
    SHEET("令和7年度概算要求", "(単位:千円)\n1. 義務教育費国庫負担金\n100\n2. 計\n1,000", "義務教育費国庫負担金|2025|request|100000|千円|0|2,3;");
    /* a column header is no program and no figure */
    SHEET(title, "区分 令和6年度予算額 令和7年度予算案\n事業名 予算額", "");
    /* people and cases */
    SHEET(title, "がん研究推進事業\n令和7年度予算案\n17百万人", "");
    SHEET(title, "がん研究推進事業\n令和7年度予算案\n対象者 17百万人\n5百万円", "");
    SHEET("令和7年度概算要求", "(単位:千円)\n1. 相談支援事業\n件数\n1,234", "");
    SHEET("令和7年度概算要求", "(単位:千円)\n1. 相談支援事業\n1,200件", "");
    /* percentages */
    SHEET("令和7年度概算要求", "(単位:百万円)\n1. がん検診推進事業\n45.2% (43.0%)", "");
    /* prose, inline amounts (programs.c reads those), no label and no title */
    SHEET(title, "がん検診推進事業\n令和7年度予算案として13億円を計上する。", "");
    SHEET(title, "がん検診推進事業\n(令和7年度予算案:13億円)", "");
    SHEET("", "がん検診推進事業\n13億円", "");
    /* 数十億円 is no amount */
    SHEET(title, "がん検診推進事業\n令和7年度予算案\n数十億円", "");
}

static void test_amounts(void)
{
    static const struct {
        const char *text;
        long long yen;
        const char *unit;
    } good[] = {
        {"13億円", 1300000000LL, "億円"},        {"7.7 億円", 770000000LL, "億円"},
        {"１７百万円", 17000000LL, "百万円"},    {"1,234千円", 1234000LL, "千円"},
        {"1億2,000万円", 120000000LL, "億円"},   {"十三億円", 1300000000LL, "億円"},
        {"一億二千万円", 120000000LL, "億円"},   {"千二百億円", 120000000000LL, "億円"},
        {"二〇二五円", 2025LL, "円"},            {"5兆円", 5000000000000LL, "兆円"},
        {"9223372036854775808円", -1, "円"},
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        amount a;
        int ok = amount_parse(good[i].text, strlen(good[i].text), &a);
        CHECK_MSG(ok && a.yen == good[i].yen && strcmp(a.unit, good[i].unit) == 0 &&
                      a.used == strlen(good[i].text),
                  "%s: ok=%d yen=%lld unit=%s", good[i].text, ok, ok ? a.yen : 0,
                  ok ? a.unit : "");
    }
    static const char *const bad[] = {"13億", "1万2億円", "17百万人", "十百億円", "令和6年度",
                                      "億円", "1, 000円"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        amount a;
        CHECK_MSG(!amount_parse(bad[i], strlen(bad[i]), &a), "%s read as an amount", bad[i]);
    }
    CHECK(!amount_may_start(0x6570 /* 数 */, 0x5341 /* 十 */));
    CHECK(amount_may_start(0x7D04 /* 約 */, 0x5341));
}

/* Long lines, many lines, label floods: linear and bounded. */
static void test_hostile(void)
{
    sh_buf b = {0};
    for (int i = 0; i < 20000; i++)
        sh_buf_puts(&b, i % 3 == 0 ? "A事業\n" : i % 3 == 1 ? "(前 年 度 予 算 額 令和7年度要求額\n" : "1百万円 (2百万円) 3百万円)\n");
    for (int i = 0; i < 200000; i++)
        sh_buf_puts(&b, "十");
    sh_buf_puts(&b, "億円\n");
    REQUIRE_VOID(b.data);
    size_t len = b.len, n = 0;
    page_line *lines = calloc(len + 1, sizeof *lines);
    REQUIRE_VOID(lines);
    for (size_t s = 0; s < len;) {
        const char *nl = memchr(b.data + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - b.data) : len;
        lines[n] = (page_line){(unsigned)(n + 1), b.data + s, e - s};
        n++;
        s = e + 1;
    }
    clock_t t0 = clock();
    sheet_set *set = NULL;
    CHECK(sheets_extract("令和7年度概算要求", lines, n, &set, NULL) == 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_MSG(secs < MAX_SECONDS, "%.1f s", secs);
    CHECK(set && set->n <= SHEETS_MAX_PROGRAMS);
    for (size_t i = 0; set && i < set->n; i++)
        CHECK(set->items[i].nbudgets <= SHEETS_MAX_BUDGETS);
    sheet_set_destroy(set);
    CHECK(sheets_extract(NULL, NULL, 0, &set, NULL) == 0 && set && set->n == 0);
    sheet_set_destroy(set);
    free(lines);
    sh_buf_free(&b);
}

int main(void)
{
    test_forms();
    test_false_positives();
    test_amounts();
    test_hostile();
    return check_done();
}
