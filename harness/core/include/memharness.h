/* memharness in one include: every public header of the core, for a check
 * that would otherwise name a dozen of them.
 *
 * What it declares (docs/API.md has each function's promise and an example):
 *   tracker.h, tracker_check.h  the tracking allocator and its verdict
 *                               (leaks with call sites, allocator misuse);
 *   fault.h                     the fault injector (transient, persistent,
 *                               random, per call site; benign and exempt
 *                               regions; NAPUTIL_FAULTS from the environment);
 *   sweep.h                     the sweep driver: a scenario with allocation
 *                               k failing, k = 1, 2, ...;
 *   check.h                     check_ctx, the framework-free verdict;
 *   crash_guard.h               the call guard (crash, exit, hang named);
 *   report_finding.h,           JSON lines for a report directory;
 *   report_metric.h
 *   callsite.h                  call stacks, symbolised in process;
 *   malloc_family.h, hooks.h    the C allocator's promises over the tracker,
 *                               and the hook seam built on them;
 *   shape_desc.h, shape_walk.h, the shape engine: descriptions, walker,
 *   shape_check.h, shape_gen.h  Alloc/Free checks, generators;
 *   waiver.h                    known findings accepted with their reason.
 * The hook functions are defined by the memharness-hooks library; the
 * link-time seam (memharness-wrap) and the CoTaskMem* seam
 * (memharness-cotaskmem) have no header: the code under test already
 * declares what they define. */
#ifndef MEMHARNESS_H
#define MEMHARNESS_H

#include <memharness/callsite.h>
#include <memharness/check.h>
#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include <memharness/hooks.h>
#include <memharness/malloc_family.h>
#include <memharness/report_finding.h>
#include <memharness/report_metric.h>
#include <memharness/shape_check.h>
#include <memharness/shape_desc.h>
#include <memharness/shape_gen.h>
#include <memharness/shape_walk.h>
#include <memharness/sweep.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>
#include <memharness/waiver.h>

#endif
