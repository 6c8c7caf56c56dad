/* test_strlist.c — the string-list helper (strlist.h): copies of byte ranges, distinct strings
 * kept once and found again, bytewise sort, free back to empty. */
#include "check.h"

#include "shiryo/status.h"
#include "shiryo/strlist.h"

int main(void)
{
    sh_strlist l = SH_STRLIST_INIT;
    const char text[] = "Rprogram-not-terminated";
    CHECK(sh_strlist_add(&l, text, 8) == SH_OK);
    CHECK(l.n == 1);
    CHECK_STR(l.items[0], "Rprogram");
    CHECK(sh_strlist_add(&l, "", 0) == SH_OK);
    CHECK(l.n == 2 && l.items[1][0] == '\0');
    /* intern: a new string is added, an equal one is found (the same pointer). */
    const char *a = sh_strlist_intern(&l, "事業B");
    const char *b = sh_strlist_intern(&l, "事業A");
    CHECK(a && b && l.n == 4);
    CHECK(sh_strlist_intern(&l, "事業B") == a && l.n == 4);
    CHECK(sh_strlist_intern(&l, "Rprogram") == l.items[0] && l.n == 4);
    /* Enough strings to grow the array several times; pointers handed out stay valid. */
    for (int i = 0; i < 100; i++) {
        char s[16];
        snprintf(s, sizeof s, "n%03d", 99 - i);
        CHECK(sh_strlist_intern(&l, s) != NULL);
    }
    CHECK(l.n == 104);
    CHECK_STR(a, "事業B");
    sh_strlist_sort(&l);
    for (size_t i = 1; i < l.n; i++)
        CHECK(strcmp(l.items[i - 1], l.items[i]) <= 0);
    CHECK_STR(l.items[0], "");
    CHECK_STR(l.items[1], "Rprogram");
    CHECK_STR(l.items[2], "n000");
    CHECK_STR(l.items[l.n - 1], "事業B");
    sh_strlist_free(&l);
    CHECK(l.items == NULL && l.n == 0 && l.cap == 0);
    sh_strlist_free(&l); /* twice is harmless */
    sh_strlist_sort(&l);
    return check_done();
}
