/* test_columns.c — columns.c: column assignment accuracy on simulated table pages (layoutsim),
 * the hand-labelled real sample, pages without a table header, and hostile inputs. */
#include "check.h"
#include "columns.h"
#include "layoutsim.h"
#include "textpage.h"
#include "page.h"
#include "shiryo/status.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Thresholds sit just below what the current code reaches, so a regression fails loudly. */
#define SIM_PAGES 2400
#define SIM_MIN_FRAG_ACCURACY 0.988
#define SIM_MIN_BYTE_ACCURACY 0.990
#define SAMPLE_MIN_ACCURACY 0.97

/* ---- byte coverage: which block each byte of each body line went to ---- */

typedef struct coverage {
    int **col;        /* per page line, per byte: column (1..n), 0 heading, -1 uncovered */
    unsigned **row;   /* per page line, per byte: row of the block */
    int **count;      /* per page line, per byte: how many fragments cover it */
    size_t nlines;
} coverage;

static void coverage_free(coverage *cv)
{
    for (size_t i = 0; i < cv->nlines; i++) {
        free(cv->col[i]);
        free(cv->row[i]);
        free(cv->count[i]);
    }
    free(cv->col);
    free(cv->row);
    free(cv->count);
}

/* Returns 1 when every fragment lies inside its line (a broken fragment is reported). */
static int coverage_build(const page *p, const col_layout *l, coverage *cv)
{
    cv->nlines = p->nlines;
    cv->col = calloc(p->nlines + 1, sizeof *cv->col);
    cv->row = calloc(p->nlines + 1, sizeof *cv->row);
    cv->count = calloc(p->nlines + 1, sizeof *cv->count);
    if (!cv->col || !cv->row || !cv->count)
        return 0;
    for (size_t i = 0; i < p->nlines; i++) {
        size_t n = p->lines[i].len + 1;
        cv->col[i] = malloc(n * sizeof **cv->col);
        cv->row[i] = calloc(n, sizeof **cv->row);
        cv->count[i] = calloc(n, sizeof **cv->count);
        if (!cv->col[i] || !cv->row[i] || !cv->count[i])
            return 0;
        for (size_t k = 0; k < n; k++)
            cv->col[i][k] = -1;
    }
    int ok = 1;
    for (size_t b = 0; b < l->nblocks; b++) {
        const col_block *bl = &l->blocks[b];
        for (size_t f = 0; f < bl->nfrags; f++) {
            const col_frag *fr = &bl->frags[f];
            if (fr->line_index >= p->nlines || fr->off + fr->len > p->lines[fr->line_index].len ||
                fr->len == 0 || fr->lineno != p->lines[fr->line_index].lineno) {
                ok = 0;
                continue;
            }
            for (size_t k = fr->off; k < fr->off + fr->len; k++) {
                cv->col[fr->line_index][k] = bl->kind == COL_BLOCK_CELL ? bl->column : 0;
                cv->row[fr->line_index][k] = bl->row;
                cv->count[fr->line_index][k]++;
            }
        }
    }
    return ok;
}

/* The columns.h invariant: every byte of body lines from `first` on is in exactly one fragment,
 * except single spaces between two fragments. Returns the number of violating bytes. */
static size_t coverage_violations(const page *p, const coverage *cv, size_t first)
{
    size_t bad = 0;
    for (size_t i = first; i < p->nlines; i++) {
        const page_line *line = &p->lines[i];
        for (size_t k = 0; k < line->len; k++) {
            int c = cv->count[i][k];
            if (c == 1)
                continue;
            int separator = c == 0 && line->text[k] == ' ' && k > 0 && k + 1 < line->len &&
                            cv->count[i][k - 1] == 1 && cv->count[i][k + 1] == 1;
            if (!separator)
                bad++;
        }
    }
    return bad;
}

static size_t line_index_of(const page *p, unsigned lineno)
{
    for (size_t i = 0; i < p->nlines; i++)
        if (p->lines[i].lineno == lineno)
            return i;
    return (size_t)-1;
}

/* ---- (a) simulated pages ---- */

typedef struct sim_stats {
    size_t frags, frags_ok, bytes, bytes_ok;
    size_t by_cols_frags[LSIM_MAX_COLS + 1], by_cols_ok[LSIM_MAX_COLS + 1];
    size_t headings, headings_ok;
    size_t row_pairs, row_pairs_ok;
    size_t pages, pages_perfect, labels_ok, years_ok, ncols_ok, invariant_bad_pages;
} sim_stats;

