/* test_account.c — body accounting as a property: on the layout simulator's pages and on every
 * page fixture, every non-blank body character is in exactly one passage and no stage dropped
 * any; boilerplate is in no passage; a dropped block is put back at its lines; and the passages
 * of each body kind (slides, charts, statistics tables, flows, vertical text, forms, prose,
 * CID-font text) are the units a reader would expect. */
#include "check.h"

#include "account.h"
#include "columns.h"
#include "layoutsim.h"
#include "page.h"
#include "passage.h"
#include "textfile.h"
#include "textpage.h"

#include "shiryo/status.h"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct built {
    page *pg;
    col_layout *layout;
    passage_set *set;
} built;

static void built_free(built *b)
{
    passage_set_destroy(b->set);
    col_layout_destroy(b->layout);
    page_destroy(b->pg);
    memset(b, 0, sizeof *b);
}

/* Parses, lays out and cuts data; 1 on success. */
static int build_mem(const char *name, const char *data, size_t len, built *b)
{
    memset(b, 0, sizeof *b);
    char *err = NULL;
    int rc = page_parse(name, data, len, &b->pg, &err);
    if (!rc)
        rc = col_layout_build(b->pg->lines, b->pg->nlines, &b->layout, &err);
    if (!rc)
        rc = passage_build(b->pg, b->layout, &b->set, &err);
    CHECK_MSG(rc == SH_OK, "%s: %s", name, err ? err : "?");
    free(err);
    if (rc)
        built_free(b);
    return rc == SH_OK;
}

static int build_file(const char *path, built *b)
{
    textfile tf;
    char *err = NULL;
    if (textfile_read(path, &tf, &err) != SH_OK) {
        CHECK_MSG(0, "%s: %s", path, err ? err : "?");
        free(err);
        return 0;
    }
    int ok = build_mem(path, tf.data, tf.len, b);
    textfile_free(&tf);
    return ok;
}

/* The property: exact accounting, nothing put back. */
static void check_accounted(const char *what, const page *pg, const passage_set *set)
{
    account_result acc;
    CHECK(account_check(pg, set, &acc, NULL) == SH_OK);
    CHECK_MSG(acc.missing_chars == 0 && acc.extra_chars == 0 && set->reattached == 0,
              "%s: %zu of %zu body characters in no passage, %zu extra, %zu put back (line %u)",
              what, acc.missing_chars, acc.body_chars, acc.extra_chars, set->reattached,
              acc.first_bad_line);
}

static void test_simulator_pages(void)
{
    size_t pages = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        lsim_page *sp = NULL;
        int prose = seed % 5 == 0;
        int rc = prose ? lsim_generate_prose(seed, 30 + (int)(seed % 40), &sp)
                       : lsim_generate(seed, NULL, &sp);
        REQUIRE_VOID(rc == 0 && sp);
        text_page *tp = text_page_from(sp->text, sp->len);
        col_layout *l = NULL;
        passage_set *set = NULL;
        REQUIRE_VOID(tp && col_layout_build(tp->pg.lines, tp->pg.nlines, &l, NULL) == SH_OK);
        REQUIRE_VOID(passage_build(&tp->pg, l, &set, NULL) == SH_OK);
        char what[64];
        snprintf(what, sizeof what, "simulator seed %llu", (unsigned long long)seed);
        check_accounted(what, &tp->pg, set);
        pages++;
        passage_set_destroy(set);
        col_layout_destroy(l);
        text_page_free(tp);
        lsim_free(sp);
    }
    CHECK(pages == 300);
}

static int contains(const char *s, size_t len, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(s + i, needle, k) == 0)
            return 1;
    return 0;
}

/* Site text that must never be a passage (or part of one). */
static void check_no_boilerplate(const char *what, const passage_set *set)
{
    static const char *const inside[] = {
        "よむ、つかう、まなぶ", "ダウンロードした画像を利用する際は", "低解像度画像をダウンロード",
        "資料テキストはコンピュータによる自動処理", "テキストをコピーしてご利用いただく際は",
        "エムシープラス", "資料、研修などをパッケージした", "公開元URL", "出典情報", NULL};
    static const char *const whole[] = {"出典", "ページ画像", "プレーンテキスト", NULL};
    for (size_t i = 0; i < set->n; i++) {
        const passage *ps = &set->items[i];
        for (const char *const *b = inside; *b; b++)
            CHECK_MSG(!contains(ps->text, ps->len, *b), "%s: passage %zu holds boilerplate %s: %s",
                      what, i, *b, ps->text);
        for (const char *const *b = whole; *b; b++)
            CHECK_MSG(strcmp(ps->text, *b) != 0, "%s: passage %zu is boilerplate %s", what, i, *b);
    }
}

