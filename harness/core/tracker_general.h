/* The general path: every call the fast path hands over (tracker_fast.c),
 * and every call while the fast path is shut.  It settles the gate first,
 * takes the lock once the process has a second thread, honours every
 * TRACKER_FEATURE_* switch, journals, and reports every misuse.  Each entry
 * is out of line, so that the fast path around its call stays free of the
 * general path's code.  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_GENERAL_H
#define HARNESS_TRACKER_GENERAL_H

#include <stdbool.h>
#include <stddef.h>

#include <memharness/tracker.h>

#include "tracker_state.h"

/* tracker_alloc's general path. */
TRACKER_HIDDEN __attribute__((noinline)) void *alloc_general(size_t size, const void *site);

/* tracker_alloc_aligned's, for align above 16. */
TRACKER_HIDDEN __attribute__((noinline)) void *alloc_general_aligned(size_t size, size_t align,
                                                                     const void *site);

/* A free's general path: a misuse report names the seam's function the
 * caller called, names->free_fn, or names->realloc_fn when as_realloc (a
 * realloc to size 0).  Names are read only on this path and realloc's:
 * the fast path never reports. */
TRACKER_HIDDEN __attribute__((noinline)) void free_general(void *ptr, const void *site,
                                                           const tracker_names *names,
                                                           bool as_realloc);

/* tracker_realloc_as for a ptr that is not NULL and a size that is not 0. */
TRACKER_HIDDEN __attribute__((noinline)) void *realloc_general(void *ptr, size_t size,
                                                               const void *site,
                                                               const tracker_names *names);

#endif
