/* Structure generators (see shape_gen.h). */
#include <memharness/shape_gen.h>

#include <stdbool.h>
#include <string.h>

/* ---- Sources ------------------------------------------------------------ */

/* splitmix64: tiny, full-period, and good enough to pick shapes. */
static uint64_t mix_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void shape_src_seed(shape_src *s, uint64_t seed)
{
    s->data = NULL;
    s->len = 0;
    s->pos = 0;
    s->state = seed;
}

void shape_src_stream(shape_src *s, const void *data, size_t len)
{
    s->data = data;
    s->len = len;
    s->pos = 0;
    s->state = 0;
}

static unsigned stream_byte(shape_src *s)
{
    return s->pos < s->len ? s->data[s->pos++] : 0;
}

uint64_t shape_src_below(shape_src *s, uint64_t bound)
{
    if (bound <= 1)
        return 0;
    if (s->data == NULL)
        return mix_next(&s->state) % bound;
    /* As few bytes as the bound needs, so short inputs still reach deep. */
    uint64_t v = 0;
    for (uint64_t span = bound - 1; span > 0; span >>= 8)
        v = v << 8 | stream_byte(s);
    return v % bound;
}

void shape_src_fill(shape_src *s, void *buf, size_t n)
{
    unsigned char *b = buf;
    while (n > 0) {
        uint64_t r = mix_next(&s->state);
        size_t k = n < sizeof r ? n : sizeof r;
        memcpy(b, &r, k);
        b += k;
        n -= k;
    }
}

/* ---- Generation --------------------------------------------------------- */

static unsigned limit(unsigned max, const shape_gen_env *env)
{
    return env->cap != 0 && env->cap < max ? env->cap : max;
}

size_t shape_gen_count(unsigned max, shape_src *src, const shape_gen_env *env)
{
    max = limit(max, env);
    if (env->policy == SHAPE_GEN_FULL)
        return max;
    switch (shape_src_below(src, 8)) {
    case 0:
        return 0;
    case 1:
        return max;
    default:
        return (size_t)shape_src_below(src, (uint64_t)max + 1);
    }
}

/* Nested lists deeper than this are left empty, so that a recursive type
 * (a tree node holding a list of tree nodes) gives a finite structure. */
#define GEN_LIST_DEPTH 4

/* Where a borrowed pointer points: memory no structure owns, read-only so
 * that a Free function that writes through it crashes, and not a heap
 * block, so that one that frees it is caught. */
static const union {
    long double align;
    unsigned char bytes[256];
} borrowed_target;

static void gen_value(void *addr, const shape_type *t, long tag, shape_src *src,
                      const shape_gen_env *env, unsigned depth);

/* Builds the block behind pointer member m with n counted elements plus
 * slack junk elements; NULL when the allocator refuses it. */
static void *gen_block(const shape_type *t, const shape_member *m, size_t n, size_t slack,
                       long tag, shape_src *src, const shape_gen_env *env, unsigned depth)
{
    size_t used = m != NULL ? shape_extent_bytes(m, n) : n * t->size;
    size_t bytes = used + slack * t->size;
    unsigned char *p = env->alloc(bytes, env->user);
    if (p == NULL)
        return NULL;
    memset(p, env->junk, bytes);
    if (t->kind == SHAPE_LEAF) {
        shape_src_fill(src, p, n * t->size);
        if (m != NULL && (m->extent == SHAPE_STRING || m->extent == SHAPE_CSTRING)) {
            /* Contents without a stray terminator, then the terminator. */
            for (size_t i = 0; i < n * t->size; i++)
                p[i] |= 0x01;
            memset(p + n * t->size, 0, t->size);
        }
        return p;
    }
    if (m != NULL && m->extent == SHAPE_LIST)
        n = 1;
    for (size_t i = 0; i < n; i++)
        gen_value(p + i * t->size, t, tag, src, env, depth);
    return p;
}

/* Builds a list of n elements of t behind list head member m, one block
 * each, linked by t's SHAPE_NEXT member with its SHAPE_PREV members set;
 * a refused element ends the list there.  Iterative: n may be large. */
static void *gen_list(const shape_type *t, const shape_member *m, size_t n, shape_src *src,
                      const shape_gen_env *env, unsigned depth)
{
    const shape_member *link = shape_link_member(t);
    unsigned char *head = NULL, *tail = NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char *e = gen_block(t, m, 1, 0, 0, src, env, depth + 1);
        if (e == NULL)
            break;
        for (size_t k = 0; k < t->member_count; k++) {
            const shape_member *b = &t->members[k];
            if (b->kind == SHAPE_M_BACK && (b->flags & SHAPE_F_BACK_PREV))
                memcpy(e + b->offset, &tail, sizeof tail);
        }
        if (tail != NULL && link != NULL)
            memcpy(tail + link->offset, &e, sizeof e);
        else
            head = e;
        tail = e;
        if (link == NULL)
            break;
    }
    for (size_t k = 0; head != NULL && k < t->member_count; k++) {
        const shape_member *b = &t->members[k];
        if (b->kind == SHAPE_M_BACK && (b->flags & SHAPE_F_BACK_WRAP))
            memcpy(head + b->offset, &tail, sizeof tail);
    }
    return head;
}

