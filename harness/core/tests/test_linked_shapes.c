/* Self-tests of the shape engine's linked-data descriptions: owned list
 * heads and next links, non-owning back pointers, pointers a flag member
 * marks as borrowed, NUL-terminated strings.  A toy tree of named nodes
 * (the shape of cJSON, of a DOM, of a parse tree) is built correct, then
 * with one planted bug at a time; each rule must name its bug.  Also: a
 * 100,000-element list is walked and checked (the walker keeps its own
 * stack), and generated trees pass the checker around a correct Free. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <memharness/check.h>
#include <memharness/fault.h>
#include <memharness/shape_check.h>
#include <memharness/shape_gen.h>
#include <memharness/tracker.h>
#include "checker_report_expect.h"
#include "shape_toy_blocks.h"
#include "memtest.h"

typedef struct node {
    struct node *next;
    struct node *prev;
    struct node *child;
    unsigned flags;
    char *name;
    int value;
} node;

#define NODE_BORROWED_CHILD 1u /* child belongs to someone else */
#define NODE_CONST_NAME 2u     /* name is a string literal */

static const shape_type t_char = SHAPE_LEAF_TYPE(char);
static const shape_type t_node;
static const shape_member node_m[] = {
    SHAPE_NEXT(node, next, t_node),
    SHAPE_PREV(node, prev, t_node, 0),
    SHAPE_LIST_UNLESS(node, child, t_node, 4, flags, NODE_BORROWED_CHILD),
    SHAPE_VALUE(node, flags),
    SHAPE_CSTR_UNLESS(node, name, t_char, 16, flags, NODE_CONST_NAME),
    SHAPE_VALUE(node, value),
};
static const shape_type t_node = SHAPE_TYPE(node, node_m);

/* Appends a new node named name to *head's list, prev set like cJSON's
 * siblings (the first element's prev NULL in this toy). */
static node *append(node **head, const char *name, int value)
{
    node *n = blk(sizeof *n);
    n->name = name ? str(name) : NULL;
    n->value = value;
    node *last = *head;
    while (last != NULL && last->next != NULL)
        last = last->next;
    if (last == NULL)
        *head = n;
    else {
        last->next = n;
        n->prev = last;
    }
    return n;
}

/* Someone else's node that the tree borrows; allocated before the tree. */
static node *toy_foreign;

/* root "root" -> child list a(1), bb(2), ccc(3); bb has children x, y; a's
 * name is a literal (const); ccc borrows toy_foreign as its child. */
static node *toy_build(void)
{
    node *root = NULL;
    append(&root, "root", 0);
    node *a = append(&root->child, NULL, 1);
    a->name = (char *)"const";
    a->flags = NODE_CONST_NAME;
    node *bb = append(&root->child, "bb", 2);
    append(&bb->child, "x", 4);
    append(&bb->child, "y", 5);
    node *ccc = append(&root->child, "ccc", 3);
    ccc->flags = NODE_BORROWED_CHILD;
    ccc->child = toy_foreign;
    return root;
}

typedef enum toy_bug {
    TOY_CORRECT,
    TOY_LEAK_STRING,
    TOY_FREE_BORROWED_CHILD,
    TOY_FREE_CONST_NAME,
    TOY_FREE_VIA_BACK,
    TOY_NODE_BEFORE_NAME,
} toy_bug;

/* The toy's Delete, cJSON-style: along next, children first. */
static void toy_delete(node *n, toy_bug bug)
{
    while (n != NULL) {
        node *next = n->next;
        if (n->child != NULL && !(n->flags & NODE_BORROWED_CHILD))
            toy_delete(n->child, bug);
        else if (n->child != NULL && bug == TOY_FREE_BORROWED_CHILD)
            drop(n->child);
        bool own_name = !(n->flags & NODE_CONST_NAME) || bug == TOY_FREE_CONST_NAME;
        if (bug == TOY_LEAK_STRING && n->value == 4)
            own_name = false;
        char *name = n->name;
        if (bug == TOY_FREE_VIA_BACK && n->value == 2)
            drop(n->prev); /* already freed: the list is freed from its head */
        if (bug == TOY_NODE_BEFORE_NAME && n->value == 5) {
            drop(n);
            drop(name);
        } else {
            if (own_name)
                drop(name);
            drop(n);
        }
        n = next;
    }
}

