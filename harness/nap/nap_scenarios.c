/* The sweep scenarios (see nap_scenarios.h).  Alloc scenarios cover each
 * boundary of the contract's ranges; Free scenarios build the structure the
 * way a caller would, one CoTaskMemAlloc per embedded pointer, under the
 * same fault schedule, so that a build which fails half-way (NULL pointers
 * with non-zero counts) is freed too. */
#include "nap_scenarios.h"

#include <string.h>

#include "fault.h"
#include "mock_connection.h"
#include "nap_expect.h"

/* ---- Alloc scenarios ---------------------------------------------------- */

static void alloc_connections(check_ctx *ctx, void *arg)
{
    UINT16 n = *(const UINT16 *)arg;
    Connections *c = NAP_SENTINEL;
    HRESULT hr = AllocConnections(&c, n);
    if (!nap_expect_alloc_outcome(ctx, "AllocConnections", hr, n <= maxConnectionCountPerEnforcer,
                                  c))
        return;
    nap_expect_connections_shape(ctx, c, n);
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
    HRESULT hr = AllocFixupInfo(&f, n);
    if (!nap_expect_alloc_outcome(ctx, "AllocFixupInfo", hr, n <= maxDwordCountPerSoHAttribute,
                                  f))
        return;
    nap_expect_fixup_info_shape(ctx, f, n);
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
    HRESULT hr = AllocCountedString(&s, a->null_string ? NULL : buf);
    bool valid = !a->null_string && a->length <= maxStringLength;
    if (!nap_expect_alloc_outcome(ctx, "AllocCountedString", hr, valid, s))
        return;
    nap_expect_counted_string_shape(ctx, s, buf, a->length);
    FreeCountedString(s);
}

/* ---- Free scenarios: caller-built structures ---------------------------- */

/* A block of n bytes, or NULL when the injector refuses it: the structure is
 * then freed with that pointer NULL, as a caller's half-built one would be. */
static void *part(size_t n)
{
    void *p = CoTaskMemAlloc(n);
    if (p != NULL)
        memset(p, 0x11, n);
    return p;
}

static void free_connections_built(check_ctx *ctx, void *arg)
{
    (void)arg;
    enum { N = 4 };
    mock_pool pool;
    fault_exempt_begin();
    bool have_pool = mock_pool_init(&pool, N);
    fault_exempt_end();
    if (!have_pool) {
        check_fail(ctx, "out of memory for the mock pool");
        return;
    }
    Connections *c = part(sizeof *c);
    if (c == NULL) {
        mock_pool_destroy(&pool);
        return;
    }
    c->count = N;
    c->connections = part(N * sizeof *c->connections);
    if (c->connections != NULL) {
        for (unsigned i = 0; i < N; i++)
            c->connections[i] = i == 2 ? NULL : mock_pool_iface(&pool, i);
    }
    bool had_slots = c->connections != NULL;
    FreeConnections(c);
    /* Slot 2 is NULL and must not be touched; the others are released once
     * when the slot array exists, and cannot be reached otherwise. */
    for (unsigned i = 0; i < N; i++) {
        int want = (i == 2 || !had_slots) ? 0 : 1;
        if (pool.items[i].releases != want)
            check_fail(ctx, "FreeConnections: connection %u released %d times, expected %d", i,
                       pool.items[i].releases, want);
    }
    mock_pool_destroy(&pool);
}

static void free_fixup_info_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    FixupInfo *f = part(sizeof *f);
    if (f == NULL)
        return;
    f->resultCodes.count = 7;
    f->resultCodes.results = part(7 * sizeof(HRESULT));
    FreeFixupInfo(f);
}

static void free_counted_string_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    CountedString *s = part(sizeof *s);
    if (s == NULL)
        return;
    s->length = 5;
    s->string = part(6 * sizeof(WCHAR));
    FreeCountedString(s);
}

static void free_isolation_info_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    IsolationInfo *i = part(sizeof *i);
    if (i == NULL)
        return;
    i->failureUrl.length = 10;
    i->failureUrl.string = part(11 * sizeof(WCHAR));
    FreeIsolationInfo(i);
}

static void free_isolation_info_ex_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    IsolationInfoEx *i = part(sizeof *i);
    if (i == NULL)
        return;
    i->failureUrl.length = 10;
    i->failureUrl.string = part(11 * sizeof(WCHAR));
    FreeIsolationInfoEx(i);
}

static void free_soh_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    SoH *soh = part(sizeof *soh);
    if (soh == NULL)
        return;
    soh->count = 3;
    soh->attributes = part(3 * sizeof *soh->attributes);
    if (soh->attributes != NULL) {
        for (unsigned i = 0; i < 3; i++) {
            soh->attributes[i].type = (UINT16)(sohAttributeTypeSystemHealthId + i);
            soh->attributes[i].size = (UINT16)(4 + i);
            soh->attributes[i].value = part(4 + i);
        }
    }
    FreeSoH(soh);
}

static void free_network_soh_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    NetworkSoH *n = part(sizeof *n);
    if (n == NULL)
        return;
    n->size = minNetworkSoHSize;
    n->data = part(minNetworkSoHSize);
    FreeNetworkSoH(n);
}

static void free_private_data_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    PrivateData *p = part(sizeof *p);
    if (p == NULL)
        return;
    p->size = maxPrivateDataSize;
    p->data = part(maxPrivateDataSize);
    FreePrivateData(p);
}

