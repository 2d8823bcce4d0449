#!/usr/bin/env python3
"""Reads the call guard's progress files (harness/core/crash_guard.c) of one
test program run and names every call its processes ended inside.

A process that ended inside a call under test (exit with any status, _exit,
a signal, a call killed by the watchdog) left the call's label, and how it
ended, in DIR/progress.<pid>.  Such a test must fail however its framework
counted it: Criterion counts a worker that exits with status 0 as a pass.

Usage: progress_verdict.py DIR [STATUS]
Prints one line per finding, "TOOL-REPORT: call guard: <label>: <how>".
Exit status: STATUS when it is not 0, else 1 when there is a finding, else 0.
"""
import os
import sys

MAGIC = b"NAPUTIL-GUARD 1\n"
EVENT = slice(16, 256)
LABEL = slice(256, 4096)
# _exit, SIGKILL and a sanitizer ending the process run no handler of ours:
# only the label is left.
NO_EVENT = ("the process ended inside the call (by _exit, a sanitizer's report or an "
            "uncatchable signal)")


def text(raw):
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def findings(directory):
    """[(pid, "label: how")] of every process that ended inside a call."""
    found = []
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return found
    for name in names:
        if not name.startswith("progress."):
            continue
        try:
            with open(os.path.join(directory, name), "rb") as f:
                data = f.read(4096)
        except OSError as e:
            found.append((name, "cannot read %s: %s" % (name, e)))
            continue
        if not data.startswith(MAGIC):
            found.append((name, "%s is not a call guard progress file" % name))
            continue
        label = text(data[LABEL])
        if label:
            found.append((name[len("progress."):],
                          "%s: %s" % (label, text(data[EVENT]) or NO_EVENT)))
    return found


def main(argv):
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    status = int(argv[1]) if len(argv) == 2 else 0
    lines = []
    for _, line in findings(argv[0]):
        if line not in lines:
            lines.append(line)
    for line in lines:
        print("TOOL-REPORT: call guard: " + line)
    sys.stdout.flush()
    if status != 0:
        return status
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