static check_ctx free_report(toy_bug bug)
{
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    toy_foreign = blk(sizeof *toy_foreign);
    node *root = toy_build();
    shape_root r = {"root", &t_node, root, 1, 0};
    shape_free_check fc;
    shape_free_begin(&fc, &r, NULL);
    toy_delete(root, bug);
    shape_free_end(&fc, &ctx, "toy_delete");
    tracker_reset();
    return ctx;
}

static void expect_free_report(toy_bug bug, const char *needle)
{
    expect_checker_report(free_report(bug), "free", (int)bug, needle);
}

MEMTEST(linked_shapes, every_free_rule_for_linked_data_catches_its_bug)
{
    check_ctx ok = free_report(TOY_CORRECT);
    cr_assert(check_ok(&ok), "a correct delete was flagged:\n%s", ok.message);
    expect_free_report(TOY_LEAK_STRING, "toy_delete: root.child[1].child[0].name: leaked");
    expect_free_report(TOY_FREE_BORROWED_CHILD,
                       "root.child[2].child: freed, but the structure does not own it");
    expect_free_report(TOY_FREE_CONST_NAME,
                       "root.child[0].name: freed, but the structure does not own it");
    expect_free_report(TOY_FREE_VIA_BACK, "root.child[0]: freed twice");
    expect_free_report(TOY_NODE_BEFORE_NAME, "root.child[1].child[1].name: freed after "
                                             "root.child[1].child[1], the block holding");
}

typedef enum toy_alloc_bug {
    TOYA_CORRECT,
    TOYA_CYCLE,
    TOYA_SHARED_CHILD,
    TOYA_DANGLING_BACK,
    TOYA_BACK_WRONG_TYPE,
    TOYA_SHORT_STRING,
    TOYA_UNREACHED,
} toy_alloc_bug;

static check_ctx alloc_report(toy_alloc_bug bug)
{
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    toy_foreign = blk(sizeof *toy_foreign);
    uint64_t seq = tracker_next_seq();
    node *root = toy_build();
    node *a = root->child, *bb = a->next, *ccc = bb->next;
    switch (bug) {
    case TOYA_CYCLE:
        ccc->next = a;
        break;
    case TOYA_SHARED_CHILD:
        ccc->flags = 0;
        ccc->child = bb->child;
        break;
    case TOYA_DANGLING_BACK: {
        node *gone = blk(sizeof *gone);
        drop(gone);
        bb->child->next->prev = gone;
        break;
    }
    case TOYA_BACK_WRONG_TYPE:
        ccc->prev = (node *)bb->name;
        break;
    case TOYA_SHORT_STRING:
        bb->name[2] = 'z'; /* "bb" in a 3-byte block: now no NUL inside it */
        break;
    case TOYA_UNREACHED:
        blk(11);
        break;
    default:
        break;
    }
    shape_root r = {"root", &t_node, root, 1, 0};
    shape_check_alloc(&ctx, "toy_parse", &r, seq);
    tracker_reset();
    return ctx;
}

static void expect_alloc_report(toy_alloc_bug bug, const char *needle)
{
    expect_checker_report(alloc_report(bug), "alloc", (int)bug, needle);
}

MEMTEST(linked_shapes, every_alloc_rule_for_linked_data_catches_its_bug)
{
    check_ctx ok = alloc_report(TOYA_CORRECT);
    cr_assert(check_ok(&ok), "a correct tree was flagged:\n%s", ok.message);
    expect_alloc_report(TOYA_CYCLE, "toy_parse: root.child[3] points back at root.child[0] "
                                    "(a cycle of owned pointers)");
    expect_alloc_report(TOYA_SHARED_CHILD,
                        "root.child[1].child[0] and root.child[2].child[0] share one block");
    expect_alloc_report(TOYA_DANGLING_BACK, "root.child[1].child[1].prev = ");
    expect_alloc_report(TOYA_DANGLING_BACK, "points at no block of this structure");
    expect_alloc_report(TOYA_BACK_WRONG_TYPE,
                        "root.child[2].prev points at root.child[1].name, a char, not a node");
    expect_alloc_report(TOYA_SHORT_STRING,
                        "root.child[1].name: no terminating zero within its 3-byte block");
    expect_alloc_report(TOYA_UNREACHED, "(11 bytes) allocated at");
}

/* The walker keeps its own stack: a list far longer than any C stack
 * would allow recursion for is walked, checked, and its cycle found. */
