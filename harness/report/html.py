"""Renders the summary (summary.py) as one self-contained HTML page:
inline CSS and an inline SVG chart, no script, nothing fetched, every piece
of text escaped (test output is untrusted: it may hold '<' or '&')."""
import html
import json

MODES = ("transient", "persistent", "site")
MODE_COLOURS = {"transient": "#3b73b9", "persistent": "#d9822b", "site": "#5a9e4b"}

CSS = """
body{font-family:sans-serif;margin:1.5em;color:#1d1d1d;background:#fff}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;
border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top;
font-size:.9em}th{background:#eef1f5}td.num{text-align:right}
.pass{background:#dff3d8;color:#185c0c}.fail{background:#f9d6d5;color:#8a1111;
font-weight:bold}.none{color:#888}pre{background:#f6f6f6;padding:.5em;
white-space:pre-wrap;max-width:75em;font-size:.85em}.banner{padding:.6em 1em;
font-size:1.1em;display:inline-block}.small{color:#555;font-size:.85em}
"""


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def verdict_cell(verdict):
    if verdict is None:
        return '<td class="none">-</td>'
    cls = "pass" if verdict == "pass" else "fail"
    return '<td class="%s">%s</td>' % (cls, esc(verdict))


def table(headers, rows, numeric=()):
    """rows hold already-rendered <td> strings or plain values (escaped here)."""
    out = ["<table><tr>%s</tr>" % "".join("<th>%s</th>" % esc(h) for h in headers)]
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            if isinstance(v, str) and v.startswith("<td"):
                cells.append(v)
            elif i in numeric:
                cells.append('<td class="num">%s</td>' % esc(v))
            else:
                cells.append("<td>%s</td>" % esc(v))
        out.append("<tr>%s</tr>" % "".join(cells))
    out.append("</table>")
    return "\n".join(out)


def sweep_chart(functions):
    """Horizontal stacked bars: fault points swept per function and mode."""
    rows = [(name, f["points"]) for name, f in functions.items()
            if any(f["points"].get(m, 0) for m in MODES)]
    if not rows:
        return '<p class="none">No sweep figures were reported.</p>'
    label_w, bar_w, row_h, top = 300, 520, 22, 30
    biggest = max(sum(p.get(m, 0) for m in MODES) for _, p in rows) or 1
    height = top + row_h * len(rows) + 10
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" '
             'aria-label="fault points per function">' % (label_w + bar_w + 80, height)]
    x = label_w
    for m in MODES:
        parts.append('<rect x="%d" y="6" width="12" height="12" fill="%s"/>'
                     '<text x="%d" y="17" font-size="12">%s</text>'
                     % (x, MODE_COLOURS[m], x + 16, esc(m)))
        x += 110
    for i, (name, points) in enumerate(rows):
        y = top + i * row_h
        parts.append('<text x="%d" y="%d" font-size="12" text-anchor="end">%s</text>'
                     % (label_w - 8, y + 14, esc(name)))
        x = float(label_w)
        total = 0
        for m in MODES:
            n = points.get(m, 0)
            if not n:
                continue
            w = bar_w * n / biggest
            parts.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s">'
                         '<title>%s %s: %d</title></rect>'
                         % (x, y + 2, w, row_h - 6, MODE_COLOURS[m], esc(name), esc(m), n))
            x += w
            total += n
        parts.append('<text x="%.1f" y="%d" font-size="12">%d</text>' % (x + 5, y + 14, total))
    parts.append("</svg>")
    return "\n".join(parts)