static void free_sha_state_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    SystemHealthAgentState *s = part(sizeof *s);
    if (s == NULL)
        return;
    s->shaResultCodes.count = 2;
    s->shaResultCodes.results = part(2 * sizeof(HRESULT));
    s->fixupInfo.resultCodes.count = 3;
    s->fixupInfo.resultCodes.results = part(3 * sizeof(HRESULT));
    FreeSystemHealthAgentState(s);
}

static void free_soh_attribute_value_built(check_ctx *ctx, void *arg)
{
    (void)ctx;
    SoHAttributeType type = *(const SoHAttributeType *)arg;
    SoHAttributeValue *v = part(sizeof *v);
    if (v == NULL)
        return;
    memset(v, 0, sizeof *v);
    switch (type) {
    case sohAttributeTypeIpv4FixupServers:
        v->v4AddressesVal.count = 2;
        v->v4AddressesVal.addresses = part(2 * sizeof(Ipv4Address));
        break;
    case sohAttributeTypeIpv6FixupServers:
        v->v6AddressesVal.count = 2;
        v->v6AddressesVal.addresses = part(2 * sizeof(Ipv6Address));
        break;
    case sohAttributeTypeComplianceResultCodes:
    case sohAttributeTypeErrorCodes:
        v->codesVal.count = 2;
        v->codesVal.results = part(2 * sizeof(HRESULT));
        break;
    case sohAttributeTypeVendorSpecific:
        v->vendorSpecificVal.size = 9;
        v->vendorSpecificVal.vendorSpecificData = part(9);
        break;
    case sohAttributeTypeSystemHealthId:
    case sohAttributeTypeTimeOfLastUpdate:
    case sohAttributeTypeSoHGenerationTime:
    case sohAttributeTypeHealthClass:
    case sohAttributeTypeFailureCategory:
    case sohAttributeTypeExtendedIsolationState:
        v->idVal = 0x12345678;
        break;
    default:
        v->octetStringVal.size = 5;
        v->octetStringVal.data = part(5);
        break;
    }
    FreeSoHAttributeValue(type, v);
}

static void free_registration_info_built(check_ctx *ctx, void *arg)
{
    (void)ctx, (void)arg;
    enum { N = 3 };
    NapComponentRegistrationInfo *array = part(N * sizeof *array);
    if (array == NULL)
        return;
    for (unsigned i = 0; i < N; i++) {
        CountedString *strings[4] = {&array[i].friendlyName, &array[i].description,
                                     &array[i].version, &array[i].vendorName};
        for (unsigned j = 0; j < 4; j++) {
            strings[j]->length = 3;
            strings[j]->string = part(4 * sizeof(WCHAR));
        }
    }
    NapComponentRegistrationInfo *info = array;
    FreeNapComponentRegistrationInfoArray(N, &info);
    if (info != array)
        check_fail(ctx, "FreeNapComponentRegistrationInfoArray wrote to *info");
}

/* ---- The table ---------------------------------------------------------- */

static const UINT16 c0 = 0, c1 = 1, c20 = 20, c21 = 21, c32767 = 32767, c32768 = 32768,
                    c65535 = 65535, c1000 = 1000, c1001 = 1001;
static const string_arg s0 = {0, false}, s1 = {1, false}, s1024 = {1024, false},
                        s1025 = {1025, false}, snull = {0, true};
static const SoHAttributeType t_ipv4 = sohAttributeTypeIpv4FixupServers,
                              t_ipv6 = sohAttributeTypeIpv6FixupServers,
                              t_codes = sohAttributeTypeComplianceResultCodes,
                              t_errors = sohAttributeTypeErrorCodes,
                              t_vendor = sohAttributeTypeVendorSpecific,
                              t_id = sohAttributeTypeSystemHealthId,
                              t_product = sohAttributeTypeProductName,
                              t_unknown = (SoHAttributeType)255;

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
    S("FreeConnections", "caller-built, 4 slots, one NULL", free_connections_built, NULL),
    S("FreeFixupInfo", "caller-built", free_fixup_info_built, NULL),
    S("FreeCountedString", "caller-built", free_counted_string_built, NULL),
    S("FreeIsolationInfo", "caller-built", free_isolation_info_built, NULL),
    S("FreeIsolationInfoEx", "caller-built", free_isolation_info_ex_built, NULL),
    S("FreeSoH", "caller-built, 3 attributes", free_soh_built, NULL),
    S("FreeNetworkSoH", "caller-built", free_network_soh_built, NULL),
    S("FreePrivateData", "caller-built", free_private_data_built, NULL),
    S("FreeSystemHealthAgentState", "caller-built", free_sha_state_built, NULL),
    S("FreeSoHAttributeValue", "Ipv4FixupServers", free_soh_attribute_value_built, &t_ipv4),
    S("FreeSoHAttributeValue", "Ipv6FixupServers", free_soh_attribute_value_built, &t_ipv6),
    S("FreeSoHAttributeValue", "ComplianceResultCodes", free_soh_attribute_value_built, &t_codes),
    S("FreeSoHAttributeValue", "ErrorCodes", free_soh_attribute_value_built, &t_errors),
    S("FreeSoHAttributeValue", "VendorSpecific", free_soh_attribute_value_built, &t_vendor),
    S("FreeSoHAttributeValue", "SystemHealthId", free_soh_attribute_value_built, &t_id),
    S("FreeSoHAttributeValue", "ProductName", free_soh_attribute_value_built, &t_product),
    S("FreeSoHAttributeValue", "type 255", free_soh_attribute_value_built, &t_unknown),
    S("FreeNapComponentRegistrationInfoArray", "3 caller-built entries",
      free_registration_info_built, NULL),
};

const size_t nap_scenario_count = sizeof nap_scenarios / sizeof nap_scenarios[0];
