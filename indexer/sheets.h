/* sheets.h — budget lines of budget sheets read across a page's body lines: 事業概要 and 予算案
 * sheets (name / 令和6年度当初予算額 / 17百万円(17百万円)), 補正 sheets (令和6年度補正予算額 7.7 億円,
 * amount first then 施策名:), 概算要求 sheets (letter-spaced labels, values on later lines in the
 * labels' order) and 事項別表 tables (bare figures in a table-wide 千円). Owns this line-level
 * reading only; the inline 「X事業」(令和6年度予算:13億円) form is programs.h's. */
#ifndef SHIRYO_SHEETS_H
#define SHIRYO_SHEETS_H

#include <stddef.h>

#include "page.h"

#define SHEETS_MAX_PROGRAMS 512
#define SHEETS_MAX_BUDGETS 32
#define SHEETS_MAX_LINES 4

typedef struct sheet_budget {
    int fiscal_year;      /* Western; from the label (令和7年度要求額), else relative to it
                           * (前年度予算額, a parenthesised figure: the year before), else the
                           * document title (令和7年度概算要求); 0 when none says */
    const char *kind;     /* static PROGRAM_KIND_*: a parenthesised previous-year figure is a
                           * budget; without a label the title's kind (予算案 -> proposal) */
    long long amount_yen; /* -1 when it does not fit a long long */
    const char *unit;     /* static, as written: "百万円", "千円" (also a table-wide 千円), "億円" */
    int within;           /* 1 when written …の内数 */
    unsigned lines[SHEETS_MAX_LINES]; /* distinct source lines, ascending: name, label, figure */
    size_t nlines;
    unsigned figure_line; /* the line holding the figure */
} sheet_budget;

typedef struct sheet_program {
    char *name;           /* as written, without numbering ((3), 1., ①), bullets, 施策名: or 「」 */
    unsigned name_line;   /* the source line holding the name */
    sheet_budget *budgets;
    size_t nbudgets;
} sheet_program;

typedef struct sheet_set {
    sheet_program *items; /* in page order; only names that carry at least one budget line */
    size_t n;
} sheet_set;

/* Reads the budget sheets of a page: title is the page's title (fiscal year and kind of labels
 * that lack them), lines its body lines. Figures are kept only with a program name and a
 * fiscal year and kind from a label or the title; total rows (合計, 計, 小計), prose lines (。),
 * figures of people or cases (17百万人, 件数 1,234) and percentages are not budget lines, nor are
 * the inline amounts after a colon that programs.h reads (令和6年度予算:13億円).
 * Returns SH_OK with *out (free with sheet_set_destroy) or SH_ERR_NOMEM. Linear in the text. */
int sheets_extract(const char *title, const page_line *lines, size_t nlines, sheet_set **out,
                   char **errmsg);
void sheet_set_destroy(sheet_set *set);

#endif