/* Every fixture page in dir (relative to the source tree): the property and no boilerplate. */
static size_t check_fixture_dir(const char *rel)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", check_source_dir(), rel);
    DIR *d = opendir(dir);
    CHECK_MSG(d != NULL, "cannot open %s", dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t k = strlen(e->d_name);
        if (k < 5 || strcmp(e->d_name + k - 4, ".txt") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        built b;
        if (!build_file(path, &b))
            continue;
        check_accounted(path, b.pg, b.set);
        check_no_boilerplate(path, b.set);
        built_free(&b);
        n++;
    }
    closedir(d);
    return n;
}

static void test_fixtures(void)
{
    size_t n = check_fixture_dir("tests/fixtures/pages");
    n += check_fixture_dir("tests/fixtures/pages/header");
    n += check_fixture_dir("tests/fixtures/pages/body");
    n += check_fixture_dir("corpus");
    CHECK_MSG(n >= 30, "only %zu fixture pages", n);
}

/* A stage that drops a block: accounting puts its text back, at its lines, in one passage. */
static void test_repair(void)
{
    const char *text = "第一の段落です。\n二行目に続く。\n\n消える段落の一行目、\nそして二行目。\n\n最後の段落。\n";
    page *pg = NULL;
    col_layout *l = NULL;
    passage_set *set = NULL;
    REQUIRE_VOID(page_parse("drop.txt", text, strlen(text), &pg, NULL) == SH_OK);
    REQUIRE_VOID(col_layout_build(pg->lines, pg->nlines, &l, NULL) == SH_OK);
    /* Drop the block of lines 4-5, as a faulty layout stage would. */
    size_t victim = l->nblocks;
    for (size_t i = 0; i < l->nblocks; i++)
        if (l->blocks[i].nfrags && l->blocks[i].frags[0].lineno == 4)
            victim = i;
    REQUIRE_VOID(victim < l->nblocks);
    free(l->blocks[victim].frags);
    memmove(&l->blocks[victim], &l->blocks[victim + 1],
            (l->nblocks - victim - 1) * sizeof l->blocks[0]);
    l->nblocks--;
    /* Strict mode fails loudly: in a child, passage_build aborts. */
    fflush(NULL);
    pid_t child = fork();
    REQUIRE_VOID(child >= 0);
    if (child == 0) {
        setenv(ACCOUNT_STRICT_ENV, "1", 1);
        if (!freopen("/dev/null", "w", stderr))
            _exit(2);
        passage_set *s = NULL;
        passage_build(pg, l, &s, NULL);
        _exit(0);
    }
    int status = 0;
    REQUIRE_VOID(waitpid(child, &status, 0) == child);
    CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "strict accounting did not abort on a dropped block (status %d)", status);
    /* Without it, the text is put back. */
    const char *strict = getenv(ACCOUNT_STRICT_ENV);
    char *saved = strict ? strdup(strict) : NULL;
    unsetenv(ACCOUNT_STRICT_ENV);
    int rc = passage_build(pg, l, &set, NULL);
    if (saved) {
        setenv(ACCOUNT_STRICT_ENV, saved, 1);
        free(saved);
    }
    REQUIRE_VOID(rc == SH_OK);
    CHECK(set->reattached == strlen("消える段落の一行目、そして二行目。") / 3);
    account_result acc;
    CHECK(account_check(pg, set, &acc, NULL) == SH_OK);
    CHECK(acc.missing_chars == 0 && acc.extra_chars == 0);
    int found = 0;
    for (size_t i = 0; i < set->n; i++) {
        const passage *ps = &set->items[i];
        if (strcmp(ps->text, "消える段落の一行目、そして二行目。") == 0) {
            found = 1;
            CHECK(ps->nlines == 2 && ps->lines[0] == 4 && ps->lines[1] == 5);
            CHECK(ps->column == 1);
        }
    }
    CHECK_MSG(found, "the dropped paragraph was not put back as one passage");
    /* A passage naming a line its text is not on counts as extra. */
    if (set->n && set->items[0].npieces) {
        set->items[0].pieces[0].lineno = 7;
        CHECK(account_check(pg, set, &acc, NULL) == SH_OK);
        CHECK(acc.extra_chars > 0 && acc.missing_chars > 0);
    }
    passage_set_destroy(set);
    col_layout_destroy(l);
    page_destroy(pg);
}

/* The passage whose text contains needle, or NULL. */
static const passage *find_passage(const passage_set *set, const char *needle)
{
    for (size_t i = 0; i < set->n; i++)
        if (contains(set->items[i].text, set->items[i].len, needle))
            return &set->items[i];
    return NULL;
}

static int open_body(const char *name, built *b)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/pages/body/%s", check_source_dir(), name);
    return build_file(path, b);
}

