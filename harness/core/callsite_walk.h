/* The frame-pointer walk behind callsite_capture, inline so that the
 * tracker's allocation path pays no call for it (a capture runs on every
 * allocation).  Internal to the core: callsite_stack.c owns the state it reads.
 *
 * A frame record is only as good as the code that left it: a function built
 * without frame pointers may hold anything in the frame pointer register,
 * often a stale address of an older frame, and following it names a frame
 * that is not on the stack.  So the walk follows a record out of a return
 * address only when that address lies in code known to keep frame pointers
 * (callsite_frames.c): a site outside such code is captured by the DWARF
 * unwinder instead (callsite_unwind.c), and a caller outside it ends the
 * stack, recorded but not climbed out of. */
#ifndef HARNESS_CALLSITE_WALK_H
#define HARNESS_CALLSITE_WALK_H

#include <stddef.h>
#include <stdint.h>

#define CALLSITE_HIDDEN __attribute__((visibility("hidden")))

/* Text known to keep frame pointers: the longest runs of functions whose
 * unwind rules keep a frame record, found once per process (longest first,
 * so that the program's own code costs one compare per frame).  Empty until
 * the first capture asks, and on architectures not classified. */
#define CALLSITE_FP_RUNS 4
/* Plain words, read without atomics so that a test is one subtraction and
 * one compare with memory operands: they are written before main (or by
 * callsite_forget_objects, see callsite.h), each with one aligned store. */
typedef struct callsite_run {
    uintptr_t lo;
    uintptr_t len; /* 0: no run */
} callsite_run;
extern CALLSITE_HIDDEN callsite_run callsite_fp_runs[CALLSITE_FP_RUNS];
/* The span of runs 1.. : code outside it (another library, mostly) is told
 * apart from them with one compare. */
extern CALLSITE_HIDDEN callsite_run callsite_fp_after_first;

/* The x86-64 and AArch64 frame record: saved frame pointer, return address. */
typedef struct frame_record {
    const struct frame_record *up;
    const void *ret;
} frame_record;

/* This thread's stack top, 0 until first asked, sizeof(frame_record) when
 * it cannot be known (initial-exec: the default model for -fPIC code calls
 * __tls_get_addr on every access, which was a sixth of a tracked
 * allocation). */
extern CALLSITE_HIDDEN _Thread_local uintptr_t callsite_stack_top
    __attribute__((tls_model("initial-exec")));
/* 0 when no frame record needs Memcheck's say-so before it is read. */
extern CALLSITE_HIDDEN int callsite_memcheck;

/* Finds this thread's stack top (first call on a thread). */
CALLSITE_HIDDEN uintptr_t callsite_stack_top_slow(void);
/* Under Memcheck: whether f's words were ever written (see callsite_stack.c). */
CALLSITE_HIDDEN int callsite_record_defined_slow(const frame_record *f);

/* A frame being unwound from its unwind rules: the return address into it,
 * and rsp and rbp as they were when it made that call. */
typedef struct callsite_regs {
    uintptr_t pc;
    uintptr_t rsp;
    uintptr_t rbp;
} callsite_regs;

typedef enum callsite_step_result {
    CALLSITE_STEP_OK,          /* regs now describe the caller */
    CALLSITE_STEP_END,         /* no caller, or none that lies on this stack */
    CALLSITE_STEP_UNSUPPORTED, /* rules this unwinder does not read */
} callsite_step_result;

/* Unwinds one frame from its .eh_frame rules (callsite_frames.c), reading
 * only words between regs->rsp and stack_top. */
CALLSITE_HIDDEN callsite_step_result callsite_step(callsite_regs *regs, uintptr_t stack_top);

/* Captures site's stack when site is not in callsite_fp_runs: a frame-pointer
 * its unwind rules, frame by frame. */
CALLSITE_HIDDEN unsigned callsite_capture_slow(const void *site, const void **out, unsigned max);

/* Whether pc lies in a run of code that keeps frame pointers, so that the
 * frame pointer register at that return address holds its own frame. */
static inline int callsite_in_run(const void *pc, callsite_run *r)
{
    return (uintptr_t)pc - r->lo < r->len;
}

static inline int callsite_fp_run(const void *pc, unsigned i)
{
    return callsite_in_run(pc, &callsite_fp_runs[i]);
}

/* callsite_fp_code past the first run. */
static inline int callsite_fp_code_after_first(const void *pc)
{
    _Static_assert(CALLSITE_FP_RUNS == 4, "one test per run, without a loop to count");
    return callsite_in_run(pc, &callsite_fp_after_first) &&
           (callsite_fp_run(pc, 1) || callsite_fp_run(pc, 2) || callsite_fp_run(pc, 3));
}

