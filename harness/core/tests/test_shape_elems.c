/* Self-tests of the shape engine's array descriptions beyond "exactly count
 * elements": an array grown by doubling (a capacity member, or none: at
 * least count elements), a non-owning pointer to one element of an owned
 * array (a parser's cursor), and a back pointer's rule (the start of a
 * block of the same structure).  A toy parser is built correct, then with
 * one planted bug at a time; each rule must name its bug.  Each test is a
 * MEMTEST; the two that end with their toy structure still live (it is
 * what the checker inspects) judge only their own findings
 * (memtest_judge_body). */
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

typedef struct tok {
    char *text;
    long kind;
} tok;

typedef struct parser {
    size_t count, capacity;
    tok *toks;            /* grown by doubling: capacity elements, count in use */
    unsigned nspare;
    tok *spare;           /* at least nspare elements; no member says how many */
    tok *cur;             /* NULL or one of toks[0 .. count-1]; not owned */
    struct parser *self;  /* NULL or the parser itself; not owned */
} parser;

static const shape_type t_char = SHAPE_LEAF_TYPE(char);
static const shape_member tok_m[] = {
    SHAPE_CSTR(tok, text, t_char, 16),
    SHAPE_VALUE(tok, kind),
};
static const shape_type t_tok = SHAPE_TYPE(tok, tok_m);
static const shape_type t_parser;
static const shape_member parser_m[] = {
    SHAPE_SCALAR(parser, count),
    SHAPE_SCALAR(parser, capacity),
    SHAPE_ARRAY_CAP(parser, toks, t_tok, count, capacity, 64),
    SHAPE_SCALAR(parser, nspare),
    SHAPE_ARRAY_MIN(parser, spare, t_tok, nspare, 8),
    SHAPE_ELEM_OF(parser, cur, t_tok, "toks"),
    SHAPE_BACK(parser, self, t_parser),
};
static const shape_type t_parser = SHAPE_TYPE(parser, parser_m);


typedef enum parse_bug {
    PB_CORRECT,
    PB_CAP_WRONG_SIZE,
    PB_CAP_BELOW_COUNT,
    PB_MIN_TOO_SMALL,
    PB_CUR_MIDDLE,
    PB_CUR_ONE_PAST,
    PB_CUR_PAST_COUNT,
    PB_CUR_OTHER_BLOCK,
    PB_CUR_NOWHERE,
    PB_SELF_INSIDE,
    PB_SELF_NOWHERE,
} parse_bug;

/* A parser after 10 tokens: toks grew 1, 2, 4, 8, 16 (10 used, 6 spare
 * slots of junk that must not be walked), spare holds 3 in a 5-slot
 * block, cur at toks[3], self at itself. */
static parser *parse(parse_bug bug, void *foreign)
{
    parser *p = blk(sizeof *p);
    p->count = 10;
    p->capacity = bug == PB_CAP_BELOW_COUNT ? 8 : 16;
    size_t slots = bug == PB_CAP_WRONG_SIZE ? 12 : p->capacity;
    p->toks = blk(slots * sizeof(tok));
    memset(p->toks, 0xA5, slots * sizeof(tok)); /* junk past the count */
    size_t filled = p->count < slots ? p->count : slots;
    for (size_t i = 0; i < filled; i++) {
        p->toks[i].text = str(i % 2 ? "x" : "word");
        p->toks[i].kind = (long)i;
    }
    p->nspare = bug == PB_MIN_TOO_SMALL ? 6 : 3;
    p->spare = blk(5 * sizeof(tok));
    memset(p->spare, 0x5A, 5 * sizeof(tok));
    for (size_t i = 0; i < 5 && i < p->nspare; i++) {
        p->spare[i].text = NULL;
        p->spare[i].kind = 0;
    }
    p->cur = &p->toks[3];
    p->self = p;
    switch (bug) {
    case PB_CUR_MIDDLE:
        p->cur = (tok *)((char *)&p->toks[3] + 4);
        break;
    case PB_CUR_ONE_PAST:
        p->cur = &p->toks[10];
        break;
    case PB_CUR_PAST_COUNT:
        p->cur = &p->toks[12];
        break;
    case PB_CUR_OTHER_BLOCK:
        p->cur = &p->spare[1];
        break;
    case PB_CUR_NOWHERE:
        p->cur = foreign;
        break;
    case PB_SELF_INSIDE:
        p->self = (parser *)((char *)p + 8);
        break;
    case PB_SELF_NOWHERE:
        p->self = foreign;
        break;
    default:
        break;
    }
    return p;
}

static void parser_free(parser *p)
{
    for (size_t i = 0; i < p->count && i < p->capacity; i++)
        drop(p->toks[i].text);
    drop(p->toks);
    for (size_t i = 0; p->spare != NULL && i < p->nspare; i++)
        drop(p->spare[i].text);
    drop(p->spare);
    drop(p);
}

