"""The call guard's progress files (harness/core/crash_guard.c): a process
that ended inside a call under test (exit with any status, _exit, a signal,
a call killed by the watchdog) left the call's label, and how it ended, in
DIR/progress.<pid>."""
import os

# The guard's magic, and the one it wrote before it was memharness's: a file
# left by an older build still names its call.
MAGICS = (b"MEMHARNESS-PG 1\n", b"NAPUTIL-GUARD 1\n")
EVENT = slice(16, 256)
LABEL = slice(256, 4096)
# _exit, SIGKILL and a sanitizer ending the process run no handler of ours:
# only the label is left.
NO_EVENT = ("the process ended inside the call (by _exit, a sanitizer's report or an "
            "uncatchable signal)")


def _text(raw):
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
        if not data.startswith(MAGICS):
            found.append((name, "%s is not a call guard progress file" % name))
            continue
        label = _text(data[LABEL])
        if label:
            found.append((name[len("progress."):],
                          "%s: %s" % (label, _text(data[EVENT]) or NO_EVENT)))
    return found
