/* Every Free function against docs/CONTRACT.md section 4, on structures the test
 * builds piece by piece from CoTaskMem blocks (never through the Alloc
 * functions, so a broken Alloc cannot hide or fake a Free bug).  For each
 * case the tracker's journal must show exactly the blocks built being freed,
 * the holder last (children first), and nothing else: a block left over is
 * a leak, a pointer freed twice or not ours (bogus pointers planted where
 * the function must not look) is a recorded misuse. */
#include <criterion/criterion.h>
#include <string.h>

#include <memharness/crash_guard.h>
#include "mock_connection.h"
#include "nap_expect.h"
#include "nap_types.h"
#include "naputil.h"
#include "memtest.h"

/* Planted where a Free function must not look: freeing it is an invalid
 * free, dereferencing it a crash. */
#define BOGUS ((void *)(uintptr_t)0x5A5A5A5A5A5A5A50ull)

/* One case of a Free over a counted array: the count passed, the elements
 * really built (more than count plants elements that must not be read),
 * which of them hold NULL instead of a block (bit i: element i). */
typedef struct {
    UINT16 count;
    unsigned elements;
    unsigned null_mask;
    const char *what;
} array_case;

/* A tracked block of n bytes whose content is a recognisable pattern. */
static void *block(size_t n)
{
    unsigned char *p = CoTaskMemAlloc(n);
    cr_assert(p != NULL || n == 0, "CoTaskMemAlloc(%zu) failed", n);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(0x30 + i % 64);
    return p;
}

/* A tracked, zeroed structure, as a caller building one would start. */
static void *zeroed(size_t n)
{
    void *p = CoTaskMemAlloc(n);
    cr_assert(p != NULL, "CoTaskMemAlloc(%zu) failed", n);
    memset(p, 0, n);
    return p;
}

static void begin_case(check_ctx *ctx, const char *fmt, const char *what)
{
    check_set_context(ctx, fmt, what);
    crash_guard_enter("%s [no fault]", ctx->context);
    tracker_journal_start();
}

/* After the Free call: exactly `built` blocks were freed, holder last, and
 * no block is left live (verdict_case_end reports leaks and misuse). */
static void end_case(check_ctx *ctx, const void *holder, size_t built)
{
    tracker_journal_stop();
    crash_guard_leave();
    size_t n;
    const tracker_event *ev = tracker_journal(&n);
    size_t frees = 0;
    const void *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == TRACKER_EV_FREE) {
            frees++;
            last = ev[i].block.ptr;
        }
    }
    CHECK(ctx, frees == built, "freed %zu block(s), expected %zu", frees, built);
    if (holder != NULL && frees > 0)
        CHECK(ctx, last == holder, "the structure itself was not freed last (children first)");
    verdict_case_end(ctx);
}

