/* The sweep driver (see sweep.h). */
#include <memharness/sweep.h>

#include <stdio.h>

#include <memharness/crash_guard.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

static void run_once(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
                     uint64_t k, check_ctx *ctx, uint64_t *calls, bool *hit)
{
    check_ctx run;
    tracker_reset();
    if (mode == FAULT_SITE)
        fault_disarm(); /* keep the sites failed by earlier runs */
    else
        fault_reset();
    if (mode == FAULT_OFF) {
        check_init(&run, "%s", name);
        crash_guard_enter("%s (no fault injected)", name);
    } else if (mode == FAULT_SITE) {
        check_init(&run, "%s [fault at call site #%llu]", name, (unsigned long long)k);
        crash_guard_enter("%s [fault at call site #%llu]", name, (unsigned long long)k);
        fault_arm_sites();
    } else {
        check_init(&run, "%s [%s fault at allocation %llu]", name, fault_mode_name(mode),
                   (unsigned long long)k);
        crash_guard_enter("%s [%s fault at allocation %llu]", name, fault_mode_name(mode),
                          (unsigned long long)k);
        fault_arm(mode, k);
    }
    scenario(&run, arg);
    fault_disarm();
    *calls = fault_calls();
    *hit = fault_hits() + fault_benign_hits() > 0;
    tracker_check_clean(&run);
    crash_guard_leave();
    check_merge(ctx, &run);
    tracker_reset();
}

void sweep_run(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
               check_ctx *ctx, sweep_result *result)
{
    sweep_result r = {0, 0, 0};
    fault_reset();
    for (uint64_t k = 1;; k++) {
        if (k > SWEEP_MAX_POINTS) {
            check_fail(ctx, "%s: still hitting faults after %d %s points; runaway allocation?",
                       name, SWEEP_MAX_POINTS, fault_mode_name(mode));
            break;
        }
        uint64_t calls;
        bool hit;
        run_once(name, scenario, arg, mode, k, ctx, &calls, &hit);
        r.runs++;
        if (calls > r.max_allocs)
            r.max_allocs = calls;
        if (!hit)
            break;
        r.points++;
    }
    fault_reset();
    if (result != NULL)
        *result = r;
}

void sweep_run_clean(const char *name, sweep_scenario scenario, void *arg, check_ctx *ctx)
{
    uint64_t calls;
    bool hit;
    run_once(name, scenario, arg, FAULT_OFF, 0, ctx, &calls, &hit);
}
