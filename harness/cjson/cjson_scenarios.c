/* cJSON scenarios (cjson_scenarios.h). */
#include "cjson_scenarios.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cjson_types.h"
#include <memharness/fault.h>
#include <memharness/shape_check.h>
#include <memharness/tracker.h>

static char long_string[2100];
static char long_array[4100];

cjson_doc cjson_docs[] = {
    {"nested", "{\"name\":\"cJSON\",\"version\":[1,7,15],\"deep\":{\"a\":{\"b\":{\"c\":"
               "[true,false,null,{\"d\":[[],{}]}]}}},\"empty\":\"\"}", true, NULL},
    {"arrays", "[[[[[[1]]]]],[],{},[\"x\",[\"y\",[\"z\"]]]]", true, NULL},
    {"escapes", "[\"tab\\there\",\"quote\\\"q\",\"back\\\\slash\",\"\\/\",\"\\b\\f\\n\\r\\t\"]",
     true, NULL},
    {"unicode", "{\"\\u00e9t\\u00e9\":\"\\u4e2d\\u6587\",\"emoji\":\"\\ud83d\\ude00\","
                "\"raw\":\"caf\xc3\xa9\"}", true, NULL},
    {"numbers", "[0,-0,1e308,-1.5e-7,123456789012,3.14159,1E+2,-42,0.1]", true, NULL},
    {"keys", "{\"a\":1,\"a\":2,\"b\":{\"c\":\"d\",\"e\":[1,{\"f\":null}]}}", true, NULL},
    {"long_string", long_string, true, NULL},
    {"long_array", long_array, true, NULL},
    {"truncated", "{\"a\":[1,2,{\"b\":\"c", false, NULL},
    {"bad_escape", "[\"ok\",\"\\u12\"]", false, NULL},
    {"trailing_comma", "{\"a\":1,}", false, NULL},
};
const size_t cjson_doc_count = sizeof cjson_docs / sizeof cjson_docs[0];

bool cjson_docs_prepare(void)
{
    /* A string longer than cJSON's 256-byte print buffer, with escapes,
     * and an array of 1,000 small items. */
    size_t n = 0;
    long_string[n++] = '"';
    for (int i = 0; i < 1000; i++) {
        const char *piece = i % 100 == 99 ? "\\n" : "ab";
        memcpy(long_string + n, piece, 2);
        n += 2;
    }
    long_string[n++] = '"';
    long_string[n] = '\0';
    n = 0;
    long_array[n++] = '[';
    for (int i = 0; i < 1000; i++) {
        memcpy(long_array + n, i ? ",[7]" : "[7]", i ? 4 : 3);
        n += i ? 4 : 3;
    }
    long_array[n++] = ']';
    long_array[n] = '\0';

    fault_reset();
    for (size_t i = 0; i < cjson_doc_count; i++) {
        cjson_doc *d = &cjson_docs[i];
        if (!d->valid)
            continue;
        cJSON *j = cJSON_Parse(d->text);
        char *out = j ? cJSON_PrintUnformatted(j) : NULL;
        d->expected = out ? strdup(out) : NULL;
        cJSON_free(out);
        cJSON_Delete(j);
        if (d->expected == NULL)
            return false;
    }
    tracker_reset();
    return true;
}

void cjson_docs_release(void)
{
    for (size_t i = 0; i < cjson_doc_count; i++) {
        free(cjson_docs[i].expected);
        cjson_docs[i].expected = NULL;
    }
}

void cjson_checked_delete(check_ctx *ctx, void *item)
{
    shape_root r = {NULL, &cjson_type_item, item, 1, 0};
    shape_free_check fc;
    shape_free_begin(&fc, &r, NULL);
    cJSON_Delete(item);
    shape_free_end(&fc, ctx, "cJSON_Delete");
}

/* A tree the call returned: exactly the call's blocks, each owned once,
 * back pointers inside it, strings terminated within their blocks. */
static void expect_tree(check_ctx *ctx, const char *fn, cJSON *item, uint64_t seq_before)
{
    shape_root r = {NULL, &cjson_type_item, item, 1, 0};
    shape_check_alloc(ctx, fn, &r, seq_before);
}

