/* seg.c — MeCab segmentation: one model/tagger/lattice per analyzer, dictionary checked once.
 * Feature columns are parsed by name (品詞 = column 0), never by bare index elsewhere. */
#include "shiryo/seg.h"

#include "shiryo/diag.h"
#include "shiryo/status.h"

#include <mecab.h>
#include <stdint.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SEG_DEFAULT_DICDIR "/var/lib/mecab/dic/ipadic-utf8"

/* Word classes by the dictionary's part-of-speech id (pos-id.def), filled on first sight: the
 * class depends on the 品詞 column only, which one id always has, and comparing feature strings
 * for every token was 2 % of a build. Off when the dictionary gives no distinct ids. */
#define SEG_POSIDS 1024

struct sh_seg {
    mecab_model_t *model;
    mecab_t *tagger;
    mecab_lattice_t *lattice;
    char dict_id[512];
    int by_posid;                    /* the cache below is in use */
    signed char class_of[SEG_POSIDS]; /* -1: not seen yet */
};

static void probe_posids(sh_seg *seg);

void sh_seg_close(sh_seg *seg)
{
    if (!seg)
        return;
    if (seg->lattice)
        mecab_lattice_destroy(seg->lattice);
    if (seg->tagger)
        mecab_destroy(seg->tagger);
    if (seg->model)
        mecab_model_destroy(seg->model);
    free(seg);
}

int sh_seg_open(const char *dicdir, sh_seg **out, char **errmsg)
{
    if (!dicdir)
        dicdir = getenv("SHIRYO_MECAB_DICDIR");
    if (!dicdir || !*dicdir)
        dicdir = SEG_DEFAULT_DICDIR;
    char sysdic[1024];
    snprintf(sysdic, sizeof sysdic, "%s/sys.dic", dicdir);
    FILE *probe = fopen(sysdic, "rb");
    if (!probe)
        return sh_fail(errmsg, SH_ERR_NOTFOUND,
                       "MeCab dictionary not found in %s: install mecab-ipadic-utf8 "
                       "(or set SHIRYO_MECAB_DICDIR)", dicdir);
    fclose(probe);
    sh_seg *seg = calloc(1, sizeof *seg);
    if (!seg)
        return sh_fail(errmsg, SH_ERR_NOMEM, "out of memory");
    /* -r /dev/null: ignore any mecabrc (a user's rc could select another dictionary). */
    char arg[1100];
    snprintf(arg, sizeof arg, "-r /dev/null -d %s", dicdir);
    seg->model = mecab_model_new2(arg);
    if (!seg->model) {
        sh_fail(errmsg, SH_ERR, "MeCab cannot open dictionary %s: %s", dicdir,
                mecab_strerror(NULL));
        sh_seg_close(seg);
        return SH_ERR;
    }
    const mecab_dictionary_info_t *info = mecab_model_dictionary_info(seg->model);
    if (!info || !info->charset || (strcasecmp(info->charset, "utf-8") != 0 &&
                                    strcasecmp(info->charset, "utf8") != 0)) {
        sh_fail(errmsg, SH_ERR, "MeCab dictionary %s is %s, not UTF-8: install mecab-ipadic-utf8",
                dicdir, info && info->charset ? info->charset : "of unknown charset");
        sh_seg_close(seg);
        return SH_ERR;
    }
    const char *base = strrchr(info->filename, '/');
    snprintf(seg->dict_id, sizeof seg->dict_id, "%s/%s charset=%s version=%u size=%u",
             dicdir, base ? base + 1 : info->filename, info->charset, info->version, info->size);
    seg->tagger = mecab_model_new_tagger(seg->model);
    seg->lattice = mecab_model_new_lattice(seg->model);
    if (!seg->tagger || !seg->lattice) {
        sh_fail(errmsg, SH_ERR, "MeCab cannot create a tagger: %s", mecab_strerror(NULL));
        sh_seg_close(seg);
        return SH_ERR;
    }
    probe_posids(seg);
    *out = seg;
    return SH_OK;
}

const char *sh_seg_dictionary_id(const sh_seg *seg) { return seg->dict_id; }

/* 1 if the len bytes of UTF-8 at s are all punctuation or symbols (Unicode P* and S*). */
static int only_punctuation(const char *s, size_t len)
{
    int32_t i = 0, n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0 || !(U_GET_GC_MASK(c) & (U_GC_P_MASK | U_GC_S_MASK)))
            return 0;
    }
    return 1;
}

/* Maps the 品詞 feature column (the text before the first comma) to a word class. */
static int pos_class(const mecab_node_t *node)
{
    const char *pos = node->feature ? node->feature : "";
    static const struct { const char *pos; int word_class; } classes[] = {
        {"記号", SH_WORD_SYMBOL},   {"助詞", SH_WORD_PARTICLE}, {"助動詞", SH_WORD_PARTICLE},
        {"接続詞", SH_WORD_FUNCTION}, {"フィラー", SH_WORD_FUNCTION},
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        size_t n = strlen(classes[i].pos);
        if (strncmp(pos, classes[i].pos, n) == 0 && (pos[n] == ',' || pos[n] == '\0'))
            return classes[i].word_class;
    }
    return SH_WORD_CONTENT;
}

static int word_class_of(sh_seg *seg, const mecab_node_t *node)
{
    if (only_punctuation(node->surface, node->length))
        return SH_WORD_SYMBOL;
    unsigned id = node->posid;
    if (!seg->by_posid || id >= SEG_POSIDS)
        return pos_class(node);
    if (seg->class_of[id] < 0)
        seg->class_of[id] = (signed char)pos_class(node);
    return seg->class_of[id];
}

/* Turns the posid cache on when a probe's noun, particle and symbol have distinct ids (a
 * dictionary without pos-id.def gives every token id 0). */
static void probe_posids(sh_seg *seg)
{
    memset(seg->class_of, -1, sizeof seg->class_of);
    static const char probe[] = "猫の。";
    unsigned short ids[3];
    size_t n = 0;
    mecab_lattice_set_sentence2(seg->lattice, probe, strlen(probe));
    if (!mecab_parse_lattice(seg->tagger, seg->lattice))
        return;
    for (const mecab_node_t *node = mecab_lattice_get_bos_node(seg->lattice); node && n < 3;
         node = node->next)
        if (node->stat != MECAB_BOS_NODE && node->stat != MECAB_EOS_NODE && node->length)
            ids[n++] = node->posid;
    seg->by_posid = n == 3 && ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2];
}

int sh_seg_tokenize(sh_seg *seg, const char *text, size_t len, sh_token_fn fn, void *ctx,
                    char **errmsg)
{
    if (len == 0)
        return SH_OK;
    mecab_lattice_set_sentence2(seg->lattice, text, len);
    if (!mecab_parse_lattice(seg->tagger, seg->lattice))
        return sh_fail(errmsg, SH_ERR, "MeCab failed: %s",
                       mecab_lattice_strerror(seg->lattice));
    for (const mecab_node_t *node = mecab_lattice_get_bos_node(seg->lattice); node;
         node = node->next) {
        if (node->stat == MECAB_BOS_NODE || node->stat == MECAB_EOS_NODE || node->length == 0)
            continue;
        size_t offset = (size_t)(node->surface - text);
        if (offset > len || node->length > len - offset)
            continue;
        int rc = fn(ctx, node->surface, node->length, offset, word_class_of(seg, node));
        if (rc)
            return rc;
    }
    return SH_OK;
}
