/* test_page.c — unit tests for page.c: header fields, boilerplate and trailer removal, repeated
 * bodies, line ends, and hostile input (empty, NULs, huge lines) on the sample and fixtures. */
#include "check.h"
#include "page.h"
#include "shiryo/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SITE_BOILERPLATE                                                                            \
    "ページ画像\n"                                                                                  \
    "ダウンロードした画像を利用する際は「出典情報」を明記してください。\n"                          \
    "低解像度画像をダウンロード\n"                                                                  \
    "プレーンテキスト\n"                                                                            \
    "資料テキストはコンピュータによる自動処理で生成されており、完全に資料と一致しない場合があります。\n" \
    "テキストをコピーしてご利用いただく際は資料と付け合わせてご確認ください。\n"

/* An 11-line header like the site's, so body lines start at line 12. */
#define HEADER(title)                                                                               \
    "よむ、つかう、まなぶ。\n" title "\n出典\n公開元URL | https://example.go.jp/a |\n"                \
    "出典情報 | テスト会議(第1回 4/1)《テスト省》 |\n" SITE_BOILERPLATE

static page *parse_mem(const char *name, const char *data, size_t len)
{
    page *p = NULL;
    char *err = NULL;
    int rc = page_parse(name, data, len, &p, &err);
    CHECK_MSG(rc == SH_OK && p, "page_parse(%s) = %d: %s", name, rc, err ? err : "");
    free(err);
    return rc == SH_OK ? p : NULL;
}

static page *parse_str(const char *name, const char *text) { return parse_mem(name, text, strlen(text)); }

static page *parse_fixture(const char *rel)
{
    size_t len = 0;
    char *data = check_read_source(rel, &len);
    CHECK_MSG(data != NULL, "cannot read %s/%s", check_source_dir(), rel);
    if (!data)
        return NULL;
    page *p = parse_mem(rel, data, len);
    free(data); /* the page must not point into the caller's data */
    return p;
}

static int line_is(const page *p, size_t i, const char *text)
{
    return i < p->nlines && p->lines[i].len == strlen(text) &&
           memcmp(p->lines[i].text, text, p->lines[i].len) == 0;
}

static int line_eq(const page_line *l, const char *text)
{
    return l->len == strlen(text) && memcmp(l->text, text, l->len) == 0;
}

/* Invariants every parse must keep: increasing line numbers, no CR/LF, no trailing space,
 * no site boilerplate. */
static void check_invariants(const page *p)
{
    static const char *const boiler[] = {
        "よむ、つかう、まなぶ。", "ページ画像", "低解像度画像をダウンロード", "プレーンテキスト",
        "ダウンロードした画像を利用する際は「出典情報」を明記してください。",
        "資料テキストはコンピュータによる自動処理で生成されており、完全に資料と一致しない場合があります。",
        "テキストをコピーしてご利用いただく際は資料と付け合わせてご確認ください。",
        "資料、研修などをパッケージした総合メディアです。", NULL};
    CHECK(p->title && p->material && p->url && p->source && p->meeting && p->session && p->date &&
          p->publisher && p->joint);
    for (size_t i = 0; i < p->nlines; i++) {
        const page_line *l = &p->lines[i];
        CHECK_MSG(l->lineno >= 1 && (i == 0 || l->lineno > p->lines[i - 1].lineno),
                  "line %zu numbered %u", i, l->lineno);
        CHECK_MSG(memchr(l->text, '\n', l->len) == NULL && memchr(l->text, '\r', l->len) == NULL,
                  "line %u holds a line end", l->lineno);
        CHECK_MSG(l->len == 0 || (l->text[l->len - 1] != ' ' && l->text[l->len - 1] != '\t'),
                  "line %u keeps trailing space", l->lineno);
        for (const char *const *b = boiler; *b; b++)
            CHECK_MSG(!line_eq(l, *b), "line %u is boilerplate %s", l->lineno, *b);
        CHECK_MSG(l->len < 9 || memcmp(l->text, "MC plus", 7) != 0, "line %u is the promotion",
                  l->lineno);
        if (p->repeat_from)
            CHECK_MSG(l->lineno < p->repeat_from, "line %u at/after repeat_from %u", l->lineno,
                      p->repeat_from);
    }
    if (p->nlines) {
        CHECK(p->lines[0].len > 0);              /* no leading blank line */
        CHECK(p->lines[p->nlines - 1].len > 0);  /* no trailing blank line */
    }
}

