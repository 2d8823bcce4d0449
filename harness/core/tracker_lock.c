/* The fast path's gate and the checks in force (see tracker_lock.h). */
#include "tracker_lock.h"

#include "callsite_walk.h"

/* Whether the fast path (tracker_fast.c) may run at all: arena blocks,
 * every check on, no journal, no memory tool. */
static bool fast_path_allowed(void)
{
    return !under_tool() && tracker_st.features == TRACKER_FEATURE_ALL && !tracker_st.journal.on &&
           !callsite_memcheck;
}

/* At the exit of a thread that owned the fast path (tracker_owner.h). */
static void owner_exits(void)
{
    bool held = lock_acquire();
    owner_release_locked();
    lock_release(held);
}

void gate_decide(void)
{
    bool held = lock_acquire();
    if (owner_undecided()) {
        if (callsite_stack_top == 0) /* the fast path's walk does not ask */
            callsite_stack_top_slow();
        owner_decide_locked(fast_path_allowed(), owner_exits);
    }
    lock_release(held);
}

void tracker_set_features(unsigned mask)
{
    bool held = lock_acquire();
    tracker_st.features = mask & TRACKER_FEATURE_ALL;
    owner_reset_locked();
    lock_release(held);
}

unsigned tracker_features(void)
{
    return tracker_st.features;
}
