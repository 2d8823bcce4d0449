#!/usr/bin/env python3
"""Names every call under test a test program's processes ended inside
(harness/report/progress.py reads the call guard's files).  Such a test
must fail however its framework counted it: Criterion counts a worker that
exits with status 0 as a pass.

Usage: progress_verdict.py DIR [STATUS]
Prints one line per finding, "TOOL-REPORT: call guard: <label>: <how>",
and records it in DIR/verdict.jsonl.
Exit status: STATUS when it is not 0, else 1 when there is a finding, else 0.
"""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import progress, verdict  # noqa: E402


def main(argv):
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    status = int(argv[1]) if len(argv) == 2 else 0
    lines = []
    for _, line in progress.findings(argv[0]):
        if line not in lines:
            lines.append(line)
    for line in lines:
        verdict.emit(argv[0], "call guard", "call guard: " + line)
    if status != 0:
        return status
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