/* 1-based number of the occurrence-th line of data equal to text, 0 if none. */
static unsigned find_line(const char *data, size_t len, const char *text, int occurrence)
{
    size_t k = strlen(text), start = 0;
    unsigned lineno = 1;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && data[i] != '\n')
            continue;
        if (i - start == k && memcmp(data + start, text, k) == 0 && --occurrence == 0)
            return lineno;
        lineno++;
        start = i + 1;
    }
    return 0;
}

static void test_sample(void)
{
    const char *rel = "corpus/000_68858178ce9f1934.txt";
    size_t len = 0;
    char *data = check_read_source(rel, &len);
    CHECK_MSG(data != NULL, "cannot read %s/%s", check_source_dir(), rel);
    if (!data)
        return;
    page *p = parse_mem(rel, data, len);
    if (!p) {
        free(data);
        return;
    }
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "資料2-1 医療機器基本計画に関する各省における取り組みの状況について");
    CHECK_STR(p->material, "資料2-1");
    CHECK(p->page_no == 3);
    CHECK_STR(p->url, "https://www.mhlw.go.jp/stf/newpage_54795.html");
    CHECK_STR(p->source, "国民が受ける医療の質の向上のための医療機器の研究開発及び普及の促進に関す"
                         "る検討会(第5回 3/17)《厚生労働省》");
    CHECK_STR(p->meeting,
              "国民が受ける医療の質の向上のための医療機器の研究開発及び普及の促進に関する検討会");
    CHECK_STR(p->session, "第5回");
    CHECK_STR(p->date, "3/17");
    CHECK_STR(p->publisher, "厚生労働省");

    /* The header is lines 1-11, so the body starts at line 12 of the file. */
    unsigned first = find_line(data, len, "該当箇所 列1 列2", 1);
    unsigned second_col3 = find_line(data, len, "列3", 2);
    unsigned trailer = find_line(data, len, "3", 1);
    CHECK(first == 12);
    CHECK(second_col3 == 96);
    CHECK(trailer == 95);
    CHECK(p->nlines > 0 && p->lines[0].lineno == first);
    CHECK(line_is(p, 0, "該当箇所 列1 列2"));
    CHECK(line_is(p, 1, "列3"));
    CHECK(p->repeat_from == second_col3);
    /* Lines 12..94: the first copy, without its trailer (95) or the repeat (96..177) and the
     * final trailer (178). */
    CHECK_MSG(p->nlines == 83, "nlines %zu", p->nlines);
    CHECK(p->nlines && p->lines[p->nlines - 1].lineno == trailer - 1);
    CHECK(line_is(p, p->nlines - 1, "が連携を行う場の構築に向けた支援を実施する。"));
    for (size_t i = 0; i < p->nlines; i++) {
        CHECK_MSG(!line_eq(&p->lines[i], "3"), "trailer kept at line %u", p->lines[i].lineno);
        CHECK(p->lines[i].lineno >= 12 && p->lines[i].lineno < p->repeat_from);
        CHECK(p->lines[i].lineno == 12 + i); /* this page has no blank lines to skip */
    }
    check_invariants(p);
    page_destroy(p);
    free(data);
}

static void test_law_fixture(void)
{
    page *p = parse_fixture("tests/fixtures/pages/law_egov.txt");
    if (!p)
        return;
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "民法");
    CHECK_STR(p->material, "");
    CHECK(p->page_no == 12);
    CHECK_STR(p->url, "https://laws.e-gov.go.jp/law/129AC0000000089");
    CHECK_STR(p->source, "e-Gov法令検索《デジタル庁》");
    CHECK_STR(p->meeting, "e-Gov法令検索");
    CHECK_STR(p->session, "");
    CHECK_STR(p->date, "");
    CHECK_STR(p->publisher, "デジタル庁");
    /* Body 12..18 (with the blank line 15 kept as a paragraph break), trailer 19, repeated
     * suffix from 20. */
    CHECK_MSG(p->nlines == 7, "nlines %zu", p->nlines);
    CHECK(p->repeat_from == 20);
    CHECK(p->nlines == 7 && p->lines[0].lineno == 12 && p->lines[6].lineno == 18);
    CHECK(line_is(p, 0, "第三章　法人"));
    CHECK(p->nlines > 3 && p->lines[3].lineno == 15 && p->lines[3].len == 0);
    check_invariants(p);
    page_destroy(p);
}

