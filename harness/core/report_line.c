/* report_append_line (see report_line.h). */
#include "report_line.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env_var.h"

int report_append_line(const char *who, const char *file, const char *line, size_t len)
{
    char var[128];
    const char *dir = memharness_env("REPORT_DIR", var, sizeof var);
    if (dir == NULL || dir[0] == '\0')
        return 0;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) {
        fprintf(stderr, "%s: %s too long\n", who, var);
        return -1;
    }
    /* O_APPEND and one write per line: the worker processes of a test
     * share the file without mixing their lines. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: %s\n", who, path, strerror(errno));
        return -1;
    }
    ssize_t w = write(fd, line, len);
    int saved = errno;
    close(fd);
    if (w < 0 || (size_t)w != len) {
        fprintf(stderr, "%s: %s: %s\n", who, path, w < 0 ? strerror(saved) : "short write");
        return -1;
    }
    return 0;
}
