#!/usr/bin/env python3
"""Judges one ThreadSanitizer run by its report files (log_path=DIR/tsan,
one tsan.<pid> per process; harness/report/sanitizer.py reads them) and
names, for each race, the NapUtil function (the public Alloc*/Free* entry
point) on the racing thread's stack.

Usage: tsan_reports.py REPORT_DIR EXIT_STATUS
Prints each report, then one line per distinct finding (also recorded in
REPORT_DIR/verdict.jsonl):
  TOOL-REPORT: tsan: data race in <NapUtil function> (<file:line> in <frame>)
Exit status: 3 (TOOL_FINDING, as tool_reports.py) when a report holds a
race, else the program's own.  When NAPUTIL_EXPECT_RACE_IN names a function (the
planted-race self-check), the verdict inverts: 0 only when a race was
reported in that function."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import sanitizer, verdict  # noqa: E402


TOOL_FINDING = 3


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    report_dir, status = argv[0], int(argv[1])
    found = sanitizer.read_dir(report_dir, "tsan")
    for path in sorted({f["file"] for f in found}):
        with open(path, encoding="utf-8", errors="replace") as f:
            sys.stdout.write(f.read())
    races = [f for f in found if f["kind"] is not None]
    for line in sorted({"tsan: %s in %s (%s in %s)" % (f["kind"], f["api"], f["place"],
                                                       f["frame"]) for f in races}):
        verdict.emit(report_dir, "tsan", line)
    if len(races) < len(found):
        verdict.emit(report_dir, "tsan", "tsan: a report without a SUMMARY line (see above)")
    expect = os.environ.get("NAPUTIL_EXPECT_RACE_IN")
    if expect:
        if any(f["api"] == expect for f in races):
            print("planted race seen: ThreadSanitizer named %s" % expect)
            return 0
        print("planted race in %s NOT seen by ThreadSanitizer (exit %d)" % (expect, status))
        return 1
    sys.stdout.flush()
    return TOOL_FINDING if found else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
