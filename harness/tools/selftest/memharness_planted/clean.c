/* Planted for memharness_installed.sh: a correct program that uses the call
 * guard (so its watchdog thread runs until exit) and frees what it
 * allocates: every tool must pass it. */
#include <memharness/crash_guard.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    crash_guard_enter("copy_and_free(n=%d)", 16);
    char *s = malloc(16);
    if (s == NULL)
        return 1;
    memset(s, 'x', 16);
    free(s);
    crash_guard_leave();
    return 0;
}
