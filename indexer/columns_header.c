/* columns_header.c — the table header at the top of a body: lines of short column labels, with
 * or without the extractor's 列1 列2 … tokens; says how many columns the table has. */
#include "columns_int.h"

#include "amount.h"
#include "shiryo/utf8.h"

#include <string.h>

#define HEADER_MAX_LINES 8        /* the table header block is never longer */
#define LABEL_MAX_WIDTH 48        /* a label is at most this many half-widths (24 characters) */

/* "列3" / "列３" -> 3; 0 when the token is something else. */
static int column_token(const char *s, size_t len)
{
    if (len < 4 || memcmp(s, "列", 3) != 0)
        return 0;
    int v = 0;
    for (size_t i = 3; i < len;) {
        unsigned cp;
        i += sh_utf8_next(s, len, i, &cp);
        if (amount_digit_value(cp) < 0 || v > 99)
            return 0;
        v = v * 10 + amount_digit_value(cp);
    }
    return v;
}

/* Is the next non-empty line after index from made only of 列N tokens numbered above max? */
static int next_line_extends_tokens(const col_body *body, size_t from, int max)
{
    while (from < body->nlines && body->lines[from].len == 0)
        from++;
    if (from >= body->nlines)
        return 0;
    const page_line *line = &body->lines[from];
    size_t start = 0;
    int any = 0;
    for (size_t k = 0; k <= line->len; k++) {
        if (k < line->len && line->text[k] != ' ')
            continue;
        if (k > start) {
            int tok = column_token(line->text + start, k - start);
            if (tok <= max)
                return 0;
            any = 1;
        }
        start = k + 1;
    }
    return any;
}

static int is_label_like(const char *s, size_t len)
{
    col_fraginfo f;
    colfrag_measure(s, 0, len, &f);
    if (len == 0 || f.width > LABEL_MAX_WIDTH || f.item || f.cont_start)
        return 0;
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(s + i, "。", 3) == 0 || memcmp(s + i, "【", 3) == 0)
            return 0;
    return 1;
}

/* Reads the table header at the top of the body: lines of short labels, possibly with the
 * extractor's 列1 列2 … column tokens (the sample: "該当箇所 列1 列2" / "列3" / label / label). */
void colheader_read(const col_body *body, col_header *h)
{
    memset(h, 0, sizeof *h);
    size_t i = 0;
    while (i < body->nlines && body->lines[i].len == 0)
        i++;
    int max_token = 0, nlabels = 0;
    size_t label_off[COLUMNS_MAX * 2], label_len[COLUMNS_MAX * 2], label_line[COLUMNS_MAX * 2];
    size_t complete_end = 0, last_header_end = 0;
    for (size_t scanned = 0; i < body->nlines && scanned < HEADER_MAX_LINES; i++, scanned++) {
        const page_line *line = &body->lines[i];
        if (line->len == 0)
            continue;
        if (colfrag_is_section_line(line))
            break;
        /* every space-separated token must be label-like */
        int ok = 1, line_labels = 0;
        size_t start = 0;
        for (size_t k = 0; k <= line->len && ok; k++) {
            if (k < line->len && line->text[k] != ' ')
                continue;
            size_t tl = k - start;
            if (tl > 0) {
                int tok = column_token(line->text + start, tl);
                if (tok > 0) {
                    if (tok > max_token)
                        max_token = tok;
                } else if (is_label_like(line->text + start, tl)) {
                    if (nlabels < COLUMNS_MAX * 2) {
                        label_off[nlabels] = start;
                        label_len[nlabels] = tl;
                        label_line[nlabels] = i;
                        nlabels++;
                    }
                    line_labels++;
                } else {
                    ok = 0;
                }
            }
            start = k + 1;
        }
        if (!ok)
            break;
        last_header_end = i + 1;
        if (max_token > 0 && next_line_extends_tokens(body, i + 1, max_token))
            continue; /* "概要 列1" / "列2": the numbering goes on below */
        if (max_token > 0) {
            if (nlabels >= max_token) {
                complete_end = i + 1;
                break;
            }
        } else if (scanned == 0 && line_labels >= 2) {
            complete_end = i + 1; /* labels side by side without tokens: one line */
            break;
        } else if (scanned > 0 && max_token == 0) {
            break; /* a short first line that is not followed by column tokens: no header */
        }
    }
    if (!complete_end && max_token > 0)
        complete_end = last_header_end; /* tokens without enough labels: labels go right */
    if (!complete_end)
        return;
    int ncols = max_token > 0 ? max_token : nlabels;
    if (ncols > COLUMNS_MAX)
        ncols = COLUMNS_MAX;
    if (nlabels > COLUMNS_MAX * 2)
        nlabels = COLUMNS_MAX * 2;
    h->end = complete_end;
    h->ncols = ncols;
    h->have_col_tokens = max_token > 0;
    /* fewer labels than columns: the unlabelled ones are the leftmost (item columns) */
    int used = nlabels < ncols ? nlabels : ncols;
    int first_col = ncols - used;
    for (int k = 0; k < used; k++) {
        h->label_off[first_col + k] = label_off[k];
        h->label_len[first_col + k] = label_len[k];
        h->label_line[first_col + k] = label_line[k];
    }
    h->nlabels = used;
    for (int c = 0; c < first_col; c++)
        h->label_len[c] = 0;
}