def generic(value):
    """Any JSON value as a table (list of objects, flat object) or as text."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys = []
        for v in value:
            keys.extend(k for k in v if k not in keys)
        return table(keys, [[_flat(v.get(k)) for k in keys] for v in value])
    if isinstance(value, dict) and value:
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            return table(["key", "value"], [[k, _flat(v)] for k, v in value.items()])
        return "\n".join("<h3>%s</h3>\n%s" % (esc(k), generic(v)) for k, v in value.items())
    return "<pre>%s</pre>" % esc(json.dumps(value, indent=2, sort_keys=True))


def _flat(v):
    return json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v


def render(s):
    """The whole page for summary s (the structure summarize.py --reports writes as
    summary.json)."""
    configs = list(s["configurations"])
    ok = s["verdict"] == "pass"
    title = s.get("title") or "naputil memory-checking harness: report"
    body = ['<h1>%s</h1>' % esc(title),
            '<p class="banner %s">%s: %d passed, %d failed</p>'
            % ("pass" if ok else "fail", "PASS" if ok else "FAIL", s["passed"], s["failed"]),
            '<p class="small">generated %s from configurations %s</p>'
            % (esc(s["generated"]), esc(", ".join(configs) or "(none)"))]

    body.append("<h2>Per function</h2>")
    rows = []
    for name, f in s["functions"].items():
        row = [name, f["scenarios"]] + [f["points"].get(m, 0) for m in MODES]
        row += [f["max_allocations"], f["shapes"] if f["shapes"] is not None else "-"]
        row += [verdict_cell(f["verdicts"].get(c)) for c in configs]
        row.append(len(f["leaks"]))
        rows.append(row)
    body.append(table(["function", "scenarios"] + ["%s points" % m for m in MODES]
                      + ["max allocations", "shapes checked"] + configs + ["leaks"],
                      rows, numeric=range(1, 8)))
    body.append("<h2>Fault points swept per function</h2>")
    body.append(sweep_chart(s["functions"]))

    body.append("<h2>Leaks and harness findings of failed tests (allocating call site)</h2>")
    if s["leaks"]:
        body.append(table(["configuration", "suite", "function", "scenario or test",
                           "tool", "bytes", "allocated at"],
                          [[k["config"], k["suite"], k["function"] or "-",
                            k["context"] or k["test"] or "-", k["tool"],
                            "-" if k["bytes"] is None else k["bytes"], k["site"]]
                           for k in s["leaks"]], numeric=(5,)))
    else:
        body.append("<p>No leak was reported in any configuration.</p>")

    # A planted program's (should_fail) failures are its pass: not listed.
    failures = [(c, st["name"], case) for c, conf in s["configurations"].items()
                for st in conf["suites"] if st["result"] != "EXPECTEDFAIL"
                for case in st["cases"] if case["status"] not in ("passed", "skipped")]
    # A suite can fail with every test passing: a tool's report at worker
    # exit, a crash outside a test, a timeout.  Its log excerpt says why.
    failed_cases_by_suite = {(c, suite) for c, suite, _ in failures}
    suite_failures = [(c, st) for c, conf in s["configurations"].items()
                      for st in conf["suites"]
                      if st["verdict"] != "passed" and st.get("excerpt")
                      and (c, st["name"]) not in failed_cases_by_suite]
    body.append("<h2>Failures</h2>")
    if not failures and not suite_failures:
        body.append("<p>None.</p>")
    for c, suite, case in failures:
        body.append("<h3>%s / %s / %s (%s)</h3><pre>%s</pre>"
                    % (esc(c), esc(suite), esc(case["name"]), esc(case["status"]),
                       esc(case["message"] or "(no message)")))
    for c, st in suite_failures:
        body.append("<h3>%s / %s (%s)</h3><pre>%s</pre>"
                    % (esc(c), esc(st["name"]), esc(st["result"]), esc(st["excerpt"])))

    body.append("<h2>Suites by configuration</h2>")
    rows = []
    for c, conf in s["configurations"].items():
        if conf.get("missing"):
            rows.append([c, conf["missing"], "-", verdict_cell("FAIL"), "-", ""])
        for st in conf["suites"]:
            counts = st["counts"]
            rows.append([c, st["name"], "%d/%d" % (counts["passing"], counts["tested"])
                         if counts else "-", verdict_cell("pass" if st["verdict"] == "passed"
                                                          else "FAIL"),
                         "%.1f s" % st["duration"], "; ".join(st["tool_reports"])])
    body.append(table(["configuration", "suite", "tests", "verdict", "time",
                       "tool reports"], rows))

    if s["fuzz"]:
        body.append("<h2>Fuzzing</h2>")
        body.append(generic(s["fuzz"]))
    for key, title in (("zoo", "Bug zoo"), ("bench", "Benchmarks")):
        if s.get(key) is not None:
            body.append("<h2>%s</h2>" % title)
            body.append(generic(s[key]))
    if s["other_metrics"]:
        body.append("<h2>Other figures</h2>")
        body.append(generic(s["other_metrics"]))
    if s["input_errors"]:
        body.append("<h2>Report input problems</h2><pre>%s</pre>"
                    % esc("\n".join(s["input_errors"])))

    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>%s</title><style>%s</style></head>\n<body>\n%s\n"
            "</body></html>\n" % (esc(s.get("title") or "naputil harness report"), CSS,
                                   "\n".join(body)))
