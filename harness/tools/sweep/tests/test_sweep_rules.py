#!/usr/bin/env python3
"""memharness sweep's rules, each shown holding on the input it is for and
refusing the input it must not take: shard arithmetic, every classification
rule, the dedup key, suppressions, the state file and the shard merge.

Usage: test_sweep_rules.py   (exit 0 when every expectation holds)"""
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "..", ".."))
from sweep import (classify, dedup, model, points, record, scheduler, state,  # noqa: E402
                   suppress, symbols)

P = "/opt/prog"
LIBC = "/lib/x86_64-linux-gnu/libc.so.6"


def fr(func, off=0x10, obj=P):
    return "%s+0x%x %s+0x4" % (obj, off, func) if func else "%s+0x%x" % (obj, off)


def run(point="transient:1", status=0, signal=None, fault_stack=None, hit=True, **kw):
    r = {"point": point, "spec": point, "wait_status": 0, "timed_out": False, "usec": 10,
         "run_dir": "/nonexistent", "status": status, "signal": signal,
         "fault": {"t": "fault", "hit": hit, "at": int(point.split(":")[1]) if ":" in point
                   and point.split(":")[1].isdigit() else 1,
                   "stack": fault_stack if fault_stack is not None
                   else [fr("xmalloc", 0x100), fr("work", 0x200), fr("main", 0x300)]},
         "misuse": [], "end": None, "crash": None, "hang": None, "leaks": [], "stats": None,
         "stderr_first": "", "stderr_misuse": None, "stderr_assert": None,
         "record_error": None}
    r.update(kw)
    return r


def ctx(baseline=None):
    return classify.Context(baseline or run("off", hit=False), symbols.Symbols(False))


LEAK = {"t": "leak", "size": 8, "seq": 3, "reachable": False, "after_fault": True,
        "stack": [fr("load_entry", 0x400), fr("load", 0x410), fr("main", 0x300)]}


class Points(unittest.TestCase):
    def test_shards_cover_every_k_once(self):
        for n in (1, 2, 3, 7):
            owners = [[i for i in range(1, n + 1) if points.shard_owns_k(k, (i, n))]
                      for k in range(1, 50)]
            self.assertTrue(all(len(o) == 1 for o in owners), n)
        self.assertFalse(points.shard_owns_k(2, (1, 2)))
        g = points.shard_ks((2, 3))
        self.assertEqual([next(g) for _ in range(3)], [2, 5, 8])

    def test_site_classes_split_the_shard(self):
        # Jobs' classes of shard 2/3: every hash the shard owns, exactly one job.
        classes = [points.site_class((2, 3), j, 4) for j in range(4)]
        for h in range(200):
            takers = [c for c in classes if h % c[1] == c[0] - 1]
            self.assertEqual(len(takers), 1 if h % 3 == 1 else 0, h)

    def test_bad_mode_and_shard_refused(self):
        for bad in ("transent", "site:9", "site:x"):
            self.assertRaises(points.UsageError, points.parse_mode, bad)
        for bad in ("0/2", "3/2", "1", "a/b"):
            self.assertRaises(points.UsageError, points.parse_shard, bad)
        self.assertEqual(points.parse_mode("site:3"), ("site", 3))

    def test_point_order(self):
        labels = ["persistent:1", "transient:10", "site:1:1/1#1", "transient:2", "off"]
        self.assertEqual(sorted(labels, key=points.point_sort_key),
                         ["off", "transient:2", "transient:10", "persistent:1",
                          "site:1:1/1#1"])


