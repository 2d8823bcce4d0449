/* The command line every benchmark program takes: nothing for the full
 * measurement, --quick for a smoke run that only proves the program works,
 * --iterations N to choose the work per repetition (for a profiler run). */
#ifndef HARNESS_BENCH_ARGS_H
#define HARNESS_BENCH_ARGS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bench_args {
    bool quick;
    unsigned reps;      /* timed repetitions */
    uint64_t iterations; /* 0: each program's own choice */
} bench_args;

/* Parses argv; on an unknown argument prints usage and returns false. */
bool bench_args_parse(int argc, char **argv, bench_args *out);
/* Iterations for one repetition: --iterations if given, else full_count,
 * or a handful if quick. */
uint64_t bench_iterations(const bench_args *args, uint64_t full_count);
/* The PAIRS of a Callgrind program's command line "PROGRAM PAIRS" (a whole
 * number >= 1); prints the usage and returns 0 when it is anything else. */
long bench_pairs_arg(int argc, char **argv);

#endif
