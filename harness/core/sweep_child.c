/* Sweeps that survive the code under test (see sweep_point.h).
 *
 * The parent forks a child that runs the sweep's points in order and sends
 * each run's outcome up a pipe.  When the child ends before it says the
 * sweep is over (a signal, exit, abort, or a run that does not return in
 * the call guard's bound), the point it was at becomes a finding, named
 * with how the child ended and the stack it ended at, and a new child goes
 * on at the next point.  A child costs one fork per sweep, not per point.
 *
 * What the parent must still know after a crash comes from a page shared
 * with the child (the point in progress, whether its fault was hit), not
 * from the pipe, which a crash can cut short: a run that crashed without
 * its fault being hit was the sweep's last point.  Site mode's failed sites
 * are sent up as they are failed, so the next child does not fail the
 * crashing site again.
 *
 * Everything the child writes to the pipe, from its signal handlers too,
 * goes through write(2): async-signal-safe. */
#include "sweep_point.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <memharness/callsite.h>
#include <memharness/crash_guard.h>

#include "env_var.h"
#include "fault_observer.h"
#include "waiver_table.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define SWEEP_HAVE_VALGRIND_H 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SWEEP_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SWEEP_UNDER_TSAN 1
#endif
#endif

/* Frames of a crash's stack kept for the finding. */
#define DEATH_FRAMES 24
/* Frames shown in the finding (the innermost; libc's abort path included). */
#define DEATH_SHOWN 8
/* How long a child asked for its stack at a timeout may take to answer. */
#define HANG_GRACE_MS 2000

enum record_type { REC_POINT = 1, REC_SITE, REC_DEATH, REC_WAIVERS, REC_END };
enum death_kind { DEATH_SIGNAL = 1, DEATH_EXIT, DEATH_HANG };

typedef struct record_head {
    uint32_t type;
    uint32_t len;
} record_head;

typedef struct point_body {
    uint64_t k, calls;
    uint32_t hit, failures, repeats, label_len, msg_len;
} point_body;

typedef struct site_body {
    uint32_t depth;
    const void *pcs[FAULT_MAX_DEPTH];
} site_body;

typedef struct death_body {
    uint32_t kind;
    int32_t code; /* signal number or exit status */
    uint32_t frames;
    void *pcs[DEATH_FRAMES];
} death_body;

/* Shared with the child: survives however it ends. */
typedef struct shared_state {
    volatile uint64_t k;   /* point in progress */
    volatile uint32_t hit; /* its fault was hit */
} shared_state;

/* ---- the child ---------------------------------------------------------- */

static int child_fd = -1;
static shared_state *child_shared;

static void send_all(const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(child_fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the parent is gone: nobody to tell */
        p += n;
        len -= (size_t)n;
    }
}

static void send_record(uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
                        const void *c, size_t clen)
{
    record_head h = {type, (uint32_t)(alen + blen + clen)};
    send_all(&h, sizeof h);
    send_all(a, alen);
    if (blen)
        send_all(b, blen);
    if (clen)
        send_all(c, clen);
}

static void on_injected(void *arg)
{
    (void)arg;
    child_shared->hit = 1;
}

static void on_site_failed(void *arg, const void *const *pcs, unsigned depth)
{
    (void)arg;
    site_body s;
    memset(&s, 0, sizeof s);
    s.depth = depth;
    memcpy(s.pcs, pcs, depth * sizeof *pcs);
    send_record(REC_SITE, &s, sizeof s, NULL, 0, NULL, 0);
}

static bool send_point(void *sink_arg, const sweep_point *p)
{
    (void)sink_arg;
    point_body b = {p->k, p->calls, p->hit, p->run.failures, p->run.repeats,
                    (uint32_t)strlen(p->label), (uint32_t)p->run.used};
    send_record(REC_POINT, &b, sizeof b, p->label, b.label_len, p->run.message, b.msg_len);
    /* The next point starts now: its hit flag is its own. */
    child_shared->k = p->k + 1;
    child_shared->hit = 0;
    return true;
}

/* The interrupted instruction, so that the frames of the handler and of
 * the kernel's signal return are left out of the stack. */
static void *interrupted_pc(const void *context)
{
    const ucontext_t *uc = context;
#if defined(__x86_64__)
    return (void *)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (void *)uc->uc_mcontext.pc;
#else
    (void)uc;
    return NULL;
#endif
}

/* from: the first frame to keep (the interrupted instruction), or NULL
 * to keep the frames above exit()'s, whose caller is the one to name. */
