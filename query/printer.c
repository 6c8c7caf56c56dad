/* printer.c — output formats for ranked passages: text for people (reference line + passage
 * with highlighted mentions), json/jsonl for scripts, tsv/csv with a header line. */
#include "printer.h"

#include "shiryo/diag.h"
#include "shiryo/era.h"
#include "shiryo/norm.h"
#include "shiryo/status.h"
#include "shiryo/visible.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 32

struct printer {
    FILE *out;
    printer_opts opts;
    size_t printed;
    const char *columns[MAX_COLUMNS + 1]; /* tsv/csv columns in order, NULL-terminated */
    int write_errno;                      /* errno when a write was first seen failing, or 0 */
};

/* What every printer_* call returns: the stream's error flag is sticky, so one check after the
 * writes of an item sees any of them that failed (full disk, closed pipe). The caller stops and
 * main reports the failed write (shiryo/about.h). The reason is kept now: stdio drops the bytes
 * of a failed write, so when the failure came at the end of an item the final flush has nothing
 * left to fail on and cannot say why. */
static int printer_status(printer *p)
{
    if (!p->out || !ferror(p->out))
        return SH_OK;
    if (!p->write_errno)
        p->write_errno = errno ? errno : EIO;
    return SH_ERR_IO;
}

int printer_write_errno(const printer *p)
{
    return p ? p->write_errno : 0;
}

int printer_format_from_name(const char *name)
{
    static const char *const names[] = {"text", "json", "jsonl", "tsv", "csv"};
    for (int i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* Writes the UTF-8 sequence at p, or, for a byte that starts none (a file name in Shift_JIS),
 * the escape \udcXX of Python's surrogateescape, so the JSON stays valid and the bytes can be
 * recovered (os.fsencode). Returns the bytes consumed. */
static size_t json_utf8(FILE *out, const unsigned char *p)
{
    size_t n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 1, have = 1;
    while (have < n && (p[have] & 0xC0) == 0x80)
        have++;
    if (n > 1 && have == n && sh_utf8_valid((const char *)p, n)) {
        fwrite(p, 1, n, out);
        return n;
    }
    fprintf(out, "\\udc%02x", *p);
    return 1;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else if (*p < 0x80)
                fputc(*p, out);
            else
                p += json_utf8(out, p) - 1;
        }
    }
    fputc('"', out);
}

static void json_key(FILE *out, const char *key, int first)
{
    if (!first)
        fputc(',', out);
    json_string(out, key);
    fputc(':', out);
}

/* One item of a JSON list (json: comma-separated in the frame; jsonl: one per line). Returns 1
 * if the format is a JSON one and the item was written. */
static int json_item(printer *p, void (*write)(FILE *, const void *), const void *item)
{
    if (p->opts.format == FORMAT_JSON) {
        if (p->printed)
            fputc(',', p->out);
        write(p->out, item);
        return 1;
    }
    if (p->opts.format == FORMAT_JSONL) {
        write(p->out, item);
        fputc('\n', p->out);
        return 1;
    }
    return 0;
}

/* [{"name": …, "lead": …}, …] */
static void json_ministries(FILE *out, const result_ministry *m, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",{" : "{", out);
        json_key(out, "name", 1);
        json_string(out, m[i].name);
        json_key(out, "lead", 0);
        fputs(m[i].lead ? "true}" : "false}", out);
    }
    fputc(']', out);
}

/* 経済産業省、◎厚生労働省 (tsv/csv/text) */
static void plain_ministries(FILE *out, const result_ministry *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s%s", i ? "、" : "", m[i].lead ? "◎" : "", m[i].name);
}

static void json_string_list(FILE *out, const char *const *items, size_t n);

/* "expanded":{"経産省":["経済産業省",…],…} */
static void json_expanded(FILE *out, const printer_opts *o)
{
    fputs(",\"expanded\":{", out);
    for (size_t i = 0; i < o->nexpanded; i++) {
        json_key(out, o->expanded[i].word, i == 0);
        json_string_list(out, (const char *const *)o->expanded[i].forms, o->expanded[i].nforms);
    }
    fputc('}', out);
}

/* Text output says once what the query's words were expanded to. */
static void text_expanded(FILE *out, const printer_opts *o)
{
    if (!o->nexpanded)
        return;
    fputs("expanded:", out);
    for (size_t i = 0; i < o->nexpanded; i++) {
        fprintf(out, "%s %s → ", i ? ";" : "", o->expanded[i].word);
        for (size_t f = 0; f < o->expanded[i].nforms; f++)
            fprintf(out, "%s%s", f ? " " : "", o->expanded[i].forms[f]);
    }
    fputs("  (--exact or =word: as typed)\n", out);
}

