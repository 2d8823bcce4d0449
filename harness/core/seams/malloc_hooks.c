/* The hook seam: noinline so that __builtin_return_address(0) is the
 * library function that called its hook, which is what a leak report must
 * name. */
#include <memharness/hooks.h>

#include <memharness/fault.h>
#include <memharness/malloc_family.h>
#include <memharness/tracker.h>

/* A misuse is named by the hook the library called. */
static const tracker_names hook_names = {
    "memharness_hook_free", "memharness_hook_realloc", "block of the memharness_hook_* allocator",
    "memory from malloc",
};

__attribute__((noinline)) void *memharness_hook_malloc(size_t size)
{
    return memharness_malloc_at(size, __builtin_return_address(0));
}

__attribute__((noinline)) void *memharness_hook_calloc(size_t n, size_t size)
{
    return memharness_calloc_at(n, size, __builtin_return_address(0));
}

__attribute__((noinline)) void *memharness_hook_realloc(void *ptr, size_t size)
{
    return memharness_realloc_named_at(ptr, size, __builtin_return_address(0), &hook_names);
}

__attribute__((noinline)) void memharness_hook_free(void *ptr)
{
    memharness_free_named_at(ptr, __builtin_return_address(0), &hook_names);
}

__attribute__((noinline)) char *memharness_hook_strdup(const char *s)
{
    return memharness_strdup_at(s, __builtin_return_address(0));
}

/* MEMHARNESS_FAULTS* armed before main: this object is in every program
 * that allocates through this seam, which the core's own objects are not
 * (fault_env.c). */
__attribute__((constructor)) static void hooks_reads_the_environment(void)
{
    fault_env_apply();
}
