/* The cJSON client's Criterion suite: Debian's libcjson (the installed
 * library, not a copy) under every allocation failure in turn, transient,
 * persistent and once per call site, over the seed documents; the shape
 * checker after Parse and Duplicate and around cJSON_Delete; a 100,000-item
 * array; and a planted bug that proves a leak is named with its path.
 * One test per function: a Criterion test is a process, and a process is
 * most of a sweep's cost under Valgrind. */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>

#include "cjson_hooks.h"
#include "cjson_scenarios.h"
#include "cjson_types.h"
#include "memtest.h"
#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include <memharness/shape_check.h>
#include <memharness/shape_gen.h>
#include <memharness/sweep.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

/* cJSON's hooks are process-wide: every test installs them and gives
 * cJSON its defaults back, whatever the test did. */
static void cjson_init(void)
{
    cjson_hooks_install();
    cr_assert(cjson_docs_prepare(), "cannot prepare the seed documents (no fault armed)");
}

static void cjson_fini(void)
{
    cjson_docs_release();
    cjson_hooks_reset();
}

TestSuite(cjson, .init = cjson_init, .fini = cjson_fini);

/* Every seed document (valid_only: the valid ones) through scenario in
 * every mode; one "sweep" figure per sweep in metrics.jsonl, as the NAP
 * sweeps write. */
static void sweep_all(check_ctx *ctx, const char *function, sweep_scenario scenario,
                      bool valid_only)
{
    uint64_t total = 0;
    for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
        for (size_t i = 0; i < cjson_doc_count; i++) {
            cjson_doc *d = &cjson_docs[i];
            if (valid_only && !d->valid)
                continue;
            /* Its sweep is quadratic (2,001 allocations, each failed in
             * turn): plain and ASan run it; under Valgrind it would take
             * most of make check's time for no other kind of finding. */
            if (RUNNING_ON_VALGRIND && strcmp(d->name, "long_array") == 0)
                continue;
            char name[96];
            snprintf(name, sizeof name, "%s(%s)", function, d->name);
            sweep_result r;
            sweep_run(name, scenario, d, sweep_modes[m], ctx, &r);
            total += r.points;
            cr_expect(sweep_report_metric(function, d->name, sweep_modes[m], &r) == 0,
                      "%s(%s): the sweep figure could not be written", function, d->name);
        }
    }
    cr_assert(total > 0, "%s: no fault point was hit: are cJSON's hooks installed?", function);
}

MEMTEST(cjson, cJSON_Parse_survives_every_allocation_failure)
{
    sweep_all(ctx, "cJSON_Parse", cjson_scenario_parse, false);
}

MEMTEST(cjson, cJSON_Duplicate_recursive_survives_every_allocation_failure)
{
    sweep_all(ctx, "cJSON_Duplicate(recurse=true)", cjson_scenario_duplicate, true);
}

MEMTEST(cjson, cJSON_Duplicate_shallow_survives_every_allocation_failure)
{
    sweep_all(ctx, "cJSON_Duplicate(recurse=false)", cjson_scenario_duplicate_shallow, true);
}

MEMTEST(cjson, cJSON_PrintUnformatted_survives_every_allocation_failure)
{
    sweep_all(ctx, "cJSON_PrintUnformatted", cjson_scenario_print, true);
}

/* The shape engine's walker and checker on a list far longer than a
 * recursive walker could follow: cJSON_Parse of a 100,000-item array,
 * checked, duplicated, checked, and deleted under the Free check. */
