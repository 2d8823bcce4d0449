#!/usr/bin/env python3
"""A stand-in for a program under the preload seam, for the driver's tests:
it speaks SPEC section 2 (fork server on MEMHARNESS_SWEEP_SERVER's fds) and
writes section 3 records, or runs once in standalone mode
(MEMHARNESS_FAULTS, MEMHARNESS_SWEEP_RECORD), following a scripted table.

Usage: fake_server.py SCRIPT.json
SCRIPT: {"allocs": N counted allocations of a fault-free run,
         "at": {"K": BEHAVIOUR} what the program does when allocation K is the
               first to fail (absorbed when absent),
         "persistent_at": {...} the same for persistent mode (else "at"),
         "sites": [name of allocation 1, 2, ...] (site mode; default one
               distinct site per allocation),
         "site_of": {"K": function that made allocation K} (default xmalloc),
         "baseline_leak": true   a leak in every normal end,
         "threads": true         answer `noserver threads`,
         "no_alloc": true        no counted allocation: EOF without ready,
         "diverge_after_first_run": true  each server's runs after its first
                                 count one allocation (input consumed)}
BEHAVIOURs: crash, crash2, leak, leak_reachable, policy, abort, assert, misuse,
glibc_misuse, hang, handled, absorbed, kill_server (the child kills the
server)."""
import json
import os
import signal
import sys
import time
import zlib

PROG = "/fake/prog"
LIBC = "/lib/x86_64-linux-gnu/libc.so.6"


def fr(func, off):
    return "%s+0x%x %s+0x%x" % (PROG, off, func, off & 0xf)


def alloc_stack(script, k):
    site = script.get("site_of", {}).get(str(k), "xmalloc")
    return [fr(site, 0x100 + (zlib.crc32(site.encode()) & 0xff0)),
            fr("do_work", 0x500), fr("main", 0x600)]


def emit(rec, obj):
    rec.write(json.dumps(obj) + "\n")
    rec.flush()


def site_names(script):
    return script.get("sites") or ["site%d" % i for i in range(1, script["allocs"] + 1)]


def first_fault(script, spec):
    """(mode, k failed or None, site key or None) for the spec."""
    if spec == "off":
        return "off", None, None
    parts = spec.split(":")
    if parts[0] in ("transient", "persistent"):
        k = int(parts[1])
        return parts[0], (k if k <= script["allocs"] else None), None
    if parts[0] == "site":
        path, i, n = parts[2], int(parts[3]), int(parts[4])
        done = set()
        if os.path.exists(path):
            done = {x.split()[-1] for x in open(path) if x.strip()}
        for k, name in enumerate(site_names(script), 1):
            key = "%s+0x%x" % (PROG, zlib.crc32(name.encode()) & 0xffff)
            if key not in done and zlib.crc32(key.encode()) % n == i - 1:
                with open(path, "a") as f:
                    f.write("site 1 %s\n" % key)
                return "site", k, key
        return "site", None, None
    sys.stderr.write("fake: bad spec %r\n" % spec)
    os._exit(2)