static void test_body_kinds(void)
{
    built b;
    /* Slides: each bullet (○ • ※) is its own passage, the heading too. */
    if (open_body("slides.txt", &b)) {
        static const char *const items[] = {"取組の方向性", "○ 地域の医療提供体制の確保",
                                            "• 医師の働き方改革を着実に進める",
                                            "• 地域医療介護総合確保基金による支援",
                                            "※ 令和7年度予算案を含む", "○ 人材の確保",
                                            "• 看護職員の処遇改善"};
        CHECK_MSG(b.set->n == 7, "slides: %zu passages", b.set->n);
        for (size_t i = 0; i < 7 && i < b.set->n; i++)
            CHECK_STR(b.set->items[i].text, items[i]);
        built_free(&b);
    }
    /* A chart flattened to one value per line: runs are cut, no passage strings them all. */
    if (open_body("chart.txt", &b)) {
        CHECK(b.set->n >= 3);
        for (size_t i = 0; i < b.set->n; i++)
            CHECK_MSG(b.set->items[i].nlines <= 11, "chart passage %zu has %zu lines", i,
                      b.set->items[i].nlines);
        built_free(&b);
    }
    /* Two statistics tables sharing their row labels: the note between them is kept whole. */
    if (open_body("two_tables.txt", &b)) {
        const passage *ps = find_passage(b.set, "注:入院には食事療養費を含まない。");
        CHECK_MSG(ps != NULL, "two tables: the note is in no passage");
        CHECK(find_passage(b.set, "調剤は薬局調剤医療費である。") != NULL);
        CHECK(find_passage(b.set, "448,115") != NULL);
        CHECK(b.pg->repeat_from == 0);
        built_free(&b);
    }
    /* The same read as a three-column table: the note spans the table, so the layout reads each
     * of its lines as a measure heading. Headings used to be kept only as the measure of the
     * passages after them, so the first note line (overwritten by the second) and the table
     * header were in no passage. Now they are passages, the wrapped note one passage, and a
     * sentence is not taken for table 2's measure. */
    if (open_body("two_tables_cols.txt", &b)) {
        CHECK(b.layout->ncols == 3 && b.layout->header_end == 4);
        const passage *ps = find_passage(b.set, "訪問看護療養費は医科入院外に含めている。");
        CHECK_MSG(ps != NULL && ps->nlines == 2, "two tables (columns): the note is not whole");
        CHECK(find_passage(b.set, "注:入院には食事療養費を含まない。") == ps);
        CHECK(find_passage(b.set, "令和5年度令和6年度") != NULL);
        const passage *last = find_passage(b.set, "5.6 5.7");
        CHECK(last && last->column == 3 && strcmp(last->measure, "") == 0);
        built_free(&b);
    }
    /* A flow diagram: box labels and arrows in reading order. */
    if (open_body("flow.txt", &b)) {
        CHECK(find_passage(b.set, "申請者↓市町村窓口↓審査会") != NULL);
        CHECK(find_passage(b.set, "不服申立て") != NULL);
        built_free(&b);
    }
    /* Vertical text, one character per line, joins back into words. */
    if (open_body("tategaki.txt", &b)) {
        CHECK(find_passage(b.set, "令和六年度事業報告書") != NULL);
        built_free(&b);
    }
    /* A form with empty cells: every label kept, in order. */
    if (open_body("form.txt", &b)) {
        CHECK(find_passage(b.set, "氏名") && find_passage(b.set, "電話番号") &&
              find_passage(b.set, "申請の理由"));
        built_free(&b);
    }
    /* Running prose: one passage per paragraph, a word broken across lines joined. */
    if (open_body("prose.txt", &b)) {
        CHECK_MSG(b.set->n == 2, "prose: %zu passages", b.set->n);
        CHECK(find_passage(b.set, "医療機関の役割分担と連携") != NULL);
        CHECK(find_passage(b.set, "本報告書を踏まえた取組") != NULL);
        built_free(&b);
    }
    /* CID-font text keeps its code points in the passage (normalization folds them: test_norm). */
    if (open_body("cid_kangxi.txt", &b)) {
        CHECK(find_passage(b.set, "⽇本の⼈⼝の推移") != NULL);
        built_free(&b);
    }
}

/* Hundreds of single values never make one passage. */
static void test_long_value_run(void)
{
    char *text = malloc(600 * 16 + 64);
    REQUIRE_VOID(text != NULL);
    size_t k = 0;
    for (int i = 0; i < 600; i++)
        k += (size_t)sprintf(text + k, "%d.%d\n", 100 + i, i % 10);
    built b;
    if (build_mem("values.txt", text, k, &b)) {
        CHECK(b.set->n >= 55);
        for (size_t i = 0; i < b.set->n; i++)
            CHECK(b.set->items[i].nlines <= 11);
        check_accounted("values.txt", b.pg, b.set);
        built_free(&b);
    }
    free(text);
}

int main(void)
{
    test_simulator_pages();
    test_fixtures();
    test_repair();
    test_body_kinds();
    test_long_value_run();
    return check_done();
}
