/* The fork server (docs/SWEEP-INTERNALS.md): the program stops at its first
 * counted allocation after main, inside the seam, before the tracker or
 * glibc's allocator has taken any lock, and forks one run per "run"
 * command from there.  Each run is armed so that the allocation in
 * progress is its counted allocation #1, which is what MEMHARNESS_FAULTS
 * counts in a standalone run, so a point replays without the server.
 * Whatever the server needs (the objects' table, libgcc's unwinder for
 * backtrace()) is loaded before the first fork, once for every run. */
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>

#include "callsite_walk.h"
#include "preload.h"
#include "tracker_block.h"

static int ctl_fd = -1, status_fd = -1;
/* Every seekable fd the program had open at the fork point, and its
 * offset there: a run shares the open file descriptions with the server,
 * so the offsets a run moves are moved for the next run too. */
typedef struct fd_offset {
    int fd;
    off_t offset;
} fd_offset;
static fd_offset *offsets;
static size_t offsets_len;
static unsigned site_class, site_depth = 1; /* I-1 of site:D:FILE:I:N */

static bool parse_fd(const char *s, char **end, int *fd)
{
    errno = 0;
    long v = strtol(s, end, 10);
    if (errno != 0 || *end == s || v < 0 || v > 65535)
        return false;
    *fd = (int)v;
    return true;
}

bool preload_server_init(const char *value, char *err, size_t len)
{
    char *end;
    int c, s;
    if (!parse_fd(value, &end, &c) || *end != ',' || !parse_fd(end + 1, &end, &s) ||
        *end != '\0' || fcntl(c, F_GETFD) < 0 || fcntl(s, F_GETFD) < 0) {
        snprintf(err, len, "'%s' is not CTL_FD,STATUS_FD of two open descriptors", value);
        return false;
    }
    ctl_fd = c;
    status_fd = s;
    fcntl(c, F_SETFD, FD_CLOEXEC);
    fcntl(s, F_SETFD, FD_CLOEXEC);
    preload_server_pending = 1;
    return true;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof buf)
        (void)!write(status_fd, buf, (size_t)n);
}

static int thread_count(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    const char *t = strstr(buf, "\nThreads:");
    return t ? atoi(t + 9) : 1;
}

/* One line from ctl_fd into line (without its newline); false at EOF. */
static bool read_line(char *line, size_t len)
{
    static char buf[8192];
    static size_t have;
    for (;;) {
        char *nl = memchr(buf, '\n', have);
        if (nl != NULL) {
            size_t n = (size_t)(nl - buf);
            size_t k = n < len - 1 ? n : len - 1;
            memcpy(line, buf, k);
            line[k] = '\0';
            memmove(buf, nl + 1, have - n - 1);
            have -= n + 1;
            return true;
        }
        if (have == sizeof buf)
            have = 0; /* a line longer than any command: dropped */
        ssize_t r = read(ctl_fd, buf + have, sizeof buf - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        have += (size_t)r;
    }
}

static long long now_usec(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Waits for pid until deadline (usec, monotonic); true when it ended. */
static bool wait_until(pid_t pid, int *status, long long deadline)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return true;
        if (r < 0 && errno != EINTR)
            return true;
        long long left = deadline - now_usec();
        if (left <= 0)
            return false;
        struct timespec ts = {left / 1000000, (left % 1000000) * 1000};
        sigtimedwait(&chld, NULL, &ts);
    }
}

bool preload_arm_spec(const char *spec, char *err, size_t len)
{
    preload_site_classes = 1;
    if (strcmp(spec, "off") == 0) {
        /* Counts every allocation and fails none, so "counted" is known. */
        fault_arm(FAULT_PERSISTENT, UINT64_MAX);
        return true;
    }
    if (strncmp(spec, "site:", 5) != 0)
        return fault_configure(spec, err, len);
    char file[4096];
    unsigned d, i, n;
    int used = 0;
    if (sscanf(spec, "site:%u:%4095[^:]:%u:%u%n", &d, file, &i, &n, &used) != 4 ||
        spec[used] != '\0' || d < 1 || d > FAULT_MAX_DEPTH || n < 1 || i < 1 || i > n) {
        snprintf(err, len, "'%s' is not site:D:SITESFILE:I:N (D 1.." FAULT_MAX_DEPTH_TEXT
                 ", 1 <= I <= N)", spec);
        return false;
    }
    fault_arm_sites_depth(d);
    if (!fault_sites_file(file, err, len))
        return false;
    site_depth = d;
    site_class = i - 1;
    preload_site_classes = n;
    return true;
}

void preload_site_filter(const void *site)
{
    const void *pcs[FAULT_MAX_DEPTH] = {0};
    callsite_capture(site, pcs, site_depth);
    /* FNV-1a over "BASENAME+0xOFF;..." so that every machine agrees. */
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < site_depth; i++) {
        char frame[512] = "-";
        if (pcs[i] != NULL)
            preload_frame_short(pcs[i], frame, sizeof frame);
        for (const char *c = frame; *c != '\0'; c++)
            h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
        h = (h ^ ';') * 0x100000001b3ull;
    }
    if (h % preload_site_classes != site_class)
        fault_sites_add(pcs, site_depth); /* another class's: never failed here */
}

