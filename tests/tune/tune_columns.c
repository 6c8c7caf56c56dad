/* tune_columns.c — developer tool: searches the layout decoder's weights on simulated pages
 * (coordinate descent on fragment accuracy) and prints them as the W_DEFAULT initializer.
 *
 * It includes indexer/columns.c itself, so the search drives the very decoder the indexer runs,
 * statics and all, without widening columns.h. Train on seeds the tests do not use (the default
 * 20001..21200) and check the result with test_columns on seeds 1..1200 and 5001..6200.
 *
 *   tune_columns [--first SEED] [--pages N] [--rounds N] [--jobs N]
 */
#include "columns.c"

#include "layoutsim.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(sizeof(weights) % sizeof(double) == 0, "weights holds doubles only");

#define NWEIGHTS (sizeof(weights) / sizeof(double))

/* Weights the search leaves alone: lm_cap clamps, it does not weigh. */
static int frozen(size_t i) { return i == offsetof(weights, lm_cap) / sizeof(double); }

typedef struct sim_case {
    lsim_page *sim;
    page pg;
    char *copy;
} sim_case;

static int case_init(sim_case *sc, uint64_t seed)
{
    memset(sc, 0, sizeof *sc);
    if (lsim_generate(seed, NULL, &sc->sim))
        return -1;
    size_t len = sc->sim->len;
    sc->copy = malloc(len + 1);
    size_t cap = 64;
    sc->pg.lines = malloc(cap * sizeof *sc->pg.lines);
    if (!sc->copy || !sc->pg.lines)
        return -1;
    memcpy(sc->copy, sc->sim->text, len);
    sc->copy[len] = '\0';
    unsigned lineno = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && sc->copy[j] != '\n')
            j++;
        if (sc->pg.nlines == cap) {
            cap *= 2;
            page_line *grown = realloc(sc->pg.lines, cap * sizeof *grown);
            if (!grown)
                return -1;
            sc->pg.lines = grown;
        }
        sc->pg.lines[sc->pg.nlines++] = (page_line){++lineno, sc->copy + i, j - i};
        i = j + 1;
    }
    sc->pg.buffer = sc->copy;
    return 0;
}

static void case_free(sim_case *sc)
{
    lsim_free(sc->sim);
    free(sc->pg.lines);
    free(sc->copy);
}

/* Fragments of one page that land wholly in their true column (0 for headings). */
static long case_correct(const sim_case *sc, const weights *w, long *total)
{
    col_layout *l = NULL;
    *total += (long)sc->sim->npieces;
    if (layout_build(&sc->pg, w, &l, NULL) != SH_OK)
        return 0;
    const page *p = &sc->pg;
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
static double evaluate(const sim_case *cases, size_t ncases, const weights *w, int jobs)
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
    "head_section", "head_twice", "role_year", "role_budget", "role_tense", "peak_role", "cont_gap", "kind",
};
_Static_assert(sizeof NAMES / sizeof NAMES[0] == NWEIGHTS, "one name per weight");

static void print_weights(const weights *w)
{
    const double *v = (const double *)w;
    for (size_t i = 0; i < NWEIGHTS; i++)
        printf("    .%s = %.3g,\n", NAMES[i], v[i]);
}

int main(int argc, char **argv)
{
    uint64_t first = 20001;
    size_t pages = 1200;
    int rounds = 3, jobs = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--first"))
            first = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--pages"))
            pages = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--rounds"))
            rounds = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--jobs"))
            jobs = atoi(argv[i + 1]);
        else {
            fprintf(stderr, "usage: tune_columns [--first SEED] [--pages N] [--rounds N] [--jobs N]\n");
            return 2;
        }
    }
    if (jobs < 1)
        jobs = 1;
    sim_case *cases = calloc(pages ? pages : 1, sizeof *cases);
    if (!cases)
        return 1;
    for (size_t i = 0; i < pages; i++)
        if (case_init(&cases[i], first + i)) {
            fprintf(stderr, "tune_columns: out of memory generating pages\n");
            return 1;
        }
    weights w = W_DEFAULT;
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
            double delta = step * (mag > 0.5 ? mag : 0.5);
            double tried[2] = {orig + delta, orig - delta};
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
    print_weights(&w);
    for (size_t i = 0; i < pages; i++)
        case_free(&cases[i]);
    free(cases);
    return 0;
}
