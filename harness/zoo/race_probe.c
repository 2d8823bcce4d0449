/* A plain program (no Criterion, no tracking allocator) that calls the
 * Alloc/Free pairs of one implementation from two threads at once, each
 * thread on its own objects.  The contract allows that (no shared state),
 * so under Valgrind's Helgrind any race it reports is the implementation's:
 * the zoo runner runs it as "helgrind".  It is linked with lib's default
 * CoTaskMem* (over the C allocator) so that the tool sees ordinary heap
 * blocks and no harness locks hide a race.  It also compares every copy,
 * so a race that corrupts data fails even without the tool. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "naputil.h"

enum { ROUNDS = 40, UNITS = 64 };

typedef struct probe_thread {
    WCHAR fill;   /* every unit of this thread's strings */
    int failures; /* wrong results seen by this thread */
} probe_thread;

static void *hammer(void *arg)
{
    probe_thread *t = arg;
    WCHAR src[UNITS + 1];
    for (unsigned i = 0; i < UNITS; i++)
        src[i] = t->fill;
    src[UNITS] = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
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

/* Exit status 0 when both threads saw only correct results, 1 otherwise. */
int main(void)
{
    probe_thread threads[2] = {{0x0041, 0}, {0x00E9, 0}};
    pthread_t ids[2];
    for (unsigned i = 0; i < 2; i++) {
        if (pthread_create(&ids[i], NULL, hammer, &threads[i]) != 0) {
            fprintf(stderr, "race_probe: cannot start a thread\n");
            return 2;
        }
    }
    int failures = 0;
    for (unsigned i = 0; i < 2; i++) {
        pthread_join(ids[i], NULL);
        failures += threads[i].failures;
    }
    if (failures > 0) {
        fprintf(stderr, "race_probe: %d wrong result(s) from concurrent calls\n", failures);
        return 1;
    }
    return 0;
}
