/* Call stacks through code without frame pointers (callsite_walk.h): a
 * library built without them, whose allocating function keeps a stale
 * frame record in rbp, allocates from two callers.  Each block's stack must
 * name its real caller, and never the function the stale record names.  A
 * walk that trusts rbp there reports "nofp_lib_alloc <- stale_function". */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include <memharness/hooks.h>
#include <memharness/tracker.h>

#include "memtest.h"
#include "nofp_lib.h"

/* Never called while a block is allocated: a frame naming it is wrong. */
__attribute__((noinline)) void stale_function(void);
__attribute__((noinline)) void stale_function(void)
{
    __asm__ volatile("" ::: "memory");
}

/* The library's allocator; the tracker's and the injector's reset is
 * MEMTEST's. */
static void install(void)
{
    nofp_lib_set(memharness_hook_malloc, (const char *)stale_function + 1);
}

/* The block's stack as text, and its frames one by one. */
static void describe(void *p, tracker_block *b, char *where, size_t len)
{
    cr_assert(tracker_lookup(p, b), "block %p is not tracked", p);
    tracker_describe_stack(b, where, len);
}

static void frame_text(const tracker_block *b, unsigned i, char *buf, size_t len)
{
    cr_assert(i < b->depth, "the stack has %u frame(s), frame %u expected", b->depth, i);
    callsite_describe(b->stack[i], buf, len);
}

/* The test's own frames call in: named in the stack above the library's. */
__attribute__((noinline)) static void *from_test(void *(*via)(size_t), size_t size)
{
    void *p = via(size);
    __asm__ volatile("" : : "r"(p) : "memory");
    return p;
}

MEMTEST(stacks_nofp, each_block_names_its_real_caller_and_no_stale_frame, .init = install)
{
    void *one = from_test(nofp_lib_via_one, 8);
    void *two = from_test(nofp_lib_via_two, 8);
    cr_assert(one != NULL && two != NULL);
    static const char *const callers[] = {"nofp_lib_via_one", "nofp_lib_via_two"};
    void *blocks[] = {one, two};
    for (int i = 0; i < 2; i++) {
        tracker_block b;
        char where[2048], frame[512];
        describe(blocks[i], &b, where, sizeof where);
        cr_expect(strstr(where, "stale_function") == NULL,
                  "block %d's stack names a function not on the stack: %s", i + 1, where);
        frame_text(&b, 0, frame, sizeof frame);
        cr_expect(strstr(frame, "nofp_lib_alloc") != NULL,
                  "block %d: frame 0 should be nofp_lib_alloc, stack %s", i + 1, where);
        frame_text(&b, 1, frame, sizeof frame);
        cr_expect(strstr(frame, callers[i]) != NULL, "block %d: frame 1 should be %s, stack %s",
                  i + 1, callers[i], where);
        frame_text(&b, 2, frame, sizeof frame);
        cr_expect(strstr(frame, "from_test") != NULL,
                  "block %d: frame 2 should be from_test, stack %s", i + 1, where);
    }
    memharness_hook_free(one);
    memharness_hook_free(two);
}

/* The fault injector's site mode tells the two callers apart by the same
 * stacks: with two frames per site, the allocation from nofp_lib_via_two
 * is a site not failed before, although nofp_lib_via_one's failed. */
MEMTEST(stacks_nofp, site_mode_tells_the_two_callers_apart, .init = install)
{
    fault_arm_sites_depth(2);
    cr_expect_null(from_test(nofp_lib_via_one, 8),
                   "the first allocation from nofp_lib_via_one should fail");
    fault_arm_sites_depth(2); /* one failure per arming: a second one */
    void *two = from_test(nofp_lib_via_two, 8);
    cr_expect_null(two, "nofp_lib_via_two's allocation should fail as a site of its own");
    fault_disarm();
    memharness_hook_free(two);
}

/* A block allocated in the program's own code keeps the cheap walk's
 * stack: frame 1 is the test's helper. */
__attribute__((noinline)) static void *in_tree_alloc(void)
{
    void *p = memharness_hook_malloc(8);
    __asm__ volatile("" : : "r"(p) : "memory");
    return p;
}

MEMTEST(stacks_nofp, in_tree_stacks_still_name_their_callers, .init = install)
{
    void *p = in_tree_alloc();
    tracker_block b;
    char where[2048], frame[512];
    describe(p, &b, where, sizeof where);
    frame_text(&b, 0, frame, sizeof frame);
    cr_expect(strstr(frame, "in_tree_alloc") != NULL, "frame 0: %s", where);
    frame_text(&b, 1, frame, sizeof frame);
    cr_expect(strstr(frame, "in_tree_stacks_still_name_their_callers") != NULL, "frame 1: %s",
              where);
    memharness_hook_free(p);
}

/* An allocation in the program's own code, called back from the library:
 * the walk names the library's function and climbs no further, since the
 * library's rbp is not its frame. */
__attribute__((noinline)) static void *called_back(size_t size)
{
    void *p = memharness_hook_malloc(size);
    __asm__ volatile("" : : "r"(p) : "memory");
    return p;
}

MEMTEST(stacks_nofp, a_caller_without_frame_pointers_ends_the_stack, .init = install)
{
    void *p = nofp_lib_call_back(called_back, 8);
    tracker_block b;
    char where[2048], frame[512];
    describe(p, &b, where, sizeof where);
    cr_expect(strstr(where, "stale_function") == NULL,
              "the stack names a function not on the stack: %s", where);
    frame_text(&b, 0, frame, sizeof frame);
    cr_expect(strstr(frame, "called_back") != NULL, "frame 0: %s", where);
    frame_text(&b, 1, frame, sizeof frame);
    cr_expect(strstr(frame, "nofp_lib_call_back") != NULL, "frame 1: %s", where);
    memharness_hook_free(p);
}
