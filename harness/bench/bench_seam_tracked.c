/* The harness's tracking CoTaskMem* as a benchmark seam: every feature on
 * (call sites, poison, guard bytes, quarantine) and the injector armed at
 * an allocation that never comes, so each allocation pays for the
 * injector's question exactly as under a sweep.  A run is clean only if
 * the fast path took nearly every call, the path its figures name. */
#include <stdint.h>
#include <stdio.h>

#include "bench_seam.h"
#include <memharness/fault.h>
#include <memharness/tracker.h>

const char *bench_seam_name(void)
{
    return "tracked";
}

void bench_seam_prepare(void)
{
    tracker_reset();
    fault_reset();
    fault_arm(FAULT_TRANSIENT, UINT64_MAX);
}

bool bench_seam_clean(char *why, size_t len)
{
    if (fault_current_mode() != FAULT_TRANSIENT || fault_calls() == 0) {
        snprintf(why, len, "the fault injector was not consulted (mode %s, %llu calls)",
                 fault_mode_name(fault_current_mode()), (unsigned long long)fault_calls());
        return false;
    }
    if (fault_hits() != 0) {
        snprintf(why, len, "the fault injector fired %llu time(s)",
                 (unsigned long long)fault_hits());
        return false;
    }
    uint64_t calls = tracker_alloc_total() + tracker_free_total();
    if (tracker_general_calls() * 100 > calls) {
        snprintf(why, len, "%llu of %llu calls took the tracker's general path, not its fast one",
                 (unsigned long long)tracker_general_calls(), (unsigned long long)calls);
        return false;
    }
    if (tracker_live_count() != 0 || tracker_error_count() != 0) {
        snprintf(why, len, "%zu block(s) left live, %zu misuse(s)%s%s", tracker_live_count(),
                 tracker_error_count(), tracker_error_count() ? ": " : "",
                 tracker_error_count() ? tracker_error_text(0) : "");
        return false;
    }
    return true;
}
