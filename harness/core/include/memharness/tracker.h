/* The tracking allocator: every live block with its size, sequence number
 * and call stack; poison on allocation and on free; a quarantine of freed
 * blocks so that stale pointers read poison instead of recycled memory; and
 * a record of every misuse (double free, invalid free, realloc of a foreign
 * pointer, guard overrun).  Thread-safe.  Knows no particular API: any C API
 * whose allocator can be routed through tracker_alloc/tracker_free can use
 * it (the CoTaskMem* seam in cotaskmem_tracked.c is one such route). */
#ifndef HARNESS_TRACKER_H
#define HARNESS_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "callsite.h"

/* Byte written over every new block, so that a missing zero-fill shows. */
#define TRACKER_POISON_NEW 0xA5
/* Byte written over every freed block while it sits in quarantine. */
#define TRACKER_POISON_FREED 0xDD

/* Frames of the allocating call stack kept per block. */
#define TRACKER_STACK_DEPTH CALLSITE_MAX_DEPTH

typedef struct tracker_block {
    void *ptr;
    size_t size;
    uint64_t seq;      /* 1 for the first allocation after tracker_reset */
    const void *site;  /* return address of the caller of the allocator */
    unsigned depth;    /* frames in stack; stack[0] is site */
    const void *stack[TRACKER_STACK_DEPTH];
} tracker_block;

typedef enum tracker_event_kind {
    TRACKER_EV_ALLOC,
    TRACKER_EV_FREE,
    TRACKER_EV_FAILED_ALLOC, /* an allocation the fault injector refused */
    TRACKER_EV_BAD_FREE,     /* a double or invalid free: nothing was freed */
} tracker_event_kind;

typedef struct tracker_event {
    tracker_event_kind kind;
    tracker_block block;   /* for FREE: the block as it was when allocated */
    const void *site;      /* where this event happened */
} tracker_event;

/* Allocates size bytes (a unique block also for 0) filled with
 * TRACKER_POISON_NEW, or returns NULL when the fault injector says so. */
void *tracker_alloc(size_t size, const void *site);
/* COM realloc semantics: NULL ptr allocates, size 0 frees and returns NULL,
 * failure returns NULL and leaves ptr live; a success always moves. */
void *tracker_realloc(void *ptr, size_t size, const void *site);
/* Frees a live block (NULL is a no-op); records a double or invalid free
 * instead of passing a foreign pointer to the C allocator. */
void tracker_free(void *ptr, const void *site);

/* tracker_alloc for a block whose address is a multiple of align (a power
 * of two); an alignment above 16 takes the general path, whose store can
 * place a block on any such boundary. */
void *tracker_alloc_aligned(size_t size, size_t align, const void *site);

/* How misuse reports name a seam's allocator: the functions its caller
 * called and what a block of it is ("CoTaskMemFree of 0x... at f: not a
 * live CoTaskMem block (never allocated by it, an interior pointer, or
 * memory from malloc)").  A seam passes a static const one. */
typedef struct tracker_names {
    const char *free_fn;    /* "CoTaskMemFree", "free", ... */
    const char *realloc_fn; /* "CoTaskMemRealloc", "realloc", ... */
    const char *block;      /* "CoTaskMem block", ... */
    const char *foreign;    /* what else a rejected pointer may be: "memory from malloc" */
} tracker_names;
/* The names tracker_free and tracker_realloc report under: the tracker
 * keeps COM's semantics, and the CoTaskMem* seam calls them directly. */
extern const tracker_names tracker_names_cotaskmem;
/* tracker_free, a misuse reported under names (static storage); outside
 * the CoTaskMem names an interior pointer is named with the block it
 * points into, any other unknown pointer with names->foreign. */
void tracker_free_as(void *ptr, const void *site, const tracker_names *names);
/* tracker_realloc, a misuse (size 0 included) reported under names as
 * names->realloc_fn. */
void *tracker_realloc_as(void *ptr, size_t size, const void *site, const tracker_names *names);

/* Frees every live block, empties the quarantine and the journal, forgets
 * every error and restarts sequence numbers: a clean slate for the next test. */
void tracker_reset(void);

/* Number of blocks currently live. */
size_t tracker_live_count(void);
/* Total bytes in live blocks. */
size_t tracker_live_bytes(void);
/* Sequence number the next successful allocation will get. */
uint64_t tracker_next_seq(void);
/* Successful allocations / frees since the last reset. */
uint64_t tracker_alloc_total(void);
uint64_t tracker_free_total(void);
/* Allocations and frees since the last reset that took the general path
 * (the lock, every check switchable) instead of the fast one, which needs
 * arena blocks, every check on, no journal and one thread at a time: lets
 * a benchmark show that it measured the path it names. */
uint64_t tracker_general_calls(void);
/* Whether the fast path can pass from thread to thread (membarrier(2) is
 * available), so that a thread of a multi-threaded process, such as a
 * Criterion worker, can take it; when false, only a single-threaded
 * process does. */
bool tracker_fast_path_across_threads(void);
/* If ptr is the start of a live block, copies its record to *out. */
bool tracker_lookup(const void *ptr, tracker_block *out);
/* Copies up to max live blocks with seq >= min_seq into out, ordered by seq;
 * returns how many such blocks exist (may exceed max). */
size_t tracker_live_since(uint64_t min_seq, tracker_block *out, size_t max);

/* Number of misuses recorded since the last reset, after auditing the
 * quarantine for writes after free (so call it before tracker_reset). */
size_t tracker_error_count(void);
/* Text of the i-th recorded misuse (the first few are kept), or NULL. */
const char *tracker_error_text(size_t i);
/* Writes one line per live block with seq >= min_seq ("leaked N bytes,
 * block #S, allocated at SITE") to f; returns how many it wrote. */
size_t tracker_report_leaks(FILE *f, uint64_t min_seq);
/* Formats the same leak lines into buf (truncated to len); returns count. */
size_t tracker_format_leaks(char *buf, size_t len, uint64_t min_seq);

/* Starts recording every alloc, free and refused alloc (discarding any
 * earlier record); the shape checker reads the order of frees from it. */
void tracker_journal_start(void);
/* Stops recording; the recorded events stay readable until the next start
 * or reset. */
void tracker_journal_stop(void);
/* The recorded events, oldest first; *count receives their number. */
const tracker_event *tracker_journal(size_t *count);

/* True while the allocator adds its own guard bytes after each block; they
 * are left out under AddressSanitizer and Valgrind, whose own redzones are
 * more precise. */
bool tracker_guards_enabled(void);

/* The checks a block pays for, all on after every tracker_reset.  Only
 * make bench switches them off (to price each one); a tracker with a check
 * off is blind to that misuse. */
enum {
    TRACKER_FEATURE_POISON = 1u << 0,     /* new and freed blocks poisoned */
    TRACKER_FEATURE_GUARDS = 1u << 1,     /* guard bytes after each block */
    TRACKER_FEATURE_QUARANTINE = 1u << 2, /* freed blocks held back */
    TRACKER_FEATURE_STACKS = 1u << 3,     /* callers above the site */
    TRACKER_FEATURE_ALL = 0xFu,
};
/* Sets the checks in force (a TRACKER_FEATURE_* mask); call it right after
 * tracker_reset, before any allocation. */
void tracker_set_features(unsigned mask);
/* The checks in force. */
unsigned tracker_features(void);
/* Describes a block's allocating stack into buf ("f (file:line) <- ..."). */
void tracker_describe_stack(const tracker_block *b, char *buf, size_t len);

#endif