static void json_result(FILE *out, const result *r)
{
    fputc('{', out);
    json_key(out, "rank", 1);
    fprintf(out, "%zu", r->rank);
    json_key(out, "score", 0);
    fprintf(out, "%.4f", r->score);
    json_key(out, "file", 0);
    json_string(out, r->file);
    json_key(out, "line_start", 0);
    fprintf(out, "%u", r->nlines ? r->lines[0] : 0);
    json_key(out, "line_end", 0);
    fprintf(out, "%u", r->nlines ? r->lines[r->nlines - 1] : 0);
    json_key(out, "lines", 0);
    fputc('[', out);
    for (size_t i = 0; i < r->nlines; i++)
        fprintf(out, i ? ",%u" : "%u", r->lines[i]);
    fputc(']', out);
    const struct { const char *key, *value; } strings[] = {
        {"title", r->title},     {"material", r->material}, {"url", r->url},
        {"source", r->source},   {"meeting", r->meeting},   {"session", r->session},
        {"date", r->date},       {"publisher", r->publisher}, {"joint", r->joint},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        json_key(out, strings[i].key, 0);
        json_string(out, strings[i].value);
    }
    json_key(out, "page", 0);
    if (r->page > 0)
        fprintf(out, "%d", r->page);
    else
        fputs("null", out);
    json_key(out, "section", 0);
    json_string(out, r->section);
    json_key(out, "measure", 0);
    json_string(out, r->measure);
    json_key(out, "column", 0);
    fprintf(out, "%d", r->column);
    json_key(out, "column_label", 0);
    json_string(out, r->column_label);
    json_key(out, "fiscal_year", 0);
    if (r->fiscal_year > 0)
        fprintf(out, "%d", r->fiscal_year);
    else
        fputs("null", out);
    json_key(out, "fiscal_year_label", 0);
    json_string(out, r->fiscal_year_label);
    json_key(out, "ministries", 0);
    json_ministries(out, r->ministries, r->nministries);
    json_key(out, "text", 0);
    json_string(out, r->text);
    json_key(out, "highlights", 0);
    fputc('[', out);
    for (size_t i = 0; i < r->nhighlights; i++)
        fprintf(out, i ? ",[%zu,%zu]" : "[%zu,%zu]", r->highlights[i].start,
                r->highlights[i].end);
    fputc(']', out);
    json_key(out, "matched_forms", 0);
    json_string_list(out, r->matched_forms, r->nmatched_forms);
    json_key(out, "match", 0);
    json_string(out, r->match ? r->match : "exact");
    json_key(out, "missing", 0);
    json_string_list(out, r->missing, r->nmissing);
    fputc('}', out);
}

const char *const printer_table_columns[] = {
    "rank", "score", "file", "line_start", "line_end", "lines", "title", "material", "page",
    "url", "source", "meeting", "session", "date", "publisher", "joint", "section", "measure", "column",
    "column_label", "fiscal_year", "fiscal_year_label", "ministries", "text", "highlights", NULL};

/* Writes s as one TSV field (tabs/newlines become spaces) or CSV field (RFC 4180 quoting). */
static void table_field(FILE *out, const char *s, int csv)
{
    if (!csv) {
        for (const char *p = s; *p; p++)
            fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, out);
        return;
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
}

static void table_row(FILE *out, const char *const *columns, const result *r, int csv)
{
    char num[64];
    char sep = csv ? ',' : '\t';
    for (size_t c = 0; columns[c]; c++) {
        const char *col = columns[c];
        if (c)
            fputc(sep, out);
        num[0] = '\0';
        const char *value = num;
        if (!strcmp(col, "rank")) snprintf(num, sizeof num, "%zu", r->rank);
        else if (!strcmp(col, "score")) snprintf(num, sizeof num, "%.4f", r->score);
        else if (!strcmp(col, "file")) value = r->file;
        else if (!strcmp(col, "line_start")) snprintf(num, sizeof num, "%u", r->nlines ? r->lines[0] : 0);
        else if (!strcmp(col, "line_end")) snprintf(num, sizeof num, "%u", r->nlines ? r->lines[r->nlines - 1] : 0);
        else if (!strcmp(col, "lines")) {
            for (size_t i = 0; i < r->nlines; i++)
                fprintf(out, i ? " %u" : "%u", r->lines[i]);
            continue;
        }
        else if (!strcmp(col, "title")) value = r->title;
        else if (!strcmp(col, "material")) value = r->material;
        else if (!strcmp(col, "page")) { if (r->page > 0) snprintf(num, sizeof num, "%d", r->page); }
        else if (!strcmp(col, "url")) value = r->url;
        else if (!strcmp(col, "source")) value = r->source;
        else if (!strcmp(col, "session")) value = r->session;
        else if (!strcmp(col, "date")) value = r->date;
        else if (!strcmp(col, "fiscal_year_label")) value = r->fiscal_year_label;
        else if (!strcmp(col, "highlights")) {
            for (size_t i = 0; i < r->nhighlights; i++)
                fprintf(out, i ? " %zu-%zu" : "%zu-%zu", r->highlights[i].start, r->highlights[i].end);
            continue;
        }
        else if (!strcmp(col, "meeting")) value = r->meeting;
        else if (!strcmp(col, "publisher")) value = r->publisher;
        else if (!strcmp(col, "joint")) value = r->joint;
        else if (!strcmp(col, "section")) value = r->section;
        else if (!strcmp(col, "measure")) value = r->measure;
        else if (!strcmp(col, "column")) snprintf(num, sizeof num, "%d", r->column);
        else if (!strcmp(col, "column_label")) value = r->column_label;
        else if (!strcmp(col, "fiscal_year")) { if (r->fiscal_year > 0) snprintf(num, sizeof num, "%d", r->fiscal_year); }
        else if (!strcmp(col, "ministries")) {
            plain_ministries(out, r->ministries, r->nministries);
            continue;
        }
        else if (!strcmp(col, "text")) value = r->text;
        table_field(out, value, csv);
    }
    fputc('\n', out);
}

