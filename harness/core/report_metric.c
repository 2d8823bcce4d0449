/* report_metric (see report_metric.h). */
#include <memharness/report_metric.h>

#include <stdarg.h>
#include <stdio.h>

#include "report_line.h"

int report_metric(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line - 1) {
        fprintf(stderr, "report_metric: figure longer than %zu bytes, not written\n",
                sizeof line - 2);
        return -1;
    }
    line[n++] = '\n';
    return report_append_line("report_metric", "metrics.jsonl", line, (size_t)n);
}
