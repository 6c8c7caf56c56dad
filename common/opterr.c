/* opterr.c — one-line messages for refused command-line options (see opterr.h). */
#include "shiryo/opterr.h"

#include <stdio.h>
#include <string.h>

const char *sh_opterr(int opt, char *const *argv, const struct option *options, char *buf,
                      size_t cap)
{
    /* getopt_long leaves optind past the offending word (or past a missing value). */
    const char *word = optind > 0 ? argv[optind - 1] : "";
    const char *name = NULL;
    for (const struct option *o = options; optopt && o->name; o++)
        if (o->val == optopt)
            name = o->name;
    if (opt == ':') {
        if (name && optopt > 255)
            snprintf(buf, cap, "option --%s needs a value", name);
        else if (name && strncmp(word, "--", 2) == 0)
            snprintf(buf, cap, "option --%s needs a value", name);
        else
            snprintf(buf, cap, "option -%c needs a value", optopt);
    } else if (optopt && optopt < 256 && strncmp(word, "--", 2) != 0) {
        snprintf(buf, cap, "unknown option -%c", optopt);
    } else if (strncmp(word, "--", 2) == 0 && strchr(word, '=') && name) {
        snprintf(buf, cap, "option --%s takes no value: %s", name, word);
    } else {
        snprintf(buf, cap, "unknown option %s", word);
    }
    return buf;
}
