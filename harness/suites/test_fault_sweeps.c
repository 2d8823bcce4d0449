/* Every scenario of every NapUtil function under every allocation failure
 * in turn: transient (only the k-th fails), persistent (the k-th and all
 * later ones fail) and once per call site.  One Criterion test per function
 * (all three modes in it: every test is a process, and a process costs most
 * of a sweep's time, tenfold under Valgrind), so a crash names the function,
 * crash_guard names the mode and k, and the other functions still run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <memharness/fault.h>
#include "memtest.h"
#include "nap_scenarios.h"
#include <memharness/sweep.h>
#include <memharness/tracker.h>

static void sweep_function(check_ctx *ctx, const char *function)
{
    unsigned matched = 0;
    for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
        fault_mode mode = sweep_modes[m];
        for (size_t i = 0; i < nap_scenario_count; i++) {
            const nap_scenario *s = &nap_scenarios[i];
            if (strcmp(s->function, function) != 0)
                continue;
            matched++;
            sweep_result r;
            sweep_run(s->name, s->run, (void *)s->arg, mode, ctx, &r);
            /* One figure per sweep for the report (harness/report/jsonl.py). */
            sweep_report_metric(s->function, s->name, mode, &r);
        }
    }
    fflush(stdout);
    cr_assert(matched > 0, "no scenario for %s", function);
}

/* The contract violations under allocation faults are judged at the end
 * with leaks and misuse, by MEMTEST. */
#define SWEEP_TEST(fn) \
    MEMTEST(fault_sweeps, fn) { sweep_function(ctx, #fn); }

SWEEP_TEST(AllocConnections)
SWEEP_TEST(AllocFixupInfo)
SWEEP_TEST(AllocCountedString)
SWEEP_TEST(FreeConnections)
SWEEP_TEST(FreeFixupInfo)
SWEEP_TEST(FreeCountedString)
SWEEP_TEST(FreeIsolationInfo)
SWEEP_TEST(FreeIsolationInfoEx)
SWEEP_TEST(FreeSoH)
SWEEP_TEST(FreeNetworkSoH)
SWEEP_TEST(FreePrivateData)
SWEEP_TEST(FreeSystemHealthAgentState)
SWEEP_TEST(FreeSoHAttributeValue)
SWEEP_TEST(FreeNapComponentRegistrationInfoArray)
