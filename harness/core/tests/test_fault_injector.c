/* Self-tests of the fault injector: every mode fails exactly the allocations
 * it names, regions count as documented, and fault_configure (the parser
 * behind NAPUTIL_FAULTS) accepts the documented specs and refuses malformed
 * ones with a message naming the spec. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memharness/fault.h>
#include "memtest.h"
#include "rerun_self.h"

static int site_a_anchor, site_b_anchor, site_c_anchor;
#define SITE_A ((const void *)&site_a_anchor)
#define SITE_B ((const void *)&site_b_anchor)
#define SITE_C ((const void *)&site_c_anchor)

/* Asks n times from one site; bit i of the result is whether ask i failed. */
static unsigned long long ask(unsigned n, const void *site)
{
    unsigned long long bits = 0;
    for (unsigned i = 0; i < n; i++)
        if (fault_should_fail(site))
            bits |= 1ull << i;
    return bits;
}

MEMTEST(fault_injector, off_never_fails_and_counts_nothing)
{
    cr_assert_eq(fault_current_mode(), FAULT_OFF);
    cr_assert_eq(ask(50, SITE_A), 0);
    cr_assert_eq(fault_calls(), 0, "disarmed calls are not counted");
}

MEMTEST(fault_injector, transient_fails_only_the_kth)
{
    fault_arm(FAULT_TRANSIENT, 3);
    cr_assert_eq(ask(10, SITE_A), 1ull << 2, "transient:3");
    cr_assert_eq(fault_calls(), 10);
    cr_assert_eq(fault_hits(), 1);
    fault_arm(FAULT_TRANSIENT, 1);
    cr_assert_eq(ask(4, SITE_A), 1ull, "transient:1");
    fault_arm(FAULT_TRANSIENT, 0);
    cr_assert_eq(fault_current_mode(), FAULT_OFF, "k = 0 arms nothing");
}

MEMTEST(fault_injector, persistent_fails_from_the_kth_on)
{
    fault_arm(FAULT_PERSISTENT, 2);
    cr_assert_eq(ask(6, SITE_A), 0x3Eull, "persistent:2");
    cr_assert_eq(fault_hits(), 5);
    fault_disarm();
    cr_assert_eq(fault_hits(), 5, "disarming keeps the counters readable");
    cr_assert_eq(ask(3, SITE_A), 0);
}

MEMTEST(fault_injector, random_is_seeded_and_reproducible)
{
    fault_arm_random(0.5, 42);
    unsigned long long first = ask(64, SITE_A);
    fault_arm_random(0.5, 42);
    unsigned long long again = ask(64, SITE_A);
    fault_arm_random(0.5, 43);
    unsigned long long other = ask(64, SITE_A);
    cr_assert_eq(first, again, "same seed, different failures");
    cr_assert_neq(first, other, "different seeds, same 64 outcomes");
    int ones = __builtin_popcountll(first);
    cr_assert(ones > 16 && ones < 48, "p = 0.5 failed %d of 64", ones);
    cr_assert_eq(fault_hits(), (uint64_t)__builtin_popcountll(other));
    fault_arm_random(0.0, 7);
    cr_assert_eq(ask(64, SITE_A), 0, "p = 0 failed something");
    fault_arm_random(1.0, 7);
    cr_assert_eq(ask(64, SITE_A), ~0ull, "p = 1 let something through");
}

MEMTEST(fault_injector, site_mode_fails_each_site_once)
{
    fault_arm_sites();
    cr_assert(fault_should_fail(SITE_A), "first site A");
    cr_assert(!fault_should_fail(SITE_B), "one failure per arming");
    fault_arm_sites();
    cr_assert(!fault_should_fail(SITE_A), "site A failed before");
    cr_assert(fault_should_fail(SITE_B), "site B is new");
    fault_arm_sites();
    cr_assert(!fault_should_fail(SITE_A) && !fault_should_fail(SITE_B));
    cr_assert(fault_should_fail(SITE_C));
    fault_arm_sites();
    cr_assert_eq(ask(5, SITE_A) | ask(5, SITE_B) | ask(5, SITE_C), 0, "all sites exhausted");
    fault_sites_forget();
    fault_arm_sites();
    cr_assert(fault_should_fail(SITE_B), "forgotten sites fail again");
}