class Rules(unittest.TestCase):
    def test_hang(self):
        self.assertEqual(classify.rule_hang(run(timed_out=True), ctx())["kind"], "hang")
        self.assertIsNone(classify.rule_hang(run(), ctx()))

    def test_crash_is_not_abort(self):
        c = run(signal=11, crash={"signal": 11, "name": "SIGSEGV", "stack": [fr("f")]})
        self.assertEqual(classify.rule_crash(c, ctx())["detail"], "SIGSEGV")
        a = run(signal=6, crash={"signal": 6, "name": "SIGABRT", "stack": [fr("f")]})
        self.assertIsNone(classify.rule_crash(a, ctx()))
        self.assertEqual(classify.classify(a, ctx())["kind"], "abort")
        self.assertIsNone(classify.rule_crash(run(status=1), ctx()))

    def test_assertion(self):
        r = run(signal=6, end={"how": "assert", "message": "x.c:1: f: Assertion `p' failed.",
                               "stack": [fr("f")]})
        self.assertEqual(classify.classify(r, ctx())["kind"], "assertion")
        self.assertIsNone(classify.rule_assertion(run(end={"how": "abort", "stack": []}), ctx()))

    def test_libc_internal_assertion(self):
        # glibc asserts inside NSS: no end record, SIGABRT, its message on stderr.
        msg = "sqlite3: nss_database.c:291: nss_database_reload_1: Assertion `ret > 0' failed."
        stack = [fr(None, 0x8aeec, LIBC), fr("gsignal", 0x3bfb2, LIBC),
                 fr("abort", 0x26472, LIBC), fr("__assert_fail", 0x34ec2, LIBC),
                 fr(None, 0x13526f, LIBC), fr("getpwuid", 0xd2f0f, LIBC), fr(None, 0x16a62)]
        r = run(signal=6, stderr_assert=msg, crash={"signal": 6, "stack": stack},
                fault_stack=[fr("__getdelim", 0x76c9f, LIBC), fr(None, 0x16a62)])
        c = classify.classify(r, ctx())
        self.assertEqual((c["kind"], c["detail"]), ("assertion", msg))
        self.assertEqual(c["stack"][0], fr(None, 0x13526f, LIBC))   # machinery cut
        f = dedup.Findings(symbols.Symbols(False))
        f.add(r, c)
        self.assertEqual(f.findings()[0]["failed_in_libc"], "__getdelim (libc.so.6+0x76c9f)")
        # SIGABRT without the message: abort, not assertion.
        r2 = dict(r, stderr_assert=None)
        self.assertEqual(classify.classify(r2, ctx())["kind"], "abort")
        # The message without SIGABRT (a program printing it): no assertion.
        self.assertIsNone(classify.rule_assertion(run(status=1, stderr_assert=msg), ctx()))

    def test_misuse_from_record_and_from_glibc(self):
        r = run(misuse=[{"text": "double free", "stack": [fr("cleanup")]}])
        self.assertEqual(classify.classify(r, ctx())["kind"], "misuse")
        g = run(signal=6, stderr_misuse="free(): double free detected in tcache 2")
        self.assertEqual(classify.classify(g, ctx())["kind"], "misuse")
        self.assertIsNone(classify.rule_misuse(run(stderr_first="free(): ok"), ctx()))

    def test_policy_only_when_the_allocating_function_ends_the_program(self):
        die = run(status=1, end={"how": "exit", "status": 1,
                                 "stack": [fr("die", 0x500), fr("xmalloc", 0x104), fr("main")]})
        c = classify.classify(die, ctx())
        self.assertEqual((c["kind"], c["function"]), ("policy", "xmalloc"))
        # An error path that returns to main, which then exits 1: handled, not policy.
        ret = run(status=1, end={"how": "exit", "status": 1, "stack": [fr("main", 0x320)]})
        self.assertEqual(classify.classify(ret, ctx())["kind"], "handled")
        # exit(0) from the allocating function is no die-on-OOM.
        ok = run(status=0, end={"how": "exit", "status": 0, "stack": [fr("xmalloc", 0x104)]})
        self.assertIsNone(classify.rule_policy(ok, ctx()))
        # A libc frame first (strdup): the function is the first one outside libc.
        viastrdup = run(status=1, fault_stack=[fr("strdup", 0x9, LIBC), fr("xstrdup", 0x120),
                                               fr("main")],
                        end={"how": "exit", "status": 1, "stack": [fr("xstrdup", 0x130)]})
        self.assertEqual(classify.classify(viastrdup, ctx())["function"], "xstrdup")

    def test_policy_is_one_finding_not_one_per_point(self):
        f = dedup.Findings(symbols.Symbols(False))
        for k in (3, 9, 27):
            r = run("transient:%d" % k, status=1,
                    fault_stack=[fr("xmalloc", 0x100), fr("caller%d" % k, 0x200 + k)],
                    end={"how": "exit", "status": 1, "stack": [fr("xmalloc", 0x108)]})
            f.add(r, classify.classify(r, ctx()))
        got = f.findings()
        self.assertEqual(len(got), 1)
        self.assertEqual((got[0]["kind"], got[0]["count"], got[0]["first"]),
                         ("policy", 3, "transient:3"))

    def test_abort(self):
        r = run(signal=6, end={"how": "abort", "stack": [fr("check")]})
        self.assertEqual(classify.classify(r, ctx())["kind"], "abort")
        self.assertIsNone(classify.rule_abort(run(status=2), ctx()))

    def test_leak_new_against_baseline(self):
        r = run(leaks=[LEAK], end={"how": "exit", "status": 0, "stack": []})
        self.assertEqual(classify.classify(r, ctx())["kind"], "leak")
        # The same block leaks without any fault: not this point's finding.
        base = run("off", hit=False, leaks=[dict(LEAK, after_fault=False)])
        self.assertEqual(classify.classify(r, ctx(base))["kind"], "absorbed")
        # A block still reachable is no leak.
        reach = run(leaks=[dict(LEAK, reachable=True)])
        self.assertIsNone(classify.rule_leak(reach, ctx()))

    def test_loader_blocks_are_no_leak(self):
        tls = dict(LEAK, stack=["/lib64/ld-linux-x86-64.so.2+0x10cb3",
                                "/lib64/ld-linux-x86-64.so.2+0x1171e _dl_allocate_tls+0xe",
                                fr("main")])
        self.assertIsNone(classify.rule_leak(run(leaks=[tls]), ctx()))
        viamalloc = dict(LEAK, stack=[fr("malloc", 0x99, LIBC), fr("main")])
        self.assertEqual(classify.rule_leak(run(leaks=[viamalloc]), ctx())["kind"], "leak")

    def test_baseline_leak_reported_once(self):
        base = run("off", hit=False, leaks=[dict(LEAK, after_fault=False)])
        c = ctx(base)
        f = dedup.Findings(c.symbols)
        f.add_baseline_leaks(base, classify.unreachable(base))
        for k in range(1, 6):
            r = run("transient:%d" % k, leaks=[LEAK])
            f.add(r, classify.classify(r, c))
        got = f.findings()
        self.assertEqual([(x["kind"], x["count"]) for x in got], [("baseline-leak", 1)])
        self.assertIn("leak without any fault", got[0]["detail"])

    def test_handled_against_baseline(self):
        base = run("off", hit=False, status=0, stderr_first="")
        self.assertEqual(classify.classify(run(), ctx(base))["kind"], "absorbed")
        h = classify.classify(run(status=1, stderr_first="out of memory"), ctx(base))
        self.assertEqual((h["kind"], h["detail"]), ("handled", "exit 1: out of memory"))

    def test_rule_order_hang_before_crash(self):
        r = run(timed_out=True, signal=9)
        self.assertEqual(classify.classify(r, ctx())["kind"], "hang")


