/* AllocFixupInfo / FreeFixupInfo. */
#include "alloc_zeroed.h"

HRESULT WINAPI AllocFixupInfo(FixupInfo **fixupInfo, UINT16 countResultCodes)
{
    if (fixupInfo == NULL)
        return E_INVALIDARG;
    *fixupInfo = NULL;
    if (countResultCodes > maxDwordCountPerSoHAttribute)
        return E_INVALIDARG;

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
