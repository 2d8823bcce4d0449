/* How a fuzz target turns a check_ctx into a libFuzzer finding: after the
 * input's calls are done it adds the tracker's own verdict (no live block,
 * no recorded misuse), and on any failure prints every message and aborts
 * from a function named after the kind of violation, which libFuzzer (and
 * the replay driver) reports as a crash with the input saved.  One function
 * per kind gives each kind its own top stack frame, so ClusterFuzz's crash
 * grouping (by top frames) keeps different bugs of one target apart. */
#ifndef FUZZ_VERDICT_H
#define FUZZ_VERDICT_H

#include <memharness/check.h>
#include "schedule_byte.h"

/* Kinds of contract violation, in the order the verdict prefers when an
 * input shows several (the first cause, not its consequences). */
typedef enum fuzz_kind {
    FUZZ_KIND_NONE = 0,
    FUZZ_KIND_DOUBLE_FREE,   /* tracker misuse: double or invalid free */
    FUZZ_KIND_OUT_NOT_NULL,  /* a failed Alloc left *out non-NULL */
    FUZZ_KIND_WRONG_RESULT,  /* wrong HRESULT, or success with NULL */
    FUZZ_KIND_SHAPE_ERROR,   /* result or freed structure of the wrong shape */
    FUZZ_KIND_RELEASE_COUNT, /* a COM connection not released exactly once */
    FUZZ_KIND_LEAK,          /* blocks still live after the Free */
} fuzz_kind;

/* Short name of a kind ("leak", "double-free", ...), as used in crash text
 * and in fuzz/regressions/ file names. */
const char *fuzz_kind_name(fuzz_kind kind);

/* Starts an input: empties the tracker, the injector and the blamed kind,
 * so nothing of the previous input (a leak, a recorded misuse, an armed
 * fault, a kind) can leak into this one's verdict. */
void fuzz_verdict_begin(void);
/* Blames kind for the failures ctx gained since the previous call (or
 * since fuzz_verdict_begin); the first blamed kind of an input wins. */
void fuzz_verdict_blame(const check_ctx *ctx, fuzz_kind kind);
/* Ends an input: records leaks and tracker misuses into ctx, then aborts
 * with the full report, headed by the kind, the input's description (fmt,
 * formatted only on failure: exec/s matters) and its schedule, if ctx
 * holds any failure; returns only when clean. */
void fuzz_verdict_end(check_ctx *ctx, fuzz_schedule sched, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
