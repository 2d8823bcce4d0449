/* The handlers a recorded run gets: a fatal signal writes the crash line
 * (stack from backtrace(), starting at the faulting instruction) and then
 * dies of the same signal, so that the wait status still names it; the
 * server's timeout signal writes the hang line and kills the run at once
 * instead of waiting for the server's SIGKILL.  They run on an alternate
 * stack, since a crash is often a stack overflow. */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "preload.h"

#define MAX_FRAMES 64

static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
static char alt_stack[64 * 1024] __attribute__((aligned(16)));

int preload_hang_signal(void)
{
    return SIGRTMIN + 5;
}

/* The interrupted code's stack: the frames above the signal frame, from the
 * faulting pc on (backtrace() passes the handler and the kernel's return
 * trampoline first). */
static unsigned stack_of_interrupted(void *context, void **pcs, unsigned max)
{
    void *all[MAX_FRAMES + 16];
    unsigned n = preload_stack_here(all, MAX_FRAMES + 16);
    uintptr_t pc = 0;
#if defined(__x86_64__)
    pc = (uintptr_t)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    pc = (uintptr_t)((ucontext_t *)context)->uc_mcontext.pc;
#else
    (void)context;
#endif
    unsigned from = 0;
    for (unsigned i = 0; i < n; i++)
        if ((uintptr_t)all[i] == pc) {
            from = i;
            break;
        }
    if (from == 0 && n > 1 && pc != 0 && (uintptr_t)all[0] != pc) {
        pcs[0] = (void *)pc;
        from = 2; /* the trampoline, then the faulting frame's own pc */
        unsigned k = 1;
        for (unsigned i = from; i < n && k < max; i++)
            pcs[k++] = all[i];
        return k;
    }
    unsigned k = 0;
    for (unsigned i = from; i < n && k < max; i++)
        pcs[k++] = all[i];
    return k;
}

static void on_fatal(int sig, siginfo_t *info, void *context)
{
    (void)info;
    preload_depth++;
    if (!preload_record_ended()) {
        void *pcs[MAX_FRAMES];
        unsigned n = stack_of_interrupted(context, pcs, MAX_FRAMES);
        preload_record_crash(sig, (const void *const *)pcs, n);
    }
    /* Dies of sig once this handler returns (sig is blocked until then). */
    signal(sig, SIG_DFL);
    raise(sig);
    preload_depth--;
}

static void on_hang(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    preload_depth++;
    void *pcs[MAX_FRAMES];
    unsigned n = stack_of_interrupted(context, pcs, MAX_FRAMES);
    preload_record_hang((const void *const *)pcs, n);
    kill(getpid(), SIGKILL);
}

void preload_signals_install(void)
{
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
    sa.sa_sigaction = on_hang;
    sigaction(preload_hang_signal(), &sa, NULL);
}