static void send_death(uint32_t kind, int32_t code, void *from)
{
    death_body d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.code = code;
    void *all[DEATH_FRAMES + 8];
    int n = backtrace(all, DEATH_FRAMES + 8);
    int start = 0;
    for (int i = 0; i < n; i++) {
        Dl_info info;
        if (from != NULL ? all[i] == from
                         /* - 1: exit's call that never returns is its last
                          * instruction, so its return address is past it */
                         : dladdr((char *)all[i] - 1, &info) != 0 &&
                               info.dli_saddr == (void *)exit) {
            start = from != NULL ? i : i + 1;
            break;
        }
    }
    /* Up to the scenario's frame: what lies below it is the harness. */
    for (int i = start; i < n && d.frames < DEATH_FRAMES; i++) {
        if ((uintptr_t)all[i] - (uintptr_t)sweep_call_scenario < SWEEP_CALLER_BYTES)
            break;
        d.pcs[d.frames++] = all[i];
    }
    send_record(REC_DEATH, &d, sizeof d, NULL, 0, NULL, 0);
}

/* The waivers the child's findings matched, one source a line: the parent
 * marks them, or its stale list would name waivers only a child used. */
static void send_waivers_matched(void)
{
    if (waiver_table_count() == 0)
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL)
        return;
    waiver_table_write_matched(f);
    if (fclose(f) == 0 && len > 0)
        send_record(REC_WAIVERS, text, len, NULL, 0, NULL, 0);
    free(text);
}

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP};
static struct sigaction before[NSIG];

static void on_fatal(int sig, siginfo_t *info, void *context)
{
    send_death(DEATH_SIGNAL, sig, interrupted_pc(context));
    /* Hand the signal on (a sanitizer's handler writes its own report),
     * then die of it. */
    const struct sigaction *prev = &before[sig];
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction != NULL)
        prev->sa_sigaction(sig, info, context);
    else if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL &&
             prev->sa_handler != SIG_IGN && prev->sa_handler != NULL)
        prev->sa_handler(sig);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_hang(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    send_death(DEATH_HANG, 0, interrupted_pc(context));
    _exit(124);
}

static void on_child_exit(int status, void *arg)
{
    (void)arg;
    send_death(DEATH_EXIT, status, NULL);
}

static void child_prepare(int fd, shared_state *shared, uint64_t first_k)
{
    child_fd = fd;
    child_shared = shared;
    shared->k = first_k;
    shared->hit = 0;
    /* A parent that dies (a test timeout) takes its sweep with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* The parent names the point a run ended at: the call guard's
     * progress file would name it a second time, as the whole test's. */
    memharness_env_unset("PROGRESS_DIR");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
        sigaction(fatal_signals[i], &sa, &before[fatal_signals[i]]);
    sa.sa_sigaction = on_hang;
    sigaction(SIGUSR2, &sa, NULL);
    on_exit(on_child_exit, NULL);
}

static __attribute__((noreturn)) void child_main(int fd, shared_state *shared, const char *name,
                                                 sweep_scenario scenario, void *arg,
                                                 fault_mode mode, uint64_t first_k)
{
    child_prepare(fd, shared, first_k);
    static const fault_observer obs = {on_injected, on_site_failed, NULL};
    fault_set_observer(&obs);
    uint32_t end = sweep_points(name, scenario, arg, mode, first_k, false, send_point, NULL);
    send_waivers_matched();
    send_record(REC_END, &end, sizeof end, NULL, 0, NULL, 0);
    /* gcov's counters are written at exit, which _exit skips. */
    extern void __gcov_dump(void) __attribute__((weak));
    if (__gcov_dump != NULL)
        __gcov_dump();
    _exit(0);
}

/* ---- the parent --------------------------------------------------------- */

typedef struct reader {
    int fd;
    char *buf;
    size_t len, cap;
    bool eof;
} reader;

/* Waits up to ms (negative: forever) for more bytes; false on timeout. */
static bool reader_fill(reader *rd, int ms)
{
    struct pollfd pfd = {rd->fd, POLLIN, 0};
    int r;
    do
        r = poll(&pfd, 1, ms);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return false;
    if (rd->cap - rd->len < 65536) {
        size_t cap = rd->cap ? rd->cap * 2 : 131072;
        char *grown = realloc(rd->buf, cap);
        if (grown == NULL) {
            rd->eof = true;
            return true;
        }
        rd->buf = grown;
        rd->cap = cap;
    }
    ssize_t n = read(rd->fd, rd->buf + rd->len, rd->cap - rd->len);
    if (n <= 0 && !(n < 0 && errno == EINTR))
        rd->eof = true;
    else if (n > 0)
        rd->len += (size_t)n;
    return true;
}

