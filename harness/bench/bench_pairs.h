/* The timed body of items 1 and 1b: CoTaskMemAlloc+CoTaskMemFree pairs
 * through whichever CoTaskMem* the program links (lib's default or the
 * tracker's seam). */
#ifndef HARNESS_BENCH_PAIRS_H
#define HARNESS_BENCH_PAIRS_H

#include <stdint.h>

/* A bench_body (bench_measure.h): iterations pairs of *(const size_t *)arg
 * bytes each. */
void bench_cotaskmem_pairs(void *arg, uint64_t iterations);

#endif
