#!/usr/bin/env python3
"""The report package's own test: planted runs (kept in fixtures/, captured
from real runs of Criterion 2.4.1, Memcheck 3.19 and clang-14's sanitizers)
must come out as failures in the table, the closing line and the JUnit
files, and a clean run as a pass:
  - a failing and a crashing Criterion test (messages with file:line),
  - a zoo entry the tracker catches (a double free; findings.jsonl),
  - an ASan heap overflow in a program that is not a Criterion program,
  - a leak found by LeakSanitizer and by Valgrind at worker exit after
    every Criterion test passed (it must not vanish),
  - a planted broken program (should_fail) failing as it must: one check
    passed.
Also runs tool_reports.py over the fixtures: exit 3 for each tool finding.

Usage: test_report.py     (exit 0 when every expectation holds)"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "fixtures")
TOOLS = os.path.join(HERE, "..", "..", "tools")
sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(HERE, "..", ".."))
from report import console, criterion, html, junit, model, progress, summary, valgrind, sanitizer  # noqa: E402

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


def make_run(report_dir, name, argv, files):
    """A run directory as the wrappers leave it; files maps a name in the
    run directory to a fixture (or None: an empty file is not wanted)."""
    d = os.path.join(report_dir, name)
    os.makedirs(d)
    with open(os.path.join(d, "argv"), "wb") as f:
        f.write(b"".join(a.encode() + b"\0" for a in argv))
    for dest, text in files.items():
        with open(os.path.join(d, dest), "w", encoding="utf-8") as f:
            f.write(text)
    return d


def fixture(name):
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


def verdict(text, tool):
    return json.dumps({"report": tool, "text": text}) + "\n"


def build_tree(root):
    """Build dirs with a test log and run directories for config plain
    (Criterion failures, a tracker finding, a should_fail program, a clean
    program) and asan/valgrind (tool findings)."""
    tests = {"plain": [], "asan": [], "valgrind": []}

    def add(config, suite, name, result, rc, files, verdicts=()):
        argv = ["/prog/" + name, "--arg"]
        rdir = os.path.join(root, config, "tool-reports", config)
        text = "".join(verdict(v, config) for v in verdicts)
        if text:
            files = dict(files, **{"verdict.jsonl": text})
        make_run(rdir, "%s.1" % name, argv, files)
        tests[config].append({"name": "naputil:%s / %s" % (suite, name), "result": result,
                              "returncode": rc, "duration": 1.0, "stdout": "console text "
                              "the report must not need\n", "command": ["/wrap.sh"] + argv})

    def sweep_figure(function):
        return json.dumps({"metric": "sweep", "function": function, "scenario": function,
                           "mode": "transient", "points": 1, "allocations": 1}) + "\n"
    add("plain", "contract", "fail_crash", "FAIL", 1,
        {"criterion.json": fixture("criterion_fail_crash.json"),
         "metrics.jsonl": sweep_figure("lib_op(mode=a)")})
    add("plain", "contract", "double_free", "FAIL", 1,
        {"criterion.json": fixture("criterion_double_free.json"),
         "findings.jsonl": fixture("findings_double_free.jsonl")})
    add("plain", "seam-planted", "planted", "EXPECTEDFAIL", 1,
        {"criterion.json": fixture("criterion_fail_crash.json")})
    add("plain", "contract", "clean", "OK", 0,
        {"criterion.json": fixture("criterion_worker_leak.json"),
         "metrics.jsonl": sweep_figure("lib_op(mode=b)")})
    add("asan", "canary", "overflow", "FAIL", 3, {"san.1": fixture("san.overflow")},
        ["asan: heap-buffer-overflow WRITE of size 1 in canary_overflow (canary.c:30:38)"])
    add("asan", "core", "worker_leak", "FAIL", 3,
        {"criterion.json": fixture("criterion_worker_leak.json"),
         "san.2": fixture("san.worker_leak")},
        ["lsan: direct leak of 40 bytes (LeakSanitizer) in canary_leak_at_worker_exit_impl"])
    add("valgrind", "core", "worker_leak", "FAIL", 3,
        {"criterion.json": fixture("criterion_vg_worker_leak.json"),
         "vg.3.xml": fixture("vg.worker_leak.xml")},
        ["valgrind: 40 bytes in 1 blocks are definitely lost in "
         "canary_leak_at_worker_exit_impl (test_canary_criterion.c:16)"])
    pairs = []
    for config, entries in tests.items():
        logdir = os.path.join(root, config, "meson-logs")
        os.makedirs(logdir)
        log = os.path.join(logdir, "testlog-%s.json" % config)
        with open(log, "w", encoding="utf-8") as f:
            f.write("".join(json.dumps(e) + "\n" for e in entries))
        pairs.append((config, log))
    return pairs


def check_readers():
    found = valgrind.read(os.path.join(FIX, "vg.worker_leak.xml"))[0]
    expect([f["kind"] for f in found] == ["Leak_DefinitelyLost"]
           and found[0]["site"].startswith("canary_leak_at_worker_exit_impl"),
           "valgrind reader: the worker-exit leak, got %r" % found)
    san = sanitizer.read_san(os.path.join(FIX, "san.overflow"))
    expect(san and san[0]["headline"].startswith("asan: heap-buffer-overflow"),
           "sanitizer reader: the overflow, got %r" % [f["headline"] for f in san])
    san = sanitizer.read_san(os.path.join(FIX, "san.worker_leak"))
    expect(san and san[0]["leak"] and san[0]["bytes"] == 40,
           "sanitizer reader: the 40-byte leak, got %r" % [f["headline"] for f in san])


def check_criterion_unescaped(tmp):
    """Criterion 2.4.1 writes a failed assertion's source into its JSON
    unescaped (tracked_from(p, "f") is false): the report still reads it."""
    path = os.path.join(tmp, "criterion-unescaped.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n  "id": "Criterion v2.4.1",\n  "test_suites": [\n    {\n'
                '      "name": "wrap_libc",\n      "tests": [\n        {\n'
                '          "name": "moved_results",\n          "status": "FAILED",\n'
                '          "messages": [\n'
                '            "t.c:439: The expression tracked_from(tn, "cut_tempnam") is false.",\n'
                '            "t.c:440: a \\ backslash"\n'
                '          ]\n        }\n      ]\n    }\n  ]\n}\n')
    errors = []
    cases = criterion.read(path, errors)
    expect(not errors and cases and cases[0]["messages"] == [
        't.c:439: The expression tracked_from(tn, "cut_tempnam") is false.',
        't.c:440: a \\ backslash'],
           "criterion reader: unescaped quotes in a message, got %r %r" % (errors, cases))


def check_progress(tmp):
    """The call guard's progress files, under its magic and the one it wrote
    before (a file left by an older build), both name their call."""
    d = tempfile.mkdtemp(dir=tmp)
    for pid, magic in ((11, b"MEMHARNESS-PG 1\n"), (12, b"NAPUTIL-GUARD 1\n"),
                       (13, b"SOMETHING-ELSE\n\0")):
        page = bytearray(4096)
        page[0:16] = magic
        event = b"the process exited with status 0 inside the call"
        page[16:16 + len(event)] = event
        label = b"parse(n=%d) [no fault]" % pid
        page[256:256 + len(label)] = label
        with open(os.path.join(d, "progress.%d" % pid), "wb") as f:
            f.write(bytes(page))
    found = progress.findings(d)
    expect(found == [("11", "parse(n=11) [no fault]: the process exited with status 0 inside "
                      "the call"),
                     ("12", "parse(n=12) [no fault]: the process exited with status 0 inside "
                      "the call"),
                     ("progress.13", "progress.13 is not a call guard progress file")],
           "progress reader: both magics read, another refused, got %r" % found)


def check_read_dir(tmp):
    """Only <prefix>.<pid> files are reports: a suppressions file the run
    wrote beside them (tsan.supp, as memharness run once named it) is not."""
    d = tempfile.mkdtemp(dir=tmp)
    shutil.copy(os.path.join(FIX, "san.overflow"), os.path.join(d, "san.21"))
    with open(os.path.join(d, "san.supp"), "w", encoding="utf-8") as f:
        f.write("race:json_decref\n")
    with open(os.path.join(d, "tsan.supp"), "w", encoding="utf-8") as f:
        f.write("race:json_decref\n")
    san = sanitizer.read_dir(d, "san")
    expect(len(san) == 1 and san[0]["file"].endswith("san.21"),
           "read_dir san: only san.21, got %r" % [f["file"] for f in san])
    expect(sanitizer.read_dir(d, "tsan") == [],
           "read_dir tsan: a suppressions file read as a report")


def check_judges(tmp):
    """tool_reports.py, the wrappers' judge, must exit 3 on each finding."""
    for tool, name, dest in (("valgrind", "vg.worker_leak.xml", "vg.9.xml"),
                             ("asan", "san.overflow", "san.9"),
                             ("asan", "san.worker_leak", "san.9")):
        d = tempfile.mkdtemp(dir=tmp)
        shutil.copy(os.path.join(FIX, name), os.path.join(d, dest))
        env = {k: v for k, v in os.environ.items() if not k.startswith("NAPUTIL_EXPECT")}
        rc = subprocess.run([sys.executable, os.path.join(TOOLS, "tool_reports.py"), tool, d,
                             "0"], stdout=subprocess.DEVNULL, env=env).returncode
        expect(rc == 3, "tool_reports.py %s on %s: exit %d, expected 3" % (tool, name, rc))
        with open(os.path.join(d, "verdict.jsonl"), encoding="utf-8") as f:
            expect(f.read().strip(), "tool_reports.py %s wrote no verdict.jsonl" % tool)


