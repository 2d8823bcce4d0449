#!/usr/bin/env python3
"""Prints make check's summary: one table (configuration x suite x test,
the Criterion counts, the verdict, which tool reported what), the lines
that name each failure, and the closing line 'check: N passed, M failed'.
Everything is read from structured outputs and counted once by
harness/report/model.py; harness/report/console.py renders it.

Usage: summarize.py [--reports DIR] CONFIG=TESTLOG.json ...
--reports DIR also writes what report.py writes (the page, summary.json,
JUnit) from the same model, so that make check reads its inputs once.
Exit status: 0 when every suite of every configuration passed and every
input could be read."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import console, model, summary  # noqa: E402


def main(argv):
    reports = None
    if argv[:1] == ["--reports"] and len(argv) > 1:
        reports, argv = os.path.abspath(argv[1]), argv[2:]
    pairs = [tuple(arg.partition("=")[::2]) for arg in argv]
    m = model.build(pairs)
    print("\n".join(console.render(m)))
    status = 0 if m["verdict"] == "pass" else 1
    if reports is not None and summary.publish(m, reports) != 0:
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
