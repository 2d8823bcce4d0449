/* ZOO bug: AllocConnections calls _exit(0) when connectionsCount is 7: no
 *          exit handler runs, the process just ends
 * expect: contract */
#include <string.h>
#include <unistd.h>

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
    if (connectionsCount > maxConnectionCountPerEnforcer)
        return E_INVALIDARG;
    if (connectionsCount == 7)
        _exit(0);

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

#include "../../lib/src/fixup_info.c"

#include "../../lib/src/counted_string.c"

#include "../../lib/src/free_structures.c"

#include "../../lib/src/soh_attribute_value.c"

#include "../../lib/src/registration_info.c"
