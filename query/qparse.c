/* qparse.c — recursive-descent parser for the query language, bounded in input size, nodes
 * and depth so that no byte sequence can crash or exhaust it. */
#include "qparse.h"

#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const qparse_fields[] = {"fy", "measure", "ministry", "column", "title",
                                     "file", "page", "program", NULL};

/* Quotation marks that open an exact phrase, with their closing mark: ASCII, and the brackets
 * Japanese text uses (「」『』〝〟〝〞“”). Full-width ＂ is folded to " before parsing. */
static const struct { const char *open, *close; } quote_pairs[] = {
    {"\"", "\""}, {"「", "」"}, {"『", "』"}, {"〝", "〟"}, {"〝", "〞"}, {"“", "”"},
};
#define NQUOTES (sizeof quote_pairs / sizeof quote_pairs[0])

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

qnode *qnode_clone(const qnode *n)
{
    if (!n)
        return NULL;
    qnode *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    c->text = c->field = NULL;
    c->kids = NULL;
    c->nkids = 0;
    if ((n->text && !(c->text = strdup(n->text))) || (n->field && !(c->field = strdup(n->field))) ||
        (n->nkids && !(c->kids = calloc(n->nkids, sizeof *c->kids)))) {
        qnode_free(c);
        return NULL;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        if (!(c->kids[i] = qnode_clone(n->kids[i]))) {
            qnode_free(c);
            return NULL;
        }
        c->nkids++;
    }
    return c;
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

/* Index+1 in quote_pairs of the first pair whose opening mark is at `at`, else 0. */
static size_t quote_at(const parser *p, size_t at)
{
    for (size_t i = 0; i < NQUOTES; i++) {
        size_t n = strlen(quote_pairs[i].open);
        if (p->len - at >= n && memcmp(p->s + at, quote_pairs[i].open, n) == 0)
            return i + 1;
    }
    return 0;
}

static int word_end_char(const parser *p, size_t at)
{
    return space_len(p, at) > 0 || p->s[at] == '(' || p->s[at] == ')' || quote_at(p, at);
}

static qnode *parse_or(parser *p, unsigned depth);

static qnode *parse_quoted(parser *p)
{
    size_t start = p->pos;
    size_t pair = quote_at(p, p->pos) - 1;
    const char *open = quote_pairs[pair].open, *close = quote_pairs[pair].close;
    size_t open_len = strlen(open);
    /* 〝 closes with 〟 or 〞: when the first pair's mark never comes, try the next pair's. */
    for (size_t i = pair + 1; i < NQUOTES && strcmp(quote_pairs[i].open, open) == 0; i++)
        if (!strstr(p->s + p->pos + open_len, close))
            close = quote_pairs[i].close;
    size_t from = p->pos + open_len, to = from;
    size_t close_len = strlen(close);
    while (to < p->len && !(p->len - to >= close_len && memcmp(p->s + to, close, close_len) == 0))
        to++;
    if (to >= p->len) {
        char what[64];
        snprintf(what, sizeof what, "unbalanced %s%s: add the closing %s",
                 open_len == 1 ? "quote " : "", open, close);
        fail_at(p, start, SH_ERR_INVALID, what);
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
        if (p->pos < p->len && quote_at(p, p->pos)) {
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
    /* =word, ="phrase": this one exactly as typed, no expansion. */
    int exact = 0;
    if (p->pos + 1 < p->len && p->s[p->pos] == '=' &&
        (!word_end_char(p, p->pos + 1) || quote_at(p, p->pos + 1))) {
        exact = 1;
        p->pos++;
    }
    qnode *n = quote_at(p, p->pos) ? parse_quoted(p) : parse_word(p);
    if (n && exact)
        n->exact = 1;
    return n;
}

/* Implicit AND of unary terms until OR, ')' or the end. */
static qnode *parse_and(parser *p, unsigned depth)
{
    qnode *and_node = NULL, *first = NULL;
    for (;;) {
        skip_spaces(p);
        if (p->pos >= p->len || p->s[p->pos] == ')' || at_keyword(p, "OR"))
            break;
        if (at_keyword(p, "AND")) { /* the implicit operator, spelt out */
            size_t and_at = p->pos;
            p->pos += 3;
            skip_spaces(p);
            if (p->pos >= p->len || p->s[p->pos] == ')' || at_keyword(p, "OR") ||
                (!first && !and_node)) {
                fail_at(p, and_at, SH_ERR_INVALID, "AND needs a term on each side");
                qnode_free(first);
                qnode_free(and_node);
                return NULL;
            }
            continue;
        }
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
    /* Full-width ASCII (ＯＲ （ ） ： － ＂ ＡＮＤ) means its ASCII form; so do the minus sign
     * and the dashes people type for exclusion before a word. Code points are kept one for
     * one, so message columns still point into what was typed. */
    char *folded = malloc(len + 1);
    if (!folded)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    size_t flen = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = sh_utf8_next(s, len, i, &cp);
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            folded[flen++] = (char)(cp - 0xFF01 + 0x21);
        else if (cp == 0x2212) /* − MINUS SIGN */
            folded[flen++] = '-';
        else {
            memcpy(folded + flen, s + i, n);
            flen += n;
        }
        i += n;
    }
    folded[flen] = '\0';
    parser p = {folded, flen, 0, 0, errmsg, SH_OK};
    qnode *root = parse_or(&p, 0);
    if (!p.status) {
        skip_spaces(&p);
        if (p.pos < p.len) /* only a stray ')' stops parse_or early */
            fail_at(&p, p.pos, SH_ERR_INVALID, "unbalanced parenthesis: remove this )");
    }
    free(folded);
    if (p.status) {
        qnode_free(root);
        return p.status;
    }
    *out = root;
    return SH_OK;
}
