"""Reads one finished run (section 3's record plus the run's stdout/stderr
and wait status) into a plain dict, the unit the classifier, the state file
and the model all share.  A record cut short by a crash mid-line loses only
that line."""
import json
import os
import re
import signal

# glibc's allocator messages (malloc/malloc.c malloc_printerr): allocator
# misuse the seam did not see itself, e.g. when a block of the C library's
# own was freed twice.
GLIBC_MISUSE = re.compile(
    r"(free\(\): (invalid pointer|invalid size|double free detected[^\n]*|invalid next size[^\n]*)"
    r"|double free or corruption[^\n]*|munmap_chunk\(\): invalid pointer"
    r"|realloc\(\): (invalid pointer|invalid old size|invalid next size)"
    r"|corrupted size vs\. prev_size[^\n]*|malloc\(\): [a-z ]*corrupt[^\n]*"
    r"|malloc_consolidate\(\): [^\n]*|free\(\): corrupted unsorted chunks)")

# glibc's assertion message (assert/assert.c), also printed when the C
# library asserts internally, where the seam's __assert_fail is not called.
GLIBC_ASSERT = re.compile(r"^[^\n]*: Assertion `.*' failed\.$", re.M)

STDERR_SCAN = 64 * 1024   # bytes of stderr read: the first line and glibc's message


def signal_name(num):
    """SIGSEGV for 11, or "signal N"."""
    try:
        return signal.Signals(num).name
    except ValueError:
        return "signal %d" % num


def read_record(path):
    """The record's objects, in order, and an error text for lines that were
    not JSON objects (None when all were).  A reachable block's line (the
    seam writes it as `"reachable":true`) is only counted, as an object
    {"t": "reachable"} with no stack: nothing reads its stack, and a program
    with thousands of live blocks at exit would have every point parse and
    store them."""
    objs, bad = [], 0
    reachable = {"t": "reachable"}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                if '"reachable":true' in line and line.startswith('{"t":"leak"') \
                        and line.endswith("}"):
                    objs.append(reachable)
                    continue
                try:
                    o = json.loads(line)
                except ValueError:
                    bad += 1
                    continue
                if isinstance(o, dict):
                    objs.append(o)
                else:
                    bad += 1
    except FileNotFoundError:
        return [], "no record"
    except OSError as e:
        return [], "record unreadable: %s" % e.strerror
    return objs, ("%d record line(s) not JSON objects" % bad if bad else None)


def scan_stderr(path):
    """(first non-empty line of stderr, glibc misuse message or None, glibc
    assertion message or None).  The seam's own "memharness:" lines
    (standalone mode) are not the program's."""
    try:
        with open(path, "rb") as f:
            text = f.read(STDERR_SCAN).decode("utf-8", "replace")
    except OSError:
        return "", None, None
    first = next((x.strip() for x in text.split("\n")
                  if x.strip() and not x.startswith("memharness:")), "")
    m = GLIBC_MISUSE.search(text)
    a = GLIBC_ASSERT.search(text)
    return first[:300], (m.group(0) if m else None), (a.group(0).strip()[:500] if a else None)


def outcome(point, spec, wait_status, timed_out, usec, run_dir):
    """The run as a dict (see the module's doc): wait status decoded, record
    objects sorted by type."""
    r = {"point": point, "spec": spec, "wait_status": wait_status,
         "timed_out": bool(timed_out), "usec": usec, "run_dir": run_dir,
         "status": None, "signal": None, "fault": None, "misuse": [], "end": None,
         "crash": None, "hang": None, "leaks": [], "stats": None, "reachable_blocks": 0}
    if os.WIFEXITED(wait_status):
        r["status"] = os.WEXITSTATUS(wait_status)
    elif os.WIFSIGNALED(wait_status):
        r["signal"] = os.WTERMSIG(wait_status)
    objs, err = read_record(os.path.join(run_dir, "record"))
    r["record_error"] = err
    for o in objs:
        t = o.get("t")
        if t == "fault" and r["fault"] is None:
            r["fault"] = o
        elif t == "misuse":
            r["misuse"].append(o)
        elif t in ("end", "crash", "hang", "stats") and r[t] is None:
            r[t] = o
        elif t == "reachable" or (t == "leak" and o.get("reachable")):
            r["reachable_blocks"] += 1
        elif t == "leak":
            r["leaks"].append(o)
    r["stderr_first"], r["stderr_misuse"], r["stderr_assert"] = \
        scan_stderr(os.path.join(run_dir, "stderr"))
    return r


# Parts of a run that say nothing of its outcome (which point, how long).
_NOT_OUTCOME = {"point", "spec", "usec", "run_dir", "at", "counted", "seq"}


def _outcome_only(x):
    if isinstance(x, dict):
        return {k: _outcome_only(v) for k, v in x.items() if k not in _NOT_OUTCOME}
    if isinstance(x, list):
        return [_outcome_only(v) for v in x]
    return x


def same_key(run):
    """A text equal for two runs whose outcome is the same in everything the
    classification and the dedup key read (status, signal, messages, every
    stack), so that they classify and group alike."""
    return json.dumps(_outcome_only(run), sort_keys=True)


def hit(run):
    """True when the run's fault was injected (the sweep goes on past it)."""
    return bool(run.get("fault") and run["fault"].get("hit"))
