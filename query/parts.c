/* parts.c — the list of parts a search runs over (index directories and xapian-tcpsrv servers),
 * the cluster file syntax, connecting to servers and naming the parts that fail. */
#include "parts.h"

#include "shiryo/buf.h"
#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Splits "tcp://host:port" (host may be "[v6addr]") into a malloc'd host and a port. */
static int parse_tcp(const char *spec, char **host, unsigned *port)
{
    const char *h = spec + strlen(PARTS_TCP_SCHEME), *end;
    size_t hlen;
    if (*h == '[') {
        end = strchr(h, ']');
        if (!end || end[1] != ':')
            return 0;
        h++;
        hlen = (size_t)(end - h);
        end++;
    } else {
        end = strrchr(h, ':');
        if (!end)
            return 0;
        hlen = (size_t)(end - h);
    }
    char *num_end = NULL;
    errno = 0;
    unsigned long v = strtoul(end + 1, &num_end, 10);
    if (hlen == 0 || !isdigit((unsigned char)end[1]) || *num_end || errno || v == 0 || v > 65535)
        return 0;
    if (!(*host = strndup(h, hlen)))
        return -1;
    *port = (unsigned)v;
    return 1;
}

/* Adds one part (a directory or tcp://host:port); where names the cluster file line, if any. */
static int add_part(parts *ps, const char *spec, const char *where, char **errmsg)
{
    const char *at = where ? where : "--index", *sep = ": ";
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->items[i].name, spec) == 0)
            return sh_fail(errmsg, SH_ERR_INVALID,
                           "%s%spart %s is listed twice: list each index once, or its passages "
                           "count twice", at, sep, spec);
    part *items = sh_array_grow(ps->items, &ps->cap, ps->n + 1, sizeof *items);
    if (!items)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    ps->items = items;
    part *p = &ps->items[ps->n];
    memset(p, 0, sizeof *p);
    if (!(p->name = strdup(spec)))
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (strncmp(spec, PARTS_TCP_SCHEME, strlen(PARTS_TCP_SCHEME)) == 0) {
        int ok = parse_tcp(spec, &p->host, &p->port);
        if (ok <= 0) {
            free(p->name);
            return ok < 0 ? sh_fail(errmsg, SH_ERR_NOMEM, "out of memory")
                          : sh_fail(errmsg, SH_ERR_INVALID,
                                    "%s%sbad remote part \"%s\": write tcp://HOST:PORT (the "
                                    "--interface and --port of its xapian-tcpsrv)", at, sep, spec);
        }
    }
    ps->n++;
    return SH_OK;
}

/* Reads a cluster file: one part per line, '#' comments, blank lines ignored. */
static int add_cluster_file(parts *ps, const char *path, char **errmsg)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sh_fail(errmsg, SH_ERR_IO, "cannot read cluster file %s: %s", path, strerror(errno));
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char line[4096], where[4200];
    unsigned lineno = 0, added = 0;
    int rc = SH_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        snprintf(where, sizeof where, "%s:%u", path, lineno);
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = sh_fail(errmsg, SH_ERR_INVALID, "%s: line too long: one part per line", where);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line, *e = line + strlen(line);
        while (*s && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (!*s)
            continue;
        if (*s != '/' && strncmp(s, PARTS_TCP_SCHEME, strlen(PARTS_TCP_SCHEME)) != 0 && dirlen) {
            char joined[8400];
            snprintf(joined, sizeof joined, "%.*s%s", (int)dirlen, path, s);
            rc = add_part(ps, joined, where, errmsg);
        } else {
            rc = add_part(ps, s, where, errmsg);
        }
        added += !rc;
    }
    if (!rc && ferror(f))
        rc = sh_fail(errmsg, SH_ERR_IO, "cannot read cluster file %s: %s", path, strerror(errno));
    fclose(f);
    if (!rc && added == 0)
        rc = sh_fail(errmsg, SH_ERR_INVALID,
                     "cluster file %s lists no part: write one index directory or "
                     "tcp://HOST:PORT per line", path);
    return rc;
}

