/* Arms the injector from the environment before main runs, in any program
 * linked with the harness allocator:
 *   NAPUTIL_FAULTS=SPEC         the spec (fault_configure);
 *   NAPUTIL_FAULTS_SITES=PATH   sites failed by earlier runs are loaded and
 *                               every newly failed one appended;
 *   NAPUTIL_FAULTS_LOG=PATH     each injected failure is appended with its
 *                               symbolised stack.
 * A malformed value stops the program: running without the faults the user
 * asked for would be a silent false pass. */
#include <stdio.h>
#include <stdlib.h>

#include <memharness/fault.h>

#include "fault_record.h"

static void stop(const char *variable, const char *err)
{
    fprintf(stderr, "%s: %s\n", variable, err);
    exit(2);
}

__attribute__((constructor)) void fault_env_apply(void)
{
    char err[512];
    const char *spec = getenv("NAPUTIL_FAULTS");
    if (spec != NULL && *spec != '\0' && !fault_configure(spec, err, sizeof err))
        stop("NAPUTIL_FAULTS", err);
    /* After the spec: arming resets the set the file fills. */
    const char *sites = getenv("NAPUTIL_FAULTS_SITES");
    if (sites != NULL && *sites != '\0' && !fault_sites_file(sites, err, sizeof err))
        stop("NAPUTIL_FAULTS_SITES", err);
    const char *log = getenv("NAPUTIL_FAULTS_LOG");
    if (log != NULL && *log != '\0' && !fault_log_file(log, err, sizeof err))
        stop("NAPUTIL_FAULTS_LOG", err);
}
