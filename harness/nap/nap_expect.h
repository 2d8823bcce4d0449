/* What the contract (docs/CONTRACT.md sections 3 and 4) says each NapUtil call
 * must return and leave behind, as reusable checks for suites, sweeps and
 * fuzz targets.  Results go into a check_ctx; nothing here aborts. */
#ifndef HARNESS_NAP_EXPECT_H
#define HARNESS_NAP_EXPECT_H

#include <stdbool.h>
#include <stdint.h>

#include <memharness/check.h>
#include "naputil.h"

/* A value no implementation produces by chance, pre-stored in *out to prove
 * the call overwrote it (and never read or freed it). */
#define NAP_SENTINEL ((void *)(uintptr_t)0x5EB7E5EB7E5EB7E0ull)

/* Name of an HRESULT for messages ("S_OK", "E_INVALIDARG", ...). */
const char *nap_hresult_name(HRESULT hr);

/* Checks an Alloc call's outcome: valid tells whether the arguments were in
 * the contract's range.  Valid ones demand S_OK, or under a fault injected
 * into the call (fault_hits() > 0) E_OUTOFMEMORY or S_OK (a retry that
 * succeeded); invalid ones E_INVALIDARG, or E_OUTOFMEMORY under a fault.
 * On failure out must be NULL; on success non-NULL.  Returns true when the
 * call succeeded as it should and its result must be checked further (its
 * shape: a success after a fault is complete like any other).  Whatever it
 * returns, the caller then frees what out holds: with the Free function
 * when the result passed its checks, with nap_release_result otherwise. */
bool nap_expect_alloc_outcome(check_ctx *ctx, const char *fn, HRESULT hr, bool valid,
                              const void *out);

/* Frees, without the implementation's Free function (which could crash on
 * it), a result the harness does not hand to Free: a wrongful or misshapen
 * success, or a pointer a failed call left in *out.  Frees each block
 * reachable from out through its description type that is live and was
 * allocated since seq_before (SHAPE_SEQ_UNKNOWN: at any time), children
 * first, so that the leaks reported afterwards are the implementation's
 * and never the harness's own.  NULL and NAP_SENTINEL hold nothing. */
struct shape_type;
void nap_release_result(const struct shape_type *type, const void *out, uint64_t seq_before);

/* Checks a call the contract rejects before allocating (a NULL out
 * pointer): E_INVALIDARG and no block allocated since tracker_reset(). */
void nap_expect_rejected_without_alloc(check_ctx *ctx, HRESULT hr);

/* Success shapes, read from the structure descriptions (nap_types.h):
 * block sizes (through the tracker), counts, zeroed members, NULL slots, no
 * shared blocks; each a failure in ctx naming the member path. */
void nap_expect_connections_shape(check_ctx *ctx, const Connections *c, UINT16 count);
void nap_expect_fixup_info_shape(check_ctx *ctx, const FixupInfo *f, UINT16 count);
void nap_expect_counted_string_shape(check_ctx *ctx, const CountedString *s, const WCHAR *src,
                                     UINT16 length);

/* Checks that the blocks reachable from an Alloc result of description
 * type are exactly the blocks the call left live: seq_before is
 * tracker_next_seq() taken just before the call. */
void nap_expect_alloc_exact(check_ctx *ctx, const char *fn, const struct shape_type *type,
                            const void *out, uint64_t seq_before);

/* Checks that each mock of a pool stored in a slot was released exactly
 * once and every other one never, that no object the caller still holds
 * was destroyed, and that no AddRef, QueryInterface or other method was
 * called; the same finding on many slots is one line listing them
 * ("FreeConnections: connections 0-19: AddRef called 1 time each, expected
 * none"). */
struct mock_pool;
void nap_expect_released_once(check_ctx *ctx, const struct mock_pool *pool);

#endif
