/* The failure log (see fault_log_file in fault.h): one entry per injected
 * failure, with its allocating stack symbolised in process (callsite.h), so
 * that a run under MEMHARNESS_FAULTS says which allocations it refused. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <memharness/callsite.h>
#include <memharness/fault.h>
#include "fault_record.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_out;

bool fault_log_file(const char *path, char *err, size_t errlen)
{
    FILE *out = NULL;
    if (path != NULL) {
        out = fopen(path, "a");
        if (out == NULL) {
            snprintf(err, errlen, "'%s': cannot append: %s", path, strerror(errno));
            return false;
        }
    }
    pthread_mutex_lock(&lock);
    if (log_out != NULL)
        fclose(log_out);
    log_out = out;
    pthread_mutex_unlock(&lock);
    return true;
}

void fault_record_failure(const char *mode, uint64_t call, const void *const *stack, unsigned n)
{
    pthread_mutex_lock(&lock);
    if (log_out != NULL) {
        fprintf(log_out, "injected failure: mode %s, allocation %llu\n", mode,
                (unsigned long long)call);
        for (unsigned i = 0; i < n; i++) {
            char where[1024];
            callsite_describe(stack[i], where, sizeof where);
            fprintf(log_out, "  #%u %s\n", i, where);
        }
        fflush(log_out);
    }
    pthread_mutex_unlock(&lock);
}
