/* tune_columns.c — developer tool (not in the default build: `cmake --build build --target
 * tune_columns`): searches the layout decoder's weights on simulated pages (coordinate descent on
 * fragment accuracy) and writes them as indexer/columns_weights.c.
 *
 * It links the layout family through its internal header (columns_int.h), so the search drives
 * the very decoder the indexer runs, without widening columns.h. Train on seeds the tests do not
 * use (the default 30001..32400: fewer pages give noisier weights) and check the result with
 * test_columns on seeds 1..2400 and SHIRYO_COLUMNS_FIRST_SEED=5001.
 *
 *   tune_columns [--first SEED] [--pages N] [--rounds N] [--jobs N] [--write FILE]
 *                                  search; print the best weights as the weights file, and
 *                                  write it to FILE (indexer/columns_weights.c) too
 *   tune_columns --print-weights   the weights file of the current weights (scripts/test.sh
 *                                  checks it is indexer/columns_weights.c byte for byte)
 *   tune_columns --explain SEED    line by line, the decoded against the true reading, and
 *                                  which weights make the difference
 *   tune_columns [--first SEED] [--pages N] --explain-all   the same summed over pages
 */
#include "columns_int.h"

#include "layoutsim.h"
#include "textpage.h"
#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(sizeof(col_weights) % sizeof(double) == 0, "weights holds doubles only");

#define NWEIGHTS (sizeof(col_weights) / sizeof(double))

/* Weights the search leaves alone: lm_cap clamps, it does not weigh; the label-role cues are set
 * by judgment about real pages (a plan may name last year's supplementary budget), since the
 * simulator's columns follow their labels more faithfully than real tables do. */
static int frozen(size_t i)
{
    return i == offsetof(col_weights, lm_cap) / sizeof(double) ||
           i == offsetof(col_weights, role_year) / sizeof(double) ||
           i == offsetof(col_weights, role_budget) / sizeof(double) ||
           i == offsetof(col_weights, role_tense) / sizeof(double);
}

typedef struct sim_case {
    lsim_page *sim;
    text_page *text;
    col_body body;    /* text's lines */
} sim_case;

static int case_init(sim_case *sc, uint64_t seed)
{
    memset(sc, 0, sizeof *sc);
    if (lsim_generate(seed, NULL, &sc->sim))
        return -1;
    sc->text = text_page_from(sc->sim->text, sc->sim->len);
    if (!sc->text)
        return -1;
    sc->body = (col_body){sc->text->pg.lines, sc->text->pg.nlines};
    return 0;
}

static void case_free(sim_case *sc)
{
    lsim_free(sc->sim);
    text_page_free(sc->text);
}

/* Fragments of one page that land wholly in their true column (0 for headings). */
static long case_correct(const sim_case *sc, const col_weights *w, long *total)
{
    col_layout *l = NULL;
    *total += (long)sc->sim->npieces;
    if (col_layout_build_with(&sc->body, w, &l, NULL) != SH_OK)
        return 0;
    const col_body *p = &sc->body;
    int **col = calloc(p->nlines, sizeof *col);
    long ok = 0;
    if (!col)
        goto out;
    for (size_t i = 0; i < p->nlines; i++) {
        col[i] = malloc((p->lines[i].len + 1) * sizeof **col);
        if (!col[i])
            goto out;
        for (size_t k = 0; k <= p->lines[i].len; k++)
            col[i][k] = -1;
    }
    for (size_t b = 0; b < l->nblocks; b++) {
        const col_block *bl = &l->blocks[b];
        for (size_t f = 0; f < bl->nfrags; f++) {
            const col_frag *fr = &bl->frags[f];
            for (size_t k = fr->off; k < fr->off + fr->len; k++)
                col[fr->line_index][k] = bl->kind == COL_BLOCK_CELL ? bl->column : 0;
        }
    }
    for (size_t i = 0; i < sc->sim->npieces; i++) {
        const lsim_piece *pc = &sc->sim->pieces[i];
        size_t li = pc->lineno - 1;
        int good = 1;
        for (size_t k = pc->off; k < pc->off + pc->len && good; k++)
            good = col[li][k] == pc->column;
        ok += good;
    }
out:
    if (col)
        for (size_t i = 0; i < p->nlines; i++)
            free(col[i]);
    free(col);
    col_layout_destroy(l);
    return ok;
}

