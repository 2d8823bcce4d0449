/* The shape walker (see shape_walk.h). */
#include <memharness/shape_walk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk_state {
    shape_walk *w;
    const shape_visitor *v;
} walk_state;

void shape_walk_init(shape_walk *w)
{
    w->nodes = NULL;
    w->count = 0;
    w->cap = 0;
    w->oom = false;
}

void shape_walk_free(shape_walk *w)
{
    free(w->nodes);
    shape_walk_init(w);
}

long shape_walk_find(const shape_walk *w, const void *p)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->nodes[i].kind == SHAPE_NODE_BLOCK && w->nodes[i].ptr == p)
            return (long)i;
    return -1;
}

/* Plain malloc on purpose: the walker's bookkeeping must not show up in the
 * tracker it is checking against, nor be failed by the injector. */
static long add_node(walk_state *s, shape_node_kind kind, const void *ptr, size_t want,
                     long parent, const char *path)
{
    shape_walk *w = s->w;
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        shape_node *grown = realloc(w->nodes, cap * sizeof *grown);
        if (grown == NULL) {
            w->oom = true;
            return -1;
        }
        w->nodes = grown;
        w->cap = cap;
    }
    shape_node *n = &w->nodes[w->count];
    n->kind = kind;
    n->ptr = ptr;
    n->want_size = want;
    n->parent = parent;
    n->live = false;
    memset(&n->block, 0, sizeof n->block);
    snprintf(n->path, sizeof n->path, "%s", path);
    return (long)w->count++;
}

static const void *read_ptr(const void *addr)
{
    const void *p;
    memcpy(&p, addr, sizeof p);
    return p;
}

/* True when some pointer or tagged union of struct t reads its count or
 * tag from the scalar at offset off. */
static bool is_count_member(const shape_type *t, size_t off)
{
    for (size_t i = 0; i < t->member_count; i++) {
        const shape_member *m = &t->members[i];
        bool counted = m->kind == SHAPE_M_POINTER && m->extent != SHAPE_ONE;
        bool tagged = m->kind == SHAPE_M_EMBED && m->type->kind == SHAPE_UNION && m->count_size;
        if ((counted || tagged) && m->count_offset == off)
            return true;
    }
    return false;
}

static void walk_block(walk_state *s, const void *ptr, const shape_type *type,
                       const shape_member *via, size_t n, long tag, bool indexed,
                       const char *path, long parent);

/* A value of type t stored in place at addr, inside the block node holder. */
static void walk_value(walk_state *s, const void *addr, const shape_type *t, long tag,
                       const char *path, long holder)
{
    char sub[SHAPE_PATH_MAX];
    switch (t->kind) {
    case SHAPE_LEAF:
        if (s->v && s->v->scalar)
            s->v->scalar(s->v->user, path, addr, t->size, false);
        break;
    case SHAPE_COM: {
        const void *obj = read_ptr(addr);
        if (obj != NULL)
            add_node(s, SHAPE_NODE_COM, obj, 0, holder, path);
        break;
    }
    case SHAPE_UNION: {
        const shape_member *arm = shape_union_arm(t, tag);
        snprintf(sub, sizeof sub, "%s.%s", path, arm->name);
        walk_value(s, (const char *)addr + arm->offset, arm->type, 0, sub, holder);
        break;
    }
    case SHAPE_STRUCT:
        for (size_t i = 0; i < t->member_count; i++) {
            const shape_member *m = &t->members[i];
            const char *at = (const char *)addr + m->offset;
            snprintf(sub, sizeof sub, "%s.%s", path, m->name);
            if (m->kind == SHAPE_M_SCALAR) {
                if (s->v && s->v->scalar)
                    s->v->scalar(s->v->user, sub, at, m->size, is_count_member(t, m->offset));
            } else if (m->kind == SHAPE_M_EMBED) {
                long inner = 0;
                if (m->type->kind == SHAPE_UNION && m->count_size)
                    inner = (long)shape_read_uint((const char *)addr + m->count_offset,
                                                  m->count_size);
                walk_value(s, at, m->type, inner, sub, holder);
            } else {
                const void *p = read_ptr(at);
                size_t cnt = m->extent == SHAPE_ONE
                                 ? 1
                                 : (size_t)shape_read_uint((const char *)addr + m->count_offset,
                                                           m->count_size);
                if (p == NULL) {
                    if (s->v && s->v->null_pointer)
                        s->v->null_pointer(s->v->user, sub, cnt);
                    continue;
                }
                walk_block(s, p, m->type, m, cnt, 0, m->extent != SHAPE_ONE, sub, holder);
            }
        }
        break;
    }
}

/* A block of n elements of type (via: the pointer member reaching it, NULL
 * for the root). */
static void walk_block(walk_state *s, const void *ptr, const shape_type *type,
                       const shape_member *via, size_t n, long tag, bool indexed,
                       const char *path, long parent)
{
    size_t want = via ? shape_extent_bytes(via, n) : n * type->size;
    long self = add_node(s, SHAPE_NODE_BLOCK, ptr, want, parent, path);
    if (self < 0)
        return;
    shape_node *node = &s->w->nodes[self];
    node->live = tracker_lookup(ptr, &node->block);
    if (!node->live)
        return;
    size_t readable = node->block.size;
    if (type->kind == SHAPE_LEAF) {
        if (s->v && s->v->leaf)
            s->v->leaf(s->v->user, path, ptr, want < readable ? want : readable, type->size, n,
                       via != NULL && via->extent == SHAPE_STRING);
        return;
    }
    char sub[SHAPE_PATH_MAX];
    for (size_t i = 0; i < n && (i + 1) * type->size <= readable; i++) {
        if (indexed)
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
        else
            snprintf(sub, sizeof sub, "%s", path);
        walk_value(s, (const char *)ptr + i * type->size, type, tag, sub, self);
    }
}

bool shape_walk_run(shape_walk *w, const shape_root *root, const shape_visitor *v)
{
    walk_state s = {w, v};
    bool was_oom = w->oom;
    w->oom = false;
    if (root->ptr != NULL)
        walk_block(&s, root->ptr, root->type, NULL, root->count, root->tag, root->count != 1,
                   root->name ? root->name : root->type->name, -1);
    bool ok = !w->oom;
    w->oom = was_oom || w->oom;
    return ok;
}
