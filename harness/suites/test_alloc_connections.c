/* AllocConnections against docs/CONTRACT.md section 3: every valid count, the
 * boundaries above the maximum, and a NULL out pointer.  *out starts as
 * NAP_SENTINEL, so a call that reads or frees it is caught by the tracker
 * (invalid free) and one that forgets to write it by nap_expect. */
#include <criterion/criterion.h>

#include "counted_alloc_cases.h"

COUNTED_ALLOC_API(Connections, AllocConnections, FreeConnections, nap_expect_connections_shape,
                  maxConnectionCountPerEnforcer, "the slot array");

COUNTED_ALLOC_SUITE(alloc_connections, every_valid_count_0_to_20)
