/* Declarative descriptions of heap structures: which members are pointers,
 * to what, which member counts the elements, which structs are embedded,
 * which union arm a tag selects, which slots hold COM interface pointers;
 * and for linked data: owned list heads and next links, non-owning back
 * pointers, NUL-terminated strings, and pointers whose ownership a flag
 * member decides.
 * The walker, the checkers and the generators all read these tables, so a
 * structure is described once and adding one means adding one table.
 * Knows no particular API: the descriptions themselves live with the API's
 * knowledge (for NAP, harness/nap/nap_types.c). */
#ifndef HARNESS_SHAPE_DESC_H
#define HARNESS_SHAPE_DESC_H

#include <stdbool.h>
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
    SHAPE_M_LINK,    /* owns the next element of the list this element is in
                        (a list's successor, not a child: it may be freed after) */
    SHAPE_M_BACK,    /* does not own: NULL or the start of a block of `type`
                        in the same structure (prev, parent); never freed */
} shape_member_kind;

/* How many elements a pointer member's block holds. */
typedef enum shape_extent {
    SHAPE_ONE,    /* exactly one element; no count member */
    SHAPE_ELEMS,  /* `count` elements */
    SHAPE_STRING, /* `count` + 1 elements, the last one zero (a terminator) */
    SHAPE_LIST,   /* the first element of a list linked by the element type's
                     SHAPE_M_LINK member; elements are named m[0], m[1], ... */
    SHAPE_CSTRING, /* elements up to and including the first zero one; the
                      block may be larger than that, never smaller */
} shape_extent;

/* shape_member.flags */
#define SHAPE_F_VALUE 1u     /* SCALAR: holds a value, any value is right after an Alloc */
#define SHAPE_F_BACK_PREV 2u /* BACK: generators point it at the previous element */
#define SHAPE_F_BACK_WRAP 4u /* BACK_PREV: a list's first element points at its last */

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
    unsigned flags;                /* SHAPE_F_* */
    size_t own_offset;             /* POINTER: when own_size is not 0, the sibling scalar */
    size_t own_size;               /* whose bits own_mask, when any is set, say that the */
    unsigned long long own_mask;   /* pointer is borrowed: not followed, never freed */
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
/* Bytes in a block that holds n counted elements under extent e (for a
 * C string, n elements before the terminator; a list element: one). */
size_t shape_extent_bytes(const shape_member *m, size_t n);
/* True when pointer member m of the struct value at holder is borrowed
 * (its ownership flag is set), false when the structure owns it. */
bool shape_member_borrowed(const shape_member *m, const void *holder);
/* The SHAPE_M_LINK member of struct t, or NULL. */
const shape_member *shape_link_member(const shape_type *t);

/* Helpers for writing descriptions.  T is the C type, M a member name. */
#define SHAPE_SCALAR(T, M) \
    {#M, SHAPE_M_SCALAR, offsetof(T, M), sizeof(((T *)0)->M), NULL, SHAPE_ONE, 0, 0, 0, 0, 0, 0, 0}
#define SHAPE_EMBED(T, M, TYPE) \
    {#M, SHAPE_M_EMBED, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 0, 0, 0, 0, 0}
/* An embedded union whose arm is chosen by the sibling scalar TAGM. */
#define SHAPE_EMBED_TAGGED(T, M, TYPE, TAGM)                                          \
    {#M, SHAPE_M_EMBED, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE,      \
     offsetof(T, TAGM), sizeof(((T *)0)->TAGM), 0, 0, 0, 0, 0}
/* A pointer to COUNTM elements of TYPE (at most MAX in valid use). */
#define SHAPE_ARRAY(T, M, TYPE, COUNTM, MAX)                                         \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ELEMS, \
     offsetof(T, COUNTM), sizeof(((T *)0)->COUNTM), (MAX), 0, 0, 0, 0}
/* A pointer to exactly one element of TYPE. */
#define SHAPE_POINTER(T, M, TYPE) \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 1, 0, 0, 0, 0}
/* A pointer to LENM + 1 elements of TYPE, the last one zero. */
#define SHAPE_STRING(T, M, TYPE, LENM, MAX)                                           \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_STRING, \
     offsetof(T, LENM), sizeof(((T *)0)->LENM), (MAX), 0, 0, 0, 0}
