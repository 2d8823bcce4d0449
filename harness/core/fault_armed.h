/* The injector's one question the tracker asks inline on every allocation:
 * is any mode armed?  Disarmed, an allocation then pays one load instead of
 * a call.  Internal to the core; fault.c owns the mode. */
#ifndef HARNESS_FAULT_ARMED_H
#define HARNESS_FAULT_ARMED_H

#include <stdatomic.h>
#include <stdbool.h>

#include <memharness/fault.h>

/* The armed mode (a fault_mode), FAULT_OFF while disarmed. */
extern __attribute__((visibility("hidden"))) _Atomic int fault_armed_mode;

/* False only when fault_should_fail_stack would surely say no. */
static inline bool fault_armed(void)
{
    return atomic_load_explicit(&fault_armed_mode, memory_order_relaxed) != FAULT_OFF;
}

#endif
