/* Items 1b and 1c: what each check costs on the fast path.  The program is
 * built once per variant of tracker_fast.c (meson.build): every check, each of
 * the four left out alone (TRACKER_FAST_SKIP), and all four left out; a
 * variant's difference from "every check" is that check's share.  The
 * injector is armed at an allocation that never comes, as in a sweep.
 *   bench_fast             times CoTaskMemAlloc+CoTaskMemFree pairs of 16 and
 *                          160 bytes (fastest of many short repetitions), a
 *                          figure each
 *   bench_fast --pairs N   runs N pairs untimed, for Callgrind to count
 * Either way it fails, rather than report a figure of the wrong path, when
 * more than one call in a hundred took the tracker's general path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_args.h"
#include "bench_emit.h"
#include "bench_measure.h"
#include "bench_pairs.h"
#include <memharness/fault.h>
#include <memharness/tracker.h>

void *CoTaskMemAlloc(size_t cb);
void CoTaskMemFree(void *pv);

#ifndef BENCH_FAST_VARIANT
#error "BENCH_FAST_VARIANT names the variant (meson.build)"
#endif

/* False, said on stderr, when the run did not measure the fast path. */
static bool fast_path_measured(void)
{
    uint64_t calls = tracker_alloc_total() + tracker_free_total();
    uint64_t general = tracker_general_calls();
    if (calls == 0 || general * 100 > calls) {
        fprintf(stderr, "bench_fast (%s): %llu of %llu calls took the general path\n",
                BENCH_FAST_VARIANT, (unsigned long long)general, (unsigned long long)calls);
        return false;
    }
    if (tracker_live_count() != 0) {
        fprintf(stderr, "bench_fast (%s): %zu block(s) left live\n", BENCH_FAST_VARIANT,
                tracker_live_count());
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    tracker_reset();
    fault_reset();
    fault_arm(FAULT_TRANSIENT, UINT64_MAX);
    if (argc == 3 && strcmp(argv[1], "--pairs") == 0) {
        char *end;
        unsigned long long n = strtoull(argv[2], &end, 10);
        if (*end != '\0' || n == 0) {
            fprintf(stderr, "bench_fast: --pairs takes a whole number >= 1\n");
            return 2;
        }
        /* The loop in main, as in bench_instructions.c, so that the stack
         * walk records as many frames as it does there. */
        for (unsigned long long i = 0; i < n; i++) {
            void *p = CoTaskMemAlloc(16);
            bench_keep(p);
            CoTaskMemFree(p);
        }
        return fast_path_measured() ? 0 : 1;
    }
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    static const size_t sizes[] = {16, 160}; /* as bench_alloc_pair.c */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double samples[BENCH_MAX_REPS];
        unsigned reps = args.quick ? 1 : 31;
        double ns = bench_min_ns(bench_cotaskmem_pairs, (void *)&sizes[i],
                                 bench_iterations(&args, 20000), reps, samples);
        if (!fast_path_measured())
            return 1;
        bench_record r;
        bench_record_begin(&r, "fast_variant");
        bench_record_str(&r, "variant", BENCH_FAST_VARIANT);
        bench_record_num(&r, "size", (double)sizes[i]);
        bench_record_num(&r, "ns_min", ns);
        bench_record_nums(&r, "samples", samples, reps);
        if (!bench_record_end(&r))
            return 1;
    }
    return 0;
}
