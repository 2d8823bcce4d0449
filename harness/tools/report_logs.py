"""Reads what one configuration's test run left behind: Meson's JSON test
log, Criterion's per-test lines, TOOL-REPORT lines, and
leak reports (the harness tracker's, LeakSanitizer's, Valgrind's) with the
allocating call site.  Used by report.py; knows nothing about HTML."""
import json
import os
import re

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SYNTHESIS = re.compile(
    r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
TOOL_REPORT = re.compile(r"^TOOL-REPORT: (.*?)\s*$")
# Criterion's per-test lines: "[RUN ] s::t", "[PASS] s::t: (0.00s)",
# "[FAIL] s::t: CRASH!", "[SKIP] s::t: Test is disabled", "[----] text".
CRITERION = re.compile(r"^\[(RUN |PASS|FAIL|SKIP|----|ERR |WARN)\] ?(.*)$")
CASE_TIME = re.compile(r"\(([0-9.]+)s\)\s*$")
# The tracker: "leaked block #1 (16 bytes) allocated at AllocConnections+0x34 (f.c:17)"
TRACKER_LEAK = re.compile(r"leaked block #(\d+) \((\d+) bytes?\) allocated at (.+?)\s*$")
LEAK_CONTEXT = re.compile(r"^(.*?):? *\d+ block\(s\) (?:leaked|left live):?\s*$")
# LeakSanitizer: "Direct leak of 16 byte(s) in 1 object(s) allocated from:"
LSAN_HEAD = re.compile(r"(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object")
LSAN_FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+)\s*(.*)$")
# Valgrind: "==1== 16 bytes in 1 blocks are definitely lost in loss record 1 of 2"
# (tool_reports.py prints the records without the "==pid==" prefix)
VG_HEAD = re.compile(r"(?:==\d+==)? *([\d,]+) (?:\([\d,]+ direct, [\d,]+ indirect\) )?bytes in "
                     r"([\d,]+) blocks are (definitely|indirectly|possibly) lost")
VG_FRAME = re.compile(r"(?:==\d+==)?\s+(?:at|by) 0x[0-9A-F]+: (\S+) \((.*)\)\s*$")
# Frames that are the allocator, not the code that asked for the block.
ALLOCATOR_FRAME = re.compile(
    r"^(malloc|calloc|realloc|reallocarray|free|__interceptor_\w+|tracker_\w+|"
    r"CoTaskMem\w+|nap_alloc_zeroed|operator)\b")


class BrokenInput(Exception):
    """An input file exists but cannot be read as what it claims to be."""


def newest_testlog(builddir):
    """Path of the newest meson-logs/testlog*.json (a test setup writes
    testlog-<setup>.json), or None."""
    logdir = os.path.join(builddir, "meson-logs")
    if not os.path.isdir(logdir):
        return None
    logs = [os.path.join(logdir, f) for f in os.listdir(logdir)
            if f.startswith("testlog") and f.endswith(".json")]
    return max(logs, key=os.path.getmtime) if logs else None


def read_testlog(path):
    """Meson's JSON test log: one object per line."""
    entries = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                entries.append(json.loads(line))
            except ValueError as e:
                raise BrokenInput("%s:%d: not JSON (%s)" % (path, n, e)) from e
    return entries


def criterion_cases(text):
    """Per-test results from Criterion's output.  Passing tests are named
    only when Criterion runs verbose (CRITERION_VERBOSITY_LEVEL=1); failures
    always are, with the message lines printed before them."""
    cases = []
    pending = []
    for raw in text.splitlines():
        line = ANSI.sub("", raw)
        m = CRITERION.match(line)
        if not m:
            continue
        tag, rest = m.group(1), m.group(2)
        if tag == "RUN ":
            pending = []
        elif tag in ("----", "ERR ", "WARN"):
            if not rest.startswith("Criterion v"):
                pending.append(rest.strip())
        elif tag in ("PASS", "FAIL", "SKIP"):
            name, _, detail = rest.partition(": ")
            t = CASE_TIME.search(detail)
            status = {"PASS": "passed", "SKIP": "skipped"}.get(tag, "failed")
            if tag == "FAIL" and "CRASH" in detail:
                status = "crashed"
            elif tag == "FAIL" and "Timed out" in detail:
                status = "timeout"
            cases.append({
                "name": name.strip(),
                "status": status,
                "time": float(t.group(1)) if t else 0.0,
                "message": "\n".join(p for p in pending if p) if tag == "FAIL" else "",
            })
            pending = []
    return cases


def synthesis(text):
    """Criterion's closing counts, summed over every run in text, or None."""
    found = SYNTHESIS.findall(ANSI.sub("", text))
    if not found:
        return None
    tested, passing, failing, crashing = (sum(int(x[i]) for x in found) for i in range(4))
    return {"tested": tested, "passing": passing, "failing": failing, "crashing": crashing}


def tool_reports(text):
    """Distinct TOOL-REPORT texts, in order of appearance."""
    seen = []
    for line in text.splitlines():
        m = TOOL_REPORT.match(ANSI.sub("", line))
        if m and m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def tracker_leaks(text):
    """The tracker's leak lines, each with the scenario line that announced
    it and the Criterion test whose failure message held it."""
    leaks = []
    context = ""
    test = None
    pending = []
    for raw in text.splitlines():
        line = ANSI.sub("", raw)
        m = CRITERION.match(line)
        body = m.group(2).strip() if m else line.strip()
        if m and m.group(1) == "RUN ":
            context, pending = "", []
            continue
        if m and m.group(1) in ("PASS", "FAIL", "SKIP"):
            test = m.group(2).partition(": ")[0].strip()
            for leak in pending:
                leak["test"] = test
            pending = []
            continue
        c = LEAK_CONTEXT.match(body)
        if c:
            context = c.group(1).strip()
            continue
        k = TRACKER_LEAK.search(body)
        if k:
            leak = {"tool": "tracker", "context": context, "test": None,
                    "block": int(k.group(1)), "bytes": int(k.group(2)), "site": k.group(3)}
            leaks.append(leak)
            pending.append(leak)
    return leaks


def _first_user_frame(frames):
    for func, where in frames:
        if not ALLOCATOR_FRAME.match(func):
            return "%s (%s)" % (func, where) if where else func
    return frames[0][0] if frames else "?"


def tool_leaks(text):
    """Leak records of LeakSanitizer and Valgrind in text, each reduced to
    the first stack frame that is not the allocator."""
    leaks = []
    lines = [ANSI.sub("", x) for x in text.splitlines()]
    i = 0
    while i < len(lines):
        lsan = LSAN_HEAD.search(lines[i])
        vg = VG_HEAD.search(lines[i])
        if not (lsan or (vg and vg.group(3) == "definitely")):
            i += 1
            continue
        frames = []
        j = i + 1
        frame_re = LSAN_FRAME if lsan else VG_FRAME
        while j < len(lines):
            f = frame_re.match(lines[j])
            if not f:
                break
            func, where = f.group(1), f.group(2).strip()
            frames.append((func, where.split(" (")[0] if lsan else where))
            j += 1
        if lsan:
            leaks.append({"tool": "lsan", "context": "%s leak" % lsan.group(1).lower(),
                          "test": None, "block": None, "bytes": int(lsan.group(2)),
                          "site": _first_user_frame(frames)})
        else:
            leaks.append({"tool": "valgrind", "context": "definitely lost", "test": None,
                          "block": None, "bytes": int(vg.group(1).replace(",", "")),
                          "site": _first_user_frame(frames)})
        i = j
    return leaks
