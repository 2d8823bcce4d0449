/* Leaks at a normal end: every tracked block still live, each with whether
 * a conservative scan reaches it.  The roots are the writable segments of
 * the loaded objects (globals and statics of the program and its
 * libraries, the seam's own left out, and so its arena's bookkeeping);
 * a block is reachable when an aligned word of a root, or of a reachable
 * block, points into it (interior pointers count).  When the program
 * ended by calling exit(), the frames that called it are still live (a
 * program may exit from deep inside, holding blocks in locals), so the
 * calling thread's stack from exit's frame to its top, with the callee-saved
 * registers spilled into that frame, is a root too; after a return from
 * main the program's frames are gone and the stack is not scanned.  Other
 * threads' stacks and glibc's heap are not roots: a block held only by
 * memory glibc allocated before main is rare and shows the same in every
 * run, which is how the driver compares runs. */
#include <stdlib.h>
#include <string.h>

#include <memharness/tracker.h>

#include "callsite_walk.h"
#include "preload.h"

/* The exiting thread's live stack, [exit_lo, exit_hi); empty unless the
 * program called exit(). */
static uintptr_t exit_lo, exit_hi;

void preload_leaks_exit_stack(uintptr_t lo)
{
    if (exit_hi != 0)
        return; /* exit() again from an atexit handler: the first one's frames hold */
    uintptr_t top = callsite_stack_top != 0 ? callsite_stack_top : callsite_stack_top_slow();
    if (top > lo + sizeof(uintptr_t)) {
        exit_lo = lo;
        exit_hi = top;
    }
}

typedef struct scan {
    tracker_block *blocks; /* in allocation order */
    size_t *by_addr;       /* indexes of blocks, sorted by address */
    bool *reached;
    size_t *work;
    size_t n, work_len;
    uintptr_t lo, hi; /* no block outside: most words are rejected here */
} scan;

/* qsort has no context argument; the report runs once, at exit. */
static const tracker_block *sorting;

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)sorting[*(const size_t *)a].ptr;
    uintptr_t y = (uintptr_t)sorting[*(const size_t *)b].ptr;
    return x < y ? -1 : x > y;
}

/* The index of the block that v points into, or n. */
static size_t block_at(const scan *s, uintptr_t v)
{
    if (v < s->lo || v >= s->hi)
        return s->n;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)s->blocks[s->by_addr[mid]].ptr <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return s->n;
    size_t i = s->by_addr[lo - 1];
    uintptr_t start = (uintptr_t)s->blocks[i].ptr;
    return v < start + (s->blocks[i].size ? s->blocks[i].size : 1) ? i : s->n;
}

static void scan_range(uintptr_t lo, uintptr_t hi, void *arg)
{
    scan *s = arg;
    lo = (lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    for (uintptr_t a = lo; a + sizeof(uintptr_t) <= hi; a += sizeof(uintptr_t)) {
        size_t i = block_at(s, *(const uintptr_t *)a);
        if (i < s->n && !s->reached[i]) {
            s->reached[i] = true;
            s->work[s->work_len++] = i;
        }
    }
}

void preload_leaks_report(void)
{
    size_t n = tracker_live_since(1, NULL, 0);
    if (n == 0)
        return;
    scan s = {0};
    s.blocks = __libc_malloc(n * sizeof *s.blocks);
    s.by_addr = __libc_malloc(n * sizeof *s.by_addr);
    s.reached = __libc_calloc(n, sizeof *s.reached);
    s.work = __libc_malloc(n * sizeof *s.work);
    if (s.blocks == NULL || s.by_addr == NULL || s.reached == NULL || s.work == NULL)
        goto out;
    s.n = tracker_live_since(1, s.blocks, n);
    if (s.n > n)
        s.n = n;
    for (size_t i = 0; i < s.n; i++)
        s.by_addr[i] = i;
    sorting = s.blocks;
    qsort(s.by_addr, s.n, sizeof *s.by_addr, by_address);
    s.lo = UINTPTR_MAX;
    for (size_t i = 0; i < s.n; i++) {
        uintptr_t start = (uintptr_t)s.blocks[i].ptr;
        uintptr_t end = start + (s.blocks[i].size ? s.blocks[i].size : 1);
        s.lo = start < s.lo ? start : s.lo;
        s.hi = end > s.hi ? end : s.hi;
    }
    preload_writable_segments(scan_range, &s);
    if (exit_hi != 0)
        scan_range(exit_lo, exit_hi, &s);
    while (s.work_len > 0) {
        const tracker_block *b = &s.blocks[s.work[--s.work_len]];
        scan_range((uintptr_t)b->ptr, (uintptr_t)b->ptr + b->size, &s);
    }
    uint64_t after = preload_fault_seq();
    for (size_t i = 0; i < s.n; i++) {
        const tracker_block *b = &s.blocks[i];
        preload_record_leak(b->size, b->seq, b->seq >= after, s.reached[i], b->stack, b->depth);
    }
out:
    __libc_free(s.blocks);
    __libc_free(s.by_addr);
    __libc_free(s.reached);
    __libc_free(s.work);
}
