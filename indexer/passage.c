/* passage.c — passage cutting: bullets, paragraphs and value runs within each column's fragment
 * stream, headings and the table header. A bullet runs to the next bullet; a paragraph ends at a
 * sentence end (。) or ministry tag; a run of value lines is cut every VALUE_RUN_MAX lines. */
#include "passage.h"

#include "account.h"
#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/utf8.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

/* A run of value lines (is_value_line) becomes passages of at most VALUE_RUN_MAX lines. */
#define VALUE_LINE_MAX_CHARS 40
#define VALUE_RUN_MAX 10

/* Marks that start a new item when they begin a fragment. */
static const char *const bullet_marks[] = {"・", "○", "●", "◆", "◇", "■", "□", "◯", "※", "➢", "►",
                                           "•", "◦", "▪", "▶", "➤"};

static int starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static int starts_bullet(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof bullet_marks / sizeof bullet_marks[0]; i++)
        if (starts_with(s, len, bullet_marks[i]))
            return 1;
    return 0;
}

/* A fragment that closes a paragraph: a sentence end or a ministry tag. */
static int ends_paragraph(const char *s, size_t len)
{
    return ends_with(s, len, "。") || ends_with(s, len, "]") || ends_with(s, len, "］");
}

/* Builder state: the passage being filled. */
typedef struct builder {
    passage_set *set;
    sh_buf text;
    unsigned *lines;
    size_t nlines, cap_lines;
    passage_piece *pieces;
    size_t npieces, cap_pieces;
    int in_bullet;
    const char *section, *measure;
    int column;
    const ministry_ref *row_ministries;
    size_t row_nministries;
    size_t value_lines;      /* lines of short values in a row at the end of the passage */
    int value_digit;         /* the last of them holds a digit */
} builder;

static int add_line(builder *b, unsigned lineno)
{
    for (size_t i = 0; i < b->nlines; i++)
        if (b->lines[i] == lineno)
            return SH_OK;
    unsigned *l = sh_array_grow(b->lines, &b->cap_lines, b->nlines + 1, sizeof *l);
    if (!l)
        return SH_ERR_NOMEM;
    b->lines = l;
    /* Keep ascending: fragments usually come in line order, so insertion is cheap. */
    size_t i = b->nlines;
    while (i > 0 && b->lines[i - 1] > lineno) {
        b->lines[i] = b->lines[i - 1];
        i--;
    }
    b->lines[i] = lineno;
    b->nlines++;
    return SH_OK;
}

/* Notes that the text appended next, at the current end, comes from lineno. */
static int add_piece(builder *b, unsigned lineno)
{
    passage_piece *pc = sh_array_grow(b->pieces, &b->cap_pieces, b->npieces + 1, sizeof *pc);
    if (!pc)
        return SH_ERR_NOMEM;
    b->pieces = pc;
    b->pieces[b->npieces].offset = b->text.len;
    b->pieces[b->npieces].lineno = lineno;
    b->npieces++;
    return SH_OK;
}

