/* What every seam benchmark shares: main, and the line of a figure (see
 * bench_seam.h). */
#include <stdio.h>

#include "bench_emit.h"
#include "bench_seam.h"

int bench_seam_main(int argc, char **argv, const char *program,
                    bool (*measure)(const bench_args *args))
{
    bench_args args;
    if (!bench_args_parse(argc, argv, &args))
        return 2;
    bench_seam_prepare();
    if (!measure(&args))
        return 1;
    char why[512];
    if (bench_seam_clean(why, sizeof why))
        return 0;
    fprintf(stderr, "%s: seam %s: %s\n", program, bench_seam_name(), why);
    return 1;
}

bool bench_seam_figure(const char *item, const char *param, double value, const char *name1,
                       double figure1, const char *name2, double figure2, const double *samples,
                       unsigned reps)
{
    bench_record r;
    bench_record_begin(&r, item);
    bench_record_str(&r, "seam", bench_seam_name());
    bench_record_num(&r, param, value);
    bench_record_num(&r, name1, figure1);
    bench_record_num(&r, name2, figure2);
    bench_record_nums(&r, "samples", samples, reps);
    return bench_record_end(&r);
}
