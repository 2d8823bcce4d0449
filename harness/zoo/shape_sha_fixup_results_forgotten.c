/* ZOO bug: FreeSystemHealthAgentState frees the struct and
 *          shaResultCodes.results but forgets fixupInfo.resultCodes.results;
 *          the shape checker must name that member path
 * expect: contract, shape, faults */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
#include "../../lib/src/alloc_zeroed.h"

#include "../../lib/src/connections.c"

#include "../../lib/src/counted_string.c"

#include "../../lib/src/fixup_info.c"

/* The Free functions for structures whose embedded pointers do not depend
 * on a type tag: IsolationInfo(Ex), SoH, NetworkSoH, PrivateData and
 * SystemHealthAgentState.  Children are freed before their holder. */

void WINAPI FreeIsolationInfo(IsolationInfo *isolationInfo)
{
    if (isolationInfo == NULL)
        return;
    CoTaskMemFree(isolationInfo->failureUrl.string);
    CoTaskMemFree(isolationInfo);
}

void WINAPI FreeIsolationInfoEx(IsolationInfoEx *isolationInfo)
{
    if (isolationInfo == NULL)
        return;
    CoTaskMemFree(isolationInfo->failureUrl.string);
    CoTaskMemFree(isolationInfo);
}

void WINAPI FreeSoH(SoH *soh)
{
    if (soh == NULL)
        return;
    if (soh->attributes != NULL) {
        for (UINT16 i = 0; i < soh->count; i++)
            CoTaskMemFree(soh->attributes[i].value);
        CoTaskMemFree(soh->attributes);
    }
    CoTaskMemFree(soh);
}

void WINAPI FreeNetworkSoH(NetworkSoH *networkSoh)
{
    if (networkSoh == NULL)
        return;
    CoTaskMemFree(networkSoh->data);
    CoTaskMemFree(networkSoh);
}

void WINAPI FreePrivateData(PrivateData *privateData)
{
    if (privateData == NULL)
        return;
    CoTaskMemFree(privateData->data);
    CoTaskMemFree(privateData);
}

void WINAPI FreeSystemHealthAgentState(SystemHealthAgentState *systemHealthAgentState)
{
    if (systemHealthAgentState == NULL)
        return;
    CoTaskMemFree(systemHealthAgentState->shaResultCodes.results);
    CoTaskMemFree(systemHealthAgentState);
}

#include "../../lib/src/registration_info.c"

#include "../../lib/src/soh_attribute_value.c"
