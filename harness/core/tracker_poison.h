/* Byte patterns over blocks: writing poison and checking that it is still
 * there, a word or a 16-byte chunk at a time, since every allocation and
 * free does one or the other.  Pure functions, internal to tracker_*.c. */
#ifndef HARNESS_TRACKER_POISON_H
#define HARNESS_TRACKER_POISON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tracker_block.h"

/* A 64-bit word of byte b eight times. */
static inline uint64_t word_of(unsigned char b)
{
    return 0x0101010101010101ull * b;
}

/* Index of the first byte of p[0, n) that is not b, or n; a word at a time,
 * since every free checks the guard and every eviction the whole block. */
static inline size_t first_changed(const unsigned char *p, size_t n, unsigned char b)
{
    const uint64_t pattern = word_of(b);
    size_t i = 0;
    for (; i + sizeof pattern <= n; i += sizeof pattern) {
        uint64_t word;
        memcpy(&word, p + i, sizeof word);
        if (word != pattern)
            break;
    }
    while (i < n && p[i] == b)
        i++;
    return i;
}

/* Sixteen bytes, the arena's alignment: there poison is written and audited
 * a chunk at a time, in a vector register where the target has one. */
typedef uint64_t chunk16 __attribute__((vector_size(16)));

static inline chunk16 chunk_of(unsigned char b)
{
    const uint64_t w = word_of(b);
    return (chunk16){w, w};
}

/* The bytes that poison covers in a block of n user bytes.  Small arena
 * blocks are poisoned on to the next 16-byte boundary, which is still the
 * block's (user areas and block ends are 16-aligned), so that poison is
 * written and audited in whole chunks. */
static inline size_t poison_span(size_t n, bool arena, bool guarded)
{
    if (!arena || n > STORE_SMALL_LIMIT)
        return n;
    /* A guarded block owns at least one chunk, its guard's, even at size 0,
     * so that the common path needs no test for an empty block. */
    return n == 0 && guarded ? 16 : (n + 15) & ~(size_t)15;
}

/* Whether the poison span of a block of n user bytes at p (see poison_span)
 * is all b: the common case of an audit, without a branch per word. */
static inline bool all_bytes(const unsigned char *p, size_t n, unsigned char b, bool arena,
                             bool guarded)
{
    if (arena && n <= STORE_SMALL_LIMIT) {
        if (n == 0 && !guarded)
            return true;
        /* The first chunk outside the loop, as poison_fill writes it. */
        const chunk16 pattern = chunk_of(b);
        chunk16 diff, c;
        memcpy(&c, p, sizeof c);
        diff = c ^ pattern;
        for (size_t i = sizeof c; i < n; i += sizeof c) {
            memcpy(&c, p + i, sizeof c);
            diff |= c ^ pattern;
        }
        return (diff[0] | diff[1]) == 0;
    }
    const uint64_t pattern = word_of(b);
    uint64_t diff = 0;
    size_t i = 0;
    for (; i + sizeof pattern <= n; i += sizeof pattern) {
        uint64_t word;
        memcpy(&word, p + i, sizeof word);
        diff |= word ^ pattern;
    }
    for (; i < n; i++)
        diff |= (uint64_t)(p[i] ^ b);
    return diff == 0;
}

/* Writes b over the poison span of a block of n user bytes at p (see
 * poison_span); callers write the guard after it.  Small arena blocks, the
 * common case, get one store per 16 bytes instead of a call to memset
 * (which would also cost the fast path its register-free prologue). */
static inline void poison_fill(unsigned char *p, size_t n, unsigned char b, bool arena,
                               bool guarded)
{
    if (arena && n <= STORE_SMALL_LIMIT) {
        const chunk16 pattern = chunk_of(b);
        if (n == 0 && !guarded) /* no chunk is the block's: the next block's header follows */
            return;
        /* The first chunk outside the loop: most blocks need no other. */
        memcpy(p, &pattern, sizeof pattern);
        for (size_t i = sizeof pattern; i < n; i += sizeof pattern) {
            memcpy(p + i, &pattern, sizeof pattern);
            /* Hides the loop from the compiler's memset idiom: it became
             * "rep stos", whose start-up alone cost more than these stores. */
            __asm__("" : "+r"(i));
        }
        return;
    }
    memset(p, b, n);
}

#endif
