/* Item 1c's yardstick: a figure the machine's load cannot move.  Run under
 * Callgrind by bench.sh: N CoTaskMemAlloc+CoTaskMemFree pairs of 16 bytes
 * through lib's default seam, so that the instructions per pair are
 * (Ir at 2N - Ir at N) / N.  The tracked side is bench_fast_all --pairs,
 * whose loop has the same shape.  Usage: bench_instructions PAIRS. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_args.h"
#include "bench_measure.h"
#include "bench_seam.h"
#include "naputil.h"

int main(int argc, char **argv)
{
    long pairs = bench_pairs_arg(argc, argv);
    if (pairs == 0)
        return 2;
    bench_seam_prepare();
    for (long i = 0; i < pairs; i++) {
        void *p = CoTaskMemAlloc(16);
        bench_keep(p);
        CoTaskMemFree(p);
    }
    char why[512];
    if (!bench_seam_clean(why, sizeof why)) {
        fprintf(stderr, "bench_instructions: %s\n", why);
        return 1;
    }
    return 0;
}
