"""Criterion's own JSON report (CRITERION_OUTPUTS=json:FILE, which the tool
wrappers set per test program run): one entry per test, with its status and
its failure messages ("file:line: text")."""
import json
import re

STATUS = {"PASSED": "passed", "FAILED": "failed", "ERRORED": "crashed", "SKIPPED": "skipped"}


# One message of a "messages" array as Criterion 2.4.1 writes it: alone on
# its line, quoted, but with the quotes and backslashes of its text (a failed
# assertion's own source, such as strcmp(s, "x") == 0) not escaped.
MESSAGE_LINE = re.compile(r'^(\s*)"(.*)"(,?)$')


def _escape_messages(text):
    """The report with each message line's text escaped as JSON needs."""
    out, inside = [], False
    for line in text.split("\n"):
        if inside:
            m = MESSAGE_LINE.match(line)
            if m:
                line = m.group(1) + json.dumps(m.group(2)) + m.group(3)
            elif line.strip().startswith("]"):
                inside = False
        elif line.strip() == '"messages": [':
            inside = True
        out.append(line)
    return "\n".join(out)


def _load(text):
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(_escape_messages(text))


def read(path, errors):
    """The cases of one report: [{name "suite::test", status passed|failed|
    crashed|skipped, messages [str]}], or None when there is no report (the
    program is not a Criterion program, or died before writing it).  A file
    that is not Criterion's JSON is appended to errors."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    except OSError as e:
        errors.append("%s: %s" % (path, e))
        return None
    if not text.strip():
        return None  # the runner died while writing
    try:
        data = _load(text)
        cases = []
        for suite in data["test_suites"]:
            for test in suite.get("tests", []):
                cases.append({
                    "name": "%s::%s" % (suite["name"], test["name"]),
                    "status": STATUS.get(test.get("status"), "failed"),
                    "criterion_status": test.get("status", "?"),
                    "messages": [m for m in test.get("messages") or [] if isinstance(m, str)],
                })
        return cases
    except (ValueError, KeyError, TypeError) as e:
        errors.append("%s: not Criterion's JSON report (%s)" % (path, e))
        return None


def counts(cases):
    """{"tested", "passing"} as Criterion's closing line counts them: a
    skipped test is neither."""
    ran = [c for c in cases if c["status"] != "skipped"]
    return {"tested": len(ran), "passing": sum(c["status"] == "passed" for c in ran)}


def first_failures(cases):
    """[(name, "STATUS: first message")] of every test that did not pass;
    the message after Criterion's "file:line: Assertion Failed" when
    there is one."""
    out = []
    for c in cases:
        if c["status"] in ("passed", "skipped"):
            continue
        msgs = c["messages"] or [c["criterion_status"]]
        first = next((m.strip() for m in msgs[1:] if m.strip()), msgs[0].strip())
        out.append((c["name"], "%s: %s" % (c["criterion_status"], first)))
    return out
