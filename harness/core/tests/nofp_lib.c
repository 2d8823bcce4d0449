/* See nofp_lib.h.  Built with -O2 -fomit-frame-pointer and no sibling
 * calls (each function stays on the stack while the allocator runs). */
#include "nofp_lib.h"

static void *(*lib_alloc)(size_t);
static const void *lib_stale_ret;

void nofp_lib_set(void *(*alloc)(size_t), const void *stale_ret)
{
    lib_alloc = alloc;
    lib_stale_ret = stale_ret;
}

/* Allocates with rbp holding the address of a frame record on this
 * function's stack that names lib_stale_ret: what a frame-pointer walk
 * finds when code without frame pointers used rbp as data.  Not under
 * AddressSanitizer: clang keeps a frame pointer for a function whose stack
 * it instruments, and rbp would then be its frame after all. */
__attribute__((noinline, no_sanitize("address"))) void *nofp_lib_alloc(size_t size)
{
    const void *volatile stale[2] = {0, lib_stale_ret};
#if defined(__x86_64__)
    __asm__ volatile("mov %0, %%rbp" : : "r"(stale) : "rbp", "memory");
#endif
    void *p = lib_alloc(size);
    __asm__ volatile("" : : "r"(stale) : "memory"); /* the record lives until here */
    return p;
}

__attribute__((noinline)) void *nofp_lib_via_one(size_t size)
{
    void *p = nofp_lib_alloc(size);
    __asm__ volatile("" : : "r"(p) : "memory"); /* no sibling call */
    return p;
}

__attribute__((noinline)) void *nofp_lib_via_two(size_t size)
{
    void *p = nofp_lib_alloc(size + 1);
    __asm__ volatile("" : : "r"(p) : "memory");
    return p;
}

/* Calls fn with the same stale record in rbp: fn keeps frame pointers, so
 * its record saves that rbp, and a walk that climbs out of this function
 * through it names lib_stale_ret. */
__attribute__((noinline, no_sanitize("address"))) void *nofp_lib_call_back(void *(*fn)(size_t),
                                                                          size_t size)
{
    const void *volatile stale[2] = {0, lib_stale_ret};
#if defined(__x86_64__)
    __asm__ volatile("mov %0, %%rbp" : : "r"(stale) : "rbp", "memory");
#endif
    void *p = fn(size);
    __asm__ volatile("" : : "r"(stale) : "memory");
    return p;
}
