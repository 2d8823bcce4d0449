/* The counting mock connection (see mock_connection.h). */
#include "mock_connection.h"

#include <stddef.h>
#include <stdlib.h>

static mock_connection *self(INapEnforcementClientConnection *This)
{
    return (mock_connection *)((char *)This - offsetof(mock_connection, iface));
}

static HRESULT STDMETHODCALLTYPE mock_query_interface(INapEnforcementClientConnection *This,
                                                      REFIID riid, void **ppv)
{
    (void)riid;
    self(This)->query_interface++;
    self(This)->other_calls++;
    if (ppv != NULL)
        *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE mock_add_ref(INapEnforcementClientConnection *This)
{
    mock_connection *m = self(This);
    m->add_refs++;
    return (ULONG)++m->refs;
}

static ULONG STDMETHODCALLTYPE mock_release(INapEnforcementClientConnection *This)
{
    mock_connection *m = self(This);
    m->releases++;
    if (m->destroyed)
        m->releases_after_destroy++;
    else if (--m->refs == 0)
        m->destroyed = true;
    return (ULONG)(m->refs > 0 ? m->refs : 0);
}

/* Every interface method beyond IUnknown only counts: FreeConnections has no
 * business calling any of them.  The vtable slots are typed differently, so
 * each gets a thin typed stub that forwards to one counter. */
static HRESULT count_other(INapEnforcementClientConnection *This)
{
    self(This)->other_calls++;
    return E_INVALIDARG;
}

#define UNUSED __attribute__((unused))
#define STUB(name, ...)                                                              \
    static HRESULT STDMETHODCALLTYPE mock_##name(INapEnforcementClientConnection *This, \
                                                 __VA_ARGS__)                         \
    {                                                                                \
        return count_other(This);                                                    \
    }

STUB(initialize, EnforcementEntityId a UNUSED, INapEnforcementClientBinding *b UNUSED)
STUB(set_max_size, ProtocolMaxSize a UNUSED)
STUB(get_max_size, ProtocolMaxSize *a UNUSED)
STUB(set_flags, UINT32 a UNUSED)
STUB(get_flags, UINT32 *a UNUSED)
STUB(set_connection_id, const ConnectionId *a UNUSED)
STUB(get_connection_id, ConnectionId **a UNUSED)
STUB(get_correlation_id, CorrelationId *a UNUSED)
STUB(get_string_correlation_id, StringCorrelationId **a UNUSED)
STUB(set_correlation_id, CorrelationId a UNUSED)
STUB(set_soh_request, const NetworkSoHRequest *a UNUSED)
STUB(get_soh_request, NetworkSoHRequest **a UNUSED)
STUB(set_soh_response, const NetworkSoHResponse *a UNUSED)
STUB(get_soh_response, NetworkSoHResponse **a UNUSED)
STUB(set_isolation_info, const IsolationInfo *a UNUSED)
STUB(get_isolation_info, IsolationInfo **a UNUSED)
STUB(set_private_data, const PrivateData *a UNUSED)
STUB(get_private_data, PrivateData **a UNUSED)
STUB(set_enforcer_private_data, const PrivateData *a UNUSED)
STUB(get_enforcer_private_data, PrivateData **a UNUSED)

static const INapEnforcementClientConnectionVtbl mock_vtbl = {
    mock_query_interface,      mock_add_ref,
    mock_release,              mock_initialize,
    mock_set_max_size,         mock_get_max_size,
    mock_set_flags,            mock_get_flags,
    mock_set_connection_id,    mock_get_connection_id,
    mock_get_correlation_id,   mock_get_string_correlation_id,
    mock_set_correlation_id,   mock_set_soh_request,
    mock_get_soh_request,      mock_set_soh_response,
    mock_get_soh_response,     mock_set_isolation_info,
    mock_get_isolation_info,   mock_set_private_data,
    mock_get_private_data,     mock_set_enforcer_private_data,
    mock_get_enforcer_private_data,
};

bool mock_pool_init(mock_pool *pool, unsigned count)
{
    pool->count = 0;
    pool->items = calloc(count ? count : 1, sizeof *pool->items);
    if (pool->items == NULL)
        return false;
    for (unsigned i = 0; i < count; i++) {
        pool->items[i].iface.lpVtbl = &mock_vtbl;
        pool->items[i].caller_refs = (int)(i % 3);
        pool->items[i].refs = 1 + pool->items[i].caller_refs;
        pool->items[i].id = i;
        pool->items[i].slot = i;
    }
    pool->count = count;
    return true;
}

void mock_pool_destroy(mock_pool *pool)
{
    free(pool->items);
    pool->items = NULL;
    pool->count = 0;
}

INapEnforcementClientConnection *mock_pool_iface(mock_pool *pool, unsigned i)
{
    return mock_pool_place(pool, i, i);
}

INapEnforcementClientConnection *mock_pool_place(mock_pool *pool, unsigned i, unsigned slot)
{
    pool->items[i].placed = true;
    pool->items[i].slot = slot;
    return &pool->items[i].iface;
}

mock_connection *mock_from_iface(INapEnforcementClientConnection *iface)
{
    if (iface == NULL || iface->lpVtbl != &mock_vtbl)
        return NULL;
    return self(iface);
}

int mock_pool_releases(const mock_pool *pool)
{
    int total = 0;
    for (unsigned i = 0; i < pool->count; i++)
        total += pool->items[i].releases;
    return total;
}
