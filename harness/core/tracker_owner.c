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
_Thread_local _Atomic int owner_inside __attribute__((tls_model("initial-exec")));
_Thread_local uintptr_t owner_me __attribute__((tls_model("initial-exec"))) = OWNER_NOBODY;
_Atomic unsigned long owner_grants, owner_revocations;

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
    barrier_ready = -1;
}

/* An owner's exit: its flag, which a revoker would read, goes with it, so
 * the tracker's callback gives the ownership up first (under the lock, so
 * that no revoker is reading the flag meanwhile). */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static void (*exit_callback)(void);
static _Thread_local bool exit_hook_set;

static void at_thread_exit(void *unused)
{
    (void)unused;
    if (exit_callback != NULL)
        exit_callback();
}

static void make_exit_key(void)
{
    if (pthread_key_create(&exit_key, at_thread_exit) != 0)
        exit_key = (pthread_key_t)-1;
}

/* Whether this thread's exit will give up its ownership. */
static bool exit_hook(void (*on_exit)(void))
{
    if (exit_hook_set)
        return true;
    pthread_once(&exit_key_once, make_exit_key);
    exit_callback = on_exit;
    exit_hook_set = exit_key != (pthread_key_t)-1 &&
                    pthread_setspecific(exit_key, &exit_hook_set) == 0;
    return exit_hook_set;
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

bool owner_across_threads_locked(void)
{
    return barrier_usable();
}

void owner_decide_locked(bool open, void (*on_exit)(void))
{
    if (atomic_load_explicit(&owner_gate, memory_order_relaxed) != OWNER_UNDECIDED)
        return;
    uintptr_t g = OWNER_CLOSED;
    owner_me = owner_mark();
    if (open && exit_hook(on_exit)) {
        g = barrier_usable() ? owner_mark() : owner_mark() | OWNER_ALONE;
        atomic_fetch_add_explicit(&owner_grants, 1, memory_order_relaxed);
    }
    atomic_store_explicit(&owner_gate, g, memory_order_relaxed);
}

void owner_release_locked(void)
{
    uintptr_t g = atomic_load_explicit(&owner_gate, memory_order_relaxed);
    if (g > OWNER_UNDECIDED && (g & ~OWNER_ALONE) == owner_mark())
        atomic_store_explicit(&owner_gate, OWNER_CLOSED, memory_order_relaxed);
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
    /* Now either the owner saw the gate closed, or its flag's 1 is visible
     * here: wait until it has left.  The owner is alive: its exit takes the
     * lock this thread holds. */
    _Atomic int *inside = (_Atomic int *)g;
    while (atomic_load_explicit(inside, memory_order_acquire))
        sched_yield();
}
