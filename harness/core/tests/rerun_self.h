/* Runs the test program itself again, as a child, for what only a new
 * process shows: an environment variable read before main, the exit status
 * it then stops with.  static inline like tracker_verdict.h. */
#ifndef SUITES_RERUN_SELF_H
#define SUITES_RERUN_SELF_H

#include <criterion/criterion.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Re-runs this program with the one argument arg, after prepare(data) in
 * the child (its environment, its descriptors); returns its exit status (-1
 * when it did not exit) and its standard error in text, len bytes at most,
 * NUL included. */
static inline int rerun_self(void (*prepare)(const void *data), const void *data,
                             const char *arg, char *text, size_t len)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    cr_assert(n > 0, "readlink /proc/self/exe");
    self[n] = '\0'; /* the real path: Valgrind virtualises readlink, not exec */
    int out[2];
    cr_assert(pipe(out) == 0);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork");
    if (pid == 0) {
        dup2(out[1], 2);
        close(out[0]);
        prepare(data);
        execl(self, self, arg, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    size_t used = 0;
    ssize_t r;
    while (used + 1 < len && (r = read(out[0], text + used, len - 1 - used)) > 0)
        used += (size_t)r;
    text[used] = '\0';
    close(out[0]);
    int status;
    cr_assert(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif
