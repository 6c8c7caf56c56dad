/* main.c — shiryo-query: options from one table, query parsing and building, then search
 * through the printer. Exit status like grep: 0 results, 1 none, 2 error. */
#include "expand.h"
#include "measures.h"
#include "partial.h"
#include "parts.h"
#include "printer.h"
#include "programs.h"
#include "qbuild.h"
#include "qparse.h"
#include "scope.h"
#include "search.h"
#include "suggest.h"

#include "shiryo/about.h"
#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/ixdir.h"
#include "shiryo/opterr.h"
#include "shiryo/status.h"
#include "shiryo/visible.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INDEX ".shiryo"

static const char usage_text[] =
    "usage: shiryo-query [OPTIONS] QUERY...\n"
    "       shiryo-query --check [--index DIR]\n"
    "\n"
    "Searches a shiryo index and prints ranked passages with their source references.\n"
    "Words are ANDed (AND may be written); OR, -word / NOT word, \"exact phrase\" (also 「」『』\n"
    "〝〟“”), (groups) and field:value (fy: measure: ministry: column: title: file: page:) are\n"
    "understood, in full-width forms too. A word matches every passage whose normalized text\n"
    "contains it, even inside compounds, or one of its other forms: agency names (経産省 =\n"
    "経済産業省), years (令和7年度 = R7年度 = 2025年度) and numerals (第2条 = 第二条).\n"
    "A query is at most 4096 bytes of UTF-8 (about 1,300 Japanese characters).\n"
    "\n"
    "  -i, --index DIR      index directory (default: $SHIRYO_INDEX or ./" DEFAULT_INDEX "); repeat it,\n"
    "                       or give tcp://HOST:PORT (xapian-tcpsrv) or a cluster file (one part\n"
    "                       per line), to search several parts as one index\n"
    "      --partial        answer from the parts that respond; name the missing ones\n"
    "      --timeout MS     wait for each remote part's reply at most MS ms (default 10000)\n"
    "  -n, --limit N        print the N best passages (default 10)\n"
    "  -a, --all            print every matching passage, in document order\n"
    "      --sort rank      with --all: rank order instead of document order\n"
    "  -f, --format F       text | json | jsonl | tsv | csv (default text)\n"
    "  -C, --context N      text output: show N characters around the mentions\n"
    "  -c, --count          print the number of matching passages and of mentions in them\n"
    "      --facets         also count matching passages by fiscal year, measure and ministry\n"
    "      --fields A,B,..  tsv/csv: the columns to print (default: all, see README)\n"
    "      --bench N        time the query N times in-process (parse, build, search, decode\n"
    "                       the results) and print p50_ms=… p95_ms=…; with --bench-total\n"
    "                       also the exact total that text and json lists show\n"
    "      --program NAME   every mention of a known program (also program:NAME in a query)\n"
    "      --programs [PAT] list the programs (or those whose name contains PAT): mentions,\n"
    "                       budget lines by fiscal year, successors, materials\n"
    "      --list measures  list every measure (section, ministries, page, passages per fiscal\n"
    "                       year) of the matching passages, or of all passages\n"
    "      --fy YEAR        only passages of that fiscal year (2025, 令和7, 令和7年度, R7)\n"
    "      --measure TEXT   only passages whose measure heading contains TEXT\n"
    "      --column N       only passages of table column N\n"
    "      --ministry NAME  only passages tagged with that ministry (経済産業省, 経産省, 経)\n"
    "      --exact          match every word exactly as typed (=word: one word)\n"
    "      --strict         a ranked list that finds fewer than --limit passages stops there\n"
    "                       (default: it goes on with passages holding some of the words)\n"
    "      --scope S        passage (default): a passage holds every word; page: a page\n"
    "                       does, and its passages holding any of the words match\n"
    "  -q, --quiet          print nothing; exit status only\n"
    "      --color WHEN     auto | always | never (default auto: on a terminal, unless NO_COLOR\n"
    "                       is set or TERM=dumb)\n"
    "      --check          report what is wrong with the index, changing nothing\n"
    "  -h, --help           this help\n"
    "      --version        print the version\n"
    "\n"
    "Exit status: 0 passages found, 1 none, 2 error. --check: 0 sound, 1 problems found,\n"
    "2 the check could not run.\n";

