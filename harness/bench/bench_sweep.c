/* Item 3: the time of the complete transient and persistent sweep over every
 * scenario (nap_scenarios.h), and fault points per second.  The sweep's own
 * verdict is reported too: a sweep that finds violations still ran, but its
 * time is that of a failing implementation. */
#include <stdio.h>

#include "bench_args.h"
#include "bench_emit.h"
#include "bench_measure.h"
#include "nap_scenarios.h"
#include <memharness/sweep.h>

typedef struct sweep_totals {
    uint64_t points;
    uint64_t runs;
    unsigned violations;
} sweep_totals;

static void sweep_all(void *arg, uint64_t iterations)
{
    static const fault_mode modes[] = {FAULT_TRANSIENT, FAULT_PERSISTENT};
    sweep_totals *t = arg;
    for (uint64_t it = 0; it < iterations; it++) {
        sweep_totals now = {0, 0, 0};
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            for (size_t i = 0; i < nap_scenario_count; i++) {
                const nap_scenario *s = &nap_scenarios[i];
                check_ctx ctx;
                check_init(&ctx, "%s", "");
                sweep_result r;
                sweep_run(s->name, s->run, (void *)s->arg, modes[m], &ctx, &r);
                now.points += r.points;
                now.runs += r.runs;
                now.violations += ctx.failures;
            }
        }
        *t = now;
    }
}

int main(int argc, char **argv)
{
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    sweep_totals t = {0, 0, 0};
    double samples[BENCH_MAX_REPS];
    unsigned reps = args.quick ? 1 : 5;
    double ns = bench_median_ns(sweep_all, &t, 1, reps, samples);
    if (t.points == 0) {
        fprintf(stderr, "bench_sweep: the sweep hit no fault point: nothing was measured\n");
        return 1;
    }
    double seconds = ns / 1e9;
    for (unsigned i = 0; i < reps; i++)
        samples[i] /= 1e9;
    bench_record r;
    bench_record_begin(&r, "sweep");
    bench_record_str(&r, "modes", "transient+persistent");
    bench_record_num(&r, "scenarios", (double)nap_scenario_count);
    bench_record_num(&r, "points", (double)t.points);
    bench_record_num(&r, "runs", (double)t.runs);
    bench_record_num(&r, "violations", t.violations);
    bench_record_num(&r, "seconds", seconds);
    bench_record_num(&r, "points_per_s", (double)t.points / seconds);
    bench_record_nums(&r, "samples", samples, reps);
    return bench_record_end(&r) ? 0 : 1;
}
