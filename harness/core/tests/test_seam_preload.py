#!/usr/bin/env python3
"""Self-test of libmemharness-preload.so (harness/core/seams/preload).

Runs test_seam_preload_prog under LD_PRELOAD, standalone and through the
fork server (a minimal client of docs/SWEEP-INTERNALS.md, enough for the
seam's side; memharness sweep is the real one), and checks what the seam
promises: counting from main, whatever the environment's size; a failed
allocation is NULL with ENOMEM; glibc's strdup fails as malloc called from
libc; a double free is a misuse in the record and never reaches glibc; a
leak after the fault is in the record with its reachability; a crash is
recorded with its stack; the server answers ready/run/done, its run k fails
the allocation a standalone run k fails, and a hang is recorded and killed;
MEMHARNESS_ONLY counts by the first frame outside the C library.  Found by
the first real sweeps: files opened before the fork point are read from the
same offset by every run (input); a hang interrupted inside the seam's
malloc names the program's function (hang_malloc); a block a live frame
holds at exit() is reachable (exit_deep); misuse texts and site keys stop
at the program's main, without the seam's main wrapper.

usage: test_seam_preload.py SEAM.so PROGRAM LIBRARY.so
"""
import json
import os
import subprocess
import sys
import tempfile

SEAM, PROG, LIB = (os.path.abspath(a) for a in sys.argv[1:4])
PROG_REAL = os.path.realpath(PROG)
TMP = tempfile.mkdtemp(prefix="seam_preload.")
problems = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n     " + str(detail)))
    if not ok:
        problems.append(what)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MEMHARNESS_", "NAPUTIL_")) and k != "LD_PRELOAD"}
    env["LD_PRELOAD"] = SEAM
    env.update(extra)
    return env


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def run(scenario, spec=None, only=None, env_extra=None, timeout=20):
    """A standalone run; returns (completed process, record lines)."""
    rec = os.path.join(TMP, "rec.jsonl")
    if os.path.exists(rec):
        os.unlink(rec)
    extra = {"MEMHARNESS_SWEEP_RECORD": rec}
    if spec:
        extra["MEMHARNESS_FAULTS"] = spec
    if only:
        extra["MEMHARNESS_ONLY"] = only
    extra.update(env_extra or {})
    p = subprocess.run([PROG, scenario], env=clean_env(**extra), capture_output=True,
                       text=True, timeout=timeout)
    return p, (records(rec) if os.path.exists(rec) else [])


def kind(lines, t):
    return [r for r in lines if r["t"] == t]


def stats(lines):
    s = kind(lines, "stats")
    return s[0]["counted"] if s else None


def in_prog(frame):
    return frame.startswith(PROG_REAL + "+0x")


# ---- counting from main --------------------------------------------------
p, lines = run("count")
check(stats(lines) == 4 and lines and lines[0]["t"] == "fault" and not lines[0]["hit"]
      and lines[0]["counted"] == 4,
      "count: a fault-free run counts main's 4 allocations, not the constructor's 3",
      lines)
big = {"SEAM_PRELOAD_PAD%d" % i: "x" * 500 for i in range(200)}
p2, lines2 = run("count", env_extra=big)
check(stats(lines2) == 4, "count: the same count with 100 KB more environment", lines2)
_, a = run("count", "transient:4")
_, b = run("count", "transient:4", env_extra=big)
check(a and b and a[0].get("stack") == b[0].get("stack") and a[0].get("at") == 4,
      "count: transient:4 fails the same allocation in both environments", (a[:1], b[:1]))

# ---- a failed allocation is NULL with ENOMEM -----------------------------
for k, name in ((1, "malloc"), (2, "calloc"), (3, "realloc")):
    p, lines = run("count", "transient:%d" % k)
    check(p.returncode == 1 and p.stdout.strip() == name + ": NULL ENOMEM"
          and lines[0]["hit"] and lines[0]["at"] == k and in_prog(lines[0]["stack"][0]),
          "count: transient:%d fails %s with NULL/ENOMEM, recorded at %d" % (k, name, k),
          (p.returncode, p.stdout, lines[:1]))

