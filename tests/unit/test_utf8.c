/* test_utf8.c — the UTF-8 module: well-formed and ill-formed sequences (overlong, surrogate,
 * above U+10FFFF, stray continuation, truncated) through every entry point, and a round trip of
 * every scalar value through the encoder and both decoders; cutting at a character boundary. */
#include "check.h"
#include "shiryo/utf8.h"

#include <string.h>

/* Decodes s[0..len) with sh_utf8_next: one code point and its length. */
static size_t next_of(const char *s, size_t len, unsigned *cp) { return sh_utf8_next(s, len, 0, cp); }

static void test_well_formed(void)
{
    static const struct {
        const char *s;
        unsigned cp;
    } cases[] = {
        {"A", 'A'},           {"\x7f", 0x7F},           {"\xc2\x80", 0x80},
        {"\xdf\xbf", 0x7FF},  {"\xe0\xa0\x80", 0x800},  {"資", 0x8CC7},
        {"\xed\x9f\xbf", 0xD7FF}, {"\xee\x80\x80", 0xE000}, {"\xef\xbf\xbd", 0xFFFD},
        {"\xef\xbf\xbf", 0xFFFF}, {"\xf0\x90\x80\x80", 0x10000}, {"\xf4\x8f\xbf\xbf", 0x10FFFF},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *s = cases[k].s;
        size_t len = strlen(s);
        unsigned cp = 0;
        CHECK_MSG(next_of(s, len, &cp) == len && cp == cases[k].cp, "case %zu: next", k);
        CHECK_MSG(sh_utf8_valid(s, len), "case %zu: valid", k);
        CHECK_MSG(sh_utf8_prev(s, len, &cp) == len && cp == cases[k].cp, "case %zu: prev", k);
        uint32_t v = 0;
        CHECK_MSG(sh_utf8_decode(s, len, &v) == len && v == cases[k].cp, "case %zu: decode", k);
        char out[4];
        CHECK_MSG(sh_utf8_encode(cases[k].cp, out) == len && memcmp(out, s, len) == 0,
                  "case %zu: encode", k);
        CHECK_MSG(sh_utf8_count(s, len) == 1, "case %zu: count", k);
    }
    CHECK(sh_utf8_valid("", 0));
    CHECK(sh_utf8_count("資料2", strlen("資料2")) == 3);
}

static void test_ill_formed(void)
{
    static const char *const bad[] = {
        "\x80",             /* stray continuation byte */
        "\xbf",
        "\xc0\xaf",         /* overlong '/' */
        "\xc1\xbf",         /* overlong U+007F */
        "\xe0\x80\xaf",     /* overlong, three bytes */
        "\xe0\x9f\xbf",     /* overlong U+07FF */
        "\xf0\x80\x80\xaf", /* overlong, four bytes */
        "\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
        "\xed\xa0\x80",     /* surrogate U+D800 */
        "\xed\xbf\xbf",     /* surrogate U+DFFF */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", /* lead byte past F4 */
        "\xf8\x88\x80\x80",
        "\xff",
        "\xe8\xb3",         /* truncated 資 */
        "\xf0\x90\x80",     /* truncated four-byte sequence */
        "\xc2",             /* truncated two-byte sequence */
        "\xe8\x41\x41",     /* continuation replaced by ASCII */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *s = bad[k];
        size_t len = strlen(s);
        unsigned cp = 0;
        CHECK_MSG(!sh_utf8_valid(s, len), "bad %zu: valid", k);
        CHECK_MSG(next_of(s, len, &cp) == 1 && cp == 0xFFFD, "bad %zu: next", k);
        if ((unsigned char)s[len - 1] >= 0x80) /* "\xe8AA" ends with a well-formed 'A' */
            CHECK_MSG(sh_utf8_prev(s, len, &cp) == 1 && cp == 0xFFFD, "bad %zu: prev", k);
        uint32_t v = 0;
        CHECK_MSG(sh_utf8_decode(s, len, &v) == 1 && v == 0xFFFD, "bad %zu: decode", k);
    }
    /* decoding never reads past len: 資 cut at two of its three bytes */
    unsigned cp = 0;
    CHECK(sh_utf8_next("資", 2, 0, &cp) == 1 && cp == 0xFFFD);
    /* an ill-formed byte costs one step, so offsets stay exact: a, FFFD, FFFD, b */
    const char *mixed = "a\xe8\xb3" "b";
    size_t i = 0, steps = 0;
    unsigned seen[8];
    while (i < strlen(mixed) && steps < 8) {
        i += sh_utf8_next(mixed, strlen(mixed), i, &seen[steps]);
        steps++;
    }
    CHECK(steps == 4 && seen[0] == 'a' && seen[1] == 0xFFFD && seen[2] == 0xFFFD &&
          seen[3] == 'b');
    /* a well-formed tail inside an ill-formed text still decodes backwards */
    CHECK(sh_utf8_prev("\xff資", 4, &cp) == 3 && cp == 0x8CC7);
    CHECK(sh_utf8_prev("x", 0, &cp) == 0 && cp == 0);
    uint32_t v = 1;
    CHECK(sh_utf8_decode("", 0, &v) == 0 && v == 0);
    CHECK(!sh_utf8_valid("ok\xc0\xaf", 4));
    /* cutting at a character boundary: 資料 is two three-byte characters */
    const char *two = "資料";
    CHECK(sh_utf8_char_start(two, 0) == 0 && sh_utf8_char_start(two, 2) == 0);
    CHECK(sh_utf8_char_start(two, 3) == 3 && sh_utf8_char_start(two, 5) == 3);
    CHECK(sh_utf8_char_start("\x80\x80", 1) == 0); /* never below the start */
    /* the encoder never writes a surrogate or a value past U+10FFFF */
    char out[4];
    CHECK(sh_utf8_encode(0xD800, out) == 3 && memcmp(out, "\xef\xbf\xbd", 3) == 0);
    CHECK(sh_utf8_encode(0x110000, out) == 3 && memcmp(out, "\xef\xbf\xbd", 3) == 0);
}