/* Records the offset of each open seekable fd but the protocol's, read
 * from /proc/self/fd with getdents64 (the allocator is glibc's here, but
 * opendir's buffer is not needed). */
static void save_offsets(void)
{
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return;
    size_t cap = 0;
    char buf[4096] __attribute__((aligned(8)));
    long n;
    while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
        for (long at = 0; at < n;) {
            const char *name = buf + at + 19; /* d_ino 8, d_off 8, d_reclen 2, d_type 1 */
            unsigned short reclen;
            memcpy(&reclen, buf + at + 16, sizeof reclen);
            at += reclen;
            char *end;
            long fd = strtol(name, &end, 10);
            if (*end != '\0' || end == name || fd == dir || fd == ctl_fd || fd == status_fd)
                continue;
            off_t off = lseek((int)fd, 0, SEEK_CUR);
            if (off < 0)
                continue; /* a pipe, socket or terminal: nothing to restore */
            if (offsets_len == cap) {
                size_t more = cap ? 2 * cap : 16;
                fd_offset *o = __libc_realloc(offsets, more * sizeof *o);
                if (o == NULL)
                    break;
                offsets = o;
                cap = more;
            }
            offsets[offsets_len++] = (fd_offset){(int)fd, off};
        }
    }
    close(dir);
}

/* Puts every saved offset back, before a run is forked. */
static void restore_offsets(void)
{
    for (size_t i = 0; i < offsets_len; i++)
        lseek(offsets[i].fd, offsets[i].offset, SEEK_SET);
}

static int open_output(const char *path, int flags)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | flags, 0644);
}

/* In the forked run: its outputs, its record and its spec (its files'
 * offsets were put back by the server before the fork).  A setup that fails ends the run with status 2 and
 * the reason on its stderr. */
static void start_run(const char *spec, const char *record, const char *out, const char *errp,
                      const sigset_t *mask)
{
    close(ctl_fd);
    close(status_fd);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, mask, NULL);
    int o = open_output(out, 0), e = open_output(errp, 0);
    if (o < 0 || e < 0)
        _exit(2);
    dup2(o, 1);
    dup2(e, 2);
    close(o);
    close(e);
    int r = open_output(record, 0);
    int high = r >= 0 ? fcntl(r, F_DUPFD_CLOEXEC, 200) : -1;
    if (r >= 0)
        close(r);
    char err[512];
    if (high < 0) {
        dprintf(2, "memharness: cannot write the record '%s': %s\n", record, strerror(errno));
        _exit(2);
    }
    if (!preload_arm_spec(spec, err, sizeof err)) {
        dprintf(2, "memharness: run spec: %s\n", err);
        _exit(2);
    }
    preload_record_start(high, spec);
    preload_signals_install();
}

void preload_server_serve(void)
{
    preload_server_pending = 0;
    if (thread_count() > 1) {
        say("noserver threads\n");
        close(ctl_fd);
        close(status_fd);
        return;
    }
    /* Loaded now, once, instead of in every run. */
    preload_objects_load();
    void *warm[4];
    backtrace(warm, 4);
    store_uses_malloc(); /* the arena's reservation */
    callsite_stack_top_slow();
    const void *pcs[FAULT_MAX_DEPTH];
    callsite_capture(__builtin_return_address(0), pcs, FAULT_MAX_DEPTH); /* the code map */
    save_offsets();
    signal(SIGCHLD, SIG_DFL); /* a program's SIG_IGN would reap the runs for us */
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    say("ready %d %016llx\n", (int)getpid(), (unsigned long long)preload_objects_digest());
    char line[16384];
    while (read_line(line, sizeof line)) {
        char *save = NULL, *w[8];
        int n = 0;
        for (char *t = strtok_r(line, " ", &save); t != NULL && n < 8;
             t = strtok_r(NULL, " ", &save))
            w[n++] = t;
        if (n == 1 && strcmp(w[0], "quit") == 0)
            break;
        if (n != 7 || strcmp(w[0], "run") != 0) {
            say("error unknown command (run ID SPEC RECORD STDOUT STDERR TIMEOUT_MS, or quit)\n");
            continue;
        }
        long long timeout_ms = atoll(w[6]);
        restore_offsets();
        long long start = now_usec();
        pid_t pid = fork();
        if (pid == 0) {
            start_run(w[2], w[3], w[4], w[5], &old);
            return; /* the allocation in progress goes on, as allocation #1 */
        }
        int status = 0, timed_out = 0;
        if (pid < 0) {
            status = 2 << 8;
        } else if (!wait_until(pid, &status, start + timeout_ms * 1000)) {
            timed_out = 1;
            kill(pid, preload_hang_signal());
            if (!wait_until(pid, &status, now_usec() + 1000000)) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
            }
        }
        say("done %s %d %d %lld\n", w[1], status, timed_out, now_usec() - start);
    }
    _exit(0);
}
