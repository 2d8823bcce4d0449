#!/usr/bin/env python3
"""Builds the reports of a make check run under build/reports/:
  summary.json            everything below, machine-readable
  index.html              one self-contained page (no script, no network)
  junit/<config>/<suite>.xml   one JUnit file per Meson test and configuration
  junit/<config>/meson-testlog.junit.xml   Meson's own JUnit, copied as is
and prints the leaks it found, each with its allocating call site.

Usage: report.py [--out DIR] CONFIG=TESTLOG.json ...   (as summarize.py)
       report.py [--out DIR] CONFIG=BUILDDIR ...  (its newest testlog*.json)

Inputs: each configuration's Meson test log (per-suite verdicts, durations,
Criterion's per-test lines, which name passing tests only when Criterion
runs with CRITERION_VERBOSITY_LEVEL=1; the tool reports the wrappers print,
LeakSanitizer's and Valgrind's leak records among them), and, when present,
DIR/zoo.json, DIR/bench.json and DIR/fuzz*.json or DIR/fuzz/*.json.  Absent
inputs are skipped and named.  Leaks are taken from failed suites only: a
canary's deliberate leak, which its suite expects, is no finding.

Figures: a test writes them with report_metric() (harness/core/report_metric.h),
one JSON object per line in metrics.jsonl of the configuration's report
directory (harness/reporting/metrics.py reads them), with a string member
"metric" naming the kind of figure.  Kinds this page knows:
  {"metric":"sweep","function":F,"scenario":S,"mode":"transient"|"persistent"|"site",
   "points":N,"allocations":N}      fault points swept (test_fault_sweeps)
  {"metric":"shapes","function":F,"shapes":N}   structures whose shape was
                                    verified; summed per function
  {"metric":"fuzz","target":T, ...numbers...}   fuzzing statistics (runs,
                                    execs_per_sec, corpus, crashes, ...)
Any other kind is shown as a table under "Other figures".  A line of
metrics.jsonl that is not such an object is an error of its emitter.

Exit status: 0 whatever the tests say (summarize.py gives the verdict);
1 when an input exists but is broken (a log or JSON file that does not
parse, a malformed metrics.jsonl line), after writing what it could;
2 on bad usage."""
import datetime
import glob
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_html  # noqa: E402
import report_junit  # noqa: E402
import report_logs  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from reporting import metrics  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The contract's functions (docs/CONTRACT.md sections 3 and 4), in its order;
# functions seen only in the figures are appended after them.
FUNCTIONS = (
    "AllocConnections", "AllocFixupInfo", "AllocCountedString", "FreeConnections",
    "FreeFixupInfo", "FreeCountedString", "FreeIsolationInfo", "FreeIsolationInfoEx",
    "FreeSoH", "FreeNetworkSoH", "FreePrivateData", "FreeSystemHealthAgentState",
    "FreeSoHAttributeValue", "FreeNapComponentRegistrationInfoArray",
)


def function_of(text, known):
    """The function a scenario, test or message is about: the longest known
    name that starts text or one of its '::'/'/' parts, or that a suite name
    spells in snake case (alloc_connections)."""
    if not text:
        return None
    parts = [text] + [p for sep in ("::", "/") for p in text.split(sep)[1:]]
    for name in sorted(known, key=len, reverse=True):
        for p in parts:
            p = p.strip()
            if p.startswith(name) and (len(p) == len(name) or not p[len(name)].isalnum()):
                return name
            if p.replace("_", "").lower() == name.lower():
                return name
    return None


def read_suite(entry, errors, where):
    """One Meson test's record: verdict, counts, cases, figures, leaks."""
    out = entry.get("stdout") or ""
    err = entry.get("stderr") or ""
    text = out + "\n" + err
    result = entry.get("result", "?")
    cases = report_logs.criterion_cases(err) or report_logs.criterion_cases(out)
    verdict = "passed" if result in ("OK", "EXPECTEDFAIL", "SKIP") else "failed"
    leaks = []
    if verdict != "passed":
        leaks = report_logs.tracker_leaks(err) + report_logs.tracker_leaks(out)
        leaks += report_logs.tool_leaks(text)
    excerpt = ""
    if verdict != "passed":
        excerpt = "\n".join(text.strip().splitlines()[-40:])
    return {
        "name": entry.get("name", "?"),
        "result": result,
        "verdict": verdict,
        "duration": float(entry.get("duration") or 0.0),
        "returncode": entry.get("returncode"),
        "counts": report_logs.synthesis(text),
        "cases": cases,
        "tool_reports": report_logs.tool_reports(text),
        "leaks": leaks,
        "excerpt": excerpt,
    }


