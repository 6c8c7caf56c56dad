/* emit_text.c — the text view, for people: a reference line and the passage with its mentions
 * marked (« » or ANSI colour), measure and program blocks, counts and facets. Not field-table
 * driven: it shows what a reader needs, in the order a reader wants. */
#include "emit.h"

#include "shiryo/era.h"
#include "shiryo/norm.h"
#include "shiryo/utf8.h"
#include "shiryo/visible.h"

#include <string.h>

static int text_begin(emitter *e, const printer_opts *o)
{
    if (!o->nexpanded)
        return emit_status(e);
    fputs("expanded:", e->out);
    for (size_t i = 0; i < o->nexpanded; i++) {
        fprintf(e->out, "%s %s → ", i ? ";" : "", o->expanded[i].word);
        for (size_t f = 0; f < o->expanded[i].nforms; f++)
            fprintf(e->out, "%s%s", f ? " " : "", o->expanded[i].forms[f]);
    }
    fputs("  (--exact or =word: as typed)\n", e->out);
    return emit_status(e);
}

/* Byte offset of code point cp in s. */
static size_t byte_of_cp(const char *s, size_t cp)
{
    size_t b = 0;
    while (s[b] && cp > 0) {
        b++;
        while (sh_utf8_is_continuation((unsigned char)s[b]))
            b++;
        cp--;
    }
    return b;
}

static int text_result(emitter *e, const printer_opts *o, const result *r)
{
    FILE *out = e->out;
    const char *bold = o->color ? "\033[1m" : "", *dim = o->color ? "\033[2m" : "",
               *mark = o->color ? "\033[1;31m" : "", *reset = o->color ? "\033[0m" : "";
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
    if (o->context > 0 && r->nhighlights > 0) {
        size_t a = r->highlights[0].start, z = r->highlights[r->nhighlights - 1].end;
        from = a > o->context ? a - o->context : 0;
        to = z + o->context < ncp ? z + o->context : ncp;
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
        if (in_mark && !o->color)
            fputs("«", out);
        else if (in_mark)
            fputs(mark, out);
        fwrite(r->text + b0, 1, b1 - b0, out);
        if (in_mark && !o->color)
            fputs("»", out);
        else if (in_mark)
            fputs(reset, out);
        cp = next;
    }
    if (to < ncp)
        fputs("…", out);
    fputs("\n\n", out);
    return emit_status(e);
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

static int text_end(emitter *e, const printer_opts *o, size_t printed, const summary *s)
{
    (void)o;
    if (s->partial || s->page)
        fprintf(e->out, "(%zu exact of %s%zu, then %zu page and %zu partial: passages without "
                        "some of the words; --strict for exact matches only)\n",
                printed - s->partial - s->page, s->total_exact ? "" : "about ", s->total,
                s->page, s->partial);
    else if (printed < s->total)
        fprintf(e->out, "(%zu of %s%zu passages shown; --limit N or --all for more)\n",
                printed, s->total_exact ? "" : "about ", s->total);
    text_facets(e->out, s);
    return emit_status(e);
}

static int text_count(emitter *e, const printer_opts *o, const summary *s)
{
    (void)o;
    fprintf(e->out, "%zu passages, %zu mentions", s->total, s->mentions);
    for (size_t i = 0; i < s->nforms; i++)
        fprintf(e->out, "%s%s %zu", i ? ", " : " (", s->forms[i], s->form_mentions[i]);
    fputs(s->nforms ? ")\n" : "\n", e->out);
    text_facets(e->out, s);
    return emit_status(e);
}

/* 経済産業省、◎厚生労働省 */
static void text_ministries(FILE *out, const result_ministry *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s%s", i ? "、" : "", m[i].lead ? "◎" : "", m[i].name);
}

static int text_measure(emitter *e, const printer_opts *o, const measure_row *m)
{
    FILE *out = e->out;
    const char *bold = o->color ? "\033[1m" : "", *reset = o->color ? "\033[0m" : "";
    fprintf(out, "%s%s%s\n", bold, m->measure[0] ? m->measure : "(no measure heading)", reset);
    if (m->section[0])
        fprintf(out, "   section: %s\n", m->section);
    if (m->nministries) {
        fputs("   ministries: ", out);
        text_ministries(out, m->ministries, m->nministries);
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
    return emit_status(e);
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

static int text_program(emitter *e, const printer_opts *o, const program_row *r)
{
    FILE *out = e->out;
    const char *bold = o->color ? "\033[1m" : "", *reset = o->color ? "\033[0m" : "";
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
    return emit_status(e);
}

const emit_view emit_text = {
    .begin = text_begin,
    .result = text_result,
    .end = text_end,
    .count = text_count,
    .measure = text_measure,
    .program = text_program,
};