enum {
    OPT_SORT = 256, OPT_FY, OPT_MEASURE, OPT_COLUMN, OPT_MINISTRY, OPT_COLOR, OPT_VERSION,
    OPT_FACETS, OPT_FIELDS, OPT_LIST, OPT_BENCH, OPT_PROGRAM, OPT_PROGRAMS, OPT_EXACT,
    OPT_BENCH_TOTAL, OPT_STRICT, OPT_SCOPE, OPT_CHECK, OPT_PARTIAL, OPT_TIMEOUT
};

static const struct option options[] = {
    {"index", required_argument, NULL, 'i'},
    {"partial", no_argument, NULL, OPT_PARTIAL},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"limit", required_argument, NULL, 'n'},
    {"all", no_argument, NULL, 'a'},
    {"sort", required_argument, NULL, OPT_SORT},
    {"format", required_argument, NULL, 'f'},
    {"context", required_argument, NULL, 'C'},
    {"count", no_argument, NULL, 'c'},
    {"facets", no_argument, NULL, OPT_FACETS},
    {"fields", required_argument, NULL, OPT_FIELDS},
    {"list", required_argument, NULL, OPT_LIST},
    {"bench", required_argument, NULL, OPT_BENCH},
    {"bench-total", no_argument, NULL, OPT_BENCH_TOTAL},
    {"program", required_argument, NULL, OPT_PROGRAM},
    {"programs", no_argument, NULL, OPT_PROGRAMS},
    {"fy", required_argument, NULL, OPT_FY},
    {"measure", required_argument, NULL, OPT_MEASURE},
    {"column", required_argument, NULL, OPT_COLUMN},
    {"ministry", required_argument, NULL, OPT_MINISTRY},
    {"exact", no_argument, NULL, OPT_EXACT},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"scope", required_argument, NULL, OPT_SCOPE},
    {"quiet", no_argument, NULL, 'q'},
    {"color", required_argument, NULL, OPT_COLOR},
    {"check", no_argument, NULL, OPT_CHECK},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

typedef struct filter {
    const char *field, *value;
} filter;

static int parse_count(const char *s, size_t *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0)
        return 0;
    *out = (size_t)v;
    return 1;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "shiryo-query: %s%s%s (try 'shiryo-query --help')\n", msg, arg ? ": " : "",
            arg ? arg : "");
    return 2;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* --color auto: only on a terminal that shows colour, and not when the user set NO_COLOR to
 * anything but "" (no-color.org); --color always overrides both. */
static int color_auto(void)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color) && !(term && !strcmp(term, "dumb"));
}

static int discard_result(void *ctx, const result *r)
{
    (void)r;
    (*(size_t *)ctx)++;
    return SH_OK;
}

/* --bench: the whole query path (parse, build, search, decode and locate mentions of the
 * printed results) timed in-process, after one warm-up run. */
