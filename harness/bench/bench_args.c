/* The benchmarks' command line (see bench_args.h). */
#include "bench_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool bench_args_parse(int argc, char **argv, bench_args *out)
{
    out->quick = false;
    out->reps = 9;
    out->iterations = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            out->quick = true;
            out->reps = 1;
        } else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            char *end;
            out->iterations = strtoull(argv[++i], &end, 10);
            if (*end != '\0' || out->iterations == 0) {
                fprintf(stderr, "%s: --iterations takes a whole number >= 1\n", argv[0]);
                return false;
            }
        } else {
            fprintf(stderr, "usage: %s [--quick] [--iterations N]\n", argv[0]);
            return false;
        }
    }
    return true;
}

uint64_t bench_iterations(const bench_args *args, uint64_t full_count)
{
    if (args->iterations != 0)
        return args->iterations;
    if (!args->quick)
        return full_count;
    return full_count < 100 ? full_count : 100;
}

long bench_pairs_arg(int argc, char **argv)
{
    char *end = NULL;
    long pairs = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (argc != 2 || *end != '\0' || pairs < 1) {
        fprintf(stderr, "usage: %s PAIRS\n", argv[0]);
        return 0;
    }
    return pairs;
}
