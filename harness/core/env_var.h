/* memharness's environment variables: MEMHARNESS_<NAME>, also read under
 * the older prefix a build names (MEMHARNESS_ENV_ALIAS, set by the project
 * that builds the core, whose own tools may still set those names). */
#ifndef HARNESS_ENV_VAR_H
#define HARNESS_ENV_VAR_H

#include <stddef.h>

/* The value of MEMHARNESS_<suffix>, else of its alias, or NULL when neither
 * is set; when var is not NULL it receives the full name of the variable
 * the value came from, for messages. */
const char *memharness_env(const char *suffix, char *var, size_t len);

#endif
