/* norm.h — text normalization with ICU: NFKC + case folding (ICU's nfkc_cf), with a map from
 * every normalized code point back to the original code points it came from. Owns nothing but
 * its ICU normalizer handle and scratch buffers; segmentation and terms live elsewhere. */
#ifndef SHIRYO_NORM_H
#define SHIRYO_NORM_H

#include <stddef.h>
#include <stdint.h>

/* norm works on UTF-8 text: the UTF-8 helpers come with it (they live in utf8.h). */
#include "shiryo/utf8.h"

typedef struct sh_norm sh_norm;

/* Normalized text plus offset maps. Reused across calls (buffers grow, never shrink). */
typedef struct sh_normtext {
    char *text;          /* normalized UTF-8, NUL-terminated */
    size_t len;          /* bytes of text */
    size_t ncp;          /* code points of text */
    uint32_t *cp_byte;   /* byte offset in text of code point i; cp_byte[ncp] == len */
    uint32_t *src_start; /* original code point where normalized code point i starts */
    uint32_t *src_end;   /* original code point (exclusive) where normalized code point i ends */
    size_t src_ncp;      /* code points of the original text */
    size_t cap_bytes, cap_cps; /* private */
} sh_normtext;

/* Opens the ICU NFKC_Casefold normalizer. SH_ERR on ICU failure (message names the ICU error). */
int sh_norm_open(sh_norm **out, char **errmsg);
void sh_norm_close(sh_norm *norm);

/* Normalizes len bytes of UTF-8 (must be valid UTF-8; SH_ERR_INVALID otherwise) into out,
 * replacing its previous content. Runs of characters that normalize together (e.g. half-width
 * カ + ﾞ) map to the whole original run. SH_ERR_NOMEM, SH_ERR_INVALID, or SH_OK. */
int sh_norm_text(sh_norm *norm, const char *text, size_t len, sh_normtext *out, char **errmsg);

/* Normalizes like sh_norm_text but builds no offset map (out->text and out->len only; ncp = 0):
 * what proving a candidate needs, at a fraction of the cost. */
int sh_norm_plain(sh_norm *norm, const char *text, size_t len, sh_normtext *out, char **errmsg);

/* Convenience: normalizes into a malloc'd NUL-terminated string (*out, owned by the caller). */
int sh_norm_string(sh_norm *norm, const char *text, size_t len, char **out, char **errmsg);

/* NFKC without case folding, for names shown to people (「ＭＥＤＩＣ」 → MEDIC, case kept):
 * *out malloc'd, owned by the caller. */
int sh_norm_display(sh_norm *norm, const char *text, size_t len, char **out, char **errmsg);

void sh_normtext_free(sh_normtext *nt);

/* 1 if NFKC_Casefold leaves code point c as it is and has a boundary before it (kanji, kana,
 * lower-case ASCII, Japanese punctuation): runs of such code points are copied, not handed to
 * ICU. test_norm checks each one against ICU. */
int sh_norm_inert(uint32_t c);

/* The one ASCII byte NFKC_Casefold makes of full-width ASCII or the ideographic space (which
 * have a boundary before them), copied without ICU when what follows has a boundary too; 0 for
 * any other code point. test_norm checks each against ICU. */
char sh_norm_simple_byte(uint32_t c);

/* ICU version string, e.g. "72.1" (static). */
const char *sh_norm_icu_version(void);

#endif
