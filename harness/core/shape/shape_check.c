/* The heap-shape checker (see shape_check.h). */
#include <memharness/shape_check.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/callsite.h>
#include <memharness/tracker.h>

/* ---- After an Alloc call ------------------------------------------------ */

typedef struct alloc_visit {
    check_ctx *ctx;
    const char *fn;
} alloc_visit;

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

static void visit_scalar(void *user, const char *path, const void *addr, size_t size,
                         bool is_count)
{
    alloc_visit *a = user;
    if (is_count || all_zero(addr, size))
        return;
    check_fail(a->ctx, "%s: %s = 0x%llx, expected 0 (members not set by the call are zero)",
               a->fn, path, shape_read_uint(addr, size));
}

static void visit_leaf(void *user, const char *path, const void *addr, size_t bytes,
                       size_t elem_size, size_t count, bool string)
{
    alloc_visit *a = user;
    const unsigned char *b = addr;
    if (string) {
        size_t end = count * elem_size;
        if (end + elem_size <= bytes && !all_zero(b + end, elem_size))
            check_fail(a->ctx, "%s: %s[%zu]: missing terminating zero", a->fn, path, count);
        return;
    }
    for (size_t i = 0; elem_size && (i + 1) * elem_size <= bytes; i++) {
        if (!all_zero(b + i * elem_size, elem_size)) {
            check_fail(a->ctx, "%s: %s[%zu] is not zero", a->fn, path, i);
            return;
        }
    }
}

static void visit_null(void *user, const char *path, size_t count)
{
    alloc_visit *a = user;
    if (count > 0)
        check_fail(a->ctx, "%s: %s is NULL but its count is %zu", a->fn, path, count);
}

static void report_unreached(check_ctx *ctx, const char *fn, const shape_walk *w,
                             uint64_t seq_before)
{
    size_t n = tracker_live_since(seq_before, NULL, 0);
    if (n == 0)
        return;
    tracker_block *blocks = malloc(n * sizeof *blocks);
    if (blocks == NULL) {
        check_fail(ctx, "%s: out of memory listing live blocks", fn);
        return;
    }
    n = tracker_live_since(seq_before, blocks, n);
    for (size_t i = 0; i < n; i++) {
        if (shape_walk_find(w, blocks[i].ptr) >= 0)
            continue;
        char where[600];
        callsite_describe(blocks[i].site, where, sizeof where);
        check_fail(ctx,
                   "%s: block #%llu (%zu bytes) allocated at %s during the call is not "
                   "reachable from the result (leaked)",
                   fn, (unsigned long long)blocks[i].seq, blocks[i].size, where);
    }
    free(blocks);
}

/* True when node a is on the chain of holders above node b. */
static bool is_ancestor(const shape_walk *w, long a, long b)
{
    for (long p = w->nodes[b].parent; p >= 0; p = w->nodes[p].parent)
        if (p == a)
            return true;
    return false;
}

/* The first BLOCK node whose live block holds p (its start included), or -1. */
static long find_holding(const shape_walk *w, const void *p)
{
    uintptr_t x = (uintptr_t)p;
    for (size_t i = 0; i < w->count; i++) {
        const shape_node *n = &w->nodes[i];
        uintptr_t start = (uintptr_t)n->ptr;
        if (n->kind == SHAPE_NODE_BLOCK && n->live && x >= start && x < start + n->block.size)
            return (long)i;
    }
    return -1;
}

#define BACK_RULE "a back pointer must be NULL or the start of a block of the same structure"

/* A back pointer is NULL (never listed) or the start of a block of its
 * type that the same structure owns. */
static void check_back(check_ctx *ctx, const char *fn, const shape_walk *w, const shape_node *n)
{
    long t = shape_walk_find(w, n->ptr);
    long in = t < 0 ? find_holding(w, n->ptr) : -1;
    if (in >= 0)
        check_fail(ctx, "%s: %s = %p points inside %s at +%zu, not at its start (" BACK_RULE ")",
                   fn, n->path, n->ptr, w->nodes[in].path,
                   (size_t)((const char *)n->ptr - (const char *)w->nodes[in].ptr));
    else if (t < 0)
        check_fail(ctx, "%s: %s = %p points at no block of this structure (" BACK_RULE ")", fn,
                   n->path, n->ptr);
    else if (w->nodes[t].type != n->type)
        check_fail(ctx, "%s: %s points at %s, a %s, not a %s", fn, n->path, w->nodes[t].path,
                   w->nodes[t].type ? w->nodes[t].type->name : "?", n->type->name);
}

