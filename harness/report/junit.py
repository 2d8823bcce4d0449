"""Writes one JUnit XML file per Meson test of a configuration, from the
per-test results of the model (Criterion's own JSON reports), so that CI can show every Criterion
test (not just one line per executable, which is all Meson's own
testlog.junit.xml holds for exit-code tests)."""
import os
import xml.etree.ElementTree as ET

# XML 1.0 forbids most control characters; test output may contain them.
_FORBIDDEN = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _clean(text):
    return (text or "").translate(_FORBIDDEN)


def _headline(message):
    """The line that says what went wrong (not Criterion's 'file:line:
    Assertion Failed')."""
    lines = [x for x in _clean(message).split("\n") if x.strip()]
    for x in lines:
        if not x.endswith("Assertion Failed"):
            return x
    return lines[0] if lines else "failed"


def suite_element(config, suite):
    """A <testsuite> for one Meson test: its Criterion cases, plus a case for
    what happened outside them (a tool report at worker exit, a crash of
    the runner, a timeout) when Meson failed the test anyway."""
    cases = list(suite["cases"])
    if suite["result"] == "EXPECTEDFAIL":
        # A planted broken program (should_fail) that failed as it must:
        # one passing case, its deliberate failures kept as output only, so
        # that a green run never shows red in a CI's JUnit view.
        failed = [c for c in cases if c["status"] not in ("passed", "skipped")]
        cases = [{"name": "(planted: failed as it must)", "status": "passed",
                  "time": suite["duration"],
                  "output": "\n".join("%s: %s\n%s" % (c["name"], c["status"], c["message"])
                                      for c in failed) or suite.get("excerpt", "")}]
    elif not cases:
        cases.append({"name": suite["name"], "status": suite["verdict"], "time":
                      suite["duration"], "message": suite.get("excerpt", "")})
    elif suite["verdict"] != "passed" and all(c["status"] in ("passed", "skipped")
                                              for c in cases):
        reports = "\n".join(suite["tool_reports"] + [
            "harness: %s: %s" % (f["context"], f["message"]) for f in suite["findings"]]) \
            or suite.get("excerpt", "")
        cases.append({"name": "(process exit: %s)" % suite["result"], "status": "failed",
                      "time": 0.0, "message": reports})
    el = ET.Element("testsuite", {
        "name": "%s.%s" % (config, suite["name"]),
        "tests": str(len(cases)),
        "failures": str(sum(c["status"] == "failed" for c in cases)),
        "errors": str(sum(c["status"] in ("crashed", "timeout") for c in cases)),
        "skipped": str(sum(c["status"] == "skipped" for c in cases)),
        "time": "%.3f" % suite["duration"],
    })
    for c in cases:
        classname, _, name = c["name"].rpartition("::")
        tc = ET.SubElement(el, "testcase", {
            "classname": "%s.%s" % (config, classname or suite["name"]),
            "name": name,
            "time": "%.3f" % c["time"],
        })
        if c["status"] == "failed":
            f = ET.SubElement(tc, "failure", {"message": _headline(c["message"])})
            f.text = _clean(c["message"])
        elif c["status"] in ("crashed", "timeout"):
            e = ET.SubElement(tc, "error", {"message": c["status"]})
            e.text = _clean(c["message"])
        elif c["status"] == "skipped":
            ET.SubElement(tc, "skipped")
        if c.get("output"):
            ET.SubElement(tc, "system-out").text = _clean(c["output"])
    if suite["tool_reports"]:
        out = ET.SubElement(el, "system-err")
        out.text = _clean("\n".join("TOOL-REPORT: " + r for r in suite["tool_reports"]))
    return el


def write_config(outdir, config, suites):
    """Writes outdir/<config>/<suite>.xml for every suite (removing files of
    an earlier run first, so a renamed suite leaves nothing stale); returns
    the paths written."""
    confdir = os.path.join(outdir, config)
    os.makedirs(confdir, exist_ok=True)
    for old in os.listdir(confdir):
        if old.endswith(".xml"):
            os.remove(os.path.join(confdir, old))
    written = []
    for suite in suites:
        root = ET.Element("testsuites")
        root.append(suite_element(config, suite))
        # Meson names a test "project:suite / name"; the file is named after the name.
        short = suite["name"].rpartition(" / ")[2]
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in short)
        path = os.path.join(confdir, safe + ".xml")
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        written.append(path)
    return written
