/* The set of call sites site mode has failed (fault_sites.c): filled by the
 * injector's decision (fault.c) and by a loaded sites file
 * (fault_sites_file.c), neither of which calls the other back.  Internal to
 * the core; fault_sites_add, _count and _forget are its public face (fault.h). */
#ifndef HARNESS_FAULT_SITES_H
#define HARNESS_FAULT_SITES_H

#include <stdbool.h>

/* Adds the site made of the innermost depth frames of stack[0..n) (padded
 * with NULL when n < depth), unless it is known or the set is full; true
 * when it was added, with those depth frames copied into pcs. */
__attribute__((visibility("hidden"))) bool fault_sites_remember(const void *const *stack,
                                                                unsigned n, unsigned depth,
                                                                const void **pcs);

#endif
