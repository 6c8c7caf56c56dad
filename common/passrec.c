/* passrec.c — the passage record (passrec.h): the one encoder and decoder of a Xapian
 * document's data. */
#include "shiryo/passrec.h"

#include "shiryo/recfield.h"
#include "shiryo/status.h"

#include <string.h>

/* Appends s and the field's '\n'. */
static int put_line(sh_buf *b, const char *s)
{
    return sh_buf_puts(b, s) || sh_buf_putc(b, '\n') ? SH_ERR_NOMEM : SH_OK;
}

int sh_passrec_encode(sh_buf *b, const sh_passrec *r)
{
    sh_buf_clear(b);
    int rc = put_line(b, PASSAGE_MAGIC) || put_line(b, r->page_key) ||
             sh_recfield_put_uints(b, r->lines, r->nlines) || sh_buf_putc(b, '\n') ||
             put_line(b, r->section) || put_line(b, r->measure) ||
             sh_buf_printf(b, "%d\n", r->column) || put_line(b, r->column_label);
    if (r->fiscal_year > 0)
        rc = rc || sh_buf_printf(b, "%d", r->fiscal_year);
    rc = rc || sh_buf_putc(b, '\n') || put_line(b, r->fy_label);
    for (size_t i = 0; i < r->nministries && !rc; i++)
        rc = sh_buf_printf(b, "%s%s:%d", i ? "," : "", r->ministries[i].name,
                           r->ministries[i].lead);
    rc = rc || sh_buf_printf(b, "\n%u\n", r->ordinal) || put_line(b, r->programs) ||
         sh_buf_append(b, r->text, r->text_len);
    return rc ? SH_ERR_NOMEM : SH_OK;
}

int sh_passrec_decode(char *data, size_t len, const char *fields[PF_COUNT])
{
    size_t got = sh_recfield_split(data, len, fields, PF_COUNT);
    return got == PF_COUNT && strcmp(fields[PF_MAGIC], PASSAGE_MAGIC) == 0 ? SH_OK
                                                                           : SH_ERR_CORRUPT;
}

size_t sh_passrec_ministries(char *field, ministry_ref *out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(field, ",", &save); tok && n < max;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strrchr(tok, ':');
        if (!colon)
            continue;
        *colon = '\0';
        out[n].name = tok;
        out[n].lead = colon[1] == '1';
        n++;
    }
    return n;
}