static void gen_pointer(unsigned char *holder, const shape_member *m, shape_src *src,
                        const shape_gen_env *env, unsigned depth)
{
    unsigned max = limit(m->max, env);
    size_t n = 1, slack = 0;
    bool null = false;
    if (shape_member_borrowed(m, holder)) {
        const void *p = m->type->size <= sizeof borrowed_target.bytes ? &borrowed_target : NULL;
        memcpy(holder + m->offset, &p, sizeof p);
        return;
    }
    if (m->extent == SHAPE_LIST || m->extent == SHAPE_CSTRING) {
        bool list = m->extent == SHAPE_LIST;
        if (list && depth >= GEN_LIST_DEPTH)
            n = 0;
        else
            n = shape_gen_count(m->max, src, env);
        void *p = NULL;
        if (list)
            p = gen_list(m->type, m, n, src, env, depth);
        else if (env->policy == SHAPE_GEN_FULL || shape_src_below(src, 8) != 0)
            p = gen_block(m->type, m, n, shape_src_below(src, 4) == 0 ? 1 : 0, 0, src, env,
                          depth);
        memcpy(holder + m->offset, &p, sizeof p);
        return;
    }
    if (m->extent == SHAPE_ONE) {
        null = env->policy == SHAPE_GEN_RANDOM && shape_src_below(src, 8) == 0;
    } else if (env->policy == SHAPE_GEN_FULL) {
        n = max;
    } else {
        switch (shape_src_below(src, 16)) {
        case 0: /* NULL under a count the caller set but never filled */
            n = max ? 1 + (size_t)shape_src_below(src, max) : 0;
            null = true;
            break;
        case 1: /* count 0 over a non-NULL block: it must be freed all the same */
            n = 0;
            slack = 1 + (size_t)shape_src_below(src, 3);
            break;
        case 2:
            n = max;
            break;
        case 3:
            n = 0;
            null = true;
            break;
        default:
            n = (size_t)shape_src_below(src, (uint64_t)max + 1);
            break;
        }
        if (!null && slack == 0 && shape_src_below(src, 8) == 0)
            slack = 1 + (size_t)shape_src_below(src, 2);
    }
    if (m->extent != SHAPE_ONE)
        shape_write_uint(holder + m->count_offset, m->count_size, n);
    if (m->extent == SHAPE_ELEMS_CAP && m->cap_size != 0) /* the slack is spare capacity */
        shape_write_uint(holder + m->cap_offset, m->cap_size, n + slack);
    void *p = null ? NULL : gen_block(m->type, m, n, slack, 0, src, env, depth);
    memcpy(holder + m->offset, &p, sizeof p);
}

static void gen_value(void *addr, const shape_type *t, long tag, shape_src *src,
                      const shape_gen_env *env, unsigned depth)
{
    unsigned char *at = addr;
    switch (t->kind) {
    case SHAPE_LEAF:
        shape_src_fill(src, at, t->size);
        break;
    case SHAPE_COM: {
        bool fill = env->policy == SHAPE_GEN_FULL || shape_src_below(src, 4) != 0;
        void *obj = fill && env->com != NULL ? env->com(env->user) : NULL;
        memcpy(at, &obj, sizeof obj);
        break;
    }
    case SHAPE_UNION: {
        const shape_member *arm = shape_union_arm(t, tag);
        gen_value(at + arm->offset, arm->type, 0, src, env, depth);
        break;
    }
    case SHAPE_STRUCT:
        /* Scalars first, so that a tag is set before the union it selects
         * and a count is then overwritten by its pointer's choice. */
        for (size_t i = 0; i < t->member_count; i++) {
            const shape_member *m = &t->members[i];
            if (m->kind == SHAPE_M_SCALAR)
                shape_src_fill(src, at + m->offset, m->size);
        }
        for (size_t i = 0; i < t->member_count; i++) {
            const shape_member *m = &t->members[i];
            if (m->kind == SHAPE_M_POINTER) {
                gen_pointer(at, m, src, env, depth);
            } else if (m->kind == SHAPE_M_LINK || m->kind == SHAPE_M_BACK ||
                       m->kind == SHAPE_M_ELEM_OF) {
                /* gen_list links the first two; NULL is a right ELEM_OF */
                memset(at + m->offset, 0, sizeof(void *));
            } else if (m->kind == SHAPE_M_EMBED) {
                long inner = 0;
                if (m->type->kind == SHAPE_UNION && m->count_size)
                    inner = (long)shape_read_uint(at + m->count_offset, m->count_size);
                gen_value(at + m->offset, m->type, inner, src, env, depth);
            }
        }
        break;
    }
}

void *shape_gen(const shape_type *t, size_t count, long tag, shape_src *src,
                const shape_gen_env *env)
{
    return gen_block(t, NULL, count, 0, tag, src, env, 0);
}
