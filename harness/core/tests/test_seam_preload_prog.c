/* The program test_seam_preload.py runs under libmemharness-preload.so:
 * plain libc calls, no harness header, one scenario per argument.  Each
 * reports what a failed allocation gave it on stdout ("NAME: NULL ENOMEM")
 * and ends with status 1 when one failed.  Built without optimisation of
 * the calls that matter (volatile pointers), so that a double free stays a
 * double free and strdup of a literal stays a call of libc's strdup. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_seam_preload_lib.h"

static void *volatile keep[8];
static void *volatile reachable_block;

/* Allocations before main: never counted, never failed. */
__attribute__((constructor)) static void before_main(void)
{
    for (int i = 0; i < 3; i++)
        keep[i] = malloc(24);
}

static int failed(const char *what)
{
    printf("%s: NULL %s\n", what, errno == ENOMEM ? "ENOMEM" : "errno-not-ENOMEM");
    fflush(stdout);
    return 1;
}

/* Exactly four counted allocations: malloc, calloc, realloc, strdup. */
static int count(const char *text)
{
    char *a = malloc(10);
    if (a == NULL)
        return failed("malloc");
    int *b = calloc(4, sizeof *b);
    if (b == NULL)
        return failed("calloc");
    char *c = realloc(a, 100);
    if (c == NULL)
        return failed("realloc");
    char *d = strdup(text);
    if (d == NULL)
        return failed("strdup");
    free(c);
    free(b);
    free(d);
    return 0;
}

static int double_free(void)
{
    char *volatile p = malloc(16);
    if (p == NULL)
        return failed("malloc");
    free(p);
    free(p);
    (void)!write(1, "after double free\n", 18);
    return 0;
}

/* A failure of allocation 1 leaks two blocks allocated after it: one that
 * only a local pointed to (unreachable) and one a global holds (reachable). */
static int leak_after_fault(void)
{
    char *p = malloc(8);
    if (p == NULL) {
        reachable_block = malloc(48);
        void *volatile lost = malloc(32);
        (void)lost;
        return failed("malloc");
    }
    free(p);
    return 0;
}

static int crash(void)
{
    char *volatile p = malloc(64);
    p[0] = 'x'; /* the missing NULL check */
    free(p);
    return 0;
}

static int hang(void)
{
    char *p = malloc(64);
    while (p == NULL)
        ; /* spins forever after a failure */
    free(p);
    return 0;
}

/* After a failure, spins in the allocator: the timeout signal arrives
 * inside the seam almost always, and the hang must still name this. */
static __attribute__((noinline)) int hang_in_malloc(void)
{
    void *p = malloc(64);
    while (p == NULL)
        free(malloc(4 << 20)); /* poisoned by memset: mostly in libc */
    free(p);
    return 0;
}

/* Two allocations from main, two from the library (one through libc's
 * strdup, whose first frame outside libc is the library). */
static int only(void)
{
    void *a = malloc(8);
    void *b = seam_preload_lib_alloc(8);
    char *c = seam_preload_lib_dup("only");
    void *d = malloc(8);
    int bad = (a == NULL) + (b == NULL) + (c == NULL) + (d == NULL);
    if (bad)
        printf("only: %d NULL\n", bad);
    free(a);
    free(b);
    free(c);
    free(d);
    return bad ? 1 : 0;
}

/* The rest of the family, one allocation each (seven), each failure
 * reported as NAME: NULL ENOMEM. */
static int family(void)
{
    void *p = NULL;
    int r = posix_memalign(&p, 64, 100);
    if (r != 0) {
        errno = r;
        return failed("posix_memalign");
    }
    if ((uintptr_t)p % 64 != 0 || malloc_usable_size(p) < 100)
        return printf("posix_memalign: misaligned or small\n"), 1;
    void *q = aligned_alloc(128, 256);
    if (q == NULL)
        return failed("aligned_alloc");
    void *m = memalign(32, 10);
    if (m == NULL)
        return failed("memalign");
    void *v = valloc(10);
    if (v == NULL)
        return failed("valloc");
    void *pv = pvalloc(10);
    if (pv == NULL)
        return failed("pvalloc");
    int *ra = reallocarray(NULL, 10, sizeof(int));
    if (ra == NULL)
        return failed("reallocarray");
    int *rb = reallocarray(ra, 1000, sizeof(int));
    if (rb == NULL)
        return failed("reallocarray-grow");
    free(p);
    free(q);
    free(m);
    free(v);
    free(pv);
    free(rb);
    return 0;
}

/* Opens its input and reads a little before its first allocation (the
 * fork point), the rest after it: every run must read the same rest. */
static int input(const char *path)
{
    int fd = open(path, O_RDONLY);
    char head[4], rest[256];
    if (fd < 0 || read(fd, head, sizeof head) != (ssize_t)sizeof head)
        return printf("input: cannot read '%s'\n", path), 2;
    void *p = malloc(16);
    ssize_t n = read(fd, rest, sizeof rest - 1);
    rest[n > 0 ? n : 0] = '\0';
    printf("input: rest '%s'\n", rest);
    free(p);
    close(fd);
    return p == NULL;
}

/* A die-on-failure policy: exit(3) from the function that allocated. */
static int exit_on_failure(void)
{
    void *p = malloc(16);
    if (p == NULL)
        exit(3);
    free(p);
    return 0;
}

static __attribute__((noinline)) void exit_from_deep(void *volatile *held)
{
    printf("exit_deep: %s\n", *held != NULL ? "held" : "NULL");
    fflush(stdout);
    exit(0);
}

/* Exits from a called function while a local holds a block: the block is
 * reachable (the frames are live at exit), not a leak. */
static int exit_deep(void)
{
    void *volatile held = malloc(40);
    exit_from_deep(&held);
    return 0;
}

static int assert_not_null(void)
{
    void *p = malloc(16);
    assert(p != NULL);
    free(p);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s count|double_free|leak|crash|hang|hang_malloc|only|family|exit|exit_deep|assert|input FILE\n", argv[0]);
        return 2;
    }
    const char *m = argv[1];
    int status = 2;
    if (strcmp(m, "count") == 0)
        status = count(argv[0]);
    else if (strcmp(m, "double_free") == 0)
        status = double_free();
    else if (strcmp(m, "leak") == 0)
        status = leak_after_fault();
    else if (strcmp(m, "crash") == 0)
        status = crash();
    else if (strcmp(m, "hang") == 0)
        status = hang();
    else if (strcmp(m, "hang_malloc") == 0)
        status = hang_in_malloc();
    else if (strcmp(m, "only") == 0)
        status = only();
    else if (strcmp(m, "family") == 0)
        status = family();
    else if (strcmp(m, "exit") == 0)
        status = exit_on_failure();
    else if (strcmp(m, "input") == 0 && argc > 2)
        status = input(argv[2]);
    else if (strcmp(m, "exit_deep") == 0)
        status = exit_deep();
    else if (strcmp(m, "assert") == 0)
        status = assert_not_null();
    else
        fprintf(stderr, "%s: unknown scenario '%s'\n", argv[0], m);
    for (int i = 0; i < 3; i++)
        free(keep[i]);
    return status;
}