/* Emits the current passage, if it has any visible text. */
static int flush(builder *b)
{
    b->in_bullet = 0;
    b->value_lines = 0;
    size_t start = 0;
    while (start < b->text.len && (b->text.data[start] == ' ' || b->text.data[start] == '\t'))
        start++;
    if (start == b->text.len) {
        sh_buf_clear(&b->text);
        b->nlines = 0;
        b->npieces = 0;
        return SH_OK;
    }
    passage_set *set = b->set;
    passage *items = realloc(set->items, (set->n + 1) * sizeof *items);
    if (!items)
        return SH_ERR_NOMEM;
    set->items = items;
    passage *p = &items[set->n];
    memset(p, 0, sizeof *p);
    p->len = b->text.len - start;
    p->text = malloc(p->len + 1);
    p->lines = malloc(b->nlines * sizeof *p->lines);
    p->pieces = malloc((b->npieces ? b->npieces : 1) * sizeof *p->pieces);
    if (!p->text || !p->lines || !p->pieces) {
        free(p->text);
        free(p->lines);
        free(p->pieces);
        return SH_ERR_NOMEM;
    }
    /* Pieces wholly inside the trimmed leading spaces go; offsets shift by the trim. */
    size_t kept = 0;
    for (size_t i = 0; i < b->npieces; i++) {
        size_t end = i + 1 < b->npieces ? b->pieces[i + 1].offset : b->text.len;
        if (end <= start)
            continue;
        p->pieces[kept].offset = b->pieces[i].offset > start ? b->pieces[i].offset - start : 0;
        p->pieces[kept].lineno = b->pieces[i].lineno;
        kept++;
    }
    p->npieces = kept;
    memcpy(p->text, b->text.data + start, p->len);
    p->text[p->len] = '\0';
    memcpy(p->lines, b->lines, b->nlines * sizeof *p->lines);
    p->nlines = b->nlines;
    p->section = b->section;
    p->measure = b->measure;
    p->column = b->column;
    /* A passage's own tag (column 1 of a plan table) wins over its row's. */
    p->nministries = ministry_parse_tag(p->text, p->len, p->ministries, PASSAGE_MAX_MINISTRIES,
                                        NULL);
    if (p->nministries == 0) {
        p->nministries = b->row_nministries;
        if (b->row_nministries)
            memcpy(p->ministries, b->row_ministries, b->row_nministries * sizeof *p->ministries);
    }
    set->n++;
    sh_buf_clear(&b->text);
    b->nlines = 0;
    b->npieces = 0;
    return SH_OK;
}

/* Byte length of the longest prefix of s[0..len) not over max that ends at a code point
 * boundary, preferring to end just after a 。 in the second half. */
static size_t cut_point(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t cut = sh_utf8_char_start(s, max);
    for (size_t i = cut; i > max / 2 && i >= 3; i--)
        if (memcmp(s + i - 3, "。", 3) == 0)
            return i;
    return cut ? cut : len;
}

/* A line of a chart or a table read column by column: a short line without hiragana ("医科",
 * "1,234", "12.3%"), as opposed to prose or one character of vertical text. *digit says whether
 * it holds a digit. */
static int is_value_line(const char *s, size_t len, int *digit)
{
    size_t cps = 0;
    *digit = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += sh_utf8_next(s, len, i, &cp);
        if (cp >= 0x3041 && cp <= 0x309F)
            return 0; /* hiragana: a sentence */
        if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
            *digit = 1;
        if (++cps > VALUE_LINE_MAX_CHARS)
            return 0;
    }
    return cps > 1 || (len > 0 && (unsigned char)s[0] < 0x80);
}

static int add_fragment(builder *b, const page *p, const col_frag *f)
{
    const char *s = p->lines[f->line_index].text + f->off;
    size_t len = f->len;
    if (len == 0)
        return SH_OK;
    if (starts_bullet(s, len)) {
        if (flush(b))
            return SH_ERR_NOMEM;
        b->in_bullet = 1;
    }
    /* Runs of single values (a chart flattened to one value per line) are cut every few lines,
     * never strung together by the hundred: whole lines only, so vertical text still joins, and
     * next to a number only, so a name broken across two lines stays whole. */
    int digit;
    if (f->off == 0 && f->len == p->lines[f->line_index].len && is_value_line(s, len, &digit)) {
        if (b->value_lines >= VALUE_RUN_MAX && (digit || b->value_digit) && flush(b))
            return SH_ERR_NOMEM;
        b->value_lines++;
        b->value_digit = digit;
    } else {
        b->value_lines = 0;
    }
    while (len > 0) {
        size_t room = b->text.len < PASSAGE_MAX_BYTES ? PASSAGE_MAX_BYTES - b->text.len : 0;
        size_t take = len <= room ? len : cut_point(s, len, room > 0 ? room : PASSAGE_MAX_BYTES);
        if (room == 0 && b->text.len > 0) {
            if (flush(b))
                return SH_ERR_NOMEM;
            continue;
        }
        if (add_piece(b, f->lineno) || sh_buf_append(&b->text, s, take) || add_line(b, f->lineno))
            return SH_ERR_NOMEM;
        s += take;
        len -= take;
        if (len > 0 && flush(b))
            return SH_ERR_NOMEM;
    }
    if (!b->in_bullet && ends_paragraph(b->text.data, b->text.len))
        return flush(b);
    return SH_OK;
}