/* Runs one call under a crash label naming it. */
#define LABELLED(call)                \
    do {                              \
        crash_guard_enter("%s [no fault]", #call); \
        call;                         \
        crash_guard_leave();          \
    } while (0)

MEMTEST(free_functions, null_arguments_are_no_ops)
{
    check_set_context(ctx, "Free(NULL)");
    tracker_journal_start();
    LABELLED(FreeConnections(NULL));
    LABELLED(FreeFixupInfo(NULL));
    LABELLED(FreeCountedString(NULL));
    LABELLED(FreeIsolationInfo(NULL));
    LABELLED(FreeIsolationInfoEx(NULL));
    LABELLED(FreeSoH(NULL));
    LABELLED(FreeNetworkSoH(NULL));
    LABELLED(FreePrivateData(NULL));
    LABELLED(FreeSystemHealthAgentState(NULL));
    for (unsigned t = 0; t <= 17; t++) {
        crash_guard_enter("FreeSoHAttributeValue(%u, NULL) [no fault]", t);
        FreeSoHAttributeValue((SoHAttributeType)t, NULL);
        crash_guard_leave();
    }
    LABELLED(FreeSoHAttributeValue((SoHAttributeType)65535, NULL));
    LABELLED(FreeNapComponentRegistrationInfoArray(3, NULL));
    NapComponentRegistrationInfo *none = NULL;
    LABELLED(FreeNapComponentRegistrationInfoArray(3, &none));
    CHECK(ctx, none == NULL, "FreeNapComponentRegistrationInfoArray wrote %p into *info",
          (void *)none);
    end_case(ctx, NULL, 0);
}

/* Builds a Connections of count slots; slot i holds the next mock of pool
 * unless null_mask has bit i set; returns the mocks used. */
static Connections *build_connections(mock_pool *pool, UINT16 count, UINT16 slots,
                                      unsigned long long null_mask)
{
    Connections *c = zeroed(sizeof *c);
    c->count = count;
    unsigned used = 0;
    for (unsigned i = 0; i < slots; i++)
        if (!(null_mask >> (i % 64) & 1))
            used++;
    cr_assert(mock_pool_init(pool, used), "mock pool");
    if (slots > 0) {
        c->connections = zeroed(slots * sizeof *c->connections);
        used = 0;
        for (unsigned i = 0; i < slots; i++)
            if (!(null_mask >> (i % 64) & 1))
                c->connections[i] = mock_pool_place(pool, used++, i);
    }
    return c;
}

MEMTEST(free_functions, FreeConnections_releases_each_slot_once)
{
    static const struct {
        UINT16 count;
        unsigned long long null_mask;
        const char *what;
    } cases[] = {
        {1, 0, "count=1, slot set"},
        {5, 0, "count=5, all slots set"},
        {6, 0x29, "count=6, slots 0, 3, 5 NULL"},
        {20, 0x80001, "count=20, slots 0 and 19 NULL"},
        {100, 0, "count=100 (above the Alloc maximum: trusted as given)"},
        {4, 0xF, "count=4, every slot NULL"},
    };
    check_set_context(ctx, "FreeConnections");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mock_pool pool;
        Connections *c = build_connections(&pool, cases[i].count, cases[i].count,
                                           cases[i].null_mask);
        begin_case(ctx, "FreeConnections(%s)", cases[i].what);
        FreeConnections(c);
        nap_expect_released_once(ctx, &pool);
        end_case(ctx, c, 2);
        mock_pool_destroy(&pool);
    }
}

MEMTEST(free_functions, FreeConnections_null_array_and_count_0)
{
    check_set_context(ctx, "FreeConnections");
    mock_pool pool;

    Connections *c = build_connections(&pool, 4, 0, 0);
    begin_case(ctx, "FreeConnections(%s)", "count=4, connections NULL");
    FreeConnections(c);
    end_case(ctx, c, 1);
    mock_pool_destroy(&pool);

    /* Two slots holding mocks behind count 0: the array is freed, the
     * mocks are beyond the count and must not be touched. */
    c = build_connections(&pool, 0, 2, 0);
    begin_case(ctx, "FreeConnections(%s)", "count=0, non-NULL array of 2 mocks");
    FreeConnections(c);
    for (unsigned m = 0; m < pool.count; m++)
        CHECK(ctx, pool.items[m].releases == 0 && pool.items[m].add_refs == 0 &&
                        pool.items[m].other_calls == 0,
              "connection %u beyond the count was called (%d Release, %d AddRef, %d other)", m,
              pool.items[m].releases, pool.items[m].add_refs, pool.items[m].other_calls);
    end_case(ctx, c, 2);
    mock_pool_destroy(&pool);
}

/* The three shapes every count/pointer pair is tried in. */
typedef enum pair_shape { FULL, NULL_POINTER, COUNT_ZERO } pair_shape;
static const char *const shape_text[] = {"full", "NULL pointer with count 5",
                                         "count 0 with a non-NULL pointer"};

/* Fills a (count, pointer) pair in the given shape with an element of
 * elem bytes; returns the number of blocks it added (0 or 1). */
