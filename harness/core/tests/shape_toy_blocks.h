/* The blocks the shape engine's self-tests build their toy structures
 * from: tracked, so that the checkers see them, and zeroed, so that a
 * member a toy leaves unset is NULL.  static inline like tracker_verdict.h. */
#ifndef SUITES_SHAPE_TOY_BLOCKS_H
#define SUITES_SHAPE_TOY_BLOCKS_H

#include <criterion/criterion.h>
#include <string.h>

#include <memharness/tracker.h>

/* A tracked, zeroed block of n bytes; fails the test when there is none. */
static inline void *blk(size_t n)
{
    void *p = tracker_alloc(n, __builtin_return_address(0));
    cr_assert(p != NULL, "tracker_alloc(%zu) failed with no fault armed", n);
    memset(p, 0, n);
    return p;
}

/* Frees a block blk handed out. */
static inline void drop(void *p)
{
    tracker_free(p, __builtin_return_address(0));
}

/* A tracked copy of s. */
static inline char *str(const char *s)
{
    char *p = blk(strlen(s) + 1);
    memcpy(p, s, strlen(s) + 1);
    return p;
}

#endif
