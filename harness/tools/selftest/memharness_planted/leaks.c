/* Planted for memharness_installed.sh: a block lost for good in a named
 * function, which Valgrind and LeakSanitizer must report and memharness
 * run must fail, while the program itself exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noinline)) static char *make_greeting(const char *name)
{
    char *s = malloc(strlen(name) + 7);
    if (s != NULL)
        sprintf(s, "hello %s", name);
    return s;
}

__attribute__((noinline)) static void greet_and_forget(void)
{
    char *s = make_greeting("world");
    if (s != NULL)
        puts(s);
    /* returns without free: the only pointer to the block is gone */
}

int main(void)
{
    greet_and_forget();
    return 0;
}
