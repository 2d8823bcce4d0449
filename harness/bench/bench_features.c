/* Item 1b, beside the fast path's check-by-check figures (bench_fast.c):
 * one CoTaskMemAlloc+CoTaskMemFree pair of 16 bytes timed through the
 * tracker with every check on (the fast path), with the injector disarmed,
 * with a second thread that stays idle (the fast path stays with the
 * allocating thread), and after a second thread has allocated (the
 * ownership is taken back: the general path and its lock), with plain
 * malloc+free beside them.  Each figure is checked to come from the path it
 * names.  Minimum of many short repetitions: the machine is shared. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_args.h"
#include "bench_emit.h"
#include "bench_measure.h"
#include "bench_pairs.h"
#include <memharness/fault.h>
#include <memharness/tracker.h>

void *CoTaskMemAlloc(size_t cb);
void CoTaskMemFree(void *pv);

/* The pair's size, the bench_body argument of both loops. */
static const size_t pair_size = 16;

/* malloc+free pairs, the yardstick beside bench_cotaskmem_pairs. */
static void malloc_pairs(void *arg, uint64_t iterations)
{
    size_t size = *(const size_t *)arg;
    for (uint64_t i = 0; i < iterations; i++) {
        void *p = malloc(size);
        bench_keep(p);
        free(p);
    }
}

/* Which path a configuration must have measured. */
typedef enum { ANY_PATH, FAST_PATH, GENERAL_PATH } path_kind;

/* Times one configuration.  keep_owner: the tracker is not reset first, so
 * that the ownership a second thread took away stays taken. */
static bool measure(const bench_args *args, const char *name, bench_body body, bool injector,
                    path_kind path, bool keep_owner)
{
    if (!keep_owner)
        tracker_reset();
    fault_reset();
    if (injector)
        fault_arm(FAULT_TRANSIENT, UINT64_MAX);
    uint64_t general0 = tracker_general_calls();
    uint64_t calls0 = tracker_alloc_total() + tracker_free_total();
    double samples[BENCH_MAX_REPS];
    unsigned reps = args->quick ? 1 : 31;
    double ns = bench_min_ns(body, (void *)&pair_size, bench_iterations(args, 20000), reps, samples);
    if (tracker_live_count() != 0 || tracker_error_count() != 0) {
        fprintf(stderr, "bench_features: %s: %zu live block(s), %zu misuse(s)\n", name,
                tracker_live_count(), tracker_error_count());
        return false;
    }
    uint64_t general = tracker_general_calls() - general0;
    uint64_t calls = tracker_alloc_total() + tracker_free_total() - calls0;
    if ((path == FAST_PATH && general * 100 > calls) ||
        (path == GENERAL_PATH && general * 100 < calls * 99)) {
        fprintf(stderr, "bench_features: %s: %llu of %llu calls took the general path\n", name,
                (unsigned long long)general, (unsigned long long)calls);
        return false;
    }
    bench_record r;
    bench_record_begin(&r, "feature");
    bench_record_str(&r, "config", name);
    bench_record_str(&r, "path",
                     path == FAST_PATH ? "fast" : path == GENERAL_PATH ? "general" : "-");
    bench_record_num(&r, "size", (double)pair_size);
    bench_record_num(&r, "ns_min", ns);
    bench_record_nums(&r, "samples", samples, reps);
    return bench_record_end(&r);
}

static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;

/* A second thread: one allocation (unless idle), then it waits until the
 * measurement is done. */
static void *second_thread(void *arg)
{
    if (arg == NULL)
        CoTaskMemFree(CoTaskMemAlloc(pair_size));
    pthread_mutex_lock(&idle_lock);
    pthread_mutex_unlock(&idle_lock);
    return NULL;
}

/* Times a configuration with a second thread alive; idle: it never calls the
 * tracker, else it allocates once first and so takes the ownership away. */
static bool with_second_thread(const bench_args *args, const char *name, bool idle)
{
    tracker_reset();
    CoTaskMemFree(CoTaskMemAlloc(pair_size)); /* this thread owns the fast path */
    pthread_t t;
    pthread_mutex_lock(&idle_lock);
    if (pthread_create(&t, NULL, second_thread, idle ? (void *)&idle_lock : NULL) != 0) {
        fprintf(stderr, "bench_features: cannot start a second thread\n");
        pthread_mutex_unlock(&idle_lock);
        return false;
    }
    /* The allocating one has to have allocated before the timing starts. */
    while (!idle && tracker_general_calls() < 3)
        sched_yield();
    /* Without membarrier an idle second thread is enough to keep every
     * call on the general path (tracker.h). */
    path_kind path = idle && tracker_fast_path_across_threads() ? FAST_PATH : GENERAL_PATH;
    bool ok = measure(args, name, bench_cotaskmem_pairs, true, path, true);
    pthread_mutex_unlock(&idle_lock);
    pthread_join(t, NULL);
    return ok;
}

int main(int argc, char **argv)
{
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    bool ok = measure(&args, "malloc+free", malloc_pairs, false, ANY_PATH, false) &&
              measure(&args, "all checks", bench_cotaskmem_pairs, true, FAST_PATH, false) &&
              measure(&args, "without injector", bench_cotaskmem_pairs, false, FAST_PATH, false) &&
              with_second_thread(&args, "all checks, a second thread idle", true) &&
              with_second_thread(&args, "all checks, after a second thread allocated", false);
    tracker_reset();
    fault_reset();
    return ok ? 0 : 1;
}
