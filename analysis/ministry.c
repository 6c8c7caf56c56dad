/* ministry.c — ministry names as tables write them: a name, short name or tag to the official
 * name (the names are analysis/agencies.tsv's, through agency.h), and tag lists [文、◎厚、◎経]. */
#include "shiryo/ministry.h"

#include "shiryo/agency.h"

#include <string.h>

const char *ministry_full_name(const char *name, size_t len)
{
    while (len && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    return agency_official_name(name, len, 1);
}

/* Finds the last occurrence of needle in [s, s+len); returns its offset or (size_t)-1. */
static size_t find_last(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (memcmp(s + i, needle, n) == 0)
            return i;
    return (size_t)-1;
}

size_t ministry_parse_tag(const char *text, size_t len, ministry_ref *refs, size_t max,
                          size_t *tag_start)
{
    /* Tags are "[…]" or full-width "［…］". */
    size_t open = find_last(text, len, "["), open_w = find_last(text, len, "［");
    size_t open_len = 1;
    if (open_w != (size_t)-1 && (open == (size_t)-1 || open_w > open))
        open = open_w, open_len = 3;
    if (open == (size_t)-1)
        return 0;
    const char *body = text + open + open_len;
    size_t rest = len - open - open_len, body_len = (size_t)-1;
    for (size_t i = 0; i < rest; i++) {
        if (body[i] == ']') { body_len = i; break; }
        if (rest - i >= 3 && memcmp(body + i, "］", 3) == 0) { body_len = i; break; }
    }
    if (body_len == (size_t)-1 || body_len == 0)
        return 0;
    size_t n = 0, i = 0;
    while (i < body_len && n < max) {
        /* Items are separated by 、 , ， or ・. */
        size_t j = i, sep_len = 0;
        while (j < body_len) {
            if (body[j] == ',') { sep_len = 1; break; }
            if (body_len - j >= 3 && (memcmp(body + j, "、", 3) == 0 ||
                                      memcmp(body + j, "，", 3) == 0 ||
                                      memcmp(body + j, "・", 3) == 0)) { sep_len = 3; break; }
            j++;
        }
        const char *item = body + i;
        size_t item_len = j - i;
        int lead = 0;
        if (item_len >= 3 && memcmp(item, "◎", 3) == 0) {
            lead = 1;
            item += 3;
            item_len -= 3;
        }
        const char *full = ministry_full_name(item, item_len);
        if (full) {
            refs[n].name = full;
            refs[n].lead = lead;
            n++;
        }
        i = j + sep_len;
        if (sep_len == 0)
            break;
    }
    if (n && tag_start)
        *tag_start = open;
    return n;
}
