/* printer.c — the printer: the one table of fields of each record kind (ranked passage, measure
 * row, program), and the documents (result list, counts, listings) written from them through a
 * format's emitter (emit.h), or laid out by a view for people (text). A new field is one table
 * row; a new format is one emitter (or view) and one row of FORMATS. */
#include "printer.h"

#include "emit.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

/* ===== the field tables ===== */

#define AT(type, member) .at = offsetof(type, member)
#define ARRAY(type, member, n) .at = offsetof(type, member), .count = offsetof(type, n)

static const printer_field result_fields[] = {
    {"rank", PRINTER_SIZE, AT(result, rank), .column = 1},
    {"score", PRINTER_SCORE, AT(result, score), .column = 2},
    {"file", PRINTER_STRING, AT(result, file), .column = 3},
    {"line_start", PRINTER_LINE_FIRST, ARRAY(result, lines, nlines), .column = 4},
    {"line_end", PRINTER_LINE_LAST, ARRAY(result, lines, nlines), .column = 5},
    {"lines", PRINTER_LINES, ARRAY(result, lines, nlines), .column = 6},
    {"title", PRINTER_STRING, AT(result, title), .column = 7},
    {"material", PRINTER_STRING, AT(result, material), .column = 8},
    {"url", PRINTER_STRING, AT(result, url), .column = 10},
    {"source", PRINTER_STRING, AT(result, source), .column = 11},
    {"meeting", PRINTER_STRING, AT(result, meeting), .column = 12},
    {"session", PRINTER_STRING, AT(result, session), .column = 13},
    {"date", PRINTER_STRING, AT(result, date), .column = 14},
    {"publisher", PRINTER_STRING, AT(result, publisher), .column = 15},
    {"joint", PRINTER_STRING, AT(result, joint), .column = 16},
    {"page", PRINTER_POSITIVE, AT(result, page), .column = 9},
    {"section", PRINTER_STRING, AT(result, section), .column = 17},
    {"measure", PRINTER_STRING, AT(result, measure), .column = 18},
    {"column", PRINTER_INT, AT(result, column), .column = 19},
    {"column_label", PRINTER_STRING, AT(result, column_label), .column = 20},
    {"fiscal_year", PRINTER_POSITIVE, AT(result, fiscal_year), .column = 21},
    {"fiscal_year_label", PRINTER_STRING, AT(result, fiscal_year_label), .column = 22},
    {"ministries", PRINTER_MINISTRIES, ARRAY(result, ministries, nministries), .column = 23},
    {"text", PRINTER_STRING, AT(result, text), .column = 24},
    {"highlights", PRINTER_SPANS, ARRAY(result, highlights, nhighlights), .column = 25},
    {"matched_forms", PRINTER_STRINGS, ARRAY(result, matched_forms, nmatched_forms)},
    {"match", PRINTER_STRING, AT(result, match), .fallback = "exact"},
    {"missing", PRINTER_STRINGS, ARRAY(result, missing, nmissing)},
};

static const printer_field measure_fields[] = {
    {"measure", PRINTER_STRING, AT(measure_row, measure), .column = 1},
    {"section", PRINTER_STRING, AT(measure_row, section), .column = 2},
    {"ministries", PRINTER_MINISTRIES, ARRAY(measure_row, ministries, nministries), .column = 3},
    {"file", PRINTER_STRING, AT(measure_row, file), .column = 4},
    {"title", PRINTER_STRING, AT(measure_row, title)},
    {"page", PRINTER_POSITIVE, AT(measure_row, page), .column = 5},
    {"passages", PRINTER_SIZE, AT(measure_row, passages), .column = 6},
    {"fiscal_years", PRINTER_FY_COUNTS, ARRAY(measure_row, fiscal_years, nfiscal_years),
     .with = offsetof(measure_row, fy_passages), .column = 7},
};

