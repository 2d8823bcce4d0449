/* What sweep.c and its supervised child (sweep_child.c) share, defined in
 * sweep_point.c: one run of a sweep at one fault point, and the loop over
 * points that either of them drives.  Internal to the core. */
#ifndef HARNESS_SWEEP_POINT_H
#define HARNESS_SWEEP_POINT_H

#include <stdbool.h>
#include <stdint.h>

#include <memharness/sweep.h>

#define SWEEP_HIDDEN __attribute__((visibility("hidden")))

/* The outcome of one run: its own findings, unlabelled, and the label they
 * go under once merged into the sweep's ctx. */
typedef struct sweep_point {
    uint64_t k;
    uint64_t calls; /* allocations the run made */
    bool hit;       /* the armed fault happened */
    char label[512];
    check_ctx run;
} sweep_point;

/* Told of each finished run; false stops the loop (the sink cannot go on). */
typedef bool (*sweep_sink)(void *sink_arg, const sweep_point *p);

/* How a loop over points ended. */
typedef enum sweep_end {
    SWEEP_END_DONE,    /* a run hit no fault: every point was reached */
    SWEEP_END_RUNAWAY, /* still hitting faults after SWEEP_MAX_POINTS */
    SWEEP_END_SINK,    /* the sink stopped it */
} sweep_end;

/* The label of a run: the scenario and the fault as armed, or "[no fault
 * hit]" once the run is over and k proved beyond its last allocation. */
SWEEP_HIDDEN void sweep_label(char *buf, size_t size, const char *name, fault_mode mode,
                              uint64_t k, bool over, bool hit);

/* Calls the scenario; the frame where a death's stack is cut. */
SWEEP_HIDDEN void sweep_call_scenario(sweep_scenario scenario, check_ctx *ctx, void *arg);
/* Bytes of sweep_call_scenario's code a return address into it lies within. */
#define SWEEP_CALLER_BYTES 64

/* One run at point k (0 with FAULT_OFF): resets the tracker and the
 * injector, arms the fault, calls the scenario and judges the run into p;
 * guarded: under the call guard (crash_guard.h). */
SWEEP_HIDDEN void sweep_run_point(const char *name, sweep_scenario scenario, void *arg,
                                  fault_mode mode, uint64_t k, bool guarded, sweep_point *p);

/* Runs the points first_k, first_k + 1, ... of a sweep until one hits no
 * fault, handing each outcome to sink; guarded: each run under the call
 * guard (crash_guard.h), for a loop that runs in the test's own process. */
SWEEP_HIDDEN sweep_end sweep_points(const char *name, sweep_scenario scenario, void *arg,
                                    fault_mode mode, uint64_t first_k, bool guarded,
                                    sweep_sink sink, void *sink_arg);

/* Accounts one run's outcome into the sweep's ctx and result, as every
 * sweep does whichever process ran it. */
SWEEP_HIDDEN void sweep_take(check_ctx *ctx, sweep_result *r, const sweep_point *p);

/* Runs the points of a sweep in a child process, one child after another,
 * so that a run that crashes, exits or hangs is a finding at its point and
 * the sweep goes on at the next; false when no child could be started
 * (the caller then sweeps in its own process). */
SWEEP_HIDDEN bool sweep_supervised(const char *name, sweep_scenario scenario, void *arg,
                                   fault_mode mode, check_ctx *ctx, sweep_result *r);

#endif