/* The next whole record, or NULL when the buffer holds none yet. */
static const record_head *reader_next(reader *rd, size_t *consumed)
{
    if (rd->len < sizeof(record_head))
        return NULL;
    const record_head *h = (const record_head *)rd->buf;
    if (rd->len - sizeof *h < h->len)
        return NULL;
    *consumed = sizeof *h + h->len;
    return h;
}

static void reader_drop(reader *rd, size_t n)
{
    memmove(rd->buf, rd->buf + n, rd->len - n);
    rd->len -= n;
}

typedef struct child_run {
    bool ended_sweep; /* REC_END came: the sweep is over */
    uint32_t end;
    bool have_death;
    death_body death;
    bool timed_out;
} child_run;

static void take_point(const record_head *h, check_ctx *ctx, sweep_result *r)
{
    const point_body *b = (const void *)(h + 1);
    if (h->len < sizeof *b || h->len - sizeof *b < (size_t)b->label_len + b->msg_len)
        return;
    const char *label = (const char *)(b + 1);
    /* 9 KB: not on the stack of a test's thread, and not static, so that
     * two threads may each supervise a sweep. */
    sweep_point *p = malloc(sizeof *p);
    if (p == NULL) {
        check_fail(ctx, "the sweep could not take the outcome of point %llu: out of memory",
                   (unsigned long long)b->k);
        return;
    }
    p->k = b->k;
    p->calls = b->calls;
    p->hit = b->hit != 0;
    size_t ll = b->label_len < sizeof p->label - 1 ? b->label_len : sizeof p->label - 1;
    memcpy(p->label, label, ll);
    p->label[ll] = '\0';
    check_init(&p->run, "%s", "");
    size_t ml = b->msg_len < sizeof p->run.message - 1 ? b->msg_len : sizeof p->run.message - 1;
    memcpy(p->run.message, label + b->label_len, ml);
    p->run.message[ml] = '\0';
    p->run.used = ml;
    p->run.failures = b->failures;
    p->run.repeats = b->repeats;
    sweep_take(ctx, r, p);
    free(p);
}

static void take_record(const record_head *h, check_ctx *ctx, sweep_result *r, child_run *cr)
{
    switch (h->type) {
    case REC_POINT:
        take_point(h, ctx, r);
        break;
    case REC_SITE:
        if (h->len == sizeof(site_body)) {
            const site_body *s = (const void *)(h + 1);
            fault_sites_add(s->pcs, s->depth);
        }
        break;
    case REC_DEATH:
        if (h->len == sizeof(death_body)) {
            memcpy(&cr->death, h + 1, sizeof cr->death);
            cr->have_death = true;
        }
        break;
    case REC_WAIVERS: {
        char *text = malloc(h->len + 1);
        if (text == NULL)
            break;
        memcpy(text, h + 1, h->len);
        text[h->len] = '\0';
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line != NULL;
             line = strtok_r(NULL, "\n", &save))
            waiver_table_mark(line);
        free(text);
        break;
    }
    case REC_END:
        if (h->len == sizeof(uint32_t)) {
            memcpy(&cr->end, h + 1, sizeof cr->end);
            cr->ended_sweep = true;
        }
        break;
    default:
        break;
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Reads the child's records until it closes the pipe; a point that brings
 * no news within the call guard's bound is a hang: the child is asked for
 * its stack, then killed. */
static void supervise(pid_t pid, int fd, check_ctx *ctx, sweep_result *r, child_run *cr)
{
    reader rd = {fd, NULL, 0, 0, false};
    unsigned bound_s = crash_guard_timeout_seconds();
    double last_news = now_ms();
    double asked_at = -1;
    while (!rd.eof) {
        int wait_ms = -1;
        if (asked_at >= 0)
            wait_ms = (int)(HANG_GRACE_MS - (now_ms() - asked_at));
        else if (bound_s > 0)
            wait_ms = (int)((double)bound_s * 1e3 - (now_ms() - last_news));
        if (wait_ms < 0 && (asked_at >= 0 || bound_s > 0))
            wait_ms = 0;
        if (!reader_fill(&rd, wait_ms)) {
            if (asked_at >= 0) {
                kill(pid, SIGKILL); /* it did not answer: stuck where signals wait */
                asked_at = -1;
                bound_s = 0;
            } else {
                cr->timed_out = true;
                kill(pid, SIGUSR2);
                asked_at = now_ms();
            }
            continue;
        }
        size_t used;
        const record_head *h;
        while ((h = reader_next(&rd, &used)) != NULL) {
            take_record(h, ctx, r, cr);
            reader_drop(&rd, used);
            last_news = now_ms();
        }
    }
    free(rd.buf);
}

static const char *signal_text(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT (abort or a failed assertion)";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGSYS: return "SIGSYS";
    case SIGTRAP: return "SIGTRAP";
    default: return NULL;
    }
}