def act(script, spec, rec_path):
    """One run, as the child of a fork or a standalone process."""
    rec = open(rec_path, "w") if rec_path else sys.stderr
    if script.get("diverge_after_first_run") and os.path.exists(STAMP):
        # A run after the server's first: counts one allocation and ends.
        emit(rec, {"t": "fault", "spec": spec, "counted": 1, "hit": spec == "transient:1",
                   "at": 1})
        os._exit(1)
    if script.get("diverge_after_first_run"):
        open(STAMP, "w").close()
    mode, k, site = first_fault(script, spec)
    if k is None:
        emit(rec, {"t": "fault", "spec": spec, "counted": script["allocs"], "hit": False})
        beh = "absorbed"
    else:
        f = {"t": "fault", "spec": spec, "counted": k, "hit": True, "at": k,
             "stack": alloc_stack(script, k)}
        if site:
            f["site"] = site
        emit(rec, f)
        table = script.get("persistent_at") if mode == "persistent" else None
        beh = (table or script.get("at", {})).get(str(k), "absorbed")
    sys.stdout.write("only=%s\n" % os.environ.get("MEMHARNESS_ONLY", ""))
    sys.stdout.flush()
    failed_fn = alloc_stack(script, k)[0].split(" ")[1].split("+")[0] if k else None

    def normal_end(status, leaks=()):
        for b in leaks:
            emit(rec, b)
        if script.get("baseline_leak"):
            emit(rec, {"t": "leak", "size": 16, "seq": 1, "after_fault": False,
                       "reachable": False, "stack": [fr("init_table", 0x700), fr("main", 0x600)]})
        emit(rec, {"t": "end", "how": "exit", "status": status,
                   "stack": [fr("main", 0x610)]})
        emit(rec, {"t": "stats", "counted": script["allocs"], "tracked": 3})
        rec.flush()
        os._exit(status)

    def die(sig, rec_obj):
        emit(rec, rec_obj)
        rec.flush()
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
        time.sleep(5)
        os._exit(99)

    if beh == "crash":
        die(signal.SIGSEGV, {"t": "crash", "signal": 11, "name": "SIGSEGV",
                             "stack": [fr("parse_value", 0x800), fr("parse", 0x900),
                                       fr("main", 0x600)]})
    if beh == "crash2":
        die(signal.SIGSEGV, {"t": "crash", "signal": 11, "name": "SIGSEGV",
                             "stack": [fr("print_table", 0xa00), fr("main", 0x600)]})
    if beh == "abort":
        die(signal.SIGABRT, {"t": "end", "how": "abort", "status": 134,
                             "stack": [fr("check_consistency", 0xb00), fr("main", 0x600)]})
    if beh == "assert":
        die(signal.SIGABRT, {"t": "end", "how": "assert", "status": 134,
                             "message": "prog.c:42: build: Assertion `t != NULL' failed.",
                             "stack": [fr("build", 0xc00), fr("main", 0x600)]})
    if beh == "policy":
        emit(rec, {"t": "end", "how": "exit", "status": 1,
                   "stack": [fr("die_oom", 0xd00), fr(failed_fn, 0x100), fr("main", 0x600)]})
        sys.stderr.write("fatal: out of memory\n")
        os._exit(1)
    if beh == "misuse":
        emit(rec, {"t": "misuse", "text": "free of a freed pointer (double free)",
                   "stack": [fr("cleanup", 0xe00), fr("main", 0x600)]})
        normal_end(1)
    if beh == "glibc_misuse":
        sys.stderr.write("free(): double free detected in tcache 2\n")
        sys.stderr.flush()
        die(signal.SIGABRT, {"t": "crash", "signal": 6, "name": "SIGABRT",
                             "stack": [fr("cleanup", 0xe00), fr("main", 0x600)]})
    if beh == "hang":
        def on_usr1(signum, frame):
            emit(rec, {"t": "hang", "stack": [fr("wait_forever", 0xf00), fr("main", 0x600)]})
        signal.signal(signal.SIGRTMIN + 5, on_usr1)
        while True:
            time.sleep(1)
    if beh == "kill_server" and os.environ.get("MEMHARNESS_SWEEP_SERVER"):
        os.kill(os.getppid(), signal.SIGKILL)   # the server dies mid-run
        normal_end(0)
    if beh == "handled":
        sys.stderr.write("error: out of memory\n")
        normal_end(1)
    if beh in ("leak", "leak_reachable"):
        normal_end(0, [{"t": "leak", "size": 32, "seq": 9, "after_fault": False,
                        "reachable": beh == "leak_reachable",
                        "stack": [fr("load_entry", 0x1000), fr("load", 0x1100),
                                  fr("main", 0x600)]}])
    normal_end(0)


STAMP = "/nonexistent"


def serve(script, ctl, status):
    global STAMP
    STAMP = "/tmp/fake-server-stamp.%d" % os.getpid()
    out = os.fdopen(status, "w")
    if script.get("threads"):
        out.write("noserver threads\n")
        out.flush()
        return act(script, "off", None)
    if script.get("no_alloc"):
        os._exit(0)
    out.write("ready %d fakedigest\n" % os.getpid())
    out.flush()
    cin = os.fdopen(ctl, "r")
    for line in cin:
        w = line.split()
        if not w or w[0] == "quit":
            break
        rid, spec, rec, so, se, tmo = w[1], w[2], w[3], w[4], w[5], int(w[6])
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            cin.close()
            out.close()
            fd = os.open(so, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 1)
            fd = os.open(se, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(fd, 2)
            act(script, spec, rec)
        timed_out = 0
        deadline = t0 + tmo / 1000.0
        while True:
            got, st = os.waitpid(pid, os.WNOHANG)
            if got:
                break
            if time.monotonic() > deadline and not timed_out:
                timed_out = 1
                os.kill(pid, signal.SIGRTMIN + 5)
                time.sleep(0.2)
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.001)
        out.write("done %s %d %d %d\n" % (rid, st, timed_out,
                                           int((time.monotonic() - t0) * 1e6)))
        out.flush()
    if os.path.exists(STAMP):
        os.unlink(STAMP)
    os._exit(0)


def main():
    script = json.load(open(sys.argv[1]))
    srv = os.environ.get("MEMHARNESS_SWEEP_SERVER")
    if srv:
        ctl, status = (int(x) for x in srv.split(","))
        serve(script, ctl, status)
    spec = os.environ.get("MEMHARNESS_FAULTS", "off")
    if spec.startswith("site") and spec.count(":") < 2:
        # Standalone site mode is the core's: site[:D] and the sites file.
        spec = "site:%s:%s:1:1" % (spec.partition(":")[2] or "1",
                                   os.environ["MEMHARNESS_FAULTS_SITES"])
    act(script, spec, os.environ.get("MEMHARNESS_SWEEP_RECORD"))


main()