/* The BLOCK node of element pointer n's array: its target path taken
 * below each structure enclosing n, innermost first ("a.b[2].cur" looks at
 * "a.b[2].T", then "a.b.T", then "a.T"), so that each element of an array
 * of structures points into its own array; -1 when there is none. */
static long find_target(const shape_walk *w, const shape_node *n)
{
    char prefix[SHAPE_PATH_MAX], want[2 * SHAPE_PATH_MAX];
    if (n->target == NULL)
        return -1;
    snprintf(prefix, sizeof prefix, "%s", n->path);
    for (;;) {
        size_t cut = strlen(prefix);
        while (cut > 0 && prefix[cut] != '.' && prefix[cut] != '[')
            cut--;
        if (cut == 0)
            return -1;
        prefix[cut] = '\0';
        snprintf(want, sizeof want, "%s.%s", prefix, n->target);
        for (size_t i = 0; i < w->count; i++)
            if (w->nodes[i].kind == SHAPE_NODE_BLOCK && strcmp(w->nodes[i].path, want) == 0)
                return (long)i;
    }
}

/* An element pointer is NULL (never listed) or the start of one of the
 * counted elements of its array; each other case is named. */
static void check_elem(check_ctx *ctx, const char *fn, const shape_walk *w, const shape_node *n)
{
    long t = find_target(w, n);
    if (t < 0) {
        check_fail(ctx,
                   "%s: %s = %p, but its array %s is not in this structure (NULL, or no "
                   "block at that path)",
                   fn, n->path, n->ptr, n->target ? n->target : "(none)");
        return;
    }
    const shape_node *a = &w->nodes[t];
    if (a->type != n->type) {
        check_fail(ctx, "%s: %s: described as an element of %s, an array of %s, not of %s", fn,
                   n->path, a->path, a->type ? a->type->name : "?", n->type->name);
        return;
    }
    size_t elem = a->type->size;
    uintptr_t base = (uintptr_t)a->ptr, x = (uintptr_t)n->ptr;
    size_t used = a->elems * elem;
    if (x >= base && x - base < used) {
        size_t off = (size_t)(x - base);
        if (off % elem != 0)
            check_fail(ctx,
                       "%s: %s points into the middle of %s[%zu] (+%zu bytes), not at the "
                       "start of an element",
                       fn, n->path, a->path, off / elem, off % elem);
        return;
    }
    if (x == base + used) {
        check_fail(ctx, "%s: %s points one past the end of %s (its count is %zu)", fn, n->path,
                   a->path, a->elems);
        return;
    }
    long in = find_holding(w, n->ptr);
    if (in == t)
        check_fail(ctx, "%s: %s points into %s at +%zu, past its count of %zu elements", fn,
                   n->path, a->path, (size_t)(x - base), a->elems);
    else if (in >= 0)
        check_fail(ctx, "%s: %s points into %s, another block, not into %s", fn, n->path,
                   w->nodes[in].path, a->path);
    else
        check_fail(ctx,
                   "%s: %s = %p points at no block of this structure (it must be NULL or "
                   "the start of an element of %s)",
                   fn, n->path, n->ptr, a->path);
}

/* An array with a capacity: exactly capacity elements, at least count;
 * without a capacity member, at least count elements. */
static void check_capacity(check_ctx *ctx, const char *fn, const shape_node *n)
{
    size_t elem = n->type->size;
    if (n->has_capacity && n->capacity < n->elems)
        check_fail(ctx, "%s: %s: capacity %zu is less than its count %zu", fn, n->path,
                   n->capacity, n->elems);
    else if (n->has_capacity && n->block.size != n->want_size)
        check_fail(ctx, "%s: %s: wrong size %zu != %zu (capacity %zu elements of %zu bytes)", fn,
                   n->path, n->block.size, n->want_size, n->capacity, elem);
    else if (!n->has_capacity && n->block.size < n->want_size)
        check_fail(ctx,
                   "%s: %s: %zu-byte block is smaller than its count of %zu elements of %zu "
                   "bytes (%zu)",
                   fn, n->path, n->block.size, n->elems, elem, n->want_size);
}

