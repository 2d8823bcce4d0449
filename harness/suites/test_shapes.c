/* Recursive free verification (suite 'shape').  For every Free function,
 * thousands of caller-side structures generated from the NAP descriptions
 * (nap_types.c): random counts within the NAP limits, NULL pointers under
 * non-zero counts, count 0 over non-NULL blocks, maximal counts, NULL COM
 * slots, every SoHAttributeType 0..20, 255 and 65535; then a few of them
 * again with every allocation of the build failing in turn.  Around each
 * Free call the shape checker demands that exactly the reachable blocks
 * were freed, once, children first, and every COM slot released once.
 *
 * A failure names the shape's seed, e.g. "FreeSoH(seed=0x5eed000500000007)":
 * nap_shape_case_run with that seed rebuilds the very same structure.
 * NAPUTIL_SHAPE_SEED=N changes the base seed (a fresh set of shapes).
 *
 * The shape_checker tests prove each rule of the checker fails on a
 * deliberate bug, on a toy description that knows nothing of NAP. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include "nap_shape_case.h"
#include <memharness/report_metric.h>
#include "nap_free_targets.h"
#include <memharness/shape_check.h>
#include <memharness/shape_gen.h>
#include <memharness/sweep.h>
#include <memharness/tracker.h>
#include "memtest.h"
#include "checker_report_expect.h"


/* Valgrind costs some 50x per allocation: a smaller sample keeps that
 * configuration's run short while plain and ASan take the full one. */
static unsigned scaled(unsigned plain)
{
    return RUNNING_ON_VALGRIND ? plain / 20 + 1 : plain;
}

static uint64_t base_seed(void)
{
    const char *env = getenv("NAPUTIL_SHAPE_SEED");
    return env != NULL && *env ? strtoull(env, NULL, 0) : 0x5EED0000ull;
}

/* Seeds are spread per function and tag so that one failing shape names a
 * seed that no other function shares. */
static uint64_t seed_for(size_t function, long tag, unsigned i)
{
    return (base_seed() + function * 0x100000ull + (uint64_t)tag) << 32 | i;
}

static void run_case(check_ctx *ctx, void *arg)
{
    nap_shape_case_run(ctx, arg);
}

/* Runs one case cleanly (fresh tracker, leak and misuse check after). */
static void clean_case(check_ctx *ctx, const nap_shape_case *c)
{
    char name[160];
    snprintf(name, sizeof name, "%s(tag=%ld, seed=0x%llx%s)", c->function, c->tag,
             (unsigned long long)c->seed, c->policy == SHAPE_GEN_FULL ? ", maximal" : "");
    sweep_run_clean(name, run_case, (void *)c, ctx);
}

/* The number of failing shapes after which a function's report stops
 * growing: the first ones name the fault, the rest repeat it. */
#define FAILING_SHAPES_SHOWN 2

static unsigned free_function_shapes(const char *function, const long *tags, size_t ntags,
                                     unsigned per_tag, check_ctx *ctx)
{
    const nap_free_target *t = nap_free_target_find(function);
    cr_assert(t != NULL, "no description for %s", function);
    size_t index = (size_t)(t - nap_free_targets);
    unsigned shapes = 0, failing = 0;
    for (size_t k = 0; k < ntags && failing < FAILING_SHAPES_SHOWN; k++) {
        nap_shape_case full = {function, tags[k], 0, SHAPE_GEN_FULL, 0};
        unsigned before = ctx->failures;
        clean_case(ctx, &full);
        failing += ctx->failures != before;
        shapes++;
        for (unsigned i = 0; i < per_tag && failing < FAILING_SHAPES_SHOWN; i++) {
            nap_shape_case c = {function, tags[k], seed_for(index, tags[k], i), SHAPE_GEN_RANDOM,
                                0};
            before = ctx->failures;
            clean_case(ctx, &c);
            failing += ctx->failures != before;
            shapes++;
        }
    }
    return shapes;
}

/* Thousands of shapes per run: a few hundred per Free function (spread
 * over the attribute types for FreeSoHAttributeValue), each also built
 * once with every count at its maximum. */
#define SHAPES_PER_FUNCTION 300

MEMTEST(shapes, every_free_function_on_generated_shapes)
{
    static const long no_tag[] = {0};
    for (size_t f = 0; f < nap_free_target_count; f++) {
        const nap_free_target *t = &nap_free_targets[f];
        unsigned shapes;
        if (t->tagged)
            shapes = free_function_shapes(t->function, nap_soh_attribute_type_probes,
                                          nap_soh_attribute_type_probe_count,
                                          scaled(SHAPES_PER_FUNCTION) / 8 + 1, ctx);
        else
            shapes = free_function_shapes(t->function, no_tag, 1, scaled(SHAPES_PER_FUNCTION),
                                          ctx);
        report_metric("{\"metric\":\"shapes\",\"function\":\"%s\",\"shapes\":%u,"
               "\"base_seed\":%llu}",
               t->function, shapes, (unsigned long long)base_seed());
    }
    fflush(stdout);
}

