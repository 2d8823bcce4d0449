/* libFuzzer target `cjson_parse`: cJSON_Parse of arbitrary bytes under a
 * fault schedule, then, for a tree it returns, the shape checker,
 * cJSON_PrintUnformatted, cJSON_Duplicate and a checked cJSON_Delete.
 *
 * Input: [0] fault schedule: bits 0-1 mode (1 transient, 2 persistent,
 * 0 and 3 none), bits 2-7 the allocation k-1 (k = 1..64) that fails first;
 * [1..] the document (a NUL is appended; an embedded NUL ends it early).
 * Any violation prints the report and aborts, which libFuzzer saves as a
 * crash and the replay test (fuzz/replay_main.c) reports as a failure. */
#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cjson_hooks.h"
#include "cjson_scenarios.h"
#include "cjson_types.h"
#include <memharness/fault.h>
#include <memharness/shape_check.h>
#include <memharness/tracker.h>
#include <memharness/tracker_check.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the tree, prints it and duplicates it with injection off (the
 * fault belonged to the parse), then deletes both under the Free check. */
static void check_tree(check_ctx *ctx, cJSON *j, uint64_t seq)
{
    shape_root r = {NULL, &cjson_type_item, j, 1, 0};
    shape_check_alloc(ctx, "cJSON_Parse", &r, seq);
    if (!check_ok(ctx))
        return; /* a tree of the wrong shape is not handed to cJSON again */
    char *out = cJSON_PrintUnformatted(j);
    CHECK(ctx, out != NULL, "cJSON_PrintUnformatted of a parsed tree returned NULL");
    cJSON_free(out);
    uint64_t dseq = tracker_next_seq();
    cJSON *dup = cJSON_Duplicate(j, 1);
    if (dup == NULL) {
        check_fail(ctx, "cJSON_Duplicate of a parsed tree returned NULL");
    } else {
        shape_root d = {NULL, &cjson_type_item, dup, 1, 0};
        shape_check_alloc(ctx, "cJSON_Duplicate", &d, dseq);
        cjson_checked_delete(ctx, dup);
    }
    cjson_checked_delete(ctx, j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t sched = size > 0 ? data[0] : 0;
    fault_mode mode = (sched & 3u) == 1 ? FAULT_TRANSIENT
                      : (sched & 3u) == 2 ? FAULT_PERSISTENT
                                          : FAULT_OFF;
    uint64_t k = 1u + (sched >> 2);
    size_t len = size > 0 ? size - 1 : 0;
    /* Plain malloc: the input copy is the harness's, not cJSON's. */
    char *text = malloc(len + 1);
    if (text == NULL)
        return 0;
    if (len > 0)
        memcpy(text, data + 1, len);
    text[len] = '\0';

    cjson_hooks_install();
    fault_reset();
    tracker_reset();
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    if (mode != FAULT_OFF)
        fault_arm(mode, k);
    uint64_t seq = tracker_next_seq();
    cJSON *j = cJSON_Parse(text);
    fault_disarm();
    if (j != NULL)
        check_tree(&ctx, j, seq);
    tracker_check_clean(&ctx);
    if (!check_ok(&ctx)) {
        fprintf(stderr, "\n==== cJSON violation(s) (%u) parsing %zu bytes [%s fault at %llu]:\n%s\n",
                ctx.failures, len, fault_mode_name(mode), (unsigned long long)k, ctx.message);
        fflush(stderr);
        abort();
    }
    tracker_reset();
    free(text);
    return 0;
}