static void test_no_header_fixture(void)
{
    page *p = parse_fixture("tests/fixtures/pages/no_header.txt");
    if (!p)
        return;
    CHECK(p->has_header == 0);
    CHECK_STR(p->title, "no_header.txt");
    CHECK_STR(p->material, "");
    CHECK_STR(p->url, "");
    CHECK_STR(p->source, "");
    CHECK_STR(p->meeting, "");
    CHECK_STR(p->publisher, "");
    CHECK(p->page_no == 0);
    CHECK(p->repeat_from == 0);
    /* Every line is body, the blank one included, and a final number is text, not a trailer. */
    CHECK_MSG(p->nlines == 6, "nlines %zu", p->nlines);
    CHECK(line_is(p, 0, "議事次第") && p->lines[0].lineno == 1);
    CHECK(p->nlines > 1 && p->lines[1].len == 0 && p->lines[1].lineno == 2);
    CHECK(line_is(p, 4, "出典"));
    CHECK(line_is(p, 5, "2024") && p->lines[5].lineno == 6);
    check_invariants(p);
    page_destroy(p);
}

static void test_truncated_header_fixture(void)
{
    page *p = parse_fixture("tests/fixtures/pages/truncated_header.txt");
    if (!p)
        return;
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "参考資料3-2 会議の開催について");
    CHECK_STR(p->material, "参考資料3-2");
    CHECK(p->page_no == 2);
    CHECK_STR(p->url, "");
    CHECK_STR(p->source, "");
    CHECK_STR(p->meeting, "");
    CHECK_STR(p->session, "");
    CHECK_STR(p->date, "");
    CHECK_STR(p->publisher, "");
    CHECK(p->nlines == 0);
    CHECK(p->repeat_from == 0);
    page_destroy(p);
}

static void test_crlf_fixture(void)
{
    page *p = parse_fixture("tests/fixtures/pages/crlf.txt");
    if (!p)
        return;
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "資料１ 教育課程部会の審議状況");
    CHECK_STR(p->material, "資料１");
    CHECK(p->page_no == 4);
    CHECK_STR(p->url, "https://www.mext.go.jp/b_menu/shingi/chukyo/chukyo3/siryo/1234.htm");
    CHECK_STR(p->meeting, "中央教育審議会初等中等教育分科会教育課程部会");
    CHECK_STR(p->session, "第十二回");
    CHECK_STR(p->date, "令和7年3月17日");
    CHECK_STR(p->publisher, "文部科学省");
    CHECK_MSG(p->nlines == 4, "nlines %zu", p->nlines);
    CHECK(line_is(p, 0, "審議の経過") && p->lines[0].lineno == 12);
    CHECK(p->nlines > 1 && p->lines[1].len == 0); /* a line of U+3000 only is blank */
    CHECK(line_is(p, 2, "これまでの主な意見"));
    CHECK(line_is(p, 3, "教育課程の改善について") && p->lines[3].lineno == 15);
    CHECK(p->repeat_from == 0);
    check_invariants(p);
    page_destroy(p);
}

static void test_no_repeat_fixture(void)
{
    page *p = parse_fixture("tests/fixtures/pages/no_repeat.txt");
    if (!p)
        return;
    /* Header lines reordered and separated by blank lines. */
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "資料3 検討の進め方");
    CHECK_STR(p->material, "資料3");
    CHECK(p->page_no == 5);
    CHECK_STR(p->url, "https://www.mhlw.go.jp/stf/shingi2/0000000000.html");
    CHECK_STR(p->meeting, "社会保障審議会医療部会");
    CHECK_STR(p->session, "第110回");
    CHECK_STR(p->date, "");
    CHECK_STR(p->publisher, "厚生労働省");
    CHECK(p->repeat_from == 0);
    /* "5" inside the body stays; the trailing "5" and blank lines go; "以上" twice stays. */
    CHECK_MSG(p->nlines == 5, "nlines %zu", p->nlines);
    CHECK(line_is(p, 0, "論点") && p->lines[0].lineno == 17);
    CHECK(line_is(p, 1, "5"));
    CHECK(line_is(p, 3, "以上") && line_is(p, 4, "以上"));
    check_invariants(p);
    page_destroy(p);
}

