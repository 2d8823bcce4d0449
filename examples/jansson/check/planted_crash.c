/* Two bugs planted in a caller of jansson, for the check to find: the
 * scenario trusts json_string() to succeed and reads the string it returned
 * (a NULL dereference when that allocation fails, in the middle of the
 * sweep), and when json_array() fails later it returns without releasing
 * the object it built (a leak at a later fault point).  The sweep must name
 * the crash at its point with its stack, go on, and still name the leak. */
#include <stdio.h>

#include "jansson_check.h"

/* The planted reader: no test of json_string_value's NULL.  noinline keeps
 * it a frame of its own in the crash's stack. */
__attribute__((noinline)) static size_t first_char(const json_t *s)
{
    const char *v = json_string_value(s);
    return (size_t)(unsigned char)*v; /* planted: NULL when json_string failed */
}

static void build_planted(check_ctx *ctx, void *arg)
{
    (void)arg;
    json_t *obj = json_object();
    if (obj == NULL) {
        CHECK(ctx, fault_hits() > 0, "json_object() returned NULL with no allocation failed");
        return;
    }
    json_t *name = json_string("jansson");
    size_t c = first_char(name);
    json_object_set_new(obj, "name", name);
    json_t *list = json_array();
    if (list == NULL)
        return; /* planted: obj is not released */
    json_array_append_new(list, json_integer((json_int_t)c));
    json_object_set_new(obj, "list", list);
    json_decref(obj);
}

int main(void)
{
    jc_hooks_install();
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    sweep_result r;
    sweep_run("build_planted", build_planted, NULL, FAULT_TRANSIENT, &ctx, &r);
    fputs(ctx.message, stdout);
    printf("planted_crash: %llu fault points, %llu run(s) ended the process, %u finding(s)\n",
           (unsigned long long)r.points, (unsigned long long)r.ended, ctx.failures);
    return check_ok(&ctx) ? 0 : 1;
}
