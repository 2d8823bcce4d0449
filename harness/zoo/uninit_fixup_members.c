/* ZOO bug: AllocFixupInfo allocates the FixupInfo block without zeroing it
 *          and sets only resultCodes, so state, percentage and fixupMsgId are
 *          uninitialised
 * expect: contract, faults */
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
    *fixupInfo = NULL;
    if (countResultCodes > maxDwordCountPerSoHAttribute)
        return E_INVALIDARG;

    FixupInfo *f = CoTaskMemAlloc(sizeof *f);
    if (f == NULL)
        return E_OUTOFMEMORY;
    f->resultCodes.results = NULL;
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

