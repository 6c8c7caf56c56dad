/* pagerec.c — the page record (pagerec.h): the one encoder and decoder of a page's metadata
 * value, its string fields driven by one table. */
#include "shiryo/pagerec.h"

#include "shiryo/recfield.h"
#include "shiryo/status.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* How each field is stored, in record order (schema.h enum page_record_field). */
enum pagerec_kind {
    PAGEREC_MAGIC,    /* PAGE_RECORD_MAGIC */
    PAGEREC_TEXT,     /* a string member, as is */
    PAGEREC_ESCAPED,  /* a string member, through sh_recfield_put */
    PAGEREC_PASSAGES, /* the passage count */
    PAGEREC_PAGENO,   /* the page number, "" when none */
    PAGEREC_DOCIDS    /* "first-last", "" when none */
};

static const struct pagerec_field {
    enum pagerec_kind kind;
    size_t offset; /* of the string member, for TEXT and ESCAPED */
} pagerec_fields[PR_COUNT] = {
    [PR_MAGIC] = {PAGEREC_MAGIC, 0},
    [PR_PATH] = {PAGEREC_ESCAPED, offsetof(sh_pagerec, path)},
    [PR_HASH] = {PAGEREC_TEXT, offsetof(sh_pagerec, hash)},
    [PR_PASSAGES] = {PAGEREC_PASSAGES, 0},
    [PR_TITLE] = {PAGEREC_TEXT, offsetof(sh_pagerec, title)},
    [PR_MATERIAL] = {PAGEREC_TEXT, offsetof(sh_pagerec, material)},
    [PR_PAGE] = {PAGEREC_PAGENO, 0},
    [PR_URL] = {PAGEREC_TEXT, offsetof(sh_pagerec, url)},
    [PR_SOURCE] = {PAGEREC_TEXT, offsetof(sh_pagerec, source)},
    [PR_MEETING] = {PAGEREC_TEXT, offsetof(sh_pagerec, meeting)},
    [PR_SESSION] = {PAGEREC_TEXT, offsetof(sh_pagerec, session)},
    [PR_DATE] = {PAGEREC_TEXT, offsetof(sh_pagerec, date)},
    [PR_PUBLISHER] = {PAGEREC_TEXT, offsetof(sh_pagerec, publisher)},
    [PR_JOINT] = {PAGEREC_TEXT, offsetof(sh_pagerec, joint)},
    [PR_DOCIDS] = {PAGEREC_DOCIDS, 0},
};

int sh_pagerec_key(sh_buf *b, const char *page_key)
{
    sh_buf_clear(b);
    return sh_buf_puts(b, META_PAGE_PREFIX) || sh_buf_puts(b, page_key) ? SH_ERR_NOMEM : SH_OK;
}

static int put_field(sh_buf *b, const sh_pagerec *r, const struct pagerec_field *f)
{
    const char *s = f->kind == PAGEREC_TEXT || f->kind == PAGEREC_ESCAPED
                        ? *(const char *const *)((const char *)r + f->offset)
                        : NULL;
    switch (f->kind) {
    case PAGEREC_MAGIC:
        return sh_buf_puts(b, PAGE_RECORD_MAGIC);
    case PAGEREC_TEXT:
        return sh_buf_puts(b, s ? s : "");
    case PAGEREC_ESCAPED:
        return sh_recfield_put(b, s ? s : "");
    case PAGEREC_PASSAGES:
        return sh_buf_printf(b, "%zu", r->passages);
    case PAGEREC_PAGENO:
        return r->page_no > 0 ? sh_buf_printf(b, "%d", r->page_no) : SH_OK;
    case PAGEREC_DOCIDS:
        return r->first_docid ? sh_buf_printf(b, "%u-%u", r->first_docid, r->last_docid) : SH_OK;
    }
    return SH_ERR;
}

int sh_pagerec_encode(sh_buf *b, const sh_pagerec *r)
{
    sh_buf_clear(b);
    for (size_t i = 0; i < PR_COUNT; i++)
        if (put_field(b, r, &pagerec_fields[i]) || (i + 1 < PR_COUNT && sh_buf_putc(b, '\n')))
            return SH_ERR_NOMEM;
    return SH_OK;
}

int sh_pagerec_decode(char *rec, size_t len, const char *fields[PR_COUNT])
{
    size_t got = sh_recfield_split(rec, len, fields, PR_COUNT);
    for (size_t i = 0; i < PR_COUNT; i++)
        if (i < got && pagerec_fields[i].kind == PAGEREC_ESCAPED) /* "" when missing is static */
            sh_recfield_decode((char *)fields[i]);
    return got == PR_COUNT && strcmp(fields[PR_MAGIC], PAGE_RECORD_MAGIC) == 0 ? SH_OK
                                                                                : SH_ERR_CORRUPT;
}

int sh_pagerec_docids(const char *field, unsigned *first, unsigned *last)
{
    unsigned a = 0, b = 0;
    *first = *last = 0;
    if (sscanf(field, "%u-%u", &a, &b) == 2 && a >= 1 && a <= b) {
        *first = a;
        *last = b;
        return SH_OK;
    }
    return SH_ERR_CORRUPT;
}
