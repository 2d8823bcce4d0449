/* ZOO bug: FreeSystemHealthAgentState frees shaResultCodes.results but
 *          forgets the nested fixupInfo.resultCodes.results (leak)
 * expect: contract, faults */
#include <string.h>

#include "naputil.h"

static void *nap_alloc_zeroed(SIZE_T cb)
{
    void *p = CoTaskMemAlloc(cb);
    if (p != NULL)
        memset(p, 0, cb);
    return p;
}

/* AllocConnections / FreeConnections. */

HRESULT WINAPI AllocConnections(Connections **connections, UINT16 connectionsCount)
{
    if (connections == NULL)
        return E_INVALIDARG;
    *connections = NULL;
    if (connectionsCount > maxConnectionCountPerEnforcer)
        return E_INVALIDARG;

    Connections *c = nap_alloc_zeroed(sizeof *c);
    if (c == NULL)
        return E_OUTOFMEMORY;
    if (connectionsCount > 0) {
        c->connections = nap_alloc_zeroed(connectionsCount * sizeof *c->connections);
        if (c->connections == NULL) {
            CoTaskMemFree(c);
            return E_OUTOFMEMORY;
        }
    }
    c->count = connectionsCount;
    *connections = c;
    return S_OK;
}

void WINAPI FreeConnections(Connections *connections)
{
    if (connections == NULL)
        return;
    if (connections->connections != NULL) {
        for (UINT16 i = 0; i < connections->count; i++) {
            INapEnforcementClientConnection *conn = connections->connections[i];
            if (conn != NULL)
                INapEnforcementClientConnection_Release(conn);
        }
        CoTaskMemFree(connections->connections);
    }
    CoTaskMemFree(connections);
}

/* AllocFixupInfo / FreeFixupInfo. */

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

/* FreeSoHAttributeValue: the type tag selects which union arm, if any,
 * holds an embedded pointer. */

void WINAPI FreeSoHAttributeValue(SoHAttributeType type, SoHAttributeValue *value)
{
    if (value == NULL)
        return;
    switch (type) {
    case sohAttributeTypeIpv4FixupServers:
        CoTaskMemFree(value->v4AddressesVal.addresses);
        break;
    case sohAttributeTypeIpv6FixupServers:
        CoTaskMemFree(value->v6AddressesVal.addresses);
        break;
    case sohAttributeTypeComplianceResultCodes:
    case sohAttributeTypeErrorCodes:
        CoTaskMemFree(value->codesVal.results);
        break;
    case sohAttributeTypeVendorSpecific:
        CoTaskMemFree(value->vendorSpecificVal.vendorSpecificData);
        break;
    case sohAttributeTypeSystemHealthId:
    case sohAttributeTypeTimeOfLastUpdate:
    case sohAttributeTypeSoHGenerationTime:
    case sohAttributeTypeHealthClass:
    case sohAttributeTypeFailureCategory:
    case sohAttributeTypeExtendedIsolationState:
        break;
    case sohAttributeTypeClientId:
    case sohAttributeTypeSoftwareVersion:
    case sohAttributeTypeProductName:
    case sohAttributeTypeHealthClassStatus:
    default:
        /* The reference returns unrecognised types as octet strings. */
        CoTaskMemFree(value->octetStringVal.data);
        break;
    }
    CoTaskMemFree(value);
}

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
    CoTaskMemFree(array);
}

