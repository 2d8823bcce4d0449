/* cJSON's hooks pointed at memharness's hook seam (cjson_hooks.h). */
#include "cjson_hooks.h"

#include <cJSON.h>

#include <memharness/hooks.h>

void cjson_hooks_install(void)
{
    cJSON_Hooks hooks = {memharness_hook_malloc, memharness_hook_free};
    cJSON_InitHooks(&hooks);
}

void cjson_hooks_reset(void)
{
    cJSON_InitHooks(NULL);
}
