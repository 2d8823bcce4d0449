/* AllocCountedString / FreeCountedString. */
#include "alloc_zeroed.h"

HRESULT WINAPI AllocCountedString(CountedString **countedString, const WCHAR *string)
{
    if (countedString == NULL)
        return E_INVALIDARG;
    *countedString = NULL;
    if (string == NULL)
        return E_INVALIDARG;

    /* Bounded scan: an unterminated or over-long string is never read past
     * index maxStringLength. */
    UINT16 length = 0;
    while (string[length] != 0) {
        if (length == maxStringLength)
            return E_INVALIDARG;
        length++;
    }

    CountedString *s = nap_alloc_zeroed(sizeof *s);
    if (s == NULL)
        return E_OUTOFMEMORY;
    s->string = CoTaskMemAlloc((SIZE_T)(length + 1) * sizeof(WCHAR));
    if (s->string == NULL) {
        CoTaskMemFree(s);
        return E_OUTOFMEMORY;
    }
    memcpy(s->string, string, (SIZE_T)(length + 1) * sizeof(WCHAR));
    s->length = length;
    *countedString = s;
    return S_OK;
}

void WINAPI FreeCountedString(CountedString *countedString)
{
    if (countedString == NULL)
        return;
    CoTaskMemFree(countedString->string);
    CoTaskMemFree(countedString);
}
