/* A main() for fuzz targets without libFuzzer: feeds every file named on
 * the command line, and every regular file inside each directory named, to
 * LLVMFuzzerTestOneInput once, in name order.  A target reports a violation
 * by aborting, so a clean exit means every input passed.  Used by the
 * 'fuzz-replay' meson tests, so corpora and past crashes also run under the
 * gcc, ASan and Valgrind configurations of make check. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <memharness/crash_guard.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file into a heap block of exactly its size (one byte for an
 * empty file, so the pointer is never NULL), as libFuzzer hands inputs. */
static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long end = ftell(f);
        if (end >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            len = (size_t)end;
            data = malloc(len ? len : 1);
            if (data != NULL && fread(data, 1, len, f) != len) {
                free(data);
                data = NULL;
            }
        }
    }
    fclose(f);
    *size = len;
    return data;
}

static int replay_file(const char *path, unsigned *count)
{
    size_t size;
    uint8_t *data = read_file(path, &size);
    if (data == NULL) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    /* Printed before the call: if the input aborts, the log names it. */
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
    crash_guard_enter("fuzz input %s (%zu bytes)", path, size);
    LLVMFuzzerTestOneInput(data, size);
    crash_guard_leave();
    free(data);
    (*count)++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, unsigned *count)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int status = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        /* Dot files (.gitkeep) keep empty directories in git; not inputs. */
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (grown == NULL) {
                status = 1;
                break;
            }
            names = grown;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (names[n] == NULL) {
            status = 1;
            break;
        }
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (status == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            status = replay_file(names[i], count);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        int status = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count)
                                         : replay_file(argv[i], &count);
        if (status != 0)
            return status;
    }
    /* A replay that found nothing to run proves nothing: a wrong path in
     * meson.build must not pass silently. */
    if (count == 0) {
        fprintf(stderr, "replay: no input files in the %d path(s) given\n", argc - 1);
        return 1;
    }
    printf("replay: %u input(s) passed\n", count);
    return 0;
}
