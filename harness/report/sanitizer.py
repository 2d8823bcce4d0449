"""The sanitizers' own report files (log_path=DIR/san for ASan, LSan and
UBSan, DIR/tsan for ThreadSanitizer; one file per process, named
<prefix>.<pid>).  These are the tools' report files, not a program's
console: each report has a headline, a stack and a SUMMARY: line."""
import os
import re

from . import frames as framelib

SAN_ERROR = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|\w+Sanitizer): (.*)$")
ACCESS = re.compile(r"^(READ|WRITE) of size")
LEAK = re.compile(r"^(Direct|Indirect) leak of (\d+) byte")
UB = re.compile(r"^(.*?): runtime error: (.*)$")
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+) (.+)$")
TSAN_SUMMARY = re.compile(r"^SUMMARY: ThreadSanitizer: ([a-z][a-z -]*?) [(/].* in (\S+)\s*$")
TSAN_FRAME = re.compile(r"^\s+#\d+ (\S+) (\S+)")
SOURCE = re.compile(r"^(.*\.[ch]:\d+)(?::\d+)?$")
API_FUNCTION = re.compile(r"^(Alloc|Free)[A-Z]\w*$")


def _frames(lines):
    out = []
    for line in lines:
        m = FRAME.match(line)
        if m:
            out.append((m.group(1), os.path.basename(m.group(2))))
    return out


def read_san(path):
    """Findings of one ASan/LSan/UBSan file: [{tool, kind, headline, site,
    leak, bytes, text}]."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lines = text.splitlines()
    found = []

    def add(tool, head, site, leak=False, nbytes=0):
        found.append({"tool": tool, "kind": tool, "headline": head, "site": site,
                      "leak": leak, "bytes": nbytes, "text": text, "file": path})

    for i, line in enumerate(lines):
        m = SAN_ERROR.search(line)
        if m and m.group(1) != "LeakSanitizer":
            kind = m.group(2).split(" on ")[0].split(" (")[0]
            access = next((x.split(" at ")[0] for x in lines[i + 1:i + 3] if ACCESS.match(x)), "")
            add("asan", "asan: %s%s" % (kind, (" " + access) if access else ""),
                framelib.first_own(_frames(lines[i + 1:i + 30])))
        m = LEAK.match(line)
        if m:
            add("lsan", "lsan: %s leak of %s bytes (LeakSanitizer)" % (m.group(1).lower(),
                                                                     m.group(2)),
                framelib.first_own(_frames(lines[i + 1:i + 30])), True, int(m.group(2)))
        m = UB.search(line)
        if m:
            frames = _frames(lines[i + 1:i + 10])
            add("ubsan", "ubsan: runtime error: %s" % m.group(2),
                "%s (%s)" % (frames[0][0] if frames else "?", os.path.basename(m.group(1))))
    if not found and re.search(r"ERROR: \w+Sanitizer", text):
        add("asan", "sanitizer error (unparsed)", "?")
    return found


def read_tsan(path):
    """Races and other reports of one ThreadSanitizer file, each naming the
    NapUtil function (Alloc*/Free*) on the reporting thread's stack:
    [{tool, kind, api, place, frame, text}]; a report without a SUMMARY
    line gives kind None."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    out = []
    for block in text.split("==================\n"):
        m = None
        for line in block.splitlines():
            m = TSAN_SUMMARY.match(line) or m
        if m is None:
            continue
        api, place, func = "?", "?", m.group(2)
        for line in block.splitlines():
            f = TSAN_FRAME.match(line)
            if not f:
                continue
            src = SOURCE.match(f.group(2))
            if src and place == "?":
                place, func = os.path.basename(src.group(1)), f.group(1)
            if API_FUNCTION.match(f.group(1)):
                api = f.group(1)
                break
        out.append({"tool": "tsan", "kind": m.group(1), "api": api, "place": place,
                    "frame": func, "file": path})
    if text.strip() and not out:
        out.append({"tool": "tsan", "kind": None, "api": "?", "place": "?", "frame": "?",
                    "file": path})
    return out


def read_dir(directory, prefix):
    """Findings of every <prefix>.<pid> file in directory ("san" or "tsan")."""
    reader = read_tsan if prefix == "tsan" else read_san
    found = []
    for name in sorted(os.listdir(directory)):
        # <prefix>.<pid> only: a suppressions file beside them is no report.
        if name.startswith(prefix + ".") and name[len(prefix) + 1:].isdigit():
            found += reader(os.path.join(directory, name))
    return found
