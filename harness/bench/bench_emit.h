/* One benchmark figure per stdout line, "BENCH {json}", so that bench.sh can
 * gather the figures of several programs into one table and one report. */
#ifndef HARNESS_BENCH_EMIT_H
#define HARNESS_BENCH_EMIT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bench_record {
    char text[2048];
    size_t used;
    bool overflow;
} bench_record;

/* Starts a record for one figure of benchmark item (e.g. "alloc_pair"). */
void bench_record_begin(bench_record *r, const char *item);
/* Adds a string field (the value must need no JSON escaping). */
void bench_record_str(bench_record *r, const char *key, const char *value);
/* Adds a number field. */
void bench_record_num(bench_record *r, const char *key, double value);
/* Adds an array of numbers (the repetitions behind a median). */
void bench_record_nums(bench_record *r, const char *key, const double *values, unsigned n);
/* Prints the record as one line and flushes; false if it did not fit. */
bool bench_record_end(bench_record *r);

#endif
