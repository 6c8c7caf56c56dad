/* utf8.h — the one UTF-8 decoder and encoder of the project: checked decoding of possibly
 * invalid bytes (never reads past the end, one U+FFFD per byte that starts no well-formed
 * sequence), validation, backward decoding and code point counts. Unicode properties are ICU's. */
#ifndef SHIRYO_UTF8_H
#define SHIRYO_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Well-formed means RFC 3629: shortest form only (no overlongs such as C0 AF), no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence. */

/* Returns 1 if the len bytes at s are well-formed UTF-8, else 0. */
int sh_utf8_valid(const char *s, size_t len);


/* sh_utf8_next at the start of s: 0 with *cp = 0 when len == 0. */
size_t sh_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Decodes the code point that ends at byte end (exclusive): returns its byte length, or 1 with
 * *cp = U+FFFD when the bytes before end do not end with a well-formed sequence; 0 with
 * *cp = 0 when end == 0. */
size_t sh_utf8_prev(const char *s, size_t end, unsigned *cp);

/* The start of the code point that byte i belongs to: i stepped back over continuation bytes
 * (never below 0). For cutting text at a character boundary at or before byte i. */
size_t sh_utf8_char_start(const char *s, size_t i);

/* Writes code point cp (at most U+10FFFF, no surrogate) as UTF-8 into out[0..4) and returns its
 * byte length; anything else is written as U+FFFD (3 bytes). */
size_t sh_utf8_encode(uint32_t cp, char out[4]);

/* 1 if byte b continues a sequence (10xxxxxx) rather than starting a code point: the test for
 * stepping over a code point's bytes when the text's validity is not the question. */
static inline int sh_utf8_is_continuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

/* The well-formed sequence at s[i..len) (i < len): its byte length and *cp, or 0 when there is
 * none. The checked decoder of hot loops: ASCII and the three-byte sequences of kana and kanji
 * are decoded inline, the rest by sh_utf8_scan_slow (test_utf8 checks that they agree). */
size_t sh_utf8_scan_slow(const char *s, size_t len, size_t i, uint32_t *cp);
static inline size_t sh_utf8_scan(const char *s, size_t len, size_t i, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s + i;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    /* lead bytes E1..EC, EE, EF take any two continuation bytes (E0: overlongs, ED: surrogates) */
    if (p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && len - i >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
        return 3;
    }
    return sh_utf8_scan_slow(s, len, i, cp);
}

/* Decodes the code point at s[i] (i < len): returns its byte length (1..4), or 1 with
 * *cp = U+FFFD when s[i] starts no well-formed sequence within len. Inline: every text loop of
 * the indexer steps with it. */
static inline size_t sh_utf8_next(const char *s, size_t len, size_t i, unsigned *cp)
{
    uint32_t v;
    size_t n = sh_utf8_scan(s, len, i, &v);
    *cp = n ? (unsigned)v : 0xFFFD;
    return n ? n : 1;
}

/* Number of code points in well-formed UTF-8 (the bytes that are not continuation bytes). */
size_t sh_utf8_count(const char *s, size_t len);

#endif
