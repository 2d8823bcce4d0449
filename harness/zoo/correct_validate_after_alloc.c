/* ZOO correct: AllocConnections and AllocFixupInfo allocate the structure
 *              first and validate the count afterwards, freeing it again on
 *              E_INVALIDARG; the contract allows validating late, so this
 *              must pass
 * expect: pass */
#include <string.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
#include "../../lib/src/alloc_zeroed.h"

/* AllocConnections / FreeConnections. */

HRESULT WINAPI AllocConnections(Connections **connections, UINT16 connectionsCount)
{
    if (connections == NULL)
        return E_INVALIDARG;
    *connections = NULL;

    Connections *c = nap_alloc_zeroed(sizeof *c);
    if (c == NULL)
        return E_OUTOFMEMORY;
    if (connectionsCount > maxConnectionCountPerEnforcer) {
        CoTaskMemFree(c);
        return E_INVALIDARG;
    }
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

    FixupInfo *f = nap_alloc_zeroed(sizeof *f);
    if (f == NULL)
        return E_OUTOFMEMORY;
    if (countResultCodes > maxDwordCountPerSoHAttribute) {
        CoTaskMemFree(f);
        return E_INVALIDARG;
    }
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