/* A program's budget lines; in tsv/csv each is a row, between the program's own columns. */
static const printer_field budget_fields[] = {
    {"fiscal_year", PRINTER_POSITIVE, AT(program_budget, fiscal_year), .column = 2},
    {"kind", PRINTER_STRING, AT(program_budget, kind), .column = 3},
    {"amount_yen", PRINTER_AMOUNT, AT(program_budget, amount_yen), .column = 4},
    {"within", PRINTER_FLAG, AT(program_budget, within), .column = 6},
    {"parent", PRINTER_STRING_NULL, AT(program_budget, parent), .column = 7},
    {"file", PRINTER_STRING, AT(program_budget, file), .column = 8},
    {"lines", PRINTER_LINES_TEXT, AT(program_budget, lines), .column = 9},
    {"measure", PRINTER_STRING, AT(program_budget, measure)},
    {"column", PRINTER_INT, AT(program_budget, column)},
    {"column_fiscal_year", PRINTER_POSITIVE, AT(program_budget, column_fiscal_year)},
    {"unit", PRINTER_STRING, AT(program_budget, unit), .column = 5},
    {"title", PRINTER_STRING, AT(program_budget, title), .column = 10},
    {"url", PRINTER_STRING, AT(program_budget, url), .column = 11},
    {"meeting", PRINTER_STRING, AT(program_budget, meeting), .column = 12},
    {"date", PRINTER_STRING, AT(program_budget, date), .column = 13},
};

static const printer_field history_fields[] = {
    {"fiscal_year", PRINTER_POSITIVE, AT(program_history, fiscal_year)},
    {"kind", PRINTER_STRING, AT(program_history, kind)},
    {"amount_yen", PRINTER_AMOUNT, AT(program_history, amount_yen)},
    {"within", PRINTER_FLAG, AT(program_history, within)},
    {"sources", PRINTER_SIZE, AT(program_history, sources)},
    {"change_yen", PRINTER_CHANGE, AT(program_history, change_yen),
     .count = offsetof(program_history, has_change)},
};

static const printer_field material_fields[] = {
    {"file", PRINTER_STRING, AT(program_material, file)},
    {"title", PRINTER_STRING, AT(program_material, title)},
    {"page", PRINTER_POSITIVE, AT(program_material, page)},
    {"url", PRINTER_STRING, AT(program_material, url)},
    {"meeting", PRINTER_STRING, AT(program_material, meeting)},
    {"date", PRINTER_STRING, AT(program_material, date)},
    {"passages", PRINTER_SIZE, AT(program_material, passages)},
};

#define TABLE(fields, type) {fields, sizeof fields / sizeof fields[0], sizeof(type)}
static const printer_table budget_table = TABLE(budget_fields, program_budget);
static const printer_table history_table = TABLE(history_fields, program_history);
static const printer_table material_table = TABLE(material_fields, program_material);

static const printer_field program_fields[] = {
    {"program", PRINTER_STRING, AT(program_row, name), .column = 1},
    {"mentions", PRINTER_SIZE, AT(program_row, mentions), .column = 14},
    {"passages", PRINTER_SIZE, AT(program_row, passages), .column = 15},
    {"budgets", PRINTER_RECORDS, ARRAY(program_row, budgets, nbudgets), .records = &budget_table},
    {"history", PRINTER_RECORDS, ARRAY(program_row, history, nhistory), .records = &history_table},
    {"successor_of", PRINTER_STRINGS, ARRAY(program_row, successor_of, nsuccessor_of)},
    {"succeeded_by", PRINTER_STRINGS, ARRAY(program_row, succeeded_by, nsucceeded_by)},
    {"materials", PRINTER_RECORDS, ARRAY(program_row, materials, nmaterials),
     .records = &material_table},
};

const printer_table printer_result_table = TABLE(result_fields, result);
const printer_table printer_measure_table = TABLE(measure_fields, measure_row);
const printer_table printer_program_table = TABLE(program_fields, program_row);

/* ===== the formats ===== */

/* A format is a view laid out for people, or an emitter the field tables drive. */
typedef struct format_class {
    const char *name;
    const emit_view *view;
    const emit_ops *values;
    int framed;             /* json: a list is one document ({"results":[…],…}), not a line each */
} format_class;

static const format_class FORMATS[] = {
    [FORMAT_TEXT] = {"text", &emit_text, NULL, 0},
    [FORMAT_JSON] = {"json", NULL, &emit_json, 1},
    [FORMAT_JSONL] = {"jsonl", NULL, &emit_json, 0},
    [FORMAT_TSV] = {"tsv", NULL, &emit_table_tsv, 0},
    [FORMAT_CSV] = {"csv", NULL, &emit_table_csv, 0},
};
#define NFORMATS (sizeof FORMATS / sizeof FORMATS[0])

