/* schema.h — the index layout shared by shiryo-index and shiryo-query: term prefixes, value
 * slots, metadata keys and the document-data record. Any change bumps SHIRYO_SCHEMA_VERSION.
 * History: 1 = passages with MeCab words, positional character bigrams, unigrams, page records.
 *          2 = measure and title words (XM, XT) for ranking boosts.
 *          3 = shards behind a stub; programs (R terms) and their budget lines (PF_PROGRAMS).
 *          4 = word terms carry length normalization in their wdf (queries use BM25 b = 0).
 *          5 = budget records carry the unit as written; budget sheets read across lines;
 *              the page record's path field is escaped (any bytes a file name holds).
 *          6 = the page record's joint field (PR_JOINT); CJK radicals supplement folded;
 *              headings and table-header lines are passages of their own.
 *          7 = lean: bigrams without positions, no unigrams (candidates; the query process
 *              proves matches on the stored text), no termlist table, page records carry their
 *              docids (PR_DOCIDS) and a shard's replaced passages are listed in META_DELETED
 *              instead of deleted.
 *          8 = the passage record is metadata of its shard (META_PASSAGE_PREFIX), not document
 *              data: Xapian's remote backend serves metadata of a shard without a termlist
 *              table but none of its documents, so any index can be served by xapian-tcpsrv;
 *              each shard records its document count (META_DOCUMENTS).
 *          9 = particles and auxiliary verbs (助詞, 助動詞) and words of punctuation only are
 *              no longer word terms (W, XM, XT): a fifth fewer word postings. */
#ifndef SHIRYO_SCHEMA_H
#define SHIRYO_SCHEMA_H

#define SHIRYO_SCHEMA_VERSION "9"

/* Term prefixes (Xapian convention: capital letters; normalized text is case-folded, so a
 * prefix can never collide with text). */
#define PFX_WORD "W"      /* MeCab word (no positions): BM25 ranking */
#define PFX_BIGRAM "B"    /* two code points of normalized text, wdf = occurrences, no positions;
                           * a passage's last code point + " " too (no unigram terms since 5) */
#define PFX_PAGE "H"      /* page key (hash of the file path): all passages of one file */
#define PFX_FILE "F"      /* file path (boolean; truncated to the term limit) */
#define PFX_TITLE "T"     /* normalized title (boolean) */
#define PFX_SECTION "S"   /* normalized section heading (boolean) */
#define PFX_MEASURE "M"   /* normalized measure heading (boolean) */
#define PFX_COLUMN "C"    /* column number, decimal (boolean) */
#define PFX_FY "Y"        /* fiscal year, Western, decimal (boolean) */
#define PFX_MINISTRY "G"  /* ministry full name (boolean) */
#define PFX_PAGENO "P"    /* page number, decimal (boolean) */
#define PFX_PROGRAM "R"   /* normalized program name mentioned with brackets or a budget (boolean) */
#define PFX_MEASURE_WORD "XM" /* MeCab word of the measure heading: ranking boost */
#define PFX_TITLE_WORD "XT"   /* MeCab word of the page title: ranking boost */

/* Value slots. */
#define SLOT_ORDER 0      /* document order key: page key + passage ordinal, sortable */
#define SLOT_FY 1         /* fiscal year "2025" or "" */
#define SLOT_MEASURE 2    /* measure heading as written (facets) */
#define SLOT_MINISTRY 3   /* ministries, "、"-joined full names (facets) */

/* Index metadata keys. */
#define META_SCHEMA "shiryo.schema"
#define META_ICU "shiryo.icu"
#define META_DICT "shiryo.dictionary"
#define META_PAGE_PREFIX "page:"  /* + page key → page record (pagerec.h) */
/* + the shard-local docid (4 bytes, big-endian) → that passage's record (the document-data
 * fields below), deflated; written and read by xap_wdb_set_doc_record / xap_db_get_doc_record.
 * Documents carry no data. Removed when the passage is retired. */
#define META_PASSAGE_PREFIX "d"
/* Per shard: its number of documents at its last commit, decimal. A server given a stub (several
 * shards as one database) answers metadata from the first shard only, so its passages' records
 * would be looked up in the wrong shard: it is told by a document count larger than this. */
#define META_DOCUMENTS "shiryo.documents"
/* Per shard: the shard-local docids of passages that were replaced or removed (the shard has
 * no termlist table, so Xapian cannot delete them). Ascending ranges "first-last", comma-
 * separated; encoded and decoded by common/docset.c only. Empty or absent: none. */
#define META_DELETED "shiryo.deleted"

/* Passage record (META_PASSAGE_PREFIX; passrec.h): fields joined by '\n' in this order (only
 * the last, the text, may hold '\n'). */
enum passage_field {
    PF_MAGIC = 0,     /* "shiryo1" */
    PF_PAGEKEY,       /* page key, to fetch the page record */
    PF_LINES,         /* comma-separated 1-based source line numbers, ascending */
    PF_SECTION,
    PF_MEASURE,
    PF_COLUMN,        /* 1-based */
    PF_COLUMN_LABEL,
    PF_FY,            /* Western year or "" */
    PF_FY_LABEL,
    PF_MINISTRIES,    /* "name:1,name:0" (1 = lead ◎) */
    PF_ORDINAL,       /* passage number within its page, from 0 */
    PF_PROGRAMS,      /* program extractions: records joined by PROGRAM_RS, fields by PROGRAM_FS:
                       * "M" name successor_of lines | "B" name fy kind amount within parent lines
                       * unit (unit as written: 億円, 百万円, 千円) */
    PF_TEXT,          /* the passage text as in the source (columns rebuilt), not normalized */
    PF_COUNT
};
#define PASSAGE_MAGIC "shiryo1"

#define PROGRAM_RS '\x1e'
#define PROGRAM_FS '\x1f'

/* Page record fields (metadata value), joined by '\n'. */
enum page_record_field {
    PR_MAGIC = 0,     /* "shiryo-page1" */
    PR_PATH,          /* the file's path, any bytes: written by sh_recfield_put (recfield.h) */
    PR_HASH,          /* content hash, hex */
    PR_PASSAGES,      /* number of passages */
    PR_TITLE,
    PR_MATERIAL,
    PR_PAGE,          /* page number or "" */
    PR_URL,
    PR_SOURCE,
    PR_MEETING,
    PR_SESSION,
    PR_DATE,
    PR_PUBLISHER,
    PR_JOINT,         /* the other meetings of a joint meeting, "" (absent in older records) */
    PR_DOCIDS,        /* "first-last": the shard-local docids of the page's passages, or "" */
    PR_COUNT
};
#define PAGE_RECORD_MAGIC "shiryo-page1"

/* Xapian's term length limit, less room for a prefix. */
#define TERM_MAX_BYTES 240

#endif
