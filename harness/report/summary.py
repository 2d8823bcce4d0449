"""summary.json, index.html and the JUnit files of a make check run, from
the model (model.py) plus what the page adds: per-function figures (the
metrics' sweeps and shapes, verdicts per configuration, leaks), the zoo,
benchmark and fuzzing JSON files found in the output directory."""
import datetime
import glob
import json
import os
import sys

from . import html as report_html
from . import junit as report_junit
from .model import FUNCTIONS


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


def read_json_input(path, errors):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except ValueError as e:
        errors.append("%s: not JSON (%s)" % (path, e))
    except OSError as e:
        errors.append("%s: %s" % (path, e))
    return None


def summarize_functions(configurations, listed=FUNCTIONS):
    """Per function: sweep figures (from the first configuration that has
    them: they do not depend on the tool), shapes, verdict per
    configuration, leaks.  listed are shown even without figures (the
    contract's functions, for make check); others when a figure names them."""
    known = list(listed)
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
        # A function's verdict in this configuration: its tests' (by name,
        # or as the producer of its figures), each failed case counting.
        by_run = {d: st for st in conf["suites"] for d in st["run_dirs"]}
        for m in conf["metrics"]:
            st, f = by_run.get(m.get("run")), functions.get(m.get("function"))
            if st is None or f is None or st["result"] == "EXPECTEDFAIL":
                continue
            prev = f["verdicts"].get(c)
            f["verdicts"][c] = "FAIL" if st["verdict"] != "passed" or prev == "FAIL" else "pass"
        for st in conf["suites"]:
            if st["result"] == "EXPECTEDFAIL":
                continue  # a planted program's failures are its pass
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
                if key in seen:  # the same leak in two processes' reports
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


def build(model, outdir, listed=FUNCTIONS, title=None):
    """The summary: the model plus per-function figures and the extras;
    listed and title as the page shows them (make check's by default)."""
    configurations = model["configurations"]
    errors = list(model["input_errors"])
    functions, known = summarize_functions(configurations, listed)
    leaks = collect_leaks(configurations, functions, known)
    extras = read_extras(outdir, errors)
    def shown(m, c):  # a figure as the page lists it: its run directory is no news
        return dict({k: v for k, v in m.items() if k != "run"}, config=c)
    other = [shown(m, c) for c, conf in configurations.items()
             for m in conf["metrics"] if m["metric"] not in ("sweep", "shapes", "fuzz")]
    fuzz_metrics = [shown(m, c) for c, conf in configurations.items()
                    for m in conf["metrics"] if m["metric"] == "fuzz"]
    if fuzz_metrics:
        extras["fuzz"]["metrics.jsonl fuzz"] = fuzz_metrics
    return {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M:%S UTC"),
        "verdict": model["verdict"],
        "passed": model["passed"],
        "failed": model["failed"],
        "configurations": configurations,
        "functions": functions,
        "leaks": leaks,
        "other_metrics": other,
        "fuzz": extras["fuzz"],
        "zoo": extras["zoo"],
        "bench": extras["bench"],
        "input_errors": errors,
        "title": title,
    }


def write_outputs(summary, outdir):
    os.makedirs(outdir, exist_ok=True)
    junit_dir = os.path.join(outdir, "junit")
    written = []
    # One JUnit source: junit.py's files, one testcase per Criterion test.
    # Meson's own testlog-<setup>.junit.xml (one case per program) stays in
    # the build directory: copied here it counted every test twice in CI.
    for c, conf in summary["configurations"].items():
        written += report_junit.write_config(junit_dir, c, conf["suites"])
    for name, text in (("summary.json", json.dumps(summary, indent=1, sort_keys=True)),
                       ("index.html", report_html.render(summary))):
        tmp = os.path.join(outdir, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(outdir, name))
    return written


def publish(m, outdir, listed=FUNCTIONS, title=None):
    """Writes the reports of model m under outdir, prints the leaks of
    failed tests and where the page is; returns 1 when an input was broken
    (after writing what it could), else 0."""
    s = build(m, outdir, listed, title)
    written = write_outputs(s, outdir)
    for line in leak_lines(s["leaks"]):
        print(line)
    print("report: %s (summary.json, %d JUnit file(s) under junit/)"
          % (os.path.join(outdir, "index.html"), len(written)))
    for e in s["input_errors"]:
        print("report: broken input: %s" % e, file=sys.stderr)
    return 1 if s["input_errors"] else 0


def leak_lines(leaks):
    """make check's console shows every leak of a failed test with its call
    site (a tool's), or the harness's finding."""
    if not leaks:
        return []
    lines = ["leaks and findings (%d), allocating call sites:" % len(leaks)]
    for k in leaks:
        what = k["context"] or k["test"] or ""
        size = "%d bytes allocated at " % k["bytes"] if k["bytes"] is not None else ""
        lines.append("  %s/%s: %s: %s%s%s" % (k["config"], k["suite"].rpartition(" / ")[2],
                                              k["tool"], what + ": " if what else "", size,
                                              k["site"]))
    return lines
