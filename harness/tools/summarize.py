#!/usr/bin/env python3
"""Reads each configuration's Meson test log and prints one table:
configuration x suite x test, the Criterion counts, the verdict, and which
tool reported what; then, for each failed test, only the lines that name
the fault (Criterion's failure lines, crash lines, TOOL-REPORT lines).
Ends with the closing line 'check: N passed, N failed' (counting Criterion
tests, plus one per non-Criterion test).

Usage: summarize.py CONFIG=TESTLOG.json ...
Exit status: 0 when every suite of every configuration passed."""
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from reporting import metrics  # noqa: E402

SYNTHESIS = re.compile(
    r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
# A line saying what a tool reported, written by our wrappers: "TOOL-REPORT: text"
TOOL_REPORT = re.compile(r"^TOOL-REPORT: (.*)$", re.M)
# Lines of a failed test's output that say what failed and where.
FAULT_LINE = re.compile(
    r"^(\[----\]|\[FAIL\]|TOOL-REPORT:|CRASH in |Warning! The test|.*runtime error:|"
    r"==\d+==ERROR:|.*Assertion Failed|.*[Cc]rash)")
MAX_FAULT_LINES = 40
PASSING = {"OK": "pass", "EXPECTEDFAIL": "pass", "SKIP": "skip"}
SWEEP_MODES = ("transient", "persistent", "site")
TOOL_FINDING = 3  # exit status of a test in which the memory tool found an error


def print_sweeps(config, table):
    if not table:
        return
    width = max(len("scenario"), max(len(s) for s in table))
    print()
    print("Fault points swept per scenario (configuration %s):" % config)
    print("  %-*s  %10s  %10s  %10s" % ((width, "scenario") + SWEEP_MODES))
    for scenario, points in table.items():
        print("  %-*s  %10s  %10s  %10s" % ((width, scenario) + tuple(
            str(points.get(mode, "-")) for mode in SWEEP_MODES)))
    total = sum(sum(p.values()) for p in table.values())
    print("  %d fault points in %d scenarios" % (total, len(table)))


def read_log(path):
    if not os.path.isfile(path):
        return None
    entries = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line:
                entries.append(json.loads(line))
    return entries


def suite_of(entry):
    # Meson 1.0's JSON log has no suite field: the name is "project:suite / test".
    head, sep, _ = entry.get("name", "?").partition(" / ")
    return head.split(":", 1)[-1] if sep else "-"


def short_name(entry):
    return entry.get("name", "?").split(" / ", 1)[-1]


def reports_cell(out, verdict):
    reports = []
    for r in TOOL_REPORT.findall(out):
        r = re.sub(r"\(/\S*/", "(", r)
        if r not in reports:
            reports.append(r)
    cell = "; ".join(reports)
    if verdict == "skip" and not cell:
        cell = "skipped (no tool can see it here)" if "canary" in out else "skipped"
    return cell


def kill_table(out):
    """The bug zoo's kill table without its indented detail lines (the whole
    table, with the first failure of each entry, is in the test log)."""
    lines = [l for l in out.splitlines() if l.strip() and not l.startswith(" ")
             and not l.startswith("TOOL-REPORT")]
    return lines


def main(argv):
    rows, details = [], []
    zoo_lines = []
    sweeps, sweeps_config = {}, None
    passed = failed = 0
    ok = True
    for arg in argv:
        config, _, path = arg.partition("=")
        entries = read_log(path)
        if sweeps_config is None:
            errors = []
            sweeps = metrics.sweeps(metrics.read(metrics.report_dir(path, config), errors))
            for e in errors:  # a figure the report cannot read is a failed check
                print("check: " + e)
                ok = False
                failed += 1
            if sweeps:
                sweeps_config = config
        if entries is None:
            rows.append((config, "-", "(no test log: build failed?)", "-", "FAIL", ""))
            failed += 1
            ok = False
            continue
        for e in entries:
            out = (e.get("stdout") or "") + "\n" + (e.get("stderr") or "")
            result = e.get("result", "?")
            verdict = PASSING.get(result, "FAIL")
            if verdict == "FAIL" and e.get("returncode") == TOOL_FINDING:
                verdict = "FAIL:tool"  # the tool wrapper's exit code 3
            m = SYNTHESIS.findall(out)
            if result == "EXPECTEDFAIL":
                # A planted broken program (should_fail) whose tests failed as
                # they must: one check that held, not its tests' failures.
                counts = "-"
                passed += 1
            elif m:
                tested = sum(int(x[0]) for x in m)
                passing = sum(int(x[1]) for x in m)
                counts = "%d/%d" % (passing, tested)
                passed += passing
                failed += tested - passing
                if verdict.startswith("FAIL") and tested == passing:
                    # Criterion said all passed but the run failed: a tool
                    # report at worker exit, a crash outside a test, a timeout.
                    failed += 1
            else:
                counts = "-"
                if verdict == "pass":
                    passed += 1
                elif verdict.startswith("FAIL"):
                    failed += 1
            if verdict.startswith("FAIL"):
                ok = False
                lines = [l for l in out.splitlines() if FAULT_LINE.match(l)]
                if result == "TIMEOUT":
                    lines.append("(timed out)")
                if not lines:
                    lines = out.strip().splitlines()[-10:]
                if len(lines) > MAX_FAULT_LINES:
                    lines = lines[:MAX_FAULT_LINES] + ["... (%d more lines in %s)" % (
                        len(lines) - MAX_FAULT_LINES, path.replace(".json", ".txt"))]
                details.append(("%s / %s / %s (%s)" % (config, suite_of(e), short_name(e),
                                                       result), lines))
            rows.append((config, suite_of(e), short_name(e), counts, verdict,
                         reports_cell(out, verdict)))
            if suite_of(e) == "zoo" and short_name(e) == "zoo" and not zoo_lines:
                zoo_lines = kill_table(e.get("stdout") or "")

    print_sweeps(sweeps_config, sweeps)
    if zoo_lines:
        print()
        print("Bug zoo kill table (details: build/reports/zoo.json):")
        for l in zoo_lines:
            print("  " + l)
    if details:
        print()
        print("Failures (the lines that name the fault; whole logs in build/*/meson-logs/):")
        for title, lines in details:
            print("--- " + title)
            for l in lines:
                print("    " + l)
    heads = ("configuration", "suite", "test", "tests", "verdict", "tool reports")
    widths = [max([len(heads[i])] + [len(r[i]) for r in rows]) for i in range(5)]
    fmt = "  ".join("%%-%ds" % w for w in widths) + "  %s"
    print()
    print(fmt % heads)
    print("-" * (sum(widths) + 10 + len(heads[5])))
    for r in rows:
        print(fmt % r)
    failing = sorted({"%s/%s" % (r[0], r[1]) for r in rows if r[4].startswith("FAIL")})
    if failing:
        print()
        print("failing suites: " + ", ".join(failing))
    print()
    print("check: %d passed, %d failed" % (passed, failed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
