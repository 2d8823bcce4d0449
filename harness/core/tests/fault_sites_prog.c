/* A program for test_fault_injector's sites-file test: three allocations
 * from three call sites of its own (so their frames lie in the main
 * program), printing "refused N" for each one the injector fails.  Run
 * under NAPUTIL_FAULTS=site with a sites file, each run fails the next
 * site. */
#include <stdio.h>

#include <memharness/hooks.h>

static void settle(unsigned site, void *p)
{
    if (p == NULL)
        printf("refused %u\n", site);
    memharness_hook_free(p);
}

int main(void)
{
    /* Three calls, three return addresses: three sites. */
    settle(1, memharness_hook_malloc(8));
    settle(2, memharness_hook_malloc(16));
    settle(3, memharness_hook_malloc(24));
    return 0;
}
