/* test_era.c — era.c: era / fiscal-year parsing in all written forms, finding a year inside a
 * column label, and formatting a Western year back to its era label. */
#include "check.h"
#include "shiryo/era.h"

#include <string.h>

static int parse(const char *s, int *year, size_t *used)
{
    return era_parse_year(s, strlen(s), year, used);
}

static void check_parse(const char *s, int want_year, size_t want_used)
{
    int year = -1;
    size_t used = 0;
    int ok = parse(s, &year, &used);
    CHECK_MSG(ok && year == want_year && used == want_used, "%s: ok=%d year=%d used=%zu", s, ok,
              year, used);
}

static void check_no_parse(const char *s)
{
    int year = -1;
    CHECK_MSG(!parse(s, &year, NULL), "%s parsed as %d", s, year);
}

static void check_find(const char *s, int want_year, const char *want_text, int want_fiscal)
{
    era_match m;
    int ok = era_find_fiscal_year(s, strlen(s), &m);
    CHECK_MSG(ok, "no year in %s", s);
    if (!ok)
        return;
    CHECK_MSG(m.year == want_year, "%s: year %d, want %d", s, m.year, want_year);
    CHECK_MSG(m.len == strlen(want_text) && memcmp(s + m.start, want_text, m.len) == 0,
              "%s: text '%.*s', want '%s'", s, (int)m.len, s + m.start, want_text);
    CHECK_MSG(m.fiscal == want_fiscal, "%s: fiscal %d", s, m.fiscal);
}

static void check_format(int year, const char *want_fiscal, const char *want_plain)
{
    char buf[64];
    int n = era_format_fiscal_year(year, buf, sizeof buf);
    CHECK_MSG(n > 0 && strcmp(buf, want_fiscal) == 0, "%d -> %s", year, n > 0 ? buf : "(fail)");
    n = era_format_year(year, buf, sizeof buf);
    CHECK_MSG(n > 0 && strcmp(buf, want_plain) == 0, "%d -> %s", year, n > 0 ? buf : "(fail)");
}

