/* fuzz_page.c — libFuzzer target: arbitrary bytes through the decoder (textfile_decode) and the
 * page parser. Nothing may crash, hang, leak or read out of bounds. */
#include "page.h"
#include "textfile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    textfile tf;
    if (textfile_decode((const char *)data, size, &tf, NULL) == 0) {
        page *p = NULL;
        if (page_parse("fuzz.txt", tf.data, tf.len, &p, NULL) == 0)
            page_destroy(p);
        textfile_free(&tf);
    }
    return 0;
}
