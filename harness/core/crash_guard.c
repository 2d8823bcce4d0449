/* See crash_guard.h.
 *
 * The progress file is one page, mapped shared, so that what the process
 * wrote survives it however it ends (even _exit or SIGKILL: the page cache
 * keeps the bytes).  Layout, NUL-padded text:
 *   [0, 16)      magic "MEMHARNESS-PG 1\n"
 *   [16, 256)    how the process ended inside a call (empty until then)
 *   [256, 4096)  the label of the call in progress (empty between calls)
 * harness/report/progress.py reads the same layout. */
#include <memharness/crash_guard.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "asan_detect.h"
#include "env_var.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GUARD_HAVE_VALGRIND_H 1
#endif
#endif

#define PAGE_BYTES 4096
#define MAGIC "MEMHARNESS-PG 1\n"
#define EVENT_AT 16
#define EVENT_MAX (256 - EVENT_AT)
#define LABEL_AT 256
#define LABEL_MAX (PAGE_BYTES - LABEL_AT)
#define DEFAULT_TIMEOUT 5u
#define VALGRIND_SCALE 10u
/* ASan, UBSan and TSan slow a call down a few times (Meson's own timeout
 * multiplier for them is 2 to 3). */
#define SANITIZER_SCALE 3u
#define POLL_NS 200000000L

/* The page: the mapped file, or this buffer when no directory is given. */
static char fallback[PAGE_BYTES];
static char *page;
/* Odd while a call is in progress; bumped on every enter and leave, so the
 * watchdog sees a new call even between two of its polls. */
static atomic_ulong generation;
static _Atomic unsigned timeout_s;
/* crash_guard_set_timeout's bound, before scaling; -1: none set. */
static long timeout_override = -1;
static bool watchdog_running;
/* The progress file's path, removed when the process ends outside a call:
 * only the files that matter are left for the reader. */
static char progress_path[4096];
static bool exit_hook_registered;

static char *event_text(void) { return page + EVENT_AT; }
static char *label_text(void) { return page + LABEL_AT; }

static void write_all(const char *s)
{
    (void)!write(STDERR_FILENO, s, strlen(s));
}

/* Records how the process ended inside the call and says it on stderr;
 * async-signal-safe (no stdio), as the signal handler uses it. */
static void record_event(const char *what)
{
    size_t n = strlen(what);
    if (n >= EVENT_MAX)
        n = EVENT_MAX - 1;
    memcpy(event_text(), what, n);
    event_text()[n] = '\0';
    write_all("\nCALL GUARD: ");
    write_all(label_text());
    write_all(": ");
    write_all(what);
    write_all("\n");
}

static bool in_call(void)
{
    return page != NULL && (atomic_load(&generation) & 1u) != 0;
}

static void on_process_exit(int status, void *arg)
{
    (void)arg;
    if (!in_call()) {
        if (progress_path[0] != '\0')
            unlink(progress_path);
        return;
    }
    char what[EVENT_MAX];
    snprintf(what, sizeof what, "the process exited with status %d inside the call", status);
    record_event(what);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
    }
}

/* The handlers that were in force before ours (a sanitizer's, say): a
 * crash is recorded, then handed on to them with its own context, so that
 * their report (with the stack of the crash, not of this handler) still
 * comes out. */
static struct sigaction previous[NSIG];

static void on_signal(int sig, siginfo_t *info, void *context)
{
    if (in_call()) {
        char what[EVENT_MAX] = "the process was killed by ";
        strcat(what, signal_name(sig));
        strcat(what, " inside the call");
        record_event(what);
        /* The line the console summary has always shown for a crash. */
        write_all("CRASH in ");
        write_all(label_text());
        write_all("\n");
    }
    const struct sigaction *prev = &previous[sig];
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction != NULL) {
        prev->sa_sigaction(sig, info, context);
    } else if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
               prev->sa_handler != SIG_IGN && prev->sa_handler != NULL) {
        prev->sa_handler(sig);
    }
    /* Nobody before us ended the process: die of the same signal. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = (int)(SA_SIGINFO | SA_NODEFER);
    sigemptyset(&sa.sa_mask);
#ifdef HARNESS_ASAN
    /* ASan reports the memory faults itself, with a stack; abort is not its. */
    const int sigs[] = {SIGABRT, SIGTERM};
#else
    const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM};
#endif
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, &previous[sigs[i]]);
}

static bool under_valgrind(void)
{
#ifdef GUARD_HAVE_VALGRIND_H
    if (RUNNING_ON_VALGRIND)
        return true;
#endif
    const char *tool = memharness_env("TOOL", NULL, 0); /* set by the Valgrind wrapper */
    return tool != NULL && strcmp(tool, "valgrind") == 0;
}

