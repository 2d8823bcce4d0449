/* The hook seam's self-test fixture: see hooked_lib.c. */
#ifndef HOOKED_LIB_H
#define HOOKED_LIB_H

#include <stddef.h>

/* Installs the allocator pair (NULL restores malloc/free). */
void hooked_lib_set_hooks(void *(*malloc_fn)(size_t), void (*free_fn)(void *));
/* A copy of s from the installed allocator, or NULL when it refused. */
char *hooked_lib_copy(const char *s);
/* Returns a copy to the installed allocator. */
void hooked_lib_release(char *p);

#endif