/* Prints a generated page with each fragment marked [truth>predicted], ! on errors
 * and the true table row (SHIRYO_COLUMNS_DUMP=seed, or =all for every page):
 * the quickest way to see why the decoder went wrong. */
static void dump_page(const lsim_page *sp, const page *p, const coverage *cv)
{
    size_t i = 0;
    for (size_t li = 0; li < p->nlines; li++) {
        const page_line *line = &p->lines[li];
        fprintf(stderr, "%4u ", line->lineno);
        size_t at = 0;
        for (; i < sp->npieces && sp->pieces[i].lineno == line->lineno; i++) {
            const lsim_piece *pc = &sp->pieces[i];
            int got = cv->col[li][pc->off];
            fprintf(stderr, "[%d>%d%s r%u]%.*s ", pc->column, got, got == pc->column ? "" : "!",
                    pc->row, (int)pc->len, line->text + pc->off);
            at = pc->off + pc->len;
        }
        if (at == 0)
            fprintf(stderr, "%.*s", (int)line->len, line->text);
        fputc('\n', stderr);
    }
}

static void sim_one(uint64_t seed, sim_stats *st, int verbose, uint64_t dump_seed)
{
    lsim_page *sp = NULL;
    if (lsim_generate(seed, NULL, &sp)) {
        CHECK_MSG(0, "generator out of memory");
        return;
    }
    text_page *lp = text_page_from(sp->text, sp->len);
    col_layout *l = NULL;
    char *err = NULL;
    int rc = lp ? col_layout_build(lp->pg.lines, lp->pg.nlines, &l, &err) : SH_ERR_NOMEM;
    CHECK_MSG(rc == SH_OK, "seed %llu: %s", (unsigned long long)seed, err ? err : "");
    free(err);
    if (rc != SH_OK) {
        text_page_free(lp);
        lsim_free(sp);
        return;
    }
    const page *p = &lp->pg;
    st->pages++;
    if (l->ncols == sp->ncols)
        st->ncols_ok++;
    else if (verbose)
        fprintf(stderr, "seed %llu: ncols %d, want %d\n", (unsigned long long)seed, l->ncols,
                sp->ncols);
    int labels_ok = l->ncols == sp->ncols, years_ok = l->ncols == sp->ncols;
    for (int c = 0; c < sp->ncols && c < l->ncols; c++) {
        labels_ok &= strcmp(l->cols[c].label, sp->labels[c]) == 0;
        years_ok &= l->cols[c].fiscal_year == sp->fiscal_year[c];
    }
    st->labels_ok += labels_ok;
    st->years_ok += years_ok;
    coverage cv;
    memset(&cv, 0, sizeof cv);
    int in_bounds = coverage_build(p, l, &cv);
    CHECK_MSG(in_bounds, "seed %llu: fragment outside its line", (unsigned long long)seed);
    size_t bad = in_bounds ? coverage_violations(p, &cv, sp->header_lines) : 1;
    if (bad) {
        st->invariant_bad_pages++;
        fprintf(stderr, "seed %llu: %zu bytes dropped or duplicated\n", (unsigned long long)seed,
                bad);
    }
    if ((dump_seed == seed || dump_seed == UINT64_MAX) && in_bounds) {
        fprintf(stderr, "=== seed %llu\n", (unsigned long long)seed);
        dump_page(sp, p, &cv);
    }
    size_t page_errors = 0;
    const lsim_piece *prev_cell = NULL;
    unsigned prev_pred_row = 0;
    for (size_t i = 0; i < sp->npieces && in_bounds; i++) {
        const lsim_piece *pc = &sp->pieces[i];
        size_t li = line_index_of(p, pc->lineno);
        if (li == (size_t)-1)
            continue;
        size_t good = 0;
        for (size_t k = pc->off; k < pc->off + pc->len; k++)
            good += cv.col[li][k] == pc->column;
        int ok = good == pc->len;
        st->frags++;
        st->frags_ok += ok;
        st->bytes += pc->len;
        st->bytes_ok += good;
        st->by_cols_frags[sp->ncols]++;
        st->by_cols_ok[sp->ncols] += ok;
        if (pc->heading) {
            st->headings++;
            st->headings_ok += ok;
        }
        if (!ok) {
            page_errors++;
            if (verbose)
            {
                int got = cv.col[li][pc->off];
                fprintf(stderr, "seed %llu line %u: want col %d got %d: %.*s\t%s\t%s\n",
                        (unsigned long long)seed, pc->lineno, pc->column, got, (int)pc->len,
                        p->lines[li].text + pc->off,
                        pc->column > 0 ? sp->labels[pc->column - 1] : "(heading)",
                        got > 0 && got <= sp->ncols ? sp->labels[got - 1] : "(heading)");
            }
        }
        if (!pc->heading && ok) {
            unsigned pred_row = cv.row[li][pc->off];
            if (prev_cell) {
                int same_truth = prev_cell->row == pc->row;
                int same_pred = prev_pred_row == pred_row;
                st->row_pairs++;
                st->row_pairs_ok += same_truth == same_pred;
            }
            prev_cell = pc;
            prev_pred_row = pred_row;
        } else if (pc->heading) {
            prev_cell = NULL;
        }
    }
    st->pages_perfect += page_errors == 0;
    coverage_free(&cv);
    col_layout_destroy(l);
    text_page_free(lp);
    lsim_free(sp);
}

