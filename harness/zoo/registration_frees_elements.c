/* ZOO bug: FreeNapComponentRegistrationInfoArray treats the contiguous array
 *          as an array of separately allocated elements and frees each
 *          &array[i]
 * expect: contract, faults */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
#include "../../lib/src/alloc_zeroed.h"

#include "../../lib/src/connections.c"

#include "../../lib/src/fixup_info.c"

#include "../../lib/src/counted_string.c"

#include "../../lib/src/free_structures.c"

#include "../../lib/src/soh_attribute_value.c"

/* FreeNapComponentRegistrationInfoArray: *info is one contiguous array of
 * count structures, as the NAP management calls return it. */

void WINAPI FreeNapComponentRegistrationInfoArray(UINT16 count,
                                                  NapComponentRegistrationInfo **info)
{
    if (info == NULL || *info == NULL)
        return;
    NapComponentRegistrationInfo *array = *info;
    for (UINT16 i = 0; i < count; i++) {
        CoTaskMemFree(array[i].friendlyName.string);
        CoTaskMemFree(array[i].description.string);
        CoTaskMemFree(array[i].version.string);
        CoTaskMemFree(array[i].vendorName.string);
    }
    for (UINT16 i = 1; i < count; i++)
        CoTaskMemFree(&array[i]);
    CoTaskMemFree(array);
}

