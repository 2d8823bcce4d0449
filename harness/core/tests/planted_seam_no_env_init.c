/* A planted broken hook seam for the 'seam-planted' test: the hooks over
 * the tracker, as seams/malloc_hooks.c has them, but without its
 * constructor's fault_env_apply.  env_faults_prog linked with this must
 * fail: MEMHARNESS_FAULTS is then ignored. */
#include <memharness/hooks.h>

#include <memharness/malloc_family.h>

__attribute__((noinline)) void *memharness_hook_malloc(size_t size)
{
    return memharness_malloc_at(size, __builtin_return_address(0));
}

__attribute__((noinline)) void memharness_hook_free(void *ptr)
{
    memharness_free_at(ptr, __builtin_return_address(0));
}
