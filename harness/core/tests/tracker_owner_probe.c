/* The tracker's fast path handed between threads while they all allocate
 * (suite 'threads'; under ThreadSanitizer in the tsan configuration).  Each
 * thread keeps a few blocks filled with its own byte and checks them before
 * it frees them, and every so often makes the fast path's owner undecided
 * again, so that ownership is granted and revoked many times while the
 * other threads run.  A revocation that let two threads into the tracker's
 * state at once shows as another thread's bytes, a misuse the tracker
 * records, a count that does not add up, a crash, or a ThreadSanitizer
 * report.  Exits 1, saying which, when anything is wrong; the counts of
 * grants and revocations show that the hand-over really happened.
 * Usage: tracker_owner_probe [THREADS [ROUNDS]]. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memharness/tracker.h>

#include "tracker_owner.h"

enum { MAX_THREADS = 16, KEPT = 8, MAX_SIZE = 300 };

typedef struct worker {
    unsigned id;
    unsigned rounds;
    unsigned long failures; /* blocks refused or found with foreign bytes */
} worker;

static unsigned char fill_of(const worker *w, unsigned slot)
{
    return (unsigned char)(1 + w->id * KEPT + slot);
}

/* Checks a kept block's bytes, then frees it. */
static void check_and_free(worker *w, unsigned slot, unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != fill_of(w, slot)) {
            w->failures++;
            break;
        }
    }
    tracker_free(p, NULL);
}

static void *work(void *arg)
{
    worker *w = arg;
    unsigned char *kept[KEPT] = {0};
    size_t size[KEPT] = {0};
    for (unsigned r = 0; r < w->rounds; r++) {
        unsigned slot = r % KEPT;
        if (kept[slot] != NULL)
            check_and_free(w, slot, kept[slot], size[slot]);
        size[slot] = 1 + (r * 7u + w->id * 13u) % MAX_SIZE;
        kept[slot] = tracker_alloc(size[slot], NULL);
        if (kept[slot] == NULL) {
            w->failures++;
            continue;
        }
        memset(kept[slot], fill_of(w, slot), size[slot]);
        if (r % 16 == w->id % 16) /* the next call decides the owner again */
            tracker_set_features(TRACKER_FEATURE_ALL);
    }
    for (unsigned slot = 0; slot < KEPT; slot++)
        if (kept[slot] != NULL)
            check_and_free(w, slot, kept[slot], size[slot]);
    return NULL;
}

/* Takes the fast path (a fresh decision, then an allocation) and exits
 * owning it; the mark it owned with is handed back. */
static void *own_and_exit(void *arg)
{
    tracker_set_features(TRACKER_FEATURE_ALL);
    tracker_free(tracker_alloc(8, NULL), NULL);
    *(uintptr_t *)arg = owner_mark();
    return NULL;
}

static unsigned arg_or(int argc, char **argv, int i, unsigned fallback, unsigned max)
{
    if (argc <= i)
        return fallback;
    char *end;
    unsigned long v = strtoul(argv[i], &end, 10);
    if (*end != '\0' || v == 0 || v > max) {
        fprintf(stderr, "tracker_owner_probe: argument %d must be 1..%u\n", i, max);
        exit(2);
    }
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    unsigned threads = arg_or(argc, argv, 1, 4, MAX_THREADS);
    unsigned rounds = arg_or(argc, argv, 2, 100000, 10000000);
    tracker_reset();
    worker workers[MAX_THREADS];
    pthread_t ids[MAX_THREADS];
    /* The main thread works first, alone, so that it owns the fast path
     * when the others start and must take it from it. */
    workers[0] = (worker){.id = 0, .rounds = rounds};
    work(&workers[0]);
    for (unsigned i = 1; i < threads; i++) {
        workers[i] = (worker){.id = i, .rounds = rounds};
        if (pthread_create(&ids[i], NULL, work, &workers[i]) != 0) {
            fprintf(stderr, "tracker_owner_probe: pthread_create failed\n");
            return 2;
        }
    }
    work(&workers[0]);
    unsigned long failures = 0;
    for (unsigned i = 1; i < threads; i++) {
        pthread_join(ids[i], NULL);
        failures += workers[i].failures;
    }
    failures += workers[0].failures;
    /* A thread that exits owning the fast path must give it up: a revoker
     * would otherwise wait on a flag that went with the thread. */
    uintptr_t exited_mark = 0;
    pthread_t last;
    if (pthread_create(&last, NULL, own_and_exit, &exited_mark) != 0 ||
        pthread_join(last, NULL) != 0) {
        fprintf(stderr, "tracker_owner_probe: the last thread did not run\n");
        return 2;
    }
    uintptr_t gate_after_exit = atomic_load(&owner_gate) & ~OWNER_ALONE;

    int bad = 0;
    unsigned long grants = atomic_load(&owner_grants);
    unsigned long revocations = atomic_load(&owner_revocations);
    printf("tracker_owner_probe: %u threads x %u rounds; fast path granted %lu times, revoked "
           "%lu times\n",
           threads, rounds, grants, revocations);
    if (exited_mark != 0 && gate_after_exit == exited_mark) {
        printf("FAIL: a thread that exited still owns the fast path\n");
        bad = 1;
    }
    if (failures != 0) {
        printf("FAIL: %lu blocks refused or holding another block's bytes\n", failures);
        bad = 1;
    }
    if (tracker_error_count() != 0) {
        printf("FAIL: the tracker recorded %zu misuse(s): %s\n", tracker_error_count(),
               tracker_error_text(0));
        bad = 1;
    }
    if (tracker_live_count() != 0 || tracker_alloc_total() != tracker_free_total()) {
        printf("FAIL: %zu block(s) still live; %llu allocated, %llu freed\n",
               tracker_live_count(), (unsigned long long)tracker_alloc_total(),
               (unsigned long long)tracker_free_total());
        bad = 1;
    }
    /* Outside memory tools the hand-over must have happened, or this probe
     * proved nothing (under them the fast path stays closed). */
    if (tracker_guards_enabled() && threads > 1 && (grants < 2 || revocations < 1)) {
        printf("FAIL: the fast path was never handed from one thread to another\n");
        bad = 1;
    }
    return bad;
}
