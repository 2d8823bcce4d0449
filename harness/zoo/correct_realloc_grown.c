/* ZOO correct: AllocCountedString copies the string into a block it grows
 *              with CoTaskMemRealloc while scanning, then shrinks it to
 *              exactly length + 1 units; unusual allocation pattern, same
 *              contract, so this must pass
 * expect: pass */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
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
    WCHAR *copy = NULL;
    SIZE_T capacity = 0;
    UINT16 length = 0;
    for (;;) {
        if (length == capacity) {
            SIZE_T grown = capacity == 0 ? 16 : capacity * 2;
            WCHAR *bigger = CoTaskMemRealloc(copy, grown * sizeof(WCHAR));
            if (bigger == NULL) {
                CoTaskMemFree(copy);
                return E_OUTOFMEMORY;
            }
            copy = bigger;
            capacity = grown;
        }
        copy[length] = string[length];
        if (string[length] == 0)
            break;
        if (length == maxStringLength) {
            CoTaskMemFree(copy);
            return E_INVALIDARG;
        }
        length++;
    }
    if (capacity != (SIZE_T)length + 1) {
        WCHAR *exact = CoTaskMemRealloc(copy, ((SIZE_T)length + 1) * sizeof(WCHAR));
        if (exact == NULL) {
            CoTaskMemFree(copy);
            return E_OUTOFMEMORY;
        }
        copy = exact;
    }

    CountedString *s = nap_alloc_zeroed(sizeof *s);
    if (s == NULL) {
        CoTaskMemFree(copy);
        return E_OUTOFMEMORY;
    }
    s->string = copy;
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

