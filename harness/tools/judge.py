#!/usr/bin/env python3
"""The judge of `memharness run`: reads one run's report files, never the
program's console, and gives the run's verdict.

Usage: judge.py plain|asan|valgrind|tsan REPORT_DIR EXIT_STATUS

First the call guard's progress files (progress_verdict.py: a process that
ended inside a call under test, which its framework may have counted as a
pass), then the tool's own reports (tool_reports.py for asan and valgrind,
tsan_reports.py for tsan).  Each finding is printed as a "TOOL-REPORT:"
line and recorded in REPORT_DIR/verdict.jsonl; the outcome is recorded in
REPORT_DIR/result.json for `memharness report`.

Exit status: 3 when the call guard or the tool found something, whatever
the program's own status; else the program's own status.  A canary run
(NAPUTIL_EXPECT_ASAN, NAPUTIL_EXPECT_VALGRIND, NAPUTIL_EXPECT_RACE_IN)
takes the tool's inverted verdict (see those scripts)."""
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # keep the source and install trees free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import progress_verdict  # noqa: E402
import tool_reports  # noqa: E402
import tsan_reports  # noqa: E402

TOOL_FINDING = 3
EXPECT = {"asan": "NAPUTIL_EXPECT_ASAN", "valgrind": "NAPUTIL_EXPECT_VALGRIND",
          "tsan": "NAPUTIL_EXPECT_RACE_IN"}


def judge(tool, report_dir, status):
    """The run's exit status (see the module's comment)."""
    guard_found = progress_verdict.main([report_dir, "0"]) != 0
    if tool == "tsan":
        code = tsan_reports.main([report_dir, str(status)])
    elif tool in ("asan", "valgrind"):
        code = tool_reports.main([tool, report_dir, str(status)])
    else:
        code = status
    if os.environ.get(EXPECT.get(tool, "")):
        return code  # a canary: the tool's own inverted verdict
    return TOOL_FINDING if guard_found else code


def main(argv):
    if len(argv) != 3 or argv[0] not in ("plain", "asan", "valgrind", "tsan"):
        print(__doc__, file=sys.stderr)
        return 2
    tool, report_dir = argv[0], argv[1]
    try:
        status = int(argv[2])
    except ValueError:
        print("judge.py: exit status '%s' is not a number" % argv[2], file=sys.stderr)
        return 2
    code = judge(tool, report_dir, status)
    if code == TOOL_FINDING:
        print("memharness: the reports of this run: %s" % report_dir)
    sys.stdout.flush()
    result = {"tool": tool, "returncode": code, "program_status": status,
              "start": os.environ.get("MEMHARNESS_RUN_START", ""),
              "end": "%.6f" % time.time()}
    with open(os.path.join(report_dir, "result.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(result, sort_keys=True) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
