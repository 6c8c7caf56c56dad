/* about.h — what this build is (--version): shiryo's version with the Xapian, ICU and MeCab
 * (library and dictionary) versions it runs with, and the checked end of standard output. */
#ifndef SHIRYO_ABOUT_H
#define SHIRYO_ABOUT_H

#include <stdio.h>

/* Prints "PROGRAM VERSION" and one line per library to out. Returns 0, or -1 when writing
 * failed (the stream's error flag is set). */
int sh_about_print(FILE *out, const char *program);

/* Flushes and closes standard output. Returns 0 when every byte went out, else 2 (the error
 * exit status) after reporting the failed write once on stderr as "PROGRAM: cannot write to
 * standard output: REASON" -- except when the reader went away (EPIPE, SIGPIPE ignored: a
 * `| head` that has read enough), which is not worth a message. */
int sh_about_close_stdout(const char *program);

/* The same, for a program that saw a write to standard output fail earlier and kept its errno
 * (write_errno, 0 when unknown): stdio drops the bytes of a failed write, so the final flush may
 * have nothing left to fail on, and the reason given is then write_errno's. */
int sh_about_close_stdout_after(const char *program, int write_errno);

#endif