int printer_format_from_name(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcmp(name, FORMATS[i].name) == 0)
            return (int)i;
    return -1;
}

/* ===== tsv/csv rows: which fields, in which order ===== */

#define MAX_COLUMNS 32

/* One column of a row: a field of the record, or of the element of the record's nested list
 * (via) that the row is for. */
typedef struct column {
    const printer_field *field;
    const printer_field *via;
} column;

typedef struct row_plan {
    column columns[MAX_COLUMNS];
    size_t n;
    const printer_field *via; /* the nested list rows are made of, or NULL */
} row_plan;

struct printer {
    emitter em;
    printer_opts opts;
    const format_class *format;
    size_t printed;
    row_plan results;   /* --fields, or every column */
    sh_buf cell;        /* a composite field flattened for a tsv/csv cell */
};

static int column_order(const void *a, const void *b)
{
    const column *x = a, *y = b;
    return (x->field->column > y->field->column) - (x->field->column < y->field->column);
}

/* Every column of table t in column order: its own fields', and those of one nested list. */
static void plan_all(const printer_table *t, row_plan *plan)
{
    plan->n = 0;
    plan->via = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const printer_field *f = &t->fields[i];
        if (f->type == PRINTER_RECORDS) {
            for (size_t k = 0; k < f->records->n; k++)
                if (f->records->fields[k].column && plan->n < MAX_COLUMNS) {
                    plan->columns[plan->n++] = (column){&f->records->fields[k], f};
                    plan->via = f;
                }
        } else if (f->column && plan->n < MAX_COLUMNS) {
            plan->columns[plan->n++] = (column){f, NULL};
        }
    }
    qsort(plan->columns, plan->n, sizeof plan->columns[0], column_order);
}

/* The columns --fields names (each must be a column of t), in its order. */
static int plan_fields(const printer_table *t, const char *fields, row_plan *plan, char **errmsg)
{
    row_plan all;
    plan_all(t, &all);
    if (!fields) {
        *plan = all;
        return SH_OK;
    }
    plan->n = 0;
    plan->via = all.via;
    for (const char *s = fields; *s;) {
        size_t len = strcspn(s, ",");
        const column *found = NULL;
        for (size_t c = 0; c < all.n; c++)
            if (strlen(all.columns[c].field->name) == len &&
                strncmp(all.columns[c].field->name, s, len) == 0)
                found = &all.columns[c];
        if (!found) {
            sh_buf known = SH_BUF_INIT;
            int rc = SH_OK;
            for (size_t c = 0; c < all.n && !rc; c++)
                rc = sh_buf_printf(&known, "%s%s", c ? ", " : "", all.columns[c].field->name);
            rc = rc ? sh_fail(errmsg, rc, "out of memory")
                    : sh_fail(errmsg, SH_ERR_INVALID, "--fields: unknown column \"%.*s\" (known: %s)",
                              (int)len, s, known.data);
            sh_buf_free(&known);
            return rc;
        }
        if (plan->n == MAX_COLUMNS)
            return sh_fail(errmsg, SH_ERR_INVALID, "--fields: too many columns");
        plan->columns[plan->n++] = *found;
        s += len;
        if (*s == ',')
            s++;
    }
    if (plan->n == 0)
        return sh_fail(errmsg, SH_ERR_INVALID, "--fields: name at least one column");
    return SH_OK;
}

/* ===== one field's value ===== */

#define TRY(call)                                                                              \
    do {                                                                                       \
        int try_rc_ = (call);                                                                  \
        if (try_rc_)                                                                           \
            return try_rc_;                                                                    \
    } while (0)

#define FIELD(type, rec, f) (*(type const *)((const char *)(rec) + (f)->at))
#define COUNT(rec, f) (*(const size_t *)((const char *)(rec) + (f)->count))

static int write_map(printer *p, const printer_table *t, const void *rec);

/* Composite fields in one tsv/csv cell: lines "1 2", highlights "0-2 5-7", ministries
 * "経済産業省、◎厚生労働省", fiscal years "2024:3 none:1", string lists "a b". */
