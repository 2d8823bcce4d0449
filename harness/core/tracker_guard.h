/* Guard bytes: GUARD_SIZE bytes of GUARD_BYTE written right after a block,
 * checked when it is freed, so that a write past its end is named.  Left
 * out under a memory tool, whose own redzones then sit at the block's end,
 * and when TRACKER_FEATURE_GUARDS is off.  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_GUARD_H
#define HARNESS_TRACKER_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tracker_misuse.h"
#include "tracker_poison.h"
#include "tracker_state.h"

#define GUARD_SIZE 16
#define GUARD_BYTE 0xFB

/* The guard bytes a new block gets from the general path. */
static inline size_t guard_size(void)
{
    return under_tool() || !(tracker_st.features & TRACKER_FEATURE_GUARDS) ? 0 : GUARD_SIZE;
}

/* Writes a full guard at end, a block's first byte past its size: two
 * stores. */
static inline void guard_write(unsigned char *end)
{
    const uint64_t pattern = word_of(GUARD_BYTE);
    memcpy(end, &pattern, sizeof pattern);
    memcpy(end + 8, &pattern, sizeof pattern);
}

/* Whether a block has its full guard, unwritten: two loads. */
static inline bool guard_intact(const block_hdr *h)
{
    if (h->guard != GUARD_SIZE)
        return false;
    const uint64_t pattern = word_of(GUARD_BYTE);
    uint64_t lo, hi;
    memcpy(&lo, h->user + h->size, sizeof lo);
    memcpy(&hi, h->user + h->size + 8, sizeof hi);
    return lo == pattern && hi == pattern;
}

/* Records an overrun of a guarded block's guard, if any. */
static inline void check_guard(const block_hdr *h)
{
    if (!guard_intact(h))
        report_overrun(h);
}

#endif