/* The tree prints as the clean run's did: a tree returned after an
 * allocation failed is complete, not silently missing what failed.  The
 * printing itself is exempt from faults: it is not the call under test. */
static void expect_prints_as(check_ctx *ctx, const char *fn, const cjson_doc *d, cJSON *item)
{
    fault_exempt_begin();
    char *out = cJSON_PrintUnformatted(item);
    fault_exempt_end();
    if (out == NULL)
        check_fail(ctx, "%s(%s): the returned tree does not print", fn, d->name);
    else if (d->expected != NULL && strcmp(out, d->expected) != 0)
        check_fail(ctx, "%s(%s): the returned tree prints as %.80s, expected %.80s", fn,
                   d->name, out, d->expected);
    cJSON_free(out);
}

/* The document parsed outside the sweep's count (its allocations neither
 * count nor fail), as the argument of the call under test. */
static cJSON *parse_exempt(check_ctx *ctx, const cjson_doc *d)
{
    fault_exempt_begin();
    cJSON *j = cJSON_Parse(d->text);
    fault_exempt_end();
    if (j == NULL)
        check_fail(ctx, "cJSON_Parse(%s) failed with no fault injected", d->name);
    return j;
}

void cjson_scenario_parse(check_ctx *ctx, void *arg)
{
    const cjson_doc *d = arg;
    uint64_t seq = tracker_next_seq();
    cJSON *j = cJSON_Parse(d->text);
    if (j == NULL) {
        CHECK(ctx, !d->valid || fault_hits() > 0,
              "cJSON_Parse(%s) returned NULL with no allocation failed", d->name);
        return;
    }
    CHECK(ctx, d->valid, "cJSON_Parse(%s) accepted an invalid document", d->name);
    expect_tree(ctx, "cJSON_Parse", j, seq);
    expect_prints_as(ctx, "cJSON_Parse", d, j);
    cjson_checked_delete(ctx, j);
}

static void duplicate(check_ctx *ctx, const cjson_doc *d, bool recurse)
{
    const char *fn = recurse ? "cJSON_Duplicate(recurse=true)" : "cJSON_Duplicate(recurse=false)";
    cJSON *orig = parse_exempt(ctx, d);
    if (orig == NULL)
        return;
    uint64_t seq = tracker_next_seq();
    cJSON *dup = cJSON_Duplicate(orig, recurse);
    if (dup == NULL) {
        CHECK(ctx, fault_hits() > 0, "%s(%s) returned NULL with no allocation failed", fn,
              d->name);
    } else {
        expect_tree(ctx, fn, dup, seq);
        if (recurse) {
            expect_prints_as(ctx, fn, d, dup);
        } else {
            CHECK(ctx, dup->child == NULL && dup->type == orig->type,
                  "%s(%s): the copy has type %d and child %p, expected type %d and no child", fn,
                  d->name, dup->type, (void *)dup->child, orig->type);
        }
        cjson_checked_delete(ctx, dup);
    }
    cJSON_Delete(orig);
}

void cjson_scenario_duplicate(check_ctx *ctx, void *arg)
{
    duplicate(ctx, arg, true);
}

void cjson_scenario_duplicate_shallow(check_ctx *ctx, void *arg)
{
    duplicate(ctx, arg, false);
}

void cjson_scenario_print(check_ctx *ctx, void *arg)
{
    const cjson_doc *d = arg;
    cJSON *j = parse_exempt(ctx, d);
    if (j == NULL)
        return;
    char *out = cJSON_PrintUnformatted(j);
    if (out == NULL) {
        CHECK(ctx, fault_hits() > 0,
              "cJSON_PrintUnformatted(%s) returned NULL with no allocation failed", d->name);
    } else {
        tracker_block b;
        if (!tracker_lookup(out, &b))
            check_fail(ctx, "cJSON_PrintUnformatted(%s): the result is not a live block", d->name);
        else if (b.size < strlen(out) + 1)
            check_fail(ctx, "cJSON_PrintUnformatted(%s): %zu-byte block for %zu characters",
                       d->name, b.size, strlen(out));
        if (strcmp(out, d->expected) != 0)
            check_fail(ctx, "cJSON_PrintUnformatted(%s) printed %.80s, expected %.80s", d->name,
                       out, d->expected);
        cJSON_free(out);
    }
    cJSON_Delete(j);
}
