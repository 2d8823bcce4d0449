#!/usr/bin/env python3
"""memharness sweep end to end against fake_server.py (a scripted stand-in
for a program under the preload seam, speaking SPEC21's protocol): the
command through harness/tools/memharness, with fork servers and jobs, the
exec-per-point fallback (--no-fork-server and `noserver`), a program with
nothing to sweep, hangs, site mode, shards merged equal to one sweep, resume
after --max-points, usage errors, and the three output files.

Usage: test_sweep_command.py [TEST...]   (exit 0 when every expectation holds)"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_server.py")
MEMHARNESS = os.path.join(HERE, "..", "..", "memharness")
PY = os.path.realpath(sys.executable)


def libc_path():
    """A real shared object to stand for the seam (the fake needs none, but
    the dynamic loader must find what LD_PRELOAD names)."""
    with open("/proc/self/maps") as f:
        for line in f:
            if "/libc.so" in line or "/libc-" in line:
                return line.split()[-1]
    raise RuntimeError("no libc in /proc/self/maps")


SCRIPT = {"allocs": 10, "at": {"2": "handled", "3": "crash", "4": "crash", "5": "leak",
                               "6": "leak_reachable", "7": "policy", "8": "policy",
                               "9": "assert"}}


class Sweep(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sweep-test-")
        self.env = dict(os.environ, MEMHARNESS_PRELOAD=libc_path())
        self.env.pop("MEMHARNESS_ONLY", None)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def script(self, obj, name="s.json"):
        p = os.path.join(self.dir, name)
        with open(p, "w") as f:
            json.dump(obj, f)
        return p

    def sweep(self, opts, script=None, out="out", env=None, stdin=subprocess.DEVNULL):
        cmd = ["bash", MEMHARNESS, "sweep"] + opts
        if out:
            cmd += ["--out", os.path.join(self.dir, out)]
        cmd += ["--", PY, FAKE, script or self.script(SCRIPT)]
        p = subprocess.run(cmd, capture_output=True, text=True, env=env or self.env,
                           cwd=self.dir, stdin=stdin, timeout=300)
        return p

    def model(self, out="out"):
        with open(os.path.join(self.dir, out, "sweep.json")) as f:
            return json.load(f)

    def lines(self, p, prefix):
        return [x for x in p.stdout.split("\n") if x.startswith(prefix)]

    def check_full(self, p, m):
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        kinds = sorted((f["kind"], f["count"], f["first"]) for f in m["findings"])
        self.assertEqual(kinds, [("assertion", 2, "transient:9"), ("crash", 4, "transient:3"),
                                 ("leak", 2, "transient:5"), ("policy", 4, "transient:7")])
        self.assertEqual(m["points"], {"total": 20, "transient": 10, "persistent": 10})
        self.assertEqual(m["absorbed"], 6)  # 1, 6 (reachable block), 10, twice
        self.assertEqual([(h["outcome"], h["count"]) for h in m["handled"]],
                         [("exit 1: error: out of memory", 2)])

    def test_fork_server_jobs(self):
        p = self.sweep(["--jobs", "2"])
        m = self.model()
        self.check_full(p, m)
        self.assertTrue(m["fork_server"])
        # One line per distinct finding, then the summary.
        self.assertEqual(len(self.lines(p, "sweep: crash")), 1)
        self.assertEqual(len(self.lines(p, "sweep: policy (not a bug)")), 1)
        summary = self.lines(p, "sweep: 20 points (transient 10, persistent 10) in ")
        self.assertEqual(len(summary), 1, p.stdout)
        self.assertIn("3 distinct findings; handled: absorbed 6, handled 2", summary[0])
        crash = [f for f in m["findings"] if f["kind"] == "crash"][0]
        self.assertEqual(crash["reproducer"], "MEMHARNESS_FAULTS=transient:3 LD_PRELOAD=%s %s %s %s"
                         % (libc_path(), PY, FAKE, os.path.join(self.dir, "s.json")))
        self.assertEqual(crash["failed"], "xmalloc (prog+0xf30)")
        # runs/ keeps the findings' first points only.
        self.assertEqual(sorted(os.listdir(os.path.join(self.dir, "out", "runs"))),
                         ["transient-3", "transient-5", "transient-7", "transient-9"])
        # JUnit: a failure per bug, the policy passes.
        suite = ET.parse(os.path.join(self.dir, "out", "junit.xml")).getroot()[0]
        self.assertEqual((suite.get("tests"), suite.get("failures")), ("5", "3"))
        with open(os.path.join(self.dir, "out", "index.html")) as f:
            page = f.read()
        self.assertIn("parse_value (prog+0x800)", page)
        self.assertIn('class="banner fail"', page)

    def test_reproducer_replays(self):
        self.sweep(["--jobs", "1", "--mode", "transient"])
        crash = [f for f in self.model()["findings"] if f["kind"] == "crash"][0]
        r = subprocess.run(["bash", "-c", crash["reproducer"]], capture_output=True,
                           text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, -11, r.stderr)
        self.assertIn('"t": "crash"', r.stderr)
        # --replay: the same, through the command.
        r = subprocess.run(["bash", MEMHARNESS, "sweep", "--replay", "transient:3", "--",
                            PY, FAKE, os.path.join(self.dir, "s.json")],
                           capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(r.returncode, -11, r.stderr)

    def test_exec_fallback(self):
        p = self.sweep(["--no-fork-server", "--jobs", "2"])
        m = self.model()
        self.check_full(p, m)
        self.assertFalse(m["fork_server"])

    def test_noserver_falls_back(self):
        p = self.sweep(["--mode", "transient", "--jobs", "1"],
                       self.script(dict(SCRIPT, threads=True)))
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn("the seam would not serve (threads)", p.stdout)
        self.assertEqual(self.model()["points"]["total"], 10)

    def test_nothing_to_sweep(self):
        p = self.sweep([], self.script({"allocs": 0, "no_alloc": True}))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("made no counted allocation after main: nothing to sweep", p.stdout)

    def test_hang_and_timeout(self):
        p = self.sweep(["--mode", "transient", "--timeout", "0.5", "--jobs", "1"],
                       self.script({"allocs": 3, "at": {"2": "hang"}}))
        m = self.model()
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertEqual([(f["kind"], f["first"], f["stack"][0]) for f in m["findings"]],
                         [("hang", "transient:2", "wait_forever (prog+0xf00)")])
        # The exec fallback asks for the stack with the same signal.
        # (A Python start under load takes most of a second: a longer timeout.)
        p = self.sweep(["--mode", "transient", "--timeout", "3", "--jobs", "1",
                        "--no-fork-server"], self.script({"allocs": 3, "at": {"2": "hang"}}),
                       out="o2")
        self.assertEqual([(f["kind"], f["stack"][0]) for f in self.model("o2")["findings"]],
                         [("hang", "wait_forever (prog+0xf00)")], p.stdout + p.stderr)

    def test_baseline_leak_once_and_glibc_misuse(self):
        p = self.sweep(["--mode", "transient", "--jobs", "1"],
                       self.script({"allocs": 4, "baseline_leak": True,
                                    "at": {"2": "glibc_misuse"}}))
        m = self.model()
        got = sorted((f["kind"], f["count"]) for f in m["findings"])
        self.assertEqual(got, [("baseline-leak", 1), ("misuse", 1)], p.stdout)
        self.assertIn("leak without any fault", p.stdout)

    def test_server_killed_mid_run(self):
        # The point that kills its server is left out (tried twice on fresh
        # servers) and named; the sweep goes on; without another finding
        # the incomplete sweep does not pass.
        p = self.sweep(["--mode", "transient", "--jobs", "1"],
                       self.script({"allocs": 6, "at": {"3": "kill_server", "5": "crash"}}))
        m = self.model()
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertEqual(m["points"]["total"], 5)
        self.assertEqual(len(m["errors"]), 1)
        self.assertIn("transient:3: the server ended during run", m["errors"][0])
        self.assertEqual([f["first"] for f in m["findings"]], ["transient:5"])
        p = self.sweep(["--mode", "transient", "--jobs", "1"],
                       self.script({"allocs": 4, "at": {"3": "kill_server"}}), out="o2")
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertIn("sweep: error: transient:3", p.stdout)

    def test_runs_that_do_not_repeat_the_fault_free_run(self):
        # From allocation 3 on, every run after the first behaves as if its
        # input were gone (a file offset shared with the server): the sweep
        # goes on to the fault-free count, says so, and does not pass.
        p = self.sweep(["--mode", "transient", "--jobs", "1"],
                       self.script({"allocs": 6, "diverge_after_first_run": True}))
        m = self.model()
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertEqual(m["diverged"], 5)
        self.assertIn("5 transient run(s) hit no fault although the fault-free run counted 6",
                      p.stdout)

    def test_site_mode(self):
        sites = ["a", "b", "a", "c", "b", "d"]   # 4 distinct sites
        p = self.sweep(["--mode", "site", "--jobs", "2"],
                       self.script({"allocs": 6, "sites": sites, "at": {"4": "crash"}}))
        m = self.model()
        self.assertEqual(m["points"]["site"], 4, p.stdout + p.stderr)
        crash = [f for f in m["findings"] if f["kind"] == "crash"][0]
        self.assertTrue(crash["reproducer"].startswith("MEMHARNESS_FAULTS=transient:4 "))

    def test_site_mode_without_fork_server(self):
        sites = ["a", "b", "a", "c", "b", "d"]
        script = self.script({"allocs": 6, "sites": sites, "at": {"4": "crash"}})
        p = self.sweep(["--mode", "site", "--jobs", "2", "--no-fork-server"], script)
        self.assertEqual(self.model()["points"]["site"], 4, p.stdout + p.stderr)
        p = self.sweep(["--mode", "site", "--shard", "1/2", "--no-fork-server"], script,
                       out="o2")
        self.assertEqual(p.returncode, 2)
        self.assertIn("site mode with --shard needs the fork server", p.stderr)

    def test_shards_merge_to_the_whole(self):
        for i in (1, 2, 3):
            p = self.sweep(["--shard", "%d/3" % i, "--jobs", "1"], out="s%d" % i)
            self.assertIn(p.returncode, (0, 3), p.stderr)
            self.assertEqual(self.model("s%d" % i)["shard"], "%d/3" % i)
        p = subprocess.run(["bash", MEMHARNESS, "sweep", "--merge", "--out",
                            os.path.join(self.dir, "all")]
                           + [os.path.join(self.dir, "s%d" % i) for i in (1, 2, 3)],
                           capture_output=True, text=True, env=self.env, timeout=60)
        self.check_full(p, self.model("all"))
        self.assertEqual(self.model("all")["notes"], [])

    def test_resume_after_max_points(self):
        p = self.sweep(["--mode", "transient", "--jobs", "1", "--max-points", "4"])
        m = self.model()
        self.assertEqual(m["points"]["total"], 4)
        self.assertTrue(m["capped"])
        p = self.sweep(["--mode", "transient", "--jobs", "1"])
        m = self.model()
        self.assertIn("resuming from", p.stdout)
        self.assertEqual(m["points"]["total"], 10)
        with open(os.path.join(self.dir, "out", "state.jsonl")) as f:
            state = [json.loads(x) for x in f]
        ks = [o["run"]["point"] for o in state if o["t"] == "point"]
        self.assertEqual(len(ks), len(set(ks)), "a point was run twice")
        # Finished: the next sweep starts afresh.
        p = self.sweep(["--mode", "transient", "--jobs", "1"])
        self.assertNotIn("resuming", p.stdout)

    def test_only_reaches_the_program(self):
        self.sweep(["--mode", "transient", "--only", "libfoo.so", "--jobs", "1"])
        m = self.model()
        crash = [f for f in m["findings"] if f["kind"] == "crash"][0]
        self.assertIn("MEMHARNESS_ONLY=libfoo.so ", crash["reproducer"])
        with open(os.path.join(crash["run_dir"], "stdout")) as f:
            self.assertEqual(f.read().strip(), "only=libfoo.so")

    def test_stdin_file_is_read_by_every_run(self):
        with open(os.path.join(self.dir, "in.txt"), "w") as f:
            f.write("input\n")
        with open(os.path.join(self.dir, "in.txt")) as stdin:
            self.sweep(["--mode", "transient", "--jobs", "1"], stdin=stdin)
        self.assertTrue(self.model()["findings"][0]["reproducer"].endswith(
            " < %s" % os.path.join(self.dir, "in.txt")))

    def test_suppressed_leak_is_not_a_failure(self):
        supp = os.path.join(self.dir, "my.supp")
        with open(supp, "w") as f:
            f.write("leak:load_entry\n")
        p = self.sweep(["--mode", "transient", "--jobs", "1", "--suppressions", supp],
                       self.script({"allocs": 3, "at": {"2": "leak"}}))
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn("sweep: suppressed by %s:1: leak" % supp, p.stdout)

    def test_usage_errors(self):
        cases = [(["--jobs", "0"], "--jobs '0'"), (["--mode", "sites"], "--mode 'sites'"),
                 (["--shard", "4/3"], "--shard '4/3'"), (["--frobnicate"], "unknown option")]
        for opts, text in cases:
            p = self.sweep(opts)
            self.assertEqual(p.returncode, 2, opts)
            self.assertIn(text, p.stderr)
        p = self.sweep([], env=dict(self.env, MEMHARNESS_PRELOAD="/nonexistent/seam.so"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("preload seam missing: /nonexistent/seam.so", p.stderr)
        static = os.path.join(self.dir, "static")
        with open(static, "wb") as f:   # an ELF header with no program header: static
            f.write(b"\x7fELF\x02\x01\x01" + b"\0" * 57)
        os.chmod(static, 0o755)
        p = subprocess.run(["bash", MEMHARNESS, "sweep", "--", static], capture_output=True,
                           text=True, env=self.env, cwd=self.dir)
        self.assertEqual(p.returncode, 2)
        self.assertIn("is not dynamically linked", p.stderr)
        p = subprocess.run(["bash", MEMHARNESS, "sweep", "--", "no-such-program-here"],
                           capture_output=True, text=True, env=self.env, cwd=self.dir)
        self.assertEqual((p.returncode, p.stderr.strip()),
                         (2, "memharness sweep: no-such-program-here: no such program on PATH"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
