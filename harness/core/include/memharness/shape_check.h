/* The heap-shape checker: compares what a description says is reachable
 * from a structure with what the tracking allocator saw.
 *   After an Alloc call (shape_check_alloc): the blocks reachable from the
 *   result are exactly the blocks the call left live, each of the size its
 *   counts imply (or its capacity, or at least its count), no
 *   two pointers share a block and none points back up (a cycle), scalars
 *   other than counts and values are zero, leaf arrays are zero, strings
 *   end in a terminator (a C string's block holds at least its length + 1),
 *   COM slots are NULL, back pointers are NULL or hit a block of their type
 *   in the same structure, element pointers NULL or the start of a counted
 *   element of their array; borrowed pointers are not the structure's.
 *   Around a Free call: every block reachable from the argument (walked
 *   before the call) was freed exactly once, children before the block
 *   holding their pointer (a list's next element is not a child), nothing
 *   else was freed (no borrowed pointer), and every COM object was
 *   released as often as it appears, with no AddRef.
 * Each failure names the function and the member path, e.g.
 * "FreeSoH: SoH.attributes[2].value: leaked (not freed)". */
#ifndef HARNESS_SHAPE_CHECK_H
#define HARNESS_SHAPE_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include <memharness/check.h>
#include <memharness/shape_walk.h>

/* Pass as seq_before when the tracker sequence before the call is unknown:
 * then only the reachable side is checked, not "exactly the call's blocks". */
#define SHAPE_SEQ_UNKNOWN 0

/* Checks an Alloc call's result against its description; seq_before is
 * tracker_next_seq() taken just before the call (or SHAPE_SEQ_UNKNOWN).
 * Promises, for everything reachable from root: each owned pointer is a
 * live tracker block; each block has exactly the size its counts imply
 * (an array with a capacity member: exactly capacity elements, capacity >=
 * count), or at least that size (a C string: strlen + 1 elements; a
 * SHAPE_ARRAY_MIN array: count elements); no two pointers share a block and
 * none closes a cycle; a pointer with a non-zero count is not NULL;
 * scalars other than counts and values are zero, leaf arrays are zero
 * within their count, strings end in their terminator; COM slots are NULL;
 * back pointers are NULL or the start of a block of their type in the
 * structure, element pointers NULL or the start of a counted element of
 * their array.  With a seq_before, also everything shape_check_created
 * promises.  The only check of block sizes. */
void shape_check_alloc(check_ctx *ctx, const char *fn, const shape_root *root,
                       uint64_t seq_before);

/* Only the "exactly the call's blocks" half of shape_check_alloc: every
 * block the call left live since seq_before is reachable from root, and
 * every live block reachable from root was allocated by the call.  Checks
 * no size, no contents, no sharing, COM slot or back pointer, and passes
 * over a reachable pointer that is not a live block: for results whose
 * sizes the description cannot state, or after shape_check_alloc's other
 * rules were checked otherwise. */
void shape_check_created(check_ctx *ctx, const char *fn, const shape_root *root,
                         uint64_t seq_before);

/* Call counters of one COM object. */
typedef struct shape_com_counts {
    int add_refs;
    int releases;
    int other_calls;
} shape_com_counts;

/* How the checker reads a COM object's counters (the API layer owns the
 * mock objects); counts returns false for an object it does not know. */
typedef struct shape_com_probe {
    bool (*counts)(const void *obj, void *user, shape_com_counts *out);
    void *user;
} shape_com_probe;

typedef struct shape_free_check {
    shape_walk walk;
    shape_com_counts *before; /* per node, COM nodes only */
    const shape_com_probe *probe;
    uint64_t seq_before;
    bool incomplete;
} shape_free_check;

/* Walks root and starts the tracker journal: call just before the Free
 * call.  probe may be NULL when the structure holds no COM pointer. */
void shape_free_begin(shape_free_check *fc, const shape_root *root, const shape_com_probe *probe);
/* Stops the journal and records into ctx every way the Free call fn broke
 * the rules above; releases fc's memory. */
void shape_free_end(shape_free_check *fc, check_ctx *ctx, const char *fn);

#endif
