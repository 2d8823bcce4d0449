/* The fast path's owner: granting and revoking it (see tracker_owner.h). */
#include "tracker_owner.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__) && __has_include(<linux/membarrier.h>)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#ifdef SYS_membarrier
#define HAVE_MEMBARRIER 1 /* its commands are enum constants, not macros */
#endif
#endif

_Atomic uintptr_t owner_gate = OWNER_UNDECIDED;
_Atomic int owner_busy;
_Atomic unsigned long owner_grants, owner_revocations;
_Thread_local uint64_t owner_mark_word __attribute__((tls_model("initial-exec")));

/* -1 not yet asked; 1 when this process is registered for the private
 * expedited membarrier, which makes revoking safe; 0 when it cannot be. */
static int barrier_ready = -1;

static int membarrier_call(int cmd)
{
#ifdef HAVE_MEMBARRIER
    return (int)syscall(SYS_membarrier, cmd, 0, 0);
#else
    (void)cmd;
    errno = ENOSYS;
    return -1;
#endif
}

/* In a child of fork only the forking thread runs, which was not inside the
 * fast path; the membarrier registration is asked for again. */
static void forget_in_child(void)
{
    atomic_store(&owner_gate, OWNER_UNDECIDED);
    atomic_store(&owner_busy, 0);
    barrier_ready = -1;
}

static bool barrier_usable(void)
{
    static bool atfork_set;
    if (!atfork_set)
        atfork_set = pthread_atfork(NULL, NULL, forget_in_child) == 0;
    if (barrier_ready < 0) {
#ifdef HAVE_MEMBARRIER
        barrier_ready = atfork_set &&
                        membarrier_call(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
#else
        barrier_ready = 0;
#endif
    }
    return barrier_ready == 1;
}

void owner_decide_locked(bool open)
{
    if (atomic_load_explicit(&owner_gate, memory_order_relaxed) != OWNER_UNDECIDED)
        return;
    uintptr_t g = OWNER_CLOSED;
    if (open) {
        g = barrier_usable() ? owner_mark() : owner_mark() | OWNER_ALONE;
        atomic_fetch_add_explicit(&owner_grants, 1, memory_order_relaxed);
    }
    atomic_store_explicit(&owner_gate, g, memory_order_relaxed);
}

void owner_reset_locked(void)
{
    atomic_store_explicit(&owner_gate, OWNER_UNDECIDED, memory_order_relaxed);
}

void owner_revoke_locked(void)
{
    uintptr_t g = atomic_load_explicit(&owner_gate, memory_order_relaxed);
    atomic_store_explicit(&owner_gate, OWNER_CLOSED, memory_order_relaxed);
    atomic_fetch_add_explicit(&owner_revocations, 1, memory_order_relaxed);
    /* An OWNER_ALONE owner stops by itself: it made the process's second
     * thread, so it has seen __libc_single_threaded turn false. */
    if (g & OWNER_ALONE)
        return;
    bool fenced = false;
#ifdef HAVE_MEMBARRIER
    fenced = membarrier_call(MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0;
#endif
    if (!fenced) {
        /* Not expected once registered: a full fence, and a pause far
         * longer than any store buffer takes to drain, stand in for it. */
        atomic_thread_fence(memory_order_seq_cst);
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    /* Now either the owner saw the gate closed, or its owner_busy = 1 is
     * visible here: wait until it has left. */
    while (atomic_load_explicit(&owner_busy, memory_order_acquire))
        sched_yield();
}