static size_t fill_pair(pair_shape shape, size_t elem, UINT16 *count, void **ptr)
{
    *count = shape == COUNT_ZERO ? 0 : shape == NULL_POINTER ? 5 : 3;
    *ptr = shape == NULL_POINTER ? NULL : block(3 * elem);
    return *ptr != NULL;
}

MEMTEST(free_functions, FreeFixupInfo_and_FreeCountedString)
{
    check_set_context(ctx, "Free");
    for (int s = FULL; s <= COUNT_ZERO; s++) {
        FixupInfo *f = zeroed(sizeof *f);
        void *results;
        size_t built = 1 + fill_pair(s, sizeof(HRESULT), &f->resultCodes.count, &results);
        f->resultCodes.results = results;
        begin_case(ctx, "FreeFixupInfo(%s)", shape_text[s]);
        FreeFixupInfo(f);
        end_case(ctx, f, built);

        CountedString *cs = zeroed(sizeof *cs);
        void *text;
        built = 1 + fill_pair(s, sizeof(WCHAR), &cs->length, &text);
        cs->string = text;
        begin_case(ctx, "FreeCountedString(%s)", shape_text[s]);
        FreeCountedString(cs);
        end_case(ctx, cs, built);
    }
}

MEMTEST(free_functions, FreeIsolationInfo_and_Ex)
{
    check_set_context(ctx, "Free");
    for (int s = FULL; s <= COUNT_ZERO; s++) {
        IsolationInfo *i = zeroed(sizeof *i);
        i->isolationState = isolationStateInProbation;
        void *url;
        size_t built = 1 + fill_pair(s, sizeof(WCHAR), &i->failureUrl.length, &url);
        i->failureUrl.string = url;
        begin_case(ctx, "FreeIsolationInfo(failureUrl %s)", shape_text[s]);
        FreeIsolationInfo(i);
        end_case(ctx, i, built);

        IsolationInfoEx *x = zeroed(sizeof *x);
        x->extendedIsolationState = extendedIsolationStateInfected;
        built = 1 + fill_pair(s, sizeof(WCHAR), &x->failureUrl.length, &url);
        x->failureUrl.string = url;
        begin_case(ctx, "FreeIsolationInfoEx(failureUrl %s)", shape_text[s]);
        FreeIsolationInfoEx(x);
        end_case(ctx, x, built);
    }
}

MEMTEST(free_functions, FreeSoH_frees_each_value)
{
    static const array_case cases[] = {
        {3, 3, 0, "count=3, every value set"},
        {4, 4, 0x5, "count=4, values 0 and 2 NULL"},
        {2, 3, 0, "count=2 of 3 elements (the third must not be read)"},
        {0, 2, 0, "count=0 with a non-NULL array (elements must not be read)"},
        {4, 0, 0, "count=4, attributes NULL"},
    };
    check_set_context(ctx, "FreeSoH");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SoH *soh = zeroed(sizeof *soh);
        soh->count = cases[i].count;
        size_t built = 1;
        if (cases[i].elements > 0) {
            soh->attributes = zeroed(cases[i].elements * sizeof *soh->attributes);
            built++;
            for (unsigned a = 0; a < cases[i].elements; a++) {
                SoHAttribute *attr = &soh->attributes[a];
                attr->type = sohAttributeTypeProductName;
                attr->size = 8;
                if (a >= cases[i].count)
                    attr->value = BOGUS;
                else if (!(cases[i].null_mask >> a & 1)) {
                    attr->value = block(8);
                    built++;
                }
            }
        }
        begin_case(ctx, "FreeSoH(%s)", cases[i].what);
        FreeSoH(soh);
        end_case(ctx, soh, built);
    }
}

