/* Self-tests of the sweep driver, on toy scenarios that allocate straight
 * from the tracker: a leak or misuse on one failure path is reported with
 * the k (or call site) that provokes it and nowhere else, a correct
 * scenario passes, and the points swept equal the allocations made. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <memharness/crash_guard.h>
#include <memharness/fault.h>
#include <memharness/sweep.h>
#include <memharness/tracker.h>

#include "memtest.h"

/* Each test is a MEMTEST: whatever its sweeps found (`found`, the subject
 * of the test), the sweeps must leave no block live and no misuse behind. */

/* One distinct call site per allocation, so site mode sees n sites. */
static const char sites[16];

typedef enum toy_bug { NO_BUG, LEAK_WHEN_SECOND_FAILS, DOUBLE_FREE_WHEN_THIRD_FAILS } toy_bug;

typedef struct toy {
    unsigned allocations; /* at most 16 */
    toy_bug bug;
} toy;

/* Allocates toy->allocations blocks in turn; on the first refusal frees
 * what it holds (except where its bug says otherwise) and returns. */
static void toy_scenario(check_ctx *ctx, void *arg)
{
    const toy *t = arg;
    void *held[16];
    unsigned n = 0;
    for (; n < t->allocations; n++) {
        held[n] = tracker_alloc(8 + n, &sites[n]);
        if (held[n] == NULL)
            break;
    }
    bool failed = n < t->allocations;
    CHECK(ctx, failed == (fault_hits() > 0), "a refusal went unnoticed");
    if (failed && n == 1 && t->bug == LEAK_WHEN_SECOND_FAILS)
        return; /* forgets held[0] */
    if (failed && n == 2 && t->bug == DOUBLE_FREE_WHEN_THIRD_FAILS)
        tracker_free(held[1], &sites[15]);
    for (unsigned i = 0; i < n; i++)
        tracker_free(held[i], &sites[15]);
}

MEMTEST(sweep_driver, correct_scenario_passes_and_points_equal_allocations)
{
    static const unsigned sizes[] = {0, 1, 3, 7, 16};
    for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            toy t = {sizes[i], NO_BUG};
            check_ctx found;
            check_init(&found, "%s", "");
            sweep_result r;
            fault_sites_forget();
            sweep_run("toy", toy_scenario, &t, sweep_modes[m], &found, &r);
            cr_expect(check_ok(&found), "%s, %u allocations: %s", fault_mode_name(sweep_modes[m]),
                      sizes[i], found.message);
            cr_expect_eq(r.points, sizes[i], "%s: %llu points for %u allocations",
                         fault_mode_name(sweep_modes[m]), (unsigned long long)r.points, sizes[i]);
            cr_expect_eq(r.runs, sizes[i] + 1, "%s: %llu runs for %u allocations",
                         fault_mode_name(sweep_modes[m]), (unsigned long long)r.runs, sizes[i]);
            if (sweep_modes[m] != FAULT_SITE)
                cr_expect_eq(r.max_allocs, sizes[i], "%s: max_allocs %llu, expected %u",
                             fault_mode_name(sweep_modes[m]), (unsigned long long)r.max_allocs,
                             sizes[i]);
            cr_expect_eq(fault_current_mode(), FAULT_OFF, "the sweep left injection armed");
            cr_expect_eq(tracker_live_count(), 0, "the sweep left blocks live");
        }
    }
}

MEMTEST(sweep_driver, leak_is_reported_at_the_k_that_causes_it)
{
    toy t = {4, LEAK_WHEN_SECOND_FAILS};
    static const char *const at[] = {"[transient fault at allocation 2]",
                                     "[persistent fault at allocation 2]",
                                     "[fault at call site #2]"};
    for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
        check_ctx found;
        check_init(&found, "%s", "");
        sweep_result r;
        fault_sites_forget();
        sweep_run("leaky toy", toy_scenario, &t, sweep_modes[m], &found, &r);
        cr_expect_eq(found.failures, 1, "%s: %u failures:\n%s", fault_mode_name(sweep_modes[m]),
                     found.failures, found.message);
        cr_expect(strstr(found.message, at[m]) != NULL, "%s: the report does not say %s:\n%s",
                  fault_mode_name(sweep_modes[m]), at[m], found.message);
        cr_expect(strstr(found.message, "leaky toy") != NULL && strstr(found.message, "leaked"),
                  "the report does not name the scenario and the leak:\n%s", found.message);
        cr_expect(strstr(found.message, "8 bytes") != NULL,
                  "the leaked block is not described:\n%s", found.message);
        cr_expect_eq(r.points, 4, "%s: %llu points", fault_mode_name(sweep_modes[m]),
                     (unsigned long long)r.points);
    }
}