class Dedup(unittest.TestCase):
    def crash(self, k, site="xmalloc", top="parse"):
        return run("transient:%d" % k, signal=11, fault_stack=[fr(site, 0x100 + len(site))],
                   crash={"signal": 11, "name": "SIGSEGV",
                          "stack": [fr(top, 0x800), fr("parse_all", 0x900), fr("main"),
                                    fr("deeper_%d" % k, 0x999)]})

    def test_same_crash_from_different_k_is_one_finding(self):
        f = dedup.Findings(symbols.Symbols(False))
        for k in (9, 4, 12):
            r = self.crash(k)
            f.add(r, classify.classify(r, ctx()))
        got = f.findings()
        self.assertEqual(len(got), 1)
        self.assertEqual((got[0]["count"], got[0]["first"]), (3, "transient:4"))

    def test_abort_at_an_assertion_s_frames_is_that_assertion(self):
        # Under a persistent fault glibc cannot allocate an assertion's text:
        # the same assertion ends as a bare SIGABRT at the same frames.
        msg = "prog: x.c:9: f: Assertion `p' failed."
        stack = [fr("f"), fr("main", 0x20)]
        fault = [fr("xalloc", 0x30)]
        bare = run("persistent:6", signal=6, crash={"signal": 6, "stack": stack},
                   fault_stack=fault)
        told = run("transient:6", signal=6, stderr_assert=msg,
                   crash={"signal": 6, "stack": stack}, fault_stack=fault)
        for order in ((bare, told), (told, bare)):
            f = dedup.Findings(symbols.Symbols(False))
            for r in order:
                f.add(r, classify.classify(r, ctx()))
            got = f.findings()
            self.assertEqual([(x["kind"], x["count"], x["detail"], x["first"]) for x in got],
                             [("assertion", 2, msg, "transient:6")])
        # An abort at other frames stays an abort of its own.
        other = run("transient:8", signal=6, crash={"signal": 6, "stack": [fr("g")]},
                    fault_stack=fault)
        f.add(other, classify.classify(other, ctx()))
        self.assertEqual(sorted(x["kind"] for x in f.findings()), ["abort", "assertion"])

    def test_other_site_or_other_top_is_another_finding(self):
        f = dedup.Findings(symbols.Symbols(False))
        for r in (self.crash(1), self.crash(2, site="xcalloc"), self.crash(3, top="emit")):
            f.add(r, classify.classify(r, ctx()))
        self.assertEqual(len(f.findings()), 3)

    def test_leak_stands_by_the_block_allocated_last(self):
        # The error path's own block (allocated last) names the finding, so a
        # leak of main's blocks seen at every point does not hide it.
        other = dict(LEAK, seq=5, stack=[fr("load_index", 0x480), fr("main", 0x300)])
        f = dedup.Findings(symbols.Symbols(False))
        for k in (2, 3):
            r = run("transient:%d" % k, leaks=[LEAK, other] if k == 3 else [LEAK])
            f.add(r, classify.classify(r, ctx()))
        got = sorted((x["stack"][0].split(" ")[0], x["count"], len(x["leaks"]))
                     for x in f.findings())
        self.assertEqual(got, [("load_entry", 1, 1), ("load_index", 1, 2)])

    def test_libc_variant_does_not_split_a_key(self):
        s = symbols.Symbols(False)
        a = {"kind": "crash", "stack": [fr("__strcpy_evex", 0x99, LIBC), fr("dup")],
             "failed": fr("dup")}
        b = dict(a, stack=[fr("__strcpy_avx2", 0x77, LIBC), fr("dup")])
        self.assertEqual(dedup.finding_key(a, s), dedup.finding_key(b, s))
        c = dict(a, stack=[fr("__strcpy_evex", 0x99, LIBC), fr("dup2")])
        self.assertNotEqual(dedup.finding_key(a, s), dedup.finding_key(c, s))

    def test_crash_in_the_allocating_function_is_one_bug_for_all_callers(self):
        s = symbols.Symbols(False)
        def crash(caller):
            return {"kind": "crash", "failed": fr("jv_mem_alloc", 0x249),
                    "stack": [fr("memory_exhausted", 0x1f7), fr("jv_mem_alloc", 0x258),
                              fr(caller, 0x300)]}
        self.assertEqual(dedup.finding_key(crash("jv_string"), s),
                         dedup.finding_key(crash("jv_array"), s))
        # A crash in the caller after the allocation returned keeps its caller.
        after = {"kind": "crash", "failed": fr("xmalloc"),
                 "stack": [fr("parse", 0x10), fr("load", 0x20), fr("main")]}
        other = dict(after, stack=[fr("parse", 0x10), fr("load2", 0x20), fr("main")])
        self.assertNotEqual(dedup.finding_key(after, s), dedup.finding_key(other, s))

    def test_key_uses_offsets_without_names(self):
        s = symbols.Symbols(False)
        a = {"kind": "crash", "stack": [fr(None, 0x10)], "failed": fr(None, 0x20)}
        b = {"kind": "crash", "stack": [fr(None, 0x11)], "failed": fr(None, 0x20)}
        self.assertNotEqual(dedup.finding_key(a, s), dedup.finding_key(b, s))
        self.assertIn("/opt/prog+0x10", dedup.finding_key(a, s))


