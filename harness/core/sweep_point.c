/* One run of a sweep at one fault point, and the loop over points: what
 * the sweep driver (sweep.c) and its supervised child (sweep_child.c) both
 * drive, kept apart from both so that neither calls the other back. */
#include "sweep_point.h"

#include <stdio.h>

#include <memharness/crash_guard.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

void sweep_label(char *buf, size_t size, const char *name, fault_mode mode, uint64_t k, bool over,
                 bool hit)
{
    if (mode == FAULT_OFF)
        snprintf(buf, size, "%s [no fault]", name);
    else if (over && !hit) /* a message must never name a fault that did not happen */
        snprintf(buf, size, "%s [no fault hit]", name);
    else if (mode == FAULT_SITE)
        snprintf(buf, size, "%s [fault at call site #%llu]", name, (unsigned long long)k);
    else
        snprintf(buf, size, "%s [%s fault at allocation %llu]", name, fault_mode_name(mode),
                 (unsigned long long)k);
}

/* Every scenario is called from here, so that a death's stack can end at
 * the scenario (sweep_child.c cuts it where this frame begins): the frames
 * below are the harness's own.  The barrier keeps the call from becoming a
 * jump, which would take this frame off the stack. */
__attribute__((noinline)) void sweep_call_scenario(sweep_scenario scenario, check_ctx *ctx,
                                                   void *arg)
{
    scenario(ctx, arg);
    __asm__ volatile("" ::: "memory");
}

void sweep_run_point(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
                     uint64_t k, bool guarded, sweep_point *p)
{
    tracker_reset();
    if (mode == FAULT_SITE)
        fault_disarm(); /* keep the sites failed by earlier runs */
    else
        fault_reset();
    p->k = k;
    /* The scenario's lines carry no prefix: the label is known only after
     * the run (whether the fault was hit). */
    check_init(&p->run, "%s", "");
    sweep_label(p->label, sizeof p->label, name, mode, k, false, false);
    if (guarded)
        crash_guard_enter("%s", p->label);
    if (mode == FAULT_SITE)
        fault_arm_sites();
    else if (mode != FAULT_OFF)
        fault_arm(mode, k);
    sweep_call_scenario(scenario, &p->run, arg);
    fault_disarm();
    p->calls = fault_calls();
    p->hit = fault_hits() + fault_benign_hits() > 0;
    tracker_check_clean(&p->run);
    if (guarded)
        crash_guard_leave();
    sweep_label(p->label, sizeof p->label, name, mode, k, true, p->hit);
    tracker_reset();
}

sweep_end sweep_points(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
                       uint64_t first_k, bool guarded, sweep_sink sink, void *sink_arg)
{
    sweep_point p;
    for (uint64_t k = first_k;; k++) {
        if (k > SWEEP_MAX_POINTS)
            return SWEEP_END_RUNAWAY;
        sweep_run_point(name, scenario, arg, mode, k, guarded, &p);
        if (!sink(sink_arg, &p))
            return SWEEP_END_SINK;
        if (!p.hit)
            return SWEEP_END_DONE;
    }
}

void sweep_take(check_ctx *ctx, sweep_result *r, const sweep_point *p)
{
    check_merge_labelled(ctx, &p->run, p->label);
    r->runs++;
    if (p->calls > r->max_allocs)
        r->max_allocs = p->calls;
    if (p->hit)
        r->points++;
}
