/* test_printer.c — the printer's field tables and emitters: every field of each table appears
 * in the json of a record, in table order, and every column in the tsv/csv header, with as many
 * cells in each row; --fields picks and orders columns and names all of them when one is
 * unknown; one record's json, tsv and csv byte for byte; the quoting of tsv, csv and json
 * strings (RFC 4180, control characters, bytes that are not UTF-8). */
#include "check.h"
#include "emit.h"
#include "printer.h"

#include "shiryo/status.h"

static unsigned lines[] = {12, 14};
static result_ministry ministries[] = {{"経済産業省", 1}, {"厚生労働省", 0}};
static result_span spans[] = {{0, 2}, {5, 7}};
static const char *const forms[] = {"連携"};
static const result sample = {
    .rank = 1, .score = 1.5, .file = "/x/a,b.txt", .lines = lines, .nlines = 2,
    .title = "資料 \"1\"", .material = "資料1", .url = "https://example.jp/", .source = "出典",
    .meeting = "検討会", .session = "第5回", .date = "3/17", .publisher = "厚生労働省",
    .joint = "", .page = 3, .section = "節", .measure = "施策,A", .column = 2,
    .column_label = "令和6年度の実績", .fiscal_year = 2024, .fiscal_year_label = "令和6年度",
    .ministries = ministries, .nministries = 2, .text = "連携の\t推進\n", .highlights = spans,
    .nhighlights = 2, .matched_forms = forms, .nmatched_forms = 1, .match = "exact"};
static const int fys[] = {0, 2024};
static const size_t fy_passages[] = {1, 4};
static const measure_row sample_measure = {"施策", "節", "/x/a.txt", "資料", 0, ministries, 1, 5,
                                           fys, fy_passages, 2};
static const program_budget budgets[] = {
    {.fiscal_year = 2024, .kind = "budget", .amount_yen = 1300000000LL, .parent = "",
     .file = "/x/a.txt", .lines = "12,13", .measure = "施策", .column = 2,
     .column_fiscal_year = 2024, .unit = "億円", .title = "資料", .url = "u", .meeting = "m",
     .date = "d"},
    {.fiscal_year = 0, .kind = "proposal", .amount_yen = -1, .within = 1, .parent = "親",
     .file = "/x/b.txt", .lines = "7", .measure = "", .unit = "", .title = "t", .url = "",
     .meeting = "", .date = ""}};
static const program_history history[] = {
    {.fiscal_year = 2024, .kind = "budget", .amount_yen = 1300000000LL, .sources = 2,
     .has_change = 1, .change_yen = -5}};
static const program_material materials[] = {
    {.file = "/x/a.txt", .title = "資料", .url = "u", .meeting = "m", .date = "d", .page = 3,
     .passages = 1}};
static const char *const successors[] = {"後継事業"};
static const program_row sample_program = {
    .name = "医工連携事業", .mentions = 2, .passages = 1, .budgets = budgets, .nbudgets = 2,
    .succeeded_by = successors, .nsucceeded_by = 1, .materials = materials, .nmaterials = 1,
    .history = history, .nhistory = 1};
static const program_row bare_program = {.name = "名前だけ", .mentions = 1, .passages = 1};

enum what { RESULT, MEASURE, PROGRAM, BARE_PROGRAM };

/* The output of one record of kind what in format (unframed: no envelope, tsv/csv with the
 * header row), malloc'd. */
static char *print(int format, enum what what, const char *fields)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        CHECK(out != NULL);
        return NULL;
    }
    printer_opts opts = {.format = format, .query = "連携", .unframed = what != RESULT,
                         .fields = fields};
    printer *p = NULL;
    char *err = NULL;
    int rc = printer_new(out, &opts, &p, &err);
    CHECK_MSG(rc == SH_OK, "printer_new: %s", err ? err : "?");
    if (!rc) {
        switch (what) {
        case RESULT: rc = printer_result(p, &sample); break;
        case MEASURE:
            rc = printer_measures_begin(p) || printer_measure(p, &sample_measure) ||
                 printer_measures_end(p, 1);
            break;
        default:
            rc = printer_programs_begin(p) ||
                 printer_program(p, what == PROGRAM ? &sample_program : &bare_program) ||
                 printer_programs_end(p, 1);
        }
        CHECK(rc == SH_OK);
    }
    printer_free(p);
    free(err);
    fclose(out);
    return buf;
}

