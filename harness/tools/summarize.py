#!/usr/bin/env python3
"""Reads each configuration's Meson test log and prints one table:
configuration x suite, the Criterion counts, the verdict, and which tool
reported what.  Ends with the closing line 'check: N passed, N failed'
(counting Criterion tests, plus one per non-Criterion test).

Usage: summarize.py CONFIG=BUILDDIR ...
Exit status: 0 when every suite of every configuration passed."""
import json
import os
import re
import sys

SYNTHESIS = re.compile(
    r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
# A line saying what a tool reported, written by our wrappers: "TOOL-REPORT: text"
TOOL_REPORT = re.compile(r"^TOOL-REPORT: (.*)$", re.M)


def read_log(builddir):
    path = os.path.join(builddir, "meson-logs", "testlog.json")
    # A setup-specific run writes testlog-<setup>.json; take the newest.
    logs = [os.path.join(builddir, "meson-logs", f)
            for f in os.listdir(os.path.join(builddir, "meson-logs"))
            if f.startswith("testlog") and f.endswith(".json")] \
        if os.path.isdir(os.path.join(builddir, "meson-logs")) else []
    if not logs:
        return None
    path = max(logs, key=os.path.getmtime)
    entries = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line:
                entries.append(json.loads(line))
    return entries


def main(argv):
    rows = []
    passed = failed = 0
    ok = True
    for arg in argv:
        config, _, builddir = arg.partition("=")
        entries = read_log(builddir)
        if entries is None:
            rows.append((config, "(no test log: build failed?)", "-", "FAIL", ""))
            failed += 1
            ok = False
            continue
        for e in entries:
            out = (e.get("stdout") or "") + (e.get("stderr") or "")
            result = e.get("result", "?")
            m = SYNTHESIS.findall(out)
            if m:
                tested = sum(int(x[0]) for x in m)
                passing = sum(int(x[1]) for x in m)
                counts = "%d/%d" % (passing, tested)
                passed += passing
                failed += tested - passing
            else:
                counts = "-"
                if result == "OK":
                    passed += 1
                else:
                    failed += 1
            verdict = "pass" if result in ("OK", "EXPECTEDFAIL") else "FAIL"
            if verdict == "FAIL":
                ok = False
                if m and sum(int(x[0]) for x in m) == sum(int(x[1]) for x in m):
                    # Criterion said all passed but the run failed: a tool
                    # report at worker exit, a crash outside a test, a timeout.
                    failed += 1
            reports = "; ".join(sorted(set(TOOL_REPORT.findall(out))))
            rows.append((config, e.get("name", "?"), counts, verdict, reports))

    w_conf = max([len("configuration")] + [len(r[0]) for r in rows])
    w_suite = max([len("suite")] + [len(r[1]) for r in rows])
    print()
    print("%-*s  %-*s  %-9s  %-7s  %s" % (w_conf, "configuration", w_suite, "suite",
                                         "tests", "verdict", "tool reports"))
    print("-" * (w_conf + w_suite + 40))
    for r in rows:
        print("%-*s  %-*s  %-9s  %-7s  %s" % (w_conf, r[0], w_suite, r[1], r[2], r[3], r[4]))
    print()
    print("check: %d passed, %d failed" % (passed, failed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
