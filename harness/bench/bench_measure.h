/* Timing for the benchmarks: a monotonic clock, one warm-up run, several
 * timed repetitions and their median, so that one preempted repetition on a
 * shared 2-core machine does not move the figure. */
#ifndef HARNESS_BENCH_MEASURE_H
#define HARNESS_BENCH_MEASURE_H

#include <stdint.h>

/* Most repetitions bench_median_ns will time. */
#define BENCH_MAX_REPS 31

/* The work to time: iterations rounds of one operation. */
typedef void (*bench_body)(void *arg, uint64_t iterations);

/* Nanoseconds on CLOCK_MONOTONIC (never jumps with the wall clock). */
uint64_t bench_now_ns(void);

/* Runs body once untimed, then reps times (at most BENCH_MAX_REPS), and
 * returns the median nanoseconds per iteration; every repetition's figure
 * goes to samples when it is not NULL (room for reps values). */
double bench_median_ns(bench_body body, void *arg, uint64_t iterations, unsigned reps,
                       double *samples);

/* As bench_median_ns, but returns the fastest repetition: on a shared,
 * loaded machine the minimum of many short repetitions is the figure least
 * disturbed by other processes (preemption only ever adds time). */
double bench_min_ns(bench_body body, void *arg, uint64_t iterations, unsigned reps,
                    double *samples);

/* Keeps the compiler from dropping a computation whose result is unused. */
static inline void bench_keep(const void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

#endif