static int flat_composite(printer *p, const printer_field *f, const void *rec)
{
    sh_buf *b = &p->cell;
    size_t n = COUNT(rec, f);
    int rc = SH_OK;
    sh_buf_clear(b);
    for (size_t i = 0; i < n && !rc; i++) {
        switch (f->type) {
        case PRINTER_LINES:
            rc = sh_buf_printf(b, i ? " %u" : "%u", FIELD(const unsigned *, rec, f)[i]);
            break;
        case PRINTER_SPANS: {
            const result_span *s = &FIELD(const result_span *, rec, f)[i];
            rc = sh_buf_printf(b, i ? " %zu-%zu" : "%zu-%zu", s->start, s->end);
            break;
        }
        case PRINTER_MINISTRIES: {
            const result_ministry *m = &FIELD(const result_ministry *, rec, f)[i];
            rc = sh_buf_printf(b, "%s%s%s", i ? "、" : "", m->lead ? "◎" : "", m->name);
            break;
        }
        case PRINTER_FY_COUNTS: {
            int fy = FIELD(const int *, rec, f)[i];
            size_t count = (*(const size_t *const *)((const char *)rec + f->with))[i];
            rc = fy > 0 ? sh_buf_printf(b, "%s%d:%zu", i ? " " : "", fy, count)
                        : sh_buf_printf(b, "%snone:%zu", i ? " " : "", count);
            break;
        }
        default: /* PRINTER_STRINGS */
            rc = sh_buf_printf(b, "%s%s", i ? " " : "", FIELD(const char *const *, rec, f)[i]);
        }
    }
    return rc ? rc : p->em.ops->string(&p->em, b->data ? b->data : "");
}

/* The integers of "12,13" as a list. */
static int lines_text(emitter *e, const char *s)
{
    TRY(e->ops->begin_list(e));
    while (*s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (end == s)
            break;
        TRY(e->ops->integer(e, v));
        s = *end == ',' ? end + 1 : end;
    }
    return e->ops->end_list(e);
}

/* The value of field f of record rec; NULL rec (a row's missing nested element): null. */
static int write_value(printer *p, const printer_field *f, const void *rec)
{
    emitter *e = &p->em;
    const emit_ops *o = e->ops;
    if (!rec)
        return o->null(e);
    switch (f->type) {
    case PRINTER_STRING: {
        const char *s = FIELD(const char *, rec, f);
        return o->string(e, s ? s : f->fallback ? f->fallback : "");
    }
    case PRINTER_STRING_NULL: {
        const char *s = FIELD(const char *, rec, f);
        return s && s[0] ? o->string(e, s) : o->flat ? o->string(e, "") : o->null(e);
    }
    case PRINTER_SIZE: return o->integer(e, (long long)FIELD(size_t, rec, f));
    case PRINTER_INT: return o->integer(e, FIELD(int, rec, f));
    case PRINTER_POSITIVE: {
        int v = FIELD(int, rec, f);
        return v > 0 ? o->integer(e, v) : o->null(e);
    }
    case PRINTER_AMOUNT: {
        long long v = FIELD(long long, rec, f);
        return v >= 0 ? o->integer(e, v) : o->null(e);
    }
    case PRINTER_CHANGE:
        return *(const int *)((const char *)rec + f->count) ? o->integer(e, FIELD(long long, rec, f))
                                                            : o->null(e);
    case PRINTER_FLAG: return o->boolean(e, FIELD(int, rec, f));
    case PRINTER_SCORE: return o->decimal(e, FIELD(double, rec, f));
    case PRINTER_LINE_FIRST:
    case PRINTER_LINE_LAST: {
        size_t n = COUNT(rec, f);
        const unsigned *lines = FIELD(const unsigned *, rec, f);
        return o->integer(e, !n ? 0 : f->type == PRINTER_LINE_FIRST ? lines[0] : lines[n - 1]);
    }
    case PRINTER_LINES_TEXT:
        return o->flat ? o->string(e, FIELD(const char *, rec, f))
                       : lines_text(e, FIELD(const char *, rec, f));
    case PRINTER_RECORDS: {
        if (o->flat) /* a row per element: see write_rows */
            return o->null(e);
        const char *items = FIELD(const char *, rec, f);
        TRY(o->begin_list(e));
        for (size_t i = 0; i < COUNT(rec, f); i++)
            TRY(write_map(p, f->records, items + i * f->records->size));
        return o->end_list(e);
    }
    default:
        break;
    }
    if (o->flat)
        return flat_composite(p, f, rec);
    size_t n = COUNT(rec, f);
    if (f->type == PRINTER_FY_COUNTS) {
        const int *fy = FIELD(const int *, rec, f);
        const size_t *counts = *(const size_t *const *)((const char *)rec + f->with);
        TRY(o->begin_map(e));
        for (size_t i = 0; i < n; i++) {
            char key[16];
            if (fy[i] > 0)
                snprintf(key, sizeof key, "%d", fy[i]);
            else
                snprintf(key, sizeof key, "none");
            TRY(o->key(e, key));
            TRY(o->integer(e, (long long)counts[i]));
        }
        return o->end_map(e);
    }
    TRY(o->begin_list(e));
    for (size_t i = 0; i < n; i++) {
        switch (f->type) {
        case PRINTER_LINES:
            TRY(o->integer(e, FIELD(const unsigned *, rec, f)[i]));
            break;
        case PRINTER_SPANS: {
            const result_span *s = &FIELD(const result_span *, rec, f)[i];
            TRY(o->begin_list(e));
            TRY(o->integer(e, (long long)s->start));
            TRY(o->integer(e, (long long)s->end));
            TRY(o->end_list(e));
            break;
        }
        case PRINTER_MINISTRIES: {
            const result_ministry *m = &FIELD(const result_ministry *, rec, f)[i];
            TRY(o->begin_map(e));
            TRY(o->key(e, "name"));
            TRY(o->string(e, m->name));
            TRY(o->key(e, "lead"));
            TRY(o->boolean(e, m->lead));
            TRY(o->end_map(e));
            break;
        }
        default: /* PRINTER_STRINGS */
            TRY(o->string(e, FIELD(const char *const *, rec, f)[i]));
        }
    }
    return o->end_list(e);
}

