/* The misuse record: what the tracker found wrong, in words, kept in
 * tracker_st.misuse for tracker_error_count and tracker_error_text.  Every
 * text a misuse report carries is written in tracker_misuse.c.  Internal to
 * tracker_*.c. */
#ifndef HARNESS_TRACKER_MISUSE_H
#define HARNESS_TRACKER_MISUSE_H

#include <memharness/tracker.h>

#include "tracker_state.h"

/* Records one misuse: its text, printf-style, if fewer than MISUSE_KEPT
 * are kept; it is counted either way. */
TRACKER_HIDDEN void misuse_record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Records a guard overrun, if h's guard was written: the cold half of
 * check_guard (tracker_guard.h). */
TRACKER_HIDDEN __attribute__((noinline, cold)) void report_overrun(const block_hdr *h);

/* Records a write after free into a quarantined block, then restores the
 * poison so that the same write is reported once: the cold half of
 * quarantine_audit_block (tracker_quarantine.h). */
TRACKER_HIDDEN __attribute__((noinline, cold)) void report_write_after_free(block_hdr *h);

/* Records a free or realloc (op, names->free_fn or names->realloc_fn) of
 * ptr at site that is no live block's pointer: a double free, with the
 * block's history, an interior pointer, or a foreign one. */
TRACKER_HIDDEN void report_bad_pointer(const char *op, const tracker_names *names, const void *ptr,
                                       const void *site);

#endif
