/* ministry.c — the table of ministries and agencies with their tags and short names.
 * Lookup only: no normalization beyond trimming and full-width bracket/space tolerance. */
#include "shiryo/ministry.h"

#include <string.h>

static const struct ministry {
    const char *full;
    const char *tag;       /* one-character tag used in plan tables */
    const char *shorts[4]; /* common short names */
} ministries[] = {
    {"内閣官房", "官", {"官房", NULL}},
    {"内閣府", "内", {NULL}},
    {"デジタル庁", "デ", {"デジ庁", NULL}},
    {"復興庁", "復", {NULL}},
    {"総務省", "総", {NULL}},
    {"法務省", "法", {NULL}},
    {"外務省", "外", {NULL}},
    {"財務省", "財", {NULL}},
    {"文部科学省", "文", {"文科省", "文部省", NULL}},
    {"厚生労働省", "厚", {"厚労省", "厚生省", NULL}},
    {"農林水産省", "農", {"農水省", NULL}},
    {"経済産業省", "経", {"経産省", NULL}},
    {"国土交通省", "国", {"国交省", NULL}},
    {"環境省", "環", {NULL}},
    {"防衛省", "防", {NULL}},
    {"警察庁", "警", {NULL}},
    {"金融庁", "金", {NULL}},
    {"消費者庁", "消", {NULL}},
    {"こども家庭庁", "こ", {"こども庁", NULL}},
    {"個人情報保護委員会", "個", {NULL}},
    {"公正取引委員会", "公", {"公取委", NULL}},
    {"特許庁", "特", {NULL}},
    {"文化庁", "化", {NULL}},
    {"スポーツ庁", "ス", {NULL}},
    {"気象庁", "気", {NULL}},
    {"原子力規制委員会", "原", {"規制委", NULL}},
};

#define NMINISTRIES (sizeof ministries / sizeof ministries[0])

static int equals(const char *a, size_t alen, const char *b)
{
    return b && strlen(b) == alen && memcmp(a, b, alen) == 0;
}

const char *ministry_full_name(const char *name, size_t len)
{
    while (len && (*name == ' ' || *name == '\t'))
        name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    for (size_t i = 0; i < NMINISTRIES; i++) {
        const struct ministry *m = &ministries[i];
        if (equals(name, len, m->full) || equals(name, len, m->tag))
            return m->full;
        for (size_t s = 0; s < 4 && m->shorts[s]; s++)
            if (equals(name, len, m->shorts[s]))
                return m->full;
    }
    return NULL;
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
