/* main.c — shiryo-index: parses options from one table, walks the paths and hands the run to
 * run.c; prints the summary. No indexing logic lives here. */
#include "run.h"
#include "walk.h"

#include "shiryo/about.h"
#include "shiryo/ixdir.h"
#include "shiryo/opterr.h"
#include "shiryo/status.h"
#include "shiryo/visible.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INDEX ".shiryo"

static const char usage_text[] =
    "usage: shiryo-index [--index DIR] [--rebuild] [--no-prune] [--jobs N]\n"
    "                    [--verbose] [--quiet] PATH...\n"
    "       shiryo-index --check [--index DIR]\n"
    "\n"
    "Indexes text files (folders recursively, *.txt) into a shiryo index.\n"
    "Re-running over the same paths indexes only files whose content changed and, for each\n"
    "folder given, removes the passages of files that no longer exist under it.\n"
    "\n"
    "  -i, --index DIR   index directory (default: $SHIRYO_INDEX or ./" DEFAULT_INDEX ")\n"
    "      --rebuild     discard the index and start over (also repairs a damaged index)\n"
    "      --check       report what is wrong with the index, changing nothing\n"
    "      --no-prune    keep passages of files that disappeared from the folders given\n"
    "  -j, --jobs N      shards (parallel workers) of a new or rebuilt index (default: one per\n"
    "                    core, at most 4)\n"
    "      --for-remote  no effect, accepted for older scripts: every index can be served by\n"
    "                    xapian-tcpsrv as it is\n"
    "  -v, --verbose     one line per file (outcome, passages, encoding)\n"
    "  -q, --quiet       no progress and no summary\n"
    "  -h, --help        this help\n"
    "      --version     print the version\n"
    "\n"
    "Exit status: 0 done, 1 every file was skipped, 2 error. --check: 0 sound, 1 problems\n"
    "found, 2 the check could not run.\n";

enum { OPT_REBUILD = 256, OPT_NO_PRUNE, OPT_VERSION, OPT_CHECK, OPT_FOR_REMOTE };

static const struct option options[] = {
    {"index", required_argument, NULL, 'i'},
    {"rebuild", no_argument, NULL, OPT_REBUILD},
    {"check", no_argument, NULL, OPT_CHECK},
    {"no-prune", no_argument, NULL, OPT_NO_PRUNE},
    {"for-remote", no_argument, NULL, OPT_FOR_REMOTE},
    {"jobs", required_argument, NULL, 'j'},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void warn_path(void *ctx, const char *path, const char *message)
{
    run_stats *stats = ctx;
    fputs("shiryo-index: warning: ", stderr);
    sh_fputs_visible(path, stderr);
    fprintf(stderr, ": %s\n", message);
    stats->skipped++;
}

int main(int argc, char **argv)
{
    run_opts opts = {.index_dir = getenv("SHIRYO_INDEX"), .prune = 1};
    if (!opts.index_dir || !*opts.index_dir)
        opts.index_dir = DEFAULT_INDEX;
    int quiet = 0, check = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":i:j:vqh", options, NULL)) != -1) {
        switch (opt) {
        case 'i': opts.index_dir = optarg; break;
        case OPT_REBUILD: opts.rebuild = 1; break;
        case OPT_CHECK: check = 1; break;
        case OPT_NO_PRUNE: opts.prune = 0; break;
        case OPT_FOR_REMOTE: break; /* schema 7's served parts needed it; none does now */
        case 'j': {
            char *end = NULL;
            long n = strtol(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > RUN_MAX_SHARDS) {
                fprintf(stderr, "shiryo-index: --jobs takes a number from 1 to %d: %s\n",
                        RUN_MAX_SHARDS, optarg);
                return 2;
            }
            opts.jobs = (unsigned)n;
            break;
        }
        case 'v': opts.verbose = 1; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return sh_about_close_stdout("shiryo-index");
        case OPT_VERSION:
            sh_about_print(stdout, "shiryo-index");
            return sh_about_close_stdout("shiryo-index");
        default: {
            char why[256];
            fprintf(stderr, "shiryo-index: %s (try 'shiryo-index --help')\n",
                    sh_opterr(opt, argv, options, why, sizeof why));
            return 2;
        }
        }
    }
    if (!*opts.index_dir) {
        fputs("shiryo-index: --index is empty: name the index directory (try 'shiryo-index "
              "--help')\n", stderr);
        return 2;
    }
    if (check) {
        if (optind < argc || opts.rebuild) {
            fputs("shiryo-index: --check takes no PATH and no --rebuild: it only reads the index "
                  "(try 'shiryo-index --help')\n", stderr);
            return 2;
        }
        char *errmsg = NULL;
        int status = ixdir_check_print(opts.index_dir, stdout, &errmsg);
        if (sh_about_close_stdout("shiryo-index"))
            status = 2;
        if (errmsg) {
            fputs("shiryo-index: ", stderr);
            sh_fputs_visible(errmsg, stderr);
            fputc('\n', stderr);
        }
        free(errmsg);
        return status;
    }
    if (optind >= argc) {
        fputs("shiryo-index: no PATH given: name the files or folders to index "
              "(try 'shiryo-index --help')\n", stderr);
        return 2;
    }
    opts.progress = !quiet && !opts.verbose && isatty(STDERR_FILENO);
    double started = now_seconds();
    run_stats stats = {0};
    char *errmsg = NULL;
    walk_list files;
    int rc = walk_collect(argv + optind, (size_t)(argc - optind), &files, warn_path, &stats,
                          &errmsg);
    if (!rc)
        rc = run_index(&opts, argv + optind, (size_t)(argc - optind), &files, &stats, &errmsg);
    if (rc) {
        fputs("shiryo-index: ", stderr);
        sh_fputs_visible(errmsg ? errmsg : sh_status_str(rc), stderr);
        fputc('\n', stderr);
    }
    free(errmsg);
    walk_list_free(&files);
    if (rc)
        return 2;
    if (!quiet)
        printf("indexed %zu files, %zu passages in %.2f s (%zu added, %zu updated, %zu unchanged, "
               "%zu removed, %zu skipped) into %s\n",
               stats.added + stats.updated + stats.unchanged, stats.passages,
               now_seconds() - started, stats.added, stats.updated, stats.unchanged,
               stats.removed, stats.skipped, opts.index_dir);
    /* The index is written; a summary that could not be printed is still an error. */
    if (sh_about_close_stdout("shiryo-index"))
        return 2;
    if (stats.skipped > 0 && stats.added + stats.updated + stats.unchanged == 0)
        return 1;
    return 0;
}
