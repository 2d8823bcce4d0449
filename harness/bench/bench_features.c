/* Item 1b: what each of the tracker's checks costs in one
 * CoTaskMemAlloc+CoTaskMemFree pair of 16 bytes: the pair is timed with
 * every check on, with each check switched off alone (the difference is
 * that check's share), with all of them off (the header, the arena and the
 * live list that remain), with a second thread alive (the lock the tracker
 * then takes), and plain malloc+free beside them.  Minimum of many short
 * repetitions: the machine is shared. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_args.h"
#include "bench_emit.h"
#include "bench_measure.h"
#include <memharness/fault.h>
#include <memharness/tracker.h>

void *CoTaskMemAlloc(size_t cb);
void CoTaskMemFree(void *pv);

#define PAIR_SIZE 16

/* A bench_body of PAIR_SIZE-byte pairs through one allocator, written out
 * per allocator so that the timed loop pays no indirect call. */
#define PAIRS_THROUGH(name, alloc, release)                                                  \
    static void name(void *arg, uint64_t iterations)                                         \
    {                                                                                        \
        (void)arg;                                                                           \
        for (uint64_t i = 0; i < iterations; i++) {                                          \
            void *p = alloc(PAIR_SIZE);                                                      \
            bench_keep(p);                                                                   \
            release(p);                                                                      \
        }                                                                                    \
    }
PAIRS_THROUGH(tracked_pairs, CoTaskMemAlloc, CoTaskMemFree)
PAIRS_THROUGH(malloc_pairs, malloc, free)

static bool measure(const bench_args *args, const char *name, bench_body body, unsigned features,
                    bool injector)
{
    tracker_reset();
    tracker_set_features(features);
    fault_reset();
    if (injector)
        fault_arm(FAULT_TRANSIENT, UINT64_MAX);
    double samples[BENCH_MAX_REPS];
    unsigned reps = args->quick ? 1 : 31;
    double ns = bench_min_ns(body, NULL, bench_iterations(args, 20000), reps, samples);
    if (tracker_live_count() != 0 || tracker_error_count() != 0) {
        fprintf(stderr, "bench_features: %s: %zu live block(s), %zu misuse(s)\n", name,
                tracker_live_count(), tracker_error_count());
        return false;
    }
    bench_record r;
    bench_record_begin(&r, "feature");
    bench_record_str(&r, "config", name);
    bench_record_num(&r, "size", PAIR_SIZE);
    bench_record_num(&r, "ns_min", ns);
    bench_record_nums(&r, "samples", samples, reps);
    return bench_record_end(&r);
}

static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;

static void *idle_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&idle_lock); /* blocks until the measurement is done */
    pthread_mutex_unlock(&idle_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    const unsigned all = TRACKER_FEATURE_ALL;
    static const struct {
        const char *name;
        unsigned off;
    } each[] = {
        {"without poison", TRACKER_FEATURE_POISON},
        {"without guards", TRACKER_FEATURE_GUARDS},
        {"without quarantine", TRACKER_FEATURE_QUARANTINE},
        {"without stacks", TRACKER_FEATURE_STACKS},
    };
    bool ok = measure(&args, "malloc+free", malloc_pairs, all, false) &&
              measure(&args, "all checks", tracked_pairs, all, true) &&
              measure(&args, "without injector", tracked_pairs, all, false) &&
              measure(&args, "no checks, no injector", tracked_pairs, 0, false);
    for (size_t i = 0; ok && i < sizeof each / sizeof each[0]; i++)
        ok = measure(&args, each[i].name, tracked_pairs, all & ~each[i].off, true);
    if (!ok)
        return 1;
    /* Last: a second thread can never be undone (glibc keeps the process
     * marked multi-threaded), and the tracker then takes its lock. */
    pthread_t t;
    pthread_mutex_lock(&idle_lock);
    if (pthread_create(&t, NULL, idle_thread, NULL) != 0) {
        fprintf(stderr, "bench_features: cannot start a second thread\n");
        return 1;
    }
    ok = measure(&args, "all checks, two threads", tracked_pairs, all, true);
    pthread_mutex_unlock(&idle_lock);
    pthread_join(t, NULL);
    tracker_reset();
    fault_reset();
    return ok ? 0 : 1;
}
