/* When the seam counts, and how a run ends.  Counting starts when main
 * starts: __libc_start_main is interposed to hand glibc a main of ours
 * that sets the seam up (objects, MEMHARNESS_ONLY, record, signals) and
 * then calls the program's, so that whatever the loader, glibc and the
 * constructors allocate goes to glibc untracked, and allocation k is the
 * same k in any environment.  The program's exit, _exit, _Exit, abort and
 * __assert_fail are interposed to write the end line with the stack that
 * called them; main's return is seen by our main, and the leak lines and
 * stats of a normal end are written by the seam's destructor, which runs
 * after the program's atexit handlers and destructors. */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <memharness/fault.h>

#include "env_var.h"
#include "preload.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_FRAMES 64

typedef int (*main_fn)(int, char **, char **);
typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void),
                        void *);

static main_fn program_main;
static int main_status, main_returned, main_started;
typedef void (*exit_fn)(int) __attribute__((noreturn));
typedef void (*abort_fn)(void) __attribute__((noreturn));
typedef void (*assert_fn)(const char *, const char *, unsigned, const char *)
    __attribute__((noreturn));
static exit_fn real_exit, real__exit, real__Exit;
static abort_fn real_abort;
static assert_fn real_assert_fail;

static void stop(const char *variable, const char *why)
{
    fprintf(stderr, "memharness preload: %s: %s\n", variable, why);
    real__exit(2);
}

/* Before main, once the loader is done; false when this process is a
 * child the program started, which the seam leaves alone. */
static bool set_up(void)
{
    char err[512], var[128];
    /* Only the process the sweep started is swept: the programs it runs
     * inherit LD_PRELOAD but get glibc's allocator, untracked, and write
     * nothing (their allocations would otherwise shift no count of ours
     * but fill the program's stderr with their leaks). */
    if (getenv("MEMHARNESS_PRELOAD_INACTIVE") != NULL)
        return false;
    setenv("MEMHARNESS_PRELOAD_INACTIVE", "1", 1);
    preload_objects_load();
    fault_env_apply(); /* MEMHARNESS_FAULTS & co.: every seam reads them itself */
    const char *only = memharness_env("ONLY", var, sizeof var);
    if (only != NULL && *only != '\0' && !preload_only_set(only, err, sizeof err))
        stop(var, err);
    preload_record_observe_faults();
    const char *server = memharness_env("SWEEP_SERVER", var, sizeof var);
    if (server != NULL && *server != '\0') {
        if (!preload_server_init(server, err, sizeof err))
            stop(var, err);
        memharness_env_unset("SWEEP_SERVER");
        fault_disarm(); /* each run arms its own spec */
        return true;
    }
    /* Standalone: MEMHARNESS_FAULTS was armed above (fault_env_apply), and
     * nothing has been counted since; "off" still
     * counts, for the stats line. */
    const char *spec = memharness_env("FAULTS", NULL, 0);
    if (spec == NULL || *spec == '\0' || strcmp(spec, "off") == 0) {
        spec = "off";
        preload_arm_spec("off", err, sizeof err);
    }
    const char *record = memharness_env("SWEEP_RECORD", var, sizeof var);
    int fd = -1;
    if (record != NULL && *record != '\0') {
        int r = open(record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        fd = r >= 0 ? fcntl(r, F_DUPFD_CLOEXEC, 200) : -1;
        if (r >= 0)
            close(r);
        if (fd < 0) {
            snprintf(err, sizeof err, "cannot create '%s': %s", record, strerror(errno));
            stop(var, err);
        }
        memharness_env_unset("SWEEP_RECORD");
    }
    void *warm[4];
    backtrace(warm, 4); /* loads libgcc's unwinder now, not in a crash */
    preload_record_start(fd, spec);
    preload_signals_install();
    return true;
}

/* seam_main has a section of its own, whose bounds the linker names, so
 * that a stack can be cut at it: it is below the program's main, never
 * the program's frame (the core's captures cut at the whole seam instead,
 * callsite_walk.h, since they never pass through its other code). */
extern const char __start_memharness_preload_main[] PRELOAD_HIDDEN;
extern const char __stop_memharness_preload_main[] PRELOAD_HIDDEN;

bool preload_in_main_wrapper(const void *pc)
{
    const char *p = pc;
    return p >= __start_memharness_preload_main && p < __stop_memharness_preload_main;
}

__attribute__((section("memharness_preload_main"), noinline, used)) static int
seam_main(int argc, char **argv, char **envp)
{
    preload_depth++;
    bool active = set_up();
    main_started = active;
    preload_depth--;
    preload_active = active;
    int status = program_main(argc, argv, envp);
    main_status = status;
    main_returned = 1;
    return status;
}

static void *next(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (f == NULL) {
        static const char msg[] = "memharness preload: a libc function is missing\n";
        (void)!write(2, msg, sizeof msg - 1);
        abort();
    }
    return f;
}

__attribute__((constructor(102))) static void find_real_functions(void)
{
    preload_depth++;
    real_exit = (exit_fn)next("exit");
    real__exit = (exit_fn)next("_exit");
    real__Exit = (exit_fn)next("_Exit");
    real_abort = (abort_fn)next("abort");
    real_assert_fail = (assert_fn)next("__assert_fail");
    preload_depth--;
}

EXPORT int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
                             void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
    start_fn real = (start_fn)next("__libc_start_main");
    program_main = main;
    return real(seam_main, argc, argv, init, fini, rtld_fini, stack_end);
}

/* The end line, with the stack of the caller of the interposed function. */
static void end(const char *how, int status, const char *message)
{
    if (!main_started)
        return;
    preload_depth++;
    void *pcs[MAX_FRAMES];
    unsigned n = preload_stack_here(pcs, MAX_FRAMES);
    preload_record_end(how, status, (const void *const *)pcs, n, message);
    preload_depth--;
}

/* Below exit's frame: the leak report scans from here to the stack's top,
 * exit's frame (and the registers it saved) included. */
static __attribute__((noinline)) void note_exit_stack(void)
{
    preload_leaks_exit_stack((uintptr_t)__builtin_frame_address(0));
}

EXPORT void exit(int status)
{
    /* Every callee-saved register saved in this frame, which lives until
     * the process ends: the caller's pointers held in registers are in the
     * scanned stack too. */
    __builtin_unwind_init();
    end("exit", status, NULL);
    if (main_started) {
        preload_depth++; /* finding the stack's top may read /proc with glibc's malloc */
        note_exit_stack();
        preload_depth--;
    }
    real_exit(status);
}

EXPORT void _exit(int status)
{
    end("_exit", status, NULL);
    real__exit(status);
}

EXPORT void _Exit(int status)
{
    end("_exit", status, NULL);
    real__Exit(status);
}

EXPORT void abort(void)
{
    end("abort", 134, NULL);
    real_abort();
}

EXPORT void __assert_fail(const char *assertion, const char *file, unsigned line,
                          const char *function)
{
    char message[2048];
    snprintf(message, sizeof message, "%s: %s:%u: %s%sAssertion `%s' failed.",
             program_invocation_short_name, file, line, function ? function : "",
             function ? ": " : "", assertion);
    end("assert", 134, message);
    real_assert_fail(assertion, file, line, function);
}

/* After the program's atexit handlers and destructors: a normal end's leak
 * lines and stats.  Allocations after this go to glibc. */
__attribute__((destructor)) static void finish(void)
{
    if (!main_started || !preload_active)
        return;
    preload_depth++;
    if (main_returned)
        preload_record_end("return", main_status, NULL, 0, NULL);
    preload_record_finish();
    preload_active = 0;
    preload_depth--;
}
