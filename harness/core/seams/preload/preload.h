/* libmemharness-preload.so's internal interface: the LD_PRELOAD seam that
 * puts an unmodified program's libc allocations through the core (tracker,
 * injector, call stacks), its fork server and its per-run record
 * (docs/SWEEP-INTERNALS.md has the protocol and the record as built).
 * Nothing here is exported: the version script (preload.map) exports the
 * interposed libc names only. */
#ifndef MEMHARNESS_PRELOAD_H
#define MEMHARNESS_PRELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRELOAD_HIDDEN __attribute__((visibility("hidden")))

/* glibc's own allocator, under the names it exports for exactly this use. */
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void __libc_free(void *ptr);
void *__libc_memalign(size_t align, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);

/* This thread is inside the seam or the harness (> 0): every allocation
 * goes straight to glibc, untracked and uncounted. */
extern PRELOAD_HIDDEN _Thread_local int preload_depth __attribute__((tls_model("initial-exec")));
/* Allocations are tracked: set when main starts, cleared once the end
 * report is written. */
extern PRELOAD_HIDDEN int preload_active;
/* The fork server is to start at the first counted allocation. */
extern PRELOAD_HIDDEN int preload_server_pending;
/* Filters that make the seam capture the stack before the tracker does. */
extern PRELOAD_HIDDEN int preload_only_active;
extern PRELOAD_HIDDEN unsigned preload_site_classes; /* N of site:D:FILE:I:N, 1 = all */

/* ---- objects (preload_objects.c) ---- */
/* (Re)reads the loaded objects: ranges, names, libc, the seam itself. */
PRELOAD_HIDDEN void preload_objects_load(void);
/* Parses MEMHARNESS_ONLY's list and marks the objects it names; false with
 * the reason in err when it is empty or names no loaded object. */
PRELOAD_HIDDEN bool preload_only_set(const char *list, char *err, size_t len);
/* Whether an allocation with this stack is counted under MEMHARNESS_ONLY:
 * its first frame outside the C library lies in a named object. */
PRELOAD_HIDDEN bool preload_only_counts(const void *const *pcs, unsigned n);
/* Whether pc lies in the seam's main wrapper, the caller of the program's
 * main (preload_start.c). */
PRELOAD_HIDDEN bool preload_in_main_wrapper(const void *pc);
/* Whether pc lies in the seam's own object. */
PRELOAD_HIDDEN bool preload_in_self(const void *pc);
/* Writes "OBJECT+0xOFF[ FUNC+0xOFF]" for pc into buf (NUL-terminated);
 * with_symbol false leaves the dladdr name out (the site key). */
PRELOAD_HIDDEN void preload_frame_text(const void *pc, bool with_symbol, char *buf, size_t len);
/* "BASENAME+0xOFF" of pc: the machine-independent text site classes hash. */
PRELOAD_HIDDEN void preload_frame_short(const void *pc, char *buf, size_t len);
/* A digest of the loaded objects' names, in load order. */
PRELOAD_HIDDEN uint64_t preload_objects_digest(void);
/* Calls fn for each writable PT_LOAD segment of every loaded object but
 * the seam's own. */
PRELOAD_HIDDEN void preload_writable_segments(void (*fn)(uintptr_t lo, uintptr_t hi, void *arg),
                                              void *arg);

/* ---- the record (preload_record.c) ---- */
/* Where the record goes: fd >= 0 the JSON Lines record, -1 findings as
 * "memharness: ..." lines on stderr; spec is the run's fault spec text. */
PRELOAD_HIDDEN void preload_record_start(int fd, const char *spec);
/* The stack of the calling code, the seam's own frames cut off; skip drops
 * that many frames more. */
PRELOAD_HIDDEN unsigned preload_stack_here(void **pcs, unsigned max);
/* Installs the injector's observer that writes the fault line. */
PRELOAD_HIDDEN void preload_record_observe_faults(void);
/* Writes every tracker misuse not written yet. */
PRELOAD_HIDDEN void preload_record_misuse(void);
/* Writes the end line (how: exit, _exit, abort, assert, return); message
 * may be NULL.  Only the first end of a run is written. */
PRELOAD_HIDDEN void preload_record_end(const char *how, int status, const void *const *pcs,
                                       unsigned n, const char *message);
/* Writes the crash line from a signal handler. */
PRELOAD_HIDDEN void preload_record_crash(int sig, const void *const *pcs, unsigned n);
/* Writes the hang line from the timeout signal's handler. */
PRELOAD_HIDDEN void preload_record_hang(const void *const *pcs, unsigned n);
/* At a normal end: the leak lines (preload_leaks.c finds them) and stats. */
PRELOAD_HIDDEN void preload_record_finish(void);
/* Whether an end line was written (so a later SIGABRT is not a crash). */
PRELOAD_HIDDEN bool preload_record_ended(void);
/* One leak line. */
PRELOAD_HIDDEN void preload_record_leak(size_t size, uint64_t seq, bool after_fault,
                                        bool reachable, const void *const *pcs, unsigned n);
/* Sequence number of the first block allocated after the (first) injected
 * failure; UINT64_MAX when none was injected. */
PRELOAD_HIDDEN uint64_t preload_fault_seq(void);

/* ---- leaks (preload_leaks.c) ---- */
/* Writes a leak line for each live tracked block, with its reachability. */
PRELOAD_HIDDEN void preload_leaks_report(void);
/* The program called exit(): the calling thread's stack from lo (below the
 * frame that holds its spilled registers) to its top is a root of the
 * report. */
PRELOAD_HIDDEN void preload_leaks_exit_stack(uintptr_t lo);

/* ---- signals (preload_signals.c) ---- */
/* Installs the fatal-signal handlers (on an alternate stack) and the
 * server's timeout signal handler. */
PRELOAD_HIDDEN void preload_signals_install(void);
/* The signal the server sends a run that is out of time. */
PRELOAD_HIDDEN int preload_hang_signal(void);

/* ---- fork server (preload_server.c) ---- */
/* Takes the server's fds from MEMHARNESS_SWEEP_SERVER (hidden from children);
 * false with the reason in err when the value is malformed. */
PRELOAD_HIDDEN bool preload_server_init(const char *value, char *err, size_t len);
/* Becomes the fork server: returns only in a forked run, armed, or when
 * the process cannot serve (more than one thread). */
PRELOAD_HIDDEN void preload_server_serve(void);
/* Arms a run's spec (off, transient:K, persistent:K, site:D:FILE:I:N);
 * false with the reason in err. */
PRELOAD_HIDDEN bool preload_arm_spec(const char *spec, char *err, size_t len);
/* Whether a site (the allocation's innermost frames) is in this run's hash
 * class; site mode with classes only. */
PRELOAD_HIDDEN void preload_site_filter(const void *site);

#endif
