/* fuzz_programs.c — libFuzzer target: any bytes (made valid UTF-8 by the decoder, as in the
 * indexer) through the program and budget extractor; every mention and budget line must lie
 * inside the text, names must equal their byte ranges. The same text as page lines goes through
 * the budget-sheet reader: every budget line must name its lines and a kind, and each name must
 * lie on one line. */
#include "programs.h"
#include "sheets.h"
#include "textfile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    textfile tf;
    if (size < 1 || textfile_decode((const char *)data + 1, size - 1, &tf, NULL) != 0)
        return 0;
    program_set *set = NULL;
    int column_year = data[0] % 2 ? 2000 + data[0] % 40 : 0;
    if (programs_extract(tf.data, tf.len, column_year, &set, NULL) == 0) {
        for (size_t i = 0; i < set->n; i++) {
            const program_mention *m = &set->items[i];
            if (m->start > m->end || m->end > tf.len ||
                strlen(m->name) != m->end - m->start ||
                memcmp(m->name, tf.data + m->start, m->end - m->start) != 0)
                abort();
            for (size_t k = 0; k < m->nbudgets; k++)
                if (m->budgets[k].start > m->budgets[k].end || m->budgets[k].end > tf.len ||
                    !m->budgets[k].kind)
                    abort();
        }
        program_set_destroy(set);
    }
    page_line *lines = malloc((tf.len + 1) * sizeof *lines);
    size_t n = 0;
    for (size_t s = 0; lines && s <= tf.len;) {
        const char *nl = memchr(tf.data + s, '\n', tf.len - s);
        size_t e = nl ? (size_t)(nl - tf.data) : tf.len;
        lines[n] = (page_line){(unsigned)(n + 1), tf.data + s, e - s};
        n++;
        s = e + 1;
    }
    sheet_set *sheets = NULL;
    if (lines && sheets_extract(data[0] % 3 ? "令和7年度概算要求" : "", lines, n, &sheets, NULL) == 0) {
        for (size_t i = 0; i < sheets->n; i++) {
            const sheet_program *sp = &sheets->items[i];
            if (!sp->name[0] || strchr(sp->name, '\n') || !sp->nbudgets || sp->name_line > n)
                abort();
            for (size_t k = 0; k < sp->nbudgets; k++)
                if (!sp->budgets[k].kind || !sp->budgets[k].unit || !sp->budgets[k].nlines ||
                    sp->budgets[k].figure_line > n)
                    abort();
        }
        sheet_set_destroy(sheets);
    }
    free(lines);
    textfile_free(&tf);
    return 0;
}
