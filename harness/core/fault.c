/* The fault injector (see fault.h): the modes' decisions and counters.  The
 * counters are atomics so that the disarmed fast path costs one relaxed
 * load; while the process has one thread they are bumped without a locked
 * instruction.  The arming itself takes a mutex, since it changes rarely.
 * The decision itself is inline in fault_armed.h, for the tracker's sake.
 * The set of failed sites is fault_sites.c, the spec parser fault_spec.c,
 * MEMHARNESS_FAULTS* handling fault_env.c, the sites file
 * fault_sites_file.c and the failure log fault_log.c. */
#include <memharness/fault.h>

#include <pthread.h>
#include <stdatomic.h>

#include "fault_armed.h"
#include "fault_observer.h"
#include "fault_record.h"
#include "fault_sites.h"

_Atomic int fault_armed_mode = FAULT_OFF;
_Atomic uint64_t fault_calls_now;
static _Atomic uint64_t hits;
static _Atomic uint64_t benign_hits;
_Atomic uint64_t fault_target_k;
_Atomic uint64_t fault_fast_until;
static double probability;
static uint64_t rng_state;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned site_depth = 1;
/* Told of every injected failure (fault_observer.h); NULL: nobody listens. */
static const fault_observer *observer;

/* initial-exec: see callsite.c. */
static _Thread_local int benign_depth __attribute__((tls_model("initial-exec")));
_Thread_local int fault_exempt_depth __attribute__((tls_model("initial-exec")));

static void zero_counters(void)
{
    atomic_store(&fault_calls_now, 0);
    atomic_store(&hits, 0);
    atomic_store(&benign_hits, 0);
}

void fault_reset(void)
{
    pthread_mutex_lock(&lock);
    atomic_store(&fault_armed_mode, FAULT_OFF);
    zero_counters();
    fault_target_k = 0;
    fault_fast_until = 0;
    fault_sites_forget();
    site_depth = 1;
    pthread_mutex_unlock(&lock);
    benign_depth = 0;
    fault_exempt_depth = 0;
}

void fault_arm(fault_mode m, uint64_t k)
{
    pthread_mutex_lock(&lock);
    zero_counters();
    fault_target_k = k;
    fault_fast_until = k;
    atomic_store(&fault_armed_mode,
                 (m == FAULT_TRANSIENT || m == FAULT_PERSISTENT) && k > 0 ? m : FAULT_OFF);
    pthread_mutex_unlock(&lock);
}

void fault_arm_random(double p, uint64_t seed)
{
    pthread_mutex_lock(&lock);
    zero_counters();
    probability = p;
    fault_fast_until = 0;
    /* splitmix64 needs a non-trivial start; any seed works. */
    rng_state = seed ^ 0x853C49E6748FEA9Bull;
    atomic_store(&fault_armed_mode, FAULT_RANDOM);
    pthread_mutex_unlock(&lock);
}

void fault_arm_sites_depth(unsigned depth)
{
    if (depth < 1)
        depth = 1;
    if (depth > FAULT_MAX_DEPTH)
        depth = FAULT_MAX_DEPTH;
    pthread_mutex_lock(&lock);
    zero_counters();
    site_depth = depth;
    fault_fast_until = 0;
    atomic_store(&fault_armed_mode, FAULT_SITE);
    pthread_mutex_unlock(&lock);
}

void fault_arm_sites(void)
{
    fault_arm_sites_depth(1);
}

unsigned fault_site_depth(void)
{
    pthread_mutex_lock(&lock);
    unsigned d = site_depth;
    pthread_mutex_unlock(&lock);
    return d;
}

void fault_disarm(void)
{
    atomic_store(&fault_armed_mode, FAULT_OFF);
}

static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The decision of the modes that take the lock (random, site), out of line
 * so that the inline decision (fault_decide, fault_armed.h) stays small. */
__attribute__((noinline)) bool fault_decide_locked(int m, const void *const *stack, unsigned n)
{
    bool fail = false;
    const void *pcs[FAULT_MAX_DEPTH];
    pthread_mutex_lock(&lock);
    if (m == FAULT_RANDOM) {
        fail = (double)(next_random() >> 11) * 0x1.0p-53 < probability;
        pthread_mutex_unlock(&lock);
        return fail;
    }
    /* Site mode: one failure per arming, at the first site not failed
     * before, so that each run of a sweep explores exactly one new failure
     * path. */
    unsigned depth = site_depth;
    if (atomic_load(&hits) + atomic_load(&benign_hits) == 0)
        fail = fault_sites_remember(stack, n, depth, pcs);
    pthread_mutex_unlock(&lock);
    if (fail) {
        fault_record_site(pcs, depth);
        if (observer != NULL && observer->site_failed != NULL)
            observer->site_failed(observer->arg, pcs, depth);
    }
    return fail;
}

/* Counts and records a failure the injector decided on; out of line, since
 * the common answer is no. */
__attribute__((noinline)) bool fault_record_hit(int m, uint64_t call, const void *const *stack,
                                                unsigned n)
{
    fault_bump(benign_depth > 0 ? &benign_hits : &hits);
    if (m == FAULT_TRANSIENT) /* no later call of this arming fails */
        atomic_store_explicit(&fault_fast_until, UINT64_MAX, memory_order_relaxed);
    fault_record_failure(fault_mode_name((fault_mode)m), call, stack, n);
    if (observer != NULL && observer->injected != NULL)
        observer->injected(observer->arg);
    return true;
}

void fault_set_observer(const fault_observer *obs)
{
    observer = obs;
}

bool fault_should_fail_stack(const void *const *stack, unsigned n)
{
    return fault_decide(stack, n);
}

bool fault_should_fail(const void *site)
{
    return fault_should_fail_stack(&site, 1);
}

fault_mode fault_current_mode(void)
{
    return (fault_mode)atomic_load(&fault_armed_mode);
}

uint64_t fault_calls(void)
{
    return atomic_load(&fault_calls_now);
}

uint64_t fault_hits(void)
{
    return atomic_load(&hits);
}

uint64_t fault_benign_hits(void)
{
    return atomic_load(&benign_hits);
}

void fault_benign_begin(void)
{
    benign_depth++;
}

void fault_benign_end(void)
{
    if (benign_depth > 0)
        benign_depth--;
}

void fault_exempt_begin(void)
{
    fault_exempt_depth++;
}

void fault_exempt_end(void)
{
    if (fault_exempt_depth > 0)
        fault_exempt_depth--;
}

const char *fault_mode_name(fault_mode m)
{
    switch (m) {
    case FAULT_OFF:
        return "off";
    case FAULT_TRANSIENT:
        return "transient";
    case FAULT_PERSISTENT:
        return "persistent";
    case FAULT_RANDOM:
        return "random";
    case FAULT_SITE:
        return "site";
    }
    return "?";
}
