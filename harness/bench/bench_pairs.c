/* CoTaskMemAlloc+CoTaskMemFree pairs (see bench_pairs.h). */
#include "bench_pairs.h"

#include <stddef.h>

#include "bench_measure.h"

/* Declared here, not from naputil.h: the programs that time the tracker's
 * seam alone do not include lib's header. */
void *CoTaskMemAlloc(size_t cb);
void CoTaskMemFree(void *pv);

void bench_cotaskmem_pairs(void *arg, uint64_t iterations)
{
    size_t size = *(const size_t *)arg;
    for (uint64_t i = 0; i < iterations; i++) {
        void *p = CoTaskMemAlloc(size);
        bench_keep(p);
        CoTaskMemFree(p);
    }
}
