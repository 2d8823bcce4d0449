/* Internal: a zero-filled CoTaskMem block, since CoTaskMemAlloc itself does
 * not zero and the contract promises zeroed members on success. */
#ifndef NAPUTIL_ALLOC_ZEROED_H
#define NAPUTIL_ALLOC_ZEROED_H

#include <string.h>

#include "naputil.h"

static inline void *nap_alloc_zeroed(SIZE_T cb)
{
    void *p = CoTaskMemAlloc(cb);
    if (p != NULL)
        memset(p, 0, cb);
    return p;
}

#endif
