/* The injector's decision, inline so that the tracker pays no call for it
 * on every allocation: disarmed, one load; armed in a counting mode (as in
 * every sweep), a counter bump and a compare.  The modes that take the lock
 * and the recording of a failure stay out of line in fault.c, which owns
 * this state.  Internal to the core. */
#ifndef HARNESS_FAULT_ARMED_H
#define HARNESS_FAULT_ARMED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/single_threaded.h>

#include <memharness/fault.h>

#define FAULT_HIDDEN __attribute__((visibility("hidden")))

/* The armed mode (a fault_mode), FAULT_OFF while disarmed. */
extern FAULT_HIDDEN _Atomic int fault_armed_mode;
/* Allocations asked about since the arming; the one (or the first) to fail. */
extern FAULT_HIDDEN _Atomic uint64_t fault_calls_now;
extern FAULT_HIDDEN _Atomic uint64_t fault_target_k;
/* The first call that fault_pass_fast must leave to fault_decide: k in the
 * counting modes (UINT64_MAX once a transient failure has fired), 0 in the
 * modes that take the lock. */
extern FAULT_HIDDEN _Atomic uint64_t fault_fast_until;
/* This thread's fault_exempt_begin depth (initial-exec: see callsite_walk.h). */
extern FAULT_HIDDEN _Thread_local int fault_exempt_depth __attribute__((tls_model("initial-exec")));

/* The random and site modes' decision (they take the lock). */
FAULT_HIDDEN bool fault_decide_locked(int m, const void *const *stack, unsigned n);
/* Counts and records a failure decided on; returns true. */
FAULT_HIDDEN bool fault_record_hit(int m, uint64_t call, const void *const *stack, unsigned n);

/* Adds one and returns the new value; a plain load and store while no other
 * thread exists (glibc never turns __libc_single_threaded back on), since a
 * locked add was a tenth of a tracked allocation's cost. */
static inline uint64_t fault_bump(_Atomic uint64_t *counter)
{
    if (__libc_single_threaded) {
        uint64_t n = atomic_load_explicit(counter, memory_order_relaxed) + 1;
        atomic_store_explicit(counter, n, memory_order_relaxed);
        return n;
    }
    return atomic_fetch_add(counter, 1) + 1;
}

/* fault_should_fail_stack (fault.h). */
static inline bool fault_decide(const void *const *stack, unsigned n)
{
    int m = atomic_load_explicit(&fault_armed_mode, memory_order_relaxed);
    if (m == FAULT_OFF || fault_exempt_depth > 0)
        return false;
    uint64_t call = fault_bump(&fault_calls_now);
    uint64_t k = atomic_load_explicit(&fault_target_k, memory_order_relaxed);
    bool fail;
    if (m == FAULT_TRANSIENT)
        fail = call == k;
    else if (m == FAULT_PERSISTENT)
        fail = call >= k;
    else
        fail = (m == FAULT_RANDOM || m == FAULT_SITE) && fault_decide_locked(m, stack, n);
    return fail && fault_record_hit(m, call, stack, n);
}

/* fault_decide's answer for the only thread where it is "do not fail" and
 * needs no lock: then the call is counted and true returned.  false, with
 * nothing counted, when fault_decide must be asked instead (a mode that
 * takes the lock, or the call that is to fail). */
static inline bool fault_pass_fast(void)
{
    int m = atomic_load_explicit(&fault_armed_mode, memory_order_relaxed);
    if (m == FAULT_OFF || fault_exempt_depth > 0)
        return true;
    uint64_t call = atomic_load_explicit(&fault_calls_now, memory_order_relaxed) + 1;
    if (call >= atomic_load_explicit(&fault_fast_until, memory_order_relaxed))
        return false;
    atomic_store_explicit(&fault_calls_now, call, memory_order_relaxed);
    return true;
}

#endif
