/* See crash_guard.h.  Under AddressSanitizer the handlers stay ASan's: its
 * report already names the crashing function with a stack trace. */
#include <memharness/crash_guard.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "asan_detect.h"

static char label[512];
static volatile sig_atomic_t label_set;
#ifndef HARNESS_ASAN /* under ASan the handlers stay ASan's */
static int installed;

static void on_crash(int sig)
{
    if (label_set) {
        static const char head[] = "\nCRASH in ";
        (void)!write(STDERR_FILENO, head, sizeof head - 1);
        (void)!write(STDERR_FILENO, label, strlen(label));
        const char *name = sig == SIGSEGV ? " (SIGSEGV)\n"
                         : sig == SIGBUS  ? " (SIGBUS)\n"
                         : sig == SIGFPE  ? " (SIGFPE)\n"
                         : sig == SIGILL  ? " (SIGILL)\n"
                                          : " (SIGABRT)\n";
        (void)!write(STDERR_FILENO, name, strlen(name));
    }
    /* SA_RESETHAND restored the default action: die of the same signal. */
    raise(sig);
}
#endif

void crash_guard_enter(const char *fmt, ...)
{
#ifndef HARNESS_ASAN
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
        sigemptyset(&sa.sa_mask);
        const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            sigaction(sigs[i], &sa, NULL);
        installed = 1;
    }
#endif
    label_set = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(label, sizeof label, fmt, ap);
    va_end(ap);
    label_set = 1;
}

void crash_guard_leave(void)
{
    label_set = 0;
}
