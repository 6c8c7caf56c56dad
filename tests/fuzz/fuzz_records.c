/* fuzz_records.c — libFuzzer target: any bytes as a stored passage record, page record and
 * program-record field (passrec.h, pagerec.h, progrec.h). Decoding never reads or writes outside
 * the record, every field is a string inside it, and a record that decodes re-encodes to the
 * same fields. */
#include "shiryo/pagerec.h"
#include "shiryo/passrec.h"
#include "shiryo/progrec.h"
#include "shiryo/recfield.h"
#include "shiryo/status.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *copy_of(const uint8_t *data, size_t size)
{
    char *c = malloc(size + 1);
    if (c) {
        memcpy(c, data, size);
        c[size] = '\0';
    }
    return c;
}

static void check_fields(const char *rec, size_t size, const char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!f[i] || (f[i][0] && (f[i] < rec || f[i] + strlen(f[i]) > rec + size)))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *rec = copy_of(data, size);
    if (!rec)
        return 0;
    const char *pf[PF_COUNT];
    size_t len = strlen(rec); /* Xapian's bytes may hold NUL: fields end at the first */
    if (sh_passrec_decode(rec, len, pf) == SH_OK) {
        check_fields(rec, len, pf, PF_COUNT);
        unsigned lines[64];
        if (sh_recfield_uints(pf[PF_LINES], lines, 64) > 64)
            abort();
        ministry_ref m[16];
        if (sh_passrec_ministries((char *)pf[PF_MINISTRIES], m, 16) > 16)
            abort();
        sh_progrec r;
        size_t records = 0;
        for (char *cursor = (char *)pf[PF_PROGRAMS]; sh_progrec_next(&cursor, &r); records++)
            if (!r.name || !r.successor_of || !r.kind || !r.parent || !r.unit || !r.lines ||
                records > len)
                abort();
    }
    free(rec);

    rec = copy_of(data, size);
    if (!rec)
        return 0;
    const char *gf[PR_COUNT];
    len = strlen(rec);
    if (sh_pagerec_decode(rec, len, gf) == SH_OK) {
        check_fields(rec, len, gf, PR_COUNT);
        unsigned first = 0, last = 0;
        if (sh_pagerec_docids(gf[PR_DOCIDS], &first, &last) == SH_OK && (!first || first > last))
            abort();
        /* The decoded page record, encoded again, decodes to the same fields. */
        sh_pagerec p = {gf[PR_PATH], gf[PR_HASH], 0, gf[PR_TITLE], gf[PR_MATERIAL], 0,
                        gf[PR_URL], gf[PR_SOURCE], gf[PR_MEETING], gf[PR_SESSION], gf[PR_DATE],
                        gf[PR_PUBLISHER], gf[PR_JOINT], first, last};
        int plain = 1;
        for (size_t i = PR_HASH; i < PR_COUNT; i++)
            plain = plain && !strchr(gf[i], '\n');
        sh_buf b = SH_BUF_INIT;
        const char *again[PR_COUNT];
        if (plain && sh_pagerec_encode(&b, &p) == SH_OK) {
            if (sh_pagerec_decode(b.data, b.len, again) != SH_OK ||
                strcmp(again[PR_PATH], gf[PR_PATH]) != 0 || strcmp(again[PR_TITLE], gf[PR_TITLE]))
                abort();
        }
        sh_buf_free(&b);
    }
    free(rec);
    return 0;
}