/* Accuracy over all cases, split across `jobs` forked workers. */
static double evaluate(const sim_case *cases, size_t ncases, const col_weights *w, int jobs)
{
    long ok = 0, total = 0;
    int fds[16];
    pid_t pids[16];
    int started = 0;
    for (int j = 0; j < jobs && j < 16; j++) {
        int pipefd[2];
        if (pipe(pipefd))
            break;
        pid_t pid = fork();
        if (pid < 0) {
            close(pipefd[0]);
            close(pipefd[1]);
            break;
        }
        if (pid == 0) {
            close(pipefd[0]);
            long sums[2] = {0, 0};
            for (size_t i = (size_t)j; i < ncases; i += (size_t)jobs)
                sums[0] += case_correct(&cases[i], w, &sums[1]);
            ssize_t wrote = write(pipefd[1], sums, sizeof sums);
            _exit(wrote == (ssize_t)sizeof sums ? 0 : 1);
        }
        close(pipefd[1]);
        fds[started] = pipefd[0];
        pids[started++] = pid;
    }
    if (started < jobs) { /* could not fork them all: do the work here */
        for (int k = 0; k < started; k++) {
            close(fds[k]);
            waitpid(pids[k], NULL, 0);
        }
        for (size_t i = 0; i < ncases; i++)
            ok += case_correct(&cases[i], w, &total);
        return total ? (double)ok / (double)total : 0;
    }
    for (int k = 0; k < started; k++) {
        long sums[2] = {0, 0};
        if (read(fds[k], sums, sizeof sums) != (ssize_t)sizeof sums)
            fprintf(stderr, "tune_columns: a worker failed\n");
        close(fds[k]);
        waitpid(pids[k], NULL, 0);
        ok += sums[0];
        total += sums[1];
    }
    return total ? (double)ok / (double)total : 0;
}

/* The weights fields in declaration order (the static assert catches a field added or removed). */
static const char *const NAMES[] = {
    "over_base", "over_per", "cont_open", "item_open", "cont_maybe", "item_maybe",
    "new_closed", "item_closed", "forbid_closed", "particle_closed", "bigram", "bigram_zero",
    "ngram", "ngram_zero", "short_nonterm", "tag_col1", "tag_other", "gap_once", "recent_new",
    "width_dev", "width_sharp", "item_rate", "split_opt", "split_strong", "lm", "lm_cap",
    "lm_head", "row_gap", "row_age", "row_kind", "row_start", "row_missing", "end_rate",
    "bracket_miss", "bracket_close", "heading_base", "heading_open", "heading_maybe",
    "heading_term", "heading_item", "heading_next_full", "heading_wide", "head_c1",
    "head_section", "head_twice", "role_year", "role_budget", "role_tense", "peak_role", "cont_gap", "kind", "kind_typed", "cont_opener", "width_quantile",
    "full_slack", "full_slack_per", "over_slack", "over_slack_per", "lm_alpha",
};
_Static_assert(sizeof NAMES / sizeof NAMES[0] == NWEIGHTS, "one name per weight");

