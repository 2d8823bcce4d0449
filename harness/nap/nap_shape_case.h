/* One generated Free case: build a caller-side NAP structure from its
 * description (every block through CoTaskMemAlloc, so under whatever fault
 * schedule is armed; every COM slot a counting mock), call the Free
 * function with the shape checker around it, and record what went wrong.
 * Shared by the sweep scenarios and the shape suite. */
#ifndef HARNESS_NAP_SHAPE_CASE_H
#define HARNESS_NAP_SHAPE_CASE_H

#include <stdint.h>

#include <memharness/check.h>
#include <memharness/shape_gen.h>

typedef struct nap_shape_case {
    const char *function;    /* a Free function of nap_free_targets */
    long tag;                /* FreeSoHAttributeValue: the SoHAttributeType */
    uint64_t seed;           /* the shape's name: same seed, same shape */
    shape_gen_policy policy;
    unsigned cap;            /* when non-zero, no count exceeds it */
} nap_shape_case;

/* Filler for bytes a description leaves undefined: read as a pointer it is
 * neither NULL nor a block, so freeing it is reported. */
#define NAP_SHAPE_JUNK 0xEB

/* Builds, frees and checks one case into ctx; returns the number of blocks
 * the build allocated (fewer when the injector refused some). */
unsigned nap_shape_case_run(check_ctx *ctx, const nap_shape_case *c);

/* Same, from a byte stream (a fuzzer's input) instead of a seed. */
unsigned nap_shape_case_run_stream(check_ctx *ctx, const nap_shape_case *c, const void *data,
                                   size_t len);

#endif
