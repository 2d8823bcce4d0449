"""The model rendered: console lines, sweep.json, junit.xml (the report
package's JUnit writer) and index.html (the report package's HTML helpers)."""
import json
import os
import xml.etree.ElementTree as ET

from report import html as rhtml, junit as rjunit


def finding_line(f):
    """One console line for one distinct finding."""
    where = " < ".join(f["stack"][:3]) if f["stack"] else "(no stack)"
    pts = "%d point%s, first %s" % (f["count"], "" if f["count"] == 1 else "s", f["first"])
    if f["kind"] == "policy":
        return "sweep: policy (not a bug): %s; %s" % (f["detail"], pts)
    head = "sweep: %s" % f["kind"]
    if f.get("suppressed"):
        head = "sweep: suppressed by %s: %s" % (f["suppressed"], f["kind"])
    text = "%s: %s at %s" % (head, f["detail"], where)
    if f.get("failed"):
        text += "; failed allocation %s" % f["failed"]
        if f.get("failed_in_libc"):
            text += " (inside libc: %s)" % f["failed_in_libc"]
    return "%s; %s; replay: %s" % (text, pts, f["reproducer"])


def summary_line(m):
    """The closing line: points, time, speed, findings, handled outcomes."""
    p = m["points"]
    modes = ", ".join("%s %d" % (k, p[k]) for k in ("transient", "persistent", "site") if k in p)
    t = m["timings"]
    bugs = sum(1 for f in m["findings"] if f["bug"])
    policies = [f for f in m["findings"] if f["kind"] == "policy"]
    handled = "absorbed %d, handled %d" % (m["absorbed"], sum(h["count"] for h in m["handled"]))
    if m["handled"]:
        handled += " (%d outcome%s)" % (len(m["handled"]), "" if len(m["handled"]) == 1 else "s")
    if policies:
        handled += ", policy %d (%s)" % (sum(f["count"] for f in policies),
                                         ", ".join(f["detail"].split(" ")[0] for f in policies))
    sup = sum(1 for f in m["findings"] if f.get("suppressed"))
    return ("sweep: %d points (%s) in %.1f s, %s points/s; %d distinct finding%s%s; handled: %s"
            % (p.get("total", 0), modes or "none", t["wall_s"],
               "%.1f" % t["points_per_s"] if t["points_per_s"] is not None else "-",
               bugs, "" if bugs == 1 else "s",
               " (%d suppressed)" % sup if sup else "", handled))


def console(m, out):
    """Prints notes, errors, one line per finding and the summary line."""
    for n in m["notes"]:
        print("sweep: note: %s" % n, file=out)
    for e in m["errors"]:
        print("sweep: error: %s" % e, file=out)
    for f in m["findings"]:
        print(finding_line(f), file=out)
    print(summary_line(m), file=out)


def write_json(m, path):
    """sweep.json."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(m, f, indent=1, sort_keys=True)
        f.write("\n")


def _case_text(f):
    lines = [f["detail"], "first point: %s (%d points)" % (f["first"], f["count"])]
    if f.get("failed"):
        lines.append("failed allocation: %s%s" % (f["failed"], " (inside libc: %s)"
                                                  % f["failed_in_libc"]
                                                  if f.get("failed_in_libc") else ""))
    lines += ["  at %s" % s for s in f["stack"]]
    for b in f.get("leaks", [])[:5]:
        lines.append("leaked %s bytes allocated at %s" % (b["size"], " < ".join(b["stack"][:4])))
    lines.append("replay: %s" % f["reproducer"])
    return "\n".join(lines)


def write_junit(m, path):
    """junit.xml: one test suite for the sweep, a failed case per distinct
    bug, a skipped one per suppressed finding, a passed one per policy and
    one for the points swept."""
    cases = [{"name": "%s::swept %d points" % (m["name"], m["points"].get("total", 0)),
              "status": "passed", "time": m["timings"]["wall_s"], "message": "",
              "output": summary_line(m)}]
    for f in m["findings"]:
        name = "%s::%s %s [%s]" % (m["name"], f["kind"], f.get("where") or f["detail"],
                                   f["first"])
        status = "skipped" if f.get("suppressed") else ("failed" if f["bug"] else "passed")
        cases.append({"name": name, "status": status, "time": 0.0, "message": _case_text(f),
                      "output": _case_text(f) if status == "passed" else ""})
    failed = any(c["status"] == "failed" for c in cases)
    suite = {"name": m["name"], "cases": cases, "result": "FAIL" if failed else "OK",
             "verdict": "failed" if failed else "passed", "duration": m["timings"]["wall_s"],
             "tool_reports": [], "findings": []}
    root = ET.Element("testsuites")
    root.append(rjunit.suite_element("sweep", suite))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def render_html(m):
    """index.html: the same model as one self-contained page."""
    esc = rhtml.esc
    bugs = [f for f in m["findings"] if f["bug"]]
    ok = not bugs
    body = ["<h1>memharness sweep: %s</h1>" % esc(m["name"]),
            '<p class="banner %s">%s: %d distinct finding%s</p>'
            % ("pass" if ok else "fail", "PASS" if ok else "FAIL", len(bugs),
               "" if len(bugs) == 1 else "s"),
            "<p class=\"small\">%s</p>" % esc(summary_line(m)),
            rhtml.table(["", ""], [["program", " ".join([m["program"]] + m["args"])],
                                   ["modes", ", ".join(m["modes"])],
                                   ["only", ", ".join(m["only"]) or "(all after main)"],
                                   ["shard", m["shard"]], ["fork server",
                                                           "yes" if m.get("fork_server") else "no"],
                                   ["baseline", m["baseline"]["outcome"]]])]
    body.append("<h2>Distinct findings</h2>")
    if not m["findings"]:
        body.append("<p>None.</p>")
    rows = []
    for f in m["findings"]:
        kind = f["kind"] + (" (suppressed)" if f.get("suppressed") else "")
        rows.append(['<td class="%s">%s</td>' % ("fail" if f["bug"] else "pass", esc(kind)),
                     f["detail"],
            "<td><pre>%s</pre></td>" % esc("\n".join(f["stack"][:8]) or "-"),
            f.get("failed") or "-", f["count"], f["first"],
            "<td><pre>%s</pre></td>" % esc(f["reproducer"])])
    if rows:
        body.append(rhtml.table(["kind", "what", "stack", "failed allocation", "points",
                                 "first point", "replay"], rows, numeric=(4,)))
    body.append("<h2>Handled outcomes (compared with the fault-free run)</h2>")
    body.append(rhtml.table(["outcome", "points", "first point"],
                            [["absorbed (as the fault-free run)", m["absorbed"], "-"]]
                            + [[h["outcome"], h["count"], h["first"]] for h in m["handled"]],
                            numeric=(1,)))
    body.append("<h2>Points per classification</h2>")
    body.append(rhtml.table(["kind", "points"], sorted(m["counts"].items()), numeric=(1,)))
    if m["notes"] or m["errors"]:
        body.append("<h2>Notes</h2><pre>%s</pre>" % esc("\n".join(m["notes"] + m["errors"])))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>memharness sweep: %s</title><style>%s</style></head>\n<body>\n%s\n"
            "</body></html>\n" % (esc(m["name"]), rhtml.CSS, "\n".join(body)))


def write_all(m, outdir):
    """sweep.json, junit.xml and index.html in outdir."""
    os.makedirs(outdir, exist_ok=True)
    write_json(m, os.path.join(outdir, "sweep.json"))
    write_junit(m, os.path.join(outdir, "junit.xml"))
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as f:
        f.write(render_html(m))