/* Writes indexer/columns_weights.c holding w. Returns 0, or -1 when a write failed. */
static int write_weights_file(FILE *out, const col_weights *w)
{
    const double *v = (const double *)w;
    fputs("/* columns_weights.c — the layout decoder's weights (col_weights, columns_int.h).\n"
          " * GENERATED by tests/tune/tune_columns --write indexer/columns_weights.c, which\n"
          " * searched them on simulated pages (tests/sim) the tests do not use: re-run it\n"
          " * rather than edit by hand. */\n"
          "#include \"columns_int.h\"\n"
          "\n"
          "const col_weights colweights_default = {\n",
          out);
    for (size_t i = 0; i < NWEIGHTS; i++)
        fprintf(out, "    .%s = %.3g,\n", NAMES[i], v[i]);
    fputs("};\n", out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ---- --explain: where and why the decoder's reading beats the true one ---- */

/* The true reading of a page as a forced path: per line the option whose fragments are the
 * true pieces and the mask of their columns. Returns 0, or -1 when no option splits a line the
 * true way (the decoder could not have found it). */
static int true_path(const sim_case *sc, const col_tableread *t, int *opt, uint8_t *mask)
{
    const lsim_page *sp = sc->sim;
    for (size_t s = 0; s < t->nsteps; s++) {
        size_t li = t->steps[s];
        const col_lineinfo *info = &t->a.lines[li];
        opt[li] = 0;
        mask[li] = 0;
        if (info->kind != LINE_BODY)
            continue;
        size_t first = 0, count = 0;
        while (first < sp->npieces && sp->pieces[first].lineno < li + 1)
            first++;
        while (first + count < sp->npieces && sp->pieces[first + count].lineno == li + 1)
            count++;
        int found = -1;
        for (int o = 0; o < info->nopts && found < 0; o++) {
            const col_segopt *so = &t->a.opts[info->first_opt + (size_t)o];
            if ((size_t)so->k != count)
                continue;
            int same = 1;
            for (size_t k = 0; k < count && same; k++) {
                const col_fraginfo *f = &t->a.frags[so->first + k];
                same = f->off == sp->pieces[first + k].off && f->len == sp->pieces[first + k].len;
            }
            if (same)
                found = o;
        }
        if (found < 0)
            return -1;
        opt[li] = found;
        for (size_t k = 0; k < count; k++)
            if (sp->pieces[first + k].column > 0)
                mask[li] |= (uint8_t)(1u << (sp->pieces[first + k].column - 1));
        if (mask[li] == 0 && (found != 0 || count != 1))
            return -1;
    }
    return 0;
}

/* Total score of a fixed reading (rows included) under weights w. */
static double replay(const col_tableread *t, const col_weights *w, const col_reading *path)
{
    size_t n = t->a.body->nlines ? t->a.body->nlines : 1;
    col_reading out = {malloc(n * sizeof(int)), calloc(n, 1), calloc(n, 1), NULL, 0};
    col_force f = {path->opt, path->mask, path->row};
    double total = 0;
    if (out.opt && out.mask && out.row &&
        coldecode_run(&t->a, &t->m, w, t->steps, t->nsteps, &f, &out) == SH_OK)
        total = out.total;
    free(out.opt);
    free(out.mask);
    free(out.row);
    return total;
}

/* Sums over explained pages: by weight, how much the true reading lost to the decoded one. */
typedef struct explain_sums {
    double contrib[NWEIGHTS];
    size_t pages, model_errors, search_errors, unreachable;
} explain_sums;

static int explain(uint64_t seed, const col_weights *w, int verbose, explain_sums *sums)
{
    sim_case sc;
    if (case_init(&sc, seed))
        return 1;
    col_header h;
    colheader_read(&sc.body, &h);
    if (h.ncols < 2) {
        if (verbose)
            printf("seed %llu: not a table of two or more columns\n", (unsigned long long)seed);
        case_free(&sc);
        return 0;
    }
    col_tableread t;
    size_t n = sc.body.nlines ? sc.body.nlines : 1;
    int *gold_opt = malloc(n * sizeof *gold_opt);
    uint8_t *gold_mask = calloc(n, 1);
    col_reading gold = {malloc(n * sizeof(int)), calloc(n, 1), calloc(n, 1),
                          calloc(n, sizeof(double)), 0};
    int rc = col_tableread_run(&sc.body, &h, w, 1, &t);
    if (rc != SH_OK || !gold_opt || !gold_mask || !gold.opt || !gold.mask || !gold.row ||
        !gold.gain) {
        fprintf(stderr, "tune_columns: out of memory\n");
        rc = 1;
        goto out;
    }
    sums->pages++;
    if (true_path(&sc, &t, gold_opt, gold_mask)) {
        if (verbose)
            printf("seed %llu: no candidate reading matches the truth\n",
                   (unsigned long long)seed);
        sums->unreachable++;
        goto out;
    }
    col_force force = {gold_opt, gold_mask, NULL};
    if (coldecode_run(&t.a, &t.m, w, t.steps, t.nsteps, &force, &gold) != SH_OK) {
        if (verbose)
            printf("seed %llu: the decoder cannot follow the true reading\n",
                   (unsigned long long)seed);
        sums->unreachable++;
        goto out;
    }
    int same = 1;
    for (size_t s = 0; s < t.nsteps && same; s++)
        same = gold.mask[t.steps[s]] == t.d.mask[t.steps[s]] &&
               gold.opt[t.steps[s]] == t.d.opt[t.steps[s]];
    if (same) {
        rc = 0;
        goto out;
    }
    if (gold.total > t.d.total + 1e-6)
        sums->search_errors++;
    else
        sums->model_errors++;
    if (verbose)
        printf("seed %llu: decoded %.2f, true reading %.2f (%s)\n", (unsigned long long)seed,
           t.d.total, gold.total,
           gold.total > t.d.total + 1e-6 ? "search error: the beam lost it"
                                         : "model error: the weights prefer the wrong reading");
    double run = 0;
    for (size_t s = 0; s < t.nsteps; s++) {
        size_t li = t.steps[s];
        int differs = gold.mask[li] != t.d.mask[li] || gold.opt[li] != t.d.opt[li] ||
                      gold.row[li] != t.d.row[li];
        run += gold.gain[li] - t.d.gain[li];
        size_t shown = sc.body.lines[li].len < 90 ? sc.body.lines[li].len : 90;
        if (shown < sc.body.lines[li].len) /* whole characters only */
            shown = sh_utf8_char_start(sc.body.lines[li].text, shown);
        if (verbose)
            printf("%c%4zu got %02x%s%+7.2f true %02x%s%+7.2f  run %+7.2f  %.*s\n",
               differs ? '!' : ' ', li + 1, t.d.mask[li], t.d.row[li] ? "r" : " ",
               t.d.gain[li], gold.mask[li], gold.row[li] ? "r" : " ", gold.gain[li], run,
               (int)shown, sc.body.lines[li].text);
    }
    /* the scores are linear in the weights: split the difference by weight */
    if (verbose)
        printf("true minus decoded, by weight:\n");
    for (size_t k = 0; k < NWEIGHTS; k++) {
        if (frozen(k))
            continue;
        col_weights unit;
        memset(&unit, 0, sizeof unit);
        unit.lm_cap = w->lm_cap;
        ((double *)&unit)[k] = 1.0;
        double diff = replay(&t, &unit, &gold) - replay(&t, &unit, &t.d);
        double contrib = ((const double *)w)[k] * diff;
        sums->contrib[k] += contrib;
        if (verbose && (contrib > 0.005 || contrib < -0.005))
            printf("  %-18s %+8.2f  (feature %+.2f)\n", NAMES[k], contrib, diff);
    }
    rc = 0;
out:
    col_tableread_free(&t);
    free(gold_opt);
    free(gold_mask);
    free(gold.opt);
    free(gold.mask);
    free(gold.row);
    free(gold.gain);
    case_free(&sc);
    return rc;
}

int main(int argc, char **argv)
{
    uint64_t first = 30001;
    size_t pages = 2400;
    int rounds = 3, jobs = 2, explain_pages = 0;
    const char *write_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--explain-all")) {
            explain_pages = 1;
            continue;
        }
        if (!strcmp(argv[i], "--print-weights")) {
            if (write_weights_file(stdout, &colweights_default)) {
                perror("tune_columns: stdout");
                return 1;
            }
            return 0;
        }
        if (!value) {
            fprintf(stderr, "tune_columns: %s needs a value\n", argv[i]);
            return 2;
        }
        i++;
        if (!strcmp(argv[i - 1], "--first"))
            first = strtoull(value, NULL, 10);
        else if (!strcmp(argv[i - 1], "--pages"))
            pages = (size_t)strtoul(value, NULL, 10);
        else if (!strcmp(argv[i - 1], "--rounds"))
            rounds = atoi(value);
        else if (!strcmp(argv[i - 1], "--jobs"))
            jobs = atoi(value);
        else if (!strcmp(argv[i - 1], "--write"))
            write_path = value;
        else if (!strcmp(argv[i - 1], "--explain")) {
            explain_sums sums;
            memset(&sums, 0, sizeof sums);
            return explain(strtoull(value, NULL, 10), &colweights_default, 1, &sums);
        } else {
            fprintf(stderr, "usage: tune_columns [--first SEED] [--pages N] [--rounds N] "
                            "[--jobs N] [--write FILE] [--explain-all] | --explain SEED | "
                            "--print-weights\n");
            return 2;
        }
    }
    if (jobs < 1)
        jobs = 1;
    if (explain_pages) {
        explain_sums sums;
        memset(&sums, 0, sizeof sums);
        for (size_t i = 0; i < pages; i++)
            if (explain(first + i, &colweights_default, 0, &sums))
                return 1;
        printf("%zu table pages: %zu read wrong by the weights, %zu lost by the beam, %zu whose "
               "true reading is not a candidate\n",
               sums.pages, sums.model_errors, sums.search_errors, sums.unreachable);
        printf("true minus decoded, by weight, summed over the pages read wrong:\n");
        for (size_t k = 0; k < NWEIGHTS; k++)
            if (!frozen(k))
                printf("  %-18s %+9.2f\n", NAMES[k], sums.contrib[k]);
        return 0;
    }
    sim_case *cases = calloc(pages ? pages : 1, sizeof *cases);
    if (!cases)
        return 1;
    for (size_t i = 0; i < pages; i++)
        if (case_init(&cases[i], first + i)) {
            fprintf(stderr, "tune_columns: out of memory generating pages\n");
            return 1;
        }
    col_weights w = colweights_default;
    double *v = (double *)&w;
    double best = evaluate(cases, pages, &w, jobs);
    printf("start: fragment accuracy %.5f on seeds %llu..%llu\n", best, (unsigned long long)first,
           (unsigned long long)(first + pages - 1));
    fflush(stdout);
    double step = 0.5;
    for (int r = 0; r < rounds; r++, step *= 0.5) {
        for (size_t i = 0; i < NWEIGHTS; i++) {
            if (frozen(i))
                continue;
            double orig = v[i];
            double mag = orig < 0 ? -orig : orig;
            double floor = i >= offsetof(col_weights, width_quantile) / sizeof(double) ? 0.02 : 0.5;
            double delta = step * (mag > floor ? mag : floor);
            if (i == offsetof(col_weights, width_quantile) / sizeof(double))
                delta = step * 0.1; /* a quantile moves within [0.5, 1] */
            double tried[2] = {orig + delta, orig - delta};
            /* a weight keeps the sign its meaning gives it (a penalty stays a penalty) */
            double sign = ((const double *)&colweights_default)[i];
            for (int t = 0; t < 2; t++)
                if ((sign > 0 && tried[t] < 0) || (sign < 0 && tried[t] > 0))
                    tried[t] = 0;
            double best_v = orig;
            for (int t = 0; t < 2; t++) {
                v[i] = tried[t];
                double acc = evaluate(cases, pages, &w, jobs);
                if (acc > best + 1e-5) {
                    best = acc;
                    best_v = tried[t];
                }
            }
            v[i] = best_v;
            if (best_v != orig) {
                printf("round %d: %s %.3g -> %.3g: %.5f\n", r + 1, NAMES[i], orig, best_v, best);
                fflush(stdout);
            }
        }
    }
    printf("best: fragment accuracy %.5f\n", best);
    int rc = write_weights_file(stdout, &w) ? 1 : 0;
    if (write_path) {
        FILE *f = fopen(write_path, "w");
        int failed = !f || write_weights_file(f, &w);
        if ((f && fclose(f)) || failed) {
            fprintf(stderr, "tune_columns: cannot write %s\n", write_path);
            rc = 1;
        } else {
            printf("wrote %s\n", write_path);
        }
    }
    for (size_t i = 0; i < pages; i++)
        case_free(&cases[i]);
    free(cases);
    return rc;
}
