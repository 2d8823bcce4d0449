/* The tracker's state, its one definition (see tracker_state.h).  It
 * calls nothing, so that every file may read the state without a
 * dependency going back. */
#include "tracker_state.h"

tracker_state tracker_st = {
    .stats = TRACKER_COUNTERS_START,
    .live = {.prev = &tracker_st.live, .next = &tracker_st.live},
    .features = TRACKER_FEATURE_ALL,
    .tool = -1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
};