static void test_fullwidth_page_fixture(void)
{
    page *p = parse_fixture("tests/fixtures/pages/fullwidth_page.txt");
    if (!p)
        return;
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "資料２－１　第２回議事録");
    CHECK_STR(p->material, "資料２－１");
    CHECK(p->page_no == 3);
    CHECK_STR(p->meeting, "デジタル行財政改革会議");
    CHECK_STR(p->session, "第２回");
    CHECK_STR(p->date, "令和６年１月１０日");
    CHECK_STR(p->publisher, "内閣官房");
    CHECK_MSG(p->nlines == 2, "nlines %zu", p->nlines); /* full-width "３" trailer dropped */
    CHECK(line_is(p, 1, "○委員　よろしくお願いします。"));
    check_invariants(p);
    page_destroy(p);
}

static void test_empty_and_nul(void)
{
    page *p = parse_mem("dir/empty.txt", "", 0);
    if (p) {
        CHECK(p->has_header == 0);
        CHECK_STR(p->title, "empty.txt");
        CHECK_STR(p->material, "");
        CHECK_STR(p->source, "");
        CHECK(p->page_no == 0 && p->nlines == 0 && p->repeat_from == 0);
        page_destroy(p);
    }
    p = parse_mem("null.txt", NULL, 0);
    if (p) {
        CHECK(p->nlines == 0);
        page_destroy(p);
    }
    p = parse_mem("bom.txt", "\xEF\xBB\xBF", 3);
    if (p) {
        CHECK(p->nlines == 0 && p->has_header == 0);
        page_destroy(p);
    }
    static const char nuls[64];
    p = parse_mem("nuls.txt", nuls, sizeof nuls);
    if (p) {
        CHECK(p->has_header == 0);
        CHECK_STR(p->title, "nuls.txt");
        CHECK(p->nlines <= 1);
        for (size_t i = 0; i < p->nlines; i++)
            CHECK(p->lines[i].len <= sizeof nuls);
        page_destroy(p);
    }
    /* NULs inside a header: fields end at the NUL, nothing reads past the input. */
    static const char nul_header[] = "よむ、つかう、まなぶ。\n資料1\0x (2 ページ)\n出典情報 | a\0b《c》 |\n本文\n2\n";
    p = parse_mem("nulhdr.txt", nul_header, sizeof nul_header - 1);
    if (p) {
        check_invariants(p);
        page_destroy(p);
    }
    char *err = NULL;
    CHECK(page_parse("x", "abc", 3, NULL, &err) != SH_OK);
    free(err);
    page_destroy(NULL);
}

static void test_header_only(void)
{
    page *p = parse_str("hdr.txt", HEADER("資料A 概要 (9 ページ)"));
    if (!p)
        return;
    CHECK(p->has_header == 1);
    CHECK_STR(p->title, "資料A 概要");
    CHECK_STR(p->material, "資料A");
    CHECK(p->page_no == 9);
    CHECK_STR(p->url, "https://example.go.jp/a");
    CHECK_STR(p->meeting, "テスト会議");
    CHECK_STR(p->session, "第1回");
    CHECK_STR(p->date, "4/1");
    CHECK_STR(p->publisher, "テスト省");
    CHECK(p->nlines == 0);
    page_destroy(p);

    /* Only the tagline and a title without page suffix. */
    p = parse_str("t.txt", "よむ、つかう、まなぶ。\n会議資料\n本文一行目\n");
    if (p) {
        CHECK(p->has_header == 1);
        CHECK_STR(p->title, "会議資料");
        CHECK(p->page_no == 0);
        CHECK(p->nlines == 1 && line_is(p, 0, "本文一行目") && p->lines[0].lineno == 3);
        page_destroy(p);
    }
}

