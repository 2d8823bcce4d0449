/* The sweep driver, after SQLite's and curl's torture loops: runs a scenario
 * with the k-th allocation failing, for k = 1, 2, ... until a run no longer
 * reaches the k-th allocation, in transient or persistent mode (or once per
 * call site in site mode).  After every run it demands what holds for any
 * API: no block left live that the run allocated, and no misuse recorded by
 * the tracker.  What the API must return under a fault is the scenario's to
 * check (it can read fault_hits()).
 *
 * The runs happen in a child process (one per sweep), so that a run that
 * crashes, aborts, exits or hangs is a finding at its point, named with its
 * stack, and the sweep goes on at the next point.  A scenario therefore
 * reports only through its check_ctx: what it writes to other memory does
 * not reach the caller.  Under Valgrind (whose output a forked child may
 * not write) and ThreadSanitizer, or with MEMHARNESS_SWEEP_ISOLATION=off
 * (a debugger), the runs happen in the calling process and the call guard
 * (crash_guard.h) names a run that ends it. */
#ifndef HARNESS_SWEEP_H
#define HARNESS_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#include <memharness/check.h>
#include <memharness/fault.h>

/* A scenario exercises the API once, checks what it promises into ctx, and
 * releases everything it was handed, success or not. */
typedef void (*sweep_scenario)(check_ctx *ctx, void *arg);

typedef struct sweep_result {
    uint64_t points;    /* fault points swept (runs in which a fault hit) */
    uint64_t runs;      /* runs in all, including the final clean one */
    uint64_t max_allocs; /* most allocations one run made */
    uint64_t ended;     /* runs that ended their process (crash, exit, hang) */
} sweep_result;

/* Safety bound on k: a scenario that allocates without end is a failure. */
#define SWEEP_MAX_POINTS 100000

/* Runs the sweep in mode (FAULT_TRANSIENT, FAULT_PERSISTENT or FAULT_SITE),
 * recording violations into ctx with the scenario's name, the mode and k;
 * resets tracker and injector before each run and leaves injection off. */
void sweep_run(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
               check_ctx *ctx, sweep_result *result);

/* Whether sweep_run runs its points in a child process here: not under
 * Valgrind or ThreadSanitizer, nor with MEMHARNESS_SWEEP_ISOLATION=off. */
bool sweep_runs_isolated(void);

/* Runs the scenario once with injection off, with the same after-run checks. */
void sweep_run_clean(const char *name, sweep_scenario scenario, void *arg, check_ctx *ctx);

/* The modes a full sweep runs, in this order: transient, persistent, site.
 * Every suite sweeps these, so that a mode added here reaches them all. */
#define SWEEP_MODE_COUNT 3
extern const fault_mode sweep_modes[SWEEP_MODE_COUNT];

/* Writes the "sweep" figure of one sweep to metrics.jsonl (report_metric.h):
 * function, scenario, mode and result's points, max_allocs and ended, the
 * members harness/report reads.  report_metric's answer: 0 when written or
 * no report directory is set, -1 when it could not be written. */
int sweep_report_metric(const char *function, const char *scenario, fault_mode mode,
                        const sweep_result *result);

#endif
