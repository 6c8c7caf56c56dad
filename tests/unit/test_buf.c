/* test_buf.c — common/buf.c: the byte buffer's appends and detach, and sh_array_grow's growth
 * rule (room kept, doubling, overflow refused with the array left intact). */
#include "check.h"
#include "shiryo/buf.h"
#include "shiryo/status.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_array_grow(void)
{
    int *v = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        int *grown = sh_array_grow(v, &cap, n + 1, sizeof *grown);
        REQUIRE_VOID(grown != NULL);
        v = grown;
        CHECK(cap >= n + 1);
        v[n] = (int)n;
    }
    CHECK(cap == 1024); /* 8, doubled */
    int ok = 1;
    for (size_t n = 0; n < 1000; n++)
        ok &= v[n] == (int)n;
    CHECK(ok);
    /* enough room: the same array, the same capacity */
    CHECK(sh_array_grow(v, &cap, 10, sizeof *v) == v);
    CHECK(cap == 1024);
    /* a size that cannot be allocated: NULL, the array and its capacity untouched */
    CHECK(sh_array_grow(v, &cap, SIZE_MAX / 2, sizeof *v) == NULL);
    CHECK(cap == 1024 && v[999] == 999);
    free(v);
}

static void test_buffer(void)
{
    sh_buf b = SH_BUF_INIT;
    CHECK(sh_buf_puts(&b, "資料") == SH_OK);
    CHECK(sh_buf_putc(&b, ' ') == SH_OK);
    CHECK(sh_buf_printf(&b, "%d件", 42) == SH_OK);
    CHECK_STR(b.data, "資料 42件");
    char *out = NULL;
    size_t len = 0;
    CHECK(sh_buf_detach(&b, &out, &len) == SH_OK);
    CHECK_STR(out, "資料 42件");
    CHECK(len == strlen("資料 42件"));
    CHECK(b.data == NULL && b.len == 0);
    free(out);
}

int main(void)
{
    test_array_grow();
    test_buffer();
    return check_done();
}