STRIPPED_C = r"""
int api_small(int x) { return x + 1; }
__attribute__((noinline)) static int first_static(int x)
{ int s = 0; for (int i = 0; i < x; i++) s += i * x; return s; }
__attribute__((noinline)) static int second_static(int x)
{ int s = 1; for (int i = 0; i < x; i++) s *= i + x; return s; }
int api_entry(int x) { return first_static(x) + second_static(x); }
"""


class StrippedObjects(unittest.TestCase):
    """A stripped library's static functions: addr2line -f answers the
    nearest preceding .dynsym symbol whatever its size, which named both of
    them api_small; each must be named by its own start instead."""

    @classmethod
    def setUpClass(cls):
        import shutil
        import subprocess
        cc = os.environ.get("CC", "cc").split()[0]
        if not (shutil.which(cc) and shutil.which("nm") and shutil.which("strip")):
            raise unittest.SkipTest("needs a C compiler, nm and strip")
        cls.tmp = tempfile.TemporaryDirectory()
        src = os.path.join(cls.tmp.name, "t.c")
        with open(src, "w") as f:
            f.write(STRIPPED_C)
        full = os.path.join(cls.tmp.name, "libfull.so")
        cls.lib = os.path.join(cls.tmp.name, "libstripped.so")
        subprocess.run([cc, "-shared", "-fPIC", "-O0", "-fno-inline", "-o", full, src],
                       check=True)
        syms = {}
        for line in subprocess.run(["nm", "-S", full], capture_output=True, text=True,
                                   check=True).stdout.splitlines():
            w = line.split()
            if len(w) == 4:
                syms[w[3]] = (int(w[0], 16), int(w[1], 16))
        cls.syms = syms
        subprocess.run(["strip", "--strip-all", "-o", cls.lib, full], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def frame(self, func, dl):
        """A frame 8 bytes into func, with the dladdr name dl."""
        start, size = self.syms[func]
        return "%s+0x%x %s+0x%x" % (self.lib, start + 8, dl, start + 8 -
                                    self.syms[dl][0])

    def test_static_functions_named_by_their_start(self):
        a, b = self.syms["first_static"], self.syms["second_static"]
        small = self.syms["api_small"]
        self.assertGreaterEqual(a[0], small[0] + small[1], "layout: the statics follow api_small")
        for use in (True, False):
            s = symbols.Symbols(use)
            f1, f2 = self.frame("first_static", "api_small"), \
                self.frame("second_static", "api_small")
            s.resolve([f1, f2])
            want1 = "libstripped.so+0x%x" % a[0]
            want2 = "libstripped.so+0x%x" % b[0]
            self.assertEqual((s.func(f1), s.func(f2)), (want1, want2), use)
            self.assertEqual((s.key_name(f1), s.key_name(f2)), (want1, want2))
            self.assertEqual(s.names(f1), [want1])
            self.assertTrue(s.where(f1).startswith("a function without a name at " + want1),
                            s.where(f1))

    def test_exported_function_keeps_its_name(self):
        for use in (True, False):
            s = symbols.Symbols(use)
            f = self.frame("api_entry", "api_entry")
            self.assertEqual(s.func(f), "api_entry")
            # Without the record's dladdr name, .dynsym's sizes name it too.
            bare = f.split(" ")[0]
            self.assertEqual(s.func(bare), "api_entry")


class FakeRunner:
    """A job whose point k hits a fault for k <= 6: odd k crash alike, even
    k end alike with status 0; it notes the directory each run was given."""

    def __init__(self):
        self.dirs = []

    def run(self, spec, d, timeout):
        import json
        k = int(spec.split(":")[1])
        self.dirs.append(d)
        lines = [{"t": "fault", "spec": spec, "counted": 9, "hit": k <= 6, "at": k,
                  "stack": [fr("xmalloc", 0x100), fr("main", 0x300)]}]
        if k <= 6 and k % 2:
            lines.append({"t": "crash", "signal": 11, "name": "SIGSEGV",
                          "stack": [fr("use", 0x120), fr("main", 0x300)]})
        with open(os.path.join(d, "record"), "w") as f:
            f.write("".join(json.dumps(x) + "\n" for x in lines))
        for name in ("stdout", "stderr"):
            with open(os.path.join(d, name), "w") as f:
                f.write("out of memory %d\n" % k if name == "stderr" and k > 6 else "")
        return (11 if k <= 6 and k % 2 else 0), False, 10


class NullState:
    def point(self, run):
        pass

    def stream_done(self, stream, last):
        pass


class RunFiles(unittest.TestCase):
    """A point's files are kept only when it may be a finding's first point:
    the other runs reuse one directory per job (no files made per point)."""

    def test_only_first_of_each_outcome_kept(self):
        with tempfile.TemporaryDirectory() as root:
            job = FakeRunner()
            stream = scheduler.CountedStream(("transient", None), (1, 1), set())
            sched = scheduler.Scheduler([job], [stream], root, 1.0, NullState())
            runs, errors, _ = sched.run_all()
            self.assertEqual(errors, [])
            self.assertEqual([r["point"] for r in runs],
                             ["transient:%d" % k for k in range(1, 7)])
            self.assertEqual(len(set(job.dirs)), 1, job.dirs)
            kept = {r["point"]: r["run_dir"] for r in runs if r["run_dir"]}
            self.assertEqual(sorted(kept), ["transient:1", "transient:2"])
            self.assertEqual(sorted(n for n in os.listdir(root) if not n.startswith(".")),
                             ["transient-1", "transient-2"])
            with open(os.path.join(kept["transient:1"], "record")) as f:
                self.assertIn("SIGSEGV", f.read())

    def test_earlier_point_finishing_later_takes_the_place(self):
        # With several jobs a later point of an outcome may finish first.
        with tempfile.TemporaryDirectory() as root:
            job = FakeRunner()
            sched = scheduler.Scheduler([job], [], root, 1.0, NullState())
            slot = os.path.join(root, ".job-0")
            late = sched.run_one(job, "transient:5", "transient:5", slot)
            sched._keep_or_drop(late, True)
            early = sched.run_one(job, "transient:3", "transient:3", slot)
            sched._keep_or_drop(early, True)
            self.assertEqual((early["run_dir"], late["run_dir"]),
                             (os.path.join(root, "transient-3"), None))
            self.assertFalse(os.path.exists(os.path.join(root, "transient-5")))
            again = sched.run_one(job, "transient:1", "transient:2", slot)
            sched._keep_or_drop(again, False)
            self.assertIsNone(again["run_dir"])


class Suppressions(unittest.TestCase):
    def test_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".supp", delete=False) as t:
            t.write("# mine\nleak:load_*\n")
        rules = suppress.load(t.name)
        self.assertTrue(suppress.match(rules, "leak", ["load_entry"]))
        self.assertIsNone(suppress.match(rules, "crash", ["load_entry"]))
        self.assertIsNone(suppress.match(rules, "leak", ["main"]))
        with open(t.name, "w") as f:
            f.write("leek:x\n")
        with self.assertRaises(points.UsageError) as e:
            suppress.load(t.name)
        self.assertIn(":1:", str(e.exception))
        os.unlink(t.name)


