/* Which CoTaskMem* a benchmark program is linked with.  The same benchmark
 * source is linked once with lib's default seam and once with the harness's
 * tracking seam; these functions are the only part that differs. */
#ifndef HARNESS_BENCH_SEAM_H
#define HARNESS_BENCH_SEAM_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_args.h"

/* Short name of the seam in force ("default" or "tracked"). */
const char *bench_seam_name(void);
/* Puts the seam in its measured state: for the tracker, a clean slate with
 * injection armed but never firing, so the injector's check is paid. */
void bench_seam_prepare(void);
/* True when the seam can vouch that the benchmark freed all it allocated
 * and misused nothing; otherwise writes the reason into why. */
bool bench_seam_clean(char *why, size_t len);

/* The main every seam benchmark shares: parses the command line (2 on a
 * bad one), puts the seam in its measured state, runs measure (1 if it
 * fails) and returns 0 only when the seam then vouches for the run (else 1,
 * after naming program, seam and reason on stderr). */
int bench_seam_main(int argc, char **argv, const char *program,
                    bool (*measure)(const bench_args *args));
/* Prints one figure of a seam benchmark: item, the seam's name, the
 * parameter measured at, two named figures and the repetitions behind them;
 * false if it did not fit. */
bool bench_seam_figure(const char *item, const char *param, double value, const char *name1,
                       double figure1, const char *name2, double figure2, const double *samples,
                       unsigned reps);

#endif