MEMTEST(fault_injector, benign_and_exempt_regions)
{
    fault_arm(FAULT_PERSISTENT, 1);
    fault_benign_begin();
    cr_assert(fault_should_fail(SITE_A), "benign allocations still fail");
    fault_benign_end();
    cr_assert_eq(fault_benign_hits(), 1);
    cr_assert_eq(fault_hits(), 0, "a benign failure counted as a real one");

    fault_exempt_begin();
    fault_exempt_begin();
    cr_assert_eq(ask(5, SITE_A), 0, "exempt allocations failed");
    fault_exempt_end();
    cr_assert_eq(ask(5, SITE_A), 0, "regions nest");
    fault_exempt_end();
    cr_assert_eq(fault_calls(), 1, "exempt allocations were counted");
    cr_assert(fault_should_fail(SITE_A));
    cr_assert_eq(fault_hits(), 1);
    fault_exempt_end(); /* unbalanced end: harmless */
    cr_assert(fault_should_fail(SITE_A), "an extra end must not open a region");
}

MEMTEST(fault_injector, configure_accepts_documented_specs)
{
    char err[256] = "";
    cr_assert(fault_configure("transient:4", err, sizeof err), "%s", err);
    cr_assert_eq(fault_current_mode(), FAULT_TRANSIENT);
    cr_assert_eq(ask(6, SITE_A), 1ull << 3);
    cr_assert(fault_configure("persistent:1", err, sizeof err), "%s", err);
    cr_assert_eq(ask(3, SITE_A), 7);
    cr_assert(fault_configure("random:0.25:9", err, sizeof err), "%s", err);
    unsigned long long a = ask(64, SITE_A);
    fault_arm_random(0.25, 9);
    cr_assert_eq(ask(64, SITE_A), a, "random:P:SEED differs from fault_arm_random(P, SEED)");
    cr_assert(fault_configure("random:1", err, sizeof err), "%s", err);
    cr_assert_eq(fault_current_mode(), FAULT_RANDOM);
    cr_assert(fault_configure("site", err, sizeof err), "%s", err);
    cr_assert_eq(fault_current_mode(), FAULT_SITE);
    cr_assert(fault_configure("off", err, sizeof err), "%s", err);
    cr_assert_eq(fault_current_mode(), FAULT_OFF);
    cr_assert_str_eq(fault_mode_name(FAULT_PERSISTENT), "persistent");
}

MEMTEST(fault_injector, configure_refuses_malformed_specs)
{
    static const char *const bad[] = {
        "",           "transient",   "transient:",   "transient:0",    "transient:x",
        "transient:3x", "persistent:-1", "transient:3:4", "random",     "random:",
        "random:1.5", "random:-0.1", "random:0.5:x", "random:abc",    "site:0",
        "site:x",     "site:5",      "site:1:2",
        "off:1",      "sometimes",   "TRANSIENT:1",
        "transient:99999999999999999999999",
    };
    char err[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fault_reset();
        err[0] = '\0';
        cr_expect(!fault_configure(bad[i], err, sizeof err), "'%s' was accepted", bad[i]);
        cr_expect(fault_current_mode() == FAULT_OFF, "'%s' armed something", bad[i]);
        cr_expect(bad[i][0] == '\0' || strstr(err, bad[i]) != NULL,
                  "the error for '%s' does not quote it: %s", bad[i], err);
        cr_expect(err[0] != '\0', "no error text for '%s'", bad[i]);
    }
    /* A refused spec leaves an earlier arming alone. */
    fault_arm(FAULT_TRANSIENT, 2);
    cr_assert(!fault_configure("bogus", err, sizeof err));
    cr_assert_eq(fault_current_mode(), FAULT_TRANSIENT);
    cr_assert(!fault_configure(NULL, err, sizeof err), "NULL accepted");
    char longspec[200];
    memset(longspec, '1', sizeof longspec - 1);
    longspec[sizeof longspec - 1] = '\0';
    memcpy(longspec, "transient:", 10);
    cr_assert(!fault_configure(longspec, err, sizeof err), "an over-long spec was accepted");
}

/* What rerun_with sets in the re-run program. */
typedef struct faults_vars {
    const char *spec, *name, *value;
} faults_vars;

/* The re-run's environment: NAPUTIL_FAULTS, and name if there is one. */
static void faults_set(const void *data)
{
    const faults_vars *v = data;
    setenv("NAPUTIL_FAULTS", v->spec, 1);
    if (v->name != NULL)
        setenv(v->name, v->value, 1);
}

/* Re-runs this program (listing its tests only) with NAPUTIL_FAULTS=spec
 * and, if name is not NULL, one more variable; returns its exit status (-1
 * when it did not exit) and its standard error in text. */
static int rerun_with(const char *spec, const char *name, const char *value, char *text,
                      size_t len)
{
    const faults_vars v = {spec, name, value};
    return rerun_self(faults_set, &v, "--list", text, len);
}