static void test_huge_line(void)
{
    size_t n = (size_t)1 << 20;
    char *big = malloc(n);
    if (!big) {
        CHECK(big != NULL);
        return;
    }
    memset(big, 'a', n);
    page *p = parse_mem("big.txt", big, n);
    if (p) {
        CHECK(p->has_header == 0);
        CHECK(p->nlines == 1 && p->lines[0].len == n && p->lines[0].lineno == 1);
        page_destroy(p);
    }
    /* The same line as the body of a page with a header, trailer and a copy of the line. */
    const char *head = HEADER("資料1 大きい (1 ページ)");
    size_t hl = strlen(head);
    char *doc = malloc(hl + 2 * (n + 3));
    if (doc) {
        size_t k = 0;
        memcpy(doc + k, head, hl);
        k += hl;
        for (int copy = 0; copy < 2; copy++) {
            memcpy(doc + k, big, n);
            k += n;
            memcpy(doc + k, "\n1\n", 3);
            k += 3;
        }
        p = parse_mem("bigpage.txt", doc, k);
        if (p) {
            /* One line repeated once after the page number is half the body: dropped. */
            CHECK(p->nlines == 1 && p->lines[0].len == n && p->lines[0].lineno == 12);
            CHECK(p->repeat_from == 14);
            page_destroy(p);
        }
        free(doc);
    }
    free(big);
}

static void test_repeated_twice(void)
{
    /* The whole body, first line included, twice; each copy ends in the page number. */
    const char *text = HEADER("資料1 繰り返し (2 ページ)")
        "一行目\n二行目\n\n三行目\n2\n"
        "一行目\n二行目\n\n三行目\n2\n";
    page *p = parse_str("twice.txt", text);
    if (p) {
        CHECK_MSG(p->nlines == 4, "nlines %zu", p->nlines);
        CHECK(line_is(p, 0, "一行目") && p->lines[0].lineno == 12);
        CHECK(line_is(p, 3, "三行目") && p->lines[3].lineno == 15);
        CHECK(p->repeat_from == 17);
        check_invariants(p);
        page_destroy(p);
    }
    /* A title without the page suffix: the number between the copies still separates them,
     * and a final number stays text. */
    p = parse_str("nosuffix.txt", "よむ、つかう、まなぶ。\n資料1 繰り返し\n出典情報 | 会議(5/1)《省》 |\n"
                                  "一行目\n二行目\n三行目\n7\n一行目\n二行目\n三行目\n");
    if (p) {
        CHECK_MSG(p->nlines == 3 && p->repeat_from == 8, "nlines %zu repeat_from %u", p->nlines,
                  p->repeat_from);
        page_destroy(p);
    }
    /* Same without page numbers, with CR-only line ends. */
    const char *cr = "よむ、つかう、まなぶ。\r資料1 繰り返し (2 ページ)\r出典\r"
                     "一行目\r二行目\r三行目\r一行目\r二行目\r三行目\r";
    p = parse_str("cr.txt", cr);
    if (p) {
        CHECK_MSG(p->nlines == 3, "nlines %zu", p->nlines);
        CHECK(p->nlines == 3 && p->lines[0].lineno == 4 && p->lines[2].lineno == 6);
        CHECK(p->repeat_from == 7);
        check_invariants(p);
        page_destroy(p);
    }
}

static void test_legit_repeated_line(void)
{
    /* "以上" twice at the end is text, not a repeated copy of the body. */
    page *p = parse_str("legit.txt", HEADER("資料1 以上 (1 ページ)") "項目\n説明\n以上\n以上\n1\n");
    if (p) {
        CHECK(p->repeat_from == 0);
        CHECK_MSG(p->nlines == 4, "nlines %zu", p->nlines);
        CHECK(line_is(p, 2, "以上") && line_is(p, 3, "以上"));
        page_destroy(p);
    }
    /* Nor is a single line repeated in the middle of the body. */
    p = parse_str("legit2.txt", HEADER("資料1 (1 ページ)") "a\nb\nb\nc\n1\n");
    if (p) {
        CHECK(p->repeat_from == 0 && p->nlines == 4);
        page_destroy(p);
    }
}

static void test_large_repeat(void)
{
    /* 100k distinct lines repeated: must be fast (linear) and exact. */
    const size_t n = 100000;
    const char *head = HEADER("資料1 大量 (7 ページ)");
    size_t hl = strlen(head);
    char *doc = malloc(hl + 2 * n * 12 + 16);
    if (!doc) {
        CHECK(doc != NULL);
        return;
    }
    size_t k = 0;
    memcpy(doc, head, hl);
    k = hl;
    for (int copy = 0; copy < 2; copy++) {
        for (size_t i = copy; i < n; i++) /* the second copy lacks the first line */
            k += (size_t)sprintf(doc + k, "行%zu\n", i);
        k += (size_t)sprintf(doc + k, "7\n");
    }
    page *p = parse_mem("large.txt", doc, k);
    if (p) {
        CHECK_MSG(p->nlines == n, "nlines %zu", p->nlines);
        CHECK(p->repeat_from == 12 + n + 1);
        CHECK(p->nlines == n && p->lines[n - 1].lineno == 11 + n);
        page_destroy(p);
    }
    free(doc);
}

