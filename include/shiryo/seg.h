/* seg.h — word segmentation with MeCab (ipadic-utf8): one model, tagger and lattice per run,
 * reporting tokens through a callback (the fts5 tokenizer shape). Owns the MeCab handles only;
 * which tokens become terms is decided in terms.c. */
#ifndef SHIRYO_SEG_H
#define SHIRYO_SEG_H

#include <stddef.h>

typedef struct sh_seg sh_seg;

/* Coarse word class from the dictionary's first feature column (品詞). */
enum sh_word_class {
    SH_WORD_CONTENT = 0, /* 名詞, 動詞, 形容詞, 副詞, unknown words, … */
    SH_WORD_FUNCTION,    /* 接続詞 (及び, 又は, ただし), フィラー: kept for ranking, low weight */
    SH_WORD_PARTICLE,    /* 助詞, 助動詞 (の, に, する's た, ない): grammar, never a ranking term */
    SH_WORD_SYMBOL       /* 記号, whitespace, and words made only of punctuation and symbols
                            (the ASCII "(" that ipadic reads as an unknown noun): never a term */
};

/* Called for each token: surface is len bytes at text + offset (not NUL-terminated).
 * Return non-zero to stop (that value is returned by sh_seg_tokenize). */
typedef int (*sh_token_fn)(void *ctx, const char *surface, size_t len, size_t offset,
                           int word_class);

/* Opens MeCab on dicdir (NULL: SHIRYO_MECAB_DICDIR from the environment, else Debian's
 * /var/lib/mecab/dic/ipadic-utf8). Fails with a message naming the directory when the
 * dictionary is missing or not UTF-8. */
int sh_seg_open(const char *dicdir, sh_seg **out, char **errmsg);
void sh_seg_close(sh_seg *seg);

/* Segments len bytes of UTF-8 text. Returns SH_OK, the callback's non-zero value, or SH_ERR. */
int sh_seg_tokenize(sh_seg *seg, const char *text, size_t len, sh_token_fn fn, void *ctx,
                    char **errmsg);

/* Identity of the loaded dictionary (file name, charset, version), for index metadata. */
const char *sh_seg_dictionary_id(const sh_seg *seg);

#endif