/* A few generated shapes per Free function again, with each allocation of
 * the build failing in turn (transient, then persistent), counts capped so
 * that a sweep stays short.  A shape that already fails without faults is
 * reported once and not swept: the sweep would only repeat it. */
#define SWEPT_SEEDS 6
#define SWEPT_CAP 6

static void sweep_function(const nap_free_target *t, check_ctx *ctx)
{
    size_t index = (size_t)(t - nap_free_targets);
    uint64_t points = 0;
    unsigned seeds = RUNNING_ON_VALGRIND ? 1 : SWEPT_SEEDS;
    for (unsigned i = 0; i < seeds; i++) {
        long tag = t->tagged
                       ? nap_soh_attribute_type_probes[(i * 5) % nap_soh_attribute_type_probe_count]
                       : 0;
        nap_shape_case c = {t->function, tag, seed_for(index, tag, 1000 + i), SHAPE_GEN_RANDOM,
                            SWEPT_CAP};
        unsigned before = ctx->failures;
        clean_case(ctx, &c);
        if (ctx->failures != before)
            break;
        char name[160];
        snprintf(name, sizeof name, "%s(tag=%ld, seed=0x%llx, counts<=%d)", t->function, tag,
                 (unsigned long long)c.seed, SWEPT_CAP);
        sweep_result r;
        sweep_run(name, run_case, &c, FAULT_TRANSIENT, ctx, &r);
        points += r.points;
        sweep_run(name, run_case, &c, FAULT_PERSISTENT, ctx, &r);
        points += r.points;
        if (ctx->failures != before)
            break;
    }
    report_metric("{\"metric\":\"shape_sweep\",\"function\":\"%s\",\"seeds\":%u,"
           "\"points\":%llu}",
           t->function, seeds, (unsigned long long)points);
}

MEMTEST(shapes, every_free_function_on_shapes_built_under_faults)
{
    for (size_t f = 0; f < nap_free_target_count; f++)
        sweep_function(&nap_free_targets[f], ctx);
    fflush(stdout);
}

/* ---- The generator reaches the edges it promises ------------------------ */

static void *plain_alloc(size_t size, void *user)
{
    (void)user;
    return CoTaskMemAlloc(size);
}

static void generator_reaches_every_edge_of_a_soh(void)
{
    shape_gen_env env = {plain_alloc, NULL, NULL, SHAPE_GEN_RANDOM, 0, NAP_SHAPE_JUNK};
    unsigned null_under_count = 0, zero_over_block = 0, maximal = 0, null_value = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        shape_src src;
        shape_src_seed(&src, seed);
        SoH *soh = shape_gen(&nap_type_SoH, 1, 0, &src, &env);
        cr_assert(soh != NULL);
        null_under_count += soh->attributes == NULL && soh->count > 0;
        zero_over_block += soh->attributes != NULL && soh->count == 0;
        maximal += soh->count == maxSoHAttributeCount && soh->attributes != NULL;
        for (UINT16 i = 0; soh->attributes != NULL && i < soh->count; i++)
            null_value += soh->attributes[i].value == NULL && soh->attributes[i].size > 0;
        crash_guard_enter("FreeSoH(generated, seed=%llu) [no fault]", (unsigned long long)seed);
        FreeSoH(soh);
        crash_guard_leave();
        tracker_reset();
    }
    cr_expect(null_under_count > 0, "never a NULL attributes array under a non-zero count");
    cr_expect(zero_over_block > 0, "never count 0 over a non-NULL attributes array");
    cr_expect(maximal > 0, "never the maximal count %d", maxSoHAttributeCount);
    cr_expect(null_value > 0, "never a NULL value under a non-zero size");
}

