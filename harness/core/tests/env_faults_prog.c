/* The env_faults tests' program: statically linked with libmemharness.a
 * and one seam (ENV_FAULTS_SEAM_HOOKS, _WRAP or _COTASKMEM), and run with
 * MEMHARNESS_FAULTS=transient:1, its first allocation must be refused and
 * its second granted.  Exits 0 then; otherwise 1, saying what happened: a
 * seam that does not arm the injector from the environment would let a
 * user's run pass without the faults it asked for. */
#include <stdio.h>
#include <stdlib.h>

#include <memharness/fault.h>
#include <memharness/hooks.h>

#if defined(ENV_FAULTS_SEAM_HOOKS)
#define SEAM_ALLOC memharness_hook_malloc
#define SEAM_FREE memharness_hook_free
#elif defined(ENV_FAULTS_SEAM_WRAP)
/* What ld --wrap=malloc makes of a wrapped object's malloc and free. */
void *__wrap_malloc(size_t size);
void __wrap_free(void *ptr);
#define SEAM_ALLOC __wrap_malloc
#define SEAM_FREE __wrap_free
#elif defined(ENV_FAULTS_SEAM_COTASKMEM)
void *CoTaskMemAlloc(size_t cb);
void CoTaskMemFree(void *pv);
#define SEAM_ALLOC CoTaskMemAlloc
#define SEAM_FREE CoTaskMemFree
#else
#error "name the seam: -DENV_FAULTS_SEAM_HOOKS, _WRAP or _COTASKMEM"
#endif

int main(void)
{
    const char *spec = getenv("MEMHARNESS_FAULTS");
    void *first = SEAM_ALLOC(16);
    void *second = SEAM_ALLOC(16);
    int ok = first == NULL && second != NULL;
    if (!ok)
        printf("MEMHARNESS_FAULTS=%s: first allocation %s, second %s (injector mode '%s', "
               "%llu hit(s)); expected the first refused and the second granted\n",
               spec ? spec : "(unset)", first ? "granted" : "refused",
               second ? "granted" : "refused", fault_mode_name(fault_current_mode()),
               (unsigned long long)fault_hits());
    else
        printf("MEMHARNESS_FAULTS=%s: first allocation refused, second granted\n", spec);
    SEAM_FREE(first);
    SEAM_FREE(second);
    return ok ? 0 : 1;
}
