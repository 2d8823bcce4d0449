/* Planted for memharness_installed.sh: a "die on error" helper that ends
 * the process with status 0 inside a guarded call.  The program's own
 * status says pass; memharness run must fail it, naming the call. */
#include <memharness/crash_guard.h>
#include <stdlib.h>

static void parse_config(int depth)
{
    if (depth > 2)
        exit(0);
}

int main(void)
{
    crash_guard_enter("parse_config(depth=%d)", 3);
    parse_config(3);
    crash_guard_leave();
    return 0;
}
