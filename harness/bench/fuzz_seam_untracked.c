/* Item 4's other yardstick: CoTaskMem* over malloc for the untracked build
 * of the connections target (fuzz_connections_untracked).  It still asks the
 * fault injector, so that an input takes the same path through
 * AllocConnections in both builds and the exec/s ratio is the tracker's
 * cost alone. */
#include <stdbool.h>
#include <stdlib.h>

#include <memharness/fault.h>

void *CoTaskMemAlloc(size_t cb);
void *CoTaskMemRealloc(void *pv, size_t cb);
void CoTaskMemFree(void *pv);

void *CoTaskMemAlloc(size_t cb)
{
    if (fault_should_fail(__builtin_return_address(0)))
        return NULL;
    return malloc(cb ? cb : 1);
}

/* COM's rules (NULL allocates, size 0 frees) over realloc; the injector is
 * asked about everything but a free. */
void *CoTaskMemRealloc(void *pv, size_t cb)
{
    bool frees = pv != NULL && cb == 0;
    if (!frees && fault_should_fail(__builtin_return_address(0)))
        return NULL;
    if (frees)
        free(pv);
    return frees ? NULL : pv == NULL ? malloc(cb ? cb : 1) : realloc(pv, cb);
}

void CoTaskMemFree(void *pv)
{
    free(pv);
}

/* MEMHARNESS_FAULTS* read as the tracked seam reads them, so that both
 * builds take the same path. */
__attribute__((constructor)) static void untracked_reads_the_environment(void)
{
    fault_env_apply();
}
