/* The capture of a stack whose site lies outside the code known to keep
 * frame pointers (callsite_walk.h): a library built without them, such as
 * every Debian library, or code loaded after the runs were found.
 *
 * The harness's own frames keep frame pointers, so the record that returns
 * to site is found as the walk finds it; from there the stack is unwound
 * frame by frame from the unwind tables every object carries
 * (callsite_step), starting at the site itself.  Rules that unwinder does
 * not read (DWARF expressions) are left to libgcc's _Unwind_Backtrace (no
 * allocation, no lock of ours), which starts at its caller and passes the
 * harness's frames first, at a few times the cost.  make bench shows what
 * a capture here costs (item 1d). */
#include "callsite_walk.h"

#include <stdbool.h>
#include <stddef.h>
#include <unwind.h>

CALLSITE_HIDDEN bool callsite_find_runs(void);

/* Frames unwound, at most, looking for the site: the harness adds a few. */
#define UNWIND_SEARCH_MAX 32

typedef struct unwind_walk {
    const void *site;
    const void **out;
    unsigned max;
    unsigned n;    /* frames recorded; 0 until the site's frame is reached */
    unsigned seen; /* frames passed before it */
} unwind_walk;

static _Unwind_Reason_Code on_frame(struct _Unwind_Context *ctx, void *data)
{
    unwind_walk *w = data;
    const void *ip = (const void *)_Unwind_GetIP(ctx);
    if (w->n == 0 && ip != w->site)
        return ++w->seen < UNWIND_SEARCH_MAX ? _URC_NO_REASON : _URC_END_OF_STACK;
    if (ip == NULL)
        return _URC_END_OF_STACK;
    w->out[w->n++] = ip;
    return w->n < w->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

/* Unwinds this thread's stack into out: site and the callers above it. */
static __attribute__((noinline)) unsigned unwind(const void *site, const void **out, unsigned max)
{
    unwind_walk w = {site, out, max, 0, 0};
    _Unwind_Backtrace(on_frame, &w);
    if (w.n == 0) { /* the site's frame was not found: the site alone is sure */
        out[0] = site;
        return 1;
    }
    return w.n;
}

unsigned callsite_capture_slow(const void *site, const void **out, unsigned max)
{
    /* The first capture of the process finds the runs; the site may be in
     * one now. */
    if (callsite_find_runs() && callsite_fp_code(site))
        return callsite_walk(__builtin_frame_address(0), site, out, max, 1, 0, 1);
    uintptr_t top = callsite_stack_top;
    if (top == 0)
        top = callsite_stack_top_slow();
    const frame_record *f = __builtin_frame_address(0);
    uintptr_t below = 0;
    for (unsigned hops = 0; f->ret != site; hops++) {
        below = (uintptr_t)f;
        f = f->up;
        if (hops == 7 || !callsite_plausible(f, below, top, 1))
            return unwind(site, out, max);
    }
    /* f is the frame of the function site's function called: rsp was just
     * above it at the call, and rbp what f saved. */
    callsite_regs regs = {(uintptr_t)site, (uintptr_t)f + sizeof *f, (uintptr_t)f->up};
    out[0] = site;
    unsigned n = 1;
    while (n < max) {
        callsite_step_result r = callsite_step(&regs, top);
        if (r == CALLSITE_STEP_UNSUPPORTED)
            return unwind(site, out, max);
        if (r == CALLSITE_STEP_END)
            break;
        out[n++] = (const void *)regs.pc;
    }
    return n;
}

/* libgcc finds and caches the unwind tables on first use: done before main,
 * so that no test's first allocation pays for it or sees it happen. */
static _Unwind_Reason_Code stop_at_once(struct _Unwind_Context *ctx, void *data)
{
    (void)ctx;
    (void)data;
    return _URC_END_OF_STACK;
}

__attribute__((constructor)) static void warm_up(void)
{
    _Unwind_Backtrace(stop_at_once, NULL);
    callsite_find_runs();
}
