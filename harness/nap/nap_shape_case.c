/* Generated Free cases (see nap_shape_case.h). */
#include "nap_shape_case.h"

#include <string.h>

#include <memharness/fault.h>
#include "mock_connection.h"
#include "nap_free_targets.h"
#include <memharness/shape_check.h>

/* Enough mocks for the largest Connections a generator builds. */
#define MOCKS maxConnectionCountPerEnforcer

typedef struct build_state {
    mock_pool pool;
    unsigned next_mock;
    unsigned blocks;
} build_state;

static void *alloc_block(size_t size, void *user)
{
    build_state *b = user;
    void *p = CoTaskMemAlloc(size);
    b->blocks += p != NULL;
    return p;
}

static void *next_mock(void *user)
{
    build_state *b = user;
    if (b->next_mock >= b->pool.count)
        return NULL;
    return mock_pool_iface(&b->pool, b->next_mock++);
}

static bool mock_counts(const void *obj, void *user, shape_com_counts *out)
{
    (void)user;
    mock_connection *m = mock_from_iface((INapEnforcementClientConnection *)obj);
    if (m == NULL)
        return false;
    out->add_refs = m->add_refs;
    out->releases = m->releases;
    out->other_calls = m->other_calls;
    return true;
}

static unsigned run_case(check_ctx *ctx, const nap_shape_case *c, shape_src *src)
{
    const nap_free_target *t = nap_free_target_find(c->function);
    if (t == NULL) {
        check_fail(ctx, "no description for %s", c->function);
        return 0;
    }
    build_state b = {.next_mock = 0, .blocks = 0};
    fault_exempt_begin();
    bool have_pool = mock_pool_init(&b.pool, MOCKS);
    fault_exempt_end();
    if (!have_pool) {
        check_fail(ctx, "out of memory for the mock pool");
        return 0;
    }
    shape_gen_env env = {alloc_block, next_mock, &b, c->policy, c->cap, NAP_SHAPE_JUNK};
    size_t count = t->array_root ? shape_gen_count(NAP_REGISTRATION_ARRAY_MAX, src, &env) : 1;
    void *root = shape_gen(t->type, count, c->tag, src, &env);

    shape_root r = {NULL, t->type, root, count, c->tag};
    shape_com_probe probe = {mock_counts, NULL};
    shape_free_check fc;
    shape_free_begin(&fc, &r, &probe);
    bool kept = t->call(root, count, c->tag);
    shape_free_end(&fc, ctx, c->function);
    if (!kept)
        check_fail(ctx, "%s: wrote to the caller's pointer variable", c->function);
    mock_pool_destroy(&b.pool);
    return b.blocks;
}

unsigned nap_shape_case_run(check_ctx *ctx, const nap_shape_case *c)
{
    shape_src src;
    shape_src_seed(&src, c->seed);
    return run_case(ctx, c, &src);
}

unsigned nap_shape_case_run_stream(check_ctx *ctx, const nap_shape_case *c, const void *data,
                                   size_t len)
{
    shape_src src;
    shape_src_stream(&src, data, len);
    return run_case(ctx, c, &src);
}