MEMTEST(cjson, a_100000_item_array_has_the_described_shape)
{
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("the walker's scale is proven in the plain and ASan configurations");
    /* Each guarded run parses or duplicates 100,000 items and walks them:
     * bulk work by design, not an API call that should return in seconds. */
    crash_guard_set_timeout(60);
    enum { N = 100000 };
    char *text = malloc(2 * N + 2);
    cr_assert(text != NULL);
    size_t n = 0;
    text[n++] = '[';
    for (int i = 0; i < N; i++) {
        text[n++] = '0' + (char)(i % 10);
        text[n++] = i + 1 < N ? ',' : ']';
    }
    text[n] = '\0';
    cjson_doc big = {"array_100000", text, true, NULL};
    sweep_run_clean("cJSON_Parse(array_100000)", cjson_scenario_parse, &big, ctx);
    sweep_run_clean("cJSON_Duplicate(array_100000)", cjson_scenario_duplicate, &big, ctx);
    free(text);
}

static void *gen_alloc(size_t size, void *user)
{
    (void)user;
    return tracker_alloc(size, __builtin_return_address(0));
}

/* cJSON_Delete on trees the generator builds from the description: lists
 * of every length up to 8, nested four deep, with cJSON_IsReference and
 * cJSON_StringIsConst set at random, so borrowed children and names (which
 * Delete must leave alone) are mixed with owned ones. */
MEMTEST(cjson, cJSON_Delete_frees_generated_trees_by_their_ownership_flags)
{
    unsigned borrowed = 0, blocks = 0;
    for (unsigned i = 0; i < 300 && check_ok(ctx); i++) {
        shape_gen_env env = {gen_alloc, NULL, NULL, i < 295 ? SHAPE_GEN_RANDOM : SHAPE_GEN_FULL,
                             0, 0};
        shape_src src;
        shape_src_seed(&src, 0xC15011 + i);
        cJSON *root = shape_gen(&cjson_type_item, 1, 0, &src, &env);
        cr_assert(root != NULL);
        shape_root r = {NULL, &cjson_type_item, root, 1, 0};
        shape_walk w;
        shape_walk_init(&w);
        shape_walk_run(&w, &r, NULL);
        for (size_t k = 0; k < w.count; k++) {
            borrowed += w.nodes[k].kind == SHAPE_NODE_BORROWED;
            blocks += w.nodes[k].kind == SHAPE_NODE_BLOCK;
        }
        shape_walk_free(&w);
        check_set_context(ctx, "seed 0x%x", 0xC15011 + i);
        cjson_checked_delete(ctx, root);
        tracker_check_clean(ctx);
        tracker_reset();
    }
    cr_assert(borrowed > 0 && blocks > 1000, "generated %u blocks, %u borrowed", blocks, borrowed);
}

/* A planted bug: a hand-written delete that forgets member names.  The
 * suite must fail and name each leaked block by its member path; proves
 * that the cJSON checks can fail at all. */
static void delete_forgetting_names(cJSON *item)
{
    while (item != NULL) {
        cJSON *next = item->next;
        if (item->child != NULL)
            delete_forgetting_names(item->child);
        cJSON_free(item->valuestring);
        cJSON_free(item);
        item = next;
    }
}

static void leaky_scenario(check_ctx *ctx, void *arg)
{
    (void)arg;
    cJSON *j = cJSON_Parse("{\"keep\":1,\"lost\":\"forgotten\"}");
    if (j == NULL)
        return;
    shape_root r = {NULL, &cjson_type_item, j, 1, 0};
    shape_free_check fc;
    shape_free_begin(&fc, &r, NULL);
    delete_forgetting_names(j);
    shape_free_end(&fc, ctx, "delete_forgetting_names");
}

MEMTEST(cjson, a_planted_leak_is_named_with_its_member_path)
{
    if (RUNNING_ON_VALGRIND)
        cr_skip_test("naming a leak's call site is proven in the plain and ASan configurations");
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_run_clean("leaky", leaky_scenario, NULL, &found);
    fprintf(stderr, "the planted leak is reported as:\n%s", found.message);
    cr_assert(!check_ok(&found), "the planted leak passed");
    cr_assert(strstr(found.message, "delete_forgetting_names: cJSON.child[1].string: leaked "
                                  "(not freed)") != NULL,
              "%s", found.message);
    cr_assert(strstr(found.message, "2 block(s) leaked") != NULL, "%s", found.message);
}
