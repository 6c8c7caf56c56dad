/* test_records.c — the stored records (passrec.h, pagerec.h, progrec.h): their bytes as the
 * index holds them (schema 7), encode → decode round trips, and truncated or damaged records
 * read as errors, never out of bounds (the ASan build runs this too). */
#include "check.h"

#include "shiryo/pagerec.h"
#include "shiryo/passrec.h"
#include "shiryo/progrec.h"
#include "shiryo/recfield.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of len bytes of s, NUL-terminated: what Xapian hands back. */
static char *copy_of(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

static size_t count_char(const char *s, size_t len, char c)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == c;
    return n;
}

/* Decodes every prefix of rec (nfields fields): an error unless all the fields are there (the
 * last one is the rest), and every field a string inside the prefix. */
static void check_truncations(const char *rec, size_t len, size_t nfields,
                              int (*decode)(char *, size_t, const char **))
{
    const char *f[32];
    REQUIRE_VOID(nfields <= 32);
    for (size_t cut_len = 0; cut_len <= len; cut_len++) {
        char *cut = copy_of(rec, cut_len);
        REQUIRE_VOID(cut);
        int whole = count_char(rec, cut_len, '\n') >= nfields - 1;
        int rc = decode(cut, cut_len, f);
        CHECK_MSG(rc == (whole ? SH_OK : SH_ERR_CORRUPT), "length %zu: %d", cut_len, rc);
        for (size_t k = 0; k < nfields; k++)
            CHECK(f[k] && strlen(f[k]) <= cut_len);
        free(cut);
    }
}

static void test_passrec(void)
{
    puts("=== test passrec");
    const unsigned lines[] = {12, 13, 15};
    const ministry_ref ministries[] = {{"文部科学省", 0}, {"厚生労働省", 1}};
    const char text[] = "施策の本文\n二行目";
    const sh_passrec r = {"0123456789abcdef", lines, 3, "第1章", "人材育成", 2, "令和7年度",
                          2025, "令和7年度の取組予定", ministries, 2, 7, "Mprog", text,
                          sizeof text - 1};
    sh_buf b = SH_BUF_INIT;
    REQUIRE_VOID(sh_passrec_encode(&b, &r) == SH_OK);
    CHECK_STR(b.data, "shiryo1\n0123456789abcdef\n12,13,15\n第1章\n人材育成\n2\n令和7年度\n2025\n"
                      "令和7年度の取組予定\n文部科学省:0,厚生労働省:1\n7\nMprog\n施策の本文\n二行目");
    char *data = copy_of(b.data, b.len);
    const char *f[PF_COUNT];
    REQUIRE_VOID(data && sh_passrec_decode(data, b.len, f) == SH_OK);
    CHECK_STR(f[PF_PAGEKEY], r.page_key);
    CHECK_STR(f[PF_SECTION], r.section);
    CHECK_STR(f[PF_MEASURE], r.measure);
    CHECK_STR(f[PF_COLUMN], "2");
    CHECK_STR(f[PF_COLUMN_LABEL], r.column_label);
    CHECK_STR(f[PF_FY], "2025");
    CHECK_STR(f[PF_FY_LABEL], r.fy_label);
    CHECK_STR(f[PF_ORDINAL], "7");
    CHECK_STR(f[PF_PROGRAMS], r.programs);
    CHECK_STR(f[PF_TEXT], text); /* the text keeps its newline */
    unsigned got[8];
    size_t n = sh_recfield_uints(f[PF_LINES], got, 8);
    CHECK(n == 3 && got[0] == 12 && got[1] == 13 && got[2] == 15);
    CHECK(sh_recfield_uints(f[PF_LINES], got, 2) == 2);
    ministry_ref m[4];
    n = sh_passrec_ministries((char *)f[PF_MINISTRIES], m, 4);
    CHECK(n == 2);
    if (n == 2) {
        CHECK_STR(m[0].name, "文部科学省");
        CHECK(m[0].lead == 0);
        CHECK_STR(m[1].name, "厚生労働省");
        CHECK(m[1].lead == 1);
    }
    free(data);

    /* No fiscal year, no ministries, no lines: empty fields, and still a record. */
    const sh_passrec bare = {"k", NULL, 0, "", "", 1, "", 0, "", NULL, 0, 0, "", "", 0};
    REQUIRE_VOID(sh_passrec_encode(&b, &bare) == SH_OK);
    CHECK_STR(b.data, "shiryo1\nk\n\n\n\n1\n\n\n\n\n0\n\n");
    data = copy_of(b.data, b.len);
    CHECK(data && sh_passrec_decode(data, b.len, f) == SH_OK && f[PF_FY][0] == '\0' &&
          f[PF_TEXT][0] == '\0');
    free(data);

    REQUIRE_VOID(sh_passrec_encode(&b, &r) == SH_OK);
    check_truncations(b.data, b.len, PF_COUNT, sh_passrec_decode);
    /* Another record's bytes, or garbage with the right number of fields. */
    const char *bad[] = {"shiryo-page1\na\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl", "\n\n\n\n\n\n\n\n\n\n\n\n",
                         "shiryo0\n\n\n\n\n\n\n\n\n\n\n\n", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *c = copy_of(bad[i], strlen(bad[i]));
        CHECK_MSG(c && sh_passrec_decode(c, strlen(bad[i]), f) == SH_ERR_CORRUPT, "bad %zu", i);
        free(c);
    }
    char junk[] = "x:1,:0,no-colon,,name:";
    n = sh_passrec_ministries(junk, m, 4);
    CHECK(n == 3);
    sh_buf_free(&b);
}