static int bench_query(search_session *session, const char *text, const filter *filters,
                       size_t nfilters, const search_opts *sopts, int exact, int bench_total,
                       size_t runs, char **errmsg)
{
    double *ms = calloc(runs, sizeof *ms);
    if (!ms)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    size_t results = 0;
    const result_sink sink = {discard_result, &results};
    int rc = SH_OK;
    size_t total = 0;
    /* The sink shows no total: the run is the search and decoding of the N results (the exact
     * total that text and json add is timed with --bench-total). */
    search_opts run_opts = *sopts;
    run_opts.need_total = bench_total;
    for (size_t i = 0; i <= runs && !rc; i++) {
        double start = now_ms();
        qnode *tree = NULL;
        qbuild_result built = {0};
        summary sum = {0};
        expand_list expanded = {0};
        rc = qparse(text, &tree, errmsg);
        if (!rc && !exact)
            rc = expand_tree(search_analyzer(session), &tree, &expanded, errmsg);
        expand_list_free(&expanded);
        if (!rc)
            rc = qbuild(search_analyzer(session), search_db(session), tree, &built, errmsg);
        for (size_t f = 0; f < nfilters && !rc; f++)
            rc = qbuild_add_filter(search_analyzer(session), search_db(session), &built,
                                   filters[f].field, filters[f].value, errmsg);
        if (!rc)
            rc = search_run(session, &built, &run_opts, sopts->count_mentions ? NULL : &sink, &sum,
                            errmsg);
        total = sum.total;
        search_summary_free(&sum);
        qbuild_result_free(&built);
        qnode_free(tree);
        if (i > 0)
            ms[i - 1] = now_ms() - start;
    }
    if (!rc) {
        qsort(ms, runs, sizeof *ms, compare_double);
        size_t p95 = (runs * 95 + 99) / 100;
        printf("p50_ms=%.3f p95_ms=%.3f runs=%zu matches=%zu\n", ms[(runs + 1) / 2 - 1],
               ms[p95 ? p95 - 1 : 0], runs, total);
    }
    free(ms);
    return rc;
}

/* What one answer needs from the command line. */
typedef struct request {
    const char *text;       /* the query as typed */
    const filter *filters;
    size_t nfilters;
    search_opts sopts;
    printer_opts popts;
    int quiet, count, list_measures, list_programs;
    size_t bench_runs;
    int exact, strict, scope_page, bench_total;
} request;

/* Opens the parts of ps still answering, parses and builds the query and writes one whole
 * answer to out. *total is what was found (exit status 0 or 1); *opened says the parts opened,
 * so that a later SH_ERR_NETWORK means a part failed during the query. */
