/* Item 1d: a tracked allocation whose site lies in a shared library built
 * without frame pointers, whose stack the tracker unwinds from .eh_frame
 * (callsite_unwind.c) instead of walking frame pointers.  Run under
 * Callgrind by bench.sh as bench_fast_all --pairs is: N allocations through
 * the library with their frees, so that the instructions per pair are
 * (Ir at 2N - Ir at N) / N.  Usage: bench_nofp PAIRS. */
#include <stdio.h>
#include <stdlib.h>

#include <memharness/hooks.h>
#include <memharness/tracker.h>

#include "bench_args.h"
#include "bench_measure.h"
#include "nofp_lib.h"

int main(int argc, char **argv)
{
    long pairs = bench_pairs_arg(argc, argv);
    if (pairs == 0)
        return 2;
    tracker_reset();
    nofp_lib_set(memharness_hook_malloc, NULL);
    for (long i = 0; i < pairs; i++) {
        void *p = nofp_lib_via_one(16);
        bench_keep(p);
        memharness_hook_free(p);
    }
    if (tracker_live_count() != 0 || tracker_error_count() != 0) {
        fprintf(stderr, "bench_nofp: %zu block(s) live, %zu error(s)\n", tracker_live_count(),
                tracker_error_count());
        return 1;
    }
    return 0;
}
