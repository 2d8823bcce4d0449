/* Benchmark figure lines (see bench_emit.h). */
#include "bench_emit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static void add(bench_record *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(bench_record *r, const char *fmt, ...)
{
    size_t room = sizeof r->text - r->used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->text + r->used, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        r->overflow = true;
        return;
    }
    r->used += (size_t)n;
}

/* JSON has no NaN or infinity: a figure that could not be measured is null. */
static void add_number(bench_record *r, double value)
{
    if (isfinite(value))
        add(r, "%.6g", value);
    else
        add(r, "null");
}

void bench_record_begin(bench_record *r, const char *item)
{
    r->used = 0;
    r->overflow = false;
    r->text[0] = '\0';
    add(r, "{\"item\":\"%s\"", item);
}

void bench_record_str(bench_record *r, const char *key, const char *value)
{
    add(r, ",\"%s\":\"%s\"", key, value);
}

void bench_record_num(bench_record *r, const char *key, double value)
{
    add(r, ",\"%s\":", key);
    add_number(r, value);
}

void bench_record_nums(bench_record *r, const char *key, const double *values, unsigned n)
{
    add(r, ",\"%s\":[", key);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            add(r, ",");
        add_number(r, values[i]);
    }
    add(r, "]");
}

bool bench_record_end(bench_record *r)
{
    add(r, "}");
    if (r->overflow) {
        fprintf(stderr, "bench: a figure record overflowed its buffer\n");
        return false;
    }
    printf("BENCH %s\n", r->text);
    fflush(stdout);
    return true;
}
