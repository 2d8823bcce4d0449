/* The sweep driver (see sweep.h): a sweep's entry points; the runs at each
 * point are sweep_point.c's.  Where a run happens is sweep_child.c's choice:
 * in a supervised child, so that a crash at one point is a finding and not
 * the end of the sweep, or in this process where a child cannot be used. */
#include <memharness/sweep.h>

#include <stdio.h>

#include <memharness/report_metric.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

#include "sweep_point.h"

typedef struct in_process {
    check_ctx *ctx;
    sweep_result *r;
} in_process;

static bool take_here(void *sink_arg, const sweep_point *p)
{
    in_process *h = sink_arg;
    sweep_take(h->ctx, h->r, p);
    return true;
}

void sweep_run(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
               check_ctx *ctx, sweep_result *result)
{
    sweep_result r = {0};
    fault_reset();
    bool swept = sweep_runs_isolated() && sweep_supervised(name, scenario, arg, mode, ctx, &r);
    if (swept) {
        tracker_reset(); /* as after a sweep in this process */
    } else {
        in_process h = {ctx, &r};
        if (sweep_points(name, scenario, arg, mode, 1, true, take_here, &h) == SWEEP_END_RUNAWAY)
            check_fail(ctx, "%s: still hitting faults after %d %s points; runaway allocation?",
                       name, SWEEP_MAX_POINTS, fault_mode_name(mode));
    }
    fault_reset();
    if (result != NULL)
        *result = r;
}

void sweep_run_clean(const char *name, sweep_scenario scenario, void *arg, check_ctx *ctx)
{
    sweep_result r = {0};
    in_process h = {ctx, &r};
    sweep_point p;
    sweep_run_point(name, scenario, arg, FAULT_OFF, 0, true, &p);
    take_here(&h, &p);
}

const fault_mode sweep_modes[SWEEP_MODE_COUNT] = {FAULT_TRANSIENT, FAULT_PERSISTENT, FAULT_SITE};

int sweep_report_metric(const char *function, const char *scenario, fault_mode mode,
                        const sweep_result *result)
{
    return report_metric("{\"metric\":\"sweep\",\"function\":\"%s\",\"scenario\":\"%s\","
                         "\"mode\":\"%s\",\"points\":%llu,\"allocations\":%llu,"
                         "\"ended\":%llu}",
                         function, scenario, fault_mode_name(mode),
                         (unsigned long long)result->points,
                         (unsigned long long)result->max_allocs,
                         (unsigned long long)result->ended);
}
