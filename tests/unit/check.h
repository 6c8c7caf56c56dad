/* check.h — the small assertion header for unit tests: CHECK records a failure and goes on,
 * REQUIRE stops the test; check_done() prints "N passed, M failed" and returns the exit code.
 * Also reads files of the source tree (fixtures, the sample corpus) for every test. */
#ifndef SHIRYO_CHECK_H
#define SHIRYO_CHECK_H

#include "shiryo/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            check_passed++;                                                           \
        } else {                                                                      \
            check_failed++;                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

#define CHECK_MSG(cond, ...)                                                          \
    do {                                                                              \
        if (cond) {                                                                   \
            check_passed++;                                                           \
        } else {                                                                      \
            check_failed++;                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
        }                                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                               \
    do {                                                                              \
        const char *check_a_ = (a), *check_b_ = (b);                                  \
        CHECK_MSG(check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0,            \
                  "got \"%s\", want \"%s\"", check_a_ ? check_a_ : "(null)",          \
                  check_b_ ? check_b_ : "(null)");                                    \
    } while (0)

#define REQUIRE(cond)                                                                 \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failed++;                                                           \
            return check_done();                                                      \
        }                                                                             \
        check_passed++;                                                               \
    } while (0)

/* REQUIRE for void helpers: records the failure and leaves the helper. */
#define REQUIRE_VOID(cond)                                                            \
    do {                                                                              \
        if (!(cond)) {                                                                \
            CHECK_MSG(0, "required: %s", #cond);                                      \
            return;                                                                   \
        }                                                                             \
    } while (0)

/* The source tree: SHIRYO_SOURCE_DIR (ctest sets it), else the current directory. */
static inline const char *check_source_dir(void)
{
    const char *dir = getenv("SHIRYO_SOURCE_DIR");
    return dir && *dir ? dir : ".";
}

/* Reads the file rel (relative to the source tree) whole, NUL-terminated; *len (may be NULL)
 * gets its length. NULL, with one line on stderr, when it cannot. */
static inline char *check_read_source(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", check_source_dir(), rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s (set SHIRYO_SOURCE_DIR to the source tree)\n", path);
        return NULL;
    }
    char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        char *grown = sh_array_grow(data, &cap, n + 4096, 1);
        if (!grown) {
            free(data);
            fclose(f);
            return NULL;
        }
        data = grown;
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    data[n] = '\0';
    if (len)
        *len = n;
    return data;
}

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
