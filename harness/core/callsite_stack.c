/* What a stack walk needs to know of the thread and the tool it runs
 * under (callsite_walk.h): the top of this thread's stack, whether
 * Memcheck is watching, and a record's V bits under it.  Its own file, so
 * that the walkers (callsite.c, callsite_unwind.c) depend on it and it on
 * neither of them. */
#include "callsite_walk.h"

#include <pthread.h>
#include <stdint.h>

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_MEMCHECK_H 1
#endif
#endif

_Thread_local uintptr_t callsite_stack_top __attribute__((tls_model("initial-exec")));
#ifdef HAVE_MEMCHECK_H
/* Decided before main (a constructor), so the walk's test is one load:
 * Memcheck alone answers a V-bits request (Callgrind, which counts the
 * walk's instructions for make bench, does not). */
int callsite_memcheck = 1;
__attribute__((constructor)) static void decide_memcheck(void)
{
    unsigned char probe[1] = {0}, vbits[1];
    callsite_memcheck = RUNNING_ON_VALGRIND != 0 && VALGRIND_GET_VBITS(probe, vbits, 1) == 1;
}
#else
int callsite_memcheck = 0;
#endif

uintptr_t callsite_stack_top_slow(void)
{
    pthread_attr_t attr;
    void *addr;
    size_t size;
    /* Unknown: a top below every frame record, so that only the walker's
     * own frame, which needs no check, is ever read. */
    callsite_stack_top = sizeof(frame_record);
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) == 0)
            callsite_stack_top = (uintptr_t)addr + size;
        pthread_attr_destroy(&attr);
    }
    return callsite_stack_top;
}

/* Under Memcheck a frame pointer register that code without frame pointers
 * reused as data may point at stack words never written: following them
 * would be a use of uninitialised memory that Memcheck reports against the
 * harness.  Their V bits are asked first (without an error report). */
int callsite_record_defined_slow(const frame_record *f)
{
#ifdef HAVE_MEMCHECK_H
    unsigned char vbits[sizeof *f];
    int got = VALGRIND_GET_VBITS(f, vbits, sizeof *f);
    if (got == 0)
        return 1; /* not Memcheck after all */
    if (got != 1)
        return 0;
    for (size_t i = 0; i < sizeof vbits; i++)
        if (vbits[i] != 0)
            return 0;
#else
    (void)f;
#endif
    return 1;
}
