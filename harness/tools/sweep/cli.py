"""memharness sweep: the command line (usage in USAGE, exit statuses 0 no
finding, 3 findings, 2 usage or setup)."""
import fcntl
import json
import os
import sys
import time

from . import (classify, dedup, execpoint, model, outputs, points, program, scheduler,
               server, state, suppress, symbols)
from .points import UsageError

EXIT_OK, EXIT_USAGE, EXIT_FINDINGS = 0, 2, 3

USAGE = """\
usage: memharness sweep [--mode transient|persistent|site[:D]]... [--only OBJECT]...
                        [--jobs N] [--shard I/N] [--timeout SECONDS] [--max-points N]
                        [--out DIR] [--state FILE] [--name NAME] [--suppressions FILE]
                        [--no-fork-server] [--] PROGRAM [ARG...]
       memharness sweep --merge --out DIR SHARD_DIR...
       memharness sweep --replay SPEC [--only OBJECT]... -- PROGRAM [ARG...]"""


def cpus():
    """The CPUs this process may run on (nproc's answer: taskset counts)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse(argv):
    """The options as a dict; UsageError on a bad one."""
    o = {"modes": [], "only": [], "jobs": cpus(), "shard": (1, 1),
         "timeout": 10.0, "max_points": None, "out": None, "state": None, "name": None,
         "suppressions": None, "fork_server": True, "merge": False, "replay": None,
         "command": []}
    takes = {"--mode", "--only", "--jobs", "--shard", "--timeout", "--max-points", "--out",
             "--state", "--name", "--suppressions", "--replay"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            o["command"] = argv[i + 1:]
            break
        if not a.startswith("-") or a == "-":
            o["command"] = argv[i:]
            break
        opt, eq, val = a.partition("=")
        if opt in takes:
            if not eq:
                if i + 1 >= len(argv):
                    raise UsageError("%s needs a value" % opt)
                i += 1
                val = argv[i]
            _set(o, opt, val)
        elif a in ("-h", "--help"):
            o["help"] = True
        elif a == "--no-fork-server":
            o["fork_server"] = False
        elif a == "--merge":
            o["merge"] = True
        else:
            raise UsageError("unknown option %r (memharness sweep --help)" % a)
        i += 1
    if not o["modes"]:
        o["modes"] = [("transient", None), ("persistent", None)]
    return o


def _number(opt, val, kind, least):
    try:
        v = kind(val)
    except ValueError:
        v = None
    if v is None or v < least:
        raise UsageError("%s %r: expected a number >= %s" % (opt, val, least))
    return v


def _set(o, opt, val):
    if opt == "--mode":
        m = points.parse_mode(val)
        if m not in o["modes"]:
            o["modes"].append(m)
    elif opt == "--only":
        o["only"] += [x for x in val.split(",") if x]
    elif opt == "--jobs":
        o["jobs"] = _number(opt, val, int, 1)
    elif opt == "--shard":
        o["shard"] = points.parse_shard(val)
    elif opt == "--timeout":
        o["timeout"] = _number(opt, val, float, 0.001)
    elif opt == "--max-points":
        o["max_points"] = _number(opt, val, int, 1)
    else:
        o[opt[2:].replace("-", "_")] = val


def preload_path():
    """The seam: $MEMHARNESS_PRELOAD (the command sets it from its install
    path when unset); UsageError when it is not there."""
    p = os.environ.get("MEMHARNESS_PRELOAD", "")
    if not p:
        raise UsageError("the preload seam is not known: set MEMHARNESS_PRELOAD to "
                         "libmemharness-preload.so (or run the installed memharness)")
    if not os.path.isfile(p):
        raise UsageError("preload seam missing: %s (set MEMHARNESS_PRELOAD to its path)" % p)
    return os.path.abspath(p)


def replay(o):
    """Runs PROGRAM once in standalone mode armed with SPEC; its status."""
    if not o["command"]:
        raise UsageError("--replay: no program given")
    prog = program.find(o["command"][0])
    program.check_dynamic(prog)
    env = server.program_env(os.environ, preload_path(), o["only"],
                             [("MEMHARNESS_FAULTS", o["replay"])])
    sys.stdout.flush()
    os.execve(prog, [prog] + o["command"][1:], env)


def merge(o):
    """Merges shard directories' sweep.json into --out."""
    if not o["out"]:
        raise UsageError("--merge needs --out DIR")
    if not o["command"]:
        raise UsageError("--merge: no shard directory given")
    models, sources = [], []
    for d in o["command"]:
        path = d if d.endswith(".json") else os.path.join(d, "sweep.json")
        try:
            with open(path, encoding="utf-8") as f:
                mm = json.load(f)
        except (OSError, ValueError) as e:
            raise UsageError("--merge: %s: %s" % (path, getattr(e, "strerror", None) or e))
        if mm.get("schema") != model.SCHEMA:
            raise UsageError("--merge: %s is not a memharness sweep.json (%s)"
                             % (path, model.SCHEMA))
        models.append(mm)
        sources.append(path)
    try:
        m = model.merge(models, sources)
    except ValueError as e:
        raise UsageError("--merge: %s" % e)
    outputs.write_all(m, o["out"])
    outputs.console(m, sys.stdout)
    print("sweep: merged %d shard(s) into %s" % (len(models), o["out"]))
    return m["exit"]