static void test_field_variants(void)
{
    page *p = parse_str("v1.txt", "資料編集の方針 (1 ページ)\n出典情報 | 〇〇ワーキンググループ(WG)《内閣府》 |\n本文\n");
    if (p) {
        CHECK_STR(p->material, ""); /* "資料編集の方針" is a word, not an id */
        CHECK_STR(p->meeting, "〇〇ワーキンググループ(WG)");
        CHECK_STR(p->session, "");
        CHECK_STR(p->date, "");
        CHECK_STR(p->publisher, "内閣府");
        CHECK(p->nlines == 1 && line_is(p, 0, "本文"));
        page_destroy(p);
    }
    p = parse_str("v2.txt", "別紙１　報告（　１０ ページ ）\n出典情報 | 審議会 第3回 《総務省》 |\n");
    if (p) {
        CHECK_STR(p->title, "別紙１　報告");
        CHECK_STR(p->material, "別紙１");
        CHECK(p->page_no == 10);
        CHECK_STR(p->meeting, "審議会"); /* no parentheses: the round is read from the name */
        CHECK_STR(p->session, "第3回");
        CHECK_STR(p->publisher, "総務省");
        page_destroy(p);
    }
    p = parse_str("v3.txt", "参考 (2 ページ)\n出典情報 | 部会（令和7年3月17日）《国土交通省》 |\n");
    if (p) {
        CHECK_STR(p->material, ""); /* a bare prefix is not an id */
        CHECK_STR(p->meeting, "部会");
        CHECK_STR(p->date, "令和7年3月17日");
        CHECK_STR(p->session, "");
        page_destroy(p);
    }
    /* After the site's last notice a bare label is body text (a table heading "出典"). */
    p = parse_str("v5.txt", HEADER("資料1 (1 ページ)") "出典\n厚生労働省調べ\n1\n");
    if (p) {
        CHECK(p->nlines == 2 && line_is(p, 0, "出典") && p->lines[0].lineno == 12);
        page_destroy(p);
    }
    /* A titled line or a second 出典情報 after the header's fields is body text, never a field. */
    p = parse_str("v6.txt", "概要\n公開元URL https://example.go.jp/x\n出典情報 部会(5/1)《内閣府》\n"
                            "詳細は別紙 (3 ページ)\n出典情報 | 別の会議(第2回 6/1)《総務省》 |\n");
    if (p) {
        CHECK_STR(p->title, "概要");
        CHECK(p->page_no == 0);
        CHECK_STR(p->meeting, "部会");
        CHECK_STR(p->publisher, "内閣府");
        CHECK(p->nlines == 2 && line_is(p, 0, "詳細は別紙 (3 ページ)") && p->lines[0].lineno == 4);
        page_destroy(p);
    }
    /* A body line that merely starts like a header label stays body text. */
    p = parse_str("v4.txt", HEADER("資料1 (1 ページ)") "本文\n出典\n出典情報の整理\n1\n");
    if (p) {
        CHECK(p->nlines == 3 && line_is(p, 1, "出典") && line_is(p, 2, "出典情報の整理"));
        page_destroy(p);
    }
}

/* One fixture per header rendering the site uses (tests/fixtures/pages/header/), with every
 * field the header says and the body's first line. */
typedef struct header_case {
    const char *file;
    const char *title, *material;
    int page_no;
    const char *url, *source, *meeting, *session, *date, *publisher, *joint;
    const char *first_body;
    unsigned first_lineno;
    size_t nlines;
} header_case;

