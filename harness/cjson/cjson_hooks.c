/* The two adapters between cJSON's hooks and the tracker (cjson_hooks.h). */
#include "cjson_hooks.h"

#include <cJSON.h>

#include "tracker.h"

/* noinline: the call site the tracker records (and site-mode faults key
 * on) is the return address into cJSON, one per allocating spot there. */
__attribute__((noinline)) static void *tracked_malloc(size_t size)
{
    return tracker_alloc(size, __builtin_return_address(0));
}

__attribute__((noinline)) static void tracked_free(void *ptr)
{
    tracker_free(ptr, __builtin_return_address(0));
}

void cjson_hooks_install(void)
{
    cJSON_Hooks hooks = {tracked_malloc, tracked_free};
    cJSON_InitHooks(&hooks);
}

void cjson_hooks_reset(void)
{
    cJSON_InitHooks(NULL);
}
