"""One model of a make check run, built from the structured inputs only,
with every verdict and count computed here, once, for the console table,
summary.json, the HTML page and the JUnit files.

Counting (the closing line "check: N passed, M failed"):
- a Criterion program counts its tests (Criterion's JSON report), plus one
  failure when the run failed with every test passing (a tool's report at
  worker exit, a crash outside a test, a timeout);
- a planted broken program (should_fail) that failed as it must is one
  check passed, not its tests' failures;
- any other program is one check; a skipped one counts as neither;
- a configuration without a test log, and a figure the report cannot read,
  are one failure each."""
import os

from . import criterion, jsonl, runs, testlog

TOOL_FINDING = 3  # exit status of a test in which the memory tool found an error
MAX_FAULT_LINES = 40
# The contract's functions (docs/CONTRACT.md sections 3 and 4), in its order;
# functions seen only in the figures are appended after them.
FUNCTIONS = (
    "AllocConnections", "AllocFixupInfo", "AllocCountedString", "FreeConnections",
    "FreeFixupInfo", "FreeCountedString", "FreeIsolationInfo", "FreeIsolationInfoEx",
    "FreeSoH", "FreeNetworkSoH", "FreePrivateData", "FreeSystemHealthAgentState",
    "FreeSoHAttributeValue", "FreeNapComponentRegistrationInfoArray",
)


def _distinct(items):
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def fault_lines(test, output_tail):
    """The lines that name the fault of a failed test: each failed case's
    messages and status (as Criterion words them), the wrappers' verdicts,
    the harness's findings when no Criterion report holds them; the end
    of its output when nothing structured says why."""
    lines = []
    for c in test["cases"]:
        if c["status"] in ("passed", "skipped"):
            continue
        lines += ["[----] " + m for m in c["message"].split("\n") if m.strip()]
        lines.append("[FAIL] %s: %s" % (c["name"], {"crashed": "CRASH!"}.get(
            c["status"], c["status"])))
    lines += ["TOOL-REPORT: " + r for r in test["tool_reports"]]
    if not test["cases"]:
        for f in test["findings"]:
            lines += ("harness: %s%s" % (f["context"] + ": " if f["context"] else "",
                                         f["message"])).split("\n")
    if test["result"] == "TIMEOUT":
        lines.append("(timed out)")
    if not lines:
        lines = output_tail
    if len(lines) > MAX_FAULT_LINES:
        lines = lines[:MAX_FAULT_LINES] + ["... (%d more lines in %s)" % (
            len(lines) - MAX_FAULT_LINES, test["testlog_text"])]
    return lines


def read_test(config, entry, run_index, errors, testlog_path):
    """One Meson test with what its runs left."""
    result = entry.get("result", "?")
    verdict = testlog.PASSING.get(result, "FAIL")
    if verdict == "FAIL" and entry.get("returncode") == TOOL_FINDING:
        verdict = "FAIL:tool"  # the tool wrapper's exit code 3
    cases, verdicts, findings, tool_findings, dirs = None, [], [], [], []
    for d in runs.of_entry(run_index, entry):
        run = runs.read(d, errors)
        dirs.append(d)
        if run["cases"] is not None:
            cases = (cases or []) + run["cases"]
        verdicts += [v["text"] for v in run["verdicts"]]
        findings += run["findings"]
        tool_findings += run["tool_findings"]
    test = {
        "name": entry.get("name", "?"),
        "suite": testlog.suite_of(entry),
        "test": testlog.short_name(entry),
        "result": result,
        "row_verdict": verdict,
        "verdict": "passed" if verdict in ("pass", "skip") else "failed",
        "duration": float(entry.get("duration") or 0.0),
        "returncode": entry.get("returncode"),
        "run_dirs": dirs,
        "counts": criterion.counts(cases) if cases is not None else None,
        "cases": [{"name": c["name"], "status": c["status"], "time": 0.0,
                   "message": "\n".join(c["messages"])} for c in cases or []],
        "tool_reports": _distinct(verdicts),
        # A test's own deliberate failures (a self-test of the checks) are
        # no finding: only a failed test's are shown.
        "findings": _distinct({"context": f.get("context", ""), "message": f.get("message", "")}
                              for f in findings) if verdict.startswith("FAIL") else [],
        "leaks": [],
        "testlog_text": testlog_path[:-len(".json")] + ".txt",
    }
    if verdict.startswith("FAIL"):
        for f in tool_findings:
            if f.get("leak"):
                head = f["headline"].split(": ", 1)[-1] if f["tool"] != "valgrind" \
                    else f["headline"]
                test["leaks"].append({"tool": f["tool"], "context": head.split(" of ")[0],
                                      "test": None, "bytes": f["bytes"], "site": f["site"]})
        for f in test["findings"]:
            test["leaks"].append({"tool": "harness", "context": f["context"], "test": None,
                                  "bytes": None,
                                  "site": " | ".join(f["message"].split("\n"))[:400]})
        out = ((entry.get("stdout") or "") + "\n" + (entry.get("stderr") or "")).strip()
        test["excerpt"] = "\n".join(out.splitlines()[-40:])
        test["fault_lines"] = fault_lines(test, out.splitlines()[-10:])
    else:
        test["excerpt"], test["fault_lines"] = "", []
    return test


def read_config(config, where, errors):
    """where is a test log (as check.sh hands it) or a build dir."""
    if where.endswith(".json"):
        log = where
        builddir = os.path.dirname(os.path.dirname(where))
    else:
        builddir = where
        log = testlog.newest(builddir) or os.path.join(builddir, "meson-logs", "testlog.json")
    report_dir = os.path.join(builddir, "tool-reports", config)
    conf = {"builddir": builddir, "testlog": None, "missing": None, "suites": [],
            "metrics": jsonl.read(report_dir, errors)}
    entries = testlog.read_noting(log, errors)
    if entries is None:
        conf["missing"] = "(no test log: build failed?)"
        return conf
    conf["testlog"] = log
    run_index = runs.index(report_dir)
    conf["suites"] = [read_test(config, e, run_index, errors, log) for e in entries]
    return conf


def count(configurations, input_errors):
    """(passed, failed) of the closing line (see the module's comment)."""
    passed, failed = 0, len(input_errors)
    for conf in configurations.values():
        if conf["missing"]:
            failed += 1
        for t in conf["suites"]:
            fail = t["row_verdict"].startswith("FAIL")
            if t["result"] == "EXPECTEDFAIL":
                passed += 1
            elif t["counts"]:
                passed += t["counts"]["passing"]
                failed += t["counts"]["tested"] - t["counts"]["passing"]
                if fail and t["counts"]["tested"] == t["counts"]["passing"]:
                    failed += 1
            elif t["row_verdict"] == "pass":
                passed += 1
            elif fail:
                failed += 1
    return passed, failed


def build(pairs):
    """The model of a run: pairs are (config, testlog path or build dir)."""
    errors = []
    configurations = {c: read_config(c, where, errors) for c, where in pairs}
    return assemble(configurations, errors)


def assemble(configurations, errors):
    """The model of configurations already read ({config: read_config's
    dict}), errors being the inputs that could not be read."""
    passed, failed = count(configurations, errors)
    any_fail = any(conf["missing"] or any(t["verdict"] != "passed" for t in conf["suites"])
                   for conf in configurations.values())
    return {
        "verdict": "FAIL" if any_fail or errors or not configurations else "pass",
        "passed": passed,
        "failed": failed,
        "configurations": configurations,
        "input_errors": errors,
    }