static check_ctx alloc_report(parse_bug bug)
{
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    void *foreign = blk(sizeof(tok) * 2);
    uint64_t seq = tracker_next_seq();
    parser *p = parse(bug, foreign);
    shape_root r = {NULL, &t_parser, p, 1, 0};
    shape_check_alloc(&ctx, "parse", &r, seq);
    tracker_reset();
    return ctx;
}

static void expect_alloc_report(parse_bug bug, const char *needle)
{
    expect_checker_report(alloc_report(bug), "alloc", (int)bug, needle);
}

MEMTEST(shape_elems, a_doubling_array_may_hold_more_than_it_counts)
{
    check_ctx ok = alloc_report(PB_CORRECT);
    cr_assert(check_ok(&ok), "a correct parser was flagged:\n%s", ok.message);
    char want[128];
    snprintf(want, sizeof want,
             "parse: parser.toks: wrong size %zu != %zu (capacity 16 elements of %zu bytes)",
             12 * sizeof(tok), 16 * sizeof(tok), sizeof(tok));
    expect_alloc_report(PB_CAP_WRONG_SIZE, want);
    expect_alloc_report(PB_CAP_BELOW_COUNT, "parse: parser.toks: capacity 8 is less than its "
                                            "count 10");
    snprintf(want, sizeof want,
             "parse: parser.spare: %zu-byte block is smaller than its count of 6 elements of "
             "%zu bytes (%zu)",
             5 * sizeof(tok), sizeof(tok), 6 * sizeof(tok));
    expect_alloc_report(PB_MIN_TOO_SMALL, want);
}

/* The users' case: 160 bytes in use in a 256-byte block.  As a plain
 * SHAPE_ARRAY it is the false finding they reported. */
MEMTEST(shape_elems, one_hundred_sixty_bytes_in_a_256_byte_block)
{
    typedef struct buf {
        unsigned used, cap;
        unsigned char *bytes;
    } buf;
    static const shape_type t_byte = SHAPE_LEAF_TYPE(unsigned char);
    static const shape_member cap_m[] = {
        SHAPE_SCALAR(buf, used),
        SHAPE_SCALAR(buf, cap),
        SHAPE_ARRAY_CAP(buf, bytes, t_byte, used, cap, 4096),
    };
    static const shape_member min_m[] = {
        SHAPE_SCALAR(buf, used),
        SHAPE_VALUE(buf, cap),
        SHAPE_ARRAY_MIN(buf, bytes, t_byte, used, 4096),
    };
    static const shape_member exact_m[] = {
        SHAPE_SCALAR(buf, used),
        SHAPE_VALUE(buf, cap),
        SHAPE_ARRAY(buf, bytes, t_byte, used, 4096),
    };
    static const shape_type t_cap = SHAPE_TYPE(buf, cap_m);
    static const shape_type t_min = SHAPE_TYPE(buf, min_m);
    static const shape_type t_exact = SHAPE_TYPE(buf, exact_m);
    const shape_type *types[] = {&t_cap, &t_min, &t_exact};
    for (int k = 0; k < 3; k++) {
        uint64_t seq = tracker_next_seq();
        buf *b = blk(sizeof *b);
        b->used = 160;
        b->cap = 256;
        b->bytes = blk(256); /* unused bytes past 160 are not checked for zero */
        memset(b->bytes + 160, 0xEE, 96);
        shape_root r = {NULL, types[k], b, 1, 0};
        check_ctx found;
        check_init(&found, "%s", "");
        shape_check_alloc(&found, "grow", &r, seq);
        if (k < 2)
            cr_assert(check_ok(&found), "type %d: flagged:\n%s", k, found.message);
        else
            cr_assert(strstr(found.message, "grow: buf.bytes: wrong size 256 != 160") != NULL,
                      "an exact array took a 256-byte block:\n%s", found.message);
        tracker_reset();
    }
}

MEMTEST(shape_elems, an_element_pointer_must_start_a_counted_element)
{
    expect_alloc_report(PB_CUR_MIDDLE, "parse: parser.cur points into the middle of "
                                       "parser.toks[3] (+4 bytes), not at the start of an "
                                       "element");
    expect_alloc_report(PB_CUR_ONE_PAST,
                        "parse: parser.cur points one past the end of parser.toks (its count "
                        "is 10)");
    char want[128];
    snprintf(want, sizeof want, "parse: parser.cur points into parser.toks at +%zu, past its "
             "count of 10 elements", 12 * sizeof(tok));
    expect_alloc_report(PB_CUR_PAST_COUNT, want);
    expect_alloc_report(PB_CUR_OTHER_BLOCK,
                        "parse: parser.cur points into parser.spare, another block, not into "
                        "parser.toks");
    expect_alloc_report(PB_CUR_NOWHERE, "points at no block of this structure (it must be NULL "
                                        "or the start of an element of parser.toks)");
}

