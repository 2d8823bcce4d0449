/* The fault injector (see fault.h).  The counters are atomics so that the
 * disarmed fast path costs one relaxed load; the arming itself and the site
 * set take a mutex, since they change rarely. */
#include <memharness/fault.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SITES 4096

static _Atomic int mode = FAULT_OFF;
static _Atomic uint64_t calls;
static _Atomic uint64_t hits;
static _Atomic uint64_t benign_hits;
static _Atomic uint64_t target_k;
static double probability;
static uint64_t rng_state;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const void *failed_sites[MAX_SITES];
static size_t failed_site_count;

static _Thread_local int benign_depth;
static _Thread_local int exempt_depth;

static void zero_counters(void)
{
    atomic_store(&calls, 0);
    atomic_store(&hits, 0);
    atomic_store(&benign_hits, 0);
}

void fault_reset(void)
{
    pthread_mutex_lock(&lock);
    atomic_store(&mode, FAULT_OFF);
    zero_counters();
    target_k = 0;
    failed_site_count = 0;
    pthread_mutex_unlock(&lock);
    benign_depth = 0;
    exempt_depth = 0;
}

void fault_arm(fault_mode m, uint64_t k)
{
    pthread_mutex_lock(&lock);
    zero_counters();
    target_k = k;
    atomic_store(&mode, (m == FAULT_TRANSIENT || m == FAULT_PERSISTENT) && k > 0 ? m : FAULT_OFF);
    pthread_mutex_unlock(&lock);
}

void fault_arm_random(double p, uint64_t seed)
{
    pthread_mutex_lock(&lock);
    zero_counters();
    probability = p;
    /* splitmix64 needs a non-trivial start; any seed works. */
    rng_state = seed ^ 0x853C49E6748FEA9Bull;
    atomic_store(&mode, FAULT_RANDOM);
    pthread_mutex_unlock(&lock);
}

void fault_arm_sites(void)
{
    pthread_mutex_lock(&lock);
    zero_counters();
    atomic_store(&mode, FAULT_SITE);
    pthread_mutex_unlock(&lock);
}

void fault_sites_forget(void)
{
    pthread_mutex_lock(&lock);
    failed_site_count = 0;
    pthread_mutex_unlock(&lock);
}

void fault_disarm(void)
{
    atomic_store(&mode, FAULT_OFF);
}

static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static bool site_failed_before(const void *site)
{
    for (size_t i = 0; i < failed_site_count; i++)
        if (failed_sites[i] == site)
            return true;
    return false;
}

bool fault_should_fail(const void *site)
{
    int m = atomic_load_explicit(&mode, memory_order_relaxed);
    if (m == FAULT_OFF || exempt_depth > 0)
        return false;
    uint64_t n = atomic_fetch_add(&calls, 1) + 1;
    bool fail = false;
    switch (m) {
    case FAULT_TRANSIENT:
        fail = n == target_k;
        break;
    case FAULT_PERSISTENT:
        fail = n >= target_k;
        break;
    case FAULT_RANDOM:
        pthread_mutex_lock(&lock);
        fail = (double)(next_random() >> 11) * 0x1.0p-53 < probability;
        pthread_mutex_unlock(&lock);
        break;
    case FAULT_SITE:
        pthread_mutex_lock(&lock);
        /* One failure per arming, at the first site not failed before, so
         * that each run of a sweep explores exactly one new failure path. */
        if (atomic_load(&hits) + atomic_load(&benign_hits) == 0 && !site_failed_before(site) &&
            failed_site_count < MAX_SITES) {
            failed_sites[failed_site_count++] = site;
            fail = true;
        }
        pthread_mutex_unlock(&lock);
        break;
    default:
        break;
    }
    if (fail)
        atomic_fetch_add(benign_depth > 0 ? &benign_hits : &hits, 1);
    return fail;
}

fault_mode fault_current_mode(void)
{
    return (fault_mode)atomic_load(&mode);
}

uint64_t fault_calls(void)
{
    return atomic_load(&calls);
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
    exempt_depth++;
}

void fault_exempt_end(void)
{
    if (exempt_depth > 0)
        exempt_depth--;
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

static bool parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

bool fault_configure(const char *spec, char *err, size_t errlen)
{
    char buf[128];
    if (spec == NULL || strlen(spec) >= sizeof buf) {
        snprintf(err, errlen, "fault spec missing or too long");
        return false;
    }
    strcpy(buf, spec);
    char *name = buf;
    char *arg1 = strchr(buf, ':');
    char *arg2 = NULL;
    if (arg1 != NULL) {
        *arg1++ = '\0';
        arg2 = strchr(arg1, ':');
        if (arg2 != NULL)
            *arg2++ = '\0';
    }
    if (strcmp(name, "off") == 0 && arg1 == NULL) {
        fault_reset();
        return true;
    }
    if (strcmp(name, "site") == 0 && arg1 == NULL) {
        fault_reset();
        fault_arm_sites();
        return true;
    }
    if ((strcmp(name, "transient") == 0 || strcmp(name, "persistent") == 0) && arg2 == NULL) {
        uint64_t k;
        if (!parse_u64(arg1, &k) || k == 0) {
            snprintf(err, errlen, "'%s': K must be a whole number >= 1 (e.g. %s:3)", spec, name);
            return false;
        }
        fault_reset();
        fault_arm(name[0] == 't' ? FAULT_TRANSIENT : FAULT_PERSISTENT, k);
        return true;
    }
    if (strcmp(name, "random") == 0 && arg1 != NULL) {
        char *end;
        errno = 0;
        double p = strtod(arg1, &end);
        uint64_t seed = 1;
        if (errno != 0 || *end != '\0' || end == arg1 || !(p >= 0.0 && p <= 1.0) ||
            (arg2 != NULL && !parse_u64(arg2, &seed))) {
            snprintf(err, errlen, "'%s': expected random:P[:SEED] with 0 <= P <= 1", spec);
            return false;
        }
        fault_reset();
        fault_arm_random(p, seed);
        return true;
    }
    snprintf(err, errlen,
             "'%s': unknown fault spec (use off, transient:K, persistent:K, random:P[:SEED] "
             "or site)",
             spec);
    return false;
}

/* NAPUTIL_FAULTS arms injection in any program linked with the harness
 * allocator, before main runs.  A malformed value stops the program: running
 * without the faults the user asked for would be a silent false pass. */
__attribute__((constructor)) static void fault_from_environment(void)
{
    const char *spec = getenv("NAPUTIL_FAULTS");
    if (spec == NULL || *spec == '\0')
        return;
    char err[256];
    if (!fault_configure(spec, err, sizeof err)) {
        fprintf(stderr, "NAPUTIL_FAULTS: %s\n", err);
        exit(2);
    }
}