def lock_dir(outdir):
    """An exclusive lock on outdir (two sweeps writing one state would
    garble it); UsageError when another sweep holds it."""
    f = open(os.path.join(outdir, ".lock"), "w")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise UsageError("%s: another sweep is writing there (give --out or --name)" % outdir)
    return f


def seam_not_loaded(stderr_path):
    """The dynamic loader's complaint that LD_PRELOAD could not be loaded
    (then the program ran unswept), or None."""
    try:
        with open(stderr_path, errors="replace") as f:
            for line in f:
                if "LD_PRELOAD cannot be preloaded" in line:
                    return line.strip()
    except OSError:
        pass
    return None


def start_runners(o, argv, env, stdin_path, outdir, notes):
    """The jobs: fork servers, or exec runners with --no-fork-server or when
    the seam will not serve.  (runners, fork_server used, nothing-to-sweep)."""
    jobs = o["jobs"]
    if not o["fork_server"]:
        return [execpoint.ExecRunner(argv, env, stdin_path) for _ in range(jobs)], False, False
    runners = []
    for j in range(jobs):
        s = server.ForkServer(argv, env, stdin_path, os.path.join(outdir, "server-%d" % j),
                              max(30.0, 3 * o["timeout"]))
        try:
            got = s.start()
        except server.ServerDied as e:
            for r in runners:
                r.close()
            raise UsageError("the program did not start as a fork server: %s (its output: "
                             "%s.stderr)" % (e, s.log_prefix))
        if got == "nothing":
            for r in runners:
                r.close()
            not_loaded = seam_not_loaded(s.log_prefix + ".stderr")
            if not_loaded:
                raise UsageError("the preload seam was not loaded: %s" % not_loaded)
            if s.end_status:
                notes.append("it ended with %s" % (
                    "status %d" % s.end_status if s.end_status > 0
                    else "signal %d" % -s.end_status))
            return [], True, True
        if got.startswith("noserver"):
            for r in runners:
                r.close()
            notes.append("the seam would not serve (%s): each point starts the program "
                         "afresh (slower)" % got[len("noserver "):])
            return ([execpoint.ExecRunner(argv, env, stdin_path) for _ in range(jobs)],
                    False, False)
        runners.append(s)
    digests = {r.digest for r in runners}
    if len(digests) > 1:
        notes.append("the jobs loaded different objects (digests %s): counts may differ"
                     % ", ".join(sorted(str(d) for d in digests)))
    return runners, True, False