def check_model(pairs, tmp):
    m = model.build(pairs)
    lines = console.render(m)
    text = "\n".join(lines)
    rows = {(c, t["test"]): t for c, conf in m["configurations"].items()
            for t in conf["suites"]}
    expect(m["verdict"] == "FAIL", "model verdict: %s" % m["verdict"])
    # fail_crash: 5 tests, 3 pass; double_free: 10 tests, 9 pass; planted: 1
    # passed; clean: 1 passed; asan overflow: 1 failed (no Criterion);
    # worker leaks: 1 passed test + 1 failure each.
    want = (3 + 9 + 1 + 1 + 1 + 1, 2 + 1 + 1 + 1 + 1)
    expect((m["passed"], m["failed"]) == want, "closing counts %r, expected %r"
           % ((m["passed"], m["failed"]), want))
    expect(lines[-1] == "check: %d passed, %d failed" % want, "closing line: " + lines[-1])
    expect(rows[("plain", "fail_crash")]["row_verdict"] == "FAIL", "fail_crash not FAIL")
    for needle in ("t.c:5: one is not 2", "[FAIL] s::crash: CRASH!", "[FAIL] s::fail: failed",
                   "double free", "TOOL-REPORT: lsan: direct leak of 40 bytes",
                   "TOOL-REPORT: valgrind: 40 bytes in 1 blocks are definitely lost",
                   "TOOL-REPORT: asan: heap-buffer-overflow"):
        expect(needle in text, "console lacks %r" % needle)
    expect("console text the report must not need" not in text,
           "console text of a structured failure was shown")
    for config, name in (("asan", "worker_leak"), ("valgrind", "worker_leak"),
                         ("asan", "overflow")):
        expect(rows[(config, name)]["row_verdict"] == "FAIL:tool",
               "%s/%s: %s" % (config, name, rows[(config, name)]["row_verdict"]))
    expect(rows[("plain", "planted")]["row_verdict"] == "pass", "should_fail not a pass")
    expect(rows[("plain", "clean")]["row_verdict"] == "pass", "clean run not a pass")
    # JUnit: one testcase per Criterion test, failure texts, and the
    # worker-exit leak as a failing testcase.
    out = os.path.join(tmp, "junit")
    for config, conf in m["configurations"].items():
        junit.write_config(out, config, conf["suites"])
    root = ET.parse(os.path.join(out, "plain", "fail_crash.xml")).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    expect(len(cases) == 5, "JUnit fail_crash: %d testcases" % len(cases))
    fail = cases.get("fail")
    expect(fail is not None and fail.find("failure") is not None
           and "t.c:5: one is not 2" in (fail.find("failure").text or ""),
           "JUnit: s::fail has no failure with its message")
    expect(cases.get("crash") is not None and cases["crash"].find("error") is not None,
           "JUnit: s::crash is not an error")
    # A function named by no test takes the verdict of the test whose run
    # reported its figures.
    s = summary.build(m, tmp)
    got = {f: s["functions"][f]["verdicts"].get("plain") for f in ("lib_op(mode=a)",
                                                                   "lib_op(mode=b)")}
    expect(got == {"lib_op(mode=a)": "FAIL", "lib_op(mode=b)": "pass"},
           "per-function verdicts from the figures' runs: %r" % got)
    # A planted program that failed as it must is not listed among the
    # page's failures ...
    page = html.render(s)
    failures_part = page.split("<h2>Failures</h2>", 1)[-1].split("<h2>", 1)[0]
    expect("planted" not in failures_part,
           "HTML: the planted should_fail program is listed among the failures")
    # ... and is green in JUnit too.
    root = ET.parse(os.path.join(out, "plain", "planted.xml")).getroot()
    bad = [c.get("name") for c in root.iter("testcase")
           if c.find("failure") is not None or c.find("error") is not None]
    expect(not bad and root.find("testsuite").get("failures") == "0",
           "JUnit: the planted should_fail program shows failures %r" % bad)
    for config in ("asan", "valgrind"):
        root = ET.parse(os.path.join(out, config, "worker_leak.xml")).getroot()
        failed = [c for c in root.iter("testcase") if c.find("failure") is not None]
        expect(len(failed) == 1 and "leak" in (failed[0].find("failure").text or ""),
               "JUnit %s: the worker-exit leak is not a failing testcase" % config)
        expect(root.find("testsuite").get("failures") == "1",
               "JUnit %s: failures=%s" % (config, root.find("testsuite").get("failures")))


