/* The seed documents and their expected printouts (jansson_check.h). */
#include "jansson_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

jc_doc jc_docs[] = {
    {"object", "{\"name\":\"jansson\",\"version\":[2,14],\"ok\":true,\"none\":null,\"e\":\"\"}",
     true, NULL},
    {"arrays", "[1,\"two\",[3,[4,[5]]],{},[],[[],{}]]", true, NULL},
    {"nested", "{\"a\":{\"b\":{\"c\":{\"d\":[{\"e\":\"f\",\"g\":[true,false]}]}}},\"z\":{}}", true,
     NULL},
    {"escapes", "[\"tab\\there\",\"quote\\\"q\",\"\\u00e9t\\u00e9\",\"\\ud83d\\ude00\","
                "\"\\/\\b\\f\\n\\r\",\"caf\xc3\xa9\"]", true, NULL},
    {"numbers", "[0,-0,1e308,-1.5e-7,123456789012,3.14159,-42,9223372036854775807,0.1]", true,
     NULL},
    {"truncated", "{\"a\":[1,2,{\"b\":\"c", false, NULL},
    {"bad_escape", "[\"ok\",\"\\u12\"]", false, NULL},
};
const size_t jc_doc_count = sizeof jc_docs / sizeof jc_docs[0];

void jc_hooks_install(void)
{
    json_set_alloc_funcs(memharness_hook_malloc, memharness_hook_free);
}

bool jc_docs_prepare(void)
{
    fault_reset();
    for (size_t i = 0; i < jc_doc_count; i++) {
        jc_doc *d = &jc_docs[i];
        if (!d->valid)
            continue;
        json_error_t err;
        json_t *j = json_loads(d->text, 0, &err);
        char *out = j ? json_dumps(j, JC_DUMP_FLAGS) : NULL;
        d->expected = out ? strdup(out) : NULL;
        memharness_hook_free(out);
        json_decref(j);
        if (d->expected == NULL) {
            fprintf(stderr, "jansson_check: %s: cannot load and print with no fault: %s\n",
                    d->name, j ? "json_dumps failed" : err.text);
            return false;
        }
    }
    tracker_reset();
    return true;
}

void jc_docs_release(void)
{
    for (size_t i = 0; i < jc_doc_count; i++) {
        free(jc_docs[i].expected);
        jc_docs[i].expected = NULL;
    }
}
