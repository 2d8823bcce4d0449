/* A mock INapEnforcementClientConnection that counts every call, so a test
 * can prove FreeConnections released each non-NULL slot exactly once and
 * called nothing else.  Like a real caller's objects, a mock starts with
 * the reference its slot owns plus 0, 1 or 2 the caller still holds (it
 * AddRef'd before storing), so a Free that releases "until zero" or
 * destroys an object the caller still uses is seen.  Mocks live in a pool owned by the test (plain
 * calloc, not COM task memory: a COM object is released, never
 * CoTaskMemFree'd, and freeing one shows up as an invalid free).  A mock
 * whose count drops to zero is marked destroyed, not freed, so that an
 * extra Release is counted instead of being a use after free. */
#ifndef HARNESS_MOCK_CONNECTION_H
#define HARNESS_MOCK_CONNECTION_H

#include <stdbool.h>

#include "naputil.h"

typedef struct mock_connection {
    INapEnforcementClientConnection iface; /* first: the COM pointer is &iface */
    int refs;            /* reference count; starts at 1 + caller_refs */
    int caller_refs;     /* references the caller keeps after the Free */
    int add_refs;        /* AddRef calls */
    int releases;        /* Release calls */
    int query_interface; /* QueryInterface calls */
    int other_calls;     /* calls of any other method (QueryInterface too) */
    int releases_after_destroy; /* Release calls once refs had reached 0 */
    bool destroyed;      /* refs reached 0 */
    bool placed;         /* handed out to be stored in a slot */
    unsigned id;         /* index in its pool */
    unsigned slot;       /* the slot it was stored in, for messages */
} mock_connection;

typedef struct mock_pool {
    mock_connection *items;
    unsigned count;
} mock_pool;

/* Creates count mocks, mock i with 1 + i % 3 references (the slot's and
 * the caller's); false on out of memory. */
bool mock_pool_init(mock_pool *pool, unsigned count);
/* Frees the pool's mocks (whatever their counts say). */
void mock_pool_destroy(mock_pool *pool);
/* The COM pointer of mock i, marked as stored in slot i. */
INapEnforcementClientConnection *mock_pool_iface(mock_pool *pool, unsigned i);
/* The COM pointer of mock i, marked as stored in the given slot. */
INapEnforcementClientConnection *mock_pool_place(mock_pool *pool, unsigned i, unsigned slot);
/* The mock behind a COM pointer made by this module, or NULL for any other
 * pointer (checked against the mock vtable). */
mock_connection *mock_from_iface(INapEnforcementClientConnection *iface);
/* Total Release calls over the pool. */
int mock_pool_releases(const mock_pool *pool);

#endif