static int answer(parts *ps, int partial, const request *rq, FILE *out, size_t *total,
                  int *opened, int *write_errno, char **errmsg)
{
    search_session *session = NULL;
    qbuild_result built = {0};
    printer *pr = NULL;
    FILE *discard = NULL;
    summary sum = {0};
    expand_list expanded = {0};
    qnode *tree = NULL;
    partial_plan *plan = NULL;
    search_opts sopts = rq->sopts;
    printer_opts popts = rq->popts;
    const char **missing = calloc(ps->n ? ps->n : 1, sizeof *missing);
    int rc = missing ? SH_OK : sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    /* --programs takes the words as a name pattern, not as a query. */
    if (!rc && !rq->list_programs)
        rc = qparse(rq->text, &tree, errmsg);
    if (!rc)
        rc = search_open_parts(ps, partial, &session, errmsg);
    *opened = !rc;
    if (!rc && !rq->exact && !rq->list_programs)
        rc = expand_tree(search_analyzer(session), &tree, &expanded, errmsg);
    if (!rc)
        rc = qbuild(search_analyzer(session), search_db(session), tree, &built, errmsg);
    for (size_t i = 0; i < rq->nfilters && !rc; i++)
        rc = qbuild_add_filter(search_analyzer(session), search_db(session), &built,
                               rq->filters[i].field, rq->filters[i].value, errmsg);
    /* Partial matches fill a ranked list only: --all, --count, --facets and -q stay exact. */
    int fill = !rc && !rq->strict && !sopts.all && !rq->count && !sopts.facets && !rq->quiet &&
               !rq->bench_runs && !rq->list_measures && !rq->list_programs && !rq->scope_page;
    if (fill || (!rc && rq->scope_page && !rq->list_measures && !rq->list_programs))
        rc = partial_plan_new(search_analyzer(session), search_db(session), tree, &plan, errmsg);
    for (size_t i = 0; plan && i < rq->nfilters && !rc; i++)
        rc = qbuild_add_filter(search_analyzer(session), search_db(session), &plan->any,
                               rq->filters[i].field, rq->filters[i].value, errmsg);
    /* --scope page: the words' OR on the pages that hold all of them replaces the query. */
    if (!rc && rq->scope_page && plan) {
        qbuild_result scoped;
        rc = scope_page_query(session, plan, &scoped, errmsg);
        if (!rc) {
            qbuild_result_free(&built);
            built = scoped;
        }
        partial_plan_free(plan);
        plan = NULL;
    }
    if (!rc) {
        popts.expanded = expanded.words;
        popts.nexpanded = rq->bench_runs ? 0 : expanded.n;
        for (size_t i = 0; i < ps->n; i++)
            if (ps->items[i].missing)
                missing[popts.nmissing_parts++] = ps->items[i].name;
        popts.missing_parts = missing;
        /* -q with a listing: the listing code needs a printer, so it prints into /dev/null. */
        if (rq->quiet && (rq->list_measures || rq->list_programs) &&
            !(discard = fopen("/dev/null", "w")))
            rc = sh_fail(errmsg, SH_ERR_IO, "cannot open /dev/null: %s", strerror(errno));
        if (!rc && (!rq->quiet || discard))
            rc = printer_new(discard ? discard : out, &popts, &pr, errmsg);
    }
    if (!rc && rq->bench_runs) {
        rc = bench_query(session, rq->text, rq->filters, rq->nfilters, &sopts, rq->exact,
                         rq->bench_total, rq->bench_runs, errmsg);
        sum.total = 1;
    } else if (!rc && rq->list_programs) {
        size_t n = 0;
        rc = programs_list(session, rq->text, pr, &n, errmsg);
        sum.total = n;
    } else if (!rc && rq->list_measures) {
        size_t n = 0;
        rc = measures_list(session, &built, pr, &n, errmsg);
        sum.total = n;
    } else if (!rc) {
        result_sink to_printer = printer_sink(pr);
        rc = search_run(session, &built, &sopts, rq->quiet || rq->count ? NULL : &to_printer,
                        &sum, errmsg);
        size_t shown = sum.total < sopts.limit ? sum.total : sopts.limit;
        if (!rc && plan && shown < sopts.limit)
            rc = search_fill(session, &built, plan, sopts.limit - shown, shown + 1, &to_printer,
                             &sum, errmsg);
    }
    if (!rc && !rq->quiet && !rq->list_measures && !rq->list_programs && !rq->bench_runs) {
        if (rq->count)
            rc = printer_count(pr, &sum);
        else
            rc = printer_end(pr, &sum);
    }
    /* Nothing found: say what would match (the query as parsed, before expansion). */
    if (!rc && !rq->quiet && sum.total == 0 && tree && !rq->bench_runs && !rq->list_programs) {
        qnode *typed = NULL;
        char *hint_err = NULL;
        if (!qparse(rq->text, &typed, &hint_err))
            suggest_zero_hits(session, typed, stderr, &hint_err);
        qnode_free(typed);
        free(hint_err);
    }
    *total = sum.total;
    *write_errno = printer_write_errno(pr);
    search_summary_free(&sum);
    printer_free(pr);
    if (discard)
        fclose(discard);
    qbuild_result_free(&built);
    search_close(session);
    qnode_free(tree);
    partial_plan_free(plan);
    expand_list_free(&expanded);
    free(missing);
    return rc;
}

/* Copies the spooled answer to stdout; a failed write keeps its errno in *write_errno for the
 * report when stdout closes. */
static int copy_answer(FILE *spool, int *write_errno, char **errmsg)
{
    char buf[65536];
    size_t n;
    if (fflush(spool) || fseek(spool, 0, SEEK_SET))
        return sh_fail(errmsg, SH_ERR_IO, "cannot read back the answer: %s", strerror(errno));
    while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
        if (fwrite(buf, 1, n, stdout) != n) {
            *write_errno = errno ? errno : EIO;
            return sh_fail(errmsg, SH_ERR_IO, "cannot write the answer: %s", strerror(errno));
        }
    if (ferror(spool))
        return sh_fail(errmsg, SH_ERR_IO, "cannot read back the answer: %s", strerror(errno));
    return SH_OK;
}

