/* Scenarios for the sweep driver over cJSON: one call (Parse, Duplicate,
 * PrintUnformatted) on one seed document, then what cJSON promises: NULL
 * only when an allocation failed (or the document is invalid), otherwise
 * a tree of exactly the call's blocks that prints like the clean run's,
 * and a cJSON_Delete that frees every block exactly once. */
#ifndef CJSON_CLIENT_SCENARIOS_H
#define CJSON_CLIENT_SCENARIOS_H

#include <stdbool.h>
#include <stddef.h>

#include <memharness/check.h>

typedef struct cjson_doc {
    const char *name;
    const char *text;
    bool valid;
    char *expected; /* cJSON_PrintUnformatted of the clean parse (cjson_docs_prepare) */
} cjson_doc;

extern cjson_doc cjson_docs[];
extern const size_t cjson_doc_count;

/* Builds the long documents and each valid document's expected printout
 * (with libc's allocator, outside the tracker); false on failure. */
bool cjson_docs_prepare(void);
/* Frees what cjson_docs_prepare made. */
void cjson_docs_release(void);

/* sweep_scenario functions; arg is a cjson_doc. */
void cjson_scenario_parse(check_ctx *ctx, void *arg);
void cjson_scenario_duplicate(check_ctx *ctx, void *arg);
void cjson_scenario_duplicate_shallow(check_ctx *ctx, void *arg);
void cjson_scenario_print(check_ctx *ctx, void *arg);

/* cJSON_Delete(item) between the shape checker's begin and end: every
 * reachable owned block freed exactly once, nothing borrowed freed. */
void cjson_checked_delete(check_ctx *ctx, void *item);

#endif
