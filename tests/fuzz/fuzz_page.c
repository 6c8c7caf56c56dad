/* fuzz_page.c — libFuzzer target: arbitrary bytes through the decoder (textfile_decode) and the
 * page parser. Nothing may crash, hang, leak or read out of bounds; body lines lie inside the
 * input, ascend, and hold no site boilerplate line. */
#include "page.h"
#include "textfile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int is_notice(const page_line *l)
{
    static const char *const notices[] = {
        "資料テキストはコンピュータによる自動処理で生成されており、完全に資料と一致しない場合があります。",
        "テキストをコピーしてご利用いただく際は資料と付け合わせてご確認ください。", NULL};
    for (const char *const *n = notices; *n; n++)
        if (l->len == strlen(*n) && memcmp(l->text, *n, l->len) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    textfile tf;
    if (textfile_decode((const char *)data, size, &tf, NULL) == 0) {
        page *p = NULL;
        if (page_parse("fuzz.txt", tf.data, tf.len, &p, NULL) == 0) {
            for (size_t i = 0; i < p->nlines; i++)
                if ((i && p->lines[i].lineno <= p->lines[i - 1].lineno) || is_notice(&p->lines[i]))
                    abort();
            page_destroy(p);
        }
        textfile_free(&tf);
    }
    return 0;
}
