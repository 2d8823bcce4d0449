/* Which CoTaskMem* a benchmark program is linked with.  The same benchmark
 * source is linked once with lib's default seam and once with the harness's
 * tracking seam; these functions are the only part that differs. */
#ifndef HARNESS_BENCH_SEAM_H
#define HARNESS_BENCH_SEAM_H

#include <stdbool.h>
#include <stddef.h>

/* Short name of the seam in force ("default" or "tracked"). */
const char *bench_seam_name(void);
/* Puts the seam in its measured state: for the tracker, a clean slate with
 * injection armed but never firing, so the injector's check is paid. */
void bench_seam_prepare(void);
/* True when the seam can vouch that the benchmark freed all it allocated
 * and misused nothing; otherwise writes the reason into why. */
bool bench_seam_clean(char *why, size_t len);

#endif
