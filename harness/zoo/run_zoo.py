#!/usr/bin/env python3
"""Runs every (zoo entry, suite) program and prints the kill table.

Each entry's header comment says what it is and which checks must catch it
(harness/zoo/README.md).  A check is a suite name, a suite kind ("contract",
"faults", ...) or a tool ("helgrind", run on the entry's race probe).  The
run fails when a bug survives, when an expected check misses it, or when a
correct entry is flagged by anything.  A crash or a timeout of one program
is a result like any other: the remaining programs still run.

Usage: run_zoo.py --src DIR [--json FILE]... [--jobs N (default: the cores)] [--timeout S]
                  [--relabel ENTRY=KIND:CHECK,...]... [--expect-not-ok N]
                  run=ENTRY|SUITE|KIND|EXE... probe=ENTRY|EXE...
--relabel replaces an entry's header (for the runner's own self-test: a
mislabelled entry must give a verdict that is not ok); --expect-not-ok N
makes the exit status 0 exactly when N verdicts are not ok.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The report package's readers: Criterion's JSON report, Valgrind's XML and
# the call guard's progress files (a program whose process ended inside a
# call under test is caught, whatever Criterion counted).
sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import criterion, valgrind, zoo  # noqa: E402
from report import progress as call_guard  # noqa: E402

HEADER = re.compile(r"/\*\s*ZOO (bug|correct):(.*?)\n\s*\*\s*expect:\s*(.*?)\s*\*/", re.S)

# Tools the runner can apply to an entry's race probe: the command prefix,
# to which the runner adds where the tool writes its XML report.
TOOLS = {
    "helgrind": ["valgrind", "--tool=helgrind", "--error-exitcode=99", "-q"],
}


def entry_file(src, entry):
    """An entry's patch against lib/src, or (older format) its whole .c file."""
    patch = os.path.join(src, entry + ".patch")
    return patch if os.path.isfile(patch) else os.path.join(src, entry + ".c")


def parse_header(path):
    """(kind, one-line description, [expected checks]) of one entry file."""
    with open(path, encoding="utf-8") as f:
        m = HEADER.search(f.read(4096))
    if m is None:
        raise SystemExit("zoo: %s has no 'ZOO bug|correct: ... expect: ...' header" % path)
    text = " ".join(line.strip().lstrip("*").strip() for line in m.group(2).splitlines())
    expect = [t.strip() for t in m.group(3).split(",") if t.strip()]
    return m.group(1), " ".join(text.split()), expect


def run_program(cmd, timeout, progress_dir=None):
    """Runs cmd in its own session; returns (status, rc, output, seconds).
    status: "exit" or "timeout".  A timeout kills the whole session (the
    program and the worker processes it started), nothing else.
    progress_dir receives the call guard's progress files."""
    env = dict(os.environ)
    for prefix in ("MEMHARNESS_", "NAPUTIL_"):  # the core reads both names
        env.pop(prefix + "FAULTS", None)  # the zoo's verdicts must not depend on it
        env.pop(prefix + "REPORT_DIR", None)  # nor add figures to make check's report
        env.pop(prefix + "PROGRESS_DIR", None)
    env.pop("CRITERION_OUTPUTS", None)  # each run names its own report
    if progress_dir is not None:
        env["MEMHARNESS_PROGRESS_DIR"] = progress_dir
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        status = "exit"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        status = "timeout"
    return status, proc.returncode, out.decode("utf-8", "replace"), time.monotonic() - start


def failures_from_json(path):
    """[(suite::test, "STATUS: first message")] of every test that did not
    pass, or None when Criterion wrote no report."""
    cases = criterion.read(path, [])
    return None if cases is None else criterion.first_failures(cases)


def run_suite(entry, suite, kind, exe, timeout, tmpdir):
    report = os.path.join(tmpdir, "%s__%s.json" % (entry, suite))
    progress = os.path.join(tmpdir, "%s__%s.progress" % (entry, suite))
    os.mkdir(progress)
    status, rc, out, secs = run_program([exe, "--jobs", "1", "--json=" + report], timeout,
                                        progress)
    res = {"entry": entry, "check": suite, "kind": kind, "seconds": round(secs, 2)}
    ended = ["call guard: " + line for _, line in call_guard.findings(progress)]
    if status == "timeout":
        res.update(caught=True, status="timeout",
                   first_failure="timed out after %d s" % timeout, tests=[])
        return res
    failed = failures_from_json(report)
    if failed is None:
        # The program died before Criterion wrote its report: its last words.
        last = next((l.strip() for l in reversed(out.splitlines()) if l.strip()), "")
        failed = [("-", "no Criterion report (exit status %d)%s"
                   % (rc, ": " + last[:200] if last else ""))]
    if rc < 0:
        failed = failed or [("-", "killed by signal %d" % -rc)]
    # A process that ended inside a call comes first: it names the call.
    failed = [("-", line) for line in ended] + failed
    caught = rc != 0 or bool(failed)
    res.update(caught=caught,
               status="failed" if caught else "passed",
               tests=[name for name, _ in failed],
               first_failure=(failed[0][1] if failed else
                              ("exit status %d" % rc if caught else "")))
    return res


