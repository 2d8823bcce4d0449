/* Declarative descriptions of heap structures: which members are pointers,
 * to what, which member counts the elements, which structs are embedded,
 * which union arm a tag selects, which slots hold COM interface pointers.
 * The walker, the checkers and the generators all read these tables, so a
 * structure is described once and adding one means adding one table.
 * Knows no particular API: the descriptions themselves live with the API's
 * knowledge (for NAP, harness/nap/nap_types.c). */
#ifndef HARNESS_SHAPE_DESC_H
#define HARNESS_SHAPE_DESC_H

#include <stddef.h>

typedef enum shape_kind {
    SHAPE_LEAF,   /* bytes holding no pointer (scalars, arrays of scalars) */
    SHAPE_STRUCT, /* members listed in order */
    SHAPE_UNION,  /* members are the arms; a tag selects one */
    SHAPE_COM,    /* one interface pointer: a non-NULL value is an object
                     that is released, never freed */
} shape_kind;

typedef enum shape_member_kind {
    SHAPE_M_SCALAR,  /* a number; zero after an Alloc call unless it is a count */
    SHAPE_M_POINTER, /* points to its own block of elements of `type` */
    SHAPE_M_EMBED,   /* a struct or union of `type` stored in place */
} shape_member_kind;

/* How many elements a pointer member's block holds. */
typedef enum shape_extent {
    SHAPE_ONE,    /* exactly one element; no count member */
    SHAPE_ELEMS,  /* `count` elements */
    SHAPE_STRING, /* `count` + 1 elements, the last one zero (a terminator) */
} shape_extent;

struct shape_type;

typedef struct shape_member {
    const char *name;
    shape_member_kind kind;
    size_t offset;
    size_t size;                   /* width in bytes (a scalar: 1, 2, 4 or 8) */
    const struct shape_type *type; /* POINTER: element type; EMBED: the embedded type */
    shape_extent extent;           /* POINTER only */
    size_t count_offset;           /* POINTER (not ONE): the sibling scalar holding the count, */
    size_t count_size;             /* or, for an embedded UNION, the one holding its tag */
    unsigned max;                  /* POINTER: the largest count a valid caller uses */
} shape_member;

/* One tag value and the union arm (member index) it selects. */
typedef struct shape_tag {
    long tag;
    size_t arm;
} shape_tag;

typedef struct shape_type {
    const char *name;
    shape_kind kind;
    size_t size;
    const shape_member *members; /* STRUCT members or UNION arms */
    size_t member_count;
    const shape_tag *tags;       /* UNION: tag -> arm */
    size_t tag_count;
    size_t default_arm;          /* UNION: arm for every tag not listed */
} shape_type;

/* Where a walk starts: a block holding `count` elements of `type` (1 for a
 * single structure); `tag` selects the arm when `type` is a union. */
typedef struct shape_root {
    const char *name; /* first component of every path; NULL means type->name */
    const shape_type *type;
    const void *ptr;
    size_t count;
    long tag;
} shape_root;

/* The arm of union type t that tag selects. */
const shape_member *shape_union_arm(const shape_type *t, long tag);
/* Reads the unsigned scalar of width size at p (1, 2, 4 or 8 bytes). */
unsigned long long shape_read_uint(const void *p, size_t size);
/* Writes v into the unsigned scalar of width size at p. */
void shape_write_uint(void *p, size_t size, unsigned long long v);
/* Bytes in a block that holds n counted elements under extent e. */
size_t shape_extent_bytes(const shape_member *m, size_t n);

/* Helpers for writing descriptions.  T is the C type, M a member name. */
#define SHAPE_SCALAR(T, M) \
    {#M, SHAPE_M_SCALAR, offsetof(T, M), sizeof(((T *)0)->M), NULL, SHAPE_ONE, 0, 0, 0}
#define SHAPE_EMBED(T, M, TYPE) \
    {#M, SHAPE_M_EMBED, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 0}
/* An embedded union whose arm is chosen by the sibling scalar TAGM. */
#define SHAPE_EMBED_TAGGED(T, M, TYPE, TAGM)                                          \
    {#M, SHAPE_M_EMBED, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE,      \
     offsetof(T, TAGM), sizeof(((T *)0)->TAGM), 0}
/* A pointer to COUNTM elements of TYPE (at most MAX in valid use). */
#define SHAPE_ARRAY(T, M, TYPE, COUNTM, MAX)                                         \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ELEMS, \
     offsetof(T, COUNTM), sizeof(((T *)0)->COUNTM), (MAX)}
/* A pointer to exactly one element of TYPE. */
#define SHAPE_POINTER(T, M, TYPE) \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 1}
/* A pointer to LENM + 1 elements of TYPE, the last one zero. */
#define SHAPE_STRING(T, M, TYPE, LENM, MAX)                                           \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_STRING, \
     offsetof(T, LENM), sizeof(((T *)0)->LENM), (MAX)}
#define SHAPE_MEMBERS(arr) (arr), (sizeof(arr) / sizeof((arr)[0]))

#endif
