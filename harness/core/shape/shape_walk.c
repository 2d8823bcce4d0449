/* The shape walker (see shape_walk.h). */
#include <memharness/shape_walk.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A block waiting to be walked: the walker's explicit stack replaces the
 * C recursion that a long list or a deep tree would exhaust. */
typedef struct pending {
    const void *ptr;
    const shape_type *type;
    const shape_member *via; /* the pointer member reaching it; NULL for the root */
    size_t n;
    bool has_cap;    /* an array whose capacity member says cap */
    size_t cap;
    long tag;
    bool indexed;    /* an array: elements are path[i] */
    bool via_link;
    size_t list_pos; /* its position in its list (LIST heads and links) */
    long parent;
    char path[SHAPE_PATH_MAX];
} pending;

/* Pending entries a walk holds without a malloc: most walks need no more,
 * and under ASan every fresh allocation costs a fill and, once its
 * quarantine cycles, page faults (they were a third of the connections fuzz
 * target's time). */
#define STACK_LOCAL 8

typedef struct walk_state {
    shape_walk *w;
    const shape_visitor *v;
    pending *stack; /* local until it outgrows it, then malloc'd */
    size_t top, cap;
    pending local[STACK_LOCAL];
} walk_state;

void shape_walk_init(shape_walk *w)
{
    w->nodes = w->local;
    w->count = 0;
    w->cap = SHAPE_WALK_LOCAL;
    w->oom = false;
    w->index = NULL;
    w->index_cap = 0;
}

void shape_walk_free(shape_walk *w)
{
    if (w->nodes != w->local)
        free(w->nodes);
    free(w->index);
    shape_walk_init(w);
}

static size_t slot_of(const void *p, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

long shape_walk_find(const shape_walk *w, const void *p)
{
    if (w->index_cap == 0)
        return -1;
    for (size_t i = slot_of(p, w->index_cap);; i = (i + 1) & (w->index_cap - 1)) {
        long n = w->index[i];
        if (n < 0)
            return -1;
        if (w->nodes[n].ptr == p)
            return n;
    }
}

/* Keeps the index at most half full; plain malloc like the node list. */
static bool index_add(shape_walk *w, long node)
{
    if ((w->count + 1) * 2 > w->index_cap) {
        size_t cap = w->index_cap ? w->index_cap * 2 : 16; /* small first: see add_node */
        long *grown = malloc(cap * sizeof *grown);
        if (grown == NULL)
            return false;
        for (size_t i = 0; i < cap; i++)
            grown[i] = -1;
        for (size_t i = 0; i < w->index_cap; i++) {
            long n = w->index[i];
            if (n < 0)
                continue;
            size_t j = slot_of(w->nodes[n].ptr, cap);
            while (grown[j] >= 0)
                j = (j + 1) & (cap - 1);
            grown[j] = n;
        }
        free(w->index);
        w->index = grown;
        w->index_cap = cap;
    }
    size_t j = slot_of(w->nodes[node].ptr, w->index_cap);
    while (w->index[j] >= 0)
        j = (j + 1) & (w->index_cap - 1);
    w->index[j] = node;
    return true;
}

/* Plain malloc on purpose: the walker's bookkeeping must not show up in the
 * tracker it is checking against, nor be failed by the injector. */
static long add_node(walk_state *s, shape_node_kind kind, const void *ptr, size_t want,
                     long parent, const char *path)
{
    shape_walk *w = s->w;
    if (w->count == w->cap) {
        size_t cap = w->cap * 2;
        shape_node *grown = realloc(w->nodes == w->local ? NULL : w->nodes, cap * sizeof *grown);
        if (grown == NULL) {
            w->oom = true;
            return -1;
        }
        if (w->nodes == w->local)
            memcpy(grown, w->local, sizeof w->local);
        w->nodes = grown;
        w->cap = cap;
    }
    shape_node *n = &w->nodes[w->count];
    n->kind = kind;
    n->ptr = ptr;
    n->want_size = want;
    n->at_least = false;
    n->extent = SHAPE_ONE;
    n->elems = 0;
    n->has_capacity = false;
    n->capacity = 0;
    n->target = NULL;
    n->via_link = false;
    n->type = NULL;
    n->parent = parent;
    n->live = false;
    memset(&n->block, 0, sizeof n->block);
    snprintf(n->path, sizeof n->path, "%s", path);
    return (long)w->count++;
}

/* A member path; long paths are cut at SHAPE_PATH_MAX on purpose. */
__attribute__((format(printf, 2, 3))) static void path_fmt(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, SHAPE_PATH_MAX, fmt, ap);
    va_end(ap);
}

static const void *read_ptr(const void *addr)
{
    const void *p;
    memcpy(&p, addr, sizeof p);
    return p;
}

/* True when pointer member m's block size follows a count member. */
static bool is_counted(const shape_member *m)
{
    return m->extent == SHAPE_ELEMS || m->extent == SHAPE_STRING || m->extent == SHAPE_ELEMS_CAP;
}

/* True when some pointer or tagged union of struct t reads its count,
 * capacity or tag from the scalar at offset off. */