/* Every scalar value survives encode -> next / prev / valid. */
static void test_round_trip(void)
{
    size_t failures = 0;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char buf[4];
        size_t n = sh_utf8_encode(cp, buf);
        unsigned back = 0, prev = 0;
        if (n != (cp < 0x80 ? 1u : cp < 0x800 ? 2u : cp < 0x10000 ? 3u : 4u) ||
            sh_utf8_next(buf, n, 0, &back) != n || back != cp ||
            sh_utf8_prev(buf, n, &prev) != n || prev != cp || !sh_utf8_valid(buf, n))
            failures++;
    }
    CHECK_MSG(failures == 0, "%zu code points do not round-trip", failures);
}

/* Continuation bytes are exactly 0x80..0xBF: every other byte starts a code point (or is
 * invalid, which stepping over a code point treats as one byte). */
static void test_continuation(void)
{
    size_t wrong = 0;
    for (unsigned b = 0; b < 256; b++)
        if (sh_utf8_is_continuation((unsigned char)b) != (b >= 0x80 && b <= 0xBF))
            wrong++;
    CHECK_MSG(wrong == 0, "%zu bytes misclassified as continuation or not", wrong);
    const char *s = "a連b"; /* 連: E9 80 A3 */
    const unsigned char *u = (const unsigned char *)s;
    CHECK(sh_utf8_is_continuation(u[2]) && sh_utf8_is_continuation(u[3]));
    CHECK(!sh_utf8_is_continuation(u[1]) && !sh_utf8_is_continuation(u[4]));
}

/* sh_utf8_scan decodes ASCII and some three-byte sequences inline: it must agree with the one
 * checked decoder (sh_utf8_scan_slow) on every one-byte input and every lead byte E0..EF with
 * any two bytes after it, whole or cut short. */
static void test_scan_agrees(void)
{
    size_t wrong = 0;
    unsigned char s[3];
    for (unsigned b0 = 0; b0 < 256; b0++) {
        s[0] = (unsigned char)b0;
        uint32_t a = 0, b = 0;
        if (sh_utf8_scan((const char *)s, 1, 0, &a) != sh_utf8_scan_slow((const char *)s, 1, 0, &b))
            wrong++;
        for (unsigned b1 = 0; b0 >= 0xE0 && b0 <= 0xEF && b1 < 256; b1++)
            for (unsigned b2 = 0; b2 < 256; b2++) {
                s[1] = (unsigned char)b1;
                s[2] = (unsigned char)b2;
                for (size_t len = 2; len <= 3; len++) {
                    uint32_t x = 0, y = 0;
                    size_t n = sh_utf8_scan((const char *)s, len, 0, &x);
                    size_t m = sh_utf8_scan_slow((const char *)s, len, 0, &y);
                    if (n != m || (n && x != y))
                        wrong++;
                }
            }
    }
    CHECK_MSG(wrong == 0, "%zu inputs decoded differently inline", wrong);
    unsigned cp = 0;
    CHECK(sh_utf8_next("\xe9\x80", 2, 0, &cp) == 1 && cp == 0xFFFD); /* cut short */
    CHECK(sh_utf8_next("\xe9\x80\xa3", 3, 0, &cp) == 3 && cp == 0x9023);
}

int main(void)
{
    test_scan_agrees();
    test_well_formed();
    test_continuation();
    test_ill_formed();
    test_round_trip();
    return check_done();
}
