/* test_programs.c — programs.c: the hand-checked programs and budget lines of the sample page's
 * passages, amount / era / kind formats in ASCII and full-width, and hostile inputs. */
#include "check.h"
#include "programs.h"
#include "shiryo/buf.h"
#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Generous: the extractor takes well under a second on a megabyte even under ASan; a quadratic
 * slip would take minutes. */
#define MAX_SECONDS_PER_MB 10.0

/* ---- fixture files ---- */

static char *read_fixture(const char *name)
{
    char rel[512];
    snprintf(rel, sizeof rel, "tests/fixtures/programs/%s", name);
    return check_read_source(rel, NULL);
}

/* Splits data in place into lines, skipping blank lines and # comments. */
static size_t split_lines(char *data, char **lines, size_t max)
{
    size_t n = 0;
    for (char *line = data; line && *line && n < max;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t l = strlen(line);
        if (l > 0 && line[l - 1] == '\r')
            line[l - 1] = '\0';
        if (line[0] && line[0] != '#')
            lines[n++] = line;
        line = next;
    }
    return n;
}

/* Cuts a line at its first count-1 tabs; fields[count-1] is the rest. Returns the field count. */
static int split_fields(char *line, char **fields, int count)
{
    int n = 0;
    fields[n++] = line;
    while (n < count) {
        char *tab = strchr(fields[n - 1], '\t');
        if (!tab)
            break;
        *tab = '\0';
        fields[n++] = tab + 1;
    }
    return n;
}

/* ---- rows: one line per budget line, as in the fixtures ---- */

typedef struct rows {
    char **v;
    size_t n, cap;
} rows;

static void rows_push(rows *r, const char *s)
{
    char **grown = sh_array_grow(r->v, &r->cap, r->n + 1, sizeof *grown);
    if (!grown)
        return;
    r->v = grown;
    char *copy = malloc(strlen(s) + 1);
    if (copy) {
        strcpy(copy, s);
        r->v[r->n++] = copy;
    }
}

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    free(r->v);
    *r = (rows){NULL, 0, 0};
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture rows of a set: name, successor_of, fiscal_year, year_from_column, kind, amount,
 * within, parent and the text at the line's offsets. */
static void rows_of_set(const char *text, const program_set *set, rows *out)
{
    char row[8192];
    for (size_t i = 0; i < set->n; i++) {
        const program_mention *m = &set->items[i];
        const char *succ = m->successor_of ? m->successor_of : "-";
        if (m->nbudgets == 0) {
            snprintf(row, sizeof row, "%s\t%s\t-\t-\t-\t-\t-\t-\t-", m->name, succ);
            rows_push(out, row);
        }
        for (size_t k = 0; k < m->nbudgets; k++) {
            const budget_line *b = &m->budgets[k];
            snprintf(row, sizeof row, "%s\t%s\t%d\t%d\t%s\t%lld\t%d\t%s\t%.*s", m->name, succ,
                     b->fiscal_year, b->year_from_column, b->kind, b->amount_yen, b->within,
                     b->parent ? b->parent : "-", (int)(b->end - b->start), text + b->start);
            rows_push(out, row);
        }
    }
}

