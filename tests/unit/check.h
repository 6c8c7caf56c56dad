/* check.h — the small assertion header for unit tests: CHECK records a failure and goes on,
 * REQUIRE stops the test; check_done() prints "N passed, M failed" and returns the exit code. */
#ifndef SHIRYO_CHECK_H
#define SHIRYO_CHECK_H

#include <stdio.h>
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

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
