"""Meson's JSON test log (BUILDDIR/meson-logs/testlog-<setup>.json): one
object per test with its name, result, exit status, duration and command."""
import json
import os
import sys

# Meson results that are not failures.
PASSING = {"OK": "pass", "EXPECTEDFAIL": "pass", "SKIP": "skip"}


class BrokenInput(Exception):
    """An input file exists but cannot be read as what it claims to be."""


def newest(builddir):
    """Path of the newest meson-logs/testlog*.json, or None."""
    logdir = os.path.join(builddir, "meson-logs")
    if not os.path.isdir(logdir):
        return None
    logs = [os.path.join(logdir, f) for f in os.listdir(logdir)
            if f.startswith("testlog") and f.endswith(".json")]
    return max(logs, key=os.path.getmtime) if logs else None


def read(path):
    """The test entries of one log, or None when there is no log."""
    if not os.path.isfile(path):
        return None
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


def read_noting(path, errors):
    """read, but a broken log is appended to errors and read as no log (None)."""
    try:
        return read(path)
    except BrokenInput as e:
        errors.append(str(e))
        return None


def suite_of(entry):
    """Meson 1.0's JSON log has no suite field: the name is
    "project:suite / test"."""
    head, sep, _ = entry.get("name", "?").partition(" / ")
    return head.split(":", 1)[-1] if sep else "-"


def short_name(entry):
    return entry.get("name", "?").split(" / ", 1)[-1]


def timed_out(path):
    """Names of the tests a log records as timed out (none when there is no
    log); a line that is not JSON is skipped, as a log cut short by an
    interrupted run ends in one."""
    names = []
    if not os.path.isfile(path):
        return names
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("result") == "TIMEOUT":
                names.append(entry.get("name", "?"))
    return names


def main(argv):
    """testlog.py timed-out LOG: prints the timed-out tests' names joined
    by ", " (make check's configs.sh)."""
    if len(argv) != 3 or argv[1] != "timed-out":
        print("usage: testlog.py timed-out TESTLOG.json", file=sys.stderr)
        return 2
    print(", ".join(timed_out(argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
