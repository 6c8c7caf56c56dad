/* test_passage.c — passages from the rebuilt layout: nothing dropped or duplicated between the
 * layout's column fragments and the passages; every piece of passage text really comes from the
 * line it names; bullets start passages; ministries come from the row's tag; a mention broken
 * across lines maps back to both lines. Runs on the sample page and on the page fixtures. */
#include "check.h"

#include "account.h"
#include "columns.h"
#include "page.h"
#include "passage.h"
#include "textfile.h"

#include "shiryo/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t counts_frags[256], counts_passages[256];

static void count_bytes(size_t *counts, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        counts[(unsigned char)s[i]]++;
}

/* Loads, parses, lays out and cuts one file; checks the invariants; returns the set. */
static passage_set *build(const char *path, page **pg_out, col_layout **layout_out)
{
    textfile tf;
    char *err = NULL;
    if (textfile_read(path, &tf, &err) != SH_OK) {
        fprintf(stderr, "%s: %s\n", path, err ? err : "?");
        free(err);
        return NULL;
    }
    page *pg = NULL;
    col_layout *layout = NULL;
    passage_set *set = NULL;
    int rc = page_parse("x.txt", tf.data, tf.len, &pg, &err);
    if (!rc)
        rc = col_layout_build(pg->lines, pg->nlines, &layout, &err);
    if (!rc)
        rc = passage_build(pg, layout, &set, &err);
    textfile_free(&tf);
    free(err);
    if (rc)
        return NULL;
    /* No text dropped or duplicated from the cells to the passages (spaces aside: a passage's
     * leading spaces are trimmed). */
    memset(counts_frags, 0, sizeof counts_frags);
    memset(counts_passages, 0, sizeof counts_passages);
    /* Cells, headings and the table header's lines: all of it is passage text. */
    for (size_t i = 0; i < layout->header_end; i++)
        count_bytes(counts_frags, pg->lines[i].text, pg->lines[i].len);
    for (size_t b = 0; b < layout->nblocks; b++) {
        for (size_t f = 0; f < layout->blocks[b].nfrags; f++) {
            const col_frag *fr = &layout->blocks[b].frags[f];
            count_bytes(counts_frags, pg->lines[fr->line_index].text + fr->off, fr->len);
        }
    }
    for (size_t i = 0; i < set->n; i++)
        count_bytes(counts_passages, set->items[i].text, set->items[i].len);
    counts_frags[' '] = counts_passages[' '] = 0;
    CHECK_MSG(memcmp(counts_frags, counts_passages, sizeof counts_frags) == 0,
              "%s: passages do not hold exactly the cells' text", path);
    /* Body accounting: every non-blank body character in exactly one passage, and no stage
     * dropped any (nothing had to be put back). */
    account_result acc;
    CHECK(account_check(pg, set, &acc, NULL) == SH_OK);
    CHECK_MSG(acc.missing_chars == 0 && acc.extra_chars == 0 && set->reattached == 0,
              "%s: %zu of %zu body characters missing, %zu extra, %zu reattached (line %u)", path,
              acc.missing_chars, acc.body_chars, acc.extra_chars, set->reattached,
              acc.first_bad_line);
    /* Every piece is a substring of the line it names, and pieces cover the text in order. */
    for (size_t i = 0; i < set->n; i++) {
        const passage *ps = &set->items[i];
        CHECK(ps->npieces > 0 && ps->pieces[0].offset == 0);
        for (size_t k = 0; k < ps->npieces; k++) {
            size_t from = ps->pieces[k].offset;
            size_t to = k + 1 < ps->npieces ? ps->pieces[k + 1].offset : ps->len;
            CHECK(from <= to && to <= ps->len);
            const page_line *line = NULL;
            for (size_t l = 0; l < pg->nlines; l++)
                if (pg->lines[l].lineno == ps->pieces[k].lineno)
                    line = &pg->lines[l];
            int found = 0;
            if (line && to - from <= line->len)
                for (size_t off = 0; !found && off + (to - from) <= line->len; off++)
                    found = memcmp(line->text + off, ps->text + from, to - from) == 0;
            CHECK_MSG(found, "%s: passage %zu piece %zu not from line %u", path, i, k,
                      ps->pieces[k].lineno);
        }
        for (size_t l = 1; l < ps->nlines; l++)
            CHECK(ps->lines[l - 1] < ps->lines[l]);
    }
    *pg_out = pg;
    *layout_out = layout;
    return set;
}

static const passage *find_passage(const passage_set *set, const char *needle, int column)
{
    for (size_t i = 0; i < set->n; i++)
        if (strstr(set->items[i].text, needle) && (column == 0 || set->items[i].column == column))
            return &set->items[i];
    return NULL;
}

int main(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/000_68858178ce9f1934.txt", check_source_dir());
    page *pg = NULL;
    col_layout *layout = NULL;
    passage_set *set = build(path, &pg, &layout);
    REQUIRE(set != NULL);
    CHECK(set->n >= 30);
    /* Each bullet is a passage of its own: no passage holds two bullets. */
    for (size_t i = 0; i < set->n; i++) {
        const char *second = strstr(set->items[i].text + 3, "・「");
        CHECK_MSG(second == NULL || set->items[i].text[0] != '\xe3', "two bullets: %s",
                  set->items[i].text);
    }
    /* Column 2 of the [文、◎厚、◎経] row carries those ministries, lead marks included. */
    const passage *ps = find_passage(set, "優れた医療機器の創出に係る産業振興拠点強化事業", 2);
    REQUIRE(ps != NULL);
    CHECK(ps->nministries == 3);
    CHECK(ps->nministries == 3 && strcmp(ps->ministries[0].name, "文部科学省") == 0 &&
          !ps->ministries[0].lead && strcmp(ps->ministries[1].name, "厚生労働省") == 0 &&
          ps->ministries[1].lead && strcmp(ps->ministries[2].name, "経済産業省") == 0 &&
          ps->ministries[2].lead);
    CHECK_STR(ps->measure, "産学連携の強化によるニーズ・シーズマッチング及び事業化の促進");
    CHECK_STR(ps->section, "研究開発拠点、開発支援拠点や企業の連携強化");
    /* A program name the PDF broke across two lines maps back to both lines. */
    ps = find_passage(set, "引き続き、「地域連携拠点」", 3);
    REQUIRE(ps != NULL);
    const char *hit = strstr(ps->text, "医工連携グローバル展開事業");
    REQUIRE(hit != NULL);
    size_t start = (size_t)(hit - ps->text);
    unsigned lines[8];
    size_t n = passage_lines_in(ps, start, start + strlen("医工連携グローバル展開事業"), lines, 8);
    CHECK(n == 2);
    CHECK(n == 2 && lines[1] == lines[0] + 1);
    /* A range inside one piece maps to one line; an empty range to none. */
    CHECK(passage_lines_in(ps, 0, 3, lines, 8) == 1 && lines[0] == ps->lines[0]);
    CHECK(passage_lines_in(ps, 5, 5, lines, 8) == 0);
    passage_set_destroy(set);
    col_layout_destroy(layout);
    page_destroy(pg);

    const char *fixtures[] = {"law_egov.txt", "crlf.txt", "fullwidth_page.txt", "no_header.txt",
                              "no_repeat.txt", "truncated_header.txt"};
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        snprintf(path, sizeof path, "%s/tests/fixtures/pages/%s", check_source_dir(), fixtures[i]);
        set = build(path, &pg, &layout);
        CHECK_MSG(set != NULL, "%s", path);
        passage_set_destroy(set);
        col_layout_destroy(layout);
        page_destroy(pg);
    }
    return check_done();
}