MEMTEST(free_functions, FreeNetworkSoH_and_FreePrivateData)
{
    check_set_context(ctx, "Free");
    for (int s = FULL; s <= COUNT_ZERO; s++) {
        NetworkSoH *n = zeroed(sizeof *n);
        void *data;
        size_t built = 1 + fill_pair(s, 4, &n->size, &data);
        n->data = data;
        begin_case(ctx, "FreeNetworkSoH(data %s)", shape_text[s]);
        FreeNetworkSoH(n);
        end_case(ctx, n, built);

        PrivateData *p = zeroed(sizeof *p);
        built = 1 + fill_pair(s, 4, &p->size, &data);
        p->data = data;
        begin_case(ctx, "FreePrivateData(data %s)", shape_text[s]);
        FreePrivateData(p);
        end_case(ctx, p, built);
    }
}

MEMTEST(free_functions, FreeSystemHealthAgentState_frees_both_result_arrays)
{
    check_set_context(ctx, "FreeSystemHealthAgentState");
    for (int sha = FULL; sha <= COUNT_ZERO; sha++) {
        for (int fix = FULL; fix <= COUNT_ZERO; fix++) {
            SystemHealthAgentState *st = zeroed(sizeof *st);
            st->id = 79744;
            void *a, *b;
            size_t built = 1 + fill_pair(sha, sizeof(HRESULT), &st->shaResultCodes.count, &a);
            built += fill_pair(fix, sizeof(HRESULT), &st->fixupInfo.resultCodes.count, &b);
            st->shaResultCodes.results = a;
            st->fixupInfo.resultCodes.results = b;
            check_set_context(ctx, "FreeSystemHealthAgentState(shaResultCodes %s, "
                                    "fixupInfo.resultCodes %s)",
                              shape_text[sha], shape_text[fix]);
            crash_guard_enter("%s [no fault]", ctx->context);
            tracker_journal_start();
            FreeSystemHealthAgentState(st);
            end_case(ctx, st, built);
        }
    }
}

/* Which union arm FreeSoHAttributeValue frees per type: read from the one
 * description of SoHAttributeValue (harness/nap/nap_types.c), not restated. */
typedef enum arm { ARM_NONE, ARM_V4, ARM_V6, ARM_CODES, ARM_VENDOR, ARM_OCTETS } arm;

static arm arm_of(unsigned type)
{
    static const struct {
        const char *member;
        arm arm;
    } pointer_arms[] = {
        {"v4AddressesVal", ARM_V4},   {"v6AddressesVal", ARM_V6},
        {"codesVal", ARM_CODES},      {"vendorSpecificVal", ARM_VENDOR},
        {"octetStringVal", ARM_OCTETS},
    };
    const shape_member *m = shape_union_arm(&nap_type_SoHAttributeValue, (long)type);
    for (size_t i = 0; i < sizeof pointer_arms / sizeof pointer_arms[0]; i++)
        if (strcmp(m->name, pointer_arms[i].member) == 0)
            return pointer_arms[i].arm;
    return ARM_NONE; /* idVal, dateTimeVal, uint8Val: nothing embedded */
}

/* Builds a value of the given type whose named arm holds a block (or NULL
 * when with_block is false, or a block behind count 0 when zero_count);
 * every byte the arm does not define is a bogus pattern, so freeing any
 * other member is an invalid free.  Returns the blocks built. */