MEMTEST(shape_elems, a_back_pointer_must_start_a_block_of_the_structure)
{
    expect_alloc_report(PB_SELF_INSIDE, "parse: parser.self = ");
    expect_alloc_report(PB_SELF_INSIDE, " points inside parser at +8, not at its start (a back "
                                        "pointer must be NULL or the start of a block of the "
                                        "same structure)");
    expect_alloc_report(PB_SELF_NOWHERE, " points at no block of this structure (a back "
                                         "pointer must be NULL or the start of a block of the "
                                         "same structure)");
}

/* A description naming an array that is not there (NULL, or a typo) is
 * said, not taken for a right pointer. */
MEMTEST_JUDGED(shape_elems, an_element_pointer_whose_array_is_absent_is_named,
               memtest_judge_body)
{
    uint64_t seq = tracker_next_seq();
    parser *p = parse(PB_CORRECT, NULL);
    tok *toks = p->toks;
    for (size_t i = 0; i < p->count; i++)
        drop(toks[i].text);
    p->toks = NULL;
    p->count = 0;
    p->capacity = 0;
    drop(toks);
    tok *lone = blk(sizeof *lone);
    p->cur = lone;
    shape_root r = {NULL, &t_parser, p, 1, 0};
    check_ctx found;
    check_init(&found, "%s", "");
    shape_check_alloc(&found, "parse", &r, seq);
    cr_assert(strstr(found.message, "parse: parser.cur = ") != NULL &&
                  strstr(found.message, ", but its array toks is not in this structure") != NULL,
              "%s", found.message);
}

/* In an array of parsers each cursor belongs to its own parser's tokens:
 * the array is looked up from the pointer's struct outwards. */
MEMTEST_JUDGED(shape_elems, each_element_of_an_array_of_structs_points_into_its_own_array,
               memtest_judge_body)
{
    uint64_t seq = tracker_next_seq();
    parser *two = blk(2 * sizeof *two);
    for (int k = 0; k < 2; k++) {
        parser *p = parse(PB_CORRECT, NULL);
        two[k] = *p;
        two[k].self = two; /* the start of the block */
        drop(p);
    }
    two[1].cur = &two[1].toks[2];
    shape_root r = {"ps", &t_parser, two, 2, 0};
    check_ctx found;
    check_init(&found, "%s", "");
    shape_check_alloc(&found, "parse_two", &r, seq);
    cr_assert(check_ok(&found), "cursors into their own arrays were flagged:\n%s", found.message);
    two[1].cur = &two[0].toks[2];
    check_init(&found, "%s", "");
    shape_check_alloc(&found, "parse_two", &r, seq);
    cr_assert(strstr(found.message, "parse_two: ps[1].cur points into ps[0].toks, another block, "
                                  "not into ps[1].toks") != NULL,
              "%s", found.message);
}

static void *gen_alloc(size_t size, void *user)
{
    (void)user;
    return tracker_alloc(size, __builtin_return_address(0));
}

/* The correct parser is freed cleanly under the Free check, and generated
 * parsers (capacity written by the generator, spare slots of junk) pass
 * both checks. */
MEMTEST(shape_elems, correct_and_generated_parsers_pass_both_checks)
{
    parser *p = parse(PB_CORRECT, NULL);
    shape_root r = {NULL, &t_parser, p, 1, 0};
    check_ctx found;
    check_init(&found, "%s", "");
    shape_free_check fc;
    shape_free_begin(&fc, &r, NULL);
    parser_free(p);
    shape_free_end(&fc, &found, "parser_free");
    cr_assert(check_ok(&found), "a correct free was flagged:\n%s", found.message);
    cr_assert_eq(tracker_live_count(), 0);

    unsigned spare_capacity = 0;
    for (unsigned i = 0; i < 200; i++) {
        shape_gen_env env = {gen_alloc, NULL, NULL, i < 190 ? SHAPE_GEN_RANDOM : SHAPE_GEN_FULL,
                             0, 0x5A};
        shape_src src;
        shape_src_seed(&src, 77 + i);
        uint64_t seq = tracker_next_seq();
        parser *g = shape_gen(&t_parser, 1, 0, &src, &env);
        cr_assert(g != NULL);
        spare_capacity += g->toks != NULL && g->capacity > g->count;
        r.ptr = g;
        check_init(&found, "seed %u", 77 + i);
        if (g->toks == NULL || g->spare == NULL) { /* NULL under a count: the Free side only */
            g->count = g->toks == NULL ? 0 : g->count;
            g->nspare = g->spare == NULL ? 0 : g->nspare;
        }
        shape_check_alloc(&found, "gen", &r, seq);
        cr_assert(check_ok(&found), "a generated parser was flagged:\n%s", found.message);
        shape_free_begin(&fc, &r, NULL);
        parser_free(g);
        shape_free_end(&fc, &found, "parser_free");
        cr_assert(check_ok(&found), "a correct free of a generated parser was flagged:\n%s",
                  found.message);
        cr_assert_eq(tracker_live_count(), 0, "seed %u: blocks left", 77 + i);
        tracker_reset();
    }
    cr_assert(spare_capacity > 0, "the generator never left spare capacity");
}
