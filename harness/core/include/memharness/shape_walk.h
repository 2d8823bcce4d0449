/* The shape walker: follows a described structure from its root and lists
 * every block reachable from it (with the member path that reaches it and
 * the size its description implies), every non-NULL COM interface pointer,
 * every borrowed pointer, every back pointer and every pointer to an array
 * element in it.  It keeps its own
 * work stack instead of recursing, so a list of 100,000 elements or a deep
 * tree costs memory, not C stack; a block reached a second time (shared,
 * or a cycle) is listed again but not followed again, so a cycle ends.  Reads a block only while the tracker knows it as live and
 * only within its size, so a garbage pointer in an Alloc result is listed,
 * not followed.  The checkers (shape_check.h) compare this list with the
 * tracker's live blocks and journal. */
#ifndef HARNESS_SHAPE_WALK_H
#define HARNESS_SHAPE_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <memharness/shape_desc.h>
#include <memharness/tracker.h>

#define SHAPE_PATH_MAX 160

typedef enum shape_node_kind {
    SHAPE_NODE_BLOCK, /* a heap block the structure owns */
    SHAPE_NODE_COM,   /* a COM object a slot refers to */
    SHAPE_NODE_BORROWED, /* a pointer its ownership flag says is not owned */
    SHAPE_NODE_BACK,  /* a non-owning back pointer (checked to hit a BLOCK node) */
    SHAPE_NODE_ELEM,  /* a non-owning pointer to an element of the array `target` */
} shape_node_kind;

typedef struct shape_node {
    shape_node_kind kind;
    const void *ptr;
    size_t want_size;    /* BLOCK: bytes the description implies for the counts found */
    bool at_least;       /* BLOCK: want_size is a minimum (a C string, an array
                            with no capacity member), not exact */
    shape_extent extent; /* BLOCK: the extent of the pointer reaching it (ONE: root) */
    size_t elems;        /* BLOCK: elements counted (an array's count; 1: one) */
    bool has_capacity;   /* BLOCK: a capacity member says how many elements */
    size_t capacity;     /* BLOCK, has_capacity: the block holds, capacity >= elems */
    const char *target;  /* ELEM: the array's member path (shape_member.target) */
    bool via_link;       /* BLOCK: reached through a list link, so not a child of parent */
    const shape_type *type; /* BLOCK, BACK, ELEM: the element type pointed at */
    long parent;         /* index of the block node holding the pointer; -1 for the root */
    bool live;           /* BLOCK: a live tracker block when walked */
    tracker_block block; /* BLOCK: the tracker's record, when live */
    char path[SHAPE_PATH_MAX];
} shape_node;

/* Called for what the walk passes over, so that a checker can look at
 * values without a second traversal.  Either hook may be NULL. */
typedef struct shape_visitor {
    /* A scalar member (or a scalar union arm); is_count tells whether a
     * pointer or union in the same struct depends on it. */
    void (*scalar)(void *user, const char *path, const void *addr, size_t size, bool is_count);
    /* The readable contents of a block of leaf elements; string tells that
     * the description wants count + 1 elements ending in zero. */
    void (*leaf)(void *user, const char *path, const void *addr, size_t bytes, size_t elem_size,
                 size_t count, bool string);
    /* A NULL pointer member whose count says count elements. */
    void (*null_pointer)(void *user, const char *path, size_t count);
    void *user;
} shape_visitor;

/* Nodes a walk holds in the shape_walk itself (most walks list no more), so
 * that a walk per fuzz input costs no malloc; a shape_walk is therefore
 * never copied, only passed by address. */
#define SHAPE_WALK_LOCAL 4

typedef struct shape_walk {
    shape_node *nodes; /* local until the list outgrows it, then malloc'd */
    size_t count;
    size_t cap;
    bool oom; /* a node could not be recorded: the list is incomplete */
    long *index;       /* open addressing: block address -> first BLOCK node */
    size_t index_cap;  /* a power of two, or 0 */
    shape_node local[SHAPE_WALK_LOCAL];
} shape_walk;

/* Prepares an empty walk. */
void shape_walk_init(shape_walk *w);
/* Lists what is reachable from root (appending to w), calling v's hooks on
 * the way; returns false if the list is incomplete (out of memory). */
bool shape_walk_run(shape_walk *w, const shape_root *root, const shape_visitor *v);
/* Releases the list; w can be reused after shape_walk_init. */
void shape_walk_free(shape_walk *w);
/* Index of the first BLOCK node whose block starts at p, or -1 (hashed:
 * constant time). */
long shape_walk_find(const shape_walk *w, const void *p);

#endif
