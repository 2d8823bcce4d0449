/* Which thread may run the tracker's fast path without the lock: its owner.
 *
 * The tracker hands the ownership to the thread that decides the gate
 * (tracker_lock.c), which in a test is the test's own thread: a Criterion worker
 * or libFuzzer always has a second thread, so "only when the process has
 * one thread" would leave the fast path to benchmarks alone.  The owner
 * marks itself inside and outside the fast path with a plain store to a
 * flag of its own; any other thread that comes to the tracker takes the
 * lock and revokes the ownership first (tracker_owner.c), waiting until the
 * owner's flag says it is out.  The owner needs no fence: the revoker's
 * membarrier(2) puts one on every CPU running the process.  The flag is the
 * owner's own, not a shared one, so that a thread that lost the ownership
 * while about to enter cannot clear the flag of the one that has it now.
 * Where membarrier is unavailable the ownership holds only while the
 * process has one thread, when nobody can revoke it.
 * Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_OWNER_H
#define HARNESS_TRACKER_OWNER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/single_threaded.h>

#define OWNER_HIDDEN __attribute__((visibility("hidden")))

/* The gate: OWNER_CLOSED, OWNER_UNDECIDED, or the owner's mark (the
 * address of its owner_inside flag), with OWNER_ALONE set when the
 * ownership holds only while the process has one thread. */
#define OWNER_CLOSED ((uintptr_t)0)
#define OWNER_UNDECIDED ((uintptr_t)1)
#define OWNER_ALONE ((uintptr_t)1)
extern OWNER_HIDDEN _Atomic uintptr_t owner_gate;
/* This thread's flag: 1 while it is inside the fast path.  Its address is
 * the thread's mark (4-aligned, so bit 0 is free for OWNER_ALONE);
 * initial-exec, as callsite_stack_top. */
extern OWNER_HIDDEN _Thread_local _Atomic int owner_inside
    __attribute__((tls_model("initial-exec")));
/* This thread's mark once it has decided the gate, else OWNER_NOBODY, a
 * value the gate never holds: compared with the gate in one instruction,
 * where computing the flag's address takes two more. */
#define OWNER_NOBODY ((uintptr_t)2)
extern OWNER_HIDDEN _Thread_local uintptr_t owner_me __attribute__((tls_model("initial-exec")));
/* How many times the fast path was handed to a thread and taken back, for
 * the probe that proves the hand-over (tests/tracker_owner_probe.c). */
extern OWNER_HIDDEN _Atomic unsigned long owner_grants, owner_revocations;

static inline uintptr_t owner_mark(void)
{
    return (uintptr_t)&owner_inside;
}

/* True, with this thread inside the fast path, when it owns it; the caller
 * then calls owner_leave.  False, with nothing changed, when it does not. */
static inline bool owner_enter(void)
{
    /* The flag first, then the gate: a revoker that closed the gate before
     * this load is seen, and one that closed it after sees the flag.  The
     * flag is this thread's own, so raising it costs another thread nothing
     * even when this one turns out not to be the owner. */
    atomic_store_explicit(&owner_inside, 1, memory_order_relaxed);
    /* The compiler must not move the load above the store; the processor's
     * own reordering is what the revoker's membarrier undoes. */
    atomic_signal_fence(memory_order_seq_cst);
    uintptr_t g = atomic_load_explicit(&owner_gate, memory_order_relaxed);
    if (__builtin_expect(g == owner_me, 1))
        return true;
    atomic_store_explicit(&owner_inside, 0, memory_order_release);
    return g == (owner_mark() | OWNER_ALONE) && __libc_single_threaded;
}

/* Leaves the fast path: everything it wrote is visible to a revoker that
 * then sees the flag 0. */
static inline void owner_leave(void)
{
    atomic_store_explicit(&owner_inside, 0, memory_order_release);
}

/* Whether the gate is to be decided (the general path does:
 * tracker_lock.h). */
static inline bool owner_undecided(void)
{
    return atomic_load_explicit(&owner_gate, memory_order_relaxed) == OWNER_UNDECIDED;
}

/* Whether another thread owns the fast path, so that this one must revoke
 * the ownership before it touches the tracker's state. */
static inline bool owner_foreign(void)
{
    uintptr_t g = atomic_load_explicit(&owner_gate, memory_order_relaxed);
    return g > OWNER_UNDECIDED && (g & ~OWNER_ALONE) != owner_mark();
}

/* With the tracker's lock held: ends another thread's ownership and waits
 * until it is out of the fast path; the gate is then closed. */
OWNER_HIDDEN void owner_revoke_locked(void);
/* With the lock held: opens the fast path to this thread (open) or closes
 * it.  on_exit, called at this thread's exit, must take the lock and call
 * owner_release_locked: a revoker reads the owner's flag, which lives only
 * as long as the owner. */
OWNER_HIDDEN void owner_decide_locked(bool open, void (*on_exit)(void));
/* With the lock held: this thread gives up the fast path if it owns it. */
OWNER_HIDDEN void owner_release_locked(void);
/* With the lock held: whether membarrier lets the ownership pass between
 * threads (asks the kernel once). */
OWNER_HIDDEN bool owner_across_threads_locked(void);
/* With the lock held: the gate is to be decided again. */
OWNER_HIDDEN void owner_reset_locked(void);

#endif