static void test_simulated(void)
{
    sim_stats st;
    memset(&st, 0, sizeof st);
    const char *verbose_env = getenv("SHIRYO_COLUMNS_VERBOSE");
    int verbose = verbose_env && *verbose_env;
    size_t pages = SIM_PAGES;
    const char *pages_env = getenv("SHIRYO_COLUMNS_PAGES");
    if (pages_env && atoi(pages_env) > 0)
        pages = (size_t)atoi(pages_env);
    /* SHIRYO_COLUMNS_FIRST_SEED checks unseen seeds (the thresholds hold for seeds 1..2400) */
    uint64_t first = 1;
    const char *first_env = getenv("SHIRYO_COLUMNS_FIRST_SEED");
    if (first_env && strtoull(first_env, NULL, 10) > 0)
        first = strtoull(first_env, NULL, 10);
    const char *dump_env = getenv("SHIRYO_COLUMNS_DUMP");
    uint64_t dump_seed = !dump_env                  ? 0
                         : strcmp(dump_env, "all") == 0 ? UINT64_MAX
                                                        : strtoull(dump_env, NULL, 10);
    clock_t t0 = clock();
    for (uint64_t seed = first; seed < first + pages; seed++)
        sim_one(seed, &st, verbose, dump_seed);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    double frag_acc = st.frags ? (double)st.frags_ok / (double)st.frags : 0;
    double byte_acc = st.bytes ? (double)st.bytes_ok / (double)st.bytes : 0;
    printf("simulated: %zu pages, %zu fragments (%.2fs)\n", st.pages, st.frags, secs);
    printf("  fragment accuracy %.4f, byte-weighted accuracy %.4f, pages without error %.3f\n",
           frag_acc, byte_acc, st.pages ? (double)st.pages_perfect / (double)st.pages : 0);
    for (int n = 1; n <= LSIM_MAX_COLS; n++)
        if (st.by_cols_frags[n])
            printf("  %d column(s): %.4f of %zu fragments\n", n,
                   (double)st.by_cols_ok[n] / (double)st.by_cols_frags[n], st.by_cols_frags[n]);
    printf("  headings %.4f of %zu; same-row agreement %.4f of %zu pairs\n",
           st.headings ? (double)st.headings_ok / (double)st.headings : 1, st.headings,
           st.row_pairs ? (double)st.row_pairs_ok / (double)st.row_pairs : 1, st.row_pairs);
    printf("  column count %zu/%zu, labels %zu/%zu, fiscal years %zu/%zu\n", st.ncols_ok,
           st.pages, st.labels_ok, st.pages, st.years_ok, st.pages);
    CHECK(st.pages == pages);
    CHECK_MSG(frag_acc >= SIM_MIN_FRAG_ACCURACY, "fragment accuracy %.4f", frag_acc);
    CHECK_MSG(byte_acc >= SIM_MIN_BYTE_ACCURACY, "byte accuracy %.4f", byte_acc);
    CHECK_MSG(st.invariant_bad_pages == 0, "%zu pages lost or duplicated text",
              st.invariant_bad_pages);
    CHECK(st.ncols_ok == st.pages);
    CHECK(st.labels_ok == st.pages);
    CHECK(st.years_ok == st.pages);
}

