/* Call-site capture and description (see callsite.h).
 *
 * Capture runs on every allocation, so it is a frame-pointer walk (the
 * build adds -fno-omit-frame-pointer), bounded by this thread's stack,
 * through code known to keep frame pointers only (callsite_frames.c); a
 * site in code without them is unwound from its DWARF unwind tables
 * instead (callsite_unwind.c).
 * Description runs only when a report is written, and symbolises in this
 * process with libbacktrace (shipped with gcc): function, file, line and the
 * inline chain from the DWARF line tables, where spawning addr2line cost
 * seconds per lookup under Valgrind.  Without libbacktrace (a toolchain that
 * lacks it) the dynamic symbol table is all there is. */
#include <memharness/callsite.h>

#include "callsite_walk.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef HARNESS_HAVE_LIBBACKTRACE
#include <backtrace.h>
#endif

/* ---- capture ------------------------------------------------------------ */

__attribute__((noinline)) unsigned callsite_capture(const void *site, const void **out,
                                                    unsigned max)
{
    return callsite_walk(__builtin_frame_address(0), site, out, max, 1, 0, 0);
}

/* ---- description -------------------------------------------------------- */

typedef struct text {
    char *buf;
    size_t len;
    size_t used;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(text *t, const char *fmt, ...)
{
    if (t->used + 1 >= t->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    t->used += (size_t)w < t->len - t->used ? (size_t)w : t->len - t->used - 1;
}

/* From the dynamic symbol table alone: "symbol+0xOFF" or "object+0xOFF". */
static void describe_by_dladdr(const void *site, text *t)
{
    Dl_info info;
    if (dladdr(site, &info) == 0 || info.dli_fname == NULL) {
        add(t, "%p", site);
        return;
    }
    if (info.dli_sname != NULL)
        add(t, "%s+0x%lx", info.dli_sname,
            (unsigned long)((uintptr_t)site - (uintptr_t)info.dli_saddr));
    else
        add(t, "%s+0x%lx", info.dli_fname[0] ? info.dli_fname : "(main program)",
            (unsigned long)((uintptr_t)site - (uintptr_t)info.dli_fbase));
}

#ifdef HARNESS_HAVE_LIBBACKTRACE
/* Keeps a path short: from the project's top folders on. */
static const char *short_path(const char *path)
{
    static const char *const tops[] = {"/lib/", "/harness/", "/fuzz/", "/examples/"};
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
        const char *hit = strstr(path, tops[i]);
        if (hit != NULL)
            return hit + 1;
    }
    return path;
}

static pthread_once_t state_once = PTHREAD_ONCE_INIT;
static struct backtrace_state *state;

static void ignore_error(void *data, const char *msg, int errnum)
{
    (void)data;
    (void)msg;
    (void)errnum;
}

static void create_state(void)
{
    /* threaded: reports may come from any thread; NULL: this executable. */
    state = backtrace_create_state(NULL, 1, ignore_error, NULL);
}

typedef struct pc_frames {
    text *t;
    unsigned count;
} pc_frames;

/* Called innermost first along the inline chain of one address. */
static int on_pcinfo(void *data, uintptr_t pc, const char *file, int line, const char *function)
{
    (void)pc;
    pc_frames *pf = data;
    if (function == NULL && file == NULL)
        return 0;
    add(pf->t, "%s%s", pf->count ? " inlined in " : "", function ? function : "??");
    if (file != NULL)
        add(pf->t, " (%s:%d)", short_path(file), line);
    pf->count++;
    return 0;
}

static void on_syminfo(void *data, uintptr_t pc, const char *symname, uintptr_t symval,
                       uintptr_t symsize)
{
    (void)symsize;
    pc_frames *pf = data;
    if (symname != NULL) {
        add(pf->t, "%s+0x%lx", symname, (unsigned long)(pc - symval));
        pf->count++;
    }
}
#endif

void callsite_describe(const void *site, char *buf, size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    text t = {buf, len, 0};
    if (site == NULL) {
        add(&t, "(unknown site)");
        return;
    }
#ifdef HARNESS_HAVE_LIBBACKTRACE
    pthread_once(&state_once, create_state);
    if (state != NULL) {
        /* A return address points after the call: step back into it. */
        uintptr_t pc = (uintptr_t)site - 1;
        pc_frames pf = {&t, 0};
        backtrace_pcinfo(state, pc, on_pcinfo, ignore_error, &pf);
        if (pf.count == 0)
            backtrace_syminfo(state, pc, on_syminfo, ignore_error, &pf);
        if (pf.count > 0)
            return;
    }
#endif
    describe_by_dladdr(site, &t);
}

void callsite_describe_stack(const void *const *pcs, unsigned n, char *buf, size_t len)
{
    if (len == 0)
        return;
    buf[0] = '\0';
    text t = {buf, len, 0};
    if (n == 0) {
        add(&t, "(unknown site)");
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        char one[512];
        callsite_describe(pcs[i], one, sizeof one);
        add(&t, "%s%s", i ? " <- " : "", one);
    }
}
