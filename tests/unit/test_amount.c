/* test_amount.c — amount.c's layout cells and budget words: what an amount cell is, and which
 * reader knows which budget word (the one table serves program extraction, budget sheets and the
 * layout, each with its own set of words). amount_parse is tested through test_sheets/programs. */
#include "amount.h"
#include "check.h"

#include <string.h>

static int is_cell(const char *s) { return amount_is_cell(s, strlen(s)); }

static void test_cells(void)
{
    CHECK(is_cell("13億円"));
    CHECK(is_cell("1,200百万円"));
    CHECK(is_cell("３．８億円(補正)"));
    CHECK(is_cell("19億円の内数"));
    CHECK(is_cell("1、2億円")); /* a 、 among the digits: looser than amount_parse */
    CHECK(is_cell("―") && is_cell("未定") && is_cell("（新規）") && is_cell("皆減") && is_cell("０"));
    CHECK(!is_cell("13兆円"));     /* not a unit a cell holds */
    CHECK(!is_cell("13億"));       /* no 円 */
    CHECK(!is_cell("令和6年度"));
    CHECK(!is_cell("13億円を措置した。")); /* a sentence, not a cell */
    CHECK(!is_cell("13億円の内数であり、今後の事業の進捗に応じて増額"));
    CHECK(!is_cell(""));
    CHECK(amount_cell_prefix("8.8億円)を通じて", strlen("8.8億円)を通じて")) == strlen("8.8億円"));
    CHECK(amount_cell_prefix("千円", strlen("千円")) == 0); /* no digit */
}

/* Which word amount_word_at finds for `uses` at the start of s, or NULL. */
static const char *word_at(const char *s, unsigned uses)
{
    size_t used = 0;
    const amount_word *w = amount_word_at(s, strlen(s), uses, &used);
    return w && used == strlen(w->text) ? w->text : NULL;
}

static void test_words(void)
{
    /* longest first for every use */
    CHECK(word_at("補正予算案:5億円", AMOUNT_USE_KIND) &&
          !strcmp(word_at("補正予算案:5億円", AMOUNT_USE_KIND), "補正予算案"));
    size_t used;
    const amount_word *w = amount_word_at("補正予算案", strlen("補正予算案"), AMOUNT_USE_KIND, &used);
    CHECK(w && !strcmp(w->kind, AMOUNT_KIND_SUPPLEMENTARY_PROPOSAL));
    w = amount_word_at("概算要求額", strlen("概算要求額"), AMOUNT_USE_KIND, &used);
    CHECK(w && !strcmp(w->kind, AMOUNT_KIND_REQUEST) && used == strlen("概算要求額"));
    /* the layout's budget-of-a-year words: 予算額 and 予算案 do not make a year a budget's, and
     * 補正予算案 reads as 補正予算 */
    CHECK(word_at("予算", AMOUNT_USE_OF_YEAR) && word_at("当初予算", AMOUNT_USE_OF_YEAR));
    CHECK(!strcmp(word_at("補正予算案", AMOUNT_USE_OF_YEAR), "補正予算"));
    CHECK(!strcmp(word_at("予算額", AMOUNT_USE_OF_YEAR), "予算"));
    CHECK(!strcmp(word_at("要求額", AMOUNT_USE_OF_YEAR), "要求"));
    CHECK(word_at("補正", AMOUNT_USE_OF_YEAR) == NULL && word_at("決算", AMOUNT_USE_OF_YEAR) == NULL);
    CHECK(word_at("補正", AMOUNT_USE_KIND) != NULL && word_at("決算", AMOUNT_USE_KIND) != NULL);
    /* the layout's request words: three, found anywhere */
    CHECK(amount_has_word("令和7年度予算案において", strlen("令和7年度予算案において"),
                          AMOUNT_USE_REQUEST));
    CHECK(amount_has_word("概算要求を行う", strlen("概算要求を行う"), AMOUNT_USE_REQUEST));
    CHECK(amount_has_word("要求額は", strlen("要求額は"), AMOUNT_USE_REQUEST));
    CHECK(!amount_has_word("要望額", strlen("要望額"), AMOUNT_USE_REQUEST));
    CHECK(amount_has_word("要望額", strlen("要望額"), AMOUNT_USE_KIND));
    CHECK(!amount_has_word("予算額", strlen("予算額"), AMOUNT_USE_REQUEST));
    /* every word heads an amount for program extraction; the layout's are a subset of them */
    size_t n;
    const amount_word *all = amount_words(&n);
    size_t of_year = 0, request = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK_MSG(all[i].uses & AMOUNT_USE_KIND, "%s: no kind use", all[i].text);
        of_year += (all[i].uses & AMOUNT_USE_OF_YEAR) != 0;
        request += (all[i].uses & AMOUNT_USE_REQUEST) != 0;
        for (size_t k = i + 1; k < n; k++) /* a later word never starts with an earlier one */
            CHECK_MSG(strncmp(all[k].text, all[i].text, strlen(all[i].text)) != 0,
                      "%s after %s", all[k].text, all[i].text);
    }
    CHECK(n == 28 && of_year == 5 && request == 3);
}

int main(void)
{
    test_cells();
    test_words();
    return check_done();
}
