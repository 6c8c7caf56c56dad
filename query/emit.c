/* emit.c — the emitters' shared status: what every emit_* call returns after its writes, and
 * the errno of the first failed write, which main reports when standard output closes. */
#include "emit.h"

#include "shiryo/status.h"

#include <errno.h>

/* The stream's error flag is sticky, so one check after the writes of a call sees any of them
 * that failed (full disk, closed pipe). The reason is kept now: stdio drops the bytes of a failed
 * write, so when the failure came at the end of an item the final flush has nothing left to fail
 * on and cannot say why. */
int emit_status(emitter *e)
{
    if (!e->out || !ferror(e->out))
        return SH_OK;
    if (!e->write_errno)
        e->write_errno = errno ? errno : EIO;
    return SH_ERR_IO;
}