MEMTEST(sweep_driver, misuse_and_scenario_failures_are_reported)
{
    toy t = {5, DOUBLE_FREE_WHEN_THIRD_FAILS};
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_run("double-freeing toy", toy_scenario, &t, FAULT_TRANSIENT, &found, NULL);
    cr_assert_eq(found.failures, 1, "%u failures:\n%s", found.failures, found.message);
    cr_assert(strstr(found.message, "[transient fault at allocation 3]") &&
                  strstr(found.message, "double free"),
              "report:\n%s", found.message);
    cr_assert_eq(tracker_error_count(), 0, "the sweep left the misuse record set");
}

/* Fails its own check unless the first allocation was refused. */
static void picky_scenario(check_ctx *ctx, void *arg)
{
    (void)arg;
    void *p = tracker_alloc(1, &sites[0]);
    CHECK(ctx, p == NULL, "expected the refusal");
    tracker_free(p, &sites[15]);
}

/* Allocates and never frees, fault or not. */
static void always_leaks(check_ctx *ctx, void *arg)
{
    (void)ctx;
    (void)arg;
    tracker_alloc(33, &sites[0]);
}

MEMTEST(sweep_driver, clean_run_checks_and_scenario_messages)
{
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_run_clean("picky", picky_scenario, NULL, &found);
    cr_assert_eq(found.failures, 1, "%s", found.message);
    cr_assert(strstr(found.message, "picky [no fault]: expected the refusal") != NULL, "%s",
              found.message);

    check_init(&found, "%s", "");
    sweep_run_clean("always leaks", always_leaks, NULL, &found);
    cr_assert_eq(found.failures, 1, "%s", found.message);
    cr_assert(strstr(found.message, "always leaks") && strstr(found.message, "33 bytes"), "%s",
              found.message);
    cr_assert_eq(tracker_live_count(), 0, "sweep_run_clean left the leak live");
}

/* A finding of every run is shown once, under the first run's label; the
 * repeats are still counted as failures. */
MEMTEST(sweep_driver, repeated_findings_are_shown_once)
{
    check_ctx all, run;
    check_init(&all, "%s", "");
    for (int k = 1; k <= 3; k++) {
        check_init(&run, "%s", "");
        check_fail(&run, "slot 0: released twice");
        check_fail(&run, "run %d only", k);
        char label[32];
        snprintf(label, sizeof label, "toy [k=%d]", k);
        check_merge_labelled(&all, &run, label);
    }
    cr_assert_eq(all.failures, 6, "%u failures:\n%s", all.failures, all.message);
    cr_assert_eq(all.repeats, 2, "%u repeats:\n%s", all.repeats, all.message);
    cr_assert(strstr(all.message, "toy [k=1]: slot 0: released twice\n") != NULL, "%s",
              all.message);
    cr_assert(strstr(all.message, "toy [k=2]: slot 0") == NULL, "%s", all.message);
    cr_assert(strstr(all.message, "toy [k=3]: run 3 only\n") != NULL, "%s", all.message);
}

/* A sweep whose scenario never reaches the armed fault says so: its
 * findings carry "[no fault hit]", never a fault that did not happen. */
MEMTEST(sweep_driver, a_run_past_the_last_allocation_says_no_fault_hit)
{
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_run("picky", picky_scenario, NULL, FAULT_TRANSIENT, &found, NULL);
    cr_assert(strstr(found.message, "picky [no fault hit]: expected the refusal") != NULL, "%s",
              found.message);
    cr_assert(strstr(found.message, "fault at allocation") == NULL, "%s", found.message);
}

/* ---- runs that end their process ---------------------------------------- */

/* Under AddressSanitizer a planted crash is also ASan's own report, which
 * fails the test by design (a crash is a finding); the plain configuration
 * proves that a sweep survives one. */
