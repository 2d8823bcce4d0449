/* Who hears of each injected failure as it happens, inside the process
 * that made it: the sweep's supervised child (sweep_child.c) tells its
 * parent that the fault was hit, and which call site it failed, so that the
 * parent still knows both after the child crashed on that failure.
 * Internal to the core.  The hooks run on the injector's cold path only
 * (an allocation that is being failed), never on an ordinary allocation. */
#ifndef HARNESS_FAULT_OBSERVER_H
#define HARNESS_FAULT_OBSERVER_H

typedef struct fault_observer {
    /* An allocation is being failed (benign or not). */
    void (*injected)(void *arg);
    /* Site mode failed the site pcs[0..depth) for the first time. */
    void (*site_failed)(void *arg, const void *const *pcs, unsigned depth);
    void *arg;
} fault_observer;

/* Installs obs (NULL: none); the caller keeps it alive while installed. */
__attribute__((visibility("hidden"))) void fault_set_observer(const fault_observer *obs);

#endif