/* Byte offset of code point cp in s. */
static size_t byte_of_cp(const char *s, size_t cp)
{
    size_t b = 0;
    while (s[b] && cp > 0) {
        b++;
        while (((unsigned char)s[b] & 0xC0) == 0x80)
            b++;
        cp--;
    }
    return b;
}

static void text_result(printer *p, const result *r)
{
    FILE *out = p->out;
    const char *bold = p->opts.color ? "\033[1m" : "", *dim = p->opts.color ? "\033[2m" : "",
               *mark = p->opts.color ? "\033[1;31m" : "", *reset = p->opts.color ? "\033[0m" : "";
    fprintf(out, "%s%zu. %s%s", bold, r->rank, r->title, reset);
    if (r->match && strcmp(r->match, "exact") != 0) {
        fprintf(out, " [%s: without", strcmp(r->match, "page") == 0 ? "page holds all, passage" : "partial");
        for (size_t i = 0; i < r->nmissing; i++)
            fprintf(out, " %s", r->missing[i]);
        fputc(']', out);
    }
    if (r->page > 0)
        fprintf(out, " p.%d", r->page);
    if (r->fiscal_year > 0)
        fprintf(out, " · %s", r->fiscal_year_label[0] ? r->fiscal_year_label : r->column_label);
    if (r->measure[0])
        fprintf(out, " · %s", r->measure);
    fprintf(out, "\n   %s", dim);
    sh_fputs_visible(r->file, out); /* a newline or tab in a file name stays visible */
    fprintf(out, ":%u", r->nlines ? r->lines[0] : 0);
    if (r->nlines > 1 && r->lines[r->nlines - 1] != r->lines[0])
        fprintf(out, "-%u", r->lines[r->nlines - 1]);
    if (r->url[0])
        fprintf(out, "  %s", r->url);
    fprintf(out, "  score %.2f%s\n   ", r->score, reset);
    /* Snippet: with --context, show the text around the first and last mention. */
    size_t ncp = sh_utf8_count(r->text, strlen(r->text));
    size_t from = 0, to = ncp;
    if (p->opts.context > 0 && r->nhighlights > 0) {
        size_t a = r->highlights[0].start, z = r->highlights[r->nhighlights - 1].end;
        from = a > p->opts.context ? a - p->opts.context : 0;
        to = z + p->opts.context < ncp ? z + p->opts.context : ncp;
    }
    if (from > 0)
        fputs("…", out);
    size_t h = 0, cp = from;
    while (cp < to) {
        while (h < r->nhighlights && r->highlights[h].end <= cp)
            h++;
        size_t next = to;
        int in_mark = h < r->nhighlights && r->highlights[h].start <= cp;
        if (in_mark)
            next = r->highlights[h].end < to ? r->highlights[h].end : to;
        else if (h < r->nhighlights && r->highlights[h].start < to)
            next = r->highlights[h].start;
        size_t b0 = byte_of_cp(r->text, cp), b1 = byte_of_cp(r->text, next);
        if (in_mark && !p->opts.color)
            fputs("«", out);
        else if (in_mark)
            fputs(mark, out);
        fwrite(r->text + b0, 1, b1 - b0, out);
        if (in_mark && !p->opts.color)
            fputs("»", out);
        else if (in_mark)
            fputs(reset, out);
        cp = next;
    }
    if (to < ncp)
        fputs("…", out);
    fputs("\n\n", out);
}