/* ===== records ===== */

/* A record as a map of every field of its table (json). */
static int write_map(printer *p, const printer_table *t, const void *rec)
{
    emitter *e = &p->em;
    TRY(e->ops->begin_map(e));
    for (size_t i = 0; i < t->n; i++) {
        TRY(e->ops->key(e, t->fields[i].name));
        TRY(write_value(p, &t->fields[i], rec));
    }
    return e->ops->end_map(e);
}

/* The header row: the columns' names. */
static int write_header(printer *p, const row_plan *plan)
{
    emitter *e = &p->em;
    TRY(e->ops->begin_map(e));
    for (size_t c = 0; c < plan->n; c++)
        TRY(e->ops->string(e, plan->columns[c].field->name));
    return e->ops->end_map(e);
}

/* A record's rows (tsv/csv): one, or one per element of its nested list (one with empty cells
 * when the list is empty). */
static int write_rows(printer *p, const row_plan *plan, const void *rec)
{
    emitter *e = &p->em;
    size_t n = plan->via ? COUNT(rec, plan->via) : 0;
    const char *items = plan->via ? FIELD(const char *, rec, plan->via) : NULL;
    for (size_t i = 0; i < (n ? n : 1); i++) {
        const void *element = n ? items + i * plan->via->records->size : NULL;
        TRY(e->ops->begin_map(e));
        for (size_t c = 0; c < plan->n; c++)
            TRY(write_value(p, plan->columns[c].field, plan->columns[c].via ? element : rec));
        TRY(e->ops->end_map(e));
    }
    return emit_status(e);
}

/* One item of a list of records of table t, in whatever the format makes of it. */
static int write_item(printer *p, const printer_table *t, const row_plan *plan, const void *rec)
{
    p->printed++;
    if (p->em.ops->flat)
        return write_rows(p, plan, rec);
    return write_map(p, t, rec);
}

/* ===== documents ===== */

static int key_string_list(emitter *e, const char *key, const char *const *items, size_t n)
{
    TRY(e->ops->key(e, key));
    TRY(e->ops->begin_list(e));
    for (size_t i = 0; i < n; i++)
        TRY(e->ops->string(e, items[i]));
    return e->ops->end_list(e);
}

/* "expanded":{"経産省":["経済産業省",…],…} */
static int key_expanded(printer *p)
{
    emitter *e = &p->em;
    TRY(e->ops->key(e, "expanded"));
    TRY(e->ops->begin_map(e));
    for (size_t i = 0; i < p->opts.nexpanded; i++)
        TRY(key_string_list(e, p->opts.expanded[i].word,
                            (const char *const *)p->opts.expanded[i].forms,
                            p->opts.expanded[i].nforms));
    return e->ops->end_map(e);
}

