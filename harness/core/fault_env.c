/* Arms the injector from the environment before main runs, in any program
 * linked with the harness allocator:
 *   MEMHARNESS_FAULTS=SPEC        the spec (fault_configure);
 *   MEMHARNESS_FAULTS_SITES=PATH  sites failed by earlier runs are loaded and
 *                                 every newly failed one appended;
 *   MEMHARNESS_FAULTS_LOG=PATH    each injected failure is appended with its
 *                                 symbolised stack
 * (or their aliases, env_var.h).  A malformed value stops the program,
 * naming the variable that was set: running without the faults the user
 * asked for would be a silent false pass. */
#include <stdio.h>
#include <stdlib.h>

#include <memharness/fault.h>

#include "env_var.h"
#include "fault_record.h"

static void stop(const char *variable, const char *err)
{
    fprintf(stderr, "%s: %s\n", variable, err);
    exit(2);
}

__attribute__((constructor)) void fault_env_apply(void)
{
    char err[512], var[128];
    const char *spec = memharness_env("FAULTS", var, sizeof var);
    if (spec != NULL && *spec != '\0' && !fault_configure(spec, err, sizeof err))
        stop(var, err);
    /* After the spec: arming resets the set the file fills. */
    const char *sites = memharness_env("FAULTS_SITES", var, sizeof var);
    if (sites != NULL && *sites != '\0' && !fault_sites_file(sites, err, sizeof err))
        stop(var, err);
    const char *log = memharness_env("FAULTS_LOG", var, sizeof var);
    if (log != NULL && *log != '\0' && !fault_log_file(log, err, sizeof err))
        stop(var, err);
}
