/* Sweep scenarios for every NapUtil function: each calls the API once,
 * checks what the contract promises (nap_expect.h) and releases everything,
 * so that the sweep driver can fail each allocation in turn under it. */
#ifndef HARNESS_NAP_SCENARIOS_H
#define HARNESS_NAP_SCENARIOS_H

#include <stddef.h>

#include <memharness/sweep.h>

typedef struct nap_scenario {
    const char *function; /* the NapUtil function the scenario is about */
    const char *name;     /* function plus arguments, for messages */
    sweep_scenario run;
    const void *arg;
} nap_scenario;

/* Every scenario, grouped by function in the contract's order. */
extern const nap_scenario nap_scenarios[];
extern const size_t nap_scenario_count;

#endif
