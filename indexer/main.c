/* main.c — shiryo-index: parses options from one table, walks the paths, feeds each file to the
 * indexer, shows progress on a terminal and prints the summary. No indexing logic lives here. */
#include "index.h"
#include "walk.h"

#include "shiryo/status.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INDEX ".shiryo"

static const char usage_text[] =
    "usage: shiryo-index [--index DIR] [--rebuild] [--no-prune] [--verbose] [--quiet] PATH...\n"
    "\n"
    "Indexes text files (folders recursively, *.txt) into a shiryo index.\n"
    "Re-running over the same paths indexes only files whose content changed and, for each\n"
    "folder given, removes the passages of files that no longer exist under it.\n"
    "\n"
    "  -i, --index DIR   index directory (default: $SHIRYO_INDEX or ./" DEFAULT_INDEX ")\n"
    "      --rebuild     discard the index and start over\n"
    "      --no-prune    keep passages of files that disappeared from the folders given\n"
    "  -v, --verbose     one line per file (outcome, passages, encoding)\n"
    "  -q, --quiet       no progress and no summary\n"
    "  -h, --help        this help\n"
    "      --version     print the version\n";

enum { OPT_REBUILD = 256, OPT_NO_PRUNE, OPT_VERSION };

static const struct option options[] = {
    {"index", required_argument, NULL, 'i'},
    {"rebuild", no_argument, NULL, OPT_REBUILD},
    {"no-prune", no_argument, NULL, OPT_NO_PRUNE},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

typedef struct run_stats {
    size_t added, updated, unchanged, skipped, removed, passages, bytes;
} run_stats;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void warn_path(void *ctx, const char *path, const char *message)
{
    run_stats *stats = ctx;
    fprintf(stderr, "shiryo-index: warning: %s: %s\n", path, message);
    if (stats)
        stats->skipped++;
}

static void show_progress(size_t done, size_t total, const run_stats *s, double elapsed)
{
    double mb = (double)s->bytes / 1e6;
    fprintf(stderr, "\r\033[K[%zu/%zu files] %zu passages, %.1f MB, %.1f MB/s", done, total,
            s->passages, mb, elapsed > 0 ? mb / elapsed : 0.0);
    fflush(stderr);
}

int main(int argc, char **argv)
{
    const char *index_dir = getenv("SHIRYO_INDEX");
    if (!index_dir || !*index_dir)
        index_dir = DEFAULT_INDEX;
    int rebuild = 0, prune = 1, verbose = 0, quiet = 0, opt;
    while ((opt = getopt_long(argc, argv, "i:vqh", options, NULL)) != -1) {
        switch (opt) {
        case 'i': index_dir = optarg; break;
        case OPT_REBUILD: rebuild = 1; break;
        case OPT_NO_PRUNE: prune = 0; break;
        case 'v': verbose = 1; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case OPT_VERSION: puts("shiryo-index 0.1.0"); return 0;
        default:
            fputs("shiryo-index: try 'shiryo-index --help'\n", stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs("shiryo-index: no PATH given: name the files or folders to index "
              "(try 'shiryo-index --help')\n", stderr);
        return 2;
    }
    double started = now_seconds();
    run_stats stats = {0};
    char *errmsg = NULL;
    walk_list files;
    int rc = walk_collect(argv + optind, (size_t)(argc - optind), &files, warn_path, &stats,
                          &errmsg);
    if (rc) {
        fprintf(stderr, "shiryo-index: %s\n", errmsg ? errmsg : sh_status_str(rc));
        free(errmsg);
        return 2;
    }
    sh_indexer *ix = NULL;
    rc = sh_indexer_open(index_dir, rebuild, &ix, &errmsg);
    if (rc) {
        fprintf(stderr, "shiryo-index: %s\n", errmsg ? errmsg : sh_status_str(rc));
        free(errmsg);
        walk_list_free(&files);
        return 2;
    }
    int progress = !quiet && !verbose && isatty(STDERR_FILENO);
    double last_progress = 0;
    for (size_t i = 0; i < files.n && !rc; i++) {
        index_file_result res;
        int frc = sh_indexer_add_file(ix, files.paths[i], &res, &errmsg);
        if (frc == SH_ERR_IO || frc == SH_ERR_INVALID || frc == SH_ERR_RANGE) {
            if (progress)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "shiryo-index: warning: %s: %s\n", files.paths[i],
                    errmsg ? errmsg : sh_status_str(frc));
            stats.skipped++;
        } else if (frc) {
            rc = frc;
            fprintf(stderr, "shiryo-index: %s: %s\n", files.paths[i],
                    errmsg ? errmsg : sh_status_str(frc));
        } else {
            stats.bytes += res.bytes;
            stats.passages += res.passages;
            stats.added += res.outcome == INDEX_ADDED;
            stats.updated += res.outcome == INDEX_UPDATED;
            stats.unchanged += res.outcome == INDEX_UNCHANGED;
            if (verbose)
                fprintf(stderr, "%s: %s, %zu passages, %s\n", files.paths[i],
                        res.outcome == INDEX_ADDED     ? "added"
                        : res.outcome == INDEX_UPDATED ? "updated"
                                                       : "unchanged",
                        res.passages, res.encoding);
        }
        free(errmsg);
        errmsg = NULL;
        double t = now_seconds();
        if (progress && (t - last_progress > 0.2 || i + 1 == files.n)) {
            show_progress(i + 1, files.n, &stats, t - started);
            last_progress = t;
        }
    }
    if (progress)
        fputs("\r\033[K", stderr);
    /* Pruning: for each folder given, drop files indexed earlier that are gone now. */
    for (int a = optind; a < argc && !rc && prune; a++) {
        struct stat st;
        char *root = realpath(argv[a], NULL);
        if (root && stat(root, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t removed = 0;
            rc = sh_indexer_prune(ix, root, files.paths, files.n, &removed, &errmsg);
            stats.removed += removed;
            if (rc)
                fprintf(stderr, "shiryo-index: %s\n", errmsg ? errmsg : sh_status_str(rc));
        }
        free(root);
    }
    if (!rc) {
        rc = sh_indexer_commit(ix, &errmsg);
        if (rc)
            fprintf(stderr, "shiryo-index: %s: commit failed: %s\n", index_dir,
                    errmsg ? errmsg : sh_status_str(rc));
    }
    free(errmsg);
    sh_indexer_close(ix);
    double elapsed = now_seconds() - started;
    if (!quiet && !rc)
        printf("indexed %zu files, %zu passages in %.2f s (%zu added, %zu updated, %zu unchanged, "
               "%zu removed, %zu skipped) into %s\n",
               stats.added + stats.updated + stats.unchanged, stats.passages, elapsed,
               stats.added, stats.updated, stats.unchanged, stats.removed, stats.skipped,
               index_dir);
    walk_list_free(&files);
    if (rc)
        return 2;
    if (stats.skipped > 0 && stats.added + stats.updated + stats.unchanged == 0)
        return 1;
    return 0;
}