# ---- glibc's strdup allocates through the interposed malloc --------------
p, lines = run("count", "transient:4")
st = lines[0].get("stack", []) if lines else []
check(p.stdout.strip() == "strdup: NULL ENOMEM" and len(st) >= 2
      and "/libc.so" in st[0] and "strdup" in st[0] and in_prog(st[1]),
      "count: transient:4 fails malloc called from libc's strdup, called from the program",
      (p.stdout, st))
p, lines = run("count", "persistent:5")
check(p.returncode == 0 and not lines[0]["hit"] and lines[0]["counted"] == 4,
      "count: persistent:5 hits nothing in a run of 4", lines[:1])

# ---- double free: a misuse, not passed to glibc --------------------------
p, lines = run("double_free")
mis = kind(lines, "misuse")
check(p.returncode == 0 and "after double free" in p.stdout and len(mis) == 1
      and "double free" in mis[0]["text"] and in_prog(mis[0]["stack"][0])
      and "free()" not in p.stderr,
      "double_free: recorded as a misuse at the program's free, glibc never sees it",
      (p.returncode, p.stderr, mis))
SEAM_NAME = os.path.basename(SEAM)
check(mis and SEAM_NAME not in mis[0]["text"],
      "double_free: the misuse text's stacks end at main, without the seam's main wrapper",
      mis)

# ---- leaks after the fault -----------------------------------------------
p, lines = run("leak", "transient:1")
leaks = {r["size"]: r for r in kind(lines, "leak")}
lost, held = leaks.get(32), leaks.get(48)
check(p.returncode == 1 and lost is not None and lost["after_fault"] and not lost["reachable"]
      and held is not None and held["after_fault"] and held["reachable"]
      and in_prog(lost["stack"][0]) and lines[-1]["t"] == "stats",
      "leak: blocks allocated after the failed one are leaks after_fault, the one a "
      "global holds reachable", kind(lines, "leak"))
p, lines = run("leak")
check(p.returncode == 0 and not kind(lines, "leak"), "leak: a fault-free run leaks nothing",
      kind(lines, "leak"))

# ---- crash ----------------------------------------------------------------
p, lines = run("crash", "transient:1")
cr = kind(lines, "crash")
check(p.returncode == -11 and len(cr) == 1 and cr[0]["name"] == "SIGSEGV"
      and in_prog(cr[0]["stack"][0]) and lines[0]["t"] == "fault" and lines[0]["hit"],
      "crash: SIGSEGV on the failed allocation recorded with the program's frame first",
      (p.returncode, lines))

# ---- the rest of the family ----------------------------------------------
p, lines = run("family")
check(p.returncode == 0 and stats(lines) == 7 and not kind(lines, "leak"),
      "family: posix_memalign, aligned_alloc, memalign, valloc, pvalloc, reallocarray x2 "
      "are 7 counted allocations, all freed", (p.stdout, lines))
names = ["posix_memalign", "aligned_alloc", "memalign", "valloc", "pvalloc", "reallocarray",
         "reallocarray-grow"]
for k, name in enumerate(names, 1):
    p, lines = run("family", "transient:%d" % k)
    check(p.stdout.strip() == name + ": NULL ENOMEM" and lines[0]["at"] == k,
          "family: transient:%d fails %s with NULL/ENOMEM" % (k, name), (p.stdout, lines[:1]))

# ---- how a run ends --------------------------------------------------------
p, lines = run("exit", "transient:1")
end = kind(lines, "end")
check(p.returncode == 3 and end and end[0]["how"] == "exit" and end[0]["status"] == 3
      and in_prog(end[0]["stack"][0]) and lines[-1]["t"] == "stats",
      "exit: exit(3) on the failure is an end line with exit's caller, then stats", lines)
p, lines = run("assert", "transient:1")
end = kind(lines, "end")
check(p.returncode == -6 and end and end[0]["how"] == "assert"
      and "Assertion `p != NULL' failed." in end[0].get("message", "")
      and not kind(lines, "crash") and not kind(lines, "leak"),
      "assert: a failed assert is an end line with glibc's message, no crash, no leaks", lines)
