/* test_qparse.c — the query parser alone: each query's tree, written as an s-expression
 * ((AND a b), (OR …), (NOT a), "phrase", =exact, field:value), for the operators in ASCII and
 * full-width forms, every kind of quotation mark, field filters and precedence; and each error
 * with its status and the 1-based character column its message names. */
#include "check.h"
#include "qparse.h"

#include "shiryo/buf.h"
#include "shiryo/status.h"

static int tree_str(sh_buf *b, const qnode *n)
{
    switch (n->kind) {
    case QN_TEXT:
        return sh_buf_printf(b, "%s%s%s%s", n->exact ? "=" : "", n->phrase ? "\"" : "", n->text,
                             n->phrase ? "\"" : "");
    case QN_FIELD:
        return sh_buf_printf(b, "%s%s:%s%s%s", n->exact ? "=" : "", n->field,
                             n->phrase ? "\"" : "", n->text, n->phrase ? "\"" : "");
    default: {
        const char *op = n->kind == QN_AND ? "AND" : n->kind == QN_OR ? "OR" : "NOT";
        int rc = sh_buf_printf(b, "(%s", op);
        for (size_t i = 0; !rc && i < n->nkids; i++)
            rc = sh_buf_putc(b, ' ') || tree_str(b, n->kids[i]);
        return rc ? rc : sh_buf_putc(b, ')');
    }
    }
}

static void check_tree(const char *query, const char *want)
{
    qnode *t = NULL;
    char *err = NULL;
    int rc = qparse(query, &t, &err);
    CHECK_MSG(rc == SH_OK, "%s: %s", query, err ? err : "?");
    sh_buf b = SH_BUF_INIT;
    if (!rc && t)
        REQUIRE_VOID(tree_str(&b, t) == SH_OK);
    CHECK_MSG(strcmp(b.data ? b.data : "", want) == 0, "%s: got %s, want %s", query,
              b.data ? b.data : "(empty)", want);
    sh_buf_free(&b);
    qnode_free(t);
    free(err);
}

/* The query fails with status and a message that starts "query column COLUMN: " and holds
 * what (column 0: a whole-query message, checked for what only). */
static void check_error(const char *query, int status, size_t column, const char *what)
{
    qnode *t = NULL;
    char *err = NULL;
    int rc = qparse(query, &t, &err);
    CHECK_MSG(rc == status, "%s: status %d, want %d", query, rc, status);
    CHECK_MSG(t == NULL, "%s: a tree on error", query);
    CHECK_MSG(err != NULL, "%s: no message", query);
    if (err && column) {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "query column %zu: ", column);
        CHECK_MSG(strncmp(err, prefix, strlen(prefix)) == 0, "%s: message \"%s\", want column %zu",
                  query, err, column);
    }
    if (err)
        CHECK_MSG(strstr(err, what) != NULL, "%s: message \"%s\" lacks \"%s\"", query, err, what);
    qnode_free(t);
    free(err);
}