static const header_case header_cases[] = {
    {"sample_style.txt", "資料3 地域医療構想の進め方について", "資料3", 2,
     "https://www.example.go.jp/shingi/iryo_0042.html",
     "地域医療構想に関するワーキンググループ(第12回 4/18)《厚生労働省》",
     "地域医療構想に関するワーキンググループ", "第12回", "4/18", "厚生労働省", "",
     "地域医療構想の今後の進め方", 12, 2},
    {"no_tagline.txt", "参考資料2 委員名簿", "参考資料2", 1,
     "https://www.example.go.jp/council/list.pdf",
     "交通政策審議会海事分科会(第30回 6/5)《国土交通省》", "交通政策審議会海事分科会", "第30回",
     "6/5", "国土交通省", "", "委員名簿", 6, 2},
    {"framed.txt", "資料1-2 論点整理(案)", "資料1-2", 4, "https://www.example.go.jp/kaigi/r6/03.pdf",
     "医療保険部会(第180回 9/12)《厚生労働省》", "医療保険部会", "第180回", "9/12", "厚生労働省", "",
     "論点整理(案)", 13, 3},
    {"news_service.txt", "総-11別紙1 診療報酬改定の概要", "", 6,
     "https://www.example.go.jp/chuikyo/sou11.pdf",
     "中央社会保険医療協議会 総会(第85回 1/31)《厚生労働省》", "中央社会保険医療協議会 総会",
     "第85回", "1/31", "厚生労働省", "", "個別改定項目について", 11, 3},
    {"news_no_suffix.txt", "概要", "", 0, "http://www.example.go.jp/kaigo/gaiyou.pdf",
     "社会保障審議会介護保険部会(第 110 回 12/5)《厚生労働省》", "社会保障審議会介護保険部会",
     "第 110 回", "12/5", "厚生労働省", "", "介護保険制度の見直しに関する意見(概要)", 10, 1},
    {"empty_url.txt", "本文", "", 3, "",
     "社会保障審議会介護給付費分科会(第240回 3/4)《厚生労働省》", "社会保障審議会介護給付費分科会",
     "第240回", "3/4", "厚生労働省", "", "介護報酬改定の検証", 12, 1},
    {"bare_url_http.txt", "概要", "", 1, "", "医療経済実態調査の結果(11/24)《健康保険組合連合会》",
     "医療経済実態調査の結果", "", "11/24", "健康保険組合連合会", "", "調査結果の概要", 5, 1},
    {"http_url.txt", "入-3", "", 2, "http://www.example.or.jp/report/2023/03.pdf",
     "日医総研ワーキングペーパー 報告書(12/2)《日本医師会総合政策研究機構》",
     "日医総研ワーキングペーパー 報告書", "", "12/2", "日本医師会総合政策研究機構", "",
     "医療機関の経営状況", 12, 1},
    {"fy_round.txt", "資料4 意見交換会の概要", "資料4", 1,
     "https://www.example.go.jp/ikenkoukan/r5_1.html",
     "医療・介護の意見交換会(令和5年度第1回 2/9)《厚生労働省》", "医療・介護の意見交換会",
     "令和5年度第1回", "2/9", "厚生労働省", "", "意見交換の主な内容", 12, 1},
    {"spaced_round.txt", "総-1  個別事項について(その3)", "", 7,
     "https://www.example.go.jp/chuikyo/591.pdf",
     "中央社会保険医療協議会  総会 (第 591 回  7/3)《厚生労働省》", "中央社会保険医療協議会  総会",
     "第 591 回", "7/3", "厚生労働省", "", "個別事項の論点", 12, 1},
    {"notice.txt", "事務連絡", "", 1, "https://www.example.go.jp/jimu/0305.pdf",
     "疑義解釈資料の送付について(その1)(3/5付 通知)《厚生労働省》",
     "疑義解釈資料の送付について(その1)", "", "3/5", "厚生労働省", "",
     "疑義解釈資料の送付について", 12, 1},
    {"held.txt", "【資料1-1】健保組合の決算見込(案) [1.3MB]", "資料1-1", 2,
     "https://www.example.or.jp/press/20211221.pdf",
     "健保組合決算見込の概要(2021年12月21日開催)《健康保険組合連合会》", "健保組合決算見込の概要",
     "", "2021年12月21日", "健康保険組合連合会", "", "令和2年度決算見込", 12, 1},
    {"paren_name.txt", "医療DXの推進に関する工程表", "", 5, "https://www.example.go.jp/cas/iryodx.pdf",
     "医療DXの推進に関する工程表(令和6年12月3日閣議決定)(12/3)《内閣官房》",
     "医療DXの推進に関する工程表(令和6年12月3日閣議決定)", "", "12/3", "内閣官房", "",
     "工程表の全体像", 12, 1},
    {"draft_name.txt", "資料2 第9次医療計画(素案)", "資料2", 3,
     "https://www.example.go.jp/keikaku/soan.pdf", "第9次医療計画(素案)《東京都》",
     "第9次医療計画(素案)", "", "", "東京都", "", "計画の基本理念", 12, 1},
    {"joint.txt", "資料1 薬価制度改革の骨子", "資料1", 8,
     "https://www.example.go.jp/chuikyo/yakka_goudou.pdf",
     "中央社会保険医療協議会 薬価専門部会(第139回 12/11)中央社会保険医療協議会 "
     "費用対効果評価専門部会(第4回 12/11)(合同開催)《厚生労働省》",
     "中央社会保険医療協議会 薬価専門部会", "第139回", "12/11", "厚生労働省",
     "中央社会保険医療協議会 費用対効果評価専門部会(第4回 12/11)(合同開催)",
     "薬価制度改革の骨子(案)", 12, 1},
    {"joint_phrase.txt", "資料2  データヘルス計画の  見直し", "資料2", 3,
     "https://www.example.go.jp/hoken/goudou.pdf",
     "第154回 社会保障審議会医療保険部会、第18回 社会保障審議会医療部会 合同会議(1/19)《厚生労働省》",
     "社会保障審議会医療保険部会", "第154回", "1/19", "厚生労働省",
     "第18回 社会保障審議会医療部会 合同会議", "データヘルス計画", 12, 1},
};

