#!/usr/bin/env python3
"""Proves `memharness sweep` (issue 21) on harness/blackbox/planted_sweep.

Modes:
  planted PROGRAM  sweeps the planted program: exit 3, each finding of
                   expected.txt exactly once (kind, the function of its
                   stack, the function of the failed allocation), nothing
                   else; and each finding's reproducer line, run alone,
                   reproduces it (read from the run's own record, not from
                   the sweep's verdict).
  fixed PROGRAM    sweeps the correct twin: exit 0, no finding, and every
                   allocation of the run was failed in each mode (a sweep
                   that ran nothing would be clean too).
  static PROGRAM   sweeps a statically linked program: exit 2 and an error
                   that names it and says why.
  check DIR        only the planted checks (and replays) of a sweep already
                   made into DIR (a merge of shards, in CI).

Usage: check_planted_sweep.py --memharness CMD --preload LIB --input FILE
                              --expected FILE --work DIR [--sweep-option=OPT]...
                              MODE (PROGRAM | DIR)
Reads sweep.json, never the console text.  Exit 0 when proved, 1 when not
(each problem on its own line), 2 on bad usage."""
import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

# The sweep's per-point timeout: the planted hang costs one of these.  A
# point of this program takes milliseconds; 2 s is far from both.
SWEEP_TIMEOUT_S = 2
# A replayed hang has not ended after this long.
REPLAY_HANG_S = 3
# No sweep of this small program may take longer than this.
SWEEP_LIMIT_S = 120

_FRAME = re.compile(r"^(?P<obj>\S.*?)\+0x(?P<off>[0-9a-fA-F]+)(?: (?P<func>\S+?)\+0x[0-9a-fA-F]+)?\s*$")


def clean_env(preload):
    """The environment a sweep or a replay starts from: no memharness or
    naputil variable of an outer run (meson's test setup runs this script
    through `memharness run`), no outer LD_PRELOAD."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MEMHARNESS_", "NAPUTIL_")) and k != "LD_PRELOAD"}
    env["MEMHARNESS_PRELOAD"] = preload
    return env


class Symbols:
    """Function names of frames "OBJECT+0xOFF[ FUNC+0xOFF]": the seam's
    dladdr name when it gave one, else addr2line's (our own reading, not
    the driver's)."""

    def __init__(self):
        self.cache = {}
        self.addr2line = shutil.which("addr2line")

    def parse(self, frame):
        m = _FRAME.match(frame) if isinstance(frame, str) else None
        return (m.group("obj"), int(m.group("off"), 16), m.group("func")) if m else None

    def is_outside(self, frame):
        """True for a frame in neither the C library, the loader nor the seam."""
        p = self.parse(frame)
        if p is None:
            return True
        base = os.path.basename(p[0])
        return not (base.startswith(("libc.so", "ld-linux", "ld.so", "libc-"))
                    or "memharness-preload" in base)

    def function(self, frame):
        p = self.parse(frame)
        if p is None:
            # A symbolised "func (file:line)": its first word.
            return frame.split(" ")[0] if isinstance(frame, str) and frame else None
        obj, off, func = p
        if func:
            return func
        if (obj, off) not in self.cache:
            name = None
            if self.addr2line and os.path.isfile(obj):
                out = subprocess.run([self.addr2line, "-f", "-e", obj, "0x%x" % max(off - 1, 0)],
                                     capture_output=True, text=True).stdout.split("\n")
                name = out[0] if out and out[0] not in ("", "??") else None
            self.cache[(obj, off)] = name
        return self.cache[(obj, off)]

    def first_outside(self, stack):
        """The function of a stack's first frame outside libc and the seam."""
        for fr in stack or []:
            if self.is_outside(fr):
                return self.function(fr)
        return None


