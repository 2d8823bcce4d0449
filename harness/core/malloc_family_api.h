/* How the malloc family's misuse is named (tracker_names), shared by the
 * malloc_family*.c files.  Internal to the core. */
#ifndef HARNESS_MALLOC_FAMILY_API_H
#define HARNESS_MALLOC_FAMILY_API_H

#include <memharness/tracker.h>

/* free and realloc, with the likely cause of a pointer that is no block. */
extern __attribute__((visibility("hidden"))) const tracker_names memharness_malloc_names;

#endif