static int field_ok(const char *got, const char *want, const char *file, const char *name)
{
    int ok = got && strcmp(got, want) == 0;
    CHECK_MSG(ok, "%s: %s is \"%s\", want \"%s\"", file, name, got ? got : "(null)", want);
    return ok;
}

static void test_header_renderings(void)
{
    size_t pages_right = 0, fields_right = 0, fields = 0;
    size_t ncases = sizeof header_cases / sizeof header_cases[0];
    for (size_t i = 0; i < ncases; i++) {
        const header_case *c = &header_cases[i];
        char rel[256];
        snprintf(rel, sizeof rel, "tests/fixtures/pages/header/%s", c->file);
        page *p = parse_fixture(rel);
        if (!p)
            continue;
        int right = 0;
        right += field_ok(p->title, c->title, c->file, "title");
        right += field_ok(p->material, c->material, c->file, "material");
        right += field_ok(p->url, c->url, c->file, "url");
        right += field_ok(p->source, c->source, c->file, "source");
        right += field_ok(p->meeting, c->meeting, c->file, "meeting");
        right += field_ok(p->session, c->session, c->file, "session");
        right += field_ok(p->date, c->date, c->file, "date");
        right += field_ok(p->publisher, c->publisher, c->file, "publisher");
        right += field_ok(p->joint, c->joint, c->file, "joint");
        CHECK_MSG(p->page_no == c->page_no, "%s: page %d, want %d", c->file, p->page_no, c->page_no);
        right += p->page_no == c->page_no;
        int body = p->has_header && p->nlines == c->nlines && p->nlines &&
                   line_eq(&p->lines[0], c->first_body) && p->lines[0].lineno == c->first_lineno;
        CHECK_MSG(body, "%s: body has %zu lines from line %u, want %zu from %u (%s)", c->file,
                  p->nlines, p->nlines ? p->lines[0].lineno : 0, c->nlines, c->first_lineno,
                  c->first_body);
        right += body;
        fields += 11;
        fields_right += (size_t)right;
        pages_right += right == 11;
        check_invariants(p);
        page_destroy(p);
    }
    printf("header renderings: %zu/%zu fixtures with every field right, %zu/%zu fields\n",
           pages_right, ncases, fields_right, fields);
}

int main(void)
{
    test_sample();
    test_law_fixture();
    test_no_header_fixture();
    test_truncated_header_fixture();
    test_crlf_fixture();
    test_no_repeat_fixture();
    test_fullwidth_page_fixture();
    test_empty_and_nul();
    test_header_only();
    test_huge_line();
    test_repeated_twice();
    test_legit_repeated_line();
    test_large_repeat();
    test_field_variants();
    test_header_renderings();
    return check_done();
}
