/* ZOO bug: AllocConnections allocates through a die-on-OOM helper that calls
 *          exit(0) when CoTaskMemAlloc returns NULL
 * expect: faults */
#include <string.h>
#include <stdlib.h>

#include "naputil.h"

/* lib's sources that this entry leaves alone are included as they are; the
 * one it changes is copied below with its bug. */
#include "../../lib/src/alloc_zeroed.h"

/* AllocConnections / FreeConnections. */

/* Allocates or ends the process "cleanly" with exit(0): a die-on-OOM
 * helper, the way some programs handle allocation failure. */
static void *alloc_or_die(SIZE_T cb)
{
    void *p = nap_alloc_zeroed(cb);
    if (p == NULL)
        exit(0);
    return p;
}

HRESULT WINAPI AllocConnections(Connections **connections, UINT16 connectionsCount)
{
    if (connections == NULL)
        return E_INVALIDARG;
    *connections = NULL;
    if (connectionsCount > maxConnectionCountPerEnforcer)
        return E_INVALIDARG;

    Connections *c = alloc_or_die(sizeof *c);
    if (c == NULL)
        return E_OUTOFMEMORY;
    if (connectionsCount > 0) {
        c->connections = alloc_or_die(connectionsCount * sizeof *c->connections);
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
