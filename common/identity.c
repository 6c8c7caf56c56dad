/* identity.c — the analysis identity an index records and its one check (identity.h). */
#include "shiryo/identity.h"

#include "shiryo/diag.h"
#include "shiryo/norm.h"
#include "shiryo/schema.h"
#include "shiryo/status.h"

#include <stdlib.h>
#include <string.h>

int sh_identity_check(const sh_seg *seg, sh_identity_get_fn get, sh_identity_set_fn set,
                      void *ctx, const sh_identity_target *t, char **errmsg)
{
    const struct { const char *key, *value, *what; } ids[] = {
        {META_SCHEMA, SHIRYO_SCHEMA_VERSION, "index schema"},
        {META_ICU, sh_norm_icu_version(), "ICU version"},
        {META_DICT, seg ? sh_seg_dictionary_id(seg) : NULL, "MeCab dictionary"},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        if (!ids[i].value)
            continue;
        char *stored = NULL;
        size_t len = 0;
        int rc = get(ctx, ids[i].key, &stored, &len, errmsg);
        if (rc)
            return rc;
        if (len == 0 && set)
            rc = set(ctx, ids[i].key, ids[i].value, errmsg);
        else if (len == 0)
            rc = sh_fail(errmsg, SH_ERR_CORRUPT, "%s is not a shiryo index (no %s recorded): %s",
                         t->name, ids[i].what, t->unrecorded);
        else if (strcmp(stored, ids[i].value) != 0)
            rc = sh_fail(errmsg, SH_ERR_VERSION,
                         "%s was built with %s \"%s\" but this shiryo uses \"%s\": re-index %s",
                         t->name, ids[i].what, stored, ids[i].value, t->reindex);
        free(stored);
        if (rc)
            return rc;
    }
    return SH_OK;
}

static int wdb_get(void *ctx, const char *key, char **value, size_t *len, char **errmsg)
{
    return xap_wdb_get_metadata(ctx, key, strlen(key), value, len, errmsg);
}

static int wdb_set(void *ctx, const char *key, const char *value, char **errmsg)
{
    return xap_wdb_set_metadata(ctx, key, strlen(key), value, strlen(value), errmsg);
}

int sh_identity_check_wdb(const sh_seg *seg, xap_wdb *wdb, const sh_identity_target *target,
                          char **errmsg)
{
    return sh_identity_check(seg, wdb_get, wdb_set, wdb, target, errmsg);
}
