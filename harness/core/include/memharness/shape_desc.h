/* Declarative descriptions of heap structures: which members are pointers,
 * to what, which member counts the elements, which structs are embedded,
 * which union arm a tag selects, which slots hold COM interface pointers;
 * and for linked data: owned list heads and next links, non-owning back
 * pointers, pointers to an element of an owned array, NUL-terminated
 * strings, and pointers whose ownership a flag member decides; arrays whose
 * block may hold more elements than they count (a capacity).
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
    SHAPE_M_ELEM_OF, /* does not own: NULL or the start of one of the `count`
                        elements of the owned array `target` of the same
                        structure (a cursor, a current item); never freed */
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
    SHAPE_ELEMS_CAP, /* `count` elements in use in a block of exactly `capacity`
                        elements (capacity >= count) or, with no capacity
                        member, of at least `count` elements; only the
                        `count` elements are walked */
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
    size_t cap_offset;             /* ELEMS_CAP: when cap_size is not 0, the sibling */
    size_t cap_size;               /* scalar holding the block's capacity in elements */
    const char *target;            /* ELEM_OF: the array's member path ("toks",
                                      "header.toks") below the innermost struct
                                      enclosing the pointer that has it, up to
                                      the root */
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
 * C string, n elements before the terminator; a list element: one; an
 * array with a capacity: the n elements in use, its least size). */
size_t shape_extent_bytes(const shape_member *m, size_t n);
/* True when pointer member m of the struct value at holder is borrowed
 * (its ownership flag is set), false when the structure owns it. */
bool shape_member_borrowed(const shape_member *m, const void *holder);
/* The SHAPE_M_LINK member of struct t, or NULL. */
const shape_member *shape_link_member(const shape_type *t);

/* Helpers for writing descriptions.  T is the C type, M a member name.
 * Designated initializers: a field added to shape_member is zero in every
 * existing description. */
#define SHAPE_M_(T, M, KIND) .name = #M, .kind = (KIND), .offset = offsetof(T, M), \
    .size = sizeof(((T *)0)->M)
#define SHAPE_SCALAR(T, M) {SHAPE_M_(T, M, SHAPE_M_SCALAR)}
#define SHAPE_EMBED(T, M, TYPE) {SHAPE_M_(T, M, SHAPE_M_EMBED), .type = &(TYPE)}
/* An embedded union whose arm is chosen by the sibling scalar TAGM. */
#define SHAPE_EMBED_TAGGED(T, M, TYPE, TAGM)                                        \
    {SHAPE_M_(T, M, SHAPE_M_EMBED), .type = &(TYPE), .count_offset = offsetof(T, TAGM), \
     .count_size = sizeof(((T *)0)->TAGM)}
/* A pointer to COUNTM elements of TYPE (at most MAX in valid use); the
 * block holds exactly that many. */
#define SHAPE_ARRAY(T, M, TYPE, COUNTM, MAX) SHAPE_COUNTED_(T, M, TYPE, SHAPE_ELEMS, COUNTM, MAX)
/* A pointer to a block of exactly CAPM elements of TYPE, COUNTM of them in
 * use (CAPM >= COUNTM; a buffer grown by doubling); only those are walked. */
#define SHAPE_ARRAY_CAP(T, M, TYPE, COUNTM, CAPM, MAX)                  \
    {SHAPE_COUNTED_BODY_(T, M, TYPE, SHAPE_ELEMS_CAP, COUNTM, MAX),     \
     .cap_offset = offsetof(T, CAPM), .cap_size = sizeof(((T *)0)->CAPM)}
/* A pointer to a block of at least COUNTM elements of TYPE, COUNTM of them
 * in use (no member says the capacity); only those are walked. */
#define SHAPE_ARRAY_MIN(T, M, TYPE, COUNTM, MAX) \
    SHAPE_COUNTED_(T, M, TYPE, SHAPE_ELEMS_CAP, COUNTM, MAX)
/* A pointer to exactly one element of TYPE. */
#define SHAPE_POINTER(T, M, TYPE) \
    {SHAPE_M_(T, M, SHAPE_M_POINTER), .type = &(TYPE), .extent = SHAPE_ONE, .max = 1}