static size_t build_value(SoHAttributeValue **out, unsigned type, bool with_block,
                          bool zero_count)
{
    SoHAttributeValue *v = CoTaskMemAlloc(sizeof *v);
    cr_assert(v != NULL);
    memset(v, 0x5A, sizeof *v);
    UINT16 n = zero_count ? 0 : 2;
    void *p = NULL;
    switch (arm_of(type)) {
    case ARM_NONE:
        v->idVal = 0x01020304; /* the scalar arms leave the pointer bytes bogus */
        break;
    case ARM_V4:
        p = with_block ? block(2 * sizeof(Ipv4Address)) : NULL;
        v->v4AddressesVal.count = n;
        v->v4AddressesVal.addresses = p;
        break;
    case ARM_V6:
        p = with_block ? block(2 * sizeof(Ipv6Address)) : NULL;
        v->v6AddressesVal.count = n;
        v->v6AddressesVal.addresses = p;
        break;
    case ARM_CODES:
        p = with_block ? block(2 * sizeof(HRESULT)) : NULL;
        v->codesVal.count = n;
        v->codesVal.results = p;
        break;
    case ARM_VENDOR:
        p = with_block ? block(2) : NULL;
        v->vendorSpecificVal.vendorId = 311;
        v->vendorSpecificVal.size = n;
        v->vendorSpecificVal.vendorSpecificData = p;
        break;
    case ARM_OCTETS:
        p = with_block ? block(2) : NULL;
        v->octetStringVal.size = n;
        v->octetStringVal.data = p;
        break;
    }
    *out = v;
    return 1 + (p != NULL);
}

MEMTEST(free_functions, FreeSoHAttributeValue_frees_the_named_arm)
{
    static const unsigned types[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                     0, 1, 17, 255, 65535};
    static const char *const variant[] = {"arm set", "arm pointer NULL",
                                          "arm count 0, pointer set"};
    check_set_context(ctx, "FreeSoHAttributeValue");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        for (int var = 0; var < 3; var++) {
            if (arm_of(types[i]) == ARM_NONE && var > 0)
                continue;
            SoHAttributeValue *v;
            size_t built = build_value(&v, types[i], var != 1, var == 2);
            char what[96];
            snprintf(what, sizeof what, "type=%u, %s", types[i], variant[var]);
            begin_case(ctx, "FreeSoHAttributeValue(%s)", what);
            FreeSoHAttributeValue((SoHAttributeType)types[i], v);
            end_case(ctx, v, built);
        }
    }
}

/* Builds an array of count registration infos (of `elements` allocated);
 * string k of element e is NULL when bit (4e + k) of null_mask is set;
 * elements past count hold bogus pointers.  Returns the blocks built. */
static size_t build_registrations(NapComponentRegistrationInfo **out, UINT16 count,
                                  unsigned elements, unsigned null_mask)
{
    NapComponentRegistrationInfo *a = zeroed(elements * sizeof *a);
    size_t built = 1;
    for (unsigned e = 0; e < elements; e++) {
        CountedString *s[4] = {&a[e].friendlyName, &a[e].description, &a[e].version,
                               &a[e].vendorName};
        a[e].id = 100 + e;
        for (unsigned k = 0; k < 4; k++) {
            s[k]->length = 3;
            if (e >= count)
                s[k]->string = BOGUS;
            else if (!(null_mask >> (4 * e + k) & 1)) {
                s[k]->string = block(4 * sizeof(WCHAR));
                built++;
            }
        }
    }
    *out = a;
    return built;
}

MEMTEST(free_functions, FreeNapComponentRegistrationInfoArray_frees_strings_and_array)
{
    static const array_case cases[] = {
        {1, 1, 0, "count=1, all four strings set"},
        {3, 3, 0, "count=3, all strings set"},
        {3, 3, 0x249, "count=3, some strings NULL"},
        {2, 3, 0, "count=2 of 3 elements (the third must not be read)"},
        {0, 2, 0, "count=0 with a non-NULL array (elements must not be read)"},
    };
    check_set_context(ctx, "FreeNapComponentRegistrationInfoArray");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        NapComponentRegistrationInfo *info;
        size_t built = build_registrations(&info, cases[i].count, cases[i].elements,
                                           cases[i].null_mask);
        NapComponentRegistrationInfo *const before = info;
        begin_case(ctx, "FreeNapComponentRegistrationInfoArray(%s)", cases[i].what);
        FreeNapComponentRegistrationInfoArray(cases[i].count, &info);
        CHECK(ctx, info == before, "*info changed from %p to %p (must keep its value)",
              (void *)before, (void *)info);
        end_case(ctx, before, built);
    }
}
