/* The sweep scenarios (see nap_scenarios.h).  Alloc scenarios cover each
 * boundary of the contract's ranges and free whatever the call handed back,
 * whatever they concluded about it, so that every leak the sweep reports
 * is the implementation's; Free scenarios build the structure the
 * way a caller would, one CoTaskMemAlloc per embedded pointer, under the
 * same fault schedule, so that a build which fails half-way (NULL pointers
 * with non-zero counts) is freed too. */
#include "nap_scenarios.h"

#include <string.h>

#include <memharness/fault.h>
#include "mock_connection.h"
#include "nap_expect.h"
#include "nap_shape_case.h"
#include "nap_types.h"
#include <memharness/tracker.h>

/* ---- Alloc scenarios ---------------------------------------------------- */

static void alloc_connections(check_ctx *ctx, void *arg)
{
    UINT16 n = *(const UINT16 *)arg;
    Connections *c = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    HRESULT hr = AllocConnections(&c, n);
    if (!nap_expect_alloc_outcome(ctx, "AllocConnections", hr, n <= maxConnectionCountPerEnforcer,
                                  c)) {
        nap_release_result(&nap_type_Connections, c, seq);
        return;
    }
    nap_expect_connections_shape(ctx, c, n);
    nap_expect_alloc_exact(ctx, "AllocConnections", &nap_type_Connections, c, seq);
    mock_pool pool;
    fault_exempt_begin();
    bool have_pool = mock_pool_init(&pool, n);
    fault_exempt_end();
    if (!have_pool) {
        check_fail(ctx, "out of memory for the mock pool");
        FreeConnections(c);
        return;
    }
    for (UINT16 i = 0; i < n && i < c->count; i++)
        c->connections[i] = mock_pool_iface(&pool, i);
    FreeConnections(c);
    nap_expect_released_once(ctx, &pool);
    mock_pool_destroy(&pool);
}

static void alloc_fixup_info(check_ctx *ctx, void *arg)
{
    UINT16 n = *(const UINT16 *)arg;
    FixupInfo *f = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    HRESULT hr = AllocFixupInfo(&f, n);
    if (!nap_expect_alloc_outcome(ctx, "AllocFixupInfo", hr, n <= maxDwordCountPerSoHAttribute,
                                  f)) {
        nap_release_result(&nap_type_FixupInfo, f, seq);
        return;
    }
    nap_expect_fixup_info_shape(ctx, f, n);
    nap_expect_alloc_exact(ctx, "AllocFixupInfo", &nap_type_FixupInfo, f, seq);
    FreeFixupInfo(f);
}

/* A string of the given length (NUL at [length]), made of non-ASCII UTF-16
 * units including a surrogate pair, in a buffer one unit longer than the
 * contract ever reads. */
typedef struct string_arg {
    UINT16 length;
    bool null_string;
} string_arg;

static void alloc_counted_string(check_ctx *ctx, void *arg)
{
    const string_arg *a = arg;
    static WCHAR buf[maxStringLength + 2];
    for (unsigned i = 0; i < a->length && i < maxStringLength + 1; i++)
        buf[i] = (WCHAR)(i % 3 == 0 ? 0xD83D : i % 3 == 1 ? 0xDE00 : 0x00E9 + i % 7);
    buf[a->length] = 0;
    CountedString *s = NAP_SENTINEL;
    uint64_t seq = tracker_next_seq();
    HRESULT hr = AllocCountedString(&s, a->null_string ? NULL : buf);
    bool valid = !a->null_string && a->length <= maxStringLength;
    if (!nap_expect_alloc_outcome(ctx, "AllocCountedString", hr, valid, s)) {
        nap_release_result(&nap_type_CountedString, s, seq);
        return;
    }
    nap_expect_counted_string_shape(ctx, s, buf, a->length);
    nap_expect_alloc_exact(ctx, "AllocCountedString", &nap_type_CountedString, s, seq);
    FreeCountedString(s);
}

/* ---- Free scenarios: caller-built structures ---------------------------- */

/* The structure comes from its description (nap_types.c) through the
 * generator, every block a CoTaskMemAlloc under the sweep's fault schedule;
 * the shape checker then demands that the Free call released exactly what
 * was reachable, children first, and each COM slot once. */
static void free_built(check_ctx *ctx, void *arg)
{
    nap_shape_case_run(ctx, arg);
}

/* ---- The table ---------------------------------------------------------- */

static const UINT16 c0 = 0, c1 = 1, c20 = 20, c21 = 21, c32767 = 32767, c32768 = 32768,
                    c65535 = 65535, c1000 = 1000, c1001 = 1001;
static const string_arg s0 = {0, false}, s1 = {1, false}, s1024 = {1024, false},
                        s1025 = {1025, false}, snull = {0, true};
/* Free cases: every count 3 and every pointer filled, so that each
 * allocation of the build is a fault point; one random shape besides. */