/* Every field name of t is a key of the json, in table order; nested tables likewise. */
static void check_json_keys(const char *json, const printer_table *t, const char *what)
{
    const char *at = json;
    for (size_t i = 0; i < t->n; i++) {
        char key[64];
        snprintf(key, sizeof key, "\"%s\":", t->fields[i].name);
        const char *found = strstr(at, key);
        CHECK_MSG(found != NULL, "%s json: no key %s after %.40s", what, key, at);
        if (!found)
            continue;
        if (t->fields[i].type == PRINTER_RECORDS)
            check_json_keys(found, t->fields[i].records, t->fields[i].name);
        at = found + strlen(key);
    }
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

/* The columns of t (and of its nested list that makes rows) are the header's names. */
static void check_header(const char *tsv, const printer_table *t, const char *what)
{
    size_t columns = 0, cells = 1;
    for (size_t i = 0; i < t->n; i++) {
        const printer_field *f = &t->fields[i];
        const printer_table *sub = f->type == PRINTER_RECORDS ? f->records : NULL;
        for (size_t k = 0; k < (sub ? sub->n : 1); k++) {
            const printer_field *c = sub ? &sub->fields[k] : f;
            if (!c->column)
                continue;
            columns++;
            char cell[64];
            size_t len = strlen(c->name);
            snprintf(cell, sizeof cell, "%s", c->name);
            const char *h = tsv, *end = strchr(tsv, '\n');
            int found = 0;
            while (h && h < end) {
                size_t n = strcspn(h, "\t\n");
                found |= n == len && strncmp(h, cell, len) == 0;
                h += n + 1;
            }
            CHECK_MSG(found, "%s tsv header lacks column %s", what, c->name);
        }
    }
    for (const char *h = tsv; *h && *h != '\n'; h++)
        cells += *h == '\t';
    CHECK_MSG(cells == columns, "%s tsv header: %zu cells, %zu columns", what, cells, columns);
    /* Every row has as many cells. */
    for (const char *row = tsv; *row; row = strchr(row, '\n') + 1) {
        size_t n = 1;
        for (const char *c = row; *c != '\n'; c++)
            n += *c == '\t';
        CHECK_MSG(n == columns, "%s tsv row of %zu cells: %.60s", what, n, row);
    }
}

/* What emit_table_field (csv: 1, tsv: 0) or emit_json_string (-1) writes for s, malloc'd. */
static char *quoted(int how, const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out) {
        CHECK(out != NULL);
        return NULL;
    }
    CHECK((how < 0 ? emit_json_string(out, s) : emit_table_field(out, s, how)) == SH_OK);
    fclose(out);
    return buf;
}

#define CHECK_OUT(expr, want)                                                                  \
    do {                                                                                       \
        char *got_ = (expr);                                                                   \
        CHECK_STR(got_, want);                                                                 \
        free(got_);                                                                            \
    } while (0)