#if defined(__SANITIZE_ADDRESS__)
#define PLANTED_CRASH_REPORTED_BY_TOOL 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLANTED_CRASH_REPORTED_BY_TOOL 1
#endif
#endif

static void skip_unless_crashes_can_be_planted(void)
{
#ifdef PLANTED_CRASH_REPORTED_BY_TOOL
    cr_skip_test("ASan reports the planted crashes itself; the plain configuration runs this");
#endif
    if (!sweep_runs_isolated())
        cr_skip_test("sweeps run in the test's own process here (Valgrind, or isolation off)");
}

typedef enum ending { END_SEGV, END_ABORT, END_EXIT0, END_HANG } ending;

typedef struct ender {
    unsigned allocations;   /* at most 16 */
    unsigned when_fails;    /* the allocation whose refusal ends the process */
    ending how;
    bool leak_when_last_fails; /* a second bug, reachable only past the first */
} ender;

/* Ends its process when allocation e->when_fails is refused, the way a
 * library without a NULL check, a die-on-OOM helper or a retry loop would. */
static __attribute__((noinline)) void end_the_process(ending how)
{
    switch (how) {
    case END_SEGV: {
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
        break;
    }
    case END_ABORT:
        abort();
    case END_EXIT0:
        exit(0);
    case END_HANG:
        for (;;)
            pause();
    }
}

static void ender_scenario(check_ctx *ctx, void *arg)
{
    (void)ctx;
    const ender *e = arg;
    void *held[16];
    unsigned n = 0;
    for (; n < e->allocations; n++) {
        held[n] = tracker_alloc(8 + n, &sites[n]);
        if (held[n] == NULL)
            break;
    }
    if (n < e->allocations && n + 1 == e->when_fails)
        end_the_process(e->how);
    if (n + 1 == e->allocations && e->leak_when_last_fails)
        n = 0; /* forgets what it holds */
    for (unsigned i = 0; i < n; i++)
        tracker_free(held[i], &sites[15]);
}

/* A crash at point 2 is a finding at point 2, named with how the process
 * ended and where, and the sweep reaches every later point: the leak at
 * point 5 is still found, and the points and runs add up. */
MEMTEST(sweep_driver, a_crash_at_one_point_does_not_end_the_sweep)
{
    static const struct {
        ending how;
        const char *says;
        const char *where;
    } cases[] = {
        {END_SEGV, "the process was killed by SIGSEGV at end_the_process", "ender_scenario"},
        {END_ABORT, "the process was killed by SIGABRT", "end_the_process"},
        {END_EXIT0, "the process exited with status 0 inside the run at end_the_process",
         "ender_scenario"},
    };
    skip_unless_crashes_can_be_planted();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t m = 0; m < SWEEP_MODE_COUNT; m++) {
            ender e = {5, 2, cases[c].how, true};
            check_ctx found;
            check_init(&found, "%s", "");
            sweep_result r;
            fault_sites_forget();
            sweep_run("ender", ender_scenario, &e, sweep_modes[m], &found, &r);
            const char *at2 = sweep_modes[m] == FAULT_SITE ? "ender [fault at call site #2]: "
                              : sweep_modes[m] == FAULT_TRANSIENT
                                  ? "ender [transient fault at allocation 2]: "
                                  : "ender [persistent fault at allocation 2]: ";
            char want[256];
            snprintf(want, sizeof want, "%s%s", at2, cases[c].says);
            cr_expect(strstr(found.message, want) != NULL, "%s: no '%s' in:\n%s",
                      fault_mode_name(sweep_modes[m]), want, found.message);
            cr_expect(strstr(found.message, cases[c].where) != NULL, "%s: no '%s' in:\n%s",
                      fault_mode_name(sweep_modes[m]), cases[c].where, found.message);
            cr_expect(strstr(found.message, "the sweep went on at the next point") != NULL, "%s",
                      found.message);
            /* The second bug lies beyond the crash. */
            cr_expect(strstr(found.message, "allocation 5]") != NULL ||
                          strstr(found.message, "call site #5]") != NULL,
                      "%s: the leak at point 5 was not reached:\n%s",
                      fault_mode_name(sweep_modes[m]), found.message);
            cr_expect_eq(r.points, 5, "%s: %llu points", fault_mode_name(sweep_modes[m]),
                         (unsigned long long)r.points);
            cr_expect_eq(r.runs, 6, "%s: %llu runs", fault_mode_name(sweep_modes[m]),
                         (unsigned long long)r.runs);
            cr_expect_eq(r.ended, 1, "%s: %llu runs ended the process",
                         fault_mode_name(sweep_modes[m]), (unsigned long long)r.ended);
            cr_expect_eq(tracker_live_count(), 0, "the sweep left blocks live");
        }
    }
}