void shape_check_alloc(check_ctx *ctx, const char *fn, const shape_root *root,
                       uint64_t seq_before)
{
    alloc_visit a = {ctx, fn};
    shape_visitor v = {visit_scalar, visit_leaf, visit_null, &a};
    shape_walk w;
    shape_walk_init(&w);
    if (!shape_walk_run(&w, root, &v))
        check_fail(ctx, "%s: out of memory walking the result; checked only in part", fn);
    for (size_t i = 0; i < w.count; i++) {
        const shape_node *n = &w.nodes[i];
        if (n->kind == SHAPE_NODE_COM) {
            check_fail(ctx, "%s: %s = %p, expected a NULL slot", fn, n->path, n->ptr);
            continue;
        }
        if (n->kind == SHAPE_NODE_BORROWED)
            continue; /* not the structure's: any pointer the caller chose */
        if (n->kind == SHAPE_NODE_BACK) {
            check_back(ctx, fn, &w, n);
            continue;
        }
        if (n->kind == SHAPE_NODE_ELEM) {
            check_elem(ctx, fn, &w, n);
            continue;
        }
        if (!n->live) {
            check_fail(ctx, "%s: %s = %p is not a live block of the tracked allocator", fn,
                       n->path, n->ptr);
            continue;
        }
        long first = shape_walk_find(&w, n->ptr);
        if (first >= 0 && first != (long)i) {
            if (is_ancestor(&w, first, (long)i))
                check_fail(ctx, "%s: %s points back at %s (a cycle of owned pointers)", fn,
                           n->path, w.nodes[first].path);
            else
                check_fail(ctx, "%s: %s and %s share one block", fn, w.nodes[first].path,
                           n->path);
            continue;
        }
        if (n->extent == SHAPE_ELEMS_CAP)
            check_capacity(ctx, fn, n);
        else if (n->at_least && n->block.size < n->want_size)
            check_fail(ctx, "%s: %s: no terminating zero within its %zu-byte block", fn,
                       n->path, n->block.size);
        else if (!n->at_least && n->block.size != n->want_size)
            check_fail(ctx, "%s: %s: wrong size %zu != %zu", fn, n->path, n->block.size,
                       n->want_size);
    }
    shape_walk_free(&w);
    if (seq_before != SHAPE_SEQ_UNKNOWN)
        shape_check_created(ctx, fn, root, seq_before);
}

void shape_check_created(check_ctx *ctx, const char *fn, const shape_root *root,
                         uint64_t seq_before)
{
    shape_walk w;
    shape_walk_init(&w);
    if (!shape_walk_run(&w, root, NULL))
        check_fail(ctx, "%s: out of memory walking the result; checked only in part", fn);
    for (size_t i = 0; i < w.count; i++) {
        const shape_node *n = &w.nodes[i];
        if (n->kind == SHAPE_NODE_BLOCK && n->live && n->block.seq < seq_before)
            check_fail(ctx, "%s: %s: block #%llu existed before the call", fn, n->path,
                       (unsigned long long)n->block.seq);
    }
    report_unreached(ctx, fn, &w, seq_before);
    shape_walk_free(&w);
}

/* ---- Around a Free call ------------------------------------------------- */

void shape_free_begin(shape_free_check *fc, const shape_root *root, const shape_com_probe *probe)
{
    shape_walk_init(&fc->walk);
    fc->incomplete = !shape_walk_run(&fc->walk, root, NULL);
    fc->probe = probe;
    fc->before = calloc(fc->walk.count ? fc->walk.count : 1, sizeof *fc->before);
    if (fc->before == NULL)
        fc->incomplete = true;
    for (size_t i = 0; fc->before && i < fc->walk.count; i++) {
        const shape_node *n = &fc->walk.nodes[i];
        if (n->kind == SHAPE_NODE_COM && probe != NULL)
            probe->counts(n->ptr, probe->user, &fc->before[i]);
    }
    fc->seq_before = tracker_next_seq();
    tracker_journal_start();
}

/* Every byte of a pointer equal to the freed-memory poison: the value was
 * read out of a block after that block was freed. */
static bool is_freed_poison(const void *p)
{
    unsigned char b[sizeof p];
    memcpy(b, &p, sizeof p);
    for (size_t i = 0; i < sizeof p; i++)
        if (b[i] != TRACKER_POISON_FREED)
            return false;
    return true;
}

static long find_node(const shape_walk *w, shape_node_kind kind, const void *p)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->nodes[i].kind == kind && w->nodes[i].ptr == p)
            return (long)i;
    return -1;
}

/* The block node whose block contains p (not at its start), or -1. */
static long find_inside(const shape_walk *w, const void *p)
{
    uintptr_t x = (uintptr_t)p;
    for (size_t i = 0; i < w->count; i++) {
        const shape_node *n = &w->nodes[i];
        uintptr_t start = (uintptr_t)n->ptr;
        if (n->kind == SHAPE_NODE_BLOCK && n->live && x > start && x < start + n->block.size)
            return (long)i;
    }
    return -1;
}

