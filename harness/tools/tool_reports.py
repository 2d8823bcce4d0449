#!/usr/bin/env python3
"""Judges one wrapped test run by the memory tool's own report files, since
Criterion ignores what a tool reports when a worker exits (docs/TOOLCHAIN-NOTES.md section 1).

Usage: tool_reports.py valgrind|asan REPORT_DIR EXIT_STATUS

Prints each error the tool reported, then one line per distinct finding:
  TOOL-REPORT: <tool>: <kind> in <function> (<file:line>)
which summarize.py gathers into the last column of make check's table.
Exit status: 3 (TOOL_FINDING) when a report holds an error, whatever the
test's own status; otherwise the test's own status (1 for a failed Criterion
assertion, Valgrind's 99 with no report to show becomes 3 too).  3 is a FAIL
for Meson, unlike Valgrind's 99 (ERROR), and differs from Criterion's 1.

Canaries: when NAPUTIL_EXPECT_<CONFIG> is set (a regular expression), the
verdict inverts: 0 only when a reported error matches it."""
import os
import re
import sys

# The exit status of a test in which the memory tool found an error.
TOOL_FINDING = 3
VALGRIND_ERROR_EXIT = 99  # --error-exitcode of valgrind-wrap.sh

# Frames that say where the allocator or the signal machinery is, not who
# called it.
ALLOCATOR_FRAME = re.compile(
    r"^(malloc|calloc|realloc|free|__interceptor_\w+|__asan_\w+|operator new.*|"
    r"CoTaskMem\w+|vg_replace_\w+|tracker_\w+|"
    r"raise|abort|__pthread_kill\w*|pthread_kill\w*|__GI_\w+)$")
MAX_FINDINGS = 6


def vg_frames(lines):
    """(function, place) of each 'at'/'by' line of a Valgrind block."""
    out = []
    for line in lines:
        m = re.match(r"\s*(?:at|by) 0x[0-9A-Fa-f]+: (.+?)(?: \((.+)\))?$", line)
        if m:
            out.append((m.group(1), m.group(2) or ""))
    return out


def first_own_frame(frames):
    for func, place in frames:
        if func != "???" and not ALLOCATOR_FRAME.match(func):
            return "%s (%s)" % (func, place) if place else func
    return "?"


VG_ERROR_HEAD = re.compile(
    r"^(Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|"
    r"Mismatched free|Source and destination overlap|Argument .* of function|"
    r"Jump to the invalid|Process terminating|Warning: invalid file descriptor|"
    r".* are (definitely|indirectly) lost)")


def valgrind_errors(path):
    """Error blocks of one Valgrind log: list of (headline, place, text).
    A block starts at an unindented error headline and runs to the next
    blank line; -v's chatter in between is skipped."""
    found, seen, cur, counted = [], set(), None, 0
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [m.group(1) for m in (re.match(r"^==\d+== ?(.*)$", raw.rstrip("\n"))
                                      for raw in f) if m]
    for text in lines + [""]:
        s = re.search(r"ERROR SUMMARY: (\d+) errors", text)
        if s:
            counted = max(counted, int(s.group(1)))
        if cur is not None and (text.strip() == "" or not text.startswith(" ")):
            block = "\n".join(cur)
            if block not in seen:  # -v repeats each error context at exit
                seen.add(block)
                head = re.sub(r" in loss record [\d,]+ of [\d,]+", "", cur[0])
                found.append((head, first_own_frame(vg_frames(cur[1:])), block))
            cur = None
        if cur is not None:
            cur.append(text)
        elif VG_ERROR_HEAD.match(text):
            cur = [text]
    if counted and not found:
        found.append(("%d error(s) counted by Valgrind" % counted, "?", "\n".join(lines)))
    return found


def san_frames(lines):
    out = []
    for line in lines:
        m = re.match(r"\s*#\d+ 0x[0-9a-f]+ in (\S+) (.+)$", line)
        if m:
            place = re.sub(r"^.*/", "", m.group(2))
            out.append((m.group(1), place))
    return out