def read_config(config, where, errors):
    """where is a test log (as check.sh hands summarize.py) or a build dir."""
    if where.endswith(".json"):
        log = where if os.path.isfile(where) else None
        builddir = os.path.dirname(os.path.dirname(where))
    else:
        builddir = where
        log = report_logs.newest_testlog(builddir)
    conf = {"builddir": builddir, "testlog": None, "missing": None, "suites": [],
            "metrics": metrics.read(os.path.join(builddir, "tool-reports", config), errors)}
    if log is None:
        conf["missing"] = "no Meson test log %s (build failed?)" % where
        return conf
    conf["testlog"] = log
    try:
        entries = report_logs.read_testlog(log)
    except report_logs.BrokenInput as e:
        errors.append(str(e))
        return conf
    for e in entries:
        conf["suites"].append(read_suite(e, errors, "%s/%s" % (config, e.get("name", "?"))))
    return conf


def read_json_input(path, errors):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except ValueError as e:
        errors.append("%s: not JSON (%s)" % (path, e))
    except OSError as e:
        errors.append("%s: %s" % (path, e))
    return None


def summarize_functions(configurations):
    """Per function: sweep figures (from the first configuration that has
    them: they do not depend on the tool), shapes, verdict per
    configuration, leaks."""
    known = list(FUNCTIONS)
    for conf in configurations.values():
        for m in conf["metrics"]:
            f = m.get("function")
            if isinstance(f, str) and f and f not in known:
                known.append(f)
    functions = {f: {"scenarios": 0, "points": {}, "max_allocations": 0, "shapes": None,
                     "verdicts": {}, "leaks": []} for f in known}
    swept = set()
    for c, conf in configurations.items():
        seen_here = set()
        for m in conf["metrics"]:
            f = functions.get(m.get("function"))
            if f is None:
                continue
            if m["metric"] == "sweep" and m["function"] not in swept:
                seen_here.add(m["function"])
                f["points"][m.get("mode", "?")] = (f["points"].get(m.get("mode", "?"), 0)
                                                   + int(m.get("points", 0)))
                f["max_allocations"] = max(f["max_allocations"],
                                           int(m.get("allocations", 0)))
                f.setdefault("_scenarios", set()).add(m.get("scenario"))
            elif m["metric"] == "shapes" and c == next(iter(configurations)):
                f["shapes"] = (f["shapes"] or 0) + int(m.get("shapes", 0))
        for st in conf["suites"]:
            for case in st["cases"]:
                fn = (function_of(case["name"], known)
                      or function_of(st["name"], known)
                      or function_of(case["message"].split("\n")[-1], known))
                if fn is None:
                    continue
                bad = case["status"] not in ("passed", "skipped")
                prev = functions[fn]["verdicts"].get(c)
                functions[fn]["verdicts"][c] = "FAIL" if bad or prev == "FAIL" else "pass"
        swept |= seen_here
    for f in functions.values():
        f["scenarios"] = len(f.pop("_scenarios", ()))
    return functions, known


def collect_leaks(configurations, functions, known):
    leaks, seen = [], set()
    for c, conf in configurations.items():
        for st in conf["suites"]:
            for k in st["leaks"]:
                key = (c, st["name"], k["tool"], k["test"], k["context"], k["bytes"], k["site"])
                if key in seen:  # the same record printed twice (stdout and stderr)
                    continue
                seen.add(key)
                fn = function_of(k["context"], known) or function_of(k["test"], known)
                leaks.append(dict(k, config=c, suite=st["name"], function=fn))
    for k in leaks:
        if k["function"] is None:
            k["function"] = function_of(k["site"], known)
        if k["function"] in functions:
            functions[k["function"]]["leaks"].append(k)
    return leaks


def read_extras(outdir, errors):
    extras = {}
    for key in ("zoo", "bench"):
        path = os.path.join(outdir, key + ".json")
        extras[key] = read_json_input(path, errors) if os.path.isfile(path) else None
    fuzz = {}
    for path in sorted(glob.glob(os.path.join(outdir, "fuzz*.json"))
                       + glob.glob(os.path.join(outdir, "fuzz", "*.json"))):
        value = read_json_input(path, errors)
        if value is not None:
            fuzz[os.path.relpath(path, outdir)] = value
    extras["fuzz"] = fuzz
    return extras