static void check_frees(shape_free_check *fc, check_ctx *ctx, const char *fn, long *freed_at)
{
    const shape_walk *w = &fc->walk;
    size_t count;
    const tracker_event *ev = tracker_journal(&count);
    for (size_t e = 0; e < count; e++) {
        if (ev[e].kind == TRACKER_EV_FREE) {
            long hit = shape_walk_find(w, ev[e].block.ptr);
            if (hit >= 0 && !(w->nodes[hit].live && w->nodes[hit].block.seq == ev[e].block.seq))
                hit = -1;
            long borrowed = hit < 0 ? find_node(w, SHAPE_NODE_BORROWED, ev[e].block.ptr) : -1;
            if (borrowed >= 0) {
                check_fail(ctx, "%s: %s: freed, but the structure does not own it (borrowed)",
                           fn, w->nodes[borrowed].path);
            } else if (hit >= 0) {
                if (freed_at[hit] < 0)
                    freed_at[hit] = (long)e;
            } else if (ev[e].block.seq < fc->seq_before) {
                char where[600];
                callsite_describe(ev[e].block.site, where, sizeof where);
                check_fail(ctx,
                           "%s: freed block #%llu (%zu bytes, allocated at %s), which is not "
                           "reachable from the argument",
                           fn, (unsigned long long)ev[e].block.seq, ev[e].block.size, where);
            }
        } else if (ev[e].kind == TRACKER_EV_BAD_FREE) {
            const void *p = ev[e].block.ptr;
            long b = shape_walk_find(w, p);
            long c = find_node(w, SHAPE_NODE_COM, p);
            long r = find_node(w, SHAPE_NODE_BORROWED, p);
            if (b >= 0)
                check_fail(ctx, "%s: %s: freed twice", fn, w->nodes[b].path);
            else if (r >= 0)
                check_fail(ctx, "%s: %s: freed, but the structure does not own it (borrowed)",
                           fn, w->nodes[r].path);
            else if (c >= 0)
                check_fail(ctx, "%s: %s: a COM object passed to CoTaskMemFree (must be released)",
                           fn, w->nodes[c].path);
            else if ((b = find_inside(w, p)) >= 0)
                check_fail(ctx, "%s: freed %s+0x%zx, inside a block (an interior pointer)", fn,
                           w->nodes[b].path,
                           (size_t)((const char *)p - (const char *)w->nodes[b].ptr));
            else if (is_freed_poison(p))
                check_fail(ctx,
                           "%s: freed %p, a pointer read from freed memory (read after free)",
                           fn, p);
            else
                check_fail(ctx, "%s: freed %p, which is neither reachable nor a live block", fn,
                           p);
        }
    }
}

static void check_order_and_leaks(const shape_free_check *fc, check_ctx *ctx, const char *fn,
                                  const long *freed_at)
{
    const shape_walk *w = &fc->walk;
    for (size_t i = 0; i < w->count; i++) {
        const shape_node *n = &w->nodes[i];
        if (n->kind != SHAPE_NODE_BLOCK || !n->live)
            continue;
        if (shape_walk_find(w, n->ptr) != (long)i)
            continue; /* a shared block is judged once, at its first path */
        if (freed_at[i] < 0) {
            check_fail(ctx, "%s: %s: leaked (not freed)", fn, n->path);
            continue;
        }
        long p = n->parent;
        /* A list's next element is not a child: the list may be freed from
         * its head once each link has been read. */
        if (!n->via_link && p >= 0 && freed_at[p] >= 0 && freed_at[i] > freed_at[p])
            check_fail(ctx,
                       "%s: %s: freed after %s, the block holding its pointer (read after free)",
                       fn, n->path, w->nodes[p].path);
    }
}

/* Equal findings on consecutive elements of one array of COM slots, kept
 * so that twenty slots with one bug make one line, not twenty. */
typedef struct com_run {
    char prefix[SHAPE_PATH_MAX]; /* the path before the last "[index]" */
    long first, last;            /* element range; first < 0: no run */
    char head[120];              /* the finding, up to where " each" goes */
    char tail[48];               /* the rest of it */
} com_run;

static void com_run_flush(com_run *r, check_ctx *ctx, const char *fn)
{
    if (r->first < 0)
        return;
    if (r->first == r->last)
        check_fail(ctx, "%s: %s[%ld]: %s%s", fn, r->prefix, r->first, r->head, r->tail);
    else
        check_fail(ctx, "%s: %s[%ld-%ld]: %s each%s", fn, r->prefix, r->first, r->last, r->head,
                   r->tail);
    r->first = -1;
}