p, lines = run("exit_deep")
held = [r for r in kind(lines, "leak") if r["size"] == 40]
check(p.returncode == 0 and len(held) == 1 and held[0]["reachable"],
      "exit_deep: a block a live frame holds when the program calls exit() is reachable",
      (p.returncode, p.stdout, kind(lines, "leak")))
p, lines = run("exit")
end = kind(lines, "end")
check(p.returncode == 0 and end and end[0]["how"] == "return" and end[0]["status"] == 0,
      "exit: a return from main is an end line 'return'", lines)

# ---- MEMHARNESS_ONLY ------------------------------------------------------
libname = os.path.basename(LIB)
_, all_lines = run("only")
_, lib_lines = run("only", only=libname)
_, main_lines = run("only", only="main")
check(stats(all_lines) == 4 and stats(lib_lines) == 2 and stats(main_lines) == 2,
      "only: 4 counted in all, 2 from %s (one through libc's strdup), 2 from main" % libname,
      (stats(all_lines), stats(lib_lines), stats(main_lines)))
p, lines = run("only", "transient:2", only=libname)
st = lines[0].get("stack", []) if lines else []
check(p.stdout.strip() == "only: 1 NULL" and len(st) >= 2 and "strdup" in st[0]
      and st[1].startswith(os.path.realpath(LIB)) or (len(st) >= 2 and libname in st[1]),
      "only: transient:2 under MEMHARNESS_ONLY=%s fails libc's strdup called from it" % libname,
      (p.stdout, st))
p, lines = run("only", only="no_such_object")
check(p.returncode == 2 and "MEMHARNESS_ONLY" in p.stderr and "no_such_object" in p.stderr,
      "only: an object that is not loaded stops the program with a message", p.stderr)