/* ---- (b) the real sample page ---- */



/* Concatenates a block's fragments (the reading the indexer will see). */
static char *join_block(const page *p, const col_block *b)
{
    size_t total = 1;
    for (size_t f = 0; f < b->nfrags; f++)
        total += b->frags[f].len;
    char *s = malloc(total);
    if (!s)
        return NULL;
    size_t n = 0;
    for (size_t f = 0; f < b->nfrags; f++) {
        memcpy(s + n, p->lines[b->frags[f].line_index].text + b->frags[f].off, b->frags[f].len);
        n += b->frags[f].len;
    }
    s[n] = '\0';
    return s;
}

static size_t count_occurrences(const char *hay, const char *needle)
{
    size_t count = 0, nl = strlen(needle);
    for (const char *s = strstr(hay, needle); s; s = strstr(s + nl, needle))
        count++;
    return count;
}

static void test_sample(void)
{
    size_t len = 0;
    char *data = check_read_source("corpus/000_68858178ce9f1934.txt", &len);
    REQUIRE_VOID(data != NULL);
    page *p = NULL;
    char *err = NULL;
    int rc = page_parse("000_68858178ce9f1934.txt", data, len, &p, &err);
    free(err);
    free(data);
    REQUIRE_VOID(rc == SH_OK);
    col_layout *l = NULL;
    rc = col_layout_build(p->lines, p->nlines, &l, NULL);
    if (rc != SH_OK) {
        page_destroy(p);
        CHECK(rc == SH_OK);
        return;
    }
    CHECK(l->ncols == 3);
    CHECK_STR(l->cols[0].label, "該当箇所");
    CHECK_STR(l->cols[1].label, "令和6年度の実績・状況");
    CHECK_STR(l->cols[2].label, "令和7年度の取組予定");
    CHECK(l->cols[0].fiscal_year == 0);
    CHECK(l->cols[1].fiscal_year == 2024);
    CHECK(l->cols[2].fiscal_year == 2025);
    CHECK_STR(l->cols[1].fy_label, "令和6年度");
    CHECK_STR(l->cols[2].fy_label, "令和7年度");

    coverage cv;
    memset(&cv, 0, sizeof cv);
    CHECK(coverage_build(p, l, &cv));
    size_t header_end = line_index_of(p, 16);
    CHECK(header_end != (size_t)-1);
    if (header_end != (size_t)-1)
        CHECK_MSG(coverage_violations(p, &cv, header_end) == 0, "sample lost or duplicated text");

    /* the hand-labelled truth */
    size_t flen = 0;
    char *fixture = check_read_source("tests/fixtures/columns/sample_labels.tsv", &flen);
    CHECK(fixture != NULL);
    size_t total = 0, correct = 0;
    unsigned cur_line = 0;
    size_t cursor = 0;
    for (char *line = fixture, *next; fixture && line < fixture + flen; line = next) {
        char *nl = memchr(line, '\n', (size_t)(fixture + flen - line));
        next = nl ? nl + 1 : fixture + flen;
        if (nl)
            *nl = '\0';
        if (*line == '#' || *line == '\0')
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2)
            continue;
        *tab1 = *tab2 = '\0';
        unsigned lineno = (unsigned)atoi(line);
        const char *want = tab1 + 1;
        const char *text = tab2 + 1;
        int want_col = *want == 'H' ? 0 : atoi(want);
        if (lineno != cur_line) {
            cur_line = lineno;
            cursor = 0;
        }
        size_t li = line_index_of(p, lineno);
        total++;
        if (li == (size_t)-1) {
            CHECK_MSG(0, "fixture line %u not in the page", lineno);
            continue;
        }
        const page_line *pl = &p->lines[li];
        size_t tl = strlen(text);
        if (cursor + tl > pl->len || memcmp(pl->text + cursor, text, tl) != 0) {
            CHECK_MSG(0, "fixture text not found at line %u: %s", lineno, text);
            continue;
        }
        size_t good = 0;
        for (size_t k = cursor; k < cursor + tl; k++)
            good += cv.col[li][k] == want_col;
        if (good == tl)
            correct++;
        else
            fprintf(stderr, "sample line %u: want %s, got %d: %s\n", lineno, want,
                    cv.col[li][cursor], text);
        cursor += tl + 1;
    }
    free(fixture);
    double acc = total ? (double)correct / (double)total : 0;
    printf("sample: %zu/%zu fragments in the right column (%.4f)\n", correct, total, acc);
    CHECK_MSG(total >= 100, "fixture has %zu fragments", total);
    CHECK_MSG(acc >= SAMPLE_MIN_ACCURACY, "sample accuracy %.4f", acc);

    /* 医工連携グローバル展開事業: 6 times in the first copy, 5 broken across lines, all in the
     * FY2025 column */
    size_t in_col3 = 0, elsewhere = 0;
    for (size_t b = 0; b < l->nblocks; b++) {
        char *joined = join_block(p, &l->blocks[b]);
        if (!joined)
            continue;
        size_t k = count_occurrences(joined, "医工連携グローバル展開事業");
        if (l->blocks[b].kind == COL_BLOCK_CELL && l->blocks[b].column == 3)
            in_col3 += k;
        else
            elsewhere += k;
        free(joined);
    }
    printf("sample: 医工連携グローバル展開事業 %zu times in column 3, %zu elsewhere\n", in_col3,
           elsewhere);
    CHECK(in_col3 == 6);
    CHECK(elsewhere == 0);
    /* headings */
    size_t sections = 0, measures = 0;
    for (size_t b = 0; b < l->nblocks; b++) {
        sections += l->blocks[b].kind == COL_BLOCK_SECTION;
        measures += l->blocks[b].kind == COL_BLOCK_MEASURE;
    }
    CHECK(sections == 1);
    CHECK(measures == 4);
    coverage_free(&cv);
    col_layout_destroy(l);
    page_destroy(p);
}