/* Resolves --fields into p->columns (each must be a known column). */
static int select_columns(printer *p, const char *fields, char **errmsg)
{
    size_t n = 0;
    if (!fields) {
        for (; n < MAX_COLUMNS && printer_table_columns[n]; n++)
            p->columns[n] = printer_table_columns[n];
        p->columns[n] = NULL;
        return SH_OK;
    }
    const char *s = fields;
    while (*s) {
        size_t len = strcspn(s, ",");
        const char *found = NULL;
        for (size_t c = 0; printer_table_columns[c]; c++)
            if (strlen(printer_table_columns[c]) == len &&
                strncmp(printer_table_columns[c], s, len) == 0)
                found = printer_table_columns[c];
        if (!found)
            return sh_fail(errmsg, SH_ERR_INVALID,
                           "--fields: unknown column \"%.*s\" (known: rank, score, file, "
                           "line_start, line_end, lines, title, material, page, url, source, meeting, "
                           "session, date, publisher, joint, section, measure, column, column_label, "
                           "fiscal_year, fiscal_year_label, ministries, text, highlights)",
                           (int)len, s);
        if (n == MAX_COLUMNS)
            return sh_fail(errmsg, SH_ERR_INVALID, "--fields: too many columns");
        p->columns[n++] = found;
        s += len;
        if (*s == ',')
            s++;
    }
    p->columns[n] = NULL;
    if (n == 0)
        return sh_fail(errmsg, SH_ERR_INVALID, "--fields: name at least one column");
    return SH_OK;
}

int printer_new(FILE *out, const printer_opts *opts, printer **out_printer, char **errmsg)
{
    printer *p = calloc(1, sizeof *p);
    if (!p)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    p->out = out;
    p->opts = *opts;
    int rc = select_columns(p, opts->fields, errmsg);
    if (rc) {
        free(p);
        return rc;
    }
    if (p->opts.format == FORMAT_TEXT)
        text_expanded(out, &p->opts);
    if (p->opts.unframed) {
        /* Counts and listings frame their own output. */
    } else if (p->opts.format == FORMAT_JSON) {
        fputs("{\"query\":", out);
        json_string(out, opts->query ? opts->query : "");
        fputs(",\"results\":[", out);
    } else if (p->opts.format == FORMAT_TSV || p->opts.format == FORMAT_CSV) {
        for (size_t c = 0; p->columns[c]; c++)
            fprintf(out, "%s%s", c ? (p->opts.format == FORMAT_CSV ? "," : "\t") : "",
                    p->columns[c]);
        fputc('\n', out);
    }
    *out_printer = p;
    return printer_status(p);
}

static void write_result(FILE *out, const void *r) { json_result(out, r); }

int printer_result(printer *p, const result *r)
{
    if (json_item(p, write_result, r)) {
        p->printed++;
        return printer_status(p);
    }
    switch (p->opts.format) {
    case FORMAT_TSV:
    case FORMAT_CSV:
        table_row(p->out, p->columns, r, p->opts.format == FORMAT_CSV);
        break;
    case FORMAT_CALLBACK:
        p->opts.sink(p->opts.sink_ctx, r);
        break;
    default:
        text_result(p, r);
    }
    p->printed++;
    return printer_status(p);
}

static void json_facets(FILE *out, const summary *s)
{
    fputc('{', out);
    for (size_t f = 0; f < s->nfacets; f++) {
        json_key(out, s->facets[f].name, f == 0);
        fputc('{', out);
        for (size_t i = 0; i < s->facets[f].n; i++) {
            json_key(out, s->facets[f].values[i].value, i == 0);
            fprintf(out, "%zu", s->facets[f].values[i].count);
        }
        fputc('}', out);
    }
    fputc('}', out);
}

static void text_facets(FILE *out, const summary *s)
{
    for (size_t f = 0; f < s->nfacets; f++) {
        fprintf(out, "%s:\n", s->facets[f].name);
        for (size_t i = 0; i < s->facets[f].n; i++)
            fprintf(out, "  %6zu  %s\n", s->facets[f].values[i].count,
                    s->facets[f].values[i].value);
    }
}

static void json_string_list(FILE *out, const char *const *items, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        json_string(out, items[i]);
    }
    fputc(']', out);
}

/* Marks a json envelope of a partial answer (--partial, parts left out):
 * ,"partial_answer":true,"missing_parts":[...]. ("partial" counts partial-word matches.) */
static void json_partial(const printer *p)
{
    if (!p->opts.nmissing_parts)
        return;
    fputs(",\"partial_answer\":true,\"missing_parts\":", p->out);
    json_string_list(p->out, p->opts.missing_parts, p->opts.nmissing_parts);
}

