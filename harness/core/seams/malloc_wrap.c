/* The link-time seam (library memharness-wrap): the targets of
 * `ld --wrap=malloc,...`.  memharness-wrap-malloc applies --wrap to the
 * objects of the code under test only (a partial link), so their calls of
 * the malloc family land here while the harness, the test framework and
 * libc keep the real allocator: nothing of theirs is counted or failed. */
#include <stddef.h>

#include <memharness/malloc_family.h>

/* The names ld's --wrap gives; declared here because no header may
 * promise them to anyone but the linker. */
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void __wrap_free(void *ptr);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

__attribute__((noinline)) void *__wrap_malloc(size_t size)
{
    return memharness_malloc_at(size, __builtin_return_address(0));
}

__attribute__((noinline)) void *__wrap_calloc(size_t n, size_t size)
{
    return memharness_calloc_at(n, size, __builtin_return_address(0));
}

__attribute__((noinline)) void *__wrap_realloc(void *ptr, size_t size)
{
    return memharness_realloc_at(ptr, size, __builtin_return_address(0));
}

__attribute__((noinline)) void __wrap_free(void *ptr)
{
    memharness_free_at(ptr, __builtin_return_address(0));
}

__attribute__((noinline)) char *__wrap_strdup(const char *s)
{
    return memharness_strdup_at(s, __builtin_return_address(0));
}

__attribute__((noinline)) char *__wrap_strndup(const char *s, size_t n)
{
    return memharness_strndup_at(s, n, __builtin_return_address(0));
}
