/* agency.h — names of the government bodies that publish materials (analysis/agencies.tsv,
 * built into the program): any name, short name, tag or former name to today's official name,
 * and the names a query word that names a body also stands for. */
#ifndef SHIRYO_AGENCY_H
#define SHIRYO_AGENCY_H

#include <stddef.h>

/* Today's official name (static) for s[0..len) when it is exactly an official name, a short name,
 * a former name or (with tags = 1) a one-character table tag; NULL otherwise. */
const char *agency_official_name(const char *s, size_t len, int tags);

/* The other names s[0..len) stands for in a search, each passed to fn (not NUL-terminated):
 * today's official and short names of the body it names. A former name thus stands for its
 * successor (厚生省 → 厚生労働省, 厚労省), but a body's name does not stand for its predecessors
 * (厚生労働省 does not find 労働省: another body, of other years) nor a predecessor for the
 * others merged with it. Tags are never forms (one character matches far too much). Returns the
 * number of forms given to fn, 0 when s is no body's name. */
size_t agency_forms(const char *s, size_t len, void (*fn)(void *ctx, const char *form, size_t n),
                    void *ctx);

#endif