/* ---- (c) pages without a table header ---- */

static void test_prose(void)
{
    for (uint64_t seed = 1; seed <= 50; seed++) {
        lsim_page *sp = NULL;
        if (lsim_generate_prose(seed, 40 + (int)(seed % 3) * 10, &sp)) {
            CHECK_MSG(0, "generator out of memory");
            return;
        }
        text_page *lp = text_page_from(sp->text, sp->len);
        col_layout *l = NULL;
        int rc = lp ? col_layout_build(lp->pg.lines, lp->pg.nlines, &l, NULL) : SH_ERR_NOMEM;
        CHECK(rc == SH_OK);
        if (rc == SH_OK) {
            CHECK(l->ncols == 1);
            CHECK_STR(l->cols[0].label, "");
            CHECK(l->cols[0].fiscal_year == 0);
            coverage cv;
            memset(&cv, 0, sizeof cv);
            CHECK(coverage_build(&lp->pg, l, &cv));
            size_t wrong = 0;
            for (size_t i = 0; i < sp->npieces; i++) {
                const lsim_piece *pc = &sp->pieces[i];
                size_t li = line_index_of(&lp->pg, pc->lineno);
                for (size_t k = pc->off; k < pc->off + pc->len; k++)
                    wrong += li == (size_t)-1 || cv.col[li][k] != pc->column ||
                             cv.count[li][k] != 1;
            }
            CHECK_MSG(wrong == 0, "prose seed %llu: %zu bytes misplaced", (unsigned long long)seed,
                      wrong);
            coverage_free(&cv);
            col_layout_destroy(l);
        }
        text_page_free(lp);
        lsim_free(sp);
    }
    /* a title line with a space ("第1章 総則") must not be read as a two-column header */
    const char *law = "第1章 総則\n"
                      "この法律は、医療機器の研究開発及び普及の促進に関し、基本理念を定める。\n"
                      "国は、前条の基本理念にのっとり、施策を総合的に策定し、及び実施する。\n";
    text_page *lp = text_page_from(law, strlen(law));
    col_layout *l = NULL;
    REQUIRE_VOID(lp && col_layout_build(lp->pg.lines, lp->pg.nlines, &l, NULL) == SH_OK);
    CHECK(l->ncols == 1);
    size_t frags = 0;
    for (size_t b = 0; b < l->nblocks; b++)
        frags += l->blocks[b].nfrags;
    CHECK(frags == 3);
    col_layout_destroy(l);
    text_page_free(lp);
}

/* ---- single cues on hand-made pages ---- */

