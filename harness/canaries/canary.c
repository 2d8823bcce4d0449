/* Deliberate memory bugs, one per run, chosen by argv[1]: leak, overflow,
 * uaf, uninit, ub.  They use plain malloc/free, not the tracking allocator,
 * so that only the memory tool under test can see them: a canary that the
 * tool does not report proves the configuration is blind.  Without a tool
 * (no NAPUTIL_TOOL from our wrappers) nothing would catch them, so the
 * program reports itself skipped (Meson's exit code 77). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values read back through volatiles keep the compiler from proving the
 * bug away, and from refusing to build it (-Werror=array-bounds). */
static void *volatile escape;
static volatile size_t block_size = 16;

static int canary_leak(void)
{
    escape = malloc(24);
    memset(escape, 1, 24);
    escape = NULL; /* the only reference is gone: a definite leak at exit */
    return 0;
}

static int canary_overflow(void)
{
    char *p = malloc(block_size);
    escape = p;
    char *q = escape;
    ((volatile char *)q)[block_size] = 1; /* one past the end */
    free(p);
    return 0;
}

static int canary_uaf(void)
{
    char *p = malloc(block_size);
    escape = p;
    memset(p, 2, block_size);
    free(p);
    char *q = escape;
    return ((volatile char *)q)[3] == 2; /* read after free */
}

static int canary_uninit(void)
{
    int *p = malloc(4 * sizeof *p);
    escape = p;
    int v = ((volatile int *)p)[1]; /* never written */
    if (v > 7) /* a decision that depends on it: what Memcheck reports */
        puts("uninitialised value was large");
    free(p);
    return 0;
}

static int canary_ub(void)
{
    volatile int big = INT_MAX;
    int sum = big + 1; /* signed overflow */
    printf("%d\n", sum);
    return 0;
}

static const struct {
    const char *name;
    int (*run)(void);
} canaries[] = {
    {"leak", canary_leak},       {"overflow", canary_overflow}, {"uaf", canary_uaf},
    {"uninit", canary_uninit},   {"ub", canary_ub},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: canary leak|overflow|uaf|uninit|ub\n");
        return 2;
    }
    if (!getenv("NAPUTIL_TOOL")) {
        printf("canary %s: no memory tool in force, nothing can catch it: skipped\n", argv[1]);
        return 77;
    }
    for (size_t i = 0; i < sizeof canaries / sizeof canaries[0]; i++)
        if (strcmp(argv[1], canaries[i].name) == 0) {
            canaries[i].run();
            return 0;
        }
    fprintf(stderr, "canary: unknown kind '%s'\n", argv[1]);
    return 2;
}