int printer_end(printer *p, const summary *s)
{
    if (p->opts.format == FORMAT_JSON) {
        fprintf(p->out, "],\"total\":%zu,\"total_exact\":%s,\"page\":%zu,\"partial\":%zu",
                s->total, s->total_exact ? "true" : "false", s->page, s->partial);
        json_expanded(p->out, &p->opts);
        if (s->nfacets) {
            fputs(",\"facets\":", p->out);
            json_facets(p->out, s);
        }
        json_partial(p);
        fputs("}\n", p->out);
    } else if (p->opts.format == FORMAT_TEXT) {
        if (s->partial || s->page)
            fprintf(p->out, "(%zu exact of %s%zu, then %zu page and %zu partial: passages without "
                            "some of the words; --strict for exact matches only)\n",
                    p->printed - s->partial - s->page, s->total_exact ? "" : "about ", s->total,
                    s->page, s->partial);
        else if (p->printed < s->total)
            fprintf(p->out, "(%zu of %s%zu passages shown; --limit N or --all for more)\n",
                    p->printed, s->total_exact ? "" : "about ", s->total);
        text_facets(p->out, s);
    }
    return printer_status(p);
}

int printer_count(printer *p, const summary *s)
{
    FILE *out = p->out;
    switch (p->opts.format) {
    case FORMAT_JSON:
    case FORMAT_JSONL:
        fputs("{\"query\":", out);
        json_string(out, p->opts.query ? p->opts.query : "");
        fprintf(out, ",\"passages\":%zu,\"mentions\":%zu", s->total, s->mentions);
        if (s->nforms) {
            fputs(",\"form_mentions\":{", out);
            for (size_t i = 0; i < s->nforms; i++) {
                json_key(out, s->forms[i], i == 0);
                fprintf(out, "%zu", s->form_mentions[i]);
            }
            fputc('}', out);
        }
        json_expanded(out, &p->opts);
        if (s->nfacets) {
            fputs(",\"facets\":", out);
            json_facets(out, s);
        }
        json_partial(p);
        fputs("}\n", out);
        break;
    case FORMAT_TSV:
    case FORMAT_CSV: {
        char sep = p->opts.format == FORMAT_CSV ? ',' : '\t';
        fprintf(out, "facet%cvalue%cpassages\n", sep, sep);
        fprintf(out, "total%c%c%zu\nmentions%c%c%zu\n", sep, sep, s->total, sep, sep, s->mentions);
        for (size_t i = 0; i < s->nforms; i++) {
            fprintf(out, "form_mentions%c", sep);
            table_field(out, s->forms[i], p->opts.format == FORMAT_CSV);
            fprintf(out, "%c%zu\n", sep, s->form_mentions[i]);
        }
        for (size_t f = 0; f < s->nfacets; f++)
            for (size_t i = 0; i < s->facets[f].n; i++) {
                fprintf(out, "%s%c", s->facets[f].name, sep);
                table_field(out, s->facets[f].values[i].value, p->opts.format == FORMAT_CSV);
                fprintf(out, "%c%zu\n", sep, s->facets[f].values[i].count);
            }
        break;
    }
    case FORMAT_TEXT:
        fprintf(out, "%zu passages, %zu mentions", s->total, s->mentions);
        for (size_t i = 0; i < s->nforms; i++)
            fprintf(out, "%s%s %zu", i ? ", " : " (", s->forms[i], s->form_mentions[i]);
        fputs(s->nforms ? ")\n" : "\n", out);
        text_facets(out, s);
        break;
    default:
        break;
    }
    return printer_status(p);
}

void printer_free(printer *p) { free(p); }

int printer_measures_begin(printer *p)
{
    if (p->opts.format == FORMAT_JSON)
        fputs("{\"measures\":[", p->out);
    else if (p->opts.format == FORMAT_TSV || p->opts.format == FORMAT_CSV) {
        char sep = p->opts.format == FORMAT_CSV ? ',' : '\t';
        fprintf(p->out, "measure%csection%cministries%cfile%cpage%cpassages%cfiscal_years\n", sep,
                sep, sep, sep, sep, sep);
    }
    return printer_status(p);
}

static void json_measure(FILE *out, const measure_row *m)
{
    fputc('{', out);
    json_key(out, "measure", 1);
    json_string(out, m->measure);
    json_key(out, "section", 0);
    json_string(out, m->section);
    json_key(out, "ministries", 0);
    json_ministries(out, m->ministries, m->nministries);
    json_key(out, "file", 0);
    json_string(out, m->file);
    json_key(out, "title", 0);
    json_string(out, m->title);
    json_key(out, "page", 0);
    if (m->page > 0)
        fprintf(out, "%d", m->page);
    else
        fputs("null", out);
    json_key(out, "passages", 0);
    fprintf(out, "%zu", m->passages);
    json_key(out, "fiscal_years", 0);
    fputc('{', out);
    for (size_t i = 0; i < m->nfiscal_years; i++) {
        char key[16];
        if (m->fiscal_years[i] > 0)
            snprintf(key, sizeof key, "%d", m->fiscal_years[i]);
        else
            snprintf(key, sizeof key, "none");
        json_key(out, key, i == 0);
        fprintf(out, "%zu", m->fy_passages[i]);
    }
    fputs("}}", out);
}

