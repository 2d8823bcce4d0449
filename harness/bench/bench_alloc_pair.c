/* Item 1: nanoseconds per CoTaskMemAlloc+CoTaskMemFree pair through
 * whichever seam this program is linked with (bench_seam.h).  The sizes are
 * those AllocConnections asks for: a Connections block and 20 slots. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_args.h"
#include "bench_emit.h"
#include "bench_measure.h"
#include "bench_seam.h"
#include "naputil.h"

static void pairs(void *arg, uint64_t iterations)
{
    SIZE_T size = *(const SIZE_T *)arg;
    for (uint64_t i = 0; i < iterations; i++) {
        void *p = CoTaskMemAlloc(size);
        bench_keep(p);
        CoTaskMemFree(p);
    }
}

int main(int argc, char **argv)
{
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    static const SIZE_T sizes[] = {sizeof(Connections),
                                   maxConnectionCountPerEnforcer *
                                       sizeof(INapEnforcementClientConnection *)};
    bench_seam_prepare();
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        /* A probe first: a seam that cannot allocate makes every figure moot. */
        void *probe = CoTaskMemAlloc(sizes[i]);
        if (probe == NULL) {
            fprintf(stderr, "bench_alloc_pair: CoTaskMemAlloc(%zu) failed\n", (size_t)sizes[i]);
            return 1;
        }
        CoTaskMemFree(probe);
        double samples[BENCH_MAX_REPS];
        double ns = bench_median_ns(pairs, (void *)&sizes[i], bench_iterations(&args, 2000000),
                                    args.reps, samples);
        /* Also the fastest of many short repetitions: the figure a loaded,
         * shared machine disturbs least (bench_table.py takes its ratio). */
        uint64_t short_run = bench_iterations(&args, 2000000) / 100;
        double ns_min = bench_min_ns(pairs, (void *)&sizes[i], short_run ? short_run : 1,
                                     args.quick ? 1 : 31, NULL);
        bench_record r;
        bench_record_begin(&r, "alloc_pair");
        bench_record_str(&r, "seam", bench_seam_name());
        bench_record_num(&r, "size", (double)sizes[i]);
        bench_record_num(&r, "ns_per_pair", ns);
        bench_record_num(&r, "ns_min", ns_min);
        bench_record_nums(&r, "samples", samples, args.reps);
        if (!bench_record_end(&r))
            return 1;
    }
    char why[512];
    if (!bench_seam_clean(why, sizeof why)) {
        fprintf(stderr, "bench_alloc_pair: seam %s: %s\n", bench_seam_name(), why);
        return 1;
    }
    return 0;
}
