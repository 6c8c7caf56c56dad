/* test_printer_errors.c — every printer call reports a failed write: on /dev/full (each write
 * fails at once, the stream unbuffered) each call that writes returns SH_ERR_IO in every
 * format, later calls on the failed stream too; on a working stream they return SH_OK. */
#include "check.h"
#include "printer.h"

#include "shiryo/status.h"

#include <errno.h>

static const char *const format_names[] = {"text", "json", "jsonl", "tsv", "csv"};

static unsigned lines[] = {12, 13};
static result_ministry ministries[] = {{"経済産業省", 1}, {"厚生労働省", 0}};
static result_span spans[] = {{0, 2}};
static const result sample_result = {
    .rank = 1, .score = 1.5, .file = "/x/a.txt", .lines = lines, .nlines = 2, .title = "資料",
    .material = "", .url = "https://example.jp/", .source = "", .meeting = "", .session = "",
    .date = "", .publisher = "", .joint = "", .page = 3, .section = "", .measure = "施策", .column = 2,
    .column_label = "令和6年度の実績", .fiscal_year = 2024, .fiscal_year_label = "令和6年度",
    .ministries = ministries, .nministries = 2, .text = "連携の推進", .highlights = spans,
    .nhighlights = 1, .match = "exact"};
static const int fys[] = {2024};
static const size_t fy_passages[] = {4};
static const measure_row sample_measure = {"施策", "", "/x/a.txt", "資料", 3, ministries, 2, 4,
                                           fys, fy_passages, 1};
static const program_budget budgets[] = {
    {.fiscal_year = 2024, .kind = "budget", .amount_yen = 1300000000LL, .parent = "",
     .file = "/x/a.txt", .lines = "12,13", .measure = "施策", .column = 2,
     .column_fiscal_year = 2024, .unit = "億円", .title = "資料", .url = "https://example.jp/",
     .meeting = "検討会", .date = "3/17"}};
static const program_history history[] = {
    {.fiscal_year = 2024, .kind = "budget", .amount_yen = 1300000000LL, .sources = 1}};
static const program_material materials[] = {
    {.file = "/x/a.txt", .title = "資料", .url = "https://example.jp/", .meeting = "検討会",
     .date = "3/17", .page = 3, .passages = 1}};
static const program_row sample_program = {
    .name = "医工連携事業", .mentions = 2, .passages = 1, .budgets = budgets, .nbudgets = 1,
    .materials = materials, .nmaterials = 1, .history = history, .nhistory = 1};
static const summary sample_summary = {.total = 5, .total_exact = 1, .mentions = 7,
                                       .have_mentions = 1};

enum call { CALL_RESULT, CALL_END, CALL_COUNT, CALL_MEASURES_BEGIN, CALL_MEASURE,
            CALL_MEASURES_END, CALL_PROGRAMS_BEGIN, CALL_PROGRAM, CALL_PROGRAMS_END, NCALLS };
static const char *const call_names[] = {"result", "end", "count", "measures_begin", "measure",
                                         "measures_end", "programs_begin", "program",
                                         "programs_end"};

static int call(printer *p, int which)
{
    switch (which) {
    case CALL_RESULT: return printer_result(p, &sample_result);
    case CALL_END: return printer_end(p, &sample_summary);
    case CALL_COUNT: return printer_count(p, &sample_summary);
    case CALL_MEASURES_BEGIN: return printer_measures_begin(p);
    case CALL_MEASURE: return printer_measure(p, &sample_measure);
    case CALL_MEASURES_END: return printer_measures_end(p, 1);
    case CALL_PROGRAMS_BEGIN: return printer_programs_begin(p);
    case CALL_PROGRAM: return printer_program(p, &sample_program);
    default: return printer_programs_end(p, 1);
    }
}

/* Does the call write anything in this format (unframed listings, as main uses them for
 * --count, --list and --programs; framed for result lists)? */
static int writes(int format, int which)
{
    int json = format == FORMAT_JSON, table = format == FORMAT_TSV || format == FORMAT_CSV;
    switch (which) {
    case CALL_END: return json || format == FORMAT_TEXT; /* text: "(1 of 5 shown)" */
    case CALL_MEASURES_BEGIN: case CALL_PROGRAMS_BEGIN: return json || table;
    case CALL_MEASURES_END: case CALL_PROGRAMS_END: return json;
    default: return 1;
    }
}

static FILE *open_full(void)
{
    FILE *f = fopen("/dev/full", "w");
    if (f)
        setvbuf(f, NULL, _IONBF, 0);
    return f;
}

int main(void)
{
    for (int format = 0; format < 5; format++) {
        for (int which = 0; which < NCALLS; which++) {
            int framed = which == CALL_RESULT || which == CALL_END;
            printer_opts opts = {.format = format, .query = "連携", .unframed = !framed};
            char *err = NULL;

            /* A working stream: SH_OK. */
            FILE *good = tmpfile();
            REQUIRE(good);
            printer *p = NULL;
            CHECK(printer_new(good, &opts, &p, &err) == SH_OK);
            REQUIRE(p);
            if (which == CALL_END)
                CHECK(printer_result(p, &sample_result) == SH_OK);
            CHECK_MSG(call(p, which) == SH_OK, "%s %s on a file", format_names[format],
                      call_names[which]);
            CHECK(printer_write_errno(p) == 0);
            printer_free(p);
            fclose(good);

            /* /dev/full: the call that writes fails, and so does every later call. */
            FILE *full = open_full();
            REQUIRE(full);
            p = NULL;
            int rc = printer_new(full, &opts, &p, &err);
            int header = framed && format != FORMAT_TEXT && format != FORMAT_JSONL;
            CHECK_MSG(rc == (header ? SH_ERR_IO : SH_OK), "%s printer_new on /dev/full: %d",
                      format_names[format], rc);
            REQUIRE(p);
            if (!header) {
                rc = call(p, which);
                CHECK_MSG(rc == (writes(format, which) ? SH_ERR_IO : SH_OK),
                          "%s %s on /dev/full: %d", format_names[format], call_names[which], rc);
            }
            CHECK_MSG(printer_result(p, &sample_result) == SH_ERR_IO, "%s result after %s",
                      format_names[format], call_names[which]);
            CHECK_MSG(call(p, which) == SH_ERR_IO, "%s %s after a failed write",
                      format_names[format], call_names[which]);
            /* The reason is kept for the report when stdout closes. */
            CHECK_MSG(printer_write_errno(p) == ENOSPC, "%s %s: kept errno %d",
                      format_names[format], call_names[which], printer_write_errno(p));
            printer_free(p);
            fclose(full);
            free(err);
        }
    }
    return check_done();
}