static void write_measure(FILE *out, const void *m) { json_measure(out, m); }

int printer_measure(printer *p, const measure_row *m)
{
    FILE *out = p->out;
    if (json_item(p, write_measure, m)) {
        p->printed++;
        return printer_status(p);
    }
    switch (p->opts.format) {
    case FORMAT_TSV:
    case FORMAT_CSV: {
        int csv = p->opts.format == FORMAT_CSV;
        char sep = csv ? ',' : '\t', num[32];
        table_field(out, m->measure, csv);
        fputc(sep, out);
        table_field(out, m->section, csv);
        fputc(sep, out);
        plain_ministries(out, m->ministries, m->nministries);
        fputc(sep, out);
        table_field(out, m->file, csv);
        fputc(sep, out);
        if (m->page > 0)
            fprintf(out, "%d", m->page);
        snprintf(num, sizeof num, "%zu", m->passages);
        fprintf(out, "%c%s%c", sep, num, sep);
        for (size_t i = 0; i < m->nfiscal_years; i++) {
            if (m->fiscal_years[i] > 0)
                fprintf(out, "%s%d:%zu", i ? " " : "", m->fiscal_years[i], m->fy_passages[i]);
            else
                fprintf(out, "%snone:%zu", i ? " " : "", m->fy_passages[i]);
        }
        fputc('\n', out);
        break;
    }
    default: {
        const char *bold = p->opts.color ? "\033[1m" : "", *reset = p->opts.color ? "\033[0m" : "";
        fprintf(out, "%s%s%s\n", bold, m->measure[0] ? m->measure : "(no measure heading)", reset);
        if (m->section[0])
            fprintf(out, "   section: %s\n", m->section);
        if (m->nministries) {
            fputs("   ministries: ", out);
            plain_ministries(out, m->ministries, m->nministries);
            fputc('\n', out);
        }
        fprintf(out, "   source: %s", m->title);
        if (m->page > 0)
            fprintf(out, " p.%d", m->page);
        fprintf(out, " (%s)\n   passages: %zu", m->file, m->passages);
        for (size_t i = 0; i < m->nfiscal_years; i++) {
            char label[32];
            if (m->fiscal_years[i] <= 0 || era_format_fiscal_year(m->fiscal_years[i], label, sizeof label) < 0)
                snprintf(label, sizeof label, "%s", m->fiscal_years[i] > 0 ? "?" : "no fiscal year");
            fprintf(out, "%s%s: %zu", i ? ", " : " — ", label, m->fy_passages[i]);
        }
        fputs("\n\n", out);
    }
    }
    p->printed++;
    return printer_status(p);
}

int printer_measures_end(printer *p, size_t n)
{
    if (p->opts.format == FORMAT_JSON) {
        fprintf(p->out, "],\"total\":%zu", n);
        json_partial(p);
        fputs("}\n", p->out);
    }
    return printer_status(p);
}

/* --programs tsv/csv: one row per budget line, a spreadsheet's budget table. */
static const char *const PROGRAM_TABLE_COLUMNS[] = {
    "program", "fiscal_year", "kind", "amount_yen", "unit", "within", "parent", "file", "lines",
    "title", "url", "meeting", "date", "mentions", "passages", NULL};

int printer_programs_begin(printer *p)
{
    if (p->opts.format == FORMAT_JSON)
        fputs("{\"programs\":[", p->out);
    else if (p->opts.format == FORMAT_TSV || p->opts.format == FORMAT_CSV) {
        const char *sep = p->opts.format == FORMAT_CSV ? "," : "\t";
        for (size_t i = 0; PROGRAM_TABLE_COLUMNS[i]; i++)
            fprintf(p->out, "%s%s", i ? sep : "", PROGRAM_TABLE_COLUMNS[i]);
        fputc('\n', p->out);
    }
    return printer_status(p);
}