def run_tool(entry, tool, exe, timeout, tmpdir):
    res = {"entry": entry, "check": tool, "kind": "tool", "tests": []}
    if shutil.which(TOOLS[tool][0]) is None:
        res.update(caught=False, status="unavailable", first_failure="", seconds=0)
        return res
    report = os.path.join(tmpdir, "%s__%s.xml" % (entry, tool))
    status, rc, _, secs = run_program(TOOLS[tool] + ["--xml=yes", "--xml-file=" + report, exe],
                                      timeout)
    res["seconds"] = round(secs, 2)
    if status == "timeout":
        res.update(caught=True, status="timeout", first_failure="timed out")
        return res
    found, _, _ = valgrind.read(report)
    caught = rc != 0 or bool(found)
    res.update(caught=caught, status="failed" if caught else "passed",
               first_failure=(found[0]["headline"] if found else "exit status %d" % rc)
               if caught else "")
    return res


def verdict(kind, expect, results, known):
    """(verdict text, ok) for one entry from all its check results."""
    caught = [r for r in results if r["caught"]]
    if kind == "correct":
        if caught:
            return "FLAGGED by " + ", ".join(r["check"] for r in caught), False
        return "passes", True
    needs, missed = [], []
    for token in expect:
        if token not in known:
            missed.append(token + " (no such check)")
            continue
        relevant = [r for r in results if token in (r["check"], r["kind"])]
        if any(r["caught"] for r in relevant):
            continue
        if relevant and all(r["status"] == "unavailable" for r in relevant):
            needs.append(token)
        else:
            missed.append(token)
    if not caught:
        if needs and not missed:
            return "needs " + ", ".join(needs), True
        return "SURVIVED", False
    if missed:
        return "caught, but MISSED by " + ", ".join(missed), False
    if needs:
        return "killed; needs " + ", ".join(needs), True
    return "killed", True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True)
    ap.add_argument("--json", action="append", default=[])
    # Every core this process may use, as make check's meson test does.
    ap.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--relabel", action="append", default=[])
    ap.add_argument("--expect-not-ok", type=int, default=0)
    ap.add_argument("runs", nargs="+")
    args = ap.parse_args()
    t0 = time.monotonic()
    if os.environ.get("NAPUTIL_TOOL"):
        # Under a tool's test setup the programs would run unwrapped anyway
        # and only repeat the plain verdicts: skip (Meson's skip status).
        print("zoo: skipped under the %s test setup" % os.environ["NAPUTIL_TOOL"])
        return 77

    suites, probes = [], {}
    for spec in args.runs:
        what, _, rest = spec.partition("=")
        parts = rest.split("|")
        if what == "run" and len(parts) == 4:
            suites.append(parts)
        elif what == "probe" and len(parts) == 2:
            probes[parts[0]] = parts[1]
        else:
            raise SystemExit("zoo: bad argument %r" % spec)

    entries = {}
    for entry in sorted({s[0] for s in suites} | set(probes)):
        entries[entry] = parse_header(entry_file(args.src, entry))
    for spec in args.relabel:
        entry, _, label = spec.partition("=")
        kind, _, checks = label.partition(":")
        if entry not in entries or kind not in ("bug", "correct"):
            raise SystemExit("zoo: bad --relabel %r" % spec)
        entries[entry] = (kind, "relabelled " + kind + " (runner self-test): "
                          + entries[entry][1], checks.split(","))
    known = {s[1] for s in suites} | {s[2] for s in suites} | set(TOOLS)

    results = {e: [] for e in entries}
    with tempfile.TemporaryDirectory(prefix="zoo-") as tmpdir, \
            concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_suite, e, s, k, exe, args.timeout, tmpdir)
                   for e, s, k, exe in suites]
        for entry, (kind, _, expect) in entries.items():
            # A tool runs on the bugs that expect it, and on every correct
            # entry: a tool that flags correct code would be worthless.
            for tool in TOOLS:
                if entry in probes and (tool in expect or kind == "correct"):
                    futures.append(pool.submit(run_tool, entry, tool, probes[entry],
                                               args.timeout * 3, tmpdir))
        for fut in concurrent.futures.as_completed(futures):
            r = fut.result()
            results[r["entry"]].append(r)

    table, bad = [], 0
    for entry, (kind, text, expect) in entries.items():
        rs = sorted(results[entry], key=lambda r: r["check"])
        v, ok = verdict(kind, expect, rs, known)
        bad += not ok
        caught = [r for r in rs if r["caught"]]
        table.append({
            "entry": entry, "kind": kind, "description": text, "expect": expect,
            "caught_by": [{k: r[k] for k in ("check", "kind", "status", "tests",
                                              "first_failure")} for r in caught],
            "runs": [{k: r[k] for k in ("check", "kind", "status", "seconds")} for r in rs],
            "verdict": v, "ok": ok,
        })

    print_table(table)
    bugs = [t for t in table if t["kind"] == "bug"]
    summary = {
        "entries": len(table), "bugs": len(bugs),
        "bugs_killed": sum(1 for t in bugs if t["caught_by"]),
        "bugs_surviving": sum(1 for t in bugs if not t["caught_by"]),
        "correct": len(table) - len(bugs),
        "correct_flagged": sum(1 for t in table if t["kind"] == "correct" and not t["ok"]),
        "not_ok": bad,
        "seconds": round(time.monotonic() - t0, 1),
    }
    for path in args.json:
        write_json(path, {"summary": summary, "entries": table})
    print("\n" + zoo.closing_line(summary))
    if bad != args.expect_not_ok:
        if args.expect_not_ok:
            print("zoo: expected exactly %d verdict(s) not ok, got %d"
                  % (args.expect_not_ok, bad))
        return 1
    return 0


def print_table(table):
    print("\n".join(zoo.table_lines(table)))


def write_json(path, data):
    """Writes atomically, so parallel builds never leave a torn file."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
