/* Self-tests of waivers (waiver.h): a waived finding is not a failure but
 * is reported as waived; an unwaived one still fails; a waiver that matched
 * nothing is listed as stale; a malformed file is an error naming its
 * FILE:LINE, from waiver_load and, before main, from $MEMHARNESS_WAIVERS
 * ($NAPUTIL_WAIVERS).  Each test is a MEMTEST; those whose toy leaks on
 * purpose (free_forgetting, a stray block) judge the tracker themselves
 * (memtest_judge_body). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <memharness/check.h>
#include <memharness/fault.h>
#include <memharness/shape_check.h>
#include <memharness/sweep.h>
#include <memharness/tracker.h>
#include <memharness/waiver.h>
#include "memtest.h"
#include "rerun_self.h"

static FILE *reported;

/* The waivers' own reset and report stream; the tracker's and the
 * injector's are MEMTEST's. */
static void waiver_slate(void)
{
    waiver_reset();
    reported = tmpfile();
    cr_assert(reported != NULL);
    waiver_report_to(reported);
}

static void done(void)
{
    waiver_report_to(NULL);
    waiver_reset();
    fclose(reported);
    tracker_reset();
}

TestSuite(waivers, .init = waiver_slate, .fini = done);

/* Writes text to a fresh file whose path goes to path. */
static void write_file(char *path, const char *text)
{
    strcpy(path, "/tmp/waivers-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f != NULL);
    fputs(text, f);
    fclose(f);
}

/* Everything written to the report stream so far. */
static const char *report_text(void)
{
    static char text[8192];
    fflush(reported);
    rewind(reported);
    size_t n = fread(text, 1, sizeof text - 1, reported);
    text[n] = '\0';
    return text;
}

typedef struct pair {
    char *a;
    char *b;
} pair;

static const shape_type t_char = SHAPE_LEAF_TYPE(char);
static const shape_member pair_m[] = {
    SHAPE_CSTR(pair, a, t_char, 8),
    SHAPE_CSTR(pair, b, t_char, 8),
};
static const shape_type t_pair = SHAPE_TYPE(pair, pair_m);

static void *blk(size_t n)
{
    void *p = tracker_alloc(n, __builtin_return_address(0));
    cr_assert(p != NULL);
    memset(p, 0, n);
    return p;
}

/* A pair freed by a Free that forgets member `forget` ('a', 'b' or 0). */
static check_ctx free_forgetting(char forget)
{
    check_ctx ctx;
    check_init(&ctx, "pair case");
    pair *p = blk(sizeof *p);
    p->a = blk(2);
    p->b = blk(2);
    shape_root r = {NULL, &t_pair, p, 1, 0};
    shape_free_check fc;
    shape_free_begin(&fc, &r, NULL);
    if (forget != 'a')
        tracker_free(p->a, NULL);
    if (forget != 'b')
        tracker_free(p->b, NULL);
    tracker_free(p, NULL);
    shape_free_end(&fc, &ctx, "pair_free");
    return ctx;
}

static const char good_file[] =
    "# pair_free keeps b alive on purpose in this toy: the finding is known.\n"
    "call=pair_free kind=leak path=pair.b\n"
    "\n"
    "# A waiver of a kind no run produces: listed as stale.\n"
    "# (Its reason spans two lines.)\n"
    "call=pair_* kind=double-free path=*\n";

MEMTEST_JUDGED(waivers, a_waived_finding_passes_and_is_reported_as_waived, memtest_judge_body)
{
    check_ctx before = free_forgetting('b');
    cr_assert(!check_ok(&before), "the planted leak was not found");
    char path[64], err[512] = "";
    write_file(path, good_file);
    cr_assert(waiver_load(path, err, sizeof err), "%s", err);

    check_ctx found = free_forgetting('b');
    cr_assert(check_ok(&found), "a waived finding failed:\n%s", found.message);
    cr_assert_eq(waiver_waived_count(), 1);
    char want[256];
    snprintf(want, sizeof want,
             "memharness: waived by %s:2 (pair_free keeps b alive on purpose in this toy: the "
             "finding is known.): pair case: pair_free: pair.b: leaked (not freed)\n",
             path);
    cr_assert(strstr(report_text(), want) != NULL, "expected \"%s\" in:\n%s", want,
              report_text());

    /* Another member, another kind: not covered. */
    check_ctx other = free_forgetting('a');
    cr_assert(!check_ok(&other), "an unwaived finding passed");
    cr_assert(strstr(other.message, "pair case: pair_free: pair.a: leaked (not freed)") != NULL,
              "%s", other.message);
    cr_assert_eq(waiver_waived_count(), 1);

    FILE *stale = tmpfile();
    cr_assert_eq(waiver_list_stale(stale), 1);
    rewind(stale);
    char line[512] = "";
    cr_assert(fgets(line, sizeof line, stale) != NULL);
    fclose(stale);
    snprintf(want, sizeof want,
             "%s:6: warning: stale waiver, it matched no finding in this run: call=pair_* "
             "kind=double-free path=*\n",
             path);
    cr_assert_str_eq(line, want);
    unlink(path);
}

/* A finding of every run, whatever the fault: waived below. */
static void known_finding(check_ctx *ctx, void *arg)
{
    (void)arg;
    void *p = tracker_alloc(4, NULL);
    tracker_free(p, NULL);
    check_fail(ctx, "sweepy: thing.x: leaked (not freed)");
}

/* A sweep's runs happen in a child process: a waiver only they matched is
 * still matched in the caller, not listed as stale there. */
MEMTEST(waivers, a_waiver_matched_inside_a_sweep_is_not_stale)
{
    char err[512] = "";
    cr_assert(waiver_add("call=sweepy kind=leak path=thing.x", "known in this toy", "t:1", err,
                         sizeof err),
              "%s", err);
    check_ctx found;
    check_init(&found, "%s", "");
    sweep_run("sweepy", known_finding, NULL, FAULT_TRANSIENT, &found, NULL);
    cr_assert(check_ok(&found), "a waived finding failed:\n%s", found.message);
    FILE *stale = tmpfile();
    size_t n = waiver_list_stale(stale);
    rewind(stale);
    char line[512] = "";
    if (fgets(line, sizeof line, stale) == NULL)
        line[0] = '\0';
    fclose(stale);
    cr_assert_eq(n, 0, "%s", line);
}

/* at= matches the allocating stack a finding names; call= the check
 * context as well as the function; kind= must agree. */
MEMTEST_JUDGED(waivers, a_waiver_by_stack_and_context, memtest_judge_body)
{
    char err[512] = "";
    cr_assert(waiver_add("call=pair_free kind=size path=pair.b", "wrong kind on purpose", "t:1",
                         err, sizeof err),
              "%s", err);
    check_ctx found = free_forgetting('b');
    cr_assert(!check_ok(&found), "a waiver of another kind waived a leak");

    cr_assert(waiver_add("call=stack* kind=leak at=*waiver*", "by stack", "t:2", err,
                         sizeof err),
              "%s", err);
    check_init(&found, "stack case");
    uint64_t seq = tracker_next_seq();
    pair *p = blk(sizeof *p);
    blk(5); /* allocated by the call, reachable from nothing */
    shape_root r = {NULL, &t_pair, p, 1, 0};
    shape_check_alloc(&found, "pair_new", &r, seq);
    cr_assert(check_ok(&found), "not waived by its stack:\n%s", found.message);
    cr_assert(strstr(report_text(), "waived by t:2 (by stack): stack case: pair_new: block #") !=
                  NULL,
              "%s", report_text());
}

/* Each malformed line is an error naming FILE:LINE, and a file with one
 * adds nothing. */
MEMTEST_JUDGED(waivers, a_malformed_file_is_an_error_with_file_and_line, memtest_judge_body)
{
    static const struct {
        const char *text;
        unsigned line;
        const char *says;
    } bad[] = {
        {"call=f kind=leak path=x\n", 1, "a waiver without a reason"},
        {"# why\n\ncall=f kind=leak path=x\n", 3, "a waiver without a reason"},
        {"#\ncall=f kind=leak path=x\n", 2, "a waiver without a reason"},
        {"# why\ncall=f kind=lek path=x\n", 2, "unknown kind 'lek' (known: leak, size"},
        {"# why\ncall=f kind=leak where=x\n", 2, "unknown field 'where'"},
        {"# why\ncall=f kind=leak\n", 2, "a waiver needs path= or at="},
        {"# why\nkind=leak path=x\n", 2, "a waiver needs call= and kind="},
        {"# why\ncall=f kind=leak path=x junk\n", 2, "'junk' is not NAME=PATTERN"},
        {"# why\ncall=f kind=leak path=\n", 2, "field 'path' is empty"},
        {"# why\ncall=f call=g kind=leak path=x\n", 2, "field 'call' given twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64], err[512] = "", want[128];
        write_file(path, bad[i].text);
        cr_assert(!waiver_load(path, err, sizeof err), "case %zu loaded", i);
        snprintf(want, sizeof want, "%s:%u: error: %s", path, bad[i].line, bad[i].says);
        cr_assert(strncmp(err, want, strlen(want)) == 0, "case %zu: expected \"%s\", got \"%s\"",
                  i, want, err);
        unlink(path);
    }
    /* A good line before a bad one is not kept: the file is all or nothing. */
    char path[64], err[512];
    write_file(path, "# why\ncall=pair_free kind=leak path=pair.b\ncall=x\n");
    cr_assert(!waiver_load(path, err, sizeof err));
    check_ctx found = free_forgetting('b');
    cr_assert(!check_ok(&found), "a waiver of a rejected file was kept");
    unlink(path);
    cr_assert(!waiver_load("/nonexistent/waivers", err, sizeof err));
    cr_assert(strstr(err, "/nonexistent/waivers: error: cannot open the waiver file") == err,
              "%s", err);
}

/* The variable rerun_with sets in the re-run program. */
typedef struct waiver_var {
    const char *name, *value;
} waiver_var;

/* The re-run's environment: no waiver variable but the one set, and its
 * stdout on /dev/null. */
static void waivers_only(const void *data)
{
    const waiver_var *v = data;
    int null = open("/dev/null", O_WRONLY); /* the test list: the worker's stdout may be gone */
    if (null >= 0)
        dup2(null, 1);
    /* BoxFort's BXFI_MAP would make the re-run a worker of this run's
     * sandbox, which aborts it. */
    unsetenv("BXFI_MAP");
    unsetenv("MEMHARNESS_WAIVERS");
    unsetenv("NAPUTIL_WAIVERS");
    unsetenv("MEMHARNESS_WAIVERS_RUN");
    setenv(v->name, v->value, 1);
}

/* Re-runs this program with name=value and the one argument arg (--list:
 * list the tests only); returns its exit status (-1 when it did not exit)
 * and its standard error. */
static int rerun_with(const char *name, const char *value, const char *arg, char *text,
                      size_t len)
{
    const waiver_var v = {name, value};
    return rerun_self(waivers_only, &v, arg, text, len);
}

MEMTEST(waivers, the_environment_loads_a_file_and_a_malformed_one_stops_the_program)
{
    char path[64], text[4096];
    write_file(path, "# why\ncall=f kind=leek path=x\n");
    int status = rerun_with("MEMHARNESS_WAIVERS", path, "--list", text, sizeof text);
    char want[256];
    snprintf(want, sizeof want, "%s:2: error: unknown kind 'leek'", path);
    cr_assert(status == 2 && strstr(text, want) != NULL, "status %d, stderr: %s", status, text);
    cr_assert(strstr(text, "MEMHARNESS_WAIVERS: the waiver file is malformed") != NULL, "%s",
              text);
    unlink(path);

    /* The alias; a run that waived nothing lists the waiver as stale. */
    write_file(path, good_file);
    status = rerun_with("NAPUTIL_WAIVERS", path, "--list", text, sizeof text);
    snprintf(want, sizeof want, "%s:2: warning: stale waiver", path);
    cr_assert(status == 0 && strstr(text, want) != NULL, "status %d, stderr: %s", status, text);
    unlink(path);
}

/* Run by the test below in a re-run of this program, in a worker process
 * of its own; alone it only records a finding nobody reads. */
MEMTEST(waivers_probe, records_one_finding)
{
    check_ctx found;
    check_init(&found, "probe");
    check_fail(&found, "probe_fn: probe.member: leaked (not freed)");
}

/* A waiver a worker matched is not stale: the run's processes pool what
 * they matched, and the runner alone lists the rest, once. */
MEMTEST(waivers, a_run_of_several_processes_lists_each_stale_waiver_once)
{
    char path[64], text[8192], want[256];
    write_file(path, "# the probe's finding\ncall=probe_fn kind=leak path=probe.member\n"
                     "# never matched\ncall=probe_fn kind=size path=*\n");
    int status = rerun_with("MEMHARNESS_WAIVERS", path, "--filter=waivers_probe/*", text,
                            sizeof text);
    cr_assert(status == 0, "status %d, stderr: %s", status, text);
    snprintf(want, sizeof want, "memharness: waived by %s:2 (the probe's finding): probe: "
             "probe_fn: probe.member: leaked (not freed)", path);
    cr_assert(strstr(text, want) != NULL, "expected \"%s\" in:\n%s", want, text);
    snprintf(want, sizeof want, "%s:2: warning: stale", path);
    cr_assert(strstr(text, want) == NULL, "a matched waiver was called stale:\n%s", text);
    snprintf(want, sizeof want, "%s:4: warning: stale waiver", path);
    const char *first = strstr(text, want);
    cr_assert(first != NULL && strstr(first + 1, want) == NULL,
              "the stale waiver is not listed exactly once:\n%s", text);
    unlink(path);
}