/* Adds the finding head+tail on the slot at path; a path that does not end
 * in "[index]" is reported alone. */
static void com_run_add(com_run *r, check_ctx *ctx, const char *fn, const char *path,
                        const char *head, const char *tail)
{
    const char *open = strrchr(path, '[');
    char *end = NULL;
    long index = open != NULL ? strtol(open + 1, &end, 10) : -1;
    if (open == NULL || end == NULL || strcmp(end, "]") != 0 || index < 0) {
        com_run_flush(r, ctx, fn);
        check_fail(ctx, "%s: %s: %s%s", fn, path, head, tail);
        return;
    }
    size_t plen = (size_t)(open - path);
    if (r->first >= 0 && index == r->last + 1 && strlen(r->prefix) == plen &&
        strncmp(r->prefix, path, plen) == 0 && strcmp(r->head, head) == 0 &&
        strcmp(r->tail, tail) == 0) {
        r->last = index;
        return;
    }
    com_run_flush(r, ctx, fn);
    memcpy(r->prefix, path, plen);
    r->prefix[plen] = '\0';
    r->first = r->last = index;
    snprintf(r->head, sizeof r->head, "%s", head);
    snprintf(r->tail, sizeof r->tail, "%s", tail);
}

static const char *times(int n)
{
    return n == 1 ? "time" : "times";
}

/* Each COM object reachable from the argument must be released once per
 * slot holding it, and see no other call; one run of findings per rule. */
static void check_com(const shape_free_check *fc, check_ctx *ctx, const char *fn)
{
    const shape_walk *w = &fc->walk;
    enum { RELEASES, ADDREF, OTHER, UNOBSERVED, RULES };
    com_run runs[RULES];
    for (int k = 0; k < RULES; k++)
        runs[k].first = -1;
    char text[160];
    for (size_t i = 0; i < w->count; i++) {
        const shape_node *n = &w->nodes[i];
        if (n->kind != SHAPE_NODE_COM || find_node(w, SHAPE_NODE_COM, n->ptr) != (long)i)
            continue;
        int appearances = 0;
        for (size_t j = i; j < w->count; j++)
            appearances += w->nodes[j].kind == SHAPE_NODE_COM && w->nodes[j].ptr == n->ptr;
        shape_com_counts now;
        if (fc->probe == NULL || !fc->probe->counts(n->ptr, fc->probe->user, &now)) {
            com_run_add(&runs[UNOBSERVED], ctx, fn, n->path,
                        "a COM object the test cannot observe", "");
            continue;
        }
        const shape_com_counts *was = &fc->before[i];
        int released = now.releases - was->releases;
        if (released != appearances) {
            snprintf(text, sizeof text, "released %d %s", released, times(released));
            char expected[32];
            snprintf(expected, sizeof expected, ", expected %d", appearances);
            com_run_add(&runs[RELEASES], ctx, fn, n->path, text, expected);
        }
        int add_refs = now.add_refs - was->add_refs;
        if (add_refs != 0) {
            snprintf(text, sizeof text, "AddRef called %d %s", add_refs, times(add_refs));
            com_run_add(&runs[ADDREF], ctx, fn, n->path, text, ", expected none");
        }
        int other = now.other_calls - was->other_calls;
        if (other != 0) {
            snprintf(text, sizeof text, "%d call%s of other interface methods", other,
                     other == 1 ? "" : "s");
            com_run_add(&runs[OTHER], ctx, fn, n->path, text, "");
        }
    }
    for (int k = 0; k < RULES; k++)
        com_run_flush(&runs[k], ctx, fn);
}

void shape_free_end(shape_free_check *fc, check_ctx *ctx, const char *fn)
{
    tracker_journal_stop();
    if (fc->incomplete)
        check_fail(ctx, "%s: out of memory walking the argument; checked only in part", fn);
    long *freed_at = malloc((fc->walk.count ? fc->walk.count : 1) * sizeof *freed_at);
    if (freed_at == NULL) {
        check_fail(ctx, "%s: out of memory checking the frees", fn);
    } else {
        for (size_t i = 0; i < fc->walk.count; i++)
            freed_at[i] = -1;
        check_frees(fc, ctx, fn, freed_at);
        check_order_and_leaks(fc, ctx, fn, freed_at);
        if (fc->before != NULL)
            check_com(fc, ctx, fn);
        free(freed_at);
    }
    free(fc->before);
    fc->before = NULL;
    shape_walk_free(&fc->walk);
}
