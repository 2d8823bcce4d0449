/* Item 2: AllocConnections+FreeConnections per second at the counts a NAP
 * enforcer sees (0, 1 and the maximum 20), through whichever seam this
 * program is linked with (bench_seam.h).  Every call's result is checked:
 * a benchmark of calls that fail would measure the error path instead. */
#include <stdio.h>

#include "bench_args.h"
#include "bench_measure.h"
#include "bench_seam.h"
#include "naputil.h"

typedef struct connections_run {
    UINT16 count;
    uint64_t failures; /* calls that did not return S_OK with a block */
} connections_run;

static void alloc_free(void *arg, uint64_t iterations);

/* Every figure of this item, one line each; false if one could not be
 * taken. */
static bool measure_all(const bench_args *args)
{
    static const UINT16 counts[] = {0, 1, maxConnectionCountPerEnforcer};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        connections_run run = {counts[i], 0};
        double samples[BENCH_MAX_REPS];
        double ns = bench_median_ns(alloc_free, &run, bench_iterations(args, 1000000),
                                    args->reps, samples);
        if (run.failures != 0) {
            fprintf(stderr, "bench_connections: AllocConnections(count=%u) failed %llu time(s)\n",
                    (unsigned)counts[i], (unsigned long long)run.failures);
            return false;
        }
        if (!bench_seam_figure("connections", "count", counts[i], "ns_per_op", ns, "ops_per_s",
                               1e9 / ns, samples, args->reps))
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    return bench_seam_main(argc, argv, "bench_connections", measure_all);
}

static void alloc_free(void *arg, uint64_t iterations)
{
    connections_run *run = arg;
    for (uint64_t i = 0; i < iterations; i++) {
        Connections *c = NULL;
        if (AllocConnections(&c, run->count) != S_OK || c == NULL) {
            run->failures++;
            continue;
        }
        bench_keep(c);
        FreeConnections(c);
    }
}