static void json_program(FILE *out, const program_row *r)
{
    fputc('{', out);
    json_key(out, "program", 1);
    json_string(out, r->name);
    json_key(out, "mentions", 0);
    fprintf(out, "%zu", r->mentions);
    json_key(out, "passages", 0);
    fprintf(out, "%zu", r->passages);
    json_key(out, "budgets", 0);
    fputc('[', out);
    for (size_t i = 0; i < r->nbudgets; i++) {
        const program_budget *b = &r->budgets[i];
        fputs(i ? ",{" : "{", out);
        json_key(out, "fiscal_year", 1);
        if (b->fiscal_year > 0)
            fprintf(out, "%d", b->fiscal_year);
        else
            fputs("null", out);
        json_key(out, "kind", 0);
        json_string(out, b->kind);
        json_key(out, "amount_yen", 0);
        if (b->amount_yen >= 0)
            fprintf(out, "%lld", b->amount_yen);
        else
            fputs("null", out);
        json_key(out, "within", 0);
        fputs(b->within ? "true" : "false", out);
        json_key(out, "parent", 0);
        if (b->parent[0])
            json_string(out, b->parent);
        else
            fputs("null", out);
        json_key(out, "file", 0);
        json_string(out, b->file);
        json_key(out, "lines", 0);
        fprintf(out, "[%s]", b->lines);
        json_key(out, "measure", 0);
        json_string(out, b->measure);
        json_key(out, "column", 0);
        fprintf(out, "%d", b->column);
        json_key(out, "column_fiscal_year", 0);
        if (b->column_fiscal_year > 0)
            fprintf(out, "%d", b->column_fiscal_year);
        else
            fputs("null", out);
        const struct { const char *key, *value; } strings[] = {
            {"unit", b->unit}, {"title", b->title}, {"url", b->url}, {"meeting", b->meeting},
            {"date", b->date}};
        for (size_t k = 0; k < sizeof strings / sizeof *strings; k++) {
            json_key(out, strings[k].key, 0);
            json_string(out, strings[k].value);
        }
        fputc('}', out);
    }
    fputc(']', out);
    json_key(out, "history", 0);
    fputc('[', out);
    for (size_t i = 0; i < r->nhistory; i++) {
        const program_history *h = &r->history[i];
        fputs(i ? ",{" : "{", out);
        json_key(out, "fiscal_year", 1);
        if (h->fiscal_year > 0)
            fprintf(out, "%d", h->fiscal_year);
        else
            fputs("null", out);
        json_key(out, "kind", 0);
        json_string(out, h->kind);
        json_key(out, "amount_yen", 0);
        if (h->amount_yen >= 0)
            fprintf(out, "%lld", h->amount_yen);
        else
            fputs("null", out);
        json_key(out, "within", 0);
        fputs(h->within ? "true" : "false", out);
        json_key(out, "sources", 0);
        fprintf(out, "%zu", h->sources);
        json_key(out, "change_yen", 0);
        if (h->has_change)
            fprintf(out, "%lld}", h->change_yen);
        else
            fputs("null}", out);
    }
    fputc(']', out);
    json_key(out, "successor_of", 0);
    json_string_list(out, r->successor_of, r->nsuccessor_of);
    json_key(out, "succeeded_by", 0);
    json_string_list(out, r->succeeded_by, r->nsucceeded_by);
    json_key(out, "materials", 0);
    fputc('[', out);
    for (size_t i = 0; i < r->nmaterials; i++) {
        const program_material *m = &r->materials[i];
        fputs(i ? ",{" : "{", out);
        json_key(out, "file", 1);
        json_string(out, m->file);
        json_key(out, "title", 0);
        json_string(out, m->title);
        json_key(out, "page", 0);
        if (m->page > 0)
            fprintf(out, "%d", m->page);
        else
            fputs("null", out);
        json_key(out, "url", 0);
        json_string(out, m->url);
        json_key(out, "meeting", 0);
        json_string(out, m->meeting);
        json_key(out, "date", 0);
        json_string(out, m->date);
        json_key(out, "passages", 0);
        fprintf(out, "%zu}", m->passages);
    }
    fputs("]}", out);
}

/* 1300000000 → "13億円", 9000000 → "900万円": how the materials write amounts. */
static void format_yen(char *out, size_t cap, long long yen)
{
    if (yen < 0)
        snprintf(out, cap, "?");
    else if (yen >= 100000000LL && yen % 1000000LL == 0)
        snprintf(out, cap, "%lld.%02lld億円", yen / 100000000LL, (yen % 100000000LL) / 1000000LL);
    else if (yen >= 10000LL && yen % 10000LL == 0)
        snprintf(out, cap, "%lld万円", yen / 10000LL);
    else if (yen >= 1000LL && yen % 1000LL == 0)
        snprintf(out, cap, "%lld千円", yen / 1000LL);
    else
        snprintf(out, cap, "%lld円", yen);
    /* Drop trailing zeros so that 13億円 and 3.9億円 read as written. */
    char *oku = strstr(out, "億");
    char *dot = strchr(out, '.');
    if (oku && dot && dot < oku) {
        char *z = oku;
        while (z > dot + 1 && z[-1] == '0')
            z--;
        if (z == dot + 1)
            z = dot;
        memmove(z, oku, strlen(oku) + 1);
    }
}

static void write_program(FILE *out, const void *r) { json_program(out, r); }

