/* The preload self-test's library (test_seam_preload_lib.c). */
#ifndef TEST_SEAM_PRELOAD_LIB_H
#define TEST_SEAM_PRELOAD_LIB_H
#include <stddef.h>
/* malloc(n), called from this library. */
void *seam_preload_lib_alloc(size_t n);
/* strdup(s), called from this library (libc's malloc call inside it). */
char *seam_preload_lib_dup(const char *s);
#endif
