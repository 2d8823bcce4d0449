#!/usr/bin/env python3
"""make check's reading of its runs, and its reports: prints one table
(configuration x suite x test, the Criterion counts, the verdict, which
tool reported what), the lines that name each failure, and the closing line
'check: N passed, M failed'.  Everything is read from structured outputs
and counted once by harness/report/model.py; harness/report/console.py
renders it.

With --reports DIR it also writes, from the same model:
  DIR/summary.json            everything below, machine-readable
  DIR/index.html              one self-contained page (no script, no network)
  DIR/junit/<config>/<suite>.xml   one JUnit file per Meson test and
                              configuration, one testcase per Criterion test
and prints the leaks of failed tests, each with its allocating call site.
The inputs are structured only (harness/report/: Meson's test log,
Criterion's JSON report per run, Valgrind's XML, the sanitizers' log files,
the wrappers' verdict.jsonl, the harness's findings.jsonl and metrics.jsonl,
and, when present, DIR/zoo.json, DIR/bench.json, DIR/fuzz*.json).

Figures: a test writes them with report_metric()
(harness/core/include/memharness/report_metric.h), one JSON object per line
in metrics.jsonl, with a string member "metric" naming the kind of figure.
Kinds the page knows:
  {"metric":"sweep","function":F,"scenario":S,"mode":"transient"|"persistent"|"site",
   "points":N,"allocations":N}      fault points swept (test_fault_sweeps)
  {"metric":"shapes","function":F,"shapes":N}   structures whose shape was
                                    verified; summed per function
  {"metric":"fuzz","target":T, ...numbers...}   fuzzing statistics
Any other kind is shown as a table under "Other figures".

Usage: summarize.py [--reports DIR] CONFIG=TESTLOG.json|BUILDDIR ...
(a build directory stands for its newest meson-logs/testlog*.json)
Exit status: 0 when every suite of every configuration passed and every
input could be read; 1 otherwise; 2 on bad usage."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import console, model, summary  # noqa: E402

USAGE = "usage: summarize.py [--reports DIR] CONFIG=TESTLOG.json|BUILDDIR ..."


def main(argv):
    reports = None
    if argv[:1] == ["--reports"] and len(argv) > 1:
        reports, argv = os.path.abspath(argv[1]), argv[2:]
    pairs = []
    for arg in argv:
        config, sep, where = arg.partition("=")
        if not sep or not config or not where:
            print("summarize.py: bad argument %r (want CONFIG=TESTLOG.json or "
                  "CONFIG=BUILDDIR)\n%s" % (arg, USAGE), file=sys.stderr)
            return 2
        pairs.append((config, os.path.abspath(where)))
    if not pairs:
        print(USAGE, file=sys.stderr)
        return 2
    m = model.build(pairs)
    print("\n".join(console.render(m)))
    status = 0 if m["verdict"] == "pass" else 1
    if reports is not None and summary.publish(m, reports) != 0:
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