int main(void)
{
    /* Words, implicit and spelt-out AND, OR binding looser than AND, NOT and -word. */
    check_tree("連携", "連携");
    check_tree("地域 連携 拠点", "(AND 地域 連携 拠点)");
    check_tree("地域 AND 連携", "(AND 地域 連携)");
    check_tree("地域 OR 連携 拠点", "(OR 地域 (AND 連携 拠点))");
    check_tree("a OR b OR c", "(OR a b c)");
    check_tree("連携 -補正", "(AND 連携 (NOT 補正))");
    check_tree("連携 NOT 補正", "(AND 連携 (NOT 補正))");
    check_tree("(地域 OR 企業) 連携", "(AND (OR 地域 企業) 連携)");
    check_tree("NOT (a OR b)", "(NOT (OR a b))");
    check_tree("- a", "(AND - a)");             /* a lone minus is a word */
    check_tree("ORGAN", "ORGAN");               /* keywords only as whole words */
    check_tree("or and", "(AND or and)");       /* and only in capitals */
    check_tree("   ", "");                      /* empty: no tree, no error */
    check_tree("", "");
    /* Full-width operators, brackets, colon, minus; the ideographic space separates. */
    check_tree("地域　ＯＲ　連携", "(OR 地域 連携)");
    check_tree("地域　ＡＮＤ　連携", "(AND 地域 連携)");
    check_tree("（地域 ＯＲ 企業）　連携", "(AND (OR 地域 企業) 連携)");
    check_tree("連携 －補正", "(AND 連携 (NOT 補正))");
    check_tree("連携 −補正", "(AND 連携 (NOT 補正))"); /* U+2212 MINUS SIGN */
    check_tree("ＮＯＴ 補正", "(NOT 補正)");
    check_tree("ｆｙ：2025", "fy:2025");
    /* Phrases: every kind of quotation mark, =exact. */
    check_tree("\"地域 連携\"", "\"地域 連携\"");
    check_tree("「地域 連携」", "\"地域 連携\"");
    check_tree("『地域 連携』", "\"地域 連携\"");
    check_tree("〝地域 連携〟", "\"地域 連携\"");
    check_tree("〝地域 連携〞", "\"地域 連携\"");
    check_tree("“地域 連携”", "\"地域 連携\"");
    check_tree("＂地域 連携＂", "\"地域 連携\"");
    check_tree("連携「OR」", "(AND 連携 \"OR\")");
    check_tree("=経産省 連携", "(AND =経産省 連携)");
    check_tree("=\"経産省 連携\"", "=\"経産省 連携\"");
    check_tree("a=b", "a=b");
    /* Field filters: names folded to lower case, values quoted or not. */
    check_tree("fy:2025 連携", "(AND fy:2025 連携)");
    check_tree("FY:令和7年度", "fy:令和7年度");
    check_tree("measure:\"地域 連携\"", "measure:\"地域 連携\"");
    check_tree("ministry:経産省 OR ministry:厚労省", "(OR ministry:経産省 ministry:厚労省)");
    check_tree("-column:2 page:3 title:資料 file:a.txt program:ＭＥＤＩＣ",
               "(AND (NOT column:2) page:3 title:資料 file:a.txt program:MEDIC)");
    check_tree("\"http://example.jp\"", "\"http://example.jp\"");

    /* Errors: status, and the column (characters, not bytes) of what is wrong. */
    check_error("\"地域 連携", SH_ERR_INVALID, 1, "unbalanced quote \": add the closing \"");
    check_error("連携 「地域", SH_ERR_INVALID, 4, "unbalanced 「: add the closing 」");
    check_error("連携 『地域", SH_ERR_INVALID, 4, "add the closing 』");
    check_error("(地域 OR 連携", SH_ERR_INVALID, 1, "unbalanced parenthesis: add the closing )");
    check_error("地域 連携)", SH_ERR_INVALID, 6, "unbalanced parenthesis: remove this )");
    check_error("（地域", SH_ERR_INVALID, 1, "add the closing )");
    check_error("連携 ()", SH_ERR_INVALID, 4, "empty parentheses");
    check_error("OR 連携", SH_ERR_INVALID, 1, "OR needs a term on each side");
    check_error("連携 OR", SH_ERR_INVALID, 4, "OR needs a term on each side");
    check_error("連携 ＯＲ", SH_ERR_INVALID, 4, "OR needs a term on each side");
    check_error("AND 連携", SH_ERR_INVALID, 1, "AND needs a term on each side");
    check_error("連携 AND", SH_ERR_INVALID, 4, "AND needs a term on each side");
    check_error("連携 NOT", SH_ERR_INVALID, 4, "NOT without a term after it");
    check_error("連携 color:red", SH_ERR_INVALID, 4, "unknown field (known: fy, measure");
    check_error("連携 fy:", SH_ERR_INVALID, 4, "field without a value");
    check_error("連携 fy: 2025", SH_ERR_INVALID, 4, "field without a value");
    check_error("http://example.jp", SH_ERR_INVALID, 1, "quote the word to search it as text");
    check_error("\xff\xfe", SH_ERR_INVALID, 0, "not valid UTF-8");

    /* Limits: size, depth, terms. */
    char big[QPARSE_MAX_BYTES + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    check_error(big, SH_ERR_RANGE, 0, "over the limit of 4096 bytes");
    big[QPARSE_MAX_BYTES] = '\0';
    check_tree(big, big);
    char deep[2 * (QPARSE_MAX_DEPTH + 2) + 2];
    size_t d = 0;
    for (int i = 0; i < QPARSE_MAX_DEPTH + 2; i++)
        deep[d++] = '(';
    deep[d++] = 'a';
    for (int i = 0; i < QPARSE_MAX_DEPTH + 2; i++)
        deep[d++] = ')';
    deep[d] = '\0';
    check_error(deep, SH_ERR_RANGE, 0, "nested too deeply");
    sh_buf many = SH_BUF_INIT;
    for (int i = 0; i <= QPARSE_MAX_NODES; i++)
        REQUIRE(sh_buf_printf(&many, "w%d ", i) == SH_OK);
    check_error(many.data, SH_ERR_RANGE, 0, "more than 256 terms");
    sh_buf_free(&many);

    /* Offsets point at each term's first byte (messages and highlights use them). */
    qnode *t = NULL;
    char *err = NULL;
    REQUIRE(qparse("地域 -連携 fy:2025", &t, &err) == SH_OK);
    REQUIRE(t && t->kind == QN_AND && t->nkids == 3);
    CHECK(t->kids[0]->offset == 0);
    CHECK(t->kids[1]->offset == strlen("地域 "));
    CHECK(t->kids[2]->offset == strlen("地域 -連携 "));
    qnode *copy = qnode_clone(t);
    sh_buf a = SH_BUF_INIT, b = SH_BUF_INIT;
    REQUIRE(copy && tree_str(&a, t) == SH_OK && tree_str(&b, copy) == SH_OK);
    CHECK_STR(a.data, b.data);
    CHECK(copy->kids[2]->offset == t->kids[2]->offset);
    sh_buf_free(&a);
    sh_buf_free(&b);
    qnode_free(copy);
    qnode_free(t);
    free(err);
    return check_done();
}
