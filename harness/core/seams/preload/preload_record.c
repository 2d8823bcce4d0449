/* The run's record: one JSON object per line (docs/SWEEP-INTERNALS.md), or,
 * with no record file, the same findings as "memharness: ..." lines on
 * stderr.  Lines are built with snprintf in a fixed buffer and written with
 * write(2), so that the crash and hang handlers can use the same code.
 * The fault line comes first: until the injector fails an allocation the
 * other lines wait in a buffer, and the end of the run writes "hit":false
 * before them.  Only the process that opened the record writes to it (a
 * fork of the program's own writes nothing). */
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <memharness/fault.h>
#include <memharness/tracker.h>

#include "fault_observer.h"
#include "preload.h"

#define MAX_FRAMES 64
#define LINE_MAX_BYTES 16384

static int rec_fd = -2; /* -2: no run being recorded */
static pid_t rec_pid;
static char spec_text[512];
static char pending[65536];
static size_t pending_len;
static bool fault_written, ended, finished;
static uint64_t fault_at, fault_seq = UINT64_MAX;
static size_t misuse_written;
static char site_key[2048];

typedef struct line {
    char b[LINE_MAX_BYTES];
    size_t n;
} line;

static void add_fmt(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_fmt(line *l, const char *fmt, ...)
{
    if (l->n >= sizeof l->b)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(l->b + l->n, sizeof l->b - l->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        l->n = l->n + (size_t)k < sizeof l->b ? l->n + (size_t)k : sizeof l->b - 1;
}

/* A JSON string, quotes included. */
static void add_str(line *l, const char *s)
{
    add_fmt(l, "\"");
    for (; *s != '\0' && l->n + 8 < sizeof l->b; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            add_fmt(l, "\\%c", c);
        else if (c < 0x20)
            add_fmt(l, "\\u%04x", c);
        else
            l->b[l->n++] = (char)c;
    }
    l->b[l->n] = '\0';
    add_fmt(l, "\"");
}

/* The program's part of a stack: everything from the seam's main wrapper
 * (below the program's main) on cut off, and everything up to the last of
 * the seam's frames above it: those are the seam's allocation functions
 * and whatever they called (libc's memset or getpid, where a signal may
 * land), and the program's frames start at their caller. */
static const void *const *program_frames(const void *const *pcs, unsigned *n)
{
    unsigned end = 0;
    while (end < *n && !preload_in_main_wrapper(pcs[end]))
        end++;
    unsigned start = 0;
    for (unsigned i = 0; i < end; i++)
        if (preload_in_self(pcs[i]))
            start = i + 1;
    *n = end - start;
    return pcs + start;
}

static void add_stack(line *l, const void *const *pcs, unsigned n)
{
    pcs = program_frames(pcs, &n);
    add_fmt(l, ",\"stack\":[");
    for (unsigned i = 0; i < n; i++) {
        char frame[1024];
        preload_frame_text(pcs[i], true, frame, sizeof frame);
        if (i > 0)
            add_fmt(l, ",");
        add_str(l, frame);
    }
    add_fmt(l, "]");
}

/* The stack for a stderr line: " at F <- F <- F". */
static void add_human_stack(line *l, const void *const *pcs, unsigned n)
{
    pcs = program_frames(pcs, &n);
    for (unsigned i = 0; i < n && i < 8; i++) {
        char frame[1024];
        preload_frame_text(pcs[i], true, frame, sizeof frame);
        add_fmt(l, "%s%s", i == 0 ? " at " : " <- ", frame);
    }
}

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

static bool recording(void)
{
    return rec_fd != -2 && getpid() == rec_pid;
}

/* Writes the line now or, before the fault line, into the buffer. */
static void emit(line *l, bool may_wait)
{
    if (l->n + 1 >= sizeof l->b)
        l->n = sizeof l->b - 2;
    l->b[l->n++] = '\n';
    int fd = rec_fd >= 0 ? rec_fd : 2;
    if (rec_fd >= 0 && may_wait && !fault_written && pending_len + l->n <= sizeof pending) {
        memcpy(pending + pending_len, l->b, l->n);
        pending_len += l->n;
        return;
    }
    write_all(fd, l->b, l->n);
}

static void flush_pending(void)
{
    if (rec_fd >= 0 && pending_len > 0)
        write_all(rec_fd, pending, pending_len);
    pending_len = 0;
}

/* The fault line with hit false, once nothing more can fail. */
static void fault_line_unhit(void)
{
    if (fault_written)
        return;
    fault_written = true;
    if (rec_fd >= 0) {
        line l = {.n = 0};
        add_fmt(&l, "{\"t\":\"fault\",\"spec\":");
        add_str(&l, spec_text);
        add_fmt(&l, ",\"counted\":%llu,\"hit\":false}", (unsigned long long)fault_calls());
        emit(&l, false);
    }
    flush_pending();
}

void preload_record_start(int fd, const char *spec)
{
    rec_fd = fd;
    rec_pid = getpid();
    snprintf(spec_text, sizeof spec_text, "%s", spec);
    pending_len = 0;
    fault_written = ended = finished = false;
    fault_seq = UINT64_MAX;
    misuse_written = 0;
    site_key[0] = '\0';
}

unsigned preload_stack_here(void **pcs, unsigned max)
{
    void *all[MAX_FRAMES + 16];
    int n = backtrace(all, MAX_FRAMES + 16);
    int i = 0;
    while (i < n && preload_in_self(all[i]))
        i++;
    unsigned k = 0;
    for (; i < n && k < max; i++)
        pcs[k++] = all[i];
    return k;
}

static void on_site_failed(void *arg, const void *const *pcs, unsigned depth)
{
    (void)arg;
    size_t n = 0;
    site_key[0] = '\0';
    for (unsigned i = 0; i < depth && n + 2 < sizeof site_key; i++) {
        char frame[1024] = "-";
        if (pcs[i] != NULL)
            preload_frame_text(pcs[i], false, frame, sizeof frame);
        int k = snprintf(site_key + n, sizeof site_key - n, "%s%s", i ? ";" : "", frame);
        if (k > 0)
            n += (size_t)k < sizeof site_key - n ? (size_t)k : sizeof site_key - n - 1;
    }
}

/* The injector is failing an allocation (inside the tracker, the seam's
 * depth raised): the fault line, with the stack of the failed call. */
static void on_injected(void *arg)
{
    (void)arg;
    if (!recording() || fault_written)
        return;
    fault_at = fault_calls();
    fault_seq = tracker_next_seq();
    void *pcs[MAX_FRAMES];
    unsigned n = preload_stack_here(pcs, MAX_FRAMES);
    line l = {.n = 0};
    if (rec_fd >= 0) {
        add_fmt(&l, "{\"t\":\"fault\",\"spec\":");
        add_str(&l, spec_text);
        add_fmt(&l, ",\"counted\":%llu,\"hit\":true,\"at\":%llu", (unsigned long long)fault_at,
                (unsigned long long)fault_at);
        if (site_key[0] != '\0') {
            add_fmt(&l, ",\"site\":");
            add_str(&l, site_key);
        }
        add_stack(&l, (const void *const *)pcs, n);
        add_fmt(&l, "}");
    } else {
        add_fmt(&l, "memharness: injected failure of allocation %llu (%s)",
                (unsigned long long)fault_at, spec_text);
        add_human_stack(&l, (const void *const *)pcs, n);
    }
    fault_written = true;
    emit(&l, false);
    flush_pending();
}

static const fault_observer observer = {on_injected, on_site_failed, NULL};

void preload_record_observe_faults(void)
{
    fault_set_observer(&observer);
}

uint64_t preload_fault_seq(void)
{
    return fault_seq;
}

void preload_record_misuse(void)
{
    if (!recording())
        return;
    size_t count = tracker_error_count();
    for (; misuse_written < count; misuse_written++) {
        const char *text = tracker_error_text(misuse_written);
        if (text == NULL)
            continue;
        void *pcs[MAX_FRAMES];
        unsigned n = preload_stack_here(pcs, MAX_FRAMES);
        line l = {.n = 0};
        if (rec_fd >= 0) {
            add_fmt(&l, "{\"t\":\"misuse\",\"text\":");
            add_str(&l, text);
            add_stack(&l, (const void *const *)pcs, n);
            add_fmt(&l, "}");
        } else {
            add_fmt(&l, "memharness: misuse: %s", text);
        }
        emit(&l, true);
    }
}

bool preload_record_ended(void)
{
    return ended;
}

void preload_record_end(const char *how, int status, const void *const *pcs, unsigned n,
                        const char *message)
{
    if (!recording() || ended)
        return;
    ended = true;
    fault_line_unhit();
    if (rec_fd < 0)
        return; /* the program's own stderr says how it ended */
    line l = {.n = 0};
    add_fmt(&l, "{\"t\":\"end\",\"how\":\"%s\",\"status\":%d", how, status);
    add_stack(&l, pcs, n);
    if (message != NULL) {
        add_fmt(&l, ",\"message\":");
        add_str(&l, message);
    }
    add_fmt(&l, "}");
    emit(&l, false);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGABRT:
        return "SIGABRT";
    case SIGTRAP:
        return "SIGTRAP";
    }
    return "?";
}

void preload_record_crash(int sig, const void *const *pcs, unsigned n)
{
    if (!recording() || ended)
        return;
    ended = true;
    fault_line_unhit();
    line l = {.n = 0};
    if (rec_fd >= 0) {
        add_fmt(&l, "{\"t\":\"crash\",\"signal\":%d,\"name\":\"%s\"", sig, signal_name(sig));
        add_stack(&l, pcs, n);
        add_fmt(&l, "}");
    } else {
        add_fmt(&l, "memharness: crash: %s", signal_name(sig));
        add_human_stack(&l, pcs, n);
    }
    emit(&l, false);
}

void preload_record_hang(const void *const *pcs, unsigned n)
{
    if (!recording() || ended)
        return;
    ended = true;
    fault_line_unhit();
    line l = {.n = 0};
    add_fmt(&l, "{\"t\":\"hang\"");
    add_stack(&l, pcs, n);
    add_fmt(&l, "}");
    emit(&l, false);
}

void preload_record_leak(size_t size, uint64_t seq, bool after_fault, bool reachable,
                         const void *const *pcs, unsigned n)
{
    line l = {.n = 0};
    if (rec_fd >= 0) {
        add_fmt(&l, "{\"t\":\"leak\",\"size\":%zu,\"seq\":%llu,\"after_fault\":%s,"
                "\"reachable\":%s", size, (unsigned long long)seq,
                after_fault ? "true" : "false", reachable ? "true" : "false");
        add_stack(&l, pcs, n);
        add_fmt(&l, "}");
    } else {
        if (reachable)
            return; /* still pointed to at exit: not a leak a person acts on */
        add_fmt(&l, "memharness: leak of %zu bytes (block #%llu%s)", size,
                (unsigned long long)seq, after_fault ? ", allocated after the failure" : "");
        add_human_stack(&l, pcs, n);
    }
    emit(&l, false);
}

void preload_record_finish(void)
{
    if (!recording() || finished)
        return;
    finished = true;
    preload_record_misuse();
    fault_line_unhit();
    preload_leaks_report();
    if (rec_fd >= 0) {
        line l = {.n = 0};
        add_fmt(&l, "{\"t\":\"stats\",\"counted\":%llu,\"tracked\":%llu}",
                (unsigned long long)fault_calls(), (unsigned long long)tracker_alloc_total());
        emit(&l, false);
    }
}