def sanitizer_errors(path):
    """Findings of one ASan/LSan/UBSan log file: list of (headline, place, text)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    found = []
    text = "\n".join(lines)
    for i, line in enumerate(lines):
        m = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer|\w+Sanitizer): (.*)$", line)
        if m and m.group(1) != "LeakSanitizer":
            kind = m.group(2).split(" on ")[0].split(" (")[0]
            access = next((l.split(" at ")[0] for l in lines[i + 1:i + 3]
                           if re.match(r"^(READ|WRITE) of size", l)), "")
            head = "asan: %s%s" % (kind, (" " + access) if access else "")
            found.append((head, first_own_frame(san_frames(lines[i + 1:i + 30])), text))
        m = re.match(r"^(Direct|Indirect) leak of (\d+) byte", line)
        if m:
            head = "lsan: %s leak of %s bytes (LeakSanitizer)" % (m.group(1).lower(),
                                                                m.group(2))
            found.append((head, first_own_frame(san_frames(lines[i + 1:i + 30])), text))
        m = re.search(r"^(.*?): runtime error: (.*)$", line)
        if m:
            where = re.sub(r"^.*/", "", m.group(1))
            frames = san_frames(lines[i + 1:i + 10])
            func = frames[0][0] if frames else "?"
            found.append(("ubsan: runtime error: %s" % m.group(2), "%s (%s)" % (func, where),
                          text))
    if not found and re.search(r"ERROR: \w+Sanitizer", text):
        found.append(("sanitizer error (unparsed)", "?", text))
    return found


def collect(tool, report_dir):
    findings = []
    for name in sorted(os.listdir(report_dir)):
        path = os.path.join(report_dir, name)
        if tool == "valgrind" and name.startswith("vg."):
            findings += [(path,) + f for f in valgrind_errors(path)]
        elif tool == "asan" and name.startswith("san."):
            findings += [(path,) + f for f in sanitizer_errors(path)]
    return findings


def main(argv):
    if len(argv) != 3 or argv[0] not in ("valgrind", "asan"):
        print(__doc__, file=sys.stderr)
        return 2
    tool, report_dir, status = argv[0], argv[1], int(argv[2])
    findings = collect(tool, report_dir)
    expect = os.environ.get("NAPUTIL_EXPECT_" + tool.upper())
    label = "valgrind" if tool == "valgrind" else "asan+ubsan"

    def summary(head, place):
        head = head if tool == "asan" else "valgrind: " + head
        return "%s in %s" % (head, place) if place != "?" else head

    if expect:
        canary = os.environ.get("NAPUTIL_CANARY", "canary")
        hits = [f for f in findings if re.search(expect, f[1])]
        if hits:
            print("TOOL-REPORT: %s: tool works: %s caught (%s)"
                  % (label, canary, summary(hits[0][1], hits[0][2])))
            return 0
        for path, _, _, text in findings:
            print("---- %s\n%s" % (path, text))
        print("TOOL-REPORT: %s: BLIND: %s not caught (expected /%s/, got %d other "
              "finding(s), exit %d)" % (label, canary, expect, len(findings), status))
        return 1

    printed = set()
    for path, _, _, text in findings:
        if (path, text) not in printed:
            printed.add((path, text))
            print("---- %s report, %s\n%s" % (label, path, text))
    distinct = []
    for f in findings:
        line = summary(f[1], f[2])
        if line not in distinct:
            distinct.append(line)
    for line in distinct[:MAX_FINDINGS]:
        print("TOOL-REPORT: " + line)
    if len(distinct) > MAX_FINDINGS:
        print("TOOL-REPORT: %s: ... and %d more finding(s)" % (label,
                                                               len(distinct) - MAX_FINDINGS))
    if not findings and tool == "valgrind" and status == VALGRIND_ERROR_EXIT:
        print("TOOL-REPORT: valgrind: error exit %d, but no log names the error "
              "(see %s)" % (status, report_dir))
        findings = [None]
    sys.stdout.flush()
    return TOOL_FINDING if findings else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
