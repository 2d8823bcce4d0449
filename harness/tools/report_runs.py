#!/usr/bin/env python3
"""memharness report: summary.json, index.html and JUnit files (junit/) from
the run directories `memharness run` wrote, outside any make check.

Usage: report_runs.py [--out DIR] [--testlog [CONFIG=]TESTLOG.json]... [RUNS...]

RUNS are run directories or directories holding them at any depth
(default: ./tool-reports).  Without --testlog each run is one test, named
by its command line, grouped by tool, passed or failed by its own exit
status (result.json).  With --testlog (Meson's meson-logs/testlog*.json,
CONFIG defaulting to the setup in its name) the tests are Meson's, each
with the runs whose command line ends its command, as make check reads
them.  Prints make check's table and closing line; writes under DIR (default
./memharness-report) and prints where.
Exit status: 0 when every test passed, 1 when one failed or an input was
broken, 2 on bad usage."""
import os
import sys

sys.dont_write_bytecode = True  # keep the source and install trees free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import console, jsonl, model, runs, summary, testlog  # noqa: E402


def usage(message):
    print("memharness report: %s\n%s" % (message, __doc__.split("\n\n")[1]), file=sys.stderr)
    return 2


def metrics_of(dirs, errors):
    found = []
    for d in dirs:
        found += [dict(m, run=d) for m in
                  jsonl.read_file(os.path.join(d, jsonl.METRICS), errors)]
    return found


def tool_of(command):
    """The --tool a Meson test's command gives memharness run, or None."""
    for i, word in enumerate(command):
        if word == "--tool" and i + 1 < len(command):
            return command[i + 1]
        if word.startswith("--tool="):
            return word[len("--tool="):]
        if word == "--":
            break
    return None


def newest_run(dirs, tool, errors):
    """The newest of one test's runs made with tool: a report directory kept
    between meson test invocations holds each earlier run too, and every
    setup's runs of the same program."""
    if tool is not None:
        dirs = [d for d in dirs if runs.entry(d, errors)[0] in (tool, "run")]
    return [max(dirs, key=lambda d: os.path.getmtime(os.path.join(d, "argv")))] if dirs else []


def from_testlog(config, log, run_dirs, errors):
    """One configuration as model.read_config makes it, each test with its
    newest run among run_dirs."""
    index = {}
    for d in run_dirs:
        index.setdefault(tuple(runs.argv_of(d)), []).append(d)
    conf = {"builddir": os.path.dirname(os.path.dirname(log)), "testlog": log,
            "missing": None, "suites": [], "metrics": []}
    entries = testlog.read_noting(log, errors)
    if entries is None:
        conf["missing"] = "(cannot read the test log %s)" % log
        return conf
    for e in entries:
        cmd = tuple(e.get("command") or ())
        mine = {}
        for start in range(len(cmd)):
            if cmd[start:] in index:
                mine = {cmd[start:]: newest_run(index[cmd[start:]], tool_of(cmd), errors)}
                break
        conf["metrics"] += metrics_of([d for ds in mine.values() for d in ds], errors)
        conf["suites"].append(model.read_test(config, e, mine, errors, log))
    return conf


def from_runs(run_dirs, errors):
    """One configuration per tool, one test per run."""
    configurations, names = {}, set()
    for d in run_dirs:
        tool, entry = runs.entry(d, errors)
        if (tool, entry["name"]) in names:  # the same command run twice
            entry["name"] += " [%s]" % os.path.basename(d)
        names.add((tool, entry["name"]))
        conf = configurations.setdefault(tool, {"builddir": os.path.dirname(d),
                                                "testlog": None, "missing": None,
                                                "suites": [], "metrics": []})
        conf["metrics"] += metrics_of([d], errors)
        conf["suites"].append(model.read_test(tool, entry, {tuple(entry["command"]): [d]},
                                              errors, os.path.join(d, "output.json")))
    return configurations


def main(argv):
    out, logs, paths = os.path.abspath("memharness-report"), [], []
    while argv:
        arg = argv.pop(0)
        if arg in ("-h", "--help"):
            print(__doc__)
            return 0
        if arg in ("--out", "--testlog"):
            if not argv:
                return usage("%s needs a value" % arg)
            value = argv.pop(0)
            if arg == "--out":
                out = os.path.abspath(value)
            else:
                logs.append(value)
        elif arg.startswith("-"):
            return usage("unknown option '%s'" % arg)
        else:
            paths.append(arg)
    if not paths:
        paths = ["tool-reports"]
    for p in paths:
        if not os.path.isdir(p):
            return usage("%s: no such directory of runs" % p)
    run_dirs = runs.find(os.path.abspath(p) for p in paths)
    errors = []
    if logs:
        configurations = {}
        for spec in logs:
            config, sep, log = spec.partition("=")
            if not sep:
                log = spec
                base = os.path.basename(log)
                config = base[len("testlog-"):-len(".json")] if base.startswith("testlog-") \
                    else "default"
            if not os.path.isfile(log):
                return usage("--testlog %s: no such file" % log)
            configurations[config] = from_testlog(config, os.path.abspath(log), run_dirs,
                                                  errors)
    else:
        if not run_dirs:
            return usage("no run directories (holding argv) under %s" % ", ".join(paths))
        configurations = from_runs(run_dirs, errors)
    m = model.assemble(configurations, errors)
    print("\n".join(console.render(m)))
    # Another project's page: no NapUtil function is listed unless its own
    # figures name it.
    status = summary.publish(m, out, listed=(), title="memharness report")
    return 1 if status or m["verdict"] != "pass" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