int main(void)
{
    /* era names with ASCII, full-width and kanji numbers, 元, suffixes */
    check_parse("令和6", 2024, strlen("令和6"));
    check_parse("令和6年度の実績", 2024, strlen("令和6年度"));
    check_parse("令和７年度", 2025, strlen("令和７年度"));
    check_parse("令和元年", 2019, strlen("令和元年"));
    check_parse("令和元年度", 2019, strlen("令和元年度"));
    check_parse("平成30年度", 2018, strlen("平成30年度"));
    check_parse("平成十五年", 2003, strlen("平成十五年"));
    check_parse("平成三十一年度", 2019, strlen("平成三十一年度"));
    check_parse("昭和60年", 1985, strlen("昭和60年"));
    check_parse("昭和六十四年", 1989, strlen("昭和六十四年"));
    check_parse("令和五年度予算", 2023, strlen("令和五年度"));
    check_parse("令和 6 年度", 2024, strlen("令和 6 年度"));
    check_parse("大正15年", 1926, strlen("大正15年"));
    /* letter forms, either case */
    check_parse("R7", 2025, 2);
    check_parse("r7年度", 2025, strlen("r7年度"));
    check_parse("H30", 2018, 3);
    check_parse("h30予算", 2018, 3);
    check_parse("S63", 1988, 3);
    /* Western years */
    check_parse("2025年度", 2025, strlen("2025年度"));
    check_parse("2025", 2025, 4);
    check_parse("２０２５年", 2025, strlen("２０２５年"));
    check_parse("FY2024", 2024, 6);
    /* rejections */
    check_no_parse("");
    check_no_parse("令和");
    check_no_parse("令和年度");
    check_no_parse("R");
    check_no_parse("R123");
    check_no_parse("R7B");
    check_no_parse("20255");
    check_no_parse("1200年");
    check_no_parse("年度");
    check_no_parse("実績");
    {
        int year = 7;
        size_t used = 9;
        CHECK(!era_parse_year(NULL, 0, &year, &used) && year == 7 && used == 9);
        CHECK(era_parse_year("R6", 2, NULL, NULL) == 1);
        /* not NUL-terminated: only the given length counts */
        CHECK(era_parse_year("R67", 2, &year, &used) && year == 2024 && used == 2);
    }

    /* finding the fiscal year in a label */
    check_find("令和6年度の実績・状況", 2024, "令和6年度", 1);
    check_find("令和7年度の取組予定", 2025, "令和7年度", 1);
    check_find("2024年度実績", 2024, "2024年度", 1);
    check_find("実績(R6年度)", 2024, "R6年度", 1);
    check_find("R6実績", 2024, "R6", 0);
    check_find("令和6年3月時点の令和7年度計画", 2025, "令和7年度", 1);
    check_find("平成十五年の状況", 2003, "平成十五年", 0);
    {
        era_match m;
        CHECK(!era_find_fiscal_year("該当箇所", strlen("該当箇所"), &m));
        CHECK(!era_find_year("2024件の相談", strlen("2024件の相談"), &m));
        CHECK(!era_find_year("ABR7", 4, &m));
        CHECK(!era_find_year("M1チップ", strlen("M1チップ"), &m));
        CHECK(era_find_year("予算 2024 年", strlen("予算 2024 年"), &m) && m.year == 2024);
        CHECK(!era_find_year(NULL, 0, &m));
        CHECK(!era_find_year("x", 1, NULL));
        /* invalid UTF-8 must not crash or match */
        const char bad[] = "\xE4\xBB\xA4\xFF\x80\xE5";
        CHECK(!era_find_year(bad, sizeof bad - 1, &m));
    }

    /* formatting */
    check_format(2025, "令和7年度", "令和7年");
    check_format(2019, "令和元年度", "令和元年");
    check_format(2018, "平成30年度", "平成30年");
    check_format(1989, "平成元年度", "平成元年");
    check_format(1988, "昭和63年度", "昭和63年");
    check_format(1926, "大正15年度", "大正15年");
    {
        char small[4];
        CHECK(era_format_fiscal_year(2025, small, sizeof small) == -1);
        char buf[32];
        CHECK(era_format_fiscal_year(1500, buf, sizeof buf) == -1);
        /* round trip over every year the formatter accepts */
        int round_trip_ok = 1;
        for (int y = 1868; y <= 2117; y++) /* 令和99 */ {
            int back = 0;
            size_t used = 0;
            int n = era_format_fiscal_year(y, buf, sizeof buf);
            if (n <= 0 || !era_parse_year(buf, (size_t)n, &back, &used) || back != y ||
                used != (size_t)n)
                round_trip_ok = 0;
        }
        CHECK(round_trip_ok);
    }
    /* whole year words and their spellings (query expansion) */
    {
        static const struct { const char *word; int year, kind; } words[] = {
            {"令和7年度", 2025, ERA_FISCAL}, {"R7年度", 2025, ERA_FISCAL},
            {"2025年度", 2025, ERA_FISCAL}, {"FY2025", 2025, ERA_FISCAL},
            {"令和七年度", 2025, ERA_FISCAL}, {"令和７年度", 2025, ERA_FISCAL},
            {"2025年", 2025, ERA_CALENDAR}, {"令和元年", 2019, ERA_CALENDAR},
            {"平成31年度", 2019, ERA_FISCAL}, {"R7", 2025, ERA_BARE}, {"令和7", 2025, ERA_BARE}};
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            int year = 0, kind = 0;
            CHECK_MSG(era_parse_word(words[i].word, strlen(words[i].word), &year, &kind) &&
                          year == words[i].year && kind == words[i].kind,
                      "%s: %d %d", words[i].word, year, kind);
        }
        static const char *const not_words[] = {"2025", "令和7年度予算", "R7A", "年度", ""};
        for (size_t i = 0; i < sizeof not_words / sizeof not_words[0]; i++) {
            int year = 0, kind = 0;
            CHECK_MSG(!era_parse_word(not_words[i], strlen(not_words[i]), &year, &kind), "%s",
                      not_words[i]);
        }
    }
    return check_done();
}
