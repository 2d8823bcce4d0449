/* The sweep driver, after SQLite's and curl's torture loops: runs a scenario
 * with the k-th allocation failing, for k = 1, 2, ... until a run no longer
 * reaches the k-th allocation, in transient or persistent mode (or once per
 * call site in site mode).  After every run it demands what holds for any
 * API: no block left live that the run allocated, and no misuse recorded by
 * the tracker.  What the API must return under a fault is the scenario's to
 * check (it can read fault_hits()). */
#ifndef HARNESS_SWEEP_H
#define HARNESS_SWEEP_H

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
} sweep_result;

/* Safety bound on k: a scenario that allocates without end is a failure. */
#define SWEEP_MAX_POINTS 100000

/* Runs the sweep in mode (FAULT_TRANSIENT, FAULT_PERSISTENT or FAULT_SITE),
 * recording violations into ctx with the scenario's name, the mode and k;
 * resets tracker and injector before each run and leaves injection off. */
void sweep_run(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
               check_ctx *ctx, sweep_result *result);

/* Runs the scenario once with injection off, with the same after-run checks. */
void sweep_run_clean(const char *name, sweep_scenario scenario, void *arg, check_ctx *ctx);

#endif
