"""JSON-lines files of the report directories, one object per line:
  metrics.jsonl   figures a test writes with report_metric()
                  (harness/core/include/memharness/report_metric.h), member "metric"
  findings.jsonl  the harness's own findings, written by report_finding()
                  (harness/core/include/memharness/report_finding.h) for every check failure,
                  member "finding"
  verdict.jsonl   what a tool wrapper judged (tool_reports.py,
                  tsan_reports.py, progress_verdict.py), member "report"
check.sh points NAPUTIL_REPORT_DIR at BUILDDIR/tool-reports/CONFIG; each
wrapped test run gets a directory of its own below it (runs.py)."""
import json
import os

METRICS, FINDINGS, VERDICT = "metrics.jsonl", "findings.jsonl", "verdict.jsonl"
KEY = {METRICS: "metric", FINDINGS: "finding", VERDICT: "report"}


def report_dir(testlog, config):
    """The report directory of a configuration, from its Meson test log
    (BUILDDIR/meson-logs/testlog-*.json): BUILDDIR/tool-reports/CONFIG."""
    builddir = os.path.dirname(os.path.dirname(os.path.abspath(testlog)))
    return os.path.join(builddir, "tool-reports", config)


def read_file(path, errors):
    """The objects of one JSON-lines file, in file order (an absent file:
    none).  A line that is not one JSON object with the file kind's string
    member is appended to errors, naming file and line."""
    key = KEY[os.path.basename(path)]
    found = []
    try:
        f = open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return found
    except OSError as e:
        errors.append("%s: %s" % (path, e))
        return found
    with f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            if not isinstance(obj, dict) or not isinstance(obj.get(key), str):
                errors.append("%s:%d: not a %s object: %s" % (path, number, key,
                                                              line.strip()[:200]))
                continue
            found.append(obj)
    return found


def read(directory, errors, name=METRICS):
    """The objects of every file called name in directory and below (the
    configuration's own and each run's), directory's own first.  An object
    from a run's directory carries it in member "run", by which the report
    ties a figure to the test that produced it."""
    found = read_file(os.path.join(directory, name), errors)
    if os.path.isdir(directory):
        for sub in sorted(os.listdir(directory)):
            path = os.path.join(directory, sub, name)
            if os.path.isfile(path):
                found += [dict(obj, run=os.path.dirname(path)) for obj in read_file(path, errors)]
    return found


def append(directory, obj):
    """Appends obj as one line to directory/verdict.jsonl (the wrappers'
    verdicts)."""
    with open(os.path.join(directory, VERDICT), "a", encoding="utf-8") as f:
        f.write(json.dumps(obj, sort_keys=True) + "\n")


def sweeps(metrics):
    """scenario -> {mode: fault points} of the "sweep" figures, in order."""
    table = {}
    for m in metrics:
        if m["metric"] == "sweep":
            table.setdefault(m.get("scenario", "?"), {})[m.get("mode", "?")] = m.get("points", 0)
    return table


def ended_points(metrics):
    """Fault points of the "sweep" figures whose run ended its process (a
    crash, exit or hang the sweep survived and reported at its point)."""
    return sum(m.get("ended", 0) for m in metrics if m["metric"] == "sweep")
