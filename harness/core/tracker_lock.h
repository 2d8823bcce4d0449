/* The tracker's lock, and the gate that says which thread may take the
 * fast path without it (tracker_owner.h).  The lock is taken only once the
 * process has a second thread.  Whatever changes what the fast path may
 * assume (the checks in force, the journal) makes the gate undecided again
 * (owner_reset_locked), and the next general call decides it, handing the
 * fast path to its own thread.  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_LOCK_H
#define HARNESS_TRACKER_LOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/single_threaded.h>

#include "tracker_owner.h"
#include "tracker_state.h"

/* Takes the lock unless this is the only thread, and ends another thread's
 * ownership of the fast path (tracker_owner.h); returns whether it took the
 * lock. */
static inline bool lock_acquire(void)
{
    if (__libc_single_threaded)
        return false;
    pthread_mutex_lock(&tracker_st.lock);
    if (__builtin_expect(owner_foreign(), 0))
        owner_revoke_locked();
    return true;
}

/* Releases what lock_acquire returned it took. */
static inline void lock_release(bool held)
{
    if (held)
        pthread_mutex_unlock(&tracker_st.lock);
}

/* gate_settle's rare half: decides an undecided gate, or takes the fast
 * path back from another thread. */
TRACKER_HIDDEN void gate_decide(void);

/* The general path's first step: decides an undecided gate, and ends
 * another thread's ownership before this thread touches anything, even
 * the injector's counters outside the lock. */
static inline void gate_settle(void)
{
    if (__builtin_expect(owner_undecided() || owner_foreign(), 0))
        gate_decide();
}

#endif