/* Same seed, same shape: a seed in a failure report is enough to rebuild. */
static void same_seed_same_shape(void)
{
    shape_gen_env env = {plain_alloc, NULL, NULL, SHAPE_GEN_RANDOM, 0, NAP_SHAPE_JUNK};
    for (uint64_t seed = 1; seed <= 50; seed++) {
        size_t sizes[2][256];
        size_t n[2] = {0, 0};
        for (int round = 0; round < 2; round++) {
            shape_src src;
            shape_src_seed(&src, seed);
            void *root = shape_gen(&nap_type_SystemHealthAgentState, 1, 0, &src, &env);
            shape_root r = {NULL, &nap_type_SystemHealthAgentState, root, 1, 0};
            shape_walk w;
            shape_walk_init(&w);
            shape_walk_run(&w, &r, NULL);
            for (size_t i = 0; i < w.count && i < 256; i++)
                sizes[round][n[round]++] = w.nodes[i].block.size;
            shape_walk_free(&w);
            crash_guard_enter("FreeSystemHealthAgentState(generated, seed=%llu) [no fault]",
                              (unsigned long long)seed);
            FreeSystemHealthAgentState(root);
            crash_guard_leave();
        }
        cr_assert_eq(n[0], n[1], "seed %llu: %zu blocks, then %zu", (unsigned long long)seed,
                     n[0], n[1]);
        cr_assert(memcmp(sizes[0], sizes[1], n[0] * sizeof(size_t)) == 0,
                  "seed %llu: different block sizes", (unsigned long long)seed);
        tracker_reset();
    }
}

/* The byte-stream source (for fuzz decoders): every input decodes to a
 * structure the checker accepts for a correct implementation, including
 * the empty input. */
static void byte_stream_decodes_every_input(check_ctx *ctx)
{
    check_set_context(ctx, "stream");
    unsigned char data[64];
    for (unsigned input = 0; input < scaled(200) && check_ok(ctx); input++) {
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = (unsigned char)((input * 131 + i * 29) ^ (input >> 3));
        size_t len = input % (sizeof data + 1);
        for (size_t f = 0; f < nap_free_target_count; f++) {
            nap_shape_case c = {nap_free_targets[f].function, (long)(input % 24), 0,
                                SHAPE_GEN_RANDOM, 0};
            check_set_context(ctx, "stream input %u (%zu bytes)", input, len);
            crash_guard_enter("%s(stream input %u, %zu bytes) [no fault]", c.function, input,
                              len);
            nap_shape_case_run_stream(ctx, &c, data, len);
            crash_guard_leave();
            verdict_case_end(ctx);
        }
    }
}

/* One process for the three: under Valgrind each test process costs most
 * of a second before it does anything. */
MEMTEST(shapes, generator_edges_seeds_and_byte_streams)
{
    generator_reaches_every_edge_of_a_soh();
    same_seed_same_shape();
    byte_stream_decodes_every_input(ctx);
}

/* ---- The checker's rules, each caught on a deliberate bug --------------- */

/* A toy API: a record with a flags word, counted items (each a counted
 * byte block), a counted name string and counted object slots. */
typedef struct toy_obj {
    int releases, add_refs;
} toy_obj;
typedef struct toy_item {
    uint16_t size;
    unsigned char *bytes;
} toy_item;
typedef struct toy {
    uint32_t flags;
    uint16_t count;
    toy_item *items;
    uint16_t len;
    uint16_t *name;
    uint16_t nobj;
    toy_obj **objs;
} toy;

static const shape_type toy_byte = SHAPE_LEAF_NAMED("byte", unsigned char);
static const shape_type toy_unit = SHAPE_LEAF_NAMED("unit", uint16_t);
static const shape_type toy_slot = SHAPE_COM_NAMED("obj*", toy_obj *);
static const shape_member toy_item_m[] = {
    SHAPE_SCALAR(toy_item, size),
    SHAPE_ARRAY(toy_item, bytes, toy_byte, size, 64),
};
static const shape_type toy_item_t = SHAPE_TYPE_NAMED("item", toy_item, toy_item_m);
static const shape_member toy_m[] = {
    SHAPE_SCALAR(toy, flags),
    SHAPE_SCALAR(toy, count),
    SHAPE_ARRAY(toy, items, toy_item_t, count, 8),
    SHAPE_SCALAR(toy, len),
    SHAPE_STRING(toy, name, toy_unit, len, 32),
    SHAPE_SCALAR(toy, nobj),
    SHAPE_ARRAY(toy, objs, toy_slot, nobj, 4),
};
static const shape_type toy_t = SHAPE_TYPE(toy, toy_m);

static toy_obj toy_objs[2];

static bool toy_counts(const void *obj, void *user, shape_com_counts *out)
{
    (void)user;
    const toy_obj *o = obj;
    if (o != &toy_objs[0] && o != &toy_objs[1])
        return false;
    out->releases = o->releases;
    out->add_refs = o->add_refs;
    out->other_calls = 0;
    return true;
}

static void *zeroed(size_t n)
{
    void *p = CoTaskMemAlloc(n);
    memset(p, 0, n);
    return p;
}