/* A run that does not return within the call guard's bound is a finding at
 * its point, with the stack it hung at; the sweep goes on. */
MEMTEST(sweep_driver, a_hang_at_one_point_does_not_end_the_sweep)
{
    skip_unless_crashes_can_be_planted();
    crash_guard_set_timeout(1);
    ender e = {4, 3, END_HANG, false};
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_result r;
    sweep_run("hanger", ender_scenario, &e, FAULT_PERSISTENT, &found, &r);
    cr_expect(strstr(found.message, "hanger [persistent fault at allocation 3]: did not return "
                                  "within") != NULL,
              "%s", found.message);
    cr_expect(strstr(found.message, "end_the_process") != NULL, "no stack:\n%s", found.message);
    cr_expect_eq(found.failures, 1, "%s", found.message);
    cr_expect_eq(r.points, 4, "%llu points", (unsigned long long)r.points);
    cr_expect_eq(r.ended, 1, "%llu ended", (unsigned long long)r.ended);
}

/* Crashes in any run where no fault was hit, as after a clean run. */
static void crashes_unless_refused(check_ctx *ctx, void *arg)
{
    (void)ctx;
    (void)arg;
    void *a = tracker_alloc(1, &sites[0]);
    void *b = tracker_alloc(2, &sites[1]);
    tracker_free(a, &sites[15]);
    tracker_free(b, &sites[15]);
    if (fault_hits() == 0)
        end_the_process(END_SEGV);
}

/* A run that crashes with no fault hit had reached the scenario's end:
 * the sweep stops there, and the finding names no fault. */
MEMTEST(sweep_driver, a_crash_without_a_fault_is_the_last_point)
{
    skip_unless_crashes_can_be_planted();
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_result r;
    sweep_run("fragile", crashes_unless_refused, NULL, FAULT_TRANSIENT, &found, &r);
    cr_expect(strstr(found.message, "fragile [no fault hit]: the process was killed by SIGSEGV") !=
                  NULL,
              "%s", found.message);
    cr_expect_eq(found.failures, 1, "%s", found.message);
    cr_expect_eq(r.points, 2, "%llu points", (unsigned long long)r.points);
    cr_expect_eq(r.runs, 3, "%llu runs", (unsigned long long)r.runs);
    cr_expect_eq(r.ended, 1, "%llu ended", (unsigned long long)r.ended);
}

/* Records a finding whose text ends in a newline and one with a line
 * inside it, as a scenario may (a message built from another's). */
static void newline_findings(check_ctx *ctx, void *arg)
{
    (void)arg;
    check_fail(ctx, "ends in a newline\n");
    check_fail(ctx, "first line\nsecond line\n\n");
}

/* A finding's text is one or more lines of its own: a newline at its end
 * (or an empty line inside it) is dropped where it is recorded, so the
 * merged message holds no empty line and the merge never meets one. */
MEMTEST(sweep_driver, findings_ending_in_a_newline_merge_as_their_lines)
{
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_run_clean("newlines", newline_findings, NULL, &found);
    cr_assert_eq(found.failures, 2, "%u failures:\n%s", found.failures, found.message);
    cr_assert_str_eq(found.message,
                     "newlines [no fault]: ends in a newline\n"
                     "newlines [no fault]: first line\n"
                     "newlines [no fault]: second line\n");
}

/* A message written by other means may still hold an empty line: the
 * merge skips it rather than searching for an empty text. */
MEMTEST(sweep_driver, merge_skips_an_empty_line)
{
    check_ctx all, run;
    check_init(&all, "%s", "");
    check_init(&run, "%s", "");
    run.failures = 1;
    run.used = (size_t)snprintf(run.message, sizeof run.message, "%s", "\nleft\n\n");
    check_merge_labelled(&all, &run, "toy");
    cr_assert_str_eq(all.message, "toy: left\n");
    cr_assert_eq(all.failures, 1);
}
