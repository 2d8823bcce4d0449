/* Blocks as the API shows them: the public tracker_block copy of a header,
 * and a block in words for the misuse reports.  Internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_TEXT_H
#define HARNESS_TRACKER_TEXT_H

#include <stddef.h>

#include <memharness/tracker.h>

#include "tracker_state.h"

/* Copies h's record into b, frames past its depth NULL. */
TRACKER_HIDDEN void block_copy(const block_hdr *h, tracker_block *b);

/* "block #SEQ (SIZE bytes) allocated at STACK" into buf. */
TRACKER_HIDDEN void describe_block(const block_hdr *h, char *buf, size_t len);

#endif
