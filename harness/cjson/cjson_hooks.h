/* cJSON's allocations routed to the harness's tracking allocator through
 * cJSON_InitHooks, so that every block cJSON allocates is tracked and can
 * be failed by the fault injector.  cJSON keeps its hooks in a global:
 * install them in a test's init and reset them in its fini. */
#ifndef CJSON_CLIENT_HOOKS_H
#define CJSON_CLIENT_HOOKS_H

/* Points cJSON's malloc/free at memharness_hook_malloc/memharness_hook_free. */
void cjson_hooks_install(void);
/* Gives cJSON back its defaults (malloc, free, realloc). */
void cjson_hooks_reset(void);

#endif