def read_expected(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            if len(line) != 3:
                raise SystemExit("%s:%d: expected 'KIND WHERE FAILED', got %r" % (path, n, line))
            rows.append(tuple(line))
    return rows


def run_sweep(args, program, out):
    """Runs the sweep; (exit status, stderr text, seconds)."""
    cmd = [args.memharness, "sweep", "--out", out, "--timeout", str(SWEEP_TIMEOUT_S)] + \
        args.sweep_option + ["--", program, args.input]
    print("running: MEMHARNESS_PRELOAD=%s %s" % (args.preload, " ".join(map(shlex.quote, cmd))))
    t0 = time.monotonic()
    with open(os.path.join(args.work, "sweep.stdout"), "w") as so, \
         open(os.path.join(args.work, "sweep.stderr"), "w") as se:
        try:
            rc = subprocess.run(cmd, stdout=so, stderr=se, env=clean_env(args.preload),
                                timeout=SWEEP_LIMIT_S).returncode
        except subprocess.TimeoutExpired:
            rc = None
    seconds = time.monotonic() - t0
    with open(os.path.join(args.work, "sweep.stderr")) as se:
        err = se.read()
    if err:
        print("sweep's stderr:\n  " + "\n  ".join(err.rstrip("\n").split("\n")[-20:]))
    return rc, err, seconds


def load_model(out, problems):
    path = os.path.join(out, "sweep.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problems.append("cannot read %s: %s" % (path, e))
        return None


def finding_where(f, sym):
    """The function a finding is about: its stack's first frame outside
    libc (the raw frames, symbolised here); a policy has no stack and is
    keyed by its function ('policy|FUNC')."""
    got = sym.first_outside(f.get("frames") or [])
    if got is None and f.get("kind") == "policy" and "|" in (f.get("key") or ""):
        got = f["key"].split("|", 1)[1]
    return got


def finding_failed(f):
    """The function of the failed allocation ("func (file:line)")."""
    failed = f.get("failed")
    return failed.split(" ")[0] if isinstance(failed, str) and failed else None


def describe(f, sym):
    where = finding_where(f, sym)
    return "%s where=%s failed=%s (%d point(s), first %s)%s" % (
        f.get("kind"), where, finding_failed(f), len(f.get("points") or []), f.get("first"),
        "" if where else "; its stack: %s" % (" < ".join((f.get("stack") or [])[:4]) or "none"))


def parse_reproducer(line):
    """(environment assignments, argv, stdin path or None) of a reproducer."""
    words = shlex.split(line)
    env, argv, stdin = {}, [], None
    i = 0
    while i < len(words) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[i]):
        k, _, v = words[i].partition("=")
        env[k] = v
        i += 1
    while i < len(words):
        if words[i] == "<" and i + 1 < len(words):
            stdin = words[i + 1]
            i += 2
            continue
        argv.append(words[i])
        i += 1
    return env, argv, stdin


def replay(f, n, args, sym):
    """Runs the finding's reproducer alone (with a record file added) and
    returns what its own record shows, or a problem."""
    line = f.get("reproducer")
    if not line:
        return "no reproducer line"
    env_add, argv, stdin = parse_reproducer(line)
    if "MEMHARNESS_FAULTS" not in env_add or "LD_PRELOAD" not in env_add or not argv:
        return "reproducer %r lacks MEMHARNESS_FAULTS, LD_PRELOAD or the program" % line
    record = os.path.join(args.work, "replay-%d.jsonl" % n)
    errpath = os.path.join(args.work, "replay-%d.stderr" % n)
    env = clean_env(args.preload)
    env.update(env_add)
    env["MEMHARNESS_SWEEP_RECORD"] = record
    hang = f.get("kind") == "hang"
    timed_out = False
    with open(errpath, "w") as err, open(stdin or os.devnull) as sin:
        p = subprocess.Popen(argv, env=env, stdin=sin, stdout=subprocess.DEVNULL, stderr=err,
                             start_new_session=True)
        try:
            p.wait(timeout=REPLAY_HANG_S if hang else 30)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    with open(errpath, errors="replace") as e:
        stderr = e.read()
    recs = []
    try:
        with open(record, errors="replace") as r:
            for x in r:
                try:
                    recs.append(json.loads(x))
                except ValueError:
                    pass
    except OSError:
        return "the replay wrote no record %s (exit %s)" % (record, p.returncode)
    by = {}
    for r in recs:
        by.setdefault(r.get("t"), []).append(r)
    fault = (by.get("fault") or [{}])[0]
    if not fault.get("hit"):
        return "the replay (%s) failed no allocation" % env_add["MEMHARNESS_FAULTS"]
    want_failed, want_where = f["_expect"][2], f["_expect"][1]
    got_failed = sym.first_outside(fault.get("stack"))
    if got_failed != want_failed:
        return "the replay failed an allocation in %s, not %s" % (got_failed, want_failed)
    kind = f.get("kind")
    if kind == "hang":
        return None if timed_out else "the replay ended (exit %s) within %d s" % (
            p.returncode, REPLAY_HANG_S)
    if timed_out:
        return "the replay did not end within 30 s"
    if kind == "crash":
        for c in by.get("crash", []):
            if c.get("signal") != signal.SIGABRT and sym.first_outside(c.get("stack")) == want_where:
                return None
        return "no crash in %s in the replay's record (exit %s)" % (want_where, p.returncode)
    if kind == "misuse":
        for m in by.get("misuse", []):
            if sym.first_outside(m.get("stack")) == want_where:
                return None
        if re.search(r"double free|free\(\): invalid|corrupted", stderr):
            for e in by.get("end", []) + by.get("crash", []):
                if sym.first_outside(e.get("stack")) == want_where:
                    return None
        return "no allocator misuse in %s in the replay" % want_where
    if kind == "leak":
        ends = [e.get("how") for e in by.get("end", [])]
        for b in by.get("leak", []):
            if not b.get("reachable") and sym.first_outside(b.get("stack")) == want_where:
                return None if ends and ends[0] in ("return", "exit") else \
                    "the replay leaked but did not end normally (%s)" % ends
        return "no unreachable block allocated in %s in the replay" % want_where
    if kind == "policy":
        for e in by.get("end", []):
            if e.get("how") == "exit" and e.get("status") and \
               sym.first_outside(e.get("stack")) == want_where:
                return None
        return "the replay did not exit(non-zero) from %s" % want_where
    return "no replay check for kind %r" % kind


def check_planted(args, model, sym, problems):
    expected = read_expected(args.expected)
    findings = model.get("findings")
    if not isinstance(findings, list):
        problems.append("sweep.json has no findings list")
        return
    unmatched = list(findings)
    for row in expected:
        kind, where, failed = row
        hits = [f for f in unmatched if f.get("kind") == kind and finding_where(f, sym) == where
                and finding_failed(f) == failed]
        if len(hits) != 1:
            problems.append("expected exactly one finding '%s in %s, failed allocation in %s', "
                            "found %d" % (kind, where, failed, len(hits)))
        for f in hits:
            f["_expect"] = row
            unmatched.remove(f)
    for f in unmatched:
        problems.append("reported but not planted: %s" % describe(f, sym))
    for n, f in enumerate(findings):
        if "_expect" not in f:
            continue
        pts = f.get("points") or []
        if not pts or f.get("first") not in pts:
            problems.append("%s: no points, or its first point %r is not among them"
                            % (describe(f, sym), f.get("first")))
        why = replay(f, n, args, sym)
        print("%s %s: %s; reproducer: %s" % (
            "ok  " if why is None else "FAIL", describe(f, sym),
            "replayed" if why is None else why, f.get("reproducer")))
        if why is not None:
            problems.append("%s: its reproducer does not reproduce it: %s" % (describe(f, sym), why))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--memharness", default="memharness")
    ap.add_argument("--preload", required=True)
    ap.add_argument("--input")
    ap.add_argument("--expected", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sweep-option", action="append", default=[],
                    help="an option for memharness sweep (e.g. --no-fork-server)")
    ap.add_argument("mode", choices=("planted", "fixed", "static", "check"))
    ap.add_argument("target")
    args = ap.parse_args(argv)
    for path, what in ((args.preload, "--preload"), (args.expected, "--expected"),
                       (args.target, args.mode)):
        if not os.path.exists(path):
            print("check_planted_sweep: %s %s: no such file" % (what, path), file=sys.stderr)
            return 2
    if args.mode != "check" and not (args.input and os.path.isfile(args.input)):
        print("check_planted_sweep: --input: no such file: %s" % args.input, file=sys.stderr)
        return 2
    # Absolute, so that the reproducers work from any directory.
    args.input = os.path.abspath(args.input) if args.input else None
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    sym = Symbols()
    problems = []
    out = args.target if args.mode == "check" else os.path.join(args.work, "sweep")
    if args.mode != "check":
        rc, err, seconds = run_sweep(args, args.target, out)
        print("sweep exit %s after %.1f s" % (rc, seconds))
        want = {"planted": 3, "fixed": 0, "static": 2}[args.mode]
        if rc != want:
            problems.append("memharness sweep exited %s, expected %d" % (rc, want))
        if args.mode == "static":
            name = os.path.basename(args.target)
            if name not in err or not re.search(r"static|not dynamically linked", err, re.I):
                problems.append("the error does not name %s and say it is statically linked: %r"
                                % (name, err.strip()[-300:]))
    model = load_model(out, problems) if args.mode != "static" else None
    if model is not None:
        if args.mode in ("planted", "check"):
            check_planted(args, model, sym, problems)
        else:
            for f in model.get("findings") or []:
                problems.append("the correct twin got a finding: %s" % describe(f, sym))
            pts = model.get("points") or {}
            counted = (model.get("baseline") or {}).get("counted") or 0
            print("fixed twin: %d allocations counted in the fault-free run; points %s"
                  % (counted, json.dumps(pts, sort_keys=True)))
            if counted < 10:
                problems.append("the fault-free run counted %d allocations (the program makes "
                                "about 25): the sweep did not see them" % counted)
            for mode in ("transient", "persistent"):
                if pts.get(mode, 0) < counted:
                    problems.append("%s: %d point(s) for %d counted allocations"
                                    % (mode, pts.get(mode, 0), counted))
    for p in problems:
        print("check_planted_sweep %s: %s" % (args.mode, p), file=sys.stderr)
    if not problems:
        print("check_planted_sweep %s: proved" % args.mode)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