/* A scalar that holds a value (a type tag, a number): not required to be zero. */
#define SHAPE_VALUE(T, M)                                                              \
    {#M, SHAPE_M_SCALAR, offsetof(T, M), sizeof(((T *)0)->M), NULL, SHAPE_ONE, 0, 0, 0, \
     SHAPE_F_VALUE, 0, 0, 0}
/* An owned pointer to the first element of a list of TYPE (NULL: empty),
 * at most MAX elements in valid use; TYPE names its link with SHAPE_NEXT. */
#define SHAPE_LIST(T, M, TYPE, MAX) SHAPE_LIST_UNLESS_RAW(T, M, TYPE, MAX, 0, 0, 0)
/* The same, borrowed (not owned) while (FLAGM & MASK) != 0. */
#define SHAPE_LIST_UNLESS(T, M, TYPE, MAX, FLAGM, MASK)                                  \
    SHAPE_LIST_UNLESS_RAW(T, M, TYPE, MAX, offsetof(T, FLAGM), sizeof(((T *)0)->FLAGM), \
                          (MASK))
#define SHAPE_LIST_UNLESS_RAW(T, M, TYPE, MAX, OO, OS, MASK) \
    SHAPE_OWNED_UNLESS_RAW(T, M, TYPE, SHAPE_LIST, MAX, OO, OS, MASK)
/* The owned link to the next element of the list this element is in. */
#define SHAPE_NEXT(T, M, TYPE) \
    {#M, SHAPE_M_LINK, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 1, 0, 0, 0, 0}
/* A non-owning pointer to the previous element of the list (the first
 * element's is NULL; with SHAPE_F_BACK_WRAP in FL, the last element). */
#define SHAPE_PREV(T, M, TYPE, FL)                                                   \
    {#M, SHAPE_M_BACK, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 0, \
     SHAPE_F_BACK_PREV | (FL), 0, 0, 0}
/* A non-owning pointer to some block of TYPE in the same structure, or NULL. */
#define SHAPE_BACK(T, M, TYPE) \
    {#M, SHAPE_M_BACK, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), SHAPE_ONE, 0, 0, 0, 0, 0, 0, 0}
/* An owned NUL-terminated string of TYPE (at most MAX elements before the NUL). */
#define SHAPE_CSTR(T, M, TYPE, MAX) SHAPE_CSTR_UNLESS_RAW(T, M, TYPE, MAX, 0, 0, 0)
/* The same, borrowed (not owned) while (FLAGM & MASK) != 0. */
#define SHAPE_CSTR_UNLESS(T, M, TYPE, MAX, FLAGM, MASK)                                  \
    SHAPE_CSTR_UNLESS_RAW(T, M, TYPE, MAX, offsetof(T, FLAGM), sizeof(((T *)0)->FLAGM), \
                          (MASK))
#define SHAPE_CSTR_UNLESS_RAW(T, M, TYPE, MAX, OO, OS, MASK) \
    SHAPE_OWNED_UNLESS_RAW(T, M, TYPE, SHAPE_CSTRING, MAX, OO, OS, MASK)
/* An owned pointer counted by KIND (SHAPE_LIST, SHAPE_CSTRING), borrowed
 * while the member at offset OO of size OS has a bit of MASK set (OS 0:
 * always owned). */
#define SHAPE_OWNED_UNLESS_RAW(T, M, TYPE, KIND, MAX, OO, OS, MASK)                   \
    {#M, SHAPE_M_POINTER, offsetof(T, M), sizeof(((T *)0)->M), &(TYPE), (KIND), 0, 0, \
     (MAX), 0, (OO), (OS), (MASK)}
#define SHAPE_MEMBERS(arr) (arr), (sizeof(arr) / sizeof((arr)[0]))

#endif
