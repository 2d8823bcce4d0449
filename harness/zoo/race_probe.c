/* A plain program (no Criterion, no tracking allocator) that calls the
 * Alloc/Free pairs of one implementation from several threads at once, each
 * thread on its own objects.  The contract allows that (no shared state),
 * so under Valgrind's Helgrind or ThreadSanitizer any race it reports is the
 * implementation's: the zoo runner runs it as "helgrind" (two threads, the
 * default), make check's 'threads' suite as thread_probe (more threads and
 * rounds, under TSan in the tsan configuration).  It is linked with lib's default
 * CoTaskMem* (over the C allocator) so that the tool sees ordinary heap
 * blocks and no harness locks hide a race.  It also compares every copy,
 * so a race that corrupts data fails even without the tool. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "naputil.h"

enum { DEFAULT_THREADS = 2, DEFAULT_ROUNDS = 40, MAX_THREADS = 16, UNITS = 64 };

typedef struct probe_thread {
    WCHAR fill;        /* every unit of this thread's strings */
    unsigned rounds;   /* Alloc/Free rounds to run */
    int failures;      /* wrong results seen by this thread */
} probe_thread;

static void *hammer(void *arg)
{
    probe_thread *t = arg;
    WCHAR src[UNITS + 1];
    for (unsigned i = 0; i < UNITS; i++)
        src[i] = t->fill;
    src[UNITS] = 0;
    for (unsigned round = 0; round < t->rounds; round++) {
        CountedString *s = NULL;
        if (AllocCountedString(&s, src) != S_OK || s == NULL) {
            t->failures++;
            continue;
        }
        if (s->length != UNITS || memcmp(s->string, src, sizeof src) != 0)
            t->failures++;
        FreeCountedString(s);

        FixupInfo *f = NULL;
        if (AllocFixupInfo(&f, (UINT16)(round % 8)) == S_OK)
            FreeFixupInfo(f);
        else
            t->failures++;

        Connections *c = NULL;
        if (AllocConnections(&c, (UINT16)(round % 4)) == S_OK)
            FreeConnections(c);
        else
            t->failures++;
    }
    return NULL;
}

/* Reads "N" from argv[i] when present, else def; 0 when it is not a count
 * in 1..max. */
static unsigned count_arg(int argc, char **argv, int i, unsigned def, unsigned max)
{
    if (i >= argc)
        return def;
    char *end = NULL;
    unsigned long n = strtoul(argv[i], &end, 10);
    return (*end == '\0' && n >= 1 && n <= max) ? (unsigned)n : 0;
}

/* Usage: race_probe [THREADS [ROUNDS]].  Exit status 0 when every thread
 * saw only correct results, 1 otherwise, 2 on bad arguments. */
int main(int argc, char **argv)
{
    unsigned nthreads = count_arg(argc, argv, 1, DEFAULT_THREADS, MAX_THREADS);
    unsigned rounds = count_arg(argc, argv, 2, DEFAULT_ROUNDS, 1000000);
    if (nthreads == 0 || rounds == 0) {
        fprintf(stderr, "usage: race_probe [THREADS 1..%d [ROUNDS]]\n", MAX_THREADS);
        return 2;
    }
    probe_thread threads[MAX_THREADS];
    pthread_t ids[MAX_THREADS];
    for (unsigned i = 0; i < nthreads; i++) {
        /* Distinct non-zero fills, so that a copy crossing threads shows. */
        threads[i] = (probe_thread){(WCHAR)(0x0041 + 7 * i), rounds, 0};
        if (pthread_create(&ids[i], NULL, hammer, &threads[i]) != 0) {
            fprintf(stderr, "race_probe: cannot start a thread\n");
            return 2;
        }
    }
    int failures = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        pthread_join(ids[i], NULL);
        failures += threads[i].failures;
    }
    if (failures > 0) {
        fprintf(stderr, "race_probe: %d wrong result(s) from concurrent calls\n", failures);
        return 1;
    }
    return 0;
}