# ---- the fork server -------------------------------------------------------
class Server:
    def __init__(self, scenario, *args):
        cr, cw = os.pipe()
        sr, sw = os.pipe()
        os.dup2(cr, 198)
        os.dup2(sw, 199)
        self.proc = subprocess.Popen([PROG, scenario, *args], pass_fds=(198, 199),
                                     env=clean_env(MEMHARNESS_SWEEP_SERVER="198,199"),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for fd in (198, 199, cr, sw):
            os.close(fd)
        self.status = os.fdopen(sr)
        self.ctl = os.fdopen(cw, "w")
        self.first = self.status.readline().split()

    def run(self, i, spec, timeout_ms=5000):
        base = os.path.join(TMP, "srv%s" % i)
        self.ctl.write("run %s %s %s.rec %s.out %s.err %d\n" % (i, spec, base, base, base,
                                                                 timeout_ms))
        self.ctl.flush()
        done = self.status.readline().split()
        with open(base + ".out") as f:
            out = f.read()
        return done, (records(base + ".rec") if os.path.exists(base + ".rec") else []), out

    def quit(self):
        self.ctl.write("quit\n")
        self.ctl.flush()
        return self.proc.wait(timeout=10)


srv = Server("count")
check(len(srv.first) == 3 and srv.first[0] == "ready" and srv.first[1] == str(srv.proc.pid),
      "server: says 'ready PID DIGEST' first", srv.first)
for k in range(1, 6):
    done, lines, out = srv.run(k, "transient:%d" % k)
    _, alone = run("count", "transient:%d" % k)
    want = 0 if k == 5 else 256
    check(done[:4] == ["done", str(k), str(want), "0"] and lines and alone
          and lines[0].get("at") == alone[0].get("at")
          and lines[0].get("stack") == alone[0].get("stack")
          and stats(lines) == stats(alone),
          "server: run %d fails what a standalone transient:%d fails (done %s)" % (k, k, done),
          (done, lines[:1], alone[:1]))
done, lines, _ = srv.run("base", "off")
check(done[1:4] == ["base", "0", "0"] and stats(lines) == 4, "server: an 'off' run counts 4",
      (done, lines))
check(srv.quit() == 0, "server: 'quit' ends the server with status 0")

srv = Server("crash")
done, lines, _ = srv.run(1, "transient:1")
check(int(done[2]) & 0x7f == 11 and kind(lines, "crash"),
      "server: a run that crashes is reported by its wait status and its record", (done, lines))
srv.quit()

srv = Server("hang")
done, lines, _ = srv.run(1, "transient:1", timeout_ms=300)
hg = kind(lines, "hang")
check(done[3] == "1" and hg and in_prog(hg[0]["stack"][0]),
      "server: a run past its timeout is 'timed_out 1', with the hang line's stack",
      (done, lines))
done, lines, _ = srv.run(2, "off", timeout_ms=3000)
check(done[2:4] == ["0", "0"], "server: serves the next run after a hang", done)
srv.quit()

# The spin is half in libc's memset called by the tracker, half in the seam:
# six runs, so that a stack cut wrong shows (about 1 in 64 would all land
# in the program's own loop).
srv = Server("hang_malloc")
bad = []
for i in range(6):
    done, lines, _ = srv.run("hm%d" % i, "transient:1", timeout_ms=150)
    hg = kind(lines, "hang")
    st = hg[0]["stack"] if hg else []
    if not (done[3] == "1" and len(st) >= 2 and all(in_prog(f) for f in st[:2])
            and not any(SEAM_NAME in f for f in st)):
        bad.append((done, lines))
check(not bad, "server: a hang interrupted inside the seam's malloc (or libc under it) has "
      "the program's frames (the spinning function, main), none of the seam's", bad)
srv.quit()

srv = Server("family")
sites = os.path.join(TMP, "sites.txt")
failed_keys = []
for i in range(1, 10):
    done, lines, _ = srv.run("s%d" % i, "site:1:%s:1:1" % sites)
    if not lines[0]["hit"]:
        break
    failed_keys.append(lines[0].get("site"))
saved = []
if os.path.exists(sites):
    with open(sites) as f:
        saved = [line for line in f if line.startswith("site 1 ")]
check(len(failed_keys) == 7 and len(set(failed_keys)) == 7 and len(saved) == 7
      and all(k and k.startswith(PROG_REAL + "+0x") for k in failed_keys),
      "server: site mode fails each of family's 7 sites once, keyed and saved", (failed_keys, saved))
deep = os.path.join(TMP, "sites4.txt")
done, lines, _ = srv.run("d4", "site:4:%s:1:1" % deep)
key = lines[0].get("site", "") if lines else ""
saved4 = open(deep).read() if os.path.exists(deep) else ""
frames = key.split(";")
check(len(frames) == 4 and all(f.startswith(PROG_REAL + "+0x") for f in frames[:2])
      and frames[2:] == ["-", "-"] and SEAM_NAME not in saved4,
      "server: a depth-4 site key of an allocation in a function main calls is that "
      "function and main, cut at the seam's main wrapper", (key, saved4))
classes = []
for i in (1, 2, 3):
    own = os.path.join(TMP, "sites%d.txt" % i)
    for n in range(9):
        done, lines, _ = srv.run("c%d%d" % (i, n), "site:1:%s:%d:3" % (own, i))
        if not lines[0]["hit"]:
            break
        classes.append(lines[0]["site"])
check(sorted(classes) == sorted(failed_keys),
      "server: hash classes 1:3, 2:3 and 3:3 split the 7 sites between them", classes)
srv.quit()

# Files the program opened before the fork point: every run reads on from
# where the program stood there, not from where the last run left them.
data = os.path.join(TMP, "input.txt")
with open(data, "w") as f:
    f.write("headthe rest")
srv = Server("input", data)
outs = [srv.run("in%d" % i, "off")[2].strip() for i in (1, 2, 3)]
check(outs == ["input: rest 'the rest'"] * 3,
      "server: a file opened before the fork point is read from the same offset by every run",
      outs)
srv.quit()

srv = Server("count")
done, lines, _ = srv.run(1, "transient:x")
check(done[2] == str(2 << 8), "server: a malformed spec ends that run with status 2", done)
srv.ctl.close()
check(srv.proc.wait(timeout=10) == 0, "server: EOF on the control pipe ends the server")

if problems:
    print("%d check(s) failed (files in %s)" % (len(problems), TMP))
    sys.exit(1)
print("all checks passed")
