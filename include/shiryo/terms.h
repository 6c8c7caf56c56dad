/* terms.h — term policy, the one place it lives: which terms a passage's text produces at index
 * time, and the query that finds a search string at query time. Both sides normalize and segment
 * with the same analyzer, so they cannot drift apart.
 *
 * The guarantee, in two steps: candidates, then proof. Every passage whose normalized text
 * contains the normalized search string s is a candidate: s of one code point is the bigram
 * terms that start with it (the last code point of a passage starts one with the space that
 * ends the passage); of two, its bigram term (both exact, wdf = occurrences); longer, the AND of
 * its bigrams, which
 * also admits passages holding those bigrams apart. The query process then proves each
 * candidate on its normalized text (query/verify.c), so exactly the passages containing s
 * remain. MeCab words are indexed beside the n-grams for BM25 ranking only, so segmentation
 * never decides whether a passage matches (e.g. 連携 inside 医工連携, or 国土交通省令 split as
 * 国土/交通/省令). No term has positions. */
#ifndef SHIRYO_TERMS_H
#define SHIRYO_TERMS_H

#include <stddef.h>

#include "shiryo/analyzer.h"
#include "shiryo/termset.h"
#include "shiryo/xap.h"

/* Normalizes text and adds its bigram and word terms to doc, each distinct bigram once with its
 * number of occurrences as wdf; no positions. */
int terms_index_text(sh_analyzer *an, xap_doc *doc, const char *text, size_t len, char **errmsg);

/* Adds prefix + normalized value (cut to the term limit at a code-point boundary) as a boolean
 * term. An empty value adds nothing. */
int terms_add_boolean(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                      size_t len, char **errmsg);

/* Adds the MeCab words of value (normalized) as prefix + word terms, no positions: a heading's
 * words, so that a query matching the measure or title ranks higher. */
int terms_add_words(sh_analyzer *an, xap_doc *doc, const char *prefix, const char *value,
                    size_t len, char **errmsg);

/* terms_add_boolean and terms_add_words into a term set rather than a document: the terms of a
 * heading shared by many passages, made once (termset.h). */
int terms_collect_boolean(sh_analyzer *an, sh_termset *set, const char *prefix,
                          const char *value, size_t len, char **errmsg);
int terms_collect_words(sh_analyzer *an, sh_termset *set, const char *prefix, const char *value,
                        size_t len, char **errmsg);

/* The boolean term prefix + normalized value (cut as terms_add_boolean cuts it), for filters:
 * *term (NUL-terminated, *term_len bytes) lives in an's scratch space, valid until the next call
 * that takes an. */
int terms_boolean_term(sh_analyzer *an, const char *prefix, const char *value, size_t len,
                       const char **term, size_t *term_len, char **errmsg);

/* Candidate query for one search string (a word or a phrase as typed): matches every passage
 * that contains it, exactly those when it normalizes to one or two code points (see
 * terms_literal_exact), a superset otherwise. Sets *out (caller destroys) or, when the string
 * normalizes to nothing, *out = NULL with SH_OK. */
int terms_query_string(sh_analyzer *an, const char *s, size_t len, xap_query **out,
                       char **errmsg);

/* The ranking part of terms_query_string alone: OR of the string's MeCab words (in the text,
 * the measure heading, the title); *out = NULL when it has none. Every passage it matches
 * through a text word contains that word. */
int terms_query_words(sh_analyzer *an, const char *s, size_t len, xap_query **out, char **errmsg);

/* 1 if the normalized, trimmed search string s is one index term (one or two code points): its
 * candidate query is then exact and its occurrences are term statistics. */
int terms_literal_exact(const char *s);

/* 1 if the occurrences of the normalized search string s are one term's wdf (two code points). */
int terms_literal_counted(const char *s);

/* Adds to *count the occurrences of the normalized search string s, which must be one bigram
 * (terms_literal_counted; SH_ERR_INVALID otherwise), in the documents docids (strictly
 * ascending): the sum of the term's wdf. Overlapping occurrences count separately. */
int terms_count_occurrences(sh_analyzer *an, xap_db *db, const char *s, const xap_docid *docids,
                            size_t n, unsigned long long *count, char **errmsg);

/* When the normalized search string s is one or two code points, its passages and occurrences
 * over the whole index, from term statistics (one code point: the bigrams starting with it,
 * whose union is matched): sets *passages and *occurrences and returns 1. Returns 0 (nothing
 * set) for longer strings. */
int terms_whole_index_counts(sh_analyzer *an, xap_db *db, const char *s, size_t *passages,
                             unsigned long long *occurrences, char **errmsg, int *status);

/* BM25 parameters that go with the index-time length normalization of word terms: b = 0 and
 * k1 scaled like the wdf. */
#define TERMS_BM25_K1 (1.2 * 8.0)
#define TERMS_BM25_B 0.0

#endif