/* "facets":{"fiscal_year":{"2024":3,…},…}, when facets were counted. */
static int key_facets(emitter *e, const summary *s)
{
    if (!s->nfacets)
        return emit_status(e);
    TRY(e->ops->key(e, "facets"));
    TRY(e->ops->begin_map(e));
    for (size_t f = 0; f < s->nfacets; f++) {
        TRY(e->ops->key(e, s->facets[f].name));
        TRY(e->ops->begin_map(e));
        for (size_t i = 0; i < s->facets[f].n; i++) {
            TRY(e->ops->key(e, s->facets[f].values[i].value));
            TRY(e->ops->integer(e, (long long)s->facets[f].values[i].count));
        }
        TRY(e->ops->end_map(e));
    }
    return e->ops->end_map(e);
}

/* Marks a json envelope of a partial answer (--partial, parts left out):
 * "partial_answer":true,"missing_parts":[...]. ("partial" counts partial-word matches.) */
static int key_partial_answer(printer *p)
{
    emitter *e = &p->em;
    if (!p->opts.nmissing_parts)
        return emit_status(e);
    TRY(e->ops->key(e, "partial_answer"));
    TRY(e->ops->boolean(e, 1));
    return key_string_list(e, "missing_parts", p->opts.missing_parts, p->opts.nmissing_parts);
}

static int key_integer(emitter *e, const char *key, long long v)
{
    TRY(e->ops->key(e, key));
    return e->ops->integer(e, v);
}

/* The opening of a framed json list: {"NAME":[ (or {"query":…,"results":[). */
static int open_envelope(printer *p, const char *list)
{
    emitter *e = &p->em;
    TRY(e->ops->begin_map(e));
    if (strcmp(list, "results") == 0) {
        TRY(e->ops->key(e, "query"));
        TRY(e->ops->string(e, p->opts.query ? p->opts.query : ""));
    }
    TRY(e->ops->key(e, list));
    return e->ops->begin_list(e);
}

static const emit_view *view_of(const printer *p) { return p->format->view; }
static int is_framed(const printer *p) { return p->format->framed; }

int printer_new(FILE *out, const printer_opts *opts, printer **out_printer, char **errmsg)
{
    if (opts->format < 0 || (size_t)opts->format >= NFORMATS)
        return sh_fail(errmsg, SH_ERR_INVALID, "unknown output format");
    printer *p = calloc(1, sizeof *p);
    if (!p)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    p->opts = *opts;
    p->format = &FORMATS[opts->format];
    p->em.out = out;
    p->em.ops = p->format->values;
    p->cell = (sh_buf)SH_BUF_INIT;
    int rc = plan_fields(&printer_result_table, opts->fields, &p->results, errmsg);
    if (rc) {
        free(p);
        return rc;
    }
    *out_printer = p;
    if (view_of(p))
        return view_of(p)->begin(&p->em, &p->opts);
    if (p->opts.unframed) /* counts and listings frame their own output */
        return emit_status(&p->em);
    if (is_framed(p))
        return open_envelope(p, "results");
    if (p->em.ops->flat)
        return write_header(p, &p->results);
    return emit_status(&p->em);
}

int printer_result(printer *p, const result *r)
{
    if (view_of(p)) {
        p->printed++;
        return view_of(p)->result(&p->em, &p->opts, r);
    }
    return write_item(p, &printer_result_table, &p->results, r);
}

static int printer_emit(void *p, const result *r) { return printer_result(p, r); }

result_sink printer_sink(printer *p)
{
    return (result_sink){printer_emit, p};
}

int printer_end(printer *p, const summary *s)
{
    emitter *e = &p->em;
    if (view_of(p))
        return view_of(p)->end(e, &p->opts, p->printed, s);
    if (!is_framed(p))
        return emit_status(e);
    TRY(e->ops->end_list(e));
    TRY(key_integer(e, "total", (long long)s->total));
    TRY(e->ops->key(e, "total_exact"));
    TRY(e->ops->boolean(e, s->total_exact));
    TRY(key_integer(e, "page", (long long)s->page));
    TRY(key_integer(e, "partial", (long long)s->partial));
    TRY(key_expanded(p));
    TRY(key_facets(e, s));
    TRY(key_partial_answer(p));
    return e->ops->end_map(e);
}

