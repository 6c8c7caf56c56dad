/* opterr.h — the one-line message for a command-line option getopt_long refused (the programs
 * set opterr = 0 and print this instead of getopt's two lines). */
#ifndef SHIRYO_OPTERR_H
#define SHIRYO_OPTERR_H

#include <getopt.h>
#include <stddef.h>

/* Describes the failure getopt_long just returned (opt is '?' or ':'; the option string must
 * start with ':'), naming the option as the user typed it: "unknown option --frob",
 * "option --index needs a value". Writes into buf (cap bytes) and returns it. */
const char *sh_opterr(int opt, char *const *argv, const struct option *options, char *buf,
                      size_t cap);

#endif