int main(void)
{
    /* Field tables: json keys and tsv/csv columns. */
    char *json = print(FORMAT_JSONL, RESULT, NULL);
    REQUIRE(json);
    check_json_keys(json, &printer_result_table, "result");
    CHECK(count_char(json, '\n') == 1 && json[strlen(json) - 1] == '\n');
    free(json);
    json = print(FORMAT_JSONL, MEASURE, NULL);
    check_json_keys(json, &printer_measure_table, "measure");
    free(json);
    json = print(FORMAT_JSONL, PROGRAM, NULL);
    check_json_keys(json, &printer_program_table, "program");
    free(json);
    char *tsv = print(FORMAT_TSV, RESULT, NULL);
    check_header(tsv, &printer_result_table, "result");
    CHECK(count_char(tsv, '\n') == 2);
    free(tsv);
    tsv = print(FORMAT_TSV, MEASURE, NULL);
    check_header(tsv, &printer_measure_table, "measure");
    free(tsv);
    tsv = print(FORMAT_TSV, PROGRAM, NULL);
    check_header(tsv, &printer_program_table, "program");
    CHECK(count_char(tsv, '\n') == 3); /* a row per budget line */
    free(tsv);
    tsv = print(FORMAT_TSV, BARE_PROGRAM, NULL);
    check_header(tsv, &printer_program_table, "bare program");
    free(tsv);

    /* One record of each kind, byte for byte. */
    CHECK_OUT(print(FORMAT_JSONL, RESULT, NULL),
              "{\"rank\":1,\"score\":1.5000,\"file\":\"/x/a,b.txt\",\"line_start\":12,"
              "\"line_end\":14,\"lines\":[12,14],\"title\":\"資料 \\\"1\\\"\",\"material\":\"資料1\","
              "\"url\":\"https://example.jp/\",\"source\":\"出典\",\"meeting\":\"検討会\","
              "\"session\":\"第5回\",\"date\":\"3/17\",\"publisher\":\"厚生労働省\",\"joint\":\"\","
              "\"page\":3,\"section\":\"節\",\"measure\":\"施策,A\",\"column\":2,"
              "\"column_label\":\"令和6年度の実績\",\"fiscal_year\":2024,"
              "\"fiscal_year_label\":\"令和6年度\",\"ministries\":[{\"name\":\"経済産業省\","
              "\"lead\":true},{\"name\":\"厚生労働省\",\"lead\":false}],"
              "\"text\":\"連携の\\t推進\\n\",\"highlights\":[[0,2],[5,7]],"
              "\"matched_forms\":[\"連携\"],\"match\":\"exact\",\"missing\":[]}\n");
    CHECK_OUT(print(FORMAT_CSV, RESULT, "rank,measure,text,ministries,lines,highlights,page"),
              "rank,measure,text,ministries,lines,highlights,page\n"
              "1,\"施策,A\",\"連携の\t推進\n\",◎経済産業省、厚生労働省,12 14,0-2 5-7,3\n");
    CHECK_OUT(print(FORMAT_TSV, RESULT, "title,text,fiscal_year"),
              "title\ttext\tfiscal_year\n資料 \"1\"\t連携の 推進 \t2024\n");
    CHECK_OUT(print(FORMAT_JSON, MEASURE, NULL),
              "{\"measures\":[{\"measure\":\"施策\",\"section\":\"節\",\"ministries\":[{\"name\":"
              "\"経済産業省\",\"lead\":true}],\"file\":\"/x/a.txt\",\"title\":\"資料\",\"page\":null,"
              "\"passages\":5,\"fiscal_years\":{\"none\":1,\"2024\":4}}],\"total\":1}\n");
    CHECK_OUT(print(FORMAT_CSV, MEASURE, NULL),
              "measure,section,ministries,file,page,passages,fiscal_years\n"
              "施策,節,◎経済産業省,/x/a.txt,,5,none:1 2024:4\n");
    CHECK_OUT(print(FORMAT_JSON, PROGRAM, NULL),
              "{\"programs\":[{\"program\":\"医工連携事業\",\"mentions\":2,\"passages\":1,"
              "\"budgets\":[{\"fiscal_year\":2024,\"kind\":\"budget\",\"amount_yen\":1300000000,"
              "\"within\":false,\"parent\":null,\"file\":\"/x/a.txt\",\"lines\":[12,13],"
              "\"measure\":\"施策\",\"column\":2,\"column_fiscal_year\":2024,\"unit\":\"億円\","
              "\"title\":\"資料\",\"url\":\"u\",\"meeting\":\"m\",\"date\":\"d\"},"
              "{\"fiscal_year\":null,\"kind\":\"proposal\",\"amount_yen\":null,\"within\":true,"
              "\"parent\":\"親\",\"file\":\"/x/b.txt\",\"lines\":[7],\"measure\":\"\",\"column\":0,"
              "\"column_fiscal_year\":null,\"unit\":\"\",\"title\":\"t\",\"url\":\"\","
              "\"meeting\":\"\",\"date\":\"\"}],\"history\":[{\"fiscal_year\":2024,"
              "\"kind\":\"budget\",\"amount_yen\":1300000000,\"within\":false,\"sources\":2,"
              "\"change_yen\":-5}],\"successor_of\":[],\"succeeded_by\":[\"後継事業\"],"
              "\"materials\":[{\"file\":\"/x/a.txt\",\"title\":\"資料\",\"page\":3,\"url\":\"u\","
              "\"meeting\":\"m\",\"date\":\"d\",\"passages\":1}]}],\"total\":1}\n");
    CHECK_OUT(print(FORMAT_TSV, PROGRAM, NULL),
              "program\tfiscal_year\tkind\tamount_yen\tunit\twithin\tparent\tfile\tlines\ttitle\t"
              "url\tmeeting\tdate\tmentions\tpassages\n"
              "医工連携事業\t2024\tbudget\t1300000000\t億円\t0\t\t/x/a.txt\t12,13\t資料\tu\tm\td\t2\t1\n"
              "医工連携事業\t\tproposal\t\t\t1\t親\t/x/b.txt\t7\tt\t\t\t\t2\t1\n");
    CHECK_OUT(print(FORMAT_CSV, BARE_PROGRAM, NULL),
              "program,fiscal_year,kind,amount_yen,unit,within,parent,file,lines,title,url,"
              "meeting,date,mentions,passages\n名前だけ,,,,,,,,,,,,,1,1\n");

    /* --fields: an unknown column is refused with the list of every column. */
    printer_opts opts = {.format = FORMAT_CSV, .fields = "rank,nope"};
    printer *p = NULL;
    char *err = NULL;
    CHECK(printer_new(stdout, &opts, &p, &err) == SH_ERR_INVALID);
    CHECK(p == NULL);
    CHECK(err && strstr(err, "unknown column \"nope\""));
    for (size_t i = 0; err && i < printer_result_table.n; i++)
        if (printer_result_table.fields[i].column)
            CHECK_MSG(strstr(err, printer_result_table.fields[i].name), "message lacks %s",
                      printer_result_table.fields[i].name);
    free(err);
    err = NULL;
    opts.fields = "";
    CHECK(printer_new(stdout, &opts, &p, &err) == SH_ERR_INVALID);
    CHECK(err && strstr(err, "at least one column"));
    free(err);
    err = NULL;
    opts.fields = "matched_forms"; /* json only */
    CHECK(printer_new(stdout, &opts, &p, &err) == SH_ERR_INVALID);
    free(err);

    /* Quoting. */
    CHECK_OUT(quoted(1, "plain 連携"), "plain 連携");
    CHECK_OUT(quoted(1, "a,b"), "\"a,b\"");
    CHECK_OUT(quoted(1, "say \"hi\""), "\"say \"\"hi\"\"\"");
    CHECK_OUT(quoted(1, "two\nlines"), "\"two\nlines\"");
    CHECK_OUT(quoted(1, "cr\rhere"), "\"cr\rhere\"");
    CHECK_OUT(quoted(1, "tab\tkept"), "tab\tkept");
    CHECK_OUT(quoted(1, ""), "");
    CHECK_OUT(quoted(0, "tab\there\nand\rcr,\"q\""), "tab here and cr,\"q\"");
    CHECK_OUT(quoted(-1, "a\"b\\c\n\r\t\x01/é連携"), "\"a\\\"b\\\\c\\n\\r\\t\\u0001/é連携\"");
    CHECK_OUT(quoted(-1, "sjis\x93\xfa"), "\"sjis\\udc93\\udcfa\"");
    CHECK_OUT(quoted(-1, "cut\xe9\x80"), "\"cut\\udce9\\udc80\"");
    CHECK_OUT(quoted(-1, ""), "\"\"");
    CHECK(printer_format_from_name("csv") == FORMAT_CSV);
    CHECK(printer_format_from_name("jsonl") == FORMAT_JSONL);
    CHECK(printer_format_from_name("xml") == -1);
    return check_done();
}