/* Column (1-based, 0 heading, -1 none) of the fragment holding the first byte of needle on the
 * page line that contains it, or -2 when no line contains it. */
static int column_of(const char *text, const char *needle)
{
    text_page *lp = text_page_from(text, strlen(text));
    col_layout *l = NULL;
    if (!lp || col_layout_build(lp->pg.lines, lp->pg.nlines, &l, NULL) != SH_OK) {
        text_page_free(lp);
        return -3;
    }
    int col = -2;
    for (size_t li = 0; li < lp->pg.nlines && col == -2; li++) {
        const page_line *line = &lp->pg.lines[li];
        const char *at = NULL;
        size_t nl = strlen(needle);
        for (size_t k = 0; k + nl <= line->len && !at; k++)
            if (memcmp(line->text + k, needle, nl) == 0)
                at = line->text + k;
        if (!at)
            continue;
        size_t off = (size_t)(at - line->text);
        col = -1;
        for (size_t b = 0; b < l->nblocks; b++)
            for (size_t f = 0; f < l->blocks[b].nfrags; f++) {
                const col_frag *fr = &l->blocks[b].frags[f];
                if (fr->line_index == li && off >= fr->off && off < fr->off + fr->len)
                    col = l->blocks[b].kind == COL_BLOCK_CELL ? l->blocks[b].column : 0;
            }
    }
    col_layout_destroy(l);
    text_page_free(lp);
    return col;
}

static void test_cues(void)
{
    /* labels set expectations: in twin columns a lone bullet that reports (実施した, 令和6年度予算)
     * belongs to the results column, one that announces (推進する, 令和7年度予算案) to the plans */
    const char *roles = "列1 列2 列3\n"
                        "施策 令和6年度の実績 令和7年度の取組予定\n"
                        "研究開発の推進 ・研究開発の支援を行った。 ・研究開発の支援を行う。\n"
                        "人材の育成 ・研修会を開催した。 ・研修会を開催する。\n"
                        "国際展開の推進 ・海外展開の支援を実施した。 ・海外展開の支援を実施する。\n"
                        "・展示会(令和6年度予算:3億円)への出展を支援した。\n"
                        "普及啓発 ・広報を行った。 ・広報を行う。\n"
                        "・説明会(令和7年度予算案:5億円)を開催する。\n";
    CHECK(column_of(roles, "・展示会") == 2);
    CHECK(column_of(roles, "・説明会") == 3);
    /* the rest of a ministry tag on its own line ends column 1's paragraph */
    const char *tag = "列1 列2\n"
                      "施策 令和6年度の実績\n"
                      "医療機器の研究開発の支援体制の整備を推進する。[文、◎厚、 ・補助事業を実施した。\n"
                      "◎経]\n"
                      "臨床研究・治験の実施体制の強化を図る。[◎厚] ・相談窓口を設置した。\n"
                      "地域の実情に応じた医療提供体制の確保を図る。[◎厚] ・実態調査を行った。\n";
    CHECK(column_of(tag, "◎経]") == 1);
    /* an amount cell after a column line that ends in Latin text is a column of its own */
    const char *amount =
        "列1 列2 列3\n"
        "施策の内容 令和7年度予算額 担当府省\n"
        "研究開発拠点と連携することで、医療機器の研究開発の支援体制の整 13億円 厚生労働省\n"
        "備を推進する。\n"
        "地域の実情に応じて、臨床研究・治験の実施体制の強化を図る。 2.9億円 文部科学省\n"
        "デジタル技術を活用した行政手続の効率化を推進し、見守りのIoT 14億円の内数 経済産業省\n"
        "センサの整備を図る。\n"
        "中小企業の生産性向上を図るため、相談対応の充実を図る。 6.0億円 総務省\n";
    CHECK(column_of(amount, "14億円の内数") == 2);
    CHECK(column_of(amount, "経済産業省") == 3);
    CHECK(column_of(amount, "センサの整備") == 1);
}

/* ---- hostile inputs: nothing crashes, nothing is lost, time stays linear ---- */