/* Is the regular file path a cluster file? Yes when it starts with a '#' comment or one of its
 * first lines names a part (tcp://…, or an existing directory); any other file given as
 * --index is left to the index opener, which says it is a file, not an index. */
static int is_cluster_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 1; /* unreadable: add_cluster_file says so */
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) + 1 : 0, found = 0;
    char line[4096];
    for (int n = 0; !found && n < 1000 && fgets(line, sizeof line, f); n++) {
        char *s = line, *e;
        while (*s && isspace((unsigned char)*s))
            s++;
        if (n == 0 && *s == '#')
            found = 1;
        if ((e = strchr(s, '#')) != NULL)
            *e = '\0';
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (!*s || found)
            continue;
        struct stat st;
        char dir[8400];
        snprintf(dir, sizeof dir, "%.*s%s", *s == '/' ? 0 : dirlen, path, s);
        found = strncmp(s, PARTS_TCP_SCHEME, strlen(PARTS_TCP_SCHEME)) == 0 ||
                (stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    }
    fclose(f);
    return found;
}

int parts_add(parts *ps, const char *spec, char **errmsg)
{
    if (!ps->timeout_ms)
        ps->timeout_ms = PARTS_DEFAULT_TIMEOUT_MS;
    struct stat st;
    if (strncmp(spec, PARTS_TCP_SCHEME, strlen(PARTS_TCP_SCHEME)) != 0 && stat(spec, &st) == 0 &&
        S_ISREG(st.st_mode) && is_cluster_file(spec))
        return add_cluster_file(ps, spec, errmsg);
    return add_part(ps, spec, NULL, errmsg);
}

void parts_free(parts *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->items[i].name);
        free(ps->items[i].host);
        free(ps->items[i].missing);
    }
    free(ps->items);
    memset(ps, 0, sizeof *ps);
}

int parts_any_remote(const parts *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->items[i].host)
            return 1;
    return 0;
}

size_t parts_live(const parts *ps)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        n += !ps->items[i].missing;
    return n;
}

int parts_fail(const part *p, int status, char **errmsg)
{
    const char *why = errmsg && *errmsg ? *errmsg : sh_status_str(status);
    char *copy = strdup(why);
    if (!copy)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    if (status == SH_ERR_NETWORK && strstr(copy, "Timeout"))
        sh_fail(errmsg, status,
                "part %s did not answer in time (%s): check its host and xapian-tcpsrv, allow more "
                "with --timeout MS, or answer from the other parts with --partial", p->name, copy);
    else if (status == SH_ERR_NETWORK)
        sh_fail(errmsg, status,
                "part %s is not answering (%s): start its xapian-tcpsrv (README: Several hosts), "
                "or answer from the other parts with --partial", p->name, copy);
    else
        sh_fail(errmsg, status, "part %s: %s", p->name, copy);
    free(copy);
    return status;
}

int parts_connect(const parts *ps, const part *p, xap_db **out, char **errmsg)
{
    return xap_db_open_remote(p->host, p->port, ps->timeout_ms, ps->timeout_ms, out, errmsg);
}

size_t parts_probe(parts *ps, const char *why, char **errmsg)
{
    size_t left_out = 0;
    for (size_t i = 0; i < ps->n; i++) {
        part *p = &ps->items[i];
        if (!p->host || p->missing)
            continue;
        xap_db *db = NULL;
        char *err = NULL;
        if (parts_connect(ps, p, &db, &err) == SH_OK) {
            xap_db_destroy(db);
            continue;
        }
        /* Both what failed during the query and why reconnecting failed. */
        p->missing = NULL;
        sh_fail(&p->missing, SH_ERR_NETWORK, "%s; connecting again: %s", why ? why : "?",
                err ? err : sh_status_str(SH_ERR_NETWORK));
        free(err);
        left_out++;
    }
    if (!left_out)
        sh_fail(errmsg, SH_ERR_NETWORK,
                "a remote part failed during the query (%s) but every part answers again: "
                "run the query again", why ? why : "?");
    return left_out;
}
