#!/usr/bin/env python3
"""Builds the reports of a make check run under build/reports/:
  summary.json            everything below, machine-readable
  index.html              one self-contained page (no script, no network)
  junit/<config>/<suite>.xml   one JUnit file per Meson test and configuration,
                          one testcase per Criterion test
  junit/<config>/meson-testlog.junit.xml   Meson's own JUnit, copied as is
and prints the leaks of failed tests, each with its allocating call site.
The inputs are structured only (harness/report/: Meson's test log,
Criterion's JSON report per run, Valgrind's XML, the sanitizers' log files,
the wrappers' verdict.jsonl, the harness's findings.jsonl and metrics.jsonl,
and, when present, DIR/zoo.json, DIR/bench.json, DIR/fuzz*.json).

Figures: a test writes them with report_metric() (harness/core/include/memharness/report_metric.h),
one JSON object per line in metrics.jsonl, with a string member "metric"
naming the kind of figure.  Kinds this page knows:
  {"metric":"sweep","function":F,"scenario":S,"mode":"transient"|"persistent"|"site",
   "points":N,"allocations":N}      fault points swept (test_fault_sweeps)
  {"metric":"shapes","function":F,"shapes":N}   structures whose shape was
                                    verified; summed per function
  {"metric":"fuzz","target":T, ...numbers...}   fuzzing statistics
Any other kind is shown as a table under "Other figures".

Usage: report.py [--out DIR] CONFIG=TESTLOG.json ...   (as summarize.py)
       report.py [--out DIR] CONFIG=BUILDDIR ...  (its newest testlog*.json)
Exit status: 0 whatever the tests say (summarize.py gives the verdict);
1 when an input exists but is broken, after writing what it could;
2 on bad usage."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import model, summary  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main(argv):
    outdir = os.path.join(ROOT, "build", "reports")
    if argv[:1] == ["--out"] and len(argv) > 1:
        outdir, argv = os.path.abspath(argv[1]), argv[2:]
    pairs = []
    for arg in argv:
        config, sep, where = arg.partition("=")
        if not sep or not config or not where:
            print("usage: report.py [--out DIR] CONFIG=TESTLOG.json|BUILDDIR ...",
                  file=sys.stderr)
            return 2
        pairs.append((config, os.path.abspath(where)))
    return summary.publish(model.build(pairs), outdir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