/* A correct toy: two items, a 3-unit name, two object slots. */
static toy *toy_build(void)
{
    memset(toy_objs, 0, sizeof toy_objs);
    toy *t = zeroed(sizeof *t);
    t->count = 2;
    t->items = zeroed(2 * sizeof *t->items);
    for (int i = 0; i < 2; i++) {
        t->items[i].size = 5;
        t->items[i].bytes = zeroed(5);
    }
    t->len = 3;
    t->name = zeroed(4 * sizeof *t->name);
    t->name[0] = t->name[1] = t->name[2] = 'x';
    t->nobj = 2;
    t->objs = zeroed(2 * sizeof *t->objs);
    t->objs[0] = &toy_objs[0];
    t->objs[1] = &toy_objs[1];
    return t;
}

typedef enum toy_bug {
    TOY_CORRECT,
    TOY_LEAK_CHILD,
    TOY_PARENT_FIRST,
    TOY_READ_AFTER_FREE,
    TOY_DOUBLE_FREE,
    TOY_FOREIGN_FREE,
    TOY_INTERIOR_FREE,
    TOY_NO_RELEASE,
    TOY_RELEASE_TWICE,
    TOY_ADDREF,
    TOY_ADDREF_EACH,
    TOY_FREE_OBJECT,
} toy_bug;

static unsigned char *toy_foreign;

static void toy_free(toy *t, toy_bug bug)
{
    for (int i = 0; i < t->nobj; i++) {
        if (bug == TOY_NO_RELEASE && i == 1)
            continue;
        if (bug == TOY_FREE_OBJECT && i == 1) {
            CoTaskMemFree(t->objs[i]);
            continue;
        }
        t->objs[i]->releases += bug == TOY_RELEASE_TWICE && i == 0 ? 2 : 1;
        t->objs[i]->add_refs += (bug == TOY_ADDREF && i == 0) || bug == TOY_ADDREF_EACH;
    }
    CoTaskMemFree(t->objs);
    unsigned char *saved[2] = {t->items[0].bytes, t->items[1].bytes};
    if (bug == TOY_PARENT_FIRST || bug == TOY_READ_AFTER_FREE)
        CoTaskMemFree(t->items);
    for (int i = 0; i < 2; i++) {
        if (bug == TOY_LEAK_CHILD && i == 1)
            continue;
        /* The read-after-free bug reads the pointer out of the freed array. */
        CoTaskMemFree(bug == TOY_READ_AFTER_FREE ? t->items[i].bytes : saved[i]);
    }
    if (bug == TOY_DOUBLE_FREE)
        CoTaskMemFree(saved[0]);
    if (bug == TOY_FOREIGN_FREE)
        CoTaskMemFree(toy_foreign);
    if (bug == TOY_INTERIOR_FREE)
        CoTaskMemFree(&t->items[1]);
    if (bug != TOY_PARENT_FIRST && bug != TOY_READ_AFTER_FREE)
        CoTaskMemFree(t->items);
    CoTaskMemFree(t->name);
    CoTaskMemFree(t);
}

/* Runs the toy Free with bug under the checker; returns its report. */
static check_ctx toy_free_report(toy_bug bug)
{
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    toy_foreign = zeroed(7);
    toy *t = toy_build();
    shape_root r = {NULL, &toy_t, t, 1, 0};
    shape_com_probe probe = {toy_counts, NULL};
    shape_free_check fc;
    shape_free_begin(&fc, &r, &probe);
    toy_free(t, bug);
    shape_free_end(&fc, &ctx, "toy_free");
    tracker_reset();
    return ctx;
}

static void expect_report(toy_bug bug, const char *needle)
{
    expect_checker_report(toy_free_report(bug), "free", (int)bug, needle);
}

MEMTEST(shape_checker, every_free_rule_catches_its_bug)
{
    check_ctx found = toy_free_report(TOY_CORRECT);
    cr_assert(check_ok(&found), "a correct free was flagged:\n%s", found.message);
    expect_report(TOY_LEAK_CHILD, "toy_free: toy.items[1].bytes: leaked (not freed)");
    expect_report(TOY_PARENT_FIRST,
                  "toy.items[0].bytes: freed after toy.items, the block holding its pointer");
    /* Under ASan or Valgrind (no guard bytes then) the tool itself stops
     * the deliberate read of freed memory: the poison is for plain runs. */
    if (tracker_guards_enabled())
        expect_report(TOY_READ_AFTER_FREE, "a pointer read from freed memory (read after free)");
    expect_report(TOY_DOUBLE_FREE, "toy.items[0].bytes: freed twice");
    expect_report(TOY_FOREIGN_FREE, "which is not reachable from the argument");
    expect_report(TOY_INTERIOR_FREE, "toy_free: freed toy.items+0x10, inside a block");
    expect_report(TOY_NO_RELEASE, "toy.objs[1]: released 0 times, expected 1");
    expect_report(TOY_RELEASE_TWICE, "toy.objs[0]: released 2 times, expected 1");
    expect_report(TOY_ADDREF, "toy.objs[0]: AddRef called 1 time, expected none");
    /* The same finding on consecutive slots is one line. */
    expect_report(TOY_ADDREF_EACH, "toy_free: toy.objs[0-1]: AddRef called 1 time each, "
                                   "expected none");
    expect_report(TOY_FREE_OBJECT, "toy.objs[1]: a COM object passed to CoTaskMemFree");
}