/* A pointer to LENM + 1 elements of TYPE, the last one zero. */
#define SHAPE_STRING(T, M, TYPE, LENM, MAX) SHAPE_COUNTED_(T, M, TYPE, SHAPE_STRING, LENM, MAX)
#define SHAPE_COUNTED_BODY_(T, M, TYPE, KIND, COUNTM, MAX)                             \
    SHAPE_M_(T, M, SHAPE_M_POINTER), .type = &(TYPE), .extent = (KIND),                 \
    .count_offset = offsetof(T, COUNTM), .count_size = sizeof(((T *)0)->COUNTM), .max = (MAX)
#define SHAPE_COUNTED_(T, M, TYPE, KIND, COUNTM, MAX) \
    {SHAPE_COUNTED_BODY_(T, M, TYPE, KIND, COUNTM, MAX)}
/* A scalar that holds a value (a type tag, a number): not required to be zero. */
#define SHAPE_VALUE(T, M) {SHAPE_M_(T, M, SHAPE_M_SCALAR), .flags = SHAPE_F_VALUE}
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
#define SHAPE_NEXT(T, M, TYPE) {SHAPE_M_(T, M, SHAPE_M_LINK), .type = &(TYPE), .max = 1}
/* A non-owning pointer to the previous element of the list (the first
 * element's is NULL; with SHAPE_F_BACK_WRAP in FL, the last element). */
#define SHAPE_PREV(T, M, TYPE, FL) \
    {SHAPE_M_(T, M, SHAPE_M_BACK), .type = &(TYPE), .flags = SHAPE_F_BACK_PREV | (FL)}
/* A non-owning pointer to the start of some block of TYPE in the same
 * structure, or NULL. */
#define SHAPE_BACK(T, M, TYPE) {SHAPE_M_(T, M, SHAPE_M_BACK), .type = &(TYPE)}
/* A non-owning pointer to the start of one counted element of the owned
 * array of TYPE at member path PATH (a string: "toks", "header.toks"), or
 * NULL.  PATH is looked up below the pointer's own struct, then below each
 * enclosing one up to the root: in an array of parsers, each parser's
 * cursor points into its own tokens. */
#define SHAPE_ELEM_OF(T, M, TYPE, PATH) \
    {SHAPE_M_(T, M, SHAPE_M_ELEM_OF), .type = &(TYPE), .target = (PATH)}
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
    {SHAPE_M_(T, M, SHAPE_M_POINTER), .type = &(TYPE), .extent = (KIND), .max = (MAX), \
     .own_offset = (OO), .own_size = (OS), .own_mask = (MASK)}
#define SHAPE_MEMBERS(arr) (arr), (sizeof(arr) / sizeof((arr)[0]))

/* Type descriptions, by designated initializers (a field added to
 * shape_type is zero in every existing one).  CT is the C type; the type's
 * name in every path and message is CT spelled as written, or NAME. */
/* Bytes holding no pointer: a scalar, a character, a plain struct. */
#define SHAPE_LEAF_TYPE(CT) SHAPE_LEAF_NAMED(#CT, CT)
#define SHAPE_LEAF_NAMED(NAME, CT) {.name = (NAME), .kind = SHAPE_LEAF, .size = sizeof(CT)}
/* A struct whose members the shape_member array MEMBERS lists. */
#define SHAPE_TYPE(CT, MEMBERS) SHAPE_TYPE_NAMED(#CT, CT, MEMBERS)
#define SHAPE_TYPE_NAMED(NAME, CT, MEMBERS)                                       \
    {.name = (NAME), .kind = SHAPE_STRUCT, .size = sizeof(CT), .members = (MEMBERS), \
     .member_count = sizeof(MEMBERS) / sizeof((MEMBERS)[0])}
/* A union: ARMS its arms, TAGS (a shape_tag array) which tag selects
 * which arm, DEFAULT_ARM the arm of every other tag. */
#define SHAPE_UNION_TYPE(CT, ARMS, TAGS, DEFAULT_ARM)                                  \
    {.name = #CT, .kind = SHAPE_UNION, .size = sizeof(CT), .members = (ARMS),            \
     .member_count = sizeof(ARMS) / sizeof((ARMS)[0]), .tags = (TAGS),                   \
     .tag_count = sizeof(TAGS) / sizeof((TAGS)[0]), .default_arm = (DEFAULT_ARM)}
/* One COM interface pointer (CT the pointer type). */
#define SHAPE_COM_NAMED(NAME, CT) {.name = (NAME), .kind = SHAPE_COM, .size = sizeof(CT)}

#endif
