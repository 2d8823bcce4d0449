/* Item 1c: a figure the machine's load cannot move.  Run under Callgrind by
 * bench.sh: N CoTaskMemAlloc+CoTaskMemFree pairs of 16 bytes through
 * whichever seam this program is linked with, so that the instructions per
 * pair are (Ir at 2N - Ir at N) / N.  The tracked build uses the arena even
 * under Valgrind (HARNESS_STORE_ARENA_ALWAYS), so the path counted is the
 * one plain runs take.  Usage: bench_instructions PAIRS [FEATURE_MASK]. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_measure.h"
#include "bench_seam.h"
#include "naputil.h"

#ifdef BENCH_TRACKED
#include <memharness/tracker.h>
#endif

int main(int argc, char **argv)
{
    char *end = NULL;
    long pairs = argc >= 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc < 2 || argc > 3 || *end != '\0' || pairs < 1) {
        fprintf(stderr, "usage: %s PAIRS [FEATURE_MASK]\n", argv[0]);
        return 2;
    }
    bench_seam_prepare();
#ifdef BENCH_TRACKED
    if (argc == 3)
        tracker_set_features((unsigned)strtoul(argv[2], NULL, 0));
#endif
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
