/* FreeNapComponentRegistrationInfoArray: *info is one contiguous array of
 * count structures, as the NAP management calls return it. */
#include "naputil.h"

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
    CoTaskMemFree(array);
}