static bool is_count_member(const shape_type *t, size_t off)
{
    for (size_t i = 0; i < t->member_count; i++) {
        const shape_member *m = &t->members[i];
        bool counted = m->kind == SHAPE_M_POINTER && is_counted(m);
        bool tagged = m->kind == SHAPE_M_EMBED && m->type->kind == SHAPE_UNION && m->count_size;
        bool flag = m->kind == SHAPE_M_POINTER && m->own_size && m->own_offset == off;
        bool cap = m->kind == SHAPE_M_POINTER && m->cap_size && m->cap_offset == off;
        if (((counted || tagged) && m->count_offset == off) || flag || cap)
            return true;
    }
    return false;
}

static pending *push(walk_state *s)
{
    if (s->top == s->cap) {
        size_t cap = s->cap * 2;
        pending *grown = realloc(s->stack == s->local ? NULL : s->stack, cap * sizeof *grown);
        if (grown == NULL) {
            s->w->oom = true;
            return NULL;
        }
        if (s->stack == s->local)
            memcpy(grown, s->local, sizeof s->local);
        s->stack = grown;
        s->cap = cap;
    }
    return &s->stack[s->top++];
}

/* Path of a list element: the list's name (path without its last [i]) and
 * the element's position. */
static void list_path(char *out, const char *elem_path, size_t pos)
{
    size_t len = strlen(elem_path);
    if (len > 0 && elem_path[len - 1] == ']') {
        const char *open = strrchr(elem_path, '[');
        if (open != NULL)
            len = (size_t)(open - elem_path);
    }
    path_fmt(out, "%.*s[%zu]", (int)len, elem_path, pos);
}

/* A value of type t stored in place at addr, inside the block node holder;
 * pointers found are pushed, to be walked after this block. */
static void walk_value(walk_state *s, const void *addr, const shape_type *t, long tag,
                       const char *path, long holder, size_t list_pos)
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
        walk_value(s, (const char *)addr + arm->offset, arm->type, 0, sub, holder, 0);
        break;
    }
    case SHAPE_STRUCT:
        for (size_t i = 0; i < t->member_count; i++) {
            const shape_member *m = &t->members[i];
            const char *at = (const char *)addr + m->offset;
            snprintf(sub, sizeof sub, "%s.%s", path, m->name);
            if (m->kind == SHAPE_M_SCALAR) {
                if (s->v && s->v->scalar)
                    s->v->scalar(s->v->user, sub, at, m->size,
                                 is_count_member(t, m->offset) || (m->flags & SHAPE_F_VALUE));
                continue;
            }
            if (m->kind == SHAPE_M_EMBED) {
                long inner = 0;
                if (m->type->kind == SHAPE_UNION && m->count_size)
                    inner = (long)shape_read_uint((const char *)addr + m->count_offset,
                                                  m->count_size);
                walk_value(s, at, m->type, inner, sub, holder, 0);
                continue;
            }
            const void *p = read_ptr(at);
            if (m->kind == SHAPE_M_BACK || m->kind == SHAPE_M_ELEM_OF) {
                bool elem = m->kind == SHAPE_M_ELEM_OF;
                long b = p ? add_node(s, elem ? SHAPE_NODE_ELEM : SHAPE_NODE_BACK, p, 0, holder,
                                      sub)
                           : -1;
                if (b >= 0) {
                    s->w->nodes[b].type = m->type;
                    s->w->nodes[b].target = m->target;
                }
                continue;
            }
            size_t cnt = 1;
            if (m->kind == SHAPE_M_POINTER && is_counted(m))
                cnt = (size_t)shape_read_uint((const char *)addr + m->count_offset,
                                              m->count_size);
            if (p == NULL) {
                /* NULL is an empty list or no string; a SHAPE_ONE pointer must hold one. */
                bool may_be_null = m->extent == SHAPE_LIST || m->extent == SHAPE_CSTRING;
                if (s->v && s->v->null_pointer && m->kind == SHAPE_M_POINTER)
                    s->v->null_pointer(s->v->user, sub, may_be_null ? 0 : cnt);
                continue;
            }
            if (m->kind == SHAPE_M_POINTER && shape_member_borrowed(m, addr)) {
                add_node(s, SHAPE_NODE_BORROWED, p, 0, holder, sub);
                continue;
            }
            pending *q = push(s);
            if (q == NULL)
                return;
            q->ptr = p;
            q->type = m->type;
            q->via = m;
            q->n = cnt;
            q->has_cap = m->kind == SHAPE_M_POINTER && m->extent == SHAPE_ELEMS_CAP &&
                         m->cap_size != 0;
            q->cap = q->has_cap ? (size_t)shape_read_uint((const char *)addr + m->cap_offset,
                                                          m->cap_size)
                                : 0;
            q->tag = 0;
            q->indexed = m->kind == SHAPE_M_POINTER &&
                         (m->extent == SHAPE_ELEMS || m->extent == SHAPE_ELEMS_CAP);
            q->via_link = m->kind == SHAPE_M_LINK;
            q->list_pos = q->via_link ? list_pos + 1 : 0;
            q->parent = holder;
            if (q->via_link)
                list_path(q->path, path, q->list_pos);
            else if (m->extent == SHAPE_LIST)
                path_fmt(q->path, "%s[0]", sub);
            else
                path_fmt(q->path, "%s", sub);
        }
        break;
    }
}

