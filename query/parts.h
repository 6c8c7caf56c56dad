/* parts.h — the parts one search runs over: index directories and xapian-tcpsrv servers named
 * by --index values and cluster files, opened one by one, and which of them failed. Owns the
 * part list, the cluster file syntax and connecting; combining the parts and checking what
 * they were built with is search.c's job, printing main.c's. */
#ifndef SHIRYO_PARTS_H
#define SHIRYO_PARTS_H

#include <stddef.h>

#include "shiryo/xap.h"

#define PARTS_TCP_SCHEME "tcp://"
#define PARTS_DEFAULT_TIMEOUT_MS 10000u

typedef struct part {
    char *name;        /* as the user wrote it: a directory, or tcp://host:port */
    char *host;        /* remote parts: host (without brackets); NULL for a directory */
    unsigned port;
    char *missing;     /* --partial: why the part was left out (malloc'd), NULL while it answers */
} part;

typedef struct parts {
    part *items;
    size_t n, cap;
    unsigned timeout_ms; /* each reply from a remote part, and its connection */
} parts;

/* Adds what spec names: an index directory, tcp://host:port (IPv6 as tcp://[addr]:port), or a
 * cluster file (a regular file starting with a '#' comment or naming a part in its first lines:
 * one part per line, '#' starts a comment, blank lines ignored; relative directories are
 * relative to the file's directory). SH_ERR_INVALID for a malformed
 * tcp:// part or a part listed twice, SH_ERR_IO for an unreadable cluster file; the message
 * names the file and line. */
int parts_add(parts *ps, const char *spec, char **errmsg);
void parts_free(parts *ps);
/* 1 when some part is a remote server. */
int parts_any_remote(const parts *ps);
/* Parts still in the search (not left out by --partial). */
size_t parts_live(const parts *ps);

/* Connects to remote part p (p->host set), read-only. SH_ERR_NETWORK, with Xapian's reason
 * (parts_fail makes it a message naming the part), for a server that is down, refuses or does
 * not answer within ps->timeout_ms. (Index directories are opened by search.c, like a single
 * index.) */
int parts_connect(const parts *ps, const part *p, xap_db **out, char **errmsg);

/* After a query failed with SH_ERR_NETWORK (why: its message): connects afresh to every live
 * remote part and leaves out those that fail (part.missing: Xapian's reason). Returns how many
 * were left out; when none was, *errmsg says so and to retry. */
size_t parts_probe(parts *ps, const char *why, char **errmsg);

/* Rewrites *errmsg (from parts_open or a query over parts) as "part NAME …: what to do". */
int parts_fail(const part *p, int status, char **errmsg);

#endif
