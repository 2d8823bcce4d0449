/* The check of Debian's libjansson with memharness: json_loads, json_dumps
 * and building an object (json_object_set_new, json_array_append_new,
 * json_pack) over the seed documents, each with every allocation failed in
 * turn, transient, persistent and once per call site.  Prints one line per
 * function, or the findings; exits 0 when nothing was found, 1 otherwise. */
#include <stdio.h>
#include <string.h>

#include "jansson_check.h"

/* Sweeps in which jansson 2.14 itself aborts (jansson-2.14.waivers): where
 * sweeps run in this process (Valgrind), the abort would end the check, so
 * they are left out there, and said so; everywhere else they run. */
static bool aborts_in_process(const char *fn, const jc_doc *d, fault_mode mode)
{
    if (sweep_runs_isolated())
        return false;
    return strcmp(fn, "json_loads") == 0 && strcmp(d->name, "numbers") == 0 &&
           mode == FAULT_PERSISTENT;
}

/* Every mode over every document (or once, doc NULL); returns the points. */
static unsigned long long sweep_docs(const char *fn, sweep_scenario scenario, bool valid_only,
                                     check_ctx *ctx)
{
    unsigned long long points = 0;
    for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
        for (size_t i = 0; i < jc_doc_count; i++) {
            jc_doc *d = &jc_docs[i];
            if (valid_only && !d->valid)
                continue;
            char name[64];
            snprintf(name, sizeof name, "%s(%s)", fn, d->name);
            if (aborts_in_process(fn, d, sweep_modes[m])) {
                printf("%s [%s]: not swept here: jansson 2.14 aborts in it (load.c:255) and "
                       "this sweep runs in the process\n", name, fault_mode_name(sweep_modes[m]));
                continue;
            }
            sweep_result r;
            sweep_run(name, scenario, d, sweep_modes[m], ctx, &r);
            points += r.points;
        }
    }
    return points;
}

int main(void)
{
    jc_hooks_install();
    if (!jc_docs_prepare())
        return 1;
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    unsigned long long loads = sweep_docs("json_loads", jc_scenario_loads, false, &ctx);
    unsigned long long dumps = sweep_docs("json_dumps", jc_scenario_dumps, true, &ctx);
    unsigned long long build = 0;
    for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
        sweep_result r;
        sweep_run("build_object", jc_scenario_build, NULL, sweep_modes[m], &ctx, &r);
        build += r.points;
    }
    sweep_run_clean("build_object", jc_scenario_build, NULL, &ctx);
    jc_docs_release();
    printf("jansson %s: json_loads %llu fault points, json_dumps %llu, build_object %llu\n",
           JANSSON_VERSION, loads, dumps, build);
    if (loads == 0 || dumps == 0 || build == 0) {
        printf("no fault point was hit: are jansson's allocation functions the hooks?\n");
        return 1;
    }
    if (!check_ok(&ctx)) {
        fputs(ctx.message, stdout);
        printf("check_jansson: %u finding(s)\n", ctx.failures);
        return 1;
    }
    printf("check_jansson: no finding\n");
    return 0;
}
