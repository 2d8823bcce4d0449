"""One wrapped test run's report directory (wrap-common.sh's begin_run,
plain-wrap.sh): argv (the command line, NUL-separated), criterion.json,
verdict.jsonl, findings.jsonl, metrics.jsonl, the tools' report files
(vg.<pid>.xml, san.<pid>, tsan.<pid>) and the call guard's progress files."""
import json
import os

from . import criterion, jsonl, sanitizer, valgrind


def index(config_dir):
    """{argv tuple: [run directory]} of every run under config_dir."""
    runs = {}
    if not os.path.isdir(config_dir):
        return runs
    for name in sorted(os.listdir(config_dir)):
        path = os.path.join(config_dir, name, "argv")
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError:
            continue
        argv = tuple(a.decode("utf-8", "replace") for a in raw.split(b"\0")[:-1])
        runs.setdefault(argv, []).append(os.path.dirname(path))
    return runs


def of_entry(runs, entry):
    """The run directories of one Meson test: those whose command line ends
    Meson's (which starts with the setup's exe_wrapper)."""
    cmd = tuple(entry.get("command") or ())
    for start in range(len(cmd)):
        if cmd[start:] in runs:
            return runs[cmd[start:]]
    return []


def read(directory, errors):
    """What one run left: cases (None: no Criterion report), verdicts (the
    wrapper's), findings (the harness's), tool findings (the tools')."""
    tool = []
    # A report cut short (a process killed at its timeout) still gives the
    # errors it completed; its wrapper said so on the console.
    vg, _, _ = valgrind.read_dir(directory)
    tool += vg
    tool += sanitizer.read_dir(directory, "san")
    return {
        "dir": directory,
        "cases": criterion.read(os.path.join(directory, "criterion.json"), errors),
        "verdicts": jsonl.read_file(os.path.join(directory, jsonl.VERDICT), errors),
        "findings": jsonl.read_file(os.path.join(directory, jsonl.FINDINGS), errors),
        "tool_findings": tool,
    }


RESULT = "result.json"  # memharness run's outcome: tool, returncode, start, end


def find(paths):
    """The run directories (those holding argv) among paths and below them,
    sorted; a path that does not exist is skipped."""
    found = []
    for top in paths:
        for dirpath, dirnames, filenames in os.walk(top):
            if "argv" in filenames:
                found.append(dirpath)
                dirnames[:] = []  # a run's origins/ is part of it
            dirnames.sort()
    return sorted(set(found))


def argv_of(directory):
    with open(os.path.join(directory, "argv"), "rb") as f:
        raw = f.read()
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0")[:-1]]


def entry(directory, errors):
    """(tool, a Meson-like test entry) of one run of memharness run, for a
    report without Meson's test log: its name is the command line, its
    result the run's own exit status (result.json)."""
    argv = argv_of(directory)
    result = {}
    try:
        with open(os.path.join(directory, RESULT), encoding="utf-8") as f:
            result = json.load(f)
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as e:
        errors.append("%s: %s" % (os.path.join(directory, RESULT), e))
    code = result.get("returncode")
    if code is None:
        verdict = "ERROR"  # killed, or still running: it never judged itself
    else:
        verdict = {0: "OK", 77: "SKIP"}.get(code, "FAIL")
    try:
        duration = float(result.get("end")) - float(result.get("start"))
    except (TypeError, ValueError):
        duration = 0.0
    words = [os.path.basename(argv[0]) if argv else "?"] + argv[1:]
    name = " ".join(words)
    if len(name) > 100:
        name = name[:97] + "..."
    # What run printed of its verdict stands for the console Meson would keep.
    said = ["TOOL-REPORT: " + v["text"] for v in
            jsonl.read_file(os.path.join(directory, jsonl.VERDICT), errors)]
    if code is None:
        said.append("(no %s in %s: the run did not finish)" % (RESULT, directory))
    return result.get("tool", "run"), {
        "name": "memharness:%s / %s" % (words[0], name),
        "result": verdict, "returncode": code, "duration": duration,
        "command": argv, "stdout": "\n".join(said)}
