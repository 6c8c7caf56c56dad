/* fuzz_columns.c — libFuzzer target: bytes → decode → page → layout reconstruction → passages.
 * Asserts the layout's invariant (every fragment lies inside its line) and body accounting:
 * every non-blank body character is in exactly one passage, and no stage dropped any (the
 * accounting step had nothing to put back). */
#include "account.h"
#include "columns.h"
#include "page.h"
#include "passage.h"
#include "textfile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    textfile tf;
    if (textfile_decode((const char *)data, size, &tf, NULL) != 0)
        return 0;
    page *p = NULL;
    col_layout *layout = NULL;
    passage_set *set = NULL;
    if (page_parse("fuzz.txt", tf.data, tf.len, &p, NULL) == 0 &&
        col_layout_build(p->lines, p->nlines, &layout, NULL) == 0) {
        for (size_t b = 0; b < layout->nblocks; b++)
            for (size_t f = 0; f < layout->blocks[b].nfrags; f++) {
                const col_frag *fr = &layout->blocks[b].frags[f];
                if (fr->line_index >= p->nlines || fr->off + fr->len > p->lines[fr->line_index].len)
                    abort();
            }
        if (passage_build(p, layout, &set, NULL) == 0) {
            account_result acc;
            if (account_check(p, set, &acc, NULL) == 0 &&
                (acc.missing_chars || acc.extra_chars || set->reattached)) {
                fprintf(stderr, "accounting: %zu missing, %zu extra, %zu reattached (line %u)\n",
                        acc.missing_chars, acc.extra_chars, set->reattached, acc.first_bad_line);
                abort();
            }
            passage_set_destroy(set);
        }
    }
    col_layout_destroy(layout);
    page_destroy(p);
    textfile_free(&tf);
    return 0;
}
