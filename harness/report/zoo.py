"""The bug zoo's kill table (harness/zoo/run_zoo.py writes it as JSON:
meson-logs/zoo.json and build/reports/zoo.json), rendered as text."""
import json
import os


def read(builddir, errors):
    """The zoo's table from a build directory's meson-logs/zoo.json, or None."""
    path = os.path.join(builddir, "meson-logs", "zoo.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        errors.append("%s: %s" % (path, e))
        return None


def table_lines(entries, details=True):
    """The kill table: one line per entry, then (details) what it is and
    its first failure, indented."""
    w = max([len(t["entry"]) for t in entries] + [5])
    lines = ["%-*s  %-22s  %-34s  %s" % (w, "entry", "expected", "caught by", "verdict"),
             "-" * (w + 90)]
    for t in entries:
        by = ", ".join(c["check"] for c in t["caught_by"]) or "-"
        lines.append("%-*s  %-22s  %-34s  %s" % (w, t["entry"], ", ".join(t["expect"]), by,
                                                  t["verdict"]))
        if not details:
            continue
        lines.append("%*s  %s: %s" % (w, "", t["kind"], t["description"]))
        for c in t["caught_by"][:1]:
            lines.append("%*s  first failure (%s%s): %s" % (
                w, "", c["check"], " " + c["tests"][0] if c["tests"] else "",
                c["first_failure"][:160]))
    return lines


def closing_line(summary):
    return ("zoo: %(bugs_killed)d/%(bugs)d bugs killed, %(correct_flagged)d/%(correct)d "
            "correct entries flagged, %(not_ok)d verdict(s) not as expected (%(seconds)s s)"
            % summary)
