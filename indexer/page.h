/* page.h — parses one page file (UTF-8 text already decoded) into its header metadata and its
 * numbered body lines. Owns header recognition, boilerplate removal and repeated-body removal;
 * it does not split columns or build passages (columns.c and passage.c do). */
#ifndef SHIRYO_PAGE_H
#define SHIRYO_PAGE_H

#include <stddef.h>

typedef struct page_line {
    unsigned lineno;    /* 1-based line number in the file */
    const char *text;   /* points into page.buffer; not NUL-terminated at len; no CR/LF */
    size_t len;         /* bytes, trailing whitespace removed */
} page_line;

typedef struct page {
    /* Header fields: never NULL ("" when absent), NUL-terminated, UTF-8. */
    char *title;        /* title without the "(N ページ)" suffix; file name when no header */
    char *material;     /* material id such as "資料2-1" (first title word), or "" */
    char *url;          /* 公開元URL */
    char *source;       /* whole 出典情報 text */
    char *meeting;      /* 出典情報 without session/date/publisher */
    char *session;      /* "第5回", "令和5年度第1回", "第 591 回" as written, or "" */
    char *date;         /* "3/17" as written */
    char *publisher;    /* inside 《…》 */
    char *joint;        /* the other meetings of a joint meeting, as written after the first
                         * one's round ("B部会(第4回 12/11)(合同開催)"), or "" */
    int page_no;        /* from "(N ページ)"; 0 when unknown */
    int has_header;     /* 1 if the materials-site header was recognised */
    unsigned repeat_from;  /* 1-based line where a dropped repeated copy of the body began; 0 if none */
    page_line *lines;   /* body lines in file order (boilerplate, trailer page number and repeat removed);
                         * blank lines inside the body are kept as len-0 lines (paragraph breaks),
                         * leading and trailing blank lines are not */
    size_t nlines;
    char *buffer;       /* private: owns the bytes lines point into */
} page;

/* Parses data (len bytes of valid UTF-8; CR, CRLF and LF line ends accepted; a leading BOM
 * skipped). file_name is used as the title when the file has no header.
 * Returns SH_OK and a page the caller frees with page_destroy, or SH_ERR_NOMEM. Never fails on
 * content: a file without the header is plain text. */
int page_parse(const char *file_name, const char *data, size_t len, page **out, char **errmsg);

void page_destroy(page *p);

#endif
