/* fuzz_qparse.c — libFuzzer target: any bytes as a query string through the query parser.
 * Malformed queries must come back as an error with a message, never a crash or a leak. */
#include "qparse.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    qnode *tree = NULL;
    char *err = NULL;
    int rc = qparse(s, &tree, &err);
    if (rc != 0 && err == NULL)
        abort(); /* every failure must say why */
    qnode_free(tree);
    free(err);
    free(s);
    return 0;
}
