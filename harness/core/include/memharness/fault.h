/* The fault injector: decides, allocation by allocation, whether the next
 * one fails.  Modes, after SQLite's, failmalloc's and mallocfail's:
 *   transient:K   only the K-th allocation from now fails;
 *   persistent:K  the K-th and every later one fails;
 *   random:P[:S]  each fails with probability P (0..1), seeded by S;
 *   site[:D]      exactly one allocation per arming fails: the first one
 *                 whose call site has not failed before (see
 *                 fault_sites_forget); every later allocation passes until
 *                 the next arming.  A site is the allocating stack's
 *                 innermost D frames (default 1).
 * Allocations inside a benign region are counted and may fail, but the
 * failure is flagged benign (the code under test may swallow it); inside an
 * exempt region they neither count nor fail (harness bookkeeping).  State is
 * process-wide with thread-local region depths; fault_reset restores it. */
#ifndef HARNESS_FAULT_H
#define HARNESS_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most frames a site can be told apart by (site:DEPTH). */
#define FAULT_MAX_DEPTH 4
#define FAULT_MAX_DEPTH_TEXT "4"

typedef enum fault_mode {
    FAULT_OFF,
    FAULT_TRANSIENT,
    FAULT_PERSISTENT,
    FAULT_RANDOM,
    FAULT_SITE,
} fault_mode;

/* Turns injection off, zeroes every counter and forgets failed sites. */
void fault_reset(void);
/* Arms transient or persistent mode at the k-th allocation (1-based) counted
 * from now; zeroes the counters. */
void fault_arm(fault_mode mode, uint64_t k);
/* Arms random mode: each allocation fails with probability p, from seed. */
void fault_arm_random(double p, uint64_t seed);
/* Arms call-site mode; sites failed under earlier armings stay failed. */
void fault_arm_sites(void);
/* Arms call-site mode telling sites apart by their innermost depth frames
 * (1..FAULT_MAX_DEPTH, clamped); fault_arm_sites is depth 1. */
void fault_arm_sites_depth(unsigned depth);
/* Depth of the last site-mode arming. */
unsigned fault_site_depth(void);
/* Marks the site pcs[0..depth) as failed already (a saved site); false if
 * it was known or the set is full. */
bool fault_sites_add(const void *const *pcs, unsigned depth);
/* Number of sites failed (or added) since the last reset or forget. */
size_t fault_sites_count(void);
/* Forgets which call sites site mode has already failed. */
void fault_sites_forget(void);
/* Disarms without touching the counters, so they can still be read. */
void fault_disarm(void);

/* Asks whether the allocation about to happen at site fails; counts it. */
bool fault_should_fail(const void *site);
/* The same for an allocation whose call stack is known: stack[0] is the
 * innermost return address, n how many frames there are. */
bool fault_should_fail_stack(const void *const *stack, unsigned n);

/* Current mode. */
fault_mode fault_current_mode(void);
/* Allocations seen (outside exempt regions) since the last arming. */
uint64_t fault_calls(void);
/* Injected failures since the last arming, benign ones excluded. */
uint64_t fault_hits(void);
/* Injected failures since the last arming inside benign regions. */
uint64_t fault_benign_hits(void);

/* Benign region: failures still happen, but count in fault_benign_hits. */
void fault_benign_begin(void);
void fault_benign_end(void);
/* Exempt region: allocations by this thread neither count nor fail. */
void fault_exempt_begin(void);
void fault_exempt_end(void);

/* Parses a spec such as "off", "transient:3", "persistent:1",
 * "random:0.01:42", "site" or "site:3" and arms it; returns false and writes the
 * reason into err when the spec is malformed (nothing is armed then). */
bool fault_configure(const char *spec, char *err, size_t errlen);
/* Loads the sites an earlier run failed from path (a missing file is an
 * empty one) and appends each site failed from now on, so that a long run
 * resumes; NULL stops appending.  False with the reason in err when the
 * file cannot be read, written or parsed. */
bool fault_sites_file(const char *path, char *err, size_t errlen);
/* Appends every injected failure, with its symbolised stack, to path;
 * NULL stops.  False with the reason in err when it cannot be opened. */
bool fault_log_file(const char *path, char *err, size_t errlen);
/* Arms the injector from MEMHARNESS_FAULTS, MEMHARNESS_FAULTS_SITES and
 * MEMHARNESS_FAULTS_LOG (or their aliases), stopping the program with exit
 * status 2 and the variable's name when one is malformed.  Only the first
 * call in a process acts.  Every seam calls it from a constructor, before
 * main; an allocator of a client's own that asks the injector calls it
 * before its first allocation. */
void fault_env_apply(void);
/* Name of a mode, for messages ("transient", "persistent", ...). */
const char *fault_mode_name(fault_mode mode);

#endif