class Records(unittest.TestCase):
    def test_cut_record_and_glibc_message(self):
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "record"), "w") as f:
            f.write('{"t":"fault","hit":true,"at":2,"stack":[]}\n{"t":"crash","sig')
        with open(os.path.join(d, "stderr"), "w") as f:
            f.write("memharness: seam line\nparsing\nfree(): invalid pointer\n")
        r = record.outcome("transient:2", "transient:2", 6, False, 5, d)
        self.assertEqual((r["signal"], r["status"]), (6, None))
        self.assertTrue(record.hit(r))
        self.assertIsNone(r["crash"])
        self.assertIn("not JSON", r["record_error"])
        self.assertEqual(r["stderr_first"], "parsing")
        self.assertEqual(r["stderr_misuse"], "free(): invalid pointer")

    def test_reachable_blocks_only_counted(self):
        # Nothing reads a reachable block's stack: a program with thousands
        # live at exit must not make every point parse and store them.
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "record"), "w") as f:
            f.write('{"t":"fault","hit":true,"at":2,"stack":[]}\n'
                    '{"t":"leak","size":8,"seq":1,"after_fault":false,"reachable":true,'
                    '"stack":["/p+0x10"]}\n'
                    '{"t":"leak","size":9,"seq":2,"after_fault":true,"reachable":false,'
                    '"stack":["/p+0x20"]}\n'
                    '{"t":"stats","counted":3,"tracked":4}\n')
        r = record.outcome("transient:2", "transient:2", 0, False, 5, d)
        self.assertEqual([b["size"] for b in r["leaks"]], [9])
        self.assertEqual(r["reachable_blocks"], 1)
        self.assertEqual(r["stats"]["counted"], 3)


