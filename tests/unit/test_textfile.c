/* test_textfile.c — decoding input files: UTF-8 with and without BOM, Shift_JIS and EUC-JP
 * through ICU, a few corrupt UTF-8 bytes replaced (not the whole file lost), binary rejected with
 * a reason, control characters neutralized, unreadable paths reported with errno's text. */
#include "check.h"

#include "textfile.h"

#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

static int decodes_to(const char *raw, size_t len, const char *want, const char *encoding)
{
    textfile tf;
    char *err = NULL;
    int rc = textfile_decode(raw, len, &tf, &err);
    int ok = rc == SH_OK && strcmp(tf.data, want) == 0 && strcmp(tf.encoding, encoding) == 0;
    if (!ok)
        fprintf(stderr, "decode: rc %d (%s) got \"%s\" as %s\n", rc, err ? err : "",
                rc == SH_OK ? tf.data : "", rc == SH_OK ? tf.encoding : "-");
    if (rc == SH_OK)
        textfile_free(&tf);
    free(err);
    return ok;
}

int main(void)
{
    CHECK(decodes_to("資料2-1\n", strlen("資料2-1\n"), "資料2-1\n", "UTF-8"));
    CHECK(decodes_to("\xEF\xBB\xBF資料", strlen("\xEF\xBB\xBF資料"), "資料", "UTF-8"));
    /* 資料 in Shift_JIS and in EUC-JP, with a line end. */
    CHECK(decodes_to("\x8E\x91\x97\xBF\r\n", 6, "資料\r\n", "Shift_JIS"));
    CHECK(decodes_to("\xBB\xF1\xCE\xC1\n", 5, "資料\n", "EUC-JP"));
    /* Shift_JIS specials of CP932 (① is 0x8740). */
    CHECK(decodes_to("\x87\x40", 2, "①", "Shift_JIS"));
    /* Shift_JIS half-width katakana: one byte each, three bytes each in UTF-8 (an output buffer
     * sized for two-byte characters would overflow). */
    char hw[2 + 4 + 200 + 1];
    memcpy(hw, "\x8E\x91\x97\xBF", 4);         /* 資料 */
    memset(hw + 4, '\xB6', 200);                  /* ｶ × 200 */
    hw[204] = '\n';
    char want_hw[4096] = "資料";
    for (int i = 0; i < 200; i++)
        strcat(want_hw, "ｶ");
    strcat(want_hw, "\n");
    CHECK(decodes_to(hw, 205, want_hw, "Shift_JIS"));
    /* Control characters become spaces; tab and line ends stay. */
    const char *controls = "a\x01" "b\tc\x7f" "d 普通のテキストが続く行です。\n";
    CHECK(decodes_to(controls, strlen(controls), "a b\tc d 普通のテキストが続く行です。\n", "UTF-8"));
    CHECK(decodes_to("NULを\x00含む", strlen("NULを") + 1 + strlen("含む"), "NULを 含む", "UTF-8"));
    CHECK(decodes_to("", 0, "", "UTF-8"));

    /* A few corrupt bytes in a UTF-8 file: replaced by U+FFFD, counted, the rest kept. */
    textfile tf;
    char *err = NULL;
    const char *corrupt = "正しい行。\n壊れた\xff列。正しい行。正しい行。\n";
    REQUIRE(textfile_decode(corrupt, strlen(corrupt), &tf, &err) == SH_OK);
    CHECK(tf.replaced == 1);
    CHECK(strstr(tf.data, "壊れた\xEF\xBF\xBD列") != NULL);
    CHECK(strcmp(tf.encoding, "UTF-8") == 0);
    textfile_free(&tf);

    /* Binary data: refused with a reason, nothing allocated. */
    unsigned char binary[512];
    for (size_t i = 0; i < sizeof binary; i++)
        binary[i] = (unsigned char)(i * 37 % 7 == 0 ? 0 : i * 13);
    CHECK(textfile_decode((const char *)binary, sizeof binary, &tf, &err) == SH_ERR_INVALID);
    CHECK(err && strstr(err, "not text"));
    free(err);
    err = NULL;
    /* Bytes that are no text in any of the encodings: refused. */
    const char *garbage = "\xff\xfe\xfd\xfc\xfb\xfa\x80\x80\x80\xff";
    CHECK(textfile_decode(garbage, strlen(garbage), &tf, &err) == SH_ERR_INVALID);
    CHECK(err && strstr(err, "not text in UTF-8, Shift_JIS or EUC-JP"));
    free(err);
    err = NULL;

    /* Paths: a missing file and a directory, with errno's words. */
    CHECK(textfile_read("/nonexistent/file.txt", &tf, &err) == SH_ERR_IO);
    CHECK(err && strstr(err, "cannot open: No such file or directory"));
    free(err);
    err = NULL;
    CHECK(textfile_read("/", &tf, &err) == SH_ERR_IO);
    CHECK(err && strstr(err, "directory"));
    free(err);
    err = NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/000_68858178ce9f1934.txt", check_source_dir());
    REQUIRE(textfile_read(path, &tf, &err) == SH_OK);
    CHECK(tf.raw_len == tf.len && tf.len > 20000);
    textfile_free(&tf);
    return check_done();
}