static void test_pagerec(void)
{
    puts("=== test pagerec");
    const sh_pagerec r = {"/data/new\nline\\n.txt", "00112233445566ff", 12, "資料1", "資料",
                          3, "https://example.jp/a.pdf", "出典", "会議", "第3回", "2025-01-31",
                          "内閣府", "合同会議", 41, 52};
    sh_buf b = SH_BUF_INIT;
    REQUIRE_VOID(sh_pagerec_encode(&b, &r) == SH_OK);
    CHECK_STR(b.data, "shiryo-page1\n/data/new\\nline\\\\n.txt\n00112233445566ff\n12\n資料1\n資料\n"
                      "3\nhttps://example.jp/a.pdf\n出典\n会議\n第3回\n2025-01-31\n内閣府\n"
                      "合同会議\n41-52");
    char *data = copy_of(b.data, b.len);
    const char *f[PR_COUNT];
    REQUIRE_VOID(data && sh_pagerec_decode(data, b.len, f) == SH_OK);
    CHECK_STR(f[PR_PATH], r.path); /* decoded: newline and backslashes as the name has them */
    CHECK_STR(f[PR_HASH], r.hash);
    CHECK_STR(f[PR_PASSAGES], "12");
    CHECK_STR(f[PR_TITLE], r.title);
    CHECK_STR(f[PR_MATERIAL], r.material);
    CHECK_STR(f[PR_PAGE], "3");
    CHECK_STR(f[PR_URL], r.url);
    CHECK_STR(f[PR_SOURCE], r.source);
    CHECK_STR(f[PR_MEETING], r.meeting);
    CHECK_STR(f[PR_SESSION], r.session);
    CHECK_STR(f[PR_DATE], r.date);
    CHECK_STR(f[PR_PUBLISHER], r.publisher);
    CHECK_STR(f[PR_JOINT], r.joint);
    unsigned first = 0, last = 0;
    CHECK(sh_pagerec_docids(f[PR_DOCIDS], &first, &last) == SH_OK && first == 41 && last == 52);
    free(data);

    /* No page number, no docids, NULL strings (a page without a header). */
    const sh_pagerec bare = {"p", "h", 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL,
                             NULL, 0, 0};
    REQUIRE_VOID(sh_pagerec_encode(&b, &bare) == SH_OK);
    CHECK_STR(b.data, "shiryo-page1\np\nh\n0\n\n\n\n\n\n\n\n\n\n\n");
    data = copy_of(b.data, b.len);
    CHECK(data && sh_pagerec_decode(data, b.len, f) == SH_OK);
    CHECK(data && sh_pagerec_docids(f[PR_DOCIDS], &first, &last) == SH_ERR_CORRUPT &&
          first == 0 && last == 0);
    free(data);
    const char *docids[] = {"0-3", "5-4", "x", "7", "-1-2"};
    for (size_t i = 0; i < sizeof docids / sizeof docids[0]; i++)
        CHECK_MSG(sh_pagerec_docids(docids[i], &first, &last) == SH_ERR_CORRUPT && !first &&
                  !last, "docids %s", docids[i]);

    REQUIRE_VOID(sh_pagerec_encode(&b, &r) == SH_OK);
    check_truncations(b.data, b.len, PR_COUNT, sh_pagerec_decode);
    char passage[] = "shiryo1\nk\n\n\n\n1\n\n\n\n\n0\n\n\n\n\n";
    CHECK(sh_pagerec_decode(passage, strlen(passage), f) == SH_ERR_CORRUPT);
    CHECK(sh_pagerec_key(&b, "0123456789abcdef") == SH_OK);
    CHECK_STR(b.data, META_PAGE_PREFIX "0123456789abcdef");
    sh_buf_free(&b);
}

