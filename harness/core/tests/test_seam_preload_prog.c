/* The program test_seam_preload.py runs under libmemharness-preload.so:
 * plain libc calls, no harness header, one scenario per argument.  Each
 * reports what a failed allocation gave it on stdout ("NAME: NULL ENOMEM")
 * and ends with status 1 when one failed.  Built without optimisation of
 * the calls that matter (volatile pointers), so that a double free stays a
 * double free and strdup of a literal stays a call of libc's strdup. */
#include <errno.h>
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s count|double_free|leak|crash|hang|only\n", argv[0]);
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
    else if (strcmp(m, "only") == 0)
        status = only();
    else
        fprintf(stderr, "%s: unknown scenario '%s'\n", argv[0], m);
    for (int i = 0; i < 3; i++)
        free(keep[i]);
    return status;
}