/* " at f (file:line) <- g ...", the innermost frames of a death. */
static void describe_frames(const death_body *d, char *buf, size_t len)
{
    buf[0] = '\0';
    if (d->frames == 0)
        return;
    unsigned shown = d->frames < DEATH_SHOWN ? d->frames : DEATH_SHOWN;
    /* The first frame of a signal is the interrupted instruction, not a
     * return address: callsite_describe steps back one byte, which stays
     * inside the same instruction's line. */
    const void *pcs[DEATH_SHOWN];
    for (unsigned i = 0; i < shown; i++)
        pcs[i] = d->pcs[i];
    char stack[2048];
    callsite_describe_stack(pcs, shown, stack, sizeof stack);
    snprintf(buf, len, " at %s", stack);
}

/* The finding for the point a child ended at. */
static void death_text(const child_run *cr, int status, char *out, size_t len)
{
    char where[2100] = "";
    if (cr->have_death)
        describe_frames(&cr->death, where, sizeof where);
    char how[128];
    if (cr->timed_out) {
        snprintf(how, sizeof how, "did not return within %u s", crash_guard_timeout_seconds());
    } else if (cr->have_death && cr->death.kind == DEATH_EXIT) {
        snprintf(how, sizeof how, "the process exited with status %d inside the run",
                 cr->death.code);
    } else if (WIFSIGNALED(status) || (cr->have_death && cr->death.kind == DEATH_SIGNAL)) {
        int sig = cr->have_death ? cr->death.code : WTERMSIG(status);
        const char *name = signal_text(sig);
        if (name != NULL)
            snprintf(how, sizeof how, "the process was killed by %s", name);
        else
            snprintf(how, sizeof how, "the process was killed by signal %d", sig);
    } else {
        snprintf(how, sizeof how, "the process ended with status %d inside the run (_exit)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    snprintf(out, len, "%s%s; the sweep went on at the next point", how, where);
}

bool sweep_runs_isolated(void)
{
#ifdef SWEEP_UNDER_TSAN
    return false;
#endif
#ifdef SWEEP_HAVE_VALGRIND_H
    if (RUNNING_ON_VALGRIND)
        return false;
#endif
    const char *v = memharness_env("SWEEP_ISOLATION", NULL, 0);
    return v == NULL || strcmp(v, "off") != 0;
}

bool sweep_supervised(const char *name, sweep_scenario scenario, void *arg, fault_mode mode,
                      check_ctx *ctx, sweep_result *r)
{
    shared_state *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return false;
    /* backtrace() loads libgcc's unwinder on first use: not in a handler. */
    void *warm[1];
    backtrace(warm, 1);
    uint64_t k = 1;
    bool started = false;
    for (;;) {
        int fds[2] = {-1, -1};
        pid_t pid = -1;
        fflush(NULL); /* the child must not write the parent's buffered output again */
        if (pipe2(fds, O_CLOEXEC) == 0)
            pid = fork();
        if (pid < 0) {
            int err = errno;
            if (fds[0] >= 0) {
                close(fds[0]);
                close(fds[1]);
            }
            /* Later points would go unswept without a word: that is a
             * failure, not a shorter pass. */
            if (started)
                check_fail(ctx, "%s: the sweep stopped before point %llu: no child process (%s)",
                           name, (unsigned long long)k, strerror(err));
            break;
        }
        if (pid == 0) {
            close(fds[0]);
            child_main(fds[1], shared, name, scenario, arg, mode, k);
        }
        started = true;
        close(fds[1]);
        child_run cr;
        memset(&cr, 0, sizeof cr);
        supervise(pid, fds[0], ctx, r, &cr);
        close(fds[0]);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (cr.ended_sweep) {
            if (cr.end == SWEEP_END_RUNAWAY)
                check_fail(ctx, "%s: still hitting faults after %d %s points; runaway allocation?",
                           name, SWEEP_MAX_POINTS, fault_mode_name(mode));
            break;
        }
        /* The child ended inside the run of point shared->k. */
        uint64_t at = shared->k;
        bool hit = shared->hit != 0;
        sweep_point p;
        p.k = at;
        p.calls = 0;
        p.hit = hit;
        sweep_label(p.label, sizeof p.label, name, mode, at, !hit, hit);
        check_init(&p.run, "%s", "");
        char text[2400];
        death_text(&cr, status, text, sizeof text);
        check_fail(&p.run, "%s", text);
        sweep_take(ctx, r, &p);
        r->ended++;
        /* A run whose fault was never hit had reached its end: no point
         * lies beyond it. */
        if (!hit || at >= SWEEP_MAX_POINTS)
            break;
        k = at + 1;
    }
    munmap(shared, sizeof *shared);
    return started;
}
