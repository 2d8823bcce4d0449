/* The tracker's verdict as check_ctx failures (see tracker_check.h). */
#include <memharness/tracker_check.h>

#include <memharness/tracker.h>

void tracker_check_misuse(check_ctx *ctx)
{
    size_t errors = tracker_error_count();
    for (size_t i = 0; i < errors; i++) {
        const char *text = tracker_error_text(i);
        if (text == NULL) {
            /* The tracker keeps the first few texts; the count is exact. */
            check_fail(ctx, "... and %zu more allocator misuse(s)", errors - i);
            break;
        }
        check_fail(ctx, "allocator misuse: %s", text);
    }
}

void tracker_check_clean(check_ctx *ctx)
{
    size_t live = tracker_live_count();
    if (live > 0) {
        char leaks[4096];
        tracker_format_leaks(leaks, sizeof leaks, 1);
        check_fail(ctx, "%zu block(s) leaked:\n%s", live, leaks);
    }
    tracker_check_misuse(ctx);
}