/* How much slower a tool makes a call: the bound grows with it. */
static unsigned tool_scale(void)
{
    if (under_valgrind())
        return VALGRIND_SCALE;
#ifdef HARNESS_ASAN
    return SANITIZER_SCALE;
#else
    const char *tool = memharness_env("TOOL", NULL, 0); /* set by the sanitizer wrappers */
    if (tool != NULL && (strcmp(tool, "asan") == 0 || strcmp(tool, "tsan") == 0))
        return SANITIZER_SCALE;
    return 1u;
#endif
}

static unsigned configured_timeout(void)
{
    unsigned t = DEFAULT_TIMEOUT;
    char var[128];
    const char *env = memharness_env("CALL_TIMEOUT", var, sizeof var);
    if (timeout_override >= 0) {
        t = (unsigned)timeout_override;
    } else if (env != NULL && *env != '\0') {
        char *end;
        errno = 0;
        unsigned long v = strtoul(env, &end, 10);
        if (errno != 0 || *end != '\0' || v > 86400) {
            fprintf(stderr, "call guard: %s='%s' is not a number of "
                    "seconds (0..86400); using %u\n", var, env, DEFAULT_TIMEOUT);
        } else {
            t = (unsigned)v;
        }
    }
    return t * tool_scale();
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Polls the generation: the same odd value for longer than the bound is a
 * call that did not return.  The process is killed (SIGKILL: nothing of
 * the hanging call runs again); the test framework records the death and
 * goes on with the next test. */
static void *watchdog(void *arg)
{
    (void)arg;
    unsigned long seen = 0;
    double since = 0;
    for (;;) {
        struct timespec pause = {0, POLL_NS};
        nanosleep(&pause, NULL);
        unsigned long g = atomic_load(&generation);
        if ((g & 1u) == 0) {
            seen = g;
            continue;
        }
        double now = now_seconds();
        if (g != seen) {
            seen = g;
            since = now;
            continue;
        }
        if (now - since >= (double)timeout_s) {
            char what[EVENT_MAX];
            snprintf(what, sizeof what, "did not return within %u s", timeout_s);
            record_event(what);
            kill(getpid(), SIGKILL);
        }
    }
    return NULL;
}

static void map_progress_file(void)
{
    page = fallback;
    const char *dir = memharness_env("PROGRESS_DIR", NULL, 0);
    if (dir == NULL || *dir == '\0')
        return;
    char *path = progress_path;
    snprintf(path, sizeof progress_path, "%s/progress.%ld", dir, (long)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, PAGE_BYTES) != 0) {
        fprintf(stderr, "call guard: cannot create %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        path[0] = '\0';
        return;
    }
    void *m = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        fprintf(stderr, "call guard: cannot map %s: %s\n", path, strerror(errno));
        unlink(path);
        path[0] = '\0';
        return;
    }
    page = m;
}

/* A forked child has no watchdog and must not write its parent's file. */
static void forget_after_fork(void)
{
    page = NULL;
    progress_path[0] = '\0';
    atomic_store(&generation, 0);
    watchdog_running = false; /* threads do not survive fork */
}

static void start_watchdog(void)
{
    if (watchdog_running || timeout_s == 0)
        return;
    pthread_t t;
    if (pthread_create(&t, NULL, watchdog, NULL) == 0) {
        pthread_detach(t);
        watchdog_running = true;
    } else {
        fprintf(stderr, "call guard: no watchdog thread: calls are not timed\n");
    }
}

static void start_guard(void)
{
    map_progress_file();
    memcpy(page, MAGIC, sizeof MAGIC - 1);
    timeout_s = configured_timeout();
    install_signal_handlers();
    if (!exit_hook_registered) {
        on_exit(on_process_exit, NULL);
        pthread_atfork(NULL, NULL, forget_after_fork);
        exit_hook_registered = true;
    }
    start_watchdog();
}

void crash_guard_enter(const char *fmt, ...)
{
    if (page == NULL)
        start_guard();
    if (in_call()) /* an enter without leave: the new label replaces it */
        atomic_fetch_add(&generation, 1);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(label_text(), LABEL_MAX, fmt, ap);
    va_end(ap);
    atomic_fetch_add(&generation, 1);
}

void crash_guard_leave(void)
{
    if (!in_call())
        return;
    label_text()[0] = '\0';
    atomic_fetch_add(&generation, 1);
}

void crash_guard_set_timeout(unsigned seconds)
{
    timeout_override = seconds;
    if (page != NULL) {
        timeout_s = configured_timeout();
        start_watchdog();
    }
}

unsigned crash_guard_timeout_seconds(void)
{
    if (page == NULL)
        return configured_timeout();
    return timeout_s;
}
