/* Structure generators: build, from a description, the structure a caller
 * would hand to a Free function, one block per pointer through an
 * allocator hook (so that the fault injector can refuse any of them: a
 * refused block leaves its pointer NULL and its count as chosen).  Choices
 * come from a shape_src, either a seeded generator (reproducible: the seed
 * names the shape) or a byte stream (a fuzzer's input: every choice reads
 * the next bytes, an exhausted stream reads zeros).  Linked data: a list
 * head gets a chain of elements (nested lists stop at a fixed depth), each
 * with its previous-element back pointers set; a pointer whose ownership
 * flag says borrowed points at read-only memory that no one owns. */
#ifndef HARNESS_SHAPE_GEN_H
#define HARNESS_SHAPE_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <memharness/shape_desc.h>

typedef struct shape_src {
    const unsigned char *data; /* stream mode when non-NULL */
    size_t len;
    size_t pos;
    uint64_t state; /* seeded mode's state; also the filler of contents */
} shape_src;

/* A reproducible source: the same seed gives the same choices. */
void shape_src_seed(shape_src *s, uint64_t seed);
/* A source that reads its choices from data (not copied: keep it alive). */
void shape_src_stream(shape_src *s, const void *data, size_t len);
/* A choice in 0 .. bound-1 (0 when bound is 0). */
uint64_t shape_src_below(shape_src *s, uint64_t bound);
/* Arbitrary contents for n bytes; never consumes stream bytes, so a fuzzer's
 * input is spent on shapes, not on payload. */
void shape_src_fill(shape_src *s, void *buf, size_t n);

typedef enum shape_gen_policy {
    /* Counts anywhere in 0 .. max, mixed with NULL pointers under non-zero
     * counts, count 0 over a non-NULL block, maximal counts, NULL COM
     * slots and junk elements past the count. */
    SHAPE_GEN_RANDOM,
    /* Every count at its maximum (or the cap), every pointer and COM slot
     * filled: the largest structure. */
    SHAPE_GEN_FULL,
} shape_gen_policy;

typedef struct shape_gen_env {
    void *(*alloc)(size_t size, void *user); /* a block, or NULL when refused */
    void *(*com)(void *user);                /* a COM object for a slot, or NULL */
    void *user;
    shape_gen_policy policy;
    unsigned cap;       /* when non-zero, no count exceeds it */
    unsigned char junk; /* fills what the description leaves undefined: padding,
                           bytes beside the selected union arm, elements past
                           the count; an implementation that reads them frees junk */
} shape_gen_env;

/* Builds a block of count elements of t (tag selects the arm when t is a
 * union); returns NULL when that block itself was refused. */
void *shape_gen(const shape_type *t, size_t count, long tag, shape_src *src,
                const shape_gen_env *env);
/* Picks an element count for a root array bounded by max, with the same
 * biases the generator uses for counted members. */
size_t shape_gen_count(unsigned max, shape_src *src, const shape_gen_env *env);

#endif
