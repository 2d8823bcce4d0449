/* A shared library built without frame pointers, as Debian builds its own
 * (test_stacks_nofp.c): its functions keep data in rbp, here a frame record
 * naming a function that is not on the stack, as a stale one would. */
#ifndef NOFP_LIB_H
#define NOFP_LIB_H

#include <stddef.h>

/* Sets the allocator the library calls and the return address its stale
 * frame record names. */
void nofp_lib_set(void *(*alloc)(size_t), const void *stale_ret);
/* Allocates size bytes with the stale record in rbp. */
void *nofp_lib_alloc(size_t size);
/* Allocate size bytes through nofp_lib_alloc, each from its own caller. */
void *nofp_lib_via_one(size_t size);
void *nofp_lib_via_two(size_t size);

/* Returns fn(size), called with the stale record in rbp. */
void *nofp_lib_call_back(void *(*fn)(size_t), size_t size);

#endif
