/* Waivers from the environment (see waiver.h), and the stale list at the
 * end of a run.  A run is often several processes (a test runner and its
 * workers, each a fresh exec of the same program): each would call every
 * waiver another one used stale.  So the first process to load the file
 * (the run's root) names itself in MEMHARNESS_WAIVERS_RUN, which its
 * children inherit; a child appends the waivers it matched to the root's
 * pool file at exit, and the root alone lists the waivers that no process
 * matched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <memharness/waiver.h>

#include "waiver_table.h"

#define RUN_VAR "MEMHARNESS_WAIVERS_RUN"

static void pool_path(char *out, size_t len, const char *run)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(out, len, "%s/memharness-waivers-%s.used", tmp && *tmp ? tmp : "/tmp", run);
}

static void child_at_exit(void)
{
    char path[512];
    pool_path(path, sizeof path, getenv(RUN_VAR));
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return; /* then the root lists them stale: said, never hidden */
    waiver_table_write_matched(f);
    fclose(f);
}

static void root_at_exit(void)
{
    char path[512], line[700];
    char run[32];
    snprintf(run, sizeof run, "%ld", (long)getpid());
    pool_path(path, sizeof path, run);
    FILE *f = fopen(path, "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "\n")] = '\0';
            waiver_table_mark(line);
        }
        fclose(f);
        unlink(path);
    }
    waiver_list_stale(waiver_table_report_stream());
}

void waiver_env_apply(void)
{
    const char *var = "MEMHARNESS_WAIVERS";
    const char *path = getenv(var);
    if (path == NULL || *path == '\0') {
        var = "NAPUTIL_WAIVERS";
        path = getenv(var);
    }
    if (path == NULL || *path == '\0')
        return;
    char err[1200];
    if (!waiver_load(path, err, sizeof err)) {
        fprintf(stderr, "%s\n%s: the waiver file is malformed; nothing was run\n", err, var);
        exit(2);
    }
    const char *run = getenv(RUN_VAR);
    if (run != NULL && *run != '\0') {
        atexit(child_at_exit);
        return;
    }
    char self[32], pool[512];
    snprintf(self, sizeof self, "%ld", (long)getpid());
    pool_path(pool, sizeof pool, self);
    unlink(pool); /* an earlier run's file under a reused pid */
    setenv(RUN_VAR, self, 1);
    atexit(root_at_exit);
}
