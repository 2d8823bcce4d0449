/* The harness's CoTaskMem* seam: linked in place of lib's default, it routes
 * every allocation of the implementation under test through the tracker and
 * the fault injector.  The call site recorded is the caller's return
 * address, so reports name the function inside the implementation. */
#include <stddef.h>

#include <memharness/fault.h>
#include <memharness/tracker.h>

/* Declared here rather than from a client's header: the seam is COM's,
 * and the core includes no client's headers. */
void *CoTaskMemAlloc(size_t cb);
void *CoTaskMemRealloc(void *pv, size_t cb);
void CoTaskMemFree(void *pv);

__attribute__((noinline)) void *CoTaskMemAlloc(size_t cb)
{
    return tracker_alloc(cb, __builtin_return_address(0));
}

__attribute__((noinline)) void *CoTaskMemRealloc(void *pv, size_t cb)
{
    return tracker_realloc(pv, cb, __builtin_return_address(0));
}

__attribute__((noinline)) void CoTaskMemFree(void *pv)
{
    tracker_free(pv, __builtin_return_address(0));
}

/* MEMHARNESS_FAULTS* armed before main: this object is in every program
 * that allocates through this seam, which the core's own objects are not
 * (fault_env.c). */
__attribute__((constructor)) static void cotaskmem_reads_the_environment(void)
{
    fault_env_apply();
}
