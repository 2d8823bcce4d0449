/* Every scenario of every NapUtil function under every allocation failure
 * in turn: transient (only the k-th fails), persistent (the k-th and all
 * later ones fail) and once per call site.  One Criterion test per function
 * and mode, so a crash names the function and the rest still run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "nap_scenarios.h"
#include "tracker.h"

static void sweep_function(const char *function, fault_mode mode)
{
    check_ctx ctx;
    check_init(&ctx, "%s", "");
    unsigned matched = 0;
    for (size_t i = 0; i < nap_scenario_count; i++) {
        const nap_scenario *s = &nap_scenarios[i];
        if (strcmp(s->function, function) != 0)
            continue;
        matched++;
        sweep_result r;
        sweep_run(s->name, s->run, (void *)s->arg, mode, &ctx, &r);
        /* One machine-readable line per sweep: the report page reads these
         * from the test logs (harness/tools/report.py). */
        printf("REPORT-METRIC {\"metric\":\"sweep\",\"function\":\"%s\",\"scenario\":\"%s\","
               "\"mode\":\"%s\",\"points\":%llu,\"allocations\":%llu}\n",
               s->function, s->name, fault_mode_name(mode), (unsigned long long)r.points,
               (unsigned long long)r.max_allocs);
    }
    fflush(stdout);
    cr_assert(matched > 0, "no scenario for %s", function);
    cr_assert(check_ok(&ctx), "%s: %u contract violation(s) under %s faults:\n%s", function,
              ctx.failures, fault_mode_name(mode), ctx.message);
}

#define SWEEP_TESTS(fn)                                                    \
    Test(fault_sweeps, fn##_transient) { sweep_function(#fn, FAULT_TRANSIENT); } \
    Test(fault_sweeps, fn##_persistent) { sweep_function(#fn, FAULT_PERSISTENT); } \
    Test(fault_sweeps, fn##_per_site) { sweep_function(#fn, FAULT_SITE); }

SWEEP_TESTS(AllocConnections)
SWEEP_TESTS(AllocFixupInfo)
SWEEP_TESTS(AllocCountedString)
SWEEP_TESTS(FreeConnections)
SWEEP_TESTS(FreeFixupInfo)
SWEEP_TESTS(FreeCountedString)
SWEEP_TESTS(FreeIsolationInfo)
SWEEP_TESTS(FreeIsolationInfoEx)
SWEEP_TESTS(FreeSoH)
SWEEP_TESTS(FreeNetworkSoH)
SWEEP_TESTS(FreePrivateData)
SWEEP_TESTS(FreeSystemHealthAgentState)
SWEEP_TESTS(FreeSoHAttributeValue)
SWEEP_TESTS(FreeNapComponentRegistrationInfoArray)
