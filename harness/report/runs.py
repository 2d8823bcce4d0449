"""One wrapped test run's report directory (wrap-common.sh's begin_run,
plain-wrap.sh): argv (the command line, NUL-separated), criterion.json,
verdict.jsonl, findings.jsonl, metrics.jsonl, the tools' report files
(vg.<pid>.xml, san.<pid>, tsan.<pid>) and the call guard's progress files."""
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
