/* The Criterion trap (docs/TOOLCHAIN-NOTES.md section 1) as a canary: a test body that leaks and
 * then passes.  Criterion says "Passing" and exits 0 even though the tool
 * reports the leak when the worker exits; only a wrapper that reads the
 * tool's own report files can fail this run.  Plain malloc, not the tracking
 * allocator, so that the tool alone can see the leak. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static void *volatile escape;

Test(canary, leak_at_worker_exit)
{
    if (!getenv("NAPUTIL_TOOL"))
        cr_skip_test("no memory tool in force: nothing can catch this canary");
    escape = malloc(40);
    memset(escape, 3, 40);
    escape = NULL; /* the test passes; only the tool can object */
}
