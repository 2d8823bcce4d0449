/* Item 2: AllocConnections+FreeConnections per second at the counts a NAP
 * enforcer sees (0, 1 and the maximum 20), through whichever seam this
 * program is linked with (bench_seam.h).  Every call's result is checked:
 * a benchmark of calls that fail would measure the error path instead. */
#include <stdio.h>

#include "bench_args.h"
#include "bench_emit.h"
#include "bench_measure.h"
#include "bench_seam.h"
#include "naputil.h"

typedef struct connections_run {
    UINT16 count;
    uint64_t failures; /* calls that did not return S_OK with a block */
} connections_run;

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

int main(int argc, char **argv)
{
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    static const UINT16 counts[] = {0, 1, maxConnectionCountPerEnforcer};
    bench_seam_prepare();
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        connections_run run = {counts[i], 0};
        double samples[BENCH_MAX_REPS];
        double ns = bench_median_ns(alloc_free, &run, bench_iterations(&args, 1000000),
                                    args.reps, samples);
        if (run.failures != 0) {
            fprintf(stderr, "bench_connections: AllocConnections(count=%u) failed %llu time(s)\n",
                    (unsigned)counts[i], (unsigned long long)run.failures);
            return 1;
        }
        bench_record r;
        bench_record_begin(&r, "connections");
        bench_record_str(&r, "seam", bench_seam_name());
        bench_record_num(&r, "count", counts[i]);
        bench_record_num(&r, "ns_per_op", ns);
        bench_record_num(&r, "ops_per_s", 1e9 / ns);
        bench_record_nums(&r, "samples", samples, args.reps);
        if (!bench_record_end(&r))
            return 1;
    }
    char why[512];
    if (!bench_seam_clean(why, sizeof why)) {
        fprintf(stderr, "bench_connections: seam %s: %s\n", bench_seam_name(), why);
        return 1;
    }
    return 0;
}
