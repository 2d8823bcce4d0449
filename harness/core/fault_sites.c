/* The set of call sites site mode has failed (fault_sites.h): a site is the
 * innermost frames of an allocating stack, and site mode fails each one at
 * most once.  A mutex of its own, since a sites file fills it too; the
 * injector takes it only while its own lock is held (in that order, never
 * the other), on site mode's path, never on an ordinary allocation's. */
#include <pthread.h>
#include <string.h>

#include <memharness/fault.h>

#include "fault_sites.h"

#define MAX_SITES 4096

typedef struct site_key {
    unsigned depth;
    const void *pc[FAULT_MAX_DEPTH];
} site_key;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static site_key sites[MAX_SITES];
static size_t site_count;

/* The first depth frames of a stack, padded with NULL: two allocations are
 * one site exactly when their keys are equal. */
static site_key key_of(const void *const *stack, unsigned n, unsigned depth)
{
    site_key k;
    memset(&k, 0, sizeof k);
    k.depth = depth;
    for (unsigned i = 0; i < depth && i < n; i++)
        k.pc[i] = stack[i];
    return k;
}

/* Lock held. */
static bool known(const site_key *k)
{
    for (size_t i = 0; i < site_count; i++)
        if (memcmp(&sites[i], k, sizeof *k) == 0)
            return true;
    return false;
}

bool fault_sites_remember(const void *const *stack, unsigned n, unsigned depth, const void **pcs)
{
    site_key k = key_of(stack, n, depth);
    pthread_mutex_lock(&lock);
    bool added = site_count < MAX_SITES && !known(&k);
    if (added)
        sites[site_count++] = k;
    pthread_mutex_unlock(&lock);
    if (added && pcs != NULL)
        memcpy(pcs, k.pc, depth * sizeof *pcs);
    return added;
}

bool fault_sites_add(const void *const *pcs, unsigned depth)
{
    if (depth < 1 || depth > FAULT_MAX_DEPTH)
        return false;
    return fault_sites_remember(pcs, depth, depth, NULL);
}

size_t fault_sites_count(void)
{
    pthread_mutex_lock(&lock);
    size_t n = site_count;
    pthread_mutex_unlock(&lock);
    return n;
}

void fault_sites_forget(void)
{
    pthread_mutex_lock(&lock);
    site_count = 0;
    pthread_mutex_unlock(&lock);
}