static void test_progrec(void)
{
    puts("=== test progrec");
    const unsigned mlines[] = {4, 5}, blines[] = {6};
    const sh_progrec mention = {.tag = SH_PROGREC_MENTION, .name = "GIGAスクール構想",
                                .successor_of = "旧事業", .line_numbers = mlines, .nlines = 2};
    const sh_progrec budget = {.tag = SH_PROGREC_BUDGET, .name = "GIGAスクール構想",
                               .fiscal_year = 2025, .kind = "request",
                               .amount_yen = 4455000000LL, .within = 1, .parent = "親事業",
                               .unit = "千円", .line_numbers = blines, .nlines = 1};
    const sh_progrec sparse = {.tag = SH_PROGREC_MENTION, .name = "事業"}; /* NULLs: "" */
    sh_buf b = SH_BUF_INIT;
    CHECK(sh_progrec_put(&b, &mention) == SH_OK);
    CHECK(sh_progrec_put(&b, &budget) == SH_OK);
    CHECK(sh_progrec_put(&b, &sparse) == SH_OK);
    const sh_progrec unknown = {.tag = SH_PROGREC_NONE};
    CHECK(sh_progrec_put(&b, &unknown) == SH_ERR_INVALID);
    CHECK_STR(b.data, "M\x1fGIGAスクール構想\x1f旧事業\x1f" "4,5\x1e"
                      "B\x1fGIGAスクール構想\x1f" "2025\x1frequest\x1f" "4455000000\x1f" "1\x1f"
                      "親事業\x1f" "6\x1f千円\x1e" "M\x1f事業\x1f\x1f");
    char *data = copy_of(b.data, b.len);
    REQUIRE_VOID(data);
    char *cursor = data;
    sh_progrec r;
    REQUIRE_VOID(sh_progrec_next(&cursor, &r) == 1);
    CHECK(r.tag == SH_PROGREC_MENTION);
    CHECK_STR(r.name, mention.name);
    CHECK_STR(r.successor_of, mention.successor_of);
    CHECK_STR(r.lines, "4,5");
    REQUIRE_VOID(sh_progrec_next(&cursor, &r) == 1);
    CHECK(r.tag == SH_PROGREC_BUDGET);
    CHECK_STR(r.name, budget.name);
    CHECK(r.fiscal_year == 2025 && r.amount_yen == 4455000000LL && r.within == 1);
    CHECK_STR(r.kind, "request");
    CHECK_STR(r.parent, "親事業");
    CHECK_STR(r.lines, "6");
    CHECK_STR(r.unit, "千円");
    REQUIRE_VOID(sh_progrec_next(&cursor, &r) == 1);
    CHECK(r.tag == SH_PROGREC_MENTION);
    CHECK_STR(r.name, "事業");
    CHECK_STR(r.successor_of, "");
    CHECK_STR(r.lines, "");
    CHECK(sh_progrec_next(&cursor, &r) == 0);
    CHECK(sh_progrec_next(&cursor, &r) == 0);
    free(data);

    /* Truncated, unknown and short records: SH_PROGREC_NONE, or a budget without its unit. */
    char old[] = "\x1e\x1e" "B\x1fn\x1f" "2024\x1f" "budget\x1f" "100\x1f" "0\x1f\x1f" "3"
                 "\x1eX\x1f" "a\x1f" "b\x1f" "c\x1eM\x1fshort\x1f\x1e\x1e";
    cursor = old;
    CHECK(sh_progrec_next(&cursor, &r) == 1 && r.tag == SH_PROGREC_BUDGET && r.unit[0] == '\0' &&
          r.amount_yen == 100);
    CHECK(sh_progrec_next(&cursor, &r) == 1 && r.tag == SH_PROGREC_NONE);
    CHECK(sh_progrec_next(&cursor, &r) == 1 && r.tag == SH_PROGREC_NONE);
    CHECK(sh_progrec_next(&cursor, &r) == 0);
    for (size_t len = 0; len <= b.len; len++) {
        char *cut = copy_of(b.data, len);
        REQUIRE_VOID(cut);
        size_t records = 0;
        for (cursor = cut; sh_progrec_next(&cursor, &r) && records < 8; records++)
            CHECK(r.name && r.successor_of && r.kind && r.parent && r.unit && r.lines);
        CHECK(records <= 3);
        free(cut);
    }
    sh_buf_free(&b);
}

int main(void)
{
    test_passrec();
    test_pagerec();
    test_progrec();
    return check_done();
}
