/* What the jansson checks share: jansson's allocator pointed at memharness's
 * hook seam, the seed documents with their expected printouts, and the
 * sweep scenarios (each one jansson call, then what jansson documents). */
#ifndef JANSSON_CHECK_H
#define JANSSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <memharness.h>

/* One flag set for every printout, so that two printouts compare. */
#define JC_DUMP_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

typedef struct jc_doc {
    const char *name;
    const char *text;
    bool valid;
    char *expected; /* json_dumps of the clean parse (jc_docs_prepare), libc's heap */
} jc_doc;

extern jc_doc jc_docs[];
extern const size_t jc_doc_count;

/* Routes jansson's allocations through memharness_hook_malloc/free; jansson
 * asks for this before any other call (apiref, "Custom Memory Allocation"). */
void jc_hooks_install(void);

/* Computes each valid document's expected printout with no fault armed;
 * false (and a message on stderr) when jansson cannot parse a valid one. */
bool jc_docs_prepare(void);
/* Frees what jc_docs_prepare made. */
void jc_docs_release(void);

/* sweep_scenario functions; arg is a jc_doc (build: ignored). */
void jc_scenario_loads(check_ctx *ctx, void *arg);
void jc_scenario_dumps(check_ctx *ctx, void *arg);
void jc_scenario_build(check_ctx *ctx, void *arg);

/* What jc_scenario_build must print when every call succeeded. */
extern const char jc_build_expected[];

#endif
