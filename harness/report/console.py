"""make check's console summary of a model (model.py): fault points swept,
the zoo's kill table, the failures with the lines that name the fault, one
table (configuration x suite x test, counts, verdict, tool reports), and
the closing line 'check: N passed, M failed'."""
from . import jsonl, zoo
from .model import FUNCTIONS

SWEEP_MODES = ("transient", "persistent", "site")


def sweep_lines(config, table, ended=0):
    if not table:
        return []
    width = max(len("scenario"), max(len(s) for s in table))
    lines = ["", "Fault points swept per scenario (configuration %s):" % config,
             "  %-*s  %10s  %10s  %10s" % ((width, "scenario") + SWEEP_MODES)]
    for scenario, points in table.items():
        lines.append("  %-*s  %10s  %10s  %10s" % ((width, scenario) + tuple(
            str(points.get(mode, "-")) for mode in SWEEP_MODES)))
    total = sum(sum(p.values()) for p in table.values())
    lines.append("  %d fault points in %d scenarios%s" % (
        total, len(table), ", %d of which ended the process" % ended if ended else ""))
    return lines


def reports_cell(test):
    cell = "; ".join(test["tool_reports"])
    if test["row_verdict"] == "skip" and not cell:
        cell = "skipped (no tool can see it here)" if test["suite"] == "canary" else "skipped"
    return cell


def render(model):
    """The summary's lines."""
    out = []
    for config, conf in model["configurations"].items():
        # The contract's functions first, as they always came; other
        # clients' sweeps (cJSON) after them.
        table = jsonl.sweeps(sorted(conf["metrics"],
                                    key=lambda m: m.get("function") not in FUNCTIONS))
        if table:
            out += sweep_lines(config, table, jsonl.ended_points(conf["metrics"]))
            break
    for conf in model["configurations"].values():
        if any(t["suite"] == "zoo" and t["test"] == "zoo" for t in conf["suites"]):
            kill = zoo.read(conf["builddir"], [])
            if kill:
                out += ["", "Bug zoo kill table (details: build/reports/zoo.json):"]
                out += ["  " + x for x in zoo.table_lines(kill["entries"], details=False)
                        + [zoo.closing_line(kill["summary"])]]
                break
    rows, failures = [], []
    for config, conf in model["configurations"].items():
        if conf["missing"]:
            rows.append((config, "-", conf["missing"], "-", "FAIL", ""))
        for t in conf["suites"]:
            c = t["counts"]
            counts = "%d/%d" % (c["passing"], c["tested"]) if c and \
                t["result"] != "EXPECTEDFAIL" else "-"
            rows.append((config, t["suite"], t["test"], counts, t["row_verdict"],
                         reports_cell(t)))
            if t["row_verdict"].startswith("FAIL"):
                failures.append(("%s / %s / %s (%s)" % (config, t["suite"], t["test"],
                                                        t["result"]), t["fault_lines"]))
    if failures:
        out += ["", "Failures (the lines that name the fault; whole logs in "
                "build/*/meson-logs/):"]
        for title, lines in failures:
            out.append("--- " + title)
            out += ["    " + x for x in lines]
    heads = ("configuration", "suite", "test", "tests", "verdict", "tool reports")
    widths = [max([len(heads[i])] + [len(r[i]) for r in rows]) for i in range(5)]
    fmt = "  ".join("%%-%ds" % w for w in widths) + "  %s"
    out += ["", fmt % heads, "-" * (sum(widths) + 10 + len(heads[5]))]
    out += [fmt % r for r in rows]
    failing = sorted({"%s/%s" % (r[0], r[1]) for r in rows if r[4].startswith("FAIL")})
    if failing:
        out += ["", "failing suites: " + ", ".join(failing)]
    for e in model["input_errors"]:
        out.append("check: " + e)
    out += ["", "check: %d passed, %d failed" % (model["passed"], model["failed"])]
    return out