static inline int callsite_fp_code(const void *pc)
{
    return callsite_fp_run(pc, 0) || callsite_fp_code_after_first(pc);
}

/* A frame record is followed only if it lies above the previous one and
 * inside the stack, so a frame pointer register reused as data by code built
 * without frame pointers ends the walk instead of a wild read. */
static inline int callsite_plausible(const frame_record *f, uintptr_t below, uintptr_t top,
                                     int memcheck_possible)
{
    uintptr_t a = (uintptr_t)f;
    return a > below && a <= top - sizeof *f && a % sizeof(void *) == 0 &&
           (!memcheck_possible || !callsite_memcheck || callsite_record_defined_slow(f));
}

/* callsite_capture (callsite.h), walking from the caller's frame;
 * memcheck_possible 0 when the caller knows Memcheck is not running,
 * top_known 1 when it knows this thread's stack top has been asked for,
 * site_fp 1 when it has seen callsite_fp_code(site) hold (the tracker's
 * fast path, which calls nothing), 0 to have it checked here and the slow
 * capture called when it does not. */
static inline __attribute__((always_inline)) unsigned
callsite_walk_all(const frame_record *f, const void *site, const void **out, unsigned max,
                  int memcheck_possible, int top_known, int site_fp)
{
    if (max == 0)
        return 0;
    out[0] = site;
    if (site == NULL || max == 1)
        return 1;
    if (!site_fp && !callsite_fp_code(site))
        return callsite_capture_slow(site, out, max);
    /* Up to the frame that returns to site: the allocator's own frames (the
     * seam, the tracker) are not part of the call site.  The first record is
     * the caller's own, so only the ones above it are checked, and the
     * common case, a seam that jumps to the tracker, needs no other. */
    const void *ret = f->ret;
    uintptr_t below = (uintptr_t)f;
    f = f->up;
    if (ret != site) {
        uintptr_t top = callsite_stack_top;
        if (!top_known && __builtin_expect(top == 0, 0))
            top = callsite_stack_top_slow();
        for (unsigned hops = 1;; hops++) {
            if (hops == 8 || !callsite_plausible(f, below, top, memcheck_possible))
                return 1;
            below = (uintptr_t)f;
            ret = f->ret;
            f = f->up;
            if (ret == site)
                break;
        }
    }
    /* From here on f is the frame record of out[n - 1]'s function, its own
     * and so on the stack, because that code keeps frame pointers: checked
     * for out[0] above, for each caller before its record is read.  A
     * caller in code without frame pointers ends the stack, recorded but
     * not climbed out of (its frame pointer may be anything).  Of the
     * plausibility tests only the cheapest stays, a record above the last:
     * it keeps a function whose unwind rules lie (inline assembly that
     * reuses rbp behind the compiler's back) from making the walk read a
     * NULL, heap or lower stack address.
     * The first run, the program's longest, is held in registers: most
     * frames are there, one subtraction and one compare each. */
    ret = site;
    unsigned n = 1;
    /* Unrolled where the compiler can: max is a constant at every caller. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 8
#endif
    for (; n < max; n++) {
        if (n > 1 && !callsite_fp_code(ret))
            break;
        if ((uintptr_t)f <= below)
            break;
        below = (uintptr_t)f;
        ret = f->ret;
        out[n] = ret;
        f = f->up;
    }
    return n;
}

/* A build that wraps main in code of its own (the preload seam) defines
 * CALLSITE_CUT and sets callsite_cut to that code's span: a stack ends
 * before its first frame there (never the program's, and it would make
 * site keys and texts name the wrapper).  Other builds pay nothing. */
#ifdef CALLSITE_CUT
extern CALLSITE_HIDDEN callsite_run callsite_cut;
#endif

/* callsite_walk_all, cut at callsite_cut where the build has one. */
static inline __attribute__((always_inline)) unsigned
callsite_walk(const frame_record *f, const void *site, const void **out, unsigned max,
              int memcheck_possible, int top_known, int site_fp)
{
    unsigned n = callsite_walk_all(f, site, out, max, memcheck_possible, top_known, site_fp);
#ifdef CALLSITE_CUT
    for (unsigned i = 1; i < n; i++)
        if (callsite_in_run(out[i], &callsite_cut)) {
            for (unsigned j = i; j < n; j++)
                out[j] = NULL;
            return i;
        }
#endif
    return n;
}

#endif