MEMTEST(fault_injector, malformed_environment_stops_the_program)
{
    /* This very program, re-run with a bad NAPUTIL_FAULTS, must stop before
     * main with exit status 2: running without the asked-for faults would
     * be a silent pass. */
    char text[4096];
    int status = rerun_with("transient:zero", NULL, NULL, text, sizeof text);
    cr_assert(status == 2, "exit status %d, stderr: %s", status, text);
    cr_assert(strstr(text, "NAPUTIL_FAULTS") && strstr(text, "transient:zero"),
              "the message does not name the variable and spec: %s", text);
}

/* Code addresses for stacks: the sites file stores frames as object+offset,
 * which only addresses inside a loaded object have. */
__attribute__((noinline)) void fault_selftest_frame_a(void)
{
    __asm__ volatile("");
}
__attribute__((noinline)) void fault_selftest_frame_b(void)
{
    __asm__ volatile("");
}
__attribute__((noinline)) void fault_selftest_frame_c(void)
{
    __asm__ volatile("");
}
#define FRAME_A ((const void *)((const char *)&fault_selftest_frame_a + 1))
#define FRAME_B ((const void *)((const char *)&fault_selftest_frame_b + 1))
#define FRAME_C ((const void *)((const char *)&fault_selftest_frame_c + 1))

MEMTEST(fault_injector, site_depth_tells_stacks_apart_by_their_callers)
{
    const void *ab[] = {FRAME_A, FRAME_B}, *ac[] = {FRAME_A, FRAME_C};
    /* Depth 1: one helper called from two places is one site. */
    fault_arm_sites();
    cr_assert(fault_should_fail_stack(ab, 2));
    fault_arm_sites();
    cr_assert(!fault_should_fail_stack(ac, 2), "depth 1 told callers apart");
    /* Depth 2: the same helper from another caller is a new site. */
    fault_reset();
    char err[256] = "";
    cr_assert(fault_configure("site:2", err, sizeof err), "%s", err);
    cr_assert_eq(fault_site_depth(), 2);
    cr_assert(fault_should_fail_stack(ab, 2), "first stack");
    fault_arm_sites_depth(2);
    cr_assert(!fault_should_fail_stack(ab, 2), "the same stack failed twice");
    cr_assert(fault_should_fail_stack(ac, 2), "another caller of the same site is new at depth 2");
    fault_arm_sites_depth(2);
    const void *a_only[] = {FRAME_A};
    cr_assert(fault_should_fail_stack(a_only, 1), "a shorter stack is a site of its own");
    cr_assert_eq(fault_sites_count(), 3);
}

static void temp_path(char *buf, size_t len, const char *what)
{
    snprintf(buf, len, "/tmp/naputil-fault-%s-%d", what, (int)getpid());
    unlink(buf);
}

