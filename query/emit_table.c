/* emit_table.c — the tsv and csv emitters: one row per map, one cell per scalar, a tab or a
 * comma between cells; csv quotes a cell by RFC 4180. */
#include "emit.h"

#include "shiryo/status.h"

#include <string.h>

int emit_table_field(FILE *out, const char *s, int csv)
{
    if (!csv) {
        for (const char *p = s; *p; p++)
            fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, out);
        return ferror(out) ? SH_ERR_IO : SH_OK;
    }
    int quote = strpbrk(s, ",\"\n\r") != NULL;
    if (quote)
        fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
    return ferror(out) ? SH_ERR_IO : SH_OK;
}

static int table_csv(const emitter *e) { return e->ops == &emit_table_csv; }

/* Before a cell: the separator after the row's previous cell. */
static void table_cell(emitter *e)
{
    if (e->cells++)
        fputc(table_csv(e) ? ',' : '\t', e->out);
}

static int table_begin_row(emitter *e)
{
    e->cells = 0;
    return emit_status(e);
}

static int table_end_row(emitter *e)
{
    fputc('\n', e->out);
    return emit_status(e);
}

/* Lists and keys have no place in a row: printer.c flattens lists, and the header row is
 * written as strings. */
static int table_nothing(emitter *e) { return emit_status(e); }
static int table_key(emitter *e, const char *key) { (void)key; return emit_status(e); }

static int table_string(emitter *e, const char *s)
{
    table_cell(e);
    emit_table_field(e->out, s, table_csv(e));
    return emit_status(e);
}

static int table_integer(emitter *e, long long v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", v);
    return table_string(e, text);
}

static int table_decimal(emitter *e, double v)
{
    char text[64];
    snprintf(text, sizeof text, "%.4f", v);
    return table_string(e, text);
}

static int table_boolean(emitter *e, int v) { return table_string(e, v ? "1" : "0"); }
static int table_null(emitter *e) { return table_string(e, ""); }

#define TABLE_OPS                                                                              \
    .flat = 1, .begin_map = table_begin_row, .end_map = table_end_row,                         \
    .begin_list = table_nothing, .end_list = table_nothing, .key = table_key,                  \
    .string = table_string, .integer = table_integer, .decimal = table_decimal,                \
    .boolean = table_boolean, .null = table_null

const emit_ops emit_table_tsv = {TABLE_OPS}, emit_table_csv = {TABLE_OPS};
