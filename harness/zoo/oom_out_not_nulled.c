/* ZOO bug: AllocFixupInfo does not set *fixupInfo to NULL when an
 *          allocation fails (it only writes *out on success)
 * expect: faults */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
#include "../../lib/src/alloc_zeroed.h"

#include "../../lib/src/connections.c"

/* AllocFixupInfo / FreeFixupInfo. */

HRESULT WINAPI AllocFixupInfo(FixupInfo **fixupInfo, UINT16 countResultCodes)
{
    if (fixupInfo == NULL)
        return E_INVALIDARG;
    if (countResultCodes > maxDwordCountPerSoHAttribute) {
        *fixupInfo = NULL;
        return E_INVALIDARG;
    }

    FixupInfo *f = nap_alloc_zeroed(sizeof *f);
    if (f == NULL)
        return E_OUTOFMEMORY;
    if (countResultCodes > 0) {
        f->resultCodes.results = nap_alloc_zeroed(countResultCodes * sizeof(HRESULT));
        if (f->resultCodes.results == NULL) {
            CoTaskMemFree(f);
            return E_OUTOFMEMORY;
        }
    }
    f->resultCodes.count = countResultCodes;
    *fixupInfo = f;
    return S_OK;
}

void WINAPI FreeFixupInfo(FixupInfo *fixupInfo)
{
    if (fixupInfo == NULL)
        return;
    CoTaskMemFree(fixupInfo->resultCodes.results);
    CoTaskMemFree(fixupInfo);
}

#include "../../lib/src/counted_string.c"

#include "../../lib/src/free_structures.c"

#include "../../lib/src/soh_attribute_value.c"

#include "../../lib/src/registration_info.c"

