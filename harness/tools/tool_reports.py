#!/usr/bin/env python3
"""Judges one wrapped test run by the memory tool's own report files
(Valgrind's XML, the sanitizers' log files; harness/report reads them),
since Criterion ignores what a tool reports when a worker exits
(docs/TOOLCHAIN-NOTES.md section 1).

Usage: tool_reports.py valgrind|asan REPORT_DIR EXIT_STATUS

Prints each error the tool reported, then one line per distinct finding:
  TOOL-REPORT: <tool>: <kind> in <function> (<file:line>)
also recorded in REPORT_DIR/verdict.jsonl, which the report reads.
Exit status: 3 (TOOL_FINDING) when a report holds an error, whatever the
test's own status; otherwise the test's own status (1 for a failed Criterion
assertion, Valgrind's 99 with no report to show becomes 3 too).  3 is a FAIL
for Meson, unlike Valgrind's 99 (ERROR), and differs from Criterion's 1.

Canaries: when NAPUTIL_EXPECT_<CONFIG> is set (a regular expression), the
verdict inverts: 0 only when a reported error matches it."""
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import sanitizer, valgrind, verdict  # noqa: E402

# The exit status of a test in which the memory tool found an error.
TOOL_FINDING = 3
VALGRIND_ERROR_EXIT = 99  # --error-exitcode of valgrind-wrap.sh
MAX_FINDINGS = 6


def collect(tool, report_dir):
    """[(file, headline, site, text)] of every finding, and notes on files
    that could not be read whole."""
    if tool == "valgrind":
        found, _, notes = valgrind.read_dir(report_dir)
        return [(f["file"], "valgrind: " + f["headline"], f["site"], valgrind.error_text(f))
                for f in found], notes
    return [(f["file"], f["headline"], f["site"], f["text"])
            for f in sanitizer.read_dir(report_dir, "san")], []


def main(argv):
    if len(argv) != 3 or argv[0] not in ("valgrind", "asan"):
        print(__doc__, file=sys.stderr)
        return 2
    tool, report_dir, status = argv[0], argv[1], int(argv[2])
    findings, notes = collect(tool, report_dir)
    expect = os.environ.get("NAPUTIL_EXPECT_" + tool.upper())
    label = "valgrind" if tool == "valgrind" else "asan+ubsan"

    def summary(head, place):
        return "%s in %s" % (head, place) if place != "?" else head

    if expect:
        canary = os.environ.get("NAPUTIL_CANARY", "canary")
        hits = [f for f in findings if re.search(expect, f[1])]
        if hits:
            verdict.emit(report_dir, tool, "%s: tool works: %s caught (%s)"
                         % (label, canary, summary(hits[0][1], hits[0][2])))
            return 0
        for path, _, _, text in findings:
            print("---- %s\n%s" % (path, text))
        verdict.emit(report_dir, tool, "%s: BLIND: %s not caught (expected /%s/, got %d "
                     "other finding(s), exit %d)" % (label, canary, expect, len(findings),
                                                     status))
        return 1

    printed = set()
    for path, _, _, text in findings:
        if (path, text) not in printed:
            printed.add((path, text))
            print("---- %s report, %s\n%s" % (label, path, text))
    for note in notes:
        print("---- %s: %s" % (label, note))
    distinct = []
    for f in findings:
        line = summary(f[1], f[2])
        if line not in distinct:
            distinct.append(line)
    for line in distinct[:MAX_FINDINGS]:
        verdict.emit(report_dir, tool, line)
    if len(distinct) > MAX_FINDINGS:
        verdict.emit(report_dir, tool, "%s: ... and %d more finding(s)"
                     % (label, len(distinct) - MAX_FINDINGS))
    if not findings and tool == "valgrind" and status == VALGRIND_ERROR_EXIT:
        verdict.emit(report_dir, tool, "valgrind: error exit %d, but no report names the "
                     "error (see %s)" % (status, report_dir))
        findings = [None]
    sys.stdout.flush()
    return TOOL_FINDING if findings else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
