/* AllocConnections / FreeConnections. */
#include "alloc_zeroed.h"

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