/* Requires got == want as multisets; prints every missing and extra row. */
static void compare_rows(const char *label, rows *got, rows *want)
{
    if (got->n > 1)
        qsort(got->v, got->n, sizeof *got->v, cmp_str);
    if (want->n > 1)
        qsort(want->v, want->n, sizeof *want->v, cmp_str);
    size_t i = 0, j = 0, bad = 0;
    while (i < got->n || j < want->n) {
        int c = i == got->n ? 1 : j == want->n ? -1 : strcmp(got->v[i], want->v[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            fprintf(stderr, "%s: extra   %s\n", label, got->v[i++]);
            bad++;
        } else {
            fprintf(stderr, "%s: missing %s\n", label, want->v[j++]);
            bad++;
        }
    }
    CHECK_MSG(bad == 0, "%s: %zu rows differ", label, bad);
}

static int known_kind(const char *k)
{
    static const char *const kinds[] = {
        PROGRAM_KIND_BUDGET,  PROGRAM_KIND_PROPOSAL,   PROGRAM_KIND_SUPPLEMENTARY,
        PROGRAM_KIND_SUPPLEMENTARY_PROPOSAL, PROGRAM_KIND_REQUEST, PROGRAM_KIND_SETTLEMENT,
        PROGRAM_KIND_OTHER,
    };
    for (size_t i = 0; k && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(k, kinds[i]) == 0)
            return 1;
    return 0;
}

/* What must hold for any input: names are the text at their offsets, in order, inside the
 * text; budget offsets inside the text; kinds from the list; flags 0/1. Returns failures. */
static int check_invariants(const char *label, const char *text, size_t len, const program_set *s)
{
    int bad = 0;
    for (size_t i = 0; i < s->n; i++) {
        const program_mention *m = &s->items[i];
        int ok = m->name && m->start < m->end && m->end <= len &&
                 strlen(m->name) == m->end - m->start &&
                 memcmp(text + m->start, m->name, m->end - m->start) == 0 &&
                 m->year_prefix_len < m->end - m->start && (m->bracketed == 0 || m->bracketed == 1) &&
                 (m->nbudgets == 0) == (m->budgets == NULL) && m->nbudgets <= PROGRAMS_MAX_BUDGETS;
        if (i > 0 && (s->items[i - 1].start > m->start ||
                      (s->items[i - 1].start == m->start && s->items[i - 1].end >= m->end)))
            ok = 0;
        for (size_t k = 0; k < m->nbudgets; k++) {
            const budget_line *b = &m->budgets[k];
            if (!(b->start < b->end && b->end <= len && known_kind(b->kind) &&
                  (b->within == 0 || b->within == 1) && b->amount_yen >= -1 &&
                  (b->year_from_column == 0 || b->year_from_column == 1)))
                ok = 0;
        }
        if (!ok) {
            bad++;
            fprintf(stderr, "%s: bad mention %zu (%zu-%zu)\n", label, i, m->start, m->end);
        }
    }
    if (s->n > PROGRAMS_MAX_MENTIONS)
        bad++;
    return bad;
}

/* ---- (a) the sample page ---- */

#define MAX_LINES 4096

static void test_sample(void)
{
    char *pdata = read_fixture("sample_passages.txt");
    char *edata = read_fixture("sample_programs.tsv");
    static char *plines[MAX_LINES], *elines[MAX_LINES];
    REQUIRE_VOID(pdata && edata);
    size_t np = split_lines(pdata, plines, MAX_LINES);
    size_t ne = split_lines(edata, elines, MAX_LINES);
    CHECK(np >= 36);
    CHECK(ne >= 40);
    char *pf[MAX_LINES][3];
    for (size_t i = 0; i < np; i++)
        CHECK_MSG(split_fields(plines[i], pf[i], 3) == 3, "passage line %zu", i + 1);
    /* every expected row belongs to a listed passage */
    for (size_t j = 0; j < ne; j++) {
        char *tab = strchr(elines[j], '\t');
        int found = 0;
        for (size_t i = 0; tab && i < np && !found; i++)
            found = strlen(pf[i][0]) == (size_t)(tab - elines[j]) &&
                    memcmp(pf[i][0], elines[j], (size_t)(tab - elines[j])) == 0;
        CHECK_MSG(found, "expected row for an unknown passage: %s", elines[j]);
    }
    size_t budget_programs = 0, total_rows = 0;
    for (size_t i = 0; i < np; i++) {
        const char *id = pf[i][0], *text = pf[i][2];
        int fy = atoi(pf[i][1]);
        program_set *set = NULL;
        char *err = NULL;
        int rc = programs_extract(text, strlen(text), fy, &set, &err);
        CHECK_MSG(rc == SH_OK && set, "%s: rc %d %s", id, rc, err ? err : "");
        free(err);
        if (!set)
            continue;
        CHECK(check_invariants(id, text, strlen(text), set) == 0);
        rows got = {0}, want = {0};
        rows_of_set(text, set, &got);
        size_t idlen = strlen(id);
        for (size_t j = 0; j < ne; j++)
            if (strncmp(elines[j], id, idlen) == 0 && elines[j][idlen] == '\t')
                rows_push(&want, elines[j] + idlen + 1);
        compare_rows(id, &got, &want);
        for (size_t k = 0; k < set->n; k++)
            budget_programs += set->items[k].nbudgets > 0;
        total_rows += got.n;
        CHECK(!set->truncated);
        rows_free(&got);
        rows_free(&want);
        program_set_destroy(set);
    }
    CHECK(budget_programs >= 8);
    CHECK(total_rows == ne); /* together with the per-passage comparison: no row unread */
    free(pdata);
    free(edata);
}

/* Details the fixture rows do not show: offsets of names, the bracketed flag, the year prefix. */
static program_set *extract_str(const char *text, int fy)
{
    program_set *set = NULL;
    int rc = programs_extract(text, strlen(text), fy, &set, NULL);
    CHECK_MSG(rc == SH_OK && set, "rc %d for %s", rc, text);
    return set;
}

static const program_mention *find_mention(const program_set *set, const char *name)
{
    for (size_t i = 0; set && i < set->n; i++)
        if (strcmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

static void test_details(void)
{
    const char *medtech =
        "・「MedTech ROUND ~MedTech Startups acceleration program~」(令和6年度商取引・サービス環境"
        "の適正化に係る事業(医療機器産業ビジョンの具体化に向けた海外展開促進等に関する調査):9百万円)"
        "において、既存企業によるベンチャー企業を対象としたアクセラレーショントライアルプログラムを実施し";
    program_set *set = extract_str(medtech, 2024);
    const program_mention *fund = find_mention(set, "令和6年度商取引・サービス環境の適正化に係る事業");
    const program_mention *round =
        find_mention(set, "MedTech ROUND ~MedTech Startups acceleration program~");
    CHECK(fund && fund->year_prefix_len == strlen("令和6年度") && !fund->bracketed);
    CHECK(round && round->bracketed && round->year_prefix_len == 0);
    CHECK(round && round->start == strlen("・「"));
    CHECK(set && set->n == 2);
    program_set_destroy(set);

    const char *region = "・「医療機器開発支援ネットワーク」や「地域連携拠点」(いずれも医工連携イノベーション"
                         "推進事業として令和6年度予算:19億円の内数)を通じて";
    set = extract_str(region, 2024);
    const program_mention *hub = find_mention(set, "地域連携拠点");
    const program_mention *net = find_mention(set, "医療機器開発支援ネットワーク");
    const program_mention *parent = find_mention(set, "医工連携イノベーション推進事業");
    CHECK(hub && strncmp(region + hub->start, "地域連携拠点」(", strlen("地域連携拠点」(")) == 0);
    CHECK(net && net->start == strlen("・「") && net->bracketed);
    CHECK(parent && !parent->bracketed && parent->nbudgets == 1 && parent->budgets[0].within == 0);
    CHECK(hub && hub->nbudgets == 1 && hub->budgets[0].within == 1 &&
          hub->budgets[0].start == (size_t)(strstr(region, "令和6年度予算") - region));
    CHECK(set && set->n == 3 && set->items[0].start < set->items[1].start);
    program_set_destroy(set);

    set = extract_str("(令和6年度予算:1億円)を計上", 2024); /* an amount nobody owns is dropped */
    CHECK(set && set->n == 0);
    program_set_destroy(set);
}

/* ---- (b) formats ---- */

static void test_formats(void)
{
    char *data = read_fixture("formats.tsv");
    static char *lines[MAX_LINES];
    REQUIRE_VOID(data);
    size_t n = split_lines(data, lines, MAX_LINES);
    CHECK(n >= 60);
    char *f[MAX_LINES][3];
    for (size_t i = 0; i < n; i++)
        CHECK_MSG(split_fields(lines[i], f[i], 3) == 3, "formats line %zu", i + 1);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        rows want = {0}, got = {0};
        while (j < n && strcmp(f[j][0], f[i][0]) == 0 && strcmp(f[j][1], f[i][1]) == 0) {
            if (strncmp(f[j][2], "-\t", 2) != 0)
                rows_push(&want, f[j][2]);
            j++;
        }
        const char *text = f[i][0];
        program_set *set = extract_str(text, atoi(f[i][1]));
        if (set) {
            CHECK(check_invariants(text, text, strlen(text), set) == 0);
            rows_of_set(text, set, &got);
            char label[512];
            snprintf(label, sizeof label, "[%s | %s]", text, f[i][1]);
            compare_rows(label, &got, &want);
        }
        program_set_destroy(set);
        rows_free(&want);
        rows_free(&got);
        i = j;
    }
    free(data);
}

/* ---- (c) hostile inputs ---- */

static uint64_t rng_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* Runs the extractor, checks the invariants and returns the seconds it took. */
static double run_hostile(const char *label, const char *text, size_t len, int fy)
{
    program_set *set = NULL;
    char *err = NULL;
    clock_t t0 = clock();
    int rc = programs_extract(text, len, fy, &set, &err);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_MSG(rc == SH_OK && set, "%s: rc %d %s", label, rc, err ? err : "");
    free(err);
    if (set)
        CHECK_MSG(check_invariants(label, text, len, set) == 0, "%s", label);
    program_set_destroy(set);
    return secs;
}

/* Repeats unit until the buffer holds about `bytes`. */
static char *repeat(const char *unit, size_t bytes, size_t *len)
{
    size_t ul = strlen(unit), count = bytes / ul + 1;
    char *s = malloc(count * ul + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < count; i++)
        memcpy(s + i * ul, unit, ul);
    s[count * ul] = '\0';
    *len = count * ul;
    return s;
}

static void test_api(void)
{
    char *err = NULL;
    program_set dummy;
    program_set *set = &dummy; /* must be reset to NULL on error */
    CHECK(programs_extract("x", 1, 0, NULL, &err) == SH_ERR_INVALID && err);
    free(err);
    err = NULL;
    CHECK(programs_extract(NULL, 3, 0, &set, &err) == SH_ERR_INVALID && !set && err);
    free(err);
    err = NULL;
    CHECK(programs_extract(NULL, 0, 2024, &set, &err) == SH_OK && set && set->n == 0);
    program_set_destroy(set);
    CHECK(programs_extract("", 0, 2024, &set, NULL) == SH_OK && set && set->n == 0);
    program_set_destroy(set);
    program_set_destroy(NULL);
    size_t big = (size_t)PROGRAMS_MAX_INPUT + 1;
    char *huge = malloc(big);
    if (huge) {
        memset(huge, 'a', big);
        CHECK(programs_extract(huge, big, 0, &set, &err) == SH_ERR_RANGE && !set && err);
        free(err);
        err = NULL;
        CHECK(programs_extract(huge, big - 1, 0, &set, NULL) == SH_OK && set && set->n == 0);
        program_set_destroy(set);
        free(huge);
    }
}

static void test_hostile(void)
{
    static const char *const unbalanced[] = {
        "」」」((((「「『", ")(", "「", "」", "(", ")", "『』「」()", "「試験事業(令和6年度予算:1億円」)",
        "(「試験事業」)(令和6年度予算:1億円", "「試験事業」(令和6年度予算:1億円", "「試験事業」令和6年度予算:1億円)",
        "(((令和6年度予算:1億円)", "試験事業((令和6年度予算:1億円))", "「「「試験事業」」」(令和6年度予算:1億円)",
        "(いずれも)", "(の内数)", "(:円)", "(1円)", "「」(1円)", "・(1億円)", "の後継事業となる",
        "事業の後継事業となる事業", "「」の後継事業となる「」", "(Aの後継事業となるとして令和6年度予算:1億円の内数)",
        "\xE3\x80", "「試験事業」(令和6年度予算:1億円)\xFF\xFE", "(令和6年度予算:,,,1..2億円)",
    };
    for (size_t i = 0; i < sizeof unbalanced / sizeof unbalanced[0]; i++)
        run_hostile(unbalanced[i], unbalanced[i], strlen(unbalanced[i]), 2024);

    /* 10,000 nested parens around a budget, with a program before them */
    size_t depth = 10000, len = 0;
    const char *head = "・「試験事業」", *mid = "令和6年度予算:1億円の内数";
    char *nested = malloc(strlen(head) + 2 * depth + strlen(mid) + 1);
    if (nested) {
        len = strlen(head);
        memcpy(nested, head, len);
        memset(nested + len, '(', depth);
        len += depth;
        memcpy(nested + len, mid, strlen(mid));
        len += strlen(mid);
        memset(nested + len, ')', depth);
        len += depth;
        nested[len] = '\0';
        run_hostile("10,000 nested parens", nested, len, 2024);
        free(nested);
    }

    /* a megabyte of 「, of a full budget mention, and of mixed material; timed */
    static const char *const units[] = {
        "「",
        "『",
        "(",
        "・「試験事業」(令和6年度予算:13億円)",
        "「A」や「B」(いずれも試験推進事業の後継事業となる試験展開事業として令和7年度予算案:14億円の内数)",
        "臨床研究・治験推進研究事業(アジア地域における臨床研究・治験ネットワークの構築事業)(令和6年度予算:3.9億円)",
        "試験事業の後継事業となる",
        "9999999999999999999999999999",
        "1億2,000万",
    };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        char *mb = repeat(units[u], 1 << 20, &len);
        if (!mb)
            continue;
        char label[256];
        snprintf(label, sizeof label, "1 MB of %.60s", units[u]);
        double secs = run_hostile(label, mb, len, 2024);
        CHECK_MSG(secs < MAX_SECONDS_PER_MB, "%s took %.2f s", label, secs);
        free(mb);
    }

    /* nested budget groups, each level with its own amount and a nested head: about 20 levels
     * fit the length a budget (…) may have, repeated to a megabyte */
    {
        char unit[2048];
        size_t ul = 0;
        const int levels = 20;
        ul += (size_t)sprintf(unit + ul, "試験事業");
        for (int d = 0; d < levels; d++)
            ul += (size_t)sprintf(unit + ul, "(令和6年度予算:");
        for (int d = 0; d < levels; d++)
            ul += (size_t)sprintf(unit + ul, "公費%d億円の内数)", d + 1);
        char *mb = repeat(unit, 1 << 20, &len);
        if (mb) {
            double secs = run_hostile("1 MB of nested budget groups", mb, len, 2024);
            CHECK_MSG(secs < MAX_SECONDS_PER_MB, "nested budget groups took %.2f s", secs);
            free(mb);
        }
    }

    /* distinct programs beyond the mention limit: truncated, never more than the limit */
    size_t count = PROGRAMS_MAX_MENTIONS + 100;
    char *many = malloc(count * 64);
    if (many) {
        len = 0;
        for (size_t i = 0; i < count; i++)
            len += (size_t)sprintf(many + len, "「試験%zu事業」(令和6年度予算:%zu億円)、", i, i + 1);
        program_set *set = NULL;
        CHECK(programs_extract(many, len, 2024, &set, NULL) == SH_OK && set);
        CHECK(set && set->n == PROGRAMS_MAX_MENTIONS && set->truncated);
        if (set)
            CHECK(check_invariants("many", many, len, set) == 0);
        program_set_destroy(set);
        free(many);
    }

    /* random valid UTF-8 from the characters the extractor reacts to, and from anywhere */
    static const char *const tokens[] = {
        "「", "」", "『", "』", "(", ")", "（", "）", ":", "：", "、", "。", "・", " ", "　", "0", "1", "9",
        "０", "５", ",", "，", ".", "．", "億", "万", "千", "百", "十", "兆", "円", "令和", "平成", "元",
        "R", "FY", "2025", "年度", "年", "予算", "予算案", "補正", "概算要求", "決算", "の内数", "内数",
        "いずれも", "として", "の", "後継事業となる", "事業", "拠点", "プログラム", "ネットワーク", "基金",
        "試験", "医工連携", "や", "及び", "という", "以下", "を通じて", "における", "同", "約",
    };
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    char buf[4096];
    for (int iter = 0; iter < 4000; iter++) {
        size_t n = 0, want = rng_next(&state) % 120;
        for (size_t t = 0; t < want; t++) {
            const char *tok = tokens[rng_next(&state) % (sizeof tokens / sizeof tokens[0])];
            size_t tl = strlen(tok);
            if (n + tl >= sizeof buf)
                break;
            memcpy(buf + n, tok, tl);
            n += tl;
        }
        buf[n] = '\0';
        run_hostile("token soup", buf, n, (int)(rng_next(&state) % 3) * 2024 / 2);
    }
    for (int iter = 0; iter < 1000; iter++) {
        size_t n = 0, want = rng_next(&state) % 300;
        for (size_t t = 0; t < want && n + 4 < sizeof buf; t++) {
            uint32_t cp;
            do
                cp = (uint32_t)(rng_next(&state) % (iter % 2 ? 0x110000 : 0x10000));
            while (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF));
            n += sh_utf8_encode(cp, buf + n);
        }
        run_hostile("random code points", buf, n, 2024);
    }
    for (int iter = 0; iter < 500; iter++) { /* not even UTF-8: still no crash */
        size_t n = rng_next(&state) % 400;
        for (size_t t = 0; t < n; t++)
            buf[t] = (char)(rng_next(&state) & 0xFF);
        run_hostile("random bytes", buf, n, 0);
    }
}

int main(void)
{
    test_api();
    test_sample();
    test_details();
    test_formats();
    test_hostile();
    return check_done();
}
