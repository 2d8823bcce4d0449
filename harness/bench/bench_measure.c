/* Timing for the benchmarks (see bench_measure.h). */
/* clock_gettime is POSIX, not C11. */
#define _POSIX_C_SOURCE 200809L
#include "bench_measure.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Repetitions as asked, within 1..BENCH_MAX_REPS. */
static unsigned clamp_reps(unsigned reps)
{
    return reps == 0 ? 1 : reps > BENCH_MAX_REPS ? BENCH_MAX_REPS : reps;
}

double bench_median_ns(bench_body body, void *arg, uint64_t iterations, unsigned reps,
                       double *samples)
{
    double figures[BENCH_MAX_REPS];
    reps = clamp_reps(reps);
    if (iterations == 0)
        iterations = 1;
    /* The warm-up fills caches, the allocator's free lists and the
     * tracker's table and quarantine to their steady state. */
    body(arg, iterations);
    for (unsigned r = 0; r < reps; r++) {
        uint64_t t0 = bench_now_ns();
        body(arg, iterations);
        uint64_t t1 = bench_now_ns();
        figures[r] = (double)(t1 - t0) / (double)iterations;
    }
    if (samples != NULL)
        memcpy(samples, figures, reps * sizeof *figures);
    qsort(figures, reps, sizeof *figures, by_value);
    return reps % 2 ? figures[reps / 2] : (figures[reps / 2 - 1] + figures[reps / 2]) / 2.0;
}

double bench_min_ns(bench_body body, void *arg, uint64_t iterations, unsigned reps,
                    double *samples)
{
    double all[BENCH_MAX_REPS];
    reps = clamp_reps(reps);
    bench_median_ns(body, arg, iterations, reps, all);
    double best = all[0];
    for (unsigned r = 1; r < reps; r++)
        best = all[r] < best ? all[r] : best;
    if (samples != NULL)
        memcpy(samples, all, reps * sizeof *all);
    return best;
}
