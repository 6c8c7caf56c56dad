/* suggest.h — what to tell a user whose query found nothing: the query cut into its MeCab words
 * and how many passages hold all of them (with the command to run), and near spellings of its
 * words from the index's own vocabulary. Owns those hints only; they go to a stream (stderr). */
#ifndef SHIRYO_SUGGEST_H
#define SHIRYO_SUGGEST_H

#include <stdio.h>

#include "qparse.h"
#include "search.h"

/* Writes the hints for a query (tree as parsed, before expansion) that matched no passage.
 * Writes nothing when there is no hint to give. SH_OK or an error with *errmsg. */
int suggest_zero_hits(search_session *s, const qnode *tree, FILE *out, char **errmsg);

#endif
