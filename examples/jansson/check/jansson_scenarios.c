/* The sweep scenarios over jansson (jansson_check.h).  Each says only what
 * jansson's reference documents: NULL or -1 only when an allocation failed
 * (or the document is invalid), a returned tree complete (it prints as the
 * clean run's did), json_dumps's string a block of the custom allocator;
 * that nothing is left live after json_decref is the sweep's own check. */
#include "jansson_check.h"

#include <string.h>

/* Printing a result to compare it is not the call under test: its
 * allocations neither count nor fail. */
static void expect_prints(check_ctx *ctx, const char *fn, const char *name, const json_t *j,
                          const char *expected)
{
    fault_exempt_begin();
    char *out = json_dumps(j, JC_DUMP_FLAGS);
    fault_exempt_end();
    if (out == NULL)
        check_fail(ctx, "%s(%s): the returned value does not print", fn, name);
    else if (strcmp(out, expected) != 0)
        check_fail(ctx, "%s(%s): result: prints as %.200s, expected %.200s", fn, name, out,
                   expected);
    memharness_hook_free(out);
}

void jc_scenario_loads(check_ctx *ctx, void *arg)
{
    const jc_doc *d = arg;
    json_error_t err;
    memset(&err, 0, sizeof err);
    json_t *j = json_loads(d->text, 0, &err);
    if (j == NULL) {
        CHECK(ctx, !d->valid || fault_hits() > 0,
              "json_loads(%s) returned NULL with no allocation failed: %s", d->name, err.text);
        /* "NULL on error, in which case error is filled" (apiref,
         * json_loads), but with what is not promised: 2.14 leaves the text
         * empty when its first allocation fails. */
        CHECK(ctx, d->valid || fault_hits() > 0 || err.text[0] != '\0',
              "json_loads(%s) rejected it with an empty error text", d->name);
        return;
    }
    CHECK(ctx, d->valid, "json_loads(%s) accepted an invalid document", d->name);
    CHECK(ctx, j->refcount == 1, "json_loads(%s): a new reference has refcount %zu", d->name,
          j->refcount);
    if (d->valid)
        expect_prints(ctx, "json_loads", d->name, j, d->expected);
    json_decref(j);
}

void jc_scenario_dumps(check_ctx *ctx, void *arg)
{
    const jc_doc *d = arg;
    fault_exempt_begin();
    json_t *j = json_loads(d->text, 0, NULL);
    fault_exempt_end();
    if (j == NULL) {
        check_fail(ctx, "json_loads(%s) failed with no fault injected", d->name);
        return;
    }
    char *out = json_dumps(j, JC_DUMP_FLAGS);
    if (out == NULL) {
        CHECK(ctx, fault_hits() > 0, "json_dumps(%s) returned NULL with no allocation failed",
              d->name);
    } else {
        /* The caller frees it with the custom free function (apiref,
         * json_dumps): it must be a block of the custom allocator. */
        tracker_block b;
        if (!tracker_lookup(out, &b))
            check_fail(ctx, "json_dumps(%s): the string is not a block of the custom allocator",
                       d->name);
        else if (b.size < strlen(out) + 1)
            check_fail(ctx, "json_dumps(%s): %zu-byte block for %zu characters", d->name, b.size,
                       strlen(out));
        CHECK(ctx, strcmp(out, d->expected) == 0,
              "json_dumps(%s): result: printed %.200s, expected %.200s", d->name, out,
              d->expected);
        memharness_hook_free(out);
    }
    json_decref(j);
}

const char jc_build_expected[] =
    "{\"name\":\"jansson\",\"packed\":{\"inner\":{\"pi\":3.5},\"list\":[\"x\",true,null],\"n\":7},"
    "\"version\":[2,14.5]}";

void jc_scenario_build(check_ctx *ctx, void *arg)
{
    (void)arg;
    json_t *obj = json_object();
    if (obj == NULL) {
        CHECK(ctx, fault_hits() > 0, "json_object() returned NULL with no allocation failed");
        return;
    }
    /* The _new functions steal the value's reference even when they fail,
     * and fail on a NULL value: a failed constructor needs no test here. */
    int failed = 0;
    failed |= json_object_set_new(obj, "name", json_string("jansson")) != 0;
    json_t *version = json_array();
    failed |= json_array_append_new(version, json_integer(2)) != 0;
    failed |= json_array_append_new(version, json_real(14.5)) != 0;
    json_incref(version); /* kept to check it after the object took it */
    bool version_set = json_object_set_new(obj, "version", version) == 0;
    failed |= !version_set;
    json_error_t err;
    json_t *packed = json_pack_ex(&err, 0, "{s:i, s:[s, b, n], s:{s:f}}", "n", 7, "list", "x", 1,
                                  "inner", "pi", 3.5);
    if (packed == NULL)
        CHECK(ctx, fault_hits() > 0, "json_pack returned NULL with no allocation failed: %s",
              err.text);
    failed |= json_object_set_new(obj, "packed", packed) != 0;
    if (version != NULL) {
        /* Set: ours and the object's; not set: the stolen one was dropped. */
        size_t want = version_set ? 2 : 1;
        CHECK(ctx, version->refcount == want,
              "json_object_set_new(version) %s: refcount %zu, expected %zu",
              version_set ? "succeeded" : "failed", version->refcount, want);
        json_decref(version);
    }
    if (failed)
        CHECK(ctx, fault_hits() > 0, "building the object failed with no allocation failed");
    else
        expect_prints(ctx, "json_object_set_new", "built", obj, jc_build_expected);
    json_decref(obj);
}
