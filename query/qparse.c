/* qparse.c — recursive-descent parser for the query language, bounded in input size, nodes
 * and depth so that no byte sequence can crash or exhaust it. */
#include "qparse.h"

#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

const char *const qparse_fields[] = {"fy", "measure", "ministry", "column", "title",
                                     "file", "page", "program", NULL};

typedef struct parser {
    const char *s;
    size_t len, pos;
    size_t nodes;
    char **errmsg;
    int status;
} parser;

static size_t column_of(const parser *p, size_t offset)
{
    return sh_utf8_count(p->s, offset) + 1;
}

static int fail_at(parser *p, size_t offset, int status, const char *what)
{
    if (!p->status)
        p->status = sh_fail(p->errmsg, status, "query column %zu: %s", column_of(p, offset), what);
    return p->status;
}

void qnode_free(qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        qnode_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->field);
    free(n);
}

static qnode *node_new(parser *p, int kind, size_t offset)
{
    if (++p->nodes > QPARSE_MAX_NODES) {
        fail_at(p, offset, SH_ERR_RANGE, "query too complex (more than 256 terms)");
        return NULL;
    }
    qnode *n = calloc(1, sizeof *n);
    if (!n) {
        if (!p->status)
            p->status = sh_fail(p->errmsg, SH_ERR_NOMEM, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->offset = offset;
    return n;
}

static int add_kid(parser *p, qnode *parent, qnode *kid)
{
    qnode **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (!k) {
        qnode_free(kid);
        return p->status = sh_fail(p->errmsg, SH_ERR_NOMEM, "out of memory");
    }
    parent->kids = k;
    k[parent->nkids++] = kid;
    return SH_OK;
}

/* Separators: ASCII space/tab and the ideographic space U+3000. */
static size_t space_len(const parser *p, size_t at)
{
    if (at >= p->len)
        return 0;
    char c = p->s[at];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    if (p->len - at >= 3 && memcmp(p->s + at, "\xE3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

static void skip_spaces(parser *p)
{
    size_t n;
    while ((n = space_len(p, p->pos)) > 0)
        p->pos += n;
}

static int at_str(const parser *p, const char *tok)
{
    size_t n = strlen(tok);
    return p->len - p->pos >= n && memcmp(p->s + p->pos, tok, n) == 0;
}

/* A keyword (OR, NOT) counts only as a whole word. */
static int at_keyword(const parser *p, const char *kw)
{
    size_t n = strlen(kw);
    if (!at_str(p, kw))
        return 0;
    size_t after = p->pos + n;
    return after == p->len || space_len(p, after) > 0 || p->s[after] == '(';
}

static int word_end_char(const parser *p, size_t at)
{
    return space_len(p, at) > 0 || p->s[at] == '(' || p->s[at] == ')' || p->s[at] == '"' ||
           (p->len - at >= 3 && memcmp(p->s + at, "「", 3) == 0);
}

static qnode *parse_or(parser *p, unsigned depth);

static qnode *parse_quoted(parser *p)
{
    size_t start = p->pos;
    const char *close;
    size_t open_len;
    if (p->s[p->pos] == '"') {
        close = "\"";
        open_len = 1;
    } else {
        close = "」";
        open_len = 3;
    }
    size_t from = p->pos + open_len, to = from;
    size_t close_len = strlen(close);
    while (to < p->len && !(p->len - to >= close_len && memcmp(p->s + to, close, close_len) == 0))
        to++;
    if (to >= p->len) {
        fail_at(p, start, SH_ERR_INVALID,
                open_len == 1 ? "unbalanced quote \": add the closing \""
                              : "unbalanced 「: add the closing 」");
        return NULL;
    }
    qnode *n = node_new(p, QN_TEXT, start);
    if (!n)
        return NULL;
    n->phrase = 1;
    n->text = strndup(p->s + from, to - from);
    if (!n->text) {
        qnode_free(n);
        p->status = sh_fail(p->errmsg, SH_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->pos = to + close_len;
    return n;
}

static int is_field_name(const char *s, size_t len)
{
    for (size_t i = 0; qparse_fields[i]; i++)
        if (strlen(qparse_fields[i]) == len && strncmp(s, qparse_fields[i], len) == 0)
            return 1;
    return 0;
}

static qnode *parse_word(parser *p)
{
    size_t start = p->pos, end = p->pos;
    while (end < p->len && !word_end_char(p, end))
        end++;
    /* field:value — the name is ASCII letters; the value may be quoted. */
    size_t name_end = start;
    while (name_end < end && ((p->s[name_end] >= 'a' && p->s[name_end] <= 'z') ||
                              (p->s[name_end] >= 'A' && p->s[name_end] <= 'Z')))
        name_end++;
    if (name_end > start && name_end < p->len && p->s[name_end] == ':') {
        size_t name_len = name_end - start;
        char name[16] = {0};
        for (size_t i = 0; i < name_len && i < sizeof name - 1; i++)
            name[i] = (char)(p->s[start + i] | 0x20);
        if (name_len >= sizeof name || !is_field_name(name, name_len)) {
            fail_at(p, start, SH_ERR_INVALID,
                    "unknown field (known: fy, measure, ministry, column, title, file, page, "
                    "program); quote the word to search it as text");
            return NULL;
        }
        p->pos = name_end + 1;
        qnode *value = NULL;
        if (p->pos < p->len && (p->s[p->pos] == '"' || at_str(p, "「"))) {
            value = parse_quoted(p);
        } else {
            size_t vend = p->pos;
            while (vend < p->len && !word_end_char(p, vend))
                vend++;
            if (vend == p->pos) {
                fail_at(p, start, SH_ERR_INVALID, "field without a value");
                return NULL;
            }
            value = node_new(p, QN_TEXT, p->pos);
            if (value && !(value->text = strndup(p->s + p->pos, vend - p->pos))) {
                qnode_free(value);
                value = NULL;
                p->status = sh_fail(p->errmsg, SH_ERR_NOMEM, "out of memory");
            }
            p->pos = vend;
        }
        if (!value)
            return NULL;
        value->kind = QN_FIELD;
        value->offset = start;
        if (!(value->field = strdup(name))) {
            qnode_free(value);
            p->status = sh_fail(p->errmsg, SH_ERR_NOMEM, "out of memory");
            return NULL;
        }
        return value;
    }
    qnode *n = node_new(p, QN_TEXT, start);
    if (!n)
        return NULL;
    if (!(n->text = strndup(p->s + start, end - start))) {
        qnode_free(n);
        p->status = sh_fail(p->errmsg, SH_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->pos = end;
    return n;
}

static qnode *parse_unary(parser *p, unsigned depth)
{
    if (depth > QPARSE_MAX_DEPTH) {
        fail_at(p, p->pos, SH_ERR_RANGE, "query nested too deeply");
        return NULL;
    }
    skip_spaces(p);
    size_t start = p->pos;
    int negate = 0;
    if (p->pos < p->len && p->s[p->pos] == '-' && p->pos + 1 < p->len &&
        !space_len(p, p->pos + 1)) {
        negate = 1;
        p->pos++;
    } else if (at_keyword(p, "NOT")) {
        negate = 1;
        p->pos += 3;
        skip_spaces(p);
        if (p->pos >= p->len) {
            fail_at(p, start, SH_ERR_INVALID, "NOT without a term after it");
            return NULL;
        }
    }
    if (negate) {
        qnode *kid = parse_unary(p, depth + 1);
        if (!kid)
            return NULL;
        qnode *n = node_new(p, QN_NOT, start);
        if (!n || add_kid(p, n, kid)) {
            if (!n)
                qnode_free(kid);
            qnode_free(n);
            return NULL;
        }
        return n;
    }
    if (p->pos < p->len && p->s[p->pos] == '(') {
        p->pos++;
        qnode *inner = parse_or(p, depth + 1);
        if (!inner) {
            if (!p->status)
                fail_at(p, start, SH_ERR_INVALID, "empty parentheses");
            return NULL;
        }
        skip_spaces(p);
        if (p->pos >= p->len || p->s[p->pos] != ')') {
            qnode_free(inner);
            fail_at(p, start, SH_ERR_INVALID, "unbalanced parenthesis: add the closing )");
            return NULL;
        }
        p->pos++;
        return inner;
    }
    if (p->pos < p->len && (p->s[p->pos] == '"' || at_str(p, "「")))
        return parse_quoted(p);
    return parse_word(p);
}

/* Implicit AND of unary terms until OR, ')' or the end. */
static qnode *parse_and(parser *p, unsigned depth)
{
    qnode *and_node = NULL, *first = NULL;
    for (;;) {
        skip_spaces(p);
        if (p->pos >= p->len || p->s[p->pos] == ')' || at_keyword(p, "OR"))
            break;
        qnode *kid = parse_unary(p, depth);
        if (!kid) {
            qnode_free(first);
            qnode_free(and_node);
            return NULL;
        }
        if (!first && !and_node) {
            first = kid;
            continue;
        }
        if (!and_node) {
            and_node = node_new(p, QN_AND, first->offset);
            if (!and_node || add_kid(p, and_node, first)) {
                if (!and_node)
                    qnode_free(first);
                qnode_free(and_node);
                qnode_free(kid);
                return NULL;
            }
            first = NULL;
        }
        if (add_kid(p, and_node, kid)) {
            qnode_free(and_node);
            return NULL;
        }
    }
    return and_node ? and_node : first;
}

static qnode *parse_or(parser *p, unsigned depth)
{
    size_t start = p->pos;
    qnode *left = parse_and(p, depth);
    if (p->status) {
        qnode_free(left);
        return NULL;
    }
    skip_spaces(p);
    if (!at_keyword(p, "OR"))
        return left;
    if (!left) {
        fail_at(p, p->pos, SH_ERR_INVALID, "OR needs a term on each side");
        return NULL;
    }
    qnode *or_node = node_new(p, QN_OR, start);
    if (!or_node || add_kid(p, or_node, left)) {
        if (!or_node)
            qnode_free(left);
        qnode_free(or_node);
        return NULL;
    }
    while (at_keyword(p, "OR")) {
        size_t or_at = p->pos;
        p->pos += 2;
        qnode *right = parse_and(p, depth);
        if (!right) {
            if (!p->status)
                fail_at(p, or_at, SH_ERR_INVALID, "OR needs a term on each side");
            qnode_free(or_node);
            return NULL;
        }
        if (add_kid(p, or_node, right)) {
            qnode_free(or_node);
            return NULL;
        }
        skip_spaces(p);
    }
    return or_node;
}

int qparse(const char *s, qnode **out, char **errmsg)
{
    *out = NULL;
    size_t len = strlen(s);
    if (len > QPARSE_MAX_BYTES)
        return sh_fail(errmsg, SH_ERR_RANGE, "query is %zu bytes, over the limit of %d bytes "
                       "(about 1,300 Japanese characters): shorten it, or split it into several "
                       "queries", len, QPARSE_MAX_BYTES);
    if (!sh_utf8_valid(s, len))
        return sh_fail(errmsg, SH_ERR_INVALID, "query is not valid UTF-8");
    parser p = {s, len, 0, 0, errmsg, SH_OK};
    qnode *root = parse_or(&p, 0);
    if (!p.status) {
        skip_spaces(&p);
        if (p.pos < p.len) /* only a stray ')' stops parse_or early */
            fail_at(&p, p.pos, SH_ERR_INVALID, "unbalanced parenthesis: remove this )");
    }
    if (p.status) {
        qnode_free(root);
        return p.status;
    }
    *out = root;
    return SH_OK;
}
