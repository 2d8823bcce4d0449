/* lib's default CoTaskMem* (over the C allocator) as a benchmark seam: it
 * keeps no record, so it can vouch for nothing. */
#include "bench_seam.h"

const char *bench_seam_name(void)
{
    return "default";
}

void bench_seam_prepare(void)
{
}

bool bench_seam_clean(char *why, size_t len)
{
    (void)why;
    (void)len;
    return true;
}
