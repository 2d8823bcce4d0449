/* memharness_env (see env_var.h), and the one warning a run gets when a
 * variable is set under both names to different values. */
#include "env_var.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "MEMHARNESS_"

/* Every variable the core reads, for the start-up check below. */
static const char *const known[] = {
    "FAULTS", "FAULTS_SITES", "FAULTS_LOG", "CALL_TIMEOUT", "PROGRESS_DIR", "REPORT_DIR", "TOOL",
};

/* The value of prefix+suffix; its name in var (when given). */
static const char *lookup(const char *prefix, const char *suffix, char *var, size_t len)
{
    char name[128];
    snprintf(name, sizeof name, "%s%s", prefix, suffix);
    const char *value = getenv(name);
    if (value != NULL && var != NULL)
        snprintf(var, len, "%s", name);
    return value;
}

const char *memharness_env(const char *suffix, char *var, size_t len)
{
    const char *value = lookup(PREFIX, suffix, var, len);
#ifdef MEMHARNESS_ENV_ALIAS
    if (value == NULL)
        value = lookup(MEMHARNESS_ENV_ALIAS, suffix, var, len);
#endif
    return value;
}

/* Once per process, before main, rather than at every read: some are read
 * for every line a report gets. */
__attribute__((constructor)) static void warn_of_conflicts(void)
{
#ifdef MEMHARNESS_ENV_ALIAS
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        const char *ours = lookup(PREFIX, known[i], NULL, 0);
        const char *alias = lookup(MEMHARNESS_ENV_ALIAS, known[i], NULL, 0);
        if (ours != NULL && alias != NULL && strcmp(ours, alias) != 0)
            fprintf(stderr,
                    "memharness: %s%s='%s' and %s%s='%s' differ; using %s%s='%s'\n", PREFIX,
                    known[i], ours, MEMHARNESS_ENV_ALIAS, known[i], alias, PREFIX, known[i],
                    ours);
    }
#else
    (void)known;
#endif
}