/* Copies frags' text into a heading string owned by the set (brackets 【】 dropped). */
static int keep_heading(passage_set *set, const page *p, const col_block *blk, const char **out)
{
    sh_buf h = SH_BUF_INIT;
    for (size_t i = 0; i < blk->nfrags; i++) {
        const col_frag *f = &blk->frags[i];
        if (sh_buf_append(&h, p->lines[f->line_index].text + f->off, f->len)) {
            sh_buf_free(&h);
            return SH_ERR_NOMEM;
        }
    }
    char *text = NULL;
    size_t len = 0;
    if (sh_buf_detach(&h, &text, &len))
        return SH_ERR_NOMEM;
    if (blk->kind == COL_BLOCK_SECTION && starts_with(text, len, "【") &&
        ends_with(text, len, "】") && len >= 6) {
        memmove(text, text + 3, len - 6);
        text[len - 6] = '\0';
    }
    char **hs = realloc(set->headings, (set->nheadings + 1) * sizeof *hs);
    if (!hs) {
        free(text);
        return SH_ERR_NOMEM;
    }
    set->headings = hs;
    hs[set->nheadings++] = text;
    *out = text;
    return SH_OK;
}

/* Ministries tagged in the column-1 cell of (measure, row): scans the layout from block i. */
static size_t row_ministries(const page *p, const col_layout *l, size_t i, unsigned row,
                             ministry_ref *refs, size_t max)
{
    sh_buf text = SH_BUF_INIT;
    size_t n = 0;
    for (size_t k = i; k < l->nblocks && l->blocks[k].kind == COL_BLOCK_CELL; k++) {
        const col_block *blk = &l->blocks[k];
        if (blk->column != 1 || blk->row != row)
            continue;
        for (size_t f = 0; f < blk->nfrags; f++)
            if (sh_buf_append(&text, p->lines[blk->frags[f].line_index].text + blk->frags[f].off,
                              blk->frags[f].len))
                goto done;
    }
    if (text.len)
        n = ministry_parse_tag(text.data, text.len, refs, max, NULL);
done:
    sh_buf_free(&text);
    return n;
}

