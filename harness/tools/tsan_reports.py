#!/usr/bin/env python3
"""Judges one ThreadSanitizer run by its report files (log_path=DIR/tsan,
one tsan.<pid> per process) and names, for each race, the NapUtil function
(the public Alloc*/Free* entry point) on the racing thread's stack.

Usage: tsan_reports.py REPORT_DIR EXIT_STATUS
Prints each report, then one line per distinct finding:
  TOOL-REPORT: tsan: data race in <NapUtil function> (<file:line> in <frame>)
Exit status: the program's own when it failed, 1 when it passed but a report
holds a race, 0 otherwise.  When NAPUTIL_EXPECT_RACE_IN names a function (the
planted-race self-check), the verdict inverts: 0 only when a race was
reported in that function."""
import os
import re
import sys

API_FUNCTION = re.compile(r"^(Alloc|Free)[A-Z]\w*$")
FRAME = re.compile(r"^\s+#\d+ (\S+) (\S+)")
SUMMARY = re.compile(r"^SUMMARY: ThreadSanitizer: ([a-z][a-z -]*?) [(/].* in (\S+)\s*$")
# A frame with a source location: "file.c:LINE" (a column may follow).
SOURCE = re.compile(r"^(.*\.[ch]:\d+)(?::\d+)?$")


def findings(text):
    """(kind, api function or '?', place, frame) of each report in text:
    place is the first frame with a source line, frame its function."""
    out = []
    for block in text.split("==================\n"):
        m = None
        for line in block.splitlines():
            m = SUMMARY.match(line) or m
        if m is None:
            continue
        api, place, func = "?", "?", m.group(2)
        for line in block.splitlines():
            f = FRAME.match(line)
            if not f:
                continue
            src = SOURCE.match(f.group(2))
            if src and place == "?":
                place, func = os.path.basename(src.group(1)), f.group(1)
            if API_FUNCTION.match(f.group(1)):
                api = f.group(1)
                break
        out.append((m.group(1), api, place, func))
    return out


def main():
    report_dir, status = sys.argv[1], int(sys.argv[2])
    found, texts = [], []
    for name in sorted(os.listdir(report_dir)):
        if not name.startswith("tsan."):
            continue
        with open(os.path.join(report_dir, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        texts.append(text)
        found += findings(text)
    for text in texts:
        sys.stdout.write(text)
    lines = sorted(set("TOOL-REPORT: tsan: %s in %s (%s in %s)" % f for f in found))
    for line in lines:
        print(line)
    if texts and not found:
        print("TOOL-REPORT: tsan: a report without a SUMMARY line (see above)")
    expect = os.environ.get("NAPUTIL_EXPECT_RACE_IN")
    if expect:
        if any(f[1] == expect for f in found):
            print("planted race seen: ThreadSanitizer named %s" % expect)
            return 0
        print("planted race in %s NOT seen by ThreadSanitizer (exit %d)" % (expect, status))
        return 1
    if status != 0:
        return status
    return 1 if texts else 0


if __name__ == "__main__":
    sys.exit(main())
