/* report_metric (see report_metric.h). */
#include <memharness/report_metric.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_metric(const char *fmt, ...)
{
    const char *dir = getenv("NAPUTIL_REPORT_DIR");
    if (dir == NULL || dir[0] == '\0')
        return 0;
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
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/metrics.jsonl", dir) >= sizeof path) {
        fprintf(stderr, "report_metric: NAPUTIL_REPORT_DIR too long\n");
        return -1;
    }
    /* O_APPEND and one write per line: the worker processes of every test
     * of a configuration share the file without mixing their lines. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "report_metric: %s: %s\n", path, strerror(errno));
        return -1;
    }
    ssize_t w = write(fd, line, (size_t)n);
    int saved = errno;
    close(fd);
    if (w != n) {
        fprintf(stderr, "report_metric: %s: %s\n", path, w < 0 ? strerror(saved) : "short write");
        return -1;
    }
    return 0;
}