int passage_build(const page *p, const col_layout *l, passage_set **out, char **errmsg)
{
    passage_set *set = calloc(1, sizeof *set);
    if (!set)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    builder b = {.set = set, .section = "", .measure = ""};
    ministry_ref row_refs[PASSAGE_MAX_MINISTRIES];
    int rc = SH_OK, heading_open = 0;
    /* The table header's lines (column labels, 列N tokens) are in no block: one passage. */
    b.column = 1;
    for (size_t i = 0; i < l->header_end && i < p->nlines && !rc; i++) {
        col_frag f = {i, p->lines[i].lineno, 0, p->lines[i].len};
        rc = add_fragment(&b, p, &f);
    }
    if (!rc)
        rc = flush(&b);
    size_t row_first_block = (size_t)-1;
    unsigned current_row = (unsigned)-1;
    for (size_t i = 0; i < l->nblocks && !rc; i++) {
        const col_block *blk = &l->blocks[i];
        if (blk->kind == COL_BLOCK_SECTION || blk->kind == COL_BLOCK_MEASURE) {
            /* Lines read as measure headings one after another are one paragraph when the
             * first does not end a sentence (a note spanning the table, wrapped): one passage,
             * so a phrase broken across them is still found. */
            int goes_on = blk->kind == COL_BLOCK_MEASURE && heading_open && b.text.len > 0;
            if (!goes_on)
                rc = flush(&b);
            const char *heading = NULL;
            if (!rc)
                rc = keep_heading(set, p, blk, &heading);
            if (!rc && blk->kind == COL_BLOCK_SECTION) {
                b.section = heading;
                b.measure = "";
            } else if (!rc && !strstr(heading, "。")) {
                b.measure = heading; /* a line with a sentence end is a note, not a heading */
            }
            /* The heading is text too: a passage of its own, so a search finds it. */
            b.column = 1;
            b.row_nministries = 0;
            for (size_t f = 0; f < blk->nfrags && !rc; f++)
                rc = add_fragment(&b, p, &blk->frags[f]);
            heading_open = blk->kind == COL_BLOCK_MEASURE;
            if (!rc && !heading_open)
                rc = flush(&b);
            current_row = (unsigned)-1;
            continue;
        }
        heading_open = 0;
        /* A new column or row ends the passage being built. */
        if (blk->column != b.column || blk->row != current_row)
            rc = flush(&b);
        if (!rc && blk->row != current_row) {
            /* Cells of one row follow each other; find the row's column-1 ministries once. */
            size_t first = i;
            while (first > 0 && l->blocks[first - 1].kind == COL_BLOCK_CELL &&
                   l->blocks[first - 1].row == blk->row)
                first--;
            if (first != row_first_block) {
                row_first_block = first;
                /* Only a table has rows whose column 1 tags the other columns. */
                b.row_nministries = l->ncols > 1 ? row_ministries(p, l, first, blk->row, row_refs,
                                                                   PASSAGE_MAX_MINISTRIES)
                                                 : 0;
                b.row_ministries = row_refs;
            }
            current_row = blk->row;
        }
        b.column = blk->column;
        for (size_t f = 0; f < blk->nfrags && !rc; f++)
            rc = add_fragment(&b, p, &blk->frags[f]);
    }
    if (!rc)
        rc = flush(&b);
    sh_buf_free(&b.text);
    free(b.lines);
    free(b.pieces);
    if (!rc)
        rc = account_repair(p, set, NULL);
    if (rc) {
        passage_set_destroy(set);
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    }
    *out = set;
    return SH_OK;
}

int passage_append_spans(passage_set *set, const page *p, const passage_span *spans, size_t n)
{
    builder b = {.set = set, .section = "", .measure = "", .column = 1};
    int rc = SH_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const passage_span *sp = &spans[i];
        col_frag f = {sp->line_index, p->lines[sp->line_index].lineno, sp->off, sp->len};
        rc = add_fragment(&b, p, &f);
    }
    if (!rc)
        rc = flush(&b);
    sh_buf_free(&b.text);
    free(b.lines);
    free(b.pieces);
    return rc;
}

void passage_set_destroy(passage_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->items[i].text);
        free(set->items[i].lines);
        free(set->items[i].pieces);
    }
    free(set->items);
    for (size_t i = 0; i < set->nheadings; i++)
        free(set->headings[i]);
    free(set->headings);
    free(set);
}

size_t passage_lines_in(const passage *ps, size_t start, size_t end, unsigned *out, size_t max)
{
    size_t n = 0;
    if (start >= end)
        return 0;
    for (size_t i = 0; i < ps->npieces; i++) {
        size_t from = ps->pieces[i].offset;
        size_t to = i + 1 < ps->npieces ? ps->pieces[i + 1].offset : ps->len;
        if (to <= start || from >= end)
            continue;
        unsigned line = ps->pieces[i].lineno;
        /* Insert keeping ascending order, no duplicates. */
        size_t k = 0;
        while (k < n && k < max && out[k] < line)
            k++;
        if (k < n && k < max && out[k] == line)
            continue;
        if (n < max) {
            memmove(out + k + 1, out + k, (n - k) * sizeof *out);
            out[k] = line;
        }
        n++;
    }
    return n;
}