int main(int argc, char **argv)
{
    const char *index_specs[64];
    size_t nindex = 0;
    unsigned timeout_ms = PARTS_DEFAULT_TIMEOUT_MS;
    int partial = 0;
    search_opts sopts = {.limit = 10};
    printer_opts popts = {.format = FORMAT_TEXT};
    int quiet = 0, count = 0, list_measures = 0, list_programs = 0, color = -1, check = 0, opt;
    size_t bench_runs = 0;
    filter filters[16];
    size_t nfilters = 0;
    int exact = 0, limit_given = 0, sort_given = 0, bench_total = 0, strict = 0, scope_page = 0;
    /* An exclusion given as its own argument (医工連携 -地域) is a query word, not an option:
     * getopt sees the word without its '-', and the join below puts the '-' back. */
    const char *negated[64];
    size_t nnegated = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (argv[i][0] == '-' && (unsigned char)argv[i][1] >= 0x80 && nnegated < 64) {
            argv[i]++;
            negated[nnegated++] = argv[i];
        }
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":i:n:af:C:cqh", options, NULL)) != -1) {
        switch (opt) {
        case 'i':
            if (nindex == sizeof index_specs / sizeof index_specs[0])
                return usage_error("too many --index (list the parts in a cluster file)", optarg);
            index_specs[nindex++] = optarg;
            break;
        case OPT_PARTIAL: partial = 1; break;
        case OPT_TIMEOUT: {
            size_t ms = 0;
            if (!parse_count(optarg, &ms) || ms == 0 || ms > 3600000)
                return usage_error("--timeout needs milliseconds, 1 to 3600000", optarg);
            timeout_ms = (unsigned)ms;
            break;
        }
        case 'n':
            if (!parse_count(optarg, &sopts.limit) || sopts.limit == 0)
                return usage_error("--limit needs a positive number", optarg);
            limit_given = 1;
            break;
        case 'a': sopts.all = 1; break;
        case OPT_SORT:
            sort_given = 1;
            if (strcmp(optarg, "rank") == 0)
                sopts.sort_rank = 1;
            else if (strcmp(optarg, "doc") != 0)
                return usage_error("--sort takes rank or doc", optarg);
            break;
        case 'f':
            popts.format = printer_format_from_name(optarg);
            if (popts.format < 0)
                return usage_error("unknown --format (text, json, jsonl, tsv, csv)", optarg);
            break;
        case 'C':
            if (!parse_count(optarg, &popts.context))
                return usage_error("--context needs a number", optarg);
            break;
        case OPT_PROGRAMS: list_programs = 1; break;
        case OPT_FY: case OPT_MEASURE: case OPT_COLUMN: case OPT_MINISTRY: case OPT_PROGRAM:
            if (nfilters == sizeof filters / sizeof filters[0])
                return usage_error("too many filters", NULL);
            /* A passage has one fiscal year and one column: a second one would match nothing. */
            for (size_t f = 0; f < nfilters && (opt == OPT_FY || opt == OPT_COLUMN); f++)
                if (strcmp(filters[f].field, opt == OPT_FY ? "fy" : "column") == 0)
                    return usage_error(opt == OPT_FY
                                           ? "--fy given twice (a passage has one fiscal year): "
                                             "give one, or write fy:2024 OR fy:2025 in the query"
                                           : "--column given twice (a passage is in one column): "
                                             "give one, or write column:2 OR column:3 in the query",
                                       optarg);
            filters[nfilters].field = opt == OPT_FY        ? "fy"
                                      : opt == OPT_MEASURE ? "measure"
                                      : opt == OPT_COLUMN  ? "column"
                                      : opt == OPT_PROGRAM ? "program"
                                                           : "ministry";
            filters[nfilters++].value = optarg;
            break;
        case 'c': count = 1; break;
        case OPT_FACETS: sopts.facets = 1; break;
        case OPT_FIELDS: popts.fields = optarg; break;
        case OPT_BENCH:
            if (!parse_count(optarg, &bench_runs) || bench_runs == 0)
                return usage_error("--bench needs a positive number", optarg);
            break;
        case OPT_LIST:
            if (strcmp(optarg, "measures") != 0)
                return usage_error("--list takes: measures", optarg);
            list_measures = 1;
            break;
        case OPT_EXACT: exact = 1; break;
        case OPT_STRICT: strict = 1; break;
        case OPT_SCOPE:
            if (strcmp(optarg, "page") == 0)
                scope_page = 1;
            else if (strcmp(optarg, "passage") != 0)
                return usage_error("--scope takes passage or page", optarg);
            break;
        case OPT_BENCH_TOTAL: bench_total = 1; break;
        case 'q': quiet = 1; break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0) color = -1;
            else if (strcmp(optarg, "always") == 0) color = 1;
            else if (strcmp(optarg, "never") == 0) color = 0;
            else return usage_error("--color takes auto, always or never", optarg);
            break;
        case OPT_CHECK: check = 1; break;
        case 'h': fputs(usage_text, stdout); return sh_about_close_stdout("shiryo-query");
        case OPT_VERSION:
            sh_about_print(stdout, "shiryo-query");
            return sh_about_close_stdout("shiryo-query");
        default: {
            char why[256];
            return usage_error(sh_opterr(opt, argv, options, why, sizeof why), NULL);
        }
        }
    }
    /* The parts: every --index, else $SHIRYO_INDEX, else ./.shiryo. */
    const char *env_index = getenv("SHIRYO_INDEX");
    if (nindex == 0)
        index_specs[nindex++] = env_index && *env_index ? env_index : DEFAULT_INDEX;
    for (size_t i = 0; i < nindex; i++)
        if (!*index_specs[i])
            return usage_error("--index is empty: name the index directory", NULL);
    if (check) {
        if (optind < argc)
            return usage_error("--check takes no QUERY: it only reads the index", NULL);
        parts one = {0};
        char *why = NULL;
        int several = nindex > 1 || parts_add(&one, index_specs[0], &why) || one.n != 1 ||
                      parts_any_remote(&one);
        free(why);
        why = NULL;
        if (several) {
            parts_free(&one);
            return usage_error("--check reads one local index directory: run it on the host of "
                               "each part", NULL);
        }
        int status = ixdir_check_print(one.items[0].name, stdout, &why);
        parts_free(&one);
        if (sh_about_close_stdout("shiryo-query"))
            status = 2;
        if (why) {
            fputs("shiryo-query: ", stderr);
            sh_fputs_visible(why, stderr);
            fputc('\n', stderr);
        }
        free(why);
        return status;
    }
    if (optind >= argc && nfilters == 0 && !list_measures && !list_programs)
        return usage_error("no QUERY given", NULL);
    /* Options that would be ignored are errors, so that none is silently dropped. */
    if (sopts.all && limit_given)
        return usage_error("--all prints every match and --limit N the N best: give one of them",
                           NULL);
    if (sort_given && !sopts.all)
        return usage_error("--sort orders --all (a top-N list is always in rank order): add --all "
                           "or drop --sort", NULL);
    if (popts.fields && popts.format != FORMAT_TSV && popts.format != FORMAT_CSV)
        return usage_error("--fields chooses tsv/csv columns: add --format tsv or --format csv",
                           popts.fields);
    /* The query is the arguments joined by spaces, as if typed in one string. */
    sh_buf qtext = SH_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        int was_negated = 0;
        for (size_t k = 0; k < nnegated; k++)
            was_negated |= argv[i] == negated[k];
        if ((i > optind && sh_buf_putc(&qtext, ' ')) || (was_negated && sh_buf_putc(&qtext, '-')) ||
            sh_buf_puts(&qtext, argv[i])) {
            fputs("shiryo-query: out of memory\n", stderr);
            return 2;
        }
    }
    char *errmsg = NULL;
    qnode *tree = NULL;
    /* --programs takes the words as a name pattern, not as a query. */
    int rc = list_programs ? SH_OK : qparse(qtext.data ? qtext.data : "", &tree, &errmsg);
    if (!rc && !tree && nfilters == 0 && !list_measures && !list_programs)
        rc = sh_fail(&errmsg, SH_ERR_INVALID, "query is empty: give words to search for");
    qnode_free(tree); /* each answer parses the query anew: expansion rewrites the tree */
    tree = NULL;
    popts.color = color >= 0 ? color : color_auto();
    popts.query = qtext.data ? qtext.data : "";
    popts.unframed = count || list_measures || list_programs;
    sopts.count_mentions = count && !quiet;
    /* text and json show the total of a top-N list */
    sopts.need_total = popts.format == FORMAT_TEXT || popts.format == FORMAT_JSON;
    request rq = {qtext.data ? qtext.data : "", filters, nfilters, sopts, popts, quiet, count,
                  list_measures, list_programs, bench_runs, exact, strict, scope_page, bench_total};
    parts ps = {.timeout_ms = timeout_ms};
    for (size_t i = 0; i < nindex && !rc; i++)
        rc = parts_add(&ps, index_specs[i], &errmsg);
    int remote = !rc && parts_any_remote(&ps);
    /* With remote parts the answer is written to a spool and shown only once it is whole: a
     * part failing half-way must not leave half an answer on stdout. A server closing its
     * connection must be an error, not SIGPIPE. */
    FILE *out = stdout;
    if (!rc && remote && !quiet && !bench_runs && !(out = tmpfile()))
        rc = sh_fail(&errmsg, SH_ERR_IO, "cannot create a temporary file for the answer: %s",
                     strerror(errno));
    if (remote)
        signal(SIGPIPE, SIG_IGN);
    size_t total = 0;
    int write_errno = 0;
    while (!rc) {
        int opened = 0;
        rc = answer(&ps, partial, &rq, out, &total, &opened, &write_errno, &errmsg);
        if (rc == SH_ERR_IO && write_errno && out != stdout) {
            free(errmsg);
            errmsg = NULL;
            /* glibc's tmpfile() ignores TMPDIR: the file is in P_tmpdir. */
            rc = sh_fail(&errmsg, SH_ERR_IO,
                         "cannot write the answer to a temporary file in %s: %s; free space there",
                         P_tmpdir, strerror(write_errno));
            write_errno = 0;
        }
        if (rc != SH_ERR_NETWORK || !remote || !opened)
            break;
        /* A part failed during the query: find which, then fail or answer without it. */
        char *why = errmsg;
        errmsg = NULL;
        size_t lost = parts_probe(&ps, why, &errmsg);
        free(why);
        if (!lost)
            break;
        if (!partial) {
            for (size_t i = 0; i < ps.n; i++)
                if (ps.items[i].missing) {
                    errmsg = strdup(ps.items[i].missing);
                    parts_fail(&ps.items[i], rc, &errmsg);
                    break;
                }
            break;
        }
        rc = SH_OK;
        if (out != stdout && (fflush(out) || ftruncate(fileno(out), 0) || fseek(out, 0, SEEK_SET)))
            rc = sh_fail(&errmsg, SH_ERR_IO, "cannot rewrite the answer's temporary file: %s",
                         strerror(errno));
    }
    if (remote)
        signal(SIGPIPE, SIG_DFL);
    if (!rc && out != stdout)
        rc = copy_answer(out, &write_errno, &errmsg);
    for (size_t i = 0; !rc && i < ps.n; i++)
        if (ps.items[i].missing) {
            fputs("shiryo-query: partial answer: part ", stderr);
            sh_fputs_visible(ps.items[i].name, stderr);
            fputs(" left out (", stderr);
            sh_fputs_visible(ps.items[i].missing, stderr);
            fputs(")\n", stderr);
        }
    /* A failed write to stdout (rc from the printer) is reported once, when stdout closes. */
    if (rc && !ferror(stdout)) {
        fputs("shiryo-query: ", stderr);
        sh_fputs_visible(errmsg ? errmsg : sh_status_str(rc), stderr);
        fputc('\n', stderr);
    }
    if (out != stdout && out)
        fclose(out);
    free(errmsg);
    parts_free(&ps);
    qnode_free(tree);
    sh_buf_free(&qtext);
    if (sh_about_close_stdout_after("shiryo-query", write_errno) || rc)
        return 2;
    return total > 0 ? 0 : 1;
}