MEMTEST(linked_shapes, a_100000_element_list_is_walked_without_recursion)
{
    enum { N = 100000 };
    uint64_t seq = tracker_next_seq();
    node *root = blk(sizeof *root);
    node *last = NULL;
    for (int i = 0; i < N; i++) {
        node *n = blk(sizeof *n);
        n->value = i;
        n->prev = last;
        if (last == NULL)
            root->child = n;
        else
            last->next = n;
        last = n;
    }
    shape_root r = {"root", &t_node, root, 1, 0};
    check_ctx found;
    check_init(&found, "%s", "");
    shape_check_alloc(&found, "long_list", &r, seq);
    cr_assert(check_ok(&found), "a correct long list was flagged:\n%s", found.message);

    shape_walk w;
    shape_walk_init(&w);
    cr_assert(shape_walk_run(&w, &r, NULL));
    cr_assert_eq(w.count, (size_t)N + 1 + (N - 1), "nodes: %zu", w.count); /* + prevs */
    cr_assert_str_eq(w.nodes[w.count - 2].path, "root.child[99999]");
    shape_walk_free(&w);

    last->next = root->child; /* close the list into a ring */
    check_init(&found, "%s", "");
    shape_check_alloc(&found, "long_list", &r, SHAPE_SEQ_UNKNOWN);
    cr_assert(strstr(found.message, "root.child[100000] points back at root.child[0]") != NULL,
              "the ring was not found:\n%s", found.message);
    last->next = NULL;

    shape_free_check fc;
    shape_free_begin(&fc, &r, NULL);
    toy_delete(root, TOY_CORRECT);
    check_init(&found, "%s", "");
    shape_free_end(&fc, &found, "toy_delete");
    cr_assert(check_ok(&found), "a correct delete of a long list was flagged:\n%s", found.message);
    cr_assert_eq(tracker_live_count(), 0);
}

static void *gen_alloc(size_t size, void *user)
{
    (void)user;
    return tracker_alloc(size, __builtin_return_address(0));
}

/* Generated trees (random and full) are accepted by the checker after
 * they are built, and a correct delete of each passes the Free check; the
 * generator reaches every edge: long and empty lists, nested lists,
 * borrowed children and names, NULL names, prev links. */
MEMTEST(linked_shapes, generated_trees_pass_the_checker_and_reach_every_edge)
{
    unsigned borrowed = 0, nested = 0, empty = 0, null_name = 0, prevs = 0;
    for (unsigned i = 0; i < 400; i++) {
        shape_gen_env env = {gen_alloc, NULL, NULL, i < 390 ? SHAPE_GEN_RANDOM : SHAPE_GEN_FULL,
                             0, 0x5A};
        shape_src src;
        shape_src_seed(&src, 1000 + i);
        uint64_t seq = tracker_next_seq();
        node *root = shape_gen(&t_node, 1, 0, &src, &env);
        cr_assert(root != NULL);
        root->next = NULL; /* a root stands alone */
        root->prev = NULL;
        shape_root r = {"root", &t_node, root, 1, 0};
        check_ctx found;
        check_init(&found, "seed %u", 1000 + i);
        shape_check_alloc(&found, "gen", &r, seq);
        cr_assert(check_ok(&found), "a generated tree was flagged:\n%s", found.message);
        shape_walk w;
        shape_walk_init(&w);
        shape_walk_run(&w, &r, NULL);
        for (size_t k = 0; k < w.count; k++) {
            borrowed += w.nodes[k].kind == SHAPE_NODE_BORROWED;
            prevs += w.nodes[k].kind == SHAPE_NODE_BACK;
            nested += strstr(w.nodes[k].path, "child[1].child[0]") != NULL;
        }
        shape_walk_free(&w);
        empty += root->child == NULL;
        null_name += root->name == NULL;
        shape_free_check fc;
        shape_free_begin(&fc, &r, NULL);
        toy_delete(root, TOY_CORRECT);
        shape_free_end(&fc, &found, "toy_delete");
        cr_assert(check_ok(&found), "a correct delete of a generated tree was flagged:\n%s",
                  found.message);
        cr_assert_eq(tracker_live_count(), 0, "seed %u: blocks left", 1000 + i);
        tracker_reset();
    }
    cr_assert(borrowed > 0 && nested > 0 && empty > 0 && null_name > 0 && prevs > 0,
              "edges: borrowed %u nested %u empty %u null name %u prevs %u", borrowed, nested,
              empty, null_name, prevs);
}
