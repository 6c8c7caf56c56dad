/* emit_json.c — the json emitter (json and jsonl: they differ only in how printer.c frames a
 * list): compact, keys in table order, a newline after each top-level value. */
#include "emit.h"

#include "shiryo/norm.h"
#include "shiryo/status.h"
#include "shiryo/utf8.h"

#include <string.h>

/* Writes the UTF-8 sequence at p, or, for a byte that starts none (a file name in Shift_JIS),
 * the escape \udcXX of Python's surrogateescape, so the JSON stays valid and the bytes can be
 * recovered (os.fsencode). Returns the bytes consumed. */
static size_t json_utf8(FILE *out, const unsigned char *p)
{
    size_t n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 1, have = 1;
    while (have < n && sh_utf8_is_continuation(p[have]))
        have++;
    if (n > 1 && have == n && sh_utf8_valid((const char *)p, n)) {
        fwrite(p, 1, n, out);
        return n;
    }
    fprintf(out, "\\udc%02x", *p);
    return 1;
}

int emit_json_string(FILE *out, const char *s)
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
    return fputc('"', out) == EOF ? SH_ERR_IO : SH_OK;
}

/* Before a value: the comma after its container's previous value (unless it follows a key;
 * top-level values are lines of their own). */
static void json_before(emitter *e)
{
    if (e->keyed)
        e->keyed = 0;
    else if (e->depth && e->items[e->depth]++)
        fputc(',', e->out);
}

/* After a value: a top-level one ends its line. */
static int json_after(emitter *e)
{
    if (e->depth == 0)
        fputc('\n', e->out);
    return emit_status(e);
}

static int json_open(emitter *e, char c)
{
    if (e->depth + 1 >= EMIT_MAX_DEPTH) /* deeper than any record the printer writes */
        return SH_ERR_INVALID;
    json_before(e);
    fputc(c, e->out);
    e->items[++e->depth] = 0;
    return emit_status(e);
}

static int json_close(emitter *e, char c)
{
    fputc(c, e->out);
    if (e->depth > 0)
        e->depth--;
    return json_after(e);
}

static int json_begin_map(emitter *e) { return json_open(e, '{'); }
static int json_end_map(emitter *e) { return json_close(e, '}'); }
static int json_begin_list(emitter *e) { return json_open(e, '['); }
static int json_end_list(emitter *e) { return json_close(e, ']'); }

static int json_key(emitter *e, const char *key)
{
    json_before(e);
    emit_json_string(e->out, key);
    fputc(':', e->out);
    e->keyed = 1;
    return emit_status(e);
}

static int json_string(emitter *e, const char *s)
{
    json_before(e);
    emit_json_string(e->out, s);
    return json_after(e);
}

/* A number, true, false or null: written as it is. */
static int json_atom(emitter *e, const char *text)
{
    json_before(e);
    fputs(text, e->out);
    return json_after(e);
}

static int json_integer(emitter *e, long long v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", v);
    return json_atom(e, text);
}

static int json_decimal(emitter *e, double v)
{
    char text[64];
    snprintf(text, sizeof text, "%.4f", v);
    return json_atom(e, text);
}

static int json_boolean(emitter *e, int v) { return json_atom(e, v ? "true" : "false"); }
static int json_null(emitter *e) { return json_atom(e, "null"); }

const emit_ops emit_json = {
    .flat = 0,
    .begin_map = json_begin_map,
    .end_map = json_end_map,
    .begin_list = json_begin_list,
    .end_list = json_end_list,
    .key = json_key,
    .string = json_string,
    .integer = json_integer,
    .decimal = json_decimal,
    .boolean = json_boolean,
    .null = json_null,
};