class State(unittest.TestCase):
    def test_resume_only_same_unfinished_sweep(self):
        d = tempfile.mkdtemp()
        p = os.path.join(d, "state.jsonl")
        h = state.header("/p", ["a"], [], ["transient"], (1, 1), 2, None)
        w = state.Writer(p, h, None)
        w.point(run("transient:1"))
        w.stream_done("transient", 2)
        r, note = state.load(p, h)
        self.assertEqual((list(r.points), r.finished), (["transient:1"], {"transient"}))
        other = dict(h, args=["b"])
        self.assertIsNone(state.load(p, other)[0])
        w.complete()
        self.assertEqual(state.load(p, h), (None, None))


class Merge(unittest.TestCase):
    def shard(self, i, pts_, first):
        return {"schema": model.SCHEMA, "program": "/p", "args": [], "only": [],
                "modes": ["transient"], "shard": "%d/2" % i, "name": "p",
                "points": {"total": len(pts_), "transient": len(pts_)},
                "counts": {"crash": len(pts_)},
                "findings": [{"key": "crash|f|x", "kind": "crash", "bug": True,
                              "points": pts_, "count": len(pts_), "first": first,
                              "detail": "SIGSEGV", "stack": [], "failed": None}],
                "handled": [], "absorbed": 1, "timings": {"wall_s": 1.0 * i, "run_s": 1.0},
                "errors": [], "notes": [], "shards": [{"shard": "%d/2" % i, "points": 1,
                                                       "wall_s": 1.0 * i}]}

    def test_merge_sums_and_takes_least_first(self):
        m = model.merge([self.shard(2, ["transient:4"], "transient:4"),
                         self.shard(1, ["transient:3", "transient:5"], "transient:3")],
                        ["b", "a"])
        f = m["findings"][0]
        self.assertEqual((f["count"], f["first"], m["points"]["total"], m["exit"]),
                         (3, "transient:3", 3, 3))
        self.assertEqual(m["notes"], [])

    def test_merge_keeps_the_assertion_an_earlier_abort_lost(self):
        bare, told = self.shard(1, ["transient:6"], "transient:6"), \
            self.shard(2, ["persistent:9"], "persistent:9")
        bare["findings"][0].update(kind="abort", detail="SIGABRT")
        told["findings"][0].update(kind="assertion", detail="x.c:1: f: Assertion `p' failed.")
        for order in ((bare, told), (told, bare)):
            f = model.merge(list(order), ["a", "b"])["findings"][0]
            self.assertEqual((f["kind"], f["detail"], f["first"], f["count"]),
                             ("assertion", "x.c:1: f: Assertion `p' failed.", "transient:6", 2))

    def test_missing_shard_and_other_program(self):
        m = model.merge([self.shard(1, ["transient:3"], "transient:3")], ["a"])
        self.assertIn("2/2", m["notes"][0])
        other = dict(self.shard(2, [], "transient:4"), program="/q")
        self.assertRaises(ValueError, model.merge, [self.shard(1, [], "transient:3"), other],
                          ["a", "b"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