static void check_page_invariant(const char *what, const char *text, size_t len, double max_secs)
{
    text_page *lp = text_page_from(text, len);
    if (!lp) {
        CHECK_MSG(0, "%s: out of memory", what);
        return;
    }
    col_layout *l = NULL;
    clock_t t0 = clock();
    int rc = col_layout_build(lp->pg.lines, lp->pg.nlines, &l, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_MSG(rc == SH_OK, "%s: rc %d", what, rc);
    CHECK_MSG(secs <= max_secs, "%s: %.2fs", what, secs);
    if (rc == SH_OK) {
        coverage cv;
        memset(&cv, 0, sizeof cv);
        CHECK_MSG(coverage_build(&lp->pg, l, &cv), "%s: fragment out of bounds", what);
        /* header lines are not in blocks: count violations after the header only */
        size_t first = 0;
        if (l->ncols > 1 || (l->cols[0].label && *l->cols[0].label)) {
            first = lp->pg.nlines;
            for (size_t b = 0; b < l->nblocks; b++)
                for (size_t f = 0; f < l->blocks[b].nfrags; f++)
                    if (l->blocks[b].frags[f].line_index < first)
                        first = l->blocks[b].frags[f].line_index;
        }
        CHECK_MSG(coverage_violations(&lp->pg, &cv, first) == 0, "%s: text lost", what);
        coverage_free(&cv);
        col_layout_destroy(l);
    }
    text_page_free(lp);
}

static void test_hostile(void)
{
    /* empty page, blank lines only, a header alone */
    check_page_invariant("empty", "", 0, 1);
    check_page_invariant("blank", "\n\n\n", 3, 1);
    const char *header_only = "該当箇所 列1 列2\n列3\n令和6年度の実績・状況\n令和7年度の取組予定\n";
    check_page_invariant("header only", header_only, strlen(header_only), 1);
    /* random bytes, including invalid UTF-8, with many spaces and a table header */
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 40; round++) {
        size_t len = 2000 + (size_t)round * 300;
        char *buf = malloc(len + 64);
        if (!buf)
            return;
        size_t n = 0;
        if (round % 2) {
            memcpy(buf, "列1 列2 列3 列4\n", strlen("列1 列2 列3 列4\n"));
            n = strlen("列1 列2 列3 列4\n");
        }
        static const char *const atoms[] = {" ", " ", "\n", "・", "。", "】", "【", "[◎厚]", "研究",
                                            "ー", "A", "\xFF", "\xE3\x81", "(", "、", "列9"};
        while (n < len) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            const char *atom = atoms[x % (sizeof atoms / sizeof atoms[0])];
            size_t al = strlen(atom);
            memcpy(buf + n, atom, al);
            n += al;
        }
        char what[32];
        snprintf(what, sizeof what, "random %d", round);
        check_page_invariant(what, buf, n, 2);
        free(buf);
    }
    /* a 100,000-line table and one 10 MB line must stay fast */
    {
        const char *head = "該当箇所 列1 列2 列3\n令和6年度 令和7年度\n";
        const char *row = "研究開発の推進に取り組む ・実績を記載した。 ・予定を記載する。\n";
        size_t hl = strlen(head), rl = strlen(row), lines = 100000;
        char *buf = malloc(hl + rl * lines + 1);
        if (buf) {
            memcpy(buf, head, hl);
            for (size_t i = 0; i < lines; i++)
                memcpy(buf + hl + i * rl, row, rl);
            check_page_invariant("100k lines", buf, hl + rl * lines, 30);
            free(buf);
        }
        size_t big = 10u << 20;
        buf = malloc(hl + big + 1);
        if (buf) {
            memcpy(buf, head, hl);
            for (size_t i = 0; i < big; i++)
                buf[hl + i] = (i % 7 == 6) ? ' ' : "abc"[i % 3];
            for (size_t i = 0; i + 3 < big; i += 4099)
                memcpy(buf + hl + i, "。 ", 4);
            check_page_invariant("10MB line", buf, hl + big, 30);
            free(buf);
        }
    }
    {
        col_layout *l = NULL;
        CHECK(col_layout_build(NULL, 3, &l, NULL) == SH_ERR_INVALID); /* lines missing */
        CHECK(col_layout_build(NULL, 0, NULL, NULL) == SH_ERR_INVALID); /* output missing */
        CHECK(col_layout_build(NULL, 0, &l, NULL) == SH_OK && l && l->nblocks == 0); /* no lines */
        col_layout_destroy(l);
        col_layout_destroy(NULL);
    }
}

int main(void)
{
    test_simulated();
    test_sample();
    test_prose();
    test_cues();
    test_hostile();
    return check_done();
}