#define FULL(fn, tag) {fn, (tag), 0, SHAPE_GEN_FULL, 3}
static const nap_shape_case f_connections = FULL("FreeConnections", 0),
                            f_connections_random = {"FreeConnections", 0, 0x5EED, SHAPE_GEN_RANDOM,
                                                    6},
                            f_fixup_info = FULL("FreeFixupInfo", 0),
                            f_counted_string = FULL("FreeCountedString", 0),
                            f_isolation_info = FULL("FreeIsolationInfo", 0),
                            f_isolation_info_ex = FULL("FreeIsolationInfoEx", 0),
                            f_soh = FULL("FreeSoH", 0),
                            f_network_soh = FULL("FreeNetworkSoH", 0),
                            f_private_data = FULL("FreePrivateData", 0),
                            f_sha_state = FULL("FreeSystemHealthAgentState", 0),
                            f_ipv4 = FULL("FreeSoHAttributeValue", sohAttributeTypeIpv4FixupServers),
                            f_ipv6 = FULL("FreeSoHAttributeValue", sohAttributeTypeIpv6FixupServers),
                            f_codes = FULL("FreeSoHAttributeValue",
                                           sohAttributeTypeComplianceResultCodes),
                            f_errors = FULL("FreeSoHAttributeValue", sohAttributeTypeErrorCodes),
                            f_vendor = FULL("FreeSoHAttributeValue", sohAttributeTypeVendorSpecific),
                            f_id = FULL("FreeSoHAttributeValue", sohAttributeTypeSystemHealthId),
                            f_product = FULL("FreeSoHAttributeValue", sohAttributeTypeProductName),
                            f_unknown = FULL("FreeSoHAttributeValue", 255),
                            f_registration = FULL("FreeNapComponentRegistrationInfoArray", 0);

#define S(fn, label, run, arg) {fn, fn "(" label ")", run, arg}

const nap_scenario nap_scenarios[] = {
    S("AllocConnections", "count=0", alloc_connections, &c0),
    S("AllocConnections", "count=1", alloc_connections, &c1),
    S("AllocConnections", "count=20", alloc_connections, &c20),
    S("AllocConnections", "count=21", alloc_connections, &c21),
    S("AllocConnections", "count=32767", alloc_connections, &c32767),
    S("AllocConnections", "count=32768", alloc_connections, &c32768),
    S("AllocConnections", "count=65535", alloc_connections, &c65535),
    S("AllocFixupInfo", "count=0", alloc_fixup_info, &c0),
    S("AllocFixupInfo", "count=1", alloc_fixup_info, &c1),
    S("AllocFixupInfo", "count=1000", alloc_fixup_info, &c1000),
    S("AllocFixupInfo", "count=1001", alloc_fixup_info, &c1001),
    S("AllocFixupInfo", "count=65535", alloc_fixup_info, &c65535),
    S("AllocCountedString", "length=0", alloc_counted_string, &s0),
    S("AllocCountedString", "length=1", alloc_counted_string, &s1),
    S("AllocCountedString", "length=1024", alloc_counted_string, &s1024),
    S("AllocCountedString", "length=1025", alloc_counted_string, &s1025),
    S("AllocCountedString", "string=NULL", alloc_counted_string, &snull),
    S("FreeConnections", "caller-built, 3 slots", free_built, &f_connections),
    S("FreeConnections", "caller-built, random shape", free_built, &f_connections_random),
    S("FreeFixupInfo", "caller-built", free_built, &f_fixup_info),
    S("FreeCountedString", "caller-built", free_built, &f_counted_string),
    S("FreeIsolationInfo", "caller-built", free_built, &f_isolation_info),
    S("FreeIsolationInfoEx", "caller-built", free_built, &f_isolation_info_ex),
    S("FreeSoH", "caller-built, 3 attributes", free_built, &f_soh),
    S("FreeNetworkSoH", "caller-built", free_built, &f_network_soh),
    S("FreePrivateData", "caller-built", free_built, &f_private_data),
    S("FreeSystemHealthAgentState", "caller-built", free_built, &f_sha_state),
    S("FreeSoHAttributeValue", "Ipv4FixupServers", free_built, &f_ipv4),
    S("FreeSoHAttributeValue", "Ipv6FixupServers", free_built, &f_ipv6),
    S("FreeSoHAttributeValue", "ComplianceResultCodes", free_built, &f_codes),
    S("FreeSoHAttributeValue", "ErrorCodes", free_built, &f_errors),
    S("FreeSoHAttributeValue", "VendorSpecific", free_built, &f_vendor),
    S("FreeSoHAttributeValue", "SystemHealthId", free_built, &f_id),
    S("FreeSoHAttributeValue", "ProductName", free_built, &f_product),
    S("FreeSoHAttributeValue", "type 255", free_built, &f_unknown),
    S("FreeNapComponentRegistrationInfoArray", "3 caller-built entries", free_built,
      &f_registration),
};

const size_t nap_scenario_count = sizeof nap_scenarios / sizeof nap_scenarios[0];
