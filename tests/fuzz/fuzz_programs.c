/* fuzz_programs.c — libFuzzer target: any bytes (made valid UTF-8 by the decoder, as in the
 * indexer) through the program and budget extractor; every mention and budget line must lie
 * inside the text, names must equal their byte ranges. */
#include "programs.h"
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
    textfile_free(&tf);
    return 0;
}
