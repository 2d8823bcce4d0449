/* Item 1: nanoseconds per CoTaskMemAlloc+CoTaskMemFree pair through
 * whichever seam this program is linked with (bench_seam.h).  The sizes are
 * those AllocConnections asks for: a Connections block and 20 slots. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_args.h"
#include "bench_measure.h"
#include "bench_pairs.h"
#include "bench_seam.h"
#include "naputil.h"

static bool measure_all(const bench_args *args);

int main(int argc, char **argv)
{
    return bench_seam_main(argc, argv, "bench_alloc_pair", measure_all);
}

/* Every figure of this item, one line each; false if one could not be
 * taken. */
static bool measure_all(const bench_args *args)
{
    static const size_t sizes[] = {sizeof(Connections),
                                   maxConnectionCountPerEnforcer *
                                       sizeof(INapEnforcementClientConnection *)};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        /* A probe first: a seam that cannot allocate makes every figure moot. */
        void *probe = CoTaskMemAlloc(sizes[i]);
        if (probe == NULL) {
            fprintf(stderr, "bench_alloc_pair: CoTaskMemAlloc(%zu) failed\n", (size_t)sizes[i]);
            return false;
        }
        CoTaskMemFree(probe);
        double samples[BENCH_MAX_REPS];
        double ns = bench_median_ns(bench_cotaskmem_pairs, (void *)&sizes[i],
                                    bench_iterations(args, 2000000), args->reps, samples);
        /* Also the fastest of many short repetitions: the figure a loaded,
         * shared machine disturbs least (bench_table.py takes its ratio). */
        uint64_t short_run = bench_iterations(args, 2000000) / 100;
        double ns_min = bench_min_ns(bench_cotaskmem_pairs, (void *)&sizes[i],
                                     short_run ? short_run : 1, args->quick ? 1 : 31, NULL);
        if (!bench_seam_figure("alloc_pair", "size", (double)sizes[i], "ns_per_pair", ns, "ns_min",
                               ns_min, samples, args->reps))
            return false;
    }
    return true;
}
