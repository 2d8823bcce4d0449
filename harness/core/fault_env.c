/* Arms the injector from the environment (fault_env_apply, fault.h):
 *   MEMHARNESS_FAULTS=SPEC        the spec (fault_configure);
 *   MEMHARNESS_FAULTS_SITES=PATH  sites failed by earlier runs are loaded and
 *                                 every newly failed one appended;
 *   MEMHARNESS_FAULTS_LOG=PATH    each injected failure is appended with its
 *                                 symbolised stack
 * (or their aliases, env_var.h).  A malformed value stops the program,
 * naming the variable that was set: running without the faults the user
 * asked for would be a silent false pass.
 *
 * No constructor here: a static link leaves out an archive member nothing
 * refers to, and nothing in the core needs this file, so a constructor here
 * would silently not run.  The seams, whose objects every program that
 * allocates through the harness links, call it from constructors of their
 * own (seams/); a program of its own kind calls it itself. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <memharness/fault.h>

#include "env_var.h"

static void stop(const char *variable, const char *err)
{
    fprintf(stderr, "%s: %s\n", variable, err);
    exit(2);
}

static pthread_once_t applied = PTHREAD_ONCE_INIT;

static void apply(void)
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

void fault_env_apply(void)
{
    /* Once: each seam linked into a program calls it, and a second arming
     * would reset the counters and the sites loaded by the first. */
    pthread_once(&applied, apply);
}