/* Bytes a C string of elem-sized units occupies up to and including its
 * first zero unit, looking only at the readable bytes; readable + elem
 * (too many, on purpose) when there is no terminator. */
static size_t cstring_bytes(const void *p, size_t readable, size_t elem, size_t *units)
{
    const unsigned char *b = p;
    size_t i = 0;
    for (; elem && (i + 1) * elem <= readable; i++) {
        size_t k = 0;
        while (k < elem && b[i * elem + k] == 0)
            k++;
        if (k == elem) {
            *units = i;
            return (i + 1) * elem;
        }
    }
    *units = i;
    return readable + (elem ? elem : 1);
}

/* Lists the block described by q, then queues what it points to. */
static void walk_block(walk_state *s, const pending *q)
{
    const shape_member *via = q->via;
    bool cstring = via != NULL && via->extent == SHAPE_CSTRING;
    size_t want = via ? shape_extent_bytes(via, q->n) : q->n * q->type->size;
    long first = shape_walk_find(s->w, q->ptr);
    long self = add_node(s, SHAPE_NODE_BLOCK, q->ptr, want, q->parent, q->path);
    if (self < 0)
        return;
    shape_node *node = &s->w->nodes[self];
    node->type = q->type;
    node->via_link = q->via_link;
    node->extent = via ? via->extent : SHAPE_ONE;
    node->elems = q->n;
    if (via != NULL && via->extent == SHAPE_ELEMS_CAP) {
        node->has_capacity = q->has_cap;
        node->capacity = q->cap;
        node->at_least = !q->has_cap;
        if (q->has_cap) /* saturates: a garbage capacity must not wrap to a fit */
            node->want_size = q->type->size && q->cap > SIZE_MAX / q->type->size
                                  ? SIZE_MAX
                                  : q->cap * q->type->size;
    }
    node->live = tracker_lookup(q->ptr, &node->block);
    if (first >= 0)
        return; /* listed again for the checker, never followed again: cycles end */
    if (!index_add(s->w, self))
        s->w->oom = true;
    if (!node->live)
        return;
    size_t readable = node->block.size;
    size_t n = q->n;
    if (cstring) {
        node->want_size = cstring_bytes(q->ptr, readable, q->type->size, &n);
        node->at_least = true;
        want = node->want_size;
    }
    if (q->type->kind == SHAPE_LEAF) {
        if (s->v && s->v->leaf)
            s->v->leaf(s->v->user, q->path, q->ptr, want < readable ? want : readable,
                       q->type->size, n,
                       via != NULL && (via->extent == SHAPE_STRING || cstring));
        return;
    }
    size_t base = s->top;
    char sub[SHAPE_PATH_MAX];
    for (size_t i = 0; i < n && (i + 1) * q->type->size <= readable; i++) {
        if (q->indexed)
            path_fmt(sub, "%s[%zu]", q->path, i);
        else
            path_fmt(sub, "%s", q->path);
        walk_value(s, (const char *)q->ptr + i * q->type->size, q->type, q->tag, sub, self,
                   q->list_pos);
    }
    /* Pop in member order, list links last: a list is walked element by
     * element, each with its children first, so the stack stays as deep
     * as the structure, not as long as its lists. */
    size_t top = s->top, links = 0;
    for (size_t i = base; i < top; i++) {
        if (s->stack[i].via_link) {
            pending t = s->stack[i];
            memmove(&s->stack[base + links + 1], &s->stack[base + links],
                    (i - base - links) * sizeof t);
            s->stack[base + links++] = t;
        }
    }
    for (size_t a = base + links, b = top; a + 1 < b; a++, b--) {
        pending t = s->stack[a];
        s->stack[a] = s->stack[b - 1];
        s->stack[b - 1] = t;
    }
}

bool shape_walk_run(shape_walk *w, const shape_root *root, const shape_visitor *v)
{
    walk_state s = {w, v, NULL, 0, STACK_LOCAL, {{0}}};
    s.stack = s.local;
    bool was_oom = w->oom;
    w->oom = false;
    if (root->ptr != NULL) {
        pending *q = push(&s);
        if (q != NULL) {
            q->ptr = root->ptr;
            q->type = root->type;
            q->via = NULL;
            q->n = root->count;
            q->has_cap = false;
            q->cap = 0;
            q->tag = root->tag;
            q->indexed = root->count != 1;
            q->via_link = false;
            q->list_pos = 0;
            q->parent = -1;
            path_fmt(q->path, "%s", root->name ? root->name : root->type->name);
        }
        while (s.top > 0) {
            pending q2 = s.stack[--s.top];
            walk_block(&s, &q2);
        }
    }
    if (s.stack != s.local)
        free(s.stack);
    bool ok = !w->oom;
    w->oom = was_oom || w->oom;
    return ok;
}
