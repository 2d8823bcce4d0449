/* ZOO correct: AllocConnections allocates the slot array before the
 *              Connections block (and frees it if the block fails); the
 *              contract allows any order, so this must pass
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
    if (connectionsCount > maxConnectionCountPerEnforcer)
        return E_INVALIDARG;

    INapEnforcementClientConnection **slots = NULL;
    if (connectionsCount > 0) {
        slots = nap_alloc_zeroed(connectionsCount * sizeof *slots);
        if (slots == NULL)
            return E_OUTOFMEMORY;
    }
    Connections *c = nap_alloc_zeroed(sizeof *c);
    if (c == NULL) {
        CoTaskMemFree(slots);
        return E_OUTOFMEMORY;
    }
    c->connections = slots;
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

