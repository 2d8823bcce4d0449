"""Figures the suites write with report_metric() (harness/core/report_metric.h):
one JSON object per line in metrics.jsonl of a configuration's report
directory."""
import json
import os

FILE_NAME = "metrics.jsonl"


def report_dir(testlog, config):
    """The report directory of a configuration, from its Meson test log
    (BUILDDIR/meson-logs/testlog-*.json): BUILDDIR/tool-reports/CONFIG, where
    harness/tools/configs.sh points NAPUTIL_REPORT_DIR."""
    builddir = os.path.dirname(os.path.dirname(os.path.abspath(testlog)))
    return os.path.join(builddir, "tool-reports", config)


def read(directory, errors):
    """The metric objects of directory/metrics.jsonl, in file order (an
    absent file: none).  A line that is not one JSON object with a string
    "metric" is appended to errors, naming file and line."""
    path = os.path.join(directory, FILE_NAME)
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
            if not isinstance(obj, dict) or not isinstance(obj.get("metric"), str):
                errors.append("%s:%d: not a metric object: %s" % (path, number, line.strip()[:200]))
                continue
            found.append(obj)
    return found


def sweeps(metrics):
    """scenario -> {mode: fault points} of the "sweep" figures, in order."""
    table = {}
    for m in metrics:
        if m["metric"] == "sweep":
            table.setdefault(m.get("scenario", "?"), {})[m.get("mode", "?")] = m.get("points", 0)
    return table