def check_broken_testlog(tmp):
    """A test log that is not JSON lines is an input error, named with its
    line, and its configuration is missing, both for make check's reader
    and for memharness report --testlog."""
    logdir = os.path.join(tempfile.mkdtemp(dir=tmp), "meson-logs")
    os.makedirs(logdir)
    log = os.path.join(logdir, "testlog-plain.json")
    with open(log, "w", encoding="utf-8") as f:
        f.write('{"name": "a"}\n{broken\n')
    errors = []
    conf = model.read_config("plain", log, errors)
    expect(conf["missing"] == "(no test log: build failed?)" and len(errors) == 1
           and errors[0].startswith(log + ":2: not JSON"),
           "model.read_config on a broken test log: %r, errors %r" % (conf["missing"], errors))
    sys.path.insert(0, TOOLS)
    import report_runs  # noqa: E402
    errors = []
    conf = report_runs.from_testlog("plain", log, [], errors)
    expect(conf["missing"] == "(cannot read the test log %s)" % log and len(errors) == 1
           and errors[0].startswith(log + ":2: not JSON"),
           "report_runs.from_testlog on a broken test log: %r, errors %r"
           % (conf["missing"], errors))


def main():
    tmp = tempfile.mkdtemp(prefix="report-test-")
    try:
        check_readers()
        check_criterion_unescaped(tmp)
        check_progress(tmp)
        check_read_dir(tmp)
        check_judges(tmp)
        check_broken_testlog(tmp)
        check_model(build_tree(os.path.join(tmp, "build")), tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("report test: FAIL: " + f)
    print("report test: %s" % ("%d expectation(s) failed" % len(failures) if failures
                                else "every planted failure was reported"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
