/* test_seg.c — MeCab segmentation: the ipadic-utf8 dictionary loads, tokens come with exact
 * byte offsets into the input, symbols are classed as such, a missing dictionary is one error. */
#include "check.h"

#include "shiryo/seg.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

typedef struct collected {
    char words[64][64];
    int classes[64];
    size_t offsets[64];
    size_t n;
    const char *text;
    int offsets_ok;
} collected;

static int collect(void *ctx, const char *surface, size_t len, size_t offset, int word_class)
{
    collected *c = ctx;
    if (surface != c->text + offset)
        c->offsets_ok = 0;
    if (c->n < 64 && len < 64) {
        memcpy(c->words[c->n], surface, len);
        c->words[c->n][len] = '\0';
        c->classes[c->n] = word_class;
        c->offsets[c->n] = offset;
        c->n++;
    }
    return 0;
}

static int has_word(const collected *c, const char *w)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->words[i], w) == 0)
            return 1;
    return 0;
}

static int stop_after_first(void *ctx, const char *s, size_t len, size_t off, int cls)
{
    (void)s; (void)len; (void)off; (void)cls;
    (*(int *)ctx)++;
    return 42;
}

int main(void)
{
    sh_seg *seg = NULL;
    char *err = NULL;
    REQUIRE(sh_seg_open(NULL, &seg, &err) == SH_OK);
    CHECK(strstr(sh_seg_dictionary_id(seg), "UTF-8") || strstr(sh_seg_dictionary_id(seg), "utf-8"));

    const char *text = "臨床研究中核病院の質の向上に取り組む。";
    collected c = {.text = text, .offsets_ok = 1};
    REQUIRE(sh_seg_tokenize(seg, text, strlen(text), collect, &c, &err) == SH_OK);
    CHECK(c.offsets_ok);
    CHECK(has_word(&c, "臨床"));
    CHECK(has_word(&c, "研究"));
    CHECK(has_word(&c, "向上"));
    CHECK(has_word(&c, "の"));
    /* 。 is a symbol, の a particle. */
    for (size_t i = 0; i < c.n; i++) {
        if (strcmp(c.words[i], "。") == 0)
            CHECK(c.classes[i] == SH_WORD_SYMBOL);
        if (strcmp(c.words[i], "の") == 0)
            CHECK(c.classes[i] == SH_WORD_PARTICLE);
        if (strcmp(c.words[i], "病院") == 0)
            CHECK(c.classes[i] == SH_WORD_CONTENT);
    }
    /* A word of ASCII punctuation (an unknown noun to ipadic) is a symbol; a conjunction is a
     * function word, which still ranks. */
    const char *law = "第(1)項及び第二項";
    collected p = {.text = law, .offsets_ok = 1};
    REQUIRE(sh_seg_tokenize(seg, law, strlen(law), collect, &p, &err) == SH_OK);
    CHECK(has_word(&p, "("));
    CHECK(has_word(&p, "及び"));
    for (size_t i = 0; i < p.n; i++) {
        if (strcmp(p.words[i], "(") == 0 || strcmp(p.words[i], ")") == 0)
            CHECK(p.classes[i] == SH_WORD_SYMBOL);
        if (strcmp(p.words[i], "及び") == 0)
            CHECK(p.classes[i] == SH_WORD_FUNCTION);
        if (strcmp(p.words[i], "項") == 0)
            CHECK(p.classes[i] == SH_WORD_CONTENT);
    }
    /* Offsets ascend and tokens cover the text in order. */
    for (size_t i = 1; i < c.n; i++)
        CHECK(c.offsets[i] > c.offsets[i - 1]);

    /* Latin and digits, mixed; text not NUL-terminated at len. */
    const char *mixed = "CRBの質向上14億円XXXX";
    collected m = {.text = mixed, .offsets_ok = 1};
    REQUIRE(sh_seg_tokenize(seg, mixed, strlen(mixed) - 4, collect, &m, &err) == SH_OK);
    CHECK(m.offsets_ok);
    CHECK(has_word(&m, "CRB"));
    CHECK(!has_word(&m, "XXXX"));
    for (size_t i = 0; i < m.n; i++)
        CHECK(m.offsets[i] + strlen(m.words[i]) <= strlen(mixed) - 4);

    /* The callback's non-zero value stops the walk and is returned. */
    int calls = 0;
    CHECK(sh_seg_tokenize(seg, text, strlen(text), stop_after_first, &calls, &err) == 42);
    CHECK(calls == 1);

    /* Empty input: no tokens, no error. */
    collected e = {.text = "", .offsets_ok = 1};
    CHECK(sh_seg_tokenize(seg, "", 0, collect, &e, &err) == SH_OK);
    CHECK(e.n == 0);
    sh_seg_close(seg);

    /* A missing dictionary is one clear error naming the directory. */
    sh_seg *bad = NULL;
    CHECK(sh_seg_open("/nonexistent/dic", &bad, &err) == SH_ERR_NOTFOUND);
    CHECK(bad == NULL);
    CHECK(err && strstr(err, "/nonexistent/dic") && strstr(err, "mecab-ipadic-utf8"));
    free(err);
    sh_seg_close(NULL);
    return check_done();
}