/* The Alloc side: a toy result with one deliberate flaw at a time. */
typedef enum toy_alloc_bug {
    TOYA_CORRECT,
    TOYA_WRONG_SIZE,
    TOYA_NONZERO,
    TOYA_UNREACHED,
    TOYA_SHARED,
    TOYA_NULL_UNDER_COUNT,
    TOYA_SLOT_SET,
    TOYA_NO_TERMINATOR,
    TOYA_OLD_BLOCK,
} toy_alloc_bug;

static check_ctx toy_alloc_report(toy_alloc_bug bug)
{
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    void *old = zeroed(3);
    uint64_t seq = tracker_next_seq();
    toy *t = zeroed(sizeof *t);
    t->count = 2;
    t->items = zeroed((bug == TOYA_WRONG_SIZE ? 3 : 2) * sizeof *t->items);
    t->items[0].size = 4;
    t->items[0].bytes = zeroed(4);
    t->items[1].size = 4;
    t->items[1].bytes = bug == TOYA_SHARED ? t->items[0].bytes : zeroed(4);
    t->len = 2;
    t->name = zeroed(3 * sizeof *t->name);
    t->name[0] = t->name[1] = 'y';
    t->nobj = 2;
    t->objs = bug == TOYA_NULL_UNDER_COUNT ? NULL : zeroed(2 * sizeof *t->objs);
    if (bug == TOYA_NONZERO)
        t->flags = 1;
    if (bug == TOYA_UNREACHED)
        zeroed(9);
    if (bug == TOYA_SLOT_SET)
        t->objs[1] = &toy_objs[0];
    if (bug == TOYA_NO_TERMINATOR)
        t->name[2] = 'z';
    if (bug == TOYA_OLD_BLOCK) {
        CoTaskMemFree(t->items[1].bytes);
        t->items[1].bytes = old;
    }
    shape_root r = {NULL, &toy_t, t, 1, 0};
    shape_check_alloc(&ctx, "toy_alloc", &r, seq);
    tracker_reset();
    return ctx;
}

static void expect_alloc_report(toy_alloc_bug bug, const char *needle)
{
    check_ctx ctx = toy_alloc_report(bug);
    cr_assert(!check_ok(&ctx), "alloc bug %d passed the checker", (int)bug);
    cr_assert(strstr(ctx.message, needle) != NULL, "alloc bug %d: expected \"%s\" in:\n%s",
              (int)bug, needle, ctx.message);
}

MEMTEST(shape_checker, every_alloc_rule_catches_its_bug)
{
    check_ctx ok = toy_alloc_report(TOYA_CORRECT);
    cr_assert(check_ok(&ok), "a correct result was flagged:\n%s", ok.message);
    size_t item = sizeof(toy_item);
    char wrong[96];
    snprintf(wrong, sizeof wrong, "toy_alloc: toy.items: wrong size %zu != %zu", 3 * item,
             2 * item);
    expect_alloc_report(TOYA_WRONG_SIZE, wrong);
    expect_alloc_report(TOYA_NONZERO, "toy.flags = 0x1, expected 0");
    expect_alloc_report(TOYA_UNREACHED, "(9 bytes) allocated at");
    expect_alloc_report(TOYA_UNREACHED, "is not reachable from the result (leaked)");
    expect_alloc_report(TOYA_SHARED, "toy.items[0].bytes and toy.items[1].bytes share one block");
    expect_alloc_report(TOYA_NULL_UNDER_COUNT, "toy.objs is NULL but its count is 2");
    expect_alloc_report(TOYA_SLOT_SET, "toy.objs[1] = ");
    expect_alloc_report(TOYA_NO_TERMINATOR, "toy.name[2]: missing terminating zero");
    expect_alloc_report(TOYA_OLD_BLOCK, "toy.items[1].bytes: block #1 existed before the call");
}