def sweep(o):
    """The sweep itself; the exit status."""
    if not o["command"]:
        raise UsageError("no program given (memharness sweep [OPTIONS] -- PROGRAM [ARG...])")
    prog = program.find(o["command"][0])
    args = o["command"][1:]
    program.check_dynamic(prog)
    preload = preload_path()
    rules = suppress.load(o["suppressions"]) if o["suppressions"] else []
    name = o["name"] or program.default_name(prog, args)
    outdir = os.path.abspath(o["out"] or os.path.join("memharness-sweep", name))
    if any(c.isspace() for c in outdir):
        raise UsageError("--out %s: the run files' paths go to the seam and must hold no "
                         "white space" % outdir)
    try:
        os.makedirs(outdir, exist_ok=True)
    except OSError as e:
        raise UsageError("--out %s: cannot create it (%s)" % (outdir, e.strerror))
    lock = lock_dir(outdir)
    notes, t0 = [], time.monotonic()
    stdin_path, stdin_shown = program.stdin_source(outdir)
    modes = [points.mode_name(m) for m in o["modes"]]
    state_path = o["state"] or os.path.join(outdir, "state.jsonl")
    head = state.header(prog, args, o["only"], modes, o["shard"], o["jobs"], stdin_shown)
    resume, note = state.load(state_path, head)
    if note:
        notes.append(note)
    if resume is not None and resume.site_classes:
        head["site_classes"] = resume.site_classes
    env = server.program_env(os.environ, preload, o["only"])
    argv = [prog] + args
    runners, forked, nothing = start_runners(o, argv, env, stdin_path, outdir, notes)
    if not forked and any(m[0] == "site" for m in o["modes"]):
        # Standalone runs have no site hash classes: one class, one run at a time.
        if o["shard"] != (1, 1):
            for r in runners:
                r.close()
            raise UsageError("site mode with --shard needs the fork server (standalone "
                             "runs cannot split sites into hash classes)")
        head["site_classes"] = 1
    meta = {"name": name, "program": prog, "args": args, "only": o["only"], "modes": modes,
            "shard": "%d/%d" % o["shard"], "jobs": o["jobs"], "fork_server": forked,
            "preload": preload, "stdin": stdin_shown, "timeout_s": o["timeout"]}
    if nothing:
        print("sweep: %s made no counted allocation after main: nothing to sweep%s"
              % (prog, " (%s)" % notes[-1] if notes else ""))
        lock.close()
        return EXIT_OK
    runs_root = os.path.join(outdir, "runs")
    os.makedirs(runs_root, exist_ok=True)
    writer = state.Writer(state_path, head, resume)

    def restart(j, old):
        old.close()
        r = server.ForkServer(argv, env, stdin_path, os.path.join(outdir, "server-%d" % j),
                              max(30.0, 3 * o["timeout"])) if forked else \
            execpoint.ExecRunner(argv, env, stdin_path)
        if r.start() != "ready":
            raise server.ServerDied("the restarted job did not become ready")
        return r

    try:
        sched = scheduler.Scheduler(runners, [], runs_root, o["timeout"], writer,
                                    o["max_points"], restart, progress_printer())
        baseline = sched.run_one(runners[0], "off", "off")
        if baseline["record_error"] == "no record" and baseline.get("status") is not None:
            # Ended normally yet wrote nothing: the seam is not in the program.
            why = seam_not_loaded(os.path.join(baseline["run_dir"], "stderr"))
            raise UsageError("the fault-free run wrote no record: %s" % (
                why or "is %s the preload seam, and PROGRAM dynamically linked?" % preload))
        if baseline.get("fault") is None and baseline.get("record_error"):
            notes.append("the fault-free run wrote no record (%s): is %s the preload seam?"
                         % (baseline["record_error"], preload))
        if baseline.get("status") != 0:
            notes.append("the program fails without any fault: %s"
                         % classify.outcome_text(baseline))
        done = resume.points if resume else {}
        finished = resume.finished if resume else set()
        streams = []
        for m in o["modes"]:
            if m[0] == "site":
                os.makedirs(os.path.join(outdir, "sites"), exist_ok=True)
                for j in range(head["site_classes"]):
                    cls = points.site_class(o["shard"], j, head["site_classes"])
                    sf = os.path.join(outdir, "sites", "site-%d-%d-of-%d.txt" % (m[1], cls[0],
                                                                                 cls[1]))
                    s = scheduler.SiteStream(m, cls, sf, done)
                    if s.name not in finished:
                        open(sf, "a").close()
                        streams.append(s)
            else:
                s = scheduler.CountedStream(m, o["shard"], done, baseline_counted(baseline))
                if s.name not in finished:
                    streams.append(s)
        sched.streams = streams
        new_runs, errors, capped = sched.run_all()
    finally:
        for r in runners:
            r.close()
    diverged = 0
    for s in streams:
        diverged += len(getattr(s, "diverged", []))
        if getattr(s, "diverged", None):
            k, counted = min(s.diverged)
            notes.append(
                "%d %s run(s) hit no fault although the fault-free run counted %d "
                "allocations (first %s, which counted %s): those runs did not repeat the "
                "fault-free run, so their points went unswept; does the program depend on "
                "something a fork does not reset (a file offset shared with the fork server, "
                "the time, randomness)?" % (len(s.diverged), s.name, s.limit,
                                           points.point_label(s.mode, k), counted))
    runs = list(done.values()) + new_runs
    runs.sort(key=lambda r: points.point_sort_key(r["point"]))
    if capped:
        notes.append("stopped at --max-points %d before the end of the sweep (run it again "
                     "to go on)" % o["max_points"])
    if not capped and not errors:
        writer.complete()
    meta["diverged"] = diverged
    m = analyse(meta, baseline, runs, rules, time.monotonic() - t0, errors, notes, capped)
    prune_runs(runs_root, m)
    outputs.write_all(m, outdir)
    outputs.console(m, sys.stdout)
    print("sweep: results in %s" % outdir)
    lock.close()
    return m["exit"]


