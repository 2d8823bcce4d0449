/* PLANTED BUG (a test of the fuzzer, never of lib/): AllocCountedString
 * scans a word (two code units) at a time, so whenever the NUL sits at an
 * even index it reads one unit past it (or past unit 1024 of an over-long
 * string).  Its results are all correct: only the
 * buffer that ends exactly where the contract stops reading (see
 * fuzz_counted_string.c) together with ASan or Valgrind can see it.
 * fuzz-target: counted_string
 * Every other function is lib's own, pulled in source by source.  Build
 * with -Dnaputil_impl=<abs path of this file>. */
#include <stdint.h>

#include "../../lib/src/connections.c"
#include "../../lib/src/fixup_info.c"
#include "../../lib/src/free_structures.c"
#include "../../lib/src/registration_info.c"
#include "../../lib/src/soh_attribute_value.c"

HRESULT WINAPI AllocCountedString(CountedString **countedString, const WCHAR *string)
{
    if (countedString == NULL)
        return E_INVALIDARG;
    *countedString = NULL;
    if (string == NULL)
        return E_INVALIDARG;
    UINT16 length = 0;
    while (length <= maxStringLength) {
        /* Word at a time: one 4-byte load holds two units. */
        uint32_t pair;
        memcpy(&pair, string + length, sizeof pair);
        if ((pair & 0xFFFFu) == 0)
            break;
        if ((pair >> 16) == 0) {
            length++;
            break;
        }
        length += 2;
    }
    if (length > maxStringLength)
        return E_INVALIDARG;
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