int printer_program(printer *p, const program_row *r)
{
    FILE *out = p->out;
    if (json_item(p, write_program, r)) {
        p->printed++;
        return printer_status(p);
    }
    switch (p->opts.format) {
    case FORMAT_TSV:
    case FORMAT_CSV: {
        /* One row per budget line (a program without budget lines gets one row). */
        int csv = p->opts.format == FORMAT_CSV;
        char sep = csv ? ',' : '\t';
        for (size_t i = 0; i < (r->nbudgets ? r->nbudgets : 1); i++) {
            table_field(out, r->name, csv);
            fputc(sep, out);
            if (r->nbudgets) {
                const program_budget *b = &r->budgets[i];
                if (b->fiscal_year > 0)
                    fprintf(out, "%d", b->fiscal_year);
                fprintf(out, "%c%s%c", sep, b->kind, sep);
                if (b->amount_yen >= 0)
                    fprintf(out, "%lld", b->amount_yen);
                fprintf(out, "%c%s%c%d", sep, b->unit, sep, b->within);
                const char *const fields[] = {b->parent, b->file, b->lines, b->title, b->url,
                                              b->meeting, b->date};
                for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
                    fputc(sep, out);
                    table_field(out, fields[k], csv);
                }
            } else {
                for (int k = 0; k < 11; k++)
                    fputc(sep, out);
            }
            fprintf(out, "%c%zu%c%zu\n", sep, r->mentions, sep, r->passages);
        }
        break;
    }
    default: {
        const char *bold = p->opts.color ? "\033[1m" : "", *reset = p->opts.color ? "\033[0m" : "";
        fprintf(out, "%s%s%s  %zu mentions in %zu passages\n", bold, r->name, reset, r->mentions,
                r->passages);
        for (size_t i = 0; i < r->nsuccessor_of; i++)
            fprintf(out, "   successor of: %s\n", r->successor_of[i]);
        for (size_t i = 0; i < r->nsucceeded_by; i++)
            fprintf(out, "   succeeded by: %s\n", r->succeeded_by[i]);
        if (r->nhistory)
            fprintf(out, "   %-7s %-23s %-14s %s\n", "history", "kind", "amount", "change");
        for (size_t i = 0; i < r->nhistory; i++) {
            const program_history *h = &r->history[i];
            char fy[16] = "FY?", amount[64], change[72] = "";
            if (h->fiscal_year > 0)
                snprintf(fy, sizeof fy, "FY%d", h->fiscal_year);
            format_yen(amount, sizeof amount, h->amount_yen);
            if (h->has_change) {
                format_yen(change + 1, sizeof change - 1,
                           h->change_yen < 0 ? -h->change_yen : h->change_yen);
                change[0] = h->change_yen < 0 ? '-' : '+';
            }
            fprintf(out, "   %-7s %-23s %-14s %s%s", fy, h->kind, amount, change,
                    h->within ? " (内数)" : "");
            if (h->sources > 1)
                fprintf(out, " (%zu statements)", h->sources);
            fputc('\n', out);
        }
        if (r->nhistory)
            fputs("   budget lines:\n", out);
        for (size_t i = 0; i < r->nbudgets; i++) {
            const program_budget *b = &r->budgets[i];
            char fy[16] = "FY?", amount[64];
            if (b->fiscal_year > 0)
                snprintf(fy, sizeof fy, "FY%d", b->fiscal_year);
            format_yen(amount, sizeof amount, b->amount_yen);
            const char *base = strrchr(b->file, '/');
            fprintf(out, "   %-7s %-23s %s", fy, b->kind, amount);
            if (b->within)
                fprintf(out, " (内数 of %s)", b->parent[0] ? b->parent : "a larger budget");
            else if (b->parent[0])
                fprintf(out, " (from %s)", b->parent);
            fprintf(out, "  %s:%s\n", base ? base + 1 : b->file, b->lines);
        }
        for (size_t i = 0; i < r->nmaterials; i++) {
            const program_material *m = &r->materials[i];
            fprintf(out, "   in: %s", m->title);
            if (m->page > 0)
                fprintf(out, " p.%d", m->page);
            if (m->meeting[0] || m->date[0])
                fprintf(out, " — %s%s%s", m->meeting, m->meeting[0] && m->date[0] ? " " : "",
                        m->date);
            fprintf(out, " (%zu passages) %s\n", m->passages, m->file);
        }
        fputc('\n', out);
        break;
    }
    }
    p->printed++;
    return printer_status(p);
}

int printer_programs_end(printer *p, size_t n)
{
    if (p->opts.format == FORMAT_JSON) {
        fprintf(p->out, "],\"total\":%zu", n);
        json_partial(p);
        fputs("}\n", p->out);
    }
    return printer_status(p);
}