def baseline_counted(baseline):
    """Allocations the fault-free run counted, or None when unknown."""
    for part in ("fault", "stats"):
        n = (baseline.get(part) or {}).get("counted")
        if isinstance(n, int):
            return n
    return None


def progress_printer(every=10.0):
    """On a terminal, a line on stderr every `every` seconds saying how far
    the sweep is (called under the scheduler's lock); None elsewhere."""
    if not sys.stderr.isatty():
        return None
    seen = {"n": 0, "last": time.monotonic()}

    def progress(run):
        seen["n"] += 1
        now = time.monotonic()
        if now - seen["last"] >= every:
            seen["last"] = now
            print("sweep: %d points so far, at %s" % (seen["n"], run["point"]),
                  file=sys.stderr)
    return progress


def analyse(meta, baseline, runs, rules, wall_s, errors, notes, capped):
    """Classifies and deduplicates every run; the model."""
    syms = symbols.Symbols()
    frames = set()
    for r in [baseline] + runs:
        for part in ("fault", "end", "crash", "hang"):
            frames.update((r.get(part) or {}).get("stack") or [])
        for x in r.get("misuse", []) + r.get("leaks", []):
            frames.update(x.get("stack") or [])
    syms.resolve(sorted(frames))
    ctx = classify.Context(baseline, syms)
    found = dedup.Findings(syms, rules)
    found.add_baseline_leaks(baseline, classify.unreachable(baseline))
    classes = {}
    for r in runs:
        c = classes[r["point"]] = classify.classify(r, ctx)
        found.add(r, c)
    return model.build(meta, baseline, runs, classes, found, wall_s, errors, notes, capped)


def prune_runs(runs_root, m):
    """Keeps only the run directories of findings' first points."""
    keep = {os.path.basename(f["run_dir"]) for f in m["findings"] if f.get("run_dir")}
    try:
        names = os.listdir(runs_root)
    except OSError:
        return
    import shutil
    for n in names:
        if n not in keep:
            shutil.rmtree(os.path.join(runs_root, n), ignore_errors=True)


def main(argv):
    """Entry point: the exit status."""
    try:
        o = parse(argv)
        if o.get("help"):
            print(USAGE)
            return EXIT_OK
        if o["replay"]:
            return replay(o)
        if o["merge"]:
            return merge(o)
        return sweep(o)
    except UsageError as e:
        print("memharness sweep: %s" % e, file=sys.stderr)
        return EXIT_USAGE
    except OSError as e:
        # A file the sweep needs (its directory, a run's files) could not be
        # written: a setup error, named.
        print("memharness sweep: %s%s" % (e.strerror or e, ": " + e.filename
                                          if getattr(e, "filename", None) else ""),
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("memharness sweep: interrupted (the state file keeps the points done)",
              file=sys.stderr)
        return 130
