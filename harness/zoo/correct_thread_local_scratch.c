/* ZOO correct: AllocCountedString stages the copy in a thread-local scratch
 *          buffer: one per thread, so concurrent calls share nothing
 * expect: pass */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below, staging through thread-local storage. */
#include "../../lib/src/alloc_zeroed.h"

#include "../../lib/src/connections.c"

#include "../../lib/src/fixup_info.c"

/* AllocCountedString / FreeCountedString. */

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
    static _Thread_local WCHAR scratch[maxStringLength + 1];
    memcpy(scratch, string, (SIZE_T)(length + 1) * sizeof(WCHAR));
    memcpy(s->string, scratch, (SIZE_T)(length + 1) * sizeof(WCHAR));
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

#include "../../lib/src/free_structures.c"

#include "../../lib/src/soh_attribute_value.c"

#include "../../lib/src/registration_info.c"

