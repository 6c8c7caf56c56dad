/* terms.h — term policy, the one place it lives: which terms a passage's text produces at index
 * time, and the query that finds a search string at query time. Both sides normalize and segment
 * with the same analyzer, so they cannot drift apart.
 *
 * The guarantee: every passage whose normalized text contains the normalized search string s
 * matches, and no other. s of one code point is a unigram term; of two, a bigram term; longer,
 * an exact phrase of its overlapping bigrams at consecutive positions. MeCab words are indexed
 * beside the bigrams for BM25 ranking only, so segmentation never decides whether a passage
 * matches (e.g. 連携 inside 医工連携, or 国土交通省令 split as 国土/交通/省令). */
#ifndef SHIRYO_TERMS_H
#define SHIRYO_TERMS_H

#include <stddef.h>

#include "shiryo/analyzer.h"
#include "shiryo/xap.h"

/* Normalizes text and adds its bigram (positional), unigram and word terms to doc.
 * Positions are normalized code-point indexes + 1. */
int terms_index_text(sh_analyzer *an, xap_doc *doc, const char *text, size_t len, char **errmsg);

/* Adds prefix + normalized value (cut to the term limit at a code-point boundary) as a boolean
 * term. An empty value adds nothing. */
int terms_add_boolean(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                      size_t len, char **errmsg);

/* Adds the MeCab words of value (normalized) as prefix + word terms, no positions: a heading's
 * words, so that a query matching the measure or title ranks higher. */
int terms_add_words(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                    size_t len, char **errmsg);

/* Builds the term prefix + normalized value into an->term (for filters); SH_OK. */
int terms_boolean_term(sh_analyzer *an, const char *prefix, const char *value, size_t len,
                       char **errmsg);

/* Query for one search string (a word or a phrase as typed). Sets *out (caller destroys) or,
 * when the string normalizes to nothing, *out = NULL with SH_OK. */
int terms_query_string(sh_analyzer *an, const char *s, size_t len, xap_query **out,
                       char **errmsg);

/* Counts the occurrences of the normalized search string s (as produced by sh_norm_string and
 * trimmed) in each of the documents docids (strictly ascending), from the index alone: the
 * unigram's or bigram's wdf, or for longer strings the positions where all its bigrams line up.
 * Overlapping occurrences count separately. Adds the total to *count. */
int terms_count_occurrences(sh_analyzer *an, xap_db *db, const char *s, const xap_docid *docids,
                            size_t n, int known_present, unsigned long long *count, char **errmsg);
/* known_present: every document is known to contain s at least once (it matched s itself);
 * then a document in which some bigram of s occurs once holds s exactly once, and its positions
 * need not be read. */

/* When the normalized search string s is one index term (one or two code points), its passages
 * and occurrences over the whole index, read from the term's statistics: sets *passages and
 * *occurrences and returns 1. Returns 0 (nothing set) for longer strings. */
int terms_whole_index_counts(sh_analyzer *an, xap_db *db, const char *s, size_t *passages,
                             unsigned long long *occurrences, char **errmsg, int *status);

/* BM25 parameters that go with the index-time length normalization of word terms: b = 0 and
 * k1 scaled like the wdf. */
#define TERMS_BM25_K1 (1.2 * 8.0)
#define TERMS_BM25_B 0.0

#endif