static size_t read_all(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot read %s", path);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

MEMTEST(fault_injector, sites_file_lets_a_run_resume)
{
    char path[128], err[256] = "";
    temp_path(path, sizeof path, "sites");
    const void *ab[] = {FRAME_A, FRAME_B}, *ac[] = {FRAME_A, FRAME_C};
    /* First "run": fails the stack A<-B and saves it. */
    fault_arm_sites_depth(2);
    cr_assert(fault_sites_file(path, err, sizeof err), "%s", err);
    cr_assert(fault_should_fail_stack(ab, 2));
    /* Second "run": a fresh injector that loads the file. */
    fault_reset();
    fault_arm_sites_depth(2);
    cr_assert(fault_sites_file(path, err, sizeof err), "%s", err);
    cr_assert_eq(fault_sites_count(), 1, "the saved site was not loaded");
    cr_assert(!fault_should_fail_stack(ab, 2), "a site saved by the first run failed again");
    cr_assert(fault_should_fail_stack(ac, 2), "the next new site did not fail");
    fault_sites_file(NULL, err, sizeof err);
    char text[4096];
    read_all(path, text, sizeof text);
    cr_assert(strstr(text, "site 2 ") == text, "the file does not start with a site: %s", text);
    cr_assert_eq(strchr(strchr(text, '\n') + 1, '\n') != NULL, 1, "two sites expected: %s",
                 text);
    unlink(path);
}

MEMTEST(fault_injector, sites_file_refuses_a_malformed_line)
{
    char path[128], err[256] = "";
    temp_path(path, sizeof path, "badsites");
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("# comment\nsite 2 /nonexistent+0x10 -\n", f);
    fclose(f);
    cr_assert(!fault_sites_file(path, err, sizeof err), "a frame of no loaded object accepted");
    cr_assert(strstr(err, path) != NULL && strstr(err, "line 2") != NULL,
              "the error does not name the file and line: %s", err);
    f = fopen(path, "w");
    fputs("site 9 -\n", f);
    fclose(f);
    cr_assert(!fault_sites_file(path, err, sizeof err), "depth 9 accepted");
    unlink(path);
}

MEMTEST(fault_injector, log_names_each_failure_with_its_stack)
{
    char path[128], err[256] = "";
    temp_path(path, sizeof path, "log");
    cr_assert(fault_log_file(path, err, sizeof err), "%s", err);
    const void *abc[] = {FRAME_A, FRAME_B, FRAME_C};
    fault_arm(FAULT_TRANSIENT, 2);
    cr_assert(!fault_should_fail_stack(abc, 3));
    cr_assert(fault_should_fail_stack(abc, 3));
    cr_assert(!fault_should_fail_stack(abc, 3));
    fault_log_file(NULL, err, sizeof err);
    char text[8192];
    read_all(path, text, sizeof text);
    unlink(path);
    cr_assert(strstr(text, "injected failure: mode transient, allocation 2") != NULL,
              "no entry for the failure: %s", text);
    cr_assert(strstr(text, "allocation 1") == NULL && strstr(text, "allocation 3") == NULL,
              "an allocation that did not fail was logged: %s", text);
    const char *a = strstr(text, "fault_selftest_frame_a"), *b = strstr(text, "fault_selftest_frame_b"),
               *c = strstr(text, "fault_selftest_frame_c");
    cr_assert(a && b && c && a < b && b < c, "the stack is not named innermost first: %s", text);
}

MEMTEST(fault_injector, unusable_sites_file_or_log_stops_the_program)
{
    char path[128], text[4096];
    temp_path(path, sizeof path, "envsites");
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("site two frames\n", f);
    fclose(f);
    int status = rerun_with("site:2", "NAPUTIL_FAULTS_SITES", path, text, sizeof text);
    unlink(path);
    cr_assert_eq(status, 2, "a malformed sites file: status %d, stderr: %s", status, text);
    cr_assert(strstr(text, "NAPUTIL_FAULTS_SITES") && strstr(text, "line 1"),
              "the message does not name the variable and line: %s", text);
    status = rerun_with("site:2", "NAPUTIL_FAULTS_LOG", "/nonexistent-dir/log", text, sizeof text);
    cr_assert_eq(status, 2, "an unwritable log: status %d, stderr: %s", status, text);
    cr_assert(strstr(text, "NAPUTIL_FAULTS_LOG") && strstr(text, "/nonexistent-dir/log"),
              "the message does not name the variable and path: %s", text);
}

/* What a run of fault_sites_prog printed. */
typedef struct prog_run {
    int status; /* exit status, -1 when it did not exit */
    char out[1024];
    char err[4096];
} prog_run;

/* Runs fault_sites_prog as "./fault_sites_prog" from its own directory, as
 * a user would, with env (NAME, VALUE pairs, NULL-terminated) added and
 * every fault variable not in env removed. */
static prog_run run_sites_prog(const char *const *env)
{
    const char *prog = getenv("FAULT_SITES_PROG");
    cr_assert(prog != NULL && strrchr(prog, '/') != NULL,
              "FAULT_SITES_PROG (set by meson test) names no program: %s", prog ? prog : "unset");
    char dir[4096], name[4096], errpath[128];
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(prog, '/') - prog), prog);
    snprintf(name, sizeof name, ".%s", strrchr(prog, '/'));
    temp_path(errpath, sizeof errpath, "progerr");
    int out[2];
    cr_assert(pipe(out) == 0);
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork");
    if (pid == 0) {
        static const char *const faults[] = {"FAULTS", "FAULTS_SITES", "FAULTS_LOG"};
        for (size_t i = 0; i < 3; i++) {
            char var[64];
            snprintf(var, sizeof var, "MEMHARNESS_%s", faults[i]);
            unsetenv(var);
            snprintf(var, sizeof var, "NAPUTIL_%s", faults[i]);
            unsetenv(var);
        }
        for (size_t i = 0; env[i] != NULL; i += 2)
            setenv(env[i], env[i + 1], 1);
        dup2(out[1], 1);
        close(out[0]);
        if (freopen(errpath, "w", stderr) == NULL || chdir(dir) != 0)
            _exit(126);
        execl(name, name, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    prog_run r;
    size_t used = 0;
    ssize_t n;
    while (used + 1 < sizeof r.out && (n = read(out[0], r.out + used, sizeof r.out - 1 - used)) > 0)
        used += (size_t)n;
    r.out[used] = '\0';
    close(out[0]);
    int status;
    cr_assert(waitpid(pid, &status, 0) == pid);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    read_all(errpath, r.err, sizeof r.err);
    unlink(errpath);
    return r;
}

/* dladdr names the main program by argv[0], here "./fault_sites_prog": the
 * file must still name it so that the next run finds it loaded. */
MEMTEST(fault_injector, sites_file_of_a_program_run_by_a_relative_path_resumes)
{
    char path[128];
    temp_path(path, sizeof path, "relsites");
    const char *env[] = {"NAPUTIL_FAULTS", "site", "NAPUTIL_FAULTS_SITES", path, NULL};
    prog_run r = run_sites_prog(env);
    cr_assert(r.status == 0 && strcmp(r.out, "refused 1\n") == 0,
              "first run: status %d, output: %s%s", r.status, r.out, r.err);
    r = run_sites_prog(env);
    char saved[4096];
    read_all(path, saved, sizeof saved);
    unlink(path);
    cr_assert(r.status == 0 && strcmp(r.out, "refused 2\n") == 0,
              "second run: status %d, output: %s%s\nsites file:\n%s", r.status, r.out, r.err,
              saved);
}

/* The injector reads MEMHARNESS_FAULTS, and NAPUTIL_FAULTS as its alias
 * (the name older wrappers set). */
MEMTEST(fault_injector, memharness_faults_is_obeyed_and_its_alias_too)
{
    prog_run r = run_sites_prog((const char *[]){"MEMHARNESS_FAULTS", "transient:2", NULL});
    cr_assert(r.status == 0 && strcmp(r.out, "refused 2\n") == 0 && r.err[0] == '\0',
              "MEMHARNESS_FAULTS: status %d, output: %s%s", r.status, r.out, r.err);
    r = run_sites_prog((const char *[]){"NAPUTIL_FAULTS", "transient:3", NULL});
    cr_assert(r.status == 0 && strcmp(r.out, "refused 3\n") == 0 && r.err[0] == '\0',
              "NAPUTIL_FAULTS: status %d, output: %s%s", r.status, r.out, r.err);
    r = run_sites_prog((const char *[]){"MEMHARNESS_FAULTS", "transient:1", "NAPUTIL_FAULTS",
                                        "transient:1", NULL});
    cr_assert(r.status == 0 && strcmp(r.out, "refused 1\n") == 0 && r.err[0] == '\0',
              "both, the same value: status %d, output: %s%s", r.status, r.out, r.err);
}

/* Set under both names to different values, MEMHARNESS_FAULTS wins and one
 * line says so. */
MEMTEST(fault_injector, memharness_faults_wins_over_a_different_alias_and_says_so)
{
    prog_run r = run_sites_prog((const char *[]){"MEMHARNESS_FAULTS", "transient:1",
                                                 "NAPUTIL_FAULTS", "transient:3", NULL});
    cr_assert(r.status == 0 && strcmp(r.out, "refused 1\n") == 0,
              "status %d, output: %s%s", r.status, r.out, r.err);
    const char *warning = "memharness: MEMHARNESS_FAULTS='transient:1' and "
                          "NAPUTIL_FAULTS='transient:3' differ; using "
                          "MEMHARNESS_FAULTS='transient:1'\n";
    const char *at = strstr(r.err, warning);
    cr_assert(at != NULL && strstr(at + strlen(warning), "differ") == NULL,
              "expected the warning once, stderr: %s", r.err);
}

/* A malformed value is named by the variable the user set. */
MEMTEST(fault_injector, a_malformed_value_names_the_variable_that_was_set)
{
    prog_run r = run_sites_prog((const char *[]){"MEMHARNESS_FAULTS", "transient:zero", NULL});
    cr_assert(r.status == 2 && strncmp(r.err, "MEMHARNESS_FAULTS: ", 19) == 0 &&
                  strstr(r.err, "transient:zero") != NULL,
              "status %d, stderr: %s", r.status, r.err);
    r = run_sites_prog((const char *[]){"NAPUTIL_FAULTS", "site",
                                        "MEMHARNESS_FAULTS_LOG", "/nonexistent-dir/log", NULL});
    cr_assert(r.status == 2 && strncmp(r.err, "MEMHARNESS_FAULTS_LOG: ", 23) == 0,
              "status %d, stderr: %s", r.status, r.err);
}
