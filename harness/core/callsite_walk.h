/* The frame-pointer walk behind callsite_capture, inline so that the
 * tracker's allocation path pays no call for it (a capture runs on every
 * allocation).  Internal to the core: callsite.c owns the state it reads. */
#ifndef HARNESS_CALLSITE_WALK_H
#define HARNESS_CALLSITE_WALK_H

#include <stdint.h>

#define CALLSITE_HIDDEN __attribute__((visibility("hidden")))

/* The x86-64 and AArch64 frame record: saved frame pointer, return address. */
typedef struct frame_record {
    const struct frame_record *up;
    const void *ret;
} frame_record;

/* This thread's stack top, 0 until first asked, sizeof(frame_record) when
 * it cannot be known (initial-exec: the default model for -fPIC code calls
 * __tls_get_addr on every access, which was a sixth of a tracked
 * allocation). */
extern CALLSITE_HIDDEN _Thread_local uintptr_t callsite_stack_top
    __attribute__((tls_model("initial-exec")));
/* 0 when no frame record needs Memcheck's say-so before it is read. */
extern CALLSITE_HIDDEN int callsite_memcheck;

/* Finds this thread's stack top (first call on a thread). */
CALLSITE_HIDDEN uintptr_t callsite_stack_top_slow(void);
/* Under Memcheck: whether f's words were ever written (see callsite.c). */
CALLSITE_HIDDEN int callsite_record_defined_slow(const frame_record *f);

/* A frame record is followed only if it lies above the previous one and
 * inside the stack, so a frame pointer register reused as data by code built
 * without frame pointers ends the walk instead of a wild read. */
static inline int callsite_plausible(const frame_record *f, uintptr_t below, uintptr_t top,
                                     int memcheck_possible)
{
    uintptr_t a = (uintptr_t)f;
    return a > below && a <= top - sizeof *f && a % sizeof(void *) == 0 &&
           (!memcheck_possible || !callsite_memcheck || callsite_record_defined_slow(f));
}

/* callsite_capture (callsite.h), walking from the caller's frame;
 * memcheck_possible 0 when the caller knows Memcheck is not running,
 * top_known 1 when it knows this thread's stack top has been asked for. */
static inline __attribute__((always_inline)) unsigned
callsite_walk(const frame_record *f, const void *site, const void **out, unsigned max,
              int memcheck_possible, int top_known)
{
    if (max == 0)
        return 0;
    out[0] = site;
    if (site == NULL || max == 1)
        return 1;
    uintptr_t top = callsite_stack_top;
    if (!top_known && __builtin_expect(top == 0, 0))
        top = callsite_stack_top_slow();
    uintptr_t below;
    /* Up to the frame that returns to site: the allocator's own frames (the
     * seam, the tracker) are not part of the call site.  The first record is
     * the caller's own, so only the ones above it are checked. */
    for (unsigned hops = 0;; hops++) {
        below = (uintptr_t)f;
        const void *ret = f->ret;
        f = f->up;
        if (ret == site)
            break;
        if (hops == 7 || !callsite_plausible(f, below, top, memcheck_possible))
            return 1;
    }
    unsigned n = 1;
    /* Unrolled where the compiler can: max is a constant at every caller. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 8
#endif
    for (; n < max; n++) {
        if (!callsite_plausible(f, below, top, memcheck_possible) || f->ret == NULL)
            break;
        out[n] = f->ret;
        below = (uintptr_t)f;
        f = f->up;
    }
    return n;
}

#endif