def build_summary(argv_pairs, outdir):
    errors = []
    configurations = {}
    for config, builddir in argv_pairs:
        configurations[config] = read_config(config, builddir, errors)
    functions, known = summarize_functions(configurations)
    leaks = collect_leaks(configurations, functions, known)
    extras = read_extras(outdir, errors)
    other = [dict(m, config=c) for c, conf in configurations.items()
             for m in conf["metrics"] if m["metric"] not in ("sweep", "shapes", "fuzz")]
    fuzz_metrics = [dict(m, config=c) for c, conf in configurations.items()
                    for m in conf["metrics"] if m["metric"] == "fuzz"]
    if fuzz_metrics:
        extras["fuzz"]["metrics.jsonl fuzz"] = fuzz_metrics
    passed = failed = 0
    for conf in configurations.values():
        if conf["missing"]:
            failed += 1
        for st in conf["suites"]:
            if st["result"] == "EXPECTEDFAIL":
                passed += 1  # a should_fail program failed as it must (summarize.py)
            elif st["counts"]:
                passed += st["counts"]["passing"]
                failed += st["counts"]["tested"] - st["counts"]["passing"]
                if st["verdict"] != "passed" and st["counts"]["tested"] == \
                        st["counts"]["passing"]:
                    failed += 1  # failed outside every test: tool report, crash
            elif st["result"] == "SKIP":
                pass  # counted as neither, like summarize.py's closing line
            elif st["verdict"] == "passed":
                passed += 1
            else:
                failed += 1
    any_fail = any(conf["missing"] or any(st["verdict"] != "passed" for st in conf["suites"])
                   for conf in configurations.values())
    return {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M:%S UTC"),
        "verdict": "FAIL" if any_fail or not configurations else "pass",
        "passed": passed,
        "failed": failed,
        "configurations": configurations,
        "functions": functions,
        "leaks": leaks,
        "other_metrics": other,
        "fuzz": extras["fuzz"],
        "zoo": extras["zoo"],
        "bench": extras["bench"],
        "input_errors": errors,
    }


def write_outputs(summary, outdir):
    os.makedirs(outdir, exist_ok=True)
    junit_dir = os.path.join(outdir, "junit")
    written = []
    for c, conf in summary["configurations"].items():
        written += report_junit.write_config(junit_dir, c, conf["suites"])
        if conf["testlog"]:
            meson_junit = conf["testlog"][:-len(".json")] + ".junit.xml"
            if os.path.isfile(meson_junit):
                dest = os.path.join(junit_dir, c, "meson-testlog.junit.xml")
                shutil.copyfile(meson_junit, dest)
                written.append(dest)
    for name, text in (("summary.json", json.dumps(summary, indent=1, sort_keys=True)),
                       ("index.html", report_html.render(summary))):
        tmp = os.path.join(outdir, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(outdir, name))
    return written


def print_leaks(leaks):
    """make check's console shows every leak with its call site."""
    if not leaks:
        return
    print("leaks found (%d), allocating call sites:" % len(leaks))
    for k in leaks:
        what = k["context"] or k["test"] or ""
        print("  %s/%s: %s%s%d bytes allocated at %s" % (
            k["config"], k["suite"].rpartition(" / ")[2], k["tool"] + ": " if k["tool"] != "tracker" else "",
            what + ": " if what else "", k["bytes"], k["site"]))


def main(argv):
    outdir = os.path.join(ROOT, "build", "reports")
    if argv[:1] == ["--out"] and len(argv) > 1:
        outdir, argv = os.path.abspath(argv[1]), argv[2:]
    pairs = []
    for arg in argv:
        config, sep, builddir = arg.partition("=")
        if not sep or not config or not builddir:
            print("usage: report.py [--out DIR] CONFIG=TESTLOG.json|BUILDDIR ...",
                  file=sys.stderr)
            return 2
        pairs.append((config, os.path.abspath(builddir)))
    summary = build_summary(pairs, outdir)
    written = write_outputs(summary, outdir)
    print_leaks(summary["leaks"])
    print("report: %s (summary.json, %d JUnit file(s) under junit/)"
          % (os.path.join(outdir, "index.html"), len(written)))
    for e in summary["input_errors"]:
        print("report: broken input: %s" % e, file=sys.stderr)
    return 1 if summary["input_errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
