/* PLANTED BUG (a test of the fuzzer, never of lib/): AllocConnections
 * range-checks connectionsCount through a signed 16-bit cast, so counts
 * 32768..65535 look negative, pass the check and are allocated instead of
 * giving E_INVALIDARG.  Every other function is lib's own, pulled in source
 * by source.  Build with -Dnaputil_impl=<abs path of this file>.
 * fuzz-target: connections */
#include <stdint.h>

#include "../../lib/src/counted_string.c"
#include "../../lib/src/fixup_info.c"
#include "../../lib/src/free_structures.c"
#include "../../lib/src/registration_info.c"
#include "../../lib/src/soh_attribute_value.c"

HRESULT WINAPI AllocConnections(Connections **connections, UINT16 connectionsCount)
{
    if (connections == NULL)
        return E_INVALIDARG;
    *connections = NULL;
    if ((int16_t)connectionsCount > maxConnectionCountPerEnforcer)
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
        for (UINT16 i = 0; i < connections->count; i++)
            if (connections->connections[i] != NULL)
                INapEnforcementClientConnection_Release(connections->connections[i]);
        CoTaskMemFree(connections->connections);
    }
    CoTaskMemFree(connections);
}