/* A tsv/csv row of --count: facet, value, passages (NULL value: an empty cell). */
static int count_row(emitter *e, const char *facet, const char *value, size_t passages)
{
    TRY(e->ops->begin_map(e));
    TRY(e->ops->string(e, facet));
    TRY(value ? e->ops->string(e, value) : e->ops->null(e));
    TRY(e->ops->integer(e, (long long)passages));
    return e->ops->end_map(e);
}

int printer_count(printer *p, const summary *s)
{
    emitter *e = &p->em;
    if (view_of(p))
        return view_of(p)->count(e, &p->opts, s);
    const emit_ops *o = e->ops;
    if (o->flat) {
        /* The header, the totals, then each form and facet value. */
        TRY(o->begin_map(e));
        TRY(o->string(e, "facet"));
        TRY(o->string(e, "value"));
        TRY(o->string(e, "passages"));
        TRY(o->end_map(e));
        TRY(count_row(e, "total", NULL, s->total));
        TRY(count_row(e, "mentions", NULL, s->mentions));
        for (size_t i = 0; i < s->nforms; i++)
            TRY(count_row(e, "form_mentions", s->forms[i], s->form_mentions[i]));
        for (size_t f = 0; f < s->nfacets; f++)
            for (size_t i = 0; i < s->facets[f].n; i++)
                TRY(count_row(e, s->facets[f].name, s->facets[f].values[i].value,
                              s->facets[f].values[i].count));
        return emit_status(e);
    }
    /* json and jsonl alike: one object. */
    TRY(o->begin_map(e));
    TRY(o->key(e, "query"));
    TRY(o->string(e, p->opts.query ? p->opts.query : ""));
    TRY(key_integer(e, "passages", (long long)s->total));
    TRY(key_integer(e, "mentions", (long long)s->mentions));
    if (s->nforms) {
        TRY(o->key(e, "form_mentions"));
        TRY(o->begin_map(e));
        for (size_t i = 0; i < s->nforms; i++)
            TRY(key_integer(e, s->forms[i], (long long)s->form_mentions[i]));
        TRY(o->end_map(e));
    }
    TRY(key_expanded(p));
    TRY(key_facets(e, s));
    TRY(key_partial_answer(p));
    return o->end_map(e);
}

/* A listing's opening: the json envelope or the tsv/csv header. */
static int listing_begin(printer *p, const char *list, const printer_table *t)
{
    if (view_of(p))
        return emit_status(&p->em);
    if (is_framed(p))
        return open_envelope(p, list);
    if (p->em.ops->flat) {
        row_plan plan;
        plan_all(t, &plan);
        return write_header(p, &plan);
    }
    return emit_status(&p->em);
}

static int listing_item(printer *p, const printer_table *t, const void *rec)
{
    row_plan plan = {.n = 0};
    if (p->em.ops->flat)
        plan_all(t, &plan);
    return write_item(p, t, &plan, rec);
}

/* A listing's end: json closes the list with its total. */
static int listing_end(printer *p, size_t n)
{
    emitter *e = &p->em;
    if (view_of(p) || !is_framed(p))
        return emit_status(e);
    TRY(e->ops->end_list(e));
    TRY(key_integer(e, "total", (long long)n));
    TRY(key_partial_answer(p));
    return e->ops->end_map(e);
}

int printer_measures_begin(printer *p)
{
    return listing_begin(p, "measures", &printer_measure_table);
}

int printer_measure(printer *p, const measure_row *m)
{
    if (view_of(p)) {
        p->printed++;
        return view_of(p)->measure(&p->em, &p->opts, m);
    }
    return listing_item(p, &printer_measure_table, m);
}

int printer_measures_end(printer *p, size_t n) { return listing_end(p, n); }

int printer_programs_begin(printer *p)
{
    return listing_begin(p, "programs", &printer_program_table);
}

int printer_program(printer *p, const program_row *row)
{
    if (view_of(p)) {
        p->printed++;
        return view_of(p)->program(&p->em, &p->opts, row);
    }
    return listing_item(p, &printer_program_table, row);
}

int printer_programs_end(printer *p, size_t n) { return listing_end(p, n); }

int printer_write_errno(const printer *p)
{
    return p ? p->em.write_errno : 0;
}

void printer_free(printer *p)
{
    if (!p)
        return;
    sh_buf_free(&p->cell);
    free(p);
}
