/* progrec.c — program mention and budget records (progrec.h): one field table per tag drives
 * both the encoder and the decoder. */
#include "shiryo/progrec.h"

#include "shiryo/recfield.h"
#include "shiryo/status.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum progrec_kind {
    PROGREC_TEXT,   /* a string member */
    PROGREC_INT,    /* an int member, decimal */
    PROGREC_YEN,    /* a long long member, decimal */
    PROGREC_FLAG,   /* an int member, "1" or "0" */
    PROGREC_LINES   /* line_numbers on encoding, lines on decoding */
};

typedef struct progrec_field {
    enum progrec_kind kind;
    size_t offset;
} progrec_field;

#define TEXT(member) {PROGREC_TEXT, offsetof(sh_progrec, member)}
#define LINES {PROGREC_LINES, 0}

/* The fields after the tag, in stored order. */
static const progrec_field mention_fields[] = {TEXT(name), TEXT(successor_of), LINES};
static const progrec_field budget_fields[] = {
    TEXT(name),
    {PROGREC_INT, offsetof(sh_progrec, fiscal_year)},
    TEXT(kind),
    {PROGREC_YEN, offsetof(sh_progrec, amount_yen)},
    {PROGREC_FLAG, offsetof(sh_progrec, within)},
    TEXT(parent),
    LINES,
    TEXT(unit),
};

static const struct progrec_layout {
    enum sh_progrec_tag tag;
    const progrec_field *fields;
    size_t nfields, required; /* fields after the tag; how many a readable record has */
} progrec_layouts[] = {
    {SH_PROGREC_MENTION, mention_fields, sizeof mention_fields / sizeof mention_fields[0], 3},
    {SH_PROGREC_BUDGET, budget_fields, sizeof budget_fields / sizeof budget_fields[0], 7},
};

#define PROGREC_MAX_FIELDS 9 /* the tag and the most fields a layout has */

static const struct progrec_layout *layout_of(int tag)
{
    for (size_t i = 0; i < sizeof progrec_layouts / sizeof progrec_layouts[0]; i++)
        if ((int)progrec_layouts[i].tag == tag)
            return &progrec_layouts[i];
    return NULL;
}

#define MEMBER(r, type, f) (*(type *)((char *)(r) + (f)->offset))
#define CMEMBER(r, type, f) (*(const type *)((const char *)(r) + (f)->offset))

static int put_value(sh_buf *b, const sh_progrec *r, const progrec_field *f)
{
    const char *s;
    switch (f->kind) {
    case PROGREC_TEXT:
        s = CMEMBER(r, char *, f);
        return sh_buf_puts(b, s ? s : "");
    case PROGREC_INT:
        return sh_buf_printf(b, "%d", CMEMBER(r, int, f));
    case PROGREC_YEN:
        return sh_buf_printf(b, "%lld", CMEMBER(r, long long, f));
    case PROGREC_FLAG:
        return sh_buf_puts(b, CMEMBER(r, int, f) ? "1" : "0");
    case PROGREC_LINES:
        return sh_recfield_put_uints(b, r->line_numbers, r->nlines);
    }
    return SH_ERR;
}

int sh_progrec_put(sh_buf *b, const sh_progrec *r)
{
    const struct progrec_layout *l = layout_of(r->tag);
    if (!l)
        return SH_ERR_INVALID;
    if ((b->len && sh_buf_putc(b, PROGRAM_RS)) || sh_buf_putc(b, (char)r->tag))
        return SH_ERR_NOMEM;
    for (size_t i = 0; i < l->nfields; i++)
        if (sh_buf_putc(b, PROGRAM_FS) || put_value(b, r, &l->fields[i]))
            return SH_ERR_NOMEM;
    return SH_OK;
}

static void get_value(sh_progrec *r, const progrec_field *f, const char *s)
{
    switch (f->kind) {
    case PROGREC_TEXT:
        MEMBER(r, const char *, f) = s;
        break;
    case PROGREC_INT:
        MEMBER(r, int, f) = atoi(s);
        break;
    case PROGREC_YEN:
        MEMBER(r, long long, f) = strtoll(s, NULL, 10);
        break;
    case PROGREC_FLAG:
        MEMBER(r, int, f) = s[0] == '1';
        break;
    case PROGREC_LINES:
        r->lines = s;
        break;
    }
}

int sh_progrec_next(char **cursor, sh_progrec *out)
{
    char *rec = *cursor;
    while (*rec == PROGRAM_RS) /* empty records are none */
        rec++;
    if (!*rec) {
        *cursor = rec;
        return 0;
    }
    char *rs = strchr(rec, PROGRAM_RS);
    if (rs) {
        *rs = '\0';
        *cursor = rs + 1;
    } else {
        *cursor = rec + strlen(rec);
    }
    /* Split by hand: empty fields matter. */
    const char *f[PROGREC_MAX_FIELDS];
    size_t n = 0;
    for (char *p = rec; n < PROGREC_MAX_FIELDS;) {
        f[n++] = p;
        char *sep = strchr(p, PROGRAM_FS);
        if (!sep)
            break;
        *sep = '\0';
        p = sep + 1;
    }
    static const sh_progrec none = {SH_PROGREC_NONE, "", "", 0, "", 0, 0, "", "", NULL, 0, ""};
    *out = none;
    const struct progrec_layout *l = f[0][0] ? layout_of(f[0][0]) : NULL;
    if (!l || n - 1 < l->required)
        return 1;
    out->tag = l->tag;
    for (size_t i = 0; i < l->nfields; i++)
        get_value(out, &l->fields[i], i + 1 < n ? f[i + 1] : "");
    return 1;
}
